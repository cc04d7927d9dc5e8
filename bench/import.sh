#!/usr/bin/env bash
# Import throughput: `fulcrum import` of the medium demo company's canonical CSVs, side by side in one
# run with sqlite3's `.import` of the same files into tables of the same layout (same DDL and indexes);
# then peak memory of importing one 10-million-row file, and `fulcrum accounts duplicates` on the medium
# store. Appends a dated section to bench/RESULTS.md.
# Usage: bench/import.sh [size]   (default medium; RUNS=3 repetitions, medians reported)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-medium}
runs=${RUNS:-3}
swift build -c release --product fulcrum >/dev/null
bin=$PWD/.build/release/fulcrum
out=${BENCH_OUT:-$(mktemp -d)}
mkdir -p "$out"
[ -n "${BENCH_OUT:-}" ] || trap 'rm -rf "$out"' EXIT

if [ ! -f "$out/csv/accounts.csv" ]; then
  "$bin" demo --size "$size" --seed 1 --store "$out/demo.sqlite" --export "$out/csv" >/dev/null
fi
rows=$(for f in "$out"/csv/*.csv; do tail -n +2 "$f" | wc -l; done | awk '{s+=$1} END {print s}')
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

# The layout: the DDL of a Fulcrum store (tables and indexes), without GRDB's bookkeeping.
"$bin" import --store "$out/layout.sqlite" "$out/csv/teams.csv" >/dev/null
# The peer's tables have the same columns and declared types and the same non-unique indexes, but no
# constraints: `.import` reads an empty cell as '' rather than NULL, which CHECKs, foreign keys and the
# unique (source, external_id) indexes would refuse. So the peer does strictly less work than we do.
python3 - "$out/layout.sqlite" > "$out/schema.sql" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'"):
    cols = ", ".join(f'"{name}" {ctype}' for _, name, ctype, *_ in db.execute(f'PRAGMA table_info("{table}")'))
    print(f'CREATE TABLE "{table}" ({cols});')
for (sql,) in db.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE '%UNIQUE%'"):
    print(sql + ";")
PY
ours=(); peer=(); rss=0
for i in $(seq "$runs"); do
  rm -f "$out"/ours.sqlite*
  /usr/bin/time -f "%e %M" -o "$out/time" "$bin" import --store "$out/ours.sqlite" "$out/csv" >/dev/null
  read -r wall kb < "$out/time"; ours+=("$wall"); [ "$kb" -gt "$rss" ] && rss=$kb

  rm -f "$out"/peer.sqlite*
  { echo "PRAGMA journal_mode=WAL;"; cat "$out/schema.sql"; echo "BEGIN;"
    for f in "$out"/csv/*.csv; do t=$(basename "$f" .csv); echo ".import --csv --skip 1 $f $t"; done
    echo "COMMIT;"; } > "$out/peer.sql"
  start=$(now); sqlite3 -bail "$out/peer.sqlite" < "$out/peer.sql" > "$out/peer.log" 2>&1 || { echo "sqlite3 .import failed:"; head -5 "$out/peer.log"; exit 1; }; end=$(now)
  grep -qv "^wal$" "$out/peer.log" && { echo "sqlite3 .import reported problems:"; head -5 "$out/peer.log"; exit 1; }
  peer+=("$(echo "$end - $start" | bc)")
done
ours_med=$(printf '%s\n' "${ours[@]}" | median)
peer_med=$(printf '%s\n' "${peer[@]}" | median)

# Peak memory on a 10-million-row file (touches of one account).
if [ ! -f "$out/big/touches.csv" ]; then
  mkdir -p "$out/big"
  printf 'id,name,created_on\nA,Alpha,2024-01-01\n' > "$out/big/accounts.csv"
  awk 'BEGIN { print "id,account_id,kind,channel,occurred_at"; for (i = 0; i < 10000000; i++) printf "T%d,A,visit,Organic,2024-01-01T10:%02d:00Z\n", i, i % 60 }' > "$out/big/touches.csv"
fi
rm -f "$out"/big.sqlite*
/usr/bin/time -f "%e %M" -o "$out/time" "$bin" import --store "$out/big.sqlite" "$out/big" >/dev/null
read -r big_wall big_kb < "$out/time"

# Identity resolution: duplicate candidates over the medium company's accounts.
dup=""
if "$bin" accounts duplicates --help >/dev/null 2>&1; then
  /usr/bin/time -f "%e %M" -o "$out/time" "$bin" accounts duplicates --store "$out/demo.sqlite" --limit 0 --format csv > "$out/dups.csv"
  read -r dup_wall dup_kb < "$out/time"
  dup="| \`fulcrum accounts duplicates\` ($(( $(wc -l < "$out/dups.csv") - 1 )) candidate pairs, $(sqlite3 "$out/demo.sqlite" 'select count(*) from accounts') accounts) | $dup_wall s | | $((dup_kb / 1024)) MB |"
fi

ratio=$(awk -v a="$ours_med" -v b="$peer_med" 'BEGIN { printf "%.2f", b / a }')
{
  echo ""
  echo "### Import: fulcrum import vs sqlite3 .import ($(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
  echo ""
  echo "\`bench/import.sh $size\`, release build, median of $runs runs. Same $rows rows ($size demo company's 23 canonical"
  echo "CSV files) into an empty store. Ours parses and validates every value (types, CHECK lists, foreign keys),"
  echo "resolves references, upserts by (source, id) through the unique indexes, and runs the identity pass, in one"
  echo "transaction; the sqlite3 peer gets the same columns, types and non-unique indexes but no constraints (it"
  echo "cannot load NULLs from CSV) and stores the text as it is."
  echo ""
  echo "| run | median wall | rows/s | ratio (ours ÷ sqlite3 rows/s) | peak RSS |"
  echo "|---|---|---|---|---|"
  echo "| fulcrum import | $ours_med s | $(awk -v r="$rows" -v t="$ours_med" 'BEGIN { printf "%.0f", r / t }') | $ratio× | $((rss / 1024)) MB |"
  echo "| sqlite3 .import | $peer_med s | $(awk -v r="$rows" -v t="$peer_med" 'BEGIN { printf "%.0f", r / t }') | 1× | |"
  echo "| fulcrum import, one 10,000,000-row touches.csv | $big_wall s | $(awk -v t="$big_wall" 'BEGIN { printf "%.0f", 10000000 / t }') | | $((big_kb / 1024)) MB |"
  [ -n "$dup" ] && echo "$dup"
  echo ""
  echo "Goals: ≥ 0.8× sqlite3's rows/s; flat memory under 200 MB on the 10M-row file."
} | tee -a bench/RESULTS.md
met=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.8) ? "yes" : "no" }')
python3 bench/current.py "import ($size)" "$ours_med s for $rows rows" "sqlite3 .import $peer_med s" \
  "$ratio× sqlite3's rows/s" "≥ 0.8×" "$met"
python3 bench/current.py "import, one 10M-row file: peak memory" "$((big_kb / 1024)) MB" "—" "—" "< 200 MB" \
  "$([ $((big_kb / 1024)) -lt 200 ] && echo yes || echo no)"
