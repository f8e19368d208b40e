package dev.queuebench.worker;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.redis.RedisBackendProvider;
import dev.queuebench.testsupport.TestServers;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/** The worker kit against the local Redis, once per strategy, under a key prefix of this run's own. */
class RedisWorkerKitTest extends WorkerKit {
    private final String prefix = "qbworker-" + UUID.randomUUID().toString().substring(0, 8);
    private String url;

    @Override
    protected QueueBackendProvider provider() {
        return new RedisBackendProvider();
    }

    @Override
    protected BackendConfig baseConfig() {
        url = TestServers.redisUrl();
        return BackendConfig.of(Map.of("url", url, "prefix", prefix));
    }

    /** Purged queues keep their id counters: delete every key under this run's prefix from the shared server. */
    @AfterAll
    void deleteKeysOfThisRun() {
        if (url == null) {
            return;
        }
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            ScanArgs match = ScanArgs.Builder.matches("{" + prefix + ":*").limit(1000);
            for (KeyScanCursor<String> cursor = redis.scan(match); ; cursor = redis.scan(cursor, match)) {
                if (!cursor.getKeys().isEmpty()) {
                    redis.unlink(cursor.getKeys().toArray(String[]::new));
                }
                if (cursor.isFinished()) {
                    break;
                }
            }
        } finally {
            client.shutdown();
        }
    }
}
