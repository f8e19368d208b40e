-- Deletes every job of a queue, live and dead; the update count is how many.
-- Parameters: queue.
DELETE FROM `jobs`
WHERE queue = ?
