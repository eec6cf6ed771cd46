#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh: the CLI tests. Every fixtures/<case>/ with an `args` file is run as
# `edgar8k $(cat args)` from inside the case directory; stdout must equal
# expected.out, stderr expected.err (when present) and the exit status
# expected.exit (default 0). Then the other tests/cli/*.py and *.sh scripts
# run. Prints "N passed, N failed" and fails when anything failed.
# Set E8K_BIN to the binary; E8K_UPDATE=1 rewrites the expected files.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${E8K_BIN:-build/edgar8k}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check_case() {
    dir=$1
    name=$(basename "$dir")
    want_exit=0
    [ -f "$dir/expected.exit" ] && want_exit=$(cat "$dir/expected.exit")
    # shellcheck disable=SC2046
    (cd "$dir" && "$bin" $(cat args) >"$tmp/out" 2>"$tmp/err")
    got_exit=$?
    if [ "${E8K_UPDATE:-0}" = 1 ]; then
        cp "$tmp/out" "$dir/expected.out"
        cp "$tmp/err" "$dir/expected.err"
        echo "$got_exit" >"$dir/expected.exit"
    fi
    ok=1
    if [ "$got_exit" != "$want_exit" ]; then
        echo "FAIL $name: exit $got_exit, expected $want_exit"; ok=0
    fi
    if [ -f "$dir/expected.out" ] && ! cmp -s "$tmp/out" "$dir/expected.out"; then
        echo "FAIL $name: stdout differs"; diff "$dir/expected.out" "$tmp/out" | head -20; ok=0
    fi
    if [ -f "$dir/expected.err" ] && ! cmp -s "$tmp/err" "$dir/expected.err"; then
        echo "FAIL $name: stderr differs"; diff "$dir/expected.err" "$tmp/err" | head -20; ok=0
    fi
    if [ $ok = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

for dir in "$root"/fixtures/*/; do
    [ -f "$dir/args" ] && check_case "${dir%/}"
done
echo "fixtures: $passed passed, $failed failed"

for script in "$root"/tests/cli/*.py "$root"/tests/cli/*.sh; do
    [ -f "$script" ] || continue
    [ "$(basename "$script")" = run.sh ] && continue
    case $script in
        *.py) E8K_BIN=$bin python3 "$script" ;;
        *.sh) E8K_BIN=$bin sh "$script" ;;
    esac
    if [ $? = 0 ]; then passed=$((passed + 1)); else
        echo "FAIL $(basename "$script")"; failed=$((failed + 1)); fi
done
echo "cli: $passed passed, $failed failed"
[ "$failed" = 0 ]
