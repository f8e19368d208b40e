package dev.queuebench.postgres;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.tck.QueueBackendTck;
import dev.queuebench.testsupport.TestServers;
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
                PostgresConfig.URL.name(), TestServers.postgresUrl(),
                PostgresConfig.SCHEMA.name(), "queuebench_tck",
                PostgresConfig.POOL_SIZE.name(), "4"));
    }
}
