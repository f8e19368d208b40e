package dev.queuebench.rabbitmq;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.faults.PortListeners;
import dev.queuebench.faults.ServerProcesses;

/**
 * The RabbitMQ process doing a backend's work: the Erlang VM ({@code beam.smp}) listening on the configured AMQP
 * port (AMQP has no call that tells the broker's process id). One VM serves every client of the node.
 */
public final class RabbitmqProcesses implements ServerProcesses {
    @Override
    public String backend() {
        return RabbitmqBackendProvider.NAME;
    }

    @Override
    public Pids serverPids(BackendConfig config) {
        RabbitmqConfig rabbitmq = RabbitmqConfig.from(config, new RabbitmqBackendProvider().strategies());
        return new Pids(PortListeners.pids(rabbitmq.port(), "broker"), "beam.smp",
                "the broker's Erlang VM (shared with every client of the node)");
    }
}
