#!/bin/sh
# SPDX-License-Identifier: MIT
# demo.sh: `make run` tells its story: tools/run-demo prints, into a fresh
# database, exactly what the README shows between its "make run" markers
# (the database's name, the ingest's time and the rates a slow machine
# adds aside), with
# the broken inputs in their own section at the end and nothing on
# standard error; a second run stores nothing new.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${E8K_BIN:-build/edgar8k}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
command -v sqlite3 >/dev/null 2>&1 || { echo "demo.sh: SKIP: no sqlite3 shell"; exit 0; }
normal() { # and the ingest's time, and the rates a slow machine adds
    sed -e "s|$tmp/edgar8k.db|edgar8k.db|g" \
        -e 's|^\(ingest: .* in \)[0-9.]* s:|\1T s:|' \
        -e 's|^ingest: [0-9.]* filings/s, .* into edgar8k.db$|ingest: into edgar8k.db|'
}
(cd "$root" && E8K_GRAMMARS= sh tools/run-demo "$bin" "$tmp/edgar8k.db") >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || { echo "FAIL demo.sh: run-demo exited $rc"; fail=1; }
[ -s "$tmp/err" ] && { echo "FAIL demo.sh: run-demo wrote to standard error:"; cat "$tmp/err"; fail=1; }
normal <"$tmp/out" | sed '1{/^$/d}' >"$tmp/got"
sed -n '/^<!-- make run: begin -->$/,/^<!-- make run: end -->$/p' "$root/README.md" |
    sed '1,2d;$d' | sed '$d' | normal >"$tmp/want"
if ! cmp -s "$tmp/want" "$tmp/got"; then
    echo "FAIL demo.sh: the README does not show what make run prints:"
    diff "$tmp/want" "$tmp/got" | head -20
    fail=1
fi
tail -n 5 "$tmp/got" | grep -q '^edgar8k: fixtures/error-truncated/input.txt:30: byte 592: truncated input' ||
    { echo "FAIL demo.sh: the broken inputs are not the last section"; fail=1; }
(cd "$root" && sh tools/run-demo "$bin" "$tmp/edgar8k.db") >"$tmp/again" 2>&1
grep -q ': 0 stored, 26 already stored, 0 failed, 7 not filings$' "$tmp/again" ||
    { echo "FAIL demo.sh: a second run stored again:"; grep '^ingest' "$tmp/again"; fail=1; }
exit $fail
