#!/bin/sh
# run.sh: the review page in a real browser (Debian's chromium driven by
# chromedriver through tests/report/dom_check.py): the hostile fixture
# always, the seed filing when ../shared is there. Each run is in a
# network namespace of its own (unshare -n) where only loopback exists, so
# the browser cannot reach any host whatever it tried; where namespaces
# are not allowed, Chromium's flags and the page's Content-Security-Policy
# keep it off the network and a note says so. Screenshots are left in the
# build directory (report-hostile.png, report-seed.png).
# Set E8K_BIN to the binary.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${E8K_BIN:-build/edgar8k}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
out=$(dirname "$bin")
failed=0

for tool in chromium chromedriver python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "FAIL report: $tool is missing (tools/install-deps installs it)"
        exit 1
    fi
done

if unshare -n true 2>/dev/null; then
    isolate="unshare -n"
    flag=--isolated
else
    echo "report: note: no network namespace here (unshare -n refused):" \
         "the browser runs with its no-network flags and the page's CSP only"
    isolate=
    flag=
fi

check() { # filing screenshot [dom_check options]
    filing=$1 shot=$2
    shift 2
    # shellcheck disable=SC2086
    if ! $isolate python3 "$root/tests/report/dom_check.py" $flag \
            --bin "$bin" --filing "$filing" --screenshot "$shot" "$@"; then
        failed=$((failed + 1))
    fi
}

# From the checkout, so that the pages (and screenshots) name the filings
# as a user would, not by this machine's paths.
cd "$root" || exit 1
check fixtures/report-hostile/input.txt "$out/report-hostile.png" \
      --hostile fixtures/report-hostile/hostile.txt
seed=../shared/seeds/capstone-8k-2007-01-18.txt
if [ -f "$seed" ]; then
    check "$seed" "$out/report-seed.png"
else
    echo "report: skip the seed filing: ../shared is absent"
fi
[ "$failed" = 0 ]
