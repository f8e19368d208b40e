package dev.queuebench.postgres;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.faults.ThrowawayServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of its own: {@code initdb} and {@code pg_ctl} run as the {@code postgres} OS user (through
 * {@code runuser} when the suite runs as root) in a temporary folder, trust authentication, listening on a free
 * loopback port and a socket in that folder. {@link PostgresFaults} hands it to the chaos suite. A node of a
 * {@link ThrowawayPostgresPair} is one too: its primary started with settings of its own, its standby made from the
 * primary by {@code pg_basebackup -R}.
 */
public final class ThrowawayPostgres extends ThrowawayServer {
    private final Path bin;
    private final Path data;
    /** {@code -c name=value} settings on the server's command line (so a base backup does not copy them). */
    private final List<String> settings;
    /** The node a standby streams from; null for a cluster made by initdb. */
    private final ThrowawayPostgres upstream;
    /** The application_name a standby's WAL receiver reports to its primary; null for a primary. */
    private final String standbyName;

    private ThrowawayPostgres(Path bin, List<String> settings, ThrowawayPostgres upstream, String standbyName) {
        super(upstream == null ? "qb-chaos-pg-" : "qb-chaos-pg-standby-");
        this.bin = bin;
        this.data = folder.resolve("data");
        this.settings = List.copyOf(settings);
        this.upstream = upstream;
        this.standbyName = standbyName;
    }

    /** Why a throwaway cluster cannot be made here, or empty when it can. */
    public static Optional<String> unavailableReason() {
        if (binaries().isEmpty()) {
            return Optional.of("no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql");
        }
        if (!isRoot() && !System.getProperty("user.name").equals("postgres")) {
            return Optional.of("initdb must run as the postgres OS user; the suite runs as neither root nor postgres");
        }
        return Optional.empty();
    }

    /** Why no standby can be made here ({@code pg_basebackup} missing beside initdb), or empty. */
    static Optional<String> noBaseBackupReason() {
        return binaries().filter(b -> !Files.isExecutable(b.resolve("pg_basebackup")))
                .map(b -> "no pg_basebackup in " + b + ": a streaming standby cannot be made");
    }

    /** Makes, starts and returns a new cluster. */
    public static ThrowawayPostgres start() {
        return start(List.of());
    }

    /** Makes, starts and returns a new cluster run with {@code settings} ({@code name=value} each). */
    static ThrowawayPostgres start(List<String> settings) {
        return launched(new ThrowawayPostgres(binaries().orElseThrow(), settings, null, null));
    }

    /**
     * Makes a streaming standby of {@code primary} ({@code pg_basebackup -R}: the primary's files as of now and a
     * {@code primary_conninfo} naming it, with {@code application_name} {@code name}), starts it and returns it once
     * it accepts read-only connections.
     */
    static ThrowawayPostgres standbyOf(ThrowawayPostgres primary, String name) {
        return launched(new ThrowawayPostgres(primary.bin, List.of(), primary, name));
    }

    @Override
    protected void launch() {
        if (isRoot()) {
            run(List.of("chown", "postgres", folder.toString()));
        }
        if (upstream == null) {
            asPostgres("initdb", "-D", data.toString(), "-A", "trust", "-U", "postgres", "--no-sync");
        } else {
            asPostgres("pg_basebackup", "-D", data.toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync",
                    "-d", "host=127.0.0.1 port=" + upstream.port + " user=postgres application_name=" + standbyName);
        }
        StringBuilder options = new StringBuilder("-p " + port + " -k " + folder + " -c listen_addresses=127.0.0.1");
        settings.forEach(setting -> options.append(" -c ").append(setting));
        asPostgres("pg_ctl", "-D", data.toString(), "-l", folder.resolve("log").toString(), "-w", "-t", "60",
                "-o", options.toString(), "start");
    }

    /** {@code pg_ctl promote}: a standby ends recovery and becomes a primary; returns once it accepts writes. */
    void promote() {
        asPostgres("pg_ctl", "-D", data.toString(), "-w", "-t", "60", "promote");
    }

    /** The answer of {@code sql} run by psql on this node (unaligned, tuples only), trimmed. */
    String query(String sql) {
        return asPostgres("psql", "-h", folder.toString(), "-p", Integer.toString(port), "-U", "postgres",
                "-d", "postgres", "-Atc", sql);
    }

    /** The node's TCP port on 127.0.0.1. */
    int port() {
        return port;
    }

    @Override
    public Map<String, String> config() {
        return Map.of(PostgresConfig.URL.name(), "postgresql://postgres@127.0.0.1:" + port + "/postgres");
    }

    @Override
    public String describe() {
        return "throwaway PostgreSQL " + (upstream == null ? "cluster" : "standby") + " on 127.0.0.1:" + port
                + " in " + folder;
    }

    @Override
    public List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        ProcessHandle.of(postmasterPid()).ifPresent(p -> {
            all.add(p);
            p.descendants().forEach(all::add);
        });
        return all;
    }

    /**
     * {@code pg_terminate_backend} on every session whose {@code application_name} is the one the backend opened
     * with {@code config} gives its connections ({@code queuebench/<schema>}); returns how many were ended.
     */
    @Override
    public int killConnections(BackendConfig config) {
        String applicationName = PostgresQueueBackend.applicationName(config.get(PostgresConfig.SCHEMA));
        String ended = query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name = '" + applicationName.replace("'", "''") + "'");
        return Integer.parseInt(ended.lines().reduce((a, b) -> b).orElse("0").trim());
    }

    /** {@code pg_ctl restart} (fast shutdown: every session is ended, nothing committed is lost). */
    @Override
    public void restart() {
        asPostgres("pg_ctl", "-D", data.toString(), "-l", folder.resolve("log").toString(), "-w", "-t", "60",
                "-m", "fast", "restart");
    }

    /** Stops the cluster at once (if it still runs), waits for its postmaster to exit, and removes its folder. */
    @Override
    public void close() {
        Optional<ProcessHandle> postmaster = ProcessHandle.of(postmasterPid());
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                asPostgres("pg_ctl", "-D", data.toString(), "-w", "-m", "immediate", "stop");
            }
        } catch (BackendUnavailableException e) {
            postmaster.ifPresent(ProcessHandle::destroyForcibly);
        } finally {
            postmaster.ifPresent(ThrowawayPostgres::awaitExit);
            removeFolder();
        }
    }

    private static void awaitExit(ProcessHandle process) {
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // a postmaster still exiting after 10 s is left to the operating system
        }
    }

    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private String asPostgres(String program, String... args) {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        return run(command);
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} holding initdb and pg_ctl. */
    private static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max((a, b) -> Integer.compare(version(a), version(b)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int version(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
