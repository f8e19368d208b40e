-- Done: job ?1 leaves the table if lease token ?2 is its current one and unexpired at ?3 (the fence).
-- One statement, so it needs no explicit transaction.
DELETE FROM jobs WHERE id = ?1 AND state = 1 AND lease_token = ?2 AND lease_expires_at > ?3
