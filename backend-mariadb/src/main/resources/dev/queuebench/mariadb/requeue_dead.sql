-- Makes every dead job of a queue ready now, with its attempts and error reset.
-- Parameters: queue.
UPDATE `jobs`
SET dead = FALSE, attempt = 0, last_error = NULL, lease_token = NULL, run_at = UTC_TIMESTAMP(6)
WHERE queue = ? AND dead = 1
