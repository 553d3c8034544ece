#!/usr/bin/env bash
# ASHA vs plain random search on the bundled dataset (issue #6): the same 27 random trials (same
# seed, so trial n has the same parameters in both sweeps), each allowed 9 epochs; ASHA (eta 3,
# rungs at epochs 1 and 3) pauses weak trials at rungs and continues promoted ones from their
# checkpoints. Reports the best validation accuracy and the epochs trained by each.
#   bench/sweep/asha-vs-random.sh [trials] [epochs]     (defaults 27 and 9)
#       epochs: what every random trial trains and ASHA's max_resource (its rungs: 1, 3, ... below it);
#       3 leaves one rung at epoch 1 whose promoted trial continues to epoch 3 (.ci/bench-check.sh)
#   BENCH_PREPARED_WAREHOUSE=DIR bench/sweep/asha-vs-random.sh 3 3   a new warehouse starts as a copy of
#       DIR (a warehouse `bin/prepsweep prep` wrote) instead of its own prep (.ci/bench-check.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source bench/sweep/lib.sh
TRIALS="${1:-27}"
EPOCHS="${2:-9}"
OUT=bench/out
WH=bench/out/asha-warehouse
mkdir -p "$OUT"
bench_prepped "$WH" "$OUT/asha-prep.txt"
for mode in random asha; do
  if [[ $mode == asha ]]; then
    epochs=""; early="  early_terminate: {type: asha, min_resource: 1, max_resource: $EPOCHS, eta: 3}"
  else
    epochs=", epochs: $EPOCHS"; early=""
  fi
  cat > "$OUT/$mode.yaml" <<YAML
seed: 5
train: {hash_dim: 2048, batch_size: 64$epochs}
sweep:
  method: random
  metric: {name: val_accuracy, goal: maximize}
  parameters:
    lr: {distribution: log_uniform, min: 1.0e-5, max: 3.0e-2}
    hidden: {values: [16, 64, 256]}
    dropout: {distribution: uniform, min: 0.0, max: 0.6}
  budget: {trials: $TRIALS}
  parallelism: 2
$early
YAML
  bin/prepsweep sweep --config "$OUT/$mode.yaml" --warehouse "$WH" > "$OUT/asha-$mode.txt"
done
bin/prepsweep query --warehouse "$WH" "
  SELECT CASE WHEN s.config LIKE '%asha%' THEN 'asha' ELSE 'random' END AS search, s.sweep_id,
         ROUND(s.best_value, 4) AS best_val_accuracy, m.epochs_trained, s.trials_complete,
         ROUND((unix_millis(s.ended_at) - unix_millis(s.started_at)) / 1000.0, 1) AS wall_s
  FROM sweeps s JOIN (SELECT sweep_id, count(*) AS epochs_trained FROM
                        (SELECT DISTINCT sweep_id, trial_id, epoch FROM trial_metrics) GROUP BY sweep_id) m
       USING (sweep_id)
  ORDER BY s.started_at DESC LIMIT 2" | tee "$OUT/asha-vs-random.txt"
