package dev.queuebench.mariadb;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackends;
import java.util.Map;

/** Run in a JVM of its own by {@link MariadbBackendTest}: opens a backend on a table (installing it), closes it. */
public final class SecondProcess {
    private SecondProcess() {}

    /** Arguments: url, table. Exits 0 when the backend opened and enqueued a job, 1 otherwise. */
    public static void main(String[] args) {
        try (QueueBackend backend = QueueBackends.open("mariadb", BackendConfig.of(Map.of("url", args[0],
                "table", args[1], "poolSize", "1")))) {
            backend.enqueue("from-second-process", JobRequest.of(new byte[] {1}));
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
