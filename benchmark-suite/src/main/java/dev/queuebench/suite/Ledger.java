package dev.queuebench.suite;

import dev.queuebench.api.ClaimedJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The book of one case: every id the producer was given back, every handler run (attempt, start, lease expiry) and
 * how each job was settled. Jobs are keyed by queue and id, since a backend may number each queue on its own. {@link #check()} computes lost and duplicated jobs from these records alone, never from
 * the backend's counters. Thread-safe: producers and workers write to it at once.
 */
public final class Ledger {
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();
    private final Object settledSignal = new Object();
    private volatile long wakeAt = Long.MAX_VALUE;

    /** One job's history; guarded by its own monitor. */
    private static final class Entry {
        boolean enqueued;
        final List<Run> runs = new ArrayList<>(1);
        Instant completedAt;
        boolean dead;
    }

    /**
     * One handler run: which attempt, when it started (harness clock), and until when its lease held: its expiry
     * (backend clock), or earlier when the handler released it by failing the job.
     */
    private static final class Run {
        final int attempt;
        final Instant startedAt;
        Instant leaseEnd;
        boolean released;

        Run(int attempt, Instant startedAt, Instant leaseEnd) {
            this.attempt = attempt;
            this.startedAt = startedAt;
            this.leaseEnd = leaseEnd;
        }
    }

    /** What {@link #check()} found. {@code lostSample} holds up to ten lost jobs as {@code queue/id}. */
    public record Verdict(long enqueued, long completed, long dead, long lost, long duplicated, List<String> lostSample) {}

    /** Records ids the backend returned from an enqueue on {@code queue}. */
    public void enqueued(String queue, Collection<String> ids) {
        for (String id : ids) {
            Entry entry = entry(queue, id);
            synchronized (entry) {
                if (!entry.enqueued) {
                    entry.enqueued = true;
                    enqueued.incrementAndGet();
                }
            }
        }
    }

    /** Records that a handler started on {@code job} at {@code startedAt}. */
    public void started(ClaimedJob job, Instant startedAt) {
        Entry entry = entry(job.queue(), job.id());
        synchronized (entry) {
            entry.runs.add(new Run(job.attempt(), startedAt, job.leaseExpiresAt()));
        }
    }

    /**
     * Records that the handler gave the job back with {@code fail} (retry or dead): its lease ended no later than
     * {@code before}, taken just before the call, so a later redelivery is not counted as a duplicate.
     */
    public void released(ClaimedJob job, Instant before) {
        Entry entry = entry(job.queue(), job.id());
        synchronized (entry) {
            for (Run run : entry.runs) {
                if (run.attempt == job.attempt()) {
                    run.released = true;
                    if (run.leaseEnd.isAfter(before)) {
                        run.leaseEnd = before;
                    }
                }
            }
        }
    }

    /** Records that {@code complete} answered true for the job. */
    public void completed(ClaimedJob job) {
        Entry entry = entry(job.queue(), job.id());
        synchronized (entry) {
            if (entry.completedAt == null) {
                entry.completedAt = Instant.now();
                if (!entry.dead) {
                    countSettled();
                }
            }
        }
    }

    /** Records that the job is dead (its last attempt failed, or the backend lists it among dead letters). */
    public void dead(String queue, String id) {
        Entry entry = entry(queue, id);
        synchronized (entry) {
            if (!entry.dead) {
                entry.dead = true;
                if (entry.completedAt == null) {
                    countSettled();
                }
            }
        }
    }

    /** True when the job is completed or dead. */
    public boolean isSettled(String queue, String id) {
        Entry entry = entries.get(queue + '/' + id);
        if (entry == null) {
            return false;
        }
        synchronized (entry) {
            return entry.completedAt != null || entry.dead;
        }
    }

    /** Ids the producer recorded. */
    public long enqueuedCount() {
        return enqueued.get();
    }

    /** Jobs completed or dead so far. */
    public long settledCount() {
        return settled.get();
    }

    /** Waits until at least {@code target} jobs are settled, at most {@code timeoutMillis}; true when they are. */
    public boolean awaitSettled(long target, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (settledSignal) {
            wakeAt = target;
            try {
                for (long left = timeoutMillis; settled.get() < target && left > 0;
                        left = (deadline - System.nanoTime()) / 1_000_000) {
                    settledSignal.wait(left);
                }
                return settled.get() >= target;
            } finally {
                wakeAt = Long.MAX_VALUE;
            }
        }
    }

    /**
     * Lost: an enqueued id never completed nor dead. Duplicated: a job with a handler run that started while an
     * earlier run's lease was still valid, or after the job had been completed.
     */
    public Verdict check() {
        long completed = 0;
        long dead = 0;
        long duplicated = 0;
        List<String> lost = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry entry = e.getValue();
            synchronized (entry) {
                if (entry.completedAt != null) {
                    completed++;
                } else if (entry.dead) {
                    dead++;
                } else if (entry.enqueued) {
                    lost.add(e.getKey());
                }
                if (hasDuplicateRun(entry)) {
                    duplicated++;
                }
            }
        }
        return new Verdict(enqueued.get(), completed, dead, lost.size(), duplicated,
                lost.stream().sorted().limit(10).toList());
    }

    /**
     * Jobs whose handler ran again after a run that neither settled nor released the job: redeliveries after a lost
     * lease (a killed worker, a refused complete), the duplicates at-least-once delivery allows for jobs in flight at
     * a fault. Retries after {@code fail} are not counted.
     */
    public long redeliveredCount() {
        long redelivered = 0;
        for (Entry entry : entries.values()) {
            synchronized (entry) {
                List<Run> runs = new ArrayList<>(entry.runs);
                runs.sort((a, b) -> a.startedAt.compareTo(b.startedAt));
                for (int i = 0; i < runs.size() - 1; i++) {
                    if (!runs.get(i).released) {
                        redelivered++;
                        break;
                    }
                }
            }
        }
        return redelivered;
    }

    /** Jobs a handler holds right now: started, neither settled nor released since. */
    public long inFlightCount() {
        long inFlight = 0;
        for (Entry entry : entries.values()) {
            synchronized (entry) {
                if (!entry.runs.isEmpty() && entry.completedAt == null && !entry.dead
                        && !entry.runs.getLast().released) {
                    inFlight++;
                }
            }
        }
        return inFlight;
    }

    /** Jobs with a handler run that started in {@code [from, to]} (the harness clock). */
    public long startedBetween(Instant from, Instant to) {
        long started = 0;
        for (Entry entry : entries.values()) {
            synchronized (entry) {
                if (entry.runs.stream().anyMatch(r -> !r.startedAt.isBefore(from) && !r.startedAt.isAfter(to))) {
                    started++;
                }
            }
        }
        return started;
    }

    private static boolean hasDuplicateRun(Entry entry) {
        List<Run> runs = new ArrayList<>(entry.runs);
        runs.sort((a, b) -> a.startedAt.compareTo(b.startedAt));
        for (int i = 1; i < runs.size(); i++) {
            Run run = runs.get(i);
            if (entry.completedAt != null && entry.completedAt.isBefore(run.startedAt)) {
                return true;
            }
            for (int j = 0; j < i; j++) {
                if (runs.get(j).leaseEnd.isAfter(run.startedAt)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void countSettled() {
        if (settled.incrementAndGet() >= wakeAt) {
            synchronized (settledSignal) {
                settledSignal.notifyAll();
            }
        }
    }

    private Entry entry(String queue, String id) {
        return entries.computeIfAbsent(queue + '/' + id, k -> new Entry());
    }
}
