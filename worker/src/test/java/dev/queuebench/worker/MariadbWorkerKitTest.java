package dev.queuebench.worker;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.mariadb.MariadbBackendProvider;
import dev.queuebench.testsupport.TestServers;
import java.util.Map;

/** The worker kit against the local MariaDB, once per strategy, in a table of its own. */
class MariadbWorkerKitTest extends WorkerKit {
    @Override
    protected QueueBackendProvider provider() {
        return new MariadbBackendProvider();
    }

    @Override
    protected BackendConfig baseConfig() {
        return BackendConfig.of(Map.of("url", TestServers.mariadbUrl(), "table", "queuebench_worker_kit",
                "poolSize", "8"));
    }
}
