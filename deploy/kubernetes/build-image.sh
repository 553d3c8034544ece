#!/usr/bin/env bash
# Builds the prepsweep Spark image for Kubernetes from the repository: packages the -cluster jar
# (mvn package also copies the two Delta jars into app/target/k8s-jars) and runs docker build with
# the repository root as context. Not run by CI (no Docker daemon there).
#   deploy/kubernetes/build-image.sh [image tag]     (default prepsweep-spark:dev)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TAG="${1:-prepsweep-spark:dev}"
(cd "$ROOT" && mvn -B -q -DskipTests package -pl app -am)
docker build -f "$ROOT/deploy/kubernetes/Dockerfile" -t "$TAG" "$ROOT"
echo "built $TAG"
