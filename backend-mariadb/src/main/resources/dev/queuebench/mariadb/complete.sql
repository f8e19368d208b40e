-- Completes one job: deletes it if the claim's lease is still valid (fenced on token and expiry).
-- Parameters: id, lease token.
DELETE FROM `jobs`
WHERE id = ? AND lease_token = ? AND run_at > UTC_TIMESTAMP(6)
