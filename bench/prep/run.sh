#!/usr/bin/env bash
# Prep benchmark: prepsweep (Spark local[2], driver heap capped at 2 GiB) against pandas +
# scikit-learn + imbalanced-learn on the same generated CSV.
#   bench/prep/run.sh [ROWS] [--no-reference]
#   BENCH_RUNS=4 bench/prep/run.sh 1000000   # also: 3 more prepsweep runs in the same (warm) JVM
# Needs: Java 17, Maven (offline is fine once the build resolved), and for the reference Debian's
# python3-pandas python3-sklearn python3-imblearn (installed when missing: bin/install-deps.sh bench-prep).
#   bench/prep/run.sh 2000    # a quick check of the harness (CI)
set -euo pipefail
ROWS=${1:-1000000}
REFERENCE=yes
[[ "${2:-}" == "--no-reference" ]] && REFERENCE=no
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${BENCH_OUT:-$ROOT/bench/prep/target}
CORES=${BENCH_CORES:-2}
HEAP=${BENCH_HEAP:-2g}
RUNS=${BENCH_RUNS:-1}
mkdir -p "$OUT/classes" "$OUT/lib"

# 1. build the etl module and the modules it needs in this checkout (no install: the local Maven
# repository is shared, and a fresh clone must bench its own code), and pin a copy of their jars and
# of etl's classpath for this run. In one reactor, build-classpath names the sibling modules' jars
# under their target/; each module writes the list in turn and etl, built last, writes it last.
mvn -B -q -f "$ROOT/pom.xml" -pl etl -am package -DskipTests dependency:build-classpath \
  -Dmdep.includeScope=compile -Dmdep.outputFile="$OUT/cp-reactor.txt"
CP_DEPS=""
for jar in $(tr ':' ' ' < "$OUT/cp-reactor.txt"); do
  case "$jar" in
    "$ROOT"/*) cp "$jar" "$OUT/lib/"; CP_DEPS="$CP_DEPS:$OUT/lib/$(basename "$jar")" ;;
    *) CP_DEPS="$CP_DEPS:$jar" ;;
  esac
done
cp "$ROOT"/etl/target/prepsweep-etl-*.jar "$OUT/lib/prepsweep-etl.jar"
CP="$OUT/classes:$OUT/lib/prepsweep-etl.jar$CP_DEPS"
javac -q -d "$OUT/classes" -cp "$CP" "$ROOT"/bench/prep/src/dev/prepsweep/bench/*.java 2>/dev/null \
  || javac -d "$OUT/classes" -cp "$CP" "$ROOT"/bench/prep/src/dev/prepsweep/bench/*.java

FLAGS=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$ROOT/pom.xml")
JAVA=(java $FLAGS -Xmx"$HEAP" -Dbench.cores="$CORES" -Dbench.runs="$RUNS" -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" -cp "$CP")
export SPARK_LOCAL_IP=127.0.0.1

# 2. data
DATA="$OUT/rows-$ROWS.csv"
[[ -s "$DATA" ]] || "${JAVA[@]}" dev.prepsweep.bench.GenerateRows "$ROWS" "$DATA" 1

# 3. prepsweep
rm -rf "$OUT/warehouse-$ROWS" "$OUT/prepsweep-$ROWS-warm.json"
/usr/bin/time -v "${JAVA[@]}" dev.prepsweep.bench.PrepBench "$DATA" "$OUT/warehouse-$ROWS" "$OUT/prepsweep-$ROWS.json" 42 \
  2> "$OUT/prepsweep-$ROWS.log" || { tail -50 "$OUT/prepsweep-$ROWS.log"; exit 1; }
grep -E "Maximum resident|Elapsed" "$OUT/prepsweep-$ROWS.log" || true

# 4. reference
if [[ $REFERENCE == yes ]]; then
  "$ROOT/bin/install-deps.sh" bench-prep   # Debian's pandas, scikit-learn, imbalanced-learn when missing
  /usr/bin/python3 "$ROOT/bench/prep/reference.py" "$DATA" "$OUT/reference-$ROWS.json" 42
fi

# 5. table
/usr/bin/python3 "$ROOT/bench/prep/report.py" "$OUT" "$ROWS"
