package dev.queuebench.mariadb;

import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Installs {@code schema.sql} for the configured table, once, however many processes open it at the same time. */
final class Schema {
    /** The version this code reads and writes, from the first line of {@code schema.sql}. */
    static final int VERSION = Sql.SCHEMA_VERSION;
    /** How long an installer waits for another one to finish. */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(60);
    private static final int NO_SUCH_TABLE = 1146;

    private Schema() {}

    /**
     * Creates the tables unless they are there at this version. Runs holding a named lock ({@code GET_LOCK}) keyed
     * by the database and table, so concurrent installers run one after another and the later ones find the work
     * done. Fails if the table was installed by a newer version.
     */
    static void install(Connection connection, Sql sql, MariadbConfig config) throws SQLException {
        lock(connection, sql, config);
        try (Statement statement = connection.createStatement()) {
            int installed = installedVersion(statement, sql);
            if (installed > VERSION) {
                throw new ConfigurationException("table '" + config.table() + "' holds QueueBench schema version "
                        + installed + ", newer than this backend's " + VERSION
                        + "; use a newer backend or another 'table'");
            }
            if (installed < VERSION) {
                for (String ddl : Sql.statements(sql.schema())) {
                    statement.execute(ddl);
                }
                try (PreparedStatement record = connection.prepareStatement(sql.setVersion())) {
                    record.setInt(1, VERSION);
                    record.executeUpdate();
                }
            }
        } finally {
            try (PreparedStatement unlock = connection.prepareStatement(sql.installUnlock())) {
                unlock.setString(1, config.table());
                unlock.execute();
            }
        }
    }

    private static void lock(Connection connection, Sql sql, MariadbConfig config) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(sql.installLock())) {
            lock.setString(1, config.table());
            lock.setLong(2, LOCK_WAIT.toSeconds());
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                if (rs.getInt(1) != 1) {
                    throw new QueueException("another process has been installing table '" + config.table()
                            + "' on MariaDB at " + config.address() + " for " + LOCK_WAIT.toSeconds()
                            + " s; try again once it is done");
                }
            }
        }
    }

    private static int installedVersion(Statement statement, Sql sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql.installedVersion())) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            if (e.getErrorCode() == NO_SUCH_TABLE) {
                return 0;
            }
            throw e;
        }
    }
}
