-- Failure of job ?1 under lease token ?2, valid at ?3: dead on the last attempt, else waiting until ?4 (backoff).
-- ?5 is the error kept. No row returned means the lease was not valid and nothing changed.
UPDATE jobs
SET state            = CASE WHEN attempt >= max_attempts THEN 2 ELSE 0 END,
    run_at           = CASE WHEN attempt >= max_attempts THEN run_at ELSE ?4 END,
    last_error       = ?5,
    lease_token      = NULL,
    lease_expires_at = NULL
WHERE id = ?1 AND state = 1 AND lease_token = ?2 AND lease_expires_at > ?3
RETURNING state
