/* html.c: HTML bodies to text. libxml2's HTML parser runs in SAX mode (no
 * tree) over the decoded UTF-8 body; its events say where blocks, rows and
 * cells begin and end, and its character data goes to the text builder
 * with the positions it came from. Because libxml2 2.9 can be driven into
 * quadratic work or silent loss, this file also guards it: a linear
 * pre-scan refuses attribute bombs, nesting is bounded, end-tag scanning is
 * budgeted, and every parser error is captured on the context, never
 * printed. This is the only file that includes libxml2's parser headers. */
#include "text_internal.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- Pre-scan: attribute bombs -------------------------------------------
 * libxml2 compares each attribute of a start tag with all earlier ones, so
 * a tag with n attributes costs n^2/2 comparisons before any callback can
 * intervene. The scan below follows libxml2's start-tag grammar (names of
 * at most 1000 characters, quoted and unquoted values, bogus tokens) from
 * every "<letter" in the body, comments and scripts included, so it sees
 * at least as many attributes as libxml2 will. Emulations in the same state
 * at the same byte merge (keeping the larger count), which keeps it linear. */

#define NAME_MAX_LEN 1000 /* libxml2's HTML_MAX_NAMELEN */

enum { P_TAG, P_BLANKS, P_ANAME, P_AFTER, P_EQ, P_DQ, P_SQ, P_UNQ, P_BOGUS,
       P_COUNT, P_END = -1 };

typedef struct pstate {
    long count;     /* attributes so far; -1 when no emulation is here */
    size_t namelen; /* characters of the current name */
    size_t start;   /* byte offset of the tag's '<' */
} pstate;

/* Byte classes of libxml2's start-tag grammar: 1 starts a name, 2 may
 * continue one, 4 is a blank (C0 bytes count as blanks: the decoder turns
 * the ones libxml2 refuses into spaces before the parser sees them). */
static const unsigned char pcls[256] = {
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 0,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 0, 0, 0, 0, 0,
    0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 3,
    0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static int ascii_letter(unsigned c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int name_start(unsigned c)
{
    return pcls[c & 0xFF] & 1;
}

static int name_char(unsigned c)
{
    return pcls[c & 0xFF] & 2;
}

static int blank(unsigned c)
{
    return pcls[c & 0xFF] & 4;
}

/* Moves one emulation over byte c (next byte nx); returns its new state or
 * P_END when the tag ends there. *st is updated in place. */
static inline int pstep(int s, pstate *st, unsigned c, unsigned nx)
{
    for (;;) {
        switch (s) {
        case P_TAG:
        case P_ANAME:
            if (name_char(c) && st->namelen < NAME_MAX_LEN) {
                st->namelen++;
                return s;
            }
            st->namelen = 0;
            s = s == P_TAG ? P_BLANKS : P_AFTER;
            continue;
        case P_BLANKS:
            if (blank(c))
                return s;
            if (c == '>' || (c == '/' && nx == '>'))
                return P_END;
            if (!name_start(c)) {
                s = P_BOGUS;
                continue;
            }
            st->count++;
            s = P_ANAME;
            continue;
        case P_AFTER:
            if (blank(c))
                return s;
            if (c == '=')
                return P_EQ;
            s = P_BLANKS;
            continue;
        case P_EQ:
            if (blank(c))
                return s;
            if (c == '"' || c == '\'')
                return c == '"' ? P_DQ : P_SQ;
            s = P_UNQ;
            continue;
        case P_DQ:
        case P_SQ:
            return c == (s == P_DQ ? '"' : '\'') ? P_BLANKS : s;
        default: /* P_UNQ, P_BOGUS */
            if (blank(c) || c == '>' ||
                (s == P_BOGUS && c == '/' && nx == '>')) {
                s = P_BLANKS;
                continue;
            }
            return s;
        }
    }
}

static void pmerge(pstate *into, const pstate *st)
{
    if (st->count > into->count) {
        into->count = st->count;
        into->start = st->start;
    }
    if (st->namelen > into->namelen)
        into->namelen = st->namelen;
}

static int single_live(unsigned live)
{
    return live && !(live & (live - 1));
}

static int first_live(unsigned live)
{
    int k = 0;
    while (!(live & (1u << k)))
        k++;
    return k;
}

/* Advances every live emulation over byte i (the slow path, taken where a
 * "<letter" appears inside a tag); returns the offset of a tag past the
 * limit, or SIZE_MAX. */
static size_t pscan_byte(pstate *cur, unsigned *live, const unsigned char *s,
                         size_t len, size_t i)
{
    pstate next[P_COUNT];
    unsigned nlive = 0;
    unsigned c = s[i], nx = i + 1 < len ? s[i + 1] : 0;
    for (int k = 0; k < P_COUNT; k++)
        next[k].count = -1, next[k].namelen = 0, next[k].start = 0;
    for (int k = 0; k < P_COUNT; k++) {
        if (!(*live & (1u << k)))
            continue;
        pstate st = cur[k];
        int t = pstep(k, &st, c, nx);
        if (st.count > E8K_MAX_HTML_ATTRIBUTES)
            return st.start;
        if (t != P_END) {
            pmerge(&next[t], &st);
            nlive |= 1u << t;
        }
    }
    if (c == '<' && ascii_letter(nx)) {
        pstate st = {0, 0, i};
        pmerge(&next[P_TAG], &st);
        nlive |= 1u << P_TAG;
    }
    memcpy(cur, next, sizeof next);
    *live = nlive;
    return SIZE_MAX;
}

static size_t next_lt(const unsigned char *s, size_t j, size_t len,
                      size_t *lt)
{
    if (*lt < j || (*lt < len && s[*lt] != '<')) {
        const unsigned char *p = memchr(s + j, '<', len - j);
        *lt = p ? (size_t)(p - s) : len;
    }
    return *lt;
}

/* Bytes that cannot change an emulation's state (and are not a '<') are
 * skipped in tight loops; returns the next byte to step. *lt caches the
 * next '<' at or after i so quoted values, the bulk of inline-XBRL markup,
 * are crossed by memchr. */
static size_t pskip(int k, pstate *st, const unsigned char *s, size_t i,
                    size_t len, size_t *lt)
{
    size_t j = i;
    switch (k) {
    case P_TAG:
    case P_ANAME:
        while (j < len && name_char(s[j]) &&
               st->namelen + (j - i) < NAME_MAX_LEN)
            j++;
        st->namelen += j - i;
        return j;
    case P_BLANKS:
    case P_AFTER:
    case P_EQ:
        while (j < len && blank(s[j]))
            j++;
        return j;
    case P_DQ:
    case P_SQ: {
        size_t stop = next_lt(s, i, len, lt);
        const unsigned char *q = memchr(s + i, k == P_DQ ? '"' : '\'',
                                        stop - i);
        return q ? (size_t)(q - s) : stop;
    }
    default:
        while (j < len && !blank(s[j]) && s[j] != '>' && s[j] != '/' &&
               s[j] != '<')
            j++;
        return j;
    }
}

/* Runs a lone emulation from byte i until its tag ends (*k = P_END), it
 * passes the limit, another "<letter" starts inside it (the caller then
 * steps all emulations) or the body ends. Returns where it stopped. */
static size_t prun(int *k, pstate *st, const unsigned char *s, size_t i,
                   size_t len, size_t *lt)
{
    while ((i = pskip(*k, st, s, i, len, lt)) < len) {
        unsigned c = s[i], nx = i + 1 < len ? s[i + 1] : 0;
        if (c == '<' && ascii_letter(nx))
            return i;
        *k = pstep(*k, st, c, nx);
        i++;
        if (*k == P_END || st->count > E8K_MAX_HTML_ATTRIBUTES)
            return i;
    }
    return i;
}

/* The usual start tag at i: a name, then blank-separated name="value",
 * name='value', name=value or name, up to '>' with no '<' inside and under
 * the limit. Returns the byte after it, or 0 when anything is unusual and
 * the emulation must take over (which then sees the same count). */
static size_t fast_tag(const unsigned char *s, size_t i, size_t len,
                       size_t *lt)
{
    size_t j = i + 1, start;
    long count = 0;
    while (j < len && name_char(s[j]))
        j++;
    if (j - i > NAME_MAX_LEN)
        return 0;
    for (;;) {
        while (j < len && blank(s[j]))
            j++;
        if (j >= len)
            return 0;
        if (s[j] == '>' || (s[j] == '/' && j + 1 < len && s[j + 1] == '>'))
            return j + 1;
        if (!name_start(s[j]) || ++count > E8K_MAX_HTML_ATTRIBUTES)
            return 0;
        for (start = j; j < len && name_char(s[j]); j++)
            ;
        if (j - start >= NAME_MAX_LEN)
            return 0;
        while (j < len && blank(s[j]))
            j++;
        if (j >= len)
            return 0;
        if (s[j] != '=')
            continue;
        for (j++; j < len && blank(s[j]); j++)
            ;
        if (j < len && (s[j] == '"' || s[j] == '\'')) {
            size_t stop = next_lt(s, j, len, lt);
            const unsigned char *q = memchr(s + j + 1, s[j], stop - j - 1);
            if (!q)
                return 0;
            j = (size_t)(q - s) + 1;
            continue;
        }
        while (j < len && !blank(s[j]) && s[j] != '>' && s[j] != '<')
            j++;
        if (j < len && s[j] == '<')
            return 0;
    }
}

static e8k_status too_many(const char *body, size_t len, size_t at,
                           e8k_error *err)
{
    return e8k_fail(err, E8K_ERR_LIMIT, NULL, body, len, at,
                    "HTML start tag with more than %d attributes "
                    "(E8K_MAX_HTML_ATTRIBUTES)", E8K_MAX_HTML_ATTRIBUTES);
}

e8k_status e8k_html_prescan(const char *body, size_t len, e8k_error *err)
{
    const unsigned char *s = (const unsigned char *)body;
    pstate cur[P_COUNT];
    unsigned live = 0;
    size_t lt = 0, i = 0;
    while (i < len) {
        if (!live) {
            const unsigned char *p = memchr(s + i, '<', len - i);
            if (!p)
                break;
            i = (size_t)(p - s) + 1;
            if (i < len && ascii_letter(s[i])) {
                size_t end = fast_tag(s, i - 1, len, &lt);
                if (end) {
                    i = end;
                    continue;
                }
                pstate st = {0, 0, i - 1};
                cur[P_TAG] = st;
                live = 1u << P_TAG;
            }
            continue;
        }
        if (single_live(live)) {
            int k = first_live(live);
            pstate st = cur[k];
            i = prun(&k, &st, s, i, len, &lt);
            if (st.count > E8K_MAX_HTML_ATTRIBUTES)
                return too_many(body, len, st.start, err);
            live = k == P_END ? 0 : 1u << k;
            if (k == P_END || i >= len)
                continue;
            cur[k] = st;
        }
        size_t bad = pscan_byte(cur, &live, s, len, i++);
        if (bad != SIZE_MAX)
            return too_many(body, len, bad, err);
    }
    return E8K_OK;
}

/* ---- Elements ------------------------------------------------------------- */

enum { K_INLINE, K_BLOCK1, K_BLOCK2, K_BR, K_PRE, K_TABLE, K_TR, K_CELL,
       K_HIDE };

typedef struct kind_entry {
    const char *name;
    unsigned char kind;
} kind_entry;

/* Elements that are not inline, by name length (1..11). Names come
 * lower-cased from libxml2. EDGAR's SGML wrappers (<DOCUMENT>, <TYPE>,
 * <PAGE> ...) start lines too. */
static const kind_entry kinds1[] = {{"p", K_BLOCK2}, {NULL, 0}};
static const kind_entry kinds2[] = {
    {"td", K_CELL}, {"tr", K_TR}, {"br", K_BR}, {"th", K_CELL},
    {"li", K_BLOCK1}, {"hr", K_BLOCK1}, {"h1", K_BLOCK2}, {"h2", K_BLOCK2},
    {"h3", K_BLOCK2}, {"h4", K_BLOCK2}, {"h5", K_BLOCK2}, {"h6", K_BLOCK2},
    {"ul", K_BLOCK1}, {"ol", K_BLOCK1}, {"dl", K_BLOCK1}, {"dt", K_BLOCK1},
    {"dd", K_BLOCK1}, {NULL, 0}};
static const kind_entry kinds3[] = {
    {"div", K_BLOCK1}, {"pre", K_PRE}, {"nav", K_BLOCK1}, {"dir", K_BLOCK1},
    {"xml", K_HIDE}, {NULL, 0}};
static const kind_entry kinds4[] = {
    {"body", K_BLOCK1}, {"html", K_BLOCK1}, {"head", K_HIDE},
    {"page", K_BLOCK1}, {"main", K_BLOCK1}, {"menu", K_BLOCK1},
    {"form", K_BLOCK1}, {"type", K_BLOCK1}, {"text", K_BLOCK1}, {NULL, 0}};
static const kind_entry kinds5[] = {
    {"table", K_TABLE}, {"title", K_HIDE}, {"style", K_HIDE},
    {"aside", K_BLOCK1}, {NULL, 0}};
static const kind_entry kinds6[] = {
    {"center", K_BLOCK1}, {"script", K_HIDE}, {"header", K_BLOCK1},
    {"footer", K_BLOCK1}, {"legend", K_BLOCK1}, {"figure", K_BLOCK1},
    {"option", K_BLOCK1}, {NULL, 0}};
static const kind_entry kinds7[] = {
    {"section", K_BLOCK1}, {"article", K_BLOCK1}, {"address", K_BLOCK1},
    {"caption", K_BLOCK1}, {"details", K_BLOCK1}, {"summary", K_BLOCK1},
    {NULL, 0}};
static const kind_entry kinds8[] = {
    {"fieldset", K_BLOCK1}, {"template", K_HIDE}, {"document", K_BLOCK1},
    {"sequence", K_BLOCK1}, {"filename", K_BLOCK1}, {NULL, 0}};
static const kind_entry kinds9[] = {{"ix:header", K_HIDE}, {NULL, 0}};
static const kind_entry kinds10[] = {
    {"blockquote", K_BLOCK2}, {"figcaption", K_BLOCK1}, {NULL, 0}};
static const kind_entry kinds11[] = {{"description", K_BLOCK1}, {NULL, 0}};

static int element_kind(const char *n)
{
    static const kind_entry *const by_len[] = {
        NULL, kinds1, kinds2, kinds3, kinds4, kinds5, kinds6,
        kinds7, kinds8, kinds9, kinds10, kinds11};
    size_t len = strnlen(n, 12);
    if (len == 0 || len > 11)
        return K_INLINE;
    for (const kind_entry *e = by_len[len]; e->name; e++)
        if (n[0] == e->name[0] && memcmp(n, e->name, len) == 0)
            return e->kind;
    return K_INLINE;
}

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

typedef struct class_set {
    e8k_buf names; /* each name NUL-terminated */
    size_t *slots; /* 1 + offset of a name in `names`, or 0 */
    size_t nslots; /* a power of two, or 0 */
    size_t count;
} class_set;

static size_t name_hash(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return (size_t)(h ^ (h >> 32));
}

/* The slot holding s[0..n), or the empty slot where it would go; NULL
 * when neither is within E8K_MAX_HTML_CLASS_PROBE slots of its home. */
static size_t *class_slot(const class_set *cs, const char *s, size_t n)
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

static int class_rehash(class_set *cs)
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

static int class_add(class_set *cs, const char *s, size_t n)
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
static int class_hidden(const class_set *cs, const char *v)
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
        if (!(c >= 0x80 || c == '-' || c == '_' || name_char(c)) ||
            c == '.' || c == ':')
            return 0;
    }
    return 1;
}

/* Adds the lone classes of the selector list s[p..e). */
static int add_selectors(class_set *cs, const char *s, size_t p, size_t e)
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
static int read_style_sheet(class_set *cs, const char *s, size_t n)
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

static int hidden_by_attributes(const class_set *cs, const xmlChar **atts)
{
    for (size_t i = 0; atts && atts[i]; i += 2) {
        const char *n = (const char *)atts[i];
        const char *v = (const char *)atts[i + 1];
        if (n[0] == 'h' && strcmp(n, "hidden") == 0)
            return 1; /* a boolean attribute: any value hides */
        if (!v)
            continue;
        if (n[0] == 's' && strcmp(n, "style") == 0 &&
            display_none(v, strlen(v)))
            return 1;
        if (n[0] == 'c' && strcmp(n, "class") == 0 && class_hidden(cs, v))
            return 1;
    }
    return 0;
}

/* ---- Walker state ---------------------------------------------------------- */

/* One table level: cells of a row are joined by tabs, and block breaks at
 * the very start of a cell are ignored so "<td><p>$</p></td>" stays on the
 * row's line. */
typedef struct frame {
    int in_cell;
    int cell_text; /* the open cell has written text */
    int row_text;  /* an earlier cell of this row has */
    int any_text;  /* anything inside this table has */
    int lead;      /* the table opened at the start of an outer cell */
} frame;

typedef struct walker {
    htmlParserCtxtPtr ctxt;
    e8k_tb *tb;
    const char *src; /* decoded UTF-8 the parser reads */
    size_t srclen;
    size_t last;     /* no later construct starts before this position */
    size_t amp_at;   /* the '&' last reported alone, or SIZE_MAX */
    unsigned char *kinds; /* kind of each open element */
    size_t depth;
    size_t capkinds;
    size_t hide_depth;    /* depth of the hidden element we are in, or 0 */
    size_t style_depth;   /* depth of the open <style>, or 0 */
    e8k_buf css;          /* that style sheet so far */
    class_set hidden;     /* classes the style sheets so far hide */
    unsigned pre;
    frame *frames;        /* frames[0]: outside any table */
    size_t nframes;
    size_t capframes;
    unsigned flags;
    size_t end_tag_work;  /* open elements scanned for unmatched end tags */
    size_t work_budget;
    size_t scan_pending;  /* a scan reported by an error, unless a pop follows */
    e8k_status status;
    size_t err_pos;       /* decoded position of a refusal */
} walker;

static void stop(walker *w, e8k_status s, size_t pos)
{
    if (w->status == E8K_OK) {
        w->status = s;
        w->err_pos = pos;
    }
    xmlStopParser(w->ctxt);
}

/* The parser's position in the decoded buffer: `consumed` counts what it
 * already discarded from the front of its copy. */
static size_t parser_pos(const walker *w)
{
    xmlParserInputPtr in = w->ctxt->input;
    if (!in || !in->cur || !in->base)
        return w->last;
    size_t p = (size_t)in->consumed + (size_t)(in->cur - in->base);
    return p < w->srclen ? p : w->srclen;
}

/* libxml2 scans the open elements for each end tag, and for each <body>
 * start tag. When that closes elements the work is paid for by the pushes;
 * when it closes nothing it reports an error and pops nothing, so an error
 * not followed by a pop counts the whole stack against the budget. */
static void commit_scan(walker *w)
{
    if (!w->scan_pending)
        return;
    w->end_tag_work += w->scan_pending;
    w->scan_pending = 0;
    if (w->end_tag_work > w->work_budget && w->status == E8K_OK)
        stop(w, E8K_ERR_LIMIT, parser_pos(w));
}

static frame *top(walker *w)
{
    return &w->frames[w->nframes - 1];
}

/* Still at the very start of a cell (perhaps of an outer table's cell,
 * through tables nested there), where block breaks mean nothing. */
static int cell_start_quiet(const frame *f)
{
    return (f->in_cell && !f->cell_text) || (f->lead && !f->any_text);
}

static void block(walker *w, unsigned n)
{
    if (cell_start_quiet(top(w)))
        return;
    if (n)
        e8k_tb_break(w->tb, n);
    else
        e8k_tb_br(w->tb);
}

static void push_frame(walker *w)
{
    if (E8K_GROW(w->frames, w->capframes, w->nframes + 1) != 0) {
        stop(w, E8K_ERR_NOMEM, w->last);
        return;
    }
    int lead = cell_start_quiet(top(w));
    frame *f = &w->frames[w->nframes++];
    memset(f, 0, sizeof *f);
    f->lead = lead;
}

static void pop_frame(walker *w)
{
    if (w->nframes < 2)
        return;
    int had = w->frames[--w->nframes].any_text;
    frame *f = top(w);
    if (had) {
        f->any_text = 1;
        if (f->in_cell)
            f->cell_text = 1;
    }
}

static void cell_start(walker *w)
{
    frame *f = top(w);
    f->in_cell = 1;
    f->cell_text = 0;
    if (f->row_text)
        e8k_tb_tab(w->tb);
}

static void cell_end(walker *w)
{
    frame *f = top(w);
    if (!f->in_cell)
        return;
    if (f->cell_text) {
        e8k_tb_cancel(w->tb);
        f->row_text = 1;
    }
    f->in_cell = 0;
    f->cell_text = 0;
}

static void set_pre(walker *w, int delta)
{
    if (delta > 0)
        w->pre++;
    else if (w->pre)
        w->pre--;
    w->tb->lines = w->pre > 0;
}

static void start_effect(walker *w, int kind)
{
    switch (kind) {
    case K_BLOCK1: block(w, 1); break;
    case K_BLOCK2: block(w, 2); break;
    case K_BR: block(w, 0); break;
    case K_PRE: block(w, 2); set_pre(w, 1); break;
    case K_TABLE: block(w, 2); push_frame(w); break;
    case K_TR: top(w)->row_text = 0; block(w, 1); break;
    case K_CELL: cell_start(w); break;
    default: break;
    }
}

static void end_effect(walker *w, int kind)
{
    switch (kind) {
    case K_BLOCK1: block(w, 1); break;
    case K_BLOCK2: block(w, 2); break;
    case K_PRE: set_pre(w, -1); block(w, 2); break;
    case K_TABLE: pop_frame(w); block(w, 2); break;
    case K_TR: block(w, 1); top(w)->row_text = 0; break;
    case K_CELL: cell_end(w); break;
    default: break;
    }
}

/* ---- SAX callbacks ----------------------------------------------------------- */

/* The '<' of the start tag the parser is at (it reports from its '>'). */
static size_t tag_start(const walker *w, size_t pos)
{
    size_t p = pos < w->srclen ? pos : w->srclen - 1;
    while (p > w->last && w->src[p] != '<')
        p--;
    return p;
}

static void on_start(void *ud, const xmlChar *name, const xmlChar **atts)
{
    walker *w = ud;
    commit_scan(w);
    if (w->status != E8K_OK)
        return;
    size_t pos = parser_pos(w);
    if (w->depth >= E8K_MAX_HTML_DEPTH) {
        stop(w, E8K_ERR_LIMIT, tag_start(w, pos));
        return;
    }
    if (E8K_GROW(w->kinds, w->capkinds, w->depth + 1) != 0) {
        stop(w, E8K_ERR_NOMEM, pos);
        return;
    }
    int kind = K_INLINE;
    if (!w->hide_depth) {
        kind = element_kind((const char *)name);
        if (kind != K_HIDE && hidden_by_attributes(&w->hidden, atts))
            kind = K_HIDE;
    }
    w->kinds[w->depth++] = (unsigned char)kind;
    if (name[0] == 's' && strcmp((const char *)name, "style") == 0) {
        w->style_depth = w->depth; /* read even inside <head> */
        w->css.len = 0;
    }
    if (kind == K_HIDE)
        w->hide_depth = w->depth;
    else
        start_effect(w, kind);
}

static void on_end(void *ud, const xmlChar *name)
{
    walker *w = ud;
    (void)name;
    w->scan_pending = 0;
    if (w->status != E8K_OK || w->depth == 0)
        return;
    int kind = w->kinds[--w->depth];
    if (w->depth < w->style_depth) {
        w->style_depth = 0;
        if (read_style_sheet(&w->hidden, w->css.data, w->css.len) != 0)
            stop(w, E8K_ERR_NOMEM, parser_pos(w));
    }
    if (kind == K_HIDE && w->hide_depth == w->depth + 1)
        w->hide_depth = 0;
    else if (!w->hide_depth)
        end_effect(w, kind);
}

static size_t utf8_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* Whether a one-character run at [start, ...) is really the tail of an
 * entity or character reference: libxml2 reports "&#59;" as ";" ending at
 * the ';'. The name after a lone '&' ("AT&T") is text, though. */
static int reference_tail(const walker *w, size_t start)
{
    if (w->amp_at != SIZE_MAX && start == w->amp_at + 1)
        return 0;
    for (size_t p = start, lo = w->last; p > lo;) {
        char c = w->src[--p];
        if (c == '&')
            return 1;
        if (c == ';' || c == '<' || c == '>' || c == ' ' || c == '\n')
            return 0;
    }
    return 0;
}

/* A run that is not a copy of the source (a reference, a lone '<') comes
 * from the construct starting at the nearest '&' before the parser, else
 * from where the last construct ended. Only the current construct lies
 * between the two, so the backward scan stays linear overall. */
static size_t construct_start(walker *w, const char *s, size_t n, size_t pos)
{
    size_t at = w->last;
    for (size_t p = pos; p > w->last;)
        if (w->src[--p] == '&') {
            at = p;
            break;
        }
    if (n == 1 && s[0] == '&' && w->src[at] == '&') {
        /* "&" alone: an unknown reference whose name follows as text */
        w->amp_at = at;
        if (at + 1 > w->last)
            w->last = at + 1;
    } else if (pos > w->last) {
        w->last = pos;
    }
    return at;
}

/* Where the n bytes of character data the parser just reported come from.
 * Text runs are copies of the bytes just before the parser's position;
 * runs of 1000+ bytes are flushed before the parser steps over their last
 * character, so they end one character later; a lone '<' is reported
 * before the parser steps over it. A run counts as a copy only when every
 * byte matches: one that differs anywhere (a character the parser
 * repaired) would otherwise map its bytes into the wrong source bytes. A
 * one-character run that only looks like a copy may be a reference's
 * expansion. Sets *linear; returns the start. (Implied and auto-closed
 * elements are reported from wherever the parser is, so element events
 * cannot bound where text starts.) */
static size_t locate(walker *w, const char *s, size_t n, int *linear)
{
    size_t pos = parser_pos(w), e = pos;
    *linear = 1;
    if (n >= 1000 && pos < w->srclen)
        e = pos + utf8_len((unsigned char)w->src[pos]);
    else if (n == 1 && s[0] == '<' && pos < w->srclen && w->src[pos] == '<')
        e = pos + 1;
    if (e <= w->srclen && e >= n && memcmp(w->src + e - n, s, n) == 0 &&
        !(n == utf8_len((unsigned char)s[0]) && n < 1000 && e - n > w->last &&
          reference_tail(w, e - n))) {
        if (e > w->last)
            w->last = e;
        return e - n;
    }
    *linear = 0;
    return construct_start(w, s, n, pos);
}

static void mark_text(walker *w)
{
    frame *f = top(w);
    f->any_text = 1;
    if (f->in_cell)
        f->cell_text = 1;
}

static void on_chars(void *ud, const xmlChar *s, int len)
{
    walker *w = ud;
    commit_scan(w);
    if (w->status != E8K_OK || len <= 0)
        return;
    int linear = 0;
    size_t n = (size_t)len;
    size_t at = locate(w, (const char *)s, n, &linear);
    if (w->hide_depth)
        return;
    size_t before = w->tb->out.len;
    e8k_tb_text(w->tb, (const char *)s, n, at, linear);
    if (w->tb->nomem)
        stop(w, E8K_ERR_NOMEM, at);
    else if (w->tb->out.len != before)
        mark_text(w);
}

/* Script and style bodies, comments, processing instructions: no text,
 * but the position moves on. A style sheet is kept until its element
 * ends, for the classes it hides. */
static void on_skip_data(void *ud, const xmlChar *s, int len)
{
    walker *w = ud;
    size_t pos = parser_pos(w);
    if (pos > w->last)
        w->last = pos;
    if (w->style_depth && w->style_depth == w->depth && len > 0 &&
        w->status == E8K_OK &&
        e8k_buf_append(&w->css, (const char *)s, (size_t)len) != 0)
        stop(w, E8K_ERR_NOMEM, pos);
}

static void on_comment(void *ud, const xmlChar *s)
{
    on_skip_data(ud, s, 0);
}

static void on_pi(void *ud, const xmlChar *target, const xmlChar *data)
{
    (void)data;
    on_skip_data(ud, target, 0);
}

/* Whether the error reports a scan of the open elements that may close
 * none of them: an end tag matching no open element, a start tag
 * (<body>, <html>, <head>) found misplaced. Inside script and style, a
 * foreign close tag ("</p>" in a script) gets the same code but scans
 * nothing; libxml2 names the script or style element itself in it, and
 * no scanned end tag can name the innermost element, which it would have
 * closed. */
static int scan_error(const walker *w, const xmlError *e)
{
    if (e->domain != XML_FROM_HTML || w->ctxt->nameNr <= 0)
        return 0;
    if (e->code == XML_HTML_STRUCURE_ERROR)
        return 1;
    if (e->code != XML_ERR_TAG_NAME_MISMATCH)
        return 0;
    const char *open = (const char *)w->ctxt->name;
    return e->str2 || !e->str1 || !open || strcmp(e->str1, open) != 0;
}

/* Every parser error lands here instead of stderr. Unknown tags (ix:...,
 * EDGAR's <TYPE>) are not repairs, so they do not count as recovered. */
static void on_error(void *ud, xmlErrorPtr e)
{
    walker *w = ud;
    if (!e || w->status != E8K_OK)
        return;
    commit_scan(w);
    if (e->code == XML_ERR_NO_MEMORY) {
        stop(w, E8K_ERR_NOMEM, parser_pos(w));
        return;
    }
    if (e->level == XML_ERR_FATAL)
        w->flags |= E8K_TEXT_CUT;
    else if (e->level == XML_ERR_ERROR && e->code != XML_HTML_UNKNOWN_TAG)
        w->flags |= E8K_TEXT_RECOVERED;
    if (scan_error(w, e))
        w->scan_pending = (size_t)w->ctxt->nameNr;
}

/* ---- Driving the parser ------------------------------------------------------ */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
    xmlInitParser();
}

static void set_handlers(htmlParserCtxtPtr ctxt, walker *w)
{
    xmlSAXHandler *sax = ctxt->sax;
    memset(sax, 0, sizeof *sax);
    sax->startElement = on_start;
    sax->endElement = on_end;
    sax->characters = on_chars;
    sax->ignorableWhitespace = on_chars;
    sax->cdataBlock = on_skip_data;
    sax->comment = on_comment;
    sax->processingInstruction = on_pi;
    sax->serror = on_error;
    sax->initialized = XML_SAX2_MAGIC; /* or libxml2 ignores serror */
    ctxt->userData = w;
}

/* A parser over the decoded bytes that reads them as UTF-8 whatever they
 * declare, so its positions are positions in `src`. */
static htmlParserCtxtPtr new_parser(walker *w)
{
    htmlParserCtxtPtr ctxt =
        htmlCreateMemoryParserCtxt(w->src, (int)w->srclen);
    if (!ctxt)
        return NULL;
    w->ctxt = ctxt;
    set_handlers(ctxt, w);
    htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NONET |
                                 HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                 HTML_PARSE_NODEFDTD | HTML_PARSE_IGNORE_ENC |
                                 XML_PARSE_HUGE);
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    if (ctxt->input && !ctxt->input->encoding)
        ctxt->input->encoding = xmlStrdup(BAD_CAST "UTF-8");
    return ctxt;
}

static int only_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!blank((unsigned char)s[i]))
            return 0;
    return 1;
}

static e8k_status walk_result(walker *w, const e8k_decoded *d,
                              const char *body, size_t len, e8k_error *err)
{
    size_t off = e8k_decoded_offset(d->map, d->nmap, w->err_pos);
    switch (w->status) {
    case E8K_OK:
        return E8K_OK;
    case E8K_ERR_LIMIT:
        if (w->end_tag_work > w->work_budget)
            return e8k_fail(err, E8K_ERR_LIMIT, NULL, body, len, off,
                            "HTML end tags that close nothing, under %zu "
                            "open elements, need more than %d comparisons "
                            "per byte (E8K_MAX_HTML_END_TAG_WORK)",
                            w->depth, E8K_MAX_HTML_END_TAG_WORK);
        return e8k_fail(err, E8K_ERR_LIMIT, NULL, body, len, off,
                        "HTML elements nested deeper than %d "
                        "(E8K_MAX_HTML_DEPTH)", E8K_MAX_HTML_DEPTH);
    default:
        return e8k_fail(err, w->status, NULL, body, len, off,
                        "out of memory in the HTML parser");
    }
}

e8k_status e8k_html_walk(const e8k_decoded *d, const char *body, size_t len,
                         e8k_tb *tb, unsigned *flags, e8k_error *err)
{
    if (only_space(d->data, d->len))
        return E8K_OK; /* libxml2 would call it an empty document */
    pthread_once(&init_once, init_libxml);
    walker w;
    memset(&w, 0, sizeof w);
    w.tb = tb;
    w.amp_at = SIZE_MAX;
    w.src = d->data;
    w.srclen = d->len;
    w.work_budget = (size_t)E8K_MAX_HTML_END_TAG_WORK * d->len + (1u << 22);
    w.frames = calloc(1, sizeof(frame));
    w.nframes = w.capframes = w.frames ? 1 : 0;
    htmlParserCtxtPtr ctxt = w.frames ? new_parser(&w) : NULL;
    if (!ctxt) {
        free(w.frames);
        return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                        "out of memory starting the HTML parser");
    }
    htmlParseDocument(ctxt);
    commit_scan(&w);
    if (w.status == E8K_OK && parser_pos(&w) < w.srclen)
        w.flags |= E8K_TEXT_CUT; /* stopped before the end of the input */
    *flags = w.flags;
    htmlFreeParserCtxt(ctxt);
    free(w.kinds);
    free(w.frames);
    e8k_buf_free(&w.css);
    e8k_buf_free(&w.hidden.names);
    free(w.hidden.slots);
    return walk_result(&w, d, body, len, err);
}
