-- Job ?1 of queue ?2: its lease under token ?3, valid at ?4, now ends at ?5.
UPDATE jobs SET lease_expires_at = ?5
WHERE id = ?1 AND queue = ?2 AND state = 1 AND lease_token = ?3 AND lease_expires_at > ?4
