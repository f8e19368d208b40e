-- Server facts and settings that matter when reading a benchmark report: version, durability, memory, locking.
-- No secrets. The durability the backend declares is read from innodb_flush_log_at_trx_commit, log_bin and
-- sync_binlog (ServerSettings.java).
SELECT LOWER(variable_name), variable_value
FROM information_schema.GLOBAL_VARIABLES
WHERE variable_name IN ('VERSION', 'VERSION_COMMENT', 'INNODB_FLUSH_LOG_AT_TRX_COMMIT', 'LOG_BIN', 'SYNC_BINLOG',
                        'BINLOG_FORMAT', 'INNODB_DOUBLEWRITE', 'INNODB_FLUSH_METHOD', 'INNODB_BUFFER_POOL_SIZE',
                        'INNODB_LOG_FILE_SIZE', 'MAX_ALLOWED_PACKET', 'MAX_CONNECTIONS', 'INNODB_AUTOINC_LOCK_MODE',
                        'INNODB_DEADLOCK_DETECT', 'INNODB_PURGE_THREADS')
ORDER BY variable_name
