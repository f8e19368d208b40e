package dev.queuebench.postgres;

import dev.queuebench.faults.BackendFaults;
import dev.queuebench.faults.ThrowawayServer;
import java.util.Optional;

/** The chaos suite's hold on PostgreSQL: a {@link ThrowawayPostgres} to pause, restart and kill connections on. */
public final class PostgresFaults implements BackendFaults {
    @Override
    public String backend() {
        return PostgresBackendProvider.NAME;
    }

    @Override
    public Optional<String> unavailableReason() {
        return ThrowawayPostgres.unavailableReason();
    }

    @Override
    public ThrowawayServer startServer() {
        return ThrowawayPostgres.start();
    }
}
