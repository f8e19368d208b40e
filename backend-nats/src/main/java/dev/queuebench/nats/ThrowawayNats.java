package dev.queuebench.nats;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.faults.ServerProcess;
import dev.queuebench.faults.ThrowawayServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code nats-server} of its own with JetStream, a child of this JVM on a free loopback port, its file store in its
 * own folder ({@code -js -sd}): a restart keeps every stream, as CRASH_SAFE declares. nats-server 2.9 has no way to
 * close one client's connection ({@code kick} came later), so {@link #killConnections} destroys the server's side of
 * each client socket on its port with {@code ss -K}: the server sees its connections fail and the client a reset.
 * {@link NatsFaults} hands it to the chaos suite.
 */
public final class ThrowawayNats extends ThrowawayServer {
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ServerProcess server = new ServerProcess("nats-server", folder);

    private ThrowawayNats() {
        super("qb-chaos-nats-");
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
        return launched(new ThrowawayNats());
    }

    @Override
    public Map<String, String> config() {
        return Map.of(NatsConfig.URL.name(), "nats://127.0.0.1:" + port);
    }

    @Override
    public String describe() {
        return "throwaway nats-server (JetStream, file store) on 127.0.0.1:" + port + " in " + folder;
    }

    @Override
    public List<ProcessHandle> processes() {
        return server.processes();
    }

    /** Stops the server (SIGTERM: it flushes its store) and starts it again on the same port and store. */
    @Override
    public void restart() {
        server.stop(STOP_GRACE);
        launch();
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
    public void close() {
        server.stop(STOP_GRACE);
        removeFolder();
    }

    @Override
    protected void launch() {
        server.start(List.of("nats-server", "-a", "127.0.0.1", "-p", Integer.toString(port), "-js",
                "-sd", folder.resolve("store").toString(), "-l", folder.resolve("nats.log").toString()), Map.of());
        server.awaitReady(this::sendsInfo, Duration.ofSeconds(10), Duration.ofMillis(20),
                "throwaway nats-server on port " + port + " did not start (see " + folder + ")");
    }

    /** True when the server greets a new connection with its INFO line (it enables JetStream before it listens). */
    private boolean sendsInfo() {
        return ServerProcess.greeting(port, new byte[0], 5, Duration.ofSeconds(1)).equals("INFO ");
    }
}
