#!/usr/bin/env bash
# System packages the test suite needs beyond the JDK and Maven. Idempotent.
set -euo pipefail
PACKAGES=(dataset-fashion-mnist chromium fonts-dejavu-core jupyter-nbconvert python3-ipykernel python3-nbclient python3-jupyter-client)
if [[ ${#PACKAGES[@]} -gt 0 ]]; then
  missing=()
  for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [[ ${#missing[@]} -gt 0 ]]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi
