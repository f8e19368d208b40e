-- One job in; ?1 queue, ?2 priority, ?3 run_at, ?4 max_attempts, ?5 enqueued_at, ?6 payload.
INSERT INTO jobs (queue, priority, run_at, max_attempts, enqueued_at, payload)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
RETURNING id
