"""dom_check.py: opens a filing's review page (edgar8k report) in headless
Chromium and checks it through the DOM against what edgar8k itself says
about the filing, so that nothing here depends on today's grammars:

- every value `extract` prints (offering fields with their alternates,
  parties, clauses, facts) has a summary row or alternate link whose link
  lands on a mark whose text is exactly the value's matched text and whose
  bytes are the value's span, and the number of marked values equals the
  number of values;
- every finding `validate` prints is there with its status, failures first
  and marked, and names exactly the stated values the check used; a click
  on it lights those marks;
- each document's text in the page equals its normalized text
  (`parse --with-text`) character for character;
- the page loaded nothing, no script but its own ran (no CSP violation, no
  element or handler from the filing), and the filing's hostile strings
  are plain text (with --hostile);
- a screenshot is taken and is a real picture.

Usage: dom_check.py --bin EDGAR8K --filing FILE --screenshot OUT.png
                    [--hostile STRINGS.txt]
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import Browser  # noqa: E402

# Every element the page writes; anything else came from the filing.
PAGE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2",
    "h3", "dl", "dt", "dd", "div", "a", "main", "section", "table", "tbody",
    "tr", "th", "td", "span", "small", "br", "p", "button", "ul", "li",
    "article", "mark", "script",
}

COLLECT = r"""
const out = {vtext: {}, vinfo: {}, ev: {}, onattrs: []};
for (const m of document.querySelectorAll('mark[data-v]')) {
  const v = m.getAttribute('data-v');
  out.vtext[v] = (out.vtext[v] || '') + m.textContent;
  out.vinfo[v] = [m.getAttribute('data-doc'), m.getAttribute('data-bytes')];
}
for (const m of document.querySelectorAll('mark[data-c]'))
  out.ev[m.getAttribute('data-c')] = [m.getAttribute('data-doc'), m.getAttribute('data-bytes')];
out.vids = Array.from(document.querySelectorAll('mark[id]')).map(m => m.id);
const attr = (e, n) => e.hasAttribute(n) ? e.getAttribute(n) : null;
out.rows = Array.from(document.querySelectorAll('#side tr[data-section]')).map(tr => {
  const go = tr.querySelector('a.go');
  return {v: attr(tr, 'data-v'), section: attr(tr, 'data-section'),
          offering: attr(tr, 'data-offering'), index: attr(tr, 'data-index'),
          field: attr(tr, 'data-field'), value: attr(tr, 'data-value'),
          go: go ? attr(go, 'href') : null,
          alts: Array.from(tr.querySelectorAll('a.alt')).map(a => ({
            v: attr(a, 'data-v'), alt: attr(a, 'data-alt'), href: attr(a, 'href')}))};
});
out.findings = Array.from(document.querySelectorAll('tr.finding')).map(tr => ({
  id: attr(tr, 'data-id'), offering: attr(tr, 'data-offering'),
  status: attr(tr, 'data-status'), fail: tr.classList.contains('fail'),
  shown: tr.querySelector('td.st').textContent,
  uses: attr(tr, 'data-uses'), ev: attr(tr, 'data-ev')}));
out.docs = Array.from(document.querySelectorAll('article.doc')).map(a => {
  const t = a.querySelector('.text');
  return {id: a.id, text: t ? t.textContent : null};
});
out.tags = Array.from(new Set(Array.from(document.querySelectorAll('*')).map(e => e.localName)));
for (const e of document.querySelectorAll('*'))
  for (const a of e.attributes)
    if (a.name.toLowerCase().startsWith('on')) out.onattrs.push(e.localName + '@' + a.name);
out.scripts = document.querySelectorAll('script').length;
out.styles = document.querySelectorAll('style').length;
out.pwned = typeof window.pwned === 'undefined' ? null : String(window.pwned);
out.title = document.title;
out.h1 = document.querySelector('h1').textContent;
out.body = document.body.textContent;
out.resources = performance.getEntriesByType('resource').length;
return out;
"""

LIT = r"""
const docs = document.getElementById('docs').getBoundingClientRect();
const lit = Array.from(document.querySelectorAll('mark.lit'));
const r = lit.length ? lit[0].getBoundingClientRect() : null;
return {v: Array.from(new Set(lit.filter(m => m.hasAttribute('data-v')).map(m => m.getAttribute('data-v')))),
        c: Array.from(new Set(lit.filter(m => m.hasAttribute('data-c')).map(m => m.getAttribute('data-c')))),
        visible: !!r && r.bottom > docs.top && r.top < docs.bottom};
"""

TARGET = r"""
const id = location.hash.slice(1);
const m = document.getElementById(id);
const docs = document.getElementById('docs').getBoundingClientRect();
const r = m ? m.getBoundingClientRect() : null;
return {hash: location.hash, visible: !!r && r.bottom > docs.top && r.top < docs.bottom};
"""


class Checker:
    def __init__(self):
        self.failures = []
        self.passed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)


def edgar8k(binary, *args, ok=(0,)):
    p = subprocess.run([binary] + list(args), capture_output=True)
    if p.returncode not in ok:
        sys.exit("dom_check: edgar8k %s: exit %d: %s" %
                 (" ".join(args), p.returncode, p.stderr.decode(errors="replace")))
    return p


def expected_values(x):
    """(section, offering or index, field, alternate, value) for every value
    of `extract`'s JSON, alternates after their chosen value."""
    out = []
    for i, off in enumerate(x["offerings"]):
        for field, v in off.items():
            if not isinstance(v, dict):
                continue  # "series"
            out.append(("offering", str(i), field, 0, v))
            for k, a in enumerate(v.get("alternates", []), 1):
                out.append(("offering", str(i), field, k, a))
    for section, key, name in (("party", "parties", "role"),
                               ("clause", "warrant_clauses", "kind"),
                               ("fact", "facts", "metric")):
        for i, v in enumerate(x[key]):
            out.append((section, str(i), v[name], 0, v))
    return out


def same_value(dom, v):
    want = v["value"]
    if isinstance(want, list):  # agents: the names; the page's row, the first
        want = want[0] if want else None
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        try:
            got = float(dom)
        except (TypeError, ValueError):
            return False
        return abs(got - want) <= 1e-9 * max(1.0, abs(want))
    return dom == want


def span_text(parsed, v):
    """The bytes of v's text span in its document's normalized text."""
    doc = parsed["documents"][v["document"]["index"]].get("text") or ""
    s, e = v["text_span"]
    return doc.encode("utf-8")[s:e].decode("utf-8", errors="replace")


def check_values(c, x, dom, parsed, notes):
    exp = expected_values(x)
    rows = {}
    for r in dom["rows"]:
        key = (r["section"], r["offering"] if r["section"] == "offering" else r["index"],
               r["field"] if r["section"] == "offering" else None)
        c.check(key not in rows, "two rows for %s" % (key,))
        rows[key] = r
    nrows = nalts = 0
    for section, pos, field, alt, v in exp:
        key = (section, pos, field if section == "offering" else None)
        r = rows.get(key)
        where = "%s %s %s%s" % (section, pos, field, " alternate %d" % alt if alt else "")
        if not r:
            c.check(False, "no row for " + where)
            continue
        if alt == 0:
            nrows += 1
            c.check(r["field"] == field, where + ": row names field %r" % r["field"])
            c.check(same_value(r["value"], v), where + ": row value %r, extract %r"
                    % (r["value"], v["value"]))
            vid, href = r["v"], r["go"]
        else:
            nalts += 1
            a = [a for a in r["alts"] if a["alt"] == str(alt)]
            if len(a) != 1:
                c.check(False, where + ": no alternate link")
                continue
            vid, href = a[0]["v"], a[0]["href"]
        c.check(href == "#v" + str(vid), where + ": link %r, not to its mark v%s" % (href, vid))
        text = dom["vtext"].get(str(vid))
        want = span_text(parsed, v)
        c.check(text == want, where + ": link lands on %r, the span holds %r"
                % (text, want))
        # extract prints at most the first 600 bytes of a long match; the
        # page marks the whole span, which starts with them
        cut = text is not None and len(v["text"]) < len(text) and text.startswith(v["text"])
        c.check(text == v["text"] or cut, where + ": link lands on %r, matched text is %r"
                % (text, v["text"]))
        if cut:
            notes.append("%s: extract's text is the first %d of %d characters"
                         % (where, len(v["text"]), len(text)))
        info = dom["vinfo"].get(str(vid))
        want = [str(v["document"]["index"]), "%d-%d" % tuple(v["span"])]
        c.check(info == want, where + ": mark bytes %r, value %r" % (info, want))
    c.check(nrows == len(dom["rows"]), "rows: %d in the page, %d values of extract"
            % (len(dom["rows"]), nrows))
    c.check(nalts == sum(len(r["alts"]) for r in dom["rows"]),
            "alternate links: more in the page than extract gives")
    c.check(len(dom["vtext"]) == len(exp), "highlighted values: %d, extracted values: %d"
            % (len(dom["vtext"]), len(exp)))
    vids = [i for i in dom["vids"] if i.startswith("v")]
    c.check(len(vids) == len(set(vids)) == len(exp),
            "value marks with an id: %d (%d distinct), values: %d"
            % (len(vids), len(set(vids)), len(exp)))
    return len(exp)


def stated(values):
    return {(str(v["document"]["index"]), "%d-%d" % tuple(v["span"]))
            for v in values if not v.get("derived") and v.get("span")}


def check_findings(c, rep, dom):
    fs = rep["findings"]
    want = [f for f in fs if f["status"] == "fail"] + [f for f in fs if f["status"] != "fail"]
    got = dom["findings"]
    c.check(len(got) == len(want), "findings: %d in the page, %d from validate"
            % (len(got), len(want)))
    for f, d in zip(want, got):
        off = None if f.get("offering") is None else str(f["offering"])
        where = "finding %s (offering %s)" % (f["id"], off)
        c.check((d["id"], d["offering"], d["status"]) == (f["id"], off, f["status"]),
                where + ": page has %s %s %s in its place" % (d["id"], d["offering"], d["status"]))
        c.check(f["status"] in d["shown"], where + ": status not shown")
        c.check(d["fail"] == (f["status"] == "fail"), where + ": fail marking")
        used = {tuple(dom["vinfo"].get(u) or ()) for u in (d["uses"] or "").split()}
        used |= {tuple(dom["ev"].get(e) or ()) for e in (d["ev"] or "").split()}
        c.check(used == stated(f.get("values", [])),
                where + ": page lights %s, check used %s" % (sorted(used),
                                                            sorted(stated(f.get("values", [])))))
    return len(want)


def check_docs(c, parsed, dom):
    docs = parsed["documents"]
    c.check(len(dom["docs"]) == len(docs), "documents: %d in the page, %d parsed"
            % (len(dom["docs"]), len(docs)))
    for i, (p, d) in enumerate(zip(docs, dom["docs"])):
        c.check(d["text"] == p.get("text"), "document %d (%s): page text differs from "
                "its normalized text" % (i, p["type"]))


def check_inert(c, dom, console, hostile, parsed):
    c.check(set(dom["tags"]) <= PAGE_TAGS,
            "elements the page never writes: %s" % sorted(set(dom["tags"]) - PAGE_TAGS))
    c.check(not dom["onattrs"], "event handler attributes: %s" % dom["onattrs"][:5])
    c.check(dom["scripts"] == 1 and dom["styles"] == 1,
            "%d scripts, %d style sheets" % (dom["scripts"], dom["styles"]))
    c.check(dom["pwned"] is None, "hostile script ran: window.pwned = %s" % dom["pwned"])
    c.check(dom["resources"] == 0, "the page loaded %d resources" % dom["resources"])
    bad = [m.get("message", "") for m in console
           if "Content Security Policy" in m.get("message", "") or
           "Refused" in m.get("message", "")]
    c.check(not bad, "CSP violations: %s" % bad[:3])
    ents = parsed["header"]["entities"]
    if ents and ents[0].get("name"):
        c.check(dom["h1"] == ents[0]["name"], "company %r shown as %r"
                % (ents[0]["name"], dom["h1"]))
        c.check(ents[0]["name"] in dom["title"], "title %r" % dom["title"])
    for s in hostile:
        c.check(s in dom["body"], "hostile text not shown as text: %r" % s)


def png_ok(png, width, height):
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        return "not a PNG"
    w, h = struct.unpack(">II", png[16:24])
    if (w, h) != (width, height):
        return "%dx%d, expected %dx%d" % (w, h, width, height)
    idat, pos = b"", 8
    while pos < len(png):
        n, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"IDAT":
            idat += png[pos + 8:pos + 8 + n]
        pos += 12 + n
    if len(set(zlib.decompress(idat))) < 32:
        return "blank picture"
    return None


def interact(c, b, dom, shot, width, height):
    """A click on a finding lights its values (and scrolls to them); a click
    on a summary link lands on its mark; then the screenshot."""
    rows = b.find("tr.finding")
    pick = next((i for i, f in enumerate(dom["findings"]) if f["uses"] or f["ev"]), None)
    if pick is not None:
        f = dom["findings"][pick]
        b.click(_button(b, rows[pick]))
        lit = b.run(LIT)
        c.check(sorted(lit["v"]) == sorted((f["uses"] or "").split()) and
                sorted(lit["c"]) == sorted((f["ev"] or "").split()),
                "click on %s lit %s, it used %s" % (f["id"], lit, f["uses"]))
        c.check(lit["visible"], "click on %s: its values not scrolled into view" % f["id"])
    links = b.find("#side a.go[href]")
    if links:
        b.click(links[-1])
        t = b.run(TARGET)
        c.check(t["hash"].startswith("#v") and t["visible"],
                "summary link: landed on %r, visible %s" % (t["hash"], t["visible"]))
        if pick is not None:  # the picture shows a finding and its values lit
            b.click(_button(b, rows[pick]))
            b.run("document.querySelector('tr.finding.on').scrollIntoView("
                  "{block: 'center'});")
    err = png_ok(b.screenshot(shot), width, height)
    c.check(err is None, "screenshot: %s" % err)


def _button(b, row):
    els = b._call("POST", b._s("/element/%s/elements" % row),
                  {"using": "css selector", "value": "button.show"})
    return list(els[0].values())[0]


def isolate():
    """In `unshare -n`: loopback up for chromedriver, and proof that no
    route leads anywhere else (192.0.2.1 is TEST-NET-1)."""
    from webdriver import loopback_up
    loopback_up()
    import socket
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect(("192.0.2.1", 80))
        sys.exit("dom_check: the network namespace reaches 192.0.2.1")
    except OSError:
        pass
    finally:
        s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--filing", required=True)
    ap.add_argument("--screenshot", required=True)
    ap.add_argument("--hostile")
    ap.add_argument("--isolated", action="store_true",
                    help="running in a network namespace of its own: bring "
                    "up loopback and confirm no other host is reachable")
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--height", type=int, default=900)
    a = ap.parse_args()
    if a.isolated:
        isolate()
    x = json.loads(edgar8k(a.bin, "extract", a.filing).stdout)
    rep = json.loads(edgar8k(a.bin, "validate", "--format", "jsonl", a.filing,
                             ok=(0, 1)).stdout)
    parsed = json.loads(edgar8k(a.bin, "parse", "--with-text", a.filing).stdout)
    hostile = []
    if a.hostile:
        with open(a.hostile, encoding="utf-8") as f:
            hostile = [ln.rstrip("\n") for ln in f if ln.strip()]
    c = Checker()
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "report.html")
        p = edgar8k(a.bin, "report", "-o", page, a.filing, ok=(0, 1))
        c.check(p.returncode == (1 if rep["failed"] else 0),
                "report exit %d with %d failed checks" % (p.returncode, rep["failed"]))
        with Browser(a.width, a.height) as b:
            b.open("file://" + page)
            b.viewport(a.width, a.height)
            dom = b.run(COLLECT)
            notes = []
            nvals = check_values(c, x, dom, parsed, notes)
            nfind = check_findings(c, rep, dom)
            check_docs(c, parsed, dom)
            check_inert(c, dom, b.console(), hostile, parsed)
            interact(c, b, dom, a.screenshot, a.width, a.height)
    name = os.path.basename(a.filing)
    for n in notes:
        print("note %s: %s" % (name, n))
    for f in c.failures[:40]:
        print("FAIL %s: %s" % (name, f))
    print("report %s: %d values, %d findings, %d documents: %d checks passed, %d failed"
          % (name, nvals, nfind, len(parsed["documents"]), c.passed, len(c.failures)))
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
