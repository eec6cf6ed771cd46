# SPDX-License-Identifier: MIT
"""tests/fetch/test_select.py: which filings `edgar8k fetch` selects, against
the loopback mirrors (harness.py): full-text search (searchserver.py over
fixtures/fetch-search: several pages, a year over the 10,000-hit cap), 8-K
items (from the submissions JSON and search hits before download, from the
header after it), --limit, several companies at once, and --print feeding
`edgar8k ingest`. Run by test_fetch.py, which starts the servers."""
import os, re, subprocess, time

from harness import (FIXTURE, UA, busiest_second, check_store, fetch_ok, mirror_txt,  # noqa: E402
                     nodash, store_files)
import search_corpus  # noqa: E402

TESTS = []
SPEC, FILINGS = search_corpus.load()
EIGHT_K = ("8-K", "8-K/A")


def test(fn):
    TESTS.append(fn)
    return fn


def search_args(env, *args):
    return ["--efts-url", env.search_url, "--base-url", env.nginx_url, "--rate", "10"] + list(args)


def found(q, since, until, items=None, ciks=None):
    """The filings a search for q must select: its hits (each filing once)
    of the default forms, within the dates, the companies and the items."""
    out = {}
    for f, _, _ in search_corpus.hits(FILINGS, q):
        if (f.form in EIGHT_K and since <= f.date <= until and (not ciks or f.cik in ciks)
                and (not items or set(items) & set(f.items))):
            out[f.accession] = f
    return sorted(out.values(), key=lambda f: (f.date, f.accession))


def stored_as(env, filings):
    return [(f.cik, f.accession, os.path.join(env.www, f.path())) for f in filings]


def archive_requests(env, t):
    return [u for ts, _, u in env.access_log() if ts >= t and u.startswith("/Archives/")]


def pages_complete(reqs, start, end):
    """Every page of the window start..end asked for once, none past the cap."""
    win = [e for e in reqs if e["startdt"] == start and e["enddt"] == end]
    assert win, "no request for %s..%s" % (start, end)
    matched = win[0]["matched"]
    froms = sorted(e["from"] for e in win)
    assert froms == list(range(0, matched, 100)), "%s..%s: pages %s of %d hits" % (start, end, froms, matched)
    assert sum(e["returned"] for e in win) == matched, "%s..%s: hits not all read" % (start, end)
    return matched


def search_items(env, name, q, since, until, items, **kw):
    """Fetches what a search with --items selects into a new store."""
    store, t = env.store(name), time.time()
    r, s = fetch_ok(env, search_args(env, "--search", q, "--since", since, "--until", until,
                                     "--items", items, "--store", store), **kw)
    return store, t, r, s


# ---- full-text search ------------------------------------------------------------

@test
def search_pages_dates_and_items(env):
    q, since, until = '"registered direct offering"', "2024-03-01", "2024-09-30"
    want = found(q, since, until, items=["3.02"])
    store, t, r, s = search_items(env, "search-items", q, since, until, "3.02")
    check_store(store, stored_as(env, want))
    reqs = env.search_requests(t)
    matched = pages_complete(reqs, since, until)
    assert matched > 200 and len(reqs) == (matched + 99) // 100, (matched, len(reqs))
    assert all(e["forms"] == "8-K,8-K/A" and e["q"] == q and e["ua"] == UA for e in reqs), reqs[0]
    # The items were known from the hits: nothing else was downloaded.
    got = archive_requests(env, t)
    assert sorted(got) == sorted("/" + f.path() for f in want), got
    assert s["stored"] == len(want) >= 10, s
    return "%d hits in %d pages, %d filings stored" % (matched, len(reqs), len(want))


@test
def search_over_the_cap_split(env):
    q, since, until = "shelf takedown", "2023-01-01", "2023-12-31"
    want = found(q, since, until, items=["3.02"])
    store, t, r, s = search_items(env, "search-cap", q, since, until, "3.02", timeout=300)
    assert re.search(r"full-text search: 2023-01-01 to 2023-12-31 matches at least 10000 documents.*"
                     r"split into 2023-01-01 to 2023-07-02 and 2023-07-03 to 2023-12-31", r.stderr), r.stderr
    reqs = env.search_requests(t)
    whole = [e for e in reqs if e["startdt"] == since and e["enddt"] == until]
    assert len(whole) == 1 and whole[0]["from"] == 0 and whole[0]["matched"] > 10000, whole
    assert not [e for e in reqs if e["returned"] < 0], "asked for a page past the cap"
    windows = sorted({(e["startdt"], e["enddt"]) for e in reqs} - {(since, until)})
    assert windows == [("2023-01-01", "2023-07-02"), ("2023-07-03", "2023-12-31")], windows
    total = sum(pages_complete(reqs, a, b) for a, b in windows)
    assert total == whole[0]["matched"], (total, whole[0]["matched"])
    check_store(store, stored_as(env, want))
    assert len(want) >= 10 and s["stored"] == len(want), (len(want), s)
    # one limiter paces the search and the filings, on their two hosts
    both = [e["t"] for e in reqs] + [ts for ts, _, _ in env.access_log() if ts >= t]
    peak = busiest_second(both)
    assert peak <= 10, "the two servers saw %d requests in one second" % peak
    return "%d hits, %d requests, %d filings stored" % (total, len(reqs), len(want))


@test
def search_companies_and_limit(env):
    q, since, until = "registered direct", "2024-01-01", "2024-12-31"
    ciks = ["2000002", "2000004"]
    want = found(q, since, until, ciks=ciks)[-4:]
    t = time.time()
    r, s = fetch_ok(env, search_args(env, "--search", q, "--since", since, "--until", until,
                                     "--cik", ",".join(ciks), "--limit", "4", "--dry-run"))
    got = [l.split("\t") for l in r.stdout.splitlines()]
    assert [(g[0], g[1]) for g in got] == [(f.cik, f.accession) for f in want], (got, want)
    assert got[0][4] in ("ORCHARD LANE THERAPEUTICS CORP", "QUARRY HILL MINING LTD"), got[0]
    reqs = env.search_requests(t)
    assert reqs and all(e["ciks"] == "0002000002,0002000004" for e in reqs), reqs[:1]


@test
def search_needs_a_query(env):
    r = env.run(search_args(env, "--search", "  ", "--dry-run"))
    assert r.returncode == 2 and "--search: the query is empty" in r.stderr, r.stderr
    r = env.run(search_args(env, "--search", "x", "--quarter", "2024-Q1", "--dry-run"))
    assert r.returncode == 2 and "exactly one" in r.stderr, r.stderr


# ---- 8-K items --------------------------------------------------------------------

@test
def items_from_the_submissions_json(env):
    store = env.store("items-cik")
    t = time.time()
    r, s = fetch_ok(env, ["--cik", "1000001", "--items", "1.01", "--store", store, "--base-url", env.nginx_url])
    want = [("1000001", a) for a in ("0001000001-24-000004", "0001000001-18-000007")]
    check_store(store, [(c, a, mirror_txt(c, a)) for c, a in want])
    got = archive_requests(env, t)
    assert sorted(got) == sorted("/Archives/edgar/data/%s/%s/%s.txt" % (c, nodash(a), a)
                                 for c, a in want), got


@test
def items_from_the_header_after_download(env):
    store = env.store("items-day")
    r, s = fetch_ok(env, ["--date", "2024-03-15", "--items", "3.02", "--store", store, "--base-url",
                          env.nginx_url])
    want = [("1000001", "0001000001-24-000004"), ("1000003", "0001193125-24-000101")]
    check_store(store, [(c, a, mirror_txt(c, a)) for c, a in want])
    assert s["stored"] == 2 and "1 read but stating none of --items: not stored" in r.stderr, r.stderr
    r, s = fetch_ok(env, ["--date", "2024-03-15", "--items", "3.02", "--store", store, "--base-url",
                          env.nginx_url])
    assert s["present"] == 2 and s["stored"] == 0, s
    r = env.run(["--date", "2024-03-15", "--items", "3.02", "--dry-run", "--base-url", env.nginx_url])
    assert r.returncode == 2 and "not in a dry run" in r.stderr, r.stderr
    r = env.run(["--date", "2024-03-15", "--items", "3.2", "--store", store, "--base-url", env.nginx_url])
    assert r.returncode == 2 and '"3.2" is not an 8-K item number' in r.stderr, r.stderr


@test
def items_of_feed_members(env):
    store = env.store("items-feed")
    r, s = fetch_ok(env, ["--feed", "2024-03-15", "--items", "7.01", "--store", store, "--base-url",
                          env.nginx_url])
    feed = os.path.join(FIXTURE, "feed-20240315")
    check_store(store, [("1000002", "0001000002-24-000001",
                         os.path.join(feed, "000100000224000001.nc"))], ext="nc")
    assert s["stored"] == 1 and "2 read but stating none of --items" in r.stderr, r.stderr
    before = len(env.access_log())
    r, s = fetch_ok(env, ["--feed", "2024-03-15", "--items", "7.01", "--store", store, "--base-url",
                          env.nginx_url])
    assert s["present"] == 1 and len(env.access_log()) == before, "the day was downloaded again"
    # Another set of items is another selection: the tarball is read again.
    r, s = fetch_ok(env, ["--feed", "2024-03-15", "--items", "3.02", "--store", store, "--base-url",
                          env.nginx_url])
    assert s["stored"] == 2 and s["requests"] == 1, s


# ---- --limit ----------------------------------------------------------------------

@test
def limit_keeps_the_latest(env):
    store = env.store("limit-cik")
    r, s = fetch_ok(env, ["--cik", "1000001", "--limit", "2", "--store", store, "--base-url", env.nginx_url])
    want = [("1000001", a) for a in ("0001000001-24-000004", "0001000001-24-000002")]
    check_store(store, [(c, a, mirror_txt(c, a)) for c, a in want])
    # With items only the headers tell, the newest first until one states 9.01.
    store = env.store("limit-qtr")
    r, s = fetch_ok(env, ["--quarter", "2024-Q1", "--items", "9.01", "--limit", "1", "--store", store,
                          "--base-url", env.nginx_url])
    check_store(store, [("1000002", "0001000002-24-000001",
                         mirror_txt("1000002", "0001000002-24-000001"))])
    assert s["stored"] == 1 and "1 read but stating none of --items" in r.stderr, r.stderr
    r = env.run(["--cik", "1000001", "--limit", "0", "--dry-run", "--base-url", env.nginx_url])
    assert r.returncode == 2 and "--limit" in r.stderr, r.stderr


# ---- several companies -------------------------------------------------------------

@test
def several_companies_one_unknown(env):
    store = env.store("companies")
    listing = os.path.join(env.tmp, "ciks.txt")
    with open(listing, "w") as f:
        f.write("# the companies of the test\n1000003\n\n")
    r = env.run(["--cik", "1000002", "--cik", "999999", "--cik", "@" + listing, "--ticker", "ACMW,NOPE",
                 "--since", "2024-01-01", "--store", store, "--base-url", env.nginx_url])
    assert r.returncode == 2, "exit %d: %s" % (r.returncode, r.stderr)
    want = [("1000002", "0001000002-24-000001"), ("1000003", "0001193125-24-000101"),
            ("1000003", "0001000003-24-000001"), ("1000001", "0001000001-24-000004"),
            ("1000001", "0001000001-24-000002")]
    check_store(store, [(c, a, mirror_txt(c, a)) for c, a in want])
    lines = r.stderr.splitlines()
    about = [l for l in lines if "999999" in l]
    assert about == ["edgar8k fetch: unknown company: CIK 999999: EDGAR has no filings of it "
                     "(%s/submissions/CIK0000999999.json: HTTP 404)" % env.nginx_url], lines
    assert [l for l in lines if "NOPE" in l] == [
        "edgar8k fetch: unknown company: ticker NOPE: not listed in company_tickers.json"], lines
    assert "network error" not in r.stderr and len(lines) == 3, lines
    r = env.run(["--cik", "1000002,x1", "--dry-run", "--base-url", env.nginx_url])
    assert r.returncode == 2 and '"x1" is not a CIK' in r.stderr, r.stderr


# ---- --print into ingest -------------------------------------------------------------

@test
def print_chains_into_ingest(env):
    store = env.store("print")
    db = os.path.join(env.tmp, "print.db")
    paths = os.path.join(env.tmp, "printed")
    fetch = " ".join("'%s'" % a for a in env.fetch_cmd(["--cik", "1000001", "--store", store, "--print",
                                                         "--base-url", env.nginx_url, "-q"]))
    cmd = "%s | tee '%s' | '%s' ingest --db '%s' --files-from -" % (fetch, paths, env.bin, db)
    for round_ in (1, 2):
        r = subprocess.run(["bash", "-c", "set -o pipefail; " + cmd], env=env.fetch_env(),
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, "exit %d: %s" % (r.returncode, r.stderr[-1500:])
        with open(paths) as f:
            printed = f.read().splitlines()
        stored = sorted(os.path.join(store, p) for p in store_files(store)
                        if p.endswith(".txt") and not p.startswith("."))
        assert sorted(printed) == stored and len(stored) == 5, (printed, stored)
        want = "5 stored, 0 already stored" if round_ == 1 else "0 stored, 5 already stored"
        assert want in r.stdout, r.stdout
    r = subprocess.run(env.fetch_cmd(["--cik", "1000002", "--store", store, "--print", "--base-url",
                                      env.nginx_url]), env=env.fetch_env(), stdout=open("/dev/full", "w"),
                       stderr=subprocess.PIPE, text=True, timeout=60)
    assert r.returncode == 5 and "cannot write standard output" in r.stderr, (r.returncode, r.stderr)
    r = env.run(["--cik", "1000002", "--print", "--dry-run", "--base-url", env.nginx_url])
    assert r.returncode == 2 and "--print" in r.stderr, r.stderr
