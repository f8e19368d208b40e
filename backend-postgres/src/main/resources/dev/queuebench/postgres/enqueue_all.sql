-- Stores a batch of jobs in one statement, all or none, and wakes the queue's waiting claims once (when notify is
-- on). Rows are inserted in request order, so identity ids ascend in request order: the sorted array of new ids is
-- the list of ids in order.
-- Parameters: queue, priorities (integer[]), run_at as microseconds since the epoch (bigint[], null = now()),
--             max_attempts (integer[]), payloads (bytea[]), notify (boolean), channel, queue.
WITH job AS (
    INSERT INTO jobs (queue, priority, run_at, max_attempts, payload)
    SELECT ?, r.priority, coalesce(timestamptz 'epoch' + r.run_at_micros * interval '1 microsecond', now()),
           r.max_attempts, r.payload
    FROM unnest(?::integer[], ?::bigint[], ?::integer[], ?::bytea[])
         WITH ORDINALITY AS r (priority, run_at_micros, max_attempts, payload, ord)
    ORDER BY r.ord
    RETURNING id
)
SELECT array_agg(id ORDER BY id), CASE WHEN ? THEN pg_notify(?, ?) END
FROM job
