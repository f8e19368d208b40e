package dev.queuebench.suite;

import dev.queuebench.suite.BackendUnderTest.CaseSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Concurrency: W workers (1 up to 32 and more) competing for one pre-filled queue, for each claim strategy the
 * backend offers: throughput against W, claim conflicts and their rate per claim, lock errors, duplicates. Claims
 * take one job at a time unless {@code -Dbatch} says otherwise, so workers contend as hard as they can.
 */
public final class ConcurrencySuite {
    static final String NAME = "concurrency";
    private static final String QUEUE = "qb_concurrency";

    private final Function<String, BackendUnderTest> openStrategy;

    /** {@code openStrategy} opens the same backend with another strategy; the suite closes what it opened. */
    public ConcurrencySuite(Function<String, BackendUnderTest> openStrategy) {
        this.openStrategy = openStrategy;
    }

    /** Runs every worker count for every strategy of {@code target}'s provider (or {@code -Dstrategy} alone). */
    public List<ResultRecord> run(BackendUnderTest target, List<String> strategies) {
        List<ResultRecord> records = new ArrayList<>();
        for (String strategy : strategies) {
            if (strategy.equals(target.strategy())) {
                records.addAll(runStrategy(target));
            } else {
                BackendUnderTest other = openStrategy.apply(strategy);
                try {
                    records.addAll(runStrategy(other));
                } finally {
                    other.backend().close();
                }
            }
        }
        return records;
    }

    private List<ResultRecord> runStrategy(BackendUnderTest target) {
        RunOptions options = target.options();
        Scenario scenario = options.scenario();
        int jobs = options.jobs().orElse(scenario.concurrencyJobs);
        int batch = options.batches().isEmpty() ? 1 : options.batches().getFirst();
        List<ResultRecord> records = new ArrayList<>();
        for (int workers : options.workersOr(scenario.concurrencyWorkers)) {
            Drain.Spec drain = new Drain.Spec(List.of(QUEUE), jobs, options.payloadBytes(), 0, workers, batch,
                    Task.NOOP, false);
            String name = "contend_" + target.strategy();
            CaseSpec spec = new CaseSpec(NAME, name, workers, batch, Task.NOOP.label(), Map.of(
                    "workers", Integer.toString(workers), "batch", Integer.toString(batch),
                    "jobs", Integer.toString(jobs)));
            String phase = name + " W=" + workers;
            records.add(target.runCase(spec, scenario.repeats, () -> Drain.warmUp(target, drain, phase),
                    () -> Drain.run(target, drain, phase)));
        }
        return records;
    }
}
