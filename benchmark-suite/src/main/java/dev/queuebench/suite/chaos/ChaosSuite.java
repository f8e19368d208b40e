package dev.queuebench.suite.chaos;

import dev.queuebench.api.QueueBackends;
import dev.queuebench.faults.BackendFaults;
import dev.queuebench.faults.ClusterForm;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.report.CaseStatus;
import dev.queuebench.suite.report.ResultRecord.Latency;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.SuiteReport;
import dev.queuebench.suite.run.BackendUnderTest.CaseSpec;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.CaseOutcome;
import dev.queuebench.suite.run.Suite;
import dev.queuebench.suite.workers.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Chaos: faults under steady load, each case ending with the ledger check. The cases are {@link ChaosCase}'s
 * catalogue; most run on the {@link SteadyLoad} driver with a {@link Fault} injected a quarter of the way in, and
 * {@link RecoverySampler} measures the recovery. Server faults act only on servers the backend's own module starts
 * ({@link ThrowawayServers}); a case that does not apply to a backend is recorded as skipped with the reason.
 */
public final class ChaosSuite implements Suite {
    public static final String NAME = "chaos";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SuiteReport report() {
        return new ChaosReport();
    }

    /** Chaos runs only when named (or in the full scenario). */
    @Override
    public boolean runsByDefault() {
        return false;
    }

    /** The count of completed_unconfirmed jobs is what a chaos case is read for, zero included. */
    @Override
    public boolean statesUnconfirmedAlways() {
        return true;
    }

    /**
     * The chosen chaos cases for {@code target}, not yet run; throwaway servers start with the first case that needs
     * one and are removed after the last case. Faults test the backend, not its claim strategy: the cases run on the
     * backend's default strategy (or the one {@code -Dstrategy} names), and on no other.
     */
    @Override
    public List<Supplier<ResultRecord>> cases(BackendUnderTest target) {
        String chosen = target.options().strategy()
                .orElse(QueueBackends.provider(target.name()).strategies().getFirst());
        if (!target.strategy().equals(chosen)) {
            return List.of();
        }
        ThrowawayServers servers = new ThrowawayServers(target);
        List<String> names = target.options().chaosCases();
        List<Supplier<ResultRecord>> cases = new ArrayList<>();
        for (String name : names) {
            boolean last = name.equals(names.getLast());
            List<Supplier<ResultRecord>> these = ChaosCase.of(name) == ChaosCase.FAILOVER
                    ? failoverCases(target, servers)
                    : List.of(() -> runCase(target, ChaosCase.of(name), servers));
            for (int i = 0; i < these.size(); i++) {
                Supplier<ResultRecord> body = these.get(i);
                boolean closes = last && i == these.size() - 1;
                cases.add(() -> {
                    try {
                        return body.get();
                    } finally {
                        if (closes) {
                            servers.close();
                        }
                    }
                });
            }
        }
        return cases;
    }

    /**
     * The failover case once per cluster form the backend's module declares, each named {@code failover:<form>} and
     * on a cluster of its own; one skipped record when the backend has none or the host cannot start one.
     */
    private List<Supplier<ResultRecord>> failoverCases(BackendUnderTest target, ThrowawayServers servers) {
        Optional<BackendFaults> faults = servers.faults();
        Optional<String> skip = ChaosCase.FAILOVER.skipReason(target, faults);
        if (skip.isPresent()) {
            CaseSpec spec = spec(target, ChaosCase.FAILOVER.label, ChaosCase.FAILOVER.label);
            return List.of(() -> target.runCase(spec, 1, () -> skipped(skip.get())));
        }
        List<Supplier<ResultRecord>> cases = new ArrayList<>();
        for (ClusterForm form : faults.orElseThrow().clusterForms()) {
            CaseSpec spec = spec(target, ChaosCase.FAILOVER.label + ":" + form.name(), ChaosCase.FAILOVER.label);
            cases.add(() -> target.runCase(spec, 1, () -> ChaosCase.runFailover(target, faults.get(), form)));
        }
        return cases;
    }

    /** The spec of the case recorded as {@code name}, rerun by {@code -Dcases=<option>}. */
    private CaseSpec spec(BackendUnderTest target, String name, String option) {
        int workers = target.options().singleWorkers();
        return new CaseSpec(this, name, workers, 1, Task.IO.label(),
                Map.of("cases", option, "workers", Integer.toString(workers)));
    }

    private ResultRecord runCase(BackendUnderTest target, ChaosCase chaosCase, ThrowawayServers servers) {
        CaseSpec spec = spec(target, chaosCase.label, chaosCase.label);
        Optional<String> skip = chaosCase.skipReason(target, servers.faults());
        if (skip.isPresent()) {
            return target.runCase(spec, 1, () -> skipped(skip.get()));
        }
        return target.runCase(spec, 1, () -> chaosCase.run(target, servers));
    }

    private static CaseOutcome skipped(String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        new CaseStatus.Skipped(reason).writeTo(details, false);
        return new CaseOutcome(0, 0, new Ledger.Verdict(0, 0, 0, 0, 0, List.of()),
                Latency.NONE, 0, 0, 0, 0, null, Map.of(), details, null);
    }
}
