package dev.queuebench.rabbitmq;

import dev.queuebench.faults.BackendFaults;
import dev.queuebench.faults.ThrowawayServer;
import java.util.Optional;

/**
 * The chaos suite's hold on RabbitMQ: a {@link ThrowawayRabbitmq} node to pause, restart and cut connections on; no
 * cluster form (the failover case says why).
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
    public Optional<String> noClusterFormReason() {
        return Optional.of("a RabbitMQ cluster is three Erlang nodes joined with rabbitmqctl join_cluster, each booting"
                + " like a ThrowawayRabbitmq (allowed 120 s); too heavy to start per case on this shared host, so the"
                + " quorum-queue failover is not measured");
    }
}
