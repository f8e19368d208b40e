/**
 * What a run writes and reads back: the records ({@code ResultRecord}, {@code CaseStatus}, {@code RunReport}), the
 * JSON, markdown and HTML reports, charts, targets, the comparison with a baseline and the selection summary. Reads
 * records only and runs nothing. What a suite's records show is the suite's own {@link
 * dev.queuebench.suite.report.SuiteReport}, built from the plain pieces here ({@code Table}, {@code Plot}, {@code
 * SelectionSummary.Dimension}, {@code Comparison.Merit}); this package asks every suite of {@code run.Suites} in turn
 * and never tests a suite's name. May use {@code run}'s {@code Suites} and {@code Scenario}, and {@code workload}'s
 * {@code Footprints}.
 */
package dev.queuebench.suite.report;
