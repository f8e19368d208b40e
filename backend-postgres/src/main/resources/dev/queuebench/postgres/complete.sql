-- Completes one job: deletes it if the claim's lease is still valid (fenced on token and expiry).
-- The last condition picks this transaction's commit mode, 'off' (asynchronous) or 'on', from the completeCommit
-- key: an asynchronous completion does not wait for its WAL flush, and one lost in a server crash means the job is
-- delivered again once its lease expires (at-least-once, as the contract allows); no other guarantee changes.
-- Parameters: id, lease token, synchronous_commit for this transaction.
DELETE FROM jobs
WHERE id = ? AND lease_token = ? AND run_at > now()
  AND set_config('synchronous_commit', ?, true) IS NOT NULL
