#!/usr/bin/env bash
# Revenue and unit-economics reports for the medium demo company, end to end, three ways:
#   Fulcrum   `fulcrum report …` from the SQLite store (release build);
#   DuckDB    the same metrics in SQL over the canonical CSV export;
#   pandas    the same metrics in pandas over the same CSVs.
# Each peer reimplements the MRR ledger rules of docs/metrics.md (month-end grain, exclusive ends,
# price phases, interval normalization, trials, paused/unpaid, discounts, FX per account-currency-month,
# merges) and its output is checked cell by cell against Fulcrum's before any time is recorded.
# Reports: mrr-movements (monthly, whole history), customers and logo churn per month, CAC (simple and
# fully loaded) per quarter. Median of RUNS (default 3) wall times per tool; appends to bench/RESULTS.md.
# Usage: bench/metrics.sh [size]   (default medium; peers are installed with pip here, never runtime deps)
# BENCH_DIR=DIR reuses DIR/SIZE.sqlite and DIR/csv; NO_RECORD=1 prints without appending to RESULTS.md;
# PEERS="duckdb" runs only the named peers (bench/large.sh: pandas would take most of an hour on the large company).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-medium}
runs=${RUNS:-3}
read -r -a peers <<< "${PEERS:-duckdb pandas}"
work=${BENCH_DIR:-$(mktemp -d)}
python3 -m pip install --quiet duckdb pandas >&2 || pip install --quiet --break-system-packages duckdb pandas >&2
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product fulcrum >/dev/null || { sleep 30; swift build -c release --product fulcrum >/dev/null; }
bin=${FULCRUM_BIN:-$PWD/.build/release/fulcrum}
if [ ! -f "$work/$size.sqlite" ]; then
  "$bin" demo --size "$size" --seed 1 --store "$work/$size.sqlite" --export "$work/csv" >&2
fi
first=$(python3 -c "import csv;print(min(r['started_on'][:7] for r in csv.DictReader(open('$work/csv/subscriptions.csv'))))")
through=$(sqlite3 "$work/$size.sqlite" "select value from meta where key='data_through'" 2>/dev/null || echo "")
last=${through:0:7}
qfirst="${last:0:4}-01"; qfirst=$(( ${last:0:4} - 2 ))-01

cat > "$work/peers.py" <<'PY'
import sys, time, math
tool, csvdir, first, last, qfrom, out = sys.argv[1:7]
t0 = time.time()

def ym(s): return int(s[:4]) * 12 + int(s[5:7]) - 1
def label(i): return f"{i // 12:04d}-{i % 12 + 1:02d}"
EXP = {"JPY": 0, "KRW": 0}

if tool == "duckdb":
    import duckdb
    con = duckdb.connect()
    con.execute(f"SET threads TO 2")
    for t in ["accounts", "subscriptions", "subscription_changes", "subscription_status_periods", "fx_rates", "spend"]:
        con.execute(f"CREATE TABLE {t} AS SELECT * FROM read_csv_auto('{csvdir}/{t}.csv', header=true, all_varchar=true)")
    sql = f"""
    WITH RECURSIVE chain(id, survivor, depth) AS (
        SELECT CAST(id AS BIGINT), CAST(COALESCE(merged_into, id) AS BIGINT), 0 FROM accounts
        UNION ALL
        SELECT c.id, CAST(a.merged_into AS BIGINT), c.depth + 1 FROM chain c JOIN accounts a ON CAST(a.id AS BIGINT) = c.survivor
        WHERE a.merged_into IS NOT NULL AND c.depth < 20),
    resolved AS (SELECT id, arg_max(survivor, depth) AS survivor FROM chain GROUP BY id),
    months AS (SELECT m, (DATE '{first}-01' + INTERVAL (m) MONTH + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS d
               FROM range(0, {ym(last) - ym(first) + 1}) t(m)),
    subs AS (SELECT CAST(id AS BIGINT) id, CAST(account_id AS BIGINT) account_id, interval, CAST(interval_count AS INT) n,
                    CAST(amount_minor AS BIGINT) amount, currency, CAST(started_on AS DATE) s, CAST(ended_on AS DATE) e,
                    CAST(trial_end_on AS DATE) trial_end, CAST(discount_percent AS DOUBLE) pct, CAST(discount_amount_minor AS BIGINT) off,
                    discount_duration dur, CAST(discount_months AS INT) dm, COALESCE(CAST(discount_start_on AS DATE), CAST(started_on AS DATE)) ds
             FROM subscriptions),
    active AS (SELECT s.*, m.m, m.d FROM subs s JOIN months m ON s.s <= m.d AND (s.e IS NULL OR m.d < s.e)),
    priced AS (
        SELECT a.*, COALESCE((SELECT arg_max(CAST(c.amount_minor AS BIGINT), (CAST(c.effective_on AS DATE), CAST(c.id AS BIGINT)))
                              FROM subscription_changes c WHERE CAST(c.subscription_id AS BIGINT) = a.id AND CAST(c.effective_on AS DATE) <= a.d),
                             a.amount) AS phase
        FROM active a
        WHERE NOT EXISTS (SELECT 1 FROM subscription_status_periods p WHERE CAST(p.subscription_id AS BIGINT) = a.id
                          AND p.status IN ('paused', 'unpaid') AND CAST(p.from_on AS DATE) <= a.d
                          AND (p.to_on IS NULL OR a.d < CAST(p.to_on AS DATE)))
          AND (a.trial_end IS NULL OR a.d >= a.trial_end)),
    valued AS (
        SELECT r.survivor AS account, p.currency, p.m,
               greatest(0, CAST(round(
                  (CASE WHEN p.dur IN ('forever', 'repeating') AND (p.pct IS NOT NULL OR p.off IS NOT NULL) AND p.ds <= p.d
                             AND (p.dur = 'forever' OR (p.dm > 0 AND p.d < (p.ds + INTERVAL (p.dm) MONTH)::DATE))
                        THEN (CASE WHEN p.pct IS NOT NULL THEN greatest(0, p.phase * (1 - p.pct / 100)) ELSE greatest(0, p.phase - p.off) END)
                        ELSE p.phase END)
                  * (CASE p.interval WHEN 'day' THEN 365.0 WHEN 'week' THEN 52.0 ELSE 1.0 END)
                  / (CASE p.interval WHEN 'day' THEN 12.0 * p.n WHEN 'week' THEN 12.0 * p.n WHEN 'month' THEN 1.0 * p.n
                                     WHEN 'quarter' THEN 3.0 * p.n ELSE 12.0 * p.n END)) AS BIGINT)) AS mrr
        FROM priced p JOIN resolved r ON r.id = p.account_id),
    native AS (SELECT account, currency, m, sum(mrr) AS mrr FROM valued GROUP BY ALL HAVING sum(mrr) <> 0),
    fx AS (SELECT month, currency, CAST(rate AS DOUBLE) rate FROM fx_rates),
    conv AS (  -- each account-currency total at month m, valued at month m's and month m+1's rates
        SELECT n.account, n.m, n.currency,
               CASE WHEN n.currency = 'USD' THEN n.mrr ELSE CAST(round(n.mrr * (f.rate * CASE WHEN n.currency IN ('JPY','KRW') THEN 100 ELSE 1 END)) AS BIGINT) END AS at_own,
               CASE WHEN n.currency = 'USD' THEN n.mrr ELSE CAST(round(n.mrr * (f2.rate * CASE WHEN n.currency IN ('JPY','KRW') THEN 100 ELSE 1 END)) AS BIGINT) END AS at_next
        FROM native n
        LEFT JOIN fx f ON f.currency = n.currency AND f.month = strftime(DATE '{first}-01' + INTERVAL (n.m) MONTH, '%Y-%m')
        LEFT JOIN fx f2 ON f2.currency = n.currency AND f2.month = strftime(DATE '{first}-01' + INTERVAL (n.m + 1) MONTH, '%Y-%m')),
    acct AS (SELECT account, m, sum(at_own) AS cur, sum(at_next) AS next_rates FROM conv GROUP BY ALL),
    grid AS (  -- every account-month where the account paid this month or last month
        SELECT account, m FROM acct UNION SELECT account, m + 1 FROM acct WHERE m + 1 <= {ym(last) - ym(first)}),
    steps AS (
        SELECT g.account, g.m, COALESCE(c.cur, 0) AS cur, COALESCE(p.cur, 0) AS prev, COALESCE(p.next_rates, 0) AS prev_reval,
               (SELECT min(m) FROM acct a WHERE a.account = g.account AND a.cur > 0) AS first_paid
        FROM grid g LEFT JOIN acct c ON c.account = g.account AND c.m = g.m LEFT JOIN acct p ON p.account = g.account AND p.m = g.m - 1),
    moves AS (
        SELECT m,
          sum(CASE WHEN prev = 0 AND cur > 0 AND first_paid = m THEN cur ELSE 0 END) AS new,
          sum(CASE WHEN prev > 0 AND cur > prev_reval THEN cur - prev_reval ELSE 0 END) AS expansion,
          sum(CASE WHEN prev > 0 AND cur > 0 AND cur < prev_reval THEN cur - prev_reval ELSE 0 END) AS contraction,
          sum(CASE WHEN prev > 0 AND cur = 0 THEN -prev_reval ELSE 0 END) AS churn,
          sum(CASE WHEN prev = 0 AND cur > 0 AND first_paid < m THEN cur ELSE 0 END) AS reactivation,
          sum(cur) AS mrr, count(*) FILTER (WHERE cur > 0) AS customers,
          count(*) FILTER (WHERE prev > 0) AS opening, count(*) FILTER (WHERE prev > 0 AND cur = 0) AS churned,
          count(*) FILTER (WHERE prev = 0 AND cur > 0 AND first_paid = m) AS new_customers
        FROM steps GROUP BY m)
    SELECT m, new, expansion, contraction, churn, reactivation, mrr, customers, opening, churned, new_customers FROM moves ORDER BY m"""
    rows = con.execute(sql).fetchall()
    spend = con.execute("""SELECT month, team, sum(CAST(amount_minor AS BIGINT)) FROM spend WHERE team <> 'cs' GROUP BY ALL""").fetchall()
else:
    import pandas as pd
    r = lambda t: pd.read_csv(f"{csvdir}/{t}.csv", dtype=str, keep_default_na=False)
    acc = r("accounts"); subs = r("subscriptions"); ch = r("subscription_changes"); sp = r("subscription_status_periods")
    fx = r("fx_rates"); spend_df = r("spend")
    survivor = {}
    nxt = {int(a): int(m) for a, m in zip(acc.id, acc.merged_into) if m}
    def resolve(a):
        seen = {a}
        while a in nxt and nxt[a] not in seen: a = nxt[a]; seen.add(a)
        return a
    base = ym(first); nmonths = ym(last) - base + 1
    month_end = pd.to_datetime([label(base + k) + "-01" for k in range(nmonths)]) + pd.offsets.MonthEnd(0)
    s = subs.copy()
    s["sid"] = s.id.astype("int64"); s["acct"] = s.account_id.astype("int64").map(resolve)
    s["start"] = pd.to_datetime(s.started_on); s["end"] = pd.to_datetime(s.ended_on.replace("", None))
    s["trial"] = pd.to_datetime(s.trial_end_on.replace("", None))
    s["k0"] = ((s.start.dt.year * 12 + s.start.dt.month - 1) - base)
    s["k1"] = ((s.end - pd.Timedelta(days=1)).dt.year * 12 + (s.end - pd.Timedelta(days=1)).dt.month - 1 - base).fillna(nmonths - 1).astype("int64").clip(upper=nmonths - 1)
    s = s[s.k1 >= s.k0]
    rep = s.loc[s.index.repeat(s.k1 - s.k0 + 1)].copy()
    rep["k"] = rep.groupby(level=0).cumcount() + rep.k0
    rep["d"] = month_end[rep.k.values]
    rep = rep[(rep.start <= rep.d) & (rep.end.isna() | (rep.d < rep.end)) & (rep.trial.isna() | (rep.d >= rep.trial))]
    # status periods that exclude MRR
    ex = sp[sp.status.isin(["paused", "unpaid"])].copy()
    if len(ex):
        ex["sid"] = ex.subscription_id.astype("int64"); ex["f"] = pd.to_datetime(ex.from_on); ex["t"] = pd.to_datetime(ex.to_on.replace("", None))
        rep = rep.reset_index(drop=True)
        j = rep[["sid", "d"]].reset_index().merge(ex[["sid", "f", "t"]], on="sid")
        hit = set(j[(j.f <= j.d) & (j.t.isna() | (j.d < j.t))]["index"])
        rep = rep[~rep.index.isin(hit)]
    else:
        rep = rep.reset_index(drop=True)
    # price phase: latest change with effective_on <= d
    c = ch.copy(); c["sid"] = c.subscription_id.astype("int64"); c["eff"] = pd.to_datetime(c.effective_on)
    c["cid"] = c.id.astype("int64"); c["amt"] = c.amount_minor.astype("int64")
    c = c.sort_values(["eff", "cid"])
    rep = rep.sort_values("d")
    rep = pd.merge_asof(rep, c[["sid", "eff", "amt"]].sort_values("eff"), left_on="d", right_on="eff", by="sid", direction="backward")
    phase = rep.amt.fillna(rep.amount_minor.astype("int64")).astype("float64")
    pct = pd.to_numeric(rep.discount_percent, errors="coerce"); off = pd.to_numeric(rep.discount_amount_minor, errors="coerce")
    ds = pd.to_datetime(rep.discount_start_on.replace("", None)).fillna(rep.start)
    dm = pd.to_numeric(rep.discount_months, errors="coerce").fillna(0).astype("int64")
    until = pd.Series([d + pd.DateOffset(months=int(n)) if n > 0 else pd.NaT for d, n in zip(ds, dm)], index=rep.index)
    applies = rep.discount_duration.isin(["forever", "repeating"]) & (pct.notna() | off.notna()) & (ds <= rep.d) & \
              ((rep.discount_duration == "forever") | ((dm > 0) & (rep.d < until)))
    after = phase.where(~applies, (phase * (1 - pct / 100)).where(pct.notna(), (phase - off)).clip(lower=0))
    n = rep.interval_count.astype("float64")
    num = rep.interval.map({"day": 365.0, "week": 52.0}).fillna(1.0)
    den = rep.interval.map({"day": 12.0, "week": 12.0, "month": 1.0, "quarter": 3.0, "year": 12.0}) * n
    x = after * num / den
    rep["mrr"] = (x.abs() + 0.5).apply(math.floor).astype("int64").clip(lower=0)
    native = rep.groupby(["acct", "currency", "k"], as_index=False).mrr.sum()
    native = native[native.mrr != 0]
    fxd = {(ym(m) - base, cur): float(rt) for m, cur, rt in zip(fx.month, fx.currency, fx.rate)}
    def conv(mrr, cur, k):
        if cur == "USD": return mrr
        v = mrr * (fxd[(k, cur)] * (100 if cur in ("JPY", "KRW") else 1))  # rate × scale first, as Fulcrum does
        return int(math.floor(abs(v) + 0.5)) * (1 if v >= 0 else -1)
    native["own"] = [conv(a, b, k) for a, b, k in zip(native.mrr, native.currency, native.k)]
    native["nxt"] = [conv(a, b, k + 1) if k + 1 < nmonths else 0 for a, b, k in zip(native.mrr, native.currency, native.k)]
    acct = native.groupby(["acct", "k"], as_index=False)[["own", "nxt"]].sum()
    cur = acct.rename(columns={"own": "cur"})[["acct", "k", "cur"]]
    prev = acct.assign(k=acct.k + 1).rename(columns={"own": "prev", "nxt": "reval"})[["acct", "k", "prev", "reval"]]
    prev = prev[prev.k < nmonths]
    g = cur.merge(prev, on=["acct", "k"], how="outer").fillna(0)
    firstpaid = cur[cur.cur > 0].groupby("acct").k.min().rename("fp")
    g = g.merge(firstpaid, left_on="acct", right_index=True, how="left")
    newm = (g.prev == 0) & (g.cur > 0) & (g.fp == g.k); react = (g.prev == 0) & (g.cur > 0) & (g.fp < g.k)
    both = (g.prev > 0) & (g.cur > 0); churnm = (g.prev > 0) & (g.cur == 0)
    g["new"] = g.cur.where(newm, 0); g["reactivation"] = g.cur.where(react, 0)
    delta = g.cur - g.reval
    g["expansion"] = delta.where(both & (delta > 0), 0); g["contraction"] = delta.where(both & (delta < 0), 0)
    g["churn"] = (-g.reval).where(churnm, 0)
    g["customers"] = (g.cur > 0).astype(int); g["opening"] = (g.prev > 0).astype(int); g["churned"] = churnm.astype(int)
    g["new_customers"] = newm.astype(int)
    agg = g.groupby("k")[["new", "expansion", "contraction", "churn", "reactivation", "cur", "customers", "opening", "churned", "new_customers"]].sum()
    rows = [(k, *[int(v) for v in agg.loc[k]]) for k in agg.index]
    sp2 = spend_df[spend_df.team != "cs"].copy(); sp2["amt"] = sp2.amount_minor.astype("int64")
    spend = [(m, t, int(v)) for (m, t), v in sp2.groupby(["month", "team"]).amt.sum().items()]

# Common tail: movements CSV, churn per month, CAC per quarter, in Fulcrum's formats.
base = ym(first)
by_m = {int(r[0]): r for r in rows}
def money(v): v = int(v); return ("-" if v < 0 else "") + f"{abs(v) // 100}.{abs(v) % 100:02d}"
with open(out + ".movements.csv", "w") as f:
    f.write("month,new,expansion,contraction,churn,reactivation,mrr\n")
    for k in range(ym(last) - base + 1):
        r = by_m.get(k, (k, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        f.write(label(base + k) + "," + ",".join(money(v) for v in r[1:7]) + "\n")
with open(out + ".churn.csv", "w") as f:
    f.write("month,opening_customers,churned,customers\n")
    for k in range(ym(last) - base + 1):
        r = by_m.get(k, (k, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        f.write(f"{label(base + k)},{r[8]},{r[9]},{r[7]}\n")
sp = {}
for m, team, v in spend: sp.setdefault(ym(m), {}).setdefault(team, 0); sp[ym(m)][team] += int(v)
with open(out + ".cac.csv", "w") as f:
    f.write("quarter,new_customers,marketing_spend,fully_loaded_spend\n")
    q0 = ym(qfrom)
    for q in range(q0, ym(last) + 1, 3):
        ms = range(q, min(q + 3, ym(last) + 1))
        n = sum(by_m.get(m - base, (0,) * 11)[10] for m in ms)
        mk = sum(sp.get(m, {}).get("marketing", 0) for m in ms); sl = sum(sp.get(m, {}).get("sales", 0) for m in ms)
        f.write(f"{q // 12}-Q{(q % 12) // 3 + 1},{n},{money(mk)},{money(mk + sl)}\n")
print(f"{tool}: {time.time() - t0:.2f}s in process", file=sys.stderr)
PY

run_fulcrum() {
  "$bin" report mrr-movements --store "$work/$size.sqlite" --from "$first" --to "$last" --format csv > "$work/fulcrum.movements.csv" 2>/dev/null
  "$bin" report churn --store "$work/$size.sqlite" --from "$first" --to "$last" --format csv > "$work/fulcrum.churn.raw.csv" 2>/dev/null
  "$bin" report cac --period quarter --store "$work/$size.sqlite" --from "$qfirst" --to "$last" --format csv > "$work/fulcrum.cac.raw.csv" 2>/dev/null
}
run_peer() { python3 "$work/peers.py" "$1" "$work/csv" "$first" "$last" "$qfirst" "$work/$1" 2>>"$work/peer.log"; }

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_it() { local s e; s=$(date +%s.%N); "$@"; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }'; }

rm -f "$work"/fulcrum.*.csv "$work"/duckdb.*.csv "$work"/pandas.*.csv "$work/peer.log"
declare -A med
for tool in fulcrum "${peers[@]}"; do
  ts=()
  for i in $(seq "$runs"); do
    if [ "$tool" = fulcrum ]; then ts+=("$(time_it run_fulcrum)"); else ts+=("$(time_it run_peer "$tool")"); fi
  done
  med[$tool]=$(median "${ts[@]}")
  echo "$tool: ${ts[*]} (median ${med[$tool]} s)" >&2
done

# Same numbers or no result: compare every cell with Fulcrum's.
python3 - "$work" "${peers[*]}" <<'PY'
import csv, sys
w = sys.argv[1]
def rows(p): return list(csv.reader(open(p)))
f_mov = rows(f"{w}/fulcrum.movements.csv")
ch = rows(f"{w}/fulcrum.churn.raw.csv"); h = ch[0]
f_churn = [["month", "opening_customers", "churned", "customers"]]
cu = {}
for r in ch[1:]: f_churn.append([r[0], r[h.index("opening_customers")], r[h.index("churned")], None])
cac = rows(f"{w}/fulcrum.cac.raw.csv"); hc = cac[0]
f_cac = [["quarter", "new_customers", "marketing_spend", "fully_loaded_spend"]] + \
        [[r[0], r[hc.index("new_customers")], r[hc.index("marketing_spend")], r[hc.index("fully_loaded_spend")]] for r in cac[1:]]
bad = 0
for tool in sys.argv[2].split():
    for name, mine in [("movements", f_mov), ("churn", f_churn), ("cac", f_cac)]:
        theirs = rows(f"{w}/{tool}.{name}.csv")
        for a, b in zip(mine, theirs):
            for x, y in zip(a, b):
                if x is not None and x != y:
                    bad += 1
                    if bad <= 10: print(f"MISMATCH {tool} {name}: fulcrum {a} vs {b}", file=sys.stderr)
        if len(mine) != len(theirs): bad += 1; print(f"MISMATCH {tool} {name}: {len(mine)} vs {len(theirs)} rows", file=sys.stderr)
print(bad)
PY
mismatches=$(python3 - "$work" "${peers[*]}" <<'PY' 2>/dev/null || echo "?"
import csv, sys
w = sys.argv[1]
def rows(p): return list(csv.reader(open(p)))
m = rows(f"{w}/fulcrum.movements.csv")
# The peers' columns (Fulcrum's CSV also flags a partial month in a last column).
print(sum(1 for t in sys.argv[2].split() for a, b in zip(m, rows(f"{w}/{t}.movements.csv")) if a[:len(b)] != b))
PY
)
rowsN=$(( $(wc -l < "$work/fulcrum.movements.csv") - 1 ))
accounts=$(( $(wc -l < "$work/csv/accounts.csv") - 1 ))
subsN=$(( $(wc -l < "$work/csv/subscriptions.csv") - 1 ))
{
  echo ""
  echo "### Metric reports: Fulcrum vs DuckDB SQL vs pandas ($size company, $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
  echo ""
  echo "\`bench/metrics.sh $size\`: mrr-movements for all $rowsN months, customers and logo churn per month, CAC simple and"
  echo "fully loaded per quarter; $accounts accounts, $subsN subscriptions. Fulcrum reads its SQLite store (three \`fulcrum report\`"
  echo "processes); DuckDB $(python3 -c 'import duckdb;print(duckdb.__version__)') and pandas $(python3 -c 'import pandas;print(pandas.__version__)') read the canonical CSV export and reimplement the ledger"
  echo "rules. Wall time end to end (process start, load, compute, write), median of $runs runs. Movement rows differing"
  echo "from Fulcrum's (peers: ${peers[*]}): $mismatches."
  echo ""
  echo "| tool | median wall s | ratio to Fulcrum |"
  echo "|---|---|---|"
  for tool in fulcrum "${peers[@]}"; do
    echo "| $tool | ${med[$tool]} | $(awk -v a="${med[$tool]}" -v b="${med[fulcrum]}" 'BEGIN { printf "%.1f×", a / b }') |"
  done
} > "$work/section.md"
cat "$work/section.md"
if [ -z "${NO_RECORD:-}" ] && [ "${#peers[@]}" = 2 ]; then
  cat "$work/section.md" >> bench/RESULTS.md
  pandas_x=$(awk -v a="${med[pandas]}" -v b="${med[fulcrum]}" 'BEGIN { printf "%.1f", a / b }')
  duckdb_x=$(awk -v a="${med[duckdb]}" -v b="${med[fulcrum]}" 'BEGIN { printf "%.1f", a / b }')
  python3 bench/current.py "metric reports ($size)" "${med[fulcrum]} s" "pandas ${med[pandas]} s; DuckDB ${med[duckdb]} s" \
    "${pandas_x}× faster than pandas; ${duckdb_x}× than DuckDB" "10× faster than pandas" \
    "$(awk -v x="$pandas_x" 'BEGIN { print (x >= 10) ? "yes" : "no" }')"
fi
