#!/usr/bin/env python3
"""Fits the answer-confidence model's weights and shows its curve.

  confidence.py QUESTIONS.jsonl [...] [--bin PATH] [--folds 5]

Runs `policy-qa ask --features` (one JSON object per question: the best-ranked clause and the
evidence about it, before any decision), labels each question 1 when that clause is a gold
passage and 0 otherwise (always 0 out of scope), and fits a logistic regression on the tune
fold (ids fixed by report.fold) with k-fold cross-validation. Prints, for thresholds on the
cross-validated probability, the share of answerable questions answered right, the share of
out-of-scope questions answered anyway and the right rate, then the weights fitted on the whole
tune fold, in the form src/engine takes them. Pure Python, no numpy: a few hundred rows.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import is_hit, load_questions  # noqa: E402
from report import fold  # noqa: E402


def features(binary: str, qs: list[dict]) -> list[dict]:
    text = "".join(q["q"].replace("\n", " ") + "\n" for q in qs)
    out = subprocess.run([binary, "ask", "--features", "--today", "2026-11-21"], input=text,
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def fit(xs: list[list[float]], ys: list[int], l2: float = 0.01, steps: int = 3000, lr: float = 0.3) -> list[float]:
    n, d = len(xs), len(xs[0])
    w = [0.0] * (d + 1)
    for _ in range(steps):
        g = [0.0] * (d + 1)
        for x, y in zip(xs, ys):
            z = w[d] + sum(wi * xi for wi, xi in zip(w, x))
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            for i in range(d):
                g[i] += (p - y) * x[i]
            g[d] += p - y
        for i in range(d + 1):
            w[i] -= lr * (g[i] / n + (l2 * w[i] if i < d else 0))
    return w


def prob(w: list[float], x: list[float]) -> float:
    z = w[-1] + sum(wi * xi for wi, xi in zip(w, x))
    return 1 / (1 + math.exp(-max(-30, min(30, z))))


def curve(rows: list[tuple[float, dict]]) -> None:
    ans = [r for r in rows if not r[1]["ood"]]
    ood = [r for r in rows if r[1]["ood"]]
    print(f"{'threshold':>9}{'answered':>10}{'hit@1':>8}{'ood ans':>9}{'right':>8}")
    for t in [i / 20 for i in range(1, 20)]:
        answered = sum(p >= t for p, _ in ans) / len(ans)
        hit1 = sum(p >= t and r["label"] for p, r in ans) / len(ans)
        fa = sum(p >= t for p, _ in ood) / max(1, len(ood))
        right = (sum(p >= t and r["label"] for p, r in ans) + sum(p < t for p, _ in ood)) / len(rows)
        print(f"{t:>9.2f}{answered:>10.3f}{hit1:>8.3f}{fa:>9.3f}{right:>8.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("questions", nargs="+")
    ap.add_argument("--bin", default="target/release/policy-qa")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    qs = [q for p in args.questions for q in load_questions(p) if fold(q["id"]) == "tune"]
    rows = []
    for q, f in zip(qs, features(args.bin, qs)):
        top = f.get("top")
        label = int(bool(q["gold"]) and top is not None and is_hit(top, q["gold"]))
        rows.append({"x": f["features"], "label": label, "ood": not q["gold"], "id": q["id"]})
    names = sorted(rows[0]["x"])
    xs = [[r["x"][n] for n in names] for r in rows]
    ys = [r["label"] for r in rows]
    order = list(range(len(rows)))
    random.Random(7).shuffle(order)
    cv = [0.0] * len(rows)
    for k in range(args.folds):
        test = set(order[k::args.folds])
        w = fit([xs[i] for i in range(len(rows)) if i not in test], [ys[i] for i in range(len(rows)) if i not in test])
        for i in test:
            cv[i] = prob(w, xs[i])
    print(f"tune fold: {len(rows)} questions ({sum(r['ood'] for r in rows)} out of scope), cross-validated:")
    curve(list(zip(cv, rows)))
    w = fit(xs, ys)
    print("weights fitted on the whole tune fold:")
    for n, wi in zip(names + ["bias"], w):
        print(f"  {n:<16} {wi:+.3f}")


if __name__ == "__main__":
    main()
