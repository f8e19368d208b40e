package dev.queuebench.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A backend that hands every call to another: a decorator overrides only the calls it changes (a fault, a wait, a
 * count). As thread-safe as its delegate.
 */
public abstract class ForwardingQueueBackend implements QueueBackend {
    protected final QueueBackend delegate;

    protected ForwardingQueueBackend(QueueBackend delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String strategy() {
        return delegate.strategy();
    }

    @Override
    public Capabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public Map<String, String> serverInfo() {
        return delegate.serverInfo();
    }

    @Override
    public String enqueue(String queue, JobRequest request) {
        return delegate.enqueue(queue, request);
    }

    @Override
    public List<String> enqueueAll(String queue, List<JobRequest> requests) {
        return delegate.enqueueAll(queue, requests);
    }

    @Override
    public List<ClaimedJob> claim(String queue, int maxJobs, Duration leaseDuration, Duration waitTimeout) {
        return delegate.claim(queue, maxJobs, leaseDuration, waitTimeout);
    }

    @Override
    public boolean complete(ClaimedJob job) {
        return delegate.complete(job);
    }

    @Override
    public List<Boolean> completeAll(List<ClaimedJob> jobs) {
        return delegate.completeAll(jobs);
    }

    @Override
    public FailResult fail(ClaimedJob job, String error) {
        return delegate.fail(job, error);
    }

    @Override
    public boolean extendLease(ClaimedJob job, Duration leaseDuration) {
        return delegate.extendLease(job, leaseDuration);
    }

    @Override
    public QueueStats stats(String queue) {
        return delegate.stats(queue);
    }

    @Override
    public List<DeadJob> deadLetters(String queue, int limit) {
        return delegate.deadLetters(queue, limit);
    }

    @Override
    public long requeueDead(String queue) {
        return delegate.requeueDead(queue);
    }

    @Override
    public long purge(String queue) {
        return delegate.purge(queue);
    }

    @Override
    public Footprint footprint() {
        return delegate.footprint();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
