package dev.queuebench.api;

/** Job counts of one queue by state; exact when the queue is quiet. */
public record QueueStats(long ready, long scheduled, long leased, long dead) {
    public long total() {
        return ready + scheduled + leased + dead;
    }
}
