/* SPDX-License-Identifier: MIT */
/* format.c: telling what bytes are, once for every stage: the format of a
 * document body (text, HTML, XML, uuencoded, PDF, binary), the wide
 * encodings (UTF-16, UTF-32) refused by name, the dialects a submission is
 * written in with the lines that open and close them (the reader, the
 * fetcher's completeness test and the store share one table), and the line
 * that heads an exhibit (the submission reader and the extractor share one
 * test). No I/O, no conversion. */
#include "internal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* How much of a body is sniffed for control bytes and wide encodings. */
#define SNIFF ((size_t)8192)

/* ---- Wide encodings ---------------------------------------------------------- */

/* A wide encoding by its byte-order mark, else by where the zero bytes of
 * ASCII text fall: every other byte (UTF-16) or three in four (UTF-32).
 * Plain text with a stray NUL has neither pattern. */
const char *e8k_wide_encoding(const char *body, size_t len)
{
    const unsigned char *u = (const unsigned char *)body;
    if (len >= 4 && !memcmp(u, "\xFF\xFE\0\0", 4))
        return "UTF-32LE";
    if (len >= 4 && !memcmp(u, "\0\0\xFE\xFF", 4))
        return "UTF-32BE";
    if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE)
        return "UTF-16LE";
    if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF)
        return "UTF-16BE";
    size_t n = (len < SNIFF ? len : SNIFF) & ~(size_t)3, zero[4] = {0};
    if (n < 16)
        return NULL;
    for (size_t i = 0; i < n; i++)
        zero[i & 3] += u[i] == 0;
    size_t q = n / 4, most = q - q / 8, few = q / 8;
    if (zero[1] >= most && zero[2] >= most && zero[3] >= most && zero[0] <= few)
        return "UTF-32LE";
    if (zero[0] >= most && zero[1] >= most && zero[2] >= most && zero[3] <= few)
        return "UTF-32BE";
    if (zero[1] >= most && zero[3] >= most && zero[0] <= few && zero[2] <= few)
        return "UTF-16LE";
    if (zero[0] >= most && zero[2] >= most && zero[1] <= few && zero[3] <= few)
        return "UTF-16BE";
    return NULL;
}

/* ---- Formats of a document body -------------------------------------------- */

int e8k_format_has_text(e8k_format format)
{
    return format == E8K_FORMAT_TEXT || format == E8K_FORMAT_HTML;
}

const char *e8k_format_name(e8k_format format)
{
    switch (format) {
    case E8K_FORMAT_TEXT: return "text";
    case E8K_FORMAT_HTML: return "html";
    case E8K_FORMAT_XML: return "xml";
    case E8K_FORMAT_UUENCODED: return "uuencoded";
    case E8K_FORMAT_PDF: return "pdf";
    case E8K_FORMAT_BINARY: return "binary";
    }
    return "unknown";
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Whether [p, end) starts with `lit` (lower case), ignoring case. */
static int starts_ci(const char *p, const char *end, const char *lit)
{
    for (; *lit; p++, lit++)
        if (p >= end || lower((unsigned char)*p) != *lit)
            return 0;
    return 1;
}

static int ends_ci(const char *s, const char *lit)
{
    size_t n = strlen(s), m = strlen(lit);
    return n >= m && starts_ci(s + n - m, s + n, lit);
}

static const char *skip_space(const char *p, const char *end)
{
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' ||
                       *p == '\f'))
        p++;
    return p;
}

/* "begin 644 name": the header line of a uuencoded body. */
static int uu_begin(const char *p, const char *end)
{
    if (!starts_ci(p, end, "begin "))
        return 0;
    p += 6;
    int digits = 0;
    while (p < end && *p >= '0' && *p <= '7' && digits < 5) {
        p++;
        digits++;
    }
    return digits >= 3 && p < end && *p == ' ';
}

static int binary_magic(const char *p, const char *end)
{
    static const struct { const char *m; size_t n; } magic[] = {
        {"PK\x03\x04", 4}, {"\x1F\x8B", 2}, {"\x89PNG", 4}, {"GIF8", 4},
        {"\xFF\xD8\xFF", 3}, {"\xD0\xCF\x11\xE0", 4}, {"BM", 0}};
    for (size_t i = 0; magic[i].n; i++)
        if ((size_t)(end - p) >= magic[i].n &&
            memcmp(p, magic[i].m, magic[i].n) == 0)
            return 1;
    return 0;
}

/* Whether byte c is a control byte text never holds (NUL, most of C0). */
static int bad_control(unsigned char c)
{
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
           c != '\v' && c != 0x1A;
}

/* Control bytes in the first 8 KB: any at all for a body declared binary
 * (`any`), else more than one in 64. A stray NUL or two in a text, which
 * filings do carry, is no reason to drop the text (filing.c warns of it);
 * a binary body without a known magic number is full of them. */
static int looks_binary(const char *s, size_t n, int any)
{
    if (n > SNIFF)
        n = SNIFF;
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += (size_t)bad_control((unsigned char)s[i]);
    return any ? bad > 0 : bad > n / 64;
}

/* Tags only HTML uses. EDGAR's plain-text SGML also has <TABLE>, <PAGE>,
 * <CAPTION>, <S>, <C> and <FN>, so those prove nothing. */
static int html_tag_at(const char *p, const char *end)
{
    static const char *const tags[] = {
        "html", "body", "head", "div", "font", "br", "p", "td", "tr", "th",
        "center", "span", "meta", "title", "b", "i", "u", "a", "img", "hr",
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "style",
        "!doctype html", NULL};
    p++; /* the '<' */
    for (size_t i = 0; tags[i]; i++) {
        size_t n = strlen(tags[i]);
        if (!starts_ci(p, end, tags[i]) || (size_t)(end - p) <= n)
            continue;
        char c = p[n];
        if (c == '>' || c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
            c == '/')
            return 1;
    }
    return 0;
}

static int has_html(const char *s, size_t n)
{
    if (n > 65536)
        n = 65536;
    const char *end = s + n;
    for (const char *p = s; (p = memchr(p, '<', (size_t)(end - p))); p++)
        if (html_tag_at(p, end))
            return 1;
    return 0;
}

static int binary_type(const char *type)
{
    return type && (starts_ci(type, type + strlen(type), "graphic") ||
                    starts_ci(type, type + strlen(type), "zip") ||
                    starts_ci(type, type + strlen(type), "excel") ||
                    starts_ci(type, type + strlen(type), "json"));
}

static int xml_hint(const char *p, const char *end, const char *type,
                    const char *filename)
{
    if (type && starts_ci(type, type + strlen(type), "ex-101"))
        return 1;
    if (filename && (ends_ci(filename, ".xml") || ends_ci(filename, ".xsd")))
        return 1;
    return starts_ci(p, end, "<?xml") || starts_ci(p, end, "<xbrl");
}

e8k_format e8k_format_detect(const char *body, size_t len, const char *type,
                             const char *filename)
{
    if (!body || len == 0)
        return E8K_FORMAT_TEXT;
    const char *end = body + len;
    const char *p = skip_space(body, end);
    if (starts_ci(p, end, "%pdf-"))
        return E8K_FORMAT_PDF;
    if (uu_begin(p, end))
        return E8K_FORMAT_UUENCODED;
    if (binary_magic(p, end) || e8k_wide_encoding(body, len))
        return E8K_FORMAT_BINARY;
    if (binary_type(type) && looks_binary(body, len, 1))
        return E8K_FORMAT_BINARY;
    if (has_html(p, (size_t)(end - p)))
        return E8K_FORMAT_HTML;
    if (xml_hint(p, end, type, filename))
        return E8K_FORMAT_XML;
    if (filename && (ends_ci(filename, ".htm") || ends_ci(filename, ".html")))
        return E8K_FORMAT_HTML;
    if (looks_binary(body, len, 0))
        return E8K_FORMAT_BINARY;
    return E8K_FORMAT_TEXT;
}


/* ---- Dialects ------------------------------------------------------------------ */

/* The SGML-marked dialects by the line that opens them and the one that
 * closes them, most specific first: a PEM block wraps a <SEC-DOCUMENT>. */
static const e8k_dialect_mark marks[] = {
    {E8K_DIALECT_PEM, "-----BEGIN PRIVACY-ENHANCED MESSAGE-----",
     "-----END PRIVACY-ENHANCED MESSAGE-----"},
    {E8K_DIALECT_SEC_DOCUMENT, "<SEC-DOCUMENT>", "</SEC-DOCUMENT>"},
    {E8K_DIALECT_SEC_DOCUMENT, "<IMS-DOCUMENT>", "</IMS-DOCUMENT>"},
    {E8K_DIALECT_SUBMISSION, "<SUBMISSION>", "</SUBMISSION>"},
    {E8K_DIALECT_DOCUMENT, "<DOCUMENT>", "</DOCUMENT>"},
};

const e8k_dialect_mark *e8k_dialect_marks(size_t *n)
{
    *n = sizeof marks / sizeof marks[0];
    return marks;
}

const e8k_dialect_mark *e8k_dialect_opening(const char *b, size_t n)
{
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        size_t k = strlen(marks[i].open);
        if (n >= k && memcmp(b, marks[i].open, k) == 0)
            return &marks[i];
    }
    return NULL;
}

const char *e8k_dialect_name(e8k_dialect dialect)
{
    switch (dialect) {
    case E8K_DIALECT_SEC_DOCUMENT: return "sec-document";
    case E8K_DIALECT_SUBMISSION: return "submission";
    case E8K_DIALECT_PEM: return "pem";
    case E8K_DIALECT_DOCUMENT: return "document";
    case E8K_DIALECT_HTML: return "html";
    case E8K_DIALECT_TEXT: return "text";
    }
    return "unknown";
}

/* ---- Exhibit headings ---------------------------------------------------------- */

static int space_char(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v';
}

int e8k_exhibit_heading(const char *s, size_t n, size_t *ns, size_t *ne)
{
    size_t a = 0, e = n;
    while (a < e && space_char(s[a]))
        a++;
    while (e > a && space_char(s[e - 1]))
        e--;
    if (e - a < 9 || strncasecmp(s + a, "exhibit", 7) != 0 ||
        !space_char(s[a + 7]))
        return 0;
    size_t p = a + 7;
    while (p < e && space_char(s[p]))
        p++;
    size_t start = p;
    if (p == e || !isdigit((unsigned char)s[p]))
        return 0;
    while (p < e && isdigit((unsigned char)s[p]))
        p++;
    while (p + 1 < e && s[p] == '.' && isdigit((unsigned char)s[p + 1]))
        for (p++; p < e && isdigit((unsigned char)s[p]); p++)
            ;
    if (p < e && s[p] == '(') { /* 3(i), 10.1(a) */
        size_t q = p + 1;
        while (q < e && q - p <= 5 && isalnum((unsigned char)s[q]))
            q++;
        if (q < e && s[q] == ')' && q > p + 1)
            p = q + 1;
    }
    if (p != e)
        return 0;
    *ns = start;
    *ne = e;
    return 1;
}
