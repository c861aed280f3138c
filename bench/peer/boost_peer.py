#!/usr/bin/env python3
"""Peer of `prospector-bench boost`: the same protocol with LightGBM 4.x (num_threads=2).

Reads the matrices and settings that `prospector-bench boost --dump DIR` wrote, then runs
5-fold stratified CV (each fold early-stopped on its held-out fold by AUC, as the Swift side
does), a final fit on all rows with the rounded mean of the folds' best iterations, and a
logistic-regression baseline (mean imputation + standardisation, C=1). Prints one JSON line
with the same keys as the Swift side. `seconds` covers Dataset construction + CV + final fit.

    .venv/bin/python bench/peer/boost_peer.py DIR
"""
import json
import os
import resource
import sys
import time

import lightgbm as lgb
import numpy as np
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def ece(p, y, groups=10):
    """Equal-count groups by predicted probability (ties by row order), as Calibration.swift."""
    order = np.argsort(p, kind="stable")
    n = len(p)
    total = 0.0
    for g in range(groups):
        idx = order[g * n // groups:(g + 1) * n // groups]
        if len(idx):
            total += len(idx) / n * abs(p[idx].mean() - y[idx].mean())
    return total


def main():
    d = sys.argv[1]
    s = json.load(open(os.path.join(d, "settings.json")))
    n, m, p = s["rows"], s["test_rows"], s["cols"]
    X = np.fromfile(os.path.join(d, "X_train.f64"), dtype="<f8").reshape(n, p)
    y = np.fromfile(os.path.join(d, "y_train.u8"), dtype=np.uint8).astype(np.float64)
    Xt = np.fromfile(os.path.join(d, "X_test.f64"), dtype="<f8").reshape(m, p)
    yt = np.fromfile(os.path.join(d, "y_test.u8"), dtype=np.uint8)
    pt = np.fromfile(os.path.join(d, "p_test.f64"), dtype="<f8")
    params = {
        "objective": "binary", "metric": "auc", "num_leaves": s["leaves"], "learning_rate": s["lr"],
        "bagging_fraction": s["bagging"], "bagging_freq": 1 if s["bagging"] < 1 else 0,
        "feature_fraction": s["feature_fraction"], "min_data_in_leaf": 20,
        "min_sum_hessian_in_leaf": 1e-3, "lambda_l2": 0.0, "max_bin": 255,
        "num_threads": 2, "seed": s["seed"], "verbose": -1,
    }
    folds = StratifiedKFold(n_splits=s["folds"], shuffle=True, random_state=s["seed"])
    splits = list(folds.split(X, y))

    start = time.perf_counter()
    full = lgb.Dataset(X, label=y, params={"max_bin": 255, "verbose": -1}, free_raw_data=False).construct()
    oof = np.zeros(n)
    fold_auc, best = [], []
    for tr, va in splits:
        dtr = full.subset(tr)
        dva = full.subset(va)
        history = {}
        callbacks = [lgb.record_evaluation(history)]
        if s["early_stopping"] > 0:
            callbacks.append(lgb.early_stopping(s["early_stopping"], verbose=False))
        booster = lgb.train(params, dtr, num_boost_round=s["trees"], valid_sets=[dva], callbacks=callbacks)
        # Best round = first maximum of the held-out AUC, with or without early stopping (as Swift).
        it = int(np.argmax(history["valid_0"]["auc"])) + 1
        best.append(it)
        oof[va] = booster.predict(X[va], num_iteration=it)
        fold_auc.append(roc_auc_score(y[va], oof[va]))
    chosen = max(1, int(round(np.mean(best))))
    final = lgb.train(params, full, num_boost_round=chosen)
    seconds = time.perf_counter() - start

    ptest = final.predict(Xt)
    out = {
        "step": "response_model_peer", "seconds": seconds,
        "cv_auc_mean": float(np.mean(fold_auc)), "cv_auc_std": float(np.std(fold_auc)),
        "test_auc": roc_auc_score(yt, ptest), "bayes_auc": roc_auc_score(yt, pt),
        "test_logloss": log_loss(yt, ptest), "ece": ece(oof, y), "trees": chosen, "best_iterations": best,
    }
    if "--skip-logistic" not in sys.argv:
        t = time.perf_counter()
        aucs = []
        for tr, va in splits:
            model = make_pipeline(SimpleImputer(strategy="mean"), StandardScaler(),
                                  LogisticRegression(C=1.0, max_iter=500))
            model.fit(X[tr], y[tr])
            aucs.append(roc_auc_score(y[va], model.predict_proba(X[va])[:, 1]))
        out["logistic_cv_auc"] = float(np.mean(aucs))
        out["logistic_seconds"] = time.perf_counter() - t
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


if __name__ == "__main__":
    main()
