#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""inputs.py: `ingest` and `parse` lose no input without saying so.

- a directory with symbolic link loops (to itself, to a parent, to a
  sibling) is read through once: the filings in it are stored, each loop
  is reported as a warning, and the run ends;
- a named pipe given as an input is read to its end (`ingest` stores it,
  `parse <(...)` parses it); a pipe below a directory is reported;
- any number of inputs (300 here);
- an input that failed is not retried by the same version, but is after
  an upgrade (a failure recorded by another version).
Prints nothing when all holds; exits 1 with the failures otherwise."""
import os, sqlite3, subprocess, sys, tempfile, threading

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("E8K_BIN", os.path.join(ROOT, "build", "edgar8k"))
if not os.path.isabs(BIN):
    BIN = os.path.join(ROOT, BIN)
PLAIN = open(os.path.join(ROOT, "fixtures", "parse-plain-text", "input.txt"), "rb").read()
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def run(args, timeout=60):
    try:
        return subprocess.run([BIN] + args, capture_output=True, timeout=timeout,
                              env=dict(os.environ, E8K_GRAMMARS=os.path.join(ROOT, "grammars")))
    except subprocess.TimeoutExpired:
        return None


def feed_pipe(path, data):
    """Writes data into the named pipe at path from a thread (opening a
    pipe blocks until its reader opens it)."""
    def w():
        with open(path, "wb") as f:
            f.write(data)
    t = threading.Thread(target=w, daemon=True)
    t.start()
    return t


def loops(tmp):
    d = os.path.join(tmp, "loops")
    os.makedirs(os.path.join(d, "a", "b"))
    with open(os.path.join(d, "a", "b", "f.txt"), "wb") as f:
        f.write(PLAIN)
    os.symlink(".", os.path.join(d, "self"))
    os.symlink("..", os.path.join(d, "a", "b", "up"))
    os.symlink("../b", os.path.join(d, "a", "b", "again"))
    os.symlink(os.path.join(d, "a"), os.path.join(d, "twice"))
    r = run(["ingest", "--db", os.path.join(tmp, "loops.db"), d], timeout=30)
    check(r is not None, "ingest of a directory with symlink loops did not finish in 30 s")
    if r is None:
        return
    err = r.stderr.decode()
    check(r.returncode == 0, "loops: exit %d %s" % (r.returncode, err[-500:]))
    check(b"1 stored" in r.stdout, "loops: %s" % r.stdout)
    check(err.count("symbolic link loop") == 3, "loops: warnings %s" % err[-800:])
    check("already read through another path" in err, "loops: second link not said: %s" % err[-500:])


def pipes(tmp):
    p = os.path.join(tmp, "pipe.txt")
    os.mkfifo(p)
    t = feed_pipe(p, PLAIN)
    r = run(["ingest", "--db", os.path.join(tmp, "pipe.db"), p], timeout=30)
    t.join(5)
    check(r is not None and r.returncode == 0 and b"1 stored" in r.stdout,
          "ingest of a named pipe: %r" % ((r and (r.returncode, r.stdout, r.stderr)),))
    t = feed_pipe(p, PLAIN)
    r = run(["parse", p], timeout=30)
    t.join(5)
    check(r is not None and r.returncode == 0 and b'"dialect":"text"' in r.stdout,
          "parse of a named pipe: %r" % ((r and (r.returncode, r.stderr)),))
    d = os.path.join(tmp, "withpipe")
    os.mkdir(d)
    os.mkfifo(os.path.join(d, "x.txt"))
    r = run(["ingest", "--db", os.path.join(tmp, "wp.db"), d], timeout=30)
    check(r is not None and b"not a regular file" in r.stderr,
          "a pipe below a directory not reported: %r" % ((r and r.stderr),))


def many(tmp):
    d = os.path.join(tmp, "many")
    os.mkdir(d)
    paths = []
    for i in range(300):
        p = os.path.join(d, "f%03d.txt" % i)
        with open(p, "wb") as f:
            f.write(PLAIN + b"\nCopy %d.\n" % i)
        paths.append(p)
    r = run(["ingest", "--db", os.path.join(tmp, "many.db")] + paths)
    check(r is not None and r.returncode == 0 and b"300 inputs" in r.stdout and b"300 stored" in r.stdout,
          "ingest of 300 inputs: %r" % ((r and (r.returncode, r.stdout[-300:], r.stderr[-300:])),))


def retried(tmp):
    bad = os.path.join(tmp, "bad.txt")
    with open(bad, "wb") as f:
        f.write(b"<SEC-DOCUMENT>x.txt : 20240101\n<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nno end\n")
    db = os.path.join(tmp, "retry.db")
    r = run(["ingest", "--db", db, bad])
    check(r.returncode == 3 and b"1 failed" in r.stdout, "first ingest of a bad input: %s" % r.stdout)
    r = run(["ingest", "--db", db, bad])
    check(b"1 already stored" in r.stdout, "the same version retried a failure: %s" % r.stdout)
    con = sqlite3.connect(db)
    con.execute("UPDATE ingest_failures SET edgar8k_version = '0.0.1'")
    con.commit()
    con.close()
    r = run(["ingest", "--db", db, bad])
    check(b"0 already stored, 1 failed" in r.stdout,
          "a failure of another version was not tried again: %s" % r.stdout)
    con = sqlite3.connect(db)
    v = con.execute("SELECT edgar8k_version FROM ingest_failures").fetchall()
    con.close()
    check(v and v[0][0] != "0.0.1", "the retried failure keeps the old version: %s" % v)


def main():
    tmp = tempfile.mkdtemp(prefix="e8k-inputs-")
    try:
        loops(tmp)
        pipes(tmp)
        many(tmp)
        retried(tmp)
    finally:
        subprocess.run(["rm", "-rf", tmp])
    for f in failures:
        print("FAIL inputs.py: %s" % f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
