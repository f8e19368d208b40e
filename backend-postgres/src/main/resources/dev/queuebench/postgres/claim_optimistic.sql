-- Strategy optimistic, step 2: leases those of the candidates that are still claimable. A candidate another
-- claimer took meanwhile fails the WHERE clause (PostgreSQL re-checks it on the row's newest version after waiting
-- for that claimer's lock) and is not returned: that is a claim conflict.
-- The SET list is the one of claim_skip_locked.sql.
-- Parameters: lease in microseconds, candidate ids (bigint[]), synchronous_commit for this transaction, the
--             candidate ids again.
-- Returns: the job columns after the claim, and rank, the job's place among the candidates (1 = first).
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
WHERE j.id = ANY (?::bigint[]) AND NOT j.dead AND j.run_at <= now()
  AND set_config('synchronous_commit', ?, true) IS NOT NULL
RETURNING j.id, j.priority, j.attempt, j.max_attempts, j.enqueued_at, j.run_at, j.lease_token, j.dead,
          array_position(?::bigint[], j.id) AS rank, j.payload
