package dev.queuebench.worker;

import dev.queuebench.api.BackendClosedException;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.QueueMetrics.Op;
import dev.queuebench.api.Secrets;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One of the worker's {@link WorkerConfig#concurrency()} loops, on a thread of its own: claim up to
 * {@code claimBatch} jobs from the next queue in turn, run their handlers one after another, settle each (hand it to
 * the {@link Acknowledger}, or {@code fail} it), repeat. It claims again only once its batch is done, which is the
 * worker's back-pressure; with {@link WorkerConfig#claimAhead()}, while the batch's last job runs, on a thread of its
 * own, and the jobs it took join the held ones at once so the heartbeat extends their leases; the acknowledgements
 * the loop sends go to that same thread, after the claim, so the next handler does not wait for them either. If its
 * thread dies of an {@link Error}, the jobs it held are let go and a new thread takes its place.
 */
final class HandlerLoop {
    private static final System.Logger LOG = System.getLogger(QueueWorker.class.getName());
    /** Pause after a round of empty claims when claims do not wait, so an idle worker does not spin. */
    private static final Duration IDLE_PAUSE = Duration.ofMillis(1);
    private static final int MAX_ERROR_LENGTH = 1000;
    private static final long NOT_STARTED = Long.MIN_VALUE;

    /** Guards the {@link Claim#state} and lease of the claims this loop holds; the heartbeat takes it too. */
    final ReentrantLock lock = new ReentrantLock();
    private final QueueWorker worker;
    private final int index;
    private final List<String> queues;
    private volatile List<Claim> held = List.of();
    private volatile Thread thread;
    /** The claim ahead in flight, if any: it completes with the claims it added to {@link #held}. */
    private volatile CompletableFuture<List<Claim>> ahead;
    /**
     * With {@link WorkerConfig#claimAhead()}: the one thread that runs this loop's round trips ahead, in the order
     * they were handed over: its claims ahead and the acknowledgements it sends. Null without claimAhead.
     */
    private final ExecutorService roundTrips;
    /** The thread {@link #roundTrips} made, once it made one: {@link #stopRoundTrips} waits for it to end. */
    private volatile Thread roundTripThread;
    /** The queue this loop claims from next (loop thread only). */
    private int next;

    HandlerLoop(QueueWorker worker, int index) {
        this.worker = worker;
        this.index = index;
        this.queues = worker.config.queues();
        this.next = index % queues.size();
        this.roundTrips = worker.config.claimAhead()
                ? Executors.newSingleThreadExecutor(work -> roundTripThread =
                        worker.threads.newTaskThread("ahead-" + index, work))
                : null;
    }

    void start() {
        thread = worker.threads.startLoop(index, this::run);
    }

    /** The thread running this loop now (a new one after a death). */
    Thread thread() {
        return thread;
    }

    /** The claims of the batch in hand, for the heartbeat. */
    List<Claim> held() {
        return held;
    }

    /** Interrupts the handler running now, if any: the drain timeout has run out. */
    void interruptHandler() {
        lock.lock();
        try {
            if (held.stream().anyMatch(c -> c.state == Claim.State.RUNNING)) {
                thread.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the thread of this loop's round trips ahead, once the loop has ended, waiting up to {@code timeout} for
     * the thread itself to end (the executor counts as terminated a moment before its thread exits); a loop still
     * running after the drain timeout then sends its round trips itself.
     */
    void stopRoundTrips(Duration timeout) {
        if (roundTrips == null) {
            return;
        }
        roundTrips.shutdown();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (roundTrips.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS) && roundTripThread != null) {
                roundTripThread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            work();
            awaitRoundTrips(); // what this loop handed over is sent before the loop counts as ended
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "a worker thread died; the jobs it held are left to lease expiry", t);
            String reason = "the worker's thread died: " + t;
            CompletableFuture<List<Claim>> inFlight = ahead;
            if (inFlight != null) {
                inFlight.join(); // its claims join held, let go below
                ahead = null;
            }
            lock.lock();
            try {
                held.stream().filter(c -> !c.handedOver).forEach(c -> worker.events.abandoned(c, reason));
                held = List.of();
            } finally {
                lock.unlock();
            }
            if (!worker.stopping()) {
                worker.pause(errorPause(1));
                start();
            }
        }
    }

    /**
     * Claims and runs batches, visiting the queues round-robin, until the worker stops or the backend closes; a batch
     * claimed ahead is run even when the worker is stopping, as a batch in hand is.
     */
    private void work() {
        WorkerConfig config = worker.config;
        int emptyInARow = 0;
        int errorsInARow = 0;
        List<Claim> claimedAhead = List.of();
        while (!claimedAhead.isEmpty() || !worker.stopping()) {
            if (!claimedAhead.isEmpty()) {
                claimedAhead = runBatch(claimedAhead);
                continue;
            }
            Thread.interrupted(); // an interrupt meant for a handler that has returned is not for the next claim
            String queue = queues.get(next);
            next = (next + 1) % queues.size();
            boolean othersEmpty = emptyInARow >= queues.size() - 1;
            Duration wait = othersEmpty ? config.claimWait() : Duration.ZERO;
            long sentNanos = System.nanoTime();
            List<ClaimedJob> jobs;
            try {
                jobs = worker.backend.claim(queue, config.claimBatch(), config.lease(), wait);
                errorsInARow = 0;
            } catch (BackendClosedException e) {
                return; // the application closed the backend: there is nothing more to claim
            } catch (RuntimeException e) {
                worker.events.backendError(worker.meters.queue(queue), Op.CLAIM, e);
                worker.pause(errorPause(++errorsInARow));
                continue;
            }
            if (jobs.isEmpty()) {
                emptyInARow++;
                if (othersEmpty && wait.isZero()) {
                    worker.pause(IDLE_PAUSE);
                }
                continue;
            }
            emptyInARow = 0;
            List<Claim> claims = claims(jobs, sentNanos);
            held = claims; // from here the heartbeat extends their leases
            claimedAhead = runBatch(claims);
        }
    }

    private List<Claim> claims(List<ClaimedJob> jobs, long sentNanos) {
        long returnedNanos = System.nanoTime();
        List<Claim> claims = new ArrayList<>(jobs.size());
        for (ClaimedJob job : jobs) {
            Claim claim = new Claim(job, worker.meters.queue(job.queue()), sentNanos, returnedNanos);
            claims.add(claim);
            worker.events.claimed(claim);
        }
        return claims;
    }

    /** Runs the batch, which {@link #held} holds; returns the claims taken ahead meanwhile, held now instead. */
    private List<Claim> runBatch(List<Claim> claims) {
        for (int i = 0; i < claims.size(); i++) {
            if (i == claims.size() - 1 && worker.config.claimAhead() && !worker.stopping()) {
                ahead = claimAhead(queues.get(next));
                next = (next + 1) % queues.size();
            }
            runOne(claims.get(i));
        }
        CompletableFuture<List<Claim>> inFlight = ahead;
        ahead = null;
        List<Claim> taken = inFlight == null ? List.of() : inFlight.join();
        held = taken;
        return taken;
    }

    /**
     * Claims a batch from {@code queue} without waiting, on a thread of its own; its claims join {@link #held} as
     * soon as they arrive. A failed claim ahead counts as an error and takes nothing.
     */
    private CompletableFuture<List<Claim>> claimAhead(String queue) {
        CompletableFuture<List<Claim>> taken = new CompletableFuture<>();
        ahead(() -> {
            List<Claim> claims = List.of();
            try {
                long sentNanos = System.nanoTime();
                claims = claims(worker.backend.claim(queue, worker.config.claimBatch(), worker.config.lease(),
                        Duration.ZERO), sentNanos);
                lock.lock();
                try {
                    List<Claim> both = new ArrayList<>(held);
                    both.addAll(claims);
                    held = both;
                } finally {
                    lock.unlock();
                }
            } catch (BackendClosedException e) {
                // the application closed the backend: the loop finds out on its next claim
            } catch (RuntimeException e) {
                worker.events.backendError(worker.meters.queue(queue), Op.CLAIM, e);
            } finally {
                taken.complete(claims);
            }
        });
        return taken;
    }

    /**
     * Hands {@code roundTrip} to the thread of this loop's round trips ahead; runs it on this thread once that one is
     * stopped (a loop that outlived the drain timeout).
     */
    private void ahead(Runnable roundTrip) {
        try {
            roundTrips.execute(roundTrip);
        } catch (RejectedExecutionException e) {
            roundTrip.run();
        }
    }

    /** Waits until every round trip handed over so far is done (without claimAhead there are none). */
    private void awaitRoundTrips() {
        if (roundTrips != null) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            ahead(() -> done.complete(null));
            done.join();
        }
    }

    private void runOne(Claim claim) {
        long startNanos = begin(claim);
        if (startNanos == NOT_STARTED) {
            return;
        }
        JobResult result = null;
        Throwable error = null;
        try {
            result = worker.handler.handle(new Job(claim));
            if (result == null) {
                error = new NullPointerException("the handler returned null instead of a JobResult");
            }
        } catch (Throwable t) {
            error = t;
        }
        boolean lost = finish(claim);
        worker.events.handlerFinished(claim, error == null ? result : null, System.nanoTime() - startNanos);
        if (lost) {
            return; // reported by the heartbeat; the backend redelivers the job
        }
        if (worker.abandoning()) {
            worker.events.abandoned(claim, "its handler finished after the drain timeout had run out");
            return;
        }
        if (error != null) {
            fail(claim, describe(error));
            return;
        }
        switch (result) {
            case JobResult.Done done -> acknowledge(claim, false);
            case JobResult.Discard discard -> acknowledge(claim, true);
            case JobResult.Retry retry -> retry(claim, retry.delay());
        }
    }

    /**
     * Marks the claim running and reports the start, under the lock so no lease loss is reported before it; returns
     * the start time, or {@link #NOT_STARTED} when it must not run: its lease was lost, or the drain timeout ran out.
     */
    private long begin(Claim claim) {
        lock.lock();
        try {
            if (claim.lost) {
                return NOT_STARTED;
            }
            if (worker.abandoning()) {
                claim.state = Claim.State.FINISHED;
                worker.events.abandoned(claim, "the drain timeout ran out before its handler started");
                return NOT_STARTED;
            }
            claim.state = Claim.State.RUNNING;
            long startNanos = System.nanoTime();
            worker.events.handlerStarted(claim, startNanos, Instant.now());
            return startNanos;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the handler returned and clears any interrupt it was sent; true when its lease had been lost. */
    private boolean finish(Claim claim) {
        lock.lock();
        try {
            claim.state = Claim.State.FINISHED;
            Thread.interrupted();
            return claim.lost;
        } finally {
            lock.unlock();
        }
    }

    private void acknowledge(Claim claim, boolean discard) {
        claim.discard = discard;
        claim.handedOver = true;
        if (!(roundTrips == null ? worker.acks.add(claim) : worker.acks.add(claim, this::ahead))) {
            worker.events.abandoned(claim, "the worker closed before it could acknowledge the job");
        }
    }

    private void fail(Claim claim, String error) {
        Instant before = Instant.now();
        FailResult result;
        try {
            result = worker.backend.fail(claim.job, error);
        } catch (RuntimeException e) {
            worker.events.backendError(claim.meters, Op.FAIL, e);
            worker.events.abandoned(claim, "fail threw: " + e);
            return;
        }
        worker.events.failed(claim, result, before);
    }

    /** Holds the lease for {@code delay} and lets it lapse, so the backend redelivers the job then (see Retry). */
    private void retry(Claim claim, Duration delay) {
        ClaimedJob job = claim.job;
        if (job.isLastAttempt()) {
            fail(claim, "the handler asked for a retry after " + delay + " on the last attempt (" + job.attempt()
                    + " of " + job.maxAttempts() + ")");
            return;
        }
        Instant before = Instant.now();
        boolean held;
        try {
            held = worker.backend.extendLease(job, delay);
        } catch (RuntimeException e) {
            worker.events.backendError(claim.meters, Op.EXTEND_LEASE, e);
            worker.events.abandoned(claim, "extendLease for a retry threw: " + e);
            return;
        }
        worker.events.failed(claim, held ? FailResult.retryAt(before.plus(delay)) : FailResult.leaseLost(), before);
    }

    /** 10 ms after the first error in a row, doubling up to 1 s. */
    private static Duration errorPause(int errorsInARow) {
        return Duration.ofMillis(Math.min(1000, 10L << Math.min(errorsInARow - 1, 7)));
    }

    /** The error as the backend keeps it: class and message of it and its causes, no secrets, bounded. */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder(error.toString());
        Throwable cause = error.getCause();
        for (int depth = 0; cause != null && cause != error && depth < 5; depth++, cause = cause.getCause()) {
            text.append("; caused by ").append(cause);
        }
        String redacted = Secrets.redact(text.toString());
        return redacted.length() <= MAX_ERROR_LENGTH ? redacted : redacted.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }
}
