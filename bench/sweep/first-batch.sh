#!/usr/bin/env bash
# Time from sweep start to the first trial's first training batch (issue #16's benchmark), on the
# embedded two-executor cluster: RUNS sweeps of two one-epoch trials on the bundled data's prep.
#   bench/sweep/first-batch.sh [RUNS]                      this checkout (default 3 runs)
#   PREPSWEEP_ROOT=DIR bench/sweep/first-batch.sh [RUNS]   the checkout DIR (e.g. an older commit), same script
#   BENCH_PREPARED_WAREHOUSE=DIR bench/sweep/first-batch.sh 1   a new warehouse starts as a copy of DIR (a
#       warehouse `bin/prepsweep prep` wrote) instead of its own prep (.ci/bench-check.sh)
# Per run it prints: command start -> sweep start (JVM, Spark and cluster start; sweeps.started_at),
# sweep start -> first trial task start (pinning and checking the data versions, scheduling;
# trials.started_at), task start -> first batch (the task reads its pinned rows and builds the model;
# the executor's "first batch N ms after the task started" line), and their sum from sweep start.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROOT="$(cd "${PREPSWEEP_ROOT:-$HERE}" && pwd)"
RUNS="${1:-3}"
OUT="$ROOT/bench/out/first-batch"
WH="$OUT/warehouse"
CONFIG="$OUT/first-batch.yaml"
mkdir -p "$OUT"
sed "s:^warehouse\: .*:warehouse\: $WH:" "$HERE/bench/sweep/first-batch.yaml" > "$CONFIG"
cd "$ROOT"
source "$HERE/bench/sweep/lib.sh"
bench_prepped "$WH" "$OUT/prep.txt"
# executors inherit the environment of the driver (their Worker runs inside it): the trial task's
# INFO line goes to their stderr under the Spark home's work/ folder
export LOG4J_CONFIGURATION_FILE="$HERE/bench/sweep/executor-log4j2.properties"
WORK="$ROOT/app/target/spark-home/work"
for i in $(seq 1 "$RUNS"); do
  t0=$(date +%s%3N)
  bin/prepsweep sweep --config "$CONFIG" --warehouse "$WH" > "$OUT/sweep-$i.txt"
  SWEEP=$(grep -o 'sweep sw-[^ ]*' "$OUT/sweep-$i.txt" | sed -n 1p | cut -d' ' -f2)
  APP=$(ls -td "$WORK"/app-* | sed -n 1p)
  grep -h 'first batch' "$APP"/*/stderr > "$OUT/first-batch-$i.log" || true
  bin/prepsweep query --warehouse "$WH" --max-rows 10 "
    SELECT concat('FB;', t.trial_id, ';', t.attempt, ';', unix_millis(t.started_at), ';', unix_millis(s.started_at)) AS fb
    FROM trials t JOIN sweeps s USING (sweep_id) WHERE sweep_id = '$SWEEP'" > "$OUT/times-$i.txt"
  /usr/bin/python3 - "$t0" "$OUT/times-$i.txt" "$OUT/first-batch-$i.log" "$i" <<'PY'
import re, sys
t0, times, log, run = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
started, sweep = {}, None
for m in re.finditer(r"FB;(\d+);(\d+);(\d+);(\d+)", open(times).read()):
    started[(m[1], m[2])] = int(m[3]); sweep = int(m[4])
batches = [started[(m[1], m[2])] + int(m[3])
           for m in re.finditer(r"trial (\d+) attempt (\d+): first batch (\d+) ms", open(log).read())
           if (m[1], m[2]) in started]
if sweep is None or not batches:
    sys.exit(f"run {run}: no trial times or no first-batch line (see {times}, {log})")
first = min(batches)
task = min(started.values())
print(f"run {run}: command->sweep start {(sweep - t0) / 1000:.1f} s, sweep start->first task {(task - sweep) / 1000:.1f} s, "
      f"first task->first batch {(first - task) / 1000:.1f} s, sweep start->first batch {(first - sweep) / 1000:.1f} s, "
      f"command->first batch {(first - t0) / 1000:.1f} s")
PY
done
