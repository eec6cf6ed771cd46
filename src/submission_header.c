/* SPDX-License-Identifier: MIT */
/* submission_header.c: the header of a submission: the SGML header of a
 * complete submission ("KEY:<tabs>VALUE", sections indented) and the tag
 * lines of a Feed .nc header ("<KEY>VALUE"), read into the filing's
 * accession, form, dates, document count, items and companies. */
#include "submission_int.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* ---- header values ------------------------------------------------------- */

/* Copies b[s, e) into the pool as *out unless *out is already set (the first
 * statement of a field wins) or the value is empty. */
e8k_status e8k_sub_keep(reader *r, size_t s, size_t e, const char **out)
{
    e8k_sub_trim(r->b, &s, &e);
    if (*out || s == e)
        return E8K_OK;
    *out = e8k_pool_strndup(&r->f->pool, r->b + s, e - s);
    return *out ? E8K_OK : e8k_sub_nomem(r);
}

/* Header dates are YYYYMMDD; the API speaks YYYY-MM-DD. */
static e8k_status keep_date(reader *r, size_t s, size_t e, const char **out)
{
    e8k_sub_trim(r->b, &s, &e);
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
    return *out ? E8K_OK : e8k_sub_nomem(r);
}

/* The decimal number b[s, e), or -1 when it is not one or exceeds
 * INT_MAX. */
long e8k_sub_number(const char *b, size_t s, size_t e)
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
    e8k_sub_trim(r->b, &s, &e);
    if (r->f->header.document_count >= 0 || s == e)
        return;
    r->f->header.document_count = e8k_sub_number(r->b, s, e);
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
        return e8k_sub_fail(r, E8K_ERR_LIMIT, off,
                    "the header names more than %d companies "
                    "(E8K_MAX_HEADER_ENTITIES)", E8K_MAX_HEADER_ENTITIES);
    if (!e8k_filing_add_entity(r->f, h->role[0] ? h->role : "filer"))
        return e8k_sub_nomem(r);
    h->entity = r->f->header.nentities - 1;
    return E8K_OK;
}

static e8k_status add_item(reader *r, size_t s, size_t e)
{
    e8k_sub_trim(r->b, &s, &e);
    if (s == e)
        return E8K_OK;
    if (r->f->header.nitems >= E8K_MAX_HEADER_ITEMS)
        return e8k_sub_fail(r, E8K_ERR_LIMIT, s,
                    "the header states more than %d items "
                    "(E8K_MAX_HEADER_ITEMS)", E8K_MAX_HEADER_ITEMS);
    return e8k_filing_add_header_item(r->f, r->b + s, e - s) == 0
               ? E8K_OK
               : e8k_sub_nomem(r);
}

/* Records one header field whose value is b[s, e). */
static e8k_status header_field(reader *r, header_state *h, field id,
                               size_t s, size_t e)
{
    e8k_header *hd = &r->f->header;
    e8k_entity *ent =
        h->entity == NONE ? NULL : &r->f->entities[h->entity];
    switch (id) {
    case F_ACCESSION: return e8k_sub_keep(r, s, e, &hd->accession);
    case F_FORM: return e8k_sub_keep(r, s, e, &hd->form_type);
    case F_COUNT: keep_count(r, s, e); return E8K_OK;
    case F_PERIOD: return keep_date(r, s, e, &hd->period);
    case F_FILED: return keep_date(r, s, e, &hd->filed);
    case F_ITEM: return add_item(r, s, e);
    case F_ENTITY: return add_entity(r, h, s);
    case F_NAME: return ent ? e8k_sub_keep(r, s, e, &ent->name) : E8K_OK;
    case F_CIK: return ent ? e8k_sub_keep(r, s, e, &ent->cik) : E8K_OK;
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
    while (s < e && e8k_sub_is_space(r->b[s]))
        s++;
    if (s == e || r->b[s] == '<')
        return E8K_OK;
    const char *colon = memchr(r->b + s, ':', e - s);
    if (!colon)
        return E8K_OK;
    size_t ks = s, ke = (size_t)(colon - r->b), vs = ke + 1, ve = e;
    e8k_sub_trim(r->b, &ks, &ke);
    e8k_sub_trim(r->b, &vs, &ve);
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
    e8k_sub_trim(b, &vs, &ve);
    field id = field_of(b + ks, ke - ks, 1);
    if (id == F_OTHER && vs == ve)
        set_role(h, b + ks, ke - ks);
    return header_field(r, h, id, vs, ve);
}

e8k_status e8k_sub_read_header_lines(reader *r, size_t from, size_t to,
                                     int nc)
{
    header_state h = {.role = "", .entity = NONE};
    line ln;
    for (size_t p = from; p < to && e8k_sub_get_line(r, p, &ln); p = ln.next) {
        if (ln.end > to)
            ln.end = to;
        e8k_status s = nc ? nc_header_line(r, &h, &ln)
                          : sgml_header_line(r, &h, &ln);
        if (s != E8K_OK)
            return s;
    }
    return E8K_OK;
}

e8k_status e8k_sub_check_header_size(reader *r, size_t from, size_t to)
{
    if (to - from <= E8K_MAX_HEADER_SIZE)
        return E8K_OK;
    return e8k_sub_fail(r, E8K_ERR_LIMIT, from,
                "the header is %zu bytes; the limit is %zu "
                "(E8K_MAX_HEADER_SIZE)", to - from, E8K_MAX_HEADER_SIZE);
}

