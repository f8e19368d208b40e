package dev.queuebench.api;

import java.util.List;

/** The producer's role: putting jobs in. Thread-safe. */
public interface JobProducer {
    /** Stores one job and returns its id; once it returns the job is as durable as the declared durability. */
    String enqueue(String queue, JobRequest request);

    /** Stores the jobs and returns their ids in order; all or none where {@link Capabilities#atomicBatch()}. */
    List<String> enqueueAll(String queue, List<JobRequest> requests);
}
