package dev.queuebench.redis;

import static org.awaitility.Awaitility.await;

import dev.queuebench.testsupport.TestServers;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Redis servers this test JVM starts and stops itself, on free loopback ports from 7101 up, each in a temporary
 * directory without persistence: for Cluster and for stopping a server, which the shared server must never be.
 * Where {@code redis-server} is missing the calling test is skipped, or fails when servers are required (CI).
 */
final class LocalRedisServers implements AutoCloseable {
    private final Path directory;
    private final Map<Integer, Process> processes = new LinkedHashMap<>();
    private final Map<Integer, List<String>> options = new LinkedHashMap<>();

    private LocalRedisServers() {
        requireBinaries();
        try {
            directory = Files.createTempDirectory("queuebench-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One standalone server with extra {@code redis-server} options, e.g. {@code --appendonly yes}. */
    static LocalRedisServers standalone(String... extraOptions) {
        LocalRedisServers servers = new LocalRedisServers();
        servers.start(freePort(7101), List.of(extraOptions));
        return servers;
    }

    /** A Cluster of {@code nodes} masters without replicas, created with {@code redis-cli --cluster create}. */
    static LocalRedisServers cluster(int nodes) {
        LocalRedisServers servers = new LocalRedisServers();
        try {
            int port = 7100;
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                port = freePort(port + 1);
                servers.start(port,
                        List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf"));
                addresses.add("127.0.0.1:" + port);
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            create.addAll(addresses);
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            servers.run(create);
            for (int node : servers.ports()) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                        servers.run(List.of("redis-cli", "-p", String.valueOf(node), "cluster", "info"))
                                .contains("cluster_state:ok"));
            }
            return servers;
        } catch (RuntimeException | Error e) {
            servers.close();
            throw e;
        }
    }

    /** The ports of the running servers, in start order. */
    List<Integer> ports() {
        return List.copyOf(processes.keySet());
    }

    /** A URL of the first server. */
    String url() {
        return "redis://127.0.0.1:" + ports().getFirst();
    }

    /** Subscribers of a pub/sub channel, summed over every server (PUBSUB NUMSUB counts a node's own). */
    long subscribers(String channel) {
        long total = 0;
        for (int port : ports()) {
            String[] lines = run(List.of("redis-cli", "-p", String.valueOf(port), "pubsub", "numsub", channel))
                    .trim().split("\\R");
            total += Long.parseLong(lines[lines.length - 1].trim());
        }
        return total;
    }

    /** {@code used_memory} of one server, from INFO memory. */
    long usedMemory(int port) {
        String info = run(List.of("redis-cli", "-p", String.valueOf(port), "info", "memory"));
        return info.lines().filter(line -> line.startsWith("used_memory:"))
                .mapToLong(line -> Long.parseLong(line.substring("used_memory:".length()).trim()))
                .findFirst().orElseThrow();
    }

    /** SCRIPT FLUSH on every server. */
    void flushScripts() {
        for (int port : ports()) {
            run(List.of("redis-cli", "-p", String.valueOf(port), "script", "flush"));
        }
    }

    /** Kills a server at once (SIGKILL): its clients see the connection drop. */
    void kill(int port) {
        Process process = processes.get(port);
        process.destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive() && !listening(port));
    }

    /** Starts a killed server again on its port, with its options. */
    void restart(int port) {
        start(port, options.get(port));
    }

    /** Stops every server and removes their directory. */
    @Override
    public void close() {
        processes.values().forEach(Process::destroyForcibly);
        for (Process process : processes.values()) {
            process.onExit().join();
        }
        processes.clear();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    private void start(int port, List<String> extra) {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.toString()));
        command.addAll(extra);
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("redis-" + port + ".log").toFile())
                    .start();
            processes.put(port, process);
            options.put(port, extra);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> listening(port));
    }

    private String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(command + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A port from {@code from} up that is free, with its cluster bus port (+10000) free too. */
    private static int freePort(int from) {
        for (int port = from; port < from + 200; port++) {
            if (free(port) && free(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port from " + from);
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void requireBinaries() {
        for (String binary : List.of("redis-server", "redis-cli")) {
            boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                    .anyMatch(dir -> Files.isExecutable(Path.of(dir, binary)));
            if (!found) {
                String reason = binary + " is not on the PATH: install Redis (apt-get install redis-server) to run "
                        + "the tests that start their own servers";
                if (TestServers.serversRequired()) {
                    throw new IllegalStateException(
                            reason + " (" + TestServers.REQUIRE_SERVERS + "=true, so this fails)");
                }
                Assumptions.abort(reason);
            }
        }
    }
}
