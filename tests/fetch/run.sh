#!/bin/sh
# Integration tests of `edgar8k fetch` on loopback: an nginx mirror of
# EDGAR's layout and a fault-injecting server (tests/fetch/harness.py).
# Usage: E8K_BIN=build/edgar8k sh tests/fetch/run.sh [TEST...]
# Closes with "fetch: N passed, N failed"; exits non-zero on failure.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/test_fetch.py" "$@"
