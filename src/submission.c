/* submission.c: the submission reader, the first stage of a parse. It tells
 * which EDGAR dialect a buffer is written in, reads the header fields
 * (submission_header.c) and cuts the buffer into documents (type,
 * sequence, names, body span, format); plain text and bare HTML are read
 * in submission_plain.c. It never copies or converts a body: later stages
 * work on the spans, which are byte offsets into the caller's buffer.
 * Every scan is linear (memchr, memmem, one pass over lines) because
 * complete submissions run to 100+ MB.
 *
 * SGML tags count only at the start of a line and in upper case: bodies are
 * HTML full of lower-case <text> and mid-line tags that mean nothing here.
 * Lines end in LF, CRLF or a bare CR (Feed .nc files mix them). */
#define _GNU_SOURCE /* memmem */
#include "submission_int.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* How far binary sniffing looks. */
#define SNIFF_BYTES ((size_t)64 << 10)

/* ---- errors -------------------------------------------------------------- */

e8k_status e8k_sub_fail(reader *r, e8k_status s, size_t off, const char *fmt,
                        ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return e8k_fail(r->err, s, r->f->name, r->b, r->n, off, "%s", msg);
}

e8k_status e8k_sub_nomem(reader *r)
{
    return e8k_sub_fail(r, E8K_ERR_NOMEM, E8K_NO_OFFSET,
                "out of memory while reading the submission");
}

/* ---- lines and tags ------------------------------------------------------ */

/* Reads the line starting at p; 0 at the end of the buffer. */
int e8k_sub_get_line(const reader *r, size_t p, line *ln)
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

int e8k_sub_starts_with(const reader *r, size_t p, size_t end, const char *s)
{
    size_t k = strlen(s);
    return end >= p && end - p >= k && memcmp(r->b + p, s, k) == 0;
}

int e8k_sub_line_is(const reader *r, const line *ln, const char *tag)
{
    return e8k_sub_starts_with(r, ln->start, ln->end, tag);
}

int e8k_sub_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v';
}

int e8k_sub_blank(const reader *r, const line *ln)
{
    for (size_t i = ln->start; i < ln->end; i++)
        if (!e8k_sub_is_space(r->b[i]))
            return 0;
    return 1;
}

void e8k_sub_trim(const char *b, size_t *s, size_t *e)
{
    while (*s < *e && e8k_sub_is_space(b[*s]))
        (*s)++;
    while (*e > *s && e8k_sub_is_space(b[*e - 1]))
        (*e)--;
}

/* First line in [from, to) that starts with `tag`, or NONE. */
size_t e8k_sub_find_tag_line(const reader *r, size_t from, size_t to,
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
void e8k_sub_tag_value(const reader *r, const line *ln, size_t taglen,
                       size_t *s, size_t *e)
{
    *s = ln->start + taglen;
    *e = ln->end;
    e8k_sub_trim(r->b, s, e);
}

/* ---- documents ----------------------------------------------------------- */

e8k_status e8k_sub_new_document(reader *r, size_t off, e8k_document **out)
{
    if (r->f->ndocs >= E8K_MAX_DOCUMENTS)
        return e8k_sub_fail(r, E8K_ERR_LIMIT, off,
                    "more than %d documents in one submission "
                    "(E8K_MAX_DOCUMENTS)", E8K_MAX_DOCUMENTS);
    *out = e8k_filing_add_document(r->f);
    return *out ? E8K_OK : e8k_sub_nomem(r);
}

e8k_status e8k_sub_set_type(reader *r, e8k_document *d, const char *type)
{
    d->type = e8k_pool_strdup(&r->f->pool, type);
    return d->type ? E8K_OK : e8k_sub_nomem(r);
}

void e8k_sub_detect_format(reader *r, e8k_document *d)
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
    if (!e8k_sub_get_line(r, d->span.start, &first) || first.next > d->span.end)
        return;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char open[16], close[16];
        snprintf(open, sizeof open, "<%s>", names[i]);
        snprintf(close, sizeof close, "</%s>", names[i]);
        size_t s = first.start, e = first.end;
        e8k_sub_trim(r->b, &s, &e);
        if (e - s != strlen(open) || memcmp(r->b + s, open, e - s) != 0)
            continue;
        size_t c = e8k_sub_find_tag_line(r, first.next, d->span.end, close);
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
        if (!e8k_sub_line_is(r, ln, tags[i]))
            continue;
        e8k_sub_tag_value(r, ln, strlen(tags[i]), &s, &e);
        return e8k_sub_keep(r, s, e, slots[i]);
    }
    if (e8k_sub_line_is(r, ln, "<SEQUENCE>")) {
        e8k_sub_tag_value(r, ln, strlen("<SEQUENCE>"), &s, &e);
        long v = e8k_sub_number(r->b, s, e);
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
    for (; e8k_sub_get_line(r, p, &ln); p = ln.next) {
        if (e8k_sub_line_is(r, &ln, "<TEXT>") || e8k_sub_line_is(r, &ln, "</DOCUMENT>")) {
            *stop = ln;
            return E8K_OK;
        }
        if (e8k_sub_line_is(r, &ln, "<DOCUMENT>"))
            return e8k_sub_fail(r, E8K_ERR_MALFORMED, ln.start,
                        "<DOCUMENT> inside the <DOCUMENT> opened at byte "
                        "%zu; expected its <TEXT> first", open);
        if (e8k_sub_line_is(r, &ln, "</TEXT>"))
            return e8k_sub_fail(r, E8K_ERR_MALFORMED, ln.start,
                        "</TEXT> with no open <TEXT> in the <DOCUMENT> "
                        "opened at byte %zu", open);
        e8k_status st = read_meta_line(r, d, &ln);
        if (st != E8K_OK)
            return st;
    }
    return e8k_sub_fail(r, E8K_ERR_TRUNCATED, open,
                "<DOCUMENT> opened at byte %zu is never closed: the input "
                "ends before its <TEXT>", open);
}

/* Finds the </TEXT> of a body starting at `body`; a </DOCUMENT> or a new
 * <DOCUMENT> before it means the tags are mis-nested. */
static e8k_status find_text_end(reader *r, const e8k_document *d,
                                size_t open, size_t text, size_t body,
                                size_t *close)
{
    size_t c = e8k_sub_find_tag_line(r, body, r->n, "</TEXT>");
    size_t lim = c == NONE ? r->n : c;
    size_t dc = e8k_sub_find_tag_line(r, body, lim, "</DOCUMENT>");
    size_t dn = e8k_sub_find_tag_line(r, body, dc == NONE ? lim : dc, "<DOCUMENT>");
    if (dn != NONE)
        return e8k_sub_fail(r, E8K_ERR_MALFORMED, dn,
                    "<DOCUMENT> inside the <DOCUMENT> opened at byte %zu, "
                    "whose <TEXT> (byte %zu) is still open", open, text);
    if (dc != NONE)
        return e8k_sub_fail(r, E8K_ERR_MALFORMED, dc,
                    "</DOCUMENT> before the </TEXT> of the <TEXT> opened "
                    "at byte %zu", text);
    if (c == NONE)
        return e8k_sub_fail(r, E8K_ERR_TRUNCATED, text,
                    "<TEXT> opened at byte %zu (document %d, %s) is never "
                    "closed: no </TEXT> line before the end of the input",
                    text, d->sequence, d->type);
    *close = c;
    return E8K_OK;
}

/* Whether ln closes a container (</SEC-DOCUMENT>, </SUBMISSION> ...): the
 * closing lines of the dialect table, but for a lone document's own. */
static int container_close(const reader *r, const line *ln)
{
    size_t n;
    const e8k_dialect_mark *m = e8k_dialect_marks(&n);
    for (size_t i = 0; i < n; i++)
        if (m[i].dialect != E8K_DIALECT_DOCUMENT &&
            m[i].dialect != E8K_DIALECT_PEM &&
            e8k_sub_line_is(r, ln, m[i].close))
            return 1;
    return 0;
}

/* After </TEXT>: blank or stray lines up to </DOCUMENT>. */
static e8k_status find_doc_end(reader *r, size_t open, size_t p, size_t *next)
{
    line ln;
    for (; e8k_sub_get_line(r, p, &ln); p = ln.next) {
        if (e8k_sub_line_is(r, &ln, "</DOCUMENT>")) {
            *next = ln.next;
            return E8K_OK;
        }
        if (e8k_sub_line_is(r, &ln, "<DOCUMENT>") ||
            e8k_sub_line_is(r, &ln, "</TEXT>") ||
            e8k_sub_line_is(r, &ln, "<TEXT>") || container_close(r, &ln))
            return e8k_sub_fail(r, E8K_ERR_MALFORMED, ln.start,
                        "%.*s while the <DOCUMENT> opened at byte %zu is "
                        "still open; expected </DOCUMENT>",
                        (int)(ln.end - ln.start > 20 ? 20 : ln.end - ln.start),
                        r->b + ln.start, open);
    }
    return e8k_sub_fail(r, E8K_ERR_TRUNCATED, open,
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
    e8k_status s = e8k_sub_new_document(r, open, &d);
    line stop = {0, 0, 0};
    if (s == E8K_OK)
        s = read_doc_meta(r, d, open, meta, &stop);
    if (s == E8K_OK && !d->type)
        s = e8k_sub_set_type(r, d, "UNKNOWN");
    if (s != E8K_OK)
        return s;
    if (e8k_sub_line_is(r, &stop, "</DOCUMENT>")) {
        e8k_filing_warn(r->f, E8K_ERR_MALFORMED, open,
                        "document %d (%s) has no <TEXT>; its body is empty",
                        d->sequence, d->type);
        d->span.start = d->span.end = stop.start;
        e8k_sub_detect_format(r, d);
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
    e8k_sub_detect_format(r, d);
    line cl;
    e8k_sub_get_line(r, close, &cl);
    return find_doc_end(r, open, cl.next, next);
}

/* The documents from p on, until `close_tag` (the container's end tag, NULL
 * for a lone document) or the end of the input. */
static e8k_status read_documents(reader *r, size_t p, const char *close_tag,
                                 size_t container)
{
    line ln;
    while (e8k_sub_get_line(r, p, &ln)) {
        e8k_status s = E8K_OK;
        if (close_tag && e8k_sub_line_is(r, &ln, close_tag))
            return E8K_OK;
        if (e8k_sub_line_is(r, &ln, "<DOCUMENT>"))
            s = read_document(r, ln.start, ln.next, &p);
        else if (e8k_sub_line_is(r, &ln, "</TEXT>"))
            return e8k_sub_fail(r, E8K_ERR_MALFORMED, ln.start,
                        "</TEXT> with no open <TEXT>; expected <DOCUMENT>");
        else if (e8k_sub_line_is(r, &ln, "</DOCUMENT>"))
            return e8k_sub_fail(r, E8K_ERR_MALFORMED, ln.start,
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
    e8k_sub_tag_value(r, ln, taglen, &s, &e);
    size_t k = s;
    while (k < e && (isdigit((unsigned char)r->b[k]) || r->b[k] == '-'))
        k++;
    if (k - s < 10)
        return E8K_OK;
    return e8k_sub_keep(r, s, k, &r->f->header.accession);
}

/* <SEC-DOCUMENT> or <IMS-DOCUMENT> at p: header block, then documents. */
static e8k_status read_sec_document(reader *r, size_t p)
{
    int ims = e8k_sub_starts_with(r, p, r->n, "<IMS-DOCUMENT>");
    const char *hopen = ims ? "<IMS-HEADER>" : "<SEC-HEADER>";
    const char *hclose = ims ? "</IMS-HEADER>" : "</SEC-HEADER>";
    line ln;
    e8k_sub_get_line(r, p, &ln);
    size_t pos = ln.next;
    size_t first_doc = e8k_sub_find_tag_line(r, pos, r->n, "<DOCUMENT>");
    size_t lim = first_doc == NONE ? r->n : first_doc;
    size_t h = e8k_sub_find_tag_line(r, pos, lim, hopen);
    e8k_status s = E8K_OK;
    if (h == NONE) {
        e8k_filing_warn(r->f, E8K_ERR_MALFORMED, p,
                        "no %s before the first document", hopen);
    } else {
        size_t c = e8k_sub_find_tag_line(r, h, lim, hclose);
        if (c == NONE)
            return e8k_sub_fail(r, E8K_ERR_TRUNCATED, h,
                        "%s opened at byte %zu is never closed: expected %s "
                        "before %s", hopen, h, hclose,
                        first_doc == NONE ? "the end of the input"
                                          : "the first <DOCUMENT>");
        size_t end = c + strlen(hclose);
        s = e8k_sub_check_header_size(r, h, end);
        if (s != E8K_OK)
            return s;
        r->f->header.span = (e8k_span){h, end};
        line hl;
        e8k_sub_get_line(r, h, &hl);
        s = e8k_sub_read_header_lines(r, hl.next, c, 0);
        e8k_sub_get_line(r, c, &hl);
        pos = hl.next;
    }
    if (s == E8K_OK) /* both container tags are 14 bytes long */
        s = accession_from_container(r, &ln, strlen("<SEC-DOCUMENT>"));
    if (s != E8K_OK)
        return s;
    return read_documents(r, pos, e8k_dialect_opening(r->b + p, r->n - p)->close,
                          p);
}

/* Feed .nc: <SUBMISSION>, header tags up to the first <DOCUMENT>. The
 * header span is those tag lines, without the <SUBMISSION> line. */
static e8k_status read_nc(reader *r, size_t p)
{
    const char *close = e8k_dialect_opening(r->b + p, r->n - p)->close;
    line ln;
    e8k_sub_get_line(r, p, &ln);
    size_t first_doc = e8k_sub_find_tag_line(r, ln.next, r->n, "<DOCUMENT>");
    size_t end = first_doc;
    if (end == NONE)
        end = e8k_sub_find_tag_line(r, ln.next, r->n, close);
    if (end == NONE)
        end = r->n;
    e8k_status s = e8k_sub_check_header_size(r, ln.next, end);
    if (s != E8K_OK)
        return s;
    r->f->header.span = (e8k_span){ln.next, end};
    s = e8k_sub_read_header_lines(r, ln.next, end, 1);
    if (s != E8K_OK)
        return s;
    return read_documents(r, end, close, p);
}

/* The last non-blank line of the input, to check a PEM block is closed. */
static int ends_with_line(const reader *r, const char *s)
{
    size_t e = r->n;
    while (e > 0 && e8k_sub_is_space(r->b[e - 1]))
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
    const char *pem_end = e8k_dialect_opening(r->b + p, r->n - p)->close;
    if (!ends_with_line(r, pem_end))
        e8k_filing_warn(r->f, E8K_ERR_TRUNCATED, p,
                        "the PEM block has no %s line", pem_end);
    line ln;
    for (; e8k_sub_get_line(r, p, &ln); p = ln.next) {
        if (e8k_sub_line_is(r, &ln, "<SEC-DOCUMENT>") ||
            e8k_sub_line_is(r, &ln, "<IMS-DOCUMENT>"))
            return read_sec_document(r, ln.start);
        if (e8k_sub_line_is(r, &ln, "<DOCUMENT>"))
            return read_documents(r, ln.start, NULL, ln.start);
        if (r->b[ln.start] == '<' || e8k_sub_line_is(r, &ln, pem_end))
            break;
    }
    return e8k_sub_fail(r, E8K_ERR_MALFORMED, p < r->n ? p : r->n,
                "the PEM block holds no <SEC-DOCUMENT>, <IMS-DOCUMENT> or "
                "<DOCUMENT>");
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
        while (p < n && e8k_sub_is_space(b[p]))
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
            return e8k_sub_fail(r, E8K_ERR_BINARY, 0,
                        "found %s; expected a text filing", magic[i].what);
    size_t p = r->n >= 3 && memcmp(r->b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (p < r->n && e8k_sub_is_space(r->b[p]))
        p++;
    if (r->n == 0)
        return e8k_sub_fail(r, E8K_ERR_EMPTY, 0, "found no bytes; expected a filing");
    if (p == r->n)
        return e8k_sub_fail(r, E8K_ERR_EMPTY, 0,
                    "found only white space (%zu bytes); expected a filing",
                    r->n);
    *first = p;
    return E8K_OK;
}

/* Neither SGML nor markup: bare HTML or plain text, unless it is text in
 * a wide encoding (named, so the user knows what to convert) or binary. A
 * stray NUL in a text is no reason to refuse it: the text stage reads it
 * as a space and the filing warns of it. */
static e8k_status read_unmarked(reader *r, size_t p)
{
    const char *wide = e8k_wide_encoding(r->b, r->n);
    if (wide)
        return e8k_sub_fail(r, E8K_ERR_BINARY, 0,
                    "found %s text; expected UTF-8, Windows-1252 or Latin-1 "
                    "(convert it first, e.g. iconv -f %s -t UTF-8)", wide,
                    wide);
    size_t k = r->n < SNIFF_BYTES ? r->n : SNIFF_BYTES;
    if (e8k_format_detect(r->b, k, NULL, NULL) == E8K_FORMAT_BINARY) {
        const char *nul = memchr(r->b, '\0', k);
        size_t at = nul ? (size_t)(nul - r->b) : 0;
        return e8k_sub_fail(r, E8K_ERR_BINARY, at, "found control bytes (NUL and "
                    "others, the first at byte %zu) throughout the input; "
                    "expected a text filing", at);
    }
    if (starts_with_markup(r, p)) {
        r->f->dialect = E8K_DIALECT_HTML;
        return e8k_sub_read_bare_html(r);
    }
    r->f->dialect = E8K_DIALECT_TEXT;
    return e8k_sub_read_plain_text(r);
}

static e8k_status read_dialect(reader *r, size_t p)
{
    e8k_filing *f = r->f;
    const e8k_dialect_mark *m = e8k_dialect_opening(r->b + p, r->n - p);
    if (m)
        f->dialect = m->dialect;
    switch (m ? m->dialect : E8K_DIALECT_TEXT) {
    case E8K_DIALECT_PEM: return read_pem(r, p);
    case E8K_DIALECT_SEC_DOCUMENT: return read_sec_document(r, p);
    case E8K_DIALECT_SUBMISSION: return read_nc(r, p);
    case E8K_DIALECT_DOCUMENT: return read_documents(r, p, NULL, p);
    default: break;
    }
    if (e8k_sub_starts_with(r, p, r->n, "<TYPE>")) {
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
