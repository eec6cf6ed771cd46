#!/bin/sh
# SPDX-License-Identifier: MIT
# validate.sh: `edgar8k validate` and `extract --validate` exit statuses and
# output formats: 0 on the clean fixtures, 1 (a check failed) on a copy with
# one figure changed, 0 on an unusual figure (a warning) unless --strict,
# 2 on a bad option; JSON Lines when not a terminal.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${E8K_BIN:-build/edgar8k}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
expect() { # expect STATUS DESCRIPTION COMMAND...
    want=$1; what=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL validate.sh: $what: exit $got, expected $want"; fail=1
    fi
}
plain=$root/fixtures/validate-plain-8k/input.txt
sgml=$root/fixtures/validate-sgml-html/input.txt
expect 0 "clean fixtures" "$bin" validate "$plain" "$sgml"
[ "$(grep -c '"failed": 0' "$tmp/out")" = 2 ] ||
    { echo "FAIL validate.sh: expected two JSON lines with failed 0"; fail=1; }
expect 0 "table format" "$bin" validate --format table "$plain"
grep -q '^  pass    net.within_gross' "$tmp/out" ||
    { echo "FAIL validate.sh: no table row for net.within_gross"; fail=1; }
sed 's/approximately \$27.3 million/approximately $29.3 million/' "$plain" >"$tmp/m.txt"
expect 1 "mutated net proceeds" "$bin" validate "$tmp/m.txt"
grep -q '"id": "cash.bridge_offering", "offering": null, "status": "fail"' "$tmp/out" ||
    { echo "FAIL validate.sh: cash bridge not failed"; fail=1; }
expect 1 "mutation also fails the clean file's run" "$bin" validate "$plain" "$tmp/m.txt"
expect 1 "extract --validate" "$bin" extract --validate "$tmp/m.txt"
[ "$(wc -l <"$tmp/out")" = 2 ] ||
    { echo "FAIL validate.sh: extract --validate prints records + report"; fail=1; }
expect 0 "extract --validate clean" "$bin" extract --validate "$plain"
# A par value above the price is unusual, not a contradiction between
# figures: a warning, exit 0, unless --strict; a contradiction exits 1
# either way.
sed 's/\$0\.01 par value/$3.00 par value/; s/par value \$0\.01/par value $3.00/; s/(\$0\.01 Par Value)/($3.00 Par Value)/' "$plain" >"$tmp/cap.txt"
expect 0 "an unusual par value warns" "$bin" validate "$tmp/cap.txt"
grep -q '"warned": 1' "$tmp/out" && grep -q '"id": "range.prices", "offering": 0, "status": "warn"' "$tmp/out" ||
    { echo "FAIL validate.sh: the unusual par value is not a warning"; fail=1; }
expect 1 "--strict fails on a warning" "$bin" validate --strict "$tmp/cap.txt"
expect 1 "--strict on a contradiction" "$bin" validate --strict "$tmp/m.txt"
expect 0 "--strict on the clean fixtures" "$bin" validate --strict "$plain" "$sgml"
expect 0 "table format shows warnings" "$bin" validate --format table "$tmp/cap.txt"
grep -q '^  warn    range.prices' "$tmp/out" && grep -q ': 0 failed, 1 warned' "$tmp/out" ||
    { echo "FAIL validate.sh: no warn row in the table"; fail=1; }
expect 2 "bad format" "$bin" validate --format xml "$plain"
expect 5 "missing file" "$bin" validate "$tmp/none.txt"
exit $fail
