package dev.queuebench.suite.workload;

import dev.queuebench.suite.ledger.Drain;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.SuiteReport;
import dev.queuebench.suite.run.BackendUnderTest.CaseSpec;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.CaseOutcome;
import dev.queuebench.suite.run.RunOptions;
import dev.queuebench.suite.run.Scenario;
import dev.queuebench.suite.run.Suite;
import dev.queuebench.suite.workers.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Stress: a burst far above the drain rate (all jobs at once while the workers run; {@code recovery_ms} is the time
 * from the burst's end to an empty queue), a deep backlog, {@value Scenario#SPARSE_QUEUES} sparse queues, 64 KiB
 * payloads, and handlers that fail {@code 10 %} of jobs (half once, then they succeed; half always, then they are
 * dead). Each case reports completion, errors, time to drain and the ledger; each runs once, as these cases measure
 * whether everything arrives rather than a rate to compare.
 */
public final class StressSuite implements Suite {
    public static final String NAME = "stress";
    private static final String QUEUE = "qb_stress";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SuiteReport report() {
        return new StressReport();
    }

    /** The five stress cases for {@code target}, not yet run. */
    @Override
    public List<Supplier<ResultRecord>> cases(BackendUnderTest target) {
        RunOptions options = target.options();
        Scenario scenario = options.scenario();
        int workers = options.singleWorkers();
        int batch = options.batches().isEmpty() ? Scenario.DEFAULT_BATCH : options.batches().getFirst();
        int payload = options.payloadBytes();
        List<String> one = List.of(target.queue(QUEUE));
        List<String> sparse = IntStream.range(0, Scenario.SPARSE_QUEUES)
                .mapToObj(i -> target.queue(String.format("qb_sparse_%03d", i)))
                .toList();
        List<Supplier<ResultRecord>> cases = new ArrayList<>();
        cases.add(() -> stressCase(target, "burst", new Drain.Spec(one, options.jobs().orElse(scenario.burstJobs),
                payload, 0, workers, batch, Task.NOOP, true)));
        cases.add(() -> stressCase(target, "backlog", new Drain.Spec(one, options.jobs().orElse(scenario.backlogJobs),
                payload, 0, workers, batch, Task.NOOP, false)));
        cases.add(() -> stressCase(target, "sparse_queues", new Drain.Spec(sparse,
                Scenario.SPARSE_QUEUES * scenario.sparseJobsPerQueue, payload, 0, workers, batch, Task.NOOP, false)));
        cases.add(() -> stressCase(target, "large_payloads", new Drain.Spec(one, scenario.largePayloadJobs,
                Scenario.LARGE_PAYLOAD_BYTES, 0, workers, batch, Task.NOOP, false)));
        cases.add(() -> stressCase(target, "failing_handlers", new Drain.Spec(one, scenario.failingJobs, payload,
                Scenario.FAILING_SHARE, workers, batch, Task.NOOP, false)));
        return cases;
    }

    private ResultRecord stressCase(BackendUnderTest target, String name, Drain.Spec drain) {
        CaseSpec spec = new CaseSpec(this, name, drain.workers(), drain.batch(), drain.task().label(), Map.of(
                "workers", Integer.toString(drain.workers()), "batch", Integer.toString(drain.batch())));
        return target.runCase(spec, 1, () -> {
            CaseOutcome outcome = Drain.run(target, drain, name);
            Map<String, Object> details = new LinkedHashMap<>(outcome.details());
            details.put("queues", drain.queues().size());
            details.put("payload_bytes", drain.payloadBytes());
            details.put("completion_rate", outcome.verdict().enqueued() == 0 ? 0
                    : (double) (outcome.verdict().completed() + outcome.verdict().dead())
                            / outcome.verdict().enqueued());
            return outcome.withDetails(details);
        });
    }
}
