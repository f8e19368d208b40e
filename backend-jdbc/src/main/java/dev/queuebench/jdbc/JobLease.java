package dev.queuebench.jdbc;

import dev.queuebench.api.ClaimedJob;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * A claim as a jobs table knows it: the job's id, its queue and the lease token the claim wrote into the row; the
 * token's type is the dialect's.
 */
public record JobLease<T>(long id, String queue, T token) {

    /** The lease {@code job} holds, or null when its id or token is not one of this table's. */
    public static <T> JobLease<T> of(ClaimedJob job, Function<String, T> token) {
        try {
            return job.leaseToken() == null ? null
                    : new JobLease<>(Long.parseLong(job.id()), job.queue(), token.apply(job.leaseToken()));
        } catch (IllegalArgumentException e) { // NumberFormatException too
            return null;
        }
    }

    /** Sets id, queue and token as the parameters {@code first} to {@code first + 2}; returns the next index. */
    public int bind(PreparedStatement ps, int first) throws SQLException {
        ps.setLong(first, id);
        ps.setString(first + 1, queue);
        ps.setObject(first + 2, token);
        return first + 3;
    }
}
