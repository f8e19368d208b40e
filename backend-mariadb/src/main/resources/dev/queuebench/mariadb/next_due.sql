-- Microseconds from now until the queue's next live job becomes claimable (a scheduled run_at or a lease expiry);
-- negative when one is claimable already, null when the queue holds no live job. Bounds a waiting claim's sleep.
-- The inner query takes the earliest run_at of each priority, one short index dive per priority (claim_order is
-- sorted by run_at within a priority): a queue with a deep backlog is not scanned.
-- Parameters: queue.
SELECT TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(6), MIN(first_run_at))
FROM (
    SELECT MIN(run_at) AS first_run_at
    FROM `jobs`
    WHERE queue = ? AND dead = 0
    GROUP BY priority
) AS per_priority
