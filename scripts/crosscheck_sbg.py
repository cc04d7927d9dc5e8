"""Independent check of FulcrumCore's shifted-beta-geometric fit.

Fits the same cohorts as `swift run sbgfit` with scipy (Nelder-Mead and L-BFGS-B
on log parameters) and prints alpha, beta and the log-likelihood as JSON.
Run: python3 crosscheck_sbg.py
"""
import json

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln

COHORTS = [
    ("regular_8", [1000, 631, 468, 382, 326, 289, 262, 241]),
    ("high_end_8", [1000, 869, 743, 653, 593, 551, 517, 491]),
    ("regular_13", [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]),
    ("high_end_13", [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]),
    ("saas_monthly", [500, 452, 418, 395, 377, 362, 350, 340, 332, 325, 319, 314]),
    ("small_cohort", [40, 31, 26, 23, 21, 20]),
    ("synthetic_a2.5_b12", [2000, 1655, 1388, 1178, 1010, 873, 761, 668, 591]),
]


def log_likelihood(alpha, beta, counts):
    """Uses the beta-function form, not the recursion, so it is independent of the Swift code."""
    n = np.asarray(counts, dtype=float)
    t = np.arange(1, len(n))
    churned = n[:-1] - n[1:]
    ln_p = betaln(alpha + 1, beta + t - 1) - betaln(alpha, beta)
    k = len(n) - 1
    ln_s = betaln(alpha, beta + k) - betaln(alpha, beta)
    return float(np.sum(churned * ln_p) + n[-1] * ln_s)


def fit(counts):
    objective = lambda x: -log_likelihood(np.exp(x[0]), np.exp(x[1]), counts)
    nm = minimize(objective, x0=[0.0, 0.0], method="Nelder-Mead",
                  options={"xatol": 1e-12, "fatol": 1e-12, "maxiter": 20000, "maxfev": 40000})
    lb = minimize(objective, x0=nm.x, method="L-BFGS-B",
                  options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 10000})
    best = lb if lb.fun <= nm.fun else nm
    return {
        "alpha": float(np.exp(best.x[0])),
        "beta": float(np.exp(best.x[1])),
        "ll": -float(best.fun),
        "nelder_mead": {"alpha": float(np.exp(nm.x[0])), "beta": float(np.exp(nm.x[1])), "ll": -float(nm.fun)},
        "lbfgsb": {"alpha": float(np.exp(lb.x[0])), "beta": float(np.exp(lb.x[1])), "ll": -float(lb.fun)},
    }


if __name__ == "__main__":
    print(json.dumps([{"name": name, **fit(counts)} for name, counts in COHORTS], indent=2))
