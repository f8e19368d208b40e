-- True when the jobs table holds more dead tuples than the threshold schema.sql gives autovacuum (1,000 plus 1 %
-- of the live ones), as the statistics last counted them. Polled by TableVacuum when it stands in for autovacuum.
SELECT n_dead_tup > 1000 + 0.01 * n_live_tup
FROM pg_stat_user_tables
WHERE relid = 'jobs'::regclass
