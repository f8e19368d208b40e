package dev.queuebench.mariadb;

import dev.queuebench.jdbc.ClaimAttempt;
import dev.queuebench.jdbc.ClaimRows;
import dev.queuebench.jdbc.ClaimStrategy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The two ways to lease jobs, chosen by {@code strategy} ({@link ClaimStrategy#strategy()}: skip-locked, optimistic);
 * each makes one attempt and reports what it met.
 */
enum ClaimQuery implements ClaimStrategy {
    /** One statement: the upsert form of an UPDATE over rows picked {@code FOR UPDATE SKIP LOCKED}. */
    SKIP_LOCKED {
        @Override
        ClaimAttempt claim(Connection connection, Sql sql, String queue, int maxJobs, long token, long leaseMicros)
                throws SQLException {
            try (PreparedStatement claim = connection.prepareStatement(sql.claimSkipLocked())) {
                claim.setString(1, queue);
                claim.setInt(2, maxJobs);
                claim.setLong(3, token);
                claim.setLong(4, leaseMicros);
                return ClaimAttempt.of(ClaimRows.read(claim, queue, UtcTimes::instant), 0);
            }
        }
    },

    /** Two statements: read candidates without locks, then lease those still claimable; the rest are conflicts. */
    OPTIMISTIC {
        @Override
        ClaimAttempt claim(Connection connection, Sql sql, String queue, int maxJobs, long token, long leaseMicros)
                throws SQLException {
            List<Long> candidates = ClaimRows.candidates(connection, sql.claimCandidates(), queue, maxJobs);
            if (candidates.isEmpty()) {
                return ClaimAttempt.of(List.of(), 0);
            }
            try (PreparedStatement claim = connection.prepareStatement(
                    Sql.repeated(sql.claimOptimistic(), candidates.size()))) {
                int p = 1;
                for (long id : candidates) {
                    claim.setLong(p++, id);
                }
                claim.setLong(p++, token);
                claim.setLong(p, leaseMicros);
                List<ClaimRows.Row> rows = ClaimRows.read(claim, queue, UtcTimes::instant);
                return ClaimAttempt.of(rows, candidates.size() - rows.size());
            }
        }
    };

    /** The query for a strategy name the provider declared. */
    static ClaimQuery forStrategy(String strategy) {
        return ClaimStrategy.forStrategy(ClaimQuery.class, strategy);
    }

    /**
     * One claim attempt in autocommit: leases up to {@code maxJobs} jobs, in claim order, each with the lease token
     * {@code token ^ id} and a lease of {@code leaseMicros} from the server's now.
     */
    abstract ClaimAttempt claim(Connection connection, Sql sql, String queue, int maxJobs, long token, long leaseMicros)
            throws SQLException;
}
