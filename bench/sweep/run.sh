#!/usr/bin/env bash
# Sweep scheduling benchmark (issue #6): 200 trials of about 1 s on the embedded two-executor
# cluster; reports scheduling overhead per trial and training-slot utilisation, measured from the
# sweeps/trials tables the run wrote (busy = trial start to end inside the executor's task), over
# the whole sweep (sweep start to end, including the one-off pinning of the data snapshots) and over
# the farming window (first trial start to last trial end, where per-trial scheduling is all there is).
#   bench/sweep/run.sh [trials]        (default 200; prep of the bundled data runs first if needed)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
TRIALS="${1:-200}"
OUT=bench/out
mkdir -p "$OUT"
CONFIG="$OUT/scheduling.yaml"
sed "s/trials: 200/trials: $TRIALS/" bench/sweep/scheduling.yaml > "$CONFIG"
WH=bench/out/sweep-warehouse
if [[ ! -d "$WH/train" ]]; then
  bin/prepsweep prep --warehouse "$WH" > "$OUT/prep.txt"
fi
start=$(date +%s.%N)
bin/prepsweep sweep --config "$CONFIG" --warehouse "$WH" > "$OUT/sweep.txt"
end=$(date +%s.%N)
SWEEP=$(grep -o 'sweep sw-[^ ]*' "$OUT/sweep.txt" | sed -n 1p | cut -d' ' -f2)
bin/prepsweep query --warehouse "$WH" --max-rows 5 "
  WITH s AS (SELECT sweep_id, parallelism, unix_millis(started_at) AS sweep_start, unix_millis(ended_at) AS sweep_end
             FROM sweeps WHERE sweep_id = '$SWEEP'),
       t AS (SELECT sweep_id, count(*) AS attempts, sum(duration_s) AS busy_s,
                    percentile_approx(duration_s, 0.5) AS median_trial_s,
                    min(unix_millis(started_at)) AS first_start, max(unix_millis(ended_at)) AS last_end
             FROM trials WHERE sweep_id = '$SWEEP' AND state <> 'RUNNING' GROUP BY sweep_id),
       w AS (SELECT t.*, s.parallelism, (s.sweep_end - s.sweep_start) / 1000.0 AS wall_s,
                    (t.first_start - s.sweep_start) / 1000.0 AS setup_s, (t.last_end - t.first_start) / 1000.0 AS farming_s
             FROM s JOIN t USING (sweep_id))
  SELECT attempts, ROUND(median_trial_s, 3) AS median_trial_s, ROUND(wall_s, 1) AS sweep_wall_s,
         ROUND(setup_s, 1) AS setup_s, ROUND(farming_s, 1) AS farming_s, ROUND(busy_s, 1) AS busy_slot_s,
         parallelism AS slots,
         ROUND(100 * busy_s / (wall_s * parallelism), 1) AS util_sweep_pct,
         ROUND(1000 * (wall_s * parallelism - busy_s) / attempts, 0) AS overhead_sweep_ms,
         ROUND(100 * busy_s / (farming_s * parallelism), 1) AS util_farming_pct,
         ROUND(1000 * (farming_s * parallelism - busy_s) / attempts, 0) AS overhead_farming_ms
  FROM w" | tee "$OUT/scheduling-result.txt"
echo "command wall time: $(echo "$end - $start" | bc) s (includes JVM and Spark start)"
