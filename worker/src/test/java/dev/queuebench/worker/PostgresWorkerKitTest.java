package dev.queuebench.worker;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.postgres.PostgresBackendProvider;
import dev.queuebench.testsupport.TestServers;
import java.util.Map;

/** The worker kit against the local PostgreSQL, once per strategy, in a schema of its own. */
class PostgresWorkerKitTest extends WorkerKit {
    @Override
    protected QueueBackendProvider provider() {
        return new PostgresBackendProvider();
    }

    @Override
    protected BackendConfig baseConfig() {
        return BackendConfig.of(Map.of("url", TestServers.postgresUrl(), "schema", "queuebench_worker_kit",
                "poolSize", "8"));
    }
}
