# SPDX-License-Identifier: MIT
"""tests/fetch/search_corpus.py: the synthetic filings of
fixtures/fetch-search/corpus.json, as the full-text search mirror
(searchserver.py) serves them and as the tests expect them: each filing
with its CIK, accession, form, date, items and documents, each document
with the text a query is matched against, and the submission the mirror
serves for it (an SGML header whose ITEM INFORMATION lines name its
items). Everything follows from the spec, in order, with no randomness."""
import datetime, hashlib, json, os, re

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = os.path.join(HERE, "..", "..", "fixtures", "fetch-search", "corpus.json")

from gen_fixtures import TITLES  # noqa: E402  (the titles EDGAR writes)


def _day(s):
    return datetime.date.fromisoformat(s)


class Filing:
    def __init__(self, cik, company, ticker, acc, form, date, items, docs, text):
        self.cik, self.company, self.ticker = cik, company, ticker
        self.accession, self.form, self.date, self.items = acc, form, date, items
        self.docs = docs  # [(file name, type)]
        self.text = text

    def doc_text(self, name):
        return "%s %s (document %s of %s, filed %s)" % (self.company, self.text, name,
                                                        self.accession, self.date)

    def submission(self):
        """The complete submission the mirror serves for this filing."""
        d = self.date.replace("-", "")
        items = "".join("ITEM INFORMATION:\t\t%s\n" % TITLES[i] for i in self.items)
        head = ("<SEC-DOCUMENT>%s.txt : %s\n<SEC-HEADER>%s.hdr.sgml : %s\n"
                "ACCESSION NUMBER:\t\t%s\nCONFORMED SUBMISSION TYPE:\t%s\n"
                "PUBLIC DOCUMENT COUNT:\t\t%d\n%sFILED AS OF DATE:\t\t%s\n\nFILER:\n\n"
                "\tCOMPANY DATA:\t\n\t\tCOMPANY CONFORMED NAME:\t\t\t%s\n"
                "\t\tCENTRAL INDEX KEY:\t\t\t%010d\n</SEC-HEADER>\n"
                % (self.accession, d, self.accession, d, self.accession, self.form,
                   len(self.docs), items, d, self.company, int(self.cik)))
        body = "".join("<DOCUMENT>\n<TYPE>%s\n<SEQUENCE>%d\n<FILENAME>%s\n<TEXT>\n"
                       "<html><body><p>%s</p></body></html>\n</TEXT>\n</DOCUMENT>\n"
                       % (t, k + 1, n, self.doc_text(n)) for k, (n, t) in enumerate(self.docs))
        return (head + body + "</SEC-DOCUMENT>\n").encode()

    def path(self):
        return "Archives/edgar/data/%s/%s/%s.txt" % (self.cik, self.accession.replace("-", ""),
                                                     self.accession)


def load(spec_path=SPEC):
    """(spec, [Filing]) in spec order."""
    with open(spec_path) as f:
        spec = json.load(f)
    cos = spec["companies"]
    out = []
    for s in spec["sets"]:
        first, last = _day(s["from"]), _day(s["to"])
        span = (last - first).days + 1
        for i in range(s["filings"]):
            cik, company, ticker = cos[i % len(cos)]
            date = (first + datetime.timedelta(days=i * span // s["filings"])).isoformat()
            seq = s["accession_base"] + i
            acc = "%010d-%s-%06d" % (int(cik), date[2:4], seq)
            form = s["forms"][i % len(s["forms"])]
            items = list(s["items"][i % len(s["items"])])
            rare = s.get("rare")
            if rare and i % rare["every"] == 0:
                items = list(rare["items"])
            main = "d%d%s.htm" % (seq, re.sub(r"[^a-z0-9]", "", form.lower()))
            docs = [(main, form)]
            if s["exhibit_every"] and i % s["exhibit_every"] == 0:
                docs.append(("d%dex991.htm" % seq, "EX-99.1"))
            out.append(Filing(cik, company, ticker, acc, form, date, items, docs, s["text"]))
    return spec, out


def needs_file(spec, f):
    """Whether the mirror holds f's submission: all but the bulk of a set
    with rare items (the tests fetch only its rare ones)."""
    for s in spec["sets"]:
        if f.text == s["text"] and s.get("rare"):
            return f.items == s["rare"]["items"]
    return True


def terms(q):
    """A query's quoted phrases and words, lower case."""
    phrases = re.findall(r'"([^"]*)"', q)
    rest = re.sub(r'"[^"]*"', " ", q)
    return [p.lower() for p in phrases if p.strip()] + [w.lower() for w in rest.split()]


def hits(filings, q):
    """(filing, document name, type) of every document matching q, in the
    mirror's order of relevance (a digest of the hit's id)."""
    want = terms(q)
    out = []
    for f in filings:
        for name, typ in f.docs:
            text = f.doc_text(name).lower()
            if want and all(t in text for t in want):
                out.append((f, name, typ))
    out.sort(key=lambda h: hashlib.sha1(("%s:%s" % (h[0].accession, h[1])).encode()).hexdigest())
    return out
