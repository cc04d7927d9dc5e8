#!/usr/bin/env bash
# Times `fulcrum demo` (generate + store load) for each size, with peak memory,
# and appends a dated section to bench/RESULTS.md.
# Usage: bench/demo.sh [sizes...]   (default: small medium; large takes several minutes and ~GBs of disk)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-small medium}")
[ $# -eq 0 ] && sizes=(small medium)
swift build -c release --product fulcrum >/dev/null
bin=.build/release/fulcrum
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
runs=${RUNS:-3}
{
  echo ""
  echo "### Demo company: generate + store ($(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
  echo ""
  echo "Median of $runs runs of \`fulcrum demo --size S --seed 1\` (release build), wall time and peak RSS; rows = all tables."
  echo ""
  echo "| size | rows | median wall s | rows/s | peak RSS MB | store size MB | split (last run): generate / insert / index |"
  echo "|---|---|---|---|---|---|---|"
} > "$out/section.md"
for size in "${sizes[@]}"; do
  times=()
  rss=0
  for i in $(seq "$runs"); do
    FULCRUM_TIMINGS=1 /usr/bin/time -f "%e %M" -o "$out/time" "$bin" demo --size "$size" --seed 1 --store "$out/$size.sqlite" > "$out/report.txt" 2> "$out/timings"
    read -r wall kb < "$out/time"
    times+=("$wall")
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  rows=$(head -1 "$out/report.txt" | sed -E 's/.*: ([0-9,]+) rows.*/\1/' | tr -d ,)
  mb=$(du -m "$out/$size.sqlite" | cut -f1)
  rate=$(awk -v r="$rows" -v t="$median" 'BEGIN { printf "%.0f", r / t }')
  split=$(grep -o 'generate [0-9.]*\|insert [0-9.]*\|index [0-9.]*' "$out/timings" | awk '{printf "%s%.1f s", (NR > 1 ? " / " : ""), $2}')
  echo "| $size | $rows | $median | $rate | $((rss / 1024)) | $mb | $split |" >> "$out/section.md"
  if [ "$size" = medium ]; then
    python3 bench/current.py "demo generate + store (medium)" "$median s" "—" "—" "< 60 s" \
      "$(awk -v t="$median" 'BEGIN { print (t < 60) ? "yes" : "no" }')"
  fi
  echo "$size: $rows rows, median ${median}s, peak ${rss} KB" >&2
done
cat "$out/section.md" >> bench/RESULTS.md
cat "$out/section.md"
