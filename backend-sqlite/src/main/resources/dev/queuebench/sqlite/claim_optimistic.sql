-- Strategy 'optimistic', step 2, one autocommit statement: lease the candidates (?2, a JSON array of ids) that are
-- still ready at ?3, until ?1. A candidate another claimer took meanwhile is not returned: a lost race (conflict).
UPDATE jobs
SET state            = 1,
    attempt          = attempt + 1,
    lease_token      = random(),
    lease_expires_at = ?1
WHERE id IN (SELECT value FROM json_each(?2)) AND state = 0 AND run_at <= ?3
RETURNING id, priority, run_at, attempt, max_attempts, enqueued_at, lease_token, lease_expires_at, payload
