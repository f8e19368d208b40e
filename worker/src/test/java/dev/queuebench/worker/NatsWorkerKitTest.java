package dev.queuebench.worker;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.nats.NatsBackendProvider;
import dev.queuebench.testsupport.TestServers;
import java.util.Map;

/** The worker kit against the local NATS JetStream, once per strategy, on streams of its own prefix. */
class NatsWorkerKitTest extends WorkerKit {
    @Override
    protected QueueBackendProvider provider() {
        return new NatsBackendProvider();
    }

    @Override
    protected BackendConfig baseConfig() {
        return BackendConfig.of(Map.of("url", TestServers.natsUrl(), "prefix", "qbworkerkit"));
    }
}
