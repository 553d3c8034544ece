# Shared by bench/training/run.sh and torchscript.sh (sourced, after `set -euo pipefail`): the build
# and class-path prelude, and the JVM both run. Works from a fresh clone with nothing installed.
#   bench_training_build OUT     builds training-udf and its upstream modules from this checkout,
#                                compiles bench/training/src into OUT/classes, sets BENCH_CP
#   bench_java CLASS ARGS...     runs a bench class with one intra-op and one inter-op thread
# BENCH_ROOT is the repository root; the caller's working directory becomes it.
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$BENCH_ROOT"

bench_training_build() {
  local out="$1"
  mkdir -p "$out/classes"
  bin/install-deps.sh bench-training
  # -am: the upstream modules (common, ...) come from this checkout as classes, nothing from an
  # installed copy. Each module of the reactor writes the class-path file in turn; training-udf,
  # built last, writes it last. Offline first (no network, fast); a fresh Maven repository lacks
  # plugins, so then once online.
  local build=(mvn -B -q -pl training-udf -am compile dependency:build-classpath
    -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test)
  if ! "${build[@]}" -o >"$out/build.log" 2>&1; then
    echo "bench/training: offline build failed (last lines below), building online" >&2
    tail -5 "$out/build.log" >&2
    "${build[@]}"
  fi
  BENCH_CP="$BENCH_ROOT/training-udf/target/classes:$(cat "$out/cp.txt")"
  rm -rf "$out/classes" && mkdir -p "$out/classes"
  javac -d "$out/classes" -cp "$BENCH_CP" "$BENCH_ROOT"/bench/training/src/dev/prepsweep/training/*.java
  BENCH_CP="$out/classes:$BENCH_CP"
}

# One intra-op and one inter-op thread (two threads on a busy 2-core machine ran 10x slower, STACK.md);
# the DJL natives come from the pytorch-native jar on the class path (offline). Engine warnings go to
# stderr, which the scripts drop; the bench classes print JSON lines on stdout.
bench_java() {
  java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
    -Dbench.samples="${BENCH_SAMPLES:-50000}" -Xmx2g -cp "$BENCH_CP" "$@"
}
