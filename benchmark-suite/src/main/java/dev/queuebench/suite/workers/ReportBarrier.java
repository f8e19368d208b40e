package dev.queuebench.suite.workers;

/**
 * In a worker JVM an {@link Agent} started: how many report lines the worker has written and how many the agent has
 * passed on to the coordinator (the agent says so on the worker's stdin). A complete waits for {@link #await()}, so
 * its announcement ({@code A}) has left the agent before the backend can complete the job: when the whole agent
 * dies (its host crashes, it is SIGKILLed), the coordinator was told of every complete the backend may have done.
 */
final class ReportBarrier {
    private long written;
    private long passedOn;

    /** One more line written (called while the line is written, under the report's lock). */
    synchronized void written() {
        written++;
    }

    /** The agent has passed on the first {@code count} lines. */
    synchronized void passedOn(long count) {
        if (count > passedOn) {
            passedOn = count;
            notifyAll();
        }
    }

    /**
     * Waits until every line written so far has been passed on.
     *
     * @throws IllegalStateException when interrupted first: the caller must not go on to complete
     */
    synchronized void await() {
        long target = written;
        while (passedOn < target) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted before the agent had passed on the announcement", e);
            }
        }
    }
}
