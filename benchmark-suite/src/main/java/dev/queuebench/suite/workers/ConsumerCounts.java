package dev.queuebench.suite.workers;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What went wrong for the consumers of one case, counted the same way for threads and worker processes. */
final class ConsumerCounts {
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final AtomicLong refusedCompletes = new AtomicLong();
    private final AtomicLong staleCompletesAccepted = new AtomicLong();

    /** Records {@code count} errors, keeping {@code message} if it is the first. */
    void error(long count, String message) {
        errors.addAndGet(count);
        firstError.compareAndSet(null, message);
    }

    void refusedCompletes(long count) {
        refusedCompletes.addAndGet(count);
    }

    void staleCompletesAccepted(long count) {
        staleCompletesAccepted.addAndGet(count);
    }

    long errors() {
        return errors.get();
    }

    String firstError() {
        return firstError.get();
    }

    long refusedCompletes() {
        return refusedCompletes.get();
    }

    long staleCompletesAccepted() {
        return staleCompletesAccepted.get();
    }
}
