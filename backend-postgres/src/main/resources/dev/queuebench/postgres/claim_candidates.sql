-- Strategy optimistic, step 1: reads the ids of up to n claimable jobs of a queue in claim order, taking no lock.
-- Parameters: queue, n.
SELECT id
FROM jobs
WHERE queue = ? AND NOT dead AND run_at <= now()
ORDER BY priority DESC, run_at, id
LIMIT ?
