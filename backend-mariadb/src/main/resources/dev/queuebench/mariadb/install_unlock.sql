-- Releases the named lock install_lock.sql took.
-- Parameters: table.
SELECT RELEASE_LOCK(LEFT(CONCAT('queuebench/', DATABASE(), '/', ?), 64))
