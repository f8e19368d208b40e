package dev.queuebench.worker;

import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.FailResult;
import java.time.Instant;

/**
 * Sees each claimed job's life in a worker, e.g. for a ledger that checks no job was lost or run twice. Every claimed
 * job gets {@link #claimed} first and then exactly one of the four <em>final</em> events: {@link #acknowledged},
 * {@link #failed}, {@link #leaseLost} or {@link #abandoned}. Called from the worker's threads, many at once, while the
 * worker waits: keep each call short. A {@link RuntimeException} a listener throws is logged and changes nothing.
 *
 * <p>Ordering, for one claim; each line happens-before the next:
 * <ol>
 *   <li>{@code claimed}: right after the claim returned, before anything else about the job.</li>
 *   <li>{@code handlerStarted}: on the handler's thread, just before the handler is called; at most once.</li>
 *   <li>{@code acknowledging}: after the handler returned, <em>before</em> the {@code complete}/{@code completeAll}
 *       call that carries the job is made, on the thread that makes it.</li>
 *   <li>final: {@code acknowledged} after that call answered; {@code failed} after {@code fail} (or, for a
 *       {@link JobResult.Retry}, {@code extendLease}) answered; {@code leaseLost} once an extension was refused,
 *       before the handler is interrupted or can see {@link Job#leaseLost()} (it may still run: nothing follows);
 *       {@code abandoned} when the worker lets go of the job unsettled.</li>
 * </ol>
 * {@code leaseExtended} comes after {@code claimed}, while the job waits in its batch or its handler runs; never
 * after the handler returned or a final event.
 */
public interface WorkerListener {
    /** A listener that does nothing. */
    WorkerListener NONE = new WorkerListener() {};

    /** The job was claimed by this worker. */
    default void claimed(ClaimedJob job) {}

    /**
     * The handler is about to run the job; {@code startNanos} is {@link System#nanoTime()} and {@code startedAt}
     * the wall clock, both read just before this call.
     */
    default void handlerStarted(ClaimedJob job, long startNanos, Instant startedAt) {}

    /** The job's lease was extended: it now lasts at least until {@code leaseExpiresAt} (by this host's clock). */
    default void leaseExtended(ClaimedJob job, Instant leaseExpiresAt) {}

    /** {@code complete} (alone, or in a {@code completeAll}) is about to be called for the job. */
    default void acknowledging(ClaimedJob job) {}

    /**
     * Final: the backend answered the acknowledgement: {@code completed} true, the job is done; false, the lease
     * had been lost and nothing changed. {@code before} was read just before the call.
     */
    default void acknowledged(ClaimedJob job, boolean completed, Instant before) {}

    /**
     * Final: the job was given back: {@code RETRY_SCHEDULED} (a handler error, or a {@link JobResult.Retry} with
     * {@code retryAt} the earliest next run), {@code DEAD} (its last attempt failed) or {@code LEASE_LOST} (the
     * backend refused: nothing changed). {@code before} was read just before the backend call.
     */
    default void failed(ClaimedJob job, FailResult result, Instant before) {}

    /**
     * Final: an extension of the lease was refused, or could not be made before the lease ran out: the backend will
     * redeliver the job, and nothing the handler returns is acknowledged.
     */
    default void leaseLost(ClaimedJob job) {}

    /**
     * Final: the worker let go of the job without settling it ({@code reason} says why: the drain timeout ran out, a
     * backend call threw, the worker's thread died); the backend redelivers it once its lease expires, unless an
     * unanswered {@code complete} had already taken effect.
     */
    default void abandoned(ClaimedJob job, String reason) {}

    /** A backend call ({@code operation}: claim, complete, completeAll, fail, extendLease) threw. */
    default void backendError(String operation, Throwable error) {}
}
