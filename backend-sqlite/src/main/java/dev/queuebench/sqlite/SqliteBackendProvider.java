package dev.queuebench.sqlite;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import java.util.List;

/** Provider {@code sqlite}: an embedded queue in one SQLite file (WAL), shared safely by threads and processes. */
public final class SqliteBackendProvider implements QueueBackendProvider {
    public static final String NAME = "sqlite";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "embedded SQLite file in WAL mode (sqlite-jdbc): claims in short BEGIN IMMEDIATE transactions";
    }

    @Override
    public List<String> strategies() {
        return ClaimQuery.names();
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return SqliteConfig.KEYS;
    }

    @Override
    public QueueBackend create(BackendConfig config) {
        return new SqliteQueueBackend(SqliteConfig.from(config), config.meterRegistry());
    }
}
