package dev.queuebench.suite.workers;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/** What a handler does with a job: nothing, ~1 ms of computation, or a 10 ms wait standing in for I/O. */
public enum Task {
    NOOP,
    CPU,
    IO;

    private static final long CPU_NANOS = 1_000_000;
    private static final long IO_NANOS = 10_000_000;

    /** Runs the task once on the calling thread; returns a value so the JIT cannot drop the computation. */
    public long run() {
        return switch (this) {
            case NOOP -> 0;
            case CPU -> spin();
            case IO -> {
                long end = System.nanoTime() + IO_NANOS;
                for (long left = IO_NANOS; left > 0; left = end - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
                yield 0;
            }
        };
    }

    /** The name users type, e.g. {@code noop}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(Task::label).toList();
    }

    /** Hashes until ~1 ms of this thread's time has passed. */
    private static long spin() {
        long end = System.nanoTime() + CPU_NANOS;
        long x = 0x9E3779B97F4A7C15L;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 64; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
        }
        return x;
    }
}
