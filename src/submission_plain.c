/* SPDX-License-Identifier: MIT */
/* submission_plain.c: filings without SGML: plain text (the main
 * document up to the first exhibit heading, then one document per
 * exhibit) and bare HTML, each document typed by the form or exhibit its
 * cover page names. */
#define _GNU_SOURCE /* memmem */
#include "submission_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* How much of a cover page is read to find the form it names. */
#define COVER_BYTES ((size_t)32 << 10)
#define COVER_LINES 100
#define HTML_COVER_RAW ((size_t)1 << 20)

/* ---- cover pages: the form a document names ---------------------------- */

static int is_type_char(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == '/';
}

/* Whether the trimmed line s[a..e) holds at least `min` bytes (more than
 * `word`) and opens with `word` (any case) and a blank. */
static int opens_with_word(const char *s, size_t a, size_t e,
                           const char *word, size_t min)
{
    size_t k = strlen(word);
    return e - a >= min && strncasecmp(s + a, word, k) == 0 &&
           e8k_sub_is_space(s[a + k]);
}

/* A cover line "FORM 8-K" (also "Form 10-Q" alone on its line) gives the
 * form type. The type must hold a digit or a hyphen, which keeps out
 * "Form of Warrant". */
static int form_line(const char *s, size_t n, char *type, size_t cap)
{
    size_t a = 0, e = n;
    e8k_sub_trim(s, &a, &e);
    if (!opens_with_word(s, a, e, "form", 6))
        return 0;
    int upper = memcmp(s + a, "FORM", 4) == 0;
    size_t t = a + 4;
    while (t < e && e8k_sub_is_space(s[t]))
        t++;
    size_t te = t;
    int mark = 0;
    while (te < e && is_type_char(s[te])) {
        mark |= isdigit((unsigned char)s[te]) || s[te] == '-';
        te++;
    }
    if (te == t || !mark || te - t >= cap || (te < e && !e8k_sub_is_space(s[te])) ||
        (te < e && !upper))
        return 0;
    for (size_t i = t; i < te; i++)
        type[i - t] = (char)toupper((unsigned char)s[i]);
    type[te - t] = '\0';
    return 1;
}

/* The type a plain-text or HTML cover names, read from its first lines:
 * "EX-99.1" when it opens with an exhibit heading, else the form of a
 * "FORM 8-K" line, else "UNKNOWN". `s` holds text, one line per line. */
static void cover_type(const char *s, size_t n, char *type, size_t cap)
{
    size_t lines = 0;
    snprintf(type, cap, "UNKNOWN");
    if (n > COVER_BYTES)
        n = COVER_BYTES;
    for (size_t p = 0; p < n && lines < COVER_LINES;) {
        const char *nl = s + p;
        while (nl < s + n && *nl != '\n' && *nl != '\r')
            nl++;
        size_t e = (size_t)(nl - s), ns, ne, k;
        for (k = p; k < e && e8k_sub_is_space(s[k]); k++)
            ;
        if (k < e) {
            if (lines == 0 && e8k_exhibit_heading(s + p, e - p, &ns, &ne)) {
                snprintf(type, cap, "EX-%.*s", (int)(ne - ns), s + p + ns);
                return;
            }
            if (form_line(s + p, e - p, type, cap))
                return;
            lines++;
        }
        p = e + 1;
    }
}

/* ---- plain text and bare HTML ------------------------------------------ */

static e8k_status add_span_document(reader *r, size_t start, size_t end,
                                    const char *type)
{
    e8k_document *d;
    e8k_status s = e8k_sub_new_document(r, start, &d);
    if (s == E8K_OK)
        s = e8k_sub_set_type(r, d, type);
    if (s != E8K_OK)
        return s;
    d->span = (e8k_span){start, end};
    e8k_sub_detect_format(r, d);
    return E8K_OK;
}

/* Plain text with no SGML: the main document up to the first exhibit
 * heading line, then one document per heading, each running to the next. */
e8k_status e8k_sub_read_plain_text(reader *r)
{
    size_t prev = NONE, content = NONE;
    char type[32];
    line ln;
    for (size_t p = 0; e8k_sub_get_line(r, p, &ln); p = ln.next) {
        size_t ns, ne;
        if (content == NONE && !e8k_sub_blank(r, &ln))
            content = ln.start;
        if (!e8k_exhibit_heading(r->b + ln.start, ln.end - ln.start, &ns,
                                 &ne))
            continue;
        e8k_status s = E8K_OK;
        if (prev != NONE)
            s = add_span_document(r, prev, ln.start, type);
        else if (content < ln.start) {
            char main_type[32];
            cover_type(r->b, ln.start, main_type, sizeof main_type);
            s = add_span_document(r, 0, ln.start, main_type);
        }
        if (s != E8K_OK)
            return s;
        snprintf(type, sizeof type, "EX-%.*s", (int)(ne - ns),
                 r->b + ln.start + ns);
        prev = ln.start;
    }
    if (prev != NONE)
        return add_span_document(r, prev, r->n, type);
    cover_type(r->b, r->n, type, sizeof type);
    return add_span_document(r, 0, r->n, type);
}

static int is_inline_tag(const char *name, size_t n)
{
    static const char *const tags[] = {"a", "b", "i", "u", "em", "strong",
                                       "font", "span", "sup", "sub", "small",
                                       "big", "s", "strike", "ix:nonnumeric",
                                       "ix:nonfraction"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (strlen(tags[i]) == n && strncasecmp(tags[i], name, n) == 0)
            return 1;
    return 0;
}

/* Skips the markup at s[i] == '<': comments, tags, and the whole content
 * of script, style, title (not shown on the page) and the hidden
 * inline-XBRL header. Writes a line break for block tags. */
static size_t skip_markup(const char *s, size_t n, size_t i, char *out,
                          size_t *o)
{
    if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
        const char *e = memmem(s + i + 4, n - i - 4, "-->", 3);
        return e ? (size_t)(e - s) + 3 : n;
    }
    const char *gt = memchr(s + i, '>', n - i);
    size_t end = gt ? (size_t)(gt - s) + 1 : n;
    int closing = i + 1 < n && s[i + 1] == '/';
    size_t ns = i + 1 + (size_t)closing, ne = ns;
    while (ne < end && (isalnum((unsigned char)s[ne]) || s[ne] == ':'))
        ne++;
    if (!is_inline_tag(s + ns, ne - ns))
        out[(*o)++] = '\n';
    static const char *const hidden[] = {"script", "style", "title",
                                         "ix:header"};
    for (size_t k = 0; k < 4 && !closing; k++) {
        if (strlen(hidden[k]) != ne - ns ||
            strncasecmp(hidden[k], s + ns, ne - ns) != 0)
            continue;
        char close[16];
        snprintf(close, sizeof close, "</%s", hidden[k]);
        const char *c = e8k_memcasemem(s + end, n - end, close);
        return c ? (size_t)(c - s) : n;
    }
    return end;
}

/* The visible text at the top of an HTML body, one line per block, with
 * the spaces a cover page hides in entities folded. Enough to read the form
 * a cover names, not a text conversion (that is the text stage's job). */
static size_t html_cover_text(const char *s, size_t n, char *out, size_t cap)
{
    static const char *const spaces[] = {"&nbsp;", "&#160;", "&#xa0;"};
    size_t o = 0, i = 0;
    if (n > HTML_COVER_RAW)
        n = HTML_COVER_RAW;
    while (i < n && o + 2 < cap) {
        if (s[i] == '<') {
            i = skip_markup(s, n, i, out, &o);
            continue;
        }
        size_t k = 0;
        while (s[i] == '&' && k < 3 &&
               !(n - i >= 6 && strncasecmp(s + i, spaces[k], 6) == 0))
            k++;
        if (s[i] == '&' && k < 3) {
            out[o++] = ' ';
            i += 6;
        } else if (n - i >= 2 && (unsigned char)s[i] == 0xC2 &&
                   (unsigned char)s[i + 1] == 0xA0) {
            out[o++] = ' ';
            i += 2;
        } else {
            out[o++] = e8k_sub_is_space(s[i]) ? ' ' : s[i];
            i++;
        }
    }
    return o;
}

e8k_status e8k_sub_read_bare_html(reader *r)
{
    char text[16384], type[32];
    size_t n = html_cover_text(r->b, r->n, text, sizeof text);
    cover_type(text, n, type, sizeof type);
    return add_span_document(r, 0, r->n, type);
}

