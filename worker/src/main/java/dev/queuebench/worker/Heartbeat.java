package dev.queuebench.worker;

import dev.queuebench.api.JobConsumer;
import dev.queuebench.api.QueueMetrics.Op;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Extends the lease of every job a handler loop holds (waiting in its batch or running) once
 * {@link WorkerConfig#extendLeaseAfter()} of the lease has passed since it was claimed or last extended. A refused
 * extension, or none made before the lease ran out, loses the claim: the handler sees {@link Job#leaseLost()} (and an
 * interrupt, unless switched off) and nothing it returns is acknowledged. One thread, which looks every quarter of
 * the extension interval (5 ms to 1 s); it holds a loop's lock while it extends that loop's job.
 */
final class Heartbeat {
    private final JobConsumer backend;
    private final JobEvents events;
    private final List<HandlerLoop> loops;
    private final Duration lease;
    private final long leaseNanos;
    private final long extendAfterNanos;
    private final boolean interrupt;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;

    Heartbeat(JobConsumer backend, WorkerConfig config, JobEvents events, List<HandlerLoop> loops,
            WorkerThreads threads) {
        this.backend = backend;
        this.events = events;
        this.loops = loops;
        this.lease = config.lease();
        this.leaseNanos = lease.toNanos();
        this.extendAfterNanos = (long) (leaseNanos * config.extendLeaseAfter());
        this.interrupt = config.interruptOnLostLease();
        long tickNanos =
                Math.clamp(extendAfterNanos / 4, TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.SECONDS.toNanos(1));
        this.thread = threads.startHelper("heartbeat", () -> beat(tickNanos));
    }

    /** Stops extending; leases of jobs still held then run out by themselves. */
    void close() {
        stop.countDown();
        Acknowledger.joinUninterruptibly(thread);
    }

    private void beat(long tickNanos) {
        try {
            while (!stop.await(tickNanos, TimeUnit.NANOSECONDS)) {
                for (HandlerLoop loop : loops) {
                    for (Claim claim : loop.held()) {
                        renew(loop, claim);
                    }
                }
            }
        } catch (InterruptedException e) {
            // nobody interrupts this thread but the JVM going down
        }
    }

    private void renew(HandlerLoop loop, Claim claim) {
        loop.lock.lock();
        try {
            if (claim.state == Claim.State.FINISHED || claim.lost || claim.settled()) {
                return;
            }
            long now = System.nanoTime();
            if (now - claim.leaseStartNanos < extendAfterNanos) {
                return;
            }
            Instant sentAt = Instant.now();
            boolean extended;
            try {
                extended = backend.extendLease(claim.job, lease);
            } catch (RuntimeException | Error e) { // the one heartbeat thread must outlive any call
                events.backendError(claim.meters, Op.EXTEND_LEASE, e);
                if (System.nanoTime() - claim.leaseStartNanos < leaseNanos) {
                    return; // the lease still holds: try again on the next beat
                }
                extended = false;
            }
            if (extended) {
                claim.leaseStartNanos = now;
                events.leaseExtended(claim, sentAt.plus(lease));
            } else {
                events.leaseLost(claim); // reported before the handler can hear of it
                claim.lost = true;
                if (interrupt && claim.state == Claim.State.RUNNING) {
                    loop.thread().interrupt();
                }
            }
        } finally {
            loop.lock.unlock();
        }
    }
}
