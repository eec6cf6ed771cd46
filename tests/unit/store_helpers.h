/* store_helpers.h: what the store tests (test_store.c, test_store_schema.c,
 * test_store_retry.c) share: a temporary directory holding the SQLite
 * database (or the PostgreSQL server E8K_PG_URL names), the grammar a test
 * loaded, a server emptied of what earlier tests stored, a query's first
 * integer, and an export written into memory. Each test file gets its own
 * copies. */
#ifndef STORE_HELPERS_H
#define STORE_HELPERS_H

#include "edgar8k.h"
#include "store_int.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];
static char url[128];
static e8k_grammar *grammar; /* freed after each test */

static inline void store_setup(void)
{
    strcpy(dir, "/tmp/e8k-store-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
}

static inline void store_teardown(void)
{
    e8k_grammar_free(grammar);
    grammar = NULL;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* The PostgreSQL server the harness started, else the SQLite file. */
static inline const char *test_url(void)
{
    const char *pg = getenv("E8K_PG_URL");
    return pg && *pg ? pg : url;
}

/* Every row deleted, children first: a PostgreSQL server outlives a
 * test, where each test's SQLite file is new. */
static inline void store_empty(e8k_store *s)
{
    e8k_error err;
    for (size_t i = e8k_ntables; i-- > 0;)
        if (e8k_tables[i]->child) {
            char sql[128];
            snprintf(sql, sizeof sql, "DELETE FROM %s", e8k_tables[i]->name);
            cr_assert_eq(e8k_store_exec(s, sql, &err), E8K_OK, "%s: %s", sql,
                         err.message);
        }
    cr_assert_eq(e8k_store_exec(s, "DELETE FROM filings", &err), E8K_OK,
                 "%s", err.message);
    cr_assert_eq(e8k_store_exec(s, "DELETE FROM ingest_failures", &err),
                 E8K_OK, "%s", err.message);
}

/* The store of test_url(), opened; a PostgreSQL server's emptied. */
static inline e8k_store *open_test_store(void)
{
    e8k_store *s = NULL;
    e8k_error err;
    cr_assert_eq(e8k_store_open(test_url(), &s, &err), E8K_OK, "%s",
                 err.message);
    if (!strcmp(e8k_store_kind(s), "postgres"))
        store_empty(s);
    return s;
}

/* A query's row callback: the first column of an integer row into
 * *(int64_t *)ctx. */
static inline int first_int(void *ctx, const e8k_sqlval *cols, size_t n)
{
    if (n && cols[0].kind == E8K_SQL_INT)
        *(int64_t *)ctx = cols[0].i;
    return 0;
}

typedef struct sink {
    char *data;
    size_t len;
} sink;

static inline int sink_write(void *ctx, const char *data, size_t len)
{
    sink *k = ctx;
    char *p = realloc(k->data, k->len + len + 1);
    cr_assert_not_null(p, "out of memory");
    k->data = p;
    memcpy(k->data + k->len, data, len);
    k->len += len;
    k->data[k->len] = '\0';
    return 0;
}

/* The export of `table` (NULL: all) in `format`; data is never NULL. */
static inline sink export_of(e8k_store *s, const char *format,
                             const char *table)
{
    sink out = {NULL, 0};
    e8k_error err;
    cr_assert_eq(e8k_store_export(s, format, table, sink_write, &out, &err),
                 E8K_OK, "%s", err.message);
    if (!out.data)
        out.data = calloc(1, 1);
    return out;
}

#endif /* STORE_HELPERS_H */
