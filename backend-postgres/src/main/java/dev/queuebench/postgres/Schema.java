package dev.queuebench.postgres;

import dev.queuebench.api.ConfigurationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Installs {@code schema.sql} into the configured schema, once, however many processes open it at the same time. */
final class Schema {
    /** The version this code reads and writes, from the first line of {@code schema.sql}. */
    static final int VERSION = versionOf(Sql.SCHEMA);

    private Schema() {}

    /**
     * Creates the schema and its tables unless they are there at this version. Runs in one transaction holding a
     * transaction-level advisory lock keyed by the schema's name, so concurrent installers run one after another and
     * the later ones find the work done. Fails if the schema was installed by a newer version.
     */
    static void install(Connection connection, String schema) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "queuebench schema " + schema);
                lock.execute();
            }
            // The name is checked against [a-z_][a-z0-9_]* by PostgresConfig, so quoting it is enough.
            statement.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
            statement.execute("SET LOCAL search_path TO \"" + schema + "\"");
            int installed = installedVersion(statement);
            if (installed > VERSION) {
                throw new ConfigurationException("schema '" + schema + "' holds QueueBench schema version " + installed
                        + ", newer than this backend's " + VERSION + "; use a newer backend or another 'schema'");
            }
            if (installed < VERSION) {
                statement.execute(Sql.SCHEMA);
                statement.execute("DELETE FROM schema_version");
                statement.execute("INSERT INTO schema_version (version) VALUES (" + VERSION + ")");
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static int installedVersion(Statement statement) throws SQLException {
        try (ResultSet exists = statement.executeQuery("SELECT to_regclass('schema_version') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return 0;
            }
        }
        try (ResultSet version = statement.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            version.next();
            return version.getInt(1);
        }
    }

    private static int versionOf(String sql) {
        Matcher m = Pattern.compile("version: (\\d+)").matcher(sql);
        if (!m.find()) {
            throw new IllegalStateException("schema.sql does not state its version");
        }
        return Integer.parseInt(m.group(1));
    }
}
