#!/usr/bin/env bash
# The README's first command and every bench/ script as a new user meets them: in a fresh clone of
# this checkout's HEAD, with an EMPTY Maven repository and DJL cache, so a dependency missing from the
# build, or something fetched at run time, cannot hide behind this machine's warm caches.
#   1. bin/prepsweep run (Maven builds into the empty repository, the main job runs)
#   2. the sweep benchmarks, short, with no network at all (their own network namespace, loopback
#      only) and another empty DJL cache: prepsweep downloads nothing at run time, the PyTorch
#      natives come from the jars Maven fetched
#   3. the other bench/ scripts, short (Maven may fetch the plugins they use; their Python references
#      come from Debian, bin/install-deps.sh)
#   .ci/fresh-clone.sh [DIR]    (default: a new folder under /tmp, removed at the end)
# The empty repository and cache are passed as a user would (README, "Two commands"):
# MAVEN_OPTS=-Dmaven.repo.local=DIR and DJL_CACHE_DIR=DIR.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ $# -gt 0 ]]; then
  WORK="$1"
  mkdir -p "$WORK"
else
  WORK="$(mktemp -d /tmp/prepsweep-fresh-clone.XXXXXX)"
  trap 'rm -rf "$WORK"' EXIT
fi
git clone -q "$ROOT" "$WORK/prepsweep"
cd "$WORK/prepsweep"
export MAVEN_OPTS="${MAVEN_OPTS:-} -Dmaven.repo.local=$WORK/m2"
export DJL_CACHE_DIR="$WORK/djl"
echo "fresh-clone: $(git log -1 --format='%h %s' | cut -c1-80) in $PWD; Maven repository $WORK/m2, DJL cache $DJL_CACHE_DIR"

step() {
  local t0=$SECONDS rc=0
  echo "== fresh clone: $*"
  "$@" || rc=$?
  echo "== fresh clone: $* : $((SECONDS - t0)) s, exit code $rc"
  return $rc
}
# Runs a command in a new network namespace with only loopback up: nothing outside this machine.
no_network() {
  unshare --net bash -c 'ip link set lo up && exec "$@"' no-network "$@"
}

# The README's first command must pass: its failure fails CI.
step bin/prepsweep run

# The benchmark harnesses, short. Every one runs even when an earlier one failed, so one CI run
# lists all that fail; any failure fails CI at the end (they all passed from a fresh clone with empty
# caches on 2026-12-06, tenth session, before this became fatal).
BENCH_FAILED=()
bench_check() {
  if ! step "$@"; then
    BENCH_FAILED+=("$*")
    echo "== fresh clone: BENCH CHECK FAILED: $*"
  fi
}
DJL_CACHE_DIR="$WORK/djl-offline" bench_check no_network bench/sweep/run.sh 4 1
DJL_CACHE_DIR="$WORK/djl-offline" bench_check no_network bench/sweep/asha-vs-random.sh 3
DJL_CACHE_DIR="$WORK/djl-offline" bench_check no_network bench/sweep/breakdown.sh 4
DJL_CACHE_DIR="$WORK/djl-offline" bench_check no_network bench/sweep/first-batch.sh 1

bench_check bench/prep/run.sh 2000
BENCH_RUNS=1 BENCH_HEAP=1g bench_check bench/prep/near.sh 300
bench_check bench/prep/files.sh 2000 2
BENCH_SAMPLES=2000 BENCH_OUT="$WORK/training-bench" bench_check bench/training/run.sh 1
BENCH_SAMPLES=2000 BENCH_OUT="$WORK/torchscript-bench" bench_check bench/training/torchscript.sh 1
bench_check bench/optimizer/run.sh --functions branin --budgets 10 --seeds 1 --timing tpe:20,optuna-tpe:20
bench_check bench/optimizer/run.sh --in-process 'tpe;random' 10 2 branin
if [[ ${#BENCH_FAILED[@]} -gt 0 ]]; then
  echo "== fresh clone: bench harnesses that failed (${#BENCH_FAILED[@]}):"
  printf '   %s\n' "${BENCH_FAILED[@]}"
  exit 1
fi
echo "== fresh clone: every bench harness ran"
