#!/usr/bin/env bash
# The large company (about ten times medium) on PostgreSQL beside SQLite, one machine, release build:
#   1. a large SQLite store (LARGE_STORE=path, or `fulcrum demo --size large` into a temporary folder),
#   2. `fulcrum store copy` of it into an empty PostgreSQL database (COPY in one transaction), time and peak
#      memory of the fulcrum process,
#   3. every report, one process each, on both backends side by side (SQLite, then PostgreSQL, report by
#      report), wall seconds and peak RSS of each; the two JSON outputs of each report compared.
# PostgreSQL 15 runs on this machine via scripts/postgres-server, fsync on, default settings (128 MB of shared
# buffers), unless PG_LARGE names a database that already holds the copy (then step 2 is not re-run and
# PG_COPY_TIME="seconds MB" may give its figures). Appends a dated section to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product fulcrum >/dev/null
bin=${FULCRUM_BIN:-$PWD/.build/release/fulcrum}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ids="mrr-movements mrr customers churn retention cohorts-logo cohorts-revenue cac unit-economics segment-economics growth velocity trials accounts-ltv attribution lifecycle funnel leads lead-response marketing sales pipeline targets rep-scorecard am-scorecard cs-scorecard"

timed() {  # timed LABEL cmd...: wall seconds and peak RSS (MB) of the command
  /usr/bin/time -f "%e %M" -o "$work/$1.time" "${@:2}" >/dev/null 2>"$work/$1.err" ||
    { echo "step $1 failed:" >&2; tail -5 "$work/$1.err" >&2; exit 1; }
  read -r wall kb < "$work/$1.time"
  echo "$wall $((kb / 1024))"
}

store=${LARGE_STORE:-}
if [ -z "$store" ]; then
  store=$work/large.sqlite
  timed generate "$bin" demo --size large --seed 1 --store "$store" >/dev/null
fi

if [ -n "${PG_LARGE:-}" ]; then
  pg=$PG_LARGE
  read -r copy_s copy_mb <<< "${PG_COPY_TIME:-— —}"
else
  export FULCRUM_PG_FSYNC=on
  server=$(scripts/postgres-server 2>"$work/server.txt")
  data=$(sed -n 's/.*stop: scripts\/postgres-server stop \(.*\))$/\1/p' "$work/server.txt")
  trap 'scripts/postgres-server stop "$data"; rm -rf "$work"' EXIT
  psql "$server" -qAtc "CREATE DATABASE fulcrum_large" >/dev/null
  pg="${server%/*}/fulcrum_large"
  read -r copy_s copy_mb < <(timed copy "$bin" store copy --from "$store" --to "$pg")
fi
echo "store copy: $copy_s s, $copy_mb MB" >&2

rows=""; total_sqlite=0; total_pg=0; max_sqlite=0; max_pg=0; max_pg_id=""; differ=""
add() { awk -v a="$1" -v b="$2" 'BEGIN { print a + b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
for id in $ids; do
  read -r s_s s_mb < <(timed "sqlite-$id" "$bin" report "$id" --store "$store" --format json --output "$work/sqlite")
  read -r p_s p_mb < <(timed "pg-$id" "$bin" report "$id" --store "$pg" --format json --output "$work/pg")
  cmp -s "$work/sqlite/$id.json" "$work/pg/$id.json" || differ+=" $id"
  total_sqlite=$(add "$total_sqlite" "$s_s"); total_pg=$(add "$total_pg" "$p_s")
  [ "$s_mb" -gt "$max_sqlite" ] && max_sqlite=$s_mb
  if [ "$p_mb" -gt "$max_pg" ]; then max_pg=$p_mb; max_pg_id=$id; fi
  rows+="| \`report $id\` | $s_s | $p_s | $(ratio "$p_s" "$s_s") | $s_mb / $p_mb |"$'\n'
  echo "report $id: SQLite $s_s s $s_mb MB, PostgreSQL $p_s s $p_mb MB" >&2
done
same=${differ:+DIFFERENT:$differ}
same=${same:-identical, report by report}
accounts=$(sqlite3 "$store" "SELECT count(*) FROM accounts")
touches=$(sqlite3 "$store" "SELECT count(*) FROM touches")
{
  echo ""
  echo "### The large company on PostgreSQL beside SQLite ($(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ { print $2 }') GiB)"
  echo ""
  echo "\`bench/postgres-large.sh\`, release build, one run. $accounts accounts, $touches touches; the SQLite store"
  echo "$(du -m "$store" | awk '{ printf "%.1f", $1 / 1024 }') GB. PostgreSQL 15 on the same machine (scripts/postgres-server: fsync on, default settings)."
  echo "Each report one process on each backend, side by side; wall seconds and peak RSS of the fulcrum process."
  echo "JSON outputs of the two backends: $same."
  echo ""
  echo "| step | SQLite s | PostgreSQL s | PostgreSQL ÷ SQLite | peak RSS MB (SQLite / PostgreSQL) |"
  echo "|---|---|---|---|---|"
  echo "| \`fulcrum store copy\` SQLite → PostgreSQL (COPY, one transaction) | — | $copy_s | — | — / $copy_mb |"
  printf '%s' "$rows"
  echo "| all $(echo $ids | wc -w) reports, one process each | $total_sqlite | $total_pg | $(ratio "$total_pg" "$total_sqlite") | $max_sqlite / $max_pg ($max_pg_id) |"
} > "$work/section.md"
cat "$work/section.md"
if [ -z "${NO_RECORD:-}" ]; then
  cat "$work/section.md" >> bench/RESULTS.md
  python3 bench/current.py "large company on PostgreSQL: store copy, every report" \
    "copy $copy_s s ($copy_mb MB); reports $total_pg s, peak $max_pg MB ($max_pg_id)" \
    "the same reports on SQLite: $total_sqlite s, peak $max_sqlite MB" "$(ratio "$total_pg" "$total_sqlite")× SQLite's time" \
    "same numbers on both backends; every report ≤ 2 GiB" \
    "$([ -z "$differ" ] && [ "$max_pg" -le 2048 ] && echo yes || echo no)"
fi
