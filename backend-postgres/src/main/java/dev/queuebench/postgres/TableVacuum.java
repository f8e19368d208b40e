package dev.queuebench.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Stands in for autovacuum where the server runs without it: a queue table turns over its rows every few seconds,
 * and unvacuumed dead tuples make every claim walk past them. Once a check interval, vacuums the jobs table if
 * its dead tuples passed the threshold of {@code vacuum_due.sql}.
 */
final class TableVacuum implements AutoCloseable {
    private final DataSource connections;
    private final ScheduledExecutorService timer;

    /** Starts checking every {@code interval} through connections of {@code connections}. */
    TableVacuum(DataSource connections, String schema, Duration interval) {
        this.connections = connections;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("queuebench-postgres-vacuum-" + schema).factory());
        long millis = interval.toMillis();
        timer.scheduleWithFixedDelay(this::vacuumIfDue, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Stops checking, waiting for a vacuum under way to finish; idempotent. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void vacuumIfDue() {
        try (Connection connection = connections.getConnection(); Statement statement = connection.createStatement()) {
            boolean due;
            try (ResultSet rs = statement.executeQuery(Sql.VACUUM_DUE)) {
                due = rs.next() && rs.getBoolean(1);
            }
            if (due) {
                statement.execute(Sql.VACUUM);
            }
        } catch (SQLException | RuntimeException e) {
            // the server is away or the pool is closing: the next check tries again
        }
    }
}
