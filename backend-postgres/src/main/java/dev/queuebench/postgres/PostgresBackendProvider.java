package dev.queuebench.postgres;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import java.util.List;

/** Provider {@code postgres}: a jobs table per schema, SKIP LOCKED or optimistic claims, NOTIFY wake-up. */
public final class PostgresBackendProvider implements QueueBackendProvider {
    public static final String NAME = "postgres";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "PostgreSQL via pgjdbc and HikariCP: SKIP LOCKED or optimistic claims, LISTEN/NOTIFY wake-up,"
                + " fenced leases";
    }

    @Override
    public List<String> strategies() {
        return List.of(ClaimQuery.SKIP_LOCKED.strategy(), ClaimQuery.OPTIMISTIC.strategy());
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return PostgresConfig.keys(strategies());
    }

    /** Opens a backend; fails within about {@code connectTimeout} when the server cannot be reached. */
    @Override
    public QueueBackend create(BackendConfig config) {
        return PostgresQueueBackend.open(PostgresConfig.from(config, strategies()), config.meterRegistry());
    }
}
