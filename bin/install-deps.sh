#!/usr/bin/env bash
# The one list of Debian packages prepsweep needs beyond Java 17 and Maven, by what needs them, and
# their installer. Installs the missing packages of the named groups (apt-get update first); when
# everything is there it does nothing and takes a few milliseconds.
#   bin/install-deps.sh test              what `mvn -B verify` needs (the build runs this itself)
#   bin/install-deps.sh notebooks         notebooks/run-notebooks.sh (which runs this itself)
#   bin/install-deps.sh bench-prep ...    a benchmark's reference (each bench script runs this itself)
#   bin/install-deps.sh --print GROUP...  only print the packages, one a line
#   bin/install-deps.sh --warn GROUP...   when they cannot be installed, warn and exit 0 (what the
#                                         build does: the tests that need them then fail, naming this)
# Installing needs root and apt-get; otherwise it names the missing packages, prints the command
# that installs them and exits 1.
set -euo pipefail

packages_of() {
  case "$1" in
    # FashionMnistCnnTest (/usr/share/datasets/fashion-mnist); ReportBrowserTest (headless Chromium,
    # with a font for its screenshots); TorchScriptTrainingTest loads the fine-tuned .pt in Python torch
    # (python3-torch: 150 MB to download, 640 MB installed); TorchScriptIT's regression sweep trains on the
    # diabetes data python3-sklearn ships (sklearn/datasets/data/diabetes_*.csv.gz)
    test) echo dataset-fashion-mnist chromium fonts-dejavu-core python3-torch python3-sklearn ;;
    # jupyter-nbconvert executes the notebooks with the Java kernel (the kernel itself comes from Maven)
    notebooks) echo jupyter-nbconvert python3-ipykernel python3-nbclient python3-jupyter-client ;;
    # the references of the benchmarks: bench/prep (pandas + scikit-learn + imbalanced-learn),
    # bench/optimizer (Optuna), bench/training (PyTorch; 150 MB to download, 640 MB installed)
    bench-prep) echo python3-pandas python3-sklearn python3-imblearn ;;
    bench-optimizer) echo python3-optuna ;;
    bench-training) echo python3-torch ;;
    *) echo "install-deps: unknown group '$1' (test, notebooks, bench-prep, bench-optimizer, bench-training)" >&2
       return 2 ;;
  esac
}

warn=no
print=no
groups=()
for arg in "$@"; do
  case "$arg" in
    --warn) warn=yes ;;
    --print) print=yes ;;
    *) groups+=("$arg") ;;
  esac
done
[[ ${#groups[@]} -gt 0 ]] || { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

wanted=()
for g in "${groups[@]}"; do
  list=$(packages_of "$g") || exit 2
  wanted+=($list)
done
if [[ $print == yes ]]; then
  printf '%s\n' "${wanted[@]}"
  exit 0
fi

missing=()
for p in "${wanted[@]}"; do
  [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
fail() {
  echo "install-deps: $1, so the Debian packages that ${groups[*]} need are still missing: ${missing[*]}." \
    "Install them as root with:" >&2
  echo "  $command" >&2
  [[ $warn == yes ]] && exit 0
  exit 1
}
command -v apt-get >/dev/null || fail "no apt-get on this machine"
[[ "$(id -u)" == 0 ]] || fail "not root"

echo "install-deps: installing ${missing[*]} (for ${groups[*]})" >&2
export DEBIAN_FRONTEND=noninteractive
# Another build on the machine may be installing at the same time: wait for dpkg's lock.
apt=(apt-get -q -o DPkg::Lock::Timeout=600)
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
"${apt[@]}" update -qq >"$log" 2>&1 || { cat "$log" >&2; fail "apt-get update failed"; }
"${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1 </dev/null \
  || { tail -30 "$log" >&2; fail "apt-get install failed"; }
echo "install-deps: installed ${missing[*]}" >&2
