-- Completes a batch of jobs in one statement, each fenced on its own token and expiry; returns the id and token of each job deleted.
-- Parameters: ids (bigint[]), lease tokens (uuid[]), pairwise.
DELETE FROM jobs AS j
USING unnest(?::bigint[], ?::uuid[]) AS done (id, lease_token)
WHERE j.id = done.id AND j.lease_token = done.lease_token AND j.run_at > now()
RETURNING j.id, j.lease_token
