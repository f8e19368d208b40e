package dev.queuebench.sqlite;

import dev.queuebench.api.AbstractQueueBackend;
import dev.queuebench.api.Capabilities;
import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.Capabilities.Feature;
import dev.queuebench.api.Capabilities.Ordering;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.Footprint;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueException;
import dev.queuebench.api.QueueStats;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A durable queue in one SQLite file (WAL). Every write is one short transaction on a writer connection; claims
 * follow the configured {@link ClaimQuery}. Times are the process clock in epoch microseconds. A waiting claim polls
 * (SQLite has no notifications) from 1 ms doubling to {@code pollInterval} with a read ({@code claimable.sql}), so
 * idle consumers never take the write lock, and is woken at once by an enqueue of this backend instance.
 */
final class SqliteQueueBackend extends AbstractQueueBackend {
    private static final int MAX_PAYLOAD_BYTES = 16 << 20;
    /** {@code PRAGMA synchronous} answers with the index of its level. */
    private static final List<String> SYNCHRONOUS_LEVELS = List.of("OFF", "NORMAL", "FULL", "EXTRA");
    private static final int STATE_DEAD = 2;

    private final SqliteConfig config;
    private final Capabilities capabilities;
    private final Connections connections;
    private final Map<String, Wakeup> wakeups = new ConcurrentHashMap<>();

    /** Opens the file (creating it and its schema if needed); fails fast naming the path. */
    SqliteQueueBackend(SqliteConfig config, MeterRegistry registry) {
        super(SqliteBackendProvider.NAME, config.strategy().strategyName(), registry);
        this.config = config;
        this.capabilities = new Capabilities(
                config.synchronous().equals("FULL") ? Durability.DURABLE : Durability.CRASH_SAFE,
                Ordering.ORDER_STRICT, MAX_PAYLOAD_BYTES, config.pollInterval(),
                Feature.all()).without(Feature.WAKE_ON_ENQUEUE);
        this.connections = new Connections(config, metrics);
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** SQLite's version, journal mode, synchronous level, busy timeout and file; nothing secret. */
    @Override
    public Map<String, String> serverInfo() {
        requireOpen();
        return connections.onReader("", session -> {
            Map<String, String> info = new LinkedHashMap<>();
            info.put("sqlite_version", scalar(session, "SELECT sqlite_version()"));
            info.put("journal_mode", scalar(session, "PRAGMA journal_mode"));
            info.put("synchronous", SYNCHRONOUS_LEVELS.get(Integer.parseInt(scalar(session, "PRAGMA synchronous"))));
            info.put("busy_timeout_ms", Long.toString(config.busyTimeout().toMillis()));
            info.put("schema_version", scalar(session, "PRAGMA user_version"));
            info.put("path", config.path().toString());
            return info;
        });
    }

    @Override
    protected String doEnqueue(String queue, JobRequest request) {
        String id = connections.onWriter(queue, session -> insert(session, queue, request, nowMicros()));
        wakeup(queue).signal();
        return id;
    }

    @Override
    protected List<String> doEnqueueAll(String queue, List<JobRequest> requests) {
        List<String> ids = connections.inTransaction(queue, session -> {
            long now = nowMicros();
            List<String> created = new ArrayList<>(requests.size());
            for (JobRequest request : requests) {
                created.add(insert(session, queue, request, now));
            }
            return created;
        });
        wakeup(queue).signal();
        return ids;
    }

    @Override
    protected List<ClaimedJob> doClaim(String queue, int maxJobs, Duration leaseDuration, Duration waitTimeout) {
        Wakeup wakeup = wakeup(queue);
        long deadline = System.nanoTime() + waitTimeout.toNanos();
        long pause = TimeUnit.MILLISECONDS.toNanos(1);
        boolean woken = true; // the first try claims at once, like one after an enqueue of this process
        while (true) {
            long seen = wakeup.version();
            List<ClaimedJob> jobs = woken || claimable(queue) ? metrics.claimStatement(queue,
                    () -> config.strategy().claim(connections, metrics, queue, maxJobs, leaseDuration),
                    claimed -> !claimed.isEmpty()) : List.of();
            long remaining = deadline - System.nanoTime();
            if (!jobs.isEmpty() || remaining <= 0) {
                return jobs;
            }
            woken = wakeup.awaitChange(seen, Math.min(remaining, pause));
            requireOpen();
            pause = Math.min(pause * 2, config.pollInterval().toNanos());
        }
    }

    @Override
    protected boolean doComplete(ClaimedJob job) {
        return fenced(job)
                && connections.onWriter(job.queue(), session -> completeStatement(session, job).executeUpdate() == 1);
    }

    /** One transaction for the whole batch; each job answered on its own by its fence. */
    @Override
    protected List<Boolean> doCompleteAll(List<ClaimedJob> jobs) {
        return connections.inTransaction(jobs.getFirst().queue(), session -> {
            List<Boolean> answers = new ArrayList<>(jobs.size());
            for (ClaimedJob job : jobs) {
                answers.add(fenced(job) && completeStatement(session, job).executeUpdate() == 1);
            }
            return answers;
        });
    }

    @Override
    protected FailResult doFail(ClaimedJob job, String error) {
        if (!fenced(job)) {
            return FailResult.leaseLost();
        }
        Duration delay = config.backoff().delayAfter(job.attempt());
        FailResult result = connections.onWriter(job.queue(), session -> {
            long now = nowMicros();
            long retryAt = now + micros(delay);
            PreparedStatement fail = fence(session.prepare(SqlFile.FAIL), job, now);
            fail.setLong(5, retryAt);
            fail.setString(6, error);
            FailResult outcome = FailResult.leaseLost();
            try (ResultSet rs = fail.executeQuery()) {
                while (rs.next()) { // to the end: see insert()
                    outcome = rs.getInt(1) == STATE_DEAD ? FailResult.dead() : FailResult.retryAt(instant(retryAt));
                }
            }
            return outcome;
        });
        if (result.outcome() == FailResult.Outcome.RETRY_SCHEDULED) {
            wakeup(job.queue()).signal(); // due at once when the backoff base is 0
        }
        return result;
    }

    @Override
    protected boolean doExtendLease(ClaimedJob job, Duration leaseDuration) {
        return fenced(job) && connections.onWriter(job.queue(), session -> {
            long now = nowMicros();
            PreparedStatement extend = fence(session.prepare(SqlFile.EXTEND_LEASE), job, now);
            extend.setLong(5, now + micros(leaseDuration));
            return extend.executeUpdate() == 1;
        });
    }

    @Override
    protected QueueStats doStats(String queue) {
        return connections.onReader(queue, session -> {
            PreparedStatement stats = session.prepare(SqlFile.STATS);
            stats.setString(1, queue);
            stats.setLong(2, nowMicros());
            try (ResultSet rs = stats.executeQuery()) {
                rs.next();
                return new QueueStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
        });
    }

    @Override
    protected List<DeadJob> doDeadLetters(String queue, int limit) {
        return connections.onReader(queue, session -> {
            PreparedStatement dead = session.prepare(SqlFile.DEAD_LETTERS);
            dead.setString(1, queue);
            dead.setLong(2, nowMicros());
            dead.setInt(3, limit);
            List<DeadJob> jobs = new ArrayList<>();
            try (ResultSet rs = dead.executeQuery()) {
                while (rs.next()) {
                    byte[] payload = rs.getBytes(2);
                    jobs.add(new DeadJob(Long.toString(rs.getLong(1)), queue, payload == null ? new byte[0] : payload,
                            rs.getInt(3), rs.getString(4), instant(rs.getLong(5))));
                }
            }
            return jobs;
        });
    }

    @Override
    protected long doRequeueDead(String queue) {
        long count = connections.inTransaction(queue, session -> {
            long now = nowMicros();
            ClaimQuery.settleExpired(session, queue, now);
            PreparedStatement requeue = session.prepare(SqlFile.REQUEUE_DEAD);
            requeue.setString(1, queue);
            requeue.setLong(2, now);
            return (long) requeue.executeUpdate();
        });
        wakeup(queue).signal();
        return count;
    }

    @Override
    protected long doPurge(String queue) {
        return connections.inTransaction(queue, session -> {
            long count = 0;
            for (String sql : SqlFile.PURGE) {
                PreparedStatement purge = session.prepare(sql);
                purge.setString(1, queue);
                count += purge.executeUpdate();
            }
            return count;
        });
    }

    /** Database and WAL file sizes (and their sum), page count and free pages. */
    @Override
    protected Footprint doFootprint() {
        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("database_bytes", config.path().toFile().length());
        figures.put("wal_bytes", connections.walBytes());
        figures.put(Footprint.STORED_BYTES, figures.get("database_bytes") + figures.get("wal_bytes"));
        connections.onReader("", session -> {
            figures.put("page_size_bytes", Long.parseLong(scalar(session, "PRAGMA page_size")));
            figures.put("page_count", Long.parseLong(scalar(session, "PRAGMA page_count")));
            figures.put("freelist_pages", Long.parseLong(scalar(session, "PRAGMA freelist_count")));
            return null;
        });
        return Footprint.of(figures);
    }

    /** Ends waiting claims and closes every connection. */
    @Override
    protected void doClose() {
        wakeups.values().forEach(Wakeup::signal);
        connections.close();
    }

    // ---------------------------------------------------------------- helpers

    /** Whether a claim would find a job now, read without the write lock: how a waiting claim polls. */
    private boolean claimable(String queue) {
        return connections.onReader(queue, session -> {
            PreparedStatement claimable = session.prepare(SqlFile.CLAIMABLE);
            claimable.setString(1, queue);
            claimable.setLong(2, nowMicros());
            try (ResultSet rs = claimable.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        });
    }

    private static String insert(Connections.Session session, String queue, JobRequest request, long now)
            throws SQLException {
        PreparedStatement insert = session.prepare(SqlFile.ENQUEUE);
        insert.setString(1, queue);
        insert.setInt(2, request.priority());
        insert.setLong(3, request.runAt() == null ? now : micros(request.runAt()));
        insert.setInt(4, request.maxAttempts());
        insert.setLong(5, now);
        insert.setBytes(6, request.payload());
        String id = null;
        try (ResultSet rs = insert.executeQuery()) {
            // Read to the end: an autocommit statement that SQLite only resets commits, but skips the WAL's
            // automatic checkpoint, which runs when a statement steps to SQLITE_DONE; the WAL would grow unbounded.
            while (rs.next()) {
                id = Long.toString(rs.getLong(1));
            }
        }
        return id;
    }

    private static PreparedStatement completeStatement(Connections.Session session, ClaimedJob job)
            throws SQLException {
        return fence(session.prepare(SqlFile.COMPLETE), job, nowMicros());
    }

    /** Binds the fence every settling statement starts with: ?1 id, ?2 queue, ?3 lease token, ?4 now. */
    private static PreparedStatement fence(PreparedStatement statement, ClaimedJob job, long now) throws SQLException {
        statement.setLong(1, Long.parseLong(job.id()));
        statement.setString(2, job.queue());
        statement.setLong(3, Long.parseLong(job.leaseToken()));
        statement.setLong(4, now);
        return statement;
    }

    /** False when the job's id or token cannot be one of ours: such a lease is never valid. */
    private static boolean fenced(ClaimedJob job) {
        return isLong(job.id()) && isLong(job.leaseToken());
    }

    private static boolean isLong(String text) {
        try {
            Long.parseLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String scalar(Connections.Session session, String sql) throws SQLException {
        try (ResultSet rs = session.prepare(sql).executeQuery()) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    private Wakeup wakeup(String queue) {
        return wakeups.computeIfAbsent(queue, q -> new Wakeup());
    }

    static long nowMicros() {
        return micros(Instant.now());
    }

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    static long micros(Duration duration) {
        return TimeUnit.NANOSECONDS.toMicros(duration.toNanos());
    }

    static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /** A per-queue version bumped by this instance's enqueues, on which waiting claims sleep between polls. */
    private static final class Wakeup {
        private long version;

        synchronized long version() {
            return version;
        }

        synchronized void signal() {
            version++;
            notifyAll();
        }

        /** Waits until the version moved past {@code seen} (true) or {@code nanos} passed (false). */
        synchronized boolean awaitChange(long seen, long nanos) {
            long deadline = System.nanoTime() + nanos;
            try {
                for (long left = nanos; version == seen && left > 0; left = deadline - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                return version != seen;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QueueException("interrupted while waiting for a job", e);
            }
        }
    }
}
