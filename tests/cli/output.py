#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""output.py: what edgar8k writes survives a full disk and a spreadsheet.

- `export -o FILE` replaces FILE only when the whole export is written: a
  write that fails part way (a full disk, here a file-size limit) exits 5
  and leaves the old FILE as it was, with no temporary file behind;
- standard output that cannot be written (/dev/full) exits 5, never 0;
- `export --format csv` is RFC 4180 and neutralises cells a spreadsheet
  would run as formulas (=, +, -, @), but not plain numbers; JSON Lines
  keeps the text exact.
Prints nothing when all holds; exits 1 with the failures otherwise."""
import csv, io, json, os, resource, signal, subprocess, sys, tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("E8K_BIN", os.path.join(ROOT, "build", "edgar8k"))
if not os.path.isabs(BIN):
    BIN = os.path.join(ROOT, BIN)
failures = []
# Where writes fail: past what SQLite itself writes when it opens the
# database (its 32 KB shared-memory file), well before the export's end.
CUT = 65536


def check(cond, what):
    if not cond:
        failures.append(what)


def run(args, limit=None, stdout=subprocess.PIPE):
    def pre():
        if limit is not None:
            # A file-size limit makes write() fail with EFBIG past it, as a
            # full disk makes it fail with ENOSPC; the signal is ignored so
            # the write returns its error instead of killing the process.
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return subprocess.run([BIN] + args, stdout=stdout, stderr=subprocess.PIPE,
                          preexec_fn=pre, env=dict(os.environ, E8K_GRAMMARS=os.path.join(ROOT, "grammars")))


FORMULAS = [b'=HYPERLINK("http://example.com","x")', b"+1+2.htm", b"@SUM(A1:A9)",
            b"-2+3 cmd|' /C calc'!A0"]


def formula_filing():
    name, filename, desc, cik = FORMULAS[0], FORMULAS[1], FORMULAS[2], FORMULAS[3]
    return (b"<SEC-DOCUMENT>0000000011-24-000001.txt : 20240301\n<SEC-HEADER>\n"
            b"ACCESSION NUMBER:\t\t0000000011-24-000001\nCONFORMED SUBMISSION TYPE:\t8-K\n"
            b"FILED AS OF DATE:\t\t20240301\nFILER:\n\tCOMPANY DATA:\n"
            b"\t\tCOMPANY CONFORMED NAME:\t\t\t" + name + b"\n"
            b"\t\tCENTRAL INDEX KEY:\t\t\t" + cik + b"\n</SEC-HEADER>\n"
            b"<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<FILENAME>" + filename + b"\n"
            b"<DESCRIPTION>" + desc + b"\n<TEXT>\nItem 8.01 Other Events.\n\n"
            b"The Company sold 1,000,000 shares of its common stock at a price of "
            b"$2.00 per share in a registered direct offering.\n</TEXT>\n</DOCUMENT>\n"
            b"</SEC-DOCUMENT>\n")


def main():
    tmp = tempfile.mkdtemp(prefix="e8k-output-")
    db = os.path.join(tmp, "t.db")
    filing = os.path.join(tmp, "f.txt")
    with open(filing, "wb") as f:
        f.write(formula_filing())
    r = run(["ingest", "-q", "--db", db, filing,
             os.path.join(ROOT, "fixtures", "validate-plain-8k", "input.txt"),
             os.path.join(ROOT, "fixtures", "validate-sgml-html", "input.txt")])
    check(r.returncode == 0, "ingest: exit %d %s" % (r.returncode, r.stderr[-300:]))

    # -o is atomic: a failed write keeps the old file, leaves no temporary
    out = os.path.join(tmp, "export.jsonl")
    r = run(["export", "--db", db, "-o", out])
    check(r.returncode == 0, "export -o: exit %d" % r.returncode)
    whole = open(out, "rb").read()
    check(len(whole) > 2 * CUT, "export too small to be cut: %d bytes" % len(whole))
    with open(out, "wb") as f:
        f.write(b"the previous export\n")
    r = run(["export", "--db", db, "-o", out], limit=CUT)
    check(r.returncode == 5, "export -o on a full disk: exit %d, expected 5" % r.returncode)
    check(b"cannot write" in r.stderr, "export -o on a full disk: %r" % r.stderr)
    check(open(out, "rb").read() == b"the previous export\n",
          "export -o on a full disk replaced the old file with %d bytes" % os.path.getsize(out))
    left = [n for n in os.listdir(tmp) if ".tmp." in n]
    check(not left, "temporary files left behind: %s" % left)
    new = os.path.join(tmp, "new.jsonl")
    r = run(["export", "--db", db, "-o", new], limit=CUT)
    check(r.returncode == 5 and not os.path.exists(new),
          "a failed export -o of a new file: exit %d, exists %s" % (r.returncode, os.path.exists(new)))
    r = run(["export", "--db", db, "-o", new])
    check(r.returncode == 0 and open(new, "rb").read() == whole, "export -o again differs")

    # standard output that cannot be written
    with open("/dev/full", "wb") as full:
        for args in (["export", "--db", db], ["parse", filing],
                     ["extract", "--format", "csv", filing]):
            r = run(args, stdout=full)
            check(r.returncode == 5, "%s > /dev/full: exit %d, expected 5" % (args[0], r.returncode))

    # CSV: RFC 4180, formulas neutralised, numbers kept
    for table, col, want in (("filing_entities", "name", FORMULAS[0]),
                             ("filing_entities", "cik", FORMULAS[3]),
                             ("documents", "filename", FORMULAS[1]),
                             ("documents", "description", FORMULAS[2])):
        r = run(["export", "--db", db, "--format", "csv", "--table", table])
        check(r.returncode == 0, "export csv %s: exit %d" % (table, r.returncode))
        text = r.stdout.decode("utf-8", "replace")
        check(text.endswith("\r\n"), "CSV lines end in CRLF")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        cells = [row[col] for row in rows]
        check("'" + want.decode() in cells, "%s.%s: %r not neutralised in %s"
              % (table, col, want, cells[:4]))
    r = run(["export", "--db", db, "--format", "csv", "--table", "offerings"])
    rows = list(csv.DictReader(io.StringIO(r.stdout.decode(), newline="")))
    prices = [row["price_per_share"] for row in rows if row["price_per_share"]]
    check(prices and all(not p.startswith("'") for p in prices), "numbers neutralised: %s" % prices)
    r = run(["export", "--db", db, "--table", "filing_entities"])
    names = [json.loads(l)["name"] for l in r.stdout.decode().splitlines()]
    check(FORMULAS[0].decode() in names, "JSON Lines changed the text: %s" % names[:3])

    subprocess.run(["rm", "-rf", tmp])
    for f in failures:
        print("FAIL output.py: %s" % f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
