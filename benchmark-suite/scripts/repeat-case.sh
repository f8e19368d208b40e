#!/usr/bin/env bash
# Runs one selection of the suite N times in a row with the shaded jar and tallies, from each run's JSON, the jobs
# lost, duplicated (redelivered), completed_unconfirmed, the violations and the exit status: for a failure that shows
# up once in dozens of runs.
#
#   benchmark-suite/scripts/repeat-case.sh <runs> <options of `queuebench run`...>
#   benchmark-suite/scripts/repeat-case.sh 100 --backend postgres --suite chaos --cases kill-worker --processes 2 \
#       --scenario smoke --duration 2 --set postgres.schema=qb_repeat
#
# Build the jar first: ./mvnw -q -pl benchmark-suite -am package -DskipTests (or set QUEUEBENCH_JAR). Each run writes
# its folder and log under REPEAT_RESULTS (default: a new folder under /tmp); the script owns --results. One line per
# run, then the tally; the lost jobs of every run that lost one are printed with their evidence. Needs jq.
# Exits 1 when any run lost a job (other than a loss its backend's durability allows) or exited non-zero.
set -euo pipefail

runs="${1:?usage: repeat-case.sh <runs> <options of queuebench run...>}"
shift
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "runs must be a positive number, got '$runs'" >&2; exit 1; }
jar="${QUEUEBENCH_JAR:-benchmark-suite/target/queuebench.jar}"
[[ -f "$jar" ]] || { echo "no $jar: build it with ./mvnw -q -pl benchmark-suite -am package -DskipTests" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq is needed (Debian: apt-get install -y jq)" >&2; exit 1; }
for arg in "$@"; do
  [[ "$arg" != --results* ]] || { echo "repeat-case.sh sets --results itself (REPEAT_RESULTS)" >&2; exit 1; }
done
dir="${REPEAT_RESULTS:-$(mktemp -d /tmp/qb-repeat.XXXXXX)}"
mkdir -p "$dir"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# Sums over one run's records: lost (not expected), duplicated, completed_unconfirmed, violations, could_not_run.
tally='[.results[]] as $r | [
  ([$r[] | select(.details.loss_expected != true) | .jobs_lost] | add // 0),
  ([$r[] | .jobs_duplicated] | add // 0),
  ([$r[] | .details.completed_unconfirmed // 0] | add // 0),
  ([$r[] | select(.details.violation != null)] | length),
  ([$r[] | select(.details.could_not_run != null)] | length)
] | @tsv'

echo "repeat-case: $runs run(s) of: queuebench run $* (folders and logs in $dir)"
total_lost=0 total_dup=0 total_unconfirmed=0 lossy_runs=0 bad_exits=0 violation_runs=0 broken_runs=0
declare -A exits=()
for ((i = 1; i <= runs; i++)); do
  start=$EPOCHREALTIME
  set +e
  "$java" -jar "$jar" run "$@" --results "$dir/run-$i" >"$dir/run-$i.log" 2>&1
  status=$?
  set -e
  seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  exits[$status]=$(( ${exits[$status]:-0} + 1 ))
  json="$(find "$dir/run-$i" -name 'benchmark_results_*.json' 2>/dev/null | head -n 1 || true)"
  if [[ -z "$json" ]]; then
    echo "run $i/$runs: exit $status, no results JSON, ${seconds} s: $(tail -n 1 "$dir/run-$i.log")"
    broken_runs=$((broken_runs + 1))
    [[ $status -eq 0 ]] || bad_exits=$((bad_exits + 1))
    continue
  fi
  IFS=$'\t' read -r lost dup unconfirmed violations broken < <(jq -r "$tally" "$json")
  echo "run $i/$runs: exit $status, lost $lost, duplicated $dup, completed_unconfirmed $unconfirmed," \
    "violations $violations, could_not_run $broken, ${seconds} s"
  total_lost=$((total_lost + lost)) total_dup=$((total_dup + dup)) total_unconfirmed=$((total_unconfirmed + unconfirmed))
  [[ $lost -eq 0 ]] || { lossy_runs=$((lossy_runs + 1)); jq -r '.results[] | select(.jobs_lost > 0)
      | "  lost in \(.backend) \(.case): \(.details.lost_jobs // .lost_sample)"' "$json"; }
  [[ $violations -eq 0 ]] || violation_runs=$((violation_runs + 1))
  [[ $broken -eq 0 ]] || broken_runs=$((broken_runs + 1))
  [[ $status -eq 0 ]] || bad_exits=$((bad_exits + 1))
done

statuses=""
for status in "${!exits[@]}"; do statuses+=" exit $status: ${exits[$status]} run(s);"; done
echo "tally: $runs run(s);$statuses runs with a loss: $lossy_runs ($total_lost job(s) lost);" \
  "duplicated (redelivered) jobs: $total_dup; completed_unconfirmed: $total_unconfirmed;" \
  "runs with a violation: $violation_runs; runs without a result or with a case that could not run: $broken_runs"
[[ $lossy_runs -eq 0 && $bad_exits -eq 0 ]]
