# Shared by the bench/sweep/ harnesses (sourced, after `set -euo pipefail`, from the checkout whose
# bin/prepsweep runs): the prep of the bundled data each harness sweeps over.
#   bench_prepped WAREHOUSE LOG   makes WAREHOUSE hold the data tables, unless it already does:
#       a copy of $BENCH_PREPARED_WAREHOUSE when the caller gives one (a warehouse `bin/prepsweep prep`
#       wrote, e.g. once for all harnesses in .ci/bench-check.sh), else `bin/prepsweep prep` (log to LOG).
# A copy, not the folder itself: the harness's sweeps write their result tables beside the data, and
# the caller's warehouse must stay as it was for the next harness.
bench_prepped() {
  local wh="$1" log="$2"
  [[ -d "$wh/train" ]] && return
  if [[ -n "${BENCH_PREPARED_WAREHOUSE:-}" ]]; then
    if [[ ! -d "$BENCH_PREPARED_WAREHOUSE/train" ]]; then
      echo "BENCH_PREPARED_WAREHOUSE=$BENCH_PREPARED_WAREHOUSE has no train table: give a warehouse that 'bin/prepsweep prep --warehouse DIR' wrote, or unset it" >&2
      return 2
    fi
    mkdir -p "$(dirname "$wh")"
    rm -rf "$wh"
    cp -r "$BENCH_PREPARED_WAREHOUSE" "$wh"
    echo "data tables copied from $BENCH_PREPARED_WAREHOUSE" > "$log"
  else
    bin/prepsweep prep --warehouse "$wh" > "$log"
  fi
}
