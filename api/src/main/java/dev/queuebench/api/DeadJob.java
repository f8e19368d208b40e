package dev.queuebench.api;

import java.time.Instant;

/** A job that ran out of attempts, with the error of its last one. */
public record DeadJob(String id, String queue, byte[] payload, int attempts, String lastError, Instant enqueuedAt) {
    @Override
    public String toString() {
        return "DeadJob[id=" + id + ", queue=" + queue + ", attempts=" + attempts + ", lastError=" + lastError + "]";
    }
}
