package dev.queuebench.jdbc;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where waiting claims park, per queue: a wake-up counter and the condition its waiters wait on. Whoever learns of
 * new work (an enqueue through the same backend, a notification from the server) calls {@link #wake}; waiters always
 * return after at most their timeout, so a wake-up that never comes costs at most that timeout.
 */
public final class QueueSignals {
    private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Per queue: a counter of wake-ups, and the condition its waiters park on. */
    private static final class Signal {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        long generation;
    }

    /** The queue's wake-up count; read it before looking for jobs, then pass it to {@link #await}. */
    public long generation(String queue) {
        Signal signal = signal(queue);
        signal.lock.lock();
        try {
            return signal.generation;
        } finally {
            signal.lock.unlock();
        }
    }

    /**
     * Returns once the queue has been woken since {@code seenGeneration} was read, these signals closed, or
     * {@code timeout} passed, whichever is first. A wake-up between reading the generation and calling this is not
     * lost.
     */
    public void await(String queue, long seenGeneration, Duration timeout) throws InterruptedException {
        Signal signal = signal(queue);
        long remaining = timeout.toNanos();
        signal.lock.lock();
        try {
            while (signal.generation == seenGeneration && remaining > 0 && !closed) {
                remaining = signal.changed.awaitNanos(remaining);
            }
        } finally {
            signal.lock.unlock();
        }
    }

    /** Wakes the waiters of one queue; a no-op when nobody ever waited on it. */
    public void wake(String queue) {
        Signal signal = signals.get(queue);
        if (signal != null) {
            signal.lock.lock();
            try {
                signal.generation++;
                signal.changed.signalAll();
            } finally {
                signal.lock.unlock();
            }
        }
    }

    /** Wakes the waiters of every queue anyone ever waited on (after wake-ups may have been missed). */
    public void wakeAll() {
        signals.keySet().forEach(this::wake);
    }

    /** Wakes every waiter for good: later waits return at once; idempotent. */
    public void close() {
        closed = true;
        wakeAll();
    }

    private Signal signal(String queue) {
        return signals.computeIfAbsent(queue, q -> new Signal());
    }
}
