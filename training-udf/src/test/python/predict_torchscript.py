#!/usr/bin/env python3
"""Class probabilities of a saved TorchScript model in Python, for TorchScriptTrainingTest's cross-check.

    predict_torchscript.py MODEL.pt INPUTS.json   (INPUTS: {"dtype": "float32"|"int64", "shape": [...], "values": [...],
                                                   optionally "raw": true})

Prints one JSON list: softmax(model(x)) row-major (model(x) itself with "raw", a regression module's values), the
model in eval mode, as a user loading <trial>/best/model.pt would run it.
"""
import json
import sys

import torch


def main(model_path: str, inputs_path: str) -> None:
    spec = json.load(open(inputs_path))
    dtype = torch.int64 if spec["dtype"] == "int64" else torch.float32
    x = torch.tensor(spec["values"], dtype=dtype).reshape(spec["shape"])
    model = torch.jit.load(model_path)
    model.eval()
    with torch.no_grad():
        out = model(x)
        p = out if spec.get("raw", False) else torch.softmax(out, dim=1)
    print(json.dumps(p.reshape(-1).tolist()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
