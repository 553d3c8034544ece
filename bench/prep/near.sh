#!/usr/bin/env bash
# Near-dedupe benchmark: the banded MinHash against MLlib's MinHashLSH self-join (the old method) in
# one JVM, on generated short texts; prints per-run times, medians and the ratio.
#   bench/prep/near.sh [ROWS...]            # default 15000
#   BENCH_RUNS=3 BENCH_OLD=false bench/prep/near.sh 100000 1000000   # new method only, scaling
# Builds from a fresh clone without 'mvn install': the reactor packages etl and its upstream
# modules into their target folders and writes etl's classpath (reactor jars included) to a file.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${BENCH_OUT:-$ROOT/bench/prep/target/near}
mkdir -p "$OUT/classes"
mvn -B -q -f "$ROOT/pom.xml" -pl etl -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=compile -Dmdep.outputFile="$OUT/cp.txt"
CP="$OUT/classes:$ROOT/etl/target/classes:$(cat "$OUT/cp.txt")"
javac -d "$OUT/classes" -cp "$CP" "$ROOT"/bench/prep/src/dev/prepsweep/bench/*.java
FLAGS=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$ROOT/pom.xml")
export SPARK_LOCAL_IP=127.0.0.1
java $FLAGS -Xmx${BENCH_HEAP:-2g} -Dbench.cores=${BENCH_CORES:-2} -Dbench.runs=${BENCH_RUNS:-3} \
  -Dbench.old=${BENCH_OLD:-true} -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
  -cp "$CP" dev.prepsweep.bench.NearBench "${@:-15000}"
