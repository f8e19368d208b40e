package dev.queuebench.postgres;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofMillis;
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
import dev.queuebench.faults.ThrowawayServer;
import dev.queuebench.testsupport.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chaos suite's fault hook on a real throwaway PostgreSQL cluster: the backend survives each fault. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ThrowawayPostgresTest {
    private static final Duration LEASE = ofSeconds(60);

    @Test
    void backendRecoversFromPauseKilledConnectionsAndRestartOfItsOwnServer() throws Exception {
        BackendFaults faults = BackendFaults.of("postgres").orElseThrow();
        String unavailable = faults.unavailableReason().orElse(null);
        if (TestServers.serversRequired()) {
            assertThat(unavailable).as("why no throwaway cluster can start here").isNull();
        }
        assumeTrue(unavailable == null, unavailable);
        Path folder;
        try (ThrowawayServer server = faults.startServer();
                QueueBackend backend = QueueBackends.open("postgres", BackendConfig.of(server.config())
                        .with("poolSize", "2").with("connectTimeout", "2s"))) {
            folder = Path.of(server.describe().substring(server.describe().lastIndexOf(" in ") + 4));
            assertThat(server.processes()).isNotEmpty();
            String first = backend.enqueue("chaos", JobRequest.of(new byte[] {1}));

            // Paused: a claim hangs until the server answers again, then returns the job.
            server.pause();
            CompletableFuture<List<ClaimedJob>> claim =
                    CompletableFuture.supplyAsync(() -> backend.claim("chaos", 1, LEASE, ZERO));
            await().pollDelay(ofMillis(500)).until(() -> true);
            assertThat(claim).isNotDone();
            server.resume();
            ClaimedJob job = claim.get(30, TimeUnit.SECONDS).getFirst();
            assertThat(job.id()).isEqualTo(first);

            // Killed connections: at most the call on a dead connection fails, the pool then reconnects.
            assertThat(server.killConnections(BackendConfig.of(server.config()))).isGreaterThanOrEqualTo(1);
            await().atMost(ofSeconds(20)).ignoreExceptionsInstanceOf(QueueException.class)
                    .until(() -> backend.complete(job));

            // Restarted: committed jobs survive (durability as declared), the pool reconnects.
            String kept = backend.enqueue("chaos", JobRequest.of(new byte[] {2}));
            server.restart();
            List<ClaimedJob> after = await().atMost(ofSeconds(30)).ignoreExceptionsInstanceOf(QueueException.class)
                    .until(() -> backend.claim("chaos", 1, LEASE, ZERO), got -> !got.isEmpty());
            assertThat(after).extracting(ClaimedJob::id).containsExactly(kept);
            assertThat(backend.completeAll(after)).containsExactly(true);
        }
        assertThat(Files.exists(folder)).as("the server's folder is removed").isFalse();
    }
}
