package dev.queuebench.mariadb;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.faults.ThrowawayServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A MariaDB server of its own: a data directory made by {@code mariadb-install-db} in a temporary folder, a
 * {@code mariadbd} on a free loopback port and a socket in that folder, root without a password, a database
 * {@code queuebench}. When the JVM runs as root the server runs as the {@code mysql} OS user, as mariadbd insists.
 * Small buffers (32 MiB buffer pool, 16 MiB redo log) and no binary log; durability settings are the defaults.
 */
public final class ThrowawayMariadb extends ThrowawayServer {
    /** The database the server is made with, for the backend's url. */
    static final String DATABASE = "queuebench";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> SEARCHED = List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin");
    private static final String OS_USER = "mysql";

    private final Path data;
    private final Path socket;
    private volatile Process server;

    private ThrowawayMariadb() {
        super("qb-chaos-mariadb-");
        this.data = folder.resolve("data");
        this.socket = folder.resolve("mariadbd.sock");
    }

    /** Why a throwaway server cannot be made here, or empty when it can. */
    static Optional<String> unavailableReason() {
        for (String program : List.of("mariadbd", "mariadb-install-db", "mariadb-admin")) {
            if (binary(program).isEmpty()) {
                return Optional.of("no " + program + " in " + SEARCHED + " (install the mariadb-server package)");
            }
        }
        if (isRoot()) {
            try {
                run(List.of("id", "-u", OS_USER));
            } catch (BackendUnavailableException e) {
                return Optional.of("running as root, but there is no '" + OS_USER + "' OS user to run mariadbd as");
            }
        }
        return Optional.empty();
    }

    /** Makes, starts and returns a new server. */
    public static ThrowawayMariadb start() {
        return launched(new ThrowawayMariadb());
    }

    @Override
    protected void launch() {
        List<String> install = new ArrayList<>(List.of(binary("mariadb-install-db").orElseThrow().toString(),
                "--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db"));
        install.addAll(serverOptions());
        if (isRoot()) {
            run(List.of("chown", OS_USER, folder.toString()));
            install.add("--user=" + OS_USER);
        }
        run(install);
        startServer();
        admin("CREATE DATABASE IF NOT EXISTS " + DATABASE);
    }

    /** The url of a backend on this server; the jobs table is the backend's default unless the user named one. */
    @Override
    public Map<String, String> config() {
        return Map.of(MariadbConfig.URL.name(), "mariadb://root@127.0.0.1:" + port + "/" + DATABASE);
    }

    @Override
    public String describe() {
        return "throwaway MariaDB (mariadbd as " + (isRoot() ? OS_USER : System.getProperty("user.name"))
                + ") on 127.0.0.1:" + port + " in " + folder;
    }

    @Override
    public List<ProcessHandle> processes() {
        Process running = server;
        return running != null && running.isAlive() ? List.of(running.toHandle()) : List.of();
    }

    /** {@code mariadb-admin shutdown} (a clean shutdown: every session ends, nothing committed is lost), then start. */
    @Override
    public void restart() {
        stopServer();
        startServer();
    }

    /**
     * {@code KILL CONNECTION} on every session of the user and database the backend's {@code url} names (nothing
     * else connects to this server but the suite's backends); returns how many were ended.
     */
    @Override
    public int killConnections(BackendConfig config) {
        MariadbConfig backend = MariadbConfig.from(config, new MariadbBackendProvider().strategies());
        try (Connection c = connect(); PreparedStatement sessions = c.prepareStatement(
                "SELECT id FROM information_schema.PROCESSLIST WHERE user = ? AND db = ? AND id <> CONNECTION_ID()");
                Statement kill = c.createStatement()) {
            sessions.setString(1, backend.user());
            sessions.setString(2, backend.database());
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = sessions.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            int killed = 0;
            for (long id : ids) {
                try {
                    kill.execute("KILL CONNECTION " + id);
                    killed++;
                } catch (SQLException e) {
                    // the session ended by itself meanwhile (ER_NO_SUCH_THREAD)
                }
            }
            return killed;
        } catch (SQLException e) {
            throw new BackendUnavailableException("cannot kill connections on " + describe() + ": " + e.getMessage(),
                    e);
        }
    }

    /** Stops the server at once (SIGKILL if it does not stop within 30 s of SIGTERM) and removes its folder. */
    @Override
    public void close() {
        try {
            Process running = server;
            if (running != null && running.isAlive()) {
                running.destroy();
                if (!running.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    running.destroyForcibly().waitFor();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroyForcibly();
        } finally {
            removeFolder();
        }
    }

    private void startServer() {
        List<String> command = new ArrayList<>(List.of(binary("mariadbd").orElseThrow().toString(), "--no-defaults",
                "--datadir=" + data, "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + socket,
                "--pid-file=" + folder.resolve("mariadbd.pid"), "--log-error=" + folder.resolve("error.log"),
                "--skip-log-bin"));
        command.addAll(serverOptions());
        if (isRoot()) {
            command.add("--user=" + OS_USER);
        }
        try {
            server = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(folder.resolve("mariadbd.out").toFile()).start();
        } catch (IOException e) {
            throw new BackendUnavailableException("cannot start mariadbd: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                run(List.of(binary("mariadb-admin").orElseThrow().toString(), "--no-defaults", "--socket=" + socket,
                        "-uroot", "--connect-timeout=1", "ping"));
                return;
            } catch (BackendUnavailableException notYet) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new BackendUnavailableException("mariadbd did not start on port " + port + "; its log: "
                            + tail(folder.resolve("error.log")), notYet);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BackendUnavailableException("interrupted while starting mariadbd", e);
                }
            }
        }
    }

    private void stopServer() {
        Process running = server;
        run(List.of(binary("mariadb-admin").orElseThrow().toString(), "--no-defaults", "--socket=" + socket, "-uroot",
                "shutdown"));
        try {
            if (!running.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new BackendUnavailableException("mariadbd did not stop within " + STOP_TIMEOUT.toSeconds()
                        + " s of mariadb-admin shutdown", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException("interrupted while stopping mariadbd", e);
        }
    }

    /** Small memory, as befits a server made for one run; durability as the defaults have it. */
    private static List<String> serverOptions() {
        return List.of("--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M", "--max-connections=200");
    }

    private void admin(String statement) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new BackendUnavailableException("'" + statement + "' failed on " + describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        return MariadbQueueBackend.dataSource(MariadbConfig.from(BackendConfig.of(
                Map.of(MariadbConfig.URL.name(), "mariadb://root@127.0.0.1:" + port + "/mysql")),
                new MariadbBackendProvider().strategies())).getConnection();
    }

    private static String tail(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.toList();
            return String.join(" | ", all.subList(Math.max(0, all.size() - 5), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(none)";
        }
    }

    private static Optional<Path> binary(String program) {
        return SEARCHED.stream().map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst();
    }
}
