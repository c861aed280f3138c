#!/usr/bin/env python3
"""Peer for `prospector-bench segment`: the same PCA + k-means step in numpy + scikit-learn.

Reads the exact matrix the Swift side used (written with `prospector-bench segment --dump
PATH`, raw little-endian float64, row-major) and prints one JSON line with the same keys:

    prospector-bench segment --rows 800000 --cols 360 --k 12 --n-init 3 --seed 42 --dump /tmp/seg.f64
    python3 bench/peer/segment_peer.py --input /tmp/seg.f64 --cols 360 --k 12 --n-init 3 --seed 42
"""
import argparse
import json
import resource
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, help="raw float64 matrix from --dump")
    parser.add_argument("--cols", type=int, default=360)
    parser.add_argument("--k", type=int, default=12)
    parser.add_argument("--n-init", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--variance", type=float, default=0.9)
    parser.add_argument("--max-iter", type=int, default=300)
    parser.add_argument("--tol", type=float, default=1e-4)
    args = parser.parse_args()

    X = np.fromfile(args.input, dtype="<f8").reshape(-1, args.cols)

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

    print(json.dumps({
        "step": "pca_kmeans",
        "seconds": round(end - start, 3),
        "pca_seconds": round(pca_seconds, 3),
        "kmeans_seconds": round(end - kmeans_start, 3),
        "components": int(pca.n_components_),
        "inertia": float(kmeans.inertia_),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 3),
        "cpu_seconds": round(time.process_time() - cpu_start, 3),
        "pca_cpu_seconds": round(pca_cpu, 3),
        "rows": int(X.shape[0]),
        "cols": int(X.shape[1]),
        "k": args.k,
        "n_init": args.n_init,
        "iterations": int(kmeans.n_iter_),
        "explained_variance": round(float(pca.explained_variance_ratio_.sum()), 3),
    }))


if __name__ == "__main__":
    main()
