package dev.queuebench.redis;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.QueueBackendProvider;
import dev.queuebench.tck.QueueBackendTck;
import dev.queuebench.testsupport.TestServers;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/** The whole contract, for both strategies, against the local Redis, under a prefix of this run's own. */
class RedisTckTest extends QueueBackendTck {
    private final String prefix = "qbtck-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected QueueBackendProvider provider() {
        return new RedisBackendProvider();
    }

    @Override
    protected BackendConfig baseConfig() {
        return BackendConfig.of(Map.of("url", TestServers.redisUrl(), "prefix", prefix));
    }

    /** Purged queues keep their id counters (so ids are never reused): remove them from the shared server. */
    @AfterAll
    void deleteKeysOfThisRun() {
        deleteKeysUnder(TestServers.redisUrl(), prefix);
    }

    /** Deletes every key of every queue under the prefix, found by SCAN. */
    static void deleteKeysUnder(String url, String prefix) {
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            ScanArgs match = ScanArgs.Builder.matches(Keys.pattern(prefix)).limit(1000);
            KeyScanCursor<String> cursor = redis.scan(match);
            while (true) {
                if (!cursor.getKeys().isEmpty()) {
                    redis.unlink(cursor.getKeys().toArray(String[]::new));
                }
                if (cursor.isFinished()) {
                    break;
                }
                cursor = redis.scan(ScanCursor.of(cursor.getCursor()), match);
            }
        } finally {
            client.shutdown();
        }
    }
}
