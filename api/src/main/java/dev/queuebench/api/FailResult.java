package dev.queuebench.api;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@link JobConsumer#fail} did.
 *
 * @param retryAt when the job becomes ready again; only for {@link Outcome#RETRY_SCHEDULED}, else {@code null}
 */
public record FailResult(Outcome outcome, Instant retryAt) {
    public enum Outcome {
        /** Attempts remain: the job waits for its backoff, then is ready again. */
        RETRY_SCHEDULED,
        /** No attempts remain: the job is dead, with the error kept. */
        DEAD,
        /** The lease was not valid: nothing changed. */
        LEASE_LOST
    }

    public FailResult {
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.RETRY_SCHEDULED) != (retryAt != null)) {
            throw new IllegalArgumentException("retryAt is set exactly when the outcome is RETRY_SCHEDULED");
        }
    }

    public static FailResult retryAt(Instant at) {
        return new FailResult(Outcome.RETRY_SCHEDULED, at);
    }

    public static FailResult dead() {
        return new FailResult(Outcome.DEAD, null);
    }

    public static FailResult leaseLost() {
        return new FailResult(Outcome.LEASE_LOST, null);
    }
}
