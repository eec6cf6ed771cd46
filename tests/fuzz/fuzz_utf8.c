/* fuzz_utf8.c: libFuzzer target for character handling and output
 * (utf8.c, csv.c, format.c): the one UTF-8 check agrees with jansson's,
 * a string made UTF-8 (Latin-1 for what is not) is valid and keeps what
 * was, an escaped message holds no control character and is valid UTF-8,
 * a CSV field reads back as the bytes it was given (RFC 4180), and the
 * wide-encoding and format sniffers never crash.
 * Build and run: make -C tests/fuzz run TARGETS=fuzz_utf8 */
#include "internal.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The one check against jansson's own (NUL aside: jansson takes it). */
static void utf8_agrees(const char *s, size_t n)
{
    json_t *j = json_stringn(s, n);
    if ((j != NULL) != e8k_utf8_valid(s, n))
        abort();
    json_decref(j);
}

static void latin1_keeps(const char *s, size_t n)
{
    e8k_buf b = {0};
    if (e8k_buf_append_utf8(&b, s, n) != 0)
        abort();
    if (!e8k_utf8_valid(b.data, b.len))
        abort();
    /* what was UTF-8 is unchanged */
    if (e8k_utf8_valid(s, n) && (b.len != n || memcmp(b.data, s, n)))
        abort();
    e8k_buf_free(&b);
}

static void escaped_is_clean(const char *s, size_t n)
{
    char *z = malloc(n + 1), out[512];
    if (!z)
        return;
    memcpy(z, s, n);
    z[n] = '\0';
    e8k_str_escape(z, out, sizeof out);
    size_t len = strlen(out);
    if (!e8k_utf8_valid(out, len) || e8k_needs_escape(out, len))
        abort();
    free(z);
}

/* Reads one quoted RFC 4180 field back. */
static void csv_round_trips(const char *s, size_t n)
{
    e8k_buf b = {0};
    if (e8k_csv_field(&b, s, n, 0) != 0)
        abort();
    if (b.len < 2 || b.data[0] != '"' || b.data[b.len - 1] != '"')
        abort();
    size_t k = 0;
    for (size_t i = 1; i + 1 < b.len; i++, k++) {
        if (b.data[i] == '"' && b.data[++i] != '"')
            abort(); /* a lone quote inside */
        if (k >= n || b.data[i] != s[k])
            abort();
    }
    if (k != n)
        abort();
    /* neutralised: one apostrophe after the opening quote, exactly when
     * a spreadsheet would run the cell, the rest as it was */
    e8k_buf nb = {0};
    if (e8k_csv_field(&nb, s, n, E8K_CSV_NEUTRALISE) != 0)
        abort();
    size_t extra = e8k_csv_formula_like(s, n) ? 1 : 0;
    if (nb.len != b.len + extra || (extra && nb.data[1] != '\'') ||
        memcmp(nb.data + 1 + extra, b.data + 1, b.len - 1) != 0)
        abort();
    e8k_buf_free(&nb);
    e8k_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    utf8_agrees(s, size);
    latin1_keeps(s, size);
    escaped_is_clean(s, size);
    csv_round_trips(s, size);
    (void)e8k_wide_encoding(s, size);
    (void)e8k_format_detect(s, size, "EX-99.1", "x.htm");
    size_t ns, ne;
    if (e8k_exhibit_heading(s, size, &ns, &ne) && (ns >= ne || ne > size))
        abort();
    return 0;
}
