#!/usr/bin/env bash
# Prediction, side by side in one run with scikit-learn on the same feature table and the same train/test split:
#   1. the demo company's churn feature table (`fulcrum model features churn` on the medium store; out of time);
#   2. a generated churn table of ROWS rows (default 300,000; bench/prediction_peers.py generate, seeded) with blanks,
#      text columns, thresholds and interactions, and a random 80/20 split.
# Fulcrum: `fulcrum model train --features FILE --split split` (both algorithms; its per-algorithm seconds are fit +
# scoring the test rows). Peer: bench/prediction_peers.py fit — LogisticRegression(C=1) and
# HistGradientBoostingClassifier (defaults) after the same preprocessing; fit seconds. Goal: test ROC AUC within
# 0.01 of the better scikit-learn model, and faster training.
# Usage: bench/prediction.sh [rows]   BENCH_DIR=DIR reuses DIR (medium.sqlite, tables); NO_RECORD=1 prints only.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-300000}
work=${BENCH_DIR:-$(mktemp -d)}
python3 -m pip install --quiet scikit-learn pandas numpy >&2 || pip install --quiet --break-system-packages scikit-learn pandas numpy >&2
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product fulcrum >/dev/null
bin=$PWD/.build/release/fulcrum

if [ ! -f "$work/medium.sqlite" ]; then "$bin" demo --size medium --store "$work/medium.sqlite" >/dev/null; fi
[ -f "$work/churn-medium.csv" ] || "$bin" model features churn --store "$work/medium.sqlite" --out "$work/churn-medium.csv"
[ -f "$work/churn-$rows.csv" ] || python3 bench/prediction_peers.py generate "$work/churn-$rows.csv" "$rows"

machine="$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
table="| table | rows (train/test) | model | Fulcrum AUC | scikit-learn AUC | Fulcrum s | scikit-learn fit s | ratio |
|---|---|---|---|---|---|---|---|"
all_met=yes
summary=""
for name in churn-medium "churn-$rows"; do
  file="$work/$name.csv"
  target=target; idc=id; timec=(--time time)
  if [ "$name" != churn-medium ]; then target=churned; timec=(); fi
  fj=$("$bin" model train --features "$file" --target "$target" --id "$idc" "${timec[@]}" --split split --format json)
  pj=$(python3 bench/prediction_peers.py fit "$file")
  line=$(python3 - "$fj" "$pj" "$name" <<'PY'
import json, sys
f, p, name = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
alg = {a["algorithm"]: a for a in f["algorithms"]}
best_peer = max(p["logistic_auc"], p["trees_auc"])
best_f = max(a["roc_auc"] for a in f["algorithms"])
rows = []
met = best_f >= best_peer - 0.01
faster = True
for k in ("logistic", "trees"):
    fs, ps = alg[k]["seconds"], p[f"{k}_fit_s"]
    faster = faster and fs < ps
    ratio = f"{ps / fs:.1f}× faster" if fs < ps else f"{fs / ps:.1f}× slower"
    rows.append(f"| {name} | {f['training_rows']:,}/{f['test_rows']:,} | {k} | {alg[k]['roc_auc']:.4f} | "
                f"{p[f'{k}_auc']:.4f} | {fs:.2f} | {ps:.2f} | {ratio} |")
print("\n".join(rows))
print(f"MET {'yes' if met and faster else 'no'} best {best_f:.4f} vs {best_peer:.4f}")
PY
)
  table="$table
$(echo "$line" | grep -v '^MET')"
  verdict=$(echo "$line" | grep '^MET')
  summary="$summary $name: ${verdict#MET };"
  [[ "$verdict" == "MET yes"* ]] || all_met=no
  echo "$line" >&2
done

section="### Prediction: \`fulcrum model train\` vs scikit-learn ($(date -u +%Y-%m-%d), $machine)

bench/prediction.sh: the same CSV, the same train/test split (its \`split\` column), the same preprocessing
(bench/prediction_peers.py). Fulcrum's seconds: fit + scoring the test rows, per algorithm; scikit-learn's: fit.
One run each. Goal: best test ROC AUC within 0.01 of scikit-learn's better model, and faster training.

$table
"
echo "$section"
if [ -z "${NO_RECORD:-}" ]; then
  printf '\n%s' "$section" >> bench/RESULTS.md
  python3 bench/current.py "prediction: model train vs scikit-learn" "see section ($(date -u +%Y-%m-%d))" \
    "LogisticRegression, HistGradientBoostingClassifier" "${summary% }" \
    "AUC within 0.01 of the better, faster" "$all_met"
fi
