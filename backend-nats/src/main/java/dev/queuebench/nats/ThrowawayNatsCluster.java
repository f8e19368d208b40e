package dev.queuebench.nats;

import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.faults.ClusterForm;
import dev.queuebench.faults.ThrowawayCluster;
import dev.queuebench.faults.ThrowawayServer;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ClusterInfo;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Three {@code nats-server} nodes with JetStream, routed to each other as one cluster, each a {@link ThrowawayNats}
 * of its own; the backend lists all three in its URL, as production clients do, and creates its streams with three
 * replicas ({@code replicas=3}). {@link #killLeader()} SIGKILLs the node that leads the work stream (the stream with
 * the {@code workers} consumer, waiting for a backend to create one); {@link #promote()} waits until
 * the two survivors elected new leaders for every stream and consumer, as the cluster does by itself, and returns
 * once they answer.
 */
final class ThrowawayNatsCluster implements ThrowawayCluster {
    static final ClusterForm R3 = new ClusterForm("r3", "3 nats-server nodes, JetStream streams with 3 replicas",
            false, "a publish is acknowledged once a majority (2 of 3) stored it, and a new stream leader is elected"
            + " only from an up-to-date majority: none may be lost");
    private static final int NODES = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final List<ThrowawayNats> nodes;
    private volatile ThrowawayNats killed;

    private ThrowawayNatsCluster(List<ThrowawayNats> nodes) {
        this.nodes = nodes;
    }

    /** Starts the three nodes; returns once JetStream answers through them (a meta leader is elected). */
    static ThrowawayNatsCluster start(ClusterForm form) {
        if (!form.equals(R3)) {
            throw new IllegalArgumentException("no NATS cluster form '" + form.name() + "'");
        }
        ThrowawayNatsCluster cluster = new ThrowawayNatsCluster(ThrowawayNats.cluster("qb-n", NODES));
        try {
            cluster.awaitAnswering("JetStream of the new cluster", jsm -> {
                jsm.getAccountStatistics();
                return true;
            });
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    @Override
    public ClusterForm form() {
        return R3;
    }

    /** Every node's URL, and three replicas per stream. */
    @Override
    public Map<String, String> config() {
        return Map.of(NatsConfig.URL.name(), nodes.stream().map(n -> "nats://127.0.0.1:" + n.port())
                .collect(Collectors.joining(",")), NatsConfig.REPLICAS.name(), Integer.toString(NODES));
    }

    @Override
    public String describe() {
        return "throwaway NATS cluster (" + R3.description() + "): " + nodes.stream()
                .map(n -> n.serverName() + " on 127.0.0.1:" + n.port() + (n == killed ? " (killed)" : ""))
                .collect(Collectors.joining(", "));
    }

    /** SIGKILLs the node leading the work stream, once there is one. */
    @Override
    public String killLeader() {
        String[] why = new String[1];
        String leader = awaitAnswering("the stream leaders", jsm -> {
            for (StreamInfo stream : jsm.getStreams()) {
                if (!jsm.getConsumerNames(stream.getConfiguration().getName()).contains(QueueStreams.WORKERS)) {
                    continue;
                }
                why[0] = "leader of stream " + stream.getConfiguration().getName();
                return leaderOf(stream.getClusterInfo());
            }
            return null; // no backend has created its streams yet
        });
        ThrowawayNats node = nodes.stream().filter(n -> n.serverName().equals(leader)).findFirst()
                .orElseThrow(() -> new BackendUnavailableException("no node is called '" + leader + "'", null));
        List<ProcessHandle> processes = node.processes();
        node.kill();
        processes.forEach(p -> p.onExit().join());
        killed = node;
        return "SIGKILL to " + leader + " (" + why[0] + ", pid " + processes.getFirst().pid() + ", 127.0.0.1:"
                + node.port() + ")";
    }

    /** Returns once every stream and consumer has a leader among the survivors and answers. */
    @Override
    public String promote() {
        ThrowawayNats dead = killed;
        String deadName = dead == null ? "" : dead.serverName();
        List<String> leaders = awaitAnswering("new stream and consumer leaders", jsm -> {
            List<String> found = new ArrayList<>();
            for (StreamInfo stream : jsm.getStreams()) {
                String name = stream.getConfiguration().getName();
                String leader = leaderOf(jsm.getStreamInfo(name).getClusterInfo());
                if (leader == null || leader.equals(deadName)) {
                    return null;
                }
                for (String consumer : jsm.getConsumerNames(name)) {
                    ConsumerInfo info = jsm.getConsumerInfo(name, consumer);
                    String consumerLeader = leaderOf(info.getClusterInfo());
                    if (consumerLeader == null || consumerLeader.equals(deadName)) {
                        return null;
                    }
                }
                found.add(name + " -> " + leader);
            }
            return found;
        });
        return "the surviving nodes elected new leaders (" + String.join(", ", leaders) + ")";
    }

    /** The nodes, in start order. */
    List<ThrowawayNats> nodes() {
        return nodes;
    }

    /** Stops every node (the killed one is only removed) and removes their folders. */
    @Override
    public void close() {
        ThrowawayServer.closeAll(nodes);
    }

    private static String leaderOf(ClusterInfo cluster) {
        return cluster == null ? null : cluster.getLeader();
    }

    /** A question to JetStream: null (or an exception) while the cluster cannot answer it yet. */
    private interface Question<T> {
        T ask(JetStreamManagement jsm) throws IOException, JetStreamApiException;
    }

    /** Asks the surviving nodes {@code question} until it has an answer; throws naming {@code what} after a minute. */
    private <T> T awaitAnswering(String what, Question<T> question) {
        String[] servers = nodes.stream().filter(n -> n != killed).map(n -> "nats://127.0.0.1:" + n.port())
                .toArray(String[]::new);
        Options options = new Options.Builder().servers(servers).connectionName("queuebench-cluster-check")
                .connectionTimeout(Duration.ofSeconds(2)).maxReconnects(-1).reconnectWait(Duration.ofMillis(100))
                .errorListener(new io.nats.client.ErrorListener() {}).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        try (Connection connection = Nats.connect(options)) {
            JetStreamManagement jsm = connection.jetStreamManagement();
            while (System.nanoTime() < deadline) {
                try {
                    Optional<T> answer = Optional.ofNullable(question.ask(jsm));
                    if (answer.isPresent()) {
                        return answer.get();
                    }
                    last = "not yet";
                } catch (IOException | JetStreamApiException | RuntimeException e) {
                    last = e.getMessage();
                }
                LockSupport.parkNanos(50_000_000);
            }
        } catch (IOException e) {
            last = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            last = "interrupted";
        }
        throw new BackendUnavailableException("the throwaway NATS cluster did not give " + what + " within "
                + READY_TIMEOUT.toSeconds() + " s: " + last, null);
    }
}
