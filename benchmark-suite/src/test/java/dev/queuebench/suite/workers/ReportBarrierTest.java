package dev.queuebench.suite.workers;

import static org.awaitility.Awaitility.await;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReportBarrierTest {

    @Test
    void completeWaitsForItsAnnouncementToBePassedOn() {
        ReportBarrier barrier = new ReportBarrier();
        barrier.written(false); // R: a handler started
        barrier.written(true); // A: about to complete

        CompletableFuture<Void> complete = awaitInBackground(barrier);
        barrier.passedOn(1);

        await().during(200, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS).until(() -> !complete.isDone());
        barrier.passedOn(2);
        await().atMost(10, TimeUnit.SECONDS).until(complete::isDone);
    }

    /**
     * The agent acknowledges after announcements only: a line another loop writes after the last announcement must
     * not hold a complete back (a worker JVM with one handler loop claiming ahead hung this way until its leases ran
     * out, in a lab run's io drains).
     */
    @Test
    void lineWrittenAfterTheLastAnnouncementDoesNotHoldACompleteBack() {
        ReportBarrier barrier = new ReportBarrier();
        barrier.written(true); // A of the job being completed
        barrier.passedOn(1); // the agent read it and found nothing more waiting
        barrier.written(false); // R of the job claimed ahead, written before the complete waits

        CompletableFuture<Void> complete = awaitInBackground(barrier);

        await().atMost(10, TimeUnit.SECONDS).until(complete::isDone);
    }

    private static CompletableFuture<Void> awaitInBackground(ReportBarrier barrier) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            barrier.await();
            done.complete(null);
        });
        return done;
    }
}
