/* SPDX-License-Identifier: MIT */
/* filing.c: a filing from bytes to documents, text and items. It runs the
 * stages in order (submission reader, text stage per document, item
 * splitter on the main document) and owns everything they produce, so that
 * a failed parse leaves nothing half-built behind. */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

e8k_filing *e8k_filing_new(const char *name)
{
    e8k_filing *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->name = e8k_strndup(name ? name : "", name ? strlen(name) : 0);
    if (!f->name) {
        free(f);
        return NULL;
    }
    f->header.document_count = -1;
    f->main_doc = (size_t)-1;
    return f;
}

static void filing_reset(e8k_filing *f)
{
    for (size_t i = 0; i < f->ndocs; i++)
        e8k_text_free((e8k_text *)f->docs[i].text);
    free(f->docs);
    free(f->items);
    free(f->warnings);
    free((void *)f->header_items);
    free(f->entities);
    e8k_pool_free(&f->pool);
    char *name = f->name;
    memset(f, 0, sizeof *f);
    f->name = name;
    f->header.document_count = -1;
    f->main_doc = (size_t)-1;
}

void e8k_filing_free(e8k_filing *f)
{
    if (!f)
        return;
    filing_reset(f);
    free(f->name);
    free(f);
}

e8k_document *e8k_filing_add_document(e8k_filing *f)
{
    if (f->ndocs >= E8K_MAX_DOCUMENTS ||
        E8K_GROW(f->docs, f->docs_cap, f->ndocs + 1) != 0)
        return NULL;
    e8k_document *d = &f->docs[f->ndocs++];
    memset(d, 0, sizeof *d);
    d->sequence = (int)f->ndocs;
    return d;
}

int e8k_filing_add_header_item(e8k_filing *f, const char *s, size_t n)
{
    if (f->header.nitems >= E8K_MAX_HEADER_ITEMS ||
        E8K_GROW(f->header_items, f->header_items_cap,
                 f->header.nitems + 1) != 0)
        return -1;
    const char *copy = e8k_pool_strndup(&f->pool, s, n);
    if (!copy)
        return -1;
    f->header_items[f->header.nitems++] = copy;
    f->header.items = f->header_items;
    return 0;
}

e8k_entity *e8k_filing_add_entity(e8k_filing *f, const char *role)
{
    if (f->header.nentities >= E8K_MAX_HEADER_ENTITIES ||
        E8K_GROW(f->entities, f->entities_cap, f->header.nentities + 1) != 0)
        return NULL;
    e8k_entity *e = &f->entities[f->header.nentities++];
    memset(e, 0, sizeof *e);
    e->role = e8k_pool_strdup(&f->pool, role);
    f->header.entities = f->entities;
    return e->role ? e : NULL;
}

void e8k_filing_warn(e8k_filing *f, e8k_status status, size_t offset,
                     const char *fmt, ...)
{
    if (E8K_GROW(f->warnings, f->warnings_cap, f->nwarnings + 1) != 0)
        return; /* a warning lost to memory pressure is not worth failing */
    e8k_error *w = &f->warnings[f->nwarnings++];
    e8k_error_clear(w);
    w->status = status;
    snprintf(w->file, sizeof w->file, "%s", f->name);
    w->offset = offset;
    w->line = e8k_line_of(f->buf, f->len, offset);
    va_list ap;
    va_start(ap, fmt);
    e8k_error_vset(w, fmt, ap);
    va_end(ap);
}

/* Text-stage errors speak of offsets in the body; callers want the file. */
static e8k_status rebase_error(const e8k_filing *f, const e8k_document *d,
                               e8k_status s, e8k_error *err)
{
    if (!err)
        return s;
    snprintf(err->file, sizeof err->file, "%s", f->name);
    if (err->offset != E8K_NO_OFFSET)
        err->offset += d->span.start;
    else
        err->offset = d->span.start;
    err->line = e8k_line_of(f->buf, f->len, err->offset);
    return s;
}

/* A NUL in a text body is read as a space (the text stage's rule for every
 * control byte), never a reason to drop the text; the reader is told. */
static void warn_nul(e8k_filing *f, const e8k_document *d)
{
    const char *b = f->buf + d->span.start, *end = f->buf + d->span.end;
    const char *first = memchr(b, '\0', (size_t)(end - b));
    if (!first)
        return;
    size_t n = 0;
    for (const char *p = first; p;
         p = memchr(p + 1, '\0', (size_t)(end - p - 1)))
        n++;
    e8k_filing_warn(f, E8K_ERR_BINARY, (size_t)(first - f->buf),
                    "document %d (%s): %zu NUL byte%s, the first at byte %zu, "
                    "read as space%s", d->sequence, d->type, n,
                    n == 1 ? "" : "s", (size_t)(first - f->buf),
                    n == 1 ? "" : "s");
}

/* A body in UTF-16 or UTF-32 has no text edgar8k can read: said by name,
 * not passed over as anonymous binary. */
static void warn_wide(e8k_filing *f, const e8k_document *d)
{
    const char *wide = e8k_wide_encoding(f->buf + d->span.start,
                                         d->span.end - d->span.start);
    if (wide)
        e8k_filing_warn(f, E8K_ERR_BINARY, d->span.start,
                        "document %d (%s) is %s text, which edgar8k does not "
                        "read (expected UTF-8, Windows-1252 or Latin-1): no "
                        "text", d->sequence, d->type, wide);
}

static e8k_status convert_document(e8k_filing *f, e8k_document *d,
                                   e8k_error *err)
{
    size_t len = d->span.end - d->span.start;
    if (len > E8K_MAX_DOCUMENT_SIZE)
        return e8k_fail(err, E8K_ERR_LIMIT, f->name, f->buf, f->len,
                        d->span.start,
                        "document %d (%s) is %zu bytes; the limit is %zu "
                        "(E8K_MAX_DOCUMENT_SIZE)",
                        d->sequence, d->type, len, E8K_MAX_DOCUMENT_SIZE);
    e8k_text *t = NULL;
    e8k_status s = e8k_text_convert(f->buf + d->span.start, len, d->format,
                                    &t, err);
    if (s != E8K_OK)
        return rebase_error(f, d, s, err);
    d->text = t;
    warn_nul(f, d);
    unsigned flags = e8k_text_flags(t);
    if (flags & E8K_TEXT_CUT)
        e8k_filing_warn(f, E8K_ERR_TRUNCATED, d->span.start,
                        "document %d (%s): the HTML parser stopped early; "
                        "its text is incomplete", d->sequence, d->type);
    return E8K_OK;
}

static int is_8k(const e8k_filing *f, const e8k_document *d)
{
    const char *form = f->header.form_type;
    return (d->type && !strncmp(d->type, "8-K", 3)) ||
           (form && !strncmp(form, "8-K", 3));
}

/* A heading's title as one line: a title wrapped over lines keeps its
 * span (newline included) but reads with single spaces. */
static char *trimmed_copy(e8k_pool *pool, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char *out = e8k_pool_strndup(pool, s, n);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isspace((unsigned char)out[i]))
            out[k++] = out[i];
        else if (!isspace((unsigned char)out[i + 1]))
            out[k++] = ' '; /* the last of a run; never the end: trimmed */
    }
    out[k] = '\0';
    return out;
}

static e8k_status find_items(e8k_filing *f, e8k_error *err)
{
    if (f->main_doc >= f->ndocs)
        return E8K_OK;
    size_t di = f->main_doc;
    const e8k_document *d = &f->docs[di];
    if (!d->text || !is_8k(f, d))
        return E8K_OK;
    size_t len;
    const char *t = e8k_text_data(d->text, &len);
    e8k_item_mark marks[E8K_MAX_ITEMS];
    size_t n = e8k_items_scan(t, len, marks, E8K_MAX_ITEMS);
    if (n == 0)
        return E8K_OK;
    f->items = calloc(n, sizeof *f->items);
    if (!f->items)
        return e8k_fail(err, E8K_ERR_NOMEM, f->name, NULL, 0, E8K_NO_OFFSET,
                        "cannot allocate %zu items", n);
    for (size_t i = 0; i < n; i++) {
        e8k_item *it = &f->items[i];
        it->number = e8k_pool_strdup(&f->pool, marks[i].number);
        it->title = trimmed_copy(&f->pool, t + marks[i].title_start,
                                 marks[i].title_end - marks[i].title_start);
        if (!it->number || !it->title)
            return e8k_fail(err, E8K_ERR_NOMEM, f->name, NULL, 0,
                            E8K_NO_OFFSET, "cannot copy item headings");
        it->document = di;
        it->text_span.start = marks[i].start;
        it->text_span.end = marks[i].end;
        it->span.start = e8k_filing_offset(f, di, marks[i].start);
        it->span.end = e8k_filing_offset(f, di, marks[i].end);
        f->nitems = i + 1;
    }
    return E8K_OK;
}

e8k_status e8k_filing_parse(e8k_filing *f, const char *buf, size_t len,
                            e8k_error *err)
{
    e8k_error_clear(err);
    filing_reset(f);
    if (len > E8K_MAX_INPUT_SIZE)
        return e8k_fail(err, E8K_ERR_LIMIT, f->name, NULL, 0, E8K_NO_OFFSET,
                        "input is %zu bytes; the limit is %zu "
                        "(E8K_MAX_INPUT_SIZE)", len, E8K_MAX_INPUT_SIZE);
    f->buf = buf;
    f->len = len;
    e8k_status s = e8k_submission_read(f, err);
    for (size_t i = 0; s == E8K_OK && i < f->ndocs; i++)
        if (e8k_format_has_text(f->docs[i].format))
            s = convert_document(f, &f->docs[i], err);
        else if (f->docs[i].format == E8K_FORMAT_BINARY)
            warn_wide(f, &f->docs[i]);
    if (s == E8K_OK)
        s = find_items(f, err);
    if (s != E8K_OK)
        filing_reset(f);
    return s;
}

const char *e8k_filing_name(const e8k_filing *f) { return f->name; }
e8k_dialect e8k_filing_dialect(const e8k_filing *f) { return f->dialect; }
const e8k_header *e8k_filing_header(const e8k_filing *f) { return &f->header; }
size_t e8k_filing_document_count(const e8k_filing *f) { return f->ndocs; }
size_t e8k_filing_main_document(const e8k_filing *f) { return f->main_doc; }
size_t e8k_filing_item_count(const e8k_filing *f) { return f->nitems; }
size_t e8k_filing_warning_count(const e8k_filing *f) { return f->nwarnings; }

const e8k_document *e8k_filing_document(const e8k_filing *f, size_t i)
{
    return i < f->ndocs ? &f->docs[i] : NULL;
}

const e8k_item *e8k_filing_item(const e8k_filing *f, size_t i)
{
    return i < f->nitems ? &f->items[i] : NULL;
}

const e8k_error *e8k_filing_warning(const e8k_filing *f, size_t i)
{
    return i < f->nwarnings ? &f->warnings[i] : NULL;
}

size_t e8k_filing_offset(const e8k_filing *f, size_t i, size_t pos)
{
    if (i >= f->ndocs)
        return E8K_NO_OFFSET;
    const e8k_document *d = &f->docs[i];
    if (!d->text)
        return d->span.start;
    return d->span.start + e8k_text_offset(d->text, pos);
}
