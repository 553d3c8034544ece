#!/usr/bin/env bash
# Training benchmark: DJL (prepsweep's training loop) vs a hand-written PyTorch loop, one thread each,
# alternating in the same run. Usage, from the repository root:
#   bench/training/run.sh [rounds]            # default 3 rounds; each round = 1 PyTorch + 1 DJL process
#   BENCH_SAMPLES=2000 bench/training/run.sh 1  # a quick check of the harness (CI)
# The reference needs Debian's python3-torch (PyTorch 1.13), which bin/install-deps.sh bench-training
# installs (the script runs it; as root, otherwise it prints the command).
# Each process runs the benchmark 4 times: run 1 is the cold start (process start to first batch),
# run 4 the warm one (engine loaded, JIT warm, data in memory, as on a warm executor).
# Samples/s are of the warm runs; the ratio is taken per round (the two processes run back to back).
set -euo pipefail
rounds=${1:-3}
export BENCH_SAMPLES=${BENCH_SAMPLES:-50000}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=${BENCH_OUT:-/tmp/prepsweep-training-bench}
mkdir -p "$out/classes"
bin/install-deps.sh bench-training
# -am: the upstream modules come from this checkout (their classes), nothing from an installed copy;
# the last module of the reactor, training-udf, writes the class path file last.
mvn -B -o -q -pl training-udf -am compile dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test
cp="$root/training-udf/target/classes:$(cat "$out/cp.txt")"
javac -d "$out/classes" -cp "$cp" bench/training/src/dev/prepsweep/training/TrainingBench.java
: > "$out/results.jsonl"
for r in $(seq 1 "$rounds"); do
  /usr/bin/python3 bench/training/torch_mlp.py 4 | tee -a "$out/results.jsonl"
  java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dbench.samples="$BENCH_SAMPLES" -Xmx2g -cp "$out/classes:$cp" \
    dev.prepsweep.training.TrainingBench 4 2>/dev/null | grep '^{' | tee -a "$out/results.jsonl"
done
/usr/bin/python3 - "$out/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(impl, run, key):
    v = [r[key] for r in rows if r["impl"].startswith(impl) and r["run"] == run]
    return statistics.median(v), len(v)
print("\n| implementation | samples/s (warm, median) | first batch cold (ms) | first batch warm (ms) | n |")
print("| --- | ---: | ---: | ---: | ---: |")
res = {}
for impl in ("pytorch", "djl"):
    name = next(r["impl"] for r in rows if r["impl"].startswith(impl))
    sps, n = med(impl, 4, "samples_per_s")
    cold, _ = med(impl, 1, "first_batch_ms")
    warm, _ = med(impl, 4, "first_batch_ms")
    res[impl] = sps
    print(f"| {name} | {sps:,.0f} | {cold:,.0f} | {warm:,.0f} | {n} |")
ratios = []
for i in range(0, len(rows), 8):
    chunk = rows[i:i + 8]
    t = [r["samples_per_s"] for r in chunk if r["impl"].startswith("pytorch") and r["run"] == 4]
    d = [r["samples_per_s"] for r in chunk if r["impl"].startswith("djl") and r["run"] == 4]
    if t and d:
        ratios.append(d[0] / t[0])
print(f"\nDJL / PyTorch per round: {', '.join(f'{x:.2f}' for x in ratios)}; median {statistics.median(ratios):.2f}")
PY
