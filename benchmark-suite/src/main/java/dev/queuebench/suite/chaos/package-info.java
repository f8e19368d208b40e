/**
 * The chaos suite: the case catalogue ({@code ChaosCase}), the steady-load driver, the fault injectors ({@code
 * Fault}), the recovery sampler and the throwaway-server management. What a fault needs from a backend comes from the
 * backend module through {@link dev.queuebench.faults.BackendFaults}; nothing here names a backend. May use {@code
 * run}, {@code workers}, {@code workload}'s meters and producer, {@code ledger} and {@code report.CaseStatus}.
 */
package dev.queuebench.suite.chaos;
