package dev.queuebench.redis;

import dev.queuebench.api.ClaimedJob;
import java.util.List;

/** One claim strategy: leases up to n ready jobs of a queue without waiting. Thread-safe. */
interface Claimer {
    /** Housekeeping (due jobs, expired leases), then leases up to {@code maxJobs}; Lettuce failures propagate. */
    ClaimBatch claim(Keys keys, int maxJobs, long leaseMillis);

    /**
     * What one claim got.
     *
     * @param nowMillis     the server's TIME at the claim
     * @param nextDueMillis when a scheduled job comes due or a lease expires, by the server's clock; -1 for never
     */
    record ClaimBatch(List<ClaimedJob> jobs, long nowMillis, long nextDueMillis) {
        /** How long a waiting claim may sleep before something comes due by itself ({@code Long.MAX_VALUE}: never). */
        long millisUntilDue() {
            return nextDueMillis < 0 ? Long.MAX_VALUE : Math.max(0, nextDueMillis - nowMillis);
        }
    }
}
