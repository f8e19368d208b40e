package dev.queuebench.faults;

import dev.queuebench.api.BackendUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A {@link ThrowawayServer} that is one child process of this JVM (with whatever it forks): started with a command line
 * and extra environment, its output in {@code stdout} in the server's folder, waited for until it answers, stopped
 * with SIGTERM and, after a grace period, SIGKILL; a restart stops it and launches it again, {@link #close()} stops it
 * and removes the folder. A subclass keeps what is its own: command line, configuration files, readiness check.
 */
public abstract class ChildProcessServer extends ThrowawayServer {
    private static final int OUTPUT_TAIL_LINES = 5;
    private static final int OUTPUT_READ_BYTES = 64 * 1024;
    private final String name;
    private final Duration stopGrace;
    private Process process;

    /** A server in a new folder named from {@code prefix}, called {@code name} in messages, given {@code stopGrace}. */
    protected ChildProcessServer(String prefix, String name, Duration stopGrace) {
        super(prefix);
        this.name = name;
        this.stopGrace = stopGrace;
    }

    /** The child process alone (alive or not), or none before the first start. */
    @Override
    public List<ProcessHandle> processes() {
        return process == null ? List.of() : List.of(process.toHandle());
    }

    /** Stops the server (SIGTERM, then SIGKILL after the grace period) and launches it again on the same port. */
    @Override
    public void restart() {
        stop();
        launch();
    }

    /** Stops the server and removes its folder. */
    @Override
    public void close() {
        stop();
        removeFolder();
    }

    /** Starts {@code command} with {@code environment} laid over this JVM's; throws when it cannot be started. */
    protected void startProcess(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(folder.resolve("stdout").toFile());
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new BackendUnavailableException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns once {@code ready} holds and the server's port is this process's (or a descendant's), asked every
     * {@code poll}; throws with {@code failure} and the end of the server's output when the process ends or
     * {@code timeout} passes first, says so when another process holds the port (a server that answers there is then
     * not this one), and throws {@link PortTakenException} when the server exited saying a port was in use.
     */
    protected void awaitReady(BooleanSupplier ready, Duration timeout, Duration poll, String failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean() || !listensOnPort()) {
            boolean exited = !process.isAlive();
            if (exited || System.nanoTime() > deadline) {
                List<String> output = output();
                List<String> said = new ArrayList<>(output.stream().filter(ChildProcessServer::saysPortInUse)
                        .limit(1).toList());
                output.subList(Math.max(0, output.size() - OUTPUT_TAIL_LINES), output.size()).stream()
                        .filter(line -> !said.contains(line)).forEach(said::add);
                String message = failure + portHolders() + (said.isEmpty() ? "" : "; it wrote: "
                        + String.join(" | ", said).strip());
                throw exited && output.stream().anyMatch(ChildProcessServer::saysPortInUse)
                        ? new PortTakenException(message) : new BackendUnavailableException(message, null);
            }
            LockSupport.parkNanos(poll.toNanos());
        }
    }

    private static boolean saysPortInUse(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        return lower.contains("address already in use") || lower.contains("eaddrinuse");
    }

    /**
     * The lines the server wrote to {@code stdout} and to the {@code *.log} files of its folder (the last
     * {@value #OUTPUT_READ_BYTES} bytes of each): a failure's message must carry them, since a failed start removes
     * the folder.
     */
    private List<String> output() {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("stdout")
                    || f.getFileName().toString().endsWith(".log")).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(file);
                int from = Math.max(0, bytes.length - OUTPUT_READ_BYTES);
                new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).lines()
                        .filter(line -> !line.isBlank()).forEach(lines::add);
            }
        } catch (IOException e) {
            // no folder or no output: the message goes without it
        }
        return lines;
    }

    private boolean listensOnPort() {
        List<Long> ours = tree(p -> true).stream().map(ProcessHandle::pid).toList();
        return PortListeners.held(port).stream().anyMatch(ours::contains);
    }

    private String portHolders() {
        List<Long> holders = PortListeners.held(port);
        return holders.isEmpty() ? "" : " (port " + port + " is held by process(es) " + holders + ", not by it)";
    }

    /** The live process, parent first, and those of its descendants {@code keep} accepts; none when it is not alive. */
    protected List<ProcessHandle> tree(Predicate<ProcessHandle> keep) {
        if (process == null || !process.isAlive()) {
            return List.of();
        }
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.descendants().filter(keep).forEach(all::add);
        return all;
    }

    /** SIGTERMs the process and waits for it to end, SIGKILLing it after the grace period; nothing before a start. */
    protected void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * The first {@code length} bytes, as ASCII, that the server on loopback {@code port} sends after {@code request}
     * (nothing sent when it is empty); fewer when it closes first; empty when it refuses the connection or sends
     * nothing within {@code timeout}.
     */
    protected static String greeting(int port, byte[] request, int length, Duration timeout) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            if (request.length > 0) {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
            }
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }
}
