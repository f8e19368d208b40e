package dev.queuebench.mariadb;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import java.util.List;

/** Provider {@code mariadb}: one InnoDB jobs table, SKIP LOCKED or optimistic claims, fenced leases. */
public final class MariadbBackendProvider implements QueueBackendProvider {
    public static final String NAME = "mariadb";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "MariaDB (10.6+) via Connector/J and HikariCP: SKIP LOCKED or optimistic claims on InnoDB, fenced"
                + " leases, polling wake-up";
    }

    @Override
    public List<String> strategies() {
        return List.of(ClaimQuery.SKIP_LOCKED.strategy(), ClaimQuery.OPTIMISTIC.strategy());
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return MariadbConfig.keys(strategies());
    }

    /** Opens a backend; fails within about {@code connectTimeout} when the server cannot be reached. */
    @Override
    public QueueBackend create(BackendConfig config) {
        return MariadbQueueBackend.open(MariadbConfig.from(config, strategies()), config.meterRegistry());
    }
}
