-- Up to n dead jobs of a queue, oldest first.
-- Parameters: queue, n.
SELECT id, payload, attempt, last_error, enqueued_at
FROM jobs
WHERE queue = ? AND dead
ORDER BY id
LIMIT ?
