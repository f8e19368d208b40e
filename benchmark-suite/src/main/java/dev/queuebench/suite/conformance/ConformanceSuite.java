package dev.queuebench.suite.conformance;

import dev.queuebench.api.Backoff;
import dev.queuebench.api.QueueBackends;
import dev.queuebench.suite.ledger.Ledger;
import dev.queuebench.suite.report.CaseStatus;
import dev.queuebench.suite.report.ResultRecord.Latency;
import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.SuiteReport;
import dev.queuebench.suite.run.BackendUnderTest.CaseSpec;
import dev.queuebench.suite.run.BackendUnderTest;
import dev.queuebench.suite.run.CaseOutcome;
import dev.queuebench.suite.run.Suite;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Conformance: every clause of the kit from {@code tck}, run by the suite against each target (its backend opened by
 * name with the run's configuration and the target's strategy), one record per clause. A record's
 * {@value #VERDICT} is {@code passed}, {@code skipped} (the case's status says why, {@value #CAPABILITY} names the
 * declared capability) or {@code failed} ({@value #MESSAGE}: the first line of what was thrown); a failed clause is
 * the record's violation, so the run exits 1.
 */
public final class ConformanceSuite implements Suite {
    public static final String NAME = "conformance";
    /** Key in a record's details: {@code passed}, {@code skipped} or {@code failed}. */
    public static final String VERDICT = "conformance";
    /** Key in a skipped record's details: the capability the kit's assumption named, e.g. {@code Feature.FENCING}. */
    public static final String CAPABILITY = "capability";
    /** Key in a failed record's details: the class and first line of what the clause threw. */
    public static final String MESSAGE = "message";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SuiteReport report() {
        return new ConformanceReport();
    }

    /** One case per clause of the kit, in the same order for every target. */
    @Override
    public List<Supplier<ResultRecord>> cases(BackendUnderTest target) {
        Map<String, String> values = new TreeMap<>(target.config().values());
        values.remove(QueueBackends.STRATEGY_KEY);
        Backoff.KEYS.forEach(key -> values.remove(key.name()));
        return KitLauncher.clauses().stream()
                .<Supplier<ResultRecord>>map(clause -> () -> target.runCase(
                        new CaseSpec(this, clause, 0, 0, "-", Map.of()), 1,
                        () -> outcome(KitLauncher.run(clause, target.name(), target.strategy(), values))))
                .toList();
    }

    private static CaseOutcome outcome(ClauseResult result) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(VERDICT, result.verdict().name().toLowerCase(Locale.ROOT));
        switch (result.verdict()) {
            case PASSED -> { }
            case SKIPPED -> {
                new CaseStatus.Skipped(result.message()).writeTo(details, false);
                if (result.capability() != null) {
                    details.put(CAPABILITY, result.capability());
                }
            }
            case FAILED -> {
                details.put(MESSAGE, result.message());
                new CaseStatus.Ran(false, "clause failed: " + result.message()).writeTo(details, false);
            }
        }
        return new CaseOutcome(result.durationMs(), 0, new Ledger.Verdict(0, 0, 0, 0, 0, List.of()), Latency.NONE,
                0, 0, 0, 0, null, Map.of(), details, null);
    }
}
