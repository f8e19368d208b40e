-- Done: job ?1 of queue ?2 leaves the table if lease token ?3 is its current one and unexpired at ?4 (the fence).
-- One statement, so it needs no explicit transaction.
DELETE FROM jobs WHERE id = ?1 AND queue = ?2 AND state = 1 AND lease_token = ?3 AND lease_expires_at > ?4
