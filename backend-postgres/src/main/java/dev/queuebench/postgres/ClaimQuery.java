package dev.queuebench.postgres;

import dev.queuebench.api.ClaimedJob;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The two ways to lease jobs, chosen by {@code strategy}; each makes one attempt and reports what it met. */
enum ClaimQuery {
    /** One statement: {@code UPDATE … WHERE id = ANY (SELECT … LIMIT n FOR UPDATE SKIP LOCKED) RETURNING …}. */
    SKIP_LOCKED("skip-locked") {
        @Override
        Attempt claim(Connection connection, String queue, int maxJobs, long leaseMicros, String synchronousCommit)
                throws SQLException {
            try (PreparedStatement claim = connection.prepareStatement(Sql.CLAIM_SKIP_LOCKED)) {
                claim.setString(1, queue);
                claim.setInt(2, maxJobs);
                claim.setLong(3, leaseMicros);
                claim.setString(4, synchronousCommit);
                return Attempt.of(rows(claim, queue), 0);
            }
        }
    },

    /** Two statements: read candidates without locks, then lease those still claimable; the rest are conflicts. */
    OPTIMISTIC("optimistic") {
        @Override
        Attempt claim(Connection connection, String queue, int maxJobs, long leaseMicros, String synchronousCommit)
                throws SQLException {
            List<Long> candidates = new ArrayList<>(maxJobs);
            try (PreparedStatement read = connection.prepareStatement(Sql.CLAIM_CANDIDATES)) {
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
            try (PreparedStatement claim = connection.prepareStatement(Sql.CLAIM_OPTIMISTIC)) {
                Array ids = connection.createArrayOf("bigint", candidates.toArray(Long[]::new));
                claim.setLong(1, leaseMicros);
                claim.setArray(2, ids);
                claim.setString(3, synchronousCommit);
                claim.setArray(4, ids);
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
     * One claim attempt in autocommit: leases up to {@code maxJobs} jobs, in claim order, committing with
     * {@code synchronousCommit} ({@code on} or {@code off}).
     */
    abstract Attempt claim(Connection connection, String queue, int maxJobs, long leaseMicros, String synchronousCommit)
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
            int died = 0;
            for (Row row : rows.stream().sorted(Comparator.comparingInt(Row::rank)).toList()) {
                if (row.dead()) {
                    died++;
                } else {
                    jobs.add(row.job());
                }
            }
            return new Attempt(jobs, died, conflicts);
        }
    }

    /** One row a claim statement returned: the job as leased, whether it died instead, and its place in claim order. */
    private record Row(ClaimedJob job, boolean dead, int rank) {}

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
                        rs.getObject("enqueued_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("run_at", OffsetDateTime.class).toInstant(),
                        rs.getString("lease_token"));
                rows.add(new Row(job, rs.getBoolean("dead"), rs.getInt("rank")));
            }
        }
        return rows;
    }
}
