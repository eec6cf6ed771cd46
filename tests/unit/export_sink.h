/* export_sink.h: what the store tests (test_store.c, test_store_schema.c)
 * share: an export written into memory, NUL-terminated. */
#ifndef EXPORT_SINK_H
#define EXPORT_SINK_H

#include "edgar8k.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

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

#endif /* EXPORT_SINK_H */
