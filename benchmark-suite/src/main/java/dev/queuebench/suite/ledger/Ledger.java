package dev.queuebench.suite.ledger;

import dev.queuebench.api.ClaimedJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The book of one case: every id the producer was given back, every handler run (attempt, start, lease expiry,
 * whether its {@code complete} was sent and what it answered) and how each job was settled. Jobs are keyed by queue
 * and id, since a backend may number each queue on its own. Each job has a {@link Fate} with its evidence
 * ({@link #fate}); {@link #check()} counts them and computes duplicated jobs from these records alone, never from the
 * backend's counters. The one fact taken from the backend is that a job whose {@code complete} got no answer is gone
 * from it, found job by job by {@link UnansweredCompletes}. Thread-safe: producers and workers write to it at once.
 */
public final class Ledger {
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();
    private final Object settledSignal = new Object();
    private volatile long wakeAt = Long.MAX_VALUE;

    /** What became of an enqueued job. */
    public enum Fate {
        /** {@code complete} answered true. */
        COMPLETED,
        /**
         * {@code complete} was sent and its answer never came back (the worker died, or the call threw); afterwards
         * the job was found gone from the backend, job by job ({@link UnansweredCompletes}).
         */
        COMPLETED_UNCONFIRMED,
        /** {@code fail} answered DEAD, or the backend lists the job among its dead letters. */
        DEAD,
        /** None of these. */
        LOST
    }

    /** One job's fate ({@code job} is {@code queue/id}) and the evidence for it. */
    public record JobFate(String job, Fate fate, String evidence) {}

    /** A job whose last run sent {@code complete} and got no answer, with that run's attempt and lease end. */
    public record Unanswered(String queue, String id, int attempt, Instant sentAt, Instant leaseEnd) {}

    /** One job's history; guarded by its own monitor. */
    private static final class Entry {
        boolean enqueued;
        final List<Run> runs = new ArrayList<>(1);
        Instant completedAt;
        int completedAttempt;
        boolean dead;
        /** How the job's unanswered complete was found to have taken effect: it is then completed_unconfirmed. */
        String goneEvidence;
        /** What a look for the job in the backend found, when it did not find it gone. */
        String checkNote;
    }

    /**
     * One handler run: which attempt, when it started (harness clock), and until when its lease held: its expiry
     * (backend clock), or earlier when the handler released it by failing the job; when its {@code complete} was
     * sent, and whether it was refused.
     */
    private static final class Run {
        final int attempt;
        final Instant startedAt;
        Instant leaseEnd;
        boolean released;
        Instant completeSentAt;
        boolean completeRefused;

        Run(int attempt, Instant startedAt, Instant leaseEnd) {
            this.attempt = attempt;
            this.startedAt = startedAt;
            this.leaseEnd = leaseEnd;
        }
    }

    /**
     * What {@link #check()} found. {@code completed} includes the completed_unconfirmed jobs, each listed in
     * {@code unconfirmed} with its evidence. {@code lostSample} holds up to ten lost jobs as {@code queue/id},
     * {@code lostFates} the same jobs with what the ledger knows of them.
     */
    public record Verdict(long enqueued, long completed, long dead, long lost, long duplicated, List<String> lostSample,
            List<JobFate> unconfirmed, List<JobFate> lostFates) {

        /** A verdict with no completed_unconfirmed job and no evidence for the lost ones. */
        public Verdict(long enqueued, long completed, long dead, long lost, long duplicated, List<String> lostSample) {
            this(enqueued, completed, dead, lost, duplicated, lostSample, List.of(), List.of());
        }
    }

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
            for (Run run : runsOf(entry, job.attempt())) {
                run.released = true;
                if (run.leaseEnd.isAfter(before)) {
                    run.leaseEnd = before;
                }
            }
        }
    }

    /** Records that {@code complete} is about to be sent for the job's attempt (its answer may never come). */
    public void completing(ClaimedJob job) {
        Entry entry = entry(job.queue(), job.id());
        synchronized (entry) {
            Instant now = Instant.now();
            runsOf(entry, job.attempt()).forEach(run -> run.completeSentAt = now);
        }
    }

    /** Records that {@code complete} answered false for the job's attempt: the backend did not complete it. */
    public void refused(ClaimedJob job) {
        Entry entry = entry(job.queue(), job.id());
        synchronized (entry) {
            runsOf(entry, job.attempt()).forEach(run -> run.completeRefused = true);
        }
    }

    /** Records that {@code complete} answered true for the job. */
    public void completed(ClaimedJob job) {
        Entry entry = entry(job.queue(), job.id());
        synchronized (entry) {
            if (entry.completedAt == null) {
                entry.completedAt = Instant.now();
                entry.completedAttempt = job.attempt();
                if (!entry.dead && entry.goneEvidence == null) {
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
                if (entry.completedAt == null && entry.goneEvidence == null) {
                    countSettled();
                }
            }
        }
    }

    /** True when the job is completed (confirmed or not) or dead. */
    public boolean isSettled(String queue, String id) {
        Entry entry = entries.get(queue + '/' + id);
        if (entry == null) {
            return false;
        }
        synchronized (entry) {
            return isSettled(entry);
        }
    }

    /**
     * Enqueued jobs not settled whose last run sent {@code complete} and got no answer: the backend may have
     * completed them. Its look for them in the backend is {@link UnansweredCompletes}'s.
     */
    public List<Unanswered> unansweredCompletes() {
        List<Unanswered> unanswered = new ArrayList<>();
        entries.forEach((key, entry) -> {
            synchronized (entry) {
                Run last = lastRun(entry);
                if (entry.enqueued && !isSettled(entry) && last != null && last.completeSentAt != null
                        && !last.completeRefused) {
                    int slash = key.indexOf('/');
                    unanswered.add(new Unanswered(key.substring(0, slash), key.substring(slash + 1), last.attempt,
                            last.completeSentAt, last.leaseEnd));
                }
            }
        });
        return unanswered;
    }

    /**
     * Records that {@code job}, still unanswered, was found gone from the backend as {@code evidence} says: it is
     * completed_unconfirmed. Nothing changes for a job that has since been settled or run again.
     */
    public void confirmGone(Unanswered job, String evidence) {
        Entry entry = entry(job.queue(), job.id());
        synchronized (entry) {
            Run last = lastRun(entry);
            if (!isSettled(entry) && last != null && last.attempt == job.attempt() && last.completeSentAt != null
                    && !last.completeRefused) {
                entry.goneEvidence = evidence;
                countSettled();
            }
        }
    }

    /** Records what a look for the job in the backend found, when it did not find the job gone. */
    public void noteCheck(String queue, String id, String note) {
        Entry entry = entry(queue, id);
        synchronized (entry) {
            entry.checkNote = note;
        }
    }

    /** The fate of an enqueued job and its evidence; null for an id never enqueued. */
    public JobFate fate(String queue, String id) {
        Entry entry = entries.get(queue + '/' + id);
        if (entry == null) {
            return null;
        }
        synchronized (entry) {
            return fate(queue + '/' + id, entry);
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
     * Every job's fate counted: completed (confirmed or not), dead, lost (an enqueued id none of these).
     * Duplicated: a job with a handler run that started while an earlier run's lease was still valid, or after the
     * job had been completed.
     */
    public Verdict check() {
        long completed = 0;
        long dead = 0;
        long duplicated = 0;
        List<JobFate> unconfirmed = new ArrayList<>();
        List<JobFate> lost = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry entry = e.getValue();
            synchronized (entry) {
                JobFate fate = fate(e.getKey(), entry);
                if (fate != null) {
                    switch (fate.fate()) {
                        case COMPLETED -> completed++;
                        case COMPLETED_UNCONFIRMED -> {
                            completed++;
                            unconfirmed.add(fate);
                        }
                        case DEAD -> dead++;
                        case LOST -> lost.add(fate);
                    }
                }
                if (hasDuplicateRun(entry)) {
                    duplicated++;
                }
            }
        }
        unconfirmed.sort(Comparator.comparing(JobFate::job));
        List<JobFate> lostFates = lost.stream().sorted(Comparator.comparing(JobFate::job)).limit(10).toList();
        return new Verdict(enqueued.get(), completed, dead, lost.size(), duplicated,
                lostFates.stream().map(JobFate::job).toList(), unconfirmed, lostFates);
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
                if (!entry.runs.isEmpty() && !isSettled(entry) && !entry.runs.getLast().released) {
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

    private static JobFate fate(String job, Entry entry) {
        if (entry.completedAt != null) {
            return new JobFate(job, Fate.COMPLETED, "complete answered true (attempt " + entry.completedAttempt + ")");
        }
        if (entry.dead) {
            return new JobFate(job, Fate.DEAD, "fail answered DEAD, or the backend lists it among its dead letters");
        }
        if (entry.goneEvidence != null) {
            return new JobFate(job, Fate.COMPLETED_UNCONFIRMED, entry.goneEvidence);
        }
        if (!entry.enqueued) {
            return null;
        }
        Run last = lastRun(entry);
        String known = last == null ? "never claimed"
                : last.completeRefused ? "attempt " + last.attempt + ": complete answered false (refused)"
                : last.completeSentAt != null ? "attempt " + last.attempt + ": complete sent, no answer"
                : last.released ? "attempt " + last.attempt + ": failed and released, not run again"
                : "attempt " + last.attempt + ": handler started, no complete sent";
        return new JobFate(job, Fate.LOST, entry.checkNote == null ? known : known + "; " + entry.checkNote);
    }

    private static boolean isSettled(Entry entry) {
        return entry.completedAt != null || entry.dead || entry.goneEvidence != null;
    }

    /** The run of the highest attempt (the latest such run when one attempt ran twice), or null. */
    private static Run lastRun(Entry entry) {
        Run last = null;
        for (Run run : entry.runs) {
            if (last == null || run.attempt >= last.attempt) {
                last = run;
            }
        }
        return last;
    }

    private static List<Run> runsOf(Entry entry, int attempt) {
        return entry.runs.stream().filter(run -> run.attempt == attempt).toList();
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
