#!/usr/bin/env python3
"""Journey files for bench/attribution.sh, and the peer: a straightforward NumPy/pandas Markov attribution.

  attribution_peers.py generate DIR JOURNEYS CHANNELS   writes DIR/touches.csv and DIR/journeys.csv (DuckDB, seeded)
  attribution_peers.py markov DIR OUT.csv               the peer: pandas reads both files, NumPy counts transitions
                                                        and re-solves the absorbing chain once per removed channel;
                                                        writes channel,conversions,value like `fulcrum attribution`
  attribution_peers.py compare A.csv B.csv              max relative difference of the markov rows' values
"""
import sys
import time

import numpy as np


def generate(folder, journeys, channels):
    import duckdb

    con = duckdb.connect()
    con.execute("SELECT setseed(0.42)")
    # Each journey has 1–5 touches; channels are skewed (a few large, a long tail); conversion depends on
    # whether the journey met one of the first ten channels, so removal effects differ.
    con.execute(f"""
        CREATE TABLE t AS
        SELECT j AS journey_id, s AS seq,
               'ch' || lpad(CAST(CAST(floor({channels} * pow(random(), 2)) AS INTEGER) AS VARCHAR), 3, '0') AS channel
        FROM range({journeys}) r(j), LATERAL (SELECT range AS s FROM range(1 + CAST(hash(j) % 5 AS INTEGER))) x
    """)
    con.execute(f"""
        COPY (SELECT 'J' || journey_id AS journey_id, seq + 1 AS seq, channel FROM t ORDER BY journey_id, seq)
        TO '{folder}/touches.csv' (HEADER)
    """)
    con.execute(f"""
        COPY (
          SELECT 'J' || journey_id AS journey_id,
                 CASE WHEN random() < 0.02 + 0.10 * CAST(min(channel) < 'ch010' AS INTEGER) THEN 1 ELSE 0 END AS converted,
                 round(100 + random() * 900, 2) AS value
          FROM t GROUP BY journey_id ORDER BY journey_id)
        TO '{folder}/journeys.csv' (HEADER)
    """)
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    print(f"{journeys} journeys, {rows} touches, {channels} channels")


def markov(folder, out):
    import pandas as pd

    start = time.time()
    touches = pd.read_csv(f"{folder}/touches.csv", engine="pyarrow")
    journeys = pd.read_csv(f"{folder}/journeys.csv", engine="pyarrow")
    touches = touches.sort_values(["journey_id", "seq"], kind="stable")
    names, codes = np.unique(touches["channel"].to_numpy(), return_inverse=True)
    n = len(names)
    jid = touches["journey_id"].to_numpy()
    first = np.r_[True, jid[1:] != jid[:-1]]
    last = np.r_[jid[1:] != jid[:-1], True]
    jmap = journeys.set_index("journey_id")
    conv = jmap.loc[jid[last], "converted"].to_numpy()
    value = jmap.loc[jid[last], "value"].to_numpy()
    # States: channels 0..n-1, start n, conversion n+1, null n+2.
    counts = np.zeros((n + 1, n + 3))
    prev = np.where(first, n, np.r_[n, codes[:-1]])
    np.add.at(counts, (prev, codes), 1)
    np.add.at(counts, (codes[last], np.where(conv == 1, n + 1, n + 2)), 1)

    def p_conversion(removed=None):
        totals = counts.sum(axis=1)
        safe = np.where(totals > 0, totals, 1)
        q = counts[:, :n] / safe[:, None]
        r = counts[:, n + 1] / safe
        q = np.c_[q, np.zeros(n + 1)]
        if removed is not None:
            q[:, removed] = 0
            q[removed, :] = 0
            r[removed] = 0
        x = np.linalg.solve(np.eye(n + 1) - q, r)
        return x[n]

    p = p_conversion()
    effects = np.array([max(0.0, 1 - p_conversion(k) / p) for k in range(n)])
    shares = effects / effects.sum()
    converted = int(conv.sum())
    total = float(value[conv == 1].sum())
    with open(out, "w") as f:
        f.write("model,channel,conversions,value\n")
        for i, name in enumerate(names):
            f.write(f"markov,{name},{shares[i] * converted:.6f},{shares[i] * total:.6f}\n")
    print(f"peer: {len(jid)} touches, {n} channels, P(conversion) {p:.6f}, {time.time() - start:.2f} s", file=sys.stderr)


def compare(a, b):
    def load(path):
        rows = {}
        for line in open(path).read().splitlines()[1:]:
            model, channel, conversions, value = line.split(",")
            if model == "markov":
                rows[channel] = float(value)
        return rows

    x, y = load(a), load(b)
    assert set(x) == set(y), f"channels differ: {sorted(set(x) ^ set(y))[:5]}"
    worst = max(abs(x[k] - y[k]) / max(1.0, abs(y[k])) for k in x)
    print(f"{len(x)} channels; max relative difference of markov values {worst:.2e}")
    return worst


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "generate":
        generate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif command == "markov":
        markov(sys.argv[2], sys.argv[3])
    elif command == "compare":
        sys.exit(0 if compare(sys.argv[2], sys.argv[3]) <= 1e-6 else 1)
