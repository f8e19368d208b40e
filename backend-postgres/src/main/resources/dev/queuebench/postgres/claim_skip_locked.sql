-- Strategy skip-locked: leases up to n claimable jobs of a queue in claim order, in one statement. Rows another
-- claim holds locked are skipped, never waited for, so concurrent claimers never conflict.
-- FOR NO KEY UPDATE is the row lock the UPDATE below takes anyway, since it changes no key column; FOR UPDATE
-- would be stronger than needed.
-- A claimable row whose lease expired on its last attempt is not leased but made dead ('lease expired'); it comes
-- back with dead = true and the caller drops it.
-- The picked ids travel as one array, so the update finds them by the primary key whatever row count the planner
-- guesses for LIMIT ? (a generic plan guesses a tenth of the table, and would hash-join a scan of all of it).
-- The last condition picks this transaction's commit mode from the asyncCommit key, as in complete.sql.
-- Parameters: queue, n, lease in microseconds, synchronous_commit for this transaction.
-- Returns: the job columns after the claim, and rank, the job's place in claim order (1 = first).
WITH picked AS (
    SELECT array_agg(id ORDER BY priority DESC, run_at, id) AS ids
    FROM (
        SELECT id, priority, run_at
        FROM jobs
        WHERE queue = ? AND NOT dead AND run_at <= now()
        ORDER BY priority DESC, run_at, id
        LIMIT ?
        FOR NO KEY UPDATE SKIP LOCKED
    ) AS candidate
)
-- A row is "expired on its last attempt" when it still has a lease token (a claimable row with one is an expired
-- lease) and attempt >= max_attempts: it is made dead with 'lease expired' and keeps its attempt count.
UPDATE jobs AS j
SET attempt     = CASE WHEN j.lease_token IS NOT NULL AND j.attempt >= j.max_attempts
                       THEN j.attempt ELSE j.attempt + 1 END,
    dead        = (j.lease_token IS NOT NULL AND j.attempt >= j.max_attempts),
    last_error  = CASE WHEN j.lease_token IS NOT NULL AND j.attempt >= j.max_attempts
                       THEN 'lease expired' ELSE j.last_error END,
    lease_token = CASE WHEN j.lease_token IS NOT NULL AND j.attempt >= j.max_attempts
                       THEN NULL ELSE gen_random_uuid() END,
    run_at      = CASE WHEN j.lease_token IS NOT NULL AND j.attempt >= j.max_attempts
                       THEN j.run_at ELSE now() + ? * interval '1 microsecond' END
WHERE j.id = ANY ((SELECT ids FROM picked)::bigint[])
  AND set_config('synchronous_commit', ?, true) IS NOT NULL
RETURNING j.id, j.priority, j.attempt, j.max_attempts, j.enqueued_at, j.run_at, j.lease_token, j.dead,
          array_position((SELECT ids FROM picked), j.id) AS rank, j.payload
