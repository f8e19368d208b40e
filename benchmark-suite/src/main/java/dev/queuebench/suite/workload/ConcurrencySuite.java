package dev.queuebench.suite.workload;

import dev.queuebench.suite.ledger.Drain;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.SuiteReport;
import dev.queuebench.suite.run.BackendUnderTest.CaseSpec;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.BenchmarkRunner;
import dev.queuebench.suite.run.RunOptions;
import dev.queuebench.suite.run.Scenario;
import dev.queuebench.suite.run.Suite;
import dev.queuebench.suite.workers.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Concurrency: W workers (1 up to 32 and more) competing for one pre-filled queue, for each claim strategy the
 * backend offers: throughput against W, claim conflicts and their rate per claim, lock errors, duplicates. Claims
 * take one job at a time unless {@code -Dbatch} says otherwise, so workers contend as hard as they can. Each
 * strategy is a target of its own (see {@link BenchmarkRunner}).
 */
public final class ConcurrencySuite implements Suite {
    public static final String NAME = "concurrency";
    private static final String QUEUE = "qb_concurrency";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SuiteReport report() {
        return new ConcurrencyReport();
    }

    /** Every worker count for {@code target}'s strategy, not yet run. */
    @Override
    public List<Supplier<ResultRecord>> cases(BackendUnderTest target) {
        RunOptions options = target.options();
        Scenario scenario = options.scenario();
        int jobs = options.jobs().orElse(scenario.concurrencyJobs);
        int batch = options.batches().isEmpty() ? 1 : options.batches().getFirst();
        List<Supplier<ResultRecord>> cases = new ArrayList<>();
        for (int workers : options.workersOr(scenario.concurrencyWorkers)) {
            Drain.Spec drain = new Drain.Spec(List.of(target.queue(QUEUE)), jobs, options.payloadBytes(), 0, workers,
                    batch, Task.NOOP, false);
            String name = "contend_" + target.strategy();
            CaseSpec spec = new CaseSpec(this, name, workers, batch, Task.NOOP.label(), Map.of(
                    "workers", Integer.toString(workers), "batch", Integer.toString(batch),
                    "jobs", Integer.toString(jobs)));
            String phase = name + " W=" + workers;
            cases.add(() -> target.runCase(spec, scenario.repeats, () -> Drain.warmUp(target, drain, phase),
                    () -> Drain.run(target, drain, phase)));
        }
        return cases;
    }
}
