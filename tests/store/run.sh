#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh: the database tests of `edgar8k ingest` and `edgar8k export`.
# Ingests ../shared/corpus (fixtures/ when it is absent) into SQLite and into
# a private PostgreSQL server started here on 127.0.0.1 (stopped on exit,
# failure included) and checks, through `export`:
#   - both databases hold the same rows, whatever -j;
#   - ingesting twice gives the same database;
#   - an ingest killed with SIGKILL at random points, then rerun, gives the
#     same database as an uninterrupted run (SQLite and PostgreSQL);
#   - hostile text (quotes, SQL, NUL bytes, invalid UTF-8) comes back intact;
#   - two ingests at once into one database both succeed, with the same rows;
#   - four ingests at once into one PostgreSQL database, over overlapping
#     shards of the input, one of them killed and started again while the
#     others run (all of them migrating the new database at once), leave
#     what one uninterrupted ingest leaves;
#   - share counts are stored as integers (a fraction kept as is);
#   - the store unit tests (suites store and store_schema: migrating rows
#     from older schema versions, numbers crossing the drivers exactly)
#     pass against PostgreSQL too.
# Prints "N passed, N failed"; exits non-zero when anything failed.
# E8K_BIN: the binary; E8K_UNIT: the unit-test binary; E8K_SHARED: the
# directory holding corpus/ (default ../shared); E8K_KILLS: kill rounds.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${E8K_BIN:-build/edgar8k}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
unit=${E8K_UNIT:-$(dirname "$bin")/unit-tests}
case $unit in /*) ;; *) unit=$root/$unit ;; esac
shared=${E8K_SHARED:-$root/../shared}
kills=${E8K_KILLS:-4}
passed=0
failed=0
tmp=$(mktemp -d /tmp/e8k-storetest.XXXXXX)
. "$root/tests/store/pg.sh"
cleanup() { pg_stop; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
check() { # name, command...: passes when the command succeeds
    name=$1; shift
    if "$@"; then ok "$name"; else fail "$name"; fi
}

if [ -d "$shared/corpus" ]; then
    src=$shared/corpus
else
    echo "store: $shared/corpus absent: ingesting fixtures/ instead"
    src=$root/fixtures
fi
# A snapshot of the rules, so that every ingest of this run uses the same.
cp -r "${E8K_GRAMMARS:-$root/grammars}" "$tmp/grammars"
export E8K_GRAMMARS="$tmp/grammars"
# Fetching processes share their pacing through a state file: a private
# one, so that the tests leave nothing in the user's directories.
export E8K_RATE_FILE="$tmp/rate"

# ingest DB ARGS...: exit 0, or 3 when some inputs are not filings
ingest() {
    db=$1; shift
    "$bin" ingest -q --db "$db" "$@" >>"$tmp/ingest.log" 2>&1
    rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 3 ] || { echo "  ingest exited $rc"; tail -5 "$tmp/ingest.log"; return 1; }
}
export_to() { "$bin" export --db "$1" >"$2" 2>>"$tmp/ingest.log"; }
same() { # a b: equal exports, else show where they differ
    cmp -s "$1" "$2" && return 0
    echo "  $1 and $2 differ:"; diff "$1" "$2" | head -6 | cut -c1-200
    return 1
}
rand_ms() { # a random number of milliseconds in [$1, $2)
    r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
    echo $(($1 + r % ($2 - $1)))
}

# kill_rounds DB: starts an ingest, SIGKILLs it at a random moment within
# the first half of an uninterrupted ingest's time ($full_ms), $kills times,
# each continuing the database the last one left; then completes it.
kill_rounds() {
    db=$1
    i=0
    while [ $i -lt "$kills" ]; do
        ms=$(rand_ms 100 $((full_ms / 2 > 150 ? full_ms / 2 : 150)))
        "$bin" ingest -q -j 2 --db "$db" "$src" >/dev/null 2>&1 &
        pid=$!
        sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
        kill -KILL $pid 2>/dev/null
        wait $pid 2>/dev/null
        case $db in
        sqlite:*) echo "  killed after ${ms} ms, $(sqlite3 "${db#sqlite:}" 'SELECT COUNT(*) FROM filings' 2>/dev/null) filings stored" ;;
        *) echo "  killed after ${ms} ms" ;;
        esac
        i=$((i + 1))
    done
    ingest "$db" -j 2 "$src"
}

# together DB: two ingests of the same inputs at once into one database
# (a fresh one: both create and migrate it) both succeed.
together() {
    db=$1
    ingest "$db" -j 1 "$src" & a=$!
    ingest "$db" -j 1 "$src"; rb=$?
    wait $a; ra=$?
    [ $ra -eq 0 ] && [ $rb -eq 0 ]
}

# four_at_once DB: four ingests at once into one fresh database, the
# input's directories dealt out so that each is read by two of them (as
# shards by Feed day or quarter would be, run twice by mistake); the
# first (among the busiest) is killed (SIGKILL) at a random moment and
# started again while the others go on. Every run ends with 0, or 3 for the broken inputs.
four_at_once() {
    db=$1
    rm -f "$tmp"/shard?
    k=0
    for d in $(find "$src" -mindepth 1 -maxdepth 1 -type d | sort); do
        echo "$d" >>"$tmp/shard$((k % 4))"
        echo "$d" >>"$tmp/shard$(((k + 1) % 4))"
        k=$((k + 1))
    done
    for i in 0 1 2 3; do
        "$bin" ingest -q -j 1 --db "$db" --files-from "$tmp/shard$i" >>"$tmp/four.log" 2>&1 &
        eval "pid$i=\$!"
    done
    # within the first half of what one uninterrupted ingest takes
    lo=$((full_ms / 8 > 20 ? full_ms / 8 : 20))
    ms=$(rand_ms $lo $((full_ms / 2 > lo + 50 ? full_ms / 2 : lo + 50)))
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    kill -KILL "$pid0" 2>/dev/null
    wait "$pid0" 2>/dev/null
    running=0
    for p in $pid1 $pid2 $pid3; do kill -0 "$p" 2>/dev/null && running=$((running + 1)); done
    echo "  the first killed after $ms ms and started again, $running others still running"
    ok=0
    ingest "$db" -j 1 --files-from "$tmp/shard0" || ok=1
    for p in $pid1 $pid2 $pid3; do
        wait "$p"; rc=$?
        [ $rc -eq 0 ] || [ $rc -eq 3 ] || { echo "  an ingest exited $rc"; tail -5 "$tmp/four.log"; ok=1; }
    done
    return $ok
}

hostile_filing() {
    printf '<SEC-DOCUMENT>0000000009-07-000001.txt : 20070118\n<SEC-HEADER>0000000009-07-000001.hdr.sgml : 20070118\nACCESSION NUMBER:\t\t0000000009-07-000001\nCONFORMED SUBMISSION TYPE:\t8-K\nPUBLIC DOCUMENT COUNT:\t\t2\nFILED AS OF DATE:\t\t20070118\nFILER:\n\tCOMPANY DATA:\n\t\tCOMPANY CONFORMED NAME:\t\t\tO'"'"'Brien "Q" \377\376 Co'"'"'); DROP TABLE filings;--\n\t\tCENTRAL INDEX KEY:\t\t\t0000000009\n</SEC-HEADER>\n<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<FILENAME>a'"'"'b\303\050.txt\n<DESCRIPTION>'"'"'); DELETE FROM offerings;--\n<TEXT>\nItem 8.01 Other Events.\n\nThe Company sold 1,000,000 shares of its common stock at a price of $2.00 per share in a registered direct offering to Robert'"'"'); DROP TABLE parties;-- \351t\351.\n</TEXT>\n</DOCUMENT>\n<DOCUMENT>\n<TYPE>EX-99.1\n<SEQUENCE>2\n<FILENAME>nul.txt\n<TEXT>\nNUL \000 bytes \000 here\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n'
}

# hostile DB: the hostile filing's text comes back byte for byte in CSV
hostile() {
    db=$1
    ingest "$db" "$tmp/hostile/h.txt" || return 1
    "$bin" export --db "$db" --format csv --table filing_entities >"$tmp/h.csv" || return 1
    "$bin" export --db "$db" --format csv --table documents >>"$tmp/h.csv" || return 1
    "$bin" export --db "$db" --table filings >/dev/null || return 1
    python3 - "$tmp/h.csv" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
for want in [b"O'Brien \"\"Q\"\" \xff\xfe Co'); DROP TABLE filings;--",
             b"a'b\xc3\x28.txt", b"'); DELETE FROM offerings;--"]:
    if want not in data:
        sys.exit("missing %r" % want)
PY
}

# doc_queries CMD...: every ```sql block of docs/sql.md runs without error
doc_queries() {
    python3 - "$root/docs/sql.md" "$tmp/q" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for i, q in enumerate(re.findall(r"```sql\n(.*?)```", text, re.S)):
    open("%s%02d.sql" % (sys.argv[2], i), "w").write(q)
PY
    n=0
    for q in "$tmp"/q*.sql; do
        "$@" <"$q" >"$tmp/q.out" 2>&1 || { echo "  $q failed:"; cat "$q" "$tmp/q.out"; return 1; }
        n=$((n + 1))
    done
    [ $n -ge 5 ]
}

# ---- SQLite ------------------------------------------------------------------
mkdir -p "$tmp/hostile"
hostile_filing >"$tmp/hostile/h.txt"
lite="sqlite:$tmp/lite.db"
start=$(date +%s)
t0=$(date +%s%N)
check "sqlite: ingest $src (-j 2)" ingest "$lite" -j 2 "$src"
full_ms=$((($(date +%s%N) - t0) / 1000000))
export_to "$lite" "$tmp/lite.jsonl"
check "sqlite: the export has filings" grep -q '"table":"filings"' "$tmp/lite.jsonl"
# Record rows name their filing, not only by its key.
named_rows() {
    "$bin" export --db "$lite" --format csv >"$tmp/named.csv" || return 1
    head -n 1 "$tmp/named.csv" | grep -q '^filing_key,accession,form_type,filed,period,cik,company,offering_no,' &&
        grep -q '^"[0-9-]*","[0-9-]*","8-K","[0-9-]*",[^,]*,"[0-9;]*","[^"]' "$tmp/named.csv" &&
        grep '"table":"findings"' "$tmp/lite.jsonl" | head -n 1 | grep -q '"accession":.*"cik":.*"company":'
}
check "sqlite: offerings and findings rows name their filing" named_rows
check "sqlite: ingest again" ingest "$lite" -j 2 "$src"
export_to "$lite" "$tmp/lite2.jsonl"
check "sqlite: ingesting twice gives the same database" same "$tmp/lite.jsonl" "$tmp/lite2.jsonl"
check "sqlite: ingest with -j 1" ingest "sqlite:$tmp/j1.db" -j 1 "$src"
export_to "sqlite:$tmp/j1.db" "$tmp/j1.jsonl"
check "sqlite: -j 1 and -j 2 give the same database" same "$tmp/lite.jsonl" "$tmp/j1.jsonl"
echo "  SIGKILL rounds into SQLite:"
kill_rounds "sqlite:$tmp/killed.db"
export_to "sqlite:$tmp/killed.db" "$tmp/killed.jsonl"
check "sqlite: killed and rerun gives the same database" same "$tmp/lite.jsonl" "$tmp/killed.jsonl"
check "sqlite: the database is intact" \
    test "$(sqlite3 "$tmp/killed.db" 'PRAGMA integrity_check')" = ok
check "sqlite: two ingests at once" together "sqlite:$tmp/together.db"
export_to "sqlite:$tmp/together.db" "$tmp/together.jsonl"
check "sqlite: two ingests at once give the same database" same "$tmp/lite.jsonl" "$tmp/together.jsonl"
check "sqlite: hostile text round trips" hostile "sqlite:$tmp/hostile.db"
check "sqlite: the queries of docs/sql.md run" doc_queries sqlite3 -bail "$tmp/lite.db"
# Counts read as integers in the sqlite3 shell (REAL would print 2000000.0).
# Filings stored ahead of a slow one must leave the database input order
# gives: a later filing with the slow one's key is still the one skipped
# (with --force, the one that replaces it), and a byte-identical copy is
# still the one skipped (or, with --force, the one kept). A large filing
# first, small ones behind it.
key_filing() { # ACCESSION NAME SHARES [FILLER-LINES]
    printf '<SEC-DOCUMENT>%s.txt : 20070118\n<SEC-HEADER>%s.hdr.sgml : 20070118\nACCESSION NUMBER:\t\t%s\nCONFORMED SUBMISSION TYPE:\t8-K\nPUBLIC DOCUMENT COUNT:\t\t1\nFILED AS OF DATE:\t\t20070118\nFILER:\n\tCOMPANY DATA:\n\t\tCOMPANY CONFORMED NAME:\t\t\t%s\n\t\tCENTRAL INDEX KEY:\t\t\t0000000009\n</SEC-HEADER>\n<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<FILENAME>a.txt\n<TEXT>\nItem 8.01 Other Events.\n\nThe Company sold %s shares of its common stock at a price of $2.00 per share in a registered direct offering.\n' "$1" "$1" "$1" "$2" "$3"
    [ -z "${4:-}" ] || yes "Nothing in this line is a term of any offering at all." | head -n "$4"
    printf '</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n'
}
same_keys() {
    d=$tmp/keys
    mkdir -p "$d"
    key_filing 0000000009-26-000001 "Slow Co" 1,000,000 60000 >"$d/00-slow.txt"
    for n in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20; do
        key_filing "0000000009-26-0001$n" "Small $n" "$n,000" >"$d/$n-small.txt"
    done
    key_filing 0000000009-26-000001 "Later Co" 2,000,000 >"$d/21-same-key.txt"
    cp "$d/03-small.txt" "$d/22-same-bytes.txt"
    for mode in "" --force; do
        for j in 1 2; do
            rm -f "$tmp/keys$j.db"
            "$bin" ingest -q -j $j $mode --db "$tmp/keys$j.db" "$d" || return 1
            "$bin" export --db "$tmp/keys$j.db" >"$tmp/keys$j.jsonl" || return 1
        done
        same "$tmp/keys1.jsonl" "$tmp/keys2.jsonl" || return 1
        grep '"table":"filings"' "$tmp/keys2.jsonl" >"$tmp/keys.filings"
        # A filing is stored once: the first of a key stays, unless
        # --force makes the later one replace it.
        want=00-slow.txt
        [ -z "$mode" ] || want=21-same-key.txt
        grep -q "\"filing_key\":\"0000000009-26-000001\".*$want" "$tmp/keys.filings" ||
            { echo "  $mode: the filing kept under a shared key is not $want"; return 1; }
        want=03-small.txt
        [ -z "$mode" ] || want=22-same-bytes.txt
        grep -q "\"filing_key\":\"0000000009-26-000103\".*$want" "$tmp/keys.filings" ||
            { echo "  $mode: the copy kept is not $want"; return 1; }
    done
}
check "sqlite: filings stored ahead of a slow one keep input order's rows" same_keys

# Only filings are stored, each once: an EDGAR index page, an index
# listing, JSON (by content and by name) and a header without documents
# are skipped with their kinds in the summary; the .txt and .nc of one
# accession, and a submission with its primary document in
# sec-edgar-downloader's layout, are one filing each; a rerun stores
# nothing and says "already stored"; a submission found after its primary
# document replaces it.
kinds_dir() { # DIR PRIMARY-NAME: the inputs, the primary document named so
    d=$1
    sub=$root/fixtures/validate-sgml-html/input.txt
    acc=0009990007-21-000042
    dl=$d/sec-edgar-filings/0009990007/8-K/$acc
    mkdir -p "$dl" "$d/store"
    cp "$sub" "$dl/full-submission.txt"
    python3 - "$sub" "$dl/$2" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
start = data.index(b"<TEXT>\n") + 7
open(sys.argv[2], "wb").write(data[start:data.index(b"</TEXT>", start)])
PY
    cp "$root/fixtures/validate-plain-8k/input.txt" "$d/store/a.txt"
    sed 's/0009990007-21-000042/0009990008-21-000001/g' "$sub" >"$d/store/b.txt"
    { cat "$d/store/b.txt"; echo; } >"$d/store/b.nc"
    printf '<html><head><title>EDGAR Filing Documents for %s</title></head></html>\n' $acc >"$d/$acc-index.html"
    printf 'Description:           Daily Index of EDGAR Dissemination Feed by Form Type\nLast Data Received:    March 15, 2024\n' >"$d/form.idx"
    printf '{"filings": []}\n' >"$d/index.json"
    printf '  {"cik": "0009990007"}\n' >"$d/json-as.txt"
    printf '<SEC-HEADER>%s.hdr.sgml : 20210601\nACCESSION NUMBER:\t\t%s\n</SEC-HEADER>\n' $acc $acc >"$d/header-only.txt"
}
filings_once() {
    d=$tmp/kinds
    kinds_dir "$d" primary-document.html
    db=$tmp/kinds.db
    "$bin" ingest -j 2 --db "$db" "$d" >"$tmp/kinds.out" 2>&1 || { cat "$tmp/kinds.out"; return 1; }
    sed 's/^/  /' "$tmp/kinds.out" | head -2
    n=$(sqlite3 "$db" 'SELECT COUNT(*) FROM filings')
    [ "$n" = 3 ] || { echo "  $n filings stored, expected 3"; sqlite3 "$db" 'SELECT filing_key, source FROM filings'; return 1; }
    for want in "3 stored, 2 already stored, 0 failed, 5 not filings" \
        "EDGAR index page (1)" "EDGAR index listing (1)" "JSON document (2)" \
        "SEC header without documents (1)"; do
        grep -q "$want" "$tmp/kinds.out" || { echo "  no \"$want\""; return 1; }
    done
    [ "$(sqlite3 "$db" "SELECT dialect FROM filings WHERE filing_key = '0009990007-21-000042'")" = sec-document ] ||
        { echo "  the submission is not the one stored"; return 1; }
    "$bin" ingest --db "$db" "$d" >"$tmp/kinds2.out" 2>&1 || return 1
    grep -q ": 0 stored, 5 already stored, 0 failed, 5 not filings" "$tmp/kinds2.out" ||
        { echo "  rerun:"; cat "$tmp/kinds2.out"; return 1; }
    # The primary document first in name order: the submission replaces it.
    rm -rf "$d"
    kinds_dir "$d" 0-primary-document.html
    rm -f "$db"
    "$bin" ingest -j 1 --db "$db" "$d" >"$tmp/kinds3.out" 2>&1 || return 1
    [ "$(sqlite3 "$db" "SELECT dialect FROM filings WHERE filing_key = '0009990007-21-000042'")" = sec-document ] ||
        { echo "  the lone document was not replaced by its submission"; return 1; }
    [ "$(sqlite3 "$db" 'SELECT COUNT(*) FROM filings')" = 3 ]
}
check "sqlite: only filings are stored, each once" filings_once

int_counts() {
    types=$(sqlite3 "$tmp/lite.db" "SELECT DISTINCT typeof(shares_offered) FROM offerings WHERE shares_offered IS NOT NULL AND shares_offered = CAST(shares_offered AS INTEGER)")
    [ "$types" = integer ] || { echo "  typeof: $types"; return 1; }
    ! sqlite3 "$tmp/lite.db" "SELECT shares_offered FROM offerings" | grep -q '\.0$'
}
check "sqlite: share counts are integers" int_counts

# A Feed tarball is read in place, keeping its 8-K members.
feed_tarball() {
    tar -czf "$tmp/feed.nc.tar.gz" -C "$root/fixtures/fetch-mirror" feed-20240315 &&
        ingest "sqlite:$tmp/feed.db" "$tmp/feed.nc.tar.gz" &&
        n=$(sqlite3 "$tmp/feed.db" "SELECT COUNT(*) FROM filings WHERE source LIKE '%feed.nc.tar.gz:%'") &&
        [ "$n" -ge 1 ] && echo "  $n filings from the tarball"
}
check "sqlite: ingest a Feed tarball" feed_tarball

# Fetch selectors: a loopback mirror of fixtures/fetch-mirror; every
# fetched filing is ingested, and a rerun fetches and stores nothing new.
fetch_ingest() {
    port=$(pg_free_port)
    (cd "$root/fixtures/fetch-mirror" && exec python3 -m http.server --bind 127.0.0.1 "$port") \
        >/dev/null 2>&1 &
    srv=$!
    sleep 1
    ok=0
    # The second round declares itself through the config file, as fetch can.
    mkdir -p "$tmp/xdg/edgar8k"
    echo "user-agent = edgar8k-test test@example.com" >"$tmp/xdg/edgar8k/config"
    for round in 1 2; do
        if [ $round = 1 ]; then set -- --user-agent "edgar8k-test test@example.com"; else set --; fi
        env -u EDGAR8K_USER_AGENT XDG_CONFIG_HOME="$tmp/xdg" \
            "$bin" ingest --db "sqlite:$tmp/fetch.db" --store "$tmp/fstore" --cik 1000001 \
            "$@" --rate 10 \
            --base-url "http://127.0.0.1:$port" >"$tmp/fetch.out" 2>&1 || ok=1
        sed 's/^/  /' "$tmp/fetch.out" | head -1
    done
    kill $srv 2>/dev/null; wait $srv 2>/dev/null
    grep -q ' 0 stored, [1-9][0-9]* already stored' "$tmp/fetch.out" || ok=1
    return $ok
}
check "sqlite: ingest what --cik fetches (loopback mirror)" fetch_ingest

exits() { # CODE CMD...: the command exits with CODE
    want=$1; shift
    "$@" >/dev/null 2>&1
    got=$?
    [ "$got" -eq "$want" ] || { echo "  exit $got, expected $want"; return 1; }
}
check "export of a missing database exits 8" exits 8 "$bin" export --db "$tmp/none.db"
check "ingest into a database it cannot open exits 8" \
    exits 8 "$bin" ingest --db "$tmp/no/such/dir.db" "$root/fixtures/parse-pem"
check "ingest with a bad option exits 2" exits 2 "$bin" ingest --no-such-option x
check "ingest with a bad --rate exits 2" \
    exits 2 "$bin" ingest --db "$tmp/rate.db" --store "$tmp/fs" --cik 320193 \
    --rate fast
check "export --format xml exits 2" exits 2 "$bin" export --db "$lite" --format xml
for j in 0 2x 1.5 -1; do
    check "ingest -j $j exits 2" exits 2 "$bin" ingest -j "$j" --db "$tmp/j.db" "$root/fixtures/parse-pem"
done
check "ingest -j 1000 (above the limit) exits 2" \
    exits 2 "$bin" ingest -j 1000 --db "$tmp/j.db" "$root/fixtures/parse-pem"
no_user_agent() { # fetching with no User-Agent anywhere: exit 2 and the how-to
    env -u EDGAR8K_USER_AGENT XDG_CONFIG_HOME="$tmp/no-config" \
        "$bin" ingest --db "$tmp/ua.db" --store "$tmp/ua" --cik 1000001 \
        --base-url http://127.0.0.1:9 >"$tmp/ua.out" 2>&1
    rc=$?
    [ $rc -eq 2 ] || { echo "  exit $rc, expected 2"; return 1; }
    for needle in --user-agent EDGAR8K_USER_AGENT config "Name email@domain"; do
        grep -q -- "$needle" "$tmp/ua.out" || { echo "  no \"$needle\" in:"; cat "$tmp/ua.out"; return 1; }
    done
    [ ! -e "$tmp/ua" ] && [ ! -e "$tmp/ua.db" ] ||
        { echo "  the store or the database was created"; return 1; }
}
check "ingest fetching without a User-Agent exits 2 with the how-to" no_user_agent

# ---- PostgreSQL ----------------------------------------------------------------
if pg_start; then
    check "postgres: ingest $src (-j 2)" ingest "$PG_URL" -j 2 "$src"
    export_to "$PG_URL" "$tmp/pg.jsonl"
    check "postgres and sqlite hold the same rows" same "$tmp/lite.jsonl" "$tmp/pg.jsonl"
    "$bin" export --db "$PG_URL" --format csv >"$tmp/pg.csv"
    "$bin" export --db "$lite" --format csv >"$tmp/lite.csv"
    check "postgres and sqlite export the same offerings CSV" same "$tmp/lite.csv" "$tmp/pg.csv"
    check "postgres: ingest again" ingest "$PG_URL" -j 2 "$src"
    export_to "$PG_URL" "$tmp/pg2.jsonl"
    check "postgres: ingesting twice gives the same database" same "$tmp/pg.jsonl" "$tmp/pg2.jsonl"
    check "postgres: the queries of docs/sql.md run" \
        doc_queries "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$PG_URL"
    pg_reset
    echo "  SIGKILL rounds into PostgreSQL:"
    kill_rounds "$PG_URL"
    export_to "$PG_URL" "$tmp/pgk.jsonl"
    check "postgres: killed and rerun gives the same database" same "$tmp/lite.jsonl" "$tmp/pgk.jsonl"
    pg_reset
    check "postgres: two ingests at once" together "$PG_URL"
    export_to "$PG_URL" "$tmp/pgt.jsonl"
    check "postgres: two ingests at once give the same database" same "$tmp/lite.jsonl" "$tmp/pgt.jsonl"
    pg_reset
    check "postgres: four ingests at once, one killed and rerun" four_at_once "$PG_URL"
    export_to "$PG_URL" "$tmp/pg4.jsonl"
    check "postgres: four ingests at once give one uninterrupted ingest's database" \
        same "$tmp/pg.jsonl" "$tmp/pg4.jsonl"
    pg_reset
    check "postgres: hostile text round trips" hostile "$PG_URL"
    pg_reset
    if [ -x "$unit" ]; then
        check "postgres: store unit tests" sh -c \
            "E8K_PG_URL='$PG_URL' E8K_ROOT='$root' '$unit' --filter 'store*/*' --jobs 1 >'$tmp/unit.log' 2>&1 || { tail -20 '$tmp/unit.log'; exit 1; }"
    fi
    pg_stop
else
    fail "postgres: the server could not be started"
fi

echo "store: $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
