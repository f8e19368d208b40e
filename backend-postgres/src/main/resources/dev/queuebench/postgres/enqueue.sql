-- Stores one job and wakes the queue's waiting claims (when notify is on). Returns the new id.
-- Parameters: queue, priority, run_at as microseconds since the epoch (null = now()), max_attempts, payload,
--             notify (boolean), channel, queue.
WITH job AS (
    INSERT INTO jobs (queue, priority, run_at, max_attempts, payload)
    VALUES (?, ?, coalesce(timestamptz 'epoch' + ? * interval '1 microsecond', now()), ?, ?)
    RETURNING id
)
SELECT id, CASE WHEN ? THEN pg_notify(?, ?) END
FROM job
