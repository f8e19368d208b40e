/**
 * Running a benchmark: the options ({@link dev.queuebench.suite.run.RunOptions}, {@link
 * dev.queuebench.suite.run.Scenario}), the two entry points ({@code Main}, {@code Cli}), the {@link
 * dev.queuebench.suite.run.Suite} interface with the one list of suites ({@link dev.queuebench.suite.run.Suites}),
 * the target a case runs on ({@link dev.queuebench.suite.run.BackendUnderTest}) and the runner that opens the
 * backends, runs the suites interleaved and writes the run folder. It may use every other package of the suite; the
 * others use only its options, target and {@code Suite} types; {@code report} also asks {@code Suites} for each
 * suite's report and records.
 */
package dev.queuebench.suite.run;
