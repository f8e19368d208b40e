package dev.queuebench.memory;

import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendClosedException;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One queue's jobs under one lock. Every job is in exactly one of {@code ready}, {@code scheduled}, {@code leased}
 * or {@code dead}, and in {@code jobs}; each method moves jobs between them while holding the lock, so every
 * transition is atomic. Expired leases and due jobs are settled lazily, at the start of each operation.
 */
final class MemoryQueue {
    /** Higher priority first (compared, not negated: {@code -Integer.MIN_VALUE} overflows), then run-at, then id. */
    private static final Comparator<Job> CLAIM_ORDER =
            ((Comparator<Job>) (a, b) -> Integer.compare(b.priority, a.priority))
                    .thenComparing(j -> j.runAt)
                    .thenComparingLong(j -> j.id);
    private static final Comparator<Job> BY_RUN_AT =
            Comparator.comparing((Job j) -> j.runAt).thenComparingLong(j -> j.id);
    private static final Comparator<Job> BY_LEASE_EXPIRY =
            Comparator.comparing((Job j) -> j.leaseExpiresAt).thenComparingLong(j -> j.id);

    private final String name;
    private final Backoff backoff;
    private final LongSupplier ids;
    private final BooleanSupplier closed;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    private final Map<Long, Job> jobs = new HashMap<>();
    private final TreeSet<Job> ready = new TreeSet<>(CLAIM_ORDER);
    private final TreeSet<Job> scheduled = new TreeSet<>(BY_RUN_AT);
    private final TreeSet<Job> leased = new TreeSet<>(BY_LEASE_EXPIRY);
    private final Map<Long, Job> dead = new LinkedHashMap<>();

    private static final class Job {
        final long id;
        final byte[] payload;
        final int priority;
        final int maxAttempts;
        final Instant enqueuedAt;
        Instant runAt;
        int attempt;
        String leaseToken;
        Instant leaseExpiresAt;
        String lastError;

        Job(long id, JobRequest request, Instant now) {
            this.id = id;
            this.payload = request.payload();
            this.priority = request.priority();
            this.maxAttempts = request.maxAttempts();
            this.enqueuedAt = now;
            this.runAt = request.runAt() == null ? now : request.runAt();
        }
    }

    MemoryQueue(String name, Backoff backoff, LongSupplier ids, BooleanSupplier closed) {
        this.name = name;
        this.backoff = backoff;
        this.ids = ids;
        this.closed = closed;
    }

    List<String> enqueueAll(List<JobRequest> requests) {
        return locked(() -> {
            Instant now = Instant.now();
            List<String> created = new ArrayList<>(requests.size());
            for (JobRequest request : requests) {
                Job job = new Job(ids.getAsLong(), request, now);
                jobs.put(job.id, job);
                (job.runAt.isAfter(now) ? scheduled : ready).add(job);
                created.add(Long.toString(job.id));
            }
            changed.signalAll();
            return created;
        });
    }

    List<ClaimedJob> claim(int maxJobs, Duration leaseDuration, Duration waitTimeout) throws InterruptedException {
        long deadline = System.nanoTime() + waitTimeout.toNanos();
        lock.lock();
        try {
            while (true) {
                if (closed.getAsBoolean()) {
                    throw new BackendClosedException(MemoryBackendProvider.NAME);
                }
                Instant now = settle();
                if (!ready.isEmpty()) {
                    return lease(maxJobs, leaseDuration, now);
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return List.of();
                }
                changed.awaitNanos(Math.min(remaining, nanosUntilNextChange(now)));
            }
        } finally {
            lock.unlock();
        }
    }

    boolean complete(ClaimedJob claim) {
        return onValidLease(claim, false, job -> {
            jobs.remove(job.id);
            return true;
        });
    }

    FailResult fail(ClaimedJob claim, String error) {
        return onValidLease(claim, FailResult.leaseLost(), job -> {
            job.leaseToken = null; // the lease ends here: a second fail or complete under it is refused
            job.lastError = error;
            if (job.attempt >= job.maxAttempts) {
                dead.put(job.id, job);
                return FailResult.dead();
            }
            job.runAt = Instant.now().plus(backoff.delayAfter(job.attempt));
            scheduled.add(job);
            changed.signalAll();
            return FailResult.retryAt(job.runAt);
        });
    }

    boolean extendLease(ClaimedJob claim, Duration leaseDuration) {
        return onValidLease(claim, false, job -> {
            job.leaseExpiresAt = Instant.now().plus(leaseDuration);
            leased.add(job);
            changed.signalAll();
            return true;
        });
    }

    QueueStats stats() {
        return locked(() -> {
            settle();
            return new QueueStats(ready.size(), scheduled.size(), leased.size(), dead.size());
        });
    }

    List<DeadJob> deadLetters(int limit) {
        return locked(() -> {
            settle();
            return dead.values().stream()
                    .limit(limit)
                    .map(j -> new DeadJob(Long.toString(j.id), name, j.payload, j.attempt, j.lastError, j.enqueuedAt))
                    .toList();
        });
    }

    long requeueDead() {
        return locked(() -> {
            settle();
            Instant now = Instant.now();
            for (Job job : dead.values()) {
                job.attempt = 0;
                job.lastError = null;
                job.runAt = now;
                ready.add(job);
            }
            long count = dead.size();
            dead.clear();
            changed.signalAll();
            return count;
        });
    }

    long purge() {
        return locked(() -> {
            long count = jobs.size();
            jobs.clear();
            ready.clear();
            scheduled.clear();
            leased.clear();
            dead.clear();
            return count;
        });
    }

    /** Job count and payload bytes held, for the footprint. */
    long[] size() {
        return locked(() -> new long[] {jobs.size(), jobs.values().stream().mapToLong(j -> j.payload.length).sum()});
    }

    /** Wakes every waiting claim, so it sees the backend closed. */
    void wakeAll() {
        locked(() -> {
            changed.signalAll();
            return null;
        });
    }

    /** What {@code work} returns, run while this queue's lock is held. */
    private <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock: what {@code work} returns for the job of {@code claim}, taken out of the leased jobs first, when
     * the claim's lease is still valid; {@code leaseLost} (and nothing changed) when it is not.
     */
    private <T> T onValidLease(ClaimedJob claim, T leaseLost, Function<Job, T> work) {
        return locked(() -> {
            Job job = validLease(claim);
            if (job == null) {
                return leaseLost;
            }
            leased.remove(job);
            return work.apply(job);
        });
    }

    /** Moves due scheduled jobs to ready and expired leases to ready (or dead on their last attempt). */
    private Instant settle() {
        Instant now = Instant.now();
        while (!scheduled.isEmpty() && !scheduled.first().runAt.isAfter(now)) {
            ready.add(scheduled.pollFirst());
        }
        while (!leased.isEmpty() && !leased.first().leaseExpiresAt.isAfter(now)) {
            Job job = leased.pollFirst();
            job.leaseToken = null;
            if (job.attempt >= job.maxAttempts) {
                job.lastError = "lease expired";
                dead.put(job.id, job);
            } else {
                ready.add(job);
            }
        }
        return now;
    }

    private List<ClaimedJob> lease(int maxJobs, Duration leaseDuration, Instant now) {
        Instant expiresAt = now.plus(leaseDuration);
        List<ClaimedJob> claimed = new ArrayList<>(Math.min(maxJobs, ready.size()));
        while (claimed.size() < maxJobs && !ready.isEmpty()) {
            Job job = ready.pollFirst();
            job.attempt++;
            job.leaseToken = UUID.randomUUID().toString();
            job.leaseExpiresAt = expiresAt;
            leased.add(job);
            claimed.add(new ClaimedJob(Long.toString(job.id), name, job.payload, job.priority, job.attempt,
                    job.maxAttempts, job.enqueuedAt, expiresAt, job.leaseToken));
        }
        return claimed;
    }

    /** The job behind a claim if that claim's lease is still valid, else null. */
    private Job validLease(ClaimedJob claim) {
        Job job = jobs.get(parseId(claim.id()));
        boolean valid = job != null
                && job.leaseToken != null
                && job.leaseToken.equals(claim.leaseToken())
                && job.leaseExpiresAt.isAfter(Instant.now());
        return valid ? job : null;
    }

    private long nanosUntilNextChange(Instant now) {
        Instant next = null;
        if (!scheduled.isEmpty()) {
            next = scheduled.first().runAt;
        }
        if (!leased.isEmpty() && (next == null || leased.first().leaseExpiresAt.isBefore(next))) {
            next = leased.first().leaseExpiresAt;
        }
        return next == null ? Long.MAX_VALUE
                : Math.max(TimeUnit.MILLISECONDS.toNanos(1), Duration.between(now, next).toNanos());
    }

    private static long parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
