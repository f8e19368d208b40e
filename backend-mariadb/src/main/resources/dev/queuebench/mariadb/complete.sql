-- Completes one job: deletes it if the claim's lease is still valid (fenced on queue, token and expiry).
-- Parameters: id, queue, lease token.
DELETE FROM `jobs`
WHERE id = ? AND queue = ? AND lease_token = ? AND run_at > UTC_TIMESTAMP(6)
