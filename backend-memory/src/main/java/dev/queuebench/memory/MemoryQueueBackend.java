package dev.queuebench.memory;

import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendClosedException;
import dev.queuebench.api.Capabilities;
import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.Capabilities.Ordering;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.Footprint;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueException;
import dev.queuebench.api.QueueMetrics;
import dev.queuebench.api.QueueMetrics.Op;
import dev.queuebench.api.QueueNames;
import dev.queuebench.api.QueueStats;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The reference backend: each queue is a {@link MemoryQueue} guarded by its own lock. */
final class MemoryQueueBackend implements QueueBackend {
    private static final Capabilities CAPABILITIES =
            new Capabilities(Durability.PROCESS, Ordering.ORDER_STRICT, true, 16 << 20, true);

    private final Backoff backoff;
    private final QueueMetrics metrics;
    private final ConcurrentHashMap<String, MemoryQueue> queues = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    MemoryQueueBackend(Backoff backoff, MeterRegistry registry) {
        this.backoff = backoff;
        this.metrics = new QueueMetrics(registry, MemoryBackendProvider.NAME);
    }

    @Override
    public String name() {
        return MemoryBackendProvider.NAME;
    }

    @Override
    public String strategy() {
        return MemoryBackendProvider.STRATEGY;
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String enqueue(String queue, JobRequest request) {
        MemoryQueue q = queue(queue);
        CAPABILITIES.requireFits(request);
        return metrics.time(Op.ENQUEUE, queue, () -> q.enqueueAll(List.of(request)).getFirst());
    }

    @Override
    public List<String> enqueueAll(String queue, List<JobRequest> requests) {
        MemoryQueue q = queue(queue);
        requests.forEach(CAPABILITIES::requireFits);
        return metrics.time(Op.ENQUEUE_ALL, queue, () -> q.enqueueAll(requests));
    }

    @Override
    public List<ClaimedJob> claim(String queue, int maxJobs, Duration leaseDuration, Duration waitTimeout) {
        MemoryQueue q = queue(queue);
        List<ClaimedJob> claimed = metrics.time(Op.CLAIM, queue, () -> {
            try {
                return q.claim(maxJobs, leaseDuration, waitTimeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QueueException("interrupted while waiting for a job on queue " + queue, e);
            }
        });
        if (claimed.isEmpty()) {
            metrics.emptyClaim(queue);
        }
        return claimed;
    }

    @Override
    public boolean complete(ClaimedJob job) {
        MemoryQueue q = queue(job.queue());
        return metrics.time(Op.COMPLETE, job.queue(), () -> q.complete(job));
    }

    @Override
    public List<Boolean> completeAll(List<ClaimedJob> jobs) {
        List<Boolean> answers = new ArrayList<>(jobs.size());
        for (ClaimedJob job : jobs) {
            MemoryQueue q = queue(job.queue());
            answers.add(metrics.time(Op.COMPLETE_ALL, job.queue(), () -> q.complete(job)));
        }
        return answers;
    }

    @Override
    public FailResult fail(ClaimedJob job, String error) {
        MemoryQueue q = queue(job.queue());
        return metrics.time(Op.FAIL, job.queue(), () -> q.fail(job, error));
    }

    @Override
    public boolean extendLease(ClaimedJob job, Duration leaseDuration) {
        MemoryQueue q = queue(job.queue());
        return metrics.time(Op.EXTEND_LEASE, job.queue(), () -> q.extendLease(job, leaseDuration));
    }

    @Override
    public QueueStats stats(String queue) {
        return queue(queue).stats();
    }

    @Override
    public List<DeadJob> deadLetters(String queue, int limit) {
        return queue(queue).deadLetters(limit);
    }

    @Override
    public long requeueDead(String queue) {
        return queue(queue).requeueDead();
    }

    @Override
    public long purge(String queue) {
        return queue(queue).purge();
    }

    @Override
    public Footprint footprint() {
        ensureOpen();
        long jobs = 0;
        long payloadBytes = 0;
        for (MemoryQueue q : queues.values()) {
            long[] size = q.size();
            jobs += size[0];
            payloadBytes += size[1];
        }
        return Footprint.of(Map.of("jobs", jobs, "payload_bytes", payloadBytes, "queues", (long) queues.size()));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            queues.values().forEach(MemoryQueue::wakeAll);
        }
    }

    private MemoryQueue queue(String name) {
        ensureOpen();
        QueueNames.requireValid(name);
        return queues.computeIfAbsent(name, n -> new MemoryQueue(n, backoff, ids::incrementAndGet, closed::get));
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new BackendClosedException(MemoryBackendProvider.NAME);
        }
    }
}
