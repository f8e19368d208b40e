package dev.queuebench.mariadb;

import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.JobRequest;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server's settings mean for the jobs it holds, as read from it ({@code server_info.sql}): the durability
 * to declare, the largest payload one statement can carry, and the facts reports show.
 *
 * @param settings the variables {@code server_info.sql} reads, by lower-case name; never a secret
 */
record ServerSettings(Map<String, String> settings) {
    private static final System.Logger LOG = System.getLogger(ServerSettings.class.getName());
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");
    /** Room in max_allowed_packet for an enqueue statement's text besides its rows. */
    private static final int STATEMENT_OVERHEAD_BYTES = 4 << 10;
    /** A job's values besides its payload, as an enqueue statement writes them. */
    private static final int ROW_OVERHEAD_BYTES = 256;
    /** MEDIUMBLOB's limit. */
    private static final int PAYLOAD_COLUMN_BYTES = (16 << 20) - 1;

    ServerSettings {
        settings = Map.copyOf(settings);
    }

    /** Reads the settings; rejects MySQL and MariaDB before 10.6 (no SKIP LOCKED or RETURNING) by name. */
    static ServerSettings read(Connection connection, Sql sql, MariadbConfig config) throws SQLException {
        Map<String, String> settings = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(sql.serverInfo()); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                settings.put(rs.getString(1), rs.getString(2));
            }
        }
        ServerSettings server = new ServerSettings(settings);
        String version = settings.getOrDefault("version", "");
        Matcher m = VERSION.matcher(version);
        int major = m.find() ? Integer.parseInt(m.group(1)) : 0;
        int minor = major > 0 ? Integer.parseInt(m.group(2)) : 0;
        if (!version.contains("MariaDB")) {
            throw new ConfigurationException("'url' points at " + config.address() + ", which runs " + version
                    + ", not MariaDB: this backend's statements use INSERT/DELETE ... RETURNING, which MySQL lacks"
                    + " (the README says which statements differ on MySQL 8)");
        }
        if (major < 10 || major == 10 && minor < 6) {
            throw new ConfigurationException("MariaDB at " + config.address() + " runs " + version
                    + "; this backend needs 10.6 or newer (SKIP LOCKED)");
        }
        if (major == 10 && minor < 8) {
            LOG.log(Level.WARNING, "MariaDB {0} at {1} builds the claim index ascending (descending indexes came in"
                    + " 10.8): claims sort each queue''s ready jobs, slowly on a deep backlog", version,
                    config.address());
        }
        if (server.durability() != Durability.DURABLE) {
            LOG.log(Level.WARNING, "MariaDB at {0} runs with innodb_flush_log_at_trx_commit={1}, log_bin={2},"
                    + " sync_binlog={3}: acknowledged jobs can be lost in a crash, so the backend declares"
                    + " durability {4}", config.address(), settings.get("innodb_flush_log_at_trx_commit"),
                    settings.get("log_bin"), settings.get("sync_binlog"), server.durability());
        }
        return server;
    }

    /**
     * DURABLE when every commit is flushed to disk: {@code innodb_flush_log_at_trx_commit=1} and, with the binary
     * log on, {@code sync_binlog=1} (recovery keeps only the transactions the binary log holds). CRASH_SAFE when a
     * crash of the server process loses nothing but one of the machine may lose the last second: the redo log
     * written at each commit and flushed once a second ({@code =2}), or a binary log not synced at commit.
     * VOLATILE for {@code =0}, where the redo log is written once a second, so even a crash of the server process
     * loses the last second of acknowledged jobs.
     */
    Durability durability() {
        String flush = settings.getOrDefault("innodb_flush_log_at_trx_commit", "");
        boolean binlog = "ON".equalsIgnoreCase(settings.get("log_bin"));
        return switch (flush) {
            case "1" -> !binlog || "1".equals(settings.get("sync_binlog")) ? Durability.DURABLE : Durability.CRASH_SAFE;
            case "2" -> Durability.CRASH_SAFE;
            default -> Durability.VOLATILE;
        };
    }

    /** The largest payload one statement can carry: its bytes, counted twice for escaping, in statementBytes. */
    int maxPayloadBytes() {
        return (int) Math.min(PAYLOAD_COLUMN_BYTES, (statementBytes() - ROW_OVERHEAD_BYTES) / 2);
    }

    /** What the jobs of one enqueue statement may take: max_allowed_packet less room for the statement's text. */
    long statementBytes() {
        return Long.parseLong(settings.getOrDefault("max_allowed_packet", "16777216")) - STATEMENT_OVERHEAD_BYTES;
    }

    /** What a job takes of {@link #statementBytes()}: its payload, counted twice since escaping may double it. */
    static long rowBytes(JobRequest request) {
        return 2L * request.payload().length + ROW_OVERHEAD_BYTES;
    }
}
