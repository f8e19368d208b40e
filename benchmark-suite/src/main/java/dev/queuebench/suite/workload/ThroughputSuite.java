package dev.queuebench.suite.workload;

import dev.queuebench.api.JobRequest;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.suite.ledger.Drain;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.SuiteReport;
import dev.queuebench.suite.run.BackendUnderTest.CaseSpec;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.CaseOutcome;
import dev.queuebench.suite.run.Progress;
import dev.queuebench.suite.run.RunOptions;
import dev.queuebench.suite.run.Scenario;
import dev.queuebench.suite.run.Suite;
import dev.queuebench.suite.workers.LatencyRecorder;
import dev.queuebench.suite.workers.Payload;
import dev.queuebench.suite.workers.Task;
import dev.queuebench.suite.workers.ThreadCosts;
import dev.queuebench.suite.workers.WorkerPool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Throughput: the enqueue rate, one job at a time and in batches; then drains of a pre-filled queue with W workers
 * for each task type, through the one-at-a-time path ({@code batch} 1: {@code complete}) and the batched path
 * ({@code completeAll}). Jobs/s are counted over the measured drain only, after a warm-up drain.
 */
public final class ThroughputSuite implements Suite {
    public static final String NAME = "throughput";
    /** Batches per worker an io drain runs at least (where the scenario's jobs allow): its tail stays small. */
    static final int IO_ROUNDS = 25;
    private static final String QUEUE = "qb_throughput";
    private static final int DRAIN_WORKERS = 4;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SuiteReport report() {
        return new ThroughputReport();
    }

    /** Every throughput case for {@code target}, not yet run. */
    @Override
    public List<Supplier<ResultRecord>> cases(BackendUnderTest target) {
        RunOptions options = target.options();
        Scenario scenario = options.scenario();
        int jobs = options.jobs().orElse(scenario.throughputJobs);
        List<Supplier<ResultRecord>> cases = new ArrayList<>();
        for (int batch : batches(options)) {
            String name = batch == 1 ? "enqueue_single" : "enqueue_batched";
            CaseSpec spec = new CaseSpec(this, name, 1, batch, Task.NOOP.label(),
                    Map.of("batch", Integer.toString(batch), "jobs", Integer.toString(jobs)));
            cases.add(() -> target.runCase(spec, scenario.repeats,
                    () -> enqueueCase(target, jobs / 10, batch, name + " (warm-up)"),
                    () -> enqueueCase(target, jobs, batch, name)));
        }
        List<Task> tasks = options.tasks().isEmpty() ? List.of(Task.values()) : options.tasks();
        for (Task task : tasks) {
            for (int workers : options.workersOr(scenario.throughputWorkers)) {
                for (int batch : batches(options)) {
                    int taskJobs = jobsFor(task, jobs, workers, batch);
                    String name = "drain_" + task.label() + (batch == 1 ? "_single" : "_batched");
                    Drain.Spec drain = new Drain.Spec(List.of(target.queue(QUEUE)), taskJobs, options.payloadBytes(), 0,
                            workers, batch, task, false);
                    CaseSpec spec = new CaseSpec(this, name, workers, batch, task.label(), Map.of(
                            "workers", Integer.toString(workers), "batch", Integer.toString(batch),
                            "task", task.label(), "jobs", Integer.toString(jobs)));
                    String phase = name + " W=" + workers;
                    cases.add(() -> target.runCase(spec, scenario.repeats, () -> Drain.warmUp(target, drain, phase),
                            () -> Drain.run(target, drain, phase)));
                }
            }
        }
        return cases;
    }

    /**
     * Jobs of a drain: {@code noop} as given, {@code cpu} a tenth (at least 20), {@code io} a fiftieth (at least 20)
     * per worker, so an io drain lasts as long at every W, in whole claimed batches per worker and at least
     * {@link #IO_ROUNDS} of them where the scenario has {@code 200 × IO_ROUNDS} jobs. Claims race, so one worker may
     * run a batch more than another while the rest are done: with few rounds that last batch, not the backend, sets
     * the figure (7 rounds of 16 cost RabbitMQ's quorum drain 10 % of its 400 jobs/s).
     */
    static int jobsFor(Task task, int jobs, int workers, int batch) {
        return switch (task) {
            case NOOP -> jobs;
            case CPU -> Math.max(20, jobs / 10);
            case IO -> {
                int rounds = Math.max((Math.max(20, jobs / 50) + batch - 1) / batch, Math.min(IO_ROUNDS, jobs / 200));
                yield rounds * batch * workers;
            }
        };
    }

    /** The one-at-a-time path and the batched one, unless {@code -Dbatch} names its own. */
    static List<Integer> batches(RunOptions options) {
        return options.batches().isEmpty() ? List.of(1, Scenario.DEFAULT_BATCH) : options.batches();
    }

    /**
     * Enqueues {@code jobs} from one thread, one {@code enqueue} at a time ({@code batch} 1) or {@code enqueueAll}
     * of {@code batch}; the rate counts that phase alone. The jobs are then drained, unmeasured, for the ledger.
     */
    private static CaseOutcome enqueueCase(BackendUnderTest target, int jobs, int batch, String phase) {
        QueueBackend backend = target.backend();
        Progress progress = target.progress();
        String queue = target.queue(QUEUE);
        backend.purge(queue);
        Ledger ledger = Ledger.retiringCompleted();
        LatencyRecorder latency = new LatencyRecorder();
        try (CaseMeters meters = new CaseMeters(target.registry())) {
            progress.begin(phase, jobs);
            ThreadCosts enqueuing = new ThreadCosts();
            ThreadCosts.Mark mark = ThreadCosts.mark();
            long start = System.nanoTime();
            for (int done = 0; done < jobs; ) {
                int n = Math.min(batch, jobs - done);
                byte[] payload = new Payload(System.nanoTime(), Payload.Behaviour.SUCCEED)
                        .encode(target.options().payloadBytes());
                if (n == 1) {
                    ledger.enqueued(queue, List.of(backend.enqueue(queue, JobRequest.of(payload))));
                } else {
                    ledger.enqueued(queue, backend.enqueueAll(queue, Collections.nCopies(n, JobRequest.of(payload))));
                }
                done += n;
                progress.advance(n);
            }
            long enqueueNanos = Math.max(1, System.nanoTime() - start);
            enqueuing.addSince(mark);
            progress.begin(phase + " (draining for the ledger)", jobs);
            WorkerPool pool = new WorkerPool(backend, List.of(queue), DRAIN_WORKERS, Scenario.DEFAULT_BATCH, Task.NOOP,
                    target.options().virtualThreads(), ledger, latency, progress);
            try (pool) {
                Drain.awaitDrained(backend, List.of(queue), ledger);
            }
            Ledger.Verdict verdict = Drain.verdict(backend, List.of(queue), ledger, WorkerPool.LEASE);
            backend.purge(queue);
            return new CaseOutcome(enqueueNanos / 1_000_000, jobs * 1e9 / enqueueNanos, verdict, latency.summary(),
                    meters.claimConflicts(), meters.claims(), meters.lockErrors(), pool.errors(), pool.firstError(),
                    meters.operations(), Map.of(), null, enqueuing.totals().plus(pool.costs().totals()), null);
        }
    }
}
