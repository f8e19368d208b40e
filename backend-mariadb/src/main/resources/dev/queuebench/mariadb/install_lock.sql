-- Takes the session's named lock for installing one jobs table, waiting up to the given seconds; 1 when taken,
-- 0 on timeout. Names are cut to 64 characters (MySQL's limit): two tables whose names then coincide only install
-- one after the other.
-- Parameters: table, seconds to wait.
SELECT GET_LOCK(LEFT(CONCAT('queuebench/', DATABASE(), '/', ?), 64), ?)
