-- Strategy 'optimistic', step 1, a plain read without the write lock: the first ?3 ready jobs of queue ?1 at ?2.
SELECT id FROM jobs
WHERE queue = ?1 AND state = 0 AND run_at <= ?2
ORDER BY priority DESC, run_at, id
LIMIT ?3
