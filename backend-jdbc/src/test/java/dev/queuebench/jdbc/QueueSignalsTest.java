package dev.queuebench.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QueueSignalsTest {
    private static final Duration LONG = Duration.ofMinutes(5);

    @Test
    void aWakeUpBetweenReadingTheGenerationAndAwaitingIsNotLost() throws InterruptedException {
        QueueSignals signals = new QueueSignals();
        long seen = signals.generation("q");
        signals.wake("q");

        long started = System.nanoTime();
        signals.await("q", seen, LONG);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(LONG);
        assertThat(signals.generation("q")).isEqualTo(seen + 1);
    }

    @Test
    void aWakeUpReleasesOnlyTheWaitersOfItsQueue() {
        QueueSignals signals = new QueueSignals();
        long seenA = signals.generation("a");
        long seenB = signals.generation("b");
        CompletableFuture<Void> waiterA = waitInBackground(signals, "a", seenA);
        CompletableFuture<Void> waiterB = waitInBackground(signals, "b", seenB);

        signals.wake("a");

        await().atMost(10, TimeUnit.SECONDS).until(waiterA::isDone);
        assertThat(waiterB).isNotDone();
        signals.close();
        await().atMost(10, TimeUnit.SECONDS).until(waiterB::isDone);
    }

    @Test
    void closeReleasesEveryWaiterAndLaterWaitsReturnAtOnce() throws InterruptedException {
        QueueSignals signals = new QueueSignals();
        CompletableFuture<Void> waiter = waitInBackground(signals, "q", signals.generation("q"));

        signals.close();

        await().atMost(10, TimeUnit.SECONDS).until(waiter::isDone);
        long started = System.nanoTime();
        signals.await("other", signals.generation("other"), LONG);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(LONG);
    }

    @Test
    void aWaitWithoutWakeUpReturnsAfterItsTimeout() throws InterruptedException {
        QueueSignals signals = new QueueSignals();
        long started = System.nanoTime();

        signals.await("q", signals.generation("q"), Duration.ofMillis(50));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void wakingAQueueNobodyWaitedOnChangesNothing() {
        QueueSignals signals = new QueueSignals();

        signals.wake("never");

        assertThat(signals.generation("never")).isZero();
    }

    private static CompletableFuture<Void> waitInBackground(QueueSignals signals, String queue, long seen) {
        return CompletableFuture.runAsync(() -> {
            try {
                signals.await(queue, seen, LONG);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
