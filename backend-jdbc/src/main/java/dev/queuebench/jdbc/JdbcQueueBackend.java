package dev.queuebench.jdbc;

import dev.queuebench.api.AbstractQueueBackend;
import dev.queuebench.api.Capabilities;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.QueueException;
import dev.queuebench.api.QueueMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * What a backend on a pool of SQL connections does around its statements, written once: lending a connection per
 * unit of work (retrying the work after a lock error, which rolled it back), the claim loop that waits on
 * {@link QueueSignals} between attempts, and answering a batch completion in the jobs' order. The statements, the
 * error codes and the waiting policy stay the dialect's.
 */
public abstract class JdbcQueueBackend extends AbstractQueueBackend {
    private final DataSource pool;
    private final Capabilities capabilities;

    /** A unit of work on one pooled connection. */
    @FunctionalInterface
    protected interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Sets a statement's parameters. */
    @FunctionalInterface
    protected interface Parameters {
        void set(PreparedStatement statement) throws SQLException;
    }

    /** Reads what a query returned. */
    @FunctionalInterface
    protected interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    protected JdbcQueueBackend(String name, String strategy, MeterRegistry registry, DataSource pool,
            Capabilities capabilities) {
        super(name, strategy, registry);
        this.pool = pool;
        this.capabilities = capabilities;
    }

    /** What the dialect declared when it opened. */
    @Override
    public final Capabilities capabilities() {
        return capabilities;
    }

    /** How many tries in all a unit of work gets when it meets {@code e}; 0 when {@code e} is no lock error. */
    protected abstract int lockErrorTries(SQLException e);

    /** The exception to throw for a driver failure while {@code doing} something, naming the server. */
    protected abstract QueueException translate(SQLException e, String doing);

    /** Called before try {@code tries + 1} of a unit of work that met a lock error; by default does not wait. */
    protected void pauseBeforeRetry(int tries) {}

    /**
     * How long a claim that found nothing may wait before its next look, given that it may wait at most
     * {@code bound}; by default all of it.
     */
    protected Duration untilNextLook(String queue, Duration bound) {
        return bound;
    }

    /**
     * Runs {@code work} on a pooled connection; a lock error is counted and the work tried again (it rolled back),
     * any other driver error becomes the dialect's {@link #translate translation}.
     */
    protected final <T> T withConnection(String queue, String doing, Work<T> work) {
        for (int tries = 1; ; tries++) {
            requireOpen();
            try (Connection connection = pool.getConnection()) {
                return work.run(connection);
            } catch (SQLException e) {
                int allowed = lockErrorTries(e);
                if (allowed > 0) {
                    metrics.lockError(queue == null ? "" : queue);
                    if (tries < allowed) {
                        pauseBeforeRetry(tries);
                        continue;
                    }
                }
                requireOpen();
                throw translate(e, doing);
            }
        }
    }

    /**
     * Runs {@code work} on a pooled connection, as {@link #withConnection}, after {@code reapSql} (its one parameter
     * the queue) settled the queue's expired last attempts, so that what the work reads or changes is current.
     */
    protected final <T> T afterReaping(String queue, String doing, String reapSql, Work<T> work) {
        return withConnection(queue, doing, c -> {
            updateQueue(c, reapSql, queue);
            return work.run(c);
        });
    }

    /** Runs one data-changing statement on {@code connection}; returns how many rows it changed. */
    protected static int update(Connection connection, String sql, Parameters parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            parameters.set(statement);
            return statement.executeUpdate();
        }
    }

    /** Runs one data-changing statement whose only parameter is {@code queue}; returns how many rows it changed. */
    protected static int updateQueue(Connection connection, String sql, String queue) throws SQLException {
        return update(connection, sql, statement -> statement.setString(1, queue));
    }

    /**
     * True when {@code lease} (null: not one of this table's) was still valid and {@code sql} moved its expiry to now +
     * {@code leaseDuration} by the server's clock; {@code sql}'s parameters are the lease's length in microseconds,
     * then the lease's id, queue and token.
     */
    protected final boolean extendLease(JobLease<?> lease, Duration leaseDuration, String sql) {
        return lease != null && withConnection(lease.queue(), "extending a lease", c -> update(c, sql, statement -> {
            statement.setLong(1, leaseDuration.toNanos() / 1_000);
            lease.bind(statement, 2);
        }) == 1);
    }

    /** Runs one query on {@code connection} and returns what {@code rows} reads from its result. */
    protected static <T> T query(Connection connection, String sql, Parameters parameters, Rows<T> rows)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            parameters.set(statement);
            try (ResultSet result = statement.executeQuery()) {
                return rows.read(result);
            }
        }
    }

    /**
     * Makes claim attempts until one leases jobs or {@code waitTimeout} is over. After an attempt that met no job at
     * all it waits on {@code signals} for a wake-up of the queue, at most {@code pollInterval} (and at most
     * {@link #untilNextLook}); after one that met jobs it could not lease it tries again at once, since others may
     * be right behind them. The attempt that leased jobs is timed under {@link QueueMetrics#CLAIM_STATEMENT}.
     */
    protected final List<ClaimedJob> claimUntil(String queue, Duration waitTimeout, Duration pollInterval,
            QueueSignals signals, Supplier<ClaimAttempt> attempt) {
        long deadline = System.nanoTime() + waitTimeout.toNanos();
        while (true) {
            long seen = signals.generation(queue);
            ClaimAttempt result = metrics.claimStatement(queue, attempt, a -> !a.jobs().isEmpty());
            metrics.claimConflicts(queue, result.conflicts());
            if (!result.jobs().isEmpty()) {
                return result.jobs();
            }
            if (result.died() > 0 || result.conflicts() > 0) {
                continue;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return List.of();
            }
            Duration sleep = untilNextLook(queue, min(Duration.ofNanos(remaining), pollInterval));
            try {
                signals.await(queue, seen, sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QueueException("interrupted while waiting for a job on queue " + queue, e);
            }
            requireOpen();
        }
    }

    /**
     * The answer of a batch completion for each job, in the jobs' order: true for a job whose lease is among
     * {@code completed}; a claim listed twice is answered true once.
     */
    protected static <L> List<Boolean> answersInJobOrder(List<ClaimedJob> jobs, Function<ClaimedJob, L> leaseOf,
            Set<L> completed) {
        List<Boolean> answers = new ArrayList<>(jobs.size());
        for (ClaimedJob job : jobs) {
            answers.add(completed.remove(leaseOf.apply(job)));
        }
        return answers;
    }

    /** The shorter of two durations. */
    protected static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
