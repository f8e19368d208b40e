package dev.queuebench.rabbitmq;

import dev.queuebench.faults.BackendFaults;
import dev.queuebench.faults.ThrowawayServer;
import java.util.Optional;

/** The chaos suite's hold on RabbitMQ: a {@link ThrowawayRabbitmq} node to pause, restart and cut connections on. */
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
}
