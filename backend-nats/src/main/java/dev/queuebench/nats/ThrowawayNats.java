package dev.queuebench.nats;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.faults.ChildProcessServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A {@code nats-server} of its own with JetStream, a child of this JVM on a free loopback port, its file store in its
 * own folder ({@code -js -sd}): a restart keeps every stream, as CRASH_SAFE declares. nats-server 2.9 has no way to
 * close one client's connection ({@code kick} came later), so {@link #killConnections} destroys the server's side of
 * each client socket on its port with {@code ss -K}: the server sees its connections fail and the client a reset.
 * It may also be one node of a cluster ({@link #cluster}), as {@link ThrowawayNatsCluster} starts them.
 * {@link NatsFaults} hands it to the chaos suite.
 */
public final class ThrowawayNats extends ChildProcessServer {
    /** The node's server name in a cluster, or null for a server alone. */
    private final String serverName;
    /** The port the node's routes listen on, or 0 for a server alone. */
    private final int clusterPort;
    /** The route ports of every node of its cluster (its own included: nats-server skips it). */
    private final List<Integer> routePorts = new ArrayList<>();

    private ThrowawayNats(String serverName) {
        super("qb-chaos-nats-", "nats-server", Duration.ofSeconds(10));
        this.serverName = serverName;
        this.clusterPort = serverName == null ? 0 : freePort();
    }

    /** Why a throwaway server cannot be started here, or empty when it can. */
    public static Optional<String> unavailableReason() {
        try {
            run(List.of("nats-server", "--version"));
        } catch (BackendUnavailableException e) {
            return Optional.of("no nats-server on the PATH");
        }
        try {
            run(List.of("ss", "--version"));
            return Optional.empty();
        } catch (BackendUnavailableException e) {
            return Optional.of("no ss (iproute2) on the PATH to cut connections with");
        }
    }

    /** Starts a server with JetStream and a file store in a folder of its own. */
    public static ThrowawayNats start() {
        return onFreshPorts(() -> launched(new ThrowawayNats(null)));
    }

    /**
     * Starts {@code size} servers named {@code <prefix>1...}, each with JetStream, its own store, and routes to all
     * others (cluster {@code qb}); returns once each accepts clients (JetStream answers once they elected a meta
     * leader), all of them again on new ports when one found its port taken. On failure stops the nodes that started
     * and rethrows.
     */
    static List<ThrowawayNats> cluster(String prefix, int size) {
        return onFreshPorts(() -> startCluster(prefix, size));
    }

    private static List<ThrowawayNats> startCluster(String prefix, int size) {
        List<ThrowawayNats> nodes = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            nodes.add(new ThrowawayNats(prefix + i));
        }
        nodes.forEach(node -> nodes.forEach(other -> node.routePorts.add(other.clusterPort)));
        List<ThrowawayNats> started = new ArrayList<>();
        try {
            for (ThrowawayNats node : nodes) {
                started.add(launched(node));
            }
            return List.copyOf(started);
        } catch (RuntimeException e) {
            started.forEach(ThrowawayNats::close);
            nodes.stream().filter(n -> !started.contains(n)).forEach(ThrowawayNats::removeFolder);
            throw e;
        }
    }

    /** The loopback port clients connect to. */
    int port() {
        return port;
    }

    /** The node's server name in its cluster (null for a server alone). */
    String serverName() {
        return serverName;
    }

    @Override
    public Map<String, String> config() {
        return Map.of(NatsConfig.URL.name(), "nats://127.0.0.1:" + port);
    }

    @Override
    public String describe() {
        return "throwaway nats-server " + (serverName == null ? "" : serverName + " ") + "(JetStream, file store) on"
                + " 127.0.0.1:" + port + " in " + folder;
    }

    /**
     * Destroys, with {@code ss -K}, the server's side of every established connection on its port: every client of
     * this server, which only the run's backends reach. Returns how many; needs a kernel with socket destroy (and
     * the right to use it), else throws with what {@code ss} said.
     */
    @Override
    public int killConnections(BackendConfig config) {
        String output = run(List.of("ss", "-K", "-t", "-n", "-H", "state", "established", "sport", "=", ":" + port));
        return (int) output.lines().filter(line -> !line.isBlank()).count();
    }

    @Override
    protected void launch() {
        List<String> command = new ArrayList<>(List.of("nats-server", "-a", "127.0.0.1", "-p",
                Integer.toString(port), "-js", "-sd", folder.resolve("store").toString(), "-l",
                folder.resolve("nats.log").toString()));
        if (serverName != null) {
            command.addAll(List.of("-n", serverName, "--cluster_name", "qb", "--cluster",
                    "nats://127.0.0.1:" + clusterPort, "--routes", routePorts.stream()
                            .map(p -> "nats://127.0.0.1:" + p).collect(Collectors.joining(","))));
        }
        startProcess(command, Map.of());
        awaitReady(this::sendsInfo, Duration.ofSeconds(10), Duration.ofMillis(20),
                "throwaway nats-server on port " + port + " did not start");
    }

    /** True when the server greets a new connection with its INFO line (it enables JetStream before it listens). */
    private boolean sendsInfo() {
        return greeting(port, new byte[0], 5, Duration.ofSeconds(1)).equals("INFO ");
    }
}
