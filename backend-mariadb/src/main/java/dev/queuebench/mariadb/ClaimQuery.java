package dev.queuebench.mariadb;

import dev.queuebench.api.ClaimedJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The two ways to lease jobs, chosen by {@code strategy}; each makes one attempt and reports what it met. */
enum ClaimQuery {
    /** One statement: the upsert form of an UPDATE over rows picked {@code FOR UPDATE SKIP LOCKED}. */
    SKIP_LOCKED("skip-locked") {
        @Override
        Attempt claim(Connection connection, Sql sql, String queue, int maxJobs, long token, long leaseMicros)
                throws SQLException {
            try (PreparedStatement claim = connection.prepareStatement(sql.claimSkipLocked())) {
                claim.setString(1, queue);
                claim.setInt(2, maxJobs);
                claim.setLong(3, token);
                claim.setLong(4, leaseMicros);
                return Attempt.of(rows(claim, queue), 0);
            }
        }
    },

    /** Two statements: read candidates without locks, then lease those still claimable; the rest are conflicts. */
    OPTIMISTIC("optimistic") {
        @Override
        Attempt claim(Connection connection, Sql sql, String queue, int maxJobs, long token, long leaseMicros)
                throws SQLException {
            List<Long> candidates = new ArrayList<>(maxJobs);
            try (PreparedStatement read = connection.prepareStatement(sql.claimCandidates())) {
                read.setString(1, queue);
                read.setInt(2, maxJobs);
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(rs.getLong(1));
                    }
                }
            }
            if (candidates.isEmpty()) {
                return Attempt.of(List.of(), 0);
            }
            try (PreparedStatement claim = connection.prepareStatement(
                    Sql.repeated(sql.claimOptimistic(), candidates.size()))) {
                int p = 1;
                for (long id : candidates) {
                    claim.setLong(p++, id);
                }
                claim.setLong(p++, token);
                claim.setLong(p, leaseMicros);
                List<Row> rows = rows(claim, queue);
                return Attempt.of(rows, candidates.size() - rows.size());
            }
        }
    };

    private final String strategy;

    ClaimQuery(String strategy) {
        this.strategy = strategy;
    }

    /** The strategy's name in configuration. */
    String strategy() {
        return strategy;
    }

    /** The query for a strategy name the provider declared. */
    static ClaimQuery forStrategy(String strategy) {
        for (ClaimQuery query : values()) {
            if (query.strategy.equals(strategy)) {
                return query;
            }
        }
        throw new IllegalArgumentException("no claim query for strategy " + strategy);
    }

    /**
     * One claim attempt in autocommit: leases up to {@code maxJobs} jobs, in claim order, each with the lease token
     * {@code token ^ id} and a lease of {@code leaseMicros} from the server's now.
     */
    abstract Attempt claim(Connection connection, Sql sql, String queue, int maxJobs, long token, long leaseMicros)
            throws SQLException;

    /**
     * What one attempt did.
     *
     * @param jobs      the jobs leased, in claim order
     * @param died      jobs the attempt found with their last lease expired and made dead instead
     * @param conflicts candidates another claimer took first (optimistic only)
     */
    record Attempt(List<ClaimedJob> jobs, int died, int conflicts) {
        static Attempt of(List<Row> rows, int conflicts) {
            List<ClaimedJob> jobs = new ArrayList<>(rows.size());
            for (Row row : rows) {
                if (!row.dead()) {
                    jobs.add(row.job());
                }
            }
            return new Attempt(jobs, rows.size() - jobs.size(), conflicts);
        }
    }

    /** One row a claim statement returned: the job as leased, or dead instead. */
    private record Row(ClaimedJob job, boolean dead) {}

    /** The rows in the order the statement changed them: claim order (its outer ORDER BY). */
    private static List<Row> rows(PreparedStatement claim, String queue) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs = claim.executeQuery()) {
            while (rs.next()) {
                ClaimedJob job = new ClaimedJob(
                        Long.toString(rs.getLong("id")),
                        queue,
                        rs.getBytes("payload"),
                        rs.getInt("priority"),
                        rs.getInt("attempt"),
                        rs.getInt("max_attempts"),
                        UtcTimes.instant(rs, "enqueued_at"),
                        UtcTimes.instant(rs, "run_at"),
                        rs.getString("lease_token"));
                rows.add(new Row(job, rs.getBoolean("dead")));
            }
        }
        return rows;
    }
}
