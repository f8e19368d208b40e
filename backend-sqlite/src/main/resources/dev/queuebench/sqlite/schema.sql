-- QueueBench SQLite schema, version 1 (kept in PRAGMA user_version; Schema.java creates it once per file).
-- One table holds every job of every queue. Times are epoch microseconds by the process clock.
-- state: 0 = waiting (READY when run_at <= now, SCHEDULED when later), 1 = leased, 2 = dead.
-- A lease is valid while state = 1, lease_token matches the claim and lease_expires_at > now.
-- AUTOINCREMENT: ids are never reused, so an id names one job for the life of the file.
CREATE TABLE IF NOT EXISTS jobs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    queue            TEXT    NOT NULL,
    state            INTEGER NOT NULL DEFAULT 0,
    priority         INTEGER NOT NULL,
    run_at           INTEGER NOT NULL,
    attempt          INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    enqueued_at      INTEGER NOT NULL,
    lease_token      INTEGER,
    lease_expires_at INTEGER,
    last_error       TEXT,
    payload          BLOB    NOT NULL -- last, so reading the other columns never walks a large payload
);

-- Claim order within a queue: priority, then run_at, then id (the rowid every index ends with).
CREATE INDEX IF NOT EXISTS jobs_waiting ON jobs (queue, priority DESC, run_at) WHERE state = 0;

-- Expired leases of a queue, found by every claim.
CREATE INDEX IF NOT EXISTS jobs_leased ON jobs (queue, lease_expires_at) WHERE state = 1;

-- Dead letters of a queue, oldest first.
CREATE INDEX IF NOT EXISTS jobs_dead ON jobs (queue, id) WHERE state = 2;
