-- Failure of job ?1 of queue ?2 under lease token ?3, valid at ?4: dead on the last attempt, else waiting until ?5
-- (backoff). ?6 is the error kept. No row returned means the lease was not valid and nothing changed.
UPDATE jobs
SET state            = CASE WHEN attempt >= max_attempts THEN 2 ELSE 0 END,
    run_at           = CASE WHEN attempt >= max_attempts THEN run_at ELSE ?5 END,
    last_error       = ?6,
    lease_token      = NULL,
    lease_expires_at = NULL
WHERE id = ?1 AND queue = ?2 AND state = 1 AND lease_token = ?3 AND lease_expires_at > ?4
RETURNING state
