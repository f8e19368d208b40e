package dev.queuebench.nats;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import java.util.List;

/** Provider {@code nats}: NATS JetStream work-queue streams read by a durable pull consumer. */
public final class NatsBackendProvider implements QueueBackendProvider {
    public static final String NAME = "nats";
    /** One pull request for up to a claim's {@code maxJobs}. */
    static final String PULL_BATCH = "pull-batch";
    /** One pull request per job. */
    static final String PULL_ONE = "pull-one";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "NATS JetStream (2.9+) via jnats: a file-stored work-queue stream per queue, a durable pull consumer,"
                + " leases as unacknowledged deliveries, retries as naks with delay";
    }

    @Override
    public List<String> strategies() {
        return List.of(PULL_BATCH, PULL_ONE);
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return NatsConfig.keys(strategies());
    }

    /** Opens a backend; fails within about {@code connectTimeout} when the server cannot be reached. */
    @Override
    public QueueBackend create(BackendConfig config) {
        return NatsQueueBackend.open(NatsConfig.from(config, strategies()), config.meterRegistry());
    }
}
