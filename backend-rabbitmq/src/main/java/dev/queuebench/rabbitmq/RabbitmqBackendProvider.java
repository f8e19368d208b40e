package dev.queuebench.rabbitmq;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import java.util.List;

/** Provider {@code rabbitmq}: RabbitMQ (AMQP 0-9-1) queues, leases as unacknowledged deliveries. */
public final class RabbitmqBackendProvider implements QueueBackendProvider {
    public static final String NAME = "rabbitmq";
    /** The work queue is a quorum queue (Raft-replicated log, fsynced before the publisher confirm). */
    static final String QUORUM = "quorum";
    /** The work queue is a classic durable queue, for comparison. */
    static final String CLASSIC = "classic";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "RabbitMQ (3.10+) via amqp-client: a quorum (or classic) queue per queue, publisher confirms,"
                + " leases as unacknowledged deliveries, retries and delayed jobs through TTL holding queues";
    }

    @Override
    public List<String> strategies() {
        return List.of(QUORUM, CLASSIC);
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return RabbitmqConfig.keys(strategies());
    }

    /** Opens a backend; fails within about {@code connectTimeout} when the server cannot be reached. */
    @Override
    public QueueBackend create(BackendConfig config) {
        return RabbitmqQueueBackend.open(RabbitmqConfig.from(config, strategies()), config.meterRegistry());
    }
}
