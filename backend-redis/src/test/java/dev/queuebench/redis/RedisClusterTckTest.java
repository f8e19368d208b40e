package dev.queuebench.redis;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.tck.QueueBackendTck;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The whole contract, for both strategies, against a 3-node Redis Cluster this class starts and stops. */
class RedisClusterTckTest extends QueueBackendTck {
    private LocalRedisServers cluster;

    @BeforeAll
    void startCluster() {
        cluster = LocalRedisServers.cluster(3);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected QueueBackendProvider provider() {
        return new RedisBackendProvider();
    }

    @Override
    protected BackendConfig baseConfig() {
        return BackendConfig.of(Map.of("url", cluster.url(), "cluster", "true", "prefix", "qbtck"));
    }
}
