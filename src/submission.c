/* submission.c: the submission reader, the first stage of a parse. It tells
 * which EDGAR dialect a buffer is written in, reads the header fields and
 * cuts the buffer into documents (type, sequence, names, body span, format).
 * It never copies or converts a body: later stages work on the spans, which
 * are byte offsets into the caller's buffer. Every scan is linear (memchr,
 * memmem, one pass over lines) because complete submissions run to 100+ MB.
 *
 * SGML tags count only at the start of a line and in upper case: bodies are
 * HTML full of lower-case <text> and mid-line tags that mean nothing here.
 * Lines end in LF, CRLF or a bare CR (Feed .nc files mix them). */
#define _GNU_SOURCE /* memmem */
#include "internal.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define NONE ((size_t)-1)
/* How far binary sniffing looks, and how much of a cover page is read to
 * find the form it names. */
#define SNIFF_BYTES ((size_t)64 << 10)
#define COVER_BYTES ((size_t)32 << 10)
#define COVER_LINES 100
#define HTML_COVER_RAW ((size_t)1 << 20)

static const char PEM_BEGIN[] = "-----BEGIN PRIVACY-ENHANCED MESSAGE-----";
static const char PEM_END[] = "-----END PRIVACY-ENHANCED MESSAGE-----";

typedef struct reader {
    e8k_filing *f;
    e8k_error *err;
    const char *b;
    size_t n;
} reader;

typedef struct line {
    size_t start, end; /* the line's bytes, without its terminator */
    size_t next;       /* start of the following line */
} line;

/* ---- errors -------------------------------------------------------------- */

static e8k_status fail(reader *r, e8k_status s, size_t off, const char *fmt,
                       ...) E8K_PRINTF(4, 5);

static e8k_status fail(reader *r, e8k_status s, size_t off, const char *fmt,
                       ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return e8k_fail(r->err, s, r->f->name, r->b, r->n, off, "%s", msg);
}

static e8k_status nomem(reader *r)
{
    return fail(r, E8K_ERR_NOMEM, E8K_NO_OFFSET,
                "out of memory while reading the submission");
}

/* ---- lines and tags ------------------------------------------------------ */

/* Reads the line starting at p; 0 at the end of the buffer. */
static int get_line(const reader *r, size_t p, line *ln)
{
    if (p >= r->n)
        return 0;
    size_t e = p;
    while (e < r->n && r->b[e] != '\n' && r->b[e] != '\r')
        e++;
    ln->start = p;
    ln->end = e;
    if (e < r->n && r->b[e] == '\r' && e + 1 < r->n && r->b[e + 1] == '\n')
        e++;
    ln->next = e < r->n ? e + 1 : e;
    return 1;
}

static int starts_with(const reader *r, size_t p, size_t end, const char *s)
{
    size_t k = strlen(s);
    return end >= p && end - p >= k && memcmp(r->b + p, s, k) == 0;
}

static int line_is(const reader *r, const line *ln, const char *tag)
{
    return starts_with(r, ln->start, ln->end, tag);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v';
}

static int blank(const reader *r, const line *ln)
{
    for (size_t i = ln->start; i < ln->end; i++)
        if (!is_space(r->b[i]))
            return 0;
    return 1;
}

static void trim(const char *b, size_t *s, size_t *e)
{
    while (*s < *e && is_space(b[*s]))
        (*s)++;
    while (*e > *s && is_space(b[*e - 1]))
        (*e)--;
}

/* First line in [from, to) that starts with `tag`, or NONE. */
static size_t find_tag_line(const reader *r, size_t from, size_t to,
                            const char *tag)
{
    size_t k = strlen(tag);
    while (from < to && to - from >= k) {
        const char *p = memmem(r->b + from, to - from, tag, k);
        if (!p)
            return NONE;
        size_t at = (size_t)(p - r->b);
        if (at == 0 || r->b[at - 1] == '\n' || r->b[at - 1] == '\r')
            return at;
        from = at + 1;
    }
    return NONE;
}

/* The trimmed value after a "<TAG>" at the start of a line. */
static void tag_value(const reader *r, const line *ln, size_t taglen,
                      size_t *s, size_t *e)
{
    *s = ln->start + taglen;
    *e = ln->end;
    trim(r->b, s, e);
}

/* ---- header values ------------------------------------------------------- */

/* Copies b[s, e) into the pool as *out unless *out is already set (the first
 * statement of a field wins) or the value is empty. */
static e8k_status keep(reader *r, size_t s, size_t e, const char **out)
{
    trim(r->b, &s, &e);
    if (*out || s == e)
        return E8K_OK;
    *out = e8k_pool_strndup(&r->f->pool, r->b + s, e - s);
    return *out ? E8K_OK : nomem(r);
}

/* Header dates are YYYYMMDD; the API speaks YYYY-MM-DD. */
static e8k_status keep_date(reader *r, size_t s, size_t e, const char **out)
{
    trim(r->b, &s, &e);
    if (*out || s == e)
        return E8K_OK;
    int ok = e - s == 8;
    for (size_t i = s; ok && i < e; i++)
        ok = isdigit((unsigned char)r->b[i]) != 0;
    if (!ok) {
        e8k_filing_warn(r->f, E8K_ERR_MALFORMED, s,
                        "header date \"%.*s\" is not YYYYMMDD; ignored",
                        (int)(e - s > 40 ? 40 : e - s), r->b + s);
        return E8K_OK;
    }
    char d[11];
    const char *v = r->b + s;
    snprintf(d, sizeof d, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
    *out = e8k_pool_strdup(&r->f->pool, d);
    return *out ? E8K_OK : nomem(r);
}

/* The decimal number b[s, e), or -1 when it is not one or exceeds
 * INT_MAX. */
static long number(const char *b, size_t s, size_t e)
{
    long v = 0;
    for (size_t i = s; i < e; i++) {
        if (!isdigit((unsigned char)b[i]) || v > INT_MAX / 10)
            return -1;
        v = v * 10 + (b[i] - '0');
    }
    return s < e && v <= INT_MAX ? v : -1;
}

static void keep_count(reader *r, size_t s, size_t e)
{
    trim(r->b, &s, &e);
    if (r->f->header.document_count >= 0 || s == e)
        return;
    r->f->header.document_count = number(r->b, s, e);
    if (r->f->header.document_count < 0)
        e8k_filing_warn(r->f, E8K_ERR_MALFORMED, s,
                        "public document count \"%.*s\" is not a number; "
                        "ignored", (int)(e - s > 40 ? 40 : e - s), r->b + s);
}

/* The fields edgar8k reads, as the SGML header ("KEY:") and the Feed .nc
 * header ("<KEY>") spell them. */
typedef enum field {
    F_ACCESSION, F_FORM, F_COUNT, F_PERIOD, F_FILED, F_ITEM,
    F_ENTITY, F_NAME, F_CIK, F_OTHER
} field;

static const struct {
    const char *sgml, *nc;
    field id;
} FIELDS[] = {
    {"ACCESSION NUMBER", "ACCESSION-NUMBER", F_ACCESSION},
    {"CONFORMED SUBMISSION TYPE", "TYPE", F_FORM},
    {"PUBLIC DOCUMENT COUNT", "PUBLIC-DOCUMENT-COUNT", F_COUNT},
    {"CONFORMED PERIOD OF REPORT", "PERIOD", F_PERIOD},
    {"FILED AS OF DATE", "FILING-DATE", F_FILED},
    {"ITEM INFORMATION", "ITEMS", F_ITEM},
    {"COMPANY DATA", "COMPANY-DATA", F_ENTITY},
    {"OWNER DATA", "OWNER-DATA", F_ENTITY},
    {"COMPANY CONFORMED NAME", "CONFORMED-NAME", F_NAME},
    {"CENTRAL INDEX KEY", "CIK", F_CIK},
};

static field field_of(const char *key, size_t n, int nc)
{
    for (size_t i = 0; i < sizeof FIELDS / sizeof FIELDS[0]; i++) {
        const char *name = nc ? FIELDS[i].nc : FIELDS[i].sgml;
        if (strlen(name) == n && memcmp(name, key, n) == 0)
            return FIELDS[i].id;
    }
    return F_OTHER;
}

/* While reading a header: the role named by the last section line
 * ("FILER:", "<SUBJECT-COMPANY>") and the company being filled in. A
 * company starts at its COMPANY DATA / OWNER DATA block, so section lines
 * that hold no company ("ITEM INFORMATION:" left empty) name nobody. */
typedef struct header_state {
    char role[48];
    size_t entity; /* index in f->entities, or NONE */
} header_state;

static void set_role(header_state *h, const char *key, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof h->role; i++) {
        char c = key[i];
        h->role[k++] = (c == ' ' || c == '_')
                           ? '-'
                           : (char)tolower((unsigned char)c);
    }
    h->role[k] = '\0';
}

static e8k_status add_entity(reader *r, header_state *h, size_t off)
{
    if (r->f->header.nentities >= E8K_MAX_HEADER_ENTITIES)
        return fail(r, E8K_ERR_LIMIT, off,
                    "the header names more than %d companies "
                    "(E8K_MAX_HEADER_ENTITIES)", E8K_MAX_HEADER_ENTITIES);
    if (!e8k_filing_add_entity(r->f, h->role[0] ? h->role : "filer"))
        return nomem(r);
    h->entity = r->f->header.nentities - 1;
    return E8K_OK;
}

static e8k_status add_item(reader *r, size_t s, size_t e)
{
    trim(r->b, &s, &e);
    if (s == e)
        return E8K_OK;
    if (r->f->header.nitems >= E8K_MAX_HEADER_ITEMS)
        return fail(r, E8K_ERR_LIMIT, s,
                    "the header states more than %d items "
                    "(E8K_MAX_HEADER_ITEMS)", E8K_MAX_HEADER_ITEMS);
    return e8k_filing_add_header_item(r->f, r->b + s, e - s) == 0
               ? E8K_OK
               : nomem(r);
}

/* Records one header field whose value is b[s, e). */
static e8k_status header_field(reader *r, header_state *h, field id,
                               size_t s, size_t e)
{
    e8k_header *hd = &r->f->header;
    e8k_entity *ent =
        h->entity == NONE ? NULL : &r->f->entities[h->entity];
    switch (id) {
    case F_ACCESSION: return keep(r, s, e, &hd->accession);
    case F_FORM: return keep(r, s, e, &hd->form_type);
    case F_COUNT: keep_count(r, s, e); return E8K_OK;
    case F_PERIOD: return keep_date(r, s, e, &hd->period);
    case F_FILED: return keep_date(r, s, e, &hd->filed);
    case F_ITEM: return add_item(r, s, e);
    case F_ENTITY: return add_entity(r, h, s);
    case F_NAME: return ent ? keep(r, s, e, &ent->name) : E8K_OK;
    case F_CIK: return ent ? keep(r, s, e, &ent->cik) : E8K_OK;
    case F_OTHER: break;
    }
    return E8K_OK;
}

/* One line of an SGML header: "KEY:<tabs>VALUE", sections indented by tabs.
 * Tag lines inside it (<ACCEPTANCE-DATETIME>) carry nothing edgar8k reads. */
static e8k_status sgml_header_line(reader *r, header_state *h,
                                   const line *ln)
{
    size_t s = ln->start, e = ln->end;
    while (s < e && is_space(r->b[s]))
        s++;
    if (s == e || r->b[s] == '<')
        return E8K_OK;
    const char *colon = memchr(r->b + s, ':', e - s);
    if (!colon)
        return E8K_OK;
    size_t ks = s, ke = (size_t)(colon - r->b), vs = ke + 1, ve = e;
    trim(r->b, &ks, &ke);
    trim(r->b, &vs, &ve);
    field id = field_of(r->b + ks, ke - ks, 0);
    if (id == F_OTHER && vs == ve && s == ln->start)
        set_role(h, r->b + ks, ke - ks);
    return header_field(r, h, id, vs, ve);
}

/* One line of a Feed .nc header: "<KEY>VALUE", or "<SECTION>", "</SECTION>".
 * Sections are not indented, so an empty tag other than a company block is
 * taken as the role of the company block that follows it. */
static e8k_status nc_header_line(reader *r, header_state *h, const line *ln)
{
    const char *b = r->b;
    if (ln->end - ln->start < 3 || b[ln->start] != '<' ||
        b[ln->start + 1] == '/')
        return E8K_OK;
    const char *gt = memchr(b + ln->start, '>', ln->end - ln->start);
    if (!gt)
        return E8K_OK;
    size_t ks = ln->start + 1, ke = (size_t)(gt - b);
    size_t vs = ke + 1, ve = ln->end;
    trim(b, &vs, &ve);
    field id = field_of(b + ks, ke - ks, 1);
    if (id == F_OTHER && vs == ve)
        set_role(h, b + ks, ke - ks);
    return header_field(r, h, id, vs, ve);
}

static e8k_status read_header_lines(reader *r, size_t from, size_t to,
                                    int nc)
{
    header_state h = {.role = "", .entity = NONE};
    line ln;
    for (size_t p = from; p < to && get_line(r, p, &ln); p = ln.next) {
        if (ln.end > to)
            ln.end = to;
        e8k_status s = nc ? nc_header_line(r, &h, &ln)
                          : sgml_header_line(r, &h, &ln);
        if (s != E8K_OK)
            return s;
    }
    return E8K_OK;
}

static e8k_status check_header_size(reader *r, size_t from, size_t to)
{
    if (to - from <= E8K_MAX_HEADER_SIZE)
        return E8K_OK;
    return fail(r, E8K_ERR_LIMIT, from,
                "the header is %zu bytes; the limit is %zu "
                "(E8K_MAX_HEADER_SIZE)", to - from, E8K_MAX_HEADER_SIZE);
}

/* ---- documents ----------------------------------------------------------- */

static e8k_status new_document(reader *r, size_t off, e8k_document **out)
{
    if (r->f->ndocs >= E8K_MAX_DOCUMENTS)
        return fail(r, E8K_ERR_LIMIT, off,
                    "more than %d documents in one submission "
                    "(E8K_MAX_DOCUMENTS)", E8K_MAX_DOCUMENTS);
    *out = e8k_filing_add_document(r->f);
    return *out ? E8K_OK : nomem(r);
}

static e8k_status set_type(reader *r, e8k_document *d, const char *type)
{
    d->type = e8k_pool_strdup(&r->f->pool, type);
    return d->type ? E8K_OK : nomem(r);
}

static void detect_format(reader *r, e8k_document *d)
{
    d->format = e8k_format_detect(r->b + d->span.start,
                                  d->span.end - d->span.start, d->type,
                                  d->filename);
}

/* Binary and data bodies come wrapped (<XBRL>...</XBRL>, <PDF>, <XML>,
 * <JSON>); the span should be the content itself. */
static void strip_wrapper(reader *r, e8k_document *d)
{
    static const char *const names[] = {"XBRL", "XML", "PDF", "JSON"};
    line first;
    if (!get_line(r, d->span.start, &first) || first.next > d->span.end)
        return;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char open[16], close[16];
        snprintf(open, sizeof open, "<%s>", names[i]);
        snprintf(close, sizeof close, "</%s>", names[i]);
        size_t s = first.start, e = first.end;
        trim(r->b, &s, &e);
        if (e - s != strlen(open) || memcmp(r->b + s, open, e - s) != 0)
            continue;
        size_t c = find_tag_line(r, first.next, d->span.end, close);
        d->span.start = first.next;
        if (c == NONE)
            e8k_filing_warn(r->f, E8K_ERR_MALFORMED, first.start,
                            "%s has no %s before </TEXT>", open, close);
        else
            d->span.end = c;
        return;
    }
}

/* One line between <DOCUMENT> and <TEXT>; lines other than <TYPE>,
 * <SEQUENCE>, <FILENAME> and <DESCRIPTION> carry nothing read here. */
static e8k_status read_meta_line(reader *r, e8k_document *d, const line *ln)
{
    static const char *const tags[] = {"<TYPE>", "<FILENAME>",
                                       "<DESCRIPTION>"};
    const char **slots[] = {&d->type, &d->filename, &d->description};
    size_t s, e;
    for (size_t i = 0; i < 3; i++) {
        if (!line_is(r, ln, tags[i]))
            continue;
        tag_value(r, ln, strlen(tags[i]), &s, &e);
        return keep(r, s, e, slots[i]);
    }
    if (line_is(r, ln, "<SEQUENCE>")) {
        tag_value(r, ln, strlen("<SEQUENCE>"), &s, &e);
        long v = number(r->b, s, e);
        if (v > 0) /* else the position given by e8k_filing_add_document */
            d->sequence = (int)v;
    }
    return E8K_OK;
}

/* The lines between <DOCUMENT> and <TEXT>. Stops on the <TEXT> line
 * (returns it in *stop) or on </DOCUMENT> when the document has no body. */
static e8k_status read_doc_meta(reader *r, e8k_document *d, size_t open,
                                size_t p, line *stop)
{
    line ln;
    for (; get_line(r, p, &ln); p = ln.next) {
        if (line_is(r, &ln, "<TEXT>") || line_is(r, &ln, "</DOCUMENT>")) {
            *stop = ln;
            return E8K_OK;
        }
        if (line_is(r, &ln, "<DOCUMENT>"))
            return fail(r, E8K_ERR_MALFORMED, ln.start,
                        "<DOCUMENT> inside the <DOCUMENT> opened at byte "
                        "%zu; expected its <TEXT> first", open);
        if (line_is(r, &ln, "</TEXT>"))
            return fail(r, E8K_ERR_MALFORMED, ln.start,
                        "</TEXT> with no open <TEXT> in the <DOCUMENT> "
                        "opened at byte %zu", open);
        e8k_status st = read_meta_line(r, d, &ln);
        if (st != E8K_OK)
            return st;
    }
    return fail(r, E8K_ERR_TRUNCATED, open,
                "<DOCUMENT> opened at byte %zu is never closed: the input "
                "ends before its <TEXT>", open);
}

/* Finds the </TEXT> of a body starting at `body`; a </DOCUMENT> or a new
 * <DOCUMENT> before it means the tags are mis-nested. */
static e8k_status find_text_end(reader *r, const e8k_document *d,
                                size_t open, size_t text, size_t body,
                                size_t *close)
{
    size_t c = find_tag_line(r, body, r->n, "</TEXT>");
    size_t lim = c == NONE ? r->n : c;
    size_t dc = find_tag_line(r, body, lim, "</DOCUMENT>");
    size_t dn = find_tag_line(r, body, dc == NONE ? lim : dc, "<DOCUMENT>");
    if (dn != NONE)
        return fail(r, E8K_ERR_MALFORMED, dn,
                    "<DOCUMENT> inside the <DOCUMENT> opened at byte %zu, "
                    "whose <TEXT> (byte %zu) is still open", open, text);
    if (dc != NONE)
        return fail(r, E8K_ERR_MALFORMED, dc,
                    "</DOCUMENT> before the </TEXT> of the <TEXT> opened "
                    "at byte %zu", text);
    if (c == NONE)
        return fail(r, E8K_ERR_TRUNCATED, text,
                    "<TEXT> opened at byte %zu (document %d, %s) is never "
                    "closed: no </TEXT> line before the end of the input",
                    text, d->sequence, d->type);
    *close = c;
    return E8K_OK;
}

/* After </TEXT>: blank or stray lines up to </DOCUMENT>. */
static e8k_status find_doc_end(reader *r, size_t open, size_t p, size_t *next)
{
    line ln;
    for (; get_line(r, p, &ln); p = ln.next) {
        if (line_is(r, &ln, "</DOCUMENT>")) {
            *next = ln.next;
            return E8K_OK;
        }
        if (line_is(r, &ln, "<DOCUMENT>") || line_is(r, &ln, "</TEXT>") ||
            line_is(r, &ln, "<TEXT>") || line_is(r, &ln, "</SEC-DOCUMENT>") ||
            line_is(r, &ln, "</IMS-DOCUMENT>") ||
            line_is(r, &ln, "</SUBMISSION>"))
            return fail(r, E8K_ERR_MALFORMED, ln.start,
                        "%.*s while the <DOCUMENT> opened at byte %zu is "
                        "still open; expected </DOCUMENT>",
                        (int)(ln.end - ln.start > 20 ? 20 : ln.end - ln.start),
                        r->b + ln.start, open);
    }
    return fail(r, E8K_ERR_TRUNCATED, open,
                "<DOCUMENT> opened at byte %zu is never closed: the input "
                "ends before its </DOCUMENT>", open);
}

/* Reads one document whose metadata starts at `meta` (the line after
 * <DOCUMENT>, or the <TYPE> line of a document that lost its <DOCUMENT>).
 * *next is where the following document may start. */
static e8k_status read_document(reader *r, size_t open, size_t meta,
                                size_t *next)
{
    e8k_document *d;
    e8k_status s = new_document(r, open, &d);
    line stop = {0, 0, 0};
    if (s == E8K_OK)
        s = read_doc_meta(r, d, open, meta, &stop);
    if (s == E8K_OK && !d->type)
        s = set_type(r, d, "UNKNOWN");
    if (s != E8K_OK)
        return s;
    if (line_is(r, &stop, "</DOCUMENT>")) {
        e8k_filing_warn(r->f, E8K_ERR_MALFORMED, open,
                        "document %d (%s) has no <TEXT>; its body is empty",
                        d->sequence, d->type);
        d->span.start = d->span.end = stop.start;
        detect_format(r, d);
        *next = stop.next;
        return E8K_OK;
    }
    size_t close = 0;
    s = find_text_end(r, d, open, stop.start, stop.next, &close);
    if (s != E8K_OK)
        return s;
    d->span.start = stop.next;
    d->span.end = close;
    strip_wrapper(r, d);
    detect_format(r, d);
    line cl;
    get_line(r, close, &cl);
    return find_doc_end(r, open, cl.next, next);
}

/* The documents from p on, until `close_tag` (the container's end tag, NULL
 * for a lone document) or the end of the input. */
static e8k_status read_documents(reader *r, size_t p, const char *close_tag,
                                 size_t container)
{
    line ln;
    while (get_line(r, p, &ln)) {
        e8k_status s = E8K_OK;
        if (close_tag && line_is(r, &ln, close_tag))
            return E8K_OK;
        if (line_is(r, &ln, "<DOCUMENT>"))
            s = read_document(r, ln.start, ln.next, &p);
        else if (line_is(r, &ln, "</TEXT>"))
            return fail(r, E8K_ERR_MALFORMED, ln.start,
                        "</TEXT> with no open <TEXT>; expected <DOCUMENT>");
        else if (line_is(r, &ln, "</DOCUMENT>"))
            return fail(r, E8K_ERR_MALFORMED, ln.start,
                        "</DOCUMENT> with no open <DOCUMENT>");
        else
            p = ln.next;
        if (s != E8K_OK)
            return s;
    }
    if (close_tag)
        e8k_filing_warn(r->f, E8K_ERR_TRUNCATED, container,
                        "the input ends without %s", close_tag);
    return E8K_OK;
}

/* ---- SGML dialects ------------------------------------------------------- */

/* "<SEC-DOCUMENT>0000320193-99-000010.txt : 19990908" names the accession
 * number when the header does not. */
static e8k_status accession_from_container(reader *r, const line *ln,
                                           size_t taglen)
{
    size_t s, e;
    tag_value(r, ln, taglen, &s, &e);
    size_t k = s;
    while (k < e && (isdigit((unsigned char)r->b[k]) || r->b[k] == '-'))
        k++;
    if (k - s < 10)
        return E8K_OK;
    return keep(r, s, k, &r->f->header.accession);
}

/* <SEC-DOCUMENT> or <IMS-DOCUMENT> at p: header block, then documents. */
static e8k_status read_sec_document(reader *r, size_t p)
{
    int ims = starts_with(r, p, r->n, "<IMS-DOCUMENT>");
    const char *hopen = ims ? "<IMS-HEADER>" : "<SEC-HEADER>";
    const char *hclose = ims ? "</IMS-HEADER>" : "</SEC-HEADER>";
    line ln;
    get_line(r, p, &ln);
    size_t pos = ln.next;
    size_t first_doc = find_tag_line(r, pos, r->n, "<DOCUMENT>");
    size_t lim = first_doc == NONE ? r->n : first_doc;
    size_t h = find_tag_line(r, pos, lim, hopen);
    e8k_status s = E8K_OK;
    if (h == NONE) {
        e8k_filing_warn(r->f, E8K_ERR_MALFORMED, p,
                        "no %s before the first document", hopen);
    } else {
        size_t c = find_tag_line(r, h, lim, hclose);
        if (c == NONE)
            return fail(r, E8K_ERR_TRUNCATED, h,
                        "%s opened at byte %zu is never closed: expected %s "
                        "before %s", hopen, h, hclose,
                        first_doc == NONE ? "the end of the input"
                                          : "the first <DOCUMENT>");
        size_t end = c + strlen(hclose);
        s = check_header_size(r, h, end);
        if (s != E8K_OK)
            return s;
        r->f->header.span = (e8k_span){h, end};
        line hl;
        get_line(r, h, &hl);
        s = read_header_lines(r, hl.next, c, 0);
        get_line(r, c, &hl);
        pos = hl.next;
    }
    if (s == E8K_OK) /* both container tags are 14 bytes long */
        s = accession_from_container(r, &ln, strlen("<SEC-DOCUMENT>"));
    if (s != E8K_OK)
        return s;
    return read_documents(r, pos, ims ? "</IMS-DOCUMENT>" : "</SEC-DOCUMENT>",
                          p);
}

/* Feed .nc: <SUBMISSION>, header tags up to the first <DOCUMENT>. The
 * header span is those tag lines, without the <SUBMISSION> line. */
static e8k_status read_nc(reader *r, size_t p)
{
    line ln;
    get_line(r, p, &ln);
    size_t first_doc = find_tag_line(r, ln.next, r->n, "<DOCUMENT>");
    size_t end = first_doc;
    if (end == NONE)
        end = find_tag_line(r, ln.next, r->n, "</SUBMISSION>");
    if (end == NONE)
        end = r->n;
    e8k_status s = check_header_size(r, ln.next, end);
    if (s != E8K_OK)
        return s;
    r->f->header.span = (e8k_span){ln.next, end};
    s = read_header_lines(r, ln.next, end, 1);
    if (s != E8K_OK)
        return s;
    return read_documents(r, end, "</SUBMISSION>", p);
}

/* The last non-blank line of the input, to check a PEM block is closed. */
static int ends_with_line(const reader *r, const char *s)
{
    size_t e = r->n;
    while (e > 0 && is_space(r->b[e - 1]))
        e--;
    size_t k = strlen(s);
    return e >= k && memcmp(r->b + e - k, s, k) == 0 &&
           (e == k || r->b[e - k - 1] == '\n' || r->b[e - k - 1] == '\r');
}

/* PEM: "Name: value" signature fields up to a blank line, then the SGML
 * document. The signature is not verified; only its END line is looked
 * for, since a missing one means the file was cut. */
static e8k_status read_pem(reader *r, size_t p)
{
    if (!ends_with_line(r, PEM_END))
        e8k_filing_warn(r->f, E8K_ERR_TRUNCATED, p,
                        "the PEM block has no %s line", PEM_END);
    line ln;
    for (; get_line(r, p, &ln); p = ln.next) {
        if (line_is(r, &ln, "<SEC-DOCUMENT>") ||
            line_is(r, &ln, "<IMS-DOCUMENT>"))
            return read_sec_document(r, ln.start);
        if (line_is(r, &ln, "<DOCUMENT>"))
            return read_documents(r, ln.start, NULL, ln.start);
        if (r->b[ln.start] == '<' || line_is(r, &ln, PEM_END))
            break;
    }
    return fail(r, E8K_ERR_MALFORMED, p < r->n ? p : r->n,
                "the PEM block holds no <SEC-DOCUMENT>, <IMS-DOCUMENT> or "
                "<DOCUMENT>");
}

/* ---- cover pages: the form a document names ---------------------------- */

static int is_type_char(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == '/';
}

/* Whether the trimmed line s[a..e) holds at least `min` bytes (more than
 * `word`) and opens with `word` (any case) and a blank. */
static int opens_with_word(const char *s, size_t a, size_t e,
                           const char *word, size_t min)
{
    size_t k = strlen(word);
    return e - a >= min && strncasecmp(s + a, word, k) == 0 &&
           is_space(s[a + k]);
}

/* A cover line "FORM 8-K" (also "Form 10-Q" alone on its line) gives the
 * form type. The type must hold a digit or a hyphen, which keeps out
 * "Form of Warrant". */
static int form_line(const char *s, size_t n, char *type, size_t cap)
{
    size_t a = 0, e = n;
    trim(s, &a, &e);
    if (!opens_with_word(s, a, e, "form", 6))
        return 0;
    int upper = memcmp(s + a, "FORM", 4) == 0;
    size_t t = a + 4;
    while (t < e && is_space(s[t]))
        t++;
    size_t te = t;
    int mark = 0;
    while (te < e && is_type_char(s[te])) {
        mark |= isdigit((unsigned char)s[te]) || s[te] == '-';
        te++;
    }
    if (te == t || !mark || te - t >= cap || (te < e && !is_space(s[te])) ||
        (te < e && !upper))
        return 0;
    for (size_t i = t; i < te; i++)
        type[i - t] = (char)toupper((unsigned char)s[i]);
    type[te - t] = '\0';
    return 1;
}

/* An exhibit heading: a line holding only "Exhibit N" where N is 1.1,
 * 99, 10.1, 3(i) ... ("Exhibit 4.1." ends a sentence; "Exhibit A" is an
 * attachment inside an agreement). Sets the number's bytes. */
static int exhibit_heading(const char *s, size_t n, size_t *ns, size_t *ne)
{
    size_t a = 0, e = n;
    trim(s, &a, &e);
    if (!opens_with_word(s, a, e, "exhibit", 9))
        return 0;
    size_t p = a + 7;
    while (p < e && is_space(s[p]))
        p++;
    size_t start = p;
    if (p == e || !isdigit((unsigned char)s[p]))
        return 0;
    while (p < e && isdigit((unsigned char)s[p]))
        p++;
    while (p + 1 < e && s[p] == '.' && isdigit((unsigned char)s[p + 1]))
        for (p++; p < e && isdigit((unsigned char)s[p]); p++)
            ;
    if (p < e && s[p] == '(') {
        size_t q = p + 1;
        while (q < e && q - p <= 5 && isalnum((unsigned char)s[q]))
            q++;
        if (q < e && s[q] == ')' && q > p + 1)
            p = q + 1;
    }
    if (p != e)
        return 0;
    *ns = start;
    *ne = e;
    return 1;
}

/* The type a plain-text or HTML cover names, read from its first lines:
 * "EX-99.1" when it opens with an exhibit heading, else the form of a
 * "FORM 8-K" line, else "UNKNOWN". `s` holds text, one line per line. */
static void cover_type(const char *s, size_t n, char *type, size_t cap)
{
    size_t lines = 0;
    snprintf(type, cap, "UNKNOWN");
    if (n > COVER_BYTES)
        n = COVER_BYTES;
    for (size_t p = 0; p < n && lines < COVER_LINES;) {
        const char *nl = s + p;
        while (nl < s + n && *nl != '\n' && *nl != '\r')
            nl++;
        size_t e = (size_t)(nl - s), ns, ne, k;
        for (k = p; k < e && is_space(s[k]); k++)
            ;
        if (k < e) {
            if (lines == 0 && exhibit_heading(s + p, e - p, &ns, &ne)) {
                snprintf(type, cap, "EX-%.*s", (int)(ne - ns), s + p + ns);
                return;
            }
            if (form_line(s + p, e - p, type, cap))
                return;
            lines++;
        }
        p = e + 1;
    }
}

/* ---- plain text and bare HTML ------------------------------------------ */

static e8k_status add_span_document(reader *r, size_t start, size_t end,
                                    const char *type)
{
    e8k_document *d;
    e8k_status s = new_document(r, start, &d);
    if (s == E8K_OK)
        s = set_type(r, d, type);
    if (s != E8K_OK)
        return s;
    d->span = (e8k_span){start, end};
    detect_format(r, d);
    return E8K_OK;
}

/* Plain text with no SGML: the main document up to the first exhibit
 * heading line, then one document per heading, each running to the next. */
static e8k_status read_plain_text(reader *r)
{
    size_t prev = NONE, content = NONE;
    char type[32];
    line ln;
    for (size_t p = 0; get_line(r, p, &ln); p = ln.next) {
        size_t ns, ne;
        if (content == NONE && !blank(r, &ln))
            content = ln.start;
        if (!exhibit_heading(r->b + ln.start, ln.end - ln.start, &ns, &ne))
            continue;
        e8k_status s = E8K_OK;
        if (prev != NONE)
            s = add_span_document(r, prev, ln.start, type);
        else if (content < ln.start) {
            char main_type[32];
            cover_type(r->b, ln.start, main_type, sizeof main_type);
            s = add_span_document(r, 0, ln.start, main_type);
        }
        if (s != E8K_OK)
            return s;
        snprintf(type, sizeof type, "EX-%.*s", (int)(ne - ns),
                 r->b + ln.start + ns);
        prev = ln.start;
    }
    if (prev != NONE)
        return add_span_document(r, prev, r->n, type);
    cover_type(r->b, r->n, type, sizeof type);
    return add_span_document(r, 0, r->n, type);
}

static int is_inline_tag(const char *name, size_t n)
{
    static const char *const tags[] = {"a", "b", "i", "u", "em", "strong",
                                       "font", "span", "sup", "sub", "small",
                                       "big", "s", "strike", "ix:nonnumeric",
                                       "ix:nonfraction"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (strlen(tags[i]) == n && strncasecmp(tags[i], name, n) == 0)
            return 1;
    return 0;
}

/* Skips the markup at s[i] == '<': comments, tags, and the whole content
 * of script, style, title (not shown on the page) and the hidden
 * inline-XBRL header. Writes a line break for block tags. */
static size_t skip_markup(const char *s, size_t n, size_t i, char *out,
                          size_t *o)
{
    if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
        const char *e = memmem(s + i + 4, n - i - 4, "-->", 3);
        return e ? (size_t)(e - s) + 3 : n;
    }
    const char *gt = memchr(s + i, '>', n - i);
    size_t end = gt ? (size_t)(gt - s) + 1 : n;
    int closing = i + 1 < n && s[i + 1] == '/';
    size_t ns = i + 1 + (size_t)closing, ne = ns;
    while (ne < end && (isalnum((unsigned char)s[ne]) || s[ne] == ':'))
        ne++;
    if (!is_inline_tag(s + ns, ne - ns))
        out[(*o)++] = '\n';
    static const char *const hidden[] = {"script", "style", "title",
                                         "ix:header"};
    for (size_t k = 0; k < 4 && !closing; k++) {
        if (strlen(hidden[k]) != ne - ns ||
            strncasecmp(hidden[k], s + ns, ne - ns) != 0)
            continue;
        char close[16];
        snprintf(close, sizeof close, "</%s", hidden[k]);
        const char *c = e8k_memcasemem(s + end, n - end, close);
        return c ? (size_t)(c - s) : n;
    }
    return end;
}

/* The visible text at the top of an HTML body, one line per block, with
 * the spaces a cover page hides in entities folded. Enough to read the form
 * a cover names, not a text conversion (that is the text stage's job). */
static size_t html_cover_text(const char *s, size_t n, char *out, size_t cap)
{
    static const char *const spaces[] = {"&nbsp;", "&#160;", "&#xa0;"};
    size_t o = 0, i = 0;
    if (n > HTML_COVER_RAW)
        n = HTML_COVER_RAW;
    while (i < n && o + 2 < cap) {
        if (s[i] == '<') {
            i = skip_markup(s, n, i, out, &o);
            continue;
        }
        size_t k = 0;
        while (s[i] == '&' && k < 3 &&
               !(n - i >= 6 && strncasecmp(s + i, spaces[k], 6) == 0))
            k++;
        if (s[i] == '&' && k < 3) {
            out[o++] = ' ';
            i += 6;
        } else if (n - i >= 2 && (unsigned char)s[i] == 0xC2 &&
                   (unsigned char)s[i + 1] == 0xA0) {
            out[o++] = ' ';
            i += 2;
        } else {
            out[o++] = is_space(s[i]) ? ' ' : s[i];
            i++;
        }
    }
    return o;
}

static e8k_status read_bare_html(reader *r)
{
    char text[16384], type[32];
    size_t n = html_cover_text(r->b, r->n, text, sizeof text);
    cover_type(text, n, type, sizeof type);
    return add_span_document(r, 0, r->n, type);
}

/* ---- recognising the dialect ------------------------------------------- */

static int html_element(const char *s, size_t n)
{
    static const char *const tags[] = {
        "html", "head", "body", "title", "meta", "div", "p", "table",
        "font", "center", "span", "br", "hr", "h1", "h2", "h3", "h4", "h5",
        "h6", "b", "i", "u", "pre", "style", "link", "a", "img", "tr", "td",
        "ul", "ol", "li", "base", "form", "strong", "em", "script"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (strlen(tags[i]) == n && strncasecmp(tags[i], s, n) == 0)
            return 1;
    return 0;
}

/* Markup starts, after an optional <?xml?> prolog, <!DOCTYPE> and
 * comments, with an HTML element (any element after a prolog: an XBRL
 * instance is markup too). EDGAR's own tags are upper case and not HTML,
 * so a text that opens with <PAGE> stays text. */
static int starts_with_markup(const reader *r, size_t p)
{
    const char *b = r->b;
    size_t n = r->n;
    int prolog = 0;
    while (p < n && b[p] == '<' && p + 1 < n &&
           (b[p + 1] == '?' || b[p + 1] == '!')) {
        int comment = n - p >= 4 && memcmp(b + p, "<!--", 4) == 0;
        const char *e = comment ? memmem(b + p, n - p, "-->", 3)
                                : memchr(b + p, '>', n - p);
        if (!e)
            return 0;
        p = (size_t)(e - b) + (comment ? 3 : 1);
        prolog = 1;
        while (p < n && is_space(b[p]))
            p++;
    }
    if (p + 1 >= n || b[p] != '<' || !isalpha((unsigned char)b[p + 1]))
        return 0;
    size_t e = p + 1;
    while (e < n && (isalnum((unsigned char)b[e]) || b[e] == ':'))
        e++;
    return prolog || islower((unsigned char)b[p + 1]) ||
           html_element(b + p + 1, e - p - 1);
}

/* Empty input, archives and PDFs are refused before any reading. */
static e8k_status check_input(reader *r, size_t *first)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *what;
    } magic[] = {{"\x1f\x8b", 2, "a gzip archive"},
                 {"PK\x03\x04", 4, "a zip archive"},
                 {"PK\x05\x06", 4, "a zip archive"},
                 {"%PDF-", 5, "a PDF file"}};
    for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
        if (r->n >= magic[i].len &&
            memcmp(r->b, magic[i].magic, magic[i].len) == 0)
            return fail(r, E8K_ERR_BINARY, 0,
                        "found %s; expected a text filing", magic[i].what);
    size_t p = r->n >= 3 && memcmp(r->b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (p < r->n && is_space(r->b[p]))
        p++;
    if (r->n == 0)
        return fail(r, E8K_ERR_EMPTY, 0, "found no bytes; expected a filing");
    if (p == r->n)
        return fail(r, E8K_ERR_EMPTY, 0,
                    "found only white space (%zu bytes); expected a filing",
                    r->n);
    *first = p;
    return E8K_OK;
}

static e8k_status read_unmarked(reader *r, size_t p)
{
    size_t k = r->n < SNIFF_BYTES ? r->n : SNIFF_BYTES;
    const char *nul = memchr(r->b, '\0', k);
    if (nul)
        return fail(r, E8K_ERR_BINARY, (size_t)(nul - r->b),
                    "found a NUL byte at byte %zu; expected a text filing",
                    (size_t)(nul - r->b));
    if (starts_with_markup(r, p)) {
        r->f->dialect = E8K_DIALECT_HTML;
        return read_bare_html(r);
    }
    r->f->dialect = E8K_DIALECT_TEXT;
    return read_plain_text(r);
}

static e8k_status read_dialect(reader *r, size_t p)
{
    e8k_filing *f = r->f;
    if (starts_with(r, p, r->n, PEM_BEGIN)) {
        f->dialect = E8K_DIALECT_PEM;
        return read_pem(r, p);
    }
    if (starts_with(r, p, r->n, "<SEC-DOCUMENT>") ||
        starts_with(r, p, r->n, "<IMS-DOCUMENT>")) {
        f->dialect = E8K_DIALECT_SEC_DOCUMENT;
        return read_sec_document(r, p);
    }
    if (starts_with(r, p, r->n, "<SUBMISSION>")) {
        f->dialect = E8K_DIALECT_SUBMISSION;
        return read_nc(r, p);
    }
    if (starts_with(r, p, r->n, "<DOCUMENT>")) {
        f->dialect = E8K_DIALECT_DOCUMENT;
        return read_documents(r, p, NULL, p);
    }
    if (starts_with(r, p, r->n, "<TYPE>")) {
        /* A document cut out of a submission without its <DOCUMENT> line. */
        f->dialect = E8K_DIALECT_DOCUMENT;
        e8k_filing_warn(f, E8K_ERR_MALFORMED, p,
                        "the document starts with <TYPE>, not <DOCUMENT>");
        size_t next;
        e8k_status s = read_document(r, p, p, &next);
        return s == E8K_OK ? read_documents(r, next, NULL, p) : s;
    }
    return read_unmarked(r, p);
}

static void choose_main(e8k_filing *f)
{
    f->main_doc = f->ndocs ? 0 : (size_t)-1;
    const char *form = f->header.form_type;
    for (size_t i = 0; form && i < f->ndocs; i++)
        if (strcmp(f->docs[i].type, form) == 0) {
            f->main_doc = i;
            return;
        }
}

e8k_status e8k_submission_read(e8k_filing *f, e8k_error *err)
{
    reader r = {f, err, f->buf, f->len};
    size_t p = 0;
    e8k_status s = check_input(&r, &p);
    if (s == E8K_OK)
        s = read_dialect(&r, p);
    if (s == E8K_OK)
        choose_main(f);
    return s;
}
