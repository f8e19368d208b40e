package dev.queuebench.mariadb;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.queuebench.api.Capabilities;
import dev.queuebench.api.Capabilities.Feature;
import dev.queuebench.api.Capabilities.Ordering;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.ConfigurationException;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.Footprint;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueException;
import dev.queuebench.api.QueueStats;
import dev.queuebench.jdbc.ConnectionPool;
import dev.queuebench.jdbc.JdbcQueueBackend;
import dev.queuebench.jdbc.JobLease;
import dev.queuebench.jdbc.QueueSignals;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * The mariadb backend: one InnoDB jobs table, a HikariCP pool of autocommit READ COMMITTED connections (every
 * operation is one statement, or two for the optimistic claim and the admin ones), and {@link QueueSignals} for waiting
 * claims; the plumbing around the statements is {@link JdbcQueueBackend}'s. The SQL of each operation is in the
 * {@code .sql} resource named after it.
 */
final class MariadbQueueBackend extends JdbcQueueBackend {
    /** A lock-wait timeout is rolled back whole, so it is tried again, this many times in all. */
    private static final int LOCK_ERROR_TRIES = 3;
    /** A deadlock victim costs no wait, so it is tried more often, after a jittered pause. */
    private static final int DEADLOCK_TRIES = 8;

    private final MariadbConfig config;
    private final Sql sql;
    private final ClaimQuery claimQuery;
    private final HikariDataSource pool;
    private final ServerSettings server;
    /**
     * Where waiting claims park. MariaDB has no LISTEN/NOTIFY, so only enqueues through this backend wake them; a
     * job enqueued by another process is found at the waiter's next look, at most a poll interval later.
     */
    private final QueueSignals wakeUps = new QueueSignals();

    private MariadbQueueBackend(MariadbConfig config, MeterRegistry registry, Sql sql, HikariDataSource pool,
            ServerSettings server) {
        super(MariadbBackendProvider.NAME, config.strategy(), registry, pool, new Capabilities(server.durability(),
                Ordering.ORDER_STRICT, server.maxPayloadBytes(), config.pollInterval(), Feature.all())
                .without(Feature.WAKE_ON_ENQUEUE));
        this.config = config;
        this.sql = sql;
        this.claimQuery = ClaimQuery.forStrategy(config.strategy());
        this.pool = pool;
        this.server = server;
    }

    /**
     * Connects (failing within about {@code connectTimeout} when the server cannot be reached), checks that it is
     * MariaDB 10.6 or newer, reads its settings and installs the schema if needed.
     */
    static MariadbQueueBackend open(MariadbConfig config, MeterRegistry registry) {
        Sql sql = Sql.forTable(config.table());
        HikariDataSource pool = ConnectionPool.open(poolConfig(config, dataSource(config)),
                e -> MariadbErrors.translate(e, config, "connecting"), e -> MariadbErrors.unreachable(e, config));
        try (Connection connection = pool.getConnection()) {
            ServerSettings server = ServerSettings.read(connection, sql, config);
            Schema.install(connection, sql, config);
            return new MariadbQueueBackend(config, registry, sql, pool, server);
        } catch (SQLException e) {
            pool.close();
            throw MariadbErrors.translate(e, config, "installing table '" + config.table() + "'");
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Server version and the settings that shape results (durability, memory, locking), plus this backend's own. */
    @Override
    public Map<String, String> serverInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("address", config.address());
        info.put("database", config.database());
        info.put("table", config.table());
        info.put("schema_version", Integer.toString(Schema.VERSION));
        info.put("strategy", strategy());
        info.put("pool_size", Integer.toString(config.poolSize()));
        info.put("poll_interval_ms", Long.toString(config.pollInterval().toMillis()));
        info.put("wake_up", "enqueues through this backend; others at the next poll");
        info.put("lock_wait_timeout_s", Integer.toString(config.lockWaitTimeoutSeconds()));
        info.put("durability", capabilities().durability().name());
        info.putAll(server.settings());
        info.put("server_version", server.settings().get("version"));
        return info;
    }

    // ---------------------------------------------------------------- producer

    /** Stores the job in one statement, wakes this backend's waiting claims, and returns its id. */
    @Override
    protected String doEnqueue(String queue, JobRequest request) {
        String id = withConnection(queue, "enqueuing", c -> insert(c, queue, List.of(request)).getFirst());
        wakeUps.wake(queue);
        return id;
    }

    /**
     * Stores every job, all or none, in one statement (several in one transaction if the batch is larger than the
     * server's max_allowed_packet); returns their ids in order.
     */
    @Override
    protected List<String> doEnqueueAll(String queue, List<JobRequest> requests) {
        List<List<JobRequest>> chunks = chunks(requests);
        List<String> ids = withConnection(queue, "enqueuing a batch", c -> {
            if (chunks.size() == 1) {
                return insert(c, queue, requests);
            }
            c.setAutoCommit(false);
            try {
                List<String> all = new ArrayList<>(requests.size());
                for (List<JobRequest> chunk : chunks) {
                    all.addAll(insert(c, queue, chunk));
                }
                c.commit();
                return all;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
        wakeUps.wake(queue);
        return ids;
    }

    private List<String> insert(Connection c, String queue, List<JobRequest> requests) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Sql.repeated(sql.enqueue(), requests.size()))) {
            int p = 1;
            for (JobRequest request : requests) {
                ps.setString(p++, queue);
                ps.setInt(p++, request.priority());
                ps.setObject(p++, request.runAt() == null ? null : UtcTimes.datetime(request.runAt()));
                ps.setInt(p++, request.maxAttempts());
                ps.setBytes(p++, request.payload());
            }
            List<String> ids = new ArrayList<>(requests.size());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(Long.toString(rs.getLong(1)));
                }
            }
            return ids;
        }
    }

    /** The batch cut into runs that each fit one statement under the server's max_allowed_packet. */
    private List<List<JobRequest>> chunks(List<JobRequest> requests) {
        long budget = server.statementBytes();
        List<List<JobRequest>> chunks = new ArrayList<>();
        int from = 0;
        long bytes = 0;
        for (int i = 0; i < requests.size(); i++) {
            long size = ServerSettings.rowBytes(requests.get(i));
            if (i > from && bytes + size > budget) {
                chunks.add(requests.subList(from, i));
                from = i;
                bytes = 0;
            }
            bytes += size;
        }
        chunks.add(requests.subList(from, requests.size()));
        return chunks;
    }

    // ---------------------------------------------------------------- consumer

    /**
     * Leases up to {@code maxJobs} jobs; when none is claimable, waits for an enqueue through this backend or the
     * poll interval, whichever comes first, and tries again until the wait is over. A delayed job coming due or a
     * lease expiring is seen at the next look: polling is the only way to learn of them, as of enqueues by others.
     */
    @Override
    protected List<ClaimedJob> doClaim(String queue, int maxJobs, Duration leaseDuration, Duration waitTimeout) {
        long leaseMicros = leaseDuration.toNanos() / 1_000;
        return claimUntil(queue, waitTimeout, config.pollInterval(), wakeUps, () -> {
            long token = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
            return withConnection(queue, "claiming", c -> claimQuery.claim(c, sql, queue, maxJobs, token, leaseMicros));
        });
    }

    /** Deletes the job if this claim's lease is still valid; one statement. */
    @Override
    protected boolean doComplete(ClaimedJob job) {
        JobLease<Long> lease = lease(job);
        return lease != null && withConnection(job.queue(), "completing a job",
                c -> update(c, sql.complete(), ps -> lease.bind(ps, 1)) == 1);
    }

    /**
     * Completes the jobs in one statement, each fenced on its own lease; the answers are in the jobs' order. Timed
     * under the first job's queue.
     */
    @Override
    protected List<Boolean> doCompleteAll(List<ClaimedJob> jobs) {
        // Rows are locked in id order, the order the optimistic claim locks them in too.
        List<JobLease<Long>> leases = jobs.stream()
                .map(MariadbQueueBackend::lease)
                .filter(Objects::nonNull)
                .distinct()
                .sorted(Comparator.comparingLong(JobLease::id))
                .toList();
        String queue = jobs.getFirst().queue();
        Set<JobLease<Long>> completed = leases.isEmpty() ? new HashSet<>()
                : withConnection(queue, "completing a batch", c -> query(c,
                        Sql.repeated(sql.completeAll(), leases.size()),
                        ps -> {
                            int p = 1;
                            for (JobLease<Long> lease : leases) {
                                p = lease.bind(ps, p);
                            }
                        },
                        rs -> {
                            Set<JobLease<Long>> deleted = new HashSet<>();
                            while (rs.next()) {
                                deleted.add(new JobLease<>(rs.getLong(1), rs.getString(2), rs.getLong(3)));
                            }
                            return deleted;
                        }));
        return answersInJobOrder(jobs, MariadbQueueBackend::lease, completed);
    }

    /** Schedules a retry after the configured backoff, or makes the job dead on its last attempt; one statement. */
    @Override
    protected FailResult doFail(ClaimedJob job, String error) {
        JobLease<Long> lease = lease(job);
        if (lease == null) {
            return FailResult.leaseLost();
        }
        long backoffMicros = config.backoff().delayAfter(job.attempt()).toNanos() / 1_000;
        return withConnection(job.queue(), "failing a job", c -> query(c, sql.fail(), ps -> {
            lease.bind(ps, 1);
            ps.setString(4, error);
            ps.setLong(5, backoffMicros);
        }, rs -> {
            if (!rs.next()) {
                return FailResult.leaseLost();
            }
            return rs.getBoolean("dead") ? FailResult.dead() : FailResult.retryAt(UtcTimes.instant(rs, "run_at"));
        }));
    }

    /** Moves a valid lease's expiry to now + {@code leaseDuration} by the server's clock; one statement. */
    @Override
    protected boolean doExtendLease(ClaimedJob job, Duration leaseDuration) {
        return extendLease(lease(job), leaseDuration, sql.extendLease());
    }

    // ---------------------------------------------------------------- admin

    /** Exact counts by state once the queue is quiet; settles expired last attempts first. */
    @Override
    protected QueueStats doStats(String queue) {
        return afterReaping(queue, "counting jobs", sql.reapExpired(),
                c -> query(c, sql.stats(), ps -> ps.setString(1, queue), rs -> {
                    rs.next();
                    return new QueueStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
                }));
    }

    /** Up to {@code limit} dead jobs, oldest first; settles expired last attempts first. */
    @Override
    protected List<DeadJob> doDeadLetters(String queue, int limit) {
        return afterReaping(queue, "reading dead letters", sql.reapExpired(), c -> query(c, sql.deadLetters(),
                ps -> {
                    ps.setString(1, queue);
                    ps.setInt(2, limit);
                }, rs -> {
                    List<DeadJob> dead = new ArrayList<>();
                    while (rs.next()) {
                        dead.add(new DeadJob(Long.toString(rs.getLong("id")), queue, rs.getBytes("payload"),
                                rs.getInt("attempt"), rs.getString("last_error"),
                                UtcTimes.instant(rs, "enqueued_at")));
                    }
                    return dead;
                }));
    }

    /** Makes every dead job ready with attempts reset; returns how many. */
    @Override
    protected long doRequeueDead(String queue) {
        long requeued = afterReaping(queue, "requeueing dead jobs", sql.reapExpired(),
                c -> (long) updateQueue(c, sql.requeueDead(), queue));
        wakeUps.wake(queue);
        return requeued;
    }

    /** Deletes every job of the queue in one statement; returns how many. */
    @Override
    protected long doPurge(String queue) {
        return withConnection(queue, "purging", c -> (long) updateQueue(c, sql.purge(), queue));
    }

    /** The jobs table's data, index and free bytes and estimated rows, and the server's history list length. */
    @Override
    protected Footprint doFootprint() {
        return withConnection(null, "measuring the footprint", c -> query(c, sql.footprint(),
                ps -> ps.setString(1, config.table()), rs -> {
                    if (!rs.next()) {
                        throw new QueueException("table '" + config.table() + "' is missing from database '"
                                + config.database() + "' on MariaDB at " + config.address());
                    }
                    return Footprint.of(Map.of(
                            Footprint.STORED_BYTES, rs.getLong(1) + rs.getLong(2),
                            "table_bytes", rs.getLong(1),
                            "index_bytes", rs.getLong(2),
                            "free_bytes", rs.getLong(3),
                            "rows_estimate", rs.getLong(4),
                            "history_list_length", rs.getLong(5)));
                }));
    }

    /** Wakes every waiting claim, then closes the pool. */
    @Override
    protected void doClose() {
        wakeUps.close();
        pool.close();
    }

    // ---------------------------------------------------------------- plumbing

    /** Errors 1205 and 1213 (they rolled back): a lock-wait timeout is tried 3 times in all, a deadlock 8. */
    @Override
    protected int lockErrorTries(SQLException e) {
        if (!MariadbErrors.isLockError(e)) {
            return 0;
        }
        return MariadbErrors.isDeadlock(e) ? DEADLOCK_TRIES : LOCK_ERROR_TRIES;
    }

    @Override
    protected QueueException translate(SQLException e, String doing) {
        return MariadbErrors.translate(e, config, doing);
    }

    /** A jittered pause that doubles per try (up to 64 ms), so transactions that deadlocked do not meet again. */
    @Override
    protected void pauseBeforeRetry(int tries) {
        long bound = 1L << Math.min(tries, 6);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(1, bound + 1)));
    }

    /** Unpooled connections as configured, with the configured lock wait timeout: the pool's source, and tests'. */
    static MariaDbDataSource dataSource(MariadbConfig config) {
        StringBuilder url = new StringBuilder("jdbc:mariadb://").append(config.address()).append('/')
                .append(config.database())
                .append("?connectTimeout=").append(config.connectTimeout().toMillis())
                .append("&sessionVariables=innodb_lock_wait_timeout=").append(config.lockWaitTimeoutSeconds());
        config.parameters().forEach((name, value) -> url.append('&').append(name).append('=').append(value));
        try {
            MariaDbDataSource ds = new MariaDbDataSource(url.toString());
            ds.setUser(config.user());
            if (config.password() != null) {
                ds.setPassword(config.password());
            }
            return ds;
        } catch (SQLException e) {
            throw new ConfigurationException("'" + MariadbConfig.URL.name() + "' has options Connector/J does not"
                    + " accept (" + e.getMessage() + "); see the MariaDB Connector/J options", e);
        }
    }

    private static HikariConfig poolConfig(MariadbConfig config, MariaDbDataSource connections) {
        HikariConfig hikari = ConnectionPool.settings(connections, "queuebench-mariadb-" + config.table(),
                config.poolSize(), config.connectTimeout());
        // READ COMMITTED: a locking read then takes no gap locks, which would stall enqueues behind claims.
        hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        return hikari;
    }

    /** The lease {@code job} holds in the jobs table (its token a number); null when it is not one of ours. */
    private static JobLease<Long> lease(ClaimedJob job) {
        return JobLease.of(job, Long::valueOf);
    }
}
