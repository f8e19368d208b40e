package dev.queuebench.rabbitmq;

import static java.time.Duration.ZERO;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueException;
import dev.queuebench.faults.ThrowawayServer;
import dev.queuebench.testsupport.ThrowawayServerKit;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * The chaos suite's fault hook on a real throwaway rabbitmq-server node: the backend survives each fault it can
 * inject. Its connection-kill step differs from the kit's: the broker requeues a closed connection's unacknowledged
 * deliveries, so the lease claimed before the kill is gone (complete answers false, as fencing requires) and the job
 * comes back as the next attempt. A node takes longer to restart than the kit allows by default.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ThrowawayRabbitmqTest extends ThrowawayServerKit {
    @Override
    protected String backendName() {
        return RabbitmqBackendProvider.NAME;
    }

    /** Closed connections: the lease went with its channel; the job comes back as attempt 2 and completes. */
    @Override
    protected void survivesKilledConnections(ThrowawayServer server, QueueBackend backend, ClaimedJob job) {
        assertThat(server.killConnections(BackendConfig.of(server.config()))).isGreaterThanOrEqualTo(1);
        await().atMost(ofSeconds(20)).until(() -> !backend.complete(job));
        ClaimedJob again = await().atMost(ofSeconds(20)).ignoreExceptionsInstanceOf(QueueException.class)
                .until(() -> backend.claim("chaos", 1, lease(), ZERO), c -> !c.isEmpty()).getFirst();
        assertThat(again.id()).isEqualTo(job.id());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(backend.complete(again)).isTrue();
    }

    @Override
    protected Duration restartWithin() {
        return ofSeconds(60);
    }
}
