package dev.queuebench.sqlite;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.tck.QueueBackendTck;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The whole contract against SQLite, once per strategy; every backend of this class shares one fresh file. */
class SqliteTckTest extends QueueBackendTck {
    @TempDir
    Path folder;

    @Override
    protected QueueBackendProvider provider() {
        return new SqliteBackendProvider();
    }

    @Override
    protected BackendConfig baseConfig() {
        return BackendConfig.empty().with(SqliteConfig.PATH, folder.resolve("tck.db").toString());
    }
}
