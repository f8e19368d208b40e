package dev.queuebench.mariadb;

import dev.queuebench.jdbc.ClaimAttempt;
import dev.queuebench.jdbc.ClaimRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** The two ways to lease jobs, chosen by {@code strategy}; each makes one attempt and reports what it met. */
enum ClaimQuery {
    /** One statement: the upsert form of an UPDATE over rows picked {@code FOR UPDATE SKIP LOCKED}. */
    SKIP_LOCKED("skip-locked") {
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
    OPTIMISTIC("optimistic") {
        @Override
        ClaimAttempt claim(Connection connection, Sql sql, String queue, int maxJobs, long token, long leaseMicros)
                throws SQLException {
            List<Long> candidates;
            try (PreparedStatement read = connection.prepareStatement(sql.claimCandidates())) {
                read.setString(1, queue);
                read.setInt(2, maxJobs);
                candidates = ClaimRows.ids(read, maxJobs);
            }
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
    abstract ClaimAttempt claim(Connection connection, Sql sql, String queue, int maxJobs, long token, long leaseMicros)
            throws SQLException;
}
