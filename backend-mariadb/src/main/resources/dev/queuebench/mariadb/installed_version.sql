-- The schema version in force for the jobs table; 0 when none was recorded. Fails with error 1146 when the version
-- table does not exist, which Schema.java reads as version 0 too.
SELECT COALESCE(MAX(version), 0) FROM `jobs_version`
