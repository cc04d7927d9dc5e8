#!/usr/bin/env python3
"""Reference values for Tests/FulcrumCoreTests/ExperimentStatisticsTests.swift (SciPy and statsmodels,
from PyPI): writes Tests/FulcrumCoreTests/Fixtures/experiments_crosscheck.json with each case's inputs
and what the libraries compute for it. Run from the repository root: python3 scripts/crosscheck_experiments.py
"""
import json
import math

import numpy as np
from scipy import stats
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (confint_proportions_2indep, proportion_effectsize,
                                          proportions_ztest)

rng = np.random.default_rng(20261206)
out = {"proportions": [], "welch": [], "mann_whitney": [], "cmh": [], "cuped": [], "srm": [], "power": [],
       "quantiles": []}

for x0, n0, x1, n1 in [(120, 1000, 150, 1000), (30, 400, 31, 380), (7, 90, 19, 95), (480, 5000, 560, 5100)]:
    z, p = proportions_ztest([x1, x0], [n1, n0])
    lo, hi = confint_proportions_2indep(x1, n1, x0, n0, method="wald", compare="diff")
    rlo, rhi = confint_proportions_2indep(x1, n1, x0, n0, method="log", compare="ratio")
    out["proportions"].append({"x0": x0, "n0": n0, "x1": x1, "n1": n1, "statistic": z, "p_value": p,
                               "ci_low": lo, "ci_high": hi, "relative_low": rlo - 1, "relative_high": rhi - 1})

for n0, n1, shift in [(40, 55, 0.3), (200, 180, 0.0), (25, 60, 1.0)]:
    a = np.round(rng.lognormal(3, 1, n0), 2)
    b = np.round(rng.lognormal(3 + shift, 1.2, n1), 2)
    t = stats.ttest_ind(b, a, equal_var=False)
    ci = t.confidence_interval(0.95)
    out["welch"].append({"control": a.tolist(), "treatment": b.tolist(), "statistic": t.statistic,
                         "p_value": t.pvalue, "df": t.df, "ci_low": ci.low, "ci_high": ci.high})
    # Heavy-tailed amounts with ties (whole dollars, many zeros).
    a2 = np.where(rng.random(n0) < 0.4, 0, np.round(a))
    b2 = np.where(rng.random(n1) < 0.3, 0, np.round(b))
    mw = stats.mannwhitneyu(b2, a2, alternative="two-sided", method="asymptotic", use_continuity=True)
    out["mann_whitney"].append({"control": a2.tolist(), "treatment": b2.tolist(), "u": mw.statistic,
                                "p_value": mw.pvalue})

for tables in [[[30, 70, 20, 80], [12, 38, 9, 41], [50, 150, 40, 160]],
               [[5, 20, 8, 17], [40, 60, 38, 62]]]:
    st = StratifiedTable([np.array([[a, b], [c, d]]) for a, b, c, d in tables])
    r = st.test_null_odds(correction=False)
    out["cmh"].append({"tables": tables, "statistic": r.statistic, "p_value": r.pvalue,
                       "odds_ratio": st.oddsratio_pooled})

for n in (300, 1000):
    pre = rng.gamma(2, 50, n)
    arm = rng.random(n) < 0.5
    y = 0.8 * pre + rng.normal(0, 30, n) + np.where(arm, 6, 0)
    theta = np.cov(y, pre, ddof=1)[0, 1] / np.var(pre, ddof=1)
    adj = y - theta * (pre - pre.mean())
    t = stats.ttest_ind(adj[arm], adj[~arm], equal_var=False)
    ci = t.confidence_interval(0.95)
    out["cuped"].append({"y": y.tolist(), "pre": pre.tolist(), "treatment": arm.astype(int).tolist(),
                         "theta": theta, "variance_ratio": float(np.var(adj, ddof=1) / np.var(y, ddof=1)),
                         "p_value": t.pvalue, "ci_low": ci.low, "ci_high": ci.high})

for counts, weights in [([5050, 4950], [1, 1]), ([5200, 4800], [1, 1]), ([3300, 3350, 3350], [1, 1, 1]),
                        ([2100, 7900], [1, 3])]:
    total = sum(counts)
    expected = [total * w / sum(weights) for w in weights]
    r = stats.chisquare(counts, expected)
    out["srm"].append({"counts": counts, "weights": weights, "statistic": r.statistic, "p_value": r.pvalue})

power = NormalIndPower()
for p0, p1, target, ratio in [(0.10, 0.12, 0.8, 1.0), (0.30, 0.35, 0.9, 1.0), (0.05, 0.04, 0.8, 2.0)]:
    h = proportion_effectsize(p1, p0)
    n = power.solve_power(effect_size=h, alpha=0.05, power=target, ratio=ratio, alternative="two-sided")
    out["power"].append({"kind": "proportion", "p0": p0, "p1": p1, "power": target, "ratio": ratio,
                         "effect": h, "n": n,
                         "power_at_500": power.power(effect_size=h, nobs1=500, alpha=0.05, ratio=ratio)})
for d, target in [(0.2, 0.8), (0.5, 0.9)]:
    n = power.solve_power(effect_size=d, alpha=0.05, power=target, ratio=1.0, alternative="two-sided")
    out["power"].append({"kind": "mean", "effect": d, "power": target, "ratio": 1.0, "n": n,
                         "power_at_500": power.power(effect_size=d, nobs1=500, alpha=0.05, ratio=1.0)})

for p, df in [(0.975, 7.3), (0.975, 55.0), (0.9, 3.0)]:
    out["quantiles"].append({"p": p, "df": df, "t": stats.t.ppf(p, df), "z": stats.norm.ppf(p)})

with open("Tests/FulcrumCoreTests/Fixtures/experiments_crosscheck.json", "w") as f:
    json.dump(out, f, indent=1)
print("wrote Tests/FulcrumCoreTests/Fixtures/experiments_crosscheck.json")
