-- Makes dead the jobs of a queue whose lease expired on their last attempt (a claim would do the same when it
-- reaches them). Run before the admin operations, so they see those jobs as dead.
-- Parameters: queue.
UPDATE `jobs`
SET dead = TRUE, lease_token = NULL, last_error = 'lease expired'
WHERE queue = ? AND dead = 0 AND run_at <= UTC_TIMESTAMP(6) AND lease_token IS NOT NULL
  AND attempt >= max_attempts
