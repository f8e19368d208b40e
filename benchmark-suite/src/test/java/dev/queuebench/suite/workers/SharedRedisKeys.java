package dev.queuebench.suite.workers;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;

/** Clean-up of what a test leaves on the shared Redis. */
final class SharedRedisKeys {
    private SharedRedisKeys() {}

    /** Deletes every key at {@code url} whose name contains {@code queue}: what a purge leaves (its id sequence). */
    static void deleteKeysOf(String url, String queue) {
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> keys = connection.sync().keys("*" + queue + "*");
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            client.shutdown();
        }
    }
}
