-- Records the schema version just installed (run after schema.sql, under the lock); earlier rows stay as history.
-- Parameters: version.
INSERT INTO `jobs_version` (version, installed_at) VALUES (?, UTC_TIMESTAMP(6))
