/* SPDX-License-Identifier: MIT */
/* extract_sent.c: splits a document's normalized text into sentences, the
 * unit in which extraction reads the context of a value (which offering a
 * figure belongs to, whether the sentence negates an offering). Text comes
 * from HTML tables, hard-wrapped plain text and XBRL renderings that break
 * a figure over three lines, so a single newline is white space unless the
 * line is a table row, a bullet or a heading. */
#include "e8k_extract.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

/* Words a period follows without ending the sentence. */
static const char *const ABBREVIATIONS[] = {
    "no",  "nos", "mr",  "mrs", "ms",   "dr",   "jr",  "sr",   "st",
    "vs",  "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "sec",  "reg", "ref",  "par",
    "fig", "art", "para", "cf", "al", "e.g", "i.e", "etc"};

/* Legal forms end a sentence only before a word that opens one: "Example,
 * Inc. The Company ..." but "Example, Inc. Securities LLC". */
static const char *const FORMS[] = {"inc", "corp", "co", "ltd", "llc",
                                    "l.l.c", "n.a", "l.p", "s.a", "ag",
                                    "plc", "incorporated", "lp"};

static const char *const OPENERS[] = {
    "the", "we", "our", "on", "in", "this", "these", "those", "such", "as",
    "each", "all", "any", "it", "under", "pursuant", "if", "at", "for",
    "upon", "following", "a", "an", "no", "during", "after", "prior",
    "concurrently", "additionally", "also", "subject", "net", "gross",
    "total", "proceeds", "its", "their", "there", "with", "by", "from"};

/* The lists are lower case and start with a letter: the first byte,
 * folded, rules out most entries before their length is taken. */
static int in_list(const char *w, size_t n, const char *const *list,
                   size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (n && (w[0] | 0x20) == list[i][0] && strlen(list[i]) == n &&
            !strncasecmp(w, list[i], n))
            return 1;
    return 0;
}

#define IN_LIST(w, n, list) in_list(w, n, list, sizeof list / sizeof list[0])

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int is_alpha(unsigned char c) { return is_upper(c) || is_lower(c); }

/* Length of a UTF-8 closing quote or bracket at t[i], 0 if none. */
static size_t closer_at(const char *t, size_t i, size_t end)
{
    unsigned char c = (unsigned char)t[i];
    if (c == '"' || c == '\'' || c == ')' || c == ']')
        return 1;
    /* ” U+201D and ’ U+2019 */
    if (c == 0xE2 && i + 2 < end && (unsigned char)t[i + 1] == 0x80 &&
        ((unsigned char)t[i + 2] == 0x9D || (unsigned char)t[i + 2] == 0x99))
        return 3;
    return 0;
}

/* Whether a sentence may open at t[i]: a capital, a figure, an opening
 * quote or bracket, a dollar sign or a bullet. */
static int opens_sentence(const char *t, size_t i, size_t end)
{
    unsigned char c = (unsigned char)t[i];
    if (is_upper(c) || is_digit(c) || c == '(' || c == '"' || c == '$' ||
        c == '[' || c == '|')
        return 1;
    /* “ U+201C, • U+2022 */
    return c == 0xE2 && i + 2 < end && (unsigned char)t[i + 1] == 0x80 &&
           ((unsigned char)t[i + 2] == 0x9C || (unsigned char)t[i + 2] == 0xA2);
}

/* The word ending just before the period at t[p]: [*ws, p). */
static size_t word_before(const char *t, size_t from, size_t p)
{
    size_t ws = p;
    while (ws > from && (is_alpha((unsigned char)t[ws - 1]) ||
                         (t[ws - 1] == '.' && ws - 1 > from &&
                          is_alpha((unsigned char)t[ws - 2]))))
        ws--;
    return ws;
}

/* Whether the period at t[p] ends a sentence, given that the text after it
 * (past closers and white space) resumes at t[next]. */
static int period_ends(const char *t, size_t from, size_t p, size_t next,
                       size_t end)
{
    if (!opens_sentence(t, next, end))
        return 0;
    size_t ws = word_before(t, from, p);
    size_t n = p - ws;
    if (n == 0) /* after a figure, a percent sign or a closing bracket */
        return p > from && (is_digit((unsigned char)t[p - 1]) ||
                            t[p - 1] == '%' || closer_at(t, p - 1, end) ||
                            (p >= from + 3 && closer_at(t, p - 3, end) == 3));
    if (n == 1)
        return 0; /* an initial: "H. C. Wainwright", "B. Riley" */
    if (memchr(t + ws, '.', n) && !IN_LIST(t + ws, n, FORMS))
        return 0; /* "U.S." */
    if (IN_LIST(t + ws, n, ABBREVIATIONS))
        return 0;
    if (IN_LIST(t + ws, n, FORMS)) {
        size_t we = next;
        while (we < end && is_alpha((unsigned char)t[we]))
            we++;
        return IN_LIST(t + next, we - next, OPENERS);
    }
    return 1;
}

/* The first byte of the line after the newline at t[nl] that is not white
 * space, or `end`. */
static size_t line_text(const char *t, size_t nl, size_t end)
{
    size_t i = nl + 1;
    while (i < end && is_space((unsigned char)t[i]))
        i++;
    return i;
}

static const char *const SMALL[] = {"a",   "an",  "the",  "and", "or",
                                    "of",  "in",  "into", "on",  "for",
                                    "to",  "by",  "with", "from", "at",
                                    "as",  "per", "under", "upon", "its"};

/* Whether the line t[ls..le) is a heading: a few words, each capitalized
 * or small, not ending on a small word or punctuation that continues a
 * sentence ("Equity Line Financing", "NOTE 7 - EQUITY"). */
static int heading_line(const char *t, size_t ls, size_t le)
{
    while (le > ls && is_space((unsigned char)t[le - 1]))
        le--;
    if (le - ls < 3 || le - ls > 100)
        return 0;
    unsigned char last = (unsigned char)t[le - 1];
    if (last == ',' || last == ';' || last == '(' || last == '-' ||
        last == '$' || last == '&')
        return 0;
    size_t words = 0, caps = 0, lw = ls, lwn = 0;
    for (size_t i = ls; i < le;) {
        while (i < le && t[i] == ' ')
            i++;
        size_t w = i;
        while (i < le && t[i] != ' ')
            i++;
        if (i == w)
            break;
        words++;
        lw = w;
        lwn = i - w;
        unsigned char c = (unsigned char)t[w];
        if (is_upper(c))
            caps++;
        else if (is_lower(c) && !IN_LIST(t + w, i - w, SMALL))
            return 0; /* a lowercase word: running text */
    }
    /* a capitalized word at least: a line of figures is part of a table
     * or of a figure broken over lines */
    return caps >= 1 && !IN_LIST(t + lw, lwn, SMALL) &&
           (words >= 2 || lwn >= 4);
}

/* Whether the line t[ls..le) is a row of a table (cells split by tabs or
 * bars) or a bullet item: each such line is a unit of its own. */
static int row_line(const char *t, size_t ls, size_t le)
{
    return memchr(t + ls, '\t', le - ls) != NULL ||
           (ls < le && (t[ls] == '|' || (le > ls && t[le - 1] == '|')));
}

static int bullet_at(const char *t, size_t i, size_t end)
{
    unsigned char c = (unsigned char)t[i];
    if (c == '|')
        return 1;
    if (c == 0xC2 && i + 1 < end && (unsigned char)t[i + 1] == 0xB7)
        return 1; /* · */
    return c == 0xE2 && i + 2 < end &&
           (((unsigned char)t[i + 1] == 0x80 && (unsigned char)t[i + 2] == 0xA2) ||
            ((unsigned char)t[i + 1] == 0x97 && (unsigned char)t[i + 2] == 0x8F) ||
            ((unsigned char)t[i + 1] == 0x96 && (unsigned char)t[i + 2] == 0xAA));
}

int e8k_sentence_is_item(const char *t, size_t at, size_t end)
{
    while (at < end && (is_space((unsigned char)t[at]) || t[at] == '\n'))
        at++;
    return at < end && t[at] != '|' && bullet_at(t, at, end);
}

int e8k_sentence_is_lead_in(const char *t, size_t start, size_t end)
{
    while (end > start && (is_space((unsigned char)t[end - 1]) || t[end - 1] == '\n'))
        end--;
    return end > start && t[end - 1] == ':';
}

static int push(e8k_sent_mark **out, size_t *n, size_t *cap, size_t at,
                int para)
{
    if (*n && (*out)[*n - 1].start >= at) {
        (*out)[*n - 1].para |= para && (*out)[*n - 1].start == at;
        return 0;
    }
    if (E8K_GROW(*out, *cap, *n + 1) != 0)
        return -1;
    (*out)[(*n)++] = (e8k_sent_mark){at, para, 0};
    return 0;
}

/* Lines typed to a width are wrapped near 80 columns; a longer line that
 * ends a sentence is a paragraph of text that puts one on each line. */
#define WRAPPED_LINE_MAX 120

static int long_line_ends_sentence(const char *t, size_t ls, size_t nl)
{
    size_t e = nl;
    while (e > ls && is_space((unsigned char)t[e - 1]))
        e--;
    if (e - ls <= WRAPPED_LINE_MAX)
        return 0;
    if (e - ls >= 3 && (unsigned char)t[e - 3] == 0xE2 &&
        (unsigned char)t[e - 2] == 0x80 && (unsigned char)t[e - 1] == 0x9D)
        e -= 3; /* a closing quote after the stop */
    else if (t[e - 1] == '"' || t[e - 1] == ')')
        e--;
    return e > ls && (t[e - 1] == '.' || t[e - 1] == '!' || t[e - 1] == '?' ||
                      t[e - 1] == ':');
}

/* Whether the newline at t[nl] ends a unit: a blank line follows, the line
 * it ends is a row, a heading or a long sentence-ending line, or the next
 * line is a row or bullet. */
static int newline_ends(const char *t, size_t ls, size_t nl, size_t end)
{
    size_t nx = line_text(t, nl, end);
    if (nx >= end)
        return 1;
    if (long_line_ends_sentence(t, ls, nl))
        return 1;
    if (t[nx] == '\n') { /* a blank line, unless lowercase text goes on:
                            XBRL renderings put blank lines in a figure */
        size_t k = nx;
        while (k < end && (t[k] == '\n' || is_space((unsigned char)t[k])))
            k++;
        return k >= end || !is_lower((unsigned char)t[k]);
    }
    if (row_line(t, ls, nl) || bullet_at(t, nx, end))
        return 1;
    const char *nnl = memchr(t + nx, '\n', end - nx);
    size_t nle = nnl ? (size_t)(nnl - t) : end;
    if (row_line(t, nx, nle))
        return 1;
    return heading_line(t, ls, nl) &&
           (is_upper((unsigned char)t[nx]) || opens_sentence(t, nx, end));
}

/* The bytes the split stops at: a line break, a period, an exclamation
 * or question mark. Eight bytes are tested at a time (a byte of v equal
 * to c is a zero byte of v ^ c...c), then one at a time from a table: a
 * byte-by-byte test that branches on every letter costs the split most
 * of its time. */
#define ONES 0x0101010101010101u
#define HAS_ZERO(v) (((v) - ONES) & ~(v) & (ONES << 7))
#define HAS_BYTE(v, c) HAS_ZERO((v) ^ (ONES * (unsigned char)(c)))

static const unsigned char STOPS[256] = {['\n'] = 1, ['.'] = 1, ['!'] = 1,
                                         ['?'] = 1};

static size_t next_stop(const char *t, size_t i, size_t end)
{
    for (; i + 8 <= end; i += 8) {
        uint64_t v;
        memcpy(&v, t + i, 8);
        if (HAS_BYTE(v, '\n') | HAS_BYTE(v, '.') | HAS_BYTE(v, '!') |
            HAS_BYTE(v, '?'))
            break;
    }
    while (i < end && !STOPS[(unsigned char)t[i]])
        i++;
    return i;
}

int e8k_sentences_split(const char *t, size_t start, size_t end,
                        e8k_sent_mark **out, size_t *n, size_t *cap)
{
    size_t s = start, ls = start;
    while (s < end && (is_space((unsigned char)t[s]) || t[s] == '\n'))
        s++;
    if (push(out, n, cap, s < end ? s : start, 1) != 0)
        return -1;
    for (size_t i = next_stop(t, s, end); i < end;
         i = next_stop(t, i + 1, end)) {
        char c = t[i];
        if (c == '\n') {
            int ends = newline_ends(t, ls, i, end);
            /* a heading line that is a sentence of its own */
            if (ends && *n && (*out)[*n - 1].start >= ls &&
                heading_line(t, ls, i))
                (*out)[*n - 1].heading = 1;
            ls = i + 1;
            if (ends) {
                size_t nx = line_text(t, i, end);
                while (nx < end && t[nx] == '\n')
                    nx = line_text(t, nx, end);
                if (nx < end && push(out, n, cap, nx, 1) != 0)
                    return -1;
            }
            continue;
        }
        size_t j = i + 1, k;
        while (j < end && (k = closer_at(t, j, end)) != 0)
            j += k;
        if (j >= end || !(is_space((unsigned char)t[j]) || t[j] == '\n'))
            continue;
        while (j < end && (is_space((unsigned char)t[j]) || t[j] == '\n'))
            j++;
        if (j < end && (c != '.' || period_ends(t, ls, i, j, end)) &&
            push(out, n, cap, j, 0) != 0)
            return -1;
    }
    return 0;
}

/* Inserts a mark at `at` unless one is there; returns its index or -1. */
static long insert_mark(e8k_sent_mark **out, size_t *n, size_t *cap,
                        size_t at)
{
    size_t k = 0;
    while (k < *n && (*out)[k].start < at)
        k++;
    if (k < *n && (*out)[k].start == at)
        return (long)k;
    if (E8K_GROW(*out, *cap, *n + 1) != 0)
        return -1;
    memmove(*out + k + 1, *out + k, (*n - k) * sizeof **out);
    (*out)[k] = (e8k_sent_mark){at, 1, 0};
    (*n)++;
    return (long)k;
}

int e8k_sentences_heading(const char *t, size_t end, size_t at,
                          e8k_sent_mark **out, size_t *n, size_t *cap)
{
    const char *nl = memchr(t + at, '\n', end - at);
    size_t le = nl ? (size_t)(nl - t) : end;
    long k = insert_mark(out, n, cap, at);
    if (k < 0)
        return -1;
    (*out)[k].para = 1;
    (*out)[k].heading = 1;
    size_t nx = le;
    while (nx < end && (is_space((unsigned char)t[nx]) || t[nx] == '\n'))
        nx++;
    if (nx < end && (k = insert_mark(out, n, cap, nx)) < 0)
        return -1;
    if (nx < end)
        (*out)[k].para = 1;
    return 0;
}
