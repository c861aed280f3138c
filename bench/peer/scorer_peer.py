#!/usr/bin/env python3
"""Peer of `scorer --stdin`: the streaming scorer an analyst would write with the usual stack.

    python scorer_peer.py fit TRAIN.csv MODEL.pkl --components C --clusters K --trees T --leaves L
    python scorer_peer.py score MODEL.pkl < rows.csv > answers.csv

`fit` (not timed by the bench) fits on MAILOUT TRAIN what the bundle holds, sized alike: numeric
coercion of the object columns (CAMEO codes, OST_WEST_KZ, the EINGEFUEGT_AM year), median fill,
standardisation, PCA, k-means and a LightGBM classifier with the bundle's tree count and leaves.
`score` is the timed part: pandas reads stdin in chunks of 10 000 rows, each chunk goes through
the fitted pipeline, and `LNR;segment;probability` lines are written in input order.
"""
import argparse
import pickle
import sys

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler


def numeric(frame, columns):
    """The columns as float64: strings that are not numbers (X, XX, ...) become NaN."""
    out = frame.reindex(columns=columns)
    for c in out.columns:
        if out[c].dtype == object or str(out[c].dtype).startswith("str"):
            if c == "EINGEFUEGT_AM":
                out[c] = pd.to_datetime(out[c], errors="coerce").dt.year
            elif c == "OST_WEST_KZ":
                out[c] = out[c].map({"O": 0.0, "W": 1.0})
            elif c == "CAMEO_DEU_2015":
                out[c] = pd.to_numeric(out[c].astype("string").str[:1], errors="coerce") * 10 + out[c].astype(
                    "string").str[1:2].map(lambda s: ord(s) - 64 if isinstance(s, str) and s.isalpha() else np.nan)
            else:
                out[c] = pd.to_numeric(out[c], errors="coerce")
    return out.astype(np.float64)


def fit(args):
    train = pd.read_csv(args.train, sep=";", low_memory=False)
    y = train.pop("RESPONSE").to_numpy()
    columns = [c for c in train.columns if c != "LNR"]
    X = numeric(train, columns)
    medians = X.median().fillna(0)
    filled = X.fillna(medians).to_numpy()
    scaler = StandardScaler().fit(filled)
    scaled = scaler.transform(filled)
    pca = PCA(n_components=min(args.components, scaled.shape[1]), random_state=0).fit(scaled)
    kmeans = KMeans(n_clusters=args.clusters, n_init=1, random_state=0).fit(pca.transform(scaled))
    booster = lgb.LGBMClassifier(
        n_estimators=args.trees, num_leaves=args.leaves, learning_rate=0.05, min_child_samples=5,
        num_threads=2, verbose=-1).fit(X.to_numpy(), y)
    with open(args.model, "wb") as f:
        pickle.dump({"columns": columns, "medians": medians, "scaler": scaler, "pca": pca, "kmeans": kmeans,
                     "booster": booster}, f)


def score(args):
    with open(args.model, "rb") as f:
        m = pickle.load(f)
    out = sys.stdout
    out.write("LNR;segment;probability\n")
    for chunk in pd.read_csv(sys.stdin, sep=";", chunksize=10_000, low_memory=False):
        X = numeric(chunk, m["columns"])
        scaled = m["scaler"].transform(X.fillna(m["medians"]).to_numpy())
        segment = m["kmeans"].predict(m["pca"].transform(scaled)) + 1
        probability = m["booster"].predict_proba(X.to_numpy())[:, 1]
        pd.DataFrame({"LNR": chunk["LNR"], "segment": segment, "probability": probability}).to_csv(
            out, sep=";", header=False, index=False)
    out.flush()


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    f = sub.add_parser("fit")
    f.add_argument("train")
    f.add_argument("model")
    f.add_argument("--components", type=int, default=100)
    f.add_argument("--clusters", type=int, default=8)
    f.add_argument("--trees", type=int, default=300)
    f.add_argument("--leaves", type=int, default=31)
    s = sub.add_parser("score")
    s.add_argument("model")
    args = parser.parse_args()
    fit(args) if args.mode == "fit" else score(args)


if __name__ == "__main__":
    main()
