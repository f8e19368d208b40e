package dev.queuebench.redis;

import dev.queuebench.faults.BackendFaults;
import dev.queuebench.faults.ClusterForm;
import dev.queuebench.faults.ThrowawayCluster;
import dev.queuebench.faults.ThrowawayServer;
import java.util.List;
import java.util.Optional;

/**
 * The chaos suite's hold on Redis: a {@link ThrowawayRedis} to pause, restart and kill connections on, and a
 * {@link ThrowawayRedisPair} (primary + replica + sentinels, with or without WAIT) and a
 * {@link ThrowawayRedisCluster} (3 primaries, 1 replica each) to fail over.
 */
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

    @Override
    public List<ClusterForm> clusterForms() {
        return List.of(ThrowawayRedisPair.WAIT, ThrowawayRedisPair.ASYNC, ThrowawayRedisCluster.CLUSTER);
    }

    @Override
    public ThrowawayCluster startCluster(ClusterForm form) {
        return form.equals(ThrowawayRedisCluster.CLUSTER) ? ThrowawayRedisCluster.start(form)
                : ThrowawayRedisPair.start(form);
    }
}
