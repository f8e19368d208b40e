package dev.queuebench.rabbitmq;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.BackendClosedException;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.testsupport.TestServers;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Calls that a close cuts off end as the contract says: the backend is closed, not the broker unreachable. */
class LinkCloseTest {

    /**
     * A claim started just before close may still be declaring its queue on an admin channel when the close ends
     * that channel (the kit's waiting-claim-at-close clause met this under load): it must throw
     * BackendClosedException, not BackendUnavailableException.
     */
    @Test
    void adminCallWhoseChannelTheCloseEndedThrowsBackendClosed() throws Exception {
        RabbitmqConfig config = RabbitmqConfig.from(BackendConfig.of(Map.of(RabbitmqConfig.URL.name(),
                TestServers.rabbitmqUrl(), RabbitmqConfig.PREFIX.name(), "qblinkclose")),
                new RabbitmqBackendProvider().strategies());
        Link link = Link.open(config);
        CountDownLatch inCall = new CountDownLatch(1);
        CompletableFuture<Throwable> call = CompletableFuture.supplyAsync(() -> {
            try {
                link.admin("declaring a queue", channel -> {
                    inCall.countDown();
                    await().atMost(ofSeconds(10)).until(() -> !channel.isOpen());
                    channel.basicQos(1); // the call's next RPC, on the channel the close ended
                    return null;
                });
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        assertThat(inCall.await(10, TimeUnit.SECONDS)).as("the admin call started").isTrue();

        link.close();

        assertThat(call.get(20, TimeUnit.SECONDS)).isInstanceOf(BackendClosedException.class);
    }
}
