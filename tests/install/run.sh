#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/install/run.sh: edgar8k as an installed tool and library.
#   - `make install PREFIX=tmp`: from another directory, the installed binary
#     finds its grammars through its prefix (also once the tree is moved)
#     and extracts a filing; `man -l` shows edgar8k(1) with every option of
#     every command's --help; the bash completion completes commands,
#     options and their values; a small C program compiles and links with
#     `pkg-config --cflags --libs edgar8k` (shared) and with the static
#     library, and runs;
#   - the shared library has its soname and exports only what edgar8k.h
#     declares, all of it;
#   - DESTDIR stages without the stage in the installed paths, and
#     `make uninstall` leaves nothing;
#   - tools/install-deps builds with what pkg-config finds and, without
#     apt, names what is missing instead of installing.
# Prints "install: N passed, N failed"; exits non-zero when anything failed.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
tmp=$(mktemp -d /tmp/e8k-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
check() { # NAME COMMAND...
    name=$1; shift
    if "$@"; then passed=$((passed + 1)); echo "ok   $name"
    else failed=$((failed + 1)); echo "FAIL $name"; fi
}
mk() { make --no-print-directory -C "$root" BUILD="$build" "$@"; }

prefix=$tmp/prefix
mk install PREFIX="$prefix" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; echo "install: make install failed"; exit 1; }
mkdir -p "$tmp/elsewhere"
cp "$root/fixtures/validate-sgml-html/input.txt" "$tmp/elsewhere/filing.txt"
seed=$root/../shared/seeds/capstone-8k-2007-01-18.txt
[ -r "$seed" ] && cp "$seed" "$tmp/elsewhere/seed.txt"

extracts() { # BIN: extracts in another directory with the installed rules
    (cd "$tmp/elsewhere" && env -u E8K_GRAMMARS "$1" --version >version.out &&
        env -u E8K_GRAMMARS "$1" extract *.txt >records.jsonl) || return 1
    grep -q "^grammars [0-9a-f]* ($(dirname "$(dirname "$1")")/share/edgar8k/grammars)$" \
        "$tmp/elsewhere/version.out" || { cat "$tmp/elsewhere/version.out"; return 1; }
    grep -q '"accession":"0009990007-21-000042"' "$tmp/elsewhere/records.jsonl" &&
        grep -q '"shares_offered":{"value":2400000' "$tmp/elsewhere/records.jsonl" &&
        { [ ! -r "$seed" ] || grep -q '"file":"seed.txt","filing":{"accession":' "$tmp/elsewhere/records.jsonl"; }
}
check "the installed binary extracts from another directory" extracts "$prefix/bin/edgar8k"

man_page() {
    MANWIDTH=100 man -l "$prefix/share/man/man1/edgar8k.1" >"$tmp/man.txt" 2>"$tmp/man.err" || return 1
    grep -q '^EDGAR8K(1)' "$tmp/man.txt" || return 1
    for section in SYNOPSIS DESCRIPTION COMMANDS ENVIRONMENT 'EXIT STATUS'; do
        grep -q "^$section" "$tmp/man.txt" || { echo "  no $section"; return 1; }
    done
    for cmd in $("$prefix/bin/edgar8k" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p'); do
        grep -q "^   edgar8k $cmd " "$tmp/man.txt" || { echo "  no command $cmd"; return 1; }
        for opt in $("$prefix/bin/edgar8k" "$cmd" --help | grep -o -- '--[a-z0-9-]*' | sort -u); do
            grep -q -- "$opt" "$tmp/man.txt" || { echo "  $cmd $opt is not in the man page"; return 1; }
        done
    done
}
check "man -l shows edgar8k(1) with every command and option" man_page

complete_words() { # WORDS...: what the completion offers for the last word
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _edgar8k; echo "${COMPREPLY[*]}"' \
        sh "$prefix/share/bash-completion/completions/edgar8k" "$@"
}
completion() {
    [ "$(complete_words edgar8k ext)" = extract ] || return 1
    [ "$(complete_words edgar8k extract --fo)" = --format ] || return 1
    [ "$(complete_words edgar8k extract --format '')" = "jsonl json csv table" ] || return 1
    [ "$(complete_words edgar8k validate --format t)" = table ] || return 1
    complete_words edgar8k ingest --j | grep -qx -- --jobs
}
check "bash completion completes commands, options and values" completion

cat >"$tmp/prog.c" <<'EOF'
#include <edgar8k.h>
#include <e8k_limits.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    static const char filing[] =
        "<SEC-DOCUMENT>0000000001-24-000001.txt : 20240102\n"
        "<SEC-HEADER>0000000001-24-000001.hdr.sgml : 20240102\n"
        "ACCESSION NUMBER:\t\t0000000001-24-000001\n"
        "CONFORMED SUBMISSION TYPE:\t8-K\n"
        "FILED AS OF DATE:\t\t20240102\n"
        "</SEC-HEADER>\n<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<TEXT>\n"
        "Item 8.01 Other Events.\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n";
    e8k_filing *f = e8k_filing_new("prog");
    e8k_error err;
    if (!f || e8k_filing_parse(f, filing, strlen(filing), &err) != E8K_OK)
        return 1;
    printf("%s %s %s %zu\n", E8K_VERSION, e8k_filing_header(f)->accession,
           e8k_filing_header(f)->filed, E8K_MAX_INPUT_SIZE > 0 ?
           e8k_filing_document_count(f) : 0);
    e8k_filing_free(f);
    return 0;
}
EOF
links() {
    export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
    # shellcheck disable=SC2046
    cc -o "$tmp/prog" "$tmp/prog.c" $(pkg-config --cflags --libs edgar8k) || return 1
    out=$(LD_LIBRARY_PATH="$prefix/lib" "$tmp/prog") || return 1
    [ "$out" = "$(pkg-config --modversion edgar8k) 0000000001-24-000001 2024-01-02 1" ] ||
        { echo "  prog printed: $out"; return 1; }
    LD_LIBRARY_PATH="$prefix/lib" ldd "$tmp/prog" | grep -q "libedgar8k.so.0 => $prefix/lib/" ||
        { echo "  not linked to the installed shared library"; return 1; }
    # The static library with the modules the .pc names as private (their
    # shared libraries: Debian ships no static libcurl dependencies).
    # shellcheck disable=SC2046
    cc -o "$tmp/prog-static" "$tmp/prog.c" $(pkg-config --cflags edgar8k) \
        -L"$prefix/lib" -Wl,-Bstatic -ledgar8k -Wl,-Bdynamic \
        $(pkg-config --libs $(pkg-config --print-requires-private edgar8k)) \
        -lpthread -lm || return 1
    ! ldd "$tmp/prog-static" | grep -q libedgar8k && "$tmp/prog-static" >/dev/null
}
check "a C program links with pkg-config (shared and static) and runs" links

exports() {
    so=$prefix/lib/libedgar8k.so
    readelf -d "$so" | grep -q 'SONAME.*\[libedgar8k\.so\.0\]' || { echo "  soname"; return 1; }
    nm -D --defined-only "$so" | awk '$2 == "T" {print $3}' | sort >"$tmp/exported"
    grep -o '\be8k_[a-z0-9_]*(' "$root/src/edgar8k.h" | tr -d '(' | sort -u >"$tmp/declared"
    if ! cmp -s "$tmp/exported" "$tmp/declared"; then
        echo "  exported (<) and declared (>) differ:"; diff "$tmp/exported" "$tmp/declared" | head; return 1
    fi
}
check "the shared library exports exactly what edgar8k.h declares" exports

moved() { # the installed tree moved elsewhere still finds its grammars
    mv "$prefix" "$tmp/moved" && extracts "$tmp/moved/bin/edgar8k" &&
        mv "$tmp/moved" "$prefix"
}
check "an installed tree works once moved" moved

uninstalls() {
    mk uninstall PREFIX="$prefix" >>"$tmp/install.log" 2>&1 || return 1
    left=$(find "$prefix" -type f -o -type l)
    [ -z "$left" ] || { echo "  left behind: $left"; return 1; }
}
check "make uninstall removes every file" uninstalls

staged() {
    mk install DESTDIR="$tmp/stage" PREFIX=/opt/e8k >>"$tmp/install.log" 2>&1 || return 1
    [ -x "$tmp/stage/opt/e8k/bin/edgar8k" ] &&
        [ -f "$tmp/stage/opt/e8k/share/edgar8k/grammars/grammar.xsd" ] &&
        grep -qx 'prefix=/opt/e8k' "$tmp/stage/opt/e8k/lib/pkgconfig/edgar8k.pc" &&
        ! grep -rq "$tmp/stage" "$tmp/stage/opt/e8k/lib/pkgconfig" || return 1
    mk uninstall DESTDIR="$tmp/stage" PREFIX=/opt/e8k >>"$tmp/install.log" 2>&1 &&
        [ -z "$(find "$tmp/stage" -type f -o -type l)" ]
}
check "DESTDIR stages and uninstalls" staged

# tools/install-deps on a machine without apt: a shim pkg-config that
# knows every module but libpq, a compiler, make; nothing else on PATH.
deps_without_apt() {
    bin=$tmp/noapt
    mkdir -p "$bin"
    for c in sh cc make id printf python3; do
        p=$(command -v $c) && ln -s "$p" "$bin/$c"
    done
    printf '#!/bin/sh\n[ "$1" = --exists ] && [ "$2" = libpq ] && exit 1\nexit 0\n' >"$bin/pkg-config"
    chmod +x "$bin/pkg-config"
    PATH=$bin sh "$root/tools/install-deps" build >"$tmp/deps.out" 2>&1
    rc=$?
    [ $rc = 1 ] && grep -q 'pc:libpq' "$tmp/deps.out" && grep -q 'libpq-dev' "$tmp/deps.out" ||
        { echo "  exit $rc:"; cat "$tmp/deps.out"; return 1; }
    printf '#!/bin/sh\nexit 0\n' >"$bin/pkg-config"
    PATH=$bin sh "$root/tools/install-deps" build >"$tmp/deps.out" 2>&1 ||
        { echo "  with every module found:"; cat "$tmp/deps.out"; return 1; }
}
check "install-deps builds with pkg-config's libraries and names what is missing without apt" deps_without_apt

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
