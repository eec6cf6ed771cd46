#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Integration tests of `edgar8k fetch` against a loopback nginx mirror of
EDGAR, a fault-injecting server and a full-text search mirror (see
harness.py; what is selected is tested in test_select.py). Prints one line
per test and closes with "N passed, N failed"; exits non-zero on failure.
Usage: E8K_BIN=build/edgar8k python3 tests/fetch/test_fetch.py [NAME...]"""
import json, os, random, re, signal, subprocess, sys, time, traceback, urllib.error, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (Env, FIXTURE, UA, busiest_second, check_store, corpus_submissions, fetch_ok,  # noqa: E402
                     mirror_txt, nodash, sha256, store_files, summary_counts, synthetic_day)

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


CIK1 = [("1000001", a) for a in ("0001000001-24-000004", "0001000001-24-000002", "0001000001-23-000009",
                                  "0001000001-19-000005", "0001000001-18-000007")]
DAY = [("1000001", "0001000001-24-000004"), ("1000002", "0001000002-24-000001"),
       ("1000003", "0001193125-24-000101")]
QTR = DAY + [("1000001", "0001000001-24-000002"), ("1000003", "0001000003-24-000001")]
FAULT_CIK, FAULT_ACC = "1000001", "0001000001-24-000004"
FAULT_PATH = "Archives/edgar/data/%s/%s/%s.txt" % (FAULT_CIK, nodash(FAULT_ACC), FAULT_ACC)


# ---- user agent and options -------------------------------------------------

@test
def no_user_agent_refused(env):
    r = env.run(["--cik", "1000001", "--store", env.store("ua"), "--base-url", env.nginx_url], ua=False)
    assert r.returncode == 2, r.returncode
    for needle in ("--user-agent", "EDGAR8K_USER_AGENT", "config", "Name email@domain"):
        assert needle in r.stderr, "message lacks %s: %s" % (needle, r.stderr)
    assert not os.path.exists(env.store("ua"))
    r = env.run(["--cik", "1", "--user-agent", "robot", "--base-url", env.nginx_url], ua=False)
    assert r.returncode == 2 and "Name email@domain" in r.stderr


@test
def user_agent_from_env_and_config(env):
    args = ["--accession", FAULT_ACC, "--cik", FAULT_CIK, "--dry-run", "--base-url", env.fault_url + "/ok/0"]
    r = env.run(args, ua=False, env={"EDGAR8K_USER_AGENT": UA})
    assert r.returncode == 0, r.stderr
    conf = os.path.join(env.tmp, "xdg")
    os.makedirs(os.path.join(conf, "edgar8k"))
    with open(os.path.join(conf, "edgar8k", "config"), "w") as f:
        f.write("# edgar8k\nuser-agent = Config Person config@example.com\n")
    r = env.run(args, ua=False, env={"XDG_CONFIG_HOME": conf})
    assert r.returncode == 0, r.stderr


@test
def rate_above_ten_refused(env):
    r = env.run(["--cik", "1000001", "--dry-run", "--rate", "11", "--base-url", env.nginx_url])
    assert r.returncode == 2 and "at most 10" in r.stderr, r.stderr
    r = env.run(["--cik", "1000001", "--quarter", "2024-Q1", "--dry-run", "--base-url", env.nginx_url])
    assert r.returncode == 2 and "exactly one" in r.stderr, r.stderr


# ---- the mirror ----------------------------------------------------------------

@test
def by_cik_with_paged_history(env):
    store = env.store("cik")
    r, s = fetch_ok(env, ["--cik", "1000001", "--store", store, "--base-url", env.nginx_url, "--rate", "10"])
    check_store(store, [(c, a, mirror_txt(c, a)) for c, a in CIK1])
    assert s["stored"] == 5 and s["requests"] == 7, s  # JSON, its page, 5 filings
    before = len(env.access_log())
    r, s = fetch_ok(env, ["--cik", "1000001", "--store", store, "--base-url", env.nginx_url])
    assert s["stored"] == 0 and s["present"] == 5, s
    again = [u for _, _, u in env.access_log()[before:] if "/Archives/" in u]
    assert not again, "rerun fetched %s" % again


@test
def damaged_file_fetched_again(env):
    store = env.store("cik")  # filled by by_cik_with_paged_history
    path = os.path.join(store, "1000001", "000100000123000009", "0001000001-23-000009.txt")
    with open(path, "ab") as f:
        f.write(b"tampered")
    r, s = fetch_ok(env, ["--cik", "1000001", "--store", store, "--base-url", env.nginx_url])
    assert s["stored"] == 1 and s["present"] == 4, s
    check_store(store, [(c, a, mirror_txt(c, a)) for c, a in CIK1])


@test
def server_down_reported(env):
    from harness import free_port
    store = env.store("down")
    t = time.time()
    r = env.run(["--accession", FAULT_ACC, "--cik", FAULT_CIK, "--store", store, "--retries", "2",
                 "--backoff-ms", "50", "--base-url", "http://127.0.0.1:%d" % free_port()])
    assert r.returncode == 7 and "gave up after 3 tries" in r.stderr, r.stderr
    assert time.time() - t < 10
    assert_nothing(os.path.join(store, FAULT_CIK))


@test
def by_ticker(env):
    store = env.store("ticker")
    fetch_ok(env, ["--ticker", "acmw", "--since", "2023-01-01", "--store", store, "--base-url", env.nginx_url])
    check_store(store, [(c, a, mirror_txt(c, a)) for c, a in CIK1 if "-2" in a])


@test
def data_url_separate(env):
    # Submissions JSON from one server (data.sec.gov's role), filings from another.
    store = env.store("data-url")
    t = time.time()
    fetch_ok(env, ["--cik", "1000002", "--store", store, "--base-url", env.nginx_url,
                   "--data-url", env.fault_url + "/ok/0"])
    got = [e["path"] for e in env.fault_requests("ok") if e["t"] >= t]
    assert got == ["submissions/CIK0001000002.json"], got
    check_store(store, [("1000002", "0001000002-24-000001", mirror_txt("1000002", "0001000002-24-000001"))])


@test
def by_daily_index(env):
    store = env.store("day")
    r, s = fetch_ok(env, ["--date", "2024-03-15", "--store", store, "--base-url", env.nginx_url])
    check_store(store, [(c, a, mirror_txt(c, a)) for c, a in DAY])
    with open(os.path.join(store, "1000002", "000100000224000001", "0001000002-24-000001.json")) as f:
        assert json.load(f)["company"].endswith("INCORPORATED LP"), "overflowing name misread"
    with open(os.path.join(store, "1000003", "000119312524000101", "0001193125-24-000101.json")) as f:
        assert json.load(f)["company"] == "CAF\u00c9 SOCI\u00c9T\u00c9 SA", "Latin-1 name misread"
    before = len(env.access_log())
    r, s = fetch_ok(env, ["--date", "2024-03-15", "--store", store, "--base-url", env.nginx_url])
    assert s["stored"] == 0 and s["present"] == 3 and s["requests"] == 1, s
    # The index is asked for again, but only "if changed": a bodiless 304.
    assert [st for _, st, _ in env.access_log()[before:]] == [304], env.access_log()[before:]


@test
def by_quarter_index(env):
    store = env.store("qtr")
    r, s = fetch_ok(env, ["--quarter", "2024-Q1", "--store", store, "--base-url", env.nginx_url])
    check_store(store, [(c, a, mirror_txt(c, a)) for c, a in QTR])
    r, s = fetch_ok(env, ["--quarter", "2024-Q1", "--store", store, "--base-url", env.nginx_url])
    assert s["stored"] == 0 and s["present"] == 5, s


@test
def by_accession(env):
    store = env.store("acc")
    fetch_ok(env, ["--accession", "000119312524000101", "--cik", "1000003", "--store", store,
                   "--base-url", env.nginx_url])
    check_store(store, [("1000003", "0001193125-24-000101", mirror_txt("1000003", "0001193125-24-000101"))])
    with open(os.path.join(store, "1000003", "000119312524000101", "0001193125-24-000101.json")) as f:
        e = json.load(f)
    assert e["form"] == "8-K" and e["filed"] == "2024-03-15", e


@test
def by_feed_tarball(env):
    store = env.store("feed")
    r, s = fetch_ok(env, ["--feed", "2024-03-15", "--store", store, "--base-url", env.nginx_url])
    feed = os.path.join(FIXTURE, "feed-20240315")
    check_store(store, [(c, a, os.path.join(feed, nodash(a) + ".nc")) for c, a in DAY], ext="nc")
    assert s["stored"] == 3 and s["requests"] == 1, s
    marks = [f for f in store_files(store) if f.startswith(".feeds/")]
    assert len(marks) == 1, "no feed marker: %s" % marks
    before = len(env.access_log())
    r, s = fetch_ok(env, ["--feed", "2024-03-15", "--store", store, "--base-url", env.nginx_url])
    assert s["stored"] == 0 and s["present"] == 3 and s["requests"] == 0, s
    assert len(env.access_log()) == before, "rerun downloaded the tarball again"
    # A filing gone from the store sends the next run back to the tarball.
    os.unlink(os.path.join(store, "1000002", "000100000224000001", "0001000002-24-000001.nc"))
    r, s = fetch_ok(env, ["--feed", "2024-03-15", "--store", store, "--base-url", env.nginx_url])
    assert s["stored"] == 1 and s["present"] == 2 and s["requests"] == 1, s
    check_store(store, [(c, a, os.path.join(feed, nodash(a) + ".nc")) for c, a in DAY], ext="nc")


@test
def dry_run_lists_and_stores_nothing(env):
    store = env.store("dry")
    r, s = fetch_ok(env, ["--quarter", "2024Q1", "--form", "8-K/A", "--store", store, "--dry-run",
                          "--base-url", env.nginx_url])
    lines = r.stdout.splitlines()
    assert len(lines) == 2 and all(len(l.split("\t")) == 6 for l in lines), r.stdout
    assert {l.split("\t")[1] for l in lines} == {"0001000001-24-000002", "0001000003-24-000001"}
    assert not store_files(store), "dry run wrote files"


# ---- pacing shared between processes ----------------------------------------

def nginx_since(env, t):
    return [(ts, st, u) for ts, st, u in env.access_log() if ts >= t]


RATE_HOSTS = 8  # E8K_RATE_HOSTS


def host_key(url):
    """The key fetch_http.c gives a URL's host ("name:port", FNV-1a)."""
    from urllib.parse import urlsplit
    u = urlsplit(url)
    h = 14695981039346656037
    for c in ("%s:%d" % (u.hostname, u.port or (443 if u.scheme == "https" else 80))).encode():
        h = ((h ^ c) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h or 1


def write_rate_state(env, nxt, pause_start, pause_until, host=None):
    """The shared state as fetch_rate.c writes it (times in seconds): the
    next slot, and a pause of `host` (a URL) when one is given."""
    os.makedirs(os.path.dirname(env.rate_file), exist_ok=True)
    us = [max(0, int(v * 1e6)) for v in (nxt, pause_start, pause_until)]
    slots = [(host_key(host) if host else 0, us[1], us[2])] + [(0, 0, 0)] * (RATE_HOSTS - 1)
    with open(env.rate_file, "w") as f:
        f.write("e8k-rate 2 %020d" % us[0] + "".join(" %016x %020d %020d" % s for s in slots) + "\n")


def read_rate_next(env):
    with open(env.rate_file) as f:
        return int(f.read().split()[2]) / 1e6


@test
def shared_rate_concurrent_processes(env):
    # Three processes each allowed 10/s would together send 30/s; sharing
    # one state file they must stay within the SEC's 10/s as nginx sees it.
    days = [("1999991", "2024-06-10"), ("1999992", "2024-06-11"), ("1999993", "2024-06-12")]
    accs = {cik: synthetic_day(env, cik, day, 20) for cik, day in days}
    t0 = time.time()
    procs = [env.start(["--date", day, "--store", env.store("shared-" + cik), "--base-url", env.nginx_url,
                        "--rate", "10", "--parallel", "4"]) for cik, day in days]
    outs = [p.communicate(timeout=90) for p in procs]
    for (cik, _), p, (_, err) in zip(days, procs, outs):
        assert p.returncode == 0, "exit %d: %s" % (p.returncode, err[-1500:])
        s = summary_counts(err)
        assert s["stored"] == 20 and s["r429"] == 0, s
    log = nginx_since(env, t0)
    assert len(log) == 63, "nginx saw %d requests, not 63" % len(log)
    bad = [u for _, st, u in log if st == 429]
    assert not bad, "nginx answered 429: %s" % bad[:3]
    peak = busiest_second([t for t, _, _ in log])
    assert peak <= 10, "nginx saw %d requests in one second" % peak
    # The three ran side by side, or this proved nothing.
    spans = [[t for t, _, u in log if "/%s/" % cik in u or ".%s.idx" % day.replace("-", "") in u]
             for cik, day in days]
    assert max(sp[0] for sp in spans) < min(sp[-1] for sp in spans), "the processes did not overlap"
    return "63 requests, at most %d in a second" % peak


@test
def shared_rate_pause_spreads(env):
    # A 429 (Retry-After: 2) seen by one process holds back another that
    # starts during the pause on the same host (the fault server), and
    # only there: a third fetching from another host (nginx) goes on.
    t0 = time.time()
    a = env.start(["--accession", FAULT_ACC, "--cik", FAULT_CIK, "--store", env.store("pause-a"),
                   "--base-url", env.fault_url + "/429/1"])
    deadline = time.time() + 10
    while not [e for e in env.fault_requests("429") if e["t"] >= t0 and e["action"] == "429"]:
        assert time.time() < deadline and a.poll() is None, "no 429 was served"
        time.sleep(0.02)
    t429 = [e for e in env.fault_requests("429") if e["t"] >= t0 and e["action"] == "429"][0]["t"]
    tb = time.time()
    other = env.run(["--accession", "0001000002-24-000001", "--cik", "1000002", "--store",
                     env.store("pause-b"), "--base-url", env.nginx_url])
    assert other.returncode == 0, other.stderr
    first_other = nginx_since(env, tb)[0][0]
    assert first_other < t429 + 1.0, "another host held back %.2f s after the 429" % (first_other - t429)
    assert "another edgar8k process" not in other.stderr, other.stderr
    tc = time.time()
    same = env.run(["--accession", "0001000002-24-000001", "--cik", "1000002", "--store",
                    env.store("pause-c"), "--base-url", env.fault_url + "/ok/0"])
    assert same.returncode == 0, same.stderr
    _, err = a.communicate(timeout=30)
    assert a.returncode == 0, err
    first_same = [e for e in env.fault_requests("ok") if e["t"] >= tc][0]["t"]
    assert first_same >= t429 + 1.5, "the same host asked %.2f s after the 429" % (first_same - t429)
    assert re.search(r"another edgar8k process of this user was asked by 127.0.0.1 to slow down.*"
                     r"pausing transfers to 127.0.0.1", same.stderr), same.stderr
    return "same host held back %.1f s, another host %.1f s" % (first_same - t429, first_other - t429)


@test
def shared_rate_stale_state_bounded(env):
    # The fault server, not nginx: overwriting the state also drops the
    # slots of the runs before, which could then outrun nginx's limit.
    args = ["--accession", "0001000002-24-000001", "--cik", "1000002", "--base-url", env.fault_url + "/ok/0",
            "--max-retry-after", "1", "--block-pause", "1"]
    now = time.time()
    absurd = [(now + 1e9, 0, 0),            # a slot in 30 years: a clock set back, or garbage
              (0, now, now + 1e9),          # a pause longer than any server asks for
              (0, now + 1e6, now + 2e6),    # a pause that starts in the future
              (0, now, now + 500)]          # a plausible pause, longer than ours would be
    for i, state in enumerate(absurd):
        write_rate_state(env, *state, host=env.fault_url)
        t = time.time()
        fetch_ok(env, args + ["--store", env.store("stale-%d" % i)])
        took = time.time() - t
        assert took < (2.5 if i == 3 else 1.5), "state %s stalled the fetch %.1f s" % (i, took)
        assert abs(read_rate_next(env) - time.time()) < 5, "state %d not repaired" % i
    with open(env.rate_file, "w") as f:
        f.write("not a rate file\n")
    fetch_ok(env, args + ["--store", env.store("stale-garbage")])
    # A slot another process reserved two seconds ahead is honoured.
    t = time.time()
    write_rate_state(env, t + 2, 0, 0)
    fetch_ok(env, args + ["--store", env.store("stale-ahead")])
    first = [e for e in env.fault_requests("ok") if e["t"] >= t][0]["t"]
    assert first >= t + 1.9, "reserved slot ignored: asked after %.2f s" % (first - t)


@test
def shared_rate_lock_held_not_hung(env):
    # A holder that never lets go (a stopped process) costs a bounded wait,
    # then the fetch paces itself alone and says so.
    import fcntl
    os.makedirs(os.path.dirname(env.rate_file), exist_ok=True)
    fd = os.open(env.rate_file, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        t = time.time()
        r, s = fetch_ok(env, ["--accession", "0001000002-24-000001", "--cik", "1000002", "--base-url",
                              env.fault_url + "/ok/0", "--store", env.store("locked")])
        took = time.time() - t
    finally:
        os.close(fd)
    assert 4.5 < took < 10, "took %.1f s" % took
    assert re.search(r"warning: rate limit not shared.*locked by another process", r.stderr), r.stderr


@test
def shared_rate_unusable_state_falls_back(env):
    blocker = os.path.join(env.tmp, "not-a-dir")
    with open(blocker, "w") as f:
        f.write("x")
    # Unshared runs go to the fault server: back to back they could
    # outrun nginx's limit, which would say nothing about the fallback.
    args = ["--accession", "0001000002-24-000001", "--cik", "1000002", "--base-url", env.fault_url + "/ok/0"]
    r = env.run(args + ["--store", env.store("unshared")], env={"E8K_RATE_FILE": os.path.join(blocker, "rate")})
    assert r.returncode == 0, r.stderr
    assert "warning: rate limit not shared" in r.stderr and "not-a-dir" in r.stderr, r.stderr
    assert summary_counts(r.stderr)["stored"] == 1, r.stderr
    # -q keeps the warning: it is no failure, but it matters.
    r = env.run(args + ["--store", env.store("unshared-q"), "-q"], env={"E8K_RATE_FILE": os.path.join(blocker, "r")})
    assert r.returncode == 0 and "warning: rate limit not shared" in r.stderr, r.stderr
    # Without E8K_RATE_FILE the state goes to $XDG_RUNTIME_DIR, private.
    run = os.path.join(env.tmp, "xdg-run")
    os.makedirs(run, mode=0o700)
    r = env.run(args + ["--store", env.store("xdg")], env={"E8K_RATE_FILE": None, "XDG_RUNTIME_DIR": run})
    assert r.returncode == 0, r.stderr
    st = os.stat(os.path.join(run, "edgar8k", "rate"))
    assert "warning" not in r.stderr and st.st_mode & 0o077 == 0, (r.stderr, oct(st.st_mode))
    assert os.stat(os.path.join(run, "edgar8k")).st_mode & 0o077 == 0


@test
def rate_limited_mirror_saw_no_429(env):
    bad = [u for _, st, u in env.access_log() if st == 429]
    assert not bad, "nginx answered 429 to edgar8k: %s" % bad[:3]
    # ...and the mirror does enforce the limit on a client that ignores it.
    codes = []
    for _ in range(25):
        try:
            urllib.request.urlopen(env.nginx_url + "/files/company_tickers.json", timeout=5).read()
            codes.append(200)
        except urllib.error.HTTPError as e:
            codes.append(e.code)
    assert 429 in codes, "nginx limit_req did not trigger: %s" % codes
    time.sleep(1.5)


# ---- faults ------------------------------------------------------------------

def fault_run(env, mode, count, store, extra=()):
    args = ["--accession", FAULT_ACC, "--cik", FAULT_CIK, "--store", store, "--base-url",
            "%s/%s/%s" % (env.fault_url, mode, count), "--rate", "10", "--backoff-ms", "50",
            "--retries", "3", "--block-pause", "1.5", "--stall-time", "1", "--stall-speed", "200"]
    t = time.time()
    r = env.run(args + list(extra))
    reqs = [e for e in env.fault_requests(mode) if e["path"] == FAULT_PATH and e["t"] >= t - 0.01]
    return r, reqs


def gaps(reqs):
    return [b["t"] - a["t"] for a, b in zip(reqs, reqs[1:])]


def assert_stored(store):
    check_store(store, [(FAULT_CIK, FAULT_ACC, mirror_txt(FAULT_CIK, FAULT_ACC))])


def assert_nothing(store):
    files = store_files(store) if os.path.isdir(store) else {}
    assert not files, "store holds %s" % sorted(files)


def retried_then_stored(mode, count, min_gap=0.0, stderr_has=None):
    def run(env):
        store = env.store(mode)
        r, reqs = fault_run(env, mode, count, store)
        assert r.returncode == 0, "exit %d: %s" % (r.returncode, r.stderr[-1500:])
        assert len(reqs) == count + 1, "expected %d requests, got %d" % (count + 1, len(reqs))
        assert all(g >= min_gap for g in gaps(reqs)), "gaps %s < %s" % (gaps(reqs), min_gap)
        if stderr_has:
            assert re.search(stderr_has, r.stderr), r.stderr
        assert_stored(store)
    run.__name__ = "fault_%s_retried" % mode.replace("-", "_")
    return test(run)


retried_then_stored("429", 2, min_gap=1.9, stderr_has="429.*Retry-After: 2.*pausing transfers to 127.0.0.1")
retried_then_stored("429date", 1, min_gap=1.5, stderr_has="Retry-After: .*GMT")
retried_then_stored("503", 2, min_gap=0.9)
retried_then_stored("block", 1, min_gap=1.4, stderr_has="Request Rate Threshold Exceeded.*pausing transfers to 127.0.0.1")
retried_then_stored("trunc", 2)
retried_then_stored("trunc-nolen", 2, stderr_has="truncated or corrupt")
retried_then_stored("badgzip", 2)
retried_then_stored("stall", 1)
retried_then_stored("trickle", 1)
retried_then_stored("reset", 2)
retried_then_stored("html", 2, stderr_has="HTML page where a submission")


@test
def fault_headers_declared(env):
    reqs = env.fault_requests("trunc")
    assert reqs and all(e["ua"] == UA for e in reqs), "User-Agent not sent"
    assert all("gzip" in e["ae"] and "deflate" in e["ae"] for e in reqs), reqs[0]["ae"]


def gives_up(mode, tries, extra=(), max_seconds=30):
    def run(env):
        store = env.store(mode + "-all")
        t = time.time()
        r, reqs = fault_run(env, mode, "all", store, ["--retries", "2", "--backoff-ms", "200"] + list(extra))
        assert r.returncode == 7, "exit %d: %s" % (r.returncode, r.stderr[-1500:])
        assert len(reqs) == tries, "expected %d requests, got %d" % (tries, len(reqs))
        assert time.time() - t < max_seconds, "took %.1f s" % (time.time() - t)
        assert "failed" in r.stderr
        assert_nothing(os.path.join(store, FAULT_CIK))
    run.__name__ = "fault_%s_gives_up" % mode.replace("-", "_")
    return test(run)


gives_up("trunc", 3)
gives_up("html", 3)
gives_up("block", 3)
gives_up("404", 1)
gives_up("bomb", 1, extra=["--max-size", "10000000"])


@test
def fault_backoff_grows(env):
    reqs = [e for e in env.fault_requests("trunc") if e["path"] == FAULT_PATH][-3:]
    g = gaps(reqs)
    # --backoff-ms 200 with jitter on half: first retry 100-200 ms, second 200-400 ms.
    assert g[0] >= 0.09 and g[1] >= 0.19, g


@test
def fault_bomb_stopped_early(env):
    # With the default cap (1 GiB), a bomb of zeros is hung up on at its
    # first bytes, long before it could fill memory.
    store = env.store("zerobomb")
    t = time.time()
    rr, reqs = fault_run(env, "zerobomb", "all", store, ["--retries", "1"])
    assert rr.returncode == 7 and "does not open like one" in rr.stderr, rr.stderr
    assert len(reqs) == 2 and time.time() - t < 10, (len(reqs), time.time() - t)
    assert_nothing(os.path.join(store, FAULT_CIK))
    # One that opens like a submission is stopped by the cap when the cap
    # comes first, else as a bomb once it inflates past 200 to 1: never
    # retried, and never inflated to the cap.
    store = env.store("bomb-cap")
    rr, reqs = fault_run(env, "bomb", "all", store, ["--max-size", "10000000"])
    assert rr.returncode == 7 and "exceeds 10000000 bytes after decompression" in rr.stderr, rr.stderr
    assert len(reqs) == 1
    assert_nothing(os.path.join(store, FAULT_CIK))
    store = env.store("bomb-default")
    t = time.time()
    rr, reqs = fault_run(env, "bomb", "all", store, ["--retries", "5"])
    assert rr.returncode == 7 and "a decompression bomb" in rr.stderr, rr.stderr
    assert len(reqs) == 1 and time.time() - t < 10, (len(reqs), time.time() - t)
    assert_nothing(os.path.join(store, FAULT_CIK))


@test
def fault_feed_resumed(env):
    store = env.store("feed-trunc")
    args = ["--feed", "2024-03-15", "--store", store, "--base-url", env.fault_url + "/trunc/1",
            "--backoff-ms", "50"]
    t = time.time()
    r = env.run(args)
    assert r.returncode == 0, r.stderr
    feed = os.path.join(FIXTURE, "feed-20240315")
    check_store(store, [(c, a, os.path.join(feed, nodash(a) + ".nc")) for c, a in DAY], ext="nc")
    reqs = [e for e in env.fault_requests("trunc") if e["t"] >= t and e["path"].endswith(".nc.tar.gz")]
    assert len(reqs) == 2 and reqs[0]["range"] == "" and reqs[1]["range"].startswith("bytes="), reqs
    assert int(reqs[1]["range"][6:-1]) > 0, "resumed from byte 0"


# ---- hosts, deadlines, sizes --------------------------------------------------

@test
def redirect_to_another_host_refused(env):
    # The User-Agent goes to the hosts edgar8k was given and nowhere else.
    store = env.store("redir-other")
    t = time.time()
    r, reqs = fault_run(env, "redir-other", "all", store)
    assert r.returncode == 7 and "to another host" in r.stderr, r.stderr
    assert len(reqs) == 1, "retried a refused redirect: %d requests" % len(reqs)
    gone = [e for e in env.fault_requests("ok") if e["t"] >= t and e["host"].startswith("localhost")]
    assert not gone, "followed a redirect to another host: %s" % gone
    assert_nothing(os.path.join(store, FAULT_CIK))


@test
def redirect_within_host_followed(env):
    store = env.store("redir-same")
    r, reqs = fault_run(env, "redir-same", "all", store)
    assert r.returncode == 0, r.stderr
    assert "1 redirects followed" in r.stderr, r.stderr
    assert_stored(store)


@test
def redirect_hops_paced(env):
    # Every request redirected once (as http to https on www.sec.gov): at
    # --rate 10 the hops count, so no second holds more than 10 requests.
    accs = synthetic_day(env, "1999994", "2024-06-13", 25)
    t0 = time.time()
    r, s = fetch_ok(env, ["--date", "2024-06-13", "--store", env.store("redir-paced"), "--base-url",
                          env.nginx_url + "/redir", "--rate", "10", "--parallel", "4"])
    assert s["stored"] == 25 and s["r429"] == 0, s
    log = nginx_since(env, t0)
    assert len(log) == 2 * (len(accs) + 1), "nginx saw %d requests" % len(log)
    assert not [u for _, st, u in log if st == 429], "nginx answered 429"
    peak = busiest_second([t for t, _, _ in log])
    assert peak <= 10, "nginx saw %d requests in one second" % peak
    return "52 requests, at most %d in a second" % peak


@test
def slow_server_has_a_deadline(env):
    # 2 KB/s is above the stall speed: only a deadline ends it.
    store = env.store("slow")
    t = time.time()
    r, reqs = fault_run(env, "slow", "all", store, ["--transfer-timeout", "2"])
    took = time.time() - t
    assert r.returncode == 7 and "--transfer-timeout" in r.stderr, r.stderr
    assert took < 8, "took %.1f s" % took
    assert_nothing(os.path.join(store, FAULT_CIK))
    t = time.time()
    r = env.run(["--date", "2024-03-15", "--store", env.store("slow-run"), "--base-url",
                 env.fault_url + "/slow/all", "--max-time", "2"])
    took = time.time() - t
    assert r.returncode == 7 and "--max-time" in r.stderr, r.stderr
    assert took < 8, "run took %.1f s" % took
    return "given up after %.1f s" % took


@test
def announced_size_over_the_cap_not_retried(env):
    store = env.store("too-big")
    r, reqs = fault_run(env, "ok", "0", store, ["--max-size", "1000"])
    assert r.returncode == 7 and "exceeds 1000 bytes" in r.stderr, r.stderr
    assert len(reqs) == 1, "a refused size was retried: %d requests" % len(reqs)


@test
def large_filing_streams_to_disk(env):
    # 120 MB arrive; the process never holds them: its peak memory stays
    # far below the body's size.
    cik, acc = "1999995", "0001999995-24-000001"
    rel = "Archives/edgar/data/%s/%s/%s.txt" % (cik, nodash(acc), acc)
    body = (b"<SEC-DOCUMENT>%s.txt : 20240315\n<SEC-HEADER>\nACCESSION NUMBER:\t%s\n"
            b"CONFORMED SUBMISSION TYPE:\t8-K\nFILED AS OF DATE:\t20240315\n</SEC-HEADER>\n"
            b"<DOCUMENT>\n<TYPE>8-K\n<TEXT>\n" % (acc.encode(), acc.encode()))
    line = b"".join(b"%08d The Company sold shares of its common stock.\n" % i for i in range(2000))
    body += line * (120 * 1000 * 1000 // len(line)) + b"</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"
    env.add_file(rel, body)
    store = env.store("large")
    wrapper = ("import resource, subprocess, sys\n"
               "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
               "sys.stderr.write(r.stderr.decode())\n"
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
               "sys.exit(r.returncode)\n")
    cmd = [sys.executable, "-c", wrapper] + env.fetch_cmd(
        ["--accession", acc, "--cik", cik, "--store", store, "--base-url", env.fault_url + "/ok/0"])
    r = subprocess.run(cmd, env=env.fetch_env(), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-1500:]
    peak_mb = int(r.stdout.strip()) / 1024
    stored = os.path.join(store, cik, nodash(acc), acc + ".txt")
    assert os.path.getsize(stored) == len(body), "stored %d bytes" % os.path.getsize(stored)
    assert peak_mb < 60, "peak memory %.0f MB for a %d MB body" % (peak_mb, len(body) >> 20)
    os.unlink(os.path.join(env.www, rel))
    return "peak %.0f MB for %d MB" % (peak_mb, len(body) >> 20)


# ---- index files --------------------------------------------------------------

@test
def malformed_index_lines_skipped(env):
    # One bad line (and one name in Latin-1, one with an overlong UTF-8
    # sequence) among good ones: the good ones are fetched, the bad one is
    # reported by line, the run succeeds.
    accs = synthetic_day(env, "1999996", "2024-06-14", 3)
    rel = "Archives/edgar/daily-index/2024/QTR2/form.20240614.idx"
    with open(os.path.join(env.www, rel), "rb") as f:
        lines = f.read().split(b"\n")
    lines.insert(5, b"8-K         THIS LINE HAS NO FILE NAME")
    lines[4] = lines[4].replace(b"SYNTHETIC CORP", b"SYNTH\xc9TIC C\xe0\x80\xafRP")
    env.add_file(rel, b"\n".join(lines))
    store = env.store("bad-line")
    r, s = fetch_ok(env, ["--date", "2024-06-14", "--store", store, "--base-url", env.nginx_url])
    assert s["stored"] == 3, s
    assert re.search(r"warning: .*form.20240614.idx:6: byte \d+: .*index line is not.*skipped", r.stderr), r.stderr
    assert "1 index lines or entries skipped" in r.stderr, r.stderr
    names = []
    for acc in accs:
        with open(os.path.join(store, "1999996", nodash(acc), acc + ".json"), encoding="utf-8") as f:
            names.append(json.load(f)["company"])
    assert "SYNTH\u00c9TIC C\u00e0\u0080\u00afRP" in names, names


@test
def malformed_submissions_entry_skipped(env):
    cik = "1999997"
    accs = synthetic_day(env, cik, "2024-06-17", 3)
    doc = {"cik": cik, "name": "JSON CORP", "filings": {"recent": {
        "accessionNumber": [accs[0], "not-an-accession", accs[1], accs[2]],
        "filingDate": ["2024-06-17", "2024-06-17", "2024-06-17", "2024-06-17"],
        "form": ["8-K", "8-K", "8-K", "8-K"]}, "files": [{"name": "../etc/passwd"}]}}
    env.add_file("submissions/CIK%010d.json" % int(cik), json.dumps(doc).encode())
    r, s = fetch_ok(env, ["--cik", cik, "--store", env.store("bad-entry"), "--base-url", env.nginx_url])
    assert s["stored"] == 3, s
    assert "not-an-accession" in r.stderr and "filings.files[0].name" in r.stderr, r.stderr


@test
def dry_run_escapes_control_characters(env):
    synthetic_day(env, "1999998", "2024-06-18", 1)
    rel = "Archives/edgar/daily-index/2024/QTR2/form.20240618.idx"
    with open(os.path.join(env.www, rel), "rb") as f:
        data = f.read().replace(b"SYNTHETIC CORP", b"EVIL\x1b[2J\x07CORP  ")
    env.add_file(rel, data)
    r, s = fetch_ok(env, ["--date", "2024-06-18", "--dry-run", "--base-url", env.nginx_url])
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout, repr(r.stdout)
    assert "EVIL\\x1b[2J\\x07CORP" in r.stdout, repr(r.stdout)


@test
def feed_latin1_company_stored(env):
    # A Feed header naming its company in Latin-1 is read as Latin-1, not
    # refused as "out of memory".
    import io, tarfile
    acc = "0001999999-24-000001"
    nc = (b"<SUBMISSION>\n<ACCESSION-NUMBER>%s\n<TYPE>8-K\n<FILING-DATE>20240619\n<FILER>\n"
          b"<COMPANY-DATA>\n<CONFORMED-NAME>SOCI\xc9T\xc9 G\xc9N\xc9RALE SA\n<CIK>1999999\n"
          b"</COMPANY-DATA>\n</FILER>\n<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nFeed text.\n</TEXT>\n"
          b"</DOCUMENT>\n</SUBMISSION>\n" % acc.encode())
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as t:
        ti = tarfile.TarInfo(nodash(acc) + ".nc")
        ti.size = len(nc)
        t.addfile(ti, io.BytesIO(nc))
    env.add_file("Archives/edgar/Feed/2024/QTR2/20240619.nc.tar.gz", buf.getvalue())
    store = env.store("feed-latin1")
    r, s = fetch_ok(env, ["--feed", "2024-06-19", "--store", store, "--base-url", env.nginx_url])
    assert s["stored"] == 1, s
    with open(os.path.join(store, "1999999", nodash(acc), acc + ".json"), encoding="utf-8") as f:
        assert json.load(f)["company"] == "SOCI\u00c9T\u00c9 G\u00c9N\u00c9RALE SA"


# ---- the store's temporary files --------------------------------------------------

@test
def live_temporary_files_kept(env):
    # A running writer's temporary file (locked) survives another fetch's
    # sweep; a dead one's (unlocked) goes.
    import fcntl
    store = env.store("tmp-owned")
    fdir = os.path.join(store, FAULT_CIK, nodash(FAULT_ACC))
    os.makedirs(fdir)
    live = os.path.join(fdir, FAULT_ACC + ".txt.tmp.1.live")
    dead = os.path.join(fdir, FAULT_ACC + ".txt.tmp.2.dead")
    for p in (live, dead):
        with open(p, "w") as f:
            f.write("partial")
    fd = os.open(live, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        r, s = fetch_ok(env, ["--accession", FAULT_ACC, "--cik", FAULT_CIK, "--store", store,
                              "--base-url", env.fault_url + "/ok/0"])
        assert os.path.exists(live), "a live process's temporary file was deleted"
        assert not os.path.exists(dead), "a dead process's temporary file was left"
    finally:
        os.close(fd)
    r, s = fetch_ok(env, ["--accession", FAULT_ACC, "--cik", FAULT_CIK, "--store", store,
                          "--base-url", env.fault_url + "/ok/0"])
    assert s["present"] == 1 and not os.path.exists(live), "released, it goes at the next run"


@test
def nothing_outside_the_store_touched(env):
    # A filing directory that is a symbolic link to a user's directory:
    # nothing there is deleted, nothing written through the link.
    store = env.store("tmp-link")
    outside = os.path.join(env.tmp, "users-own")
    os.makedirs(outside)
    keep = os.path.join(outside, "draft.tmp.keep")
    with open(keep, "w") as f:
        f.write("the user's")
    os.makedirs(os.path.join(store, FAULT_CIK))
    os.symlink(outside, os.path.join(store, FAULT_CIK, nodash(FAULT_ACC)))
    r = env.run(["--accession", FAULT_ACC, "--cik", FAULT_CIK, "--store", store, "--base-url",
                 env.fault_url + "/ok/0"])
    assert r.returncode == 5 and "symbolic link" in r.stderr, (r.returncode, r.stderr)
    assert os.path.exists(keep), "a file outside the store was deleted"
    assert sorted(os.listdir(outside)) == ["draft.tmp.keep"], os.listdir(outside)


# ---- killed runs ---------------------------------------------------------------

@test
def sigkill_then_rerun(env):
    store = env.store("kill")
    base = ["--quarter", "2024-Q1", "--form", "8-K,8-K/A,10-Q", "--store", store,
            "--base-url", env.nginx_url, "--rate", "10", "-q"]
    args = [env.bin, "fetch", "--user-agent", UA] + base
    rng = random.Random(int(os.environ.get("E8K_SEED", time.time())))
    for _ in range(8):
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env.fetch_env())
        time.sleep(rng.uniform(0.0, 0.9))
        p.send_signal(signal.SIGKILL)
        p.wait()
        time.sleep(0.15)
    fetch_ok(env, base)
    want = QTR + [("1000001", "0001000001-24-000003")]
    check_store(store, [(c, a, mirror_txt(c, a)) for c, a in want])
    # The same for a Feed day, whose tarball is one long stream.
    store = env.store("kill-feed")
    base = ["--feed", "2024-03-15", "--store", store, "--base-url", env.nginx_url, "-q"]
    for _ in range(6):
        p = subprocess.Popen([env.bin, "fetch", "--user-agent", UA] + base,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env.fetch_env())
        time.sleep(rng.uniform(0.0, 0.12))
        p.send_signal(signal.SIGKILL)
        p.wait()
        time.sleep(0.15)
    fetch_ok(env, base)
    feed = os.path.join(FIXTURE, "feed-20240315")
    check_store(store, [(c, a, os.path.join(feed, nodash(a) + ".nc")) for c, a in DAY], ext="nc")


# ---- the real corpus -----------------------------------------------------------

@test
def corpus_by_accession(env):
    if not env.corpus:
        return "skipped: ../shared/corpus absent"
    store = env.store("corpus-acc")
    subs = corpus_submissions()
    for cik, acc, path in subs:
        fetch_ok(env, ["--accession", acc, "--cik", cik, "--store", store, "--base-url", env.nginx_url + "/corpus"])
    check_store(store, [(c, a, p) for c, a, p in subs])
    return "%d submissions" % len(subs)


@test
def corpus_by_cik_paged(env):
    if not env.corpus:
        return "skipped: ../shared/corpus absent"
    store = env.store("corpus-cik")
    window = ["--since", "1999-08-01", "--until", "2000-01-31", "--store", store, "--base-url",
              env.nginx_url + "/corpus"]
    r, s = fetch_ok(env, ["--cik", "320193"] + window)
    want = [("320193", "0000320193-99-000010"), ("320193", "0000912057-00-002128")]
    top = os.path.join(env.www, "corpus")
    check_store(store, [(c, a, mirror_txt(c, a, top)) for c, a in want])
    r, s = fetch_ok(env, ["--ticker", "AAPL"] + window)
    assert s["stored"] == 0 and s["present"] == 2, s


@test
def corpus_daily_index_listed(env):
    if not env.corpus:
        return "skipped: ../shared/corpus absent"
    r, s = fetch_ok(env, ["--date", "2020-03-18", "--dry-run", "--base-url", env.nginx_url + "/corpus"])
    with open(os.path.join(env.www, "corpus/Archives/edgar/daily-index/2020/QTR1/form.20200318.idx"), "rb") as f:
        want = {l.split()[-1].rsplit(b"/", 1)[1][:-4].decode() for l in f if l[:12].strip() in (b"8-K", b"8-K/A")}
    got = {l.split("\t")[1] for l in r.stdout.splitlines()}
    assert got == want and len(want) > 200, (len(got), len(want))


def main():
    binary = os.path.abspath(os.environ.get("E8K_BIN", "build/edgar8k"))
    from test_select import TESTS as SELECTION
    TESTS.extend(SELECTION)
    only = set(sys.argv[1:])
    # A runner stopped from outside still stops nginx and the fault server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    env = Env(binary)
    passed = failed = 0
    try:
        env.build_mirror()
        env.start_nginx()
        env.start_faults()
        env.start_search()
        for t in TESTS:
            if only and t.__name__ not in only:
                continue
            t0 = time.time()
            try:
                note = t(env)
                passed += 1
                print("ok   %-36s %5.1fs %s" % (t.__name__, time.time() - t0, note or ""), flush=True)
            except Exception as e:  # noqa: BLE001 - report every failure and go on
                failed += 1
                print("FAIL %-36s %5.1fs %s" % (t.__name__, time.time() - t0, e), flush=True)
                if os.environ.get("E8K_VERBOSE"):
                    traceback.print_exc()
    except Exception as e:  # noqa: BLE001
        failed += 1
        print("FAIL harness: %s" % e, flush=True)
    finally:
        env.close()
    print("fetch: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
