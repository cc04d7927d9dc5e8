#!/usr/bin/env python3
"""Independent check of Fulcrum's Markov-chain attribution (FulcrumCore/Attribution).

Generates a seeded set of journeys (8 channels, repeats kept, converted or not), builds the
transition matrix with NumPy and computes every channel's removal effect the direct way: delete the
channel (its inbound transitions go to null) and solve the absorbing chain again, once per channel.
Fulcrum uses one inverse and hitting probabilities instead; MarkovCrossCheckTests compares the two to
1e-9. Writes Tests/FulcrumCoreTests/Fixtures/markov_crosscheck.json (the committed fixture).
Usage: python3 scripts/crosscheck_markov.py   (needs numpy)
"""
import json
import random
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "Tests" / "FulcrumCoreTests" / "Fixtures" / "markov_crosscheck.json"


def journeys(seed=7, channels=8, count=2000):
    rng = random.Random(seed)
    paths, converted = [], []
    for _ in range(count):
        length = rng.randint(1, 6)
        path = [min(channels - 1, int(rng.expovariate(0.45))) for _ in range(length)]
        if rng.random() < 0.3 and len(path) > 1:
            path[1] = path[0]  # a consecutive repeat, kept as a touch
        # Channels 2 and 5 help conversion; 7 hurts it.
        p = 0.15 + 0.2 * (2 in path) + 0.15 * (5 in path) - 0.1 * (7 in path)
        paths.append(path)
        converted.append(1 if rng.random() < p else 0)
    return channels, paths, converted


def conversion_probability(counts, n, removed=None):
    # States: channels 0..n-1, start n, conversion n+1, null n+2.
    m = n + 1
    q = np.zeros((m, m))
    r = np.zeros(m)
    for s in range(m):
        total = counts[s].sum()
        if total == 0:
            continue
        for t in range(n):
            if t == removed:
                continue  # into the removed channel: absorbed in null
            q[s, t] = counts[s, t] / total
        r[s] = counts[s, n + 1] / total
    if removed is not None:
        q[removed, :] = 0
        r[removed] = 0
    x = np.linalg.solve(np.eye(m) - q, r)
    return x[n]


def main():
    n, paths, converted = journeys()
    counts = np.zeros((n + 1, n + 3))
    for path, conv in zip(paths, converted):
        prev = n
        for c in path:
            counts[prev, c] += 1
            prev = c
        counts[prev, n + 1 if conv else n + 2] += 1
    p = conversion_probability(counts, n)
    effects = [max(0.0, 1 - conversion_probability(counts, n, removed=k) / p) for k in range(n)]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "channels": n, "paths": paths, "converted": converted,
        "conversion_probability": p, "removal_effects": effects,
    }, indent=None) + "\n")
    print(f"P(conversion) = {p:.6f}; removal effects: " + ", ".join(f"{e:.4f}" for e in effects))


if __name__ == "__main__":
    main()
