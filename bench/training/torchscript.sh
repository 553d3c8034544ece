#!/usr/bin/env bash
# TorchScript benchmark: prepsweep's trial loop fine-tuning a TorchScript MLP (64-128-128-10, Adam, one
# thread) vs a plain PyTorch loop on the same module file, interleaved in one invocation (ABAB). From
# anywhere in a checkout (a fresh clone builds what it needs):
#   bench/training/torchscript.sh [rounds]              # default 3 rounds
#   BENCH_SAMPLES=2000 bench/training/torchscript.sh 1  # a quick check of the harness (CI)
# Each round runs each side at batch 128 (the figure compared) and batch 16; the per-step fixed cost is the
# intercept of time per step against batch size through those two points: (16 t128 - 128 t16) / (16 - 128).
# Each process runs 3 times and reports its last (warm) run, by the clock and per CPU-second of the
# training thread (epochs 2-5). Needs Debian's python3-torch (bin/install-deps.sh bench-training, which
# this script runs).
set -euo pipefail
rounds=${1:-3}
export BENCH_SAMPLES=${BENCH_SAMPLES:-50000}
source "$(dirname "$0")/lib.sh"
out=${BENCH_OUT:-/tmp/prepsweep-torchscript-bench}
bench_training_build "$out"
/usr/bin/python3 bench/training/torchscript_mlp.py write "$out/mlp.pt"
: > "$out/results.jsonl"
for r in $(seq 1 "$rounds"); do
  echo "round $r: $(uptime)" >&2
  for batch in 128 16; do
    /usr/bin/python3 bench/training/torchscript_mlp.py train "$out/mlp.pt" 3 "$batch" | tail -1 | sed "s/^{/{\"round\":$r,/" | tee -a "$out/results.jsonl"
    bench_java dev.prepsweep.training.TorchScriptBench "$out/mlp.pt" 3 "$batch" 2>/dev/null | grep '^{' | tail -1 \
      | sed "s/^{/{\"round\":$r,/" | tee -a "$out/results.jsonl"
  done
done
/usr/bin/python3 - "$out/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def pick(impl, batch, key):
    return [r[key] for r in rows if r["impl"].startswith(impl) and r["batch"] == batch]
def fixed(t128, t16):
    return (16 * t128 - 128 * t16) / (16 - 128)
print("\n| implementation | samples/s batch 128 (median) | per CPU-second b128 | ms/step b128 | ms/step b16 | fixed ms/step | fixed CPU ms/step | n |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for impl in ("pytorch", "djl"):
    name = next(r["impl"] for r in rows if r["impl"].startswith(impl))
    t128 = statistics.median(pick(impl, 128, "ms_per_step"))
    t16 = statistics.median(pick(impl, 16, "ms_per_step"))
    # the same intercept in the training thread's CPU time per step (less disturbed by a loaded machine)
    c128 = 128 * 1000 / statistics.median(pick(impl, 128, "cpu_samples_per_s"))
    c16 = 16 * 1000 / statistics.median(pick(impl, 16, "cpu_samples_per_s"))
    print(f"| {name} | {statistics.median(pick(impl, 128, 'samples_per_s')):,.0f} | "
          f"{statistics.median(pick(impl, 128, 'cpu_samples_per_s')):,.0f} | {t128:.3f} | {t16:.3f} | "
          f"{fixed(t128, t16):.3f} | {fixed(c128, c16):.3f} | {len(pick(impl, 128, 'samples_per_s'))} |")
for key, label in (("samples_per_s", "clock"), ("cpu_samples_per_s", "CPU time")):
    ratios = []
    for r in sorted({r["round"] for r in rows}):
        t = [x[key] for x in rows if x["round"] == r and x["batch"] == 128 and x["impl"].startswith("pytorch")]
        d = [x[key] for x in rows if x["round"] == r and x["batch"] == 128 and x["impl"].startswith("djl")]
        if t and d:
            ratios.append(d[0] / t[0])
    print(f"\nprepsweep (DJL, TorchScript) / PyTorch at batch 128 per round ({label}): "
          f"{', '.join(f'{x:.2f}' for x in ratios)}; median {statistics.median(ratios):.2f}")
PY
