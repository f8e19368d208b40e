package dev.queuebench.suite.workers;

import dev.queuebench.api.Capabilities;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.Footprint;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The backend of a worker an {@link Agent} started: every call goes to {@code delegate}, and {@code complete} and
 * {@code completeAll} first wait on the {@link ReportBarrier}, until the agent has passed on the announcement.
 */
record BarrierBackend(QueueBackend delegate, ReportBarrier barrier) implements QueueBackend {
    @Override
    public boolean complete(ClaimedJob job) {
        barrier.await();
        return delegate.complete(job);
    }

    @Override
    public List<Boolean> completeAll(List<ClaimedJob> jobs) {
        barrier.await();
        return delegate.completeAll(jobs);
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
