package dev.queuebench.api;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a backend promises; the TCK skips exactly the clauses a backend declares it cannot keep, and checks every
 * clause it declares.
 *
 * @param durability      what survives a crash once {@code enqueue} has returned
 * @param ordering        how strictly claims follow priority, then run-at, then enqueue order
 * @param maxPayloadBytes largest payload accepted and returned byte for byte
 * @param pollInterval    the longest a waiting claim goes without looking for work it was not woken for (a delayed
 *                        job coming due, an expired lease, an enqueue when {@link Feature#WAKE_ON_ENQUEUE} is absent)
 * @param features        the optional clauses of the contract this backend keeps
 */
public record Capabilities(
        Durability durability, Ordering ordering, int maxPayloadBytes, Duration pollInterval, Set<Feature> features) {

    public Capabilities {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(ordering, "ordering");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (maxPayloadBytes < 0 || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("need maxPayloadBytes >= 0 and a positive pollInterval");
        }
        features = features.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(features));
    }

    /** True when the backend keeps the clause {@code feature} names. */
    public boolean has(Feature feature) {
        return features.contains(feature);
    }

    /** {@link Feature#ATOMIC_BATCH}: {@code enqueueAll} stores all jobs or none. */
    public boolean atomicBatch() {
        return has(Feature.ATOMIC_BATCH);
    }

    /** {@link Feature#WAKE_ON_ENQUEUE}: a waiting claim is woken by an enqueue rather than by polling alone. */
    public boolean wakeOnEnqueue() {
        return has(Feature.WAKE_ON_ENQUEUE);
    }

    /** The same promises with {@code feature} dropped. */
    public Capabilities without(Feature feature) {
        Set<Feature> fewer = features.isEmpty() ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(features);
        fewer.remove(feature);
        return new Capabilities(durability, ordering, maxPayloadBytes, pollInterval, fewer);
    }

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

    /** The contract's optional clauses: a backend that cannot keep one leaves it out of {@link #features()}. */
    public enum Feature {
        /** {@code enqueueAll} stores all jobs or none. */
        ATOMIC_BATCH,
        /** A waiting claim is woken by an enqueue from any process, not only by its next poll. */
        WAKE_ON_ENQUEUE,
        /** Claims take higher priorities first ({@link Ordering} then says how strictly). */
        PRIORITIES,
        /** A {@code runAt} in the future holds the job back until then. */
        DELAYED_JOBS,
        /** {@code extendLease} moves a valid lease's end to now + the duration. */
        EXTEND_LEASE,
        /** {@code complete}, {@code fail} and {@code extendLease} refuse a lease that is no longer valid. */
        FENCING,
        /** {@code stats} counts every state exactly when the queue is quiet. */
        EXACT_STATS;

        /** Every clause: what a backend that keeps the whole contract declares. */
        public static Set<Feature> all() {
            return EnumSet.allOf(Feature.class);
        }
    }
}
