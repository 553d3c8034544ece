#!/usr/bin/python3
"""The reference: the same prep steps with pandas + scikit-learn + imbalanced-learn, one thread.

Usage: /usr/bin/python3 reference.py IN.csv OUT.json [SEED]
Steps and what each is timed on: drop exact duplicates; mean imputation (SimpleImputer) of the 8
features; train_test_split(stratify=label) twice (80/20, then 50/50 of the 20); SMOTE(k=5) of train to
the majority count; RandomUnderSampler of train to the minority count.
"""
import json
import os
import resource
import sys
import time

for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[v] = "1"

import pandas as pd  # noqa: E402
from imblearn.over_sampling import SMOTE  # noqa: E402
from imblearn.under_sampling import RandomUnderSampler  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

src, out = sys.argv[1], sys.argv[2]
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
features = [f"f{i}" for i in range(8)]
t = {}

t0 = time.perf_counter()
df = pd.read_csv(src, dtype={"id": str, "text": str, "label": str}, keep_default_na=True)
t["read_s"] = time.perf_counter() - t0
rows_read = len(df)

t0 = time.perf_counter()
df["text"] = df["text"].str.lower()
df = df.drop_duplicates()
t["dedupe_s"] = time.perf_counter() - t0
rows_clean = len(df)

t0 = time.perf_counter()
df[features] = SimpleImputer(strategy="mean").fit_transform(df[features])
t["impute_s"] = time.perf_counter() - t0

t0 = time.perf_counter()
train, rest = train_test_split(df, test_size=0.2, stratify=df["label"], random_state=seed)
val, test = train_test_split(rest, test_size=0.5, stratify=rest["label"], random_state=seed)
t["split_s"] = time.perf_counter() - t0

t0 = time.perf_counter()
xs, ys = SMOTE(k_neighbors=5, random_state=seed).fit_resample(train[features], train["label"])
t["smote_s"] = time.perf_counter() - t0

t0 = time.perf_counter()
xu, yu = RandomUnderSampler(random_state=seed).fit_resample(train[features], train["label"])
t["undersample_s"] = time.perf_counter() - t0

steps = ["dedupe_s", "impute_s", "split_s", "smote_s", "undersample_s"]
res = {
    "engine": "pandas %s + scikit-learn + imbalanced-learn (1 thread)" % pd.__version__,
    "rows_read": rows_read,
    "rows_clean": rows_clean,
    "rows_train": len(train),
    "rows_smote_out": len(ys),
    "rows_undersampled": len(yu),
    **{k: round(v, 3) for k, v in t.items()},
    "sum_of_steps_s": round(sum(t[k] for k in steps), 3),
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
}
with open(out, "w") as f:
    f.write(json.dumps(res) + "\n")
print(json.dumps(res))
