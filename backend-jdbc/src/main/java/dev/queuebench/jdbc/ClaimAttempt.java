package dev.queuebench.jdbc;

import dev.queuebench.api.ClaimedJob;
import java.util.ArrayList;
import java.util.List;

/**
 * What one claim attempt did.
 *
 * @param jobs      the jobs leased, in claim order
 * @param died      jobs the attempt found with their last lease expired and made dead instead
 * @param conflicts candidates another claimer took first (optimistic claims only)
 */
public record ClaimAttempt(List<ClaimedJob> jobs, int died, int conflicts) {
    /** The attempt that returned {@code rows} (in claim order) and lost {@code conflicts} candidates to others. */
    public static ClaimAttempt of(List<ClaimRows.Row> rows, int conflicts) {
        List<ClaimedJob> jobs = new ArrayList<>(rows.size());
        for (ClaimRows.Row row : rows) {
            if (!row.dead()) {
                jobs.add(row.job());
            }
        }
        return new ClaimAttempt(jobs, rows.size() - jobs.size(), conflicts);
    }
}
