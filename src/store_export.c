/* SPDX-License-Identifier: MIT */
/* store_export.c: the store's contents as JSON Lines or CSV, in the same
 * bytes from SQLite and PostgreSQL: rows sorted by natural keys with a
 * byte-wise collation, child rows named by their filing's key instead of an
 * internal id (record rows by its accession, form, dates and companies as
 * well), numbers printed as the shortest decimal that reads back
 * exactly, and bookkeeping (ids, ingest times) left out. Text comes back
 * unescaped: CSV gets the original bytes, NUL and invalid UTF-8 included;
 * JSON writes NUL as \u0000 and keeps a byte that is not UTF-8 as its
 * escape character U+10FF00 + byte (JSON strings cannot hold raw bytes). */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct export_ctx {
    const e8k_table *t;
    int csv;
    int named;      /* t is a record table: its rows name their filing */
    e8k_companies names; /* loaded for the first record table */
    int names_loaded;
    e8k_buf line;
    e8k_write_fn fn;
    void *fctx;
    e8k_error *err;
} export_ctx;

/* The tables whose rows are records a reader takes one at a time: each
 * row also names its filing (accession, form, dates, companies), not only
 * by its key. */
static int is_record_table(const e8k_table *t)
{
    static const char *const names[] = {"offerings", "fees", "parties",
                                        "warrant_clauses", "facts",
                                        "findings"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(t->name, names[i]))
            return 1;
    return 0;
}

/* What names the filing in a record table's row, after filing_key: these
 * columns of filings, then cik and company (from e8k_companies, keyed by
 * the filing's id, which is selected but not written). */
static const e8k_column filing_cols[] = {
    {"accession", E8K_SQL_TEXT}, {"form_type", E8K_SQL_TEXT},
    {"filed", E8K_SQL_TEXT},     {"period", E8K_SQL_TEXT}};
#define NFILING_COLS (sizeof filing_cols / sizeof filing_cols[0])
static const e8k_column company_cols[] = {{"cik", E8K_SQL_TEXT},
                                          {"company", E8K_SQL_TEXT}};

static const char *collate(const e8k_store *s)
{
    return strcmp(s->drv->name, "postgres") ? " COLLATE BINARY"
                                            : " COLLATE \"C\"";
}

static e8k_sqlkind col_kind(const e8k_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (!strcmp(t->cols[i].name, name))
            return t->cols[i].kind;
    return E8K_SQL_INT;
}

/* ORDER BY: text keys compared as bytes in both dialects. */
static int order_by(e8k_buf *b, const e8k_store *s, const e8k_table *t)
{
    int fail = e8k_buf_printf(b, " ORDER BY ");
    if (t->child)
        fail = fail || e8k_buf_printf(b, "f.filing_key%s, ", collate(s));
    char *keys = e8k_strndup(t->order_by, strlen(t->order_by));
    if (!keys)
        return -1;
    char *save = NULL;
    int first = 1;
    for (char *k = strtok_r(keys, ", ", &save); k && !fail;
         k = strtok_r(NULL, ", ", &save), first = 0)
        fail = e8k_buf_printf(b, "%st.%s%s", first ? "" : ", ", k,
                              col_kind(t, k) == E8K_SQL_TEXT ? collate(s) : "");
    free(keys);
    return fail;
}

static char *select_sql(const e8k_store *s, const e8k_table *t, int named)
{
    e8k_buf b = {0};
    int fail = e8k_buf_printf(&b, "SELECT %s", t->child ? "f.filing_key" : "");
    for (size_t i = 0; named && i < NFILING_COLS && !fail; i++)
        fail = e8k_buf_printf(&b, ", f.%s", filing_cols[i].name);
    fail = fail || (named && e8k_buf_printf(&b, ", f.id"));
    for (size_t i = 0; i < t->ncols && !fail; i++)
        fail = e8k_buf_printf(&b, "%st.%s", i || t->child ? ", " : "",
                              t->cols[i].name);
    fail = fail || e8k_buf_printf(&b, " FROM %s t", t->name);
    if (t->child)
        fail = fail || e8k_buf_printf(&b, " JOIN filings f ON f.id = "
                                          "t.filing_id");
    fail = fail || order_by(&b, s, t);
    if (fail) {
        e8k_buf_free(&b);
        return NULL;
    }
    return e8k_buf_take(&b);
}

/* ---- cells --------------------------------------------------------------- */

static int json_text(e8k_buf *b, const char *p, size_t n)
{
    int fail = e8k_buf_putc(b, '"');
    for (size_t i = 0; i < n && !fail; i++) {
        unsigned char c = (unsigned char)p[i];
        if (i + 4 <= n && c == 0xF4 && (unsigned char)p[i + 1] == 0x8F &&
            (unsigned char)p[i + 2] == 0xBC && (unsigned char)p[i + 3] == 0x80) {
            fail = e8k_buf_printf(b, "\\u0000"); /* an escaped NUL */
            i += 3;
        } else if (c == '"' || c == '\\') {
            fail = e8k_buf_printf(b, "\\%c", c);
        } else if (c == '\n') {
            fail = e8k_buf_printf(b, "\\n");
        } else if (c < 0x20 || c == 0x7F) {
            fail = e8k_buf_printf(b, "\\u%04x", c);
        } else {
            fail = e8k_buf_putc(b, (char)c);
        }
    }
    return fail || e8k_buf_putc(b, '"');
}

/* The original bytes (NUL and invalid UTF-8 included), quoted by RFC 4180,
 * a cell a spreadsheet would evaluate as a formula neutralised (csv.c). */
static int csv_text(e8k_buf *b, const char *p, size_t n)
{
    e8k_buf raw = {0};
    if (e8k_sqltext_unescape(p, n, &raw))
        return -1;
    int fail = e8k_csv_field(b, raw.data, raw.len, E8K_CSV_NEUTRALISE);
    e8k_buf_free(&raw);
    return fail;
}

static int hex_bytes(e8k_buf *b, const char *p, size_t n, int quote)
{
    static const char hex[] = "0123456789abcdef";
    int fail = quote ? e8k_buf_putc(b, '"') : 0;
    for (size_t i = 0; i < n && !fail; i++) {
        unsigned char c = (unsigned char)p[i];
        char two[2] = {hex[c >> 4], hex[c & 15]};
        fail = e8k_buf_append(b, two, 2);
    }
    return fail || (quote ? e8k_buf_putc(b, '"') : 0);
}

/* One cell, converted to the column's declared kind so that both
 * dialects' storage classes print alike. */
static int cell(e8k_buf *b, e8k_sqlkind kind, const e8k_sqlval *v, int csv)
{
    char num[32];
    if (v->kind == E8K_SQL_NULL)
        return csv ? 0 : e8k_buf_printf(b, "null");
    switch (kind) {
    case E8K_SQL_INT:
        return e8k_buf_printf(b, "%lld",
                              (long long)(v->kind == E8K_SQL_REAL ? (int64_t)v->d
                                                                  : v->i));
    case E8K_SQL_REAL:
        e8k_fmt_double(v->kind == E8K_SQL_INT ? (double)v->i : v->d, num);
        return e8k_buf_printf(b, "%s", num);
    case E8K_SQL_BLOB: return hex_bytes(b, v->p, v->n, !csv);
    default:
        if (v->kind != E8K_SQL_TEXT)
            return e8k_buf_printf(b, "\"?\"");
        return csv ? csv_text(b, v->p, v->n) : json_text(b, v->p, v->n);
    }
}

static const e8k_column filing_key_col = {"filing_key", E8K_SQL_TEXT};

/* The i-th column written: the filing key of a child row, then for a
 * record table the columns naming the filing, then the table's own. */
static const e8k_column *nth_col(const e8k_table *t, int named, size_t i)
{
    if (t->child && i-- == 0)
        return &filing_key_col;
    if (named && i < NFILING_COLS + 2)
        return i < NFILING_COLS ? &filing_cols[i]
                                : &company_cols[i - NFILING_COLS];
    return &t->cols[i - (named ? NFILING_COLS + 2 : 0)];
}

static size_t ncols_written(const e8k_table *t, int named)
{
    return t->ncols + (t->child ? 1 : 0) + (named ? NFILING_COLS + 2 : 0);
}

/* The row's selected cells as written: the filing's id (selected after
 * the filing columns) replaced by its companies' CIKs and names. */
static size_t written_cells(export_ctx *x, const e8k_sqlval *cols, size_t n,
                            e8k_sqlval *out, size_t cap)
{
    size_t k = 0, id_at = 1 + NFILING_COLS;
    for (size_t i = 0; i < n && k + 2 <= cap; i++) {
        if (!x->named || i != id_at) {
            out[k++] = cols[i];
            continue;
        }
        const e8k_companies_of *fn = e8k_companies_find(&x->names,
                                                          cols[i].i);
        const char *both[2] = {fn ? fn->ciks : "", fn ? fn->names : ""};
        for (size_t j = 0; j < 2; j++)
            out[k++] = (e8k_sqlval){E8K_SQL_TEXT, 0, 0, both[j],
                                    strlen(both[j])};
    }
    return k;
}

/* Hands the line built in x->line to the writer; `fail`: building it ran
 * out of memory. */
static e8k_status write_line(export_ctx *x, int fail)
{
    if (fail)
        return e8k_fail(x->err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                        "out of memory");
    if (x->fn(x->fctx, x->line.data, x->line.len))
        return e8k_fail(x->err, E8K_ERR_IO, NULL, NULL, 0, E8K_NO_OFFSET,
                        "cannot write the export");
    return E8K_OK;
}

static int export_row(void *vctx, const e8k_sqlval *sel, size_t nsel)
{
    export_ctx *x = vctx;
    e8k_buf *b = &x->line;
    b->len = 0;
    e8k_sqlval cols[128];
    size_t n = written_cells(x, sel, nsel, cols, 128);
    int fail = x->csv ? 0 : e8k_buf_printf(b, "{\"table\":\"%s\"", x->t->name);
    for (size_t i = 0; i < n && !fail; i++) {
        const e8k_column *c = nth_col(x->t, x->named, i);
        if (x->csv)
            fail = (i && e8k_buf_putc(b, ',')) || cell(b, c->kind, &cols[i], 1);
        else
            fail = e8k_buf_printf(b, ",\"%s\":", c->name) ||
                   cell(b, c->kind, &cols[i], 0);
    }
    fail = fail || (x->csv ? e8k_buf_append(b, "\r\n", 2)
                           : e8k_buf_append(b, "}\n", 2));
    return write_line(x, fail) != E8K_OK;
}

static e8k_status export_header(export_ctx *x)
{
    e8k_buf *b = &x->line;
    b->len = 0;
    size_t n = ncols_written(x->t, x->named);
    int fail = 0;
    for (size_t i = 0; i < n && !fail; i++)
        fail = e8k_buf_printf(b, "%s%s", i ? "," : "",
                              nth_col(x->t, x->named, i)->name);
    fail = fail || e8k_buf_append(b, "\r\n", 2);
    return write_line(x, fail);
}

static e8k_status export_table(e8k_store *s, export_ctx *x)
{
    x->named = is_record_table(x->t);
    if (x->named && !x->names_loaded) {
        e8k_status st = e8k_companies_load(s, &x->names, x->err);
        if (st != E8K_OK)
            return st;
        x->names_loaded = 1;
    }
    char *sql = select_sql(s, x->t, x->named);
    if (!sql)
        return e8k_fail(x->err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                        "out of memory");
    e8k_status st = x->csv ? export_header(x) : E8K_OK;
    if (st == E8K_OK)
        st = e8k_store_query(s, sql, NULL, 0, export_row, x, x->err);
    free(sql);
    return st;
}

e8k_status e8k_store_export(e8k_store *s, const char *format,
                            const char *table, e8k_write_fn fn, void *ctx,
                            e8k_error *err)
{
    int csv = format && !strcmp(format, "csv");
    if (!s || !fn || (format && !csv && strcmp(format, "jsonl")))
        return e8k_fail(err, E8K_ERR_USAGE, NULL, NULL, 0, E8K_NO_OFFSET,
                        "export formats are jsonl and csv");
    if (csv && !table)
        table = "offerings";
    const e8k_table *only = table ? e8k_table_find(table) : NULL;
    if (table && !only)
        return e8k_fail(err, E8K_ERR_USAGE, NULL, NULL, 0, E8K_NO_OFFSET,
                        "no table '%s' (see docs/sql.md)", table);
    export_ctx x = {NULL, csv, 0, {0}, 0, {0}, fn, ctx, err};
    e8k_status st = s->drv->export_sql ? e8k_store_exec(s, s->drv->export_sql,
                                                        err)
                                       : E8K_OK;
    for (size_t i = 0; st == E8K_OK && i < e8k_ntables; i++) {
        if (only && e8k_tables[i] != only)
            continue;
        x.t = e8k_tables[i];
        st = export_table(s, &x);
    }
    e8k_buf_free(&x.line);
    e8k_companies_free(&x.names);
    return st;
}
