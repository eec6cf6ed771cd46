/* SPDX-License-Identifier: MIT */
/* util.c: growable buffers, arrays and a string pool shared by every stage,
 * so that each stage's code speaks of filings, not of realloc. */
#include "internal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int e8k_grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return -1;
        ncap *= 2;
    }
    if (elem && ncap > SIZE_MAX / elem)
        return -1;
    void *p = realloc(*ptr, ncap * elem);
    if (!p)
        return -1;
    *ptr = p;
    *cap = ncap;
    return 0;
}

int e8k_buf_grow(e8k_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return -1;
        ncap *= 2;
    }
    char *p = realloc(b->data, ncap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = ncap;
    return 0;
}

int e8k_buf_append(e8k_buf *b, const char *s, size_t n)
{
    if (e8k_buf_reserve(b, n) != 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int e8k_buf_putc(e8k_buf *b, char c)
{
    return e8k_buf_append(b, &c, 1);
}

int e8k_buf_printf(e8k_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || e8k_buf_reserve(b, (size_t)n) != 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *e8k_buf_take(e8k_buf *b)
{
    char *p = b->data;
    if (!p)
        p = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void e8k_buf_free(e8k_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* Pool chunks hold many strings; large strings get a chunk of their own. */
struct e8k_pool_chunk {
    struct e8k_pool_chunk *next;
    size_t used;
    size_t size;
    char data[];
};

#define POOL_CHUNK 4096

char *e8k_pool_strndup(e8k_pool *p, const char *s, size_t n)
{
    struct e8k_pool_chunk *c = p->head;
    if (n >= SIZE_MAX - sizeof *c - 1)
        return NULL;
    if (!c || c->size - c->used < n + 1) {
        size_t size = n + 1 > POOL_CHUNK ? n + 1 : POOL_CHUNK;
        c = malloc(sizeof *c + size);
        if (!c)
            return NULL;
        c->used = 0;
        c->size = size;
        c->next = p->head;
        p->head = c;
    }
    char *out = c->data + c->used;
    if (n)
        memcpy(out, s, n);
    out[n] = '\0';
    c->used += n + 1;
    return out;
}

char *e8k_pool_strdup(e8k_pool *p, const char *s)
{
    return s ? e8k_pool_strndup(p, s, strlen(s)) : NULL;
}

void e8k_pool_free(e8k_pool *p)
{
    struct e8k_pool_chunk *c = p->head;
    while (c) {
        struct e8k_pool_chunk *next = c->next;
        free(c);
        c = next;
    }
    p->head = NULL;
}

char *e8k_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

const char *e8k_memcasemem(const char *s, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0)
        return s;
    if (m > n)
        return NULL;
    int first = tolower((unsigned char)needle[0]);
    for (size_t i = 0; i + m <= n; i++) {
        if (tolower((unsigned char)s[i]) != first)
            continue;
        size_t k = 1;
        while (k < m && tolower((unsigned char)s[i + k]) ==
                            tolower((unsigned char)needle[k]))
            k++;
        if (k == m)
            return s + i;
    }
    return NULL;
}
