#!/usr/bin/env python3
"""Stability of the segmentation across k-means seeds: Prospector beside scikit-learn.

Reads the cleaned population matrix `prospector-bench segment --dump WORK` wrote and the
cluster labels Prospector's runs wrote (WORK/prospector-s{seed}.i64, one run per --seeds),
fits scikit-learn's PCA (as segment_peer.py) and KMeans(n_init=3, random_state=seed) for every
seed and KMeans(n_init=50, random_state=0) once, and prints one JSON line per side:

  ari_truth        adjusted Rand index against the generator's true segments, per seed
  pairwise_ari     adjusted Rand index between the runs of every pair of seeds (min, mean)
  inertia_ratio    per seed: inertia / the inertia of scikit-learn's best of 50 restarts - 1.
                   Every side's inertia is measured the same way, on scikit-learn's projection:
                   the sum of squared distances of the rows to their cluster's mean (Prospector's
                   own projection differs from it only by the signs of the components).
  seconds          k-means time per seed (Prospector's: its own JSON line, WORK/prospector-s{seed}.json)

    python3 bench/peer/stability_peer.py --data DIR --input WORK --k 10 --seeds 1,2,3,4,5
"""
import argparse
import itertools
import json
import os
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score


def inertia_of(Z, labels, k):
    total = 0.0
    for c in range(k):
        members = Z[labels == c]
        if len(members):
            total += float(((members - members.mean(axis=0)) ** 2).sum())
    return total


def summary(name, labels_by_seed, seconds_by_seed, truth, Z, k, best):
    inertias = [inertia_of(Z, labels, k) for labels in labels_by_seed.values()]
    pairs = [adjusted_rand_score(a, b) for a, b in itertools.combinations(labels_by_seed.values(), 2)]
    return {
        "side": name,
        "seeds": list(labels_by_seed.keys()),
        "ari_truth": [round(float(adjusted_rand_score(truth, labels)), 4) for labels in labels_by_seed.values()],
        "pairwise_ari_min": round(float(min(pairs)), 4) if pairs else None,
        "pairwise_ari_mean": round(float(np.mean(pairs)), 4) if pairs else None,
        "inertia_ratio": [inertia / best - 1 for inertia in inertias],
        "seconds": seconds_by_seed,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--input", required=True)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--variance", type=float, default=0.9)
    parser.add_argument("--best-of", type=int, default=50)
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]

    meta = json.load(open(os.path.join(args.input, "meta.json")))
    X = np.fromfile(os.path.join(args.input, "population.f64"), dtype="<f8").reshape(-1, meta["columns"])
    lnr = np.fromfile(os.path.join(args.input, "population.lnr"), dtype="<i8")
    truth_table = np.loadtxt(os.path.join(args.data, "truth", "segments_azdias.csv"), delimiter=";", skiprows=1, dtype=np.int64)
    order = np.argsort(truth_table[:, 0])
    truth = truth_table[order, 1][np.searchsorted(truth_table[order, 0], lnr)]

    Z = PCA(n_components=args.variance, svd_solver="covariance_eigh").fit_transform(X)
    del X
    start = time.perf_counter()
    best = KMeans(n_clusters=args.k, algorithm="lloyd", init="k-means++", n_init=args.best_of, random_state=0).fit(Z)
    best_seconds = time.perf_counter() - start
    best_inertia = inertia_of(Z, best.labels_, args.k)

    prospector, prospector_seconds = {}, {}
    for seed in seeds:
        prospector[seed] = np.fromfile(os.path.join(args.input, f"prospector-s{seed}.i64"), dtype="<i8")
        record = json.load(open(os.path.join(args.input, f"prospector-s{seed}.json")))
        prospector_seconds[seed] = record.get("kmeans_seconds")
    sklearn3, sklearn3_seconds = {}, {}
    for seed in seeds:
        start = time.perf_counter()
        sklearn3[seed] = KMeans(n_clusters=args.k, algorithm="lloyd", init="k-means++", n_init=3, random_state=seed).fit(Z).labels_
        sklearn3_seconds[seed] = round(time.perf_counter() - start, 3)

    rows = [
        summary("prospector (default)", prospector, prospector_seconds, truth, Z, args.k, best_inertia),
        summary("scikit-learn n_init=3", sklearn3, sklearn3_seconds, truth, Z, args.k, best_inertia),
        summary(f"scikit-learn n_init={args.best_of}", {0: best.labels_}, {0: round(best_seconds, 3)}, truth, Z, args.k, best_inertia),
    ]
    for row in rows:
        print(json.dumps({"step": "stability", **row}))


if __name__ == "__main__":
    main()
