#!/usr/bin/env bash
# Attribution, side by side in one run:
#   1. `fulcrum attribution` over JOURNEYS (default 10,000,000) journeys with CHANNELS (default 500) channels from CSV
#      (generated once by DuckDB, seeded), against a straightforward NumPy/pandas implementation of the same Markov
#      model (bench/attribution_peers.py: pandas reads, NumPy counts transitions and re-solves per removed channel).
#      The Markov values must agree to 1e-6 before any time is recorded. Peak memory of each from /usr/bin/time.
#   2. `fulcrum report attribution` over the medium demo company's touches (Markov, pipeline), from the store, against
#      bench/attribution_peers.py store: pandas/NumPy rebuilding the same journeys from the store's canonical CSV
#      export and solving the same chain; conversions and values must agree to 1e-6 (relative) first.
# Usage: bench/attribution.sh [journeys] [channels]   BENCH_DIR=DIR reuses DIR (files, medium.sqlite); NO_RECORD=1 prints only.
set -euo pipefail
cd "$(dirname "$0")/.."
journeys=${1:-10000000}
channels=${2:-500}
work=${BENCH_DIR:-$(mktemp -d)}
python3 -m pip install --quiet duckdb pandas numpy pyarrow >&2 || pip install --quiet --break-system-packages duckdb pandas numpy pyarrow >&2
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product fulcrum >/dev/null
bin=$PWD/.build/release/fulcrum
files="$work/journeys-$journeys-$channels"
if [ ! -f "$files/journeys.csv" ]; then
  mkdir -p "$files"
  python3 bench/attribution_peers.py generate "$files" "$journeys" "$channels" >&2
fi
touch_rows=$(( $(wc -l < "$files/touches.csv") - 1 ))
size=$(du -sh "$files" | cut -f1)

measure() {  # measure NAME COMMAND...: wall seconds and peak RSS MB into $secs, $mb
  local log
  log=$(mktemp)
  /usr/bin/time -v "$@" 2>"$log" >/dev/null || { cat "$log" >&2; exit 1; }
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$log")
  mb=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  rm -f "$log"
}

"$bin" attribution --touches "$files/touches.csv" --journeys "$files/journeys.csv" --model markov --format csv \
  > "$files/fulcrum.csv" 2>/dev/null
python3 bench/attribution_peers.py markov "$files" "$files/peer.csv" 2>/dev/null
agreement=$(python3 bench/attribution_peers.py compare "$files/fulcrum.csv" "$files/peer.csv")
echo "$agreement" >&2

measure "$bin" attribution --touches "$files/touches.csv" --journeys "$files/journeys.csv" --model markov --format csv
f_secs=$secs; f_mb=$mb
measure "$bin" attribution --touches "$files/touches.csv" --journeys "$files/journeys.csv" --format csv
all_secs=$secs; all_mb=$mb
measure python3 bench/attribution_peers.py markov "$files" "$files/peer.csv"
p_secs=$secs; p_mb=$mb
ratio=$(python3 -c "print(f'{$p_secs / $f_secs:.1f}')")
echo "fulcrum (markov) $f_secs s, $f_mb MB; fulcrum (all six models) $all_secs s, $all_mb MB; numpy/pandas $p_secs s, $p_mb MB" >&2

# 2. The store: the medium company (built once, with its canonical CSV export for the peer).
if [ ! -f "$work/medium.sqlite" ] || [ ! -f "$work/medium-csv/touches.csv" ]; then
  rm -rf "$work/medium.sqlite" "$work/medium-csv"
  "$bin" demo --size medium --seed 1 --store "$work/medium.sqlite" --export "$work/medium-csv" >/dev/null 2>&1
fi
touches_medium=$(sqlite3 "$work/medium.sqlite" "select count(*) from touches")
"$bin" report attribution --model markov --store "$work/medium.sqlite" --format json > "$work/store-report.json"
window=$(python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['title']; print(t.rsplit(', ',1)[1].replace('…',' '))" "$work/store-report.json")
python3 bench/attribution_peers.py from-report "$work/store-report.json" "$work/store-fulcrum.csv"
# shellcheck disable=SC2086
python3 bench/attribution_peers.py store "$work/medium-csv" $window "$work/store-peer.csv" 2>/dev/null
store_agreement=$(python3 bench/attribution_peers.py compare-store "$work/store-fulcrum.csv" "$work/store-peer.csv")
echo "$store_agreement" >&2
measure "$bin" report attribution --model markov --store "$work/medium.sqlite" --format json
s_secs=$secs; s_mb=$mb
measure "$bin" report attribution --store "$work/medium.sqlite"
s_all_secs=$secs; s_all_mb=$mb
# shellcheck disable=SC2086
measure python3 bench/attribution_peers.py store "$work/medium-csv" $window "$work/store-peer.csv"
sp_secs=$secs; sp_mb=$mb
s_ratio=$(python3 -c "print(f'{$sp_secs / $s_secs:.1f}')")
report_line="| \`fulcrum report attribution --model markov\` (pipeline, medium store: $touches_medium touches) | $s_secs s | $s_mb MB | 1.0× |
| \`fulcrum report attribution\` (pipeline, all six models, medium store) | $s_all_secs s | $s_all_mb MB | — |
| pandas/NumPy over the store's CSV export (same journey rules and chain) | $sp_secs s | $sp_mb MB | ${s_ratio}× slower |"

machine="$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
section="### Attribution: \`fulcrum attribution\` vs NumPy/pandas ($(date -u +%Y-%m-%d), $machine)

bench/attribution.sh: $journeys journeys, $touch_rows touches, $channels channels ($size of CSV, generated by DuckDB, seeded).
Peer: bench/attribution_peers.py — pandas (pyarrow engine) reads both files, NumPy counts transitions and re-solves the
absorbing chain once per removed channel. $agreement (goal 1e-6). One run each, wall time and peak RSS.
From the store (medium company, window $window): bench/attribution_peers.py store rebuilds the journeys from the
canonical CSV export (touches of every person of the account after its previous deal and before this one, merged
accounts pooled, deal amounts at the created month's FX rate, open journeys to null) and solves the same chain;
$store_agreement (goal 1e-6). The peer's
time excludes the export; Fulcrum's includes reading the store.

| what | wall | peak memory | ratio |
|---|---|---|---|
| \`fulcrum attribution --model markov\` | $f_secs s | $f_mb MB | 1.0× |
| \`fulcrum attribution\` (all six models) | $all_secs s | $all_mb MB | — |
| NumPy/pandas Markov | $p_secs s | $p_mb MB | ${ratio}× slower |
$report_line
"
echo "$section"
if [ -z "${NO_RECORD:-}" ]; then
  printf '\n%s' "$section" >> bench/RESULTS.md
  met=$(python3 -c "print('yes' if $p_secs > $f_secs else 'no')")
  python3 bench/current.py "attribution, $journeys journeys × $channels channels" "$f_secs s, $f_mb MB" \
    "NumPy/pandas $p_secs s, $p_mb MB" "${ratio}× faster" "faster than NumPy/pandas, same numbers to 1e-6" "$met"
  store_met=$(python3 -c "print('yes' if $sp_secs > $s_secs else 'no')")
  python3 bench/current.py "attribution report, medium store ($touches_medium touches), Markov pipeline" \
    "$s_secs s, $s_mb MB" "pandas/NumPy over the CSV export $sp_secs s, $sp_mb MB" "${s_ratio}× faster" \
    "faster than pandas/NumPy, same numbers to 1e-6" "$store_met"
fi
