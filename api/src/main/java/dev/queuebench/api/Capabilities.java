package dev.queuebench.api;

/**
 * What a backend promises; the TCK skips exactly the clauses a backend declares it cannot keep.
 *
 * @param durability      what survives a crash once {@code enqueue} has returned
 * @param ordering        how strictly claims follow priority, then run-at, then enqueue order
 * @param atomicBatch     {@code enqueueAll} stores all jobs or none
 * @param maxPayloadBytes largest payload accepted
 * @param wakeOnEnqueue   a waiting claim is woken by an enqueue (from any process) rather than by polling alone
 */
public record Capabilities(
        Durability durability, Ordering ordering, boolean atomicBatch, int maxPayloadBytes, boolean wakeOnEnqueue) {

    /** Throws {@link JobTooLargeException} when a request's payload is above {@link #maxPayloadBytes()}. */
    public void requireFits(JobRequest request) {
        if (request.payload().length > maxPayloadBytes) {
            throw new JobTooLargeException(request.payload().length, maxPayloadBytes);
        }
    }

    /** What an acknowledged enqueue survives. */
    public enum Durability {
        /** Held in this process only: gone when it exits. */
        PROCESS,
        /** Held in a server's memory: gone when the server restarts or evicts it. */
        VOLATILE,
        /** Survives a crash of the process or server; the last moments may be lost on power failure. */
        CRASH_SAFE,
        /** On stable storage before the enqueue returns. */
        DURABLE
    }

    /** How claims are ordered: priority (higher first), then run-at, then enqueue order. */
    public enum Ordering {
        /** Always in that order when claims are not concurrent. */
        ORDER_STRICT,
        /** Usually in that order; ties may be broken otherwise. */
        ORDER_BEST_EFFORT
    }
}
