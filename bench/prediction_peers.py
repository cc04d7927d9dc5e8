#!/usr/bin/env python3
"""Peers for bench/prediction.sh: scikit-learn on the same feature table and the same split.

  prediction_peers.py generate FILE ROWS      a synthetic churn table (seeded): numbers with blanks, text columns,
                                              interactions and thresholds the trees can find, a train/test split
  prediction_peers.py fit FILE                LogisticRegression(C=1) and HistGradientBoostingClassifier (defaults)
                                              on the rows marked train, ROC AUC on those marked test; prints JSON

Preprocessing matches `fulcrum model train --features`: numeric columns standardized on the training rows, blanks set
to the mean with a `(missing)` indicator for columns that had blanks in training; text one-hot (50 most frequent
training values, the rest and blanks as one other column). The trees get the raw numbers with NaN (native missing
values) and the same one-hot columns.
"""
import json
import sys
import time

import numpy as np
import pandas as pd


def generate(path, rows):
    rng = np.random.default_rng(7)
    n = rows
    tenure = rng.integers(1, 72, n)
    seats = rng.integers(1, 500, n).astype(float)
    usage = np.clip(rng.normal(0.6, 0.2, n), 0, 1)
    trend = np.clip(rng.normal(1.0, 0.15, n), 0.2, 1.8)
    tickets = rng.poisson(1.5, n)
    urgent = rng.binomial(tickets, 0.15)
    nps = rng.integers(0, 11, n).astype(float)
    nps[rng.random(n) < 0.4] = np.nan
    plan = rng.choice(["starter", "growth", "enterprise"], n, p=[0.5, 0.35, 0.15])
    region = rng.choice(["emea", "amer", "apac", "latam"], n)
    annual = rng.random(n) < 0.3
    to_renewal = np.where(annual, rng.integers(0, 12, n), 0)
    noise = rng.normal(0, 1, (n, 8))
    z = (-3.2 - 0.02 * tenure + 1.5 * (trend < 0.8) + 0.9 * (usage < 0.3) + 0.35 * urgent + 0.1 * tickets
         + np.where(np.isnan(nps), 0.2, np.where(nps <= 6, 0.8, -0.3)) + 0.5 * (plan == "starter")
         - 1.2 * (annual & (to_renewal > 0)) + 0.4 * (region == "latam") * (usage < 0.5))
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
    seats_col = seats.copy()
    seats_col[rng.random(n) < 0.05] = np.nan
    df = pd.DataFrame({
        "id": np.arange(n), "split": np.where(rng.random(n) < 0.8, "train", "test"), "tenure": tenure,
        "seats": seats_col, "usage": usage.round(4), "trend": trend.round(4), "tickets": tickets, "urgent": urgent,
        "nps": nps, "plan": plan, "region": region, "annual": annual.astype(int), "to_renewal": to_renewal,
    })
    for i in range(noise.shape[1]):
        df[f"noise{i}"] = noise[:, i].round(4)
    df["churned"] = y
    df.to_csv(path, index=False)


def design(df, feature_columns, train_mask):
    numeric, text = [], []
    for c in feature_columns:
        col = df[c]
        values = col[train_mask].dropna()
        if pd.api.types.is_numeric_dtype(col) or pd.to_numeric(values, errors="coerce").notna().all():
            numeric.append(c)
        else:
            text.append(c)
    raw_parts, lin_parts = [], []
    for c in numeric:
        v = pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float)
        tr = v[train_mask]
        if not np.isfinite(tr).any():
            continue  # never known in training: no information (scikit-learn's binner refuses it)
        raw_parts.append(v[:, None])
        mean = np.nanmean(tr) if np.isfinite(tr).any() else 0.0
        sd = np.nanstd(tr) if np.isfinite(tr).any() else 1.0
        sd = sd if sd > 1e-12 else 1.0
        z = np.where(np.isnan(v), 0.0, (v - mean) / sd)
        lin_parts.append(z[:, None])
        if np.isnan(tr).any():
            ind = np.isnan(v).astype(float)[:, None]
            raw_parts.append(ind)
            ind_tr = ind[train_mask, 0]
            m, s = ind_tr.mean(), ind_tr.std()
            lin_parts.append(((ind - m) / (s if s > 1e-12 else 1.0)))
    for c in text:
        v = df[c].astype("string")
        counts = v[train_mask].value_counts()
        levels = sorted(counts.index[:50])
        other = len(counts) > 50 or v[train_mask].isna().any()
        cols = [(v == lv).fillna(False).to_numpy(dtype=float) for lv in levels]
        if other:
            cols.append((~v.isin(levels)).fillna(True).to_numpy(dtype=float))
        for col in cols:
            raw_parts.append(col[:, None])
            tr = col[train_mask]
            m, s = tr.mean(), tr.std()
            lin_parts.append(((col - m) / (s if s > 1e-12 else 1.0))[:, None])
    return np.hstack(raw_parts), np.hstack(lin_parts)


def fit(path, target="target", id_col="id", time_col="time", split_col="split"):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    start = time.perf_counter()
    df = pd.read_csv(path, low_memory=False)
    read = time.perf_counter() - start
    if target not in df.columns:
        target = "churned"
    features = [c for c in df.columns if c not in (target, id_col, time_col, split_col)]
    train = (df[split_col] == "train").to_numpy()
    test = ~train
    y = df[target].to_numpy(dtype=int)
    start = time.perf_counter()
    raw, lin = design(df, features, train)
    prep = time.perf_counter() - start
    out = {"rows": int(len(df)), "train": int(train.sum()), "test": int(test.sum()), "read_s": read, "prep_s": prep}
    start = time.perf_counter()
    lr = LogisticRegression(C=1.0, max_iter=1000).fit(lin[train], y[train])
    out["logistic_fit_s"] = time.perf_counter() - start
    out["logistic_auc"] = roc_auc_score(y[test], lr.predict_proba(lin[test])[:, 1])
    start = time.perf_counter()
    hgb = HistGradientBoostingClassifier(random_state=0).fit(raw[train], y[train])
    out["trees_fit_s"] = time.perf_counter() - start
    out["trees_auc"] = roc_auc_score(y[test], hgb.predict_proba(raw[test])[:, 1])
    out["trees_iterations"] = int(hgb.n_iter_)
    print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]))
    else:
        fit(sys.argv[2])
