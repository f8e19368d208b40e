package dev.queuebench.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A job to enqueue. The payload array is not copied: do not change it after handing it over.
 *
 * @param payload     opaque bytes, 0 up to {@link Capabilities#maxPayloadBytes()}
 * @param priority    higher runs first
 * @param runAt       earliest time the job may run; {@code null} means now by the backend's clock
 * @param maxAttempts claims allowed before the job is dead, at least 1
 */
public record JobRequest(byte[] payload, int priority, Instant runAt, int maxAttempts) {
    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    public JobRequest {
        Objects.requireNonNull(payload, "payload");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    /** A ready job with priority 0 and {@value #DEFAULT_MAX_ATTEMPTS} attempts. */
    public static JobRequest of(byte[] payload) {
        return new JobRequest(payload, 0, null, DEFAULT_MAX_ATTEMPTS);
    }

    public JobRequest withPriority(int priority) {
        return new JobRequest(payload, priority, runAt, maxAttempts);
    }

    public JobRequest withRunAt(Instant runAt) {
        return new JobRequest(payload, priority, runAt, maxAttempts);
    }

    public JobRequest withMaxAttempts(int maxAttempts) {
        return new JobRequest(payload, priority, runAt, maxAttempts);
    }
}
