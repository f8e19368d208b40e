-- Up to ?3 dead jobs of queue ?1 at time ?2, oldest first, including last attempts whose lease has expired.
SELECT id, payload, attempt, last_error, enqueued_at FROM jobs
WHERE queue = ?1 AND state = 2
UNION ALL
SELECT id, payload, attempt, 'lease expired', enqueued_at FROM jobs
WHERE queue = ?1 AND state = 1 AND lease_expires_at <= ?2 AND attempt >= max_attempts
ORDER BY id
LIMIT ?3
