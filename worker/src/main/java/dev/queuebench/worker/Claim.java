package dev.queuebench.worker;

import dev.queuebench.api.ClaimedJob;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One job a handler loop holds, from its claim until it is settled or let go. {@link #state} and
 * {@link #leaseStartNanos} are guarded by the owning loop's lock, which the heartbeat takes too; {@link #lost} is
 * read by the handler without it.
 */
final class Claim {
    enum State {
        /** Claimed, waiting for its turn in the loop's batch. */
        WAITING,
        /** Its handler is running. */
        RUNNING,
        /** Its handler returned: the lease is no longer extended. */
        FINISHED
    }

    final ClaimedJob job;
    final WorkerMeters.QueueMeters meters;
    State state = State.WAITING;
    /** The lease lasts at least until this {@link System#nanoTime()} plus the lease duration. */
    long leaseStartNanos;
    /** The {@link System#nanoTime()} at which the claim call that returned this job returned. */
    final long returnedNanos;
    volatile boolean lost;
    /** Acknowledged as discarded rather than done; set before the claim is handed to the acknowledger. */
    boolean discard;
    /** The acknowledger, not the loop, now answers for this claim; loop thread only. */
    boolean handedOver;
    private final AtomicBoolean settled = new AtomicBoolean();

    Claim(ClaimedJob job, WorkerMeters.QueueMeters meters, long leaseStartNanos, long returnedNanos) {
        this.job = job;
        this.meters = meters;
        this.leaseStartNanos = leaseStartNanos;
        this.returnedNanos = returnedNanos;
    }

    /** True exactly once: for the caller that reports this claim's final event. */
    boolean settle() {
        return settled.compareAndSet(false, true);
    }

    /** True once this claim's final event was reported. */
    boolean settled() {
        return settled.get();
    }
}
