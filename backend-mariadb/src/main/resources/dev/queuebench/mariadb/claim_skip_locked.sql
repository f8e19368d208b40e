-- Strategy skip-locked: leases up to n claimable jobs of a queue in claim order, in one statement. MariaDB has no
-- UPDATE ... RETURNING, so this is the upsert form of one: INSERT ... SELECT of rows that exist already always
-- meets their primary key, and ON DUPLICATE KEY UPDATE changes them in place; RETURNING gives the rows as they
-- are after the change. Nothing is ever inserted: every picked row is locked, so it exists.
--
-- `picked` locks the jobs it takes with FOR UPDATE SKIP LOCKED: rows another claim holds are skipped, never waited
-- for, so concurrent claimers never conflict. It is a derived table so that LIMIT bounds what is read and locked
-- (INSERT ... SELECT from the jobs table itself would otherwise read every matching row into a temporary table
-- first, and lock them all). The outer ORDER BY makes the rows change, and come back, in claim order.
--
-- The SET list runs left to right, each assignment seeing the ones before it. A row is "expired on its last
-- attempt" when it still has a lease token (a claimable row with one is an expired lease) and attempt >=
-- max_attempts: it is made dead with 'lease expired', keeps its attempt count, and comes back with dead = 1 for
-- the caller to drop.
-- The values the INSERT part would insert are placeholders that never land; the picked columns are renamed so that
-- the names in the SET list mean the jobs table's columns only.
-- Parameters: queue, n, the claim's token (0 to 2^63 - 1), lease in microseconds.
-- Returns: the job columns after the claim.
INSERT INTO `jobs` (id, queue, priority, run_at, enqueued_at, max_attempts, payload)
SELECT pick_id, '', 0, pick_run_at, pick_run_at, 0, ''
FROM (
    SELECT id AS pick_id, priority AS pick_priority, run_at AS pick_run_at
    FROM `jobs`
    WHERE queue = ? AND dead = 0 AND run_at <= UTC_TIMESTAMP(6)
    ORDER BY priority DESC, run_at, id
    LIMIT ?
    FOR UPDATE SKIP LOCKED
) AS picked
ORDER BY pick_priority DESC, pick_run_at, pick_id
ON DUPLICATE KEY UPDATE
    dead        = (lease_token IS NOT NULL AND attempt >= max_attempts),
    last_error  = IF(dead, 'lease expired', last_error),
    attempt     = IF(dead, attempt, attempt + 1),
    lease_token = IF(dead, NULL, ? ^ id),
    run_at      = IF(dead, run_at, UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND)
RETURNING id, priority, attempt, max_attempts, enqueued_at, run_at, lease_token, dead, payload
