-- Seconds from now until the queue's next live job becomes claimable (a scheduled run_at or a lease expiry);
-- negative when one is claimable already, null when the queue holds no live job. Bounds a waiting claim's sleep.
-- Parameters: queue.
SELECT extract(epoch FROM min(run_at) - clock_timestamp())
FROM jobs
WHERE queue = ? AND NOT dead
