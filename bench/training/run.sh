#!/usr/bin/env bash
# Training benchmark: DJL (prepsweep's training loop) vs a hand-written PyTorch loop, one thread each,
# interleaved in one invocation (rounds of PyTorch then DJL: ABAB), so that a changing load hits both.
# Usage, from anywhere in a checkout (a fresh clone builds what it needs):
#   bench/training/run.sh [rounds]            # default 3 rounds; each round = 1 PyTorch + 1 DJL process
#   BENCH_SAMPLES=2000 bench/training/run.sh 1  # a quick check of the harness (CI)
# The reference needs Debian's python3-torch (PyTorch 1.13), which bin/install-deps.sh bench-training
# installs (the script runs it; as root, otherwise it prints the command).
# Each process runs the benchmark 4 times: run 1 is the cold start (process start to first batch),
# run 4 the warm one (engine loaded, JIT warm, data in memory, as on a warm executor).
# Samples/s are of the warm runs, by the clock and per CPU-second of the training thread (epochs 2-5;
# on a loaded machine the clock also counts waits for a core); ratios are taken per round.
set -euo pipefail
rounds=${1:-3}
export BENCH_SAMPLES=${BENCH_SAMPLES:-50000}
source "$(dirname "$0")/lib.sh"
out=${BENCH_OUT:-/tmp/prepsweep-training-bench}
bench_training_build "$out"
: > "$out/results.jsonl"
for r in $(seq 1 "$rounds"); do
  echo "round $r: $(uptime)" >&2
  /usr/bin/python3 bench/training/torch_mlp.py 4 | sed "s/^{/{\"round\":$r,/" | tee -a "$out/results.jsonl"
  bench_java dev.prepsweep.training.TrainingBench 4 2>/dev/null | grep '^{' | sed "s/^{/{\"round\":$r,/" \
    | tee -a "$out/results.jsonl"
done
/usr/bin/python3 - "$out/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(impl, run, key):
    v = [r[key] for r in rows if r["impl"].startswith(impl) and r["run"] == run]
    return statistics.median(v), len(v)
print("\n| implementation | samples/s (warm, median) | per CPU-second (warm, median) | first batch cold (ms) | first batch warm (ms) | n |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for impl in ("pytorch", "djl"):
    name = next(r["impl"] for r in rows if r["impl"].startswith(impl))
    sps, n = med(impl, 4, "samples_per_s")
    cpu, _ = med(impl, 4, "cpu_samples_per_s")
    cold, _ = med(impl, 1, "first_batch_ms")
    warm, _ = med(impl, 4, "first_batch_ms")
    print(f"| {name} | {sps:,.0f} | {cpu:,.0f} | {cold:,.0f} | {warm:,.0f} | {n} |")
for key, label in (("samples_per_s", "clock"), ("cpu_samples_per_s", "CPU time")):
    ratios = []
    for r in sorted({x["round"] for x in rows}):
        t = [x[key] for x in rows if x["round"] == r and x["run"] == 4 and x["impl"].startswith("pytorch")]
        d = [x[key] for x in rows if x["round"] == r and x["run"] == 4 and x["impl"].startswith("djl")]
        if t and d:
            ratios.append(d[0] / t[0])
    print(f"\nDJL / PyTorch per round ({label}): {', '.join(f'{x:.2f}' for x in ratios)}; median {statistics.median(ratios):.2f}")
PY
