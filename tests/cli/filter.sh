#!/bin/sh
# SPDX-License-Identifier: MIT
# filter.sh: edgar8k as a filter and in pipelines:
#   - standard input ("-"), /dev/stdin and process substitution give the
#     records a named file gives; --files-from (lines, NUL with -0, "-");
#   - every command that writes exits 5 on a full disk (> /dev/full), and
#     -o replaces its file only when everything was written;
#   - xargs -P 4 into one file and into one pipe: every line is a whole
#     JSON record, none lost (the fixtures many times over, and the corpus
#     of ../shared when present);
#   - the one option parser: options after the operands, --opt=value, one
#     error wording with a short usage, did you mean; --version.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${E8K_BIN:-build/edgar8k}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
tmp=$(mktemp -d)
srv=
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL filter.sh: $*"; fail=1; }
export E8K_GRAMMARS="$root/grammars"
sgml=$root/fixtures/validate-sgml-html/input.txt
plain=$root/fixtures/validate-plain-8k/input.txt
unfile() { sed 's/^{"file": *"[^"]*", */{/'; } # records without their "file"

# ---- inputs -------------------------------------------------------------------
"$bin" extract "$sgml" "$plain" | unfile >"$tmp/named"
cat "$sgml" | "$bin" extract - | unfile >"$tmp/stdin"
"$bin" extract /dev/stdin <"$plain" | unfile >>"$tmp/stdin"
cmp -s "$tmp/named" "$tmp/stdin" || bad "extract - and /dev/stdin differ from the named files"
grep -q '^{"filing":{"accession":"0009990007-21-000042"' "$tmp/stdin" || bad "stdin records lack their filing"
if command -v bash >/dev/null 2>&1; then
    bash -c '"$1" extract <(cat "$2") <(cat "$3")' sh "$bin" "$sgml" "$plain" | unfile >"$tmp/procsub"
    cmp -s "$tmp/named" "$tmp/procsub" || bad "process substitution differs"
fi
for cmd in parse validate; do
    "$bin" $cmd "$sgml" | unfile >"$tmp/a"
    "$bin" $cmd - <"$sgml" | unfile >"$tmp/b"
    cmp -s "$tmp/a" "$tmp/b" || bad "$cmd - differs from $cmd FILE"
done
"$bin" text --input-format html - <"$root/fixtures/parse-bare-html/input.htm" >"$tmp/a"
"$bin" text --input-format html "$root/fixtures/parse-bare-html/input.htm" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || bad "text - differs from text FILE"
printf '%s\n\n%s\r\n' "$sgml" "$plain" | "$bin" extract --files-from - | unfile >"$tmp/list"
cmp -s "$tmp/named" "$tmp/list" || bad "--files-from - (lines) differs"
printf '%s\0%s\0' "$sgml" "$plain" >"$tmp/list0"
"$bin" extract -0 --files-from "$tmp/list0" | unfile >"$tmp/list"
cmp -s "$tmp/named" "$tmp/list" || bad "--files-from -0 differs"
printf '%s\n' "$plain" | "$bin" extract "$sgml" --files-from - | unfile >"$tmp/list"
cmp -s "$tmp/named" "$tmp/list" || bad "operands then --files-from differ"
"$bin" extract --files-from - - </dev/null >/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -q "standard input cannot be both" "$tmp/err" || bad "- both list and input accepted"
"$bin" extract --files-from "$tmp/none" >/dev/null 2>&1
[ $? = 5 ] || bad "a missing --files-from list does not exit 5"
# ingest: standard input, and names from a list
cat "$sgml" | "$bin" ingest -q --db "$tmp/in.db" - || bad "ingest - failed"
printf '%s\n' "$plain" | "$bin" ingest -q --db "$tmp/in.db" --files-from - || bad "ingest --files-from - failed"
[ "$(sqlite3 "$tmp/in.db" 'SELECT source FROM filings ORDER BY source' 2>/dev/null | tr '\n' ' ')" = "- $plain " ] ||
    bad "ingest of - and a list: $(sqlite3 "$tmp/in.db" 'SELECT source FROM filings' 2>&1 | tr '\n' ' ')"

# ---- checked writes -------------------------------------------------------------
db=$tmp/f.db
"$bin" ingest -q --db "$db" "$sgml" "$plain" || bad "ingest for the export checks"
full() { # NAME COMMAND...: exits 5 and says so when standard output is full
    name=$1; shift
    "$@" >/dev/full 2>"$tmp/full.err"
    rc=$?
    [ $rc = 5 ] && grep -q "cannot write" "$tmp/full.err" ||
        bad "$name > /dev/full: exit $rc, $(head -c 200 "$tmp/full.err")"
}
full "parse" "$bin" parse "$sgml"
full "extract" "$bin" extract "$sgml"
full "extract --format csv" "$bin" extract --format csv "$sgml"
full "validate" "$bin" validate "$sgml"
full "report" "$bin" report "$sgml"
full "text" "$bin" text "$root/fixtures/parse-bare-html/input.htm"
full "export" "$bin" export --db "$db"
full "ingest" "$bin" ingest --db "$db" "$sgml"
full "grammar-check" "$bin" grammar-check --size 1000
full "--help" "$bin" --help
full "extract --help" "$bin" extract --help
full "--version" "$bin" --version
# fetch --dry-run lists on standard output: a loopback mirror to list from
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$root/fixtures/fetch-mirror" && exec python3 -m http.server --bind 127.0.0.1 "$port") >/dev/null 2>&1 &
srv=$!
i=0
while ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 50 ] && break; sleep 0.1
done
E8K_RATE_FILE=$tmp/rate full "fetch --dry-run" "$bin" fetch --dry-run --cik 1000001 \
    --user-agent "edgar8k-test test@example.com" --base-url "http://127.0.0.1:$port"
kill $srv 2>/dev/null; wait $srv 2>/dev/null; srv=

# ---- concurrent writers ----------------------------------------------------------
# The fixtures many times over: records up to ~10 KB, many over PIPE_BUF.
mkdir -p "$tmp/many"
for i in $(seq 1 40); do
    cp "$sgml" "$tmp/many/s$i.txt"
    cp "$plain" "$tmp/many/p$i.txt"
    cp "$root/tests/records/offering.txt" "$tmp/many/o$i.txt"
done
# -o: whole or untouched. A file size limit makes the writes fail (EFBIG,
# the signal ignored) part of the way: 100 KiB of an export of the
# fixtures (~260 KB; SQLite's own files stay under the limit), 4 KiB of
# extract's records of many filings.
"$bin" ingest -q --db "$tmp/fixtures.db" "$root/fixtures" 2>/dev/null
for case in "100 export --db $tmp/fixtures.db" "4 extract $tmp/many/s1.txt $tmp/many/p1.txt"; do
    limit=${case%% *}
    cmd=${case#* }
    echo old >"$tmp/out.json"
    # shellcheck disable=SC2086
    sh -c 'trap "" XFSZ; ulimit -f "$1"; shift; exec "$@"' sh "$limit" "$bin" $cmd -o "$tmp/out.json" 2>"$tmp/o.err"
    rc=$?
    [ $rc = 5 ] && [ "$(cat "$tmp/out.json")" = old ] && grep -q "cannot write $tmp/out.json" "$tmp/o.err" ||
        bad "$cmd -o past the size limit: exit $rc, file $(head -c 40 "$tmp/out.json"), $(cat "$tmp/o.err")"
    [ -z "$(ls "$tmp" | grep 'out.json.tmp')" ] || bad "$cmd -o left its temporary file"
    # shellcheck disable=SC2086
    "$bin" $cmd -o "$tmp/out.json" && "$bin" $cmd >"$tmp/stdout.json" &&
        cmp -s "$tmp/out.json" "$tmp/stdout.json" || bad "$cmd -o differs from its standard output"
done

inputs() {
    find "$tmp/many" -type f
    [ -d "$root/../shared/corpus" ] &&
        find "$root/../shared/corpus/submissions" "$root/../shared/corpus/html" -type f
}
inputs | tr '\n' '\0' >"$tmp/inputs0"
want=$(tr -cd '\0' <"$tmp/inputs0" | wc -c)
whole_lines() { # FILE: every line one JSON record; as many as inputs read
    python3 - "$1" "$want" <<'PY'
import json, sys
n = 0
for i, line in enumerate(open(sys.argv[1], "rb")):
    try:
        json.loads(line)
    except ValueError:
        sys.exit("line %d is not one JSON record: %r" % (i + 1, line[:80]))
    n += 1
if n != int(sys.argv[2]):
    sys.exit("%d records for %s inputs" % (n, sys.argv[2]))
PY
}
xargs -0 -n 3 -P 4 "$bin" extract <"$tmp/inputs0" >"$tmp/x.jsonl" 2>/dev/null
whole_lines "$tmp/x.jsonl" || bad "xargs -P 4 into one file"
# One pipe, read slowly, so that it fills and long records wait for the
# lock rather than split.
xargs -0 -n 3 -P 4 "$bin" extract <"$tmp/inputs0" 2>/dev/null |
    python3 -c 'import sys, time
for chunk in iter(lambda: sys.stdin.buffer.read(8192), b""):
    time.sleep(0.0005); sys.stdout.buffer.write(chunk)' >"$tmp/p.jsonl"
whole_lines "$tmp/p.jsonl" || bad "xargs -P 4 into one pipe"

# ---- the option parser --------------------------------------------------------------
"$bin" extract "$sgml" --format csv >"$tmp/a" && head -n 1 "$tmp/a" | grep -q '^file,accession,' ||
    bad "an option after the file is not taken"
"$bin" extract --format=csv "$sgml" | cmp -s - "$tmp/a" || bad "--format=csv differs from --format csv"
usage_error() { # WANT-LINE COMMAND...: exit 2, the line, a short usage
    want=$1; shift
    "$@" >/dev/null 2>"$tmp/err"
    rc=$?
    [ $rc = 2 ] && [ "$(head -n 1 "$tmp/err")" = "$want" ] && [ "$(wc -l <"$tmp/err")" -le 4 ] &&
        grep -q "^See 'edgar8k.*--help'\.$" "$tmp/err" ||
        { bad "$*: exit $rc:"; cat "$tmp/err"; }
}
usage_error "edgar8k extract: unknown option '--formt' (did you mean '--format'?)" "$bin" extract --formt csv "$sgml"
usage_error "edgar8k extract: --format: 'xml' is not one of jsonl, json, csv, table" "$bin" extract --format xml "$sgml"
usage_error "edgar8k validate: option '--format' needs a value" "$bin" validate "$sgml" --format
usage_error "edgar8k parse: option '--pretty' takes no value" "$bin" parse --pretty=yes "$sgml"
usage_error "edgar8k ingest: --jobs: expected a whole number of workers, at least 1, got '1.5'" "$bin" ingest -j 1.5 "$sgml"
usage_error "edgar8k export: --table: no table 'ofering' (did you mean 'offerings'?)" "$bin" export --table ofering
usage_error "edgar8k text: no FILE given" "$bin" text
usage_error "edgar8k extract: option '--f' is ambiguous: --format, --files-from" "$bin" extract --f x "$sgml"
usage_error "edgar8k: unknown command 'extrct' (did you mean 'extract'?)" "$bin" extrct "$sgml"
"$bin" --version >"$tmp/v"
grep -qx "edgar8k [0-9.]*" "$tmp/v" && grep -qx "records schema [0-9]*" "$tmp/v" &&
    grep -q "^grammars [0-9a-f]\{16\} ($root/grammars)$" "$tmp/v" || bad "--version: $(cat "$tmp/v")"
# The README's exit-code table is the one --help prints.
sed -n 's/^| \([0-9]\) | \(.*\) |$/  \1  \2/p' "$root/README.md" >"$tmp/readme.exits"
"$bin" --help | grep '^  [0-9]  ' >"$tmp/help.exits"
cmp -s "$tmp/readme.exits" "$tmp/help.exits" || { bad "README's exit codes differ from --help:"; diff "$tmp/readme.exits" "$tmp/help.exits"; }
exit $fail
