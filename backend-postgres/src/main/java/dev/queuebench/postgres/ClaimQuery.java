package dev.queuebench.postgres;

import dev.queuebench.jdbc.ClaimAttempt;
import dev.queuebench.jdbc.ClaimRows;
import dev.queuebench.jdbc.ClaimStrategy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The two ways to lease jobs, chosen by {@code strategy} ({@link ClaimStrategy#strategy()}: skip-locked, optimistic);
 * each makes one attempt and reports what it met.
 */
enum ClaimQuery implements ClaimStrategy {
    /** One statement: {@code UPDATE … WHERE id = ANY (SELECT … LIMIT n FOR UPDATE SKIP LOCKED) RETURNING …}. */
    SKIP_LOCKED {
        @Override
        ClaimAttempt claim(Connection connection, String queue, int maxJobs, long leaseMicros,
                String synchronousCommit) throws SQLException {
            try (PreparedStatement claim = connection.prepareStatement(Sql.CLAIM_SKIP_LOCKED)) {
                claim.setString(1, queue);
                claim.setInt(2, maxJobs);
                claim.setLong(3, leaseMicros);
                claim.setString(4, synchronousCommit);
                return ClaimAttempt.of(rows(claim, queue), 0);
            }
        }
    },

    /** Two statements: read candidates without locks, then lease those still claimable; the rest are conflicts. */
    OPTIMISTIC {
        @Override
        ClaimAttempt claim(Connection connection, String queue, int maxJobs, long leaseMicros,
                String synchronousCommit) throws SQLException {
            List<Long> candidates = ClaimRows.candidates(connection, Sql.CLAIM_CANDIDATES, queue, maxJobs);
            if (candidates.isEmpty()) {
                return ClaimAttempt.of(List.of(), 0);
            }
            try (PreparedStatement claim = connection.prepareStatement(Sql.CLAIM_OPTIMISTIC)) {
                Array ids = connection.createArrayOf("bigint", candidates.toArray(Long[]::new));
                claim.setLong(1, leaseMicros);
                claim.setArray(2, ids);
                claim.setString(3, synchronousCommit);
                claim.setArray(4, ids);
                List<ClaimRows.Row> rows = rows(claim, queue);
                return ClaimAttempt.of(rows, candidates.size() - rows.size());
            }
        }
    };

    /** The query for a strategy name the provider declared. */
    static ClaimQuery forStrategy(String strategy) {
        return ClaimStrategy.forStrategy(ClaimQuery.class, strategy);
    }

    /**
     * One claim attempt in autocommit: leases up to {@code maxJobs} jobs, in claim order, committing with
     * {@code synchronousCommit} ({@code on} or {@code off}).
     */
    abstract ClaimAttempt claim(Connection connection, String queue, int maxJobs, long leaseMicros,
            String synchronousCommit) throws SQLException;

    /** The rows in claim order: by their {@code rank} column, since UPDATE … RETURNING keeps no order. */
    private static List<ClaimRows.Row> rows(PreparedStatement claim, String queue) throws SQLException {
        return ClaimRows.read(claim, queue, ClaimQuery::instant, "rank");
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
