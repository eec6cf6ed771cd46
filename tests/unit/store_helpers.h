/* store_helpers.h: what the store tests (test_store.c, test_store_schema.c)
 * share: a temporary directory holding the SQLite database (or the
 * PostgreSQL server E8K_PG_URL names), the grammar a test loaded, and an
 * export written into memory. Each test file gets its own copies. */
#ifndef STORE_HELPERS_H
#define STORE_HELPERS_H

#include "edgar8k.h"

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
