package dev.queuebench.suite.workers;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * CPU time and bytes allocated by the threads that call the backend in one case (workers, producers, the filling
 * thread), each thread adding its own share when it is done ({@link #mark()}, then {@link #addSince}). Read from
 * the JVM's per-thread counters ({@code com.sun.management.ThreadMXBean}); where the JVM cannot time a thread (a
 * virtual thread) or the threads ran in other JVMs, the totals say why instead. Thread-safe.
 */
public final class ThreadCosts {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final LongAdder cpuNanos = new LongAdder();
    private final LongAdder allocatedBytes = new LongAdder();
    private final AtomicReference<String> unmeasured = new AtomicReference<>();

    /** The current thread's counters at one moment; -1 where the JVM does not count them for this thread. */
    public record Mark(long cpuNanos, long allocatedBytes) {}

    /**
     * What the threads of a case used; {@code unmeasured} is null when every thread was counted, else why the
     * figures are missing or partial.
     */
    public record Totals(long cpuNanos, long allocatedBytes, String unmeasured) {
        /** Nothing used, nothing missing. */
        public static final Totals NONE = new Totals(0, 0, null);

        /** Both together; the first reason for a gap is kept. */
        public Totals plus(Totals other) {
            return new Totals(cpuNanos + other.cpuNanos, allocatedBytes + other.allocatedBytes,
                    unmeasured != null ? unmeasured : other.unmeasured);
        }
    }

    /** Accounts that cannot be measured at all, for {@code reason}. */
    public static ThreadCosts unmeasured(String reason) {
        ThreadCosts costs = new ThreadCosts();
        costs.unmeasured.set(reason);
        return costs;
    }

    /** The current thread's counters now. */
    public static Mark mark() {
        boolean timed = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
        long cpu = timed ? THREADS.getCurrentThreadCpuTime() : -1;
        long allocated = THREADS.isThreadAllocatedMemoryEnabled() ? THREADS.getCurrentThreadAllocatedBytes() : -1;
        return new Mark(cpu, allocated);
    }

    /** Adds what the current thread used since {@code start}, taken on this same thread. */
    public void addSince(Mark start) {
        Mark end = mark();
        if (start.cpuNanos() < 0 || end.cpuNanos() < 0 || start.allocatedBytes() < 0 || end.allocatedBytes() < 0) {
            unmeasured.compareAndSet(null, Thread.currentThread().isVirtual()
                    ? "virtual threads: the JVM keeps no CPU time or allocation count for them"
                    : "this JVM keeps no per-thread CPU time or allocation count");
            return;
        }
        cpuNanos.add(end.cpuNanos() - start.cpuNanos());
        allocatedBytes.add(end.allocatedBytes() - start.allocatedBytes());
    }

    /** What was added so far. */
    public Totals totals() {
        return new Totals(cpuNanos.sum(), allocatedBytes.sum(), unmeasured.get());
    }
}
