#!/usr/bin/python3
"""Optimizer benchmark: prepsweep samplers (via the JSON-lines ask/tell protocol) against Optuna.

Run it through bench/optimizer/run.sh, which builds the sweep module, installs Debian's Optuna 3.1
(python3-optuna) when missing and passes the class path:

    bench/optimizer/run.sh --seeds 10 --budgets 50,100 --samplers tpe,gp,random,sobol,optuna-tpe

Every prepsweep sampler runs in one server process
(`java -cp ... bench/optimizer/ProtocolServer.java --sampler NAME`) that is fed one run
after another. Regret is best value found minus the known optimum; the table shows medians over
seeds. Time per trial is measured in this driver around each ask and tell (function evaluation
excluded), so it includes the pipe round trip for the Java samplers.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- test functions (minimise)


def branin(x):
    x1, x2 = x
    b = 5.1 / (4 * math.pi ** 2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


_HA = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
_HALPHA = [1.0, 1.2, 3.0, 3.2]
_HP = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
       [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def hartmann6(x):
    out = 0.0
    for i in range(4):
        e = sum(_HA[i][j] * (x[j] - 1e-4 * _HP[i][j]) ** 2 for j in range(6))
        out += _HALPHA[i] * math.exp(-e)
    return -out


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def ackley(x):
    d = len(x)
    s1 = sum(v * v for v in x)
    s2 = sum(math.cos(2 * math.pi * v) for v in x)
    return -20 * math.exp(-0.2 * math.sqrt(s1 / d)) - math.exp(s2 / d) + 20 + math.e


def styblinski_tang(x):
    return sum(v ** 4 - 16 * v * v + 5 * v for v in x) / 2


# name -> (function, lows, highs, optimum value)
FUNCTIONS = {
    "branin": (branin, [-5, 0], [10, 15], 0.397887357729738),
    "hartmann6": (hartmann6, [0] * 6, [1] * 6, -3.32236801141551),
    "rosenbrock4": (rosenbrock, [-5] * 4, [10] * 4, 0.0),
    "ackley5": (ackley, [-32.768] * 5, [32.768] * 5, 0.0),
    "styblinski4": (styblinski_tang, [-5] * 4, [5] * 4, -39.16616570377142 * 4),
}


def space_of(name):
    _, lows, highs, _ = FUNCTIONS[name]
    return {f"x{i}": {"type": "float", "low": lo, "high": hi, "log": False} for i, (lo, hi) in enumerate(zip(lows, highs))}


def evaluate(name, params):
    fn, lows, _, _ = FUNCTIONS[name]
    return fn([float(params[f"x{i}"]) for i in range(len(lows))])


# ---------------------------------------------------------------- samplers


class JavaServer:
    """One AskTellProtocol process; runs are fed to it one after another."""

    def __init__(self, sampler, classpath):
        self.proc = subprocess.Popen(
            ["java", "-XX:+UseSerialGC", "-cp", classpath, os.path.join(HERE, "ProtocolServer.java"),
             "--sampler", sampler],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def _send(self, obj):
        self.proc.stdin.write(json.dumps(obj) + "\n")
        self.proc.stdin.flush()

    def _recv(self):
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"protocol server exited with {self.proc.wait()}")
        return json.loads(line)

    def run(self, fname, budget, seed):
        best = math.inf
        spent = 0.0
        run_id = f"{fname}/seed{seed}"
        t0 = time.perf_counter()
        self._send({"space": space_of(fname), "budget": budget, "seed": seed, "direction": "minimize", "run": run_id})
        for _ in range(budget):
            msg = self._recv()
            spent += time.perf_counter() - t0
            y = evaluate(fname, msg["params"])
            best = min(best, y)
            t0 = time.perf_counter()
            self._send({"trial": msg["trial"], "value": y})
        spent += time.perf_counter() - t0
        self._send({"end": True, "run": run_id, "best_value": best})
        return best, spent / budget

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


class OptunaRunner:
    def __init__(self, kind):
        import optuna
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        self.optuna = optuna
        self.kind = kind

    def run(self, fname, budget, seed):
        optuna = self.optuna
        if self.kind == "optuna-tpe":
            sampler = optuna.samplers.TPESampler(seed=seed)
        elif self.kind == "optuna-tpe-mv":
            sampler = optuna.samplers.TPESampler(seed=seed, multivariate=True)
        else:
            sampler = optuna.samplers.RandomSampler(seed=seed)
        study = optuna.create_study(direction="minimize", sampler=sampler)
        dists = {k: optuna.distributions.FloatDistribution(v["low"], v["high"]) for k, v in space_of(fname).items()}
        best = math.inf
        spent = 0.0
        for _ in range(budget):
            t0 = time.perf_counter()
            trial = study.ask(dists)
            spent += time.perf_counter() - t0
            y = evaluate(fname, trial.params)
            best = min(best, y)
            t0 = time.perf_counter()
            study.tell(trial, y)
            spent += time.perf_counter() - t0
        return best, spent / budget

    def close(self):
        pass


def runner(name, classpath):
    if name.startswith("optuna-"):
        return OptunaRunner(name)
    return JavaServer(name, classpath)


# ---------------------------------------------------------------- driver


def fmt(v):
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 100:
        return f"{v:.0f}"
    if a >= 1:
        return f"{v:.2f}"
    return f"{v:.3g}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samplers", default="tpe,gp,random,sobol,optuna-tpe")
    ap.add_argument("--functions", default=",".join(FUNCTIONS))
    ap.add_argument("--budgets", default="50,100")
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--timing", default="tpe:100,tpe:1000,gp:100,random:1000,optuna-tpe:100,optuna-tpe:1000",
                    help="sampler:budget pairs timed on one hartmann6 run each ('' to skip)")
    ap.add_argument("--classpath", default=None,
                    help="sweep classes + dependencies (default: sweep/target/classes + /tmp/sweep.cp)")
    ap.add_argument("--out", default=None, help="also write the markdown tables to this file")
    args = ap.parse_args()

    classpath = args.classpath
    if classpath is None:
        with open("/tmp/sweep.cp") as f:
            classpath = "sweep/target/classes:" + f.read().strip()
    samplers = [s for s in args.samplers.split(",") if s]
    functions = [f for f in args.functions.split(",") if f]
    budgets = [int(b) for b in args.budgets.split(",") if b]

    regret = {}  # (sampler, function, budget) -> list
    started = time.time()
    for s in samplers:
        r = runner(s, classpath)
        try:
            for f in functions:
                for b in budgets:
                    vals = []
                    for seed in range(args.seeds):
                        best, _ = r.run(f, b, seed)
                        vals.append(best - FUNCTIONS[f][3])
                    regret[(s, f, b)] = vals
                    print(f"{s:12s} {f:12s} n={b:4d} median regret {fmt(statistics.median(vals)):>8s}"
                          f"  ({time.time() - started:.0f}s)", file=sys.stderr, flush=True)
        finally:
            r.close()

    timing = []
    for item in [t for t in args.timing.split(",") if t]:
        s, b = item.split(":")
        r = runner(s, classpath)
        try:
            # warm-up: JIT compilation for the Java server, imports for Optuna
            r.run("hartmann6", 20 if s.startswith("optuna-") else int(b), 0)
            _, per_trial = r.run("hartmann6", int(b), 0)
        finally:
            r.close()
        timing.append((s, int(b), per_trial * 1000))
        print(f"timing {s} n={b}: {per_trial * 1000:.3f} ms/trial", file=sys.stderr, flush=True)

    ref = "optuna-tpe" if "optuna-tpe" in samplers else None
    lines = []
    for b in budgets:
        lines.append(f"### Median simple regret over {args.seeds} seeds, {b} trials (lower is better)")
        lines.append("")
        header = "| function | " + " | ".join(samplers) + " |"
        if ref:
            header += " " + " | ".join(f"{s} / {ref}" for s in samplers if s != ref) + " |"
        lines.append(header)
        lines.append("|" + "---|" * (header.count("|") - 1))
        for f in functions:
            meds = {s: statistics.median(regret[(s, f, b)]) for s in samplers}
            row = f"| {f} | " + " | ".join(fmt(meds[s]) for s in samplers) + " |"
            if ref:
                ratios = []
                for s in samplers:
                    if s == ref:
                        continue
                    ratios.append("n/a" if meds[ref] == 0 else f"{meds[s] / meds[ref]:.2f}")
                row += " " + " | ".join(ratios) + " |"
            lines.append(row)
        if ref:
            wins = {s: sum(1 for f in functions if statistics.median(regret[(s, f, b)]) <= statistics.median(regret[(ref, f, b)]))
                    for s in samplers if s != ref}
            lines.append("")
            lines.append("Functions where the median regret is <= " + ref + "'s: "
                         + ", ".join(f"{s} {w}/{len(functions)}" for s, w in wins.items()))
        lines.append("")
    if timing:
        lines.append("### Ask+tell time per trial (hartmann6, one run, driver-side, function evaluation excluded)")
        lines.append("")
        lines.append("| sampler | trials | ms/trial |")
        lines.append("|---|---|---|")
        for s, b, ms in timing:
            lines.append(f"| {s} | {b} | {ms:.3f} |")
        lines.append("")
    text = "\n".join(lines)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
