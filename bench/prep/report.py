#!/usr/bin/python3
"""Prints the markdown benchmark tables from bench/prep/target/{prepsweep,reference}-ROWS.json
(and prepsweep-ROWS-warm.json when PrepBench ran more than once in its JVM)."""
import json
import os
import sys

out, rows = sys.argv[1], sys.argv[2]


def load(name, suffix=""):
    p = os.path.join(out, f"{name}-{rows}{suffix}.json")
    return json.load(open(p)) if os.path.exists(p) else None


stages = [
    ("read + clean/validate", "read_clean_s", "read_s", "rows_read"),
    ("exact dedupe (+ quarantine write)", "dedupe_s", "dedupe_s", "rows_read"),
    ("mean impute (+ clean table write)", "impute_write_clean_s", "impute_s", "rows_clean"),
    ("stratified split (+ 3 Delta tables)", "split_s", "split_s", "rows_clean"),
    ("SMOTE to majority (+ table write)", "smote_s", "smote_s", "rows_train"),
    ("random under-sampling (+ table write)", "undersample_s", "undersample_s", "rows_train"),
]


def table(title, ours, ref):
    print(f"\n### {title}\n")
    print("| stage | rows in | prepsweep s | prepsweep rows/s | reference s | reference rows/s | speed-up |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, ok, rk, nk in stages:
        n = ours[nk] if ours else ref[nk]
        o = ours.get(ok) if ours else None
        r = ref.get(rk) if ref else None
        fmt = lambda s: f"{s:.2f}" if s is not None else "-"
        rate = lambda s: f"{n / s:,.0f}" if s else "-"
        sp = f"{r / o:.1f}x" if (o and r) else "-"
        print(f"| {name} | {n:,} | {fmt(o)} | {rate(o)} | {fmt(r)} | {rate(r)} | {sp} |")
    if ours:
        print(f"| **prepsweep end to end** (read to all Delta tables, incl. under-sampling) | {ours['rows_read']:,} | "
              f"{ours['end_to_end_s']:.2f} | {ours['rows_read'] / ours['end_to_end_s']:,.0f} | | | |")
    if ref:
        print(f"| **reference sum of steps** (dedupe, impute, split x2, SMOTE, under-sampling; no I/O) | {ref['rows_read']:,} | | | "
              f"{ref['sum_of_steps_s']:.2f} | {ref['rows_read'] / ref['sum_of_steps_s']:,.0f} | |")
    if ours and ref:
        print(f"\nEnd to end vs reference sum of steps: {ref['sum_of_steps_s'] / ours['end_to_end_s']:.2f}x; "
              f"SMOTE rows/s ratio: {ref['smote_s'] / ours['smote_s']:.1f}x")
    if ours:
        print(f"\nprepsweep driver heap: peak used {ours['heap_peak_mib']:.0f} MiB of {ours['heap_max_mib']:.0f} MiB max "
              f"(sampled every 20 ms); rows clean {ours['rows_clean']:,}, duplicates removed {ours['duplicates_removed']:,}")
    if ref:
        print(f"reference peak RSS: {ref['peak_rss_mib']:.0f} MiB")


ours, warm, ref = load("prepsweep"), load("prepsweep", "-warm"), load("reference")
table(f"{int(rows):,} rows" + (" (prepsweep: its first run, in a cold JVM)" if warm else ""), ours, ref)
if warm:
    table(f"{int(rows):,} rows (prepsweep: median of its {warm['warm_runs']} later runs in the same JVM)", warm, ref)
