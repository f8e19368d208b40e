-- Inside a write transaction after settle_expired.sql: every dead job of queue ?1 is ready at ?2, attempts reset.
UPDATE jobs
SET state = 0, attempt = 0, run_at = ?2, last_error = NULL
WHERE queue = ?1 AND state = 2
