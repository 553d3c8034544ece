#!/usr/bin/env python3
"""Medians of bench/sweep/run.sh's runs, next to the issue's targets and the last figures before #17's work."""
import csv
import statistics
import sys

TARGET_UTIL, TARGET_OVERHEAD = 98.0, 20.0
BEFORE = "96.4 %, 52 ms per trial (farming window 97.2 % / 40 ms): idle machine, 2026-12-06"
COLUMNS = ["load1", "median_trial_s", "sweep_wall_s", "setup_s", "busy_slot_s", "util_sweep_pct", "overhead_sweep_ms",
           "util_farming_pct", "overhead_farming_ms", "command_s"]


def main(path):
    rows = list(csv.DictReader(open(path)))
    labels = list(dict.fromkeys(r["label"] for r in rows))
    print(f"{'label':10s} {'run':>3s} " + " ".join(f"{c[:12]:>12s}" for c in COLUMNS))
    for r in rows:
        print(f"{r['label']:10s} {r['run']:>3s} " + " ".join(f"{r[c]:>12s}" for c in COLUMNS))
    medians = {}
    for label in labels:
        mine = [r for r in rows if r["label"] == label]
        medians[label] = {c: statistics.median(float(r[c]) for r in mine) for c in COLUMNS}
        m = medians[label]
        print(f"{label:10s} med " + " ".join(f"{m[c]:>12.4g}" for c in COLUMNS))
    for label in labels:
        m = medians[label]
        print(f"{label}: median of {sum(1 for r in rows if r['label'] == label)} runs: utilisation {m['util_sweep_pct']:.1f} %"
              f" (target >= {TARGET_UTIL:.0f} %: {'met' if m['util_sweep_pct'] >= TARGET_UTIL else 'NOT met'}),"
              f" overhead {m['overhead_sweep_ms']:.0f} ms per trial (target <= {TARGET_OVERHEAD:.0f} ms:"
              f" {'met' if m['overhead_sweep_ms'] <= TARGET_OVERHEAD else 'NOT met'}, ratio to target"
              f" {m['overhead_sweep_ms'] / TARGET_OVERHEAD:.2f}); farming window {m['util_farming_pct']:.1f} % /"
              f" {m['overhead_farming_ms']:.0f} ms; set-up {m['setup_s']:.2f} s; median load {m['load1']:.1f}")
    if "reference" in medians and "this" in medians:
        r, t = medians["reference"], medians["this"]
        print(f"this / reference (medians): overhead per trial {t['overhead_sweep_ms'] / r['overhead_sweep_ms']:.2f}x,"
              f" idle slot share {(100 - t['util_sweep_pct']) / (100 - r['util_sweep_pct']):.2f}x,"
              f" set-up {t['setup_s'] / r['setup_s']:.2f}x, median trial {t['median_trial_s'] / r['median_trial_s']:.2f}x")
    if "job" in medians and "slots" in medians:
        j, t = medians["job"], medians["slots"]
        print(f"slots / job (medians): overhead per trial {t['overhead_sweep_ms'] / j['overhead_sweep_ms']:.2f}x,"
              f" idle slot share {(100 - t['util_sweep_pct']) / (100 - j['util_sweep_pct']):.2f}x,"
              f" median trial {t['median_trial_s'] / j['median_trial_s']:.2f}x")
    print(f"before #17's benchmark work: {BEFORE}")


if __name__ == "__main__":
    main(sys.argv[1])
