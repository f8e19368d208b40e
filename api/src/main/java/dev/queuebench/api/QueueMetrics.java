package dev.queuebench.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The meters every backend records, tagged {@code backend} and {@code queue}. Meter names are the contract's;
 * the suite reads them back by these names.
 */
public final class QueueMetrics {
    /** A claim attempt that lost a race for a job another claimer took. */
    public static final String CLAIM_CONFLICTS = "queuebench.claim.conflicts";
    /** A lock failure met by the backend, retried or not (SQLITE_BUSY, 40001, 40P01, 55P03, Redis BUSY). */
    public static final String LOCK_ERRORS = "queuebench.lock.errors";
    /** A claim that returned no job. */
    public static final String CLAIM_EMPTY = "queuebench.claim.empty";
    /**
     * A timer of the claim statement that returned jobs: one claim attempt (for SQL backends: borrowing a connection,
     * the claim's statements and their commit; for Redis: the claim script or {@code WATCH}/{@code MULTI} round),
     * recorded once per attempt that leased at least one job, so its distribution is per claim call, not per job; the
     * wait for a job before it is not in it. Optional: a backend without one such place records none.
     */
    public static final String CLAIM_STATEMENT = "queuebench.claim.statement";
    /** A timer per operation, tagged {@code op}. */
    public static final String OP = "queuebench.op";

    public static final String TAG_BACKEND = "backend";
    public static final String TAG_QUEUE = "queue";
    public static final String TAG_OP = "op";

    /** The operations timed under {@link #OP}; {@link #tag()} is the {@code op} tag value. */
    public enum Op {
        ENQUEUE("enqueue"),
        ENQUEUE_ALL("enqueueAll"),
        CLAIM("claim"),
        COMPLETE("complete"),
        COMPLETE_ALL("completeAll"),
        FAIL("fail"),
        EXTEND_LEASE("extendLease");

        private final String tag;

        Op(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    private final MeterRegistry registry;
    private final String backend;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

    public QueueMetrics(MeterRegistry registry, String backend) {
        this.registry = registry;
        this.backend = backend;
    }

    public void claimConflicts(String queue, long count) {
        if (count > 0) {
            counter(CLAIM_CONFLICTS, queue).increment(count);
        }
    }

    public void lockError(String queue) {
        counter(LOCK_ERRORS, queue).increment();
    }

    public void emptyClaim(String queue) {
        counter(CLAIM_EMPTY, queue).increment();
    }

    /**
     * Makes one claim {@code attempt} and, when {@code leased} says it leased jobs, records its duration under
     * {@link #CLAIM_STATEMENT}; returns what the attempt returned.
     */
    public <T> T claimStatement(String queue, Supplier<T> attempt, Predicate<T> leased) {
        long start = System.nanoTime();
        T result = attempt.get();
        if (leased.test(result)) {
            timers.computeIfAbsent(CLAIM_STATEMENT + '\0' + queue, k -> Timer.builder(CLAIM_STATEMENT)
                    .tag(TAG_BACKEND, backend)
                    .tag(TAG_QUEUE, queue)
                    .register(registry)).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        return result;
    }

    /** Runs {@code body} and records its duration under {@link #OP}, whether it returns or throws. */
    public <T> T time(Op op, String queue, Supplier<T> body) {
        long start = System.nanoTime();
        try {
            return body.get();
        } finally {
            timer(op, queue).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private Counter counter(String name, String queue) {
        return counters.computeIfAbsent(name + '\0' + queue, k -> Counter.builder(name)
                .tag(TAG_BACKEND, backend)
                .tag(TAG_QUEUE, queue)
                .register(registry));
    }

    private Timer timer(Op op, String queue) {
        return timers.computeIfAbsent(op.tag() + '\0' + queue, k -> Timer.builder(OP)
                .tag(TAG_BACKEND, backend)
                .tag(TAG_QUEUE, queue)
                .tag(TAG_OP, op.tag())
                .register(registry));
    }
}
