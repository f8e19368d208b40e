package dev.queuebench.suite.chaos;

import dev.queuebench.suite.ledger.Ledger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples the ledger's settled count every {@value #WINDOW_MILLIS} ms. Recovery is the time from the fault's start
 * to the end of the first window, begun after the fault ended, whose completions reach the recovered share (0.8
 * unless the case asks for another) of the mean window before the fault.
 */
final class RecoverySampler {
    private static final long WINDOW_MILLIS = 250;
    private static final double RECOVERED_SHARE = 0.8;

    private final Ledger ledger;
    private final double recoveredShare;
    private final List<long[]> samples = new ArrayList<>();
    private final Thread thread;
    private volatile long faultNanos = -1;
    private volatile long faultEndNanos = -1;
    private volatile boolean running = true;

    RecoverySampler(Ledger ledger) {
        this(ledger, RECOVERED_SHARE);
    }

    /** A sampler that counts throughput as recovered at {@code recoveredShare} of its mean before the fault. */
    RecoverySampler(Ledger ledger, double recoveredShare) {
        this.ledger = ledger;
        this.recoveredShare = recoveredShare;
        this.thread = Thread.ofPlatform().name("qb-chaos-sampler").daemon(true).start(this::sample);
    }

    /** Marks when the fault began ({@link System#nanoTime()}). */
    void faultAt(long nanos) {
        faultNanos = nanos;
    }

    /** Marks when the fault ended. */
    void faultEnded(long nanos) {
        faultEndNanos = nanos;
    }

    /** Stops sampling; returns once the sampling thread ended. */
    void stop() {
        running = false;
        SteadyLoad.join(thread);
    }

    private void sample() {
        while (running) {
            synchronized (samples) {
                samples.add(new long[] {System.nanoTime(), ledger.settledCount()});
            }
            LockSupport.parkNanos(WINDOW_MILLIS * 1_000_000);
        }
    }

    /** Milliseconds from the fault to the first recovered window, or -1 when there was no fault or no recovery. */
    long recoveryMillis() {
        List<long[]> copy;
        synchronized (samples) {
            copy = new ArrayList<>(samples);
        }
        long fault = faultNanos;
        long end = faultEndNanos;
        if (fault < 0 || end < 0) {
            return -1;
        }
        long before = 0;
        int windows = 0;
        for (int i = 1; i < copy.size() && copy.get(i)[0] <= fault; i++) {
            before += copy.get(i)[1] - copy.get(i - 1)[1];
            windows++;
        }
        double baseline = windows == 0 ? 0 : (double) before / windows;
        for (int i = 1; i < copy.size(); i++) {
            if (copy.get(i - 1)[0] >= end && copy.get(i)[1] - copy.get(i - 1)[1] >= recoveredShare * baseline) {
                return Math.max(0, (copy.get(i)[0] - fault) / 1_000_000);
            }
        }
        return -1;
    }

    /**
     * The longest stretch, from the fault's start on, in which no job was settled: milliseconds from a sample that
     * saw the settled count change (or the last one before the fault) to the last sample before the next change (or
     * the last sample, if none came); -1 when there was no fault. A lower bound, to one window.
     */
    long longestStallMillis() {
        List<long[]> copy;
        synchronized (samples) {
            copy = new ArrayList<>(samples);
        }
        long fault = faultNanos;
        if (fault < 0 || copy.isEmpty()) {
            return -1;
        }
        long longest = 0;
        long[] lastChange = null;
        for (int i = 1; i < copy.size(); i++) {
            long[] previous = copy.get(i - 1);
            long[] sample = copy.get(i);
            if (sample[0] < fault) {
                continue;
            }
            if (lastChange == null) {
                lastChange = previous;
            }
            if (sample[1] != previous[1]) {
                longest = Math.max(longest, previous[0] - lastChange[0]);
                lastChange = sample;
            } else if (i == copy.size() - 1) {
                longest = Math.max(longest, sample[0] - lastChange[0]);
            }
        }
        return longest / 1_000_000;
    }
}
