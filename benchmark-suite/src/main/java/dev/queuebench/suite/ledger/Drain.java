package dev.queuebench.suite.ledger;

import dev.queuebench.api.DeadJob;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueStats;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.CaseOutcome;
import dev.queuebench.suite.run.Progress;
import dev.queuebench.suite.workers.Consumers;
import dev.queuebench.suite.workers.LatencyRecorder;
import dev.queuebench.suite.workers.Payload;
import dev.queuebench.suite.workers.Task;
import dev.queuebench.suite.workers.ThreadCosts;
import dev.queuebench.suite.workers.WorkerPool;
import dev.queuebench.suite.workload.CaseMeters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The case shape the throughput, concurrency and stress suites share: purge the queues, fill them with jobs
 * ({@code enqueueAll} in chunks), drain them with a {@link WorkerPool} until the ledger has every job settled, check
 * the ledger, purge again. Throughput is jobs over the drain alone, from its first handler start. With
 * {@code workersFirst} the workers wait on empty queues and the jobs arrive as one burst while they run (the stress
 * suite's burst case).
 */
public final class Drain {
    /** Longest a drain may go without settling a job before it is given up (a lease, plus slack). */
    private static final long STALL_MILLIS = WorkerPool.LEASE.toMillis() + 10_000;
    private static final int MAX_CHUNK_BYTES = 4 << 20;

    /**
     * One drain.
     *
     * @param failingShare share of jobs whose handler fails: half of them once (then they succeed), half always
     *                     (then they end dead after {@value #FAILING_MAX_ATTEMPTS} attempts)
     */
    public record Spec(List<String> queues, int jobs, int payloadBytes, double failingShare, int workers, int batch,
            Task task, boolean workersFirst) {}

    static final int FAILING_MAX_ATTEMPTS = 3;
    /** Key in a record's {@code details}: whether the consumers' handler loops claimed ahead. */
    public static final String CLAIM_AHEAD = "claim_ahead";
    /** Keys in a record's {@code details}: see {@link #describeTimePerJob}. */
    public static final String HANDLER_MEAN_MS = "handler_mean_ms";
    public static final String LOOP_MS_PER_JOB = "loop_ms_per_job";

    private Drain() {}

    /** Runs one drain of {@code spec} against {@code target} and measures it. */
    public static CaseOutcome run(BackendUnderTest target, Spec spec, String phase) {
        QueueBackend backend = target.backend();
        Progress progress = target.progress();
        spec.queues().forEach(backend::purge);
        Ledger ledger = Ledger.retiringCompleted();
        LatencyRecorder latency = new LatencyRecorder();
        Map<String, Object> details = new LinkedHashMap<>();
        ThreadCosts filling = new ThreadCosts();
        try (CaseMeters meters = new CaseMeters(target.registry())) {
            long fillNanos = 0;
            if (!spec.workersFirst()) {
                progress.begin(phase + " (filling)", spec.jobs());
                ThreadCosts.Mark mark = ThreadCosts.mark();
                fillNanos = fill(backend, spec, ledger, progress);
                filling.addSince(mark);
            }
            progress.begin(phase, spec.jobs());
            long starting = System.nanoTime();
            long drainedAt;
            Consumers pool = Consumers.start(target, spec.queues(), spec.workers(), spec.batch(), spec.task(),
                    WorkerPool.LEASE, new WorkerPool.LocalEvents(ledger, latency, progress));
            long start = starting;
            details.put("processes", Consumers.processesFor(target));
            details.put(CLAIM_AHEAD, target.options().claimAheadFor(spec.task()));
            try (pool) {
                if (spec.workersFirst()) {
                    ThreadCosts.Mark mark = ThreadCosts.mark();
                    fillNanos = fill(backend, spec, ledger, null);
                    filling.addSince(mark);
                    details.put("burst_enqueue_ms", fillNanos / 1_000_000);
                }
                awaitDrained(backend, spec.queues(), ledger);
                drainedAt = System.nanoTime();
            }
            if (!spec.workersFirst() && latency.firstStartNanos().isPresent()) {
                // a pre-filled queue's drain is timed from its first handler start: worker JVMs (other processes,
                // agents) take seconds to start, which is not the backend's time
                start = Math.max(starting, latency.firstStartNanos().getAsLong());
                details.put("consumers_start_ms", (start - starting) / 1_000_000);
            }
            Consumers.describePlacement(pool, details);
            if (spec.workersFirst()) {
                details.put("recovery_ms", (drainedAt - start - fillNanos) / 1_000_000);
            }
            details.put("enqueue_jobs_per_sec", fillNanos == 0 ? 0 : Math.round(spec.jobs() * 1e9 / fillNanos));
            Ledger.Verdict verdict = verdict(backend, spec.queues(), ledger, WorkerPool.LEASE);
            long drainNanos = Math.max(1, drainedAt - start);
            describeTimePerJob(pool.handlerTime(), drainNanos, spec.workers(), details);
            spec.queues().forEach(backend::purge);
            return new CaseOutcome(drainNanos / 1_000_000, verdict.completed() * 1e9 / drainNanos, verdict,
                    latency.summary(), meters.claimConflicts(), meters.claims(), meters.lockErrors(), pool.errors(),
                    pool.firstError(), meters.operations(), details, null,
                    filling.totals().plus(pool.costs().totals()), null);
        }
    }

    /**
     * Where each handler loop's time went, when the handler runs are known: {@code handler_mean_ms} (the task, its
     * sleep's overshoot and the harness's bookkeeping) and {@code loop_ms_per_job} (the drain's time times the
     * workers over the handler runs); the difference is what each job waited outside its handler (claim and
     * complete round trips, a loop with nothing left while others finished, starting and stopping the drain).
     */
    static void describeTimePerJob(Consumers.HandlerTime handlers, long drainNanos, int workers,
            Map<String, Object> details) {
        if (handlers.runs() == 0) {
            return;
        }
        details.put(HANDLER_MEAN_MS, Math.round(handlers.meanMs() * 1000) / 1000.0);
        details.put(LOOP_MS_PER_JOB, Math.round(drainNanos / 1e3 * workers / handlers.runs()) / 1000.0);
    }

    /** Drains a small unmeasured batch first, so JIT, connection pools and caches are warm. */
    public static void warmUp(BackendUnderTest target, Spec spec, String phase) {
        int jobs = Math.max(1, Math.min(500, spec.jobs() / 5));
        run(target, new Spec(spec.queues(), jobs, spec.payloadBytes(), 0, spec.workers(), spec.batch(), spec.task(),
                false), phase + " (warm-up)");
    }

    /**
     * Waits until every job the ledger knows is settled. Gives up, leaving the rest to be counted lost, when the
     * queues are empty twice in a row while jobs are still unsettled, or when nothing settles for a lease and more.
     */
    public static void awaitDrained(QueueBackend backend, List<String> queues, Ledger ledger) {
        long lastSettled = -1;
        long lastChange = System.nanoTime();
        int emptyChecks = 0;
        try {
            while (!ledger.awaitSettled(ledger.enqueuedCount(), 250)) {
                long settled = ledger.settledCount();
                if (settled != lastSettled) {
                    lastSettled = settled;
                    lastChange = System.nanoTime();
                    emptyChecks = 0;
                } else if (nothingLeft(backend, queues)) {
                    if (++emptyChecks >= 2) {
                        return;
                    }
                } else if ((System.nanoTime() - lastChange) / 1_000_000 > STALL_MILLIS) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Enqueues the spec's jobs in chunks of at most 1000 jobs or 4 MiB; returns the nanoseconds it took. */
    static long fill(QueueBackend backend, Spec spec, Ledger ledger, Progress progress) {
        int chunk = Math.max(1, Math.min(1000, MAX_CHUNK_BYTES / spec.payloadBytes()));
        int period = spec.failingShare() > 0 ? (int) Math.round(1 / spec.failingShare()) : 0;
        long start = System.nanoTime();
        int index = 0;
        for (int q = 0; q < spec.queues().size(); q++) {
            int perQueue = spec.jobs() / spec.queues().size() + (q < spec.jobs() % spec.queues().size() ? 1 : 0);
            for (int done = 0; done < perQueue; ) {
                int n = Math.min(chunk, perQueue - done);
                List<JobRequest> requests = new ArrayList<>(n);
                long intended = System.nanoTime();
                for (int i = 0; i < n; i++, index++) {
                    requests.add(request(index, period, intended, spec.payloadBytes()));
                }
                ledger.enqueued(spec.queues().get(q), backend.enqueueAll(spec.queues().get(q), requests));
                done += n;
                if (progress != null) {
                    progress.advance(n);
                }
            }
        }
        return System.nanoTime() - start;
    }

    private static JobRequest request(int index, int failPeriod, long intended, int payloadBytes) {
        Payload.Behaviour behaviour = Payload.Behaviour.SUCCEED;
        if (failPeriod > 0 && index % failPeriod == 0) {
            behaviour = (index / failPeriod) % 2 == 0 ? Payload.Behaviour.FAIL_ALWAYS : Payload.Behaviour.FAIL_ONCE;
        }
        JobRequest request = JobRequest.of(new Payload(intended, behaviour).encode(payloadBytes));
        return failPeriod > 0 ? request.withMaxAttempts(FAILING_MAX_ATTEMPTS) : request;
    }

    private static boolean nothingLeft(QueueBackend backend, List<String> queues) {
        for (String queue : queues) {
            QueueStats stats = backend.stats(queue);
            if (stats.ready() + stats.scheduled() + stats.leased() > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The ledger's verdict, once the case's consumers have stopped and their reports are read: jobs the backend made
     * dead on its own are marked dead, and every unanswered complete is looked for in the backend
     * ({@link UnansweredCompletes}; {@code lease} is the longest lease the consumers took).
     */
    public static Ledger.Verdict verdict(QueueBackend backend, List<String> queues, Ledger ledger, Duration lease) {
        recordDeadLetters(backend, queues, ledger);
        UnansweredCompletes.check(backend, queues, ledger, lease);
        return ledger.check();
    }

    /** Marks jobs the backend made dead on its own (a lease that expired on the last attempt). */
    private static void recordDeadLetters(QueueBackend backend, List<String> queues, Ledger ledger) {
        for (String queue : queues) {
            for (DeadJob dead : backend.deadLetters(queue, 100_000)) {
                ledger.dead(queue, dead.id());
            }
        }
    }
}
