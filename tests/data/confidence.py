#!/usr/bin/env python3
"""Fits the answer-confidence model's weights and shows its curve.

  confidence.py QUESTIONS.jsonl [...] [--bin PATH] [--folds 5]

Runs `policy-qa ask --features` (one JSON object per question: its leading candidate clauses
and the evidence about each, before any decision), labels each candidate 1 when it is a gold
passage and 0 otherwise (always 0 out of scope), and fits a logistic regression on the tune
fold (ids fixed by report.fold) with k-fold cross-validation by question. The engine answers
with the candidate the model is most confident of, when that confidence reaches the threshold. Prints, for thresholds on the
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


OOD_WEIGHT = 3.0  # an answer to an out-of-scope question costs more than a missed one


def fit(xs: list[list[float]], ys: list[int], oods: list[bool], l2: float = 0.01, steps: int = 3000, lr: float = 0.3) -> list[float]:
    n, d = len(xs), len(xs[0])
    w = [0.0] * (d + 1)
    for _ in range(steps):
        g = [0.0] * (d + 1)
        for x, y, o in zip(xs, ys, oods):
            z = w[d] + sum(wi * xi for wi, xi in zip(w, x))
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            k = OOD_WEIGHT if o else 1.0
            for i in range(d):
                g[i] += k * (p - y) * x[i]
            g[d] += k * (p - y)
        for i in range(d + 1):
            w[i] -= lr * (g[i] / n + (l2 * w[i] if i < d else 0))
    return w


def prob(w: list[float], x: list[float]) -> float:
    z = w[-1] + sum(wi * xi for wi, xi in zip(w, x))
    return 1 / (1 + math.exp(-max(-30, min(30, z))))


def curve(questions: list[dict], w_of) -> None:
    """questions: {"ood", "cands": [(x, label)]}; w_of(i) gives the weights to score question i."""
    scored = []
    for i, q in enumerate(questions):
        w = w_of(i)
        best = max(((prob(w, x), lab) for x, lab in q["cands"]), default=(0.0, 0))
        scored.append((best[0], best[1], q["ood"]))
    ans = [s for s in scored if not s[2]]
    ood = [s for s in scored if s[2]]
    print(f"{'threshold':>9}{'answered':>10}{'hit@1':>8}{'ood ans':>9}{'right':>8}")
    for t in [i / 20 for i in range(1, 20)]:
        answered = sum(p >= t for p, _, _ in ans) / len(ans)
        hit1 = sum(p >= t and lab for p, lab, _ in ans) / len(ans)
        fa = sum(p >= t for p, _, _ in ood) / max(1, len(ood))
        right = (sum(p >= t and lab for p, lab, _ in ans) + sum(p < t for p, _, _ in ood)) / len(scored)
        print(f"{t:>9.2f}{answered:>10.3f}{hit1:>8.3f}{fa:>9.3f}{right:>8.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("questions", nargs="+")
    ap.add_argument("--bin", default="target/release/policy-qa")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    qs = [q for p in args.questions for q in load_questions(p) if fold(q["id"]) == "tune"]
    questions = []
    names = None
    for q, f in zip(qs, features(args.bin, qs)):
        cands = []
        for c in f["candidates"]:
            names = names or c["order"]
            lab = int(bool(q["gold"]) and is_hit(c["item"], q["gold"]))
            cands.append(([c["features"][n] for n in names], lab))
        questions.append({"ood": not q["gold"], "cands": cands})

    def fit_on(idx: list[int]) -> list[float]:
        xs, ys, oods = [], [], []
        for i in idx:
            for x, lab in questions[i]["cands"]:
                xs.append(x), ys.append(lab), oods.append(questions[i]["ood"])
        return fit(xs, ys, oods)

    order = list(range(len(questions)))
    random.Random(7).shuffle(order)
    fold_of = {q: k % args.folds for k, q in enumerate(order)}
    weights = [fit_on([i for i in order if fold_of[i] != k]) for k in range(args.folds)]
    print(f"tune fold: {len(questions)} questions ({sum(q['ood'] for q in questions)} out of scope), cross-validated:")
    curve(questions, lambda i: weights[fold_of[i]])
    w = fit_on(order)
    print("weights fitted on the whole tune fold:")
    for n, wi in zip(names + ["bias"], w):
        print(f"  {n:<16} {wi:+.3f}")
    print("in FEATURES order: " + ", ".join(f"{x:.3f}" for x in w))


if __name__ == "__main__":
    main()
