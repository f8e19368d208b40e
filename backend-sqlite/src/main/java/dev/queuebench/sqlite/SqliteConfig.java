package dev.queuebench.sqlite;

import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.ConfigKey;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueBackends;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The validated, immutable configuration of one SQLite backend.
 *
 * @param path              the database file; its folder must exist and be writable (SQLite puts -wal and -shm there)
 * @param busyTimeout       how long a write waits for another connection's write lock before it fails
 * @param synchronous       {@code NORMAL} (WAL: survives a process crash) or {@code FULL} (also a power loss)
 * @param writerConnections connections that write; SQLite admits one writer at a time, so 1 is usually best
 * @param readerConnections connections for reads (stats, dead letters, footprint) that never wait for writes
 * @param pollInterval      the longest pause between polls of a waiting claim
 */
record SqliteConfig(
        Path path,
        Duration busyTimeout,
        String synchronous,
        int writerConnections,
        int readerConnections,
        Duration pollInterval,
        ClaimQuery strategy,
        Backoff backoff) {

    static final String PATH = "path";
    static final String BUSY_TIMEOUT = "busyTimeout";
    static final String SYNCHRONOUS = "synchronous";
    static final String WRITER_CONNECTIONS = "writerConnections";
    static final String READER_CONNECTIONS = "readerConnections";
    static final String POLL_INTERVAL = "pollInterval";
    static final List<String> SYNCHRONOUS_MODES = List.of("NORMAL", "FULL");

    SqliteConfig {
        if (busyTimeout.isNegative() || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("busyTimeout must be >= 0 and pollInterval > 0");
        }
        if (!SYNCHRONOUS_MODES.contains(synchronous) || writerConnections < 1 || readerConnections < 1) {
            throw new IllegalArgumentException("synchronous must be one of " + SYNCHRONOUS_MODES
                    + " and there must be at least one writer and one reader connection");
        }
    }

    /** Every key the provider accepts, with its default. */
    static List<ConfigKey> keys() {
        List<ConfigKey> keys = new ArrayList<>();
        keys.add(new ConfigKey(PATH, "database file, e.g. target/queuebench.db; its folder must exist (required)", null));
        keys.add(new ConfigKey(BUSY_TIMEOUT, "how long a write waits for another connection's lock", "5s"));
        keys.add(new ConfigKey(SYNCHRONOUS, "NORMAL (WAL: crash-safe) or FULL (fsync on every commit)", "NORMAL"));
        keys.add(new ConfigKey(WRITER_CONNECTIONS, "connections that write (SQLite has one writer at a time)", "1"));
        keys.add(new ConfigKey(READER_CONNECTIONS, "connections for stats, dead letters and footprint", "2"));
        keys.add(new ConfigKey(POLL_INTERVAL, "longest pause between polls of a waiting claim", "50ms"));
        keys.add(QueueBackends.strategyKey(ClaimQuery.names()));
        keys.addAll(Backoff.configKeys());
        return keys;
    }

    /** Reads and checks every key, naming the bad one and what it accepts. */
    static SqliteConfig from(BackendConfig config) {
        return new SqliteConfig(
                usablePath(config.get(PATH).orElseThrow(() -> new ConfigurationException(
                        "'" + PATH + "' is required: the SQLite database file, e.g. target/queuebench.db"))),
                config.duration(BUSY_TIMEOUT, Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(10)),
                config.oneOf(SYNCHRONOUS, SYNCHRONOUS_MODES, "NORMAL"),
                config.integer(WRITER_CONNECTIONS, 1, 1, 16),
                config.integer(READER_CONNECTIONS, 2, 1, 64),
                config.duration(POLL_INTERVAL, Duration.ofMillis(50), Duration.ofMillis(1), Duration.ofSeconds(10)),
                ClaimQuery.named(config.oneOf(QueueBackends.STRATEGY_KEY, ClaimQuery.names(), ClaimQuery.names().get(0))),
                Backoff.from(config));
    }

    /** The path made absolute, or a {@link ConfigurationException} naming it when SQLite could not use it. */
    private static Path usablePath(String raw) {
        Path path;
        try {
            path = Path.of(raw).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigurationException("'" + PATH + "' is not a valid file path: '" + raw + "'", e);
        }
        Path folder = path.getParent();
        String named = "'" + PATH + "' " + path + ": ";
        if (folder == null || !Files.isDirectory(folder)) {
            throw new ConfigurationException(
                    named + "its folder " + folder + " does not exist; create it or choose another path");
        }
        if (Files.isDirectory(path)) {
            throw new ConfigurationException(
                    named + "is a folder; give the database file inside it, e.g. " + path.resolve("queuebench.db"));
        }
        if (!Files.isWritable(folder)) {
            throw new ConfigurationException(named + "its folder " + folder
                    + " is read-only; SQLite must create the -wal and -shm files beside the database");
        }
        if (Files.exists(path) && !Files.isWritable(path)) {
            throw new ConfigurationException(named + "the file is read-only; the queue must write to it");
        }
        return path;
    }
}
