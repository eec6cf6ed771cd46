/* report_text.c: the review page's values and documents. Numbers every
 * extracted value (the id its mark and links share), finds the value each
 * validation check used, writes every document's text with each value
 * marked in place (nested where spans nest, split where they cross) and
 * holds the one escaping routine of the page. */
#include "report_int.h"

#include "e8k_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- output and escaping ---------------------------------------------- */

static void put(rp_page *p, const char *s, size_t n)
{
    if (!p->oom && n && e8k_buf_append(&p->out, s, n))
        p->oom = 1;
}

void rp_raw(rp_page *p, const char *s)
{
    put(p, s, strlen(s));
}

void rp_printf(rp_page *p, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    /* Only our own short markup and numbers come through here: longer
     * output would be a bug, and a cut page would hide it. */
    if (n < 0 || (size_t)n >= sizeof tmp)
        p->oom = 1;
    else
        put(p, tmp, (size_t)n);
}

void rp_text(rp_page *p, const char *s, size_t n)
{
    if (p->oom || !s)
        return;
    /* The JSON writer's helper is the library's one decision about raw
     * filing bytes (UTF-8 kept, anything else read as Latin-1): the page
     * then shows every string exactly as `extract` prints it. */
    json_t *j = e8k_json_strn(s, n);
    if (!j) {
        p->oom = 1;
        return;
    }
    const char *u = json_string_value(j);
    size_t m = json_string_length(j), run = 0;
    for (size_t i = 0; i < m; i++) {
        const char *ref;
        switch (u[i]) {
        case '&': ref = "&amp;"; break;
        case '<': ref = "&lt;"; break;
        case '>': ref = "&gt;"; break;
        case '"': ref = "&quot;"; break;
        case '\'': ref = "&#39;"; break;
        case '\r': ref = "&#13;"; break;   /* the parser turns a raw CR into LF */
        case '\0': ref = "&#xFFFD;"; break; /* and drops a raw NUL */
        default: continue;
        }
        put(p, u + run, i - run);
        rp_raw(p, ref);
        run = i + 1;
    }
    put(p, u + run, m - run);
    json_decref(j);
}

void rp_str(rp_page *p, const char *s)
{
    if (s)
        rp_text(p, s, strlen(s));
}

/* ---- numbers ------------------------------------------------------------- */

/* x with thousands separators and `decimals` decimals; decimals < 0:
 * whole numbers in full, others with `sig` significant digits. */
static void grouped(char *out, size_t n, double x, int decimals, int sig)
{
    char t[64];
    if (decimals >= 0 && fabs(x) < 1e15)
        snprintf(t, sizeof t, "%.*f", decimals, x);
    else if (fabs(x) < 1e15 && x == floor(x))
        snprintf(t, sizeof t, "%.0f", x);
    else
        snprintf(t, sizeof t, "%.*g", sig, x);
    if (strchr(t, 'e') || !isfinite(x)) {
        snprintf(out, n, "%s", t);
        return;
    }
    const char *digits = t + (t[0] == '-');
    size_t ndig = strspn(digits, "0123456789"), o = 0;
    if (t[0] == '-' && o + 1 < n)
        out[o++] = '-';
    for (size_t i = 0; i < ndig && o + 2 < n; i++) {
        if (i && (ndig - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    snprintf(out + o, n - o, "%s", digits + ndig);
}

static void number(rp_page *p, double x, const char *unit, int decimals,
                   int sig)
{
    char g[96];
    grouped(g, sizeof g, fabs(x), decimals, sig);
    const char *sign = x < 0 ? "-" : "";
    /* Units the grammars give a usual written form; any other unit (a new
     * one included) is written after the number as it is named. */
    if (unit && !strcmp(unit, "USD"))
        rp_printf(p, "%s$%s", sign, g);
    else if (unit && !strcmp(unit, "USD/share"))
        rp_printf(p, "%s$%s per share", sign, g);
    else if (unit && !strcmp(unit, "percent"))
        rp_printf(p, "%s%s%%", sign, g);
    else if (unit && !strcmp(unit, "multiple"))
        rp_printf(p, "%s%s\xC3\x97", sign, g); /* U+00D7 multiplication sign */
    else {
        rp_printf(p, "%s%s", sign, g);
        if (unit && *unit) {
            rp_raw(p, " ");
            rp_str(p, unit);
        }
    }
}

/* Figures with the 12 significant digits of the JSON output. */
void rp_number(rp_page *p, double x, const char *unit)
{
    number(p, x, unit, -1, 12);
}

/* Tolerances are half-widths derived from stated precision: four digits
 * say all there is (0.5, 1.14, 100,001), the rest is arithmetic noise. */
void rp_tolerance(rp_page *p, double x, const char *unit)
{
    number(p, x, unit, fabs(x) >= 1000 ? 0 : -1, 4);
}

void rp_value_text(rp_page *p, const e8k_value *v)
{
    /* As many decimals as the filing stated ($1.30, not $1.3). */
    int decimals = -1;
    if (v->precision > 0 && v->precision < 1)
        decimals = (int)lround(-log10(v->precision));
    if (v->has_number)
        number(p, v->number, v->unit, decimals > 6 ? 6 : decimals, 12);
    else
        rp_str(p, v->string ? v->string : v->text);
}

void rp_doc_label(rp_page *p, size_t doc)
{
    const e8k_document *d = doc < e8k_filing_document_count(p->f)
                                ? e8k_filing_document(p->f, doc)
                                : NULL;
    if (d)
        rp_str(p, d->type);
    rp_printf(p, " (document %zu)", doc + 1);
}

/* ---- values --------------------------------------------------------------- */

/* Colour classes: offering fields by the kind of figure, the other
 * records by what they are. A type the grammars add later is "other"
 * until it gets its own colour. */
static const char *kind_of(const e8k_value *v, rp_section s)
{
    static const char *const types[][2] = {
        {"shares", "shares"}, {"money", "money"},   {"price", "money"},
        {"percent", "ratio"}, {"multiple", "ratio"}, {"number", "ratio"},
        {"date", "date"},     {"duration", "date"}, {"enum", "term"},
        {"text", "term"},     {"name", "party"},
    };
    if (s == RP_PARTY)
        return "party";
    if (s == RP_CLAUSE)
        return "clause";
    if (s == RP_FACT)
        return "fact";
    for (size_t i = 0; v->type && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(v->type, types[i][0]))
            return types[i][1];
    return "other";
}

/* Whether v's text span lies in the text of its document. */
static int placeable(const e8k_filing *f, const e8k_value *v)
{
    if (v->document >= e8k_filing_document_count(f))
        return 0;
    const e8k_document *d = e8k_filing_document(f, v->document);
    size_t len = 0;
    if (!d->text || !e8k_text_data(d->text, &len))
        return 0;
    return v->text_span.start <= v->text_span.end && v->text_span.end <= len;
}

static int add_value(rp_page *p, const e8k_value *v, rp_section s,
                     size_t offering, size_t index, const char *field)
{
    if (!v)
        return 0;
    if (E8K_GROW(p->vals, p->vcap, p->nvals + 1))
        return -1;
    p->vals[p->nvals++] = (rp_value){v,     s, offering, index, field,
                                     kind_of(v, s), placeable(p->f, v)};
    return 0;
}

static int collect_offerings(rp_page *p)
{
    for (size_t i = 0; i < e8k_records_offering_count(p->r); i++) {
        for (size_t k = 0; k < e8k_offering_field_count(); k++) {
            const char *name = e8k_offering_field_name(k);
            if (add_value(p, e8k_records_offering_field(p->r, i, name),
                          RP_OFFERING, i, 0, name))
                return -1;
            size_t na = e8k_records_alternate_count(p->r, i, name);
            for (size_t a = 0; a < na; a++)
                if (add_value(p, e8k_records_alternate(p->r, i, name, a),
                              RP_OFFERING, i, a + 1, name))
                    return -1;
        }
    }
    return 0;
}

static int collect_lists(rp_page *p)
{
    for (size_t i = 0; i < e8k_records_party_count(p->r); i++)
        if (add_value(p, e8k_records_party(p->r, i), RP_PARTY, 0, i,
                      e8k_records_party(p->r, i)->field))
            return -1;
    for (size_t i = 0; i < e8k_records_clause_count(p->r); i++)
        if (add_value(p, e8k_records_clause(p->r, i), RP_CLAUSE, 0, i,
                      e8k_records_clause(p->r, i)->field))
            return -1;
    for (size_t i = 0; i < e8k_records_fact_count(p->r); i++)
        if (add_value(p, e8k_records_fact(p->r, i), RP_FACT, 0, i,
                      e8k_records_fact(p->r, i)->field))
            return -1;
    return 0;
}

static int stated(const e8k_check_value *cv)
{
    return !cv->derived && cv->document != E8K_NO_OFFSET;
}

long rp_value_of(const rp_page *p, const e8k_check_value *cv)
{
    if (!stated(cv))
        return -1;
    long best = -1;
    int best_score = -1;
    for (size_t i = 0; i < p->nvals; i++) {
        const e8k_value *v = p->vals[i].v;
        if (v->document != cv->document || v->span.start != cv->span.start ||
            v->span.end != cv->span.end)
            continue;
        /* Several values may share the bytes (a derived field, a fact and
         * its parts): the one the same rule found for the same field. */
        int score = (cv->rule && v->rule && !strcmp(cv->rule, v->rule)) * 2 +
                    (cv->name && p->vals[i].field &&
                     !strcmp(cv->name, p->vals[i].field));
        if (score > best_score)
            best = (long)i, best_score = score;
    }
    return best;
}

long rp_evidence_of(const rp_page *p, const e8k_check_value *cv)
{
    for (size_t i = 0; stated(cv) && i < p->nevs; i++)
        if (p->evs[i].doc == cv->document &&
            p->evs[i].span.start == cv->span.start &&
            p->evs[i].span.end == cv->span.end)
            return (long)i;
    return -1;
}

/* The first position of document `doc`'s text (length tlen) whose byte
 * offset in the filing is at least `byte`: the offset map only goes from
 * text to bytes, and it never decreases. */
static size_t text_pos(const e8k_filing *f, size_t doc, size_t tlen,
                       size_t byte)
{
    size_t lo = 0, hi = tlen;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (e8k_filing_offset(f, doc, mid) < byte)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int rp_evidence_add(rp_page *p, const e8k_check_value *cv)
{
    if (!stated(cv) || rp_value_of(p, cv) >= 0 || rp_evidence_of(p, cv) >= 0)
        return 0;
    if (E8K_GROW(p->evs, p->ecap, p->nevs + 1))
        return -1;
    rp_evidence *e = &p->evs[p->nevs++];
    *e = (rp_evidence){cv->document, cv->span, {0, 0}, cv->name, 0};
    if (cv->document >= e8k_filing_document_count(p->f))
        return 0;
    const e8k_document *d = e8k_filing_document(p->f, cv->document);
    size_t len = 0;
    if (!d->text || !e8k_text_data(d->text, &len))
        return 0;
    e->text_span.start = text_pos(p->f, cv->document, len, cv->span.start);
    e->text_span.end = text_pos(p->f, cv->document, len, cv->span.end);
    e->placed = e->text_span.start < e->text_span.end;
    return 0;
}

int rp_collect(rp_page *p)
{
    if (collect_offerings(p) || collect_lists(p))
        return -1;
    size_t nf = p->rep ? e8k_report_count(p->rep) : 0;
    for (size_t i = 0; i < nf; i++) {
        const e8k_finding *fd = e8k_report_finding(p->rep, i);
        for (size_t k = 0; k < fd->nvalues; k++)
            if (rp_evidence_add(p, &fd->values[k]))
                return -1;
    }
    return 0;
}

/* ---- marked text ------------------------------------------------------------ */

typedef struct mark {
    size_t start, end; /* in the document's text */
    int ev;            /* evidence rather than a value */
    size_t idx;        /* into vals or evs */
} mark;

/* Outer spans first (earlier start, then longer), values before evidence
 * on the same bytes, then page order: nesting follows the text. */
static int mark_cmp(const void *a, const void *b)
{
    const mark *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    if (x->ev != y->ev)
        return x->ev - y->ev;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void value_title(rp_page *p, const rp_value *rv)
{
    const e8k_value *v = rv->v;
    rp_str(p, rv->field);
    if (rv->section == RP_OFFERING)
        rp_printf(p, rv->index ? " (offering %zu, alternate %zu)"
                               : " (offering %zu)",
                  rv->offering + 1, rv->index);
    rp_raw(p, " = ");
    rp_value_text(p, v);
    if (v->qualifier) {
        rp_raw(p, " [");
        rp_str(p, v->qualifier);
        rp_raw(p, "]");
    }
    rp_raw(p, " \xC2\xB7 rule ");
    rp_str(p, v->rule);
    rp_printf(p, " \xC2\xB7 bytes %zu\xE2\x80\x93%zu", v->span.start,
              v->span.end);
}

/* `first`: the mark's first piece, which carries the id links go to. */
static void open_mark(rp_page *p, const mark *m, int first)
{
    const rp_evidence *e = m->ev ? &p->evs[m->idx] : NULL;
    const rp_value *rv = m->ev ? NULL : &p->vals[m->idx];
    size_t doc = e ? e->doc : rv->v->document;
    e8k_span sp = e ? e->span : rv->v->span;
    if (first)
        rp_printf(p, "<mark id=\"%c%zu\"", e ? 'c' : 'v', m->idx);
    else
        rp_raw(p, "<mark");
    if (e)
        rp_printf(p, " class=\"ev\" data-c=\"%zu\"", m->idx);
    else
        rp_printf(p, " class=\"k-%s\" data-v=\"%zu\"", rv->kind, m->idx);
    rp_printf(p, " data-doc=\"%zu\" data-bytes=\"%zu-%zu\" title=\"", doc,
              sp.start, sp.end);
    if (e) {
        rp_raw(p, "checked: ");
        rp_str(p, e->name);
        rp_printf(p, " \xC2\xB7 bytes %zu\xE2\x80\x93%zu", sp.start, sp.end);
    } else {
        value_title(p, rv);
    }
    rp_raw(p, "\">");
}

/* The document's marks, sorted; NULL with *n = 0 when none or no memory
 * (p->oom then set). */
static mark *doc_marks(rp_page *p, size_t doc, size_t *n)
{
    size_t cnt = 0, k = 0;
    for (size_t i = 0; i < p->nvals; i++)
        cnt += p->vals[i].placed && p->vals[i].v->document == doc;
    for (size_t i = 0; i < p->nevs; i++)
        cnt += p->evs[i].placed && p->evs[i].doc == doc;
    *n = 0;
    if (!cnt)
        return NULL;
    mark *ms = malloc(cnt * sizeof *ms);
    if (!ms) {
        p->oom = 1;
        return NULL;
    }
    for (size_t i = 0; i < p->nvals; i++)
        if (p->vals[i].placed && p->vals[i].v->document == doc)
            ms[k++] = (mark){p->vals[i].v->text_span.start,
                             p->vals[i].v->text_span.end, 0, i};
    for (size_t i = 0; i < p->nevs; i++)
        if (p->evs[i].placed && p->evs[i].doc == doc)
            ms[k++] = (mark){p->evs[i].text_span.start,
                             p->evs[i].text_span.end, 1, i};
    qsort(ms, cnt, sizeof *ms, mark_cmp);
    *n = cnt;
    return ms;
}

/* At `pos`, closes the marks that end there. A mark ending inside one
 * opened after it (crossing spans) closes those above it first; they are
 * opened again as continuation pieces, so the elements stay nested and
 * each value's pieces together hold exactly its text. */
static void close_at(rp_page *p, const mark **stack, size_t *depth,
                     size_t pos)
{
    size_t lo = *depth;
    for (size_t i = 0; i < *depth; i++)
        if (stack[i]->end == pos) {
            lo = i;
            break;
        }
    if (lo == *depth)
        return;
    size_t top = *depth, keep = lo;
    for (size_t i = top; i-- > lo;)
        rp_raw(p, "</mark>");
    for (size_t i = lo; i < top; i++)
        if (stack[i]->end != pos) {
            stack[keep++] = stack[i];
            open_mark(p, stack[i], 0);
        }
    *depth = keep;
}

static void marked_text(rp_page *p, const char *t, size_t len,
                        const mark *ms, size_t n)
{
    const mark **stack = n ? malloc(n * sizeof *stack) : NULL;
    if (n && !stack) {
        p->oom = 1;
        return;
    }
    size_t depth = 0, k = 0, pos = 0;
    for (;;) {
        size_t next = k < n ? ms[k].start : (size_t)-1;
        for (size_t i = 0; i < depth; i++)
            if (stack[i]->end < next)
                next = stack[i]->end;
        if (next == (size_t)-1)
            break;
        rp_text(p, t + pos, next - pos);
        pos = next;
        close_at(p, stack, &depth, pos);
        for (; k < n && ms[k].start == pos; k++) {
            open_mark(p, &ms[k], 1);
            if (ms[k].end == pos)
                rp_raw(p, "</mark>"); /* an empty span: still one mark */
            else
                stack[depth++] = &ms[k];
        }
    }
    rp_text(p, t + pos, len - pos);
    free(stack);
}

static void doc_heading(rp_page *p, size_t i, const e8k_document *d)
{
    rp_printf(p, "<article class=\"doc\" id=\"d%zu\"><h3>", i);
    rp_str(p, d->type);
    rp_printf(p, " <small>document %zu of %zu \xC2\xB7 sequence %d",
              i + 1, e8k_filing_document_count(p->f), d->sequence);
    if (d->filename) {
        rp_raw(p, " \xC2\xB7 ");
        rp_str(p, d->filename);
    }
    if (d->description) {
        rp_raw(p, " \xC2\xB7 ");
        rp_str(p, d->description);
    }
    rp_printf(p, " \xC2\xB7 %s \xC2\xB7 bytes %zu\xE2\x80\x93%zu</small></h3>",
              e8k_format_name(d->format), d->span.start, d->span.end);
}

void rp_documents(rp_page *p)
{
    for (size_t i = 0; i < e8k_filing_document_count(p->f) && !p->oom; i++) {
        const e8k_document *d = e8k_filing_document(p->f, i);
        doc_heading(p, i, d);
        size_t len = 0;
        const char *t = d->text ? e8k_text_data(d->text, &len) : NULL;
        if (!t) {
            rp_printf(p, "<p class=\"none\">No text: a %s document.</p>"
                      "</article>\n", e8k_format_name(d->format));
            continue;
        }
        size_t n = 0;
        mark *ms = doc_marks(p, i, &n);
        rp_raw(p, "<div class=\"text\">");
        marked_text(p, t, len, ms, n);
        rp_raw(p, "</div></article>\n");
        free(ms);
    }
}
