/**
 * The chaos suite: the case catalogue ({@code ChaosCase}), the steady-load driver, the fault injectors ({@code
 * Fault}), the recovery sampler, the throwaway-server management and its section of the report ({@code
 * ChaosReport}). What a fault needs from a backend comes from the backend module through {@link
 * dev.queuebench.faults.BackendFaults}; nothing here names a backend. May use {@code run}, {@code workers}, {@code
 * workload}'s meters and producer, {@code ledger}, and {@code report}'s records and the pieces of a {@code
 * SuiteReport}.
 */
package dev.queuebench.suite.chaos;
