#!/usr/bin/env bash
# Where the scheduling overhead goes (docs/sweep-benchmark.md, "Where the idle slot time goes"): one
# sweep of bench/sweep/scheduling.yaml with Spark's event log on, then breakdown.py splits each
# slot's idle time into set-up, task launch, result return, refill and tail from the event log's
# task times and the trials table's own start/end times, for the job launcher (sweep.launcher: job). The event log costs the driver a little
# CPU, so take the utilisation figures from run.sh, not from here.
#   bench/sweep/breakdown.sh [trials]     (default 200)
#   BENCH_PREPARED_WAREHOUSE=DIR bench/sweep/breakdown.sh 4   a new warehouse starts as a copy of DIR
#       (a warehouse `bin/prepsweep prep` wrote) instead of its own prep (.ci/bench-check.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source bench/sweep/lib.sh
TRIALS="${1:-200}"
OUT=bench/out
WH=bench/out/sweep-warehouse
mkdir -p "$OUT/eventlog"
CONFIG="$OUT/scheduling.yaml"
# launcher job: the breakdown reads each attempt's own Spark task from the event log (launch, return, refill),
# which only the job launcher has; a slot runner is one task for many trials (run.sh measures both launchers)
sed -e "s/trials: 200/trials: $TRIALS/" -e "s/^  parallelism: 2$/  parallelism: 2\n  launcher: job/" \
  bench/sweep/scheduling.yaml > "$CONFIG"
grep -q '^  launcher: job$' "$CONFIG" || { echo "breakdown.sh: could not set launcher: job in $CONFIG" >&2; exit 2; }
bench_prepped "$WH" "$OUT/prep.txt"
before=$(ls "$OUT/eventlog" | sort)
# SparkConf reads spark.* system properties; PREPSWEEP_DRIVER_MEMORY is the launcher's JVM options slot.
PREPSWEEP_DRIVER_MEMORY="-Xmx3g -Dspark.eventLog.enabled=true -Dspark.eventLog.dir=file://$ROOT/$OUT/eventlog -Dspark.eventLog.compress=false -Dspark.eventLog.rolling.enabled=false" \
  bin/prepsweep sweep --config "$CONFIG" --warehouse "$WH" > "$OUT/breakdown-sweep.txt" 2> "$OUT/breakdown-sweep.err"
LOG="$OUT/eventlog/$(comm -13 <(echo "$before") <(ls "$OUT/eventlog" | sort) | grep -v inprogress | tail -1)"
SWEEP=$(grep -o 'sweep sw-[^ ]*' "$OUT/breakdown-sweep.txt" | sed -n 1p | cut -d' ' -f2)
# one query (one JVM) for both: the attempts, each with its sweep's start and end (columns 7 and 8)
bin/prepsweep query --warehouse "$WH" --format csv --max-rows 100000 "
  SELECT t.sweep_id, t.trial_id, t.attempt, t.executor_id, unix_millis(t.started_at) AS started_ms,
         unix_millis(t.ended_at) AS ended_ms, unix_millis(s.started_at) AS sweep_start_ms, unix_millis(s.ended_at) AS sweep_end_ms
  FROM trials t JOIN sweeps s USING (sweep_id)
  WHERE t.sweep_id = '$SWEEP' AND t.state <> 'RUNNING' ORDER BY t.started_at" > "$OUT/breakdown-attempts.csv"
read -r START END < <(sed -n 2p "$OUT/breakdown-attempts.csv" | tr -d '\r' | cut -d, -f7,8 | tr ',' ' ')
echo "sweep $SWEEP, event log $LOG"
python3 bench/sweep/breakdown.py "$LOG" "$OUT/breakdown-attempts.csv" "$START" "$END"
