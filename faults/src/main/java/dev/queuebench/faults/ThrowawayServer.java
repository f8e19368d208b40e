package dev.queuebench.faults;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.BackendUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A server started for the chaos suite alone, on a free loopback port in a temporary folder, so that it may be paused,
 * restarted or have its connections killed; {@link #close()} stops it and removes the folder, and a shutdown hook
 * does the same if the JVM exits first. A subclass says how to launch, reach, restart and stop its kind of server.
 */
public abstract class ThrowawayServer implements AutoCloseable {
    private static final long COMMAND_TIMEOUT_SECONDS = 60;
    private static final long STOP_SECONDS = 5;
    private static final int PORT_TRIES = 3;

    protected final Path folder;
    protected final int port;
    private final Thread removeOnExit = new Thread(this::close, "qb-throwaway-server-exit");

    protected ThrowawayServer(String prefix) {
        try {
            this.folder = Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new BackendUnavailableException("cannot make a folder for a throwaway server: " + e.getMessage(), e);
        }
        this.port = freePort();
    }

    /**
     * Starts {@code server} and makes sure it goes when this JVM exits, even if nobody closes it; when starting fails,
     * stops what started, removes its folder and rethrows.
     */
    protected static <T extends ThrowawayServer> T launched(T server) {
        try {
            server.launch();
            Runtime.getRuntime().addShutdownHook(((ThrowawayServer) server).removeOnExit);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * {@code start}'s server; when its launch finds a port it picked taken (a port from {@link #freePort()} is only
     * free a moment, and any process may bind it meanwhile), a new one on new ports, up to {@value #PORT_TRIES} in all.
     */
    public static <T> T onFreshPorts(Supplier<T> start) {
        for (int tries = 1; ; tries++) {
            try {
                return start.get();
            } catch (PortTakenException e) {
                if (tries == PORT_TRIES) {
                    throw e;
                }
            }
        }
    }

    /** A launch whose server exited because a port picked for it was taken before it could bind it. */
    public static final class PortTakenException extends BackendUnavailableException {
        private static final long serialVersionUID = 1L;

        public PortTakenException(String message) {
            super(message, null);
        }
    }

    /** Starts the server in its folder on its port; returns once it accepts connections. */
    protected abstract void launch();

    /** The configuration values that point a backend at this server, laid over the user's own. */
    public abstract Map<String, String> config();

    /** One line for the report: what runs where. */
    public abstract String describe();

    /** The server's processes, parent first: what {@link #pause()} stops. */
    public abstract List<ProcessHandle> processes();

    /** Restarts the server as an operator would; returns once it accepts connections again. */
    public abstract void restart();

    /** Ends, from the server's side, every connection of the backend opened with {@code config}; returns how many. */
    public abstract int killConnections(BackendConfig config);

    /** Stops the server and removes its folder. */
    @Override
    public abstract void close();

    /**
     * Closes {@code servers} last first, each even when an earlier one failed to close; then rethrows the first
     * failure. For a cluster's nodes, or for what a failed start had already started.
     */
    public static void closeAll(List<? extends ThrowawayServer> servers) {
        RuntimeException first = null;
        for (int i = servers.size() - 1; i >= 0; i--) {
            try {
                servers.get(i).close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * SIGSTOPs every process of the server at once: it answers nothing until {@link #resume()}; throws unless the
     * server's first process is then seen stopped (where {@code /proc} shows it).
     */
    public void pause() {
        List<ProcessHandle> targets = processes();
        signal("-STOP", targets);
        awaitStopped(targets.getFirst());
    }

    /** SIGCONTs what {@link #pause()} stopped. */
    public void resume() {
        signal("-CONT", processes());
    }

    /** SIGKILLs every process of the server at once, as a crash of its machine would. */
    public void kill() {
        signal("-KILL", processes());
    }

    private static void signal(String signal, List<ProcessHandle> targets) {
        if (targets.isEmpty()) {
            throw new BackendUnavailableException("the throwaway server has no process to signal", null);
        }
        List<String> command = new ArrayList<>(List.of("kill", signal));
        targets.forEach(p -> command.add(Long.toString(p.pid())));
        try {
            run(command);
        } catch (BackendUnavailableException e) {
            // kill signals every pid it can; it fails for one that exited since it was listed (a short-lived child)
            if (targets.stream().allMatch(ProcessHandle::isAlive)) {
                throw e;
            }
        }
    }

    /** Returns once {@code process} is in the stopped state; throws when it exits or stays running. */
    private static void awaitStopped(ProcessHandle process) {
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_SECONDS);
        while (process.isAlive() && System.nanoTime() < deadline) {
            String state;
            try {
                String line = Files.readString(stat, StandardCharsets.US_ASCII);
                state = line.substring(line.lastIndexOf(')') + 2, line.lastIndexOf(')') + 3);
            } catch (IOException e) {
                return; // no /proc here (or it went just now, which the next check sees): nothing to confirm by
            }
            if (state.equals("T")) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        throw new BackendUnavailableException("SIGSTOP did not stop the server's process " + process.pid()
                + (process.isAlive() ? " within " + STOP_SECONDS + " s" : ": it is no longer running"), null);
    }

    /** Removes the temporary folder (after the subclass stopped the server) and the exit hook. */
    protected void removeFolder() {
        try {
            Runtime.getRuntime().removeShutdownHook(removeOnExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: this is the hook running
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    /** Runs a command to its end; returns its output, or throws naming the command and its output. */
    protected static String run(List<String> command) {
        return run(command, Map.of());
    }

    /** Runs a command with {@code environment} laid over this JVM's, as {@link #run(List)} does. */
    protected static String run(List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new BackendUnavailableException("'" + String.join(" ", command) + "' did not finish in "
                        + COMMAND_TIMEOUT_SECONDS + " s", null);
            }
            String text = new String(output, StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new BackendUnavailableException("'" + String.join(" ", command) + "' exited "
                        + process.exitValue() + ": " + text, null);
            }
            return text;
        } catch (IOException e) {
            throw new BackendUnavailableException("cannot run '" + command.getFirst() + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException("interrupted while running '" + command.getFirst() + "'", e);
        }
    }

    /** True when this JVM runs as root (servers that refuse root are then started as their own OS user). */
    protected static boolean isRoot() {
        return System.getProperty("user.name").equals("root");
    }

    /** A loopback port that was free a moment ago; throws when none can be found. */
    protected static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new BackendUnavailableException("cannot find a free port: " + e.getMessage(), e);
        }
    }
}
