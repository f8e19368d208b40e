package dev.queuebench.redis;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
 * A real Redis primary, replica and three sentinels ({@link ThrowawayRedisPair}), the backend on the sentinels' URL
 * with {@code waitReplicas=1}: what WAIT keeps when the primary is SIGKILLed and the sentinels fail over.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ThrowawayRedisPairTest {
    @Test
    void jobEnqueuedWithWaitIsClaimableAfterPrimaryIsKilledAndSentinelsFailOver() {
        BackendFaults faults = BackendFaults.of(RedisBackendProvider.NAME).orElseThrow();
        String unavailable = faults.clusterUnavailableReason().orElse(null);
        if (TestServers.serversRequired()) {
            assertThat(unavailable).as("why no throwaway Redis pair can start here").isNull();
        }
        assumeTrue(unavailable == null, unavailable);
        List<Path> folders;
        List<ProcessHandle> nodes;
        try (ThrowawayRedisPair pair = ThrowawayRedisPair.start(ThrowawayRedisPair.WAIT);
                QueueBackend backend = QueueBackends.open(RedisBackendProvider.NAME, config(pair))) {
            ThrowawayRedis primary = pair.leader();
            assertThat(backend.serverInfo()).containsEntry("wait_replicas", "1")
                    .containsEntry("sentinel_master", ThrowawayRedisPair.MASTER);
            String kept = backend.enqueue("failover", JobRequest.of(new byte[] {7}));
            folders = List.of(folder(primary));
            nodes = List.of(primary.processes().getFirst());

            pair.killLeader();
            assertThat(primary.processes()).as("the primary's process after SIGKILL").noneMatch(ProcessHandle::isAlive);
            String promoted = pair.promote();
            assertThat(pair.leader()).isNotSameAs(primary);
            assertThat(pair.leader().command("ROLE")).isEqualTo("master");
            assertThat(promoted).contains("127.0.0.1:" + pair.leader().port());

            List<ClaimedJob> after = await().atMost(ofSeconds(30)).ignoreExceptionsInstanceOf(QueueException.class)
                    .until(() -> backend.claim("failover", 10, ofSeconds(30), ZERO), got -> !got.isEmpty());
            assertThat(after).extracting(ClaimedJob::id).containsExactly(kept);
            assertThat(backend.completeAll(after)).containsExactly(true);
            assertThat(primary.command("ROLE")).as("the killed node came back as the new primary's replica")
                    .isEqualTo("slave");
        }
        assertThat(folders).as("the killed node's folder is removed").noneMatch(Files::exists);
        assertThat(nodes).as("the killed primary is gone").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void writeThatNoReplicaAcknowledgesFailsInsteadOfReturning() {
        String unavailable = ThrowawayRedis.unavailableReason().orElse(null);
        assumeTrue(unavailable == null, unavailable);
        try (ThrowawayRedis alone = ThrowawayRedis.start();
                QueueBackend backend = QueueBackends.open(RedisBackendProvider.NAME, BackendConfig.of(Map.of(
                        "url", "redis://127.0.0.1:" + alone.port(), "waitReplicas", "1", "waitTimeout", "50ms")))) {
            assertThatThrownBy(() -> backend.enqueue("failover", JobRequest.of(new byte[] {1})))
                    .isInstanceOf(QueueException.class)
                    .hasMessageContaining("0 of 1 replica(s)")
                    .hasMessageContaining("waitReplicas");
        }
    }

    private static BackendConfig config(ThrowawayRedisPair pair) {
        Map<String, String> values = new HashMap<>(pair.config());
        values.put(RedisConfig.PREFIX.name(), "qb_failover_test");
        return BackendConfig.of(values);
    }

    private static Path folder(ThrowawayRedis node) {
        return Path.of(node.describe().substring(node.describe().lastIndexOf(" in ") + 4));
    }
}
