#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tests/fetch/searchserver.py: a loopback mirror of EDGAR full-text search
(efts.sec.gov LATEST/search-index) over the synthetic filings of
fixtures/fetch-search/corpus.json, answering as the service does: an
Elasticsearch response, 100 hits a page from `from`, at most 10,000 hits a
query (hits.total {value: 10000, relation: "gte"} beyond, and an error for
a page past them), filtered by q (words and "phrases", all required),
forms, dateRange=custom&startdt&enddt and ciks. Listens on 127.0.0.1 only.
Every request is logged as one JSON line (the parameters, the hits
matched and returned) so that tests can check the paging and the windows.

Usage: searchserver.py LOGFILE  (prints the port on stdout)"""
import json, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import search_corpus  # noqa: E402

CAP, PAGE = 10000, 100
LOG = sys.argv[1] if len(sys.argv) > 1 else os.devnull
SPEC, FILINGS = search_corpus.load()
_cache = {}
lock = threading.Lock()


def matching(q):
    with lock:
        if q not in _cache:
            _cache[q] = search_corpus.hits(FILINGS, q)
        return _cache[q]


def source(f, name, typ):
    names = ["%s  %s(CIK %010d)" % (f.company, "(%s)  " % f.ticker if f.ticker else "", int(f.cik))]
    return {"ciks": ["%010d" % int(f.cik)], "period_ending": f.date, "file_num": ["001-4%04d" % (int(f.cik) % 10000)],
            "display_names": names, "xsl": None, "sequence": 1 if typ == f.form else 2,
            "root_forms": [f.form.split("/")[0]], "file_date": f.date, "biz_states": ["DE"], "sics": ["2834"],
            "form": f.form, "adsh": f.accession, "film_num": ["24%06d" % (int(f.accession[-6:]))],
            "biz_locations": ["Wilmington, DE"], "file_type": typ,
            "file_description": "PRESS RELEASE" if typ.startswith("EX-") else "FORM %s" % f.form,
            "inc_states": ["DE"], "items": f.items}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send_json(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        u = urlsplit(self.path)
        if u.path != "/LATEST/search-index":
            return self.send_json(404, {"error": "not found"})
        a = {k: v[0] for k, v in parse_qs(u.query, keep_blank_values=True).items()}
        q = a.get("q", "")
        forms = {x for x in a.get("forms", "").split(",") if x}
        ciks = {x.lstrip("0") for x in a.get("ciks", "").split(",") if x}
        start, end = a.get("startdt", "0000-00-00"), a.get("enddt", "9999-99-99")
        if a.get("dateRange") != "custom":
            start, end = "0000-00-00", "9999-99-99"
        found = [h for h in matching(q) if (not forms or h[0].form in forms)
                 and (not ciks or h[0].cik in ciks) and start <= h[0].date <= end]
        frm = int(a.get("from", "0") or 0)
        entry = {"t": time.time(), "q": q, "startdt": a.get("startdt"), "enddt": a.get("enddt"),
                 "forms": a.get("forms"), "ciks": a.get("ciks"), "from": frm, "matched": len(found),
                 "ua": self.headers.get("User-Agent", "")}
        if frm + PAGE > CAP:
            entry["returned"] = -1
            self.log(entry)
            return self.send_json(500, {"error": "Result window is too large, from + size must be "
                                                 "less than or equal to: [10000]"})
        page = found[frm:frm + PAGE]
        entry["returned"] = len(page)
        self.log(entry)
        self.send_json(200, {
            "took": 12, "timed_out": False,
            "_shards": {"total": 50, "successful": 50, "skipped": 0, "failed": 0},
            "hits": {"total": {"value": min(len(found), CAP), "relation": "gte" if len(found) > CAP else "eq"},
                     "max_score": 10.0,
                     "hits": [{"_index": "edgar_file", "_type": "_doc", "_id": "%s:%s" % (f.accession, n),
                               "_score": 10.0 - i * 0.01, "_source": source(f, n, t)}
                              for i, (f, n, t) in enumerate(page)]},
            "query": {"q": q}})

    def log(self, entry):
        with lock, open(LOG, "a") as f:
            f.write(json.dumps(entry) + "\n")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    srv = Server(("127.0.0.1", 0), Handler)
    print(srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
