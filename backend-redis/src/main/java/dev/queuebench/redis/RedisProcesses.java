package dev.queuebench.redis;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.faults.ServerProcesses;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Redis server process (its {@code process_id} in {@code INFO server}): one process serves every client. */
public final class RedisProcesses implements ServerProcesses {
    @Override
    public String backend() {
        return RedisBackendProvider.NAME;
    }

    @Override
    public Pids serverPids(BackendConfig config) {
        RedisClient client = RedisClient.create(RedisConnections.uri(RedisConfig.from(config)));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            long pid = connection.sync().info("server").lines()
                    .filter(l -> l.startsWith("process_id:"))
                    .mapToLong(l -> Long.parseLong(l.substring("process_id:".length()).trim()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("INFO server names no process_id"));
            return Pids.wholeServer(List.of(pid), "redis-server");
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
