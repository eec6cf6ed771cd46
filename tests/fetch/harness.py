# SPDX-License-Identifier: MIT
"""Test harness for `edgar8k fetch`: builds a mirror of EDGAR's URL layout
in a temporary directory (from fixtures/fetch-mirror, the filings of
fixtures/fetch-search and, when present, ../shared/corpus), serves it with
nginx (rate-limited like the SEC, on a free 127.0.0.1 port, as the current
user), and runs the fault server and the full-text search mirror.
Everything started here is stopped by Env.close(), also on failure.
Nothing here talks to any address but 127.0.0.1."""
import glob, hashlib, json, os, re, shutil, signal, socket, subprocess, sys, tarfile, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
FIXTURE = os.path.join(ROOT, "fixtures", "fetch-mirror")
CORPUS = os.path.abspath(os.path.join(ROOT, "..", "shared", "corpus"))
UA = "edgar8k tests edgar8k-tests@example.com"

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
{user}
events {{ worker_connections 512; }}
http {{
    default_type text/plain;
    types {{ application/json json; text/plain txt idx nc; application/x-gzip gz; }}
    log_format edgar '$msec $status $body_bytes_sent $request_uri';
    access_log {tmp}/access.log edgar;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    sendfile on;
    keepalive_requests 10000;
    gzip on;
    gzip_types text/plain application/json;
    gzip_min_length 0;
    # The SEC allows 10 requests/s; excess shows up as 429 here. A small
    # burst absorbs network jitter, not a client that runs too fast.
    limit_req_zone $binary_remote_addr zone=sec:1m rate=10r/s;
    limit_req_status 429;
    server {{
        listen 127.0.0.1:{port};
        root {www};
        limit_req zone=sec burst=2 nodelay;
        location / {{ try_files $uri =404; }}
        # www.sec.gov redirects http to https: every request here is
        # redirected once, to the same host, as a pacing test needs
        location /redir/ {{ rewrite ^/redir/(.*)$ /$1 redirect; }}
    }}
}}
"""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def ensure_nginx():
    if shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"):
        return True
    print("harness: nginx missing, running tools/install-deps", flush=True)
    subprocess.run([os.path.join(ROOT, "tools", "install-deps")], check=False)
    return shutil.which("nginx") is not None or os.path.exists("/usr/sbin/nginx")


def corpus_submissions():
    """(cik, accession, path) of the corpus's complete .txt submissions."""
    out = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "submissions", "*.txt"))):
        with open(path, "rb") as f:
            head = f.read(65536)
        acc = re.search(rb"ACCESSION NUMBER:\s*(\d{10}-\d{2}-\d{6})", head)
        cik = re.search(rb"CENTRAL INDEX KEY:\s*(\d+)", head)
        if acc and cik:
            out.append((str(int(cik.group(1))), acc.group(1).decode(), path))
    return out


def scrub_proxies():
    """libcurl and urllib honour proxy variables: keep every request of
    every process started from here on loopback."""
    for k in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        os.environ.pop(k, None)
    os.environ["no_proxy"] = os.environ["NO_PROXY"] = "*"


class Env:
    def __init__(self, binary):
        scrub_proxies()
        self.bin = binary
        self.tmp = tempfile.mkdtemp(prefix="e8k-fetch-")
        os.chmod(self.tmp, 0o755)
        self.www = os.path.join(self.tmp, "www")
        self.rate_file = os.path.join(self.tmp, "rate", "state")
        self.procs = []
        self.nginx_url = self.fault_url = self.search_url = None
        self.corpus = os.path.isdir(os.path.join(CORPUS, "submissions"))

    # ---- mirror ---------------------------------------------------------
    def build_mirror(self):
        shutil.copytree(FIXTURE, self.www, ignore=shutil.ignore_patterns("feed-*"))
        feed = os.path.join(self.www, "Archives/edgar/Feed/2024/QTR1/20240315.nc.tar.gz")
        os.makedirs(os.path.dirname(feed))
        src = os.path.join(FIXTURE, "feed-20240315")
        # tar(1) as the issue says: the tarball is made at test time.
        subprocess.run(["tar", "czf", feed, "-C", src] + sorted(os.listdir(src)), check=True)
        if self.corpus:
            self.build_corpus_mirror(os.path.join(self.www, "corpus"))
        import search_corpus
        spec, filings = search_corpus.load()
        for f in filings:
            if search_corpus.needs_file(spec, f):
                self.add_file(f.path(), f.submission())
        for d, _, files in os.walk(self.www):
            os.chmod(d, 0o755)
            for f in files:
                os.chmod(os.path.join(d, f), 0o644)

    def build_corpus_mirror(self, top):
        for cik, acc, path in corpus_submissions():
            dst = os.path.join(top, "Archives/edgar/data", cik, acc.replace("-", ""), acc + ".txt")
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(path, dst)
        idx = os.path.join(CORPUS, "index")
        os.makedirs(os.path.join(top, "submissions"))
        for name in ("CIK0000320193.json", "CIK0000320193-submissions-001.json"):
            shutil.copyfile(os.path.join(idx, name), os.path.join(top, "submissions", name))
        os.makedirs(os.path.join(top, "files"))
        shutil.copyfile(os.path.join(idx, "company_tickers.json"), os.path.join(top, "files/company_tickers.json"))
        day = os.path.join(top, "Archives/edgar/daily-index/2020/QTR1")
        os.makedirs(day)
        shutil.copyfile(os.path.join(idx, "form.20200318.idx"), os.path.join(day, "form.20200318.idx"))

    def add_file(self, rel, data):
        p = os.path.join(self.www, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
        os.chmod(p, 0o644)

    # ---- servers --------------------------------------------------------
    def start_nginx(self):
        if not ensure_nginx():
            raise RuntimeError("nginx is not installed and could not be")
        port = free_port()
        user = "user root root;" if os.getuid() == 0 else ""
        conf = os.path.join(self.tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(tmp=self.tmp, www=self.www, port=port, user=user))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        p = subprocess.Popen([nginx, "-p", self.tmp, "-e", os.path.join(self.tmp, "nginx-error.log"),
                              "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs.append(p)
        self.wait_port(port, p, "nginx")
        self.nginx_url = "http://127.0.0.1:%d" % port
        self.nginx_port = port

    def start_faults(self):
        self.fault_log = os.path.join(self.tmp, "faults.jsonl")
        p = subprocess.Popen([sys.executable, os.path.join(HERE, "faultserver.py"), self.www, self.fault_log],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.procs.append(p)
        port = int(p.stdout.readline())
        self.fault_url = "http://127.0.0.1:%d" % port

    def start_search(self):
        """The full-text search mirror (searchserver.py)."""
        self.search_log = os.path.join(self.tmp, "search.jsonl")
        p = subprocess.Popen([sys.executable, os.path.join(HERE, "searchserver.py"), self.search_log],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.procs.append(p)
        port = int(p.stdout.readline())
        self.search_url = "http://127.0.0.1:%d" % port

    def search_requests(self, since=0.0):
        """The requests the search mirror answered since `since`."""
        out = []
        try:
            with open(self.search_log) as f:
                for line in f:
                    e = json.loads(line)
                    if e["t"] >= since:
                        out.append(e)
        except FileNotFoundError:
            pass
        return out

    def wait_port(self, port, proc, name):
        for _ in range(100):
            if proc.poll() is not None:
                raise RuntimeError("%s exited: see %s" % (name, self.tmp))
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("%s did not listen on %d" % (name, port))

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        self.procs = []
        if not os.environ.get("E8K_KEEP_TMP"):
            shutil.rmtree(self.tmp, ignore_errors=True)

    # ---- logs -------------------------------------------------------------
    def access_log(self):
        """[(time, status, uri)] of every request nginx saw so far."""
        out = []
        try:
            with open(os.path.join(self.tmp, "access.log")) as f:
                for line in f:
                    t, status, _, uri = line.split(" ", 3)
                    out.append((float(t), int(status), uri.strip()))
        except FileNotFoundError:
            pass
        return out

    def fault_requests(self, mode=None):
        out = []
        try:
            with open(self.fault_log) as f:
                for line in f:
                    e = json.loads(line)
                    if mode is None or e["mode"] == mode:
                        out.append(e)
        except FileNotFoundError:
            pass
        return out

    # ---- running edgar8k ----------------------------------------------------
    def fetch_env(self, env=None):
        """The environment of an `edgar8k fetch`: no User-Agent or config
        of the caller's, and the pacing state every edgar8k process of the
        tests shares in the temporary directory (never the user's own).
        A value of None in env removes that variable."""
        e = dict(os.environ)
        e.pop("EDGAR8K_USER_AGENT", None)
        e["XDG_CONFIG_HOME"] = os.path.join(self.tmp, "no-config")
        e["E8K_RATE_FILE"] = self.rate_file
        for k, v in (env or {}).items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
        return e

    def fetch_cmd(self, args, ua=True):
        return [self.bin, "fetch"] + list(args) + (["--user-agent", UA] if ua else [])

    def run(self, args, env=None, timeout=120, ua=True):
        # No pause between runs: the shared pacing state keeps back-to-back
        # processes within nginx's 10 r/s.
        return subprocess.run(self.fetch_cmd(args, ua), env=self.fetch_env(env), capture_output=True,
                              text=True, timeout=timeout)

    def start(self, args, env=None):
        """`edgar8k fetch` in the background; stopped by close() if still running."""
        p = subprocess.Popen(self.fetch_cmd(args), env=self.fetch_env(env), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        self.procs.append(p)
        return p

    def store(self, name):
        return os.path.join(self.tmp, "stores", name)


def synthetic_day(env, cik, date, n):
    """A daily index for date (YYYY-MM-DD) listing n small synthetic 8-Ks
    of cik, each in the mirror; returns their accession numbers."""
    ymd = date.replace("-", "")
    accs, lines = [], []
    for i in range(n):
        acc = "%010d-%s-%06d" % (int(cik), ymd[2:4], int(ymd[4:]) * 1000 + i + 1)
        body = ("<SEC-DOCUMENT>%s.txt : %s\n<SEC-HEADER>\nACCESSION NUMBER:\t%s\n"
                "CONFORMED SUBMISSION TYPE:\t8-K\nFILED AS OF DATE:\t%s\n</SEC-HEADER>\n"
                "<DOCUMENT>\n<TYPE>8-K\n<TEXT>\n%s</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"
                % (acc, ymd, acc, ymd, "Synthetic filing text.\n" * 200))
        env.add_file("Archives/edgar/data/%s/%s/%s.txt" % (cik, acc.replace("-", ""), acc), body.encode())
        lines.append("%-12s%-62s%-12s%-12s%s" % ("8-K", "SYNTHETIC CORP", cik, ymd,
                                                 "edgar/data/%s/%s.txt" % (cik, acc)))
        accs.append(acc)
    head = ("Description:           Daily Index of EDGAR Dissemination Feed by Form Type\n\n"
            "Form Type   Company Name                                                  CIK         Date Filed  File Name\n"
            + "-" * 141 + "\n")
    qtr = (int(ymd[4:6]) - 1) // 3 + 1
    env.add_file("Archives/edgar/daily-index/%s/QTR%d/form.%s.idx" % (ymd[:4], qtr, ymd),
                 (head + "\n".join(lines) + "\n").encode())
    return accs


def busiest_second(times):
    """The most requests in any window of one second."""
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - 1.0:
            j += 1
        best = max(best, i - j + 1)
    return best


def summary_counts(stderr):
    """The numbers of the closing summary line of `edgar8k fetch`."""
    m = re.search(r"(\d+) selected, (\d+) stored, (\d+) already present, (\d+) failed; "
                  r"(\d+) requests \((\d+) retries, (\d+) x 429, (\d+) pauses\)", stderr)
    if not m:
        return None
    keys = ["selected", "stored", "present", "failed", "requests", "retries", "r429", "pauses"]
    return dict(zip(keys, map(int, m.groups())))


def store_files(store):
    """Every file in a store, relative path -> absolute path."""
    out = {}
    for d, _, files in os.walk(store):
        for f in files:
            p = os.path.join(d, f)
            out[os.path.relpath(p, store)] = p
    return out


def nodash(acc):
    return acc.replace("-", "")


def mirror_txt(cik, acc, top=FIXTURE):
    return os.path.join(top, "Archives/edgar/data", cik, nodash(acc), acc + ".txt")


def check_store(store, expected, ext="txt"):
    """expected: [(cik, accession, source file)]: exactly these filings are
    stored, byte-identical, each with an entry whose sha256 matches, and
    nothing partial lies around."""
    files = store_files(store)
    want = set()
    for cik, acc, src in expected:
        rel = os.path.join(cik, nodash(acc), acc + "." + ext)
        entry = os.path.join(cik, nodash(acc), acc + ".json")
        want |= {rel, entry}
        assert rel in files, "missing %s" % rel
        with open(files[rel], "rb") as a, open(src, "rb") as b:
            assert a.read() == b.read(), "%s differs from the mirror" % rel
        with open(files[entry]) as f:
            e = json.load(f)
        assert e["sha256"] == sha256(src) and e["accession"] == acc and e["cik"] == cik, e
    extra = {f for f in set(files) - want if not f.startswith((".feeds/", ".cache/"))}
    assert not extra, "unexpected files in store: %s" % sorted(extra)[:5]


def fetch_ok(env, args, **kw):
    r = env.run(args, **kw)
    assert r.returncode == 0, "exit %d: %s" % (r.returncode, r.stderr[-2000:])
    return r, summary_counts(r.stderr)
