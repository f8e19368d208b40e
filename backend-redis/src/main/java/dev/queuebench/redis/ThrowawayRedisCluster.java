package dev.queuebench.redis;

import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.faults.ClusterForm;
import dev.queuebench.faults.ThrowawayCluster;
import dev.queuebench.faults.ThrowawayServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of three primaries with one replica each ({@code redis-cli --cluster create ...
 * --cluster-replicas 1}), six {@link ThrowawayRedis} nodes judging a silent peer failed after 1 s. The backend talks
 * to it as a cluster client ({@code cluster=true}, Lettuce following slot moves and failovers). Replication is
 * asynchronous: on a Redis Cluster the backend cannot send {@code WAIT} to each key's node. {@link #killLeader()}
 * SIGKILLs the primary holding the most keys (the one the steady load's queue hashes to); {@link #promote()} waits
 * for the cluster to promote that primary's replica, then restarts the dead node (empty: no persistence), which
 * rejoins from its node table as the new primary's replica.
 */
final class ThrowawayRedisCluster implements ThrowawayCluster {
    static final ClusterForm CLUSTER = new ClusterForm("cluster-async", "Redis Cluster, 3 primaries with 1 replica"
            + " each, asynchronous replication", true, "a Redis Cluster replica may lag: writes a primary"
            + " acknowledged but had not yet replicated are lost when it dies (allowed, by this configuration)");
    private static final int PRIMARIES = 3;
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(50);

    private final List<ThrowawayRedis> nodes;
    /** The primary {@link #killLeader()} killed, and its replica, which the cluster promotes. */
    private volatile ThrowawayRedis dead;
    private volatile ThrowawayRedis heir;
    private volatile boolean failedOver;

    private ThrowawayRedisCluster(List<ThrowawayRedis> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** Starts six nodes and joins them; returns once every slot is served and every replica is in sync. */
    static ThrowawayRedisCluster start(ClusterForm form) {
        if (!form.equals(CLUSTER)) {
            throw new IllegalArgumentException("no Redis Cluster form '" + form.name() + "'");
        }
        List<ThrowawayRedis> started = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * PRIMARIES; i++) {
                started.add(ThrowawayRedis.clusterNode(NODE_TIMEOUT));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            started.forEach(node -> create.add("127.0.0.1:" + node.port()));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            ThrowawayRedis.redisCli(create);
            ThrowawayRedisCluster cluster = new ThrowawayRedisCluster(started);
            cluster.awaitWhole();
            return cluster;
        } catch (RuntimeException e) {
            ThrowawayServer.closeAll(started);
            throw e;
        }
    }

    @Override
    public ClusterForm form() {
        return CLUSTER;
    }

    /** One node as the URL's seed (the client learns the others from it), and {@code cluster=true}. */
    @Override
    public Map<String, String> config() {
        return Map.of(RedisConfig.URL.name(), "redis://127.0.0.1:" + nodes.getFirst().port(),
                RedisConfig.CLUSTER.name(), "true");
    }

    @Override
    public String describe() {
        return "throwaway Redis Cluster (" + CLUSTER.description() + "): " + nodes.stream()
                .map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(", "))
                + (failedOver ? " (after a failover)" : "");
    }

    /** SIGKILLs the redis-server of the primary holding the most keys. */
    @Override
    public String killLeader() {
        ThrowawayRedis victim = primaries().stream()
                .max(Comparator.comparingLong(ThrowawayRedisCluster::keys))
                .orElseThrow(() -> new BackendUnavailableException("the Redis Cluster has no primary", null));
        heir = nodes.stream().filter(n -> info(n, "replication").contains("master_port:" + victim.port() + "\r"))
                .findFirst()
                .orElseThrow(() -> new BackendUnavailableException("the primary on 127.0.0.1:" + victim.port()
                        + " has no replica: " + nodesTable(victim), null));
        long keys = keys(victim);
        List<ProcessHandle> processes = victim.processes();
        victim.kill();
        processes.forEach(p -> p.onExit().join());
        dead = victim;
        return "SIGKILL to the redis-server of the primary with the most keys (" + keys + ", pid "
                + processes.getFirst().pid() + ", 127.0.0.1:" + victim.port() + ")";
    }

    /**
     * Returns once the dead primary's replica serves its slots as a primary and sees the cluster whole; then restarts
     * the dead node and returns once it is back as a replica in sync.
     */
    @Override
    public String promote() {
        ThrowawayRedis killed = dead;
        ThrowawayRedis next = heir;
        if (killed == null) {
            throw new IllegalStateException("promote() before killLeader()");
        }
        long start = System.nanoTime();
        await(() -> info(next, "replication").contains("role:master") && clusterOk(next), () -> "the Redis Cluster"
                + " did not promote 127.0.0.1:" + next.port() + ", the replica of 127.0.0.1:" + killed.port()
                + ", within " + READY_TIMEOUT.toSeconds() + " s: " + nodesTable(next));
        long promotedMs = (System.nanoTime() - start) / 1_000_000;
        killed.restart();
        failedOver = true;
        awaitWhole();
        return "the cluster promoted the replica 127.0.0.1:" + next.port() + " " + promotedMs + " ms after promote"
                + " began; the killed node restarted empty and rejoined as its replica, in sync "
                + (System.nanoTime() - start) / 1_000_000 + " ms after";
    }

    /** Stops every node and removes their folders. */
    @Override
    public void close() {
        ThrowawayServer.closeAll(nodes);
    }

    /** Returns once every node sees the cluster whole and every primary has a replica online. */
    private void awaitWhole() {
        await(() -> nodes.stream().allMatch(ThrowawayRedisCluster::clusterOk)
                && primaries().size() == PRIMARIES
                && primaries().stream().allMatch(p -> info(p, "replication").matches("(?s).*slave0:[^\\n]*"
                        + "state=online.*")), () -> "the Redis Cluster did not become whole within "
                + READY_TIMEOUT.toSeconds() + " s: " + nodesTable(nodes.getFirst()));
    }

    /** Returns once every replica has all its primary's writes so far (its offset is the primary's). */
    void awaitReplicasCaughtUp() {
        await(() -> primaries().stream().allMatch(p -> {
            String replication = info(p, "replication");
            Matcher offset = Pattern.compile("master_repl_offset:(\\d+)").matcher(replication);
            return offset.find() && replication.matches("(?s).*slave0:[^\\n]*offset=" + offset.group(1) + ",.*");
        }), () -> "the Redis Cluster's replicas did not catch up within " + READY_TIMEOUT.toSeconds() + " s: "
                + nodesTable(nodes.getFirst()));
    }

    private List<ThrowawayRedis> primaries() {
        return nodes.stream().filter(n -> info(n, "replication").contains("role:master")).toList();
    }

    private static boolean clusterOk(ThrowawayRedis node) {
        return node.answer("CLUSTER", "INFO").contains("cluster_state:ok");
    }

    private static long keys(ThrowawayRedis node) {
        try {
            return Long.parseLong(node.command("DBSIZE").trim());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String nodesTable(ThrowawayRedis node) {
        return node.answer("CLUSTER", "NODES");
    }

    private static String info(ThrowawayRedis node, String section) {
        return node.answer("INFO", section);
    }

    private static void await(BooleanSupplier ready, Supplier<String> failure) {
        ThrowawayCluster.awaitReady(ready, READY_TIMEOUT, POLL, failure);
    }
}
