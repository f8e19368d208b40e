package dev.queuebench.suite.report;

import dev.queuebench.suite.report.Comparison.Merit;
import dev.queuebench.suite.report.ResultRecord.TargetResult;
import dev.queuebench.suite.report.SelectionSummary.Dimension;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a suite tells the report about its own records. The report asks every suite of {@code Suites.ALL} in turn,
 * handing it its records only (those whose {@code suite} is its name), and never tests a suite's name itself. Each
 * method contributes nothing by default, so a suite overrides what it has to show; {@link #NOTHING} is the report
 * of records no suite claims (e.g. from an older run).
 */
public interface SuiteReport {
    /** The report that adds nothing: no table, chart, target or dimension; jobs/s compared with a baseline. */
    SuiteReport NOTHING = new SuiteReport() {};

    /** Its tables in the report's "Side by side" section, before the cost and capabilities tables. */
    default List<String> tables(List<ResultRecord> mine, List<String> targets) {
        return List.of();
    }

    /** Its section after the side-by-side tables, e.g. a matrix or a table of its own. */
    default List<String> section(List<ResultRecord> mine, List<String> targets) {
        return List.of();
    }

    /** Its charts; the report draws them grouped by their x axis, in the order of the suites. */
    default List<Plot> charts(List<ResultRecord> mine, List<String> targets) {
        return List.of();
    }

    /** The targets {@code r} is held to besides {@code jobs_lost}, with {@code mine} its suite's records. */
    default List<TargetResult> targets(Targets targets, ResultRecord r, List<ResultRecord> mine) {
        return List.of();
    }

    /** The figures of merit a record is compared by with a baseline's: jobs/s unless the suite says otherwise. */
    default List<Merit> merits() {
        return List.of(Merit.THROUGHPUT);
    }

    /** Its dimensions of the selection summary, from the records that ran; an empty one is not shown. */
    default List<Dimension> dimensions(SelectionSummary summary, List<ResultRecord> mine) {
        return List.of();
    }

    /** Its dimensions of what a job costs, shown after every suite's {@link #dimensions}. */
    default List<Dimension> costDimensions(SelectionSummary summary, List<ResultRecord> mine) {
        return List.of();
    }

    /** Its picks "which one for my workload": need → pick, from every dimension shown by name. */
    default Map<String, String> picks(SelectionSummary summary, Map<String, Dimension> shown,
            List<ResultRecord> mine) {
        return Map.of();
    }

    /** The row of the cost table that shows {@code r}'s cost; empty where the table leaves it out. */
    default Optional<String> costRow(ResultRecord r) {
        return Optional.empty();
    }

    /** True when its records are rows of the report's table of cases (false where its own section lists them). */
    default boolean listsCases() {
        return true;
    }

    /** True when a job its records lost or duplicated warns against a pick (false where its section judges them). */
    default boolean warnsPicks() {
        return true;
    }
}
