package dev.queuebench.suite.ledger;

import dev.queuebench.api.ClaimedJob;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The book of one case: every id the producer was given back, every handler run (attempt, start, lease expiry,
 * whether its {@code complete} was sent and what it answered) and how each job was settled. Jobs are keyed by queue
 * and id, since a backend may number each queue on its own. Each job has a {@link Fate} with its evidence
 * ({@link #fate}); {@link #check()} counts them and computes duplicated jobs from these records alone, never from the
 * backend's counters. The one fact taken from the backend is that a job whose {@code complete} got no answer is gone
 * from it, found job by job by {@link UnansweredCompletes}. Thread-safe: producers and workers write to it at once.
 *
 * <p>A ledger made by {@link #retiringCompleted()} keeps its memory flat in a sustained run, so the memory suite
 * measures the backend and not this book: a job completed at its first attempt, in its only run, is retired
 * {@link #RETIRE_AFTER} after its completion into a {@link RetiredIds}: one bit for an id written as a decimal
 * number, a 64-bit fingerprint (11 to 22 bytes) for any other id, so the book's memory per retired job is constant
 * whatever the backend's ids look like, and {@link #retiredBytes()} tells it exactly. Every answer stays the same:
 * a retired job is completed ("complete answered true (attempt 1)"), settled, not lost, not in flight.
 * A run reported for it afterwards brings it back and counts it duplicated: the run started after the completion
 * (exactly the rule for a job kept whole) whenever its report reached the ledger within {@code RETIRE_AFTER} of its
 * start; a report later than that is counted duplicated too, so retiring never hides a duplicate. Only
 * {@link #startedBetween} needs every run kept: it refuses a retiring ledger.
 *
 * <p>A fingerprint is the one place where a retiring ledger may err, and only by a collision: an id that was never
 * retired but shares a retired id's fingerprint (first 64 bits of SHA-256) looks retired, so its enqueue is not
 * counted and its run counts duplicated. Among N distinct non-decimal ids of a queue that happens with probability
 * at most N(N-1)/2<sup>65</sup> over the whole run: about 2.7e-8 for a million jobs, 2.7e-4 for 100 million.
 * Decimal ids are exact.
 */
public final class Ledger {
    /** How long after its completion a job is retired, far beyond the delay of a worker process's report. */
    public static final Duration RETIRE_AFTER = Duration.ofSeconds(2);
    /** Completions between two looks for jobs to retire. */
    private static final int RETIRE_EVERY = 64;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final InstantSource clock;
    /** Null when nothing is retired. */
    private final Duration retireAfter;
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, RetiredIds> retired = new ConcurrentHashMap<>();
    private final AtomicLong retiredCount = new AtomicLong();
    private final AtomicLong completionsSinceRetiring = new AtomicLong();
    private final ReentrantLock retiring = new ReentrantLock();
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
        /** Moved into {@link #retired}: this object is out of the map, the job's state is one bit. */
        boolean retired;
        /** Brought back from {@link #retired} by a run reported after retirement: every run it holds is a duplicate. */
        boolean revived;
    }

    /** A job that may be retired once {@code at} is {@link #retireAfter} old. */
    private record Completion(String key, String queue, String id, Entry entry, Instant at) {}

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

    /** A ledger that keeps every job's whole history to the end of the case. */
    public Ledger() {
        this(InstantSource.system(), null);
    }

    /** A ledger that retires jobs completed cleanly {@link #RETIRE_AFTER} ago (see the class comment). */
    public static Ledger retiringCompleted() {
        return new Ledger(InstantSource.system(), RETIRE_AFTER);
    }

    /** A ledger on {@code clock} that retires completed jobs after {@code retireAfter}, or never when it is null. */
    Ledger(InstantSource clock, Duration retireAfter) {
        this.clock = clock;
        this.retireAfter = retireAfter;
    }

    /** Records ids the backend returned from an enqueue on {@code queue}. */
    public void enqueued(String queue, Collection<String> ids) {
        for (String id : ids) {
            withEntry(queue, id, entry -> {
                if (!entry.enqueued) {
                    entry.enqueued = true;
                    enqueued.incrementAndGet();
                    if (entry.completedAt != null || entry.dead || entry.goneEvidence != null) {
                        countSettled(); // settled before its enqueue was recorded
                    }
                }
                return null;
            }, null);
        }
    }

    /** Records that a handler started on {@code job} at {@code startedAt}; a retired job comes back for it. */
    public void started(ClaimedJob job, Instant startedAt) {
        Run run = new Run(job.attempt(), startedAt, job.leaseExpiresAt());
        while (!withEntry(job.queue(), job.id(), entry -> entry.runs.add(run), false)) {
            entries.computeIfAbsent(job.queue() + '/' + job.id(), key -> {
                Entry back = new Entry();
                back.enqueued = true;
                back.completedAt = Instant.EPOCH; // the real time was not kept: only that it is set matters
                back.completedAttempt = 1;
                back.revived = true;
                retiredCount.decrementAndGet();
                return back;
            });
        }
    }

    /**
     * Records that the handler gave the job back with {@code fail} (retry or dead): its lease ended no later than
     * {@code before}, taken just before the call, so a later redelivery is not counted as a duplicate.
     */
    public void released(ClaimedJob job, Instant before) {
        withEntry(job.queue(), job.id(), entry -> {
            for (Run run : runsOf(entry, job.attempt())) {
                run.released = true;
                if (run.leaseEnd.isAfter(before)) {
                    run.leaseEnd = before;
                }
            }
            return null;
        }, null);
    }

    /** Records that {@code complete} is about to be sent for the job's attempt (its answer may never come). */
    public void completing(ClaimedJob job) {
        Instant now = clock.instant();
        withEntry(job.queue(), job.id(), entry -> {
            runsOf(entry, job.attempt()).forEach(run -> run.completeSentAt = now);
            return null;
        }, null);
    }

    /** Records that {@code complete} answered false for the job's attempt: the backend did not complete it. */
    public void refused(ClaimedJob job) {
        withEntry(job.queue(), job.id(), entry -> {
            runsOf(entry, job.attempt()).forEach(run -> run.completeRefused = true);
            return null;
        }, null);
    }

    /** Records that {@code complete} answered true for the job. */
    public void completed(ClaimedJob job) {
        Instant now = clock.instant();
        Entry completed = withEntry(job.queue(), job.id(), entry -> {
            if (entry.completedAt != null) {
                return null;
            }
            entry.completedAt = now;
            entry.completedAttempt = job.attempt();
            if (!entry.dead && entry.goneEvidence == null && entry.enqueued) {
                countSettled();
            }
            return entry;
        }, null);
        if (retireAfter != null && completed != null) {
            completions.add(new Completion(job.queue() + '/' + job.id(), job.queue(), job.id(), completed, now));
            if (completionsSinceRetiring.incrementAndGet() % RETIRE_EVERY == 0) {
                retireCompleted();
            }
        }
    }

    /** Records that the job is dead (its last attempt failed, or the backend lists it among dead letters). */
    public void dead(String queue, String id) {
        withEntry(queue, id, entry -> {
            if (!entry.dead) {
                entry.dead = true;
                if (entry.completedAt == null && entry.goneEvidence == null && entry.enqueued) {
                    countSettled();
                }
            }
            return null;
        }, null);
    }

    /** True when the job is completed (confirmed or not) or dead. */
    public boolean isSettled(String queue, String id) {
        Entry entry = entries.get(queue + '/' + id);
        if (entry == null) {
            return isRetired(queue, id);
        }
        synchronized (entry) {
            return isSettled(entry) || entry.retired;
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
        withEntry(job.queue(), job.id(), entry -> {
            Run last = lastRun(entry);
            if (!isSettled(entry) && last != null && last.attempt == job.attempt() && last.completeSentAt != null
                    && !last.completeRefused) {
                entry.goneEvidence = evidence;
                if (entry.enqueued) {
                    countSettled();
                }
            }
            return null;
        }, null);
    }

    /** Records what a look for the job in the backend found, when it did not find the job gone. */
    public void noteCheck(String queue, String id, String note) {
        withEntry(queue, id, entry -> entry.checkNote = note, null);
    }

    /** The fate of an enqueued job and its evidence; null for an id never enqueued. */
    public JobFate fate(String queue, String id) {
        JobFate retiredFate = new JobFate(queue + '/' + id, Fate.COMPLETED, completedEvidence(1));
        Entry entry = entries.get(queue + '/' + id);
        if (entry == null) {
            return isRetired(queue, id) ? retiredFate : null;
        }
        synchronized (entry) {
            return entry.retired ? retiredFate : fate(queue + '/' + id, entry);
        }
    }

    /** Jobs the book holds whole: every job but the retired ones. */
    public long keptCount() {
        return entries.size();
    }

    /** Jobs retired so far (less those a later run brought back). */
    public long retiredCount() {
        return retiredCount.get();
    }

    /**
     * Bytes the retired jobs take in this book: the arrays of every queue's {@link RetiredIds} (bit blocks and
     * fingerprint tables), exactly; the jobs kept whole ({@link #keptCount()}) are not in it.
     */
    public long retiredBytes() {
        return retired.values().stream().mapToLong(RetiredIds::bytes).sum();
    }

    /** Ids the producer recorded. */
    public long enqueuedCount() {
        return enqueued.get();
    }

    /**
     * Jobs recorded as enqueued that are completed or dead so far: a job whose enqueue failed yet was stored (an
     * unconfirmed publish) does not count, or it would stand in for a job still on its way.
     */
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
     * job had been completed. Called once the workers have stopped.
     */
    public Verdict check() {
        long completed = retiredCount.get();
        long dead = 0;
        long duplicated = 0;
        List<JobFate> unconfirmed = new ArrayList<>();
        List<JobFate> lost = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry entry = e.getValue();
            synchronized (entry) {
                if (entry.retired) {
                    continue; // counted in retiredCount
                }
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
                if (entry.revived) {
                    redelivered++; // its retired run was neither released nor the last
                    continue;
                }
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

    /**
     * Jobs a handler started again after their {@code complete} had answered true: completions the backend
     * acknowledged and then lost (a failover to a replica that never got them). Retired jobs brought back count.
     */
    public long cameBackCount() {
        long back = 0;
        for (Entry entry : entries.values()) {
            synchronized (entry) {
                Instant completedAt = entry.completedAt;
                if (entry.revived || completedAt != null
                        && entry.runs.stream().anyMatch(r -> r.startedAt.isAfter(completedAt))) {
                    back++;
                }
            }
        }
        return back;
    }

    /**
     * Jobs with a handler run that started while an earlier run's lease was still valid; unlike {@link #check()}'s
     * duplicated count, a run after the job's completion is not counted (that is {@link #cameBackCount()}).
     */
    public long overlappingCount() {
        long overlapping = 0;
        for (Entry entry : entries.values()) {
            synchronized (entry) {
                List<Run> runs = new ArrayList<>(entry.runs);
                runs.sort((a, b) -> a.startedAt.compareTo(b.startedAt));
                boolean found = false;
                for (int i = 1; i < runs.size() && !found; i++) {
                    for (int j = 0; j < i && !found; j++) {
                        found = runs.get(j).leaseEnd.isAfter(runs.get(i).startedAt);
                    }
                }
                if (found) {
                    overlapping++;
                }
            }
        }
        return overlapping;
    }

    /** Enqueued jobs that are neither settled nor ever started by a handler: acknowledged, never delivered. */
    public long neverStartedCount() {
        long never = 0;
        for (Entry entry : entries.values()) {
            synchronized (entry) {
                if (entry.enqueued && !entry.retired && !isSettled(entry) && entry.runs.isEmpty()) {
                    never++;
                }
            }
        }
        return never;
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

    /** Jobs with a handler run that started in {@code [from, to]} (the harness clock); not on a retiring ledger. */
    public long startedBetween(Instant from, Instant to) {
        if (retireAfter != null) {
            throw new IllegalStateException("a retiring ledger has forgotten the runs of retired jobs");
        }
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
            return new JobFate(job, Fate.COMPLETED, completedEvidence(entry.completedAttempt));
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

    private static String completedEvidence(int attempt) {
        return "complete answered true (attempt " + attempt + ")";
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
        if (entry.revived) {
            return true;
        }
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

    /**
     * Applies {@code action} to the job's entry (made on first sight) under its monitor and returns its answer;
     * returns {@code whenRetired} without running it when the job is retired.
     */
    private <T> T withEntry(String queue, String id, Function<Entry, T> action, T whenRetired) {
        while (true) {
            Entry entry = entries.computeIfAbsent(queue + '/' + id, k -> isRetired(queue, id) ? null : new Entry());
            if (entry == null) {
                return whenRetired;
            }
            synchronized (entry) {
                if (!entry.retired) {
                    return action.apply(entry);
                }
            } // retired meanwhile: it is leaving the map, look again
        }
    }

    private boolean isRetired(String queue, String id) {
        RetiredIds ids = retired.get(queue);
        return ids != null && ids.contains(id);
    }

    /** Retires the jobs completed more than {@link #retireAfter} ago that still qualify; one thread at a time. */
    private void retireCompleted() {
        if (!retiring.tryLock()) {
            return;
        }
        try {
            Instant before = clock.instant().minus(retireAfter);
            for (Completion c = completions.peek(); c != null && c.at().isBefore(before); c = completions.peek()) {
                completions.poll();
                retire(c);
            }
        } finally {
            retiring.unlock();
        }
    }

    /**
     * Moves the job into its queue's {@link RetiredIds} when it was completed at its first attempt in its only run,
     * which was not released, and nothing else is known of it. The bit is set before the entry leaves the map, so a
     * caller never makes a fresh entry for a retired job.
     */
    private void retire(Completion c) {
        Entry entry = c.entry();
        synchronized (entry) {
            boolean clean = entry.enqueued && !entry.revived && !entry.dead && entry.goneEvidence == null
                    && entry.checkNote == null && entry.completedAttempt == 1 && entry.runs.size() == 1
                    && entry.runs.getFirst().attempt == 1 && !entry.runs.getFirst().released;
            if (!clean) {
                return;
            }
            retired.computeIfAbsent(c.queue(), q -> new RetiredIds()).add(c.id());
            entry.retired = true;
            retiredCount.incrementAndGet();
        }
        entries.remove(c.key(), entry);
    }
}
