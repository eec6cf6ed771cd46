/* SPDX-License-Identifier: MIT */
/* json.c: the parse of a filing as JSON (jansson), the format every
 * command prints. Strings from headers are raw bytes of the filing and may
 * not be UTF-8; they are decoded as Latin-1 rather than dropped. */
#include "internal.h"

#include "e8k_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A JSON string for raw bytes: as is when UTF-8, else Latin-1 decoded as
 * a whole (a header that is not UTF-8 is in one single-byte encoding), so
 * that no byte string ever fails the whole output. */
json_t *e8k_json_strn(const char *s, size_t n)
{
    if (!s)
        return json_null();
    if (e8k_utf8_valid(s, n))
        return json_stringn(s, n);
    e8k_buf b = {0};
    int fail = 0;
    for (size_t i = 0; i < n && !fail; i++) {
        char u[4];
        fail = e8k_buf_append(&b, u, e8k_utf8_put(u, (unsigned char)s[i]));
    }
    json_t *j = json_stringn(b.data ? b.data : "", b.len);
    e8k_buf_free(&b);
    return j;
}

json_t *e8k_json_str(const char *s)
{
    return s ? e8k_json_strn(s, strlen(s)) : json_null();
}

/* Numbers print as integers when whole, else with 12 significant digits:
 * products such as 0.048 x 45.6e6 then read as the figures a filing states,
 * not as 2735999.9999999995. Non-finite numbers are null. */
json_t *e8k_json_num(double x)
{
    if (!isfinite(x))
        return json_null();
    char b[64];
    snprintf(b, sizeof b, "%.12g", x);
    double r = strtod(b, NULL);
    if (fabs(r) < 9e15 && r == floor(r))
        return json_integer((json_int_t)r);
    return json_real(r);
}

json_t *e8k_json_span(e8k_span sp)
{
    return json_pack("[II]", (json_int_t)sp.start, (json_int_t)sp.end);
}

static json_t *entities_json(const e8k_header *h)
{
    json_t *ents = json_array();
    for (size_t i = 0; ents && i < h->nentities; i++)
        json_array_append_new(
            ents, json_pack("{s:o,s:o,s:o}",
                            "role", e8k_json_str(h->entities[i].role),
                            "cik", e8k_json_str(h->entities[i].cik),
                            "name", e8k_json_str(h->entities[i].name)));
    return ents;
}

json_t *e8k_json_filing_ref(const e8k_filing *f)
{
    if (!f)
        return json_null();
    const e8k_header *h = e8k_filing_header(f);
    return json_pack("{s:o,s:o,s:o,s:o,s:o}",
                     "accession", e8k_json_str(h->accession),
                     "form_type", e8k_json_str(h->form_type),
                     "filed", e8k_json_str(h->filed),
                     "period", e8k_json_str(h->period),
                     "entities", entities_json(h));
}

static json_t *header_json(const e8k_header *h)
{
    json_t *items = json_array(), *ents = entities_json(h);
    for (size_t i = 0; i < h->nitems; i++)
        json_array_append_new(items, e8k_json_str(h->items[i]));
    json_t *count = h->document_count >= 0
                        ? json_integer((json_int_t)h->document_count)
                        : json_null();
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
                     "accession", e8k_json_str(h->accession),
                     "form_type", e8k_json_str(h->form_type),
                     "filed", e8k_json_str(h->filed),
                     "period", e8k_json_str(h->period),
                     "document_count", count, "items", items,
                     "entities", ents, "span", e8k_json_span(h->span));
}

static json_t *document_json(const e8k_document *d, unsigned flags)
{
    json_t *o = json_pack("{s:i,s:o,s:o,s:o,s:s,s:o}",
                          "sequence", d->sequence,
                          "type", e8k_json_str(d->type),
                          "filename", e8k_json_str(d->filename),
                          "description", e8k_json_str(d->description),
                          "format", e8k_format_name(d->format),
                          "span", e8k_json_span(d->span));
    if (!o || !d->text)
        return o;
    size_t len;
    const char *t = e8k_text_data(d->text, &len);
    unsigned tf = e8k_text_flags(d->text);
    json_t *fl = json_array();
    if (tf & E8K_TEXT_CUT)
        json_array_append_new(fl, json_string("text_cut"));
    if (tf & E8K_TEXT_RECOVERED)
        json_array_append_new(fl, json_string("recovered"));
    json_object_set_new(
        o, "encoding",
        json_string(e8k_encoding_name(e8k_text_encoding(d->text))));
    json_object_set_new(o, "text_length", json_integer((json_int_t)len));
    json_object_set_new(o, "flags", fl);
    if (flags & E8K_JSON_TEXT)
        json_object_set_new(o, "text", e8k_json_strn(t, len));
    return o;
}

static json_t *item_json(const e8k_item *it)
{
    return json_pack("{s:o,s:o,s:I,s:o,s:o}",
                     "number", e8k_json_str(it->number),
                     "title", e8k_json_str(it->title),
                     "document", (json_int_t)it->document,
                     "span", e8k_json_span(it->span),
                     "text_span", e8k_json_span(it->text_span));
}

static json_t *warning_json(const e8k_error *w)
{
    json_t *off = w->offset == E8K_NO_OFFSET
                      ? json_null()
                      : json_integer((json_int_t)w->offset);
    return json_pack("{s:s,s:o,s:I,s:o}",
                     "status", e8k_status_string(w->status), "offset", off,
                     "line", (json_int_t)w->line,
                     "message", e8k_json_str(w->message));
}

static json_t *filing_json(const e8k_filing *f, unsigned flags)
{
    json_t *docs = json_array(), *items = json_array(), *warns = json_array();
    for (size_t i = 0; i < f->ndocs; i++)
        json_array_append_new(docs, document_json(&f->docs[i], flags));
    for (size_t i = 0; i < f->nitems; i++)
        json_array_append_new(items, item_json(&f->items[i]));
    for (size_t i = 0; i < f->nwarnings; i++)
        json_array_append_new(warns, warning_json(&f->warnings[i]));
    json_t *main_doc = f->main_doc < f->ndocs
                           ? json_integer((json_int_t)f->main_doc)
                           : json_null();
    return json_pack("{s:o,s:s,s:I,s:o,s:o,s:o,s:o,s:o}",
                     "file", e8k_json_str(f->name),
                     "dialect", e8k_dialect_name(f->dialect),
                     "size", (json_int_t)f->len,
                     "header", header_json(&f->header),
                     "documents", docs, "main_document", main_doc,
                     "items", items, "warnings", warns);
}

e8k_status e8k_filing_to_json(const e8k_filing *f, unsigned flags, char **out,
                              e8k_error *err)
{
    *out = NULL;
    json_t *j = filing_json(f, flags);
    size_t jf = JSON_PRESERVE_ORDER |
                ((flags & E8K_JSON_PRETTY) ? JSON_INDENT(2) : JSON_COMPACT);
    char *s = j ? json_dumps(j, jf) : NULL;
    json_decref(j);
    if (!s)
        return e8k_fail(err, E8K_ERR_NOMEM, f->name, NULL, 0, E8K_NO_OFFSET,
                        "cannot build the JSON output");
    *out = s;
    return E8K_OK;
}
