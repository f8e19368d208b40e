#!/usr/bin/env bash
# The ceilings the PostgreSQL backend's drain rates are held against: how fast pgbench alone, with 4 clients,
# deletes rows from a bare table with `... FOR UPDATE SKIP LOCKED` one row and 50 rows at a time.
#
# usage: backend-postgres/scripts/pgbench-ceiling.sh [rows] [seconds]
#   rows     rows in the table before each run (default 1500000: enough that a 15 s run does not empty it)
#   seconds  length of each pgbench run (default 15)
# The server is the one psql would use: PGHOST, PGPORT, PGUSER, PGDATABASE (default 127.0.0.1, 5432, postgres,
# test). Works in a throwaway schema, qb_pgbench, dropped at the end.
set -euo pipefail

rows=${1:-1500000}
seconds=${2:-15}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-test}
command -v pgbench >/dev/null || { echo "pgbench not found: install postgresql-contrib (or postgresql)" >&2; exit 2; }

scripts=$(mktemp -d)
trap 'psql -qX -c "DROP SCHEMA IF EXISTS qb_pgbench CASCADE" >/dev/null 2>&1; rm -rf "$scripts"' EXIT

cat >"$scripts/1.sql" <<'SQL'
DELETE FROM qb_pgbench.t WHERE id = (SELECT id FROM qb_pgbench.t ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id;
SQL
cat >"$scripts/50.sql" <<'SQL'
DELETE FROM qb_pgbench.t WHERE id IN (SELECT id FROM qb_pgbench.t ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED) RETURNING id;
SQL

for batch in 1 50; do
    psql -qX -v ON_ERROR_STOP=1 >/dev/null <<SQL
DROP SCHEMA IF EXISTS qb_pgbench CASCADE;
CREATE SCHEMA qb_pgbench;
CREATE TABLE qb_pgbench.t (id bigint PRIMARY KEY);
INSERT INTO qb_pgbench.t SELECT generate_series(1, $rows);
VACUUM ANALYZE qb_pgbench.t;
CHECKPOINT;
SQL
    tps=$(pgbench -n -c 4 -j 2 -T "$seconds" -M prepared -f "$scripts/$batch.sql" 2>&1 \
        | awk '/^tps/ {print $3}')
    awk -v b="$batch" -v t="$tps" 'BEGIN { printf "%2d-row delete: %8.0f tps = %8.0f rows/s\n", b, t, b * t }'
done
