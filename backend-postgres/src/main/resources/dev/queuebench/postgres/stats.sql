-- Counts a queue's jobs by state (after reap_expired.sql): ready, scheduled, leased, dead. A job whose lease
-- expired with attempts left counts as ready: any claim may take it.
-- Parameters: queue, queue.
SELECT count(*) FILTER (WHERE run_at <= now()),
       count(*) FILTER (WHERE run_at > now() AND lease_token IS NULL),
       count(*) FILTER (WHERE run_at > now() AND lease_token IS NOT NULL),
       (SELECT count(*) FROM jobs WHERE queue = ? AND dead)
FROM jobs
WHERE queue = ? AND NOT dead
