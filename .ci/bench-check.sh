#!/usr/bin/env bash
# Every bench/ script in a short mode, in THIS checkout: a harness that no longer builds or runs fails
# here instead of the day someone needs its figures. The sweep benchmarks run with no network at all
# (their own network namespace, loopback only) and an empty DJL cache: prepsweep downloads nothing at
# run time, the PyTorch natives come from the jars Maven fetched. The other scripts may let Maven fetch
# the plugins they use; their Python references come from Debian (bin/install-deps.sh).
# Every harness runs even when an earlier one failed, so one run lists all that fail; any failure
# fails the script at the end.
#   .ci/bench-check.sh    (run by .ci/run in CI's own checkout, and by .ci/fresh-clone.sh in a fresh one)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SCRATCH="$(mktemp -d /tmp/prepsweep-bench-check.XXXXXX)"
trap 'rm -rf "$SCRATCH"' EXIT

step() {
  local t0=$SECONDS rc=0
  echo "== bench check: $*"
  "$@" || rc=$?
  echo "== bench check: $* : $((SECONDS - t0)) s, exit code $rc"
  return $rc
}
# Runs a command in a new network namespace with only loopback up: nothing outside this machine.
no_network() {
  unshare --net bash -c 'ip link set lo up && exec "$@"' no-network "$@"
}

BENCH_FAILED=()
bench_check() {
  if ! step "$@"; then
    BENCH_FAILED+=("$*")
    echo "== bench check: FAILED: $*"
  fi
}
# The sweep harnesses share one prep of the bundled data: each copies it (BENCH_PREPARED_WAREHOUSE) and
# sweeps its own copy, instead of four preps. It runs on local[2]: the prep needs no executor JVMs, and
# the embedded cluster's prep is the README's first command, which CI runs before. Should this prep
# fail, each harness runs its own.
if bench_check no_network bin/prepsweep prep --master 'local[2]' --warehouse "$SCRATCH/sweep-prepared"; then
  export BENCH_PREPARED_WAREHOUSE="$SCRATCH/sweep-prepared"
fi
DJL_CACHE_DIR="$SCRATCH/djl-offline" bench_check no_network bench/sweep/run.sh 4 1
# 3 trials of at most 3 epochs: ASHA still pauses trials at its one rung (epoch 1) and takes the best on to epoch 3
DJL_CACHE_DIR="$SCRATCH/djl-offline" bench_check no_network bench/sweep/asha-vs-random.sh 3 3
DJL_CACHE_DIR="$SCRATCH/djl-offline" bench_check no_network bench/sweep/breakdown.sh 4
DJL_CACHE_DIR="$SCRATCH/djl-offline" bench_check no_network bench/sweep/first-batch.sh 1
unset BENCH_PREPARED_WAREHOUSE

# files.sh's one-file run is run.sh's own: it reuses the run.sh before it (same BENCH_OUT) instead of repeating it
BENCH_OUT="$SCRATCH/prep-bench" bench_check bench/prep/run.sh 2000
BENCH_RUNS=1 BENCH_HEAP=1g bench_check bench/prep/near.sh 300
BENCH_OUT="$SCRATCH/prep-bench" BENCH_REUSE_ONE_FILE=yes bench_check bench/prep/files.sh 2000 2
BENCH_SAMPLES=2000 BENCH_OUT="$SCRATCH/training-bench" bench_check bench/training/run.sh 1
BENCH_SAMPLES=2000 BENCH_OUT="$SCRATCH/torchscript-bench" bench_check bench/training/torchscript.sh 1
bench_check bench/optimizer/run.sh --functions branin --budgets 10 --seeds 1 --timing tpe:20,optuna-tpe:20
bench_check bench/optimizer/run.sh --in-process 'tpe;random' 10 2 branin
if [[ ${#BENCH_FAILED[@]} -gt 0 ]]; then
  echo "== bench check: harnesses that failed (${#BENCH_FAILED[@]}):"
  printf '   %s\n' "${BENCH_FAILED[@]}"
  exit 1
fi
echo "== bench check: every bench harness ran"
