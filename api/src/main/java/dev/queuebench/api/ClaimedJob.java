package dev.queuebench.api;

import java.time.Instant;

/**
 * One claim of a job: the job's data plus the lease that fences every later call about it.
 *
 * @param attempt        1 on the first claim, incremented by each claim
 * @param leaseExpiresAt when the lease ends by the backend's clock, unless extended
 * @param leaseToken     opaque; names this claim and no other
 */
public record ClaimedJob(
        String id,
        String queue,
        byte[] payload,
        int priority,
        int attempt,
        int maxAttempts,
        Instant enqueuedAt,
        Instant leaseExpiresAt,
        String leaseToken) {

    /** True when a failure or lease expiry of this claim makes the job dead. */
    public boolean isLastAttempt() {
        return attempt >= maxAttempts;
    }

    @Override
    public String toString() {
        return "ClaimedJob[id=" + id + ", queue=" + queue + ", attempt=" + attempt + "/" + maxAttempts
                + ", payloadBytes=" + payload.length + ", leaseExpiresAt=" + leaseExpiresAt + "]";
    }
}
