package dev.queuebench.worker;

import dev.queuebench.api.FailResult;
import dev.queuebench.api.QueueMetrics.Op;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Where every event of a claim goes: its queue's meters, then the {@link WorkerListener}. Holds the rule that each
 * claim has exactly one final event (the first to come wins; later ones are dropped), and counts claims in flight
 * from {@link #claimed} to that final event.
 */
final class JobEvents {
    private static final System.Logger LOG = System.getLogger(QueueWorker.class.getName());

    private final WorkerListener listener;

    JobEvents(WorkerListener listener) {
        this.listener = listener;
    }

    void claimed(Claim claim) {
        claim.meters.inFlight.incrementAndGet();
        try {
            listener.claimed(claim.job);
        } catch (RuntimeException e) {
            listenerFailed("claimed", e);
        }
    }

    void handlerStarted(Claim claim, long startNanos, Instant startedAt) {
        try {
            listener.handlerStarted(claim.job, startNanos, startedAt);
        } catch (RuntimeException e) {
            listenerFailed("handlerStarted", e);
        }
    }

    /** Times the handler run; {@code result} is null when it threw. */
    void handlerFinished(Claim claim, JobResult result, long nanos) {
        var m = claim.meters;
        var timer = switch (result) {
            case null -> m.handlerError;
            case JobResult.Done done -> m.handlerDone;
            case JobResult.Retry retry -> m.handlerRetry;
            case JobResult.Discard discard -> m.handlerDiscard;
        };
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    void leaseExtended(Claim claim, Instant leaseExpiresAt) {
        claim.meters.extended.increment();
        try {
            listener.leaseExtended(claim.job, leaseExpiresAt);
        } catch (RuntimeException e) {
            listenerFailed("leaseExtended", e);
        }
    }

    void acknowledging(Claim claim) {
        try {
            listener.acknowledging(claim.job);
        } catch (RuntimeException e) {
            listenerFailed("acknowledging", e);
        }
    }

    void acknowledged(Claim claim, boolean completed, Instant before) {
        if (!end(claim)) {
            return;
        }
        (completed ? (claim.discard ? claim.meters.discarded : claim.meters.done) : claim.meters.leaseLost).increment();
        try {
            listener.acknowledged(claim.job, completed, before);
        } catch (RuntimeException e) {
            listenerFailed("acknowledged", e);
        }
    }

    void failed(Claim claim, FailResult result, Instant before) {
        if (!end(claim)) {
            return;
        }
        claim.meters.failed(result.outcome()).increment();
        try {
            listener.failed(claim.job, result, before);
        } catch (RuntimeException e) {
            listenerFailed("failed", e);
        }
    }

    void leaseLost(Claim claim) {
        if (!end(claim)) {
            return;
        }
        claim.meters.extensionsLost.increment();
        claim.meters.leaseLost.increment();
        try {
            listener.leaseLost(claim.job);
        } catch (RuntimeException e) {
            listenerFailed("leaseLost", e);
        }
    }

    void abandoned(Claim claim, String reason) {
        if (!end(claim)) {
            return;
        }
        claim.meters.abandoned.increment();
        try {
            listener.abandoned(claim.job, reason);
        } catch (RuntimeException e) {
            listenerFailed("abandoned", e);
        }
    }

    void backendError(WorkerMeters.QueueMeters meters, Op op, Throwable error) {
        meters.error(op);
        LOG.log(Level.WARNING, () -> op.tag() + " failed: " + error, error);
        try {
            listener.backendError(op.tag(), error);
        } catch (RuntimeException e) {
            listenerFailed("backendError", e);
        }
    }

    private static boolean end(Claim claim) {
        if (!claim.settle()) {
            return false;
        }
        claim.meters.inFlight.decrementAndGet();
        return true;
    }

    private static void listenerFailed(String event, RuntimeException e) {
        LOG.log(Level.WARNING, "the worker listener threw from " + event + "; the job is not affected", e);
    }
}
