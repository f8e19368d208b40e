package dev.queuebench.redis;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.faults.ChildProcessServer;
import java.io.BufferedInputStream;
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
import java.util.Map;
import java.util.Optional;

/**
 * A {@code redis-server} of its own, a child of this JVM on a free loopback port, without persistence
 * ({@code --save "" --appendonly no}): a restart empties it, which is what VOLATILE durability declares. With a
 * password it requires one ({@code --requirepass}). It may also be a replica of another ({@link #replicaOf}) or a
 * sentinel watching one ({@link #sentinel}), as {@link ThrowawayRedisPair} starts them. {@link RedisFaults} hands it
 * to the chaos suite.
 */
public final class ThrowawayRedis extends ChildProcessServer {
    private final String password;
    /** The sentinel's configuration file's text (sentinel rewrites the file as it learns), or null for a server. */
    private final String sentinelConf;
    /** The port of the primary this server replicates, or 0 when it is a primary. */
    private volatile int replicaOf;
    /** The Redis Cluster bus port of a cluster node ({@code --cluster-port}), or 0 when it is not one. */
    private final int busPort;
    /** How long a cluster node waits for a silent peer before judging it failed; null when it is not one. */
    private final Duration nodeTimeout;

    private ThrowawayRedis(String password, int replicaOf, String sentinelConf, Duration nodeTimeout) {
        super(sentinelConf == null ? "qb-chaos-redis-" : "qb-chaos-sentinel-", "redis-server",
                Duration.ofSeconds(10));
        this.password = password;
        this.replicaOf = replicaOf;
        this.sentinelConf = sentinelConf;
        this.nodeTimeout = nodeTimeout;
        this.busPort = nodeTimeout == null ? 0 : freePort();
    }

    /** Why a throwaway server cannot be started here, or empty when it can. */
    public static Optional<String> unavailableReason() {
        try {
            run(List.of("redis-server", "--version"));
            return Optional.empty();
        } catch (BackendUnavailableException e) {
            return Optional.of("no redis-server on the PATH");
        }
    }

    /** Starts a server without a password. */
    public static ThrowawayRedis start() {
        return start(null);
    }

    /** Starts a server that requires {@code password} (none when null). */
    public static ThrowawayRedis start(String password) {
        return onFreshPorts(() -> launched(new ThrowawayRedis(password, 0, null, null)));
    }

    /**
     * Starts a Redis Cluster node without a password, its bus on a free port of its own and its node table
     * ({@code nodes.conf}) kept in its folder across restarts, judging a silent peer failed after
     * {@code nodeTimeout}; {@link ThrowawayRedisCluster} joins such nodes into a cluster.
     */
    static ThrowawayRedis clusterNode(Duration nodeTimeout) {
        return onFreshPorts(() -> launched(new ThrowawayRedis(null, 0, null, nodeTimeout)));
    }

    /** Starts a server without a password that replicates {@code primary} ({@code --replicaof}). */
    static ThrowawayRedis replicaOf(ThrowawayRedis primary) {
        return onFreshPorts(() -> launched(new ThrowawayRedis(null, primary.port, null, null)));
    }

    /**
     * Starts a sentinel ({@code redis-server sentinel.conf --sentinel}) that monitors {@code primary} as
     * {@code master}, judging it down after {@code downAfter} without an answer and failing over when
     * {@code quorum} sentinels agree.
     */
    static ThrowawayRedis sentinel(String master, ThrowawayRedis primary, int quorum, Duration downAfter) {
        String conf = String.join("\n",
                "sentinel monitor " + master + " 127.0.0.1 " + primary.port + " " + quorum,
                "sentinel down-after-milliseconds " + master + " " + downAfter.toMillis(),
                "sentinel failover-timeout " + master + " 10000",
                "sentinel parallel-syncs " + master + " 1", "");
        return onFreshPorts(() -> launched(new ThrowawayRedis(null, 0, conf, null)));
    }

    /** Runs {@code redis-cli} with {@code arguments}; returns its output, or throws naming what it printed. */
    static String redisCli(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("redis-cli"));
        command.addAll(arguments);
        return run(command);
    }

    /** The loopback port it listens on. */
    int port() {
        return port;
    }

    /** Starts it again (SIGKILLed or stopped) on the same port, empty, as a replica of the server on {@code of}. */
    void restartAsReplicaOf(int of) {
        replicaOf = of;
        restart();
    }

    @Override
    public Map<String, String> config() {
        return Map.of(RedisConfig.URL.name(), url());
    }

    /** The server's URL, with the password when it has one. */
    public String url() {
        return "redis://" + (password == null ? "" : ":" + password + "@") + "127.0.0.1:" + port;
    }

    @Override
    public String describe() {
        if (sentinelConf != null) {
            return "throwaway redis sentinel on 127.0.0.1:" + port + " in " + folder;
        }
        return "throwaway redis-server (no persistence" + (replicaOf == 0 ? "" : ", replica of 127.0.0.1:" + replicaOf)
                + (nodeTimeout == null ? "" : ", cluster node, bus on " + busPort)
                + ") on 127.0.0.1:" + port + " in " + folder;
    }

    /**
     * {@code CLIENT KILL ID} for every connection with the CLIENT SETNAME the backend opened with {@code config} gives
     * its connections; returns how many.
     */
    @Override
    public int killConnections(BackendConfig config) {
        String clientName = config.get(RedisConfig.CLIENT_NAME);
        int killed = 0;
        for (String client : command("CLIENT", "LIST").split("\n")) {
            if (client.contains(" name=" + clientName + " ")) {
                String id = client.substring(client.indexOf("id=") + 3).split(" ")[0];
                if (command("CLIENT", "KILL", "ID", id).startsWith("1")) {
                    killed++;
                }
            }
        }
        return killed;
    }

    @Override
    protected void launch() {
        List<String> command = new ArrayList<>(List.of("redis-server"));
        if (sentinelConf != null) {
            Path conf = folder.resolve("sentinel.conf");
            try {
                if (!Files.exists(conf)) {
                    Files.writeString(conf, sentinelConf); // kept across restarts: sentinel rewrites it
                }
            } catch (IOException e) {
                throw new BackendUnavailableException("cannot write " + conf + ": " + e.getMessage(), e);
            }
            command.addAll(List.of(conf.toString(), "--sentinel"));
        }
        command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", folder.toString(),
                "--logfile", folder.resolve("redis.log").toString()));
        if (sentinelConf == null) {
            // a replica's full sync starts at once (Redis 7 waits 5 s by default for more replicas to join it)
            command.addAll(List.of("--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0"));
        }
        if (nodeTimeout != null) {
            command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-port", Integer.toString(busPort), "--cluster-node-timeout",
                    Long.toString(nodeTimeout.toMillis())));
        }
        if (replicaOf != 0) {
            command.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(replicaOf)));
        }
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        // the password is on this child's command line: visible to ps on this host, like any redis-server's
        startProcess(command, Map.of());
        awaitReady(this::answersPing, Duration.ofSeconds(10), Duration.ofMillis(20),
                "throwaway redis-server on port " + port + " did not start");
    }

    /** The reply to {@link #command}, or "" when the server is not up (yet, or any more). */
    String answer(String... words) {
        try {
            return command(words);
        } catch (BackendUnavailableException e) {
            return "";
        }
    }

    /**
     * Sends one command (authenticating first when there is a password); returns the reply's text (an error's
     * without its '-', an array's first element); throws when the server cannot be reached.
     */
    String command(String... words) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            if (password != null) {
                out.write(resp("AUTH", password));
                readReply(in);
            }
            out.write(resp(words));
            out.flush();
            return readReply(in);
        } catch (IOException e) {
            throw new BackendUnavailableException("throwaway redis-server on port " + port + ": " + e.getMessage(), e);
        }
    }

    private static byte[] resp(String... words) {
        StringBuilder b = new StringBuilder("*").append(words.length).append("\r\n");
        for (String w : words) {
            b.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a simple, integer, error or bulk reply, or the first element of an array (the rest is left unread). */
    private static String readReply(InputStream in) throws IOException {
        String header = readLine(in);
        if (header.startsWith("*")) {
            return header.equals("*0") || header.equals("*-1") ? "" : readReply(in);
        }
        if (header.startsWith("$")) {
            int length = Integer.parseInt(header.substring(1));
            byte[] body = in.readNBytes(Math.max(0, length) + 2);
            return length < 0 ? "" : new String(body, 0, length, StandardCharsets.UTF_8);
        }
        return header.substring(1);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** True when the server answers PING (or asks for the password, which also means it is up). */
    private boolean answersPing() {
        String answer = greeting(port, "PING\r\n".getBytes(StandardCharsets.US_ASCII), 7,
                Duration.ofSeconds(1));
        return answer.startsWith("+PONG") || answer.startsWith("-NOAUTH");
    }
}
