package dev.queuebench.postgres;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.api.QueueException;
import dev.queuebench.faults.BackendFaults;
import dev.queuebench.testsupport.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real PostgreSQL primary and streaming standby ({@link ThrowawayPostgresPair}), the backend on their multi-host URL
 * with {@code targetServerType=primary}: what a synchronous standby keeps when the primary is SIGKILLed and the
 * standby promoted.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ThrowawayPostgresPairTest {
    @Test
    void jobEnqueuedWithSynchronousStandbyIsClaimableAfterPrimaryIsKilledAndStandbyPromoted() {
        BackendFaults faults = BackendFaults.of(PostgresBackendProvider.NAME).orElseThrow();
        String unavailable = faults.clusterUnavailableReason().orElse(null);
        if (TestServers.serversRequired()) {
            assertThat(unavailable).as("why no throwaway PostgreSQL pair can start here").isNull();
        }
        assumeTrue(unavailable == null, unavailable);
        List<Path> folders;
        List<ProcessHandle> nodes;
        try (ThrowawayPostgresPair pair = ThrowawayPostgresPair.start(ThrowawayPostgresPair.SYNC);
                QueueBackend backend = QueueBackends.open(PostgresBackendProvider.NAME, config(pair))) {
            folders = List.of(folder(pair.primary()), folder(pair.standby()));
            nodes = List.of(pair.primary().processes().getFirst(), pair.standby().processes().getFirst());
            assertThat(pair.primary().query("SHOW synchronous_standby_names")).isEqualTo("qb_standby");
            String kept = backend.enqueue("failover", JobRequest.of(new byte[] {7}));
            // the commit returned: a synchronous standby has it on disk (and shows it, replay permitting)
            assertThat(pair.primary().query("SELECT sync_state FROM pg_stat_replication")).isEqualTo("sync");

            pair.killLeader();
            assertThat(pair.primary().processes()).as("the primary's processes after SIGKILL").isEmpty();
            pair.promote();
            assertThat(pair.standby().query("SELECT pg_is_in_recovery()")).isEqualTo("f");

            List<ClaimedJob> after = await().atMost(ofSeconds(30)).ignoreExceptionsInstanceOf(QueueException.class)
                    .until(() -> backend.claim("failover", 10, ofSeconds(30), ZERO), got -> !got.isEmpty());
            assertThat(after).extracting(ClaimedJob::id).containsExactly(kept);
            assertThat(backend.completeAll(after)).containsExactly(true);
        }
        assertThat(folders).as("both nodes' folders are removed").noneMatch(Files::exists);
        assertThat(nodes).as("both postmasters are gone").noneMatch(ProcessHandle::isAlive);
    }

    private static BackendConfig config(ThrowawayPostgresPair pair) {
        Map<String, String> values = new HashMap<>(pair.config());
        values.put(PostgresConfig.SCHEMA.name(), "qb_failover_test");
        values.put(PostgresConfig.POOL_SIZE.name(), "2");
        values.put(PostgresConfig.CONNECT_TIMEOUT.name(), "2s");
        return BackendConfig.of(values);
    }

    private static Path folder(ThrowawayPostgres node) {
        return Path.of(node.describe().substring(node.describe().lastIndexOf(" in ") + 4));
    }
}
