package dev.queuebench.redis;

import dev.queuebench.faults.ClusterForm;
import dev.queuebench.faults.ThrowawayCluster;
import dev.queuebench.faults.ThrowawayServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A Redis primary, one replica ({@code --replicaof}) and three sentinels watching them (quorum 2, the primary judged
 * down after 1 s without an answer), each a {@link ThrowawayRedis} of its own. The backend reaches the primary
 * through the sentinels ({@code redis-sentinel://...#qb}), as production clients do, and follows a failover there.
 * In {@link #WAIT} the backend also sends {@code WAIT 1} after each write and returns only once the replica has
 * it; in {@link #ASYNC} it returns once the primary has it, and the replica follows. {@link #killLeader()} SIGKILLs
 * the primary; {@link #promote()} lets the sentinels fail over to the replica, then restarts the dead node (empty:
 * no persistence) as a replica of the new primary, as a supervisor restarting the crashed process would, so that
 * the new primary has a replica to WAIT for again.
 */
final class ThrowawayRedisPair implements ThrowawayCluster {
    static final ClusterForm WAIT = new ClusterForm("sentinel-wait", "primary + 1 replica + 3 sentinels, the"
            + " backend sends WAIT 1 after each write", false, "every write the backend acknowledged was on the"
            + " replica (WAIT 1) before the primary died, and the sentinels promote that replica: none may be lost");
    static final ClusterForm ASYNC = new ClusterForm("sentinel-async", "primary + 1 replica + 3 sentinels,"
            + " asynchronous replication (no WAIT)", true, "an asynchronous replica may lag: writes acknowledged by"
            + " the primary but not yet replicated are lost when it dies (allowed, by this configuration)");
    /** The master name the sentinels monitor. */
    static final String MASTER = "qb";
    private static final int SENTINELS = 3;
    private static final int QUORUM = 2;
    private static final Duration DOWN_AFTER = Duration.ofSeconds(1);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(20);

    private final ClusterForm form;
    private final List<ThrowawayRedis> sentinels;
    private volatile ThrowawayRedis leader;
    private volatile ThrowawayRedis follower;
    private volatile boolean failedOver;

    private ThrowawayRedisPair(ClusterForm form, ThrowawayRedis leader, ThrowawayRedis follower,
            List<ThrowawayRedis> sentinels) {
        this.form = form;
        this.leader = leader;
        this.follower = follower;
        this.sentinels = List.copyOf(sentinels);
    }

    /**
     * Starts a primary, its replica and the sentinels in {@code form} ({@link #WAIT} or {@link #ASYNC}); returns once
     * the replica is in sync and every sentinel knows the replica and the other sentinels, or throws after stopping
     * what started.
     */
    static ThrowawayRedisPair start(ClusterForm form) {
        if (!form.equals(WAIT) && !form.equals(ASYNC)) {
            throw new IllegalArgumentException("no Redis cluster form '" + form.name() + "'");
        }
        List<ThrowawayRedis> started = new ArrayList<>();
        try {
            ThrowawayRedis primary = ThrowawayRedis.start();
            started.add(primary);
            ThrowawayRedis replica = ThrowawayRedis.replicaOf(primary);
            started.add(replica);
            awaitInSync(primary);
            List<ThrowawayRedis> sentinels = new ArrayList<>();
            for (int i = 0; i < SENTINELS; i++) {
                ThrowawayRedis sentinel = ThrowawayRedis.sentinel(MASTER, primary, QUORUM, DOWN_AFTER);
                started.add(sentinel);
                sentinels.add(sentinel);
            }
            for (ThrowawayRedis sentinel : sentinels) {
                await(() -> sentinelInfo(sentinel).contains("status=ok,address=127.0.0.1:" + primary.port()
                        + ",slaves=1,sentinels=" + SENTINELS), () -> "sentinel on 127.0.0.1:" + sentinel.port()
                        + " did not find the replica and the other sentinels: " + sentinelInfo(sentinel));
            }
            return new ThrowawayRedisPair(form, primary, replica, sentinels);
        } catch (RuntimeException e) {
            ThrowawayServer.closeAll(started);
            throw e;
        }
    }

    @Override
    public ClusterForm form() {
        return form;
    }

    /** The sentinels' URL with the master name; in {@link #WAIT}, {@code waitReplicas=1} too. */
    @Override
    public Map<String, String> config() {
        Map<String, String> config = new HashMap<>();
        config.put(RedisConfig.URL.name(), "redis-sentinel://" + sentinels.stream()
                .map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(",")) + "#" + MASTER);
        if (form.equals(WAIT)) {
            config.put(RedisConfig.WAIT_REPLICAS.name(), "1");
        }
        return Map.copyOf(config);
    }

    @Override
    public String describe() {
        return "throwaway Redis pair (" + form.description() + "): primary on 127.0.0.1:" + leader.port()
                + ", replica on 127.0.0.1:" + follower.port() + ", sentinels on " + sentinels.stream()
                .map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(", "))
                + (failedOver ? " (after a failover)" : "");
    }

    /** SIGKILLs the primary's redis-server. */
    @Override
    public String killLeader() {
        ThrowawayRedis dead = leader;
        List<ProcessHandle> processes = dead.processes();
        dead.kill();
        processes.forEach(p -> p.onExit().join());
        return "SIGKILL to the primary's redis-server (pid " + processes.getFirst().pid() + ", 127.0.0.1:"
                + dead.port() + ")";
    }

    /**
     * Returns once the sentinels name the replica as the primary and it answers as one; then restarts the killed node
     * as its replica and returns once that replica is in sync.
     */
    @Override
    public String promote() {
        ThrowawayRedis dead = leader;
        ThrowawayRedis next = follower;
        long start = System.nanoTime();
        String address = "address=127.0.0.1:" + next.port() + ",";
        await(() -> sentinels.stream().allMatch(s -> sentinelInfo(s).contains(address))
                && replication(next).contains("role:master"), () -> "the sentinels did not fail over to 127.0.0.1:"
                + next.port() + " within " + READY_TIMEOUT.toSeconds() + " s: " + sentinelInfo(sentinels.getFirst()));
        long promotedMs = (System.nanoTime() - start) / 1_000_000;
        leader = next;
        follower = dead;
        failedOver = true;
        dead.restartAsReplicaOf(next.port());
        awaitInSync(next);
        return "the sentinels failed over to the replica (127.0.0.1:" + next.port() + ") " + promotedMs
                + " ms after promote began; the killed node restarted empty as its replica, in sync "
                + (System.nanoTime() - start) / 1_000_000 + " ms after";
    }

    /** The primary now (the killed one until {@link #promote()}). */
    ThrowawayRedis leader() {
        return leader;
    }

    /** Stops the sentinels, then the replica, then the primary, and removes their folders. */
    @Override
    public void close() {
        List<ThrowawayRedis> all = new ArrayList<>(List.of(leader, follower));
        all.addAll(sentinels);
        ThrowawayServer.closeAll(all);
    }

    /** Returns once {@code primary} reports one replica online. */
    private static void awaitInSync(ThrowawayRedis primary) {
        await(() -> replication(primary).matches("(?s).*slave0:[^\\n]*state=online.*"),
                () -> "the replica of 127.0.0.1:" + primary.port() + " did not come in sync within "
                        + READY_TIMEOUT.toSeconds() + " s: " + replication(primary));
    }

    private static String replication(ThrowawayRedis server) {
        return server.answer("INFO", "replication");
    }

    private static String sentinelInfo(ThrowawayRedis sentinel) {
        return sentinel.answer("INFO", "sentinel");
    }

    private static void await(BooleanSupplier ready, Supplier<String> failure) {
        ThrowawayCluster.awaitReady(ready, READY_TIMEOUT, POLL, failure);
    }
}
