#!/usr/bin/env python3
"""Peer for `prospector-bench segment`: the same PCA + k-means step in numpy + scikit-learn.

Two modes, like the Swift side:

--data DIR --input WORK: the cleaned matrices `prospector-bench segment --data DIR --dump WORK`
    wrote (population.f64 / .lnr, customers.f64 / .lnr, meta.json; see Sources/Bench/SegmentDataset.swift).
    PCA + KMeans are timed, then scored against DIR/truth exactly as the Swift side scores:
      ari                adjusted_rand_score(true segment, cluster) over the fitted population rows
      spearman           over the true segments: true customer ratio vs the fitted ratio of the
                         cluster holding most of that segment's fitted members (ties: lower cluster)
      spearman_clusters  over the clusters: fitted ratio vs the member-weighted mean true ratio
      *_same_starts      ari, spearman and inertia of KMeans restarted (untimed, n_init=1 each)
                         from the rows the Swift side's restarts started from
                         (WORK/kmeans_seed_rows.json), keeping the lowest inertia: the same
                         algorithm from the same start, where own seeding leaves it to chance
                         which local minimum each side finds
    A ratio is customer share / population share, shares over all rows (rows with insufficient
    data count as one more segment, as in the trainer's segment table).

--input FILE --cols C: a raw float64 matrix (the synthetic mixture), timing and inertia only.

    prospector-bench segment --data /tmp/full --k 10 --n-init 3 --seed 42 --dump /tmp/seg
    python3 bench/peer/segment_peer.py --data /tmp/full --input /tmp/seg --k 10 --n-init 3 --seed 42

`peak_mb` is read after the fit, before the customers are loaded (the Swift side likewise
reports the fit's peak only).
"""
import argparse
import json
import os
import resource
import time

import numpy as np
from scipy.stats import spearmanr
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score


def ratios(population_segments, customer_segments, count):
    population = np.bincount(population_segments, minlength=count) / max(1, len(population_segments))
    customers = np.bincount(customer_segments, minlength=count) / max(1, len(customer_segments))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(population > 0, customers / population, np.where(customers > 0, np.inf, 1.0))


def scores(true_segments, clusters, true_ratios, cluster_ratios, k):
    table = np.zeros((len(true_ratios), k), dtype=np.int64)
    np.add.at(table, (true_segments, clusters), 1)
    present = table.sum(axis=1) > 0
    dominant = table.argmax(axis=1)  # first maximum: the lower cluster on ties
    over_true = spearmanr(true_ratios[present], cluster_ratios[dominant[present]]).statistic
    members = table.sum(axis=0)
    implied = (table * true_ratios[:, None]).sum(axis=0) / np.maximum(members, 1)
    used = members > 0
    over_clusters = spearmanr(cluster_ratios[used], implied[used]).statistic
    return float(over_true), float(over_clusters)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="the trainer synth directory (for truth/); with it --input is the dump directory")
    parser.add_argument("--input", required=True, help="dump directory (with --data) or raw float64 matrix file")
    parser.add_argument("--cols", type=int, default=360)
    parser.add_argument("--k", type=int, default=12)
    parser.add_argument("--n-init", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--variance", type=float, default=0.9)
    parser.add_argument("--max-iter", type=int, default=300)
    parser.add_argument("--tol", type=float, default=1e-4)
    args = parser.parse_args()

    if args.data:
        meta = json.load(open(os.path.join(args.input, "meta.json")))
        cols = meta["columns"]
        X = np.fromfile(os.path.join(args.input, "population.f64"), dtype="<f8").reshape(-1, cols)
    else:
        cols = args.cols
        X = np.fromfile(args.input, dtype="<f8").reshape(-1, cols)

    start = time.perf_counter()
    cpu_start = time.process_time()
    pca = PCA(n_components=args.variance, svd_solver="covariance_eigh")
    Z = pca.fit_transform(X)
    pca_seconds = time.perf_counter() - start
    pca_cpu = time.process_time() - cpu_start
    kmeans_start = time.perf_counter()
    kmeans = KMeans(n_clusters=args.k, algorithm="lloyd", init="k-means++", n_init=args.n_init,
                    tol=args.tol, max_iter=args.max_iter, random_state=args.seed).fit(Z)
    end = time.perf_counter()
    cpu_seconds = time.process_time() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    record = {
        "step": "segment",
        "seconds": round(end - start, 3),
        "pca_seconds": round(pca_seconds, 3),
        "kmeans_seconds": round(end - kmeans_start, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "pca_cpu_seconds": round(pca_cpu, 3),
        "components": int(pca.n_components_),
        "explained_variance": round(float(pca.explained_variance_ratio_.sum()), 3),
        "inertia": float(kmeans.inertia_),
        "rows": int(X.shape[0]),
        "cols": int(X.shape[1]),
        "k": args.k,
        "n_init": args.n_init,
        "iterations": int(kmeans.n_iter_),
        "peak_mb": round(peak_mb, 3),
    }
    if args.data:
        # From the rows the Prospector side started each restart from (written by
        # `prospector-bench segment --dump`): the same Lloyd from the same start, untimed. Own
        # seeding draws other rows, and which local minimum a restart falls into is chance.
        same_starts = None
        seed_rows_path = os.path.join(args.input, "kmeans_seed_rows.json")
        if os.path.exists(seed_rows_path):
            for rows in json.load(open(seed_rows_path))["restarts"]:
                run = KMeans(n_clusters=args.k, algorithm="lloyd", init=Z[rows], n_init=1, tol=args.tol,
                             max_iter=args.max_iter).fit(Z)
                if same_starts is None or run.inertia_ < same_starts.inertia_:
                    same_starts = run
        del Z, X
        lnr = np.fromfile(os.path.join(args.input, "population.lnr"), dtype="<i8")
        C = np.fromfile(os.path.join(args.input, "customers.f64"), dtype="<f8").reshape(-1, cols)
        C_projected = pca.transform(C) if len(C) else np.zeros((0, pca.n_components_))

        truth_table = np.loadtxt(os.path.join(args.data, "truth", "segments_azdias.csv"), delimiter=";",
                                 skiprows=1, dtype=np.int64)
        order = np.argsort(truth_table[:, 0])
        found = np.searchsorted(truth_table[order, 0], lnr)
        true_segments = truth_table[order, 1][found]
        assert np.array_equal(truth_table[order, 0][found], lnr), "population LNRs missing from the truth"
        truth = json.load(open(os.path.join(args.data, "truth", "truth.json")))
        true_ratios = np.array([s["customer_ratio"] for s in sorted(truth["segments"], key=lambda s: s["id"])])

        def quality(model):
            k = args.k
            clusters = model.labels_.astype(np.int64)
            customer_clusters = model.predict(C_projected).astype(np.int64) if len(C) else np.zeros(0, np.int64)
            population = np.concatenate([clusters, np.full(meta["population_total"] - len(clusters), k)])
            customers = np.concatenate([customer_clusters, np.full(meta["customer_total"] - len(customer_clusters), k)])
            cluster_ratios = ratios(population, customers, k + 1)[:k]
            over_true, over_clusters = scores(true_segments, clusters, true_ratios, cluster_ratios, k)
            return round(float(adjusted_rand_score(true_segments, clusters)), 4), over_true, over_clusters, cluster_ratios

        ari, over_true, over_clusters, cluster_ratios = quality(kmeans)
        record.update({
            "ari": ari,
            "spearman": round(over_true, 4),
            "spearman_clusters": round(over_clusters, 4),
            "cluster_ratios": [round(float(r), 3) for r in cluster_ratios],
            "population_total": meta["population_total"],
            "customer_rows": int(len(C)),
        })
        if same_starts is not None:
            ari, over_true, _, _ = quality(same_starts)
            record.update({"ari_same_starts": ari, "spearman_same_starts": round(over_true, 4),
                           "inertia_same_starts": float(same_starts.inertia_)})
    print(json.dumps(record))


if __name__ == "__main__":
    main()
