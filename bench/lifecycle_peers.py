"""The lifecycle reports of docs/lifecycle.md recomputed by a peer from the canonical CSV export:
funnel (cohort and period views: reached, median and p90 days in stage, closed sales), targets
(leads, mqls, sqls, demos, opportunities, bookings, net_new_asp, upsell_share against their targets)
and the rep scorecard (activities, leads worked and owned, SLA compliance, pipeline, won, lost,
bookings, quota), per quarter. Usage: lifecycle_peers.py duckdb|pandas CSVDIR FROM(YYYY-MM) LAST(YYYY-MM) THROUGH(YYYY-MM-DD) OUT
Writes OUT.funnel.csv, OUT.targets.csv, OUT.reps.csv; the bench compares every cell with Fulcrum's."""
import sys, time
tool, csvdir, qfrom, last, through, out = sys.argv[1:7]
t0 = time.time()
SAL = ["sal", "accepted", "working", "working - contacted", "contacted"]
SQL = ["sql", "qualified", "converted"]
STAGES = ["lead", "MQL", "SAL", "SQL", "opportunity", "customer"]
SLA = 3600
ZERO = {"JPY": 0, "KRW": 0}


def ym(s): return int(s[:4]) * 12 + int(s[5:7]) - 1


Q0, QL = ym(qfrom), ym(last)
END = (__import__("datetime").date.fromisoformat(through) - __import__("datetime").date(1970, 1, 1)).days * 86400 + 86400


def qlabel(m): return f"{m // 12}-Q{m % 12 // 3 + 1}"


if tool == "pandas":
    import numpy as np, pandas as pd

    def read(t, cols): return pd.read_csv(f"{csvdir}/{t}.csv", usecols=cols, dtype=str, keep_default_na=False, na_values=[""])

    def secs(s):  # ISO-8601 UTC text → seconds since 1970 (NaN for empty)
        t = pd.to_datetime(s, format="%Y-%m-%dT%H:%M:%SZ").astype("datetime64[s]")
        return ((t - pd.Timestamp("1970-01-01")) // pd.Timedelta(seconds=1)).astype("float64")

    def month_of(sec):
        d = pd.to_datetime(sec, unit="s")
        return d.dt.year * 12 + d.dt.month - 1

    acc = read("accounts", ["id", "segment", "merged_into"])
    acc["id"] = acc["id"].astype("int64")
    survivor = dict(zip(acc["id"], acc["merged_into"]))
    def resolve(a):
        seen = 0
        while isinstance(survivor.get(a), str) and seen < 20: a = int(survivor[a]); seen += 1
        return a
    segment = dict(zip(acc["id"], acc["segment"]))
    p = read("people", ["id", "account_id", "owner_rep_id", "created_at", "mql_at", "sal_at", "sql_at", "opportunity_at", "customer_at", "status"])
    p["id"] = p["id"].astype("int64")
    own = {c: secs(p[c + "_at"]) for c in ["created", "mql", "sal", "sql", "opportunity", "customer"]}
    cf = read("custom_fields", ["entity", "record_id", "name", "value"])
    cf = cf[(cf.entity == "people") & (cf.name == "lead_score")]
    score = pd.to_numeric(p["id"].map(dict(zip(cf.record_id.astype("int64"), cf.value))), errors="coerce")
    own["mql"] = own["mql"].where(own["mql"].notna() | ~(score >= 65), own["created"])
    st = p["status"].str.lower()
    own["sql"] = own["sql"].where(own["sql"].notna() | ~st.isin(SQL), own["sal"].fillna(own["mql"]).fillna(own["created"]))
    own["sal"] = own["sal"].where(own["sal"].notna() | ~st.isin(SAL), own["mql"].fillna(own["created"]))
    p["account"] = p["account_id"].map(lambda a: resolve(int(a)) if isinstance(a, str) else None)
    subs = read("subscriptions", ["account_id", "amount_minor", "started_on", "trial_end_on", "ended_on"])
    subs["paid_from"] = subs.trial_end_on.fillna(subs.started_on)
    subs = subs[(subs.amount_minor.astype("int64") > 0) & (subs.ended_on.isna() | (subs.ended_on > subs.paid_from))]
    subs["account"] = subs["account_id"].astype("int64").map(resolve)
    first_pay = subs.groupby("account").paid_from.min().map(
        lambda d: (pd.Timestamp(d) - pd.Timestamp("1970-01-01")) // pd.Timedelta(seconds=1))
    paid = p["account"].map(first_pay)
    fill = own["customer"].isna() & own["opportunity"].notna() & (paid >= own["opportunity"] // 86400 * 86400)
    own["customer"] = own["customer"].where(~fill, paid)
    r = [own[k] for k in ["created", "mql", "sal", "sql", "opportunity", "customer"]]
    for k in range(4, -1, -1):
        r[k] = r[k].where(~(r[k + 1].notna() & (r[k].isna() | (r[k] > r[k + 1]))), r[k + 1])
    months = [month_of(x.fillna(0)).where(x.notna()) for x in r]
    cohort_q = (months[0] // 3 * 3)
    opp = read("opportunities", ["id", "account_id", "type", "owner_rep_id", "amount_minor", "currency", "created_on", "closed_on", "is_closed", "is_won"])
    rows = []
    for q in range(Q0 - Q0 % 3, QL + 1, 3):
        for view in ["cohort", "period"]:
            for k, name in enumerate(STAGES):
                sel = (cohort_q == q) & r[k].notna() if view == "cohort" else (months[k] // 3 * 3 == q)
                n = int(sel.sum())
                if k == 0: med = p90 = ""
                else:
                    d = ((r[k][sel] - r[k - 1][sel]) / 86400).to_numpy()
                    med, p90 = (np.quantile(d, 0.5), np.quantile(d, 0.9)) if len(d) else ("", "")
                rows.append([qlabel(q), view, name, n, med, p90])
            if view == "period":
                won = opp[(opp.type == "new") & (opp.is_won == "1") & opp.closed_on.notna()]
                n = int(((won.closed_on.map(ym) // 3 * 3) == q).sum())
                rows.append([qlabel(q), view, "closed sales", n, "", ""])
    pd.DataFrame(rows, columns=["quarter", "view", "stage", "reached", "median_days", "p90_days"]).to_csv(out + ".funnel.csv", index=False)

    # Shared for targets and the scorecard.
    fx = read("fx_rates", ["month", "currency", "rate"])
    rate = {(ym(m), c): float(v) for m, c, v in zip(fx.month, fx.currency, fx.rate)}
    def conv(minor, cur, m):
        if cur == "USD": return int(minor)
        v = int(minor) * (rate[(m, cur)] * 10.0 ** (2 - ZERO.get(cur, 2)))
        return int(abs(v) + 0.5) * (1 if v >= 0 else -1)
    reps = read("reps", ["id", "name", "team_id", "monthly_quota_minor", "hired_on", "left_on"])
    teams = read("teams", ["id", "name", "function"])
    team_name = dict(zip(teams.id, teams.name))
    rep_team = {int(i): team_name.get(t, "(no team)") if isinstance(t, str) else "(no team)" for i, t in zip(reps.id, reps.team_id)}
    act = read("activities", ["account_id", "rep_id", "person_id", "kind", "occurred_at", "automated"])
    act = act[act.automated == "0"]
    act_sec = secs(act["occurred_at"])
    act_m = month_of(act_sec)
    opp["cm"] = opp.created_on.map(ym)
    opp["xm"] = opp.closed_on.map(lambda d: ym(d) if isinstance(d, str) else -1)
    opp["created_usd"] = [conv(a, c, m) for a, c, m in zip(opp.amount_minor, opp.currency, opp.cm)]
    won_mask = (opp.is_won == "1") & (opp.xm >= 0)
    opp["won_usd"] = [conv(a, c, m) if w else 0 for a, c, m, w in zip(opp.amount_minor, opp.currency, opp.xm, won_mask)]
    opp["acct"] = opp.account_id.map(lambda a: resolve(int(a)) if isinstance(a, str) else None)

    # Targets: per scope key and month, the flows; then each target row's quarter.
    tal = {}
    def add(keys, m, field, v=1):
        for key in keys:
            d = tal.setdefault((key, m), {}); d[field] = d.get(field, 0) + v
    def keys(account, rep):
        out = ["company"]
        if account is not None and isinstance(segment.get(account), str): out.append("segment:" + segment[account])
        if isinstance(rep, str) and rep != "":
            out += ["rep:" + rep, "team:" + rep_team.get(int(rep), "(no team)")]
        return out
    for acct, rep, m0, m1, m3 in zip(p["account"], p["owner_rep_id"], months[0], months[1], months[3]):
        ks = keys(acct, rep)
        add(ks, int(m0), "leads")
        if m1 == m1: add(ks, int(m1), "mqls")
        if m3 == m3: add(ks, int(m3), "sqls")
    demo = act.kind == "demo"
    for a, rep, m in zip(act.account_id[demo], act.rep_id[demo], act_m[demo]):
        add(keys(resolve(int(a)) if isinstance(a, str) else None, rep), int(m), "demos")
    for t, a, rep, cm, xm, w, usd in zip(opp.type, opp.acct, opp.owner_rep_id, opp.cm, opp.xm, won_mask, opp.won_usd):
        ks = keys(a, rep)
        if t == "new": add(ks, cm, "opportunities")
        if w and t != "renewal":
            if t == "new": add(ks, xm, "new_bookings", usd); add(ks, xm, "won_new")
            else: add(ks, xm, "upsell_bookings", usd)
    tg = read("targets", ["month", "scope", "scope_key", "metric", "value"])
    tg = tg[tg.metric.isin(["leads", "mqls", "sqls", "demos", "opportunities", "bookings", "net_new_asp", "upsell_share"])]
    tg["m"] = tg.month.map(ym)
    tg = tg[(tg.m >= Q0 - Q0 % 3) & (tg.m <= QL)]
    tg["q"] = tg.m // 3 * 3
    tg["value"] = tg.value.astype(float)
    fn = dict(zip(teams.name, teams.function))
    rep_by_key = {}
    for i, n in zip(reps.id, reps.name): rep_by_key[i] = i; rep_by_key[n.lower()] = i
    rows = []
    for (q, scope, key, metric), g in tg.groupby(["q", "scope", "scope_key", "metric"]):
        target = g.value.sum() if metric not in ("net_new_asp", "upsell_share") else g.value.mean()
        if scope == "company": sk = "company"
        elif scope == "segment": sk = "segment:" + key
        elif scope == "rep": sk = "rep:" + rep_by_key.get(key.lower(), "?")
        else:
            f = fn.get(key)
            sk = "company" if (f == "marketing" and metric in ("leads", "mqls", "sqls")) else "team:" + key
        s = {}
        for m in range(q, min(q + 3, QL + 1)):
            for f2, v in tal.get((sk, m), {}).items(): s[f2] = s.get(f2, 0) + v
        if metric == "bookings": actual = (s.get("new_bookings", 0) + s.get("upsell_bookings", 0)) / 100
        elif metric == "net_new_asp": actual = s["new_bookings"] / s["won_new"] / 100 if s.get("won_new") else None
        elif metric == "upsell_share":
            b = s.get("new_bookings", 0) + s.get("upsell_bookings", 0)
            actual = s.get("upsell_bookings", 0) / b * 100 if b else None
            target *= 100
        else: actual = s.get(metric, 0)
        rows.append([qlabel(q), scope, key, metric, target, "" if actual is None else actual])
    pd.DataFrame(rows, columns=["quarter", "scope", "scope_key", "metric", "target", "actual"]).to_csv(out + ".targets.csv", index=False)

    # Rep scorecard.
    first = act[act.person_id.notna()].assign(t=act_sec).groupby("person_id").apply(lambda g: g.t.to_numpy(), include_groups=False)
    rows = []
    pc = own["created"]
    resp = []
    pid_str = p["id"].astype(str)
    for pid, c in zip(pid_str, pc):
        ts = first.get(pid)
        if ts is None: resp.append(None); continue
        later = ts[ts >= c]
        resp.append(later.min() if len(later) else None)
    p["resp"] = resp
    p["within"] = [(x is not None and x == x and x - c <= SLA) for x, c in zip(p["resp"], pc)]
    p["due"] = (pc + SLA <= END) | p["within"]
    p["cm"] = months[0]
    qt = tg  # unused
    rt = read("targets", ["month", "scope", "scope_key", "metric", "value"])
    rt = rt[(rt.scope == "rep") & (rt.metric == "bookings")]
    rt_map = {}
    for m, k, v in zip(rt.month, rt.scope_key, rt.value):
        rid = rep_by_key.get(k.lower())
        if rid is not None: rt_map.setdefault(rid, {}); rt_map[rid][ym(m)] = rt_map[rid].get(ym(m), 0) + float(v)
    for q in range(Q0 - Q0 % 3, QL + 1, 3):
        qm = range(q, min(q + 3, QL + 1))
        a_q = act[(act_m // 3 * 3) == q]
        p_q = p[p.cm // 3 * 3 == q]
        o_c = opp[(opp.type == "new") & (opp.cm // 3 * 3 == q)]
        o_x = opp[(opp.xm // 3 * 3 == q) & (opp.is_closed == "1") & (opp.type != "renewal")]
        for rid, name, team_id, quota, hired, left in zip(reps.id, reps.name, reps.team_id, reps.monthly_quota_minor, reps.hired_on, reps.left_on):
            if isinstance(hired, str) and ym(hired) > qm[-1]: continue
            if isinstance(hired, str) and hired > f"{qm[-1] // 12}-{qm[-1] % 12 + 1:02d}-31": continue
            mine = a_q[a_q.rep_id == rid]
            kinds = mine.kind.value_counts()
            owned = p_q[p_q.owner_rep_id == rid]
            due = int(owned.due.sum()); within = int(owned.within.sum())
            oc = o_c[o_c.owner_rep_id == rid]; ox = o_x[o_x.owner_rep_id == rid]
            wonn = ox[(ox.type == "new") & (ox.is_won == "1")]; lost = ox[(ox.type == "new") & (ox.is_won == "0")]
            bookings = int(ox[ox.is_won == "1"].won_usd.sum())
            targets_q = [rt_map.get(rid, {}).get(m) for m in qm]
            targets_q = [t for t in targets_q if t is not None]
            if targets_q: quota_v = round(sum(targets_q) * 100)
            elif isinstance(quota, str): quota_v = int(quota) * len(qm)
            else: quota_v = None
            rows.append([qlabel(q), team_name.get(team_id, "(no team)") if isinstance(team_id, str) else "(no team)", name,
                         int(kinds.get("call", 0)), int(kinds.get("email", 0)), int(kinds.get("meeting", 0)), int(kinds.get("demo", 0)),
                         int(mine.person_id.dropna().nunique()), len(owned), within / due if due else "",
                         int(oc.created_usd.sum()), len(wonn), len(lost), bookings, "" if quota_v is None else quota_v])
    pd.DataFrame(rows, columns=["quarter", "team", "rep", "calls", "emails", "meetings", "demos", "leads_worked", "leads_owned",
                                "sla_compliance", "pipeline_created", "won", "lost", "bookings", "quota"]).to_csv(out + ".reps.csv", index=False)

if tool == "duckdb":
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    def load(t, cols):
        con.execute(f"CREATE TABLE {t} AS SELECT {cols} FROM read_csv('{csvdir}/{t}.csv', header=true, all_varchar=true)")
    load("accounts", "CAST(id AS BIGINT) id, segment, CAST(merged_into AS BIGINT) merged_into")
    load("people", "CAST(id AS BIGINT) id, CAST(account_id AS BIGINT) account_id, owner_rep_id, created_at, mql_at, sal_at, sql_at, opportunity_at, customer_at, lower(status) status")
    load("custom_fields", "entity, CAST(record_id AS BIGINT) record_id, name, value")
    load("subscriptions", "CAST(account_id AS BIGINT) account_id, CAST(amount_minor AS BIGINT) amount_minor, started_on, trial_end_on, ended_on")
    load("opportunities", "CAST(id AS BIGINT) id, CAST(account_id AS BIGINT) account_id, type, owner_rep_id, CAST(amount_minor AS BIGINT) amount_minor, currency, created_on, closed_on, is_closed, is_won")
    load("activities", "CAST(account_id AS BIGINT) account_id, rep_id, person_id, kind, occurred_at, automated")
    load("fx_rates", "month, currency, CAST(rate AS DOUBLE) rate")
    load("reps", "id, name, team_id, CAST(monthly_quota_minor AS BIGINT) quota, hired_on, left_on")
    load("teams", "id, name, function")
    load("targets", "month, scope, scope_key, metric, CAST(value AS DOUBLE) value")
    ts = lambda c: f"epoch(strptime({c}, '%Y-%m-%dT%H:%M:%SZ'))"
    mo = lambda c: f"(CAST(substr({c}, 1, 4) AS INT) * 12 + CAST(substr({c}, 6, 2) AS INT) - 1)"
    con.execute(f"""
    CREATE TABLE resolved AS
    WITH RECURSIVE chain(id, survivor, depth) AS (
        SELECT id, COALESCE(merged_into, id), 0 FROM accounts
        UNION ALL SELECT c.id, a.merged_into, c.depth + 1 FROM chain c JOIN accounts a ON a.id = c.survivor
        WHERE a.merged_into IS NOT NULL AND c.depth < 20)
    SELECT id, arg_max(survivor, depth) AS survivor FROM chain GROUP BY id""")
    con.execute(f"""
    CREATE TABLE journeys AS
    WITH firstpay AS (
        SELECT r.survivor account, epoch(min(CAST(COALESCE(s.trial_end_on, s.started_on) AS DATE))) paid
        FROM subscriptions s JOIN resolved r ON r.id = s.account_id
        WHERE s.amount_minor > 0 AND (s.ended_on IS NULL OR s.ended_on > COALESCE(s.trial_end_on, s.started_on)) GROUP BY 1),
    score AS (SELECT record_id, TRY_CAST(value AS DOUBLE) score FROM custom_fields WHERE entity = 'people' AND name = 'lead_score'),
    own AS (
        SELECT p.id, r.survivor account, p.owner_rep_id, p.status, {ts('p.created_at')} c,
               CASE WHEN p.mql_at IS NOT NULL THEN {ts('p.mql_at')} WHEN s.score >= 65 THEN {ts('p.created_at')} END m,
               {ts('p.sal_at')} sal0, {ts('p.sql_at')} sql0, {ts('p.opportunity_at')} o, {ts('p.customer_at')} cu0
        FROM people p LEFT JOIN resolved r ON r.id = p.account_id LEFT JOIN score s ON s.record_id = p.id),
    filled AS (
        SELECT o.*,
          COALESCE(sql0, CASE WHEN status IN ({",".join(repr(x) for x in SQL)}) THEN COALESCE(sal0, m, c) END) q,
          COALESCE(sal0, CASE WHEN status IN ({",".join(repr(x) for x in SAL)}) THEN COALESCE(m, c) END) sa,
          COALESCE(cu0, CASE WHEN o.o IS NOT NULL AND f.paid >= floor(o.o / 86400) * 86400 THEN f.paid END) cu
        FROM own o LEFT JOIN firstpay f ON f.account = o.account),
    r5 AS (SELECT *, cu AS x5 FROM filled),
    r4 AS (SELECT *, least(o, x5) AS x4 FROM r5),
    r3 AS (SELECT *, least(q, x4) AS x3 FROM r4),
    r2 AS (SELECT *, least(sa, x3) AS x2 FROM r3),
    r1 AS (SELECT *, least(m, x2) AS x1 FROM r2)
    SELECT id, account, owner_rep_id, c AS x0, x1, x2, x3, x4, x5 FROM r1""")
    stage_rows = " UNION ALL ".join(
        f"SELECT id, account, owner_rep_id, {k} k, x{k} reached_at, {'NULL' if k == 0 else f'x{k - 1}'} prev, x0 FROM journeys WHERE x{k} IS NOT NULL"
        for k in range(6))
    q = lambda e: f"(CAST(year(to_timestamp({e})) AS INT) * 12 + CAST(month(to_timestamp({e})) AS INT) - 1) // 3 * 3"
    funnel = con.execute(f"""
    WITH events AS ({stage_rows}),
    tagged AS (SELECT k, (reached_at - prev) / 86400 d, {q('x0')} cq, {q('reached_at')} pq FROM events),
    both_views AS (SELECT 'cohort' v, cq qq, k, d FROM tagged UNION ALL SELECT 'period', pq, k, d FROM tagged)
    SELECT qq, v, k, count(*) n, quantile_cont(d, 0.5) med, quantile_cont(d, 0.9) p90 FROM both_views
    WHERE qq BETWEEN {Q0 - Q0 % 3} AND {QL} GROUP BY ALL""").fetchall()
    closed = dict(con.execute(f"""SELECT {mo('closed_on')} // 3 * 3, count(*) FROM opportunities
        WHERE type = 'new' AND is_won = '1' AND closed_on IS NOT NULL GROUP BY 1""").fetchall())
    got = {(a, b, c): (n, m, p) for a, b, c, n, m, p in funnel}
    with open(out + ".funnel.csv", "w") as f:
        f.write("quarter,view,stage,reached,median_days,p90_days\n")
        for qq in range(Q0 - Q0 % 3, QL + 1, 3):
            for v in ["cohort", "period"]:
                for k, name in enumerate(STAGES):
                    n, m, p = got.get((qq, v, k), (0, None, None))
                    f.write(f"{qlabel(qq)},{v},{name},{n},{'' if k == 0 or m is None else repr(m)},{'' if k == 0 or p is None else repr(p)}\n")
                if v == "period": f.write(f"{qlabel(qq)},period,closed sales,{closed.get(qq, 0)},,\n")

    conv = lambda amount, cur, month: f"""CASE WHEN {cur} = 'USD' THEN {amount} ELSE CAST(sign({amount} * (x.rate * power(10.0, 2 - CASE WHEN {cur} IN ('JPY', 'KRW') THEN 0 ELSE 2 END))) *
        floor(abs({amount} * (x.rate * power(10.0, 2 - CASE WHEN {cur} IN ('JPY', 'KRW') THEN 0 ELSE 2 END))) + 0.5) AS BIGINT) END"""
    con.execute(f"""
    CREATE TABLE deals AS SELECT o.*, r.survivor account, {mo('created_on')} cm,
        CASE WHEN closed_on IS NOT NULL THEN {mo('closed_on')} END xm,
        {conv('o.amount_minor', 'o.currency', '')} created_usd
    FROM opportunities o LEFT JOIN resolved r ON r.id = o.account_id
    LEFT JOIN fx_rates x ON x.currency = o.currency AND {mo('x.month')} = {mo('o.created_on')}""")
    con.execute(f"""
    CREATE TABLE deals_won AS SELECT d.id, {conv('d.amount_minor', 'd.currency', '')} won_usd FROM deals d
    LEFT JOIN fx_rates x ON x.currency = d.currency AND {mo('x.month')} = d.xm WHERE d.is_won = '1' AND d.xm IS NOT NULL""")
    con.execute(f"""
    CREATE TABLE facts AS
    WITH repteam AS (SELECT r.id rep, COALESCE(t.name, '(no team)') team FROM reps r LEFT JOIN teams t ON t.id = r.team_id),
    raw AS (
        SELECT account, owner_rep_id rep, CAST(year(to_timestamp(x0)) AS INT) * 12 + CAST(month(to_timestamp(x0)) AS INT) - 1 m, 'leads' f, 1.0 v FROM journeys
        UNION ALL SELECT account, owner_rep_id, CAST(year(to_timestamp(x1)) AS INT) * 12 + CAST(month(to_timestamp(x1)) AS INT) - 1, 'mqls', 1 FROM journeys WHERE x1 IS NOT NULL
        UNION ALL SELECT account, owner_rep_id, CAST(year(to_timestamp(x3)) AS INT) * 12 + CAST(month(to_timestamp(x3)) AS INT) - 1, 'sqls', 1 FROM journeys WHERE x3 IS NOT NULL
        UNION ALL SELECT r.survivor, a.rep_id, {mo('a.occurred_at')}, 'demos', 1 FROM activities a LEFT JOIN resolved r ON r.id = a.account_id
            WHERE a.kind = 'demo' AND a.automated = '0'
        UNION ALL SELECT account, owner_rep_id, cm, 'opportunities', 1 FROM deals WHERE type = 'new'
        UNION ALL SELECT d.account, d.owner_rep_id, d.xm, CASE WHEN d.type = 'new' THEN 'new_bookings' ELSE 'upsell_bookings' END, w.won_usd
            FROM deals d JOIN deals_won w ON w.id = d.id WHERE d.type <> 'renewal'
        UNION ALL SELECT account, owner_rep_id, xm, 'won_new', 1 FROM deals WHERE type = 'new' AND is_won = '1' AND xm IS NOT NULL),
    keyed AS (
        SELECT 'company' k, m, f, v FROM raw
        UNION ALL SELECT 'segment:' || a.segment, m, f, v FROM raw JOIN accounts a ON a.id = raw.account WHERE a.segment IS NOT NULL
        UNION ALL SELECT 'rep:' || rep, m, f, v FROM raw WHERE rep IS NOT NULL
        UNION ALL SELECT 'team:' || COALESCE(t.team, '(no team)'), m, f, v FROM raw LEFT JOIN repteam t ON t.rep = raw.rep WHERE raw.rep IS NOT NULL)
    SELECT k, m // 3 * 3 qq, f, sum(v) v FROM keyed WHERE m BETWEEN {Q0 - Q0 % 3} AND {QL} GROUP BY ALL""")
    rows = con.execute(f"""
    WITH t AS (
        SELECT {mo('month')} // 3 * 3 qq, scope, scope_key, metric,
               CASE WHEN metric IN ('net_new_asp', 'upsell_share') THEN avg(value) ELSE sum(value) END target
        FROM targets WHERE metric IN ('leads', 'mqls', 'sqls', 'demos', 'opportunities', 'bookings', 'net_new_asp', 'upsell_share')
          AND {mo('month')} BETWEEN {Q0 - Q0 % 3} AND {QL} GROUP BY 1, 2, 3, 4),
    k AS (
        SELECT t.*, CASE WHEN scope = 'company' THEN 'company' WHEN scope = 'segment' THEN 'segment:' || scope_key
            WHEN scope = 'rep' THEN 'rep:' || COALESCE((SELECT min(id) FROM reps WHERE id = scope_key OR lower(name) = lower(scope_key)), '?')
            WHEN (SELECT function FROM teams WHERE name = scope_key) = 'marketing' AND metric IN ('leads', 'mqls', 'sqls') THEN 'company'
            ELSE 'team:' || scope_key END sk FROM t),
    s AS (SELECT k, qq, sum(v) FILTER (f = 'leads') leads, sum(v) FILTER (f = 'mqls') mqls, sum(v) FILTER (f = 'sqls') sqls,
                 sum(v) FILTER (f = 'demos') demos, sum(v) FILTER (f = 'opportunities') opportunities,
                 sum(v) FILTER (f = 'new_bookings') nb, sum(v) FILTER (f = 'upsell_bookings') ub, sum(v) FILTER (f = 'won_new') wn
          FROM facts GROUP BY ALL)
    SELECT k.qq, scope, scope_key, metric, CASE WHEN metric = 'upsell_share' THEN target * 100 ELSE target END,
        CASE metric WHEN 'leads' THEN COALESCE(leads, 0) WHEN 'mqls' THEN COALESCE(mqls, 0) WHEN 'sqls' THEN COALESCE(sqls, 0)
            WHEN 'demos' THEN COALESCE(demos, 0) WHEN 'opportunities' THEN COALESCE(opportunities, 0)
            WHEN 'bookings' THEN (COALESCE(nb, 0) + COALESCE(ub, 0)) / 100
            WHEN 'net_new_asp' THEN CASE WHEN wn > 0 THEN nb / wn / 100 END
            ELSE CASE WHEN COALESCE(nb, 0) + COALESCE(ub, 0) > 0 THEN COALESCE(ub, 0) / (COALESCE(nb, 0) + COALESCE(ub, 0)) * 100 END END
    FROM k LEFT JOIN s ON s.k = k.sk AND s.qq = k.qq ORDER BY 1, 2, 3, 4""").fetchall()
    with open(out + ".targets.csv", "w") as f:
        f.write("quarter,scope,scope_key,metric,target,actual\n")
        for qq, scope, key, metric, target, actual in rows:
            f.write(f"{qlabel(qq)},{scope},{key},{metric},{target!r},{'' if actual is None else repr(float(actual))}\n")

    rows = con.execute(f"""
    WITH human AS (SELECT rep_id, person_id, kind, {ts('occurred_at')} t, {mo('occurred_at')} // 3 * 3 qq FROM activities WHERE automated = '0'),
    firstresp AS (SELECT j.id, min(h.t) r FROM journeys j JOIN human h ON h.person_id = CAST(j.id AS VARCHAR) AND h.t >= j.x0 GROUP BY 1),
    owned AS (SELECT j.owner_rep_id rep, (CAST(year(to_timestamp(j.x0)) AS INT) * 12 + CAST(month(to_timestamp(j.x0)) AS INT) - 1) // 3 * 3 qq,
                     count(*) n, sum(CASE WHEN f.r - j.x0 <= {SLA} THEN 1 ELSE 0 END) ok,
                     sum(CASE WHEN f.r - j.x0 <= {SLA} OR j.x0 + {SLA} <= {END} THEN 1 ELSE 0 END) due
              FROM journeys j LEFT JOIN firstresp f ON f.id = j.id WHERE j.owner_rep_id IS NOT NULL GROUP BY ALL),
    acts AS (SELECT rep_id rep, qq, count(*) FILTER (kind = 'call') calls, count(*) FILTER (kind = 'email') emails,
                    count(*) FILTER (kind = 'meeting') meetings, count(*) FILTER (kind = 'demo') demos,
                    count(DISTINCT person_id) worked FROM human GROUP BY ALL),
    pipe AS (SELECT owner_rep_id rep, cm // 3 * 3 qq, sum(created_usd) pipeline FROM deals WHERE type = 'new' GROUP BY ALL),
    closed AS (SELECT d.owner_rep_id rep, d.xm // 3 * 3 qq, count(*) FILTER (d.type = 'new' AND d.is_won = '1') won,
                      count(*) FILTER (d.type = 'new' AND d.is_won = '0') lost, sum(COALESCE(w.won_usd, 0)) bookings
               FROM deals d LEFT JOIN deals_won w ON w.id = d.id WHERE d.is_closed = '1' AND d.type <> 'renewal' AND d.xm IS NOT NULL GROUP BY ALL),
    repkey AS (SELECT id, id k FROM reps UNION SELECT id, lower(name) FROM reps),
    rt AS (SELECT rk.id rep, {mo('month')} // 3 * 3 qq, sum(value) v FROM targets t JOIN repkey rk ON rk.k = lower(t.scope_key)
           WHERE scope = 'rep' AND metric = 'bookings' GROUP BY ALL),
    quarters AS (SELECT range * 3 + {Q0 - Q0 % 3} qq FROM range(0, ({QL} - {Q0 - Q0 % 3}) // 3 + 1))
    SELECT q.qq, COALESCE(t.name, '(no team)'), r.name, COALESCE(calls, 0), COALESCE(emails, 0), COALESCE(meetings, 0), COALESCE(a.demos, 0),
           COALESCE(worked, 0), COALESCE(o.n, 0), CASE WHEN o.due > 0 THEN o.ok / o.due END, COALESCE(pipeline, 0),
           COALESCE(won, 0), COALESCE(lost, 0), COALESCE(bookings, 0),
           CASE WHEN rt.v IS NOT NULL THEN round(rt.v * 100) WHEN r.quota IS NOT NULL THEN r.quota * (least(q.qq + 2, {QL}) - q.qq + 1) END
    FROM quarters q CROSS JOIN reps r LEFT JOIN teams t ON t.id = r.team_id
    LEFT JOIN acts a ON a.rep = r.id AND a.qq = q.qq LEFT JOIN owned o ON o.rep = r.id AND o.qq = q.qq
    LEFT JOIN pipe p ON p.rep = r.id AND p.qq = q.qq LEFT JOIN closed c ON c.rep = r.id AND c.qq = q.qq
    LEFT JOIN rt ON rt.rep = r.id AND rt.qq = q.qq
    WHERE r.hired_on IS NULL OR {mo('r.hired_on')} <= least(q.qq + 2, {QL}) ORDER BY 1, 2, 3""").fetchall()
    with open(out + ".reps.csv", "w") as f:
        f.write("quarter,team,rep,calls,emails,meetings,demos,leads_worked,leads_owned,sla_compliance,pipeline_created,won,lost,bookings,quota\n")
        for r in rows:
            f.write(",".join([qlabel(r[0])] + ["" if x is None else str(x) for x in r[1:]]) + "\n")
print(f"{tool}: {time.time() - t0:.2f}s in process", file=sys.stderr)
