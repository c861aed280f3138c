#!/usr/bin/env python3
"""Peer of `prospector-bench boost`: the same protocol with LightGBM 4.x (num_threads=2).

Reads the matrices, folds and settings that `prospector-bench boost --dump DIR` wrote, then runs
5-fold CV on the same folds (each fold early-stopped on its held-out fold by AUC, as the Swift
side does), a final fit on all rows with the rounded mean of the folds' best iterations, and
optionally a logistic-regression baseline (mean imputation + standardisation, C=1). Prints one
JSON line with the same keys as the Swift side. `seconds` covers Dataset construction (binning)
+ CV + final fit.

When settings.json lists several `seeds` (`prospector-bench boost --repeats N`), the protocol runs
once per seed on that seed's folds (`folds-SEED.u8`) with LightGBM's `seed` set to it, and the
summary line sums the seconds and CPU and averages every other number, as the Swift side does.

    .venv/bin/python bench/peer/boost_peer.py DIR [--logistic] [--final-only]
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


def expected_auc(scores, p):
    """AUC expected when label i ~ Bernoulli(p_i): sum p_i (1 - p_j) [s_i > s_j, ties 1/2] over
    pairs i != j over sum p_i (1 - p_j); the definition of Metrics.expectedAUC, written apart."""
    order = np.argsort(scores, kind="stable")
    s, q = scores[order], p[order]
    _, starts = np.unique(s, return_index=True)
    ends = np.append(starts[1:], len(s))
    neg = 1.0 - q
    group_neg = np.add.reduceat(neg, starts)
    below = np.concatenate(([0.0], np.cumsum(group_neg)[:-1]))
    sizes = ends - starts
    below_row = np.repeat(below, sizes)
    group_row = np.repeat(group_neg, sizes)
    concordant = np.sum(q * (below_row + (group_row - neg) / 2))
    pairs = q.sum() * (len(q) - q.sum()) - np.sum(q * (1 - q))
    return float(concordant / pairs)


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    d = sys.argv[1]
    s = json.load(open(os.path.join(d, "settings.json")))
    n, m, p = s["rows"], s["test_rows"], s["cols"]
    X = np.fromfile(os.path.join(d, "X_train.f64"), dtype="<f8").reshape(n, p)
    y = np.fromfile(os.path.join(d, "y_train.u8"), dtype=np.uint8).astype(np.float64)
    Xt = np.fromfile(os.path.join(d, "X_test.f64"), dtype="<f8").reshape(m, p)
    yt = np.fromfile(os.path.join(d, "y_test.u8"), dtype=np.uint8)
    pt = np.fromfile(os.path.join(d, "p_test.f64"), dtype="<f8")
    seeds = s.get("seeds") or [s["seed"]]
    if len(seeds) == 1:
        out = run_once(d, s, s["seed"], os.path.join(d, "folds.u8"), X, y, Xt, yt, pt)
    else:
        runs = []
        for seed in seeds:
            run = run_once(d, s, seed, os.path.join(d, f"folds-{seed}.u8"), X, y, Xt, yt, pt)
            print(json.dumps({**run, "step": "boost_seed", "seed": seed}), flush=True)
            runs.append(run)
        out = summary(runs, seeds)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def summary(runs, seeds):
    """Seconds and CPU summed over the seeds, every other number the mean, the rest as the first
    seed had it; plus the by-seed lists (the same rule as BoostBench.swift)."""
    out = {}
    for key, value in runs[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            values = [r[key] for r in runs]
            out[key] = float(sum(values)) if key in ("seconds", "cpu_seconds") else float(np.mean(values))
        else:
            out[key] = value
    out["seeds"] = seeds
    out["seconds_by_seed"] = [round(r["seconds"], 4) for r in runs]
    out["cpu_seconds_by_seed"] = [round(r["cpu_seconds"], 4) for r in runs]
    out["test_auc_by_seed"] = [round(r["test_auc"], 6) for r in runs]
    out["cv_auc_by_seed"] = [round(r["cv_auc_mean"], 6) if r["cv_auc_mean"] is not None else None for r in runs]
    out["best_iterations_by_seed"] = [r["best_iterations"] for r in runs]
    return out


def run_once(d, s, seed, fold_file, X, y, Xt, yt, pt):
    """One timed run of the protocol with `seed` on the folds in `fold_file`, scored on the test rows."""
    n, p = X.shape
    params = {
        "objective": "binary", "metric": "auc", "num_leaves": s["leaves"], "learning_rate": s["lr"],
        "bagging_fraction": s["bagging"], "bagging_freq": 1 if s["bagging"] < 1 else 0,
        "feature_fraction": s["feature_fraction"], "min_data_in_leaf": s.get("min_data_in_leaf", 20),
        "min_sum_hessian_in_leaf": 1e-3, "lambda_l2": 0.0, "max_bin": 255,
        "num_threads": 2, "seed": seed, "verbose": -1,
    }
    if os.path.exists(fold_file):
        fold = np.fromfile(fold_file, dtype=np.uint8)
        splits = [(np.flatnonzero(fold != k), np.flatnonzero(fold == k)) for k in range(s["folds"])]
    else:
        folds = StratifiedKFold(n_splits=s["folds"], shuffle=True, random_state=seed)
        splits = list(folds.split(X, y))

    start = time.perf_counter()
    cpu_start = cpu_seconds()
    full = lgb.Dataset(X, label=y, params={"max_bin": 255, "verbose": -1}, free_raw_data=False).construct()
    oof = np.zeros(n)
    fold_auc, best = [], []
    final_only = "--final-only" in sys.argv
    for tr, va in ([] if final_only else splits):
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
    chosen = s["trees"] if final_only else max(1, int(round(np.mean(best))))
    final = lgb.train(params, full, num_boost_round=chosen)
    seconds = time.perf_counter() - start
    cpu = cpu_seconds() - cpu_start
    if final_only:
        oof = final.predict(X)  # in-sample, as the Swift side reports it without CV

    ptest = final.predict(Xt)
    # Platt scaling fitted on the out-of-fold probabilities (plain labels, no smoothing), as Swift.
    if final_only:
        platt_test, platt_oof = ptest, oof
    else:
        logit = lambda q: np.log(q / (1 - q))
        scaler = LogisticRegression(C=1e12, tol=1e-10, max_iter=1000).fit(logit(oof)[:, None], y)
        platt_test = scaler.predict_proba(logit(ptest)[:, None])[:, 1]
        platt_oof = scaler.predict_proba(logit(oof)[:, None])[:, 1]
    test_auc, bayes_auc = roc_auc_score(yt, ptest), roc_auc_score(yt, pt)
    test_exp, bayes_exp = expected_auc(ptest, pt), expected_auc(pt, pt)
    out = {
        "step": "boost", "seconds": seconds, "cpu_seconds": cpu, "rows": n, "features": p,
        "cv_auc_mean": float(np.mean(fold_auc)) if fold_auc else None,
        "cv_auc_std": float(np.std(fold_auc)) if fold_auc else None,
        "test_auc": test_auc, "bayes_auc": bayes_auc, "bayes_gap": bayes_auc - test_auc,
        "test_auc_expected": test_exp, "bayes_auc_expected": bayes_exp, "bayes_gap_expected": bayes_exp - test_exp,
        "test_logloss": log_loss(yt, ptest), "ece": ece(oof, y),
        "test_mean_predicted": float(ptest.mean()), "test_mean_true": float(pt.mean()),
        "test_mean_relative_error": float((ptest.mean() - pt.mean()) / pt.mean()),
        "platt_test_mean_predicted": float(platt_test.mean()),
        "platt_test_mean_relative_error": float((platt_test.mean() - pt.mean()) / pt.mean()),
        "platt_ece": ece(platt_oof, y), "trees": chosen, "best_iterations": best,
    }
    if "--logistic" in sys.argv:
        t = time.perf_counter()
        aucs = []
        for tr, va in splits:
            model = make_pipeline(SimpleImputer(strategy="mean"), StandardScaler(),
                                  LogisticRegression(C=1.0, max_iter=500))
            model.fit(X[tr], y[tr])
            aucs.append(roc_auc_score(y[va], model.predict_proba(X[va])[:, 1]))
        out["logistic_cv_auc"] = float(np.mean(aucs))
        out["logistic_seconds"] = time.perf_counter() - t
    return out


if __name__ == "__main__":
    main()
