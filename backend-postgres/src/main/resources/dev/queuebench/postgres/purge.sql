-- Deletes every job of a queue, live and dead (one delete per partial index); returns how many.
-- Parameters: queue, queue.
WITH live AS (DELETE FROM jobs WHERE queue = ? AND NOT dead RETURNING 1),
     gone AS (DELETE FROM jobs WHERE queue = ? AND dead RETURNING 1)
SELECT (SELECT count(*) FROM live) + (SELECT count(*) FROM gone)
