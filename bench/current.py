#!/usr/bin/env python3
"""Updates one row of the current-figures table at the top of bench/RESULTS.md.

Each bench script calls it with its latest figures; the dated sections below the table keep the history.
Usage: bench/current.py BENCHMARK FULCRUM PEER RATIO GOAL MET
  BENCHMARK  the row's key, e.g. "metric reports (medium)"
  FULCRUM    Fulcrum's figure, e.g. "1.05 s"
  PEER       the peer and its figure, e.g. "pandas 13.2 s; DuckDB 4.66 s"
  RATIO      e.g. "12.6× faster than pandas"
  GOAL       e.g. "10× faster than pandas"
  MET        yes, no, or "not run"
The commit (git rev-parse --short HEAD) and today's date (UTC) are filled in.
"""
import datetime
import pathlib
import subprocess
import sys

START = "<!-- current figures: start (bench/current.py writes this table) -->"
END = "<!-- current figures: end -->"
HEADER = [
    "| benchmark | Fulcrum | peer | ratio | goal | met | commit | date |",
    "|---|---|---|---|---|---|---|---|",
]


def main() -> int:
    if len(sys.argv) != 7:
        print(__doc__, file=sys.stderr)
        return 64
    bench, fulcrum, peer, ratio, goal, met = sys.argv[1:]
    results = pathlib.Path(__file__).resolve().parent / "RESULTS.md"
    text = results.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"{results}: the current-figures markers are missing", file=sys.stderr)
        return 1
    head, rest = text.split(START, 1)
    table, tail = rest.split(END, 1)
    rows = [line for line in table.strip().splitlines() if line.startswith("| ") and not line.startswith("| benchmark")]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=results.parent
    ).stdout.strip() or "?"
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    cells = [bench, fulcrum, peer, ratio, goal, "**" + met + "**" if met == "no" else met, commit, today]
    row = "| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |"
    key = "| " + bench + " |"
    rows = [row if r.startswith(key) else r for r in rows]
    if row not in rows:
        rows.append(row)
    results.write_text(head + START + "\n" + "\n".join(HEADER + rows) + "\n" + END + tail, encoding="utf-8")
    print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
