#!/usr/bin/env python3
"""Journey files for bench/attribution.sh, and the peer: a straightforward NumPy/pandas Markov attribution.

  attribution_peers.py generate DIR JOURNEYS CHANNELS   writes DIR/touches.csv and DIR/journeys.csv (DuckDB, seeded)
  attribution_peers.py markov DIR OUT.csv               the peer: pandas reads both files, NumPy counts transitions
                                                        and re-solves the absorbing chain once per removed channel;
                                                        writes channel,conversions,value like `fulcrum attribution`
  attribution_peers.py compare A.csv B.csv              max relative difference of the markov rows' values
"""
import json
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


def store(folder, first, last, out):
    """`fulcrum report attribution --model markov` (pipeline) from the store's canonical CSV export, the
    straightforward pandas/NumPy way: the same journey rules (docs/attribution.md) and the same chain."""
    import pandas as pd

    start = time.time()
    accounts = pd.read_csv(f"{folder}/accounts.csv", usecols=["id", "merged_into"], engine="pyarrow")
    parent = dict(zip(accounts["id"][accounts["merged_into"].notna()], accounts["merged_into"].dropna().astype(np.int64)))

    def survivor(a):
        seen = 0
        while a in parent and seen < 100:
            a, seen = parent[a], seen + 1
        return a

    touches = pd.read_csv(
        f"{folder}/touches.csv", usecols=["id", "account_id", "channel", "occurred_at"], engine="pyarrow")
    touches = touches[touches["account_id"].notna() & (touches["account_id"] != 0)]
    touches["at"] = pd.to_datetime(touches["occurred_at"], utc=True)
    # The store's order (account, time, id), then each surviving account's touches by time (merged ones pooled).
    touches = touches.sort_values(["account_id", "at", "id"], kind="stable")
    touches["account"] = touches["account_id"].astype(np.int64).map(survivor)
    touches = touches.sort_values(["account", "at"], kind="stable")
    epoch = pd.Timestamp("1970-01-01", tz="UTC")
    touches["day"] = (touches["at"].dt.floor("D") - epoch).dt.days

    deals = pd.read_csv(
        f"{folder}/opportunities.csv", usecols=["id", "account_id", "amount_minor", "currency", "created_on"],
        engine="pyarrow")
    deals = deals[deals["account_id"].notna()].copy()
    deals["account"] = deals["account_id"].astype(np.int64).map(survivor)
    created = pd.to_datetime(deals["created_on"])
    deals["day"] = (created - pd.Timestamp("1970-01-01")).dt.days
    deals["month"] = created.dt.strftime("%Y-%m")
    fx = pd.read_csv(f"{folder}/fx_rates.csv", engine="pyarrow")
    rate = dict(zip(zip(fx["month"], fx["currency"].str.upper()), fx["rate"]))
    zero_decimal = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV",
                    "XAF", "XOF", "XPF"}

    def usd(amount, currency, month):
        currency = currency.upper()
        if currency == "USD":
            return amount
        scale = 100.0 if currency in zero_decimal else 1.0
        v = amount * rate[(month, currency)] * scale
        return float(np.sign(v) * np.floor(abs(v) + 0.5))

    deals["value"] = [usd(a, c, m) for a, c, m in zip(deals["amount_minor"], deals["currency"], deals["month"])]
    deals = deals.sort_values(["account", "day", "id"], kind="stable").reset_index(drop=True)

    # Each touch belongs to its account's first deal created after its day; touches after the last deal form the
    # account's journey that has not converted.
    big = np.int64(1 << 32)
    deal_key = deals["account"].to_numpy(np.int64) * big + deals["day"].to_numpy(np.int64)
    t_account = touches["account"].to_numpy(np.int64)
    t_key = t_account * big + touches["day"].to_numpy(np.int64)
    pos = np.searchsorted(deal_key, t_key, side="right")
    deal_account = deals["account"].to_numpy(np.int64)
    owned = (pos < len(deals)) & (deal_account[np.minimum(pos, len(deals) - 1)] == t_account)
    journey = np.where(owned, pos, -1 - t_account)  # deal index, or −1 − account for the open journey
    first_day = (pd.Timestamp(first + "-01") - pd.Timestamp("1970-01-01")).days
    last_day = ((pd.Timestamp(last + "-01") + pd.offsets.MonthEnd(0)) - pd.Timestamp("1970-01-01")).days
    d_day = deals["day"].to_numpy(np.int64)
    in_range_deal = (d_day >= first_day) & (d_day <= last_day)
    t_day = touches["day"].to_numpy(np.int64)
    # An open journey counts when its last touch falls in the range.
    open_last = pd.Series(t_day[~owned]).groupby(journey[~owned]).max()
    open_ok = set(open_last.index[(open_last >= first_day) & (open_last <= last_day)])
    keep = np.where(owned, in_range_deal[np.minimum(pos, len(deals) - 1)], np.isin(journey, list(open_ok)))
    jid = journey[keep]
    names, codes = np.unique(touches["channel"].to_numpy()[keep], return_inverse=True)
    n = len(names)
    # Touches are grouped by account in time order, so each journey's touches are contiguous.
    first_touch = np.r_[True, jid[1:] != jid[:-1]]
    last_touch = np.r_[jid[1:] != jid[:-1], True]
    conv = jid[last_touch] >= 0
    value = np.where(conv, deals["value"].to_numpy(float)[np.maximum(jid[last_touch], 0)], 0.0)
    counts = np.zeros((n + 1, n + 3))
    prev = np.where(first_touch, n, np.r_[n, codes[:-1]])
    np.add.at(counts, (prev, codes), 1)
    np.add.at(counts, (codes[last_touch], np.where(conv, n + 1, n + 2)), 1)

    def p_conversion(removed=None):
        totals = counts.sum(axis=1)
        safe = np.where(totals > 0, totals, 1)
        q = np.c_[counts[:, :n] / safe[:, None], np.zeros(n + 1)]
        r = counts[:, n + 1] / safe
        if removed is not None:
            q[:, removed] = 0
            q[removed, :] = 0
            r[removed] = 0
        return np.linalg.solve(np.eye(n + 1) - q, r)[n]

    p = p_conversion()
    effects = np.array([max(0.0, 1 - p_conversion(k) / p) for k in range(n)])
    shares = effects / effects.sum()
    converted = int(conv.sum())
    total = float(value.sum())
    with open(out, "w") as f:
        f.write("model,channel,conversions,value\n")
        for i, name in enumerate(names):
            f.write(f"markov,{name},{shares[i] * converted:.6f},{shares[i] * total / 100:.6f}\n")
    print(f"peer: {int(keep.sum())} touches in {converted} converted and {len(conv) - converted} open journeys, "
          f"{n} channels, {time.time() - start:.2f} s", file=sys.stderr)


def from_report(report_json, out):
    """The Markov columns of `fulcrum report attribution --format json` in the peer's CSV shape."""
    report = json.load(open(report_json))
    with open(out, "w") as f:
        f.write("model,channel,conversions,value\n")
        for row in report["rows"]:
            if row["channel"] == "Total":
                continue
            f.write(f"markov,{row['channel']},{row['markov_conversions']},{row['markov_value']}\n")


def compare_store(a, b):
    """Relative differences, as for the journey files: conversions and values to 1e-6 (the report's values are cents)."""
    def load(path):
        rows = {}
        for line in open(path).read().splitlines()[1:]:
            model, channel, conversions, value = line.rsplit(",", 3)
            rows[channel] = (float(conversions), float(value))
        return rows

    x, y = load(a), load(b)
    assert set(x) == set(y), f"channels differ: {sorted(set(x) ^ set(y))[:5]}"
    worst = max(abs(x[k][i] - y[k][i]) / max(1.0, abs(y[k][i])) for k in x for i in (0, 1))
    cents = max(abs(x[k][1] - y[k][1]) for k in x)
    print(f"{len(x)} channels; max relative difference of markov conversions and values {worst:.2e} "
          f"(largest value difference ${cents:.4f}, the report rounding to cents)")
    return worst <= 1e-6


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
    elif command == "store":
        store(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    elif command == "from-report":
        from_report(sys.argv[2], sys.argv[3])
    elif command == "compare-store":
        sys.exit(0 if compare_store(sys.argv[2], sys.argv[3]) else 1)
    elif command == "compare":
        sys.exit(0 if compare(sys.argv[2], sys.argv[3]) <= 1e-6 else 1)
