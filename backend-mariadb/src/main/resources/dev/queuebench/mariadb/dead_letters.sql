-- Up to n dead jobs of a queue, oldest first (claim_order finds the queue's dead rows; they are sorted by id).
-- Parameters: queue, n.
SELECT id, payload, attempt, last_error, enqueued_at
FROM `jobs`
WHERE queue = ? AND dead = 1
ORDER BY id
LIMIT ?
