#!/usr/bin/python3
"""PyTorch side of the training benchmark: the loop users write by hand.

64-128-128-10 MLP, batch 128, Adam (lr 1e-3), 5 epochs over 50k synthetic samples, one thread
(torch.set_num_threads(1)), data as tensors indexed by a fresh permutation each epoch, loss.item()
every step (as the DJL loop reads the loss to fail on NaN). Prints one JSON line per run.
"""
import json
import os
import sys
import time

T0 = time.time()
import torch  # noqa: E402  (import time is part of the cold start)
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(1)


def synthetic(n, d, classes, seed):
    g = torch.Generator().manual_seed(12345)
    w = torch.rand(classes, d, generator=g) * 2 - 1
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=g)
    return x, (x @ w.T).argmax(1)


N, D, CLASSES = int(os.environ.get("BENCH_SAMPLES", 50_000)), 64, 10  # fewer for a quick check of the harness


def run(number, x, y):
    t0 = time.time()  # warm runs: the data is in memory
    n, d, classes, bs, epochs = N, D, CLASSES, 128, 5
    torch.manual_seed(42)
    model = torch.nn.Sequential(torch.nn.Linear(d, 128), torch.nn.ReLU(), torch.nn.Linear(128, 128), torch.nn.ReLU(),
                                torch.nn.Linear(128, classes))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    first = None
    seconds = 0.0
    last = None
    cpu = []  # thread CPU time at each epoch's end: samples per CPU-second over epochs 2..5, as TrainingBench
    for epoch in range(epochs):
        start = time.perf_counter()
        perm = torch.randperm(n)
        total = 0.0
        for i in range(0, n, bs):
            idx = perm[i:i + bs]
            opt.zero_grad()
            loss = F.cross_entropy(model(x[idx]), y[idx])
            value = loss.item()
            loss.backward()
            opt.step()
            total += value * len(idx)
            if first is None:
                first = time.time()
        seconds += time.perf_counter() - start
        cpu.append(time.thread_time())
        last = total / n
    return {"impl": "pytorch-" + torch.__version__, "run": number, "threads": torch.get_num_threads(),
            "samples_per_s": round(n * epochs / seconds), "cpu_samples_per_s": round(n * (epochs - 1) / (cpu[-1] - cpu[0])),
            "first_batch_ms": round(((first - (T0 if number == 1 else t0)) * 1000)),
            "first_batch_from": "process_start" if number == 1 else "run_start", "final_train_loss": round(last, 4)}


if __name__ == "__main__":
    data = synthetic(N, D, CLASSES, 1)
    for r in range(1, (int(sys.argv[1]) if len(sys.argv) > 1 else 3) + 1):
        print(json.dumps(run(r, *data)), flush=True)
