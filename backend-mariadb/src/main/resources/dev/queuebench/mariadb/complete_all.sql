-- Completes a batch of jobs in one statement, each fenced on its own token and expiry; returns the id and token of
-- each job deleted. The (id, token) pair after /*each*/ is repeated, comma-separated, once per job; the optimizer
-- reads the list as primary key lookups (see the README's plan).
-- Parameters, per job: id, lease token.
DELETE FROM `jobs`
WHERE (id, lease_token) IN (/*each*/ (?, ?)) AND run_at > UTC_TIMESTAMP(6)
RETURNING id, lease_token
