package dev.queuebench.redis;

import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.api.QueueException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every connection of one backend: one shared connection for all non-blocking commands (standalone or Cluster),
 * one pub/sub connection for wake-ups, and a pool of dedicated connections for WATCH transactions (a transaction
 * owns its connection until EXEC). Keys are UTF-8 strings, values raw bytes, so payloads round-trip exactly.
 *
 * <p>Lettuce reconnects by itself; while it is disconnected, commands are rejected at once and every command has a
 * timeout, so a call fails with {@link BackendUnavailableException} instead of hanging. Commands in flight when the
 * connection drops are not replayed after the reconnect (a replayed enqueue could store a job twice): they fail
 * when their command timeout ends.
 */
final class RedisConnections implements AutoCloseable {
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private static final String HINT = "is redis-server running there, and are the url, TLS and password right?";

    private final RedisConfig config;
    private final RedisURI uri;
    private final ClientResources resources;
    private final RedisClient client;
    private final RedisClusterClient clusterClient;
    private final StatefulConnection<String, byte[]> shared;
    private final RedisClusterAsyncCommands<String, byte[]> commands;
    private final StatefulRedisPubSubConnection<String, byte[]> pubSub;
    private final Map<String, ConcurrentLinkedDeque<StatefulRedisConnection<String, byte[]>>> transactionPools =
            new ConcurrentHashMap<>();

    private RedisConnections(RedisConfig config, RedisURI uri, ClientResources resources, RedisClient client,
            RedisClusterClient clusterClient, StatefulConnection<String, byte[]> shared,
            RedisClusterAsyncCommands<String, byte[]> commands, StatefulRedisPubSubConnection<String, byte[]> pubSub) {
        this.config = config;
        this.uri = uri;
        this.resources = resources;
        this.client = client;
        this.clusterClient = clusterClient;
        this.shared = shared;
        this.commands = commands;
        this.pubSub = pubSub;
    }

    /**
     * Opens the shared and pub/sub connections; throws {@link BackendUnavailableException} within the connect
     * timeout.
     */
    static RedisConnections open(RedisConfig config) {
        RedisURI uri = uri(config);
        ClientResources resources = DefaultClientResources.create();
        ClientOptions options = ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
                .replayFilter(command -> true) // never replay a command in flight at a disconnect
                .socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout()).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .build();
        RedisClient client = RedisClient.create(resources);
        client.setOptions(options);
        RedisClusterClient clusterClient = null;
        StatefulConnection<String, byte[]> shared = null;
        try {
            if (config.cluster()) {
                clusterClient = RedisClusterClient.create(resources, uri);
                clusterClient.setOptions(ClusterClientOptions.builder(options)
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enableAdaptiveRefreshTrigger(RefreshTrigger.values()) // follow slot moves, failovers
                                .build())
                        .build());
                StatefulRedisClusterConnection<String, byte[]> cluster = clusterClient.connect(CODEC);
                shared = cluster;
                return new RedisConnections(config, uri, resources, client, clusterClient, cluster, cluster.async(),
                        clusterClient.connectPubSub(CODEC));
            }
            StatefulRedisConnection<String, byte[]> single = client.connect(CODEC, uri);
            shared = single;
            return new RedisConnections(config, uri, resources, client, null, single, single.async(),
                    client.connectPubSub(CODEC, uri));
        } catch (RuntimeException e) {
            if (shared != null) {
                shared.close();
            }
            if (clusterClient != null) {
                clusterClient.shutdown();
            }
            client.shutdown();
            resources.shutdown();
            throw new BackendUnavailableException("cannot reach Redis at " + config.address() + " ("
                    + config.redactedUrl() + "): " + rootMessage(e) + "; " + HINT, e);
        }
    }

    /** The shared connection's commands; safe for any number of threads (Lettuce pipelines them). */
    RedisClusterAsyncCommands<String, byte[]> commands() {
        return commands;
    }

    /** INFO {@code section} of the server, or of every primary of a cluster, in no particular order. */
    List<String> infoOfEveryPrimary(String section) {
        if (clusterClient == null) {
            return List.of(await(commands.info(section)));
        }
        var cluster = (StatefulRedisClusterConnection<String, byte[]>) shared;
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                answers.add(cluster.getConnectionAsync(node.getNodeId())
                        .thenCompose(connection -> connection.async().info(section)));
            }
        }
        return answers.stream().map(this::await).toList();
    }

    /** The connection that carries the wake channels' subscriptions. */
    StatefulRedisPubSubConnection<String, byte[]> pubSub() {
        return pubSub;
    }

    /** A connection used by no one else until it is released, to the node that holds {@code key}. */
    TransactionConnection borrowForTransaction(String key) {
        RedisURI node = nodeOf(key);
        var pool = transactionPools.computeIfAbsent(node.getHost() + ":" + node.getPort(),
                address -> new ConcurrentLinkedDeque<>());
        StatefulRedisConnection<String, byte[]> connection = pool.pollFirst();
        if (connection == null || !connection.isOpen()) {
            connection = client.connect(CODEC, node);
        }
        return new TransactionConnection(connection, pool);
    }

    /** A connection borrowed for one WATCH/MULTI/EXEC transaction, and the pool it goes back to. */
    record TransactionConnection(
            StatefulRedisConnection<String, byte[]> connection,
            ConcurrentLinkedDeque<StatefulRedisConnection<String, byte[]>> pool) {
        /** Back to the pool when {@code clean}; closed when a failure left its state (WATCH, MULTI) unknown. */
        void release(boolean clean) {
            if (clean && connection.isOpen()) {
                pool.offerFirst(connection);
            } else {
                connection.closeAsync();
            }
        }
    }

    /** Waits for a command's answer, at most a few command timeouts; a failure is thrown as Lettuce raised it. */
    <T> T await(CompletionStage<T> stage) {
        Duration limit = config.commandTimeout().multipliedBy(3);
        try {
            return stage.toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new RedisException(e.getCause());
        } catch (TimeoutException e) {
            throw new RedisCommandTimeoutException("no answer within " + limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueueException("interrupted while waiting for Redis at " + config.address(), e);
        }
    }

    /**
     * A Lettuce failure as a {@link QueueException}: an error reply of a reachable server stays a plain
     * {@code QueueException}; a lost, refused, timed-out or loading server is a {@link BackendUnavailableException}.
     */
    QueueException translate(Throwable failure) {
        Throwable cause = Scripts.unwrap(failure);
        if (cause instanceof QueueException queueException) {
            return queueException;
        }
        String message = rootMessage(cause);
        boolean serverAnswered = cause instanceof RedisCommandExecutionException
                && !message.startsWith("LOADING") && !message.startsWith("MASTERDOWN")
                && !message.startsWith("CLUSTERDOWN");
        boolean linkFailed = cause instanceof RedisException || cause instanceof IOException
                || cause instanceof CancellationException;
        if (serverAnswered || !linkFailed) {
            return new QueueException("Redis at " + config.address() + " failed a command: " + message, cause);
        }
        return new BackendUnavailableException("Redis at " + config.address() + " (" + config.redactedUrl()
                + ") is unavailable: " + message + "; " + HINT, cause);
    }

    /** Closes in reverse order of opening: transaction connections, pub/sub, shared, clients, threads. */
    @Override
    public void close() {
        transactionPools.values().forEach(pool -> pool.forEach(StatefulConnection::close));
        transactionPools.clear();
        pubSub.close();
        shared.close();
        if (clusterClient != null) {
            clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    private RedisURI nodeOf(String key) {
        if (clusterClient == null) {
            return uri;
        }
        RedisClusterNode node = ((StatefulRedisClusterConnection<String, byte[]>) shared)
                .getPartitions().getMasterBySlot(SlotHash.getSlot(key));
        if (node == null) {
            throw new RedisException("no cluster node serves the slot of " + key);
        }
        return RedisURI.builder(uri).withHost(node.getUri().getHost()).withPort(node.getUri().getPort()).build();
    }

    /** The address, credentials, client name and command timeout of {@code config}'s server. */
    static RedisURI uri(RedisConfig config) {
        RedisURI.Builder builder;
        if (config.sentinel()) {
            // the sentinels take no password here: the URL's credentials are the data nodes'
            builder = RedisURI.Builder.sentinel(config.host(), config.port(), config.sentinelMaster());
            for (String sentinel : config.sentinels().subList(1, config.sentinels().size())) {
                int colon = sentinel.lastIndexOf(':');
                builder = builder.withSentinel(sentinel.substring(0, colon),
                        Integer.parseInt(sentinel.substring(colon + 1)));
            }
        } else {
            builder = RedisURI.builder().withHost(config.host()).withPort(config.port());
        }
        builder = builder
                .withSsl(config.tls())
                .withDatabase(config.database())
                .withClientName(config.clientName())
                .withTimeout(config.commandTimeout());
        if (config.password() != null) {
            builder = config.username() == null
                    ? builder.withPassword(config.password().toCharArray())
                    : builder.withAuthentication(config.username(), config.password().toCharArray());
        }
        return builder.build();
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String own = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return t == failure || t.getMessage() == null ? own : own + " (" + t.getMessage() + ")";
    }
}
