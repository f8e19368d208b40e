package dev.queuebench.nats;

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
 * The chaos suite's fault hook on a real throwaway nats-server: the backend survives each fault it can inject. Not
 * {@code ThrowawayServerKit}: its pause step expects a claim to hang while the server is stopped, but a zero-wait
 * claim here returns no job once its pull's short expiry and grace pass (observed: done within 500 ms), which the
 * contract allows; an enqueue, which needs the server's acknowledgement, is what waits.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ThrowawayNatsTest {
    private static final Duration LEASE = ofSeconds(60);

    @Test
    void backendRecoversFromPauseCutConnectionsAndRestartWhichKeepsItsJobs() throws Exception {
        BackendFaults faults = BackendFaults.of("nats").orElseThrow();
        String unavailable = faults.unavailableReason().orElse(null);
        if (TestServers.serversRequired()) {
            assertThat(unavailable).as("why no throwaway nats-server can start here").isNull();
        }
        assumeTrue(unavailable == null, unavailable);
        Path folder;
        try (ThrowawayServer server = faults.startServer();
                QueueBackend backend = QueueBackends.open("nats", BackendConfig.of(server.config()))) {
            folder = Path.of(server.describe().substring(server.describe().lastIndexOf(" in ") + 4));
            assertThat(server.processes()).hasSize(1);

            // Paused: an enqueue waits for the server's answer, which comes once it runs again.
            server.pause();
            CompletableFuture<String> enqueue =
                    CompletableFuture.supplyAsync(() -> backend.enqueue("chaos", JobRequest.of(new byte[] {1})));
            await().pollDelay(ofMillis(500)).until(() -> true);
            assertThat(enqueue).isNotDone();
            server.resume();
            String first = enqueue.get(30, TimeUnit.SECONDS);
            ClaimedJob job = await().atMost(ofSeconds(10)).until(() -> backend.claim("chaos", 1, LEASE, ZERO),
                    claimed -> !claimed.isEmpty()).getFirst();
            assertThat(job.id()).isEqualTo(first);

            // Cut connections: at most the call on the dead connection fails, the client then reconnects.
            assertThat(server.killConnections(BackendConfig.of(server.config()))).isGreaterThanOrEqualTo(1);
            await().atMost(ofSeconds(20)).ignoreExceptionsInstanceOf(QueueException.class)
                    .until(() -> backend.complete(job));

            // Restarted: the file store keeps a job enqueued before, and the backend reconnects.
            String kept = backend.enqueue("chaos", JobRequest.of(new byte[] {2}));
            server.restart();
            List<ClaimedJob> claimed = await().atMost(ofSeconds(30)).ignoreExceptionsInstanceOf(QueueException.class)
                    .until(() -> backend.claim("chaos", 1, LEASE, ZERO), c -> !c.isEmpty());
            assertThat(claimed).extracting(ClaimedJob::id).containsExactly(kept);
            assertThat(backend.complete(claimed.getFirst())).isTrue();
        }
        assertThat(Files.exists(folder)).as("the server's folder is removed").isFalse();
    }
}
