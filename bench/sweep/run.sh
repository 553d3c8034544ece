#!/usr/bin/env bash
# Sweep scheduling benchmark (issue #6): 200 trials of about 1 s on the embedded two-executor
# cluster; reports scheduling overhead per trial and training-slot utilisation, measured from the
# sweeps/trials tables the run wrote (trial time = task start to task end on the executor).
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
SWEEP=$(grep -o 'sweep sw-[^ ]*' "$OUT/sweep.txt" | head -1 | cut -d' ' -f2)
bin/prepsweep query --warehouse "$WH" --max-rows 5 "
  WITH s AS (SELECT sweep_id, parallelism, (unix_millis(ended_at) - unix_millis(started_at)) / 1000.0 AS wall_s
             FROM sweeps WHERE sweep_id = '$SWEEP'),
       t AS (SELECT sweep_id, count(*) AS attempts, sum(duration_s) AS busy_s,
                    percentile_approx(duration_s, 0.5) AS median_trial_s
             FROM trials WHERE sweep_id = '$SWEEP' AND state <> 'RUNNING' GROUP BY sweep_id)
  SELECT t.attempts, ROUND(t.median_trial_s, 3) AS median_trial_s, ROUND(s.wall_s, 1) AS sweep_wall_s,
         ROUND(t.busy_s, 1) AS busy_slot_s, s.parallelism AS slots,
         ROUND(100 * t.busy_s / (s.wall_s * s.parallelism), 1) AS utilisation_pct,
         ROUND(1000 * (s.wall_s * s.parallelism - t.busy_s) / t.attempts, 0) AS overhead_ms_per_trial
  FROM s JOIN t USING (sweep_id)" | tee "$OUT/scheduling-result.txt"
echo "command wall time: $(echo "$end - $start" | bc) s (includes JVM and Spark start)"
