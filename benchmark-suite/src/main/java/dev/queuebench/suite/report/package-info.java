/**
 * What a run writes and reads back: the records ({@code ResultRecord}, {@code CaseStatus}, {@code RunReport}), the
 * JSON, markdown and HTML reports, charts, targets, the comparison with a baseline and the selection summary. Reads
 * records only; it names suites by their {@code NAME} to pick its sections, and runs nothing.
 */
package dev.queuebench.suite.report;
