-- QueueBench PostgreSQL schema, version: 2
--
-- Installed by Schema.java inside one transaction holding pg_advisory_xact_lock, with search_path set to the
-- schema named by the `schema` key; so nothing here is schema-qualified. Every statement is idempotent: opening a
-- backend on an installed schema changes nothing. Raise the version above when a statement here changes.

CREATE TABLE IF NOT EXISTS schema_version (
    version integer NOT NULL
);

-- One row per job of every queue in this schema. A completed job is deleted.
--
-- run_at      when the job may next be claimed. While the job is leased, run_at IS its lease expiry: a claim
--             sets it to now() + lease, so an expired lease becomes claimable again through the very index scan
--             that finds ready jobs, with no reaper and no second index. A leased job is one with a lease_token
--             and run_at in the future; with run_at in the past its lease has expired.
-- lease_token set by each claim (a fresh gen_random_uuid()), cleared by fail and on death; complete, completeAll,
--             fail and extendLease are fenced on lease_token = the claim's token AND run_at > now().
-- attempt     claims so far; dead jobs keep it.
-- dead        out of attempts (or its last lease expired); kept, with last_error, until requeued or purged.
--
-- Storage parameters, for a table whose rows are inserted, updated two or three times and deleted within seconds:
--   fillfactor 80: a claim changes run_at, which is indexed, so its update is never HOT; but free room in each
--     page lets the new row version land on the same page (no relation extension, no free-space-map lookup) and
--     keeps a queue's rows together.
--   autovacuum: the default scale factor (20 % of the table) lets dead tuples pile up to a fifth of a table that
--     may be mostly dead already; vacuum instead after a fixed 1,000 dead (or inserted) tuples plus 1 %, and
--     without cost-based sleeping, since the live table is small and its bloat slows every claim.
--   vacuum_truncate off: a vacuum that finds empty pages at the end of the table would take an ACCESS EXCLUSIVE
--     lock to cut them off, stalling every claim, only for the next enqueue burst to extend the table again.
-- They are set by ALTER TABLE, so that a schema installed by an earlier version gets them too (version 2 added
-- vacuum_truncate).
CREATE TABLE IF NOT EXISTS jobs (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_at           timestamptz NOT NULL,
    enqueued_at      timestamptz NOT NULL DEFAULT now(),
    priority         integer     NOT NULL,
    attempt          integer     NOT NULL DEFAULT 0,
    max_attempts     integer     NOT NULL,
    dead             boolean     NOT NULL DEFAULT false,
    lease_token      uuid,
    queue            text        NOT NULL,
    last_error       text,
    payload          bytea       NOT NULL
);

ALTER TABLE jobs SET (
    fillfactor = 80,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_insert_threshold = 1000,
    autovacuum_vacuum_insert_scale_factor = 0.01,
    autovacuum_analyze_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.02,
    autovacuum_vacuum_cost_delay = 0,
    vacuum_truncate = false
);

-- The claim path (and the only index every claim writes besides the primary key): the live jobs of a queue in
-- claim order. A claim walks it from the front and takes the first rows with run_at <= now(); within a priority,
-- leased and scheduled rows sort after the ready ones, since their run_at lies in the future. Partial, so dead
-- jobs never slow a claim. Also serves next_due.sql, stats.sql and purge.sql for live jobs.
CREATE INDEX IF NOT EXISTS jobs_claim_order ON jobs (queue, priority DESC, run_at, id) WHERE NOT dead;

-- Dead letters of a queue, oldest first: deadLetters, requeueDead, stats and purge. Only dead rows, so it stays
-- small and is written only when a job dies.
CREATE INDEX IF NOT EXISTS jobs_dead_letters ON jobs (queue, id) WHERE dead;

-- The primary key (id) is the third and last index: complete, fail and extendLease find a job by it.
