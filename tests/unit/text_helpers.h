/* text_helpers.h: what the text-stage tests (test_text.c, test_html.c)
 * share: converting a body with the offset map checked, finding where a
 * word of the text maps to in the body, and building large bodies. */
#ifndef TEXT_HELPERS_H
#define TEXT_HELPERS_H

#include "edgar8k.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* The map must be monotonic, inside the body, and end at its end. */
static inline void check_map(const e8k_text *t, size_t body_len)
{
    size_t len, prev = 0;
    e8k_text_data(t, &len);
    for (size_t p = 0; p <= len; p++) {
        size_t off = e8k_text_offset(t, p);
        cr_assert_leq(off, body_len, "offset %zu of pos %zu past the body",
                      off, p);
        cr_assert_geq(off, prev, "map goes back at pos %zu", p);
        prev = off;
    }
    cr_assert_eq(e8k_text_offset(t, len), body_len);
}

/* Converts n bytes of body as format f, which must succeed, and checks
 * the map. */
static inline e8k_text *convert_n(const char *body, size_t n, e8k_format f)
{
    e8k_text *t = NULL;
    e8k_error err;
    e8k_error_clear(&err);
    e8k_status s = e8k_text_convert(body, n, f, &t, &err);
    cr_assert_eq(s, E8K_OK, "status %d at %zu: %s", s, err.offset,
                 err.message);
    cr_assert_not_null(t);
    check_map(t, n);
    return t;
}

/* Byte offset in the body of the text position of `word` in the text. */
static inline size_t offset_of(const e8k_text *t, const char *word)
{
    const char *d = e8k_text_data(t, NULL);
    const char *p = strstr(d, word);
    cr_assert_not_null(p, "\"%s\" not in \"%s\"", word, d);
    return e8k_text_offset(t, (size_t)(p - d));
}

static inline size_t index_of(const char *body, const char *word)
{
    const char *p = strstr(body, word);
    cr_assert_not_null(p, "\"%s\" not in the body", word);
    return (size_t)(p - body);
}

/* Asserts that `word` of the text maps to where `source` starts in body. */
#define ASSERT_MAPS(t, word, body, source)                                \
    cr_assert_eq(offset_of((t), (word)), index_of((body), (source)),     \
                 "\"%s\" should map to \"%s\"", (word), (source))

/* `unit` repeated n times between head and tail, malloc'ed. */
static inline char *repeat(const char *head, const char *unit, size_t n,
                           const char *tail, size_t *len)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    char *b = malloc(hl + ul * n + tl + 1);
    cr_assert_not_null(b);
    memcpy(b, head, hl);
    for (size_t i = 0; i < n; i++)
        memcpy(b + hl + i * ul, unit, ul);
    memcpy(b + hl + ul * n, tail, tl + 1);
    *len = hl + ul * n + tl;
    return b;
}

#endif /* TEXT_HELPERS_H */
