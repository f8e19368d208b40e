-- What the jobs table costs now, from information_schema (as InnoDB's statistics last measured it): data (the
-- clustered index, i.e. the rows) and secondary index bytes, free bytes in its tablespace, the estimated row count;
-- and InnoDB's history list length: undo records of committed changes that purge has not removed yet, the
-- server-wide counterpart of PostgreSQL's dead tuples (delete-marked index entries wait for it).
-- Parameters: table.
SELECT t.data_length, t.index_length, t.data_free, t.table_rows,
       (SELECT m.count FROM information_schema.INNODB_METRICS AS m WHERE m.name = 'trx_rseg_history_len')
FROM information_schema.TABLES AS t
WHERE t.table_schema = DATABASE() AND t.table_name = ?
