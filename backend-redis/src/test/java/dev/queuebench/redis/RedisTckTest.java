package dev.queuebench.redis;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.tck.QueueBackendTck;
import dev.queuebench.tck.TestServers;
import java.util.Map;

/** The whole contract, for both strategies, against the local Redis. */
class RedisTckTest extends QueueBackendTck {
    @Override
    protected QueueBackendProvider provider() {
        return new RedisBackendProvider();
    }

    @Override
    protected BackendConfig baseConfig() {
        return BackendConfig.of(Map.of("url", TestServers.redisUrl(), "prefix", "qbtck"));
    }
}
