#!/usr/bin/env python3
"""PyTorch side of the TorchScript benchmark (bench/training/torchscript.sh).

    torchscript_mlp.py write MODULE.pt          writes the scripted 64-128-128-10 MLP both sides fine-tune
    torchscript_mlp.py train MODULE.pt RUNS BATCH   a plain loop over torch.jit.load(MODULE): Adam, one thread

Each run loads the module afresh and trains 5 epochs over BENCH_SAMPLES synthetic rows (64 features,
10 classes from a linear teacher), shuffled per epoch; prints one JSON line per run.
"""
import json
import os
import sys
import time

import torch
from torch import nn

torch.set_num_threads(1)
torch.set_num_interop_threads(1)


def write(path):
    torch.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10))
    torch.jit.script(mlp).save(path)


def data(n, seed):
    g = torch.Generator().manual_seed(12345)
    w = torch.rand(64, 10, generator=g) * 2 - 1
    x = torch.randn(n, 64, generator=torch.Generator().manual_seed(seed))
    return x, (x @ w).argmax(1)


def train(path, runs, batch):
    n = int(os.environ.get("BENCH_SAMPLES", "50000"))
    x, y = data(n, 1)
    for run in range(1, runs + 1):
        model = torch.jit.load(path)
        model.train()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        steps = 0
        started = time.perf_counter()
        cpu = []  # thread CPU time at each epoch's end: samples per CPU-second over epochs 2..5, as TorchScriptBench
        for epoch in range(5):
            order = torch.randperm(n)
            for i in range(0, n, batch):
                idx = order[i:i + batch]
                opt.zero_grad()
                loss = nn.functional.cross_entropy(model(x[idx]), y[idx])
                loss.backward()
                opt.step()
                steps += 1
            cpu.append(time.thread_time())
        seconds = time.perf_counter() - started
        print(json.dumps({"impl": f"pytorch-{torch.__version__}", "run": run, "batch": batch,
                          "samples_per_s": round(n * 5 / seconds),
                          "cpu_samples_per_s": round(n * 4 / (cpu[-1] - cpu[0])), "ms_per_step": seconds * 1000 / steps,
                          "final_train_loss": round(loss.item(), 4)}), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2])
    else:
        train(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
