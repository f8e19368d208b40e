package dev.queuebench.suite.run;

import dev.queuebench.suite.report.ResultRecord;
import dev.queuebench.suite.report.SuiteReport;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * One suite of cases (throughput, latency, ..., chaos). The runner asks each chosen suite for its cases on every
 * target and runs them interleaved, and the report asks its {@link #report()} what to show of their records;
 * {@link Suites#ALL} is the one list of them.
 */
public interface Suite {
    /** The name {@code -Dsuite} chooses it by and every record of it carries in {@code suite}. */
    String name();

    /** The suite's cases for one target, in the same order for every target, not yet run. */
    List<Supplier<ResultRecord>> cases(BackendUnderTest target);

    /** True when the suite runs without being named (every suite but chaos); the full scenario runs them all. */
    default boolean runsByDefault() {
        return true;
    }

    /** The order the median repetition is chosen by: throughput, unless the suite fixes the rate. */
    default Comparator<CaseOutcome> medianOrder() {
        return Comparator.comparingDouble(CaseOutcome::throughput);
    }

    /** What the report shows of the suite's records: its tables, charts, targets, figures of merit, dimensions. */
    default SuiteReport report() {
        return SuiteReport.NOTHING;
    }

    /** True when every record that ran states its completed_unconfirmed count, even when it is zero. */
    default boolean statesUnconfirmedAlways() {
        return false;
    }
}
