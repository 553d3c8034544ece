#!/usr/bin/env bash
# Executes every notebook in notebooks/ headless with a Java (JShell) Jupyter kernel against the
# warehouse the main job filled, writing executed copies (with their plots) to notebooks/out/.
# Fails when a cell fails or a notebook shows no chart.
#
#   notebooks/run-notebooks.sh            build if needed, set up the kernel, execute all notebooks
#   notebooks/run-notebooks.sh --setup    only set up the kernel; prints how to open Jupyter with it
#
# Environment: PREPSWEEP_WAREHOUSE (default <repo>/warehouse), PREPSWEEP_SWEEP_ID and
# PREPSWEEP_PREP_RUN_ID (default: the latest), PREPSWEEP_NOTEBOOK_JAVA (a Java 21+ binary; default
# Temurin 25). Installs Debian's jupyter-nbconvert and python3-ipykernel when missing
# (bin/install-deps.sh notebooks); Maven fetches the kernel jar (io.github.padreati:rapaio-jupyter-kernel)
# and Hadoop's client jars once into ~/.m2.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/bin/lib.sh"
NB="$ROOT/notebooks"
OUT="$NB/out"
RJK_VERSION=3.0.1
# Java 25 fails in Hadoop 3.4.1's UserGroupInformation ("getSubject is not supported"); 3.4.3 works.
HADOOP_VERSION=3.4.3
JAVA_NB="${PREPSWEEP_NOTEBOOK_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
export PREPSWEEP_WAREHOUSE="${PREPSWEEP_WAREHOUSE:-$ROOT/warehouse}"

[[ -x "$JAVA_NB" ]] || { echo "run-notebooks: no Java at $JAVA_NB; install Temurin 25 or set PREPSWEEP_NOTEBOOK_JAVA" >&2; exit 2; }
# Debian's Jupyter (installed here when missing, as root; otherwise this names the command and stops)
"$ROOT/bin/install-deps.sh" notebooks || exit 2

prepsweep_build_if_needed
mkdir -p "$OUT/kernel" "$OUT/lib"
for artifact in "io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION" \
    "org.apache.hadoop:hadoop-client-api:$HADOOP_VERSION" "org.apache.hadoop:hadoop-client-runtime:$HADOOP_VERSION"; do
  name="$(echo "$artifact" | cut -d: -f2)-$(echo "$artifact" | cut -d: -f3).jar"
  [[ -f "$OUT/kernel/$name" ]] || (cd "$ROOT" && mvn -B -q dependency:copy -Dartifact="$artifact" -DoutputDirectory="$OUT/kernel") >&2
done

# The notebook classpath: prepsweep's jars and dependencies, with Hadoop's client jars swapped.
rm -f "$OUT/lib/"*.jar
prepsweep_classpath | tr ':' '\n' | grep -v -e '/hadoop-client-api-' -e '/hadoop-client-runtime-' | while read -r jar; do
  [[ -n "$jar" ]] && ln -sf "$jar" "$OUT/lib/"
done
ln -sf "$OUT/kernel/hadoop-client-api-$HADOOP_VERSION.jar" "$OUT/kernel/hadoop-client-runtime-$HADOOP_VERSION.jar" "$OUT/lib/"
# The kernel itself too, so the JShell compiler sees its display API (org.rapaio.jupyter.kernel.global.Global).
ln -sf "$OUT/kernel/rapaio-jupyter-kernel-$RJK_VERSION.jar" "$OUT/lib/"

# One jar whose manifest Class-Path lists them all: the kernel JVM's class path, and what the
# notebooks' first cell (%jar out/notebook-classpath.jar) shows the JShell compiler.
OUT="$OUT" python3 - <<'PY'
import os, zipfile
out = os.environ["OUT"]
jars = sorted(j for j in os.listdir(f"{out}/lib") if j.endswith(".jar"))
value = " ".join("lib/" + j for j in jars)
line = "Class-Path: " + value
chunks = [line[:72]] + [" " + line[i:i + 71] for i in range(72, len(line), 71)]
manifest = "Manifest-Version: 1.0\r\n" + "\r\n".join(chunks) + "\r\nCreated-By: prepsweep run-notebooks.sh\r\n\r\n"
with zipfile.ZipFile(f"{out}/notebook-classpath.jar", "w") as z:
    z.writestr("META-INF/MANIFEST.MF", manifest)
PY

# The kernel's channel loop, patched (notebooks/kernel-patch/.../LoopThread.java says why: the cause
# of the kernel's intermittent start failures), compiled for the kernel's class path ahead of its jar,
# then checked as the kernel will load it.
[[ $RJK_VERSION == 3.0.1 ]] || { echo "run-notebooks: the LoopThread patch is for rapaio-jupyter-kernel 3.0.1; check whether $RJK_VERSION still needs it" >&2; exit 1; }
JAVAC_NB="$(dirname "$JAVA_NB")/javac"
[[ -x "$JAVAC_NB" ]] || { echo "run-notebooks: no javac beside $JAVA_NB (the kernel patch is compiled with it): use a JDK" >&2; exit 2; }
rm -rf "$OUT/kernel-patch"
"$JAVAC_NB" -nowarn -d "$OUT/kernel-patch" -cp "$OUT/kernel/rapaio-jupyter-kernel-$RJK_VERSION.jar" \
  "$NB/kernel-patch/org/rapaio/jupyter/kernel/channels/LoopThread.java" "$NB/kernel-patch/LoopThreadCheck.java"
"$JAVA_NB" -cp "$OUT/kernel-patch:$OUT/kernel/rapaio-jupyter-kernel-$RJK_VERSION.jar" LoopThreadCheck >&2 2>/dev/null \
  || { echo "run-notebooks: the kernel's patched channel loop failed its check (above)" >&2; exit 1; }

# A kernelspec in a private JUPYTER_PATH. The jars go on the kernel JVM's class path: Spark loads
# classes through it (jars added to JShell alone are not seen by Spark's tasks).
export JUPYTER_PATH="$OUT/jupyter"
mkdir -p "$JUPYTER_PATH/kernels/prepsweep-java"
JAVA_NB="$JAVA_NB" OUT="$OUT" FLAGS="$PREPSWEEP_JVM_FLAGS" RJK_VERSION="$RJK_VERSION" python3 - <<'PY'
import json, os
out = os.environ["OUT"]
flags = os.environ["FLAGS"].split()
argv = [os.environ["JAVA_NB"], "--enable-preview", "--enable-native-access=ALL-UNNAMED", "-Xmx2g"] + flags + [
    "-cp", f"{out}/kernel-patch:{out}/notebook-classpath.jar",
    "org.rapaio.jupyter.kernel.MainApp", "{connection_file}"]
spec = {"argv": argv, "display_name": "Java (prepsweep)", "language": "java", "interrupt_mode": "message",
        "env": {"RJK_CLASSPATH": "", "RJK_COMPILER_OPTIONS": "", "RJK_INIT_SCRIPT": "", "RJK_TIMEOUT_MILLIS": "-1",
                "SPARK_LOCAL_IP": "127.0.0.1"}}
with open(f"{out}/jupyter/kernels/prepsweep-java/kernel.json", "w") as f:
    json.dump(spec, f, indent=1)
PY

if [[ "${1:-}" == "--setup" ]]; then
  echo "kernel 'prepsweep-java' is set up; open the notebooks with:"
  echo "  cd $NB && JUPYTER_PATH=$JUPYTER_PATH PREPSWEEP_WAREHOUSE=$PREPSWEEP_WAREHOUSE jupyter notebook"
  exit 0
fi

[[ -d "$PREPSWEEP_WAREHOUSE/trials" ]] || { echo "run-notebooks: no trials table in $PREPSWEEP_WAREHOUSE; run 'bin/prepsweep run' first" >&2; exit 2; }

status=0
cd "$NB"
for notebook in *.ipynb; do
  echo "run-notebooks: executing $notebook against $PREPSWEEP_WAREHOUSE" >&2
  # One start, no retry: the start failures seen before came from the kernel's channel loop (patched above).
  if ! jupyter-nbconvert --to notebook --execute "$notebook" --output-dir "$OUT" \
      --ExecutePreprocessor.kernel_name=prepsweep-java --ExecutePreprocessor.startup_timeout=120 \
      --ExecutePreprocessor.timeout=900 >"$OUT/${notebook%.ipynb}.log" 2>&1; then
    echo "run-notebooks: $notebook FAILED (log: $OUT/${notebook%.ipynb}.log); the failing cell and its error:" >&2
    sed 's/\x1b\[[0-9;]*m//g' "$OUT/${notebook%.ipynb}.log" | grep -v -e '^Parsing classpath' -e '^Add ' | \
      sed -n '/CellExecutionError\|RuntimeError/,$p' | head -60 >&2
    status=1
    continue
  fi
  # Every notebook must show its charts: count SVG outputs in the executed copy.
  charts=$(python3 -c 'import json,sys; nb=json.load(open(sys.argv[1])); print(sum(1 for c in nb["cells"] for o in c.get("outputs", []) if "<svg" in "".join(o.get("data", {}).get("text/html", ""))))' "$OUT/$notebook")
  expected=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metadata"].get("prepsweep", {}).get("min_charts", 1))' "$notebook")
  if (( charts < expected )); then
    echo "run-notebooks: $notebook showed $charts charts, expected at least $expected" >&2
    status=1
    continue
  fi
  jupyter-nbconvert --to html "$OUT/$notebook" --output-dir "$OUT" >/dev/null 2>&1 || true
  echo "run-notebooks: $notebook ok ($charts charts): $OUT/$notebook, ${notebook%.ipynb}.html" >&2
done
exit $status
