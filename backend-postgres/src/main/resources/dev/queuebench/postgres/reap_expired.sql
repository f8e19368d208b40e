-- Makes dead the jobs of a queue whose lease expired on their last attempt (a claim would do the same when it
-- reaches them). Run before the admin operations, so they see those jobs as dead.
-- Parameters: queue.
UPDATE jobs
SET dead = true, lease_token = NULL, last_error = 'lease expired'
WHERE queue = ? AND NOT dead AND run_at <= now() AND lease_token IS NOT NULL AND attempt >= max_attempts
