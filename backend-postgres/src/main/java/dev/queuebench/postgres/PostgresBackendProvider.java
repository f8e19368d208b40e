package dev.queuebench.postgres;

import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.api.QueueBackends;
import java.util.ArrayList;
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
    public List<ConfigKey> configKeys() {
        List<ConfigKey> keys = new ArrayList<>();
        keys.add(new ConfigKey(PostgresConfig.URL, "server: postgresql://user:password@host:port/database?param=value"
                + " or a jdbc:postgresql: URL", PostgresConfig.DEFAULT_URL));
        keys.add(new ConfigKey(PostgresConfig.SCHEMA, "schema holding the jobs table; created on open",
                PostgresConfig.DEFAULT_SCHEMA));
        keys.add(new ConfigKey(PostgresConfig.POOL_SIZE, "connections in the pool (1 to 200)", "10"));
        keys.add(new ConfigKey(PostgresConfig.NOTIFY,
                "wake waiting claims by LISTEN/NOTIFY on enqueue (else they poll)", "true"));
        keys.add(new ConfigKey(PostgresConfig.POLL_INTERVAL,
                "longest sleep of a waiting claim between looks: what a lost notification costs", "1s"));
        keys.add(new ConfigKey(PostgresConfig.CONNECT_TIMEOUT,
                "how long to try to reach the server before failing", "5s"));
        keys.add(new ConfigKey(PostgresConfig.ASYNC_COMMIT, "operations that commit without waiting for their WAL"
                + " flush: none, completions or claims+completions (enqueues always wait; what a server crash then"
                + " loses is delivered again)", "completions"));
        keys.add(new ConfigKey(PostgresConfig.VACUUM, "vacuum the jobs table from the backend when its dead tuples"
                + " pile up: auto (only if the server's autovacuum is off), always, never", "auto"));
        keys.add(QueueBackends.strategyKey(strategies()));
        keys.addAll(Backoff.configKeys());
        return keys;
    }

    /** Opens a backend; fails within about {@code connectTimeout} when the server cannot be reached. */
    @Override
    public QueueBackend create(BackendConfig config) {
        return PostgresQueueBackend.open(PostgresConfig.from(config, strategies()), config.meterRegistry());
    }
}
