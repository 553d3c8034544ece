#!/usr/bin/env bash
# The README's first command and every bench/ script as a new user meets them: in a fresh clone of
# this checkout's HEAD, with an EMPTY Maven repository and DJL cache, so a dependency missing from the
# build, or something fetched at run time, cannot hide behind this machine's warm caches.
#   1. bin/prepsweep run (Maven builds into the empty repository, the main job runs)
#   2. .ci/bench-check.sh: every bench/ script, short (the sweep ones with no network at all)
# For a developer's machine, whose caches are warm. CI does not run it: CI's checkout is already a
# fresh clone on a fresh machine, whose first command fills an empty repository (.ci/run).
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
# The README's first command.
step bin/prepsweep run

# The benchmark harnesses, short, in the fresh clone with its empty caches.
step .ci/bench-check.sh
