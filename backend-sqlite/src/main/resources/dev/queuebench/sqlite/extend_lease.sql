-- Job ?1's lease under token ?2, valid at ?3, now ends at ?4.
UPDATE jobs SET lease_expires_at = ?4
WHERE id = ?1 AND state = 1 AND lease_token = ?2 AND lease_expires_at > ?3
