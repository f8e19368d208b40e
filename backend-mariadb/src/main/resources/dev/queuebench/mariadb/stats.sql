-- Counts a queue's jobs by state (after reap_expired.sql): ready, scheduled, leased, dead. A job whose lease
-- expired with attempts left counts as ready: any claim may take it. One pass over the queue's range of
-- claim_order, reading each row for its lease_token.
-- Parameters: queue.
SELECT COALESCE(SUM(dead = 0 AND run_at <= UTC_TIMESTAMP(6)), 0),
       COALESCE(SUM(dead = 0 AND run_at > UTC_TIMESTAMP(6) AND lease_token IS NULL), 0),
       COALESCE(SUM(dead = 0 AND run_at > UTC_TIMESTAMP(6) AND lease_token IS NOT NULL), 0),
       COALESCE(SUM(dead = 1), 0)
FROM `jobs`
WHERE queue = ?
