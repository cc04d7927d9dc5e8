#!/usr/bin/env bash
# Prediction, side by side in one run with scikit-learn on the same feature table and the same train/test split:
#   1. the demo company's churn feature table (`fulcrum model features churn` on the medium store; out of time);
#   2. a generated churn table of ROWS rows (default 300,000; bench/prediction_peers.py generate, seeded) with blanks,
#      text columns, thresholds and interactions, and a random 80/20 split.
# Fulcrum: `fulcrum model train --features FILE --split split` (both algorithms; its per-algorithm `fit_seconds`, the
# fit alone, as scikit-learn's are). Peer: bench/prediction_peers.py fit — LogisticRegression(C=1) and
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
figs=(); peers=()
for name in churn-medium "churn-$rows"; do
  file="$work/$name.csv"
  target=target; idc=id; timec=(--time time)
  if [ "$name" != churn-medium ]; then target=churned; timec=(); fi
  # REPEAT runs of each, alternating Fulcrum and scikit-learn; the medians are compared.
  fjs=(); pjs=()
  for _ in $(seq "${REPEAT:-3}"); do
    fjs+=("$("$bin" model train --features "$file" --target "$target" --id "$idc" "${timec[@]}" --split split --format json)")
    pjs+=("$(python3 bench/prediction_peers.py fit "$file")")
  done
  line=$(python3 - "$name" "${#fjs[@]}" "${fjs[@]}" "${pjs[@]}" <<'PY'
import json, statistics, sys
name, count = sys.argv[1], int(sys.argv[2])
fs = [json.loads(t) for t in sys.argv[3:3 + count]]
ps = [json.loads(t) for t in sys.argv[3 + count:3 + 2 * count]]
f, p = fs[0], dict(ps[0])
alg = {a["algorithm"]: dict(a) for a in f["algorithms"]}
for k in ("logistic", "trees"):
    alg[k]["seconds"] = statistics.median(next(a["fit_seconds"] for a in r["algorithms"] if a["algorithm"] == k) for r in fs)
    p[f"{k}_fit_s"] = statistics.median(r[f"{k}_fit_s"] for r in ps)
best_peer = max(p["logistic_auc"], p["trees_auc"])
best_f = max(a["roc_auc"] for a in f["algorithms"])
rows = []
met = best_f >= best_peer - 0.01
faster = True
for k in ("logistic", "trees"):
    fsec, psec = alg[k]["seconds"], p[f"{k}_fit_s"]
    faster = faster and fsec < psec
    ratio = f"{psec / fsec:.1f}× faster" if fsec < psec else f"{fsec / psec:.1f}× slower"
    rows.append(f"| {name} | {f['training_rows']:,}/{f['test_rows']:,} | {k} | {alg[k]['roc_auc']:.4f} | "
                f"{p[f'{k}_auc']:.4f} | {fsec:.2f} | {psec:.2f} | {ratio} |")
print("\n".join(rows))
print(f"FIG logistic {alg['logistic']['seconds']:.2f} s, trees {alg['trees']['seconds']:.2f} s; AUC {best_f:.4f}")
print(f"PEER LogisticRegression {p['logistic_fit_s']:.2f} s, HistGradientBoosting {p['trees_fit_s']:.2f} s; AUC {best_peer:.4f}")
print(f"MET {'yes' if met and faster else 'no'} best {best_f:.4f} vs {best_peer:.4f}")
PY
)
  table="$table
$(echo "$line" | grep -v '^MET\|^FIG\|^PEER')"
  verdict=$(echo "$line" | grep '^MET')
  summary="$summary $name: ${verdict#MET };"
  figs+=("$(echo "$line" | sed -n 's/^FIG //p')"); peers+=("$(echo "$line" | sed -n 's/^PEER //p')")
  [[ "$verdict" == "MET yes"* ]] || all_met=no
  echo "$line" >&2
done

section="### Prediction: \`fulcrum model train\` vs scikit-learn ($(date -u +%Y-%m-%d), $machine)

bench/prediction.sh: the same CSV, the same train/test split (its \`split\` column), the same preprocessing
(bench/prediction_peers.py). Seconds: the fit alone on both sides (Fulcrum's \`fit_seconds\`, scikit-learn's \`fit\`).
Median of ${REPEAT:-3} runs each, alternating. Goal: best test ROC AUC within 0.01 of scikit-learn's better model, and faster
training.

$table
"
echo "$section"
if [ -z "${NO_RECORD:-}" ]; then
  printf '\n%s' "$section" >> bench/RESULTS.md
  python3 bench/current.py "prediction: model train vs scikit-learn (medium churn panel; ${rows%000}k generated)" \
    "${figs[0]} / ${figs[1]}" "${peers[0]} / ${peers[1]}" "${summary% }" \
    "AUC within 0.01 of the better, faster" "$all_met"
fi
