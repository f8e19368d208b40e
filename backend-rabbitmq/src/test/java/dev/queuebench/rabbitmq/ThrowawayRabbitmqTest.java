package dev.queuebench.rabbitmq;

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

/**
 * The chaos suite's fault hook on a real throwaway rabbitmq-server node: the backend survives each fault it can
 * inject. Not {@code ThrowawayServerKit}: its connection-kill step expects the lease claimed before the kill to
 * complete afterwards, but the broker requeues a closed connection's unacknowledged deliveries, so that lease is
 * gone (complete answers false, as fencing requires) and the job comes back as the next attempt.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ThrowawayRabbitmqTest {
    private static final Duration LEASE = ofSeconds(60);

    @Test
    void backendRecoversFromPauseClosedConnectionsAndRestartWhichKeepsItsJobs() throws Exception {
        BackendFaults faults = BackendFaults.of("rabbitmq").orElseThrow();
        String unavailable = faults.unavailableReason().orElse(null);
        if (TestServers.serversRequired()) {
            assertThat(unavailable).as("why no throwaway rabbitmq-server can start here").isNull();
        }
        assumeTrue(unavailable == null, unavailable);
        Path folder;
        try (ThrowawayServer server = faults.startServer();
                QueueBackend backend = QueueBackends.open("rabbitmq", BackendConfig.of(server.config()))) {
            folder = Path.of(server.describe().substring(server.describe().lastIndexOf(" in ") + 4));
            assertThat(server.processes()).isNotEmpty();
            String first = backend.enqueue("chaos", JobRequest.of(new byte[] {1}));

            // Paused: a claim waits for the broker's answer, which comes once it runs again.
            server.pause();
            CompletableFuture<List<ClaimedJob>> claim =
                    CompletableFuture.supplyAsync(() -> backend.claim("chaos", 1, LEASE, ZERO));
            await().pollDelay(ofMillis(500)).until(() -> true);
            assertThat(claim).isNotDone();
            server.resume();
            ClaimedJob job = claim.get(30, TimeUnit.SECONDS).getFirst();
            assertThat(job.id()).isEqualTo(first);

            // Closed connections: the lease went with its channel; the job comes back as attempt 2.
            assertThat(server.killConnections(BackendConfig.of(server.config()))).isGreaterThanOrEqualTo(1);
            await().atMost(ofSeconds(20)).until(() -> !backend.complete(job));
            ClaimedJob again = await().atMost(ofSeconds(20)).ignoreExceptionsInstanceOf(QueueException.class)
                    .until(() -> backend.claim("chaos", 1, LEASE, ZERO), c -> !c.isEmpty()).getFirst();
            assertThat(again.id()).isEqualTo(first);
            assertThat(again.attempt()).isEqualTo(2);
            assertThat(backend.complete(again)).isTrue();

            // Restarted: the quorum queue keeps a job enqueued before, and the backend connects again.
            String kept = backend.enqueue("chaos", JobRequest.of(new byte[] {2}));
            server.restart();
            List<ClaimedJob> claimed = await().atMost(ofSeconds(60)).ignoreExceptionsInstanceOf(QueueException.class)
                    .until(() -> backend.claim("chaos", 1, LEASE, ZERO), c -> !c.isEmpty());
            assertThat(claimed).extracting(ClaimedJob::id).containsExactly(kept);
            assertThat(backend.complete(claimed.getFirst())).isTrue();
        }
        assertThat(Files.exists(folder)).as("the node's folder is removed").isFalse();
    }
}
