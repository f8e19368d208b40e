package dev.queuebench.sqlite;

import dev.queuebench.api.ConfigurationException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Creates the schema of {@code schema.sql} in a database file once, and refuses a file of another version. Safe when
 * several processes open a new file at once: the check and the DDL run in one {@code BEGIN IMMEDIATE} transaction, so
 * one process creates the tables and the others then find {@code user_version} set.
 */
final class Schema {
    /** The version {@code schema.sql} creates, kept in {@code PRAGMA user_version}. */
    static final int VERSION = 1;

    private Schema() {}

    /** Leaves the file at {@link #VERSION}, creating the tables if it has none; all or nothing. */
    static void ensure(Connections.Session session, Path path) throws SQLException {
        session.execute("BEGIN IMMEDIATE");
        try {
            int found = userVersion(session);
            if (found == 0) {
                for (String sql : SqlFile.SCHEMA) {
                    session.executeOnce(sql);
                }
                session.executeOnce("PRAGMA user_version = " + VERSION);
            } else if (found != VERSION) {
                throw new ConfigurationException("the SQLite file " + path + " holds QueueBench schema version "
                        + found + " but this backend knows version " + VERSION + "; use a new file for 'path'");
            }
            session.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
            session.rollbackQuietly();
            throw e;
        }
    }

    private static int userVersion(Connections.Session session) throws SQLException {
        try (ResultSet rs = session.prepare("PRAGMA user_version").executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
