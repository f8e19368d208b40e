-- Reclaims the jobs table's dead tuples and index entries so their space is reused. SKIP_LOCKED: if another
-- process is vacuuming it already, do nothing rather than wait.
VACUUM (SKIP_LOCKED) jobs
