package dev.queuebench.worker;

/**
 * The application's code for one job. Anything it throws fails the job with the error (retried after the backend's
 * backoff, dead after its last attempt); otherwise its {@link JobResult} says what happens. Called on a handler loop's
 * thread, by up to {@link WorkerConfig#concurrency()} threads at once.
 */
@FunctionalInterface
public interface JobHandler {
    JobResult handle(Job job) throws Exception;
}
