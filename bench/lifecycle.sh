#!/usr/bin/env bash
# Lifecycle reports for the medium demo company, end to end, three ways:
#   Fulcrum   `fulcrum report funnel targets rep-scorecard --period quarter --output DIR` from the SQLite store
#             (release build; one process, one read of the store, as the peers load each table once), and the
#             same three reports as three processes for comparison;
#   DuckDB    the same numbers in SQL over the canonical CSV export;
#   pandas    the same numbers in pandas over the same CSVs.
# Both peers (bench/lifecycle_peers.py) reimplement docs/lifecycle.md: a lead's stage instants (source
# instant, lead-score and status rules, customer from the account's first paid day, skipped stages reached),
# the funnel's cohort and period views with median and p90 days in stage and closed sales; the targets'
# actuals for leads, mqls, sqls, demos, opportunities, bookings, net_new_asp and upsell_share per company,
# segment, team and rep (FX per deal month); and the rep scorecard's activities, leads worked and owned,
# response-SLA compliance, pipeline, won, lost, bookings and quota. Every cell the peers compute is compared
# with Fulcrum's before any time is recorded (mrr and churn_rate targets need the MRR ledger, which
# bench/metrics.sh checks; they are not compared here). Median of RUNS (default 3) wall times per tool.
# Usage: bench/lifecycle.sh [size]   (default medium; peers are installed with pip here, never runtime deps)
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
through=$(sqlite3 "$work/$size.sqlite" "select value from meta where key='data_through'")
last=${through:0:7}
from="$(( ${last:0:4} - 2 ))-01"

run_fulcrum() {
  "$bin" report funnel targets rep-scorecard --period quarter --store "$work/$size.sqlite" --from "$from" --to "$last" \
    --format csv --output "$work/fulcrum" >/dev/null
}
run_fulcrum_separately() {
  for r in funnel targets rep-scorecard; do
    "$bin" report "$r" --period quarter --store "$work/$size.sqlite" --from "$from" --to "$last" --format csv \
      > "$work/separate.$r.csv" 2>/dev/null
  done
}
run_peer() { python3 bench/lifecycle_peers.py "$1" "$work/csv" "$from" "$last" "$through" "$work/$1" 2>>"$work/peer.log"; }

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_it() { local s e; s=$(date +%s.%N); "$@"; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }'; }

rm -rf "$work"/fulcrum "$work"/separate.*.csv "$work"/duckdb.*.csv "$work"/pandas.*.csv "$work/peer.log"
declare -A med
for tool in fulcrum separately "${peers[@]}"; do
  ts=()
  for i in $(seq "$runs"); do
    case $tool in
      fulcrum) ts+=("$(time_it run_fulcrum)") ;;
      separately) ts+=("$(time_it run_fulcrum_separately)") ;;
      *) ts+=("$(time_it run_peer "$tool")") ;;
    esac
  done
  med[$tool]=$(median "${ts[@]}")
  echo "$tool: ${ts[*]} (median ${med[$tool]} s)" >&2
done

# Same numbers or no result: every cell a peer computes against Fulcrum's (money in the peers' minor units).
read -r cells mismatches < <(python3 - "$work" "${peers[*]}" <<'PY'
import csv, sys
w = sys.argv[1]
def table(path, keys):
    # Rows by key; a key may hold several rows (two reps of one team with the same name, at the large size).
    rows = {}
    for r in csv.DictReader(open(path)): rows.setdefault(tuple(r[k] for k in keys), []).append(r)
    return rows
def same(a, b, tol):
    if (a or "") == "" or (b or "") == "": return (a or "") == (b or "")
    return abs(float(a) - float(b)) <= tol
checks = [
    ("funnel", ["quarter", "view", "stage"], {"reached": (1, 0), "median_days": (1, 2e-6), "p90_days": (1, 2e-6)}),
    ("targets", ["quarter", "scope", "scope_key", "metric"], {"target": (1, 2e-6), "actual": (1, 0.006)}),
    ("reps", ["quarter", "team", "rep"], {
        "calls": (1, 0), "emails": (1, 0), "meetings": (1, 0), "demos": (1, 0), "leads_worked": (1, 0),
        "leads_owned": (1, 0), "sla_compliance": (1, 2e-6), "pipeline_created": (100, 0.006), "won": (1, 0),
        "lost": (1, 0), "bookings": (100, 0.006), "quota": (100, 0.006)}),
]
names = {"funnel": "funnel", "targets": "targets", "reps": "rep-scorecard"}
cells = bad = 0
for tool in sys.argv[2].split():
    for name, keys, columns in checks:
        mine = table(f"{w}/fulcrum/{names[name]}.csv", keys)
        theirs = table(f"{w}/{tool}.{name}.csv", keys)
        if not theirs: bad += 1; print(f"MISMATCH {tool} {name}: no rows", file=sys.stderr)
        for k, group in theirs.items():
            if k not in mine:
                bad += 1; print(f"MISMATCH {tool} {name} {k}: missing in Fulcrum's", file=sys.stderr); continue
            candidates = list(mine[k])
            for r in group:
                def matches(m):
                    return all(same(m[c], r[c] if r[c] in ("", None) or scale == 1 else str(float(r[c]) / scale), tol)
                               for c, (scale, tol) in columns.items())
                cells += len(columns)
                # A unique key is compared cell by cell; rows sharing a key are paired with an equal row.
                if len(group) == 1 and len(candidates) == 1:
                    m = candidates[0]
                    for c, (scale, tol) in columns.items():
                        v = r[c]
                        if v not in ("", None) and scale != 1: v = str(float(v) / scale)
                        if not same(m[c], v, tol):
                            bad += 1
                            if bad <= 20: print(f"MISMATCH {tool} {name} {k} {c}: fulcrum {m[c]} vs {v}", file=sys.stderr)
                    continue
                hit = next((i for i, m in enumerate(candidates) if matches(m)), None)
                if hit is None:
                    bad += 1
                    if bad <= 20: print(f"MISMATCH {tool} {name} {k}: no equal row among {len(candidates)}", file=sys.stderr)
                else:
                    candidates.pop(hit)
# The one-process files equal the three processes' output, byte for byte.
for n in names.values():
    if open(f"{w}/fulcrum/{n}.csv").read() != open(f"{w}/separate.{n}.csv").read():
        bad += 1; print(f"MISMATCH one process vs three: {n}", file=sys.stderr)
print(cells, bad)
PY
)
echo "cells compared: $cells, mismatches: $mismatches" >&2
people=$(( $(wc -l < "$work/csv/people.csv") - 1 ))
activities=$(( $(wc -l < "$work/csv/activities.csv") - 1 ))
opps=$(( $(wc -l < "$work/csv/opportunities.csv") - 1 ))
{
  echo ""
  echo "### Lifecycle reports: Fulcrum vs DuckDB SQL vs pandas ($size company, $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
  echo ""
  echo "\`bench/lifecycle.sh $size\`: funnel (cohort and period views, median and p90 days in stage, closed sales), targets"
  echo "against actuals and the rep scorecard, per quarter $from…$last; $people people, $activities activities, $opps opportunities."
  echo "Fulcrum reads its SQLite store once for the three reports (\`fulcrum report funnel targets rep-scorecard --output DIR\`;"
  echo "\"fulcrum, 3 processes\" runs them one by one, same files byte for byte); DuckDB $(python3 -c 'import duckdb;print(duckdb.__version__)') and pandas"
  echo "$(python3 -c 'import pandas;print(pandas.__version__)') read the canonical CSV export and reimplement docs/lifecycle.md. Wall time end to end"
  echo "(process start, load, compute, write), median of $runs runs. Cells compared with Fulcrum's (peers: ${peers[*]}): $cells; differing: $mismatches."
  echo ""
  echo "| tool | median wall s | ratio to Fulcrum |"
  echo "|---|---|---|"
  for tool in fulcrum separately "${peers[@]}"; do
    label=$tool; [ "$tool" = separately ] && label="fulcrum, 3 processes"
    echo "| $label | ${med[$tool]} | $(awk -v a="${med[$tool]}" -v b="${med[fulcrum]}" 'BEGIN { printf "%.1f×", a / b }') |"
  done
} > "$work/section.md"
cat "$work/section.md"
[ "$mismatches" = 0 ] || { echo "lifecycle bench: $mismatches cells differ; nothing recorded" >&2; exit 1; }
if [ -z "${NO_RECORD:-}" ] && [ "${#peers[@]}" = 2 ]; then
  cat "$work/section.md" >> bench/RESULTS.md
  pandas_x=$(awk -v a="${med[pandas]}" -v b="${med[fulcrum]}" 'BEGIN { printf "%.1f", a / b }')
  duckdb_x=$(awk -v a="${med[duckdb]}" -v b="${med[fulcrum]}" 'BEGIN { printf "%.1f", a / b }')
  python3 bench/current.py "lifecycle reports ($size)" "${med[fulcrum]} s" "pandas ${med[pandas]} s; DuckDB ${med[duckdb]} s" \
    "${pandas_x}× faster than pandas; ${duckdb_x}× than DuckDB" "faster than DuckDB, 10× faster than pandas" \
    "$(awk -v x="$pandas_x" -v d="$duckdb_x" 'BEGIN { print (x >= 10 && d > 1) ? "yes" : "no" }')"
fi
