#!/usr/bin/python3
"""bs4_baseline.py: the yardstick for edgar8k's extraction speed: a typical
Python extractor (BeautifulSoup's html.parser for HTML, then `re` patterns
for shares, prices, money, percentages and dates) over the same corpus
files extract_bench reads. Prints MB/s of input, single thread, CPU time,
best of N passes. Run with Debian's /usr/bin/python3 (python3-bs4).

Usage: bs4_baseline.py [-n RUNS] SHARED_DIR"""
import os
import re
import sys
import time

from bs4 import BeautifulSoup

PATTERNS = [re.compile(p, re.I) for p in (
    r"(?<![\d,])\d{1,3}(?:,\d{3})+\s+shares",
    r"price\s+of\s+\$\s?\d+(?:\.\d+)?\s+per\s+(?:share|unit)",
    r"\$\s?\d[\d,]*(?:\.\d+)?(?:\s+(?:million|billion))?",
    r"(?<![\d.])\d{1,3}(?:\.\d+)?\s?%",
    r"(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\s+\d{1,2},\s+\d{4}",
    r"exercise\s+price\s+of\s+\$\s?\d+(?:\.\d+)?",
    r"placement\s+agent|underwriters?|financial\s+advisor",
    r"net\s+proceeds[^.]{0,200}",
)]


def load(shared):
    files = []
    for sub in ("corpus/submissions", "corpus/html", "seeds"):
        for dirpath, _, names in os.walk(os.path.join(shared, sub)):
            for name in sorted(names):
                if name.endswith(".tar"):
                    continue
                with open(os.path.join(dirpath, name), "rb") as fh:
                    files.append(fh.read())
    return files


def extract(data):
    text = data.decode("utf-8", errors="replace")
    if re.search(r"<(html|body|p|div|table|font)\b", text[:65536], re.I):
        text = BeautifulSoup(text, "html.parser").get_text("\n")
    found = 0
    for pat in PATTERNS:
        found += sum(1 for _ in pat.finditer(text))
    return found


def main():
    args = sys.argv[1:]
    runs = 1
    if len(args) >= 2 and args[0] == "-n":
        runs, args = int(args[1]), args[2:]
    if len(args) != 1 or not os.path.isdir(os.path.join(args[0], "corpus")):
        print("bs4_baseline: corpus absent, skipped")
        return 0
    files = load(args[0])
    total = sum(len(f) for f in files)
    best = None
    for _ in range(runs):
        start = time.process_time()
        for data in files:
            extract(data)
        spent = time.process_time() - start
        best = spent if best is None else min(best, spent)
    print(f"bs4+re baseline: {len(files)} files, {total / 1e6:.1f} MB, "
          f"{total / 1e6 / best:.2f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
