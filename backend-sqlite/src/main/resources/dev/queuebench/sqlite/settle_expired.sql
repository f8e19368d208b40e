-- Expired leases of queue ?1 at time ?2 go back to waiting, or to dead on their last attempt.
-- Runs inside every claim's write (and before requeueDead), so a claim starting after an expiry sees the job.
UPDATE jobs
SET state            = CASE WHEN attempt >= max_attempts THEN 2 ELSE 0 END,
    last_error       = CASE WHEN attempt >= max_attempts THEN 'lease expired' ELSE last_error END,
    lease_token      = NULL,
    lease_expires_at = NULL
WHERE queue = ?1 AND state = 1 AND lease_expires_at <= ?2
