package dev.queuebench.rabbitmq;

import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.faults.ClusterForm;
import dev.queuebench.faults.ThrowawayCluster;
import dev.queuebench.faults.ThrowawayServer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Three {@code rabbitmq-server} nodes joined into one cluster, each a {@link ThrowawayRabbitmq} of its own (node name
 * {@code qb<n>-<port>@localhost}, AMQP and distribution ports, data and log folders) sharing one random Erlang cookie:
 * started side by side, then nodes 2 and 3 join node 1 ({@code rabbitmqctl stop_app}, {@code join_cluster},
 * {@code start_app}). The backend lists the three AMQP ports in its URL, as production clients do, and runs the
 * {@code quorum} strategy: its work queue is a quorum queue with a member on every node (the broker's default group
 * size is the cluster's size). {@link #killLeader()} SIGKILLs the node that leads the work queue
 * ({@code rabbitmqctl list_queues name type leader}, waiting for a backend to declare it); {@link #promote()} returns
 * once the survivors elected a new leader for every quorum queue, and restarts the killed node on its own data in the
 * background, as a supervisor would: it rejoins the cluster by itself, and {@link #describe()} then says when.
 */
final class ThrowawayRabbitmqCluster implements ThrowawayCluster {
    static final ClusterForm QUORUM_3 = new ClusterForm("quorum-3", "3 rabbitmq-server nodes in one cluster, quorum"
            + " queues with a member on each, publisher confirms", false, "a publish is confirmed once a majority"
            + " (2 of 3) of the queue's members wrote it to disk, and Raft elects a new leader only from an up-to-date"
            + " majority: none may be lost");
    private static final int NODES = 3;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Each node's start on a thread of its own: the common pool may have one thread on a small machine. */
    private static final Executor ON_OWN_THREAD = task -> Thread.ofPlatform().daemon().name("qb-rabbitmq-node")
            .start(task);

    private final List<ThrowawayRabbitmq> nodes;
    private volatile ThrowawayRabbitmq killed;
    private volatile CompletableFuture<String> restarting;
    private volatile String restarted;
    private boolean closed;

    private ThrowawayRabbitmqCluster(List<ThrowawayRabbitmq> nodes) {
        this.nodes = nodes;
    }

    /** Starts the three nodes at once, joins nodes 2 and 3 to node 1; returns once all three run as one cluster. */
    static ThrowawayRabbitmqCluster start(ClusterForm form) {
        if (!form.equals(QUORUM_3)) {
            throw new IllegalArgumentException("no RabbitMQ cluster form '" + form.name() + "'");
        }
        byte[] random = new byte[20];
        new SecureRandom().nextBytes(random);
        String cookie = HexFormat.of().withUpperCase().formatHex(random);
        List<CompletableFuture<ThrowawayRabbitmq>> starting = new ArrayList<>();
        for (int n = 1; n <= NODES; n++) {
            String name = "qb" + n + "-";
            starting.add(CompletableFuture.supplyAsync(() -> ThrowawayRabbitmq.startNode(name, cookie), ON_OWN_THREAD));
        }
        List<ThrowawayRabbitmq> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<ThrowawayRabbitmq> node : starting) {
            try {
                started.add(node.join());
            } catch (CompletionException e) {
                failure = failure != null ? failure : e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        ThrowawayRabbitmqCluster cluster = new ThrowawayRabbitmqCluster(started);
        try {
            if (failure != null) {
                throw failure;
            }
            ThrowawayRabbitmq first = started.getFirst();
            for (ThrowawayRabbitmq node : started.subList(1, NODES)) {
                node.ctl("stop_app");
                node.ctl("join_cluster", first.node());
                node.ctl("start_app");
            }
            first.ctl("await_online_nodes", Integer.toString(NODES), "--timeout", "60");
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    @Override
    public ClusterForm form() {
        return QUORUM_3;
    }

    /** Every node's AMQP address in the URL, and the quorum strategy (a classic queue lives on one node alone). */
    @Override
    public Map<String, String> config() {
        return Map.of(RabbitmqConfig.URL.name(), "amqp://guest:guest@" + nodes.stream()
                        .map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(",")) + "/",
                QueueBackends.STRATEGY_KEY, RabbitmqBackendProvider.QUORUM);
    }

    @Override
    public String describe() {
        return "throwaway RabbitMQ cluster (" + QUORUM_3.description() + "; the backend on the quorum strategy): "
                + nodes.stream().map(n -> n.node() + " on 127.0.0.1:" + n.port() + (n == killed ? killedState() : ""))
                .collect(Collectors.joining(", ")) + (restarted == null ? "" : "; " + restarted);
    }

    /** SIGKILLs every process of the node leading the work queue, once a backend declared one. */
    @Override
    public String killLeader() {
        QueueLeader leader = awaitAnswer("a quorum queue and its leader", nodes, rows -> rows.stream()
                .filter(r -> r.type().equals("quorum") && !r.leader().isEmpty()).findFirst().orElse(null));
        ThrowawayRabbitmq node = nodes.stream().filter(n -> n.node().equals(leader.leader())).findFirst()
                .orElseThrow(() -> new BackendUnavailableException("no node is called '" + leader.leader() + "'",
                        null));
        List<ProcessHandle> processes = node.processes();
        node.kill();
        processes.forEach(p -> p.onExit().join());
        killed = node;
        return "SIGKILL to " + node.node() + " (leader of quorum queue " + leader.name() + ", pids "
                + processes.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(" "))
                + ", 127.0.0.1:" + node.port() + ")";
    }

    /**
     * Returns once every quorum queue has a leader among the survivors; then restarts the killed node on its data in
     * the background, as a supervisor would ({@link #awaitRestarted()} waits for it to rejoin), so the load runs on
     * the two survivors while it boots.
     */
    @Override
    public String promote() {
        ThrowawayRabbitmq dead = killed;
        long start = System.nanoTime();
        List<ThrowawayRabbitmq> survivors = nodes.stream().filter(n -> n != dead).toList();
        String deadName = dead == null ? "" : dead.node();
        List<QueueLeader> elected = awaitAnswer("new quorum queue leaders", survivors, rows -> {
            List<QueueLeader> quorum = rows.stream().filter(r -> r.type().equals("quorum")).toList();
            boolean done = quorum.stream().noneMatch(r -> r.leader().isEmpty() || r.leader().equals(deadName));
            return done ? quorum : null;
        });
        String leaders = elected.stream().map(r -> r.name() + " -> " + r.leader()).collect(Collectors.joining(", "));
        if (dead == null) {
            return "no node was killed; leaders " + leaders;
        }
        synchronized (this) {
            if (!closed) {
                restarting = CompletableFuture.supplyAsync(() -> restart(dead, survivors, start), ON_OWN_THREAD);
            }
        }
        return "the surviving nodes elected new leaders (" + leaders + ") " + (System.nanoTime() - start) / 1_000_000
                + " ms after the kill; " + deadName + " is restarting on its data in the background";
    }

    /**
     * Waits for the restart {@link #promote()} began: returns what became of it once the killed node rejoined with
     * every quorum queue member online, or throws why it did not; "nothing restarting" when none was begun.
     */
    String awaitRestarted() {
        CompletableFuture<String> restart = restarting;
        if (restart == null) {
            return "nothing restarting";
        }
        try {
            return restart.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private String restart(ThrowawayRabbitmq dead, List<ThrowawayRabbitmq> survivors, long since) {
        dead.restart();
        awaitAnswer("every queue member online after " + dead.node() + " restarted", survivors, rows -> rows.stream()
                .allMatch(r -> !r.type().equals("quorum") || r.online().contains(dead.node())) ? rows : null);
        killed = null;
        restarted = dead.node() + " restarted on its data and rejoined, every quorum queue member online, "
                + (System.nanoTime() - since) / 1_000_000 + " ms after the kill";
        return restarted;
    }

    private String killedState() {
        return restarting == null ? " (killed)" : " (killed, restarting)";
    }

    /** The nodes, in start order. */
    List<ThrowawayRabbitmq> nodes() {
        return nodes;
    }

    /** Waits for a restart under way to end, then stops every node (the last started first), removes their folders. */
    @Override
    public void close() {
        CompletableFuture<String> restart;
        synchronized (this) {
            closed = true;
            restart = restarting;
        }
        if (restart != null) {
            try {
                restart.join();
            } catch (CompletionException e) {
                // the node is stopped below all the same
            }
        }
        ThrowawayServer.closeAll(nodes);
    }

    /** One row of {@code rabbitmqctl list_queues name type leader online}. */
    record QueueLeader(String name, String type, String leader, String online) {}

    /**
     * Asks {@code askable} nodes in turn for their queue list until {@code answer} gives something; throws naming
     * {@code what} after {@link #ANSWER_TIMEOUT}.
     */
    private static <T> T awaitAnswer(String what, List<ThrowawayRabbitmq> askable,
            Function<List<QueueLeader>, T> answer) {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        String last = "no answer";
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            ThrowawayRabbitmq node = askable.get(attempt % askable.size());
            try {
                T found = answer.apply(queues(node));
                if (found != null) {
                    return found;
                }
                last = "not yet";
            } catch (RuntimeException e) {
                last = e.getMessage();
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        throw new BackendUnavailableException("the throwaway RabbitMQ cluster did not give " + what + " within "
                + ANSWER_TIMEOUT.toSeconds() + " s: " + last, null);
    }

    private static List<QueueLeader> queues(ThrowawayRabbitmq node) {
        String output = node.ctl("list_queues", "--no-table-headers", "--timeout", "10", "name", "type", "leader",
                "online");
        List<QueueLeader> rows = new ArrayList<>();
        for (String line : output.lines().toList()) {
            String[] fields = line.split("\t", -1);
            if (fields.length == 4) {
                rows.add(new QueueLeader(fields[0], fields[1], fields[2].trim(), fields[3]));
            }
        }
        return rows;
    }
}
