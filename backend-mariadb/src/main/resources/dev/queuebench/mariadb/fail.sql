-- Fails one leased job, fenced like complete: on its last attempt it becomes dead, else it is scheduled to run
-- again after the backoff. Either way the error is kept and the lease ends. The upsert form of an UPDATE ...
-- RETURNING, as in claim_skip_locked.sql (read its notes): `failed` locks the job by primary key if the lease is
-- valid, and the SET list (left to right) changes it.
-- Parameters: id, queue, lease token, error, backoff in microseconds.
-- Returns: one row (dead, run_at) when the lease was valid, none otherwise.
INSERT INTO `jobs` (id, queue, priority, run_at, enqueued_at, max_attempts, payload)
SELECT fail_id, '', 0, fail_run_at, fail_run_at, 0, ''
FROM (
    SELECT id AS fail_id, run_at AS fail_run_at
    FROM `jobs`
    WHERE id = ? AND queue = ? AND lease_token = ? AND run_at > UTC_TIMESTAMP(6)
    FOR UPDATE
) AS failed
ON DUPLICATE KEY UPDATE
    lease_token = NULL,
    last_error  = ?,
    dead        = attempt >= max_attempts,
    run_at      = IF(dead, run_at, UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND)
RETURNING dead, run_at
