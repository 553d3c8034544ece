#!/usr/bin/env bash
# One large input file against the same records in several files: each input file is scanned by one
# Spark task (RecordScanner streams it whole), so the read + clean stage of one file uses one core.
#   bench/prep/files.sh [ROWS] [PARTS]     # default 200000 rows, 2 parts
# Runs bench/prep/run.sh ROWS --no-reference (build, data, the one-file prep), splits its CSV into
# PARTS files (each with the header) in one folder, runs the same prep on the folder, and prints
# both runs' read + clean and end-to-end seconds (prep_runs.duration_ms, as run.sh reports them).
#   BENCH_REUSE_ONE_FILE=yes bench/prep/files.sh 2000 2
#       takes the one-file run from a bench/prep/run.sh ROWS that just ran with the same BENCH_OUT (its
#       jars, CSV and prepsweep-ROWS.json) instead of running it again (.ci/bench-check.sh); fails if
#       that run's results are missing
set -euo pipefail
ROWS=${1:-200000}
PARTS=${2:-2}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${BENCH_OUT:-$ROOT/bench/prep/target}
if [[ "${BENCH_REUSE_ONE_FILE:-}" == yes ]]; then
  for f in "$OUT/cp-reactor.txt" "$OUT/lib/prepsweep-etl.jar" "$OUT/classes/dev/prepsweep/bench/PrepBench.class" \
      "$OUT/rows-$ROWS.csv" "$OUT/prepsweep-$ROWS.json"; do
    [[ -s "$f" ]] || { echo "BENCH_REUSE_ONE_FILE=yes but $f is missing: run bench/prep/run.sh $ROWS with BENCH_OUT=$OUT first" >&2; exit 2; }
  done
else
  "$ROOT/bench/prep/run.sh" "$ROWS" --no-reference
fi
DATA="$OUT/rows-$ROWS.csv"
DIR="$OUT/rows-$ROWS-in-$PARTS"
rm -rf "$DIR" && mkdir -p "$DIR"
LINES=$(( ($(wc -l < "$DATA") - 1 + PARTS - 1) / PARTS ))
tail -n +2 "$DATA" | split -d -l "$LINES" --additional-suffix=.body - "$DIR/part-"
for body in "$DIR"/part-*.body; do
  { head -1 "$DATA"; cat "$body"; } > "${body%.body}.csv" && rm "$body"
done
CP_DEPS=""   # run.sh's class path: the reactor jars it copied to $OUT/lib, the rest from ~/.m2
for jar in $(tr ':' ' ' < "$OUT/cp-reactor.txt"); do
  case "$jar" in
    "$ROOT"/*) CP_DEPS="$CP_DEPS:$OUT/lib/$(basename "$jar")" ;;
    *) CP_DEPS="$CP_DEPS:$jar" ;;
  esac
done
CP="$OUT/classes:$OUT/lib/prepsweep-etl.jar$CP_DEPS"
FLAGS=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$ROOT/pom.xml")
export SPARK_LOCAL_IP=127.0.0.1
rm -rf "$OUT/warehouse-$ROWS-in-$PARTS"
java $FLAGS -Xmx"${BENCH_HEAP:-2g}" -Dbench.cores="${BENCH_CORES:-2}" -Dbench.runs=1 \
  -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" -cp "$CP" dev.prepsweep.bench.PrepBench \
  "$DIR" "$OUT/warehouse-$ROWS-in-$PARTS" "$OUT/prepsweep-$ROWS-in-$PARTS.json" 42 2> "$OUT/prepsweep-$ROWS-in-$PARTS.log"
/usr/bin/python3 - "$OUT/prepsweep-$ROWS.json" "$OUT/prepsweep-$ROWS-in-$PARTS.json" "$PARTS" <<'PY'
import json, sys
one, many, parts = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
print("| input | rows read | read + clean s | end to end s |")
print("| --- | ---: | ---: | ---: |")
for name, r in (("1 file", one), (parts + " files", many)):
    print(f"| {name} | {r['rows_read']:,} | {r['read_clean_s']:.2f} | {r['end_to_end_s']:.2f} |")
print(f"read + clean, 1 file / {parts} files: {one['read_clean_s'] / many['read_clean_s']:.2f}x")
PY
