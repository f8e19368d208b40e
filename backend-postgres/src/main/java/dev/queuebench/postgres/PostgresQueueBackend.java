package dev.queuebench.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.queuebench.api.Capabilities;
import dev.queuebench.api.Capabilities.Durability;
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
import dev.queuebench.api.ServerUrl;
import dev.queuebench.jdbc.ConnectionPool;
import dev.queuebench.jdbc.JdbcQueueBackend;
import dev.queuebench.jdbc.JobLease;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The postgres backend: one jobs table per schema, a HikariCP pool of autocommit connections (every operation is
 * one statement, or two for the admin ones), and a {@link WakeUpListener} for waiting claims; the plumbing around
 * the statements is {@link JdbcQueueBackend}'s. The SQL of each operation is in the {@code .sql} resource named
 * after it.
 */
final class PostgresQueueBackend extends JdbcQueueBackend {
    private static final int MAX_PAYLOAD_BYTES = 16 << 20;
    /** Tries of an operation that meets a lock error (it rolled back, so trying again is safe). */
    private static final int LOCK_ERROR_TRIES = 3;
    /** Shortest sleep of a waiting claim that saw a due job it could not take (another claim held it locked). */
    private static final Duration MIN_WAIT = Duration.ofMillis(5);
    /** How often the backend's own vacuum (where it runs) looks at the dead tuples. */
    private static final Duration VACUUM_CHECK_INTERVAL = Duration.ofSeconds(1);

    private final PostgresConfig config;
    private final ClaimQuery claimQuery;
    private final HikariDataSource pool;
    private final WakeUpListener wakeUps;
    private final TableVacuum vacuum;

    private PostgresQueueBackend(PostgresConfig config, MeterRegistry registry, HikariDataSource pool,
            WakeUpListener wakeUps, TableVacuum vacuum, Durability durability) {
        super(PostgresBackendProvider.NAME, config.strategy(), registry, pool, capabilities(config, durability));
        this.config = config;
        this.claimQuery = ClaimQuery.forStrategy(config.strategy());
        this.pool = pool;
        this.wakeUps = wakeUps;
        this.vacuum = vacuum;
    }

    /** Every feature, but wake-on-enqueue only when notify is on. */
    private static Capabilities capabilities(PostgresConfig config, Durability durability) {
        Capabilities all = new Capabilities(durability, Ordering.ORDER_STRICT, MAX_PAYLOAD_BYTES, config.pollInterval(),
                Feature.all());
        return config.notifyOnEnqueue() ? all : all.without(Feature.WAKE_ON_ENQUEUE);
    }

    /**
     * Connects (failing within about {@code connectTimeout} when the server cannot be reached), installs the schema
     * if needed, and starts listening for enqueues when notify is on.
     */
    static PostgresQueueBackend open(PostgresConfig config, MeterRegistry registry) {
        PGSimpleDataSource connections = dataSource(config);
        HikariDataSource pool = ConnectionPool.open(poolConfig(config, connections),
                e -> PostgresErrors.translate(e, config, "connecting"), e -> PostgresErrors.unreachable(e, config));
        try {
            Map<String, String> settings;
            try (Connection connection = pool.getConnection()) {
                Schema.install(connection, config.schema());
                settings = settings(connection);
            }
            boolean vacuumHere = config.vacuum().equals(PostgresConfig.VACUUM_ALWAYS)
                    || config.vacuum().equals(PostgresConfig.VACUUM_AUTO) && "off".equals(settings.get("autovacuum"));
            TableVacuum vacuum = vacuumHere ? new TableVacuum(pool, config.schema(), VACUUM_CHECK_INTERVAL) : null;
            Duration reconnectDelay = min(config.pollInterval(), Duration.ofSeconds(1));
            WakeUpListener wakeUps = config.notifyOnEnqueue()
                    ? WakeUpListener.listening(connections, config.channel(), reconnectDelay, config.connectTimeout())
                    : WakeUpListener.pollingOnly();
            return new PostgresQueueBackend(config, registry, pool, wakeUps, vacuum, durability(settings));
        } catch (SQLException e) {
            pool.close();
            throw PostgresErrors.translate(e, config, "installing schema '" + config.schema() + "'");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.close();
            throw new QueueException("interrupted while waiting for the LISTEN connection of channel "
                    + config.channel(), e);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Server version and the settings that shape results (durability, memory, vacuum), plus this backend's own. */
    @Override
    public Map<String, String> serverInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("address", config.address());
        info.put("database", config.database());
        info.put("schema", config.schema());
        info.put("schema_version", Integer.toString(Schema.VERSION));
        info.put("strategy", strategy());
        info.put("notify", Boolean.toString(config.notifyOnEnqueue()));
        info.put("pool_size", Integer.toString(config.poolSize()));
        info.put("poll_interval_ms", Long.toString(config.pollInterval().toMillis()));
        info.put("async_commit", config.asyncCommit().word);
        info.put("backend_vacuum", Boolean.toString(vacuum != null));
        info.putAll(withConnection(null, "reading server settings", PostgresQueueBackend::settings));
        return info;
    }

    // ---------------------------------------------------------------- producer

    /** Stores the job in one statement (which also sends the queue's NOTIFY) and returns its id. */
    @Override
    protected String doEnqueue(String queue, JobRequest request) {
        return withConnection(queue, "enqueuing", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.ENQUEUE)) {
                ps.setString(1, queue);
                ps.setInt(2, request.priority());
                if (request.runAt() == null) {
                    ps.setNull(3, Types.BIGINT);
                } else {
                    ps.setLong(3, epochMicros(request.runAt()));
                }
                ps.setInt(4, request.maxAttempts());
                ps.setBytes(5, request.payload());
                setNotify(ps, 6, queue);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Long.toString(rs.getLong(1));
                }
            }
        });
    }

    /** Stores every job in one statement, all or none, and returns their ids in order. */
    @Override
    protected List<String> doEnqueueAll(String queue, List<JobRequest> requests) {
        int n = requests.size();
        Integer[] priorities = new Integer[n];
        Long[] runAts = new Long[n];
        Integer[] maxAttempts = new Integer[n];
        byte[][] payloads = new byte[n][];
        for (int i = 0; i < n; i++) {
            JobRequest request = requests.get(i);
            priorities[i] = request.priority();
            runAts[i] = request.runAt() == null ? null : epochMicros(request.runAt());
            maxAttempts[i] = request.maxAttempts();
            payloads[i] = request.payload();
        }
        return withConnection(queue, "enqueuing a batch", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.ENQUEUE_ALL)) {
                ps.setString(1, queue);
                ps.setArray(2, c.createArrayOf("integer", priorities));
                ps.setArray(3, c.createArrayOf("bigint", runAts));
                ps.setArray(4, c.createArrayOf("integer", maxAttempts));
                ps.setArray(5, c.createArrayOf("bytea", payloads));
                setNotify(ps, 6, queue);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Long[] ids = (Long[]) rs.getArray(1).getArray();
                    List<String> result = new ArrayList<>(ids.length);
                    for (Long id : ids) {
                        result.add(id.toString());
                    }
                    return result;
                }
            }
        });
    }

    // ---------------------------------------------------------------- consumer

    /**
     * Leases up to {@code maxJobs} jobs; when none is claimable, waits for a NOTIFY of the queue, the next job's
     * run_at or lease expiry, or the poll interval, whichever comes first, and tries again until the wait is over.
     */
    @Override
    protected List<ClaimedJob> doClaim(String queue, int maxJobs, Duration leaseDuration, Duration waitTimeout) {
        long leaseMicros = leaseDuration.toNanos() / 1_000;
        return claimUntil(queue, waitTimeout, config.pollInterval(), wakeUps.signals(), () -> withConnection(queue,
                "claiming", c -> claimQuery.claim(c, queue, maxJobs, leaseMicros, config.asyncCommit().forClaims())));
    }

    /** A waiting claim also looks again when the queue's next job comes due or its next lease expires. */
    @Override
    protected Duration untilNextLook(String queue, Duration bound) {
        return min(bound, untilNextDue(queue));
    }

    /** How long until the queue's next live job becomes claimable, at least {@link #MIN_WAIT}; long when none. */
    private Duration untilNextDue(String queue) {
        Double seconds = withConnection(queue, "claiming", c -> {
            try (PreparedStatement ps = c.prepareStatement(Sql.NEXT_DUE)) {
                ps.setString(1, queue);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    double value = rs.getDouble(1);
                    return rs.wasNull() ? null : value;
                }
            }
        });
        if (seconds == null) {
            return config.pollInterval();
        }
        Duration due = Duration.ofNanos((long) (seconds * 1e9));
        return due.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : due;
    }

    /** Deletes the job if this claim's lease is still valid; one statement. */
    @Override
    protected boolean doComplete(ClaimedJob job) {
        JobLease<UUID> lease = lease(job);
        return lease != null && withConnection(job.queue(), "completing a job", c -> update(c, Sql.COMPLETE, ps -> {
            lease.bind(ps, 1);
            ps.setString(4, config.asyncCommit().forCompletions());
        }) == 1);
    }

    /**
     * Completes the jobs in one statement, each fenced on its own lease; the answers are in the jobs' order. Timed
     * under the first job's queue.
     */
    @Override
    protected List<Boolean> doCompleteAll(List<ClaimedJob> jobs) {
        // Rows are locked in id order, the order every other multi-row statement here locks them in.
        List<JobLease<UUID>> leases = jobs.stream()
                .map(PostgresQueueBackend::lease)
                .filter(Objects::nonNull)
                .sorted(Comparator.comparingLong(JobLease::id))
                .toList();
        String queue = jobs.getFirst().queue();
        Set<JobLease<UUID>> completed = leases.isEmpty() ? new HashSet<>()
                : withConnection(queue, "completing a batch", c -> query(c, Sql.COMPLETE_ALL, ps -> {
                    ps.setArray(1, c.createArrayOf("bigint", leases.stream().map(JobLease::id).toArray(Long[]::new)));
                    ps.setArray(2, c.createArrayOf("text",
                            leases.stream().map(JobLease::queue).toArray(String[]::new)));
                    ps.setArray(3, c.createArrayOf("uuid", leases.stream().map(JobLease::token).toArray(UUID[]::new)));
                    ps.setString(4, config.asyncCommit().forCompletions());
                }, rs -> {
                    Set<JobLease<UUID>> deleted = new HashSet<>();
                    while (rs.next()) {
                        deleted.add(new JobLease<>(rs.getLong(1), rs.getString(2), rs.getObject(3, UUID.class)));
                    }
                    return deleted;
                }));
        return answersInJobOrder(jobs, PostgresQueueBackend::lease, completed);
    }

    /** Schedules a retry after the configured backoff, or makes the job dead on its last attempt; one statement. */
    @Override
    protected FailResult doFail(ClaimedJob job, String error) {
        JobLease<UUID> lease = lease(job);
        if (lease == null) {
            return FailResult.leaseLost();
        }
        long backoffMicros = config.backoff().delayAfter(job.attempt()).toNanos() / 1_000;
        return withConnection(job.queue(), "failing a job", c -> query(c, Sql.FAIL, ps -> {
            ps.setString(1, error);
            ps.setLong(2, backoffMicros);
            lease.bind(ps, 3);
        }, rs -> {
            if (!rs.next()) {
                return FailResult.leaseLost();
            }
            return rs.getBoolean(1) ? FailResult.dead() : FailResult.retryAt(instant(rs, 2));
        }));
    }

    /** Moves a valid lease's expiry to now + {@code leaseDuration} by the server's clock; one statement. */
    @Override
    protected boolean doExtendLease(ClaimedJob job, Duration leaseDuration) {
        return extendLease(lease(job), leaseDuration, Sql.EXTEND_LEASE);
    }

    // ---------------------------------------------------------------- admin

    /** Exact counts by state once the queue is quiet; settles expired last attempts first. */
    @Override
    protected QueueStats doStats(String queue) {
        return afterReaping(queue, "counting jobs", Sql.REAP_EXPIRED, c -> query(c, Sql.STATS, ps -> {
            ps.setString(1, queue);
            ps.setString(2, queue);
        }, rs -> {
            rs.next();
            return new QueueStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
        }));
    }

    /** Up to {@code limit} dead jobs, oldest first; settles expired last attempts first. */
    @Override
    protected List<DeadJob> doDeadLetters(String queue, int limit) {
        return afterReaping(queue, "reading dead letters", Sql.REAP_EXPIRED, c -> query(c, Sql.DEAD_LETTERS, ps -> {
            ps.setString(1, queue);
            ps.setInt(2, limit);
        }, rs -> {
            List<DeadJob> dead = new ArrayList<>();
            while (rs.next()) {
                dead.add(new DeadJob(Long.toString(rs.getLong(1)), queue, rs.getBytes(2), rs.getInt(3),
                        rs.getString(4), instant(rs, 5)));
            }
            return dead;
        }));
    }

    /** Makes every dead job ready with attempts reset; returns how many. */
    @Override
    protected long doRequeueDead(String queue) {
        return afterReaping(queue, "requeueing dead jobs", Sql.REAP_EXPIRED,
                c -> (long) updateQueue(c, Sql.REQUEUE_DEAD, queue));
    }

    /** Deletes every job of the queue in one statement; returns how many. */
    @Override
    protected long doPurge(String queue) {
        return withConnection(queue, "purging", c -> query(c, Sql.PURGE, ps -> {
            ps.setString(1, queue);
            ps.setString(2, queue);
        }, rs -> {
            rs.next();
            return rs.getLong(1);
        }));
    }

    /** The jobs table's heap and index bytes (and their sum), its live and dead tuples, as last counted. */
    @Override
    protected Footprint doFootprint() {
        return withConnection(null, "measuring the footprint", c -> query(c, Sql.FOOTPRINT, ps -> { }, rs -> {
            rs.next();
            return Footprint.of(Map.of(
                    Footprint.STORED_BYTES, rs.getLong(1) + rs.getLong(2),
                    "table_bytes", rs.getLong(1),
                    "index_bytes", rs.getLong(2),
                    "live_tuples", rs.getLong(3),
                    "dead_tuples", rs.getLong(4)));
        }));
    }

    /** Stops the listener and the vacuum, then closes the pool. */
    @Override
    protected void doClose() {
        wakeUps.close();
        if (vacuum != null) {
            vacuum.close();
        }
        pool.close();
    }

    // ---------------------------------------------------------------- plumbing

    /** SQLSTATE 40001, 40P01 and 55P03 (it rolled back): tried again, three times in all. */
    @Override
    protected int lockErrorTries(SQLException e) {
        return PostgresErrors.isLockError(e) ? LOCK_ERROR_TRIES : 0;
    }

    @Override
    protected QueueException translate(SQLException e, String doing) {
        return PostgresErrors.translate(e, config, doing);
    }

    private void setNotify(PreparedStatement ps, int index, String queue) throws SQLException {
        ps.setBoolean(index, config.notifyOnEnqueue());
        ps.setString(index + 1, config.channel());
        ps.setString(index + 2, queue);
    }

    /** The application_name of every connection, {@code queuebench/<schema>}: names the schema in pg_stat_activity. */
    static String applicationName(PostgresConfig config) {
        return applicationName(config.schema());
    }

    /** The application_name of the connections of a backend on {@code schema}. */
    static String applicationName(String schema) {
        return "queuebench/" + schema;
    }

    /** Unpooled connections as configured: the pool's source, the listener's, and tests'. */
    static PGSimpleDataSource dataSource(PostgresConfig config) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        config.parameters().forEach((name, value) -> {
            try {
                ds.setProperty(name, value);
            } catch (SQLException e) {
                throw new ConfigurationException("'" + PostgresConfig.URL + "' has parameter '" + name
                        + "', which pgjdbc does not know; see the pgjdbc connection properties", e);
            }
        });
        ds.setServerNames(config.servers().stream().map(ServerUrl.Server::host).toArray(String[]::new));
        ds.setPortNumbers(config.servers().stream().mapToInt(ServerUrl.Server::port).toArray());
        ds.setDatabaseName(config.database());
        ds.setUser(config.user());
        ds.setPassword(config.password());
        ds.setCurrentSchema(config.schema());
        ds.setApplicationName(applicationName(config));
        int timeoutSeconds = (int) Math.max(1, (config.connectTimeout().toMillis() + 999) / 1000);
        ds.setConnectTimeout(timeoutSeconds);
        ds.setLoginTimeout(timeoutSeconds);
        ds.setTcpKeepAlive(true);
        return ds;
    }

    private static HikariConfig poolConfig(PostgresConfig config, PGSimpleDataSource connections) {
        return ConnectionPool.settings(connections, "queuebench-postgres-" + config.schema(), config.poolSize(),
                config.connectTimeout());
    }

    /** The server settings {@code server_info.sql} reads, by name. */
    private static Map<String, String> settings(Connection c) throws SQLException {
        Map<String, String> settings = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(Sql.SERVER_INFO); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                settings.put(rs.getString(1), rs.getString(2));
            }
        }
        return settings;
    }

    /** DURABLE when a commit waits for its WAL flush and fsync is on, else CRASH_SAFE. */
    private static Durability durability(Map<String, String> settings) {
        boolean durable = !"off".equals(settings.get("synchronous_commit")) && "on".equals(settings.get("fsync"));
        return durable ? Durability.DURABLE : Durability.CRASH_SAFE;
    }

    private static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** The lease {@code job} holds in the jobs table (its token a UUID); null when it is not one of ours. */
    private static JobLease<UUID> lease(ClaimedJob job) {
        return JobLease.of(job, UUID::fromString);
    }
}
