package dev.queuebench.worker;

import dev.queuebench.api.ClaimedJob;

/** A claimed job as its handler sees it: the claim's data, and whether the worker has lost the claim's lease. */
public final class Job {
    private final Claim claim;

    Job(Claim claim) {
        this.claim = claim;
    }

    /** The claim as the backend returned it. */
    public ClaimedJob claimed() {
        return claim.job;
    }

    /**
     * The {@link System#nanoTime()} at which the claim call that returned this job returned, read once per claim
     * call (every job of one batch has the same): the handler's start minus it is the time the job waited in the
     * worker.
     */
    public long claimReturnedNanos() {
        return claim.returnedNanos;
    }

    public String id() {
        return claim.job.id();
    }

    public String queue() {
        return claim.job.queue();
    }

    /** The payload as enqueued; do not change it. */
    public byte[] payload() {
        return claim.job.payload();
    }

    /** 1 on the first claim of the job. */
    public int attempt() {
        return claim.job.attempt();
    }

    public int maxAttempts() {
        return claim.job.maxAttempts();
    }

    /** True when a failure of this attempt makes the job dead. */
    public boolean isLastAttempt() {
        return claim.job.isLastAttempt();
    }

    /**
     * True once the worker knows this claim's lease is lost (an extension was refused): another claim may hold the
     * job now, so stop; nothing this run returns is acknowledged.
     */
    public boolean leaseLost() {
        return claim.lost;
    }

    @Override
    public String toString() {
        return "Job[" + claim.job + "]";
    }
}
