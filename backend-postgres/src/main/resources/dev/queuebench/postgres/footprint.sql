-- What the jobs table costs now: heap (with TOAST) and index bytes, and live and dead tuples as the statistics
-- collector last counted them (dead tuples are what autovacuum has yet to reclaim).
SELECT pg_table_size(s.relid), pg_indexes_size(s.relid), s.n_live_tup, s.n_dead_tup
FROM pg_stat_user_tables AS s
WHERE s.relid = 'jobs'::regclass
