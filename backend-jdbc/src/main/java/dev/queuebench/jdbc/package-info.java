/**
 * What every SQL backend on a connection pool shares: the HikariCP pool's settings and opening
 * ({@link dev.queuebench.jdbc.ConnectionPool}), lending pooled connections with lock-error retries and the claim loop
 * and one statement's run on a lent connection ({@link dev.queuebench.jdbc.JdbcQueueBackend}), a claim's lease as
 * a jobs table knows it ({@link dev.queuebench.jdbc.JobLease}), reading a claim statement's rows
 * ({@link dev.queuebench.jdbc.ClaimRows}, {@link dev.queuebench.jdbc.ClaimAttempt}) and where waiting claims park
 * ({@link dev.queuebench.jdbc.QueueSignals}). Uses {@code api} and HikariCP only: no driver, no SQL text; each
 * dialect keeps its statements in its own {@code .sql} resources.
 */
package dev.queuebench.jdbc;
