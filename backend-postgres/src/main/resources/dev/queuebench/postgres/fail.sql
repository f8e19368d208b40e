-- Fails one leased job, fenced like complete: on its last attempt it becomes dead, else it is scheduled to run
-- again after the backoff. Either way the error is kept and the lease ends.
-- Parameters: error, backoff in microseconds, id, queue, lease token.
UPDATE jobs
SET lease_token = NULL,
    last_error  = ?,
    dead        = attempt >= max_attempts,
    run_at      = CASE WHEN attempt >= max_attempts THEN run_at ELSE now() + ? * interval '1 microsecond' END
WHERE id = ? AND queue = ? AND lease_token = ? AND run_at > now()
RETURNING dead, run_at
