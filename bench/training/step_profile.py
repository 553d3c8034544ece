#!/usr/bin/env python3
"""PyTorch side of the step profile (StepProfile.java, docs/training-benchmark.md): the loop of
torch_mlp.py / torchscript_mlp.py taken apart into phases, each timed in the thread's CPU time
(time.thread_time_ns, the clock StepProfile reads) over thousands of warm steps, one thread.

    step_profile.py mlp|MODULE.pt [BATCH] [STEPS]

Prints one JSON line: mean CPU microseconds per phase, wall and CPU microseconds per step.
"""
import json
import sys
import time

import torch
from torch import nn

torch.set_num_threads(1)
torch.set_num_interop_threads(1)

PHASES = ["assemble", "forward", "loss", "loss_read", "backward", "optimizer"]


def main():
    model_arg = sys.argv[1] if len(sys.argv) > 1 else "mlp"
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 128
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
    n = 50_000
    g = torch.Generator().manual_seed(12345)
    w = torch.rand(10, 64, generator=g) * 2 - 1
    x = torch.randn(n, 64, generator=torch.Generator().manual_seed(1))
    y = (x @ w.T).argmax(1)
    torch.manual_seed(42)
    if model_arg == "mlp":
        model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10))
    else:
        model = torch.jit.load(model_arg)
        model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    order = torch.randperm(n)
    clock = time.thread_time_ns
    nanos = [0] * len(PHASES)
    warmup = max(1000, steps // 2)
    for s in range(warmup + steps):
        if s == warmup:
            nanos = [0] * len(PHASES)
            cpu0, wall0 = clock(), time.perf_counter_ns()
        t = clock()
        i = (s * batch) % (n - batch)
        idx = order[i:i + batch]
        xb, yb = x[idx], y[idx]
        now = clock(); nanos[0] += now - t; t = now
        opt.zero_grad()
        logits = model(xb)
        now = clock(); nanos[1] += now - t; t = now
        loss = nn.functional.cross_entropy(logits, yb)
        now = clock(); nanos[2] += now - t; t = now
        value = loss.item()
        now = clock(); nanos[3] += now - t; t = now
        loss.backward()
        now = clock(); nanos[4] += now - t; t = now
        opt.step()
        now = clock(); nanos[5] += now - t; t = now
        if value != value:
            raise SystemExit("loss is NaN")
    cpu = (clock() - cpu0) / 1e3 / steps
    wall = (time.perf_counter_ns() - wall0) / 1e3 / steps
    row = {"impl": f"pytorch-{torch.__version__}-step-profile", "model": "mlp" if model_arg == "mlp" else "torchscript",
           "batch": batch, "steps": steps}
    row.update({f"{p}_us": round(v / 1e3 / steps, 1) for p, v in zip(PHASES, nanos)})
    row.update({"phases_us": round(sum(nanos) / 1e3 / steps, 1), "wall_us": round(wall, 1), "cpu_us": round(cpu, 1)})
    print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
