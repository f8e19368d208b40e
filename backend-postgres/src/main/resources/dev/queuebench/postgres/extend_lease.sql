-- Extends a valid lease to now() + duration, fenced like complete.
-- Parameters: duration in microseconds, id, queue, lease token.
UPDATE jobs
SET run_at = now() + ? * interval '1 microsecond'
WHERE id = ? AND queue = ? AND lease_token = ? AND run_at > now()
