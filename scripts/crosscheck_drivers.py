#!/usr/bin/env python3
"""Independent check of `ClusteredLeastSquares` (Tests/FulcrumCoreTests/DriverTests.swift keeps its output).

OLS by numpy's lstsq and the CR1 cluster-robust covariance written out from its textbook definition
(Cameron & Miller 2015, eq. 11 with the G/(G-1)·(N-1)/(N-K) factor), on a small fixed data set with
three clusters of unequal size and a control column.
"""
import numpy as np

# rows: cluster, driver, control, outcome
rows = [
    (1, 0, 0.5, 0), (1, 1, 1.5, 1), (1, 1, 0.2, 1),
    (2, 0, 2.0, 1), (2, 1, 0.1, 1),
    (3, 0, 1.0, 0), (3, 1, 3.0, 0), (3, 0, 0.7, 0), (3, 1, 1.1, 1),
    (4, 0, 0.3, 0), (4, 1, 2.2, 1),
]
g = np.array([r[0] for r in rows])
X = np.array([[1.0, r[1], r[2]] for r in rows])
y = np.array([float(r[3]) for r in rows])
n, k = X.shape
beta = np.linalg.lstsq(X, y, rcond=None)[0]
u = y - X @ beta
bread = np.linalg.inv(X.T @ X)
meat = np.zeros((k, k))
clusters = sorted(set(g))
for c in clusters:
    s = X[g == c].T @ u[g == c]
    meat += np.outer(s, s)
G = len(clusters)
V = bread @ meat @ bread * G / (G - 1) * (n - 1) / (n - k)
print("beta", " ".join(f"{b:.12f}" for b in beta))
print("se", " ".join(f"{s:.12f}" for s in np.sqrt(np.diag(V))))
