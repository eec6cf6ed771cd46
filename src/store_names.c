/* SPDX-License-Identifier: MIT */
/* store_names.c: the companies of every stored filing, their CIKs and
 * names each joined by ";" in header order, read once so that an export can
 * name the filing of each record row without a query per row or an
 * aggregate SQLite and PostgreSQL would order differently. */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct names_ctx {
    e8k_companies *m;
    e8k_buf ciks, names; /* of the filing being read */
    int64_t id;
    int open;
} names_ctx;

/* The text of a cell as stored (escaped), "" for NULL. */
static int put_text(e8k_buf *b, const e8k_sqlval *v)
{
    if (v->kind != E8K_SQL_TEXT || !v->n)
        return 0;
    return e8k_buf_append(b, v->p, v->n);
}

/* Ends the filing being read: its joined strings become an entry. */
static int close_filing(names_ctx *c)
{
    if (!c->open)
        return 0;
    c->open = 0;
    e8k_companies *m = c->m;
    if (E8K_GROW(m->entries, m->cap, m->n + 1))
        return -1;
    e8k_companies_of *e = &m->entries[m->n];
    e->id = c->id;
    e->ciks = e8k_strndup(c->ciks.data ? c->ciks.data : "", c->ciks.len);
    e->names = e8k_strndup(c->names.data ? c->names.data : "", c->names.len);
    if (!e->ciks || !e->names) {
        free(e->ciks);
        free(e->names);
        return -1;
    }
    m->n++;
    c->ciks.len = c->names.len = 0;
    return 0;
}

static int names_row(void *vctx, const e8k_sqlval *cols, size_t n)
{
    names_ctx *c = vctx;
    if (n < 3)
        return 1;
    if (c->open && cols[0].i != c->id && close_filing(c))
        return 1;
    int fail = 0;
    if (c->open)
        fail = e8k_buf_putc(&c->ciks, ';') || e8k_buf_putc(&c->names, ';');
    c->id = cols[0].i;
    c->open = 1;
    return fail || put_text(&c->ciks, &cols[1]) || put_text(&c->names, &cols[2]);
}

e8k_status e8k_companies_load(e8k_store *s, e8k_companies *m,
                                 e8k_error *err)
{
    memset(m, 0, sizeof *m);
    names_ctx c = {m, {0}, {0}, 0, 0};
    e8k_status st = e8k_store_query(
        s, "SELECT filing_id, cik, name FROM filing_entities "
           "ORDER BY filing_id, entity_no", NULL, 0, names_row, &c, err);
    if (st == E8K_OK && close_filing(&c))
        st = e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                      "out of memory");
    e8k_buf_free(&c.ciks);
    e8k_buf_free(&c.names);
    if (st != E8K_OK)
        e8k_companies_free(m);
    return st;
}

const e8k_companies_of *e8k_companies_find(const e8k_companies *m,
                                             int64_t id)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->entries[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->n && m->entries[lo].id == id ? &m->entries[lo] : NULL;
}

void e8k_companies_free(e8k_companies *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->entries[i].ciks);
        free(m->entries[i].names);
    }
    free(m->entries);
    memset(m, 0, sizeof *m);
}
