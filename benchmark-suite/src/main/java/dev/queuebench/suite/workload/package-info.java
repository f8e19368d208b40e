/**
 * The performance suites (throughput, latency, concurrency, stress, memory) and the load they share: the open-loop
 * producer and the per-case meters; each suite's {@code ...Report} says what the report shows of its records. May use
 * {@code run} (options, target, Suite), {@code workers} and {@code ledger}; of {@code report} only the records and
 * the pieces a {@code SuiteReport} is built from; never {@code chaos}.
 */
package dev.queuebench.suite.workload;
