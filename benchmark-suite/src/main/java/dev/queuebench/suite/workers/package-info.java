/**
 * Consumers: threads in this JVM ({@code WorkerPool}) or worker JVMs ({@code WorkerProcesses}, {@code
 * WorkerProcessMain}) and the line protocol they report by, the job payload and tasks. May use {@code ledger} (where
 * events go) and {@code run} (the target they consume from); nothing else of the suite.
 */
package dev.queuebench.suite.workers;
