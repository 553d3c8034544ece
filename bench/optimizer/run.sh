#!/usr/bin/env bash
# Optimizer benchmark: prepsweep's samplers (through the ask/tell protocol) against Optuna, from the
# repository's sweep module. Builds it, installs Optuna (Debian's python3-optuna, through
# bin/install-deps.sh bench-optimizer: as root, otherwise it prints the command), then runs run.py
# with the arguments given (`bench/optimizer/run.sh --help` lists them); with --in-process, the
# in-process tuning harness InProcessBench.java instead (its header says how).
#   bench/optimizer/run.sh --samplers tpe,gp,random,sobol,optuna-tpe --budgets 50,100 --seeds 10
#   bench/optimizer/run.sh --functions branin --budgets 10 --seeds 1 --timing tpe:20   # quick check (CI)
#   bench/optimizer/run.sh --in-process timing tpe:100 tpe:1000 gp:100 random:1000
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
OUT="${BENCH_OUT:-$ROOT/bench/optimizer/target}"
mkdir -p "$OUT"
# -am: the upstream modules come from this checkout; sweep, the reactor's last, writes the file last.
mvn -B -o -q -pl sweep -am compile dependency:build-classpath -Dmdep.outputFile="$OUT/sweep.cp"
CP="$ROOT/sweep/target/classes:$(cat "$OUT/sweep.cp")"
if [[ "${1:-}" == "--in-process" ]]; then
  shift
  exec java -cp "$CP" bench/optimizer/InProcessBench.java "$@"
fi
bin/install-deps.sh bench-optimizer
# Debian's python, which sees the packages apt installs (a pyenv python3 on the PATH does not).
exec /usr/bin/python3 bench/optimizer/run.py --classpath "$CP" "$@"
