package dev.queuebench.worker;

import dev.queuebench.api.JobConsumer;
import dev.queuebench.api.QueueMetrics.Op;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gathers the acknowledgements of each queue and sends them with one {@code completeAll} once {@code ackBatch} have
 * gathered or the oldest has waited {@code ackDelay}, whichever comes first ({@code complete} when a batch holds one
 * job). A batch that fills is sent by the loop that filled it (with {@code claimAhead}, by that loop's thread of
 * round trips ahead, in turn with its claims ahead, so the loop's next claim ahead waits for it), so a slow backend
 * slows the handler loops rather than letting acknowledgements pile up; a batch that times out is sent by the
 * flusher thread. With no delay every acknowledgement is sent at once, the same way as a batch that fills.
 */
final class Acknowledger {
    private final JobConsumer backend;
    private final JobEvents events;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Pending> pending = new HashMap<>();
    private final Thread flusher;
    private boolean closed;

    /** One queue's acknowledgements waiting to be sent; guarded by {@link #lock}. */
    private static final class Pending {
        List<Claim> claims = new ArrayList<>();
        long firstAddedNanos;

        List<Claim> take() {
            List<Claim> taken = claims;
            claims = new ArrayList<>();
            return taken;
        }
    }

    Acknowledger(JobConsumer backend, WorkerConfig config, JobEvents events, WorkerThreads threads) {
        this.backend = backend;
        this.events = events;
        this.maxBatch = config.ackBatch();
        this.maxDelayNanos = config.ackDelay().toNanos();
        config.queues().forEach(queue -> pending.put(queue, new Pending()));
        this.flusher = maxBatch > 1 && maxDelayNanos > 0
                ? threads.startHelper("acks", this::flushWhenDue)
                : null;
    }

    /** Queues the finished claim for acknowledgement; false, and nothing queued, once {@link #close} has begun. */
    boolean add(Claim claim) {
        return add(claim, Runnable::run);
    }

    /**
     * {@link #add(Claim)}, a batch it fills (or, with no delay, the claim alone) being sent by {@code sender}: the
     * calling loop itself, or the thread of its round trips ahead.
     */
    boolean add(Claim claim, Executor sender) {
        List<Claim> full = null;
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            Pending p = pending.get(claim.job.queue());
            if (p.claims.isEmpty()) {
                p.firstAddedNanos = System.nanoTime();
                changed.signal();
            }
            p.claims.add(claim);
            if (p.claims.size() >= maxBatch || flusher == null) {
                full = p.take();
            }
        } finally {
            lock.unlock();
        }
        if (full != null) {
            List<Claim> batch = full;
            sender.execute(() -> send(batch));
        }
        return true;
    }

    /** Sends everything gathered and stops the flusher; later {@link #add}s are refused. */
    void close() {
        List<List<Claim>> rest = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            pending.values().stream().filter(p -> !p.claims.isEmpty()).forEach(p -> rest.add(p.take()));
            changed.signal();
        } finally {
            lock.unlock();
        }
        rest.forEach(this::send);
        if (flusher != null) {
            joinUninterruptibly(flusher);
        }
    }

    private void flushWhenDue() {
        while (true) {
            List<List<Claim>> due = new ArrayList<>();
            lock.lock();
            try {
                while (!closed && due.isEmpty()) {
                    long now = System.nanoTime();
                    long wait = Long.MAX_VALUE;
                    for (Pending p : pending.values()) {
                        if (p.claims.isEmpty()) {
                            continue;
                        }
                        long left = p.firstAddedNanos + maxDelayNanos - now;
                        if (left <= 0) {
                            due.add(p.take());
                        } else {
                            wait = Math.min(wait, left);
                        }
                    }
                    if (due.isEmpty()) {
                        awaitUninterruptibly(wait);
                    }
                }
            } finally {
                lock.unlock();
            }
            due.forEach(this::send); // taken before a close: still sent, and close waits for this thread
            if (due.isEmpty()) {
                return;
            }
        }
    }

    /**
     * Announces, sends and reports one batch of one queue. If the call throws, its jobs are let go: whether it took
     * effect is unknown, and their leases will run out. An {@link Error} goes on up once they are reported.
     */
    private void send(List<Claim> batch) {
        batch.forEach(events::acknowledging);
        Instant before = Instant.now();
        Op op = batch.size() == 1 ? Op.COMPLETE : Op.COMPLETE_ALL;
        List<Boolean> answers;
        try {
            answers = batch.size() == 1
                    ? List.of(backend.complete(batch.getFirst().job))
                    : backend.completeAll(batch.stream().map(c -> c.job).toList());
        } catch (RuntimeException | Error e) {
            WorkerMeters.QueueMeters meters = batch.getFirst().meters;
            events.backendError(meters, op, e);
            batch.forEach(c -> events.abandoned(c, op.tag() + " threw: " + e));
            if (e instanceof Error error && Thread.currentThread() != flusher) {
                throw error;
            }
            return;
        }
        batch.getFirst().meters.ackBatch.record(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            events.acknowledged(batch.get(i), answers.get(i), before);
        }
    }

    private void awaitUninterruptibly(long nanos) {
        try {
            if (nanos == Long.MAX_VALUE) {
                changed.await();
            } else {
                changed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            // only close() stops the flusher
        }
    }

    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
