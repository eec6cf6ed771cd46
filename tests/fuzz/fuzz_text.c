/* fuzz_text.c: libFuzzer target for the text stage. Any bytes, read as
 * HTML and as plain text, must give E8K_OK or a located error, never a
 * crash, a hang or output on stderr; a text must be valid UTF-8 with the
 * normalization invariants (no leading, trailing or doubled white space, at
 * most one blank line) and a monotonic map whose letters and digits point
 * at the same byte of the input (or, in HTML, at the '&' of a reference). */
#include "edgar8k.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if ((c >= 0x80 && c < 0xC2) || c > 0xF4 || i + k > n)
            abort();
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                abort();
        i += k;
    }
}

static int space(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static void check_shape(const char *d, size_t n)
{
    if (d[n] != '\0' || memchr(d, '\0', n))
        abort();
    if (n && (space(d[0]) || space(d[n - 1])))
        abort();
    for (size_t i = 1; i < n; i++) {
        if (!space(d[i]) || !space(d[i - 1]))
            continue;
        /* only "\n\n" may join two white-space characters */
        if (d[i] != '\n' || d[i - 1] != '\n' || (i >= 2 && d[i - 2] == '\n'))
            abort();
    }
}

static void check_map(const e8k_text *t, const uint8_t *data, size_t size,
                      e8k_format fmt)
{
    size_t n, prev = 0;
    const char *d = e8k_text_data(t, &n);
    for (size_t p = 0; p <= n; p++) {
        size_t off = e8k_text_offset(t, p);
        if (off < prev || off > size)
            abort();
        prev = off;
        if (p == n)
            break;
        char c = d[p];
        int alnum = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' &&
                                               (c | 0x20) <= 'z');
        if (alnum && off < size && data[off] != (uint8_t)c &&
            !(fmt == E8K_FORMAT_HTML && data[off] == '&'))
            abort();
    }
    if (e8k_text_offset(t, n) != size)
        abort();
}

static void convert(const uint8_t *data, size_t size, e8k_format fmt)
{
    e8k_text *t = NULL;
    e8k_error err;
    e8k_status s = e8k_text_convert((const char *)data, size, fmt, &t, &err);
    if (s != E8K_OK) {
        if (t || err.status != s ||
            (err.offset != E8K_NO_OFFSET && err.offset > size))
            abort();
        return;
    }
    size_t n;
    const char *d = e8k_text_data(t, &n);
    check_utf8((const unsigned char *)d, n);
    check_shape(d, n);
    check_map(t, data, size, fmt);
    e8k_text_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    convert(data, size, E8K_FORMAT_HTML);
    convert(data, size, E8K_FORMAT_TEXT);
    e8k_format f = e8k_format_detect((const char *)data, size, NULL, NULL);
    if (f > E8K_FORMAT_BINARY)
        abort();
    e8k_format_detect((const char *)data, size, "GRAPHIC", "x.htm");
    return 0;
}
