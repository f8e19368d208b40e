-- The processes doing a backend's work: the sessions whose application_name is the backend's (not this one), and
-- the auxiliary processes of the postmaster (checkpointer, WAL writer, background writer, autovacuum), shared by
-- every client of the cluster.
SELECT pid
FROM pg_stat_activity
WHERE pid <> pg_backend_pid()
  AND (application_name = ? OR backend_type <> 'client backend')
