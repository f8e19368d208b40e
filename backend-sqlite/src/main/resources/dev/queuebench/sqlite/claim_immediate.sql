-- Strategy 'immediate', inside BEGIN IMMEDIATE after settle_expired.sql: lease the first ?4 ready jobs of queue ?2
-- at time ?3 until ?1. Each row gets its own random 64-bit lease token. RETURNING order is unspecified: the caller
-- sorts by priority DESC, run_at, id.
UPDATE jobs
SET state            = 1,
    attempt          = attempt + 1,
    lease_token      = random(),
    lease_expires_at = ?1
WHERE id IN (SELECT id FROM jobs
             WHERE queue = ?2 AND state = 0 AND run_at <= ?3
             ORDER BY priority DESC, run_at, id
             LIMIT ?4)
RETURNING id, priority, run_at, attempt, max_attempts, enqueued_at, lease_token, lease_expires_at, payload
