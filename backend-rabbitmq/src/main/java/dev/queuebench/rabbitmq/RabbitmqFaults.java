package dev.queuebench.rabbitmq;

import dev.queuebench.faults.BackendFaults;
import dev.queuebench.faults.ClusterForm;
import dev.queuebench.faults.ThrowawayCluster;
import dev.queuebench.faults.ThrowawayServer;
import java.util.List;
import java.util.Optional;

/**
 * The chaos suite's hold on RabbitMQ: a {@link ThrowawayRabbitmq} node to pause, restart and cut connections on, and a
 * {@link ThrowawayRabbitmqCluster} (three nodes, quorum queues) to fail over.
 */
public final class RabbitmqFaults implements BackendFaults {
    @Override
    public String backend() {
        return RabbitmqBackendProvider.NAME;
    }

    @Override
    public Optional<String> unavailableReason() {
        return ThrowawayRabbitmq.unavailableReason();
    }

    @Override
    public ThrowawayServer startServer() {
        return ThrowawayRabbitmq.start();
    }

    @Override
    public List<ClusterForm> clusterForms() {
        return List.of(ThrowawayRabbitmqCluster.QUORUM_3);
    }

    @Override
    public ThrowawayCluster startCluster(ClusterForm form) {
        return ThrowawayRabbitmqCluster.start(form);
    }
}
