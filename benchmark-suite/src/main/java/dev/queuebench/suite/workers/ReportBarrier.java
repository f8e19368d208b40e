package dev.queuebench.suite.workers;

/**
 * In a worker JVM an {@link Agent} started: how many report lines the worker has written and how many the agent has
 * passed on to the coordinator (the agent says so on the worker's stdin). A complete waits for {@link #await()}, so
 * its announcement ({@code A}) has left the agent before the backend can complete the job: when the whole agent
 * dies (its host crashes, it is SIGKILLed), the coordinator was told of every complete the backend may have done.
 */
final class ReportBarrier {
    private long written;
    private long announced;
    private long passedOn;

    /**
     * One more line written, an announcement ({@code A}) or not (called while the line is written, under the report's
     * lock).
     */
    synchronized void written(boolean announcement) {
        written++;
        if (announcement) {
            announced = written;
        }
    }

    /** The agent has passed on the first {@code count} lines. */
    synchronized void passedOn(long count) {
        if (count > passedOn) {
            passedOn = count;
            notifyAll();
        }
    }

    /**
     * Waits until every announcement written so far has been passed on. Not every line: the agent acknowledges after
     * announcements only, so a line written after the last one (another loop's {@code R}) may wait for the next.
     *
     * @throws IllegalStateException when interrupted first: the caller must not go on to complete
     */
    synchronized void await() {
        long target = announced;
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
