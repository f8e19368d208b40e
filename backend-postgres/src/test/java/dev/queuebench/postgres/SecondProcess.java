package dev.queuebench.postgres;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import java.util.Map;

/** Run in a JVM of its own by {@link PostgresBackendTest}: opens a backend on a schema (installing it), closes it. */
public final class SecondProcess {
    private SecondProcess() {}

    /** Arguments: url, schema. Exits 0 when the backend opened and enqueued a job, 1 otherwise. */
    public static void main(String[] args) {
        try (QueueBackend backend = QueueBackends.open("postgres", BackendConfig.of(Map.of("url", args[0],
                "schema", args[1], "poolSize", "1", "notify", "false")))) {
            backend.enqueue("from-second-process", JobRequest.of(new byte[] {1}));
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
