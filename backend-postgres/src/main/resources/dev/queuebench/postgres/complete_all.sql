-- Completes a batch of jobs in one statement, each fenced on its own queue, token and expiry; returns the id, queue
-- and token of each job deleted. The commit mode is chosen as in complete.sql.
-- Parameters: ids (bigint[]), queues (text[]), lease tokens (uuid[]), element by element; synchronous_commit for
-- this transaction.
DELETE FROM jobs AS j
USING unnest(?::bigint[], ?::text[], ?::uuid[]) AS done (id, queue, lease_token)
WHERE j.id = done.id AND j.queue = done.queue AND j.lease_token = done.lease_token AND j.run_at > now()
  AND set_config('synchronous_commit', ?, true) IS NOT NULL
RETURNING j.id, j.queue, j.lease_token
