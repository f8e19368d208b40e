package dev.queuebench.tck.selftest;

import dev.queuebench.api.Capabilities;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.Footprint;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A backend that hands every call to another; a broken variant overrides the one call it breaks. */
class ForwardingBackend implements QueueBackend {
    protected final QueueBackend inner;

    ForwardingBackend(QueueBackend inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String strategy() {
        return inner.strategy();
    }

    @Override
    public Capabilities capabilities() {
        return inner.capabilities();
    }

    @Override
    public Map<String, String> serverInfo() {
        return inner.serverInfo();
    }

    @Override
    public String enqueue(String queue, JobRequest request) {
        return inner.enqueue(queue, request);
    }

    @Override
    public List<String> enqueueAll(String queue, List<JobRequest> requests) {
        return inner.enqueueAll(queue, requests);
    }

    @Override
    public List<ClaimedJob> claim(String queue, int maxJobs, Duration leaseDuration, Duration waitTimeout) {
        return inner.claim(queue, maxJobs, leaseDuration, waitTimeout);
    }

    @Override
    public boolean complete(ClaimedJob job) {
        return inner.complete(job);
    }

    @Override
    public List<Boolean> completeAll(List<ClaimedJob> jobs) {
        return inner.completeAll(jobs);
    }

    @Override
    public FailResult fail(ClaimedJob job, String error) {
        return inner.fail(job, error);
    }

    @Override
    public boolean extendLease(ClaimedJob job, Duration leaseDuration) {
        return inner.extendLease(job, leaseDuration);
    }

    @Override
    public QueueStats stats(String queue) {
        return inner.stats(queue);
    }

    @Override
    public List<DeadJob> deadLetters(String queue, int limit) {
        return inner.deadLetters(queue, limit);
    }

    @Override
    public long requeueDead(String queue) {
        return inner.requeueDead(queue);
    }

    @Override
    public long purge(String queue) {
        return inner.purge(queue);
    }

    @Override
    public Footprint footprint() {
        return inner.footprint();
    }

    @Override
    public void close() {
        inner.close();
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
