package dev.queuebench.nats;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.faults.ThrowawayServer;
import dev.queuebench.testsupport.ThrowawayServerKit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The chaos suite's fault hook on a real throwaway nats-server: the backend survives each fault it can inject. Its
 * pause step differs from the kit's: a zero-wait claim here returns no job once its pull's short expiry and grace pass
 * (observed: done within 500 ms), which the contract allows; an enqueue, which needs the server's acknowledgement, is
 * what waits.
 */
class ThrowawayNatsTest extends ThrowawayServerKit {
    @Override
    protected String backendName() {
        return NatsBackendProvider.NAME;
    }

    /** Paused: an enqueue waits for the server's answer, which comes once it runs again; then the job is claimed. */
    @Override
    protected ClaimedJob claimAcrossPause(ThrowawayServer server, QueueBackend backend) throws Exception {
        assertThat(server.processes()).hasSize(1);
        server.pause();
        CompletableFuture<String> enqueue =
                CompletableFuture.supplyAsync(() -> backend.enqueue("chaos", JobRequest.of(new byte[] {1})));
        await().pollDelay(ofMillis(500)).until(() -> true);
        assertThat(enqueue).isNotDone();
        server.resume();
        String first = enqueue.get(30, TimeUnit.SECONDS);
        ClaimedJob job = await().atMost(ofSeconds(10)).until(() -> backend.claim("chaos", 1, lease(), ZERO),
                claimed -> !claimed.isEmpty()).getFirst();
        assertThat(job.id()).isEqualTo(first);
        return job;
    }
}
