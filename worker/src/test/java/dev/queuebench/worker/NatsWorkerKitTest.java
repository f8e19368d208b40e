package dev.queuebench.worker;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.nats.NatsBackendProvider;
import dev.queuebench.testsupport.TestServers;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/** The worker kit against the local NATS JetStream, once per strategy, on streams of this run's own prefix. */
class NatsWorkerKitTest extends WorkerKit {
    private final String prefix = "qbworker-" + UUID.randomUUID().toString().substring(0, 8);
    private String url;

    @Override
    protected QueueBackendProvider provider() {
        return new NatsBackendProvider();
    }

    @Override
    protected BackendConfig baseConfig() {
        url = TestServers.natsUrl();
        return BackendConfig.of(Map.of("url", url, "prefix", prefix));
    }

    /** Purges empty the streams but keep them: delete this run's streams from the shared server. */
    @AfterAll
    void deleteStreamsOfThisRun() throws Exception {
        if (url == null) {
            return;
        }
        try (Connection connection = Nats.connect(url)) {
            JetStreamManagement management = connection.jetStreamManagement();
            for (String stream : management.getStreamNames()) {
                if (stream.startsWith(prefix + "_")) {
                    management.deleteStream(stream);
                }
            }
        }
    }
}
