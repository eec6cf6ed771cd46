#!/bin/sh
# SPDX-License-Identifier: MIT
# check_src.sh: tools/check-src finds what it claims to find. A copy of the
# tree gets one violation of each kind planted; the tool must name every
# one (file and rule) and fail, while the untouched tree passes.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${E8K_BIN:-build/edgar8k}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

python3 "$root/tools/check-src" --root "$root" --bin "$bin" >"$tmp/clean.out" 2>&1 ||
    { echo "FAIL check_src.sh: the tree itself fails:"; cat "$tmp/clean.out"; fail=1; }

t=$tmp/tree
mkdir -p "$t"
cp -r "$root/src" "$root/cli" "$root/tools" "$root/README.md" "$t/"
mkdir -p "$t/tests" "$t/bench"
# One violation of each kind.
printf '#include <curl/curl.h>\n' >>"$t/src/text.c"
printf '#include "e8k_json.h"\n' >>"$t/src/submission_plain.c"
printf 'static void f(void) { printf("x"); }\n' >>"$t/src/format.c"
printf 'static void g(int fd) { char b[1]; (void)read(fd, b, 1); }\n' >>"$t/src/items.c"
printf 'static void h(char *d) { strcpy(d, "x"); }\n' >>"$t/src/utf8.c"
printf '#include "internal.h"\n' >>"$t/cli/main.c"
printf 'static int k(void) { return e8k_utf8_valid("", 0); }\n' >>"$t/cli/common.c"
# line 1 is the licence; the role line, line 2, is replaced
sed -i '2s/.*/\/\/ no role line/' "$t/src/io.c"
awk 'BEGIN { for (i = 0; i < 1001; i++) print "/* filler */" }' >>"$t/src/json.c"
printf '#define E8K_MAX_THINGS 3\n' >>"$t/src/store.c"
printf 'static const char *e = "</SEC-DOCUMENT>";\n' >>"$t/src/ingest.c"
sed -i 's/^| 7 | fetching failed |$/| 7 | the network was down |/' "$t/README.md"

python3 "$t/tools/check-src" --root "$t" --bin "$bin" >"$tmp/bad.out" 2>&1
status=$?
[ "$status" = 1 ] || { echo "FAIL check_src.sh: planted violations exit $status"; fail=1; }
for want in \
    'src/text.c:.*includes <curl/curl.h>' \
    'src/submission_plain.c:.*includes <jansson.h> (through src/e8k_json.h)' \
    'src/format.c:.*printf(): the library never prints' \
    'src/items.c:.*read(): parsing never does I/O' \
    'src/utf8.c:.*strcpy(): banned' \
    'cli/main.c:.*includes "internal.h"' \
    'cli/common.c:.*e8k_utf8_valid is not in the public header' \
    'src/io.c:1: no role line' \
    'src/json.c:.*lines; split it' \
    'src/store.c:.*E8K_MAX_THINGS defined outside' \
    'src/ingest.c:.*the dialect table has one home' \
    'README.md:.*exit 7 reads'; do
    grep -q -- "$want" "$tmp/bad.out" ||
        { echo "FAIL check_src.sh: not reported: $want"; fail=1; }
done
[ $fail = 0 ] || cat "$tmp/bad.out"
exit $fail
