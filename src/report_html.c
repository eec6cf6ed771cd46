/* report_html.c: the review page of a filing (e8k_report_to_html): its
 * identity, a summary table per offering (every field with its value,
 * document, rule, alternates and a link to where the text states it),
 * parties, clauses and facts, the validation findings (failures first; a
 * click on one highlights the values it used) and the text of every
 * document with each value marked (report_text.c).
 *
 * The page is one file that needs nothing else: style and script are
 * inline and constant (no filing data ever goes into them: everything the
 * script needs is in escaped attributes), and a Content-Security-Policy
 * names their digests and forbids every load, so the page works from a
 * file:// URL or a mail attachment, reaches no network, and text that
 * slipped past the escaping still could not run. */
#include "report_int.h"

#include "fetch_int.h" /* e8k_sha256_hex */

#include <stdlib.h>
#include <string.h>

static const char page_css[] =
    ":root{--fg:#1d2330;--muted:#5b6475;--line:#d9dde5}"
    "*{box-sizing:border-box}html,body{margin:0;height:100%}"
    "body{font:14px/1.45 system-ui,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "color:var(--fg);display:flex;flex-direction:column}"
    "header{padding:10px 16px;border-bottom:1px solid var(--line);background:#fbfbfd}"
    "h1{font-size:18px;margin:0 0 4px}h2{font-size:15px;margin:18px 0 6px}"
    "h3{font-size:14px;margin:0;padding:7px 12px;background:#eef1f6;"
    "border-bottom:1px solid var(--line);position:sticky;top:0;z-index:1}"
    "h3 small{font-weight:400;color:var(--muted)}"
    "dl.id{display:flex;flex-wrap:wrap;gap:2px 18px;margin:0;color:var(--muted)}"
    "dl.id div{display:flex;gap:5px}dl.id dt{font-weight:600}dl.id dd{margin:0;color:var(--fg)}"
    ".banner{margin-top:6px;padding:3px 8px;border-radius:4px;display:inline-block;"
    "background:#e7f5ea;color:#17602a}.banner.bad{background:#fde8e8;color:#9b1c1c;font-weight:600}"
    "main{flex:1;min-height:0;display:grid;grid-template-columns:minmax(0,11fr) minmax(0,9fr)}"
    "#side{overflow:auto;padding:0 16px 40px;background:#f7f8fa;border-right:1px solid var(--line)}"
    "#docs{overflow:auto}"
    "table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}"
    "th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}"
    "th{background:#eef1f6;font-weight:600}td{overflow-wrap:break-word}"
    "table.findings{table-layout:fixed}.findings td{overflow-wrap:anywhere}"
    ".findings td.n{white-space:nowrap;overflow-wrap:normal}"
    ".findings th:nth-child(1){width:72px}.findings th:nth-child(2){width:30%}"
    ".findings th:nth-child(6){width:22%}.findings td.n{font-size:12px}"
    "a{color:#1a56db;text-decoration:none}a:hover{text-decoration:underline}"
    "a.go{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3;"
    "overflow:hidden;white-space:pre-wrap;color:#333;border-left:3px solid #9db4e8;padding-left:4px}"
    ".val{font-weight:600}.param,a.alt{display:block;font-size:12px;color:var(--muted)}"
    "a.alt{width:fit-content;margin:2px 0;padding:0 6px;border:1px solid var(--line);"
    "border-radius:9px;background:#fff}"
    ".q{font-size:11px;color:#6b4e00;background:#fff3c4;border-radius:3px;padding:0 3px;margin-left:4px}"
    ".mono{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:12px;color:var(--muted)}"
    ".missing{color:var(--muted);font-size:12px;margin:4px 0}"
    "tr.fail td{background:#fff1f1}tr.fail td:first-child{border-left:4px solid #d62828}"
    "tr.on td{background:#eef3ff}tr.hl td{background:#fffbd6}"
    ".st{font-weight:600;white-space:nowrap}.st-fail{color:#b91c1c}.st-pass{color:#15803d}"
    ".st-info{color:#1d4ed8}.st-skipped{color:#6b7280}.st-warn{color:#b45309}"
    "button.show{font:inherit;font-size:12px;border:1px solid #9db4e8;background:#eef3ff;"
    "border-radius:4px;cursor:pointer;padding:1px 6px;text-align:left}"
    ".used a,.used span{display:block;font-size:12px}.derived{color:var(--muted)}"
    ".reason{font-size:12px}"
    ".text{white-space:pre-wrap;overflow-wrap:anywhere;padding:10px 14px;margin:0;"
    "font:13px/1.5 ui-monospace,'DejaVu Sans Mono',monospace}"
    ".none{padding:6px 14px;color:var(--muted)}"
    ".legend{display:flex;flex-wrap:wrap;gap:4px 10px;padding:8px 12px;font-size:12px;"
    "border-bottom:1px solid var(--line)}"
    "mark{color:inherit;border-radius:2px;cursor:pointer}"
    ".k-shares{background:#cfe3ff}.k-money{background:#c5efcf}.k-ratio{background:#ffdcae}"
    ".k-date{background:#e6d3ff}.k-term{background:#cff1f6}.k-party{background:#ffd3e6}"
    ".k-clause{background:#e6eab8}.k-fact{background:#ffe7a0}.k-other{background:#e0e0e0}"
    "mark.ev{background:none;outline:1px dashed #777}"
    "mark:target{outline:2px solid #1a56db}"
    "mark.lit{outline:2px solid #d62828;box-shadow:0 0 0 3px rgba(214,40,40,.25)}"
    "@media (max-width:900px),print{html,body{height:auto}body,main{display:block}"
    "#side,#docs{overflow:visible}}";

/* Values are found by the digits of their ids only (data-v, data-uses),
 * which the page writes itself: no string from the filing is ever part
 * of a selector. */
static const char page_js[] =
    "(function(){'use strict';var lit=[];"
    "function each(s,f){Array.prototype.forEach.call(document.querySelectorAll(s),f);}"
    "function ids(s){return(s||'').split(' ').filter(function(x){return x!=='';});}"
    "function light(s){each(s,function(m){m.classList.add('lit');lit.push(m);});}"
    "function show(tr){lit.forEach(function(m){m.classList.remove('lit');});lit=[];"
    "each('tr.on',function(r){r.classList.remove('on');});tr.classList.add('on');"
    "ids(tr.getAttribute('data-uses')).forEach(function(n){light('mark[data-v=\"'+n+'\"]');});"
    "ids(tr.getAttribute('data-ev')).forEach(function(n){light('mark[data-c=\"'+n+'\"]');});"
    "var f=document.querySelector('mark.lit');if(f)f.scrollIntoView({block:'center'});}"
    "function row(m){var n=m.getAttribute('data-v');"
    "var a=document.querySelector('#side [data-v=\"'+n+'\"]');if(!a)return;"
    "var tr=a.closest('tr');each('tr.hl',function(r){r.classList.remove('hl');});"
    "tr.classList.add('hl');tr.scrollIntoView({block:'center'});}"
    "document.addEventListener('click',function(e){var t=e.target;"
    "if(!(t instanceof Element))return;var b=t.closest('button.show');"
    "if(b){show(b.closest('tr'));return;}"
    "var m=t.closest('mark[data-v]');if(m)row(m);});})();";

/* A CSP source for the exact bytes of an inline element: 'sha256-' and
 * the base64 of its digest. */
static void csp_hash(rp_page *p, const char *s)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char hex[65], out[48];
    unsigned char d[33] = {0};
    e8k_sha256_hex(s, strlen(s), hex);
    for (size_t i = 0; i < 64; i++) {
        unsigned x = hex[i] <= '9' ? (unsigned)(hex[i] - '0')
                                   : (unsigned)(hex[i] - 'a' + 10);
        d[i / 2] = (unsigned char)((unsigned)d[i / 2] << 4 | x);
    }
    size_t o = 0;
    for (size_t i = 0; i < 33; i += 3) { /* 32 bytes: 10 groups and 2 left */
        unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 |
                     (i + 2 < 33 ? d[i + 2] : 0);
        out[o++] = b64[v >> 18 & 63];
        out[o++] = b64[v >> 12 & 63];
        out[o++] = i + 1 < 32 ? b64[v >> 6 & 63] : '=';
        out[o++] = i + 2 < 32 ? b64[v & 63] : '=';
    }
    out[o] = '\0';
    rp_printf(p, "'sha256-%s'", out);
}

/* ---- identity ------------------------------------------------------------- */

/* The company the filing is about: the filer (or subject company) of the
 * header, else its first entity. */
static const e8k_entity *company(const e8k_header *h)
{
    for (size_t i = 0; i < h->nentities; i++)
        if (h->entities[i].role && (!strcmp(h->entities[i].role, "filer") ||
                                    !strcmp(h->entities[i].role, "subject-company")))
            return &h->entities[i];
    return h->nentities ? &h->entities[0] : NULL;
}

static const char *form_of(const rp_page *p, const e8k_header *h)
{
    size_t m = e8k_filing_main_document(p->f);
    if (h->form_type)
        return h->form_type;
    return m < e8k_filing_document_count(p->f)
               ? e8k_filing_document(p->f, m)->type
               : NULL;
}

static void id_item(rp_page *p, const char *label, const char *value)
{
    rp_raw(p, "<div><dt>");
    rp_raw(p, label);
    rp_raw(p, "</dt><dd>");
    if (value)
        rp_str(p, value);
    else
        rp_raw(p, "\xE2\x80\x94"); /* an em dash: not stated */
    rp_raw(p, "</dd></div>");
}

static void head(rp_page *p, const e8k_entity *c, const char *form,
                 const e8k_header *h)
{
    rp_raw(p, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
              "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
              "'none'; style-src ");
    csp_hash(p, page_css);
    rp_raw(p, "; script-src ");
    csp_hash(p, page_js);
    rp_raw(p, "; base-uri 'none'; form-action 'none'\">"
              "<meta name=\"referrer\" content=\"no-referrer\">"
              "<meta name=\"viewport\" content=\"width=device-width, "
              "initial-scale=1\"><meta name=\"generator\" content=\"edgar8k "
              E8K_VERSION "\"><title>Review: ");
    rp_str(p, c && c->name ? c->name : e8k_filing_name(p->f));
    rp_raw(p, " ");
    rp_str(p, form);
    if (h->filed) {
        rp_raw(p, " ");
        rp_str(p, h->filed);
    }
    rp_raw(p, "</title><style>");
    rp_raw(p, page_css);
    rp_raw(p, "</style></head>\n");
}

static size_t count_status(const rp_page *p, e8k_check_status s)
{
    size_t n = 0;
    for (size_t i = 0; p->rep && i < e8k_report_count(p->rep); i++)
        n += e8k_report_finding(p->rep, i)->status == s;
    return n;
}

static void identity(rp_page *p, const e8k_entity *c, const char *form,
                     const e8k_header *h)
{
    rp_raw(p, "<body><header><h1>");
    rp_str(p, c && c->name ? c->name : e8k_filing_name(p->f));
    rp_raw(p, "</h1><dl class=\"id\">");
    id_item(p, "CIK", c ? c->cik : NULL);
    id_item(p, "Form", form);
    id_item(p, "Filed", h->filed);
    id_item(p, "Period", h->period);
    id_item(p, "Accession", h->accession);
    id_item(p, "File", e8k_filing_name(p->f));
    id_item(p, "Dialect", e8k_dialect_name(e8k_filing_dialect(p->f)));
    rp_printf(p, "<div><dt>Documents</dt><dd>%zu</dd></div></dl>",
              e8k_filing_document_count(p->f));
    size_t failed = count_status(p, E8K_CHECK_FAIL);
    rp_printf(p, "<a href=\"#findings\" class=\"banner%s\">",
              failed ? " bad" : "");
    if (!p->rep)
        rp_raw(p, "not validated");
    else
        rp_printf(p, "%zu of %zu checks failed \xC2\xB7 %zu warned \xC2\xB7 "
                  "%zu passed \xC2\xB7 %zu info \xC2\xB7 %zu skipped",
                  failed, e8k_report_count(p->rep),
                  count_status(p, E8K_CHECK_WARN),
                  count_status(p, E8K_CHECK_PASS), count_status(p, E8K_CHECK_INFO),
                  count_status(p, E8K_CHECK_SKIPPED));
    size_t no = e8k_records_offering_count(p->r);
    rp_printf(p, " \xC2\xB7 %zu offering%s \xC2\xB7 %zu value%s</a></header>\n",
              no, no == 1 ? "" : "s", p->nvals, p->nvals == 1 ? "" : "s");
}

/* ---- records ------------------------------------------------------------------ */

/* The link to where the text states value i: its matched text. */
static void go_link(rp_page *p, size_t i)
{
    const rp_value *rv = &p->vals[i];
    if (rv->placed)
        rp_printf(p, "<a class=\"go\" href=\"#v%zu\">", i);
    else
        rp_raw(p, "<a class=\"go\" title=\"not in the text\">");
    rp_str(p, rv->v->text);
    rp_raw(p, "</a>");
}

/* The machine-readable value, for tools reading the page. */
static void data_value(rp_page *p, const e8k_value *v)
{
    rp_raw(p, " data-value=\"");
    if (v->has_number)
        rp_printf(p, "%.17g", v->number);
    else
        rp_str(p, v->string ? v->string : v->text);
    rp_raw(p, "\"");
}

/* The value with its qualifier; the cell is left open for alternates. */
static void value_cell(rp_page *p, const e8k_value *v)
{
    rp_raw(p, "<td><span class=\"val\">");
    rp_value_text(p, v);
    rp_raw(p, "</span>");
    if (v->qualifier) {
        rp_raw(p, "<span class=\"q\">");
        rp_str(p, v->qualifier);
        rp_raw(p, "</span>");
    }
}

/* Closes the value cell; the matched text (linked), document and rule. */
static void source_cells(rp_page *p, size_t i)
{
    const e8k_value *v = p->vals[i].v;
    rp_raw(p, "</td><td>");
    go_link(p, i);
    rp_raw(p, "</td><td><span class=\"n\">");
    rp_str(p, v->doc_type);
    rp_raw(p, "</span><br><span class=\"mono\">");
    rp_str(p, v->rule);
    rp_raw(p, "</span></td></tr>\n");
}

static void row_open(rp_page *p, size_t i, const char *section)
{
    const rp_value *rv = &p->vals[i];
    rp_printf(p, "<tr id=\"row-v%zu\" data-v=\"%zu\" data-section=\"%s\"", i,
              i, section);
    if (rv->section == RP_OFFERING)
        rp_printf(p, " data-offering=\"%zu\"", rv->offering);
    else
        rp_printf(p, " data-index=\"%zu\"", rv->index);
    rp_raw(p, " data-field=\"");
    rp_str(p, rv->field);
    rp_raw(p, "\"");
    data_value(p, rv->v);
    rp_raw(p, "><td class=\"mono\">");
    rp_str(p, rv->field);
    rp_raw(p, "</td>");
}

/* The alternates of the chosen value vals[i] (they follow it in vals),
 * beside it in its cell; returns the index past them. */
static size_t alternates(rp_page *p, size_t i)
{
    size_t k = i + 1;
    for (; k < p->nvals && p->vals[k].section == RP_OFFERING &&
           p->vals[k].index > 0 && p->vals[k].offering == p->vals[i].offering &&
           !strcmp(p->vals[k].field, p->vals[i].field);
         k++) {
        const e8k_value *a = p->vals[k].v;
        rp_printf(p, "<a class=\"alt\" data-v=\"%zu\" data-alt=\"%zu\"", k,
                  p->vals[k].index);
        if (p->vals[k].placed)
            rp_printf(p, " href=\"#v%zu\"", k);
        rp_raw(p, " title=\"");
        rp_str(p, a->text);
        rp_raw(p, " \xC2\xB7 ");
        rp_str(p, a->rule);
        rp_raw(p, "\">");
        rp_value_text(p, a);
        rp_raw(p, " \xC2\xB7 ");
        rp_str(p, a->doc_type);
        rp_raw(p, "</a>");
    }
    return k;
}

static void offering_table(rp_page *p, size_t o, size_t *i)
{
    rp_printf(p, "<section class=\"offering\" id=\"o%zu\"><h2>Offering %zu</h2>"
              "<table><tr><th>Field</th><th>Value <small>(alternates)"
              "</small></th><th>Stated as</th><th>Document, rule</th></tr>\n",
              o + 1, o + 1);
    while (*i < p->nvals && p->vals[*i].section == RP_OFFERING &&
           p->vals[*i].offering == o) {
        size_t chosen = *i;
        row_open(p, chosen, "offering");
        value_cell(p, p->vals[chosen].v);
        *i = alternates(p, chosen);
        source_cells(p, chosen);
    }
    rp_raw(p, "</table><p class=\"missing\">Not stated: ");
    int any = 0;
    for (size_t k = 0; k < e8k_offering_field_count(); k++) {
        const char *name = e8k_offering_field_name(k);
        if (e8k_records_offering_field(p->r, o, name))
            continue;
        rp_raw(p, any++ ? ", " : "");
        rp_str(p, name);
    }
    rp_raw(p, any ? ".</p></section>\n" : "nothing.</p></section>\n");
}

/* A fact's period, prior figure, change ... under its value. */
static void params(rp_page *p, const e8k_value *v)
{
    for (size_t k = 0; k < v->nparams; k++) {
        const e8k_param *pa = &v->params[k];
        rp_raw(p, "<span class=\"param\">");
        rp_str(p, pa->name);
        rp_raw(p, ": ");
        if (pa->has_number)
            rp_number(p, pa->number, pa->unit);
        else
            rp_str(p, pa->string ? pa->string : pa->text);
        rp_raw(p, "</span>");
    }
}

static void list_table(rp_page *p, rp_section s, const char *title,
                       const char *section, const char *what, size_t *i)
{
    if (*i >= p->nvals || p->vals[*i].section != s)
        return;
    rp_printf(p, "<section id=\"%ss\"><h2>%s</h2><table><tr><th>%s</th>"
              "<th>Value%s</th><th>Stated as</th><th>Document, rule</th>"
              "</tr>\n", section, title, what,
              s == RP_FACT ? " <small>(details)</small>" : "");
    for (; *i < p->nvals && p->vals[*i].section == s; (*i)++) {
        row_open(p, *i, section);
        value_cell(p, p->vals[*i].v);
        if (s == RP_FACT)
            params(p, p->vals[*i].v);
        source_cells(p, *i);
    }
    rp_raw(p, "</table></section>\n");
}

static void records(rp_page *p)
{
    size_t i = 0, noff = e8k_records_offering_count(p->r);
    if (!noff)
        rp_raw(p, "<h2>Offerings</h2><p class=\"missing\">No offering terms "
                  "were found.</p>\n");
    for (size_t o = 0; o < noff; o++)
        offering_table(p, o, &i);
    list_table(p, RP_PARTY, "Parties", "party", "Role", &i);
    list_table(p, RP_CLAUSE, "Warrant clauses", "clause", "Kind", &i);
    list_table(p, RP_FACT, "Press-release facts", "fact", "Metric", &i);
}

/* ---- findings ------------------------------------------------------------------ */

static void expected_cell(rp_page *p, const e8k_finding *fd, int expected)
{
    int has = expected ? fd->has_expected : fd->has_actual;
    const char *s = expected ? fd->expected_string : fd->actual_string;
    rp_raw(p, "<td class=\"n\">");
    if (has)
        rp_number(p, expected ? fd->expected : fd->actual, fd->unit);
    else if (s)
        rp_str(p, s);
    else
        rp_raw(p, "\xE2\x80\x93");
    rp_raw(p, "</td>");
}

static void used_value(rp_page *p, const e8k_check_value *cv)
{
    long v = rp_value_of(p, cv), e = v < 0 ? rp_evidence_of(p, cv) : -1;
    if (v >= 0 && p->vals[v].placed)
        rp_printf(p, "<a href=\"#v%ld\" data-v=\"%ld\">", v, v);
    else if (e >= 0 && p->evs[e].placed)
        rp_printf(p, "<a href=\"#c%ld\" data-c=\"%ld\">", e, e);
    else
        rp_raw(p, cv->derived ? "<span class=\"derived\">" : "<span>");
    rp_str(p, cv->name);
    rp_raw(p, " = ");
    if (cv->has_number)
        rp_number(p, cv->number, cv->unit);
    else
        rp_str(p, cv->string);
    if (cv->derived) {
        rp_raw(p, " (");
        rp_str(p, cv->text);
        rp_raw(p, ")");
    }
    rp_raw(p, (v >= 0 && p->vals[v].placed) || (e >= 0 && p->evs[e].placed)
                  ? "</a>" : "</span>");
}

/* data-uses / data-ev: the ids a click on the finding lights up. */
static void uses_attr(rp_page *p, const e8k_finding *fd, int ev)
{
    rp_raw(p, ev ? " data-ev=\"" : " data-uses=\"");
    int any = 0;
    for (size_t k = 0; k < fd->nvalues; k++) {
        long x = ev ? rp_evidence_of(p, &fd->values[k])
                    : rp_value_of(p, &fd->values[k]);
        if (x < 0 || (ev && rp_value_of(p, &fd->values[k]) >= 0))
            continue;
        rp_printf(p, any++ ? " %ld" : "%ld", x);
    }
    rp_raw(p, "\"");
}

static void finding_row(rp_page *p, const e8k_finding *fd)
{
    const char *st = e8k_check_status_name(fd->status);
    static const char *const sign[] = {"\xE2\x9C\x93", "\xE2\x9C\x97",
                                       "\xE2\x80\x93", "i", "!"};
    rp_printf(p, "<tr class=\"finding%s\" data-status=\"%s\"",
              fd->status == E8K_CHECK_FAIL ? " fail" : "", st);
    rp_raw(p, " data-id=\"");
    rp_str(p, fd->id);
    rp_raw(p, "\"");
    if (fd->offering != E8K_NO_OFFERING)
        rp_printf(p, " data-offering=\"%zu\"", fd->offering);
    uses_attr(p, fd, 0);
    uses_attr(p, fd, 1);
    rp_printf(p, "><td class=\"st st-%s\">%s %s</td><td><button type=\"button\" "
              "class=\"show\" title=\"highlight the values it used\">",
              st, fd->status <= E8K_CHECK_WARN ? sign[fd->status] : "", st);
    rp_str(p, fd->id);
    rp_raw(p, "</button>");
    if (fd->offering != E8K_NO_OFFERING)
        rp_printf(p, " <small>offering %zu</small>", fd->offering + 1);
    rp_raw(p, "<div class=\"mono\">");
    rp_str(p, fd->formula);
    rp_raw(p, "</div><div class=\"reason\">");
    rp_str(p, fd->reason);
    rp_raw(p, "</div></td>");
    expected_cell(p, fd, 1);
    expected_cell(p, fd, 0);
    rp_raw(p, "<td class=\"n\">");
    if (fd->has_expected || fd->has_actual) {
        rp_raw(p, "\xC2\xB1 ");
        rp_tolerance(p, fd->tolerance, fd->unit);
    } else {
        rp_raw(p, "\xE2\x80\x93");
    }
    rp_raw(p, "</td><td class=\"used\">");
    for (size_t k = 0; k < fd->nvalues; k++)
        used_value(p, &fd->values[k]);
    rp_raw(p, "</td></tr>\n");
}

static void findings(rp_page *p)
{
    rp_raw(p, "<section id=\"findings\"><h2>Validation findings</h2>");
    if (!p->rep) {
        rp_raw(p, "<p class=\"missing\">Not validated.</p></section>\n");
        return;
    }
    rp_raw(p, "<table class=\"findings\"><tr><th>Status</th>"
              "<th>Check, formula, reason</th>"
              "<th>Expected</th><th>Actual</th><th>Tolerance</th>"
              "<th>Values used</th></tr>\n");
    /* Failures first, then warnings (unusual, not contradictory), each
     * group in the validator's order. */
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < e8k_report_count(p->rep); i++) {
            const e8k_finding *fd = e8k_report_finding(p->rep, i);
            int group = fd->status == E8K_CHECK_FAIL   ? 0
                        : fd->status == E8K_CHECK_WARN ? 1
                                                       : 2;
            if (group == pass)
                finding_row(p, fd);
        }
    rp_raw(p, "</table></section>\n");
}

/* ---- warnings, legend ------------------------------------------------------------ */

static void warning_item(rp_page *p, const e8k_error *w)
{
    rp_raw(p, "<li>");
    if (w->rule[0]) {
        rp_raw(p, "[");
        rp_str(p, w->rule);
        rp_raw(p, "] ");
    }
    if (w->offset != E8K_NO_OFFSET)
        rp_printf(p, "byte %zu: ", w->offset);
    rp_str(p, e8k_status_string(w->status));
    rp_raw(p, ": ");
    rp_str(p, w->message);
    rp_raw(p, "</li>");
}

static void warnings(rp_page *p)
{
    size_t nf = e8k_filing_warning_count(p->f),
           nr = e8k_records_warning_count(p->r), nu = 0;
    for (size_t i = 0; i < p->nvals; i++)
        nu += !p->vals[i].placed;
    if (!nf && !nr && !nu)
        return;
    rp_raw(p, "<section id=\"warnings\"><h2>Warnings</h2><ul>");
    for (size_t i = 0; i < nf; i++)
        warning_item(p, e8k_filing_warning(p->f, i));
    for (size_t i = 0; i < nr; i++)
        warning_item(p, e8k_records_warning(p->r, i));
    for (size_t i = 0; i < p->nvals; i++)
        if (!p->vals[i].placed) {
            rp_raw(p, "<li>");
            rp_str(p, p->vals[i].field);
            rp_raw(p, ": its span is not in the text of ");
            rp_doc_label(p, p->vals[i].v->document);
            rp_raw(p, "</li>");
        }
    rp_raw(p, "</ul></section>\n");
}

static void legend(rp_page *p)
{
    static const char *const kinds[][2] = {
        {"shares", "share counts"}, {"money", "money and prices"},
        {"ratio", "percentages and ratios"}, {"date", "dates and terms"},
        {"term", "offering terms"}, {"party", "parties"},
        {"clause", "warrant clauses"}, {"fact", "press-release facts"},
        {"other", "other values"}};
    rp_raw(p, "<div class=\"legend\">");
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t n = 0;
        for (size_t i = 0; i < p->nvals; i++)
            n += !strcmp(p->vals[i].kind, kinds[k][0]);
        if (n)
            rp_printf(p, "<span><mark class=\"k-%s\">%s</mark> %zu</span>",
                      kinds[k][0], kinds[k][1], n);
    }
    if (p->nevs)
        rp_printf(p, "<span><mark class=\"ev\">checked, not extracted</mark> "
                  "%zu</span>", p->nevs);
    rp_raw(p, "</div>");
}

e8k_status e8k_report_to_html(const e8k_report *rep, const e8k_filing *f,
                              const e8k_records *r, char **out, size_t *len,
                              e8k_error *err)
{
    *out = NULL;
    if (len)
        *len = 0;
    if (!f || !r)
        return e8k_fail(err, E8K_ERR_USAGE, f ? e8k_filing_name(f) : NULL,
                        NULL, 0, E8K_NO_OFFSET, "no filing or no records");
    rp_page p = {.f = f, .r = r, .rep = rep};
    const e8k_header *h = e8k_filing_header(f);
    const e8k_entity *c = company(h);
    const char *form = form_of(&p, h);
    if (rp_collect(&p))
        p.oom = 1;
    head(&p, c, form, h);
    identity(&p, c, form, h);
    rp_raw(&p, "<main><div id=\"side\">");
    records(&p);
    findings(&p);
    warnings(&p);
    rp_raw(&p, "</div><div id=\"docs\">");
    legend(&p);
    rp_documents(&p);
    rp_raw(&p, "</div></main><script>");
    rp_raw(&p, page_js);
    rp_raw(&p, "</script></body></html>\n");
    free(p.vals);
    free(p.evs);
    if (p.oom) {
        e8k_buf_free(&p.out);
        return e8k_fail(err, E8K_ERR_NOMEM, e8k_filing_name(f), NULL, 0,
                        E8K_NO_OFFSET, "no memory for the review page");
    }
    if (len)
        *len = p.out.len;
    *out = e8k_buf_take(&p.out);
    return E8K_OK;
}
