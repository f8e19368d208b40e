package dev.queuebench.faults;

import dev.queuebench.api.BackendUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The process of one {@link ThrowawayServer}, a child of this JVM: started with a command line and extra environment,
 * its output in {@code stdout} in the server's folder, waited for until it answers, stopped with SIGTERM and, after a
 * grace period, SIGKILL. What is the server's own (command line, configuration files, readiness check) stays with
 * the server; pausing is {@link ThrowawayServer#pause()} on the handles this gives.
 */
public final class ServerProcess {
    private final String name;
    private final Path folder;
    private Process process;

    /** A process not yet started, called {@code name} in messages, whose output goes to {@code folder}. */
    public ServerProcess(String name, Path folder) {
        this.name = name;
        this.folder = folder;
    }

    /** Starts {@code command} with {@code environment} laid over this JVM's; throws when it cannot be started. */
    public void start(List<String> command, Map<String, String> environment) {
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
     * Returns once {@code ready} holds, asked every {@code poll}; throws with {@code failure} when the process ends or
     * {@code timeout} passes first.
     */
    public void awaitReady(BooleanSupplier ready, Duration timeout, Duration poll, String failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new BackendUnavailableException(failure, null);
            }
            LockSupport.parkNanos(poll.toNanos());
        }
    }

    /** The started process alone (alive or not), or none before the first start. */
    public List<ProcessHandle> processes() {
        return process == null ? List.of() : List.of(process.toHandle());
    }

    /** The live process, parent first, and those of its descendants {@code keep} accepts; none when it is not alive. */
    public List<ProcessHandle> tree(Predicate<ProcessHandle> keep) {
        if (process == null || !process.isAlive()) {
            return List.of();
        }
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.descendants().filter(keep).forEach(all::add);
        return all;
    }

    /** SIGTERMs the process and waits for it to end, SIGKILLing it after {@code grace}; nothing before a start. */
    public void stop(Duration grace) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * The first {@code length} bytes, as ASCII, that the server on loopback {@code port} sends after {@code request}
     * (nothing sent when it is empty); fewer when it closes first, empty when it cannot be reached within
     * {@code timeout}.
     */
    public static String greeting(int port, byte[] request, int length, Duration timeout) {
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
