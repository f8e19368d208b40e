-- Is anything of queue ?1 claimable at ?2: a ready job, or one under an expired lease? A plain read, so a waiting
-- claim polls an empty queue without taking the write lock (which other processes would have to wait for).
SELECT EXISTS (SELECT 1 FROM jobs WHERE queue = ?1 AND state = 0 AND run_at <= ?2)
    OR EXISTS (SELECT 1 FROM jobs WHERE queue = ?1 AND state = 1 AND lease_expires_at <= ?2)
