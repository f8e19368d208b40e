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
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of its own: {@code initdb} and {@code pg_ctl} run as the {@code postgres} OS user (through
 * {@code runuser} when the suite runs as root) in a temporary folder, trust authentication, listening on a free
 * loopback port and a socket in that folder. {@link PostgresFaults} hands it to the chaos suite.
 */
public final class ThrowawayPostgres extends ThrowawayServer {
    private final Path bin;
    private final Path data;

    private ThrowawayPostgres(Path bin) {
        super("qb-chaos-pg-");
        this.bin = bin;
        this.data = folder.resolve("data");
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

    /** Makes, starts and returns a new cluster. */
    public static ThrowawayPostgres start() {
        return launched(new ThrowawayPostgres(binaries().orElseThrow()));
    }

    @Override
    protected void launch() {
        if (isRoot()) {
            run(List.of("chown", "postgres", folder.toString()));
        }
        asPostgres("initdb", "-D", data.toString(), "-A", "trust", "-U", "postgres", "--no-sync");
        asPostgres("pg_ctl", "-D", data.toString(), "-l", folder.resolve("log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + folder + " -c listen_addresses=127.0.0.1", "start");
    }

    @Override
    public Map<String, String> config() {
        return Map.of(PostgresConfig.URL.name(), "postgresql://postgres@127.0.0.1:" + port + "/postgres");
    }

    @Override
    public String describe() {
        return "throwaway PostgreSQL cluster on 127.0.0.1:" + port + " in " + folder;
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
        String ended = asPostgres("psql", "-h", folder.toString(), "-p", Integer.toString(port), "-U", "postgres",
                "-d", "postgres", "-Atc", "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE application_name = '" + applicationName.replace("'", "''") + "'");
        return Integer.parseInt(ended.lines().reduce((a, b) -> b).orElse("0").trim());
    }

    /** {@code pg_ctl restart} (fast shutdown: every session is ended, nothing committed is lost). */
    @Override
    public void restart() {
        asPostgres("pg_ctl", "-D", data.toString(), "-l", folder.resolve("log").toString(), "-w", "-t", "60",
                "-m", "fast", "restart");
    }

    /** Stops the cluster at once and removes its folder. */
    @Override
    public void close() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                asPostgres("pg_ctl", "-D", data.toString(), "-w", "-m", "immediate", "stop");
            }
        } catch (BackendUnavailableException e) {
            ProcessHandle.of(postmasterPid()).ifPresent(ProcessHandle::destroyForcibly);
        } finally {
            removeFolder();
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
