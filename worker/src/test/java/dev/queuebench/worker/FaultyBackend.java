package dev.queuebench.worker;

import dev.queuebench.api.Capabilities;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.Footprint;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * A real backend with a log of the calls a worker makes ({@code claim:<maxJobs>}, {@code complete:<name>},
 * {@code completeAll:<size>}) and faults to inject into acknowledgements: an {@link Error}, as if the calling thread
 * died, thrown before the call reaches the backend or after it took effect, or a gate each complete waits for.
 */
final class FaultyBackend implements QueueBackend {
    enum Fault { BEFORE_THE_CALL, AFTER_THE_CALL }

    /** The error a fault throws. */
    static final class InjectedFault extends Error {
        InjectedFault(Fault fault) {
            super("injected " + fault);
        }
    }

    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    /** Each complete or completeAll call takes the next fault, if any. */
    final Queue<Fault> ackFaults = new ConcurrentLinkedQueue<>();
    /** While set, each complete waits for it to open before it reaches the backend: a slow round trip. */
    volatile CountDownLatch completeGate;
    private final QueueBackend backend;

    FaultyBackend(QueueBackend backend) {
        this.backend = backend;
    }

    @Override
    public List<ClaimedJob> claim(String queue, int maxJobs, Duration leaseDuration, Duration waitTimeout) {
        log.add("claim:" + maxJobs);
        return backend.claim(queue, maxJobs, leaseDuration, waitTimeout);
    }

    @Override
    public boolean complete(ClaimedJob job) {
        log.add("complete:" + RecordingListener.name(job));
        CountDownLatch gate = completeGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Fault fault = ackFaults.poll();
        throwIf(fault, Fault.BEFORE_THE_CALL);
        boolean completed = backend.complete(job);
        throwIf(fault, Fault.AFTER_THE_CALL);
        return completed;
    }

    @Override
    public List<Boolean> completeAll(List<ClaimedJob> jobs) {
        log.add("completeAll:" + jobs.size());
        Fault fault = ackFaults.poll();
        throwIf(fault, Fault.BEFORE_THE_CALL);
        List<Boolean> completed = backend.completeAll(jobs);
        throwIf(fault, Fault.AFTER_THE_CALL);
        return completed;
    }

    private static void throwIf(Fault fault, Fault now) {
        if (fault == now) {
            throw new InjectedFault(fault);
        }
    }

    @Override
    public FailResult fail(ClaimedJob job, String error) {
        return backend.fail(job, error);
    }

    @Override
    public boolean extendLease(ClaimedJob job, Duration leaseDuration) {
        return backend.extendLease(job, leaseDuration);
    }

    @Override
    public String enqueue(String queue, JobRequest request) {
        return backend.enqueue(queue, request);
    }

    @Override
    public List<String> enqueueAll(String queue, List<JobRequest> requests) {
        return backend.enqueueAll(queue, requests);
    }

    @Override
    public QueueStats stats(String queue) {
        return backend.stats(queue);
    }

    @Override
    public List<DeadJob> deadLetters(String queue, int limit) {
        return backend.deadLetters(queue, limit);
    }

    @Override
    public long requeueDead(String queue) {
        return backend.requeueDead(queue);
    }

    @Override
    public long purge(String queue) {
        return backend.purge(queue);
    }

    @Override
    public Footprint footprint() {
        return backend.footprint();
    }

    @Override
    public String name() {
        return backend.name();
    }

    @Override
    public String strategy() {
        return backend.strategy();
    }

    @Override
    public Capabilities capabilities() {
        return backend.capabilities();
    }

    @Override
    public void close() {
        backend.close();
    }
}
