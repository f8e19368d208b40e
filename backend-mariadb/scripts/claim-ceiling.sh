#!/usr/bin/env bash
# The ceilings the MariaDB backend's drain rates are held against: a plain JDBC loop (ClaimCeiling.java beside
# this script), 4 threads claiming and deleting rows of a bare InnoDB table FOR UPDATE SKIP LOCKED, one row and
# 50 rows at a time, each run repeated and the median printed.
#
# usage: backend-mariadb/scripts/claim-ceiling.sh [rows] [seconds] [repetitions]
#   rows         rows in the table before each run (default 1000000: an idle 2-core machine claims about 48,000
#                rows/s 50 at a time, so 300000 ran out within one 8 s run)
#   seconds      length of each run after a 1 s warm-up (default 10)
#   repetitions  runs per batch size (default 3)
# The server is QUEUEBENCH_MARIADB_CEILING_JDBC (a JDBC URL without a database, default
# jdbc:mariadb://127.0.0.1:3306/?user=root). Works in a database of its own, qb_ceiling, dropped at the end.
# Needs a JDK 21 or newer (java on PATH or JAVA_HOME); fetches the Connector/J version the build uses.
set -euo pipefail
cd "$(dirname "$0")/../.."

version=$(sed -n 's:.*<mariadb-java-client.version>\(.*\)</mariadb-java-client.version>.*:\1:p' pom.xml)
jar="$HOME/.m2/repository/org/mariadb/jdbc/mariadb-java-client/$version/mariadb-java-client-$version.jar"
[ -f "$jar" ] || ./mvnw -q -N dependency:get -Dartifact="org.mariadb.jdbc:mariadb-java-client:$version" >/dev/null
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
major=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${major:-0}" -lt 21 ]; then
    echo "claim-ceiling.sh needs a JDK 21 or newer; $java is ${major:-unknown}: set JAVA_HOME to one" >&2
    exit 1
fi
exec "$java" -cp "$jar" backend-mariadb/scripts/ClaimCeiling.java \
    "${QUEUEBENCH_MARIADB_CEILING_JDBC:-jdbc:mariadb://127.0.0.1:3306/?user=root}" "${1:-1000000}" "${2:-10}" "${3:-3}"
