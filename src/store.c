/* SPDX-License-Identifier: MIT */
/* store.c: the database store both dialects share: the statement cache,
 * parameter rows, and the text escape that keeps any bytes intact in a
 * text column. Opening, migrations and ingest's bookkeeping queries are in
 * store_open.c. The SQL lives in the store_*.c files and schema.c;
 * store_sqlite.c and store_pg.c only carry it to their database. */
#include "store_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

e8k_status e8k_db_fail(e8k_error *err, const char *fmt, ...)
{
    if (err) {
        e8k_error_clear(err);
        err->status = E8K_ERR_DATABASE;
        va_list ap;
        va_start(ap, fmt);
        e8k_error_vset(err, fmt, ap);
        va_end(ap);
    }
    return E8K_ERR_DATABASE;
}

e8k_status e8k_row_stopped(e8k_error *err)
{
    if (err && err->status != E8K_OK)
        return err->status;
    return e8k_fail(err, E8K_ERR_IO, NULL, NULL, 0, E8K_NO_OFFSET,
                    "a row callback stopped the query");
}

/* ---- text escape --------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s, 0 when none; NUL never is one
 * (neither database keeps it in text). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    return s[0] ? e8k_utf8_seq(s, n) : 0;
}

/* U+10FF00..U+10FFFF: F4 8F BC..BF 80..BF. */
static int is_escape_char(const unsigned char *s, size_t len)
{
    return len == 4 && s[0] == 0xF4 && s[1] == 0x8F && s[2] >= 0xBC;
}

int e8k_sqltext_needs_escape(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (u[i] >= 0x01 && u[i] < 0x80) {
            i++;
            continue;
        }
        size_t len = utf8_len(u + i, n - i);
        if (!len || is_escape_char(u + i, len))
            return 1;
        i += len;
    }
    return 0;
}

static int put_escape(e8k_buf *out, unsigned char b)
{
    char e[4] = {(char)0xF4, (char)0x8F, (char)(0xBC + (b >> 6)),
                 (char)(0x80 | (b & 0x3F))};
    return e8k_buf_append(out, e, 4);
}

int e8k_sqltext_escape(const char *s, size_t n, e8k_buf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_len(u + i, n - i);
        if (len && !is_escape_char(u + i, len)) {
            if (e8k_buf_append(out, s + i, len))
                return -1;
            i += len;
            continue;
        }
        size_t k = len ? len : 1; /* an escape-range char: its 4 bytes */
        for (size_t j = 0; j < k; j++)
            if (put_escape(out, u[i + j]))
                return -1;
        i += k;
    }
    return e8k_buf_append(out, "", 0);
}

int e8k_sqltext_unescape(const char *s, size_t n, e8k_buf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (i + 4 <= n && is_escape_char(u + i, 4) && (u[i + 3] & 0xC0) == 0x80) {
            char b = (char)(((u[i + 2] - 0xBC) << 6) | (u[i + 3] & 0x3F));
            if (e8k_buf_append(out, &b, 1))
                return -1;
            i += 4;
            continue;
        }
        if (e8k_buf_append(out, s + i, 1))
            return -1;
        i++;
    }
    return e8k_buf_append(out, "", 0);
}

/* ---- formatting ---------------------------------------------------------- */

void e8k_fmt_double(double d, char out[32])
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, 32, "%.*g", prec, d);
        if (strtod(out, NULL) == d)
            return;
    }
}

void e8k_utc_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *e8k_store_now(e8k_store *s)
{
    int64_t t = (int64_t)time(NULL);
    if (t != s->now_at || !s->now[0]) {
        e8k_utc_now(s->now);
        s->now_at = t;
    }
    return s->now;
}

/* ---- rows of parameters -------------------------------------------------- */

void e8k_row_start(e8k_row *row, e8k_store *s)
{
    row->s = s;
    row->n = 0;
    row->oom = 0;
}

static e8k_sqlval *row_next(e8k_row *row)
{
    if (row->n >= E8K_ROW_MAX) {
        row->oom = 1;
        return NULL;
    }
    e8k_sqlval *v = &row->v[row->n++];
    memset(v, 0, sizeof *v);
    return v;
}

void e8k_row_null(e8k_row *row) { row_next(row); }

void e8k_row_int(e8k_row *row, int64_t i)
{
    e8k_sqlval *v = row_next(row);
    if (v)
        v->kind = E8K_SQL_INT, v->i = i;
}

void e8k_row_size(e8k_row *row, size_t n)
{
    if (n == E8K_NO_OFFSET || n > INT64_MAX)
        e8k_row_null(row);
    else
        e8k_row_int(row, (int64_t)n);
}

void e8k_row_real(e8k_row *row, double d)
{
    /* SQLite turns NaN into NULL and JSON has no infinities: both
     * dialects store NULL for a value that is not a finite number. */
    if (!isfinite(d)) {
        e8k_row_null(row);
        return;
    }
    e8k_sqlval *v = row_next(row);
    if (v) /* SQLite stores -0.0 as the integer 0: drop the sign in both */
        v->kind = E8K_SQL_REAL, v->d = d == 0 ? 0.0 : d;
}

void e8k_row_text_n(e8k_row *row, const char *s, size_t n)
{
    e8k_sqlval *v = row_next(row);
    if (!v || !s)
        return;
    v->kind = E8K_SQL_TEXT;
    if (!e8k_sqltext_needs_escape(s, n)) {
        /* Bound as is when already NUL-terminated, else copied once. */
        v->p = s[n] == '\0' ? s : e8k_pool_strndup(&row->s->pool, s, n);
        v->n = n;
    } else {
        e8k_buf b = {0};
        if (e8k_sqltext_escape(s, n, &b) == 0) {
            v->p = e8k_pool_strndup(&row->s->pool, b.data, b.len);
            v->n = b.len;
        }
        e8k_buf_free(&b);
    }
    if (!v->p)
        row->oom = 1;
}

void e8k_row_text(e8k_row *row, const char *s)
{
    e8k_row_text_n(row, s, s ? strlen(s) : 0);
}

void e8k_row_blob(e8k_row *row, const void *p, size_t n)
{
    e8k_sqlval *v = row_next(row);
    if (v)
        v->kind = E8K_SQL_BLOB, v->p = p ? p : "", v->n = n;
}

static e8k_status row_oom(const char *what, e8k_error *err)
{
    return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                    "out of memory binding a row of %s", what);
}

e8k_status e8k_row_run(e8k_row *row, const char *sql, e8k_row_fn fn,
                       void *ctx, e8k_error *err)
{
    if (row->oom)
        return row_oom(sql, err);
    return e8k_store_query(row->s, sql, row->v, row->n, fn, ctx, err);
}

e8k_status e8k_row_exec(e8k_row *row, e8k_stmt *st, e8k_row_fn fn, void *ctx,
                        e8k_error *err)
{
    if (row->oom)
        return row_oom("a prepared statement", err);
    return row->s->drv->run(row->s->db, st, row->v, row->n, fn, ctx, err);
}

/* ---- statements ---------------------------------------------------------- */

/* FNV-1a: a cheap key for the statement cache. */
static uint64_t sql_hash(const char *sql, size_t *len)
{
    uint64_t h = 14695981039346656037u;
    const unsigned char *p = (const unsigned char *)sql;
    for (; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    *len = (size_t)(p - (const unsigned char *)sql);
    return h;
}

e8k_status e8k_store_prepare(e8k_store *s, const char *sql, e8k_stmt **out,
                             e8k_error *err)
{
    size_t len;
    uint64_t h = sql_hash(sql, &len);
    for (size_t i = 0; i < s->ncache; i++)
        if (s->cache[i].hash == h && s->cache[i].len == len &&
            !memcmp(s->cache[i].sql, sql, len)) {
            *out = s->cache[i].st;
            return E8K_OK;
        }
    if (E8K_GROW(s->cache, s->cache_cap, s->ncache + 1))
        return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                        "out of memory");
    char *copy = e8k_strndup(sql, len);
    if (!copy)
        return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                        "out of memory");
    e8k_status st = s->drv->prepare(s->db, sql, out, err);
    if (st != E8K_OK) {
        free(copy);
        return st;
    }
    s->cache[s->ncache++] = (e8k_cached_stmt){copy, len, h, *out};
    return E8K_OK;
}

e8k_status e8k_store_query(e8k_store *s, const char *sql,
                           const e8k_sqlval *params, size_t n, e8k_row_fn fn,
                           void *ctx, e8k_error *err)
{
    e8k_stmt *st = NULL;
    e8k_status rc = e8k_store_prepare(s, sql, &st, err);
    if (rc == E8K_OK)
        rc = s->drv->run(s->db, st, params, n, fn, ctx, err);
    return rc;
}

e8k_status e8k_store_exec(e8k_store *s, const char *sql, e8k_error *err)
{
    return s->drv->exec(s->db, sql, err);
}
