package dev.queuebench.mariadb;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.tck.QueueBackendTck;
import dev.queuebench.testsupport.TestServers;
import java.util.Map;

/** The whole contract against the local MariaDB, once per strategy, in a table of its own. */
class MariadbTckTest extends QueueBackendTck {
    @Override
    protected QueueBackendProvider provider() {
        return new MariadbBackendProvider();
    }

    @Override
    protected BackendConfig baseConfig() {
        return BackendConfig.of(Map.of(
                MariadbConfig.URL.name(), TestServers.mariadbUrl(),
                MariadbConfig.TABLE.name(), "queuebench_tck",
                MariadbConfig.POOL_SIZE.name(), "4"));
    }
}
