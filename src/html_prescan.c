/* SPDX-License-Identifier: MIT */
/* html_prescan.c: the guard in front of libxml2's HTML parser against
 * attribute bombs: a linear scan that counts the attributes of every start
 * tag as libxml2 will see them and refuses a body past
 * E8K_MAX_HTML_ATTRIBUTES before the parser's quadratic duplicate check
 * can run. No libxml2 here. */
#include "text_internal.h"

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
            /* fast_tag's memchr for the '<' after a quoted value has
             * usually found this one already */
            if ((i = next_lt(s, i, len, &lt)) >= len)
                break;
            i++;
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

