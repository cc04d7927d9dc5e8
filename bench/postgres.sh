#!/usr/bin/env bash
# The PostgreSQL store beside the SQLite store, in one run (release build, one machine):
#   1. the medium demo company's canonical CSV export imported into a new SQLite store and into an empty
#      PostgreSQL database (`fulcrum import`; on PostgreSQL: the staged import + one COPY transaction),
#   2. `fulcrum store copy` SQLite → PostgreSQL (the bulk load alone),
#   3. the full report set (`fulcrum report <every id> --output DIR --format json`) on each, median of RUNS,
#   4. optionally (SIZES="medium large") the large company loaded into PostgreSQL with `fulcrum demo`, with
#      the peak memory of the fulcrum process.
# PostgreSQL 15 runs locally via scripts/postgres-server with fsync on (a real durability cost).
# Appends a dated section to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product fulcrum >/dev/null
bin=$PWD/.build/release/fulcrum
out=$(mktemp -d)
runs=${RUNS:-3}
export FULCRUM_PG_FSYNC=on
server=$(scripts/postgres-server 2>"$out/server.txt")
data=$(sed -n 's/.*stop: scripts\/postgres-server stop \(.*\))$/\1/p' "$out/server.txt")
trap 'scripts/postgres-server stop "$data"; rm -rf "$out"' EXIT
db() { psql "$server" -qAtc "CREATE DATABASE $1" >/dev/null; echo "${server%/*}/$1"; }
timed() {  # timed LABEL cmd...: wall seconds and peak RSS (MB) of the command into $out/LABEL
  /usr/bin/time -f "%e %M" -o "$out/$1.time" "${@:2}" >/dev/null 2>"$out/$1.err" || { cat "$out/$1.err" >&2; exit 1; }
  read -r wall kb < "$out/$1.time"
  echo "$wall $((kb / 1024))"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ids="mrr-movements mrr customers churn retention cohorts-logo cohorts-revenue cac unit-economics segment-economics growth velocity trials accounts-ltv attribution lifecycle funnel leads lead-response marketing sales pipeline targets rep-scorecard am-scorecard cs-scorecard"

"$bin" demo --size medium --seed 1 --store "$out/medium.sqlite" --export "$out/csv" >/dev/null 2>&1
rows=$(sqlite3 "$out/medium.sqlite" "SELECT sum(n) FROM (SELECT count(*) n FROM usage_daily UNION ALL SELECT count(*) FROM touches UNION ALL SELECT count(*) FROM people UNION ALL SELECT count(*) FROM activities UNION ALL SELECT count(*) FROM payments UNION ALL SELECT count(*) FROM subscriptions)")

read -r import_sqlite rss_import_sqlite < <(timed import-sqlite "$bin" import --store "$out/imported.sqlite" "$out/csv")
pg_import=$(db fulcrum_import)
read -r import_pg rss_import_pg < <(timed import-pg "$bin" import --store "$pg_import" "$out/csv")
pg_copy=$(db fulcrum_copy)
read -r copy_pg rss_copy_pg < <(timed copy-pg "$bin" store copy --from "$out/medium.sqlite" --to "$pg_copy")

sqlite_times=(); pg_times=(); rss_sqlite=0; rss_pg=0
for i in $(seq "$runs"); do
  read -r t m < <(timed rep-sqlite "$bin" report $ids --store "$out/medium.sqlite" --format json --output "$out/r-sqlite")
  sqlite_times+=("$t"); [ "$m" -gt "$rss_sqlite" ] && rss_sqlite=$m
  read -r t m < <(timed rep-pg "$bin" report $ids --store "$pg_copy" --format json --output "$out/r-pg")
  pg_times+=("$t"); [ "$m" -gt "$rss_pg" ] && rss_pg=$m
done
same=$(diff -rq "$out/r-sqlite" "$out/r-pg" >/dev/null && echo "identical" || echo "DIFFERENT")
med_sqlite=$(printf '%s\n' "${sqlite_times[@]}" | median)
med_pg=$(printf '%s\n' "${pg_times[@]}" | median)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

{
  echo ""
  echo "### PostgreSQL store beside SQLite ($(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
  echo ""
  echo "Medium demo company (seed 1; $rows rows in its six largest tables), release build, PostgreSQL 15 on the same machine"
  echo "(scripts/postgres-server, fsync on). Wall seconds; peak RSS of the fulcrum process. Reports: the $(echo $ids | wc -w) report ids in"
  echo "one \`fulcrum report … --format json --output DIR\`, median of $runs; the outputs of both backends are $same."
  echo ""
  echo "| step | SQLite s | PostgreSQL s | PostgreSQL ÷ SQLite | peak RSS MB (SQLite / PostgreSQL) |"
  echo "|---|---|---|---|---|"
  echo "| \`fulcrum import\` of the canonical CSV export into a new store | $import_sqlite | $import_pg | $(ratio "$import_pg" "$import_sqlite") | $rss_import_sqlite / $rss_import_pg |"
  echo "| \`fulcrum store copy\` SQLite → PostgreSQL (COPY, one transaction) | — | $copy_pg | — | — / $rss_copy_pg |"
  echo "| full report set | $med_sqlite | $med_pg | $(ratio "$med_pg" "$med_sqlite") | $rss_sqlite / $rss_pg |"
} > "$out/section.md"

if [[ " ${SIZES:-medium} " == *" large "* ]]; then
  pg_large=$(db fulcrum_large)
  read -r large_wall large_rss < <(timed demo-large "$bin" demo --size large --seed 1 --store "$pg_large")
  read -r large_rep large_rep_rss < <(timed rep-large "$bin" report $ids --store "$pg_large" --format json --output "$out/r-large")
  {
    echo "| large company: \`fulcrum demo --size large --store postgres://…\` (generate + COPY) | — | $large_wall | — | — / $large_rss |"
    echo "| large company: full report set on PostgreSQL | — | $large_rep | — | — / $large_rep_rss |"
  } >> "$out/section.md"
fi
cat "$out/section.md" | tee -a bench/RESULTS.md
python3 bench/current.py "medium company on PostgreSQL beside SQLite: import, copy, every report" \
  "import ${import_pg} s, copy ${copy_pg} s (${rss_copy_pg} MB), reports ${med_pg} s (${rss_pg} MB)" \
  "SQLite: import ${import_sqlite} s, reports ${med_sqlite} s (${rss_sqlite} MB)" \
  "reports $(ratio "$med_pg" "$med_sqlite")× SQLite's time; import $(ratio "$import_pg" "$import_sqlite")×" \
  "same numbers on both backends" "$([ "$same" = identical ] && echo yes || echo no)"
