package dev.queuebench.suite.workload;

import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.workers.LatencyStages;
import dev.queuebench.suite.workers.Payload;
import dev.queuebench.suite.workers.ThreadCosts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * Enqueues at a fixed rate on a schedule fixed in advance: job i is intended at {@code start + i / rate}, and that
 * intended time travels in its payload. When the backend (or this producer) falls behind, later jobs keep their
 * intended times, so the delay shows up in the measured latency instead of being omitted (no coordinated
 * omission). {@link #THREADS} producer threads share the schedule, each taking the next job when its last enqueue
 * returned, so a backend whose enqueue outlasts the period (a publish confirmed after a disk flush) still gets the
 * rate asked for, as from a service with a few request threads, rather than being throttled by one caller.
 */
public final class OpenLoopProducer {
    /** Producer threads: up to this many enqueues are in flight when the backend is slower than the rate. */
    static final int THREADS = 4;
    private final QueueBackend backend;
    private final String queue;
    private final int ratePerSecond;
    private final int payloadBytes;
    private final Ledger ledger;
    private final LongFunction<Payload.Behaviour> behaviours;
    private final int maxAttempts;

    /**
     * What a run of the producer did; {@code maxBehindMs} is how late the latest enqueue started, {@code costs} the
     * producer threads' CPU time and allocations.
     */
    public record Outcome(long enqueued, long errors, double maxBehindMs, String firstError,
            ThreadCosts.Totals costs) {}

    public OpenLoopProducer(QueueBackend backend, String queue, int ratePerSecond, int payloadBytes, Ledger ledger) {
        this(backend, queue, ratePerSecond, payloadBytes, ledger, i -> Payload.Behaviour.SUCCEED,
                JobRequest.DEFAULT_MAX_ATTEMPTS);
    }

    /** A producer whose job {@code i} behaves as {@code behaviours} says, each with {@code maxAttempts}. */
    public OpenLoopProducer(QueueBackend backend, String queue, int ratePerSecond, int payloadBytes, Ledger ledger,
            LongFunction<Payload.Behaviour> behaviours, int maxAttempts) {
        this.backend = backend;
        this.queue = queue;
        this.ratePerSecond = ratePerSecond;
        this.payloadBytes = payloadBytes;
        this.ledger = ledger;
        this.behaviours = behaviours;
        this.maxAttempts = maxAttempts;
    }

    /** Enqueues {@code rate × duration} jobs on schedule from now; returns when the last one was enqueued. */
    public Outcome run(Duration duration) {
        return run(duration, null);
    }

    /** {@link #run(Duration)}, timing each enqueue call into {@code stages} (when not null). */
    public Outcome run(Duration duration, LatencyStages stages) {
        long total = Math.max(1, ratePerSecond * duration.toMillis() / 1000);
        double periodNanos = 1e9 / ratePerSecond;
        long start = System.nanoTime();
        if (stages != null) {
            stages.begin(start, periodNanos, total);
        }
        AtomicLong next = new AtomicLong();
        AtomicLong enqueued = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong maxBehind = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        ThreadCosts costs = new ThreadCosts();
        Runnable producer = () -> {
            ThreadCosts.Mark mark = ThreadCosts.mark();
            for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                long intended = start + (long) (i * periodNanos);
                for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                byte[] payload = new Payload(intended, behaviours.apply(i)).encode(payloadBytes);
                long called = System.nanoTime();
                maxBehind.accumulateAndGet(called - intended, Math::max);
                try {
                    String id = backend.enqueue(queue, JobRequest.of(payload).withMaxAttempts(maxAttempts));
                    if (stages != null) {
                        stages.enqueued(i, called, System.nanoTime());
                    }
                    ledger.enqueued(queue, List.of(id));
                    enqueued.incrementAndGet();
                } catch (RuntimeException e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e.getMessage());
                }
            }
            costs.addSince(mark);
        };
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            started.add(Thread.ofPlatform().name("qb-producer-" + t).daemon(true).start(producer));
        }
        for (Thread t : started) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new Outcome(enqueued.get(), errors.get(), maxBehind.get() / 1e6, firstError.get(), costs.totals());
    }
}
