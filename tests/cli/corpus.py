#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""corpus.py: every filing of ../shared/corpus (submissions/ and html/) and
the seed parses with exit 0, and the round trip holds: for every document
with text, its byte span cut from the original file and run through the
text stage alone (`edgar8k text`) gives exactly the text `parse --with-text`
prints. Skips with a message when ../shared is absent."""
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(ROOT, "..", "shared")
BIN = os.environ.get("E8K_BIN", os.path.join(ROOT, "build", "edgar8k"))


def corpus_files():
    for sub in ("corpus/submissions", "corpus/html", "seeds"):
        for dirpath, _, names in os.walk(os.path.join(SHARED, sub)):
            for name in sorted(names):
                yield os.path.join(dirpath, name)


def check_file(path):
    """Returns a list of failure messages for one file."""
    run = subprocess.run([BIN, "parse", "--with-text", path], capture_output=True)
    if run.returncode != 0:
        return [f"{path}: exit {run.returncode}: {run.stderr.decode(errors='replace').strip()}"]
    filing = json.loads(run.stdout)
    with open(path, "rb") as fh:
        data = fh.read()
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for doc in filing["documents"]:
            if "text" not in doc:
                continue
            start, end = doc["span"]
            body = os.path.join(tmp, "body")
            with open(body, "wb") as out:
                out.write(data[start:end])
            alone = subprocess.run([BIN, "text", "--input-format", doc["format"], body],
                                   capture_output=True)
            if alone.returncode != 0 or alone.stdout.decode() != doc["text"]:
                problems.append(f"{path}: document {doc['sequence']} ({doc['type']}): "
                                "text of the span alone differs from parse --with-text")
    return problems


def main():
    if not os.path.isdir(SHARED):
        print("corpus.py: SKIP: ../shared absent, corpus tests not run")
        return 0
    files = list(corpus_files())
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for problems in pool.map(check_file, files):
            failures.extend(problems)
    for msg in failures[:50]:
        print("FAIL", msg)
    print(f"corpus: {len(files) - len({m.split(':')[0] for m in failures})} passed, "
          f"{len({m.split(':')[0] for m in failures})} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
