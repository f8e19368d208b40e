package dev.queuebench.mariadb;

import dev.queuebench.faults.BackendFaults;
import dev.queuebench.faults.ThrowawayServer;
import java.util.Optional;

/** The chaos suite's hold on MariaDB: a {@link ThrowawayMariadb} to pause, restart and kill connections on. */
public final class MariadbFaults implements BackendFaults {
    @Override
    public String backend() {
        return MariadbBackendProvider.NAME;
    }

    @Override
    public Optional<String> unavailableReason() {
        return ThrowawayMariadb.unavailableReason();
    }

    @Override
    public ThrowawayServer startServer() {
        return ThrowawayMariadb.start();
    }
}
