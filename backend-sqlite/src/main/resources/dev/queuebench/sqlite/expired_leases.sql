-- Strategy 'optimistic', step 1 too: does queue ?1 hold a lease expired at ?2 (to settle before claiming)?
SELECT EXISTS (SELECT 1 FROM jobs WHERE queue = ?1 AND state = 1 AND lease_expires_at <= ?2)
