/* store_export.c: the store's contents as JSON Lines or CSV, in the same
 * bytes from SQLite and PostgreSQL: rows sorted by natural keys with a
 * byte-wise collation, child rows named by their filing's key instead of an
 * internal id, numbers printed as the shortest decimal that reads back
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
    e8k_buf line;
    e8k_write_fn fn;
    void *fctx;
    e8k_error *err;
} export_ctx;

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

static char *select_sql(const e8k_store *s, const e8k_table *t)
{
    e8k_buf b = {0};
    int fail = e8k_buf_printf(&b, "SELECT %s", t->child ? "f.filing_key" : "");
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

static int csv_text(e8k_buf *b, const char *p, size_t n)
{
    e8k_buf raw = {0};
    if (e8k_sqltext_unescape(p, n, &raw))
        return -1;
    int fail = e8k_buf_putc(b, '"');
    for (size_t i = 0; i < raw.len && !fail; i++)
        fail = raw.data[i] == '"' ? e8k_buf_append(b, "\"\"", 2)
                                  : e8k_buf_append(b, raw.data + i, 1);
    e8k_buf_free(&raw);
    return fail || e8k_buf_putc(b, '"');
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

static const e8k_column *nth_col(const e8k_table *t, size_t i)
{
    if (t->child)
        return i == 0 ? &filing_key_col : &t->cols[i - 1];
    return &t->cols[i];
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

static int export_row(void *vctx, const e8k_sqlval *cols, size_t n)
{
    export_ctx *x = vctx;
    e8k_buf *b = &x->line;
    b->len = 0;
    int fail = x->csv ? 0 : e8k_buf_printf(b, "{\"table\":\"%s\"", x->t->name);
    for (size_t i = 0; i < n && !fail; i++) {
        const e8k_column *c = nth_col(x->t, i);
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
    size_t n = x->t->ncols + (x->t->child ? 1 : 0);
    int fail = 0;
    for (size_t i = 0; i < n && !fail; i++)
        fail = e8k_buf_printf(b, "%s%s", i ? "," : "", nth_col(x->t, i)->name);
    fail = fail || e8k_buf_append(b, "\r\n", 2);
    return write_line(x, fail);
}

static e8k_status export_table(e8k_store *s, export_ctx *x)
{
    char *sql = select_sql(s, x->t);
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
    export_ctx x = {NULL, csv, {0}, fn, ctx, err};
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
    return st;
}
