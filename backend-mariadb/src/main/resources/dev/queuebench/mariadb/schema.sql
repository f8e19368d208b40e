-- QueueBench MariaDB schema, version: 1
--
-- Installed by Schema.java while it holds the named lock of install_lock.sql, so two processes opening the same
-- table at once install it once. `jobs` and `jobs_version` stand for the configured table and its version table
-- (key `table`); the statements are run one at a time, in this order. Every statement is idempotent. DDL commits
-- by itself in MariaDB, so a failure part-way leaves the earlier statements done and the version unwritten: the
-- next open runs them all again. Raise the version above when a statement here changes.

-- One row per schema version ever installed here; the highest is the one in force.
CREATE TABLE IF NOT EXISTS `jobs_version` (
    version      INT NOT NULL PRIMARY KEY,
    installed_at DATETIME(6) NOT NULL
) ENGINE = InnoDB;

-- One row per job of every queue in this table. A completed job is deleted.
--
-- run_at      when the job may next be claimed. While the job is leased, run_at IS its lease expiry: a claim sets
--             it to now + lease, so an expired lease becomes claimable again through the very index range that
--             finds ready jobs, with no reaper. A leased job is one with a lease_token and run_at in the future;
--             with run_at in the past its lease has expired. Times are UTC (UTC_TIMESTAMP(6), the server's clock).
-- lease_token set by each claim (the claim's random 63-bit number XOR the id, so each job of a batch has its own),
--             cleared by fail and on death; complete, completeAll, fail and extendLease are fenced on
--             lease_token = the claim's token AND run_at > now.
-- attempt     claims so far; dead jobs keep it.
-- dead        out of attempts (or its last lease expired); kept, with last_error, until requeued or purged.
-- queue       ASCII with a binary collation: queue names are [A-Za-z0-9_.-]{1,64} and compare byte for byte.
-- payload     MEDIUMBLOB: up to 16 MiB - 1, above anything one statement may carry (max_allowed_packet).
CREATE TABLE IF NOT EXISTS `jobs` (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    queue        VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    priority     INT NOT NULL,
    dead         BOOLEAN NOT NULL DEFAULT FALSE,
    run_at       DATETIME(6) NOT NULL,
    enqueued_at  DATETIME(6) NOT NULL,
    attempt      INT NOT NULL DEFAULT 0,
    max_attempts INT NOT NULL,
    lease_token  BIGINT NULL,
    last_error   TEXT NULL,
    payload      MEDIUMBLOB NOT NULL,
    PRIMARY KEY (id),
    -- The claim path, the one secondary index: a queue's live jobs in claim order. A claim reads it from the
    -- front of (queue, dead = 0) and takes the first rows with run_at <= now; within a priority, leased and
    -- scheduled rows sort after the ready ones, since their run_at lies in the future. lease_token at the end
    -- makes it cover stats.sql, which then reads no row; a claim changes lease_token with run_at, so it costs
    -- 8 bytes an entry and no extra write. DESC needs MariaDB 10.8 (10.6 and 10.7 build the index ascending,
    -- and claims then sort). Its (queue, dead) prefix also serves dead letters, purge and requeueDead. There is
    -- no second one: InnoDB has no partial indexes, so every index is written by every enqueue and completion
    -- (the EXPLAIN plans at a 1M-job backlog are in the README).
    KEY claim_order (queue, dead, priority DESC, run_at, id, lease_token)
) ENGINE = InnoDB;

-- The primary key (id) is the other index: complete, fail and extendLease find a job by it.
