package dev.queuebench.redis;

import dev.queuebench.api.BackendUnavailableException;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code WAIT numreplicas timeout} after each write the backend acknowledges ({@code waitReplicas}): the call returns
 * only once that many replicas have acknowledged every write sent before it on the same connection, so a replica a
 * sentinel promotes after the primary dies has it. WAIT makes no write synchronous on the primary: a write whose
 * WAIT falls short is on the primary and may or may not survive a failover, so the call fails with
 * {@link BackendUnavailableException} saying so rather than returning.
 *
 * @param replicas 0 for no WAIT at all
 */
record ReplicaWait(int replicas, Duration timeout) {
    /** No WAIT: a write is acknowledged once the primary has it. */
    static final ReplicaWait NONE = new ReplicaWait(0, Duration.ZERO);

    /** The WAIT that {@code config} asks for. */
    static ReplicaWait of(RedisConfig config) {
        return config.waitReplicas() == 0 ? NONE : new ReplicaWait(config.waitReplicas(), config.waitTimeout());
    }

    /**
     * {@code write}'s answer once a WAIT on {@code connection} (the one the write went through), sent after the write
     * answered, has counted {@link #replicas()} replicas; {@code write} itself when no WAIT is asked for.
     */
    <T> CompletableFuture<T> after(CompletableFuture<T> write, BaseRedisAsyncCommands<String, byte[]> connection) {
        if (replicas == 0) {
            return write;
        }
        return write.thenCompose(answer -> connection.waitForReplication(replicas, timeout.toMillis())
                .toCompletableFuture().thenApply(acknowledged -> {
                    if (acknowledged < replicas) {
                        throw new BackendUnavailableException("the write is on the Redis primary but only "
                                + acknowledged + " of " + replicas + " replica(s) acknowledged it within "
                                + timeout.toMillis() + " ms (waitReplicas): a failover may lose it", null);
                    }
                    return answer;
                }));
    }
}
