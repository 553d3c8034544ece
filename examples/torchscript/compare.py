"""Loads the best trial's model.pt with torch and checks it predicts what prepsweep's scorer wrote to `predictions`.

    bin/prepsweep query "SELECT p.model_uri, p.id, t.text, p.probabilities FROM predictions p JOIN test t ON p.id = t.id" \
        --format json --max-rows 100000 | /usr/bin/python3 examples/torchscript/compare.py

For `inputs: tokens` the module reads prepsweep's hashed token ids: each run of letters and digits (Java's
Character.isLetterOrDigit over UTF-16 code units), lower-cased, hashed with 32-bit MurmurHash3 (seed 0) of its UTF-8
bytes to 1 + hash mod (vocab_size - 1), the first max_length of them, 0 pads. The settings are in model.json beside
model.pt.
"""
import json
import sys
import unicodedata

import torch

WORD = {"Lu", "Ll", "Lt", "Lm", "Lo", "Nd"}


def murmur3(data: bytes) -> int:
    """MurmurHash3 x86 32-bit, seed 0, as a signed 32-bit int (Java's)."""
    def rotl(x, r):
        return ((x << r) | (x >> (32 - r))) & 0xFFFFFFFF

    def mix_k(k):
        return (rotl((k * 0xCC9E2D51) & 0xFFFFFFFF, 15) * 0x1B873593) & 0xFFFFFFFF

    h, n = 0, len(data)
    for i in range(0, n - n % 4, 4):
        h = (rotl(h ^ mix_k(int.from_bytes(data[i:i + 4], "little")), 13) * 5 + 0xE6546B64) & 0xFFFFFFFF
    tail = data[n - n % 4:]
    if tail:
        h ^= mix_k(int.from_bytes(tail, "little"))
    h ^= n
    h = ((h ^ (h >> 16)) * 0x85EBCA6B) & 0xFFFFFFFF
    h = ((h ^ (h >> 13)) * 0xC2B2AE35) & 0xFFFFFFFF
    h ^= h >> 16
    return h - (1 << 32) if h & 0x80000000 else h


def token_ids(text: str, vocab_size: int, max_length: int) -> list:
    units = (text or "").encode("utf-16-le")
    chars = [int.from_bytes(units[i:i + 2], "little") for i in range(0, len(units), 2)]
    ids, start = [], None
    for i in range(len(chars) + 1):
        if len(ids) == max_length:
            break
        c = chars[i] if i < len(chars) else None
        word = c is not None and not 0xD800 <= c <= 0xDFFF and unicodedata.category(chr(c)) in WORD
        if word and start is None:
            start = i
        elif not word and start is not None:
            token = b"".join(u.to_bytes(2, "little") for u in chars[start:i]).decode("utf-16-le").lower()
            ids.append(1 + murmur3(token.encode("utf-8")) % (vocab_size - 1))
            start = None
    return ids + [0] * (max_length - len(ids))


def main() -> None:
    rows = [json.loads(line) for line in sys.stdin if line.strip()]
    best = rows[0]["model_uri"].removeprefix("file:")
    featurizer = json.load(open(best + "/model.json"))["featurizer"]
    x = torch.tensor([token_ids(r["text"], featurizer["vocab_size"], featurizer["max_tokens"]) for r in rows])
    model = torch.jit.load(best + "/model.pt")
    model.eval()
    with torch.no_grad():
        probabilities = torch.softmax(model(x), dim=1)
    scorer = torch.tensor([r["probabilities"] for r in rows], dtype=torch.float32)
    diff = (probabilities - scorer).abs().max().item()
    print(f"{len(rows)} test rows, {best}/model.pt: largest difference from prepsweep's probabilities {diff:.2e}")
    sys.exit(0 if diff < 1e-5 else 1)


if __name__ == "__main__":
    main()
