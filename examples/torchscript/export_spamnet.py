"""Exports SpamNet, a small text classifier over prepsweep's hashed token ids, as TorchScript."""
import os

import torch
from torch import nn


class SpamNet(nn.Module):                      # token ids in, as prepsweep hashes them (inputs: tokens)
    def __init__(self, vocab: int = 1024, dim: int = 16, classes: int = 2):
        super().__init__()
        self.embedding = nn.Embedding(vocab, dim, padding_idx=0)
        self.encoder = nn.Linear(dim, 32)
        self.head = nn.Linear(32, classes)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:   # (B, max_length) int64, 0 = padding
        mask = (ids > 0).float().unsqueeze(2)
        pooled = (self.embedding(ids) * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.head(torch.relu(self.encoder(pooled)))   # (B, classes) logits, labels in label_index order


torch.manual_seed(0)
os.makedirs("models", exist_ok=True)
torch.jit.script(SpamNet()).save("models/spamnet.pt")   # or torch.jit.trace(model, example_ids)
print("wrote models/spamnet.pt")
