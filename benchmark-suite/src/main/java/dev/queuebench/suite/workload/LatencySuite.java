package dev.queuebench.suite.workload;

import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueMetrics;
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
import dev.queuebench.suite.workers.Consumers;
import dev.queuebench.suite.workers.LatencyRecorder;
import dev.queuebench.suite.workers.LatencyStages;
import dev.queuebench.suite.workers.Task;
import dev.queuebench.suite.workers.WorkerPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Latency: an {@link OpenLoopProducer} enqueues at a fixed rate while W workers drain; latency is each handler's
 * start minus its job's intended enqueue time. Before the repetitions, one unmeasured run of up to
 * {@link #JIT_WARM_UP} at no less than {@value #JIT_WARM_UP_RATE} jobs/s takes the enqueue, wake-up and claim paths
 * through the JIT compilers: at 200 jobs/s they would still be compiling well into the measured runs, and on a small
 * machine the compiler threads show in the tail. In each run, the first second (a fifth of the run at most) is a
 * warm-up that the histogram skips. Per-operation latency comes from the backend's timers ({@link CaseMeters}).
 * With agents ({@code -Dagents}, {@code -Dlab}, the network scenario) the consumers run on them, so claim and complete
 * cross their network, and their start times are shifted onto this coordinator's clock; the producer stays here.
 */
public final class LatencySuite implements Suite {
    public static final String NAME = "latency";
    private static final String QUEUE = "qb_latency";
    private static final Duration JIT_WARM_UP = Duration.ofSeconds(3);
    private static final int JIT_WARM_UP_RATE = 2000;
    /** Key in {@value LatencyStages#DETAIL}: the backend's {@link QueueMetrics#CLAIM_STATEMENT} timer. */
    static final String CLAIM_STATEMENT = "claim_statement";
    /** Key in {@value LatencyStages#DETAIL}: each stage not measured, with why. */
    static final String MISSING = "missing";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SuiteReport report() {
        return new LatencyReport();
    }

    /** The rate is fixed, so the median repetition is the one with the median p99 latency. */
    @Override
    public Comparator<CaseOutcome> medianOrder() {
        return Comparator.comparingDouble(o -> o.latency().p99());
    }

    /** One case per rate for {@code target}, not yet run. */
    @Override
    public List<Supplier<ResultRecord>> cases(BackendUnderTest target) {
        RunOptions options = target.options();
        Scenario scenario = options.scenario();
        int workers = options.singleWorkers();
        int batch = options.batches().isEmpty() ? 1 : options.batches().getFirst();
        Duration duration = Duration.ofSeconds(options.durationSeconds().orElse(scenario.latencySeconds));
        List<Integer> rates = options.rates().isEmpty() ? scenario.latencyRates : options.rates();
        List<Supplier<ResultRecord>> cases = new ArrayList<>();
        for (int rate : rates) {
            CaseSpec spec = new CaseSpec(this, "open_loop_" + rate + "_per_s", workers, batch, Task.NOOP.label(),
                    Map.of("rate", Integer.toString(rate), "duration", Long.toString(duration.toSeconds()),
                    "workers", Integer.toString(workers), "batch", Integer.toString(batch)));
            Duration warmUp = duration.compareTo(JIT_WARM_UP) < 0 ? duration : JIT_WARM_UP;
            // consumers on agents are new JVMs in every run: a warm-up above the rate would only fill a backlog
            int warmUpRate = options.agents().isEmpty() ? Math.max(rate, JIT_WARM_UP_RATE) : rate;
            cases.add(() -> target.runCase(spec, scenario.repeats,
                    () -> openLoop(target, warmUpRate, warmUp, workers, batch,
                            spec.name() + " (warm-up)"),
                    () -> openLoop(target, rate, duration, workers, batch, spec.name())));
        }
        return cases;
    }

    /**
     * One fixed-rate run: measured from intended enqueue time to handler start, after a warm-up, with each job's
     * {@link LatencyStages} and the backend's claim statement in the details under {@value LatencyStages#DETAIL};
     * the consumers on the run's agents when it has any, else threads here.
     */
    static CaseOutcome openLoop(BackendUnderTest target, int rate, Duration duration, int workers, int batch,
            String phase) {
        return openLoop(target, rate, duration, workers, batch, phase, Ledger.retiringCompleted(),
                !target.options().agents().isEmpty(), new LatencyStages());
    }

    /**
     * {@link #openLoop(BackendUnderTest, int, Duration, int, int, String)} keeping its book in {@code ledger}, the
     * consumers threads of this JVM (the memory suite measures this JVM's heap with them in it), without stages
     * (their arrays would be in that heap).
     */
    static CaseOutcome openLoop(BackendUnderTest target, int rate, Duration duration, int workers, int batch,
            String phase, Ledger ledger) {
        return openLoop(target, rate, duration, workers, batch, phase, ledger, false, null);
    }

    private static CaseOutcome openLoop(BackendUnderTest target, int rate, Duration duration, int workers, int batch,
            String phase, Ledger ledger, boolean onAgents, LatencyStages stages) {
        QueueBackend backend = target.backend();
        Progress progress = target.progress();
        String queue = target.queue(QUEUE);
        backend.purge(queue);
        Duration warmUp = Duration.ofMillis(Math.min(1000, duration.toMillis() / 5));
        LatencyRecorder latency = new LatencyRecorder(System.nanoTime() + warmUp.toNanos(), stages);
        try (CaseMeters meters = new CaseMeters(target.registry())) {
            progress.begin(phase, rate * duration.plus(warmUp).toMillis() / 1000);
            OpenLoopProducer.Outcome produced;
            boolean claimAhead = target.options().claimAheadFor(Task.NOOP);
            WorkerPool.LocalEvents events = new WorkerPool.LocalEvents(ledger, latency, progress);
            Consumers pool = onAgents
                    ? Consumers.start(target, List.of(queue), workers, batch, Task.NOOP, WorkerPool.LEASE, events)
                    : new WorkerPool(backend, List.of(queue), workers, batch, Task.NOOP,
                            target.options().virtualThreads(), claimAhead, WorkerPool.LEASE, events);
            long start = System.nanoTime();
            long measureFrom = start + warmUp.toNanos();
            latency.measureFrom(measureFrom);
            try (pool) {
                produced = new OpenLoopProducer(backend, queue, rate, target.options().payloadBytes(), ledger)
                        .run(duration.plus(warmUp), stages);
                Drain.awaitDrained(backend, List.of(queue), ledger);
            }
            long elapsed = Math.max(1, System.nanoTime() - start);
            Ledger.Verdict verdict = Drain.verdict(backend, List.of(queue), ledger, WorkerPool.LEASE);
            backend.purge(queue);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("target_rate_per_sec", rate);
            if (onAgents) {
                Consumers.describePlacement(pool, details);
                details.put("producer", "on the coordinator: enqueues do not cross the agents' network; claims and"
                        + " completes do");
            }
            details.put("warm_up_ms", warmUp.toMillis());
            details.put("producer_max_behind_ms", Math.round(produced.maxBehindMs() * 10) / 10.0);
            details.put("enqueue_errors", produced.errors());
            details.put(Drain.CLAIM_AHEAD, claimAhead);
            if (stages != null) {
                details.put(LatencyStages.DETAIL, stages(stages.summary(measureFrom), meters, pool));
            }
            String firstError = produced.firstError() != null ? produced.firstError() : pool.firstError();
            return new CaseOutcome(elapsed / 1_000_000, verdict.completed() * 1e9 / elapsed, verdict,
                    latency.summary(), meters.claimConflicts(), meters.claims(), meters.lockErrors(),
                    pool.errors() + produced.errors(), firstError, meters.operations(), details, null,
                    produced.costs().plus(pool.costs().totals()), null);
        }
    }

    /**
     * The harness's stages, then the backend's claim statement beside them ({@value #CLAIM_STATEMENT}: a value per
     * claim call that leased jobs, not per job, over the whole run: a meter cannot leave the warm-up out), and under
     * {@value #MISSING} why a stage is absent. The wake-up is not a stage of its own: a meter cannot be subtracted
     * from a job's {@code to_claim}, so it shows only as the distance between the distributions of {@code to_claim}
     * and {@code claim_statement}.
     */
    private static Map<String, Object> stages(Map<String, Object> measured, CaseMeters meters, Consumers pool) {
        Map<String, Object> stages = new LinkedHashMap<>(measured);
        Map<String, String> missing = new LinkedHashMap<>();
        if (!(pool instanceof WorkerPool)) {
            String why = "the consumers ran in other JVMs, whose reports carry the handler start but not when its"
                    + " claim returned";
            missing.put(LatencyStages.TO_CLAIM, why);
            missing.put(LatencyStages.HANDLER_START, why);
        }
        meters.claimStatement().ifPresentOrElse(figures -> stages.put(CLAIM_STATEMENT, figures),
                () -> missing.put(CLAIM_STATEMENT, "the backend does not record " + QueueMetrics.CLAIM_STATEMENT));
        if (!missing.isEmpty()) {
            stages.put(MISSING, missing);
        }
        return stages;
    }
}
