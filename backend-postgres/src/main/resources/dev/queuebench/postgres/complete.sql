-- Completes one job: deletes it if the claim's lease is still valid (fenced on queue, token and expiry).
-- The last condition picks this transaction's commit mode, 'off' (asynchronous) or 'on', from the asyncCommit key
-- (set_config with is_local = true lasts until the end of this statement's own transaction, and the commit reads
-- it): an asynchronous completion does not wait for its WAL flush, and one lost in a server crash means the job is
-- delivered again once its lease expires (at-least-once, as the contract allows).
-- Parameters: id, queue, lease token, synchronous_commit for this transaction.
DELETE FROM jobs
WHERE id = ? AND queue = ? AND lease_token = ? AND run_at > now()
  AND set_config('synchronous_commit', ?, true) IS NOT NULL
