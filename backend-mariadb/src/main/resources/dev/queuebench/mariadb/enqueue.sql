-- Stores jobs and returns their ids, in one statement: all or none. The parenthesised row after /*each*/ stands
-- for one job and is repeated, comma-separated, once per job of a batch (enqueue sends one). RETURNING gives the
-- ids in the order of the rows.
-- Parameters, per job: queue, priority, run_at as UTC (null = now), max_attempts, payload.
INSERT INTO `jobs` (queue, priority, run_at, enqueued_at, max_attempts, payload)
VALUES /*each*/ (?, ?, COALESCE(?, UTC_TIMESTAMP(6)), UTC_TIMESTAMP(6), ?, ?)
RETURNING id
