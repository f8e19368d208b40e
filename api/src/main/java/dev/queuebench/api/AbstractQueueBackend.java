package dev.queuebench.api;

import dev.queuebench.api.QueueMetrics.Op;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every backend owes the contract before and around its own work, written once: each public method checks that
 * the backend is open ({@link BackendClosedException}), the queue name ({@link InvalidQueueNameException}), payload
 * sizes ({@link JobTooLargeException}) and its numbers ({@link IllegalArgumentException}) before a subclass method
 * runs, and times the producer and consumer operations under {@link QueueMetrics#OP}. Subclasses implement the
 * {@code do*} methods, which are only called on an open backend with valid arguments, and {@link #doClose()}, which
 * runs once. The backend's name and strategy are given once, to the constructor.
 */
public abstract class AbstractQueueBackend implements QueueBackend {
    /** The backend's meters; subclasses add conflicts, lock errors and their own figures here. */
    protected final QueueMetrics metrics;
    private final String name;
    private final String strategy;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A backend called {@code name} (its provider's name) running {@code strategy}, recording to {@code registry}. */
    protected AbstractQueueBackend(String name, String strategy, MeterRegistry registry) {
        this.name = Objects.requireNonNull(name, "name");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.metrics = new QueueMetrics(registry, name);
    }

    protected abstract String doEnqueue(String queue, JobRequest request);

    /** Called with at least one request. */
    protected abstract List<String> doEnqueueAll(String queue, List<JobRequest> requests);

    /** Called with {@code maxJobs >= 1}, a positive lease and a wait of zero or more. */
    protected abstract List<ClaimedJob> doClaim(String queue, int maxJobs, Duration leaseDuration,
            Duration waitTimeout);

    protected abstract boolean doComplete(ClaimedJob job);

    /** Called with at least one job. */
    protected abstract List<Boolean> doCompleteAll(List<ClaimedJob> jobs);

    protected abstract FailResult doFail(ClaimedJob job, String error);

    /** Called with a positive duration. */
    protected abstract boolean doExtendLease(ClaimedJob job, Duration leaseDuration);

    protected abstract QueueStats doStats(String queue);

    /** Called with {@code limit >= 0}. */
    protected abstract List<DeadJob> doDeadLetters(String queue, int limit);

    protected abstract long doRequeueDead(String queue);

    protected abstract long doPurge(String queue);

    protected abstract Footprint doFootprint();

    /** Releases the backend's resources, in reverse order of opening; called once. */
    protected abstract void doClose();

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String strategy() {
        return strategy;
    }

    @Override
    public final String enqueue(String queue, JobRequest request) {
        requireOpen(queue);
        capabilities().requireFits(Objects.requireNonNull(request, "request"));
        return metrics.time(Op.ENQUEUE, queue, () -> doEnqueue(queue, request));
    }

    @Override
    public final List<String> enqueueAll(String queue, List<JobRequest> requests) {
        requireOpen(queue);
        requests.forEach(r -> capabilities().requireFits(Objects.requireNonNull(r, "request")));
        if (requests.isEmpty()) {
            return List.of();
        }
        return metrics.time(Op.ENQUEUE_ALL, queue, () -> doEnqueueAll(queue, requests));
    }

    @Override
    public final List<ClaimedJob> claim(String queue, int maxJobs, Duration leaseDuration, Duration waitTimeout) {
        requireOpen(queue);
        if (maxJobs < 1) {
            throw new IllegalArgumentException("maxJobs must be at least 1, was " + maxJobs);
        }
        requirePositive(leaseDuration, "leaseDuration");
        if (waitTimeout.isNegative()) {
            throw new IllegalArgumentException("waitTimeout must not be negative, was " + waitTimeout);
        }
        List<ClaimedJob> claimed = metrics.time(Op.CLAIM, queue,
                () -> doClaim(queue, maxJobs, leaseDuration, waitTimeout));
        if (claimed.isEmpty()) {
            metrics.emptyClaim(queue);
        }
        return claimed;
    }

    @Override
    public final boolean complete(ClaimedJob job) {
        requireOpen(job);
        return metrics.time(Op.COMPLETE, job.queue(), () -> doComplete(job));
    }

    /** Timed under the first job's queue. */
    @Override
    public final List<Boolean> completeAll(List<ClaimedJob> jobs) {
        jobs.forEach(this::requireOpen);
        if (jobs.isEmpty()) {
            return List.of();
        }
        return metrics.time(Op.COMPLETE_ALL, jobs.getFirst().queue(), () -> doCompleteAll(jobs));
    }

    @Override
    public final FailResult fail(ClaimedJob job, String error) {
        requireOpen(job);
        return metrics.time(Op.FAIL, job.queue(), () -> doFail(job, error));
    }

    @Override
    public final boolean extendLease(ClaimedJob job, Duration leaseDuration) {
        requireOpen(job);
        requirePositive(leaseDuration, "leaseDuration");
        return metrics.time(Op.EXTEND_LEASE, job.queue(), () -> doExtendLease(job, leaseDuration));
    }

    @Override
    public final QueueStats stats(String queue) {
        requireOpen(queue);
        return doStats(queue);
    }

    @Override
    public final List<DeadJob> deadLetters(String queue, int limit) {
        requireOpen(queue);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        return doDeadLetters(queue, limit);
    }

    @Override
    public final long requeueDead(String queue) {
        requireOpen(queue);
        return doRequeueDead(queue);
    }

    @Override
    public final long purge(String queue) {
        requireOpen(queue);
        return doPurge(queue);
    }

    @Override
    public final Footprint footprint() {
        requireOpen();
        return doFootprint();
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            doClose();
        }
    }

    /** True once {@link #close()} began: long waits inside a subclass look here to end early. */
    protected final boolean isClosed() {
        return closed.get();
    }

    /** Throws {@link BackendClosedException} once the backend is closed. */
    protected final void requireOpen() {
        if (closed.get()) {
            throw new BackendClosedException(name());
        }
    }

    private void requireOpen(String queue) {
        requireOpen();
        QueueNames.requireValid(queue);
    }

    private void requireOpen(ClaimedJob job) {
        requireOpen(Objects.requireNonNull(job, "job").queue());
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
