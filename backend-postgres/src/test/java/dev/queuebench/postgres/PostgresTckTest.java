package dev.queuebench.postgres;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.tck.QueueBackendTck;
import dev.queuebench.tck.TestServers;
import java.util.Map;

/** The whole contract against the local PostgreSQL, once per strategy, in a schema of its own. */
class PostgresTckTest extends QueueBackendTck {
    @Override
    protected QueueBackendProvider provider() {
        return new PostgresBackendProvider();
    }

    @Override
    protected BackendConfig baseConfig() {
        return BackendConfig.of(Map.of(
                PostgresConfig.URL, TestServers.postgresUrl(),
                PostgresConfig.SCHEMA, "queuebench_tck",
                PostgresConfig.POOL_SIZE, "4"));
    }
}
