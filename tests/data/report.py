#!/usr/bin/env python3
"""What users get, per question kind: hit@1, hit@3, out-of-scope answered, right rate.

  report.py QUESTIONS.jsonl [more.jsonl ...] [--fold tune|validate] [--bin PATH] [--today D]
            [--related] [--misses] [--docs DIR]

Runs `policy-qa ask --json` (default target/release/policy-qa) on the questions and scores the
`answers` list (with --related: answers then related, as one ranking, the upper bound of what
the ranking alone gives). The right rate counts a question right when its first answer is a
gold passage, or when it is out of scope (gold []) and nothing is answered.

Folds: a question's fold is fixed by its id (crc32 of the id: 0-2 tune, 3-4 validate), so
both folds keep the mix of kinds and nobody picks them by hand.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import sys
import zlib
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import first_hit_rank, load_questions  # noqa: E402


def fold(qid: str) -> str:
    return "tune" if zlib.crc32(qid.encode()) % 5 < 3 else "validate"


def ask(binary: str, questions: list[dict], today: str, docs: str | None = None) -> list[dict]:
    text = "".join(q["q"].replace("\n", " ") + "\n" for q in questions)
    cmd = [binary, "ask", "--json", "--today", today]
    with tempfile.TemporaryDirectory() as tmp:
        if docs:
            # The shipped seeds plus the extra documents, compiled as the build would.
            seeds = os.path.join(tmp, "seeds")
            shutil.copytree("seeds", seeds)
            for f in os.listdir(docs):
                shutil.copy(os.path.join(docs, f), seeds)
            cmd += ["--seeds", seeds]
        out = subprocess.run(cmd, input=text, capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def row(q: dict, a: dict, related: bool) -> dict:
    items = a.get("answers", []) + (a.get("related", []) if related else [])
    gold = q.get("gold") or []
    rank = first_hit_rank(items, gold, 5) if gold else None
    answered = bool(a.get("answers"))
    right = rank == 1 if gold else not answered
    return {"id": q["id"], "kind": q.get("kind", ""), "ood": not gold, "rank": rank,
            "answered": answered, "right": right, "q": q["q"],
            "top": (items[0]["id"] if items else "-")}


def agg(rows: list[dict]) -> dict:
    ans = [r for r in rows if not r["ood"]]
    ood = [r for r in rows if r["ood"]]
    d = {"n": len(rows), "right": sum(r["right"] for r in rows) / len(rows)}
    if ans:
        d["hit@1"] = sum(r["rank"] == 1 for r in ans) / len(ans)
        d["hit@3"] = sum(bool(r["rank"]) and r["rank"] <= 3 for r in ans) / len(ans)
    if ood:
        d["ood_answered"] = sum(r["answered"] for r in ood) / len(ood)
    return d


def fmt(d: dict, key: str) -> str:
    return f"{d[key]:.3f}" if key in d else "-"


def print_table(rows: list[dict]) -> None:
    by_kind = defaultdict(list)
    for r in rows:
        by_kind[r["kind"]].append(r)
    print(f"{'kind':<12}{'n':>5}{'hit@1':>8}{'hit@3':>8}{'ood ans':>9}{'right':>8}")
    for k, rs in sorted(by_kind.items()) + [("ALL", rows)]:
        d = agg(rs)
        print(f"{k:<12}{d['n']:>5}{fmt(d, 'hit@1'):>8}{fmt(d, 'hit@3'):>8}{fmt(d, 'ood_answered'):>9}{fmt(d, 'right'):>8}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("questions", nargs="+")
    ap.add_argument("--fold", choices=["tune", "validate"])
    ap.add_argument("--bin", default="target/release/policy-qa")
    ap.add_argument("--today", default="2026-11-21")
    ap.add_argument("--related", action="store_true")
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--json", help="write per-question rows here")
    ap.add_argument("--docs", help="extra documents compiled with seeds/ (e.g. tests/data/newdocs/docs)")
    args = ap.parse_args()
    qs = [q for p in args.questions for q in load_questions(p)]
    if args.fold:
        qs = [q for q in qs if fold(q["id"]) == args.fold]
    rows = [row(q, a, args.related) for q, a in zip(qs, ask(args.bin, qs, args.today, args.docs))]
    print_table(rows)
    if args.misses:
        for r in rows:
            if not r["right"]:
                print(f"  {r['id']:<7} {r['kind']:<10} rank={r['rank']} top={r['top']}  {r['q']}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
