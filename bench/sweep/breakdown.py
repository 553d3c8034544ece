#!/usr/bin/env python3
"""Where a sweep's slot time goes (issue #17 benchmark, docs/sweep-benchmark.md).

Reads a Spark event log of the sweep driver (spark.eventLog.enabled) and the sweep's attempts as
CSV (trial_id, attempt, executor_id, started_ms, ended_ms: TrialTask's own clock, i.e. busy time),
plus the sweep's start and end (ms), and splits every slot's idle time into:
  setup      sweep start -> the slot's first trial start (driver set-up, first job, cold executor)
  launch     task launch (driver) -> trial start (executor: task deserialisation, broadcast fetch)
  return     trial end (executor) -> task end seen by the driver (result serialisation and RPC)
  refill     task end -> next trial task's launch on the same executor (scheduler)
  tail       the slot's last task end -> sweep end (waiting for the other slot's last trial, final writes)
Usage: breakdown.py EVENTLOG ATTEMPTS.csv SWEEP_START_MS SWEEP_END_MS
"""
import csv
import json
import statistics
import sys


def main(log, attempts_csv, sweep_start, sweep_end):
    jobs, stages_of_job, tasks = {}, {}, {}
    for line in open(log):
        e = json.loads(line)
        ev = e["Event"]
        if ev == "SparkListenerJobStart":
            group = (e.get("Properties") or {}).get("spark.jobGroup.id")
            jobs[e["Job ID"]] = {"group": group, "submit": e["Submission Time"], "stages": e["Stage IDs"]}
            for s in e["Stage IDs"]:
                stages_of_job[s] = e["Job ID"]
        elif ev == "SparkListenerJobEnd":
            jobs[e["Job ID"]]["end"] = e["Completion Time"]
        elif ev == "SparkListenerTaskEnd":
            info, m = e["Task Info"], e.get("Task Metrics") or {}
            job = jobs.get(stages_of_job.get(e["Stage ID"]), {})
            tasks[(e["Stage ID"], info["Task ID"])] = {
                "group": job.get("group"), "executor": info["Executor ID"], "launch": info["Launch Time"],
                "finish": info["Finish Time"], "deser": m.get("Executor Deserialize Time", 0),
                "run": m.get("Executor Run Time", 0), "ser": m.get("Result Serialization Time", 0),
                "failed": info.get("Failed", False), "submit": job.get("submit"),
            }
    trial_tasks = {t["group"]: t for t in tasks.values() if t["group"] and "-trial-" in t["group"] and not t["failed"]}
    other = [t for t in tasks.values() if not (t["group"] and "-trial-" in t["group"])]
    rows = []
    for r in csv.DictReader(open(attempts_csv)):
        group = f"{r['sweep_id']}-trial-{r['trial_id']}-{r['attempt']}"
        t = trial_tasks.get(group)
        if t is None:
            continue
        rows.append(dict(t, start=int(r["started_ms"]), end=int(r["ended_ms"])))
    by_exec = {}
    for r in rows:
        by_exec.setdefault(r["executor"], []).append(r)
    parts = {k: 0.0 for k in ("setup", "launch", "return", "refill", "tail")}
    gaps = {k: [] for k in ("launch", "return", "refill")}
    busy = 0
    for ex, rs in sorted(by_exec.items()):
        rs.sort(key=lambda r: r["launch"])
        parts["setup"] += rs[0]["launch"] - sweep_start
        for i, r in enumerate(rs):
            busy += r["end"] - r["start"]
            l, ret = r["start"] - r["launch"], r["finish"] - r["end"]
            parts["launch"] += l
            parts["return"] += ret
            gaps["launch"].append(l)
            gaps["return"].append(ret)
            if i + 1 < len(rs):
                g = rs[i + 1]["launch"] - r["finish"]
                parts["refill"] += g
                gaps["refill"].append(g)
        parts["tail"] += sweep_end - rs[-1]["finish"]
    slots = len(by_exec)
    n = len(rows)
    if n == 0:
        sys.exit("breakdown.py: no attempt of the sweep ran as a Spark job of its own (a '-trial-' job group):"
                 " the breakdown needs sweep.launcher: job")
    avail = (sweep_end - sweep_start) * slots
    print(f"attempts {n}, slots {slots}, sweep wall {(sweep_end - sweep_start) / 1000:.1f} s, busy {busy / 1000:.1f} s,"
          f" idle {(avail - busy) / 1000:.2f} slot-s = {(avail - busy) / n:.1f} ms per trial")
    for k, v in parts.items():
        extra = ""
        if k in gaps and gaps[k]:
            g = sorted(gaps[k])
            extra = f"   per task: median {statistics.median(g):.0f} ms, p90 {g[int(0.9 * len(g))]:.0f} ms, max {g[-1]:.0f} ms"
        print(f"  {k:7s} {v / 1000:7.2f} slot-s = {v / n:6.1f} ms per trial{extra}")
    first = min(rows, key=lambda r: r["launch"])
    print(f"  first trial job submitted {first['submit'] - sweep_start} ms after sweep start, launched at"
          f" +{first['launch'] - sweep_start} ms, trial started at +{first['start'] - sweep_start} ms"
          f" (deserialise {first['deser']} ms)")
    d = sorted(r["deser"] for r in rows)
    s = sorted(r["ser"] for r in rows)
    print(f"  task deserialise (Spark metric): median {statistics.median(d):.0f} ms, max {d[-1]} ms;"
          f" result serialise: median {statistics.median(s):.0f} ms")
    waits = [g for g in gaps["refill"] if g > 0]
    print(f"  refills where the slot waited for the driver to submit the next trial job: {len(waits)} of"
          f" {len(gaps['refill'])}, {sum(waits) / 1000:.2f} slot-s")
    last_end = max(r["end"] for r in rows)
    print(f"  last trial end -> sweep end: {sweep_end - last_end} ms")
    in_sweep = [t for t in other if sweep_start <= t["launch"] <= sweep_end]
    print(f"  other Spark tasks during the sweep (result writes): {len(in_sweep)} tasks,"
          f" {sum(t['finish'] - t['launch'] for t in in_sweep) / 1000:.1f} task-s in"
          f" {len({t['group'] for t in in_sweep} | set())} groups;"
          f" jobs {sum(1 for j in jobs.values() if not (j['group'] and '-trial-' in j['group']) and sweep_start <= j['submit'] <= sweep_end)}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
