-- Counts of queue ?1 at time ?2: ready, scheduled, leased, dead. An expired lease counts as what the next claim
-- makes of it (ready, or dead on its last attempt), so the counts are exact without a write.
SELECT
    (SELECT count(*) FROM jobs WHERE queue = ?1 AND state = 0 AND run_at <= ?2)
      + (SELECT count(*) FROM jobs WHERE queue = ?1 AND state = 1 AND lease_expires_at <= ?2
                                     AND attempt < max_attempts),
    (SELECT count(*) FROM jobs WHERE queue = ?1 AND state = 0 AND run_at > ?2),
    (SELECT count(*) FROM jobs WHERE queue = ?1 AND state = 1 AND lease_expires_at > ?2),
    (SELECT count(*) FROM jobs WHERE queue = ?1 AND state = 2)
      + (SELECT count(*) FROM jobs WHERE queue = ?1 AND state = 1 AND lease_expires_at <= ?2
                                     AND attempt >= max_attempts)
