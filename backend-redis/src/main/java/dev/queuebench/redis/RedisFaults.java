package dev.queuebench.redis;

import dev.queuebench.faults.BackendFaults;
import dev.queuebench.faults.ThrowawayServer;
import java.util.Optional;

/** The chaos suite's hold on Redis: a {@link ThrowawayRedis} to pause, restart and kill connections on. */
public final class RedisFaults implements BackendFaults {
    @Override
    public String backend() {
        return RedisBackendProvider.NAME;
    }

    @Override
    public Optional<String> unavailableReason() {
        return ThrowawayRedis.unavailableReason();
    }

    @Override
    public ThrowawayServer startServer() {
        return ThrowawayRedis.start();
    }
}
