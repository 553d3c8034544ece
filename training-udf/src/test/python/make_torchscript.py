#!/usr/bin/env python3
"""Writes the TorchScript fixtures of the torchscript model family's tests (torch 1.13, Debian's python3-torch).

    /usr/bin/python3 training-udf/src/test/python/make_torchscript.py training-udf/src/test/resources/torchscript

The .pt files are committed next to this script (a few KB each) so the Java tests train on the same bytes
whatever torch a machine has; rerun it only to change a fixture. Seeded: the same torch writes the same weights.
  text_classifier.pt  token ids (B, 32) int64, 0 = padding, ids < 1024 -> 2 logits: embedding (named
                      'embedding'), masked mean, 'encoder' Linear(16, 32) + ReLU, 'head' Linear(32, 2)
  mlp_bn.pt           features (B, 5) float32 -> 3 logits: 'encoder' Linear(5, 32), BatchNorm1d, ReLU,
                      Dropout(0.1), 'head' Linear(32, 3)  (BatchNorm and Dropout differ in train and eval mode)
  mlp_wrong_out.pt    as mlp_bn.pt with 4 logits (the pre-flight check's wrong output shape)
  regressor.pt        features (B, 10) float32 -> (B, 1), one value per row (task: regression) in the label's units:
                      the inputs scaled by constant buffers, 'encoder' Linear(10, 16) + ReLU, 'head' Linear(16, 1),
                      the output mapped to the label's scale. Sized for the diabetes data of scikit-learn (10 raw
                      features, a progression score of mean ~152 and sd ~77), as a user's module carries its own scaling
"""
import sys
from pathlib import Path

import torch
from torch import nn


class TextClassifier(nn.Module):
    def __init__(self, vocab: int = 1024, dim: int = 16, hidden: int = 32, classes: int = 2):
        super().__init__()
        self.embedding = nn.Embedding(vocab, dim, padding_idx=0)
        self.encoder = nn.Linear(dim, hidden)
        self.head = nn.Linear(hidden, classes)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        mask = (ids > 0).to(torch.float32).unsqueeze(2)
        pooled = (self.embedding(ids) * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.head(torch.relu(self.encoder(pooled)))


class Mlp(nn.Module):
    def __init__(self, features: int = 5, hidden: int = 32, classes: int = 3):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(features, hidden), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Dropout(0.1))
        self.head = nn.Linear(hidden, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.encoder(x))


# the diabetes data's feature means and sds (all 442 rows, rounded): the module's own input scaling
DIABETES_MEAN = [48.5, 1.47, 26.4, 94.6, 189.0, 115.0, 49.8, 4.07, 4.64, 91.3]
DIABETES_SD = [13.1, 0.5, 4.41, 13.8, 34.6, 30.4, 12.9, 1.29, 0.52, 11.5]


class Regressor(nn.Module):
    def __init__(self, features: int = 10, hidden: int = 16):
        super().__init__()
        self.register_buffer("shift", torch.tensor(DIABETES_MEAN))
        self.register_buffer("scale", torch.tensor(DIABETES_SD))
        self.encoder = nn.Linear(features, hidden)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = (x - self.shift) / self.scale
        return 152.0 + 77.0 * self.head(torch.relu(self.encoder(z)))


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(7)
    torch.jit.script(TextClassifier()).save(str(out / "text_classifier.pt"))
    torch.manual_seed(7)
    torch.jit.script(Mlp()).save(str(out / "mlp_bn.pt"))
    torch.manual_seed(7)
    torch.jit.script(Mlp(classes=4)).save(str(out / "mlp_wrong_out.pt"))
    torch.manual_seed(7)
    torch.jit.script(Regressor()).save(str(out / "regressor.pt"))
    (out / "not_torchscript.pt").write_bytes(b"this is not a TorchScript archive\n")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
