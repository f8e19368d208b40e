package dev.queuebench.worker;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.sqlite.SqliteBackendProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The worker kit against SQLite, once per strategy, in a fresh database file. */
class SqliteWorkerKitTest extends WorkerKit {
    @TempDir
    Path folder;

    @Override
    protected QueueBackendProvider provider() {
        return new SqliteBackendProvider();
    }

    @Override
    protected BackendConfig baseConfig() {
        return BackendConfig.empty().with("path", folder.resolve("worker-kit.db").toString());
    }
}
