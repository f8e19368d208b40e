package dev.queuebench.nats;

import dev.queuebench.faults.BackendFaults;
import dev.queuebench.faults.ClusterForm;
import dev.queuebench.faults.ThrowawayCluster;
import dev.queuebench.faults.ThrowawayServer;
import java.util.List;
import java.util.Optional;

/**
 * The chaos suite's hold on NATS: a {@link ThrowawayNats} to pause, restart and cut connections on, and a
 * {@link ThrowawayNatsCluster} (three nodes, R3 streams) to fail over.
 */
public final class NatsFaults implements BackendFaults {
    @Override
    public String backend() {
        return NatsBackendProvider.NAME;
    }

    @Override
    public Optional<String> unavailableReason() {
        return ThrowawayNats.unavailableReason();
    }

    @Override
    public ThrowawayServer startServer() {
        return ThrowawayNats.start();
    }

    @Override
    public List<ClusterForm> clusterForms() {
        return List.of(ThrowawayNatsCluster.R3);
    }

    @Override
    public ThrowawayCluster startCluster(ClusterForm form) {
        return ThrowawayNatsCluster.start(form);
    }
}
