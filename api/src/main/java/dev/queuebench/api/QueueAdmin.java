package dev.queuebench.api;

import java.util.List;

/** The operator's role: looking at queues and repairing them. Thread-safe. */
public interface QueueAdmin {
    /** Counts of the queue's jobs by state; exact when the queue is quiet. */
    QueueStats stats(String queue);

    /** Up to {@code limit} dead jobs of the queue, oldest first, with their last error. */
    List<DeadJob> deadLetters(String queue, int limit);

    /** Moves every dead job of the queue back to ready with its attempts reset; returns how many. */
    long requeueDead(String queue);

    /** Removes every job of the queue in every state, touching no other queue; returns how many. */
    long purge(String queue);

    /** What the backend's own storage costs now, for the memory suite. */
    Footprint footprint();
}
