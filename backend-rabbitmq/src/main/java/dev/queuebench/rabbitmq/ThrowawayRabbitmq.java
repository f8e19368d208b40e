package dev.queuebench.rabbitmq;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.faults.ChildProcessServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@code rabbitmq-server} node of its own, a child of this JVM: its own node name ({@code RABBITMQ_NODENAME}),
 * AMQP and distribution ports, configuration, Erlang cookie ({@code HOME}) and data and log folders, so the shared
 * broker is never touched. Quorum queues and persistent messages live in its data folder: a restart keeps them, as
 * CRASH_SAFE declares. {@link #killConnections} closes every client connection from the broker's side
 * ({@code rabbit_networking:close_connection}, what {@code rabbitmqctl close_connection} does, in one call).
 * {@link RabbitmqFaults} hands it to the chaos suite.
 */
public final class ThrowawayRabbitmq extends ChildProcessServer {
    private static final Path SERVER = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");
    private static final Path CTL = Path.of("/usr/lib/rabbitmq/bin/rabbitmqctl");
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration STOPPED = Duration.ofSeconds(5);
    private final String node;
    private final int distPort;
    private final String cookie;

    /** A node called {@code <name><port>@localhost}; its Erlang cookie is {@code cookie}, or its own when null. */
    private ThrowawayRabbitmq(String name, String cookie) {
        super("qb-chaos-rabbitmq-", "rabbitmq-server", Duration.ofSeconds(60));
        this.node = name + port + "@localhost";
        this.distPort = freePort();
        this.cookie = cookie;
    }

    /** Why a throwaway node cannot be started here, or empty when it can. */
    public static Optional<String> unavailableReason() {
        if (!Files.isExecutable(SERVER) || !Files.isExecutable(CTL)) {
            return Optional.of("no " + SERVER + " and " + CTL + " (Debian's rabbitmq-server package)");
        }
        return Optional.empty();
    }

    /** Starts a node with its data, logs and configuration in a folder of its own. */
    public static ThrowawayRabbitmq start() {
        return onFreshPorts(() -> launched(new ThrowawayRabbitmq("qbchaos", null)));
    }

    /**
     * Starts a node called {@code <name><port>@localhost} whose Erlang cookie is {@code cookie}, so that nodes given
     * the same cookie can be joined into one cluster ({@link ThrowawayRabbitmqCluster}).
     */
    static ThrowawayRabbitmq startNode(String name, String cookie) {
        return onFreshPorts(() -> launched(new ThrowawayRabbitmq(name, cookie)));
    }

    /** The Erlang node name, {@code <name>@localhost}. */
    String node() {
        return node;
    }

    /** The AMQP port on 127.0.0.1. */
    int port() {
        return port;
    }

    @Override
    public Map<String, String> config() {
        return Map.of(RabbitmqConfig.URL.name(), "amqp://guest:guest@127.0.0.1:" + port + "/");
    }

    @Override
    public String describe() {
        return "throwaway rabbitmq-server node " + node + " on 127.0.0.1:" + port + " in " + folder;
    }

    /** The node's processes: the Erlang VM and its helpers (not the epmd daemon, which other nodes share). */
    @Override
    public List<ProcessHandle> processes() {
        return tree(p -> !p.info().command().orElse("").endsWith("epmd"));
    }

    /** Closes, from the broker's side, every client connection of this node; returns how many. */
    @Override
    public int killConnections(BackendConfig config) {
        String output = ctl("eval", "L = rabbit_networking:connections(), "
                + "[rabbit_networking:close_connection(P, \"queuebench chaos: connection-kill\") || P <- L], "
                + "length(L).");
        String last = output.lines().reduce((a, b) -> b).orElse("0").trim();
        try {
            return Integer.parseInt(last);
        } catch (NumberFormatException e) {
            throw new BackendUnavailableException("rabbitmqctl eval on " + node + " said: " + output, null);
        }
    }

    @Override
    protected void launch() {
        try {
            Files.createDirectories(folder.resolve("mnesia"));
            Files.createDirectories(folder.resolve("log"));
            Files.writeString(folder.resolve("rabbitmq.conf"), "listeners.tcp.local = 127.0.0.1:" + port + "\n"
                    + "loopback_users = none\n");
            Files.writeString(folder.resolve("rabbitmq-env.conf"), "");
            Files.writeString(folder.resolve("enabled_plugins"), "[].\n");
            Path cookieFile = folder.resolve(".erlang.cookie");
            if (cookie != null && !Files.exists(cookieFile)) {
                Files.writeString(cookieFile, cookie);
                Files.setPosixFilePermissions(cookieFile, PosixFilePermissions.fromString("r--------"));
            }
        } catch (IOException e) {
            throw new BackendUnavailableException("cannot start rabbitmq-server: " + e.getMessage(), e);
        }
        startProcess(List.of(SERVER.toString()), environment());
        awaitReady(this::answersAmqp, START, Duration.ofMillis(100), "throwaway rabbitmq-server " + node
                + " on port " + port + " did not start within " + START.toSeconds() + " s");
    }

    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", folder.toString());
        env.put("RABBITMQ_NODENAME", node);
        env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        env.put("RABBITMQ_NODE_PORT", Integer.toString(port));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
        env.put("RABBITMQ_MNESIA_BASE", folder.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", folder.resolve("log").toString());
        env.put("RABBITMQ_PID_FILE", folder.resolve("node.pid").toString());
        env.put("RABBITMQ_CONFIG_FILE", folder.resolve("rabbitmq.conf").toString());
        env.put("RABBITMQ_ADVANCED_CONFIG_FILE", folder.resolve("advanced.config").toString());
        env.put("RABBITMQ_CONF_ENV_FILE", folder.resolve("rabbitmq-env.conf").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", folder.resolve("enabled_plugins").toString());
        env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
        return env;
    }

    /** Runs rabbitmqctl against this node (its cookie in the node's HOME); returns the output. */
    String ctl(String... args) {
        List<String> command = new ArrayList<>(List.of(CTL.toString(), "-q", "-n", node));
        command.addAll(List.of(args));
        return run(command, environment());
    }

    /**
     * Resumes a paused node (it does not stop on SIGTERM), stops it, then kills whatever of it is left; returns once
     * every process of it ended (or a few seconds passed).
     */
    @Override
    protected void stop() {
        List<ProcessHandle> tree = processes();
        if (!tree.isEmpty()) {
            try {
                resume();
            } catch (RuntimeException e) {
                // it is killed below all the same
            }
        }
        super.stop();
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : tree) {
            try {
                process.onExit().get(STOPPED.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // a helper that outlives its VM by a moment is harmless; the folder goes all the same
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** True when the node answers an AMQP 0-9-1 protocol header with a frame (Connection.Start). */
    private boolean answersAmqp() {
        return greeting(port, new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1}, 1, Duration.ofSeconds(2))
                .equals("\u0001");
    }
}
