-- Completes a batch of jobs in one statement, each fenced on its own queue, token and expiry; returns the id,
-- queue and token of each job deleted. The (id, queue, token) triple after /*each*/ is repeated, comma-separated,
-- once per job; the optimizer reads the list as primary key lookups (see the README's plan).
-- Parameters, per job: id, queue, lease token.
DELETE FROM `jobs`
WHERE (id, queue, lease_token) IN (/*each*/ (?, ?, ?)) AND run_at > UTC_TIMESTAMP(6)
RETURNING id, queue, lease_token
