package dev.queuebench.sqlite;

import static dev.queuebench.sqlite.SqliteQueueBackend.instant;
import static dev.queuebench.sqlite.SqliteQueueBackend.micros;
import static dev.queuebench.sqlite.SqliteQueueBackend.nowMicros;

import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.QueueMetrics;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** The two ways to lease ready jobs; both settle expired leases first, so a claim after an expiry sees the job. */
enum ClaimQuery {
    /**
     * {@code BEGIN IMMEDIATE}, settle expired leases, {@code UPDATE … RETURNING} the first ready jobs, {@code COMMIT}:
     * one short write transaction that cannot lose a race (SQLite has one writer at a time), so no conflicts.
     */
    IMMEDIATE("immediate") {
        @Override
        List<ClaimedJob> claim(Connections connections, QueueMetrics metrics, String queue, int maxJobs,
                Duration lease) {
            return connections.inTransaction(queue, session -> {
                long now = nowMicros();
                settleExpired(session, queue, now);
                PreparedStatement claim = session.prepare(SqlFile.CLAIM_IMMEDIATE);
                claim.setLong(1, now + micros(lease));
                claim.setString(2, queue);
                claim.setLong(3, now);
                claim.setInt(4, maxJobs);
                return leased(claim, queue);
            });
        }
    },

    /**
     * An autocommit read of candidates (no write lock; the connection goes back to the pool), then one conditional
     * {@code UPDATE … RETURNING} of those still ready. Candidates another claimer (thread or process) took in between
     * are lost races, counted in {@code queuebench.claim.conflicts}; a claim that lost every candidate reads again.
     * The read runs on a writer connection: a reader's page cache is dropped after every commit, so reading there was
     * slower (measured: 13k vs 15k claims/s one at a time).
     */
    OPTIMISTIC("optimistic") {
        @Override
        List<ClaimedJob> claim(Connections connections, QueueMetrics metrics, String queue, int maxJobs,
                Duration lease) {
            while (true) {
                long now = nowMicros();
                List<Long> candidates =
                        connections.onWriter(queue, session -> candidates(session, queue, now, maxJobs));
                if (candidates == null) {
                    connections.onWriter(queue, session -> settleExpired(session, queue, now));
                    continue;
                }
                if (candidates.isEmpty()) {
                    return List.of();
                }
                List<ClaimedJob> claimed = connections.onWriter(queue, session -> {
                    PreparedStatement claim = session.prepare(SqlFile.CLAIM_OPTIMISTIC);
                    claim.setLong(1, nowMicros() + micros(lease));
                    claim.setString(2, candidates.toString()); // [1, 2, 3]: a JSON array for json_each
                    claim.setLong(3, now);
                    return leased(claim, queue);
                });
                metrics.claimConflicts(queue, candidates.size() - claimed.size());
                if (!claimed.isEmpty()) {
                    return claimed;
                }
            }
        }

        /** Ids of the first ready jobs; {@code null} when an expired lease must be settled first. */
        private static List<Long> candidates(Connections.Session session, String queue, long now, int maxJobs)
                throws SQLException {
            PreparedStatement expired = session.prepare(SqlFile.EXPIRED_LEASES);
            expired.setString(1, queue);
            expired.setLong(2, now);
            try (ResultSet rs = expired.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    return null;
                }
            }
            PreparedStatement read = session.prepare(SqlFile.CLAIM_CANDIDATES);
            read.setString(1, queue);
            read.setLong(2, now);
            read.setInt(3, maxJobs);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    };

    private static final Comparator<Leased> CLAIM_ORDER = Comparator.comparingInt((Leased l) -> -l.job().priority())
            .thenComparingLong(Leased::runAt)
            .thenComparingLong(Leased::id);

    private final String strategyName;

    ClaimQuery(String strategyName) {
        this.strategyName = strategyName;
    }

    /** Leases up to {@code maxJobs} ready jobs of the queue now, in claim order; empty when none is ready. */
    abstract List<ClaimedJob> claim(
            Connections connections, QueueMetrics metrics, String queue, int maxJobs, Duration lease);

    /** The name users give as {@code strategy}. */
    String strategyName() {
        return strategyName;
    }

    /** Every strategy's name, the default first. */
    static List<String> names() {
        return Arrays.stream(values()).map(ClaimQuery::strategyName).toList();
    }

    /** The strategy of that name (already checked against {@link #names()}). */
    static ClaimQuery named(String name) {
        return Arrays.stream(values()).filter(q -> q.strategyName.equals(name)).findFirst().orElseThrow();
    }

    /** Expired leases of the queue back to waiting, or to dead (error {@code lease expired}) on their last attempt. */
    static int settleExpired(Connections.Session session, String queue, long now) throws SQLException {
        PreparedStatement settle = session.prepare(SqlFile.SETTLE_EXPIRED);
        settle.setString(1, queue);
        settle.setLong(2, now);
        return settle.executeUpdate();
    }

    /** The rows an {@code UPDATE … RETURNING} of a claim leased, sorted into claim order. */
    private static List<ClaimedJob> leased(PreparedStatement claim, String queue) throws SQLException {
        List<Leased> rows = new ArrayList<>();
        try (ResultSet rs = claim.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong("id");
                byte[] payload = rs.getBytes("payload");
                rows.add(new Leased(id, rs.getLong("run_at"), new ClaimedJob(
                        Long.toString(id),
                        queue,
                        payload == null ? new byte[0] : payload,
                        rs.getInt("priority"),
                        rs.getInt("attempt"),
                        rs.getInt("max_attempts"),
                        instant(rs.getLong("enqueued_at")),
                        instant(rs.getLong("lease_expires_at")),
                        Long.toString(rs.getLong("lease_token")))));
            }
        }
        rows.sort(CLAIM_ORDER);
        return rows.stream().map(Leased::job).toList();
    }

    private record Leased(long id, long runAt, ClaimedJob job) {}
}
