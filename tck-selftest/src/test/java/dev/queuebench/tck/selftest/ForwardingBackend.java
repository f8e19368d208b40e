package dev.queuebench.tck.selftest;

import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.ForwardingQueueBackend;
import dev.queuebench.api.QueueBackend;
import java.time.Instant;

/** A backend that hands every call to another; a broken variant overrides the one call it breaks. */
class ForwardingBackend extends ForwardingQueueBackend {
    protected final QueueBackend inner;

    ForwardingBackend(QueueBackend inner) {
        super(inner);
        this.inner = inner;
    }

    /** {@code job} with another queue. */
    static ClaimedJob inQueue(ClaimedJob job, String queue) {
        return new ClaimedJob(job.id(), queue, job.payload(), job.priority(), job.attempt(), job.maxAttempts(),
                job.enqueuedAt(), job.leaseExpiresAt(), job.leaseToken());
    }

    /** {@code job} with another lease token. */
    static ClaimedJob withToken(ClaimedJob job, String token) {
        return new ClaimedJob(job.id(), job.queue(), job.payload(), job.priority(), job.attempt(), job.maxAttempts(),
                job.enqueuedAt(), job.leaseExpiresAt(), token);
    }

    /** {@code job} as reported with other values. */
    static ClaimedJob reported(ClaimedJob job, byte[] payload, int priority, int attempt, Instant enqueuedAt,
            Instant leaseExpiresAt) {
        return new ClaimedJob(job.id(), job.queue(), payload, priority, attempt, job.maxAttempts(), enqueuedAt,
                leaseExpiresAt, job.leaseToken());
    }
}
