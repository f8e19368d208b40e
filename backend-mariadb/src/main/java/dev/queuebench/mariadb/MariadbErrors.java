package dev.queuebench.mariadb;

import dev.queuebench.api.BackendUnavailableException;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.QueueException;
import dev.queuebench.api.Secrets;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** Turns driver and pool exceptions into the {@link QueueException} hierarchy by error code, as their cause. */
final class MariadbErrors {
    /** ER_LOCK_WAIT_TIMEOUT: a statement waited innodb_lock_wait_timeout for a row lock; only it rolled back. */
    static final int LOCK_WAIT_TIMEOUT = 1205;
    /** ER_LOCK_DEADLOCK: InnoDB chose this transaction as a deadlock's victim and rolled it back. */
    static final int DEADLOCK = 1213;
    /** Access denied: bad user or password (1045), or no access to the database (1044). */
    private static final Set<Integer> REFUSED = Set.of(1044, 1045);
    private static final int UNKNOWN_DATABASE = 1049;
    /**
     * The session or server went away: shutdown in progress (1053), connection killed (1927), server gone or
     * connection lost (2006, 2013: the driver's own codes), too many connections (1040).
     */
    private static final Set<Integer> GONE = Set.of(1040, 1053, 1927, 2006, 2013);
    private static final String HINT = "is MariaDB running? check 'url'";

    private MariadbErrors() {}

    /** True for the error codes the contract counts as lock errors: 1205 and 1213. */
    static boolean isLockError(SQLException e) {
        return e.getErrorCode() == LOCK_WAIT_TIMEOUT || isDeadlock(e);
    }

    /** True when the statement was rolled back as a deadlock's victim (1213). */
    static boolean isDeadlock(SQLException e) {
        return e.getErrorCode() == DEADLOCK;
    }

    /** The exception to throw for a failure while {@code doing} something, naming the server's address. */
    static QueueException translate(SQLException e, MariadbConfig config, String doing) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String address = config.address();
        String detail = oneLine(e.getMessage());
        int code = e.getErrorCode();
        if (REFUSED.contains(code) || state.startsWith("28")) {
            return new ConfigurationException("MariaDB at " + address + " refused user '" + config.user() + "' while "
                    + doing + ": " + detail + "; check the user and password in 'url'", e);
        }
        if (code == UNKNOWN_DATABASE) {
            return new ConfigurationException("database '" + config.database() + "' does not exist on MariaDB at "
                    + address + "; create it or fix 'url'", e);
        }
        if (code == LOCK_WAIT_TIMEOUT) {
            return new QueueException("MariaDB at " + address + ": a row lock stayed held by another transaction"
                    + " longer than 'lockWaitTimeout' (" + config.lockWaitTimeoutSeconds() + " s, error 1205) while "
                    + doing + ", each of the tries", e);
        }
        if (code == DEADLOCK) {
            return new QueueException("MariaDB at " + address + " rolled this statement back as a deadlock's victim"
                    + " (error 1213) while " + doing + ", each of the tries", e);
        }
        if (state.startsWith("08") || GONE.contains(code) || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLTransientConnectionException) {
            return new BackendUnavailableException("cannot reach MariaDB at " + address + " while " + doing + ": "
                    + detail + "; " + HINT, e);
        }
        return new QueueException("MariaDB at " + address + " failed while " + doing + ": " + detail, e);
    }

    /** The exception for a pool that failed to open without any driver exception among its causes. */
    static QueueException unreachable(RuntimeException e, MariadbConfig config) {
        return new BackendUnavailableException("cannot reach MariaDB at " + config.address() + ": "
                + oneLine(e.getMessage()) + "; " + HINT, e);
    }

    /** A driver message as one line, any password masked. */
    private static String oneLine(String message) {
        return message == null ? "" : Secrets.redact(message.replaceAll("\\s*\\R\\s*", " ").strip());
    }
}
