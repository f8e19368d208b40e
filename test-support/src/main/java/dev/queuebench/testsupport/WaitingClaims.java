package dev.queuebench.testsupport;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.QueueBackend;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** How soon a claim that is already waiting gets the job enqueued after it began to wait. */
public final class WaitingClaims {
    /** How long the waiting claim may wait in all: longer than any wake-up a test expects. */
    private static final Duration CLAIM_WAIT = ofSeconds(30);
    /** How long the claim is given to park before the enqueue. */
    private static final Duration PARKED_AFTER = ofMillis(300);

    private WaitingClaims() {}

    /**
     * Starts a claim of one job on {@code queue} of {@code consumer}, lets it park, then runs {@code enqueue} (which
     * returns the new job's id); returns how long after the enqueue began the claim returned that job, failing the
     * test when it returns anything else or not within {@code atMost}.
     */
    public static Duration timeToWake(QueueBackend consumer, String queue, Duration lease, Supplier<String> enqueue,
            Duration atMost) throws Exception {
        CompletableFuture<List<ClaimedJob>> waiting =
                CompletableFuture.supplyAsync(() -> consumer.claim(queue, 1, lease, CLAIM_WAIT));
        await().pollDelay(PARKED_AFTER).until(() -> true); // the claim is parked by now
        long start = System.nanoTime();
        String id = enqueue.get();
        assertThat(waiting.get(atMost.toMillis(), TimeUnit.MILLISECONDS)).extracting(ClaimedJob::id)
                .containsExactly(id);
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
