package dev.queuebench.redis;

import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.api.QueueBackends;
import java.util.ArrayList;
import java.util.List;

/** Provider {@code redis}: jobs in Redis (standalone or Cluster) on Lettuce, every state change one Lua script. */
public final class RedisBackendProvider implements QueueBackendProvider {
    public static final String NAME = "redis";
    /** {@code lua}: one script claims atomically; {@code watch}: WATCH/MULTI/EXEC, retried on conflict. */
    static final List<String> STRATEGIES = List.of("lua", "watch");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Redis on Lettuce: atomic Lua claims, leases fenced by Redis TIME, Cluster-ready keys";
    }

    @Override
    public List<String> strategies() {
        return STRATEGIES;
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return RedisConfig.KEYS;
    }

    /** Connects, checks the server's settings and loads the scripts; fails fast when Redis cannot be reached. */
    @Override
    public QueueBackend create(BackendConfig config) {
        return RedisQueueBackend.open(RedisConfig.from(config), config.meterRegistry());
    }
}
