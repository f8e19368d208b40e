package dev.queuebench.rabbitmq;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.tck.QueueBackendTck;
import dev.queuebench.testsupport.TestServers;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole contract against the local RabbitMQ, once per strategy, on AMQP queues of this run's own prefix, so two
 * runs on one broker never delete each other's queues.
 */
class RabbitmqTckTest extends QueueBackendTck {
    private static final String PREFIX = "qbtck-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected QueueBackendProvider provider() {
        return new RabbitmqBackendProvider();
    }

    @Override
    protected BackendConfig baseConfig() {
        return BackendConfig.of(Map.of(RabbitmqConfig.URL.name(), TestServers.rabbitmqUrl(),
                RabbitmqConfig.PREFIX.name(), PREFIX));
    }

    @AfterAll
    void removeQueues() {
        RabbitmqTestQueues.deleteAll(TestServers.rabbitmqUrl(), PREFIX);
    }
}
