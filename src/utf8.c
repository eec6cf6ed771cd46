/* SPDX-License-Identifier: MIT */
/* utf8.c: the one home of character handling. What counts as well-formed
 * UTF-8 (one check: the text stage, the index readers, the JSON writers and
 * the store all ask it, so that no byte string is UTF-8 to one stage and
 * not to the next), how a code point is written and read, the reading of
 * bytes that are not UTF-8 as Latin-1 (company names in index files and
 * Feed headers), the Windows-1252 table, and the escaping of control
 * characters in messages. No I/O. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

size_t e8k_utf8_seq(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    /* Unicode table 3-7: no overlongs (C0, C1, E0 80..9F, F0 80..8F), no
     * surrogates (ED A0..BF), nothing past U+10FFFF (F4 90.., F5..). */
    if (c >= 0xC2 && c <= 0xDF)
        return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F))
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
            return 0;
        return 4;
    }
    return 0;
}

size_t e8k_utf8_valid_prefix(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, k;
    while (i < n) {
        if (u[i] < 0x80) { /* the bulk of any text: no call */
            i++;
            continue;
        }
        if ((k = e8k_utf8_seq(u + i, n - i)) == 0)
            break;
        i += k;
    }
    return i;
}

int e8k_utf8_valid(const char *s, size_t n)
{
    return e8k_utf8_valid_prefix(s, n) == n;
}

size_t e8k_utf8_put(char out[4], uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t e8k_utf8_get(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t k = e8k_utf8_seq(s, n);
    if (k == 0)
        return 0;
    uint32_t v = k == 1 ? s[0] : s[0] & (0x3Fu >> (k - 1));
    for (size_t i = 1; i < k; i++)
        v = (v << 6) | (s[i] & 0x3Fu);
    *cp = v;
    return k;
}

int e8k_buf_append_utf8(e8k_buf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t ok = e8k_utf8_valid_prefix(s + i, n - i);
        if (ok && e8k_buf_append(b, s + i, ok) != 0)
            return -1;
        i += ok;
        if (i >= n)
            break;
        char two[4];
        size_t k = e8k_utf8_put(two, u[i]); /* the byte as Latin-1 */
        if (e8k_buf_append(b, two, k) != 0)
            return -1;
        i++;
    }
    return e8k_buf_append(b, "", 0); /* NUL-terminated even when empty */
}

char *e8k_pool_utf8(e8k_pool *p, const char *s, size_t n)
{
    if (e8k_utf8_valid(s, n)) /* nearly every name: copied once */
        return e8k_pool_strndup(p, s, n);
    e8k_buf b = {0};
    char *out = e8k_buf_append_utf8(&b, s, n) == 0
                    ? e8k_pool_strndup(p, b.data, b.len)
                    : NULL;
    e8k_buf_free(&b);
    return out;
}

/* Windows-1252 0x80..0x9F; 0 marks the five bytes it leaves undefined. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

uint32_t e8k_cp1252_c1(uint32_t cp)
{
    return cp >= 0x80 && cp <= 0x9F ? cp1252_high[cp - 0x80] : cp;
}

int e8k_cp1252_undefined(unsigned char c)
{
    return c >= 0x80 && c <= 0x9F && cp1252_high[c - 0x80] == 0;
}

/* ---- Messages ------------------------------------------------------------- */

/* C0 controls, DEL and C1 controls (U+0080..U+009F: 8-bit CSI among them)
 * move a terminal's cursor or forge lines; a byte that is not UTF-8 may
 * complete one in a terminal that reads Latin-1. */
static size_t plain_char(const unsigned char *u, size_t n)
{
    if (u[0] >= 0x20 && u[0] < 0x7F)
        return 1;
    if (u[0] < 0x80)
        return 0;
    size_t k = e8k_utf8_seq(u, n);
    if (k == 2 && u[0] == 0xC2 && u[1] < 0xA0)
        return 0;
    return k;
}

const char *e8k_str_escape(const char *s, char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)u), o = 0;
    if (cap == 0)
        return out;
    for (size_t i = 0; i < n;) {
        size_t k = plain_char(u + i, n - i);
        /* whole characters only: a cut sequence would be invalid UTF-8 */
        size_t need = k ? k : (u[i] < 0x80 || e8k_utf8_seq(u + i, n - i) == 0
                                   ? 4 : 8);
        if (o + need >= cap)
            break;
        if (k) {
            memcpy(out + o, u + i, k);
            o += k;
            i += k;
            continue;
        }
        size_t m = u[i] >= 0x80 && e8k_utf8_seq(u + i, n - i) == 2 ? 2 : 1;
        for (size_t j = 0; j < m; j++, i++) {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[u[i] >> 4];
            out[o++] = hex[u[i] & 15];
        }
    }
    out[o] = '\0';
    return out;
}

int e8k_needs_escape(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = plain_char(u + i, n - i);
        if (k == 0)
            return 1;
        i += k;
    }
    return 0;
}
