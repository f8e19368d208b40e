-- Server facts and settings that matter when reading a benchmark report: durability, memory, vacuum. No secrets.
SELECT name, current_setting(name)
FROM pg_settings
WHERE name IN ('server_version', 'synchronous_commit', 'fsync', 'full_page_writes', 'wal_level', 'shared_buffers',
               'max_connections', 'autovacuum', 'autovacuum_naptime', 'default_transaction_isolation')
ORDER BY name
