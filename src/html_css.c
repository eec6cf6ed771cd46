/* SPDX-License-Identifier: MIT */
/* html_css.c: what a document's style sheets hide. Filers hide text with
 * a class as often as with an inline style, so the HTML walker (html.c)
 * hands each <style> block here, and asks of each element's attributes
 * (hidden, style, class) whether they hide it. No libxml2 here. */
#include "text_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int ci_eq(const char *p, const char *lit, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((p[i] | 0x20) != lit[i])
            return 0;
    return 1;
}

static int css_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* ---- Classes a <style> block hides -----------------------------------------
 * Filers hide text with a class as often as with an inline style, so the
 * walker reads the document's style sheets for rules that set a class to
 * display:none and hides elements carrying such a class. The names live in
 * a hash set (open addressing over offsets into one buffer), so that a
 * document with many classes and many elements stays linear.
 *
 * The hash is unseeded, so that the same document always gives the same
 * text; a sheet of crafted colliding names is kept linear instead by two
 * bounds (E8K_MAX_HTML_HIDDEN_CLASSES, E8K_MAX_HTML_CLASS_PROBE). Past
 * either, a class is not recorded and its elements stay visible: hidden
 * text shown is a smaller harm than lost text or a stalled ingest.
 *
 * Where this differs from a browser, knowingly:
 * - class names match case-sensitively, as in standards mode; EDGAR's
 *   doctype-less pages are in quirks mode, where browsers match them
 *   caselessly, but filers write a class as the sheet spells it;
 * - a class, once hidden, stays hidden: a later rule or sheet showing it
 *   again (".x{display:block}") is not weighed against the earlier one,
 *   nor are specificity and !important;
 * - only lone class selectors count (".x", not "p.x", ".a .x", ".x:hover"),
 *   and only top-level rules (not those inside @media and other at-rules). */

static size_t name_hash(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return (size_t)(h ^ (h >> 32));
}

/* The slot holding s[0..n), or the empty slot where it would go; NULL
 * when neither is within E8K_MAX_HTML_CLASS_PROBE slots of its home. */
static size_t *class_slot(const e8k_class_set *cs, const char *s, size_t n)
{
    size_t mask = cs->nslots - 1, i = name_hash(s, n) & mask;
    for (size_t k = 0; k < E8K_MAX_HTML_CLASS_PROBE; k++, i = (i + 1) & mask) {
        size_t v = cs->slots[i];
        if (!v)
            return &cs->slots[i];
        const char *name = cs->names.data + v - 1;
        if (strncmp(name, s, n) == 0 && name[n] == '\0')
            return &cs->slots[i];
    }
    return NULL;
}

static int class_rehash(e8k_class_set *cs)
{
    size_t *old = cs->slots, nold = cs->nslots;
    size_t nslots = nold ? nold * 2 : 16;
    if (nslots > SIZE_MAX / sizeof *old)
        return -1;
    cs->slots = calloc(nslots, sizeof *cs->slots);
    if (!cs->slots) {
        cs->slots = old;
        return -1;
    }
    cs->nslots = nslots;
    for (size_t i = 0; i < nold; i++) {
        if (!old[i])
            continue;
        const char *name = cs->names.data + old[i] - 1;
        size_t *slot = class_slot(cs, name, strlen(name));
        if (slot)
            *slot = old[i];
        else
            cs->count--; /* a crafted collision: dropped as in class_add */
    }
    free(old);
    return 0;
}

static int class_add(e8k_class_set *cs, const char *s, size_t n)
{
    if (cs->count >= E8K_MAX_HTML_HIDDEN_CLASSES)
        return 0;
    if ((cs->count + 1) * 2 > cs->nslots && class_rehash(cs) != 0)
        return -1;
    size_t *slot = class_slot(cs, s, n);
    if (!slot || *slot)
        return 0;
    size_t at = cs->names.len;
    if (e8k_buf_append(&cs->names, s, n) != 0 ||
        e8k_buf_putc(&cs->names, '\0') != 0)
        return -1;
    *slot = at + 1;
    cs->count++;
    return 0;
}

/* Whether a class attribute's value names a hidden class. */
static int class_hidden(const e8k_class_set *cs, const char *v)
{
    if (!cs->count)
        return 0;
    for (;;) {
        while (css_blank(*v))
            v++;
        size_t n = 0;
        while (v[n] && !css_blank(v[n]))
            n++;
        if (!n)
            return 0;
        const size_t *slot = class_slot(cs, v, n);
        if (slot && *slot)
            return 1;
        v += n;
    }
}

/* ---- Reading a style sheet ---------------------------------------------------- */

/* Past the comment or string at p, else past the byte at p. */
static size_t css_atom(const char *s, size_t p, size_t n)
{
    if (s[p] == '/' && p + 1 < n && s[p + 1] == '*') {
        for (size_t q = p + 2; q + 1 < n; q++)
            if (s[q] == '*' && s[q + 1] == '/')
                return q + 2;
        return n;
    }
    if (s[p] == '"' || s[p] == '\'') {
        for (size_t q = p + 1; q < n; q++) {
            if (s[q] == '\\')
                q++;
            else if (s[q] == s[p] || s[q] == '\n')
                return q + 1;
        }
        return n;
    }
    return p + 1;
}

/* Past blanks and comments. */
static size_t css_gap(const char *s, size_t p, size_t n)
{
    while (p < n && (css_blank(s[p]) ||
                     (s[p] == '/' && p + 1 < n && s[p + 1] == '*')))
        p = css_atom(s, p, n);
    return p;
}

/* Past blanks, comments and the wrappers that hide a sheet from old
 * browsers ("<!--" "-->") or from an XML parser (XHTML's "<![CDATA["
 * "]]>"), which the HTML parser leaves in the sheet's text. */
static size_t css_space(const char *s, size_t p, size_t n)
{
    for (;;) {
        p = css_gap(s, p, n);
        if (n - p >= 4 && memcmp(s + p, "<!--", 4) == 0)
            p += 4;
        else if (n - p >= 3 && (memcmp(s + p, "-->", 3) == 0 ||
                                memcmp(s + p, "]]>", 3) == 0))
            p += 3;
        else if (n - p >= 9 && memcmp(s + p, "<![CDATA[", 9) == 0)
            p += 9;
        else
            return p;
    }
}

/* Past the block opening at s[p] == '{', nested blocks included. */
static size_t css_block_end(const char *s, size_t p, size_t n)
{
    size_t depth = 0;
    while (p < n) {
        if (s[p] == '{')
            depth++;
        else if (s[p] == '}' && --depth == 0)
            return p + 1;
        p = css_atom(s, p, n);
    }
    return n;
}

/* End of the declaration starting at p: the next ';' outside comments,
 * strings and nested blocks, or n. */
static size_t decl_end(const char *s, size_t p, size_t n)
{
    while (p < n && s[p] != ';')
        p = s[p] == '{' ? css_block_end(s, p, n) : css_atom(s, p, n);
    return p;
}

/* Whether the declaration s[p..e) is "display: none", in any case and
 * spacing, "!important" or not. The property must be the declaration's
 * first token: a "display:none" inside a comment or a string ("content:
 * 'display:none'") is no declaration, and hacks such as "*display" are
 * ignored by browsers too. */
static int decl_hides(const char *s, size_t p, size_t e)
{
    p = css_gap(s, p, e);
    if (e - p < 7 || !ci_eq(s + p, "display", 7))
        return 0;
    p = css_gap(s, p + 7, e);
    if (p >= e || s[p] != ':')
        return 0;
    p = css_gap(s, p + 1, e);
    if (e - p < 4 || !ci_eq(s + p, "none", 4))
        return 0;
    p = css_gap(s, p + 4, e);
    return p == e || s[p] == '!';
}

/* Whether some ':' in v[0..n) follows "display" (blanks between, any
 * case), or a comment might stand between them: most style attributes
 * (EDGAR HTML has one on nearly every element) set no display, and memchr
 * over their colons spares them the declaration walk. */
static int mentions_display(const char *v, size_t n)
{
    if (memchr(v, '*', n))
        return 1; /* "display/ * x * /:none": the walk decides */
    for (const char *c = v; (c = memchr(c, ':', n - (size_t)(c - v)));
         c++) {
        size_t k = (size_t)(c - v);
        while (k > 0 && css_blank(v[k - 1]))
            k--;
        if (k >= 7 && ci_eq(v + k - 7, "display", 7))
            return 1;
    }
    return 0;
}

/* Whether CSS declarations v[0..n) (a style attribute, a rule's block
 * without its braces) hold display:none at their top level. */
static int display_none(const char *v, size_t n)
{
    if (!mentions_display(v, n))
        return 0;
    for (size_t p = 0; p < n;) {
        size_t e = decl_end(v, p, n);
        if (decl_hides(v, p, e))
            return 1;
        p = e + 1;
    }
    return 0;
}

/* Whether sel[0..n) (trimmed) is a lone class selector ".name". */
static int lone_class(const char *sel, size_t n)
{
    if (n < 2 || sel[0] != '.' || (sel[1] >= '0' && sel[1] <= '9'))
        return 0;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)sel[i];
        int word = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' &&
                                                (c | 0x20) <= 'z');
        if (!(c >= 0x80 || c == '-' || c == '_' || word))
            return 0;
    }
    return 1;
}

/* Adds the lone classes of the selector list s[p..e). */
static int add_selectors(e8k_class_set *cs, const char *s, size_t p, size_t e)
{
    while (p < e) {
        const char *comma = memchr(s + p, ',', e - p);
        size_t q = comma ? (size_t)(comma - s) : e, a = p, b = q;
        while (a < b && css_blank(s[a]))
            a++;
        while (b > a && css_blank(s[b - 1]))
            b--;
        if (lone_class(s + a, b - a) && class_add(cs, s + a + 1, b - a - 1))
            return -1;
        p = q + 1;
    }
    return 0;
}

/* Adds the classes that style sheet s[0..n) hides: top-level rules whose
 * selector list holds a lone ".name" and whose declarations say
 * display:none. At-rules are passed over whole: @media print hides only
 * on paper, and the rest hide nothing. -1 when out of memory. */
int e8k_css_read_sheet(e8k_class_set *cs, const char *s, size_t n)
{
    size_t p = css_space(s, 0, n);
    while (p < n) {
        size_t q = p;
        while (q < n && s[q] != '{' && s[q] != ';' && s[q] != '}')
            q = css_atom(s, q, n);
        if (q < n && s[q] == '{') {
            size_t end = css_block_end(s, q, n);
            size_t close = end - 1 > q && s[end - 1] == '}' ? end - 1 : end;
            if (s[p] != '@' && display_none(s + q + 1, close - q - 1) &&
                add_selectors(cs, s, p, q) != 0)
                return -1;
            q = end - 1;
        }
        if (q >= n)
            break;
        p = css_space(s, q + 1, n);
    }
    return 0;
}

/* Whether NUL-terminated n is lit: inline, as strcmp is a call for each
 * of the half million attributes a pass over the corpus meets. */
static int name_is(const char *n, const char *lit)
{
    while (*lit)
        if (*n++ != *lit++)
            return 0;
    return *n == '\0';
}

int e8k_css_attrs_hide(const e8k_class_set *cs, const char *const *atts)
{
    for (size_t i = 0; atts && atts[i]; i += 2) {
        const char *n = atts[i];
        const char *v = atts[i + 1];
        if (name_is(n, "hidden"))
            return 1; /* a boolean attribute: any value hides */
        if (!v)
            continue;
        if (name_is(n, "style") && display_none(v, strlen(v)))
            return 1;
        if (name_is(n, "class") && class_hidden(cs, v))
            return 1;
    }
    return 0;
}

void e8k_class_set_free(e8k_class_set *cs)
{
    e8k_buf_free(&cs->names);
    free(cs->slots);
    memset(cs, 0, sizeof *cs);
}
