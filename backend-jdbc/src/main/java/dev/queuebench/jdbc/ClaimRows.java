package dev.queuebench.jdbc;

import dev.queuebench.api.ClaimedJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads what a claim statement returns. The statement's columns are named as the jobs tables name them: {@code id},
 * {@code payload}, {@code priority}, {@code attempt}, {@code max_attempts}, {@code enqueued_at}, {@code run_at},
 * {@code lease_token} and {@code dead} (true for a job whose last lease had expired and that was made dead instead).
 */
public final class ClaimRows {
    private ClaimRows() {}

    /** How a dialect reads a time column as an instant. */
    @FunctionalInterface
    public interface Times {
        /** The instant {@code column} of the current row holds. */
        Instant instant(ResultSet rs, String column) throws SQLException;
    }

    /** One row a claim statement returned: the job as leased, or dead instead. */
    public record Row(ClaimedJob job, boolean dead) {}

    /** The rows in the order the statement returned them (its claim order). */
    public static List<Row> read(PreparedStatement claim, String queue, Times times) throws SQLException {
        return read(claim, queue, times, null);
    }

    /**
     * The rows in claim order: the statement's, or, when {@code rankColumn} is not null, ascending by that integer
     * column (for statements whose RETURNING clause has no order of its own).
     */
    public static List<Row> read(PreparedStatement claim, String queue, Times times, String rankColumn)
            throws SQLException {
        record Ranked(Row row, int rank) {}
        List<Ranked> rows = new ArrayList<>();
        try (ResultSet rs = claim.executeQuery()) {
            while (rs.next()) {
                ClaimedJob job = new ClaimedJob(
                        Long.toString(rs.getLong("id")),
                        queue,
                        rs.getBytes("payload"),
                        rs.getInt("priority"),
                        rs.getInt("attempt"),
                        rs.getInt("max_attempts"),
                        times.instant(rs, "enqueued_at"),
                        times.instant(rs, "run_at"),
                        rs.getString("lease_token"));
                int rank = rankColumn == null ? 0 : rs.getInt(rankColumn);
                rows.add(new Ranked(new Row(job, rs.getBoolean("dead")), rank));
            }
        }
        if (rankColumn != null) {
            rows.sort(Comparator.comparingInt(Ranked::rank));
        }
        return rows.stream().map(Ranked::row).toList();
    }

    /**
     * The ids the candidate query {@code sql} of an optimistic claim returns (its first column), in its order; its
     * parameters are the queue and {@code maxJobs}.
     */
    public static List<Long> candidates(Connection connection, String sql, String queue, int maxJobs)
            throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(sql)) {
            read.setString(1, queue);
            read.setInt(2, maxJobs);
            return ids(read, maxJobs);
        }
    }

    private static List<Long> ids(PreparedStatement candidates, int expected) throws SQLException {
        List<Long> ids = new ArrayList<>(expected);
        try (ResultSet rs = candidates.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }
}
