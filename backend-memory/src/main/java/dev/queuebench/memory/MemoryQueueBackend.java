package dev.queuebench.memory;

import dev.queuebench.api.AbstractQueueBackend;
import dev.queuebench.api.Backoff;
import dev.queuebench.api.Capabilities;
import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.Capabilities.Feature;
import dev.queuebench.api.Capabilities.Ordering;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.Footprint;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueException;
import dev.queuebench.api.QueueStats;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The reference backend: each queue is a {@link MemoryQueue} guarded by its own lock. */
final class MemoryQueueBackend extends AbstractQueueBackend {
    private static final Capabilities CAPABILITIES =
            new Capabilities(Durability.PROCESS, Ordering.ORDER_STRICT, 16 << 20, Duration.ofMillis(1), Feature.all());

    private final Backoff backoff;
    private final ConcurrentHashMap<String, MemoryQueue> queues = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    MemoryQueueBackend(Backoff backoff, MeterRegistry registry) {
        super(MemoryBackendProvider.NAME, MemoryBackendProvider.STRATEGY, registry);
        this.backoff = backoff;
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    protected String doEnqueue(String queue, JobRequest request) {
        return queue(queue).enqueueAll(List.of(request)).getFirst();
    }

    @Override
    protected List<String> doEnqueueAll(String queue, List<JobRequest> requests) {
        return queue(queue).enqueueAll(requests);
    }

    @Override
    protected List<ClaimedJob> doClaim(String queue, int maxJobs, Duration leaseDuration, Duration waitTimeout) {
        try {
            return queue(queue).claim(maxJobs, leaseDuration, waitTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueueException("interrupted while waiting for a job on queue " + queue, e);
        }
    }

    @Override
    protected boolean doComplete(ClaimedJob job) {
        return queue(job.queue()).complete(job);
    }

    @Override
    protected List<Boolean> doCompleteAll(List<ClaimedJob> jobs) {
        List<Boolean> answers = new ArrayList<>(jobs.size());
        for (ClaimedJob job : jobs) {
            answers.add(queue(job.queue()).complete(job));
        }
        return answers;
    }

    @Override
    protected FailResult doFail(ClaimedJob job, String error) {
        return queue(job.queue()).fail(job, error);
    }

    @Override
    protected boolean doExtendLease(ClaimedJob job, Duration leaseDuration) {
        return queue(job.queue()).extendLease(job, leaseDuration);
    }

    @Override
    protected QueueStats doStats(String queue) {
        return queue(queue).stats();
    }

    @Override
    protected List<DeadJob> doDeadLetters(String queue, int limit) {
        return queue(queue).deadLetters(limit);
    }

    @Override
    protected long doRequeueDead(String queue) {
        return queue(queue).requeueDead();
    }

    @Override
    protected long doPurge(String queue) {
        return queue(queue).purge();
    }

    @Override
    protected Footprint doFootprint() {
        long jobs = 0;
        long payloadBytes = 0;
        for (MemoryQueue q : queues.values()) {
            long[] size = q.size();
            jobs += size[0];
            payloadBytes += size[1];
        }
        return Footprint.of(Map.of(Footprint.STORED_BYTES, payloadBytes, "jobs", jobs, "payload_bytes", payloadBytes,
                "queues", (long) queues.size()));
    }

    @Override
    protected void doClose() {
        queues.values().forEach(MemoryQueue::wakeAll);
    }

    private MemoryQueue queue(String name) {
        return queues.computeIfAbsent(name, n -> new MemoryQueue(n, backoff, ids::incrementAndGet, this::isClosed));
    }
}
