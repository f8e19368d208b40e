-- Completes a batch of jobs in one statement, each fenced on its own token and expiry; returns the id and token of
-- each job deleted. The commit mode is chosen as in complete.sql.
-- Parameters: ids (bigint[]), lease tokens (uuid[]), pairwise; synchronous_commit for this transaction.
DELETE FROM jobs AS j
USING unnest(?::bigint[], ?::uuid[]) AS done (id, lease_token)
WHERE j.id = done.id AND j.lease_token = done.lease_token AND j.run_at > now()
  AND set_config('synchronous_commit', ?, true) IS NOT NULL
RETURNING j.id, j.lease_token
