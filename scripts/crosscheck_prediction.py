#!/usr/bin/env python3
"""Reference fits for Tests/FulcrumCoreTests/PredictionTests.swift (scikit-learn, from PyPI).

The data set is a formula both sides compute: 300 rows, three features, an outcome from a noisy
threshold. LogisticRegression(C=1) minimizes Σ log-loss + ‖w‖²/2 with the intercept unpenalized,
the objective fulcrum's Newton fit solves; the metrics are scikit-learn's on fixed vectors.
"""
import math

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score


def data():
    x, y = [], []
    for i in range(300):
        a = math.sin(i)
        b = math.cos(1.7 * i) * 2
        c = ((i * 37) % 11) / 10
        noise = math.sin(3.1 * i + 0.5)
        x.append([a, b, c])
        y.append(1 if a + 0.5 * b - c + 0.8 * noise > 0 else 0)
    return np.array(x), np.array(y)


X, y = data()
for C in (1.0, 0.1):
    m = LogisticRegression(C=C, tol=1e-12, max_iter=100000).fit(X, y)
    print(f"C={C} intercept {m.intercept_[0]:.6f} coef " + " ".join(f"{w:.6f}" for w in m.coef_[0]))

p = np.array([0.1, 0.4, 0.35, 0.8, 0.35, 0.9, 0.05, 0.6])
t = np.array([0, 0, 1, 1, 0, 1, 0, 0])
print(f"auc {roc_auc_score(t, p):.12f} ap {average_precision_score(t, p):.12f} "
      f"brier {brier_score_loss(t, p):.12f} logloss {log_loss(t, p):.12f}")
