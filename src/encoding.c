/* encoding.c: turns a document body into UTF-8 the rest of the text stage
 * can trust. Bodies are UTF-8 when they validate, else Windows-1252, else
 * Latin-1 (when bytes Windows-1252 leaves undefined occur); the choice is
 * reported, never hidden. A map from decoded positions back to body bytes
 * keeps every later offset exact. */
#include "text_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *e8k_encoding_name(e8k_encoding enc)
{
    switch (enc) {
    case E8K_ENC_ASCII: return "ascii";
    case E8K_ENC_UTF8: return "utf-8";
    case E8K_ENC_CP1252: return "windows-1252";
    case E8K_ENC_LATIN1: return "iso-8859-1";
    }
    return "unknown";
}

/* Bytes libxml2 refuses as characters: it drops them from text (C0
 * controls) or stops at them (NUL), which would break the position map. */
static int xml_bad_byte(unsigned char c)
{
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

/* Bytes of x equal to b, exactly (0x80 in each such byte's place). */
static uint64_t bytes_equal(uint64_t x, unsigned char b)
{
    uint64_t y = x ^ E8K_BYTES(b);
    return ~(((y & E8K_BYTES(0x7F)) + E8K_BYTES(0x7F)) | y) & E8K_BYTES(0x80);
}

/* Skips 8-byte words of ASCII that needs no fix: bytes 0x20..0x7F, tab,
 * LF and CR. Line breaks come every line, so they must not stop the word
 * loop; returns the first position that needs a closer look. */
static size_t ascii_run(const unsigned char *s, size_t i, size_t len)
{
    while (i + 8 <= len) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        if (x & E8K_BYTES(0x80))
            break;
        uint64_t ctl = ~(((x & E8K_BYTES(0x7F)) + E8K_BYTES(0x60)) | x) &
                       E8K_BYTES(0x80); /* exactly the bytes below 0x20 */
        if (ctl && (ctl & ~(bytes_equal(x, '\t') | bytes_equal(x, '\n') |
                            bytes_equal(x, '\r'))))
            break;
        i += 8;
    }
    return i;
}

typedef struct scan_result {
    int valid;    /* well-formed UTF-8 */
    int high;     /* any byte >= 0x80 */
    int xml_fix;  /* something libxml2 would not keep as is */
} scan_result;

static scan_result scan(const unsigned char *s, size_t len)
{
    scan_result r = {1, 0, 0};
    size_t i = 0;
    while (i < len) {
        i = ascii_run(s, i, len);
        if (i >= len)
            break;
        unsigned char c = s[i];
        if (c < 0x80) {
            if (xml_bad_byte(c))
                r.xml_fix = 1;
            i++;
            continue;
        }
        r.high = 1;
        size_t k = r.valid ? e8k_utf8_seq(s + i, len - i) : 0;
        if (k == 0) {
            r.valid = 0;
            i++;
            continue;
        }
        /* U+FFFE and U+FFFF are not XML characters */
        if (k == 3 && c == 0xEF && s[i + 1] == 0xBF && s[i + 2] >= 0xBE)
            r.xml_fix = 1;
        i += k;
    }
    return r;
}

/* A copy of valid UTF-8 with the bytes libxml2 refuses replaced by ones of
 * the same length (space; U+FFFD for U+FFFE/U+FFFF). */
static char *fixed_copy(const unsigned char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (!p)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (xml_bad_byte(c))
            c = ' ';
        else if (c == 0xEF && i + 2 < len && s[i + 1] == 0xBF &&
                 s[i + 2] >= 0xBE) {
            memcpy(p + i, "\xEF\xBF\xBD", 3);
            i += 2;
            continue;
        }
        p[i] = (char)c;
    }
    p[len] = '\0';
    return p;
}

/* Whether any byte is one Windows-1252 leaves undefined (continuation
 * bytes of UTF-8-looking sequences included). */
static int cp1252_undefined(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (e8k_cp1252_undefined(s[i]))
            return 1;
    return 0;
}

static uint32_t single_byte_cp(unsigned char c, int cp1252)
{
    return cp1252 ? e8k_cp1252_c1(c) : c;
}

/* Decodes a single-byte encoding; every non-ASCII byte gets a map entry. */
static int decode_single(const unsigned char *s, size_t len, int cp1252,
                         int for_xml, e8k_decoded *out)
{
    size_t outlen = 0, nhigh = 0;
    for (size_t i = 0; i < len; i++) {
        uint32_t cp = single_byte_cp(s[i], cp1252);
        outlen += cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
        nhigh += s[i] >= 0x80;
    }
    char *o = malloc(outlen + 1);
    e8k_dmap *map = nhigh ? malloc(nhigh * sizeof *map) : NULL;
    if (!o || (nhigh && !map)) {
        free(o);
        free(map);
        return -1;
    }
    size_t w = 0, m = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c < 0x80) {
            o[w++] = for_xml && xml_bad_byte(c) ? ' ' : (char)c;
            continue;
        }
        size_t k = e8k_utf8_put(o + w, single_byte_cp(c, cp1252));
        map[m].dpos = w;
        map[m].opos = i;
        map[m].dlen = (unsigned)k;
        m++;
        w += k;
    }
    o[w] = '\0';
    out->data = out->owned = o;
    out->len = w;
    out->map = map;
    out->nmap = out->capmap = m;
    return 0;
}

int e8k_decode(const char *body, size_t len, int for_xml, e8k_decoded *out)
{
    memset(out, 0, sizeof *out);
    const unsigned char *s = (const unsigned char *)body;
    scan_result r = scan(s, len);
    if (!r.valid) {
        int latin1 = cp1252_undefined(s, len);
        out->enc = latin1 ? E8K_ENC_LATIN1 : E8K_ENC_CP1252;
        return decode_single(s, len, !latin1, for_xml, out);
    }
    out->enc = r.high ? E8K_ENC_UTF8 : E8K_ENC_ASCII;
    out->len = len;
    if (for_xml && r.xml_fix) {
        out->owned = fixed_copy(s, len);
        if (!out->owned)
            return -1;
        out->data = out->owned;
    } else {
        out->data = len ? body : "";
    }
    return 0;
}

size_t e8k_decoded_offset(const e8k_dmap *map, size_t nmap, size_t dpos)
{
    if (nmap == 0 || dpos < map[0].dpos)
        return dpos;
    size_t lo = 0, hi = nmap; /* last entry with map[i].dpos <= dpos */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (map[mid].dpos <= dpos)
            lo = mid;
        else
            hi = mid;
    }
    const e8k_dmap *e = &map[lo];
    if (dpos < e->dpos + e->dlen)
        return e->opos;
    return e->opos + 1 + (dpos - e->dpos - e->dlen);
}

void e8k_decoded_free(e8k_decoded *d)
{
    free(d->owned);
    free(d->map);
    memset(d, 0, sizeof *d);
}
