/**
 * The performance suites (throughput, latency, concurrency, stress, memory) and the load they share: the open-loop
 * producer and the per-case meters. May use {@code run} (options, target, Suite), {@code workers} and {@code ledger};
 * never {@code report} beyond {@code ResultRecord}, never {@code chaos}.
 */
package dev.queuebench.suite.workload;
