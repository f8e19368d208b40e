/**
 * The conformance suite: the kit from {@code tck} run by the suite itself, one clause at a time through the JUnit
 * Platform launcher, against each target's backend opened by name through {@code ServiceLoader} with the run's
 * configuration ({@code ConfiguredKit}), and its matrix in the report ({@code ConformanceReport}); nothing here names
 * a backend. May use {@code run}, {@code ledger}, and {@code report}'s records and the pieces of a {@code
 * SuiteReport}.
 */
package dev.queuebench.suite.conformance;
