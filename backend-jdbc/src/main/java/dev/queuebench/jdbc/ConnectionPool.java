package dev.queuebench.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.queuebench.api.QueueException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Function;
import javax.sql.DataSource;

/** The HikariCP pool every SQL backend lends its connections from: how it is set up, and how opening it fails. */
public final class ConnectionPool {
    /** The idle connections a pool keeps open however long they wait: one, so a fresh process holds one. */
    public static final int IDLE_KEPT = 1;
    /** How long a connection beyond {@link #IDLE_KEPT} sits idle before HikariCP's next 30 s sweep closes it. */
    public static final Duration IDLE_RETIRED_AFTER = Duration.ofSeconds(30);

    private ConnectionPool() {}

    /**
     * Autocommit connections from {@code connections}, opened on demand up to {@code size} and closed again down to
     * {@link #IDLE_KEPT} once idle for {@link #IDLE_RETIRED_AFTER}; borrowing waits at most {@code connectTimeout},
     * and opening tries once, bounded by the driver's own connect timeout.
     */
    public static HikariConfig settings(DataSource connections, String poolName, int size, Duration connectTimeout) {
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(connections);
        hikari.setPoolName(poolName);
        hikari.setMaximumPoolSize(size);
        // HikariCP's minimumIdle defaults to maximumPoolSize (a fixed pool): every process would hold size
        // connections from the start, and a run's processes together exhaust the server's max_connections.
        hikari.setMinimumIdle(Math.min(IDLE_KEPT, size));
        hikari.setIdleTimeout(IDLE_RETIRED_AFTER.toMillis());
        hikari.setAutoCommit(true);
        long timeoutMillis = connectTimeout.toMillis();
        hikari.setConnectionTimeout(timeoutMillis);
        hikari.setValidationTimeout(Math.max(250, timeoutMillis / 2));
        hikari.setInitializationFailTimeout(1); // one try at startup, bounded by the driver's connect timeout
        return hikari;
    }

    /**
     * The pool, with its first connection open; a failure is thrown as {@code translate} of the first driver
     * exception among its causes, or as {@code unreachable} of the pool's own exception when there is none.
     */
    public static HikariDataSource open(HikariConfig settings, Function<SQLException, QueueException> translate,
            Function<RuntimeException, QueueException> unreachable) {
        try {
            return new HikariDataSource(settings);
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql) {
                    throw translate.apply(sql);
                }
            }
            throw unreachable.apply(e);
        }
    }
}
