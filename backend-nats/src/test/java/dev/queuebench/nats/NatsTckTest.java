package dev.queuebench.nats;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.tck.QueueBackendTck;
import dev.queuebench.testsupport.TestServers;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole contract against the local NATS JetStream, once per strategy, on streams of this run's own prefix, so two
 * runs on one server never remove each other's streams.
 */
class NatsTckTest extends QueueBackendTck {
    private static final String PREFIX = "qbtck-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected QueueBackendProvider provider() {
        return new NatsBackendProvider();
    }

    @Override
    protected BackendConfig baseConfig() {
        return BackendConfig.of(Map.of(NatsConfig.URL.name(), TestServers.natsUrl(), NatsConfig.PREFIX.name(),
                PREFIX));
    }

    @AfterAll
    void removeStreams() {
        NatsTestStreams.deleteAll(TestServers.natsUrl(), PREFIX);
    }
}
