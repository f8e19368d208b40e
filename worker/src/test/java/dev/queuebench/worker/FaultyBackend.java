package dev.queuebench.worker;

import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.ForwardingQueueBackend;
import dev.queuebench.api.QueueBackend;
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
final class FaultyBackend extends ForwardingQueueBackend {
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

    FaultyBackend(QueueBackend backend) {
        super(backend);
    }

    @Override
    public List<ClaimedJob> claim(String queue, int maxJobs, Duration leaseDuration, Duration waitTimeout) {
        log.add("claim:" + maxJobs);
        return delegate.claim(queue, maxJobs, leaseDuration, waitTimeout);
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
        boolean completed = delegate.complete(job);
        throwIf(fault, Fault.AFTER_THE_CALL);
        return completed;
    }

    @Override
    public List<Boolean> completeAll(List<ClaimedJob> jobs) {
        log.add("completeAll:" + jobs.size());
        Fault fault = ackFaults.poll();
        throwIf(fault, Fault.BEFORE_THE_CALL);
        List<Boolean> completed = delegate.completeAll(jobs);
        throwIf(fault, Fault.AFTER_THE_CALL);
        return completed;
    }

    private static void throwIf(Fault fault, Fault now) {
        if (fault == now) {
            throw new InjectedFault(fault);
        }
    }
}
