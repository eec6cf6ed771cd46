/* SPDX-License-Identifier: MIT */
/* csv.c: CSV by RFC 4180 for every CSV edgar8k writes: the records of
 * `extract --format csv` and the tables of `export --format csv`. Fields
 * are quoted, quotes doubled, records end in CRLF; a field keeps its bytes
 * (commas, quotes, line breaks). For a spreadsheet that opens an export,
 * a cell that begins like a formula (=, +, -, @, or a tab or CR before
 * one) is neutralised with a leading apostrophe, unless it is a plain
 * number, which no spreadsheet evaluates. No I/O. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A number as spreadsheets read one: sign, digits, a point, an exponent;
 * "-12.5" needs no neutralising, "-1+2" does. */
static int plain_number(const char *s, size_t n)
{
    size_t i = 0, digits = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        i++;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        digits++;
    if (i < n && s[i] == '.')
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            digits++;
    if (digits && i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (s[j] == '-' || s[j] == '+'))
            j++;
        size_t e = j;
        while (j < n && s[j] >= '0' && s[j] <= '9')
            j++;
        if (j > e)
            i = j;
    }
    return digits > 0 && i == n;
}

int e8k_csv_formula_like(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == '\t' || s[i] == '\r'))
        i++; /* some spreadsheets skip these before a formula */
    if (i >= n || (s[i] != '=' && s[i] != '+' && s[i] != '-' && s[i] != '@'))
        return i > 0 && i < n; /* a cell opening with a tab or CR */
    return !plain_number(s, n);
}

int e8k_csv_field(e8k_buf *b, const char *s, size_t n, unsigned flags)
{
    int fail = e8k_buf_putc(b, '"');
    if (!fail && (flags & E8K_CSV_NEUTRALISE) && e8k_csv_formula_like(s, n))
        fail = e8k_buf_putc(b, '\'');
    size_t from = 0;
    for (size_t i = 0; i < n && !fail; i++)
        if (s[i] == '"') {
            fail = e8k_buf_append(b, s + from, i + 1 - from) ||
                   e8k_buf_putc(b, '"');
            from = i + 1;
        }
    return fail || e8k_buf_append(b, s + from, n - from) ||
           e8k_buf_putc(b, '"');
}

int e8k_csv_str(e8k_buf *b, const char *s, unsigned flags)
{
    return e8k_csv_field(b, s ? s : "", s ? strlen(s) : 0, flags);
}

int e8k_csv_end(e8k_buf *b)
{
    return e8k_buf_append(b, "\r\n", 2);
}

/* ---- Records ---------------------------------------------------------------- */

/* The columns every row starts with name the file and the filing; then the
 * offering, the field and where its value came from. */
static const char *const record_columns[] = {
    "file", "accession", "form_type", "filed", "period", "cik", "company",
    "offering", "field", "value", "unit", "qualifier", "document", "start",
    "end", "rule"};

static int record_header(e8k_buf *b)
{
    int fail = 0;
    for (size_t i = 0; i < sizeof record_columns / sizeof record_columns[0] &&
                       !fail; i++)
        fail = (i && e8k_buf_putc(b, ',')) ||
               e8k_buf_append(b, record_columns[i], strlen(record_columns[i]));
    return fail || e8k_csv_end(b);
}

/* The header's CIKs or names, in its order, separated by ";", as one cell. */
static int record_entities(e8k_buf *b, const e8k_header *h, int names)
{
    e8k_buf joined = {0};
    int fail = 0;
    for (size_t i = 0; h && i < h->nentities && !fail; i++) {
        const char *s = names ? h->entities[i].name : h->entities[i].cik;
        fail = (i && e8k_buf_putc(&joined, ';')) ||
               (s && e8k_buf_append(&joined, s, strlen(s)));
    }
    fail = fail || e8k_csv_field(b, joined.data ? joined.data : "", joined.len, 0);
    e8k_buf_free(&joined);
    return fail;
}

/* file, accession, form_type, filed, period, cik, company: empty cells
 * when there is no filing (a text read as one document). */
static int record_filing(e8k_buf *b, const e8k_header *h, const char *name)
{
    const char *parts[] = {h ? h->accession : NULL, h ? h->form_type : NULL,
                           h ? h->filed : NULL, h ? h->period : NULL};
    int fail = e8k_csv_str(b, name, 0);
    for (size_t i = 0; i < 4 && !fail; i++)
        fail = e8k_buf_putc(b, ',') || e8k_csv_str(b, parts[i], 0);
    return fail || e8k_buf_putc(b, ',') || record_entities(b, h, 0) ||
           e8k_buf_putc(b, ',') || record_entities(b, h, 1);
}

static int record_row(e8k_buf *b, const e8k_header *h, const char *name,
                      size_t i, const char *field, const e8k_value *v)
{
    char num[64];
    snprintf(num, sizeof num, "%.15g", v->number);
    return record_filing(b, h, name) ||
           /* the field: one of the fixed names, never quoted */
           e8k_buf_printf(b, ",%zu,%s,", i, field) ||
           e8k_csv_str(b, v->has_number ? num : v->string, 0) ||
           e8k_buf_putc(b, ',') || e8k_csv_str(b, v->unit, 0) ||
           e8k_buf_putc(b, ',') || e8k_csv_str(b, v->qualifier, 0) ||
           e8k_buf_putc(b, ',') || e8k_csv_str(b, v->doc_type, 0) ||
           e8k_buf_printf(b, ",%zu,%zu,", v->span.start, v->span.end) ||
           e8k_csv_str(b, v->rule, 0) || e8k_csv_end(b);
}

e8k_status e8k_records_to_csv(const e8k_records *r, const e8k_filing *f,
                              const char *name, unsigned flags, char **out,
                              e8k_error *err)
{
    *out = NULL;
    e8k_buf b = {0};
    const e8k_header *h = f ? e8k_filing_header(f) : NULL;
    int fail = (flags & E8K_CSV_HEADER) ? record_header(&b) : 0;
    size_t noff = r ? e8k_records_offering_count(r) : 0;
    for (size_t i = 0; i < noff && !fail; i++)
        for (size_t k = 0; k < e8k_offering_field_count() && !fail; k++) {
            const char *field = e8k_offering_field_name(k);
            const e8k_value *v = e8k_records_offering_field(r, i, field);
            if (v)
                fail = record_row(&b, h, name ? name : "", i, field, v);
        }
    if (fail || e8k_buf_append(&b, "", 0)) {
        e8k_buf_free(&b);
        return e8k_fail(err, E8K_ERR_NOMEM, name ? name : "", NULL, 0,
                        E8K_NO_OFFSET, "out of memory writing CSV");
    }
    *out = e8k_buf_take(&b);
    return E8K_OK;
}
