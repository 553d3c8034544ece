"""Writes the diabetes regression data Debian's python3-sklearn ships (442 patients, 10 raw features, a disease
progression score a year later; Efron et al., 2004) as examples/trainer-plugin/target/diabetes.csv, with a header
and an id column, for examples/trainer-plugin/diabetes.yaml. Run from the repository root; needs no network."""
import gzip
import os
import sys

DATA = "/usr/lib/python3/dist-packages/sklearn/datasets/data"
OUT = "examples/trainer-plugin/target/diabetes.csv"


def lines(name):
    path = os.path.join(DATA, name)
    if not os.path.exists(path):
        sys.exit(f"{path} is missing: install python3-sklearn (apt-get install python3-sklearn)")
    with gzip.open(path, "rt") as f:
        return [line.split() for line in f if line.strip()]


features = lines("diabetes_data_raw.csv.gz")
target = lines("diabetes_target.csv.gz")
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as out:
    out.write("id,progression,age,sex,bmi,bp,s1,s2,s3,s4,s5,s6\n")
    for i, (x, y) in enumerate(zip(features, target)):
        out.write(f"p{i},{float(y[0])},{','.join(x)}\n")
print(f"wrote {len(features)} rows to {OUT}")
