-- Strategy optimistic, step 1: reads the ids of up to n claimable jobs of a queue in claim order, taking no lock
-- (a consistent read of the last committed rows).
-- Parameters: queue, n.
SELECT id
FROM `jobs`
WHERE queue = ? AND dead = 0 AND run_at <= UTC_TIMESTAMP(6)
ORDER BY priority DESC, run_at, id
LIMIT ?
