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
import java.util.List;
import java.util.stream.Stream;

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

    static final List<String> SYNCHRONOUS_MODES = List.of("NORMAL", "FULL");

    static final ConfigKey<String> PATH = ConfigKey.text("path",
            "database file, e.g. target/queuebench.db; its folder must exist (required)", null);
    static final ConfigKey<Duration> BUSY_TIMEOUT = ConfigKey.duration("busyTimeout",
            "how long a write waits for another connection's lock", Duration.ofSeconds(5), Duration.ZERO,
            Duration.ofMinutes(10));
    static final ConfigKey<String> SYNCHRONOUS = ConfigKey.oneOf("synchronous",
            "NORMAL (WAL: crash-safe) or FULL (fsync on every commit)", SYNCHRONOUS_MODES, "NORMAL");
    static final ConfigKey<Integer> WRITER_CONNECTIONS = ConfigKey.integer("writerConnections",
            "connections that write (SQLite has one writer at a time)", 1, 1, 16);
    static final ConfigKey<Integer> READER_CONNECTIONS = ConfigKey.integer("readerConnections",
            "connections for stats, dead letters and footprint", 2, 1, 64);
    static final ConfigKey<Duration> POLL_INTERVAL = ConfigKey.duration("pollInterval",
            "longest pause between polls of a waiting claim", Duration.ofMillis(50), Duration.ofMillis(1),
            Duration.ofSeconds(10));
    static final ConfigKey<String> STRATEGY = QueueBackends.strategyKey(ClaimQuery.names());

    /** Every key the provider accepts. */
    static final List<ConfigKey<?>> KEYS = Stream.concat(Stream.of(PATH, BUSY_TIMEOUT, SYNCHRONOUS,
            WRITER_CONNECTIONS, READER_CONNECTIONS, POLL_INTERVAL, STRATEGY), Backoff.KEYS.stream()).toList();

    SqliteConfig {
        if (busyTimeout.isNegative() || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("busyTimeout must be >= 0 and pollInterval > 0");
        }
        if (!SYNCHRONOUS_MODES.contains(synchronous) || writerConnections < 1 || readerConnections < 1) {
            throw new IllegalArgumentException("synchronous must be one of " + SYNCHRONOUS_MODES
                    + " and there must be at least one writer and one reader connection");
        }
    }

    /** Reads and checks every key, naming the bad one and what it accepts. */
    static SqliteConfig from(BackendConfig config) {
        return new SqliteConfig(
                usablePath(config.given(PATH).orElseThrow(() -> new ConfigurationException(
                        "'" + PATH + "' is required: the SQLite database file, e.g. target/queuebench.db"))),
                config.get(BUSY_TIMEOUT),
                config.get(SYNCHRONOUS),
                config.get(WRITER_CONNECTIONS),
                config.get(READER_CONNECTIONS),
                config.get(POLL_INTERVAL),
                ClaimQuery.named(config.get(STRATEGY)),
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
