"""report.py: `edgar8k report` and `ingest --report-dir` from the outside:
exit statuses (1 when a check failed, as `validate`), the page written
atomically or to standard output (the same bytes: the page has no clock in
it), nothing written for a filing that cannot be read, usage errors; and
ingest writing exactly one page per stored filing whose checks failed,
named by accession (else by the input's path), which filings those are
being asked of `validate` rather than assumed. The page in a browser is
tests/report/."""
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("E8K_BIN", "build/edgar8k")
if not os.path.isabs(BIN):
    BIN = os.path.join(ROOT, BIN)
FIX = os.path.join(ROOT, "fixtures")
HOSTILE = os.path.join(FIX, "report-hostile", "input.txt")
PLAIN = os.path.join(FIX, "validate-plain-8k", "input.txt")
SGML = os.path.join(FIX, "validate-sgml-html", "input.txt")
failures = []


def run(*args, stdin=None):
    return subprocess.run([BIN] + list(args), capture_output=True, stdin=stdin)


def check(ok, what):
    if not ok:
        failures.append(what)


def validate_failed(path):
    p = run("validate", "--format", "jsonl", path)
    return json.loads(p.stdout)["failed"] > 0


def page_ok(data):
    return (data.startswith(b"<!DOCTYPE html>") and data.rstrip().endswith(b"</html>")
            and b"Content-Security-Policy" in data)


def cli(tmp):
    for path in (HOSTILE, PLAIN, SGML):
        out = os.path.join(tmp, "p.html")
        p = run("report", "-o", out, path)
        want = 1 if validate_failed(path) else 0
        check(p.returncode == want, "report %s: exit %d, validate says %d"
              % (path, p.returncode, want))
        with open(out, "rb") as f:
            page = f.read()
        check(page_ok(page), "report %s: not a whole page" % path)
        with open(os.path.join(tmp, "stdout.html"), "wb") as f:
            q = subprocess.run([BIN, "report", path], stdout=f, stderr=subprocess.PIPE)
        with open(os.path.join(tmp, "stdout.html"), "rb") as f:
            check(f.read() == page and q.returncode == want,
                  "report %s to stdout: other bytes or status" % path)
        check(not [n for n in os.listdir(tmp) if n.startswith("p.html.")],
              "report left a temporary file")
    bad = os.path.join(tmp, "bad.html")
    p = run("report", "-o", bad, os.path.join(FIX, "error-truncated", "input.txt"))
    check(p.returncode == 3 and not os.path.exists(bad),
          "truncated filing: exit %d, page written: %s" % (p.returncode, os.path.exists(bad)))
    p = run("report", "-o", os.path.join(tmp, "no", "dir", "x.html"), PLAIN)
    check(p.returncode == 5 and b"x.html" in p.stderr,
          "unwritable page: exit %d, %r" % (p.returncode, p.stderr[:200]))
    check(run("report").returncode == 2, "no FILING: not a usage error")
    check(run("report", PLAIN, SGML).returncode == 2, "two FILINGs: not a usage error")
    check(run("report", "--bogus", PLAIN).returncode == 2, "bad option: not a usage error")
    p = run("report", "--help")
    check(p.returncode == 0 and b"usage: edgar8k report" in p.stdout, "report --help")
    p = run("--help")
    check(re.search(rb"\n  report +", p.stdout) is not None, "report missing from --help")


def expected_page(path, name):
    """DIR/ACCESSION.html, or the input path with [^A-Za-z0-9._-] as _."""
    acc = json.loads(run("parse", path).stdout)["header"]["accession"]
    return (acc or re.sub(r"[^A-Za-z0-9._-]", "_", name)) + ".html"


def ingest(tmp):
    inputs = os.path.join(tmp, "in")
    os.mkdir(inputs)
    mutated = os.path.join(inputs, "mutated net.txt")
    with open(PLAIN, "rb") as f, open(mutated, "wb") as g:
        g.write(f.read().replace(b"approximately $27.3 million",
                                 b"approximately $29.3 million"))
    files = [HOSTILE, PLAIN, SGML, mutated]
    want = sorted(expected_page(p, p) for p in files if validate_failed(p))
    check(len(want) >= 2, "the fixtures should include failing filings: %s" % want)
    reports = os.path.join(tmp, "reports")
    db = os.path.join(tmp, "e.db")
    p = run("ingest", "--db", db, "--report-dir", reports, "-j", "2", *files)
    check(p.returncode == 0, "ingest --report-dir: exit %d: %s" % (p.returncode, p.stderr[-300:]))
    got = sorted(os.listdir(reports)) if os.path.isdir(reports) else []
    check(got == want, "ingest wrote %s, failed filings are %s" % (got, want))
    for n in got:
        with open(os.path.join(reports, n), "rb") as f:
            check(page_ok(f.read()), "ingest page %s is not whole" % n)
    check(("%d review pages" % len(want)).encode() in p.stdout,
          "ingest summary: %r" % p.stdout[-300:])
    # Stored already: skipped, so no page is written again; --force rewrites.
    for n in got:
        os.unlink(os.path.join(reports, n))
    p = run("ingest", "--db", db, "--report-dir", reports, *files)
    check(p.returncode == 0 and not os.listdir(reports),
          "rerun wrote pages for skipped filings: %s" % os.listdir(reports))
    p = run("ingest", "--db", db, "--force", "--report-dir", reports, *files)
    check(sorted(os.listdir(reports)) == want, "--force rerun: %s" % os.listdir(reports))
    # A report directory that cannot be made stops ingest before it starts.
    blocker = os.path.join(tmp, "file")
    open(blocker, "w").close()
    p = run("ingest", "--db", os.path.join(tmp, "f.db"), "--report-dir", blocker, PLAIN)
    check(p.returncode == 5 and not os.path.exists(os.path.join(tmp, "f.db")),
          "report dir is a file: exit %d" % p.returncode)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        cli(tmp)
        ingest(tmp)
    for f in failures:
        print("FAIL report.py: %s" % f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
