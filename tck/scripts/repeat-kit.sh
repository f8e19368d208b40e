#!/usr/bin/env bash
# Runs the kit (every *TckTest class) of one or more backend modules N times in a row against the configured servers
# and tallies, per backend, the runs with a failing clause: a flaky clause shows up here, not in one lucky run.
#
#   tck/scripts/repeat-kit.sh <runs> <module>...
#   tck/scripts/repeat-kit.sh 20 backend-memory backend-sqlite backend-postgres
#
# Run from the repository root with a JDK >= 21 (JAVA_HOME). Each run's surefire reports of a failing run are kept
# under REPEAT_RESULTS (default: a new folder under /tmp), with the failing clause and its message in the tally.
# Each run's line ends with the 1-minute load average as the run ended, since timing clauses depend on it.
# Exits 1 when any run of any module failed.
set -euo pipefail

runs="${1:?usage: repeat-kit.sh <runs> <module>...}"
shift
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "runs must be a positive number, got '$runs'" >&2; exit 1; }
(( $# > 0 )) || { echo "usage: repeat-kit.sh <runs> <module>... (e.g. backend-sqlite)" >&2; exit 1; }
for module in "$@"; do
  [[ -d "$module/src/test" ]] || { echo "no module '$module' with tests here (run from the repository root)" >&2; exit 1; }
done
dir="${REPEAT_RESULTS:-$(mktemp -d /tmp/qb-repeat-kit.XXXXXX)}"
mkdir -p "$dir"
echo "repeat-kit: $runs run(s) of the kit on: $* (failing runs' reports in $dir)"

status=0
for module in "$@"; do
  failed_runs=0
  for ((run = 1; run <= runs; run++)); do
    started=$(date +%s)
    log="$dir/$module-$run.log"
    # a run that fails before its tests must not tally or keep the previous run's reports
    rm -f "$module"/target/surefire-reports/TEST-*TckTest.xml
    if ./mvnw -o -B -q -pl "$module" -am test -Dtest='*TckTest' -Dsurefire.failIfNoSpecifiedTests=false \
        >"$log" 2>&1; then
      outcome=passed
      rm -f "$log"
    else
      outcome=FAILED
      failed_runs=$((failed_runs + 1))
      mkdir -p "$dir/$module-$run"
      cp "$module"/target/surefire-reports/TEST-*TckTest.xml "$dir/$module-$run/" 2>/dev/null || true
    fi
    tests=$(cat "$module"/target/surefire-reports/TEST-*TckTest.xml 2>/dev/null \
      | grep -o '<testsuite [^>]*' | sed -n 's/.* tests="\([0-9]*\)".*/\1/p' \
      | awk '{ s += $1 } END { print s }' || true)
    skipped=$(cat "$module"/target/surefire-reports/TEST-*TckTest.xml 2>/dev/null \
      | grep -o '<testsuite [^>]*' | sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' \
      | awk '{ s += $1 } END { print s }' || true)
    printf '%s run %2d: %s  %s tests, %s skipped, %ss, load %s\n' "$module" "$run" "$outcome" "${tests:-?}" \
      "${skipped:-?}" "$(($(date +%s) - started))" "$(cut -d' ' -f1 /proc/loadavg)"
    if [[ "$outcome" == FAILED ]]; then
      grep -h -B1 -A1 '<failure\|<error' "$dir/$module-$run"/*.xml 2>/dev/null | grep -o 'name="[^"]*"\|message="[^"]\{0,200\}' \
        | sed 's/^/      /' | head -12 || tail -20 "$log"
    fi
  done
  echo "== $module: $failed_runs of $runs run(s) failed"
  (( failed_runs == 0 )) || status=1
done
exit "$status"
