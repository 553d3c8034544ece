#!/usr/bin/env bash
# Spark GPU discovery script (spark.worker.resource.gpu.discoveryScript /
# spark.executor.resource.gpu.discoveryScript). Prints the resource JSON Spark expects:
#   {"name":"gpu","addresses":["0","1"]}
# On a GPU host it lists the devices nvidia-smi reports. PREPSWEEP_FAKE_GPUS=N reports N fake
# addresses instead: that is how tests exercise Spark's GPU scheduling on CPU-only machines.
set -euo pipefail
if [[ -n "${PREPSWEEP_FAKE_GPUS:-}" ]]; then
  addrs=$(seq -s '","' 0 $((PREPSWEEP_FAKE_GPUS - 1)))
  echo "{\"name\":\"gpu\",\"addresses\":[\"${addrs}\"]}"
  exit 0
fi
if command -v nvidia-smi >/dev/null 2>&1; then
  addrs=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n/","/g')
  echo "{\"name\":\"gpu\",\"addresses\":[\"${addrs}\"]}"
else
  echo '{"name":"gpu","addresses":[]}'
fi
