#!/usr/bin/env bash
# Sweep scheduling benchmark (issues #6, #17): 200 trials of about 1 s on the embedded two-executor
# cluster, heartbeats and the driver lease on (they always are); reports scheduling overhead per
# trial and training-slot utilisation, measured from the sweeps/trials tables each run wrote (busy =
# trial start to end inside the executor's task), over the whole sweep (sweep start to end,
# including the one-off pinning of the data snapshots) and over the farming window (first trial
# start to last trial end), then the medians over the runs, each next to the issue's targets
# (>= 98 % and <= 20 ms over the whole sweep) and the last idle-machine figures before issue #17's
# benchmark work (96.4 %, 52 ms; 2026-12-06).
#
#   bench/sweep/run.sh [trials] [runs]       (defaults 200 and 3)
#   LAUNCHERS="job slots" bench/sweep/run.sh 200 3
#       runs this checkout once per run with each sweep.launcher (labels job, slots), alternating, and prints
#       the ratio of the medians (slots / job)
#   REFERENCE=/path/to/other/checkout bench/sweep/run.sh 200 3
#       also runs that checkout's bin/prepsweep (built, e.g. a git worktree of an earlier commit),
#       alternating with this one (reference, this, reference, this, ...), so that the machine's load
#       hits both alike, and prints the ratio of the medians.
#
#   BENCH_PREPARED_WAREHOUSE=DIR bench/sweep/run.sh 4 1
#       takes its data tables from a copy of DIR (a warehouse `bin/prepsweep prep` wrote) instead of its
#       own prep (.ci/bench-check.sh preps once for all sweep harnesses)
#
# Every run starts from a copy of one prepped warehouse (data tables only, no results), so no run
# pays for the result tables earlier runs grew (docs/sweep-benchmark.md: MERGEs slow down as they grow).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source bench/sweep/lib.sh
TRIALS="${1:-200}"
RUNS="${2:-3}"
OUT=bench/out
mkdir -p "$OUT"
CONFIG="$ROOT/$OUT/scheduling.yaml"
sed "s/trials: 200/trials: $TRIALS/" bench/sweep/scheduling.yaml > "$CONFIG"
# one config per launcher asked for (sweep.launcher), beside the default one
for launcher in ${LAUNCHERS:-}; do
  sed "s/^  parallelism: 2$/  parallelism: 2\n  launcher: $launcher/" "$CONFIG" > "$ROOT/$OUT/scheduling-$launcher.yaml"
done
PREPPED="$OUT/sweep-prepped"
bench_prepped "$PREPPED" "$OUT/prep.txt"
RESULTS="$OUT/scheduling-runs.csv"
echo "label,run,load1,attempts,median_trial_s,sweep_wall_s,setup_s,farming_s,busy_slot_s,slots,util_sweep_pct,overhead_sweep_ms,util_farming_pct,overhead_farming_ms,command_s" > "$RESULTS"

# one sweep by the checkout in $1, labelled $2, run number $3 (config $4, default the benchmark's)
one_run() {
  local checkout="$1" label="$2" n="$3" config="${4:-$CONFIG}"
  local wh="$ROOT/$OUT/sweep-warehouse-$label"
  rm -rf "$wh"
  cp -r "$PREPPED" "$wh"
  local load start end sweep
  load=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  (cd "$checkout" && bin/prepsweep sweep --config "$config" --warehouse "$wh") > "$OUT/sweep-$label-$n.txt" 2> "$OUT/sweep-$label-$n.err"
  end=$(date +%s.%N)
  sweep=$(grep -o 'sweep sw-[^ ]*' "$OUT/sweep-$label-$n.txt" | sed -n 1p | cut -d' ' -f2)
  bin/prepsweep query --warehouse "$wh" --format csv "
    WITH s AS (SELECT sweep_id, parallelism, unix_millis(started_at) AS sweep_start, unix_millis(ended_at) AS sweep_end
               FROM sweeps WHERE sweep_id = '$sweep'),
         t AS (SELECT sweep_id, count(*) AS attempts, sum(duration_s) AS busy_s,
                      percentile_approx(duration_s, 0.5) AS median_trial_s,
                      min(unix_millis(started_at)) AS first_start, max(unix_millis(ended_at)) AS last_end
               FROM trials WHERE sweep_id = '$sweep' AND state <> 'RUNNING' GROUP BY sweep_id),
         w AS (SELECT t.*, s.parallelism, (s.sweep_end - s.sweep_start) / 1000.0 AS wall_s,
                      (t.first_start - s.sweep_start) / 1000.0 AS setup_s, (t.last_end - t.first_start) / 1000.0 AS farming_s
               FROM s JOIN t USING (sweep_id))
    SELECT attempts, ROUND(median_trial_s, 3), ROUND(wall_s, 1), ROUND(setup_s, 2), ROUND(farming_s, 1), ROUND(busy_s, 1),
           parallelism,
           ROUND(100 * busy_s / (wall_s * parallelism), 1),
           ROUND(1000 * (wall_s * parallelism - busy_s) / attempts, 0),
           ROUND(100 * busy_s / (farming_s * parallelism), 1),
           ROUND(1000 * (farming_s * parallelism - busy_s) / attempts, 0)
    FROM w" | sed -n 2p | tr -d '\r' | sed "s/^/$label,$n,$load,/;s/\$/,$(echo "$end - $start" | bc)/" >> "$RESULTS"
  tail -1 "$RESULTS"
}

for n in $(seq 1 "$RUNS"); do
  if [[ -n "${REFERENCE:-}" ]]; then
    one_run "$REFERENCE" reference "$n"
  fi
  if [[ -n "${LAUNCHERS:-}" ]]; then
    for launcher in $LAUNCHERS; do
      one_run "$ROOT" "$launcher" "$n" "$ROOT/$OUT/scheduling-$launcher.yaml"
    done
  else
    one_run "$ROOT" this "$n"
  fi
done
python3 bench/sweep/summary.py "$RESULTS" | tee "$OUT/scheduling-result.txt"
