package dev.queuebench.api;

import java.time.Duration;
import java.util.List;

/** The worker's role: leasing jobs and settling them, every call fenced by the lease token. Thread-safe. */
public interface JobConsumer {
    /**
     * Leases up to {@code maxJobs} ready jobs, waiting up to {@code waitTimeout} for the first; empty on timeout.
     * No other claim returns a job while its lease is valid.
     */
    List<ClaimedJob> claim(String queue, int maxJobs, Duration leaseDuration, Duration waitTimeout);

    /** True when the lease was valid and the job is now done; false and nothing changed otherwise. */
    boolean complete(ClaimedJob job);

    /** {@link #complete} for each job, answered one by one in order, in one round trip where the backend can. */
    List<Boolean> completeAll(List<ClaimedJob> jobs);

    /** Schedules a retry after backoff, or makes the job dead on its last attempt; {@code LEASE_LOST} if fenced. */
    FailResult fail(ClaimedJob job, String error);

    /** True and the lease now ends at now + {@code leaseDuration}; false when the lease was no longer valid. */
    boolean extendLease(ClaimedJob job, Duration leaseDuration);
}
