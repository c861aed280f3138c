#!/usr/bin/env python3
"""LightGBM (PyPI) reads Prospector's exported trees and agrees with Prospector.

Given the files `trainer export` wrote for one data file:
  MODEL.txt          trainer export --format lightgbm
  FEATURES.csv       trainer export --format features --input FILE.csv  (LNR,raw_score,FEATURE...)
  CONTRIBUTIONS.csv  trainer export --format contributions --input FILE.csv (LNR,FEATURE...,expected_value)
it checks, for every row, that lightgbm.Booster(model_file=MODEL).predict(X, raw_score=True)
equals Prospector's raw score to 1e-12, and that predict(X, pred_contrib=True) equals
Prospector's SHAP values (every feature and the expected value) to 1e-9. Exit 1 on a mismatch.
"""
import argparse
import csv
import sys

import lightgbm
import numpy as np


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    ids = [r[0] for r in body]
    values = np.array([[float(v) for v in r[1:]] for r in body], dtype=np.float64)
    return header[1:], ids, values


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model")
    parser.add_argument("features")
    parser.add_argument("contributions")
    args = parser.parse_args()

    names, ids, table = read(args.features)
    raw_prospector, x = table[:, 0], table[:, 1:]
    contribution_names, contribution_ids, prospector_contrib = read(args.contributions)
    assert contribution_ids == ids, "the two exports list different rows"
    assert contribution_names[:-1] == names[1:], "the two exports list different features"

    booster = lightgbm.Booster(model_file=args.model)
    assert booster.num_feature() == x.shape[1], f"LightGBM reads {booster.num_feature()} features, the file has {x.shape[1]}"
    raw_lightgbm = booster.predict(x, raw_score=True)
    contrib_lightgbm = booster.predict(x, pred_contrib=True)

    raw_error = float(np.max(np.abs(raw_lightgbm - raw_prospector)))
    contrib_error = float(np.max(np.abs(contrib_lightgbm - prospector_contrib)))
    local_accuracy = float(np.max(np.abs(prospector_contrib.sum(axis=1) - raw_prospector)))
    print(f"lightgbm {lightgbm.__version__}: {x.shape[0]} rows x {x.shape[1]} features, {booster.num_trees()} trees, "
          f"{int(np.isnan(x).sum())} missing values")
    print(f"raw score: max |LightGBM - Prospector| = {raw_error:.3g} (limit 1e-12)")
    print(f"SHAP values: max |pred_contrib - Prospector| = {contrib_error:.3g} over {contrib_lightgbm.size} values (limit 1e-9)")
    print(f"local accuracy: max |sum of contributions + expected value - raw score| = {local_accuracy:.3g}")
    ok = raw_error <= 1e-12 and contrib_error <= 1e-9 and local_accuracy <= 1e-9
    nonzero = int((np.abs(prospector_contrib[:, :-1]) > 0).sum())
    if nonzero == 0:
        print("no feature has a non-zero contribution: the comparison would prove nothing")
        ok = False
    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
