package dev.queuebench.postgres;

import dev.queuebench.faults.BackendFaults;
import dev.queuebench.faults.ClusterForm;
import dev.queuebench.faults.ThrowawayCluster;
import dev.queuebench.faults.ThrowawayServer;
import java.util.List;
import java.util.Optional;

/**
 * The chaos suite's hold on PostgreSQL: a {@link ThrowawayPostgres} to pause, restart and kill connections on, and a
 * {@link ThrowawayPostgresPair} (primary + streaming standby, synchronous or not) to fail over.
 */
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

    @Override
    public List<ClusterForm> clusterForms() {
        return List.of(ThrowawayPostgresPair.SYNC, ThrowawayPostgresPair.ASYNC);
    }

    @Override
    public Optional<String> clusterUnavailableReason() {
        return ThrowawayPostgres.unavailableReason().or(ThrowawayPostgres::noBaseBackupReason);
    }

    @Override
    public ThrowawayCluster startCluster(ClusterForm form) {
        return ThrowawayPostgresPair.start(form);
    }
}
