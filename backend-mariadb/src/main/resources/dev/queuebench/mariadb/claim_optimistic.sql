-- Strategy optimistic, step 2: leases those of the candidates that are still claimable, in the upsert form of
-- claim_skip_locked.sql (read that first; the SET list is the same). `picked` locks the candidates by primary key
-- with a plain FOR UPDATE, waiting for a claimer that holds one; InnoDB then reads the row's newest version, and a
-- candidate that claimer took no longer passes the WHERE clause and is not returned: that is a claim conflict.
-- The parenthesised id after /*each*/ is repeated, comma-separated, once per candidate.
-- Parameters: each candidate id, the claim's token (0 to 2^63 - 1), lease in microseconds.
-- Returns: the job columns after the claim, for the candidates leased (or made dead), in claim order.
INSERT INTO `jobs` (id, queue, priority, run_at, enqueued_at, max_attempts, payload)
SELECT pick_id, '', 0, pick_run_at, pick_run_at, 0, ''
FROM (
    SELECT id AS pick_id, priority AS pick_priority, run_at AS pick_run_at
    FROM `jobs`
    WHERE id IN (/*each*/ (?)) AND dead = 0 AND run_at <= UTC_TIMESTAMP(6)
    FOR UPDATE
) AS picked
ORDER BY pick_priority DESC, pick_run_at, pick_id
ON DUPLICATE KEY UPDATE
    dead        = (lease_token IS NOT NULL AND attempt >= max_attempts),
    last_error  = IF(dead, 'lease expired', last_error),
    attempt     = IF(dead, attempt, attempt + 1),
    lease_token = IF(dead, NULL, ? ^ id),
    run_at      = IF(dead, run_at, UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND)
RETURNING id, priority, attempt, max_attempts, enqueued_at, run_at, lease_token, dead, payload
