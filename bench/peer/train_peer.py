#!/usr/bin/env python3
"""Peer for the `train` step: the whole nightly job as an analyst writes it with pandas,
scikit-learn and LightGBM, on the same files `trainer train` reads.

Usage: bench/.venv/bin/python bench/peer/train_peer.py DATA_DIR [--seed 1] [--out DIR]

Steps, mirroring `trainer train` with its default options:
 1. metadata + cleaning of AZDIAS exactly as clean_peer.py (unknown codes -> NaN, columns missing
    in > 30 % dropped, engineered columns, one-hot), median imputation and standard scaling fitted
    on the population; CUSTOMERS, MAILOUT_TRAIN and MAILOUT_TEST cleaned by the same rules and
    reindexed to the population's columns, imputed and scaled with the population's fit;
 2. PCA(svd_solver="covariance_eigh", n_components=0.9) + KMeans(k=10, n_init=3, lloyd,
    tol=1e-4, max_iter=300) on population rows missing at most half their columns; customers
    and population assigned to segments;
 3. LightGBM on the raw (unimputed) campaign features with trainer's defaults (8 leaves, learning
    rate 0.03, min_data_in_leaf 40, lambda_l2 1, bagging 0.8 every tree, feature_fraction 0.7,
    2 threads): stratified 5-fold CV with early stopping (50 rounds, at most 400), final fit
    with the mean best round; an L2 logistic regression 5-fold CV as the baseline;
 4. test predictions written as the Kaggle submission.
Prints one JSON line with seconds (all of the above; imports excluded), peak_mb and quality figures.
"""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clean_peer  # noqa: E402

import lightgbm as lgb  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

FILES = {
    "population": "Udacity_AZDIAS_052018.csv",
    "customers": "Udacity_CUSTOMERS_052018.csv",
    "train": "Udacity_MAILOUT_052018_TRAIN.csv",
    "test": "Udacity_MAILOUT_052018_TEST.csv",
    "values": "DIAS Attributes - Values 2017.xlsx",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", help="directory for the submission (default: not written)")
    args = parser.parse_args()
    path = {k: os.path.join(args.data, v) for k, v in FILES.items()}
    started = time.perf_counter()
    phases = {}

    def phase(name, since):
        now = time.perf_counter()
        phases[name + "_seconds"] = round(now - since, 3)
        return now

    t = time.perf_counter()
    unknown = clean_peer.unknown_codes(path["values"])
    population, _ = clean_peer.clean(clean_peer.read_frame(path["population"]), unknown, 0.30)
    columns = population.columns
    row_missing = population["ROW_MISSING_SHARE"].to_numpy() if "ROW_MISSING_SHARE" in population else None
    imputer = SimpleImputer(strategy="median")
    scaler = StandardScaler()
    X_pop = scaler.fit_transform(imputer.fit_transform(population.to_numpy(dtype=np.float64)))
    del population

    def cleaned(name):
        frame, _ = clean_peer.clean(clean_peer.read_frame(path[name]), unknown, 1.01)
        return frame.reindex(columns=columns)

    customers = cleaned("customers")
    cust_missing = customers["ROW_MISSING_SHARE"].to_numpy() if "ROW_MISSING_SHARE" in customers else None
    X_cust = scaler.transform(imputer.transform(customers.to_numpy(dtype=np.float64)))
    del customers
    t = phase("clean", t)

    sufficient = row_missing <= 0.5 if row_missing is not None else np.ones(len(X_pop), bool)
    pca = PCA(n_components=0.9, svd_solver="covariance_eigh", random_state=args.seed)
    projected = pca.fit_transform(X_pop[sufficient])
    t = phase("pca", t)
    kmeans = KMeans(n_clusters=10, n_init=3, algorithm="lloyd", tol=1e-4, max_iter=300, random_state=args.seed)
    kmeans.fit(projected)
    t = phase("kmeans", t)
    k = kmeans.n_clusters
    pop_segments = np.full(len(X_pop), k)
    pop_segments[sufficient] = kmeans.labels_
    cust_ok = cust_missing <= 0.5 if cust_missing is not None else np.ones(len(X_cust), bool)
    cust_segments = np.full(len(X_cust), k)
    cust_segments[cust_ok] = kmeans.predict(pca.transform(X_cust[cust_ok]))
    pop_share = np.bincount(pop_segments, minlength=k + 1) / len(pop_segments)
    cust_share = np.bincount(cust_segments, minlength=k + 1) / len(cust_segments)
    del X_pop, X_cust, projected
    t = phase("assign", t)

    labels = pd.read_csv(path["train"], sep=";", usecols=["LNR", "RESPONSE"]).set_index("LNR")["RESPONSE"]
    train = cleaned("train")
    y = labels.loc[train.index].to_numpy(dtype=np.float64)
    X = train.to_numpy(dtype=np.float64)
    test = cleaned("test")
    X_test = test.to_numpy(dtype=np.float64)
    params = {
        "objective": "binary", "metric": "auc", "num_leaves": 8, "learning_rate": 0.03, "min_data_in_leaf": 40,
        "lambda_l2": 1.0, "bagging_fraction": 0.8, "bagging_freq": 1, "feature_fraction": 0.7, "max_bin": 255,
        "num_threads": 2, "seed": args.seed, "verbose": -1,
    }
    folds = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=args.seed).split(X, y))
    full = lgb.Dataset(X, label=y, params={"max_bin": 255, "verbose": -1}, free_raw_data=False).construct()
    fold_auc, best = [], []
    for tr, va in folds:
        history = {}
        booster = lgb.train(params, full.subset(tr), num_boost_round=400, valid_sets=[full.subset(va)],
                            callbacks=[lgb.record_evaluation(history), lgb.early_stopping(50, verbose=False)])
        it = int(np.argmax(history["valid_0"]["auc"])) + 1
        best.append(it)
        fold_auc.append(roc_auc_score(y[va], booster.predict(X[va], num_iteration=it)))
    final = lgb.train(params, full, num_boost_round=max(1, int(round(np.mean(best)))))
    logistic_auc = []
    for tr, va in folds:
        model = make_pipeline(SimpleImputer(strategy="mean"), StandardScaler(), LogisticRegression(C=1.0, max_iter=500))
        model.fit(X[tr], y[tr])
        logistic_auc.append(roc_auc_score(y[va], model.predict_proba(X[va])[:, 1]))
    t = phase("response", t)
    p_test = final.predict(X_test)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        pd.DataFrame({"LNR": test.index, "RESPONSE": p_test}).to_csv(os.path.join(args.out, "submission.csv"), index=False)
    phase("predict", t)
    seconds = time.perf_counter() - started
    print(json.dumps({
        "step": "train_peer", "seconds": round(seconds, 3),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1),
        "cv_auc": float(np.mean(fold_auc)), "logistic_cv_auc": float(np.mean(logistic_auc)),
        "clusters": int(k), "components": int(pca.n_components_), "inertia": float(kmeans.inertia_),
        "test_mean_probability": float(np.mean(p_test)),
        "core_ratio_max": float(np.max(cust_share[:k] / np.maximum(pop_share[:k], 1e-12))),
        **phases,
    }), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
