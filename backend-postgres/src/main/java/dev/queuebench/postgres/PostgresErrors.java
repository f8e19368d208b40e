package dev.queuebench.postgres;

import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueException;
import dev.queuebench.api.Secrets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** Turns driver and pool exceptions into the {@link QueueException} hierarchy by SQLSTATE, as their cause. */
final class PostgresErrors {
    /** Serialization failure, deadlock, lock not available: counted as lock errors, and retried. */
    private static final Set<String> LOCK_STATES = Set.of("40001", "40P01", "55P03");
    /** The server went away or is going: admin shutdown, crash shutdown, cannot connect now. */
    private static final Set<String> GONE_STATES = Set.of("57P01", "57P02", "57P03");
    private static final String HINT = "is PostgreSQL running? check 'url'";

    private PostgresErrors() {}

    /** True for the SQLSTATEs the contract counts as lock errors. */
    static boolean isLockError(SQLException e) {
        return LOCK_STATES.contains(e.getSQLState());
    }

    /** The exception to throw for a failure while {@code doing} something, naming the server's address. */
    static QueueException translate(SQLException e, PostgresConfig config, String doing) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String address = config.address();
        String detail = Secrets.redact(e.getMessage());
        if (state.startsWith("28")) {
            return new ConfigurationException("PostgreSQL at " + address + " refused user '" + config.user()
                    + "' while " + doing + ": " + detail + "; check the user and password in 'url'", e);
        }
        if (state.equals("3D000")) {
            return new ConfigurationException("database '" + config.database() + "' does not exist on PostgreSQL at "
                    + address + "; create it or fix 'url'", e);
        }
        if (state.startsWith("08") || GONE_STATES.contains(state) || e instanceof SQLTransientConnectionException) {
            return new BackendUnavailableException("cannot reach PostgreSQL at " + address + " while " + doing + ": "
                    + detail + "; " + HINT, e);
        }
        return new QueueException("PostgreSQL at " + address + " failed while " + doing + ": " + detail, e);
    }

    /** The exception for a pool that failed to open without any driver exception among its causes. */
    static QueueException unreachable(RuntimeException e, PostgresConfig config) {
        return new BackendUnavailableException("cannot reach PostgreSQL at " + config.address() + ": "
                + Secrets.redact(e.getMessage()) + "; " + HINT, e);
    }
}
