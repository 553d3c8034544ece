#!/usr/bin/env bash
# Builds the prepsweep Spark image for Kubernetes: packages the -cluster jar, fetches the two Delta
# jars with Maven, and runs docker build. Not run by CI (no Docker daemon there).
#   deploy/kubernetes/build-image.sh [image tag]     (default prepsweep-spark:dev)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TAG="${1:-prepsweep-spark:dev}"
CTX="$ROOT/app/target/k8s-image"
rm -rf "$CTX" && mkdir -p "$CTX/jars"
(cd "$ROOT" && mvn -B -q -DskipTests package -pl app -am)
cp "$ROOT"/app/target/prepsweep-app-*-cluster.jar "$CTX/jars/prepsweep-app-cluster.jar"
for a in io.delta:delta-spark_2.13:4.0.1 io.delta:delta-storage:4.0.1; do
  mvn -B -q dependency:copy -Dartifact="$a" -DoutputDirectory="$CTX/jars"
done
cp "$ROOT/deploy/kubernetes/Dockerfile" "$CTX/"
docker build -t "$TAG" "$CTX"
echo "built $TAG"
