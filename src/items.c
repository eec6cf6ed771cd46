/* items.c: finds the 8-K item headings ("Item 2.02 Results of Operations
 * ...", "ITEM 5. OTHER EVENTS") in a document's normalized text and marks
 * where each item starts and ends. Pure text in, marks out: one pass over
 * the lines, a hand-written scanner (no regex engine), no allocation.
 *
 * A heading is a line that starts with "Item"/"Items" and a valid item
 * number. Filings also cite items in running text and, in plain-text
 * filings, hard line wraps put such citations at the start of a line, so a
 * candidate is weighed on:
 * - what follows the number: a lowercase word ("of", "above"), a comma or a
 *   parenthesis means a citation; the item's official title (or a known
 *   variant) is the strongest sign of a heading;
 * - the line before: one ending mid-sentence (lowercase word, comma) means
 *   the "Item" line is the wrapped tail of a sentence;
 * - document order: numbers increase and use one numbering (2004+ "2.02"
 *   or pre-August-2004 "5"); a number seen before is not a new heading;
 * - tables of contents: dot leaders and page numbers reject a line, and a
 *   run of headings with no text under them is dropped when its numbers
 *   come back (a contents list without page numbers).
 * Only a candidate carrying its official title may break the order or the
 * numbering, or follow a line that ends mid-sentence. The official titles
 * and wordings of the items are in items_titles.c. */
#include "items_int.h"

#include <stdio.h>
#include <string.h>

/* ---- Characters and words ------------------------------------------------ */

/* Bytes of the blank at t[p], or 0. Besides ASCII blanks, the UTF-8
 * no-break and typographic spaces (U+00A0, U+2000-U+200B, U+202F, U+205F,
 * U+3000): filers put a thin space between "Item" and its number, and only
 * U+00A0 is sure to be folded by the text stage. */
size_t e8k_item_blank_len(const char *t, size_t p, size_t e)
{
    const unsigned char *u = (const unsigned char *)t + p;
    if (is_blank(t[p]))
        return 1;
    if (u[0] == 0xC2 && e - p >= 2 && u[1] == 0xA0)
        return 2;
    if (e - p < 3)
        return 0;
    if ((u[0] == 0xE2 && u[1] == 0x80 && (u[2] <= 0x8B || u[2] == 0xAF)) ||
        (u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0x9F) ||
        (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80))
        return 3;
    return 0;
}

size_t e8k_item_skip_blanks(const char *t, size_t p, size_t e)
{
    size_t n;
    while (p < e && (n = e8k_item_blank_len(t, p, e)) > 0)
        p += n;
    return p;
}

/* Whether t[p..e) starts with the ASCII word `w` (lowercase), any case,
 * followed by a non-letter. */
static int word_at(const char *t, size_t p, size_t e, const char *w)
{
    size_t n = strlen(w);
    if (e - p < n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lower(t[p + i]) != w[i])
            return 0;
    return p + n == e || !is_alpha(t[p + n]);
}

/* Whether the word t[s..e) (lowercased, no trailing punctuation) is one of
 * the '|'-separated words of `list`. */
int e8k_item_word_in(const char *t, size_t s, size_t e, const char *list)
{
    while (e > s && !is_alpha(t[e - 1]))
        e--;
    for (const char *w = list; *w;) {
        size_t n = strcspn(w, "|");
        if (n == e - s && n > 0) {
            size_t i = 0;
            while (i < n && lower(t[s + i]) == w[i])
                i++;
            if (i == n)
                return 1;
        }
        w += n + (w[n] == '|');
    }
    return 0;
}

/* Words that stay lowercase in a title-cased heading. */
static const char SMALL_WORDS[] =
    "a|an|the|and|or|of|in|into|on|for|to|by|with|from|at|as|under|upon|"
    "nor|but|its|per|via|vs|than";
/* Capitalised or not, these continue a sentence citing the item. */
static const char CONTINUATIONS[] =
    "of|above|below|hereof|herein|thereof|is|are|was|were";
/* A sentence opens with these; a heading's title does not. */
static const char OPENERS[] =
    "on|the|as|in|at|by|during|effective|following|pursuant|upon|we|our|"
    "this|these|it|there|a|an|see|reference|attached|not|none|no";
/* A clause has a verb; these are the ones a title never holds. */
static const char VERBS[] =
    "is|are|was|were|be|been|being|has|have|had|will|would|shall|should|"
    "may|can|could|did|does|do";
/* Lowercase after a title's first word, these are the verb of a sentence
 * ("Acme sold its plant", "Company announces dividend"): past tenses that
 * do not end in "-ed", and the present tenses of press-release headlines.
 * Words that are as often nouns ("put", "set", "prices", "plans") are
 * left out: a title may hold them. */
static const char VERB_FORMS[] =
    "sold|made|paid|held|took|became|began|bought|brought|built|came|chose|"
    "drew|fell|found|gave|got|grew|kept|knew|led|left|lent|lost|met|ran|"
    "rose|said|saw|sent|sought|spent|stood|struck|told|thought|won|wrote|"
    "went|withdrew|undertook|announces|reports|enters|files|sells|buys|"
    "agrees|approves|completes|declares|appoints|elects|receives|acquires|"
    "launches|expects|provides|amends|adopts|terminates|extends|settles|"
    "resigns|retires|joins|pays|makes|takes|becomes|begins|says|wins";
/* A period after these does not end a sentence. */
static const char ABBREVIATIONS[] =
    "inc|corp|co|ltd|no|nos|mr|mrs|ms|dr|jr|sr|st|vs|llc";

/* ---- Item numbers ---------------------------------------------------------- */

enum { STYLE_NONE = 0, STYLE_NEW, STYLE_OLD };

/* Keys order the items: 16 * major + minor for "2.02", OLD_BASE + n for
 * the pre-2004 "5". */
#define OLD_BASE 160
#define KEY_SLOTS (OLD_BASE + 13)

static int new_item_valid(unsigned major, unsigned minor)
{
    static const unsigned last_minor[10] = {0, 5, 6, 3, 2, 8, 10, 1, 1, 1};
    return major >= 1 && major <= 9 && minor >= 1 &&
           minor <= last_minor[major];
}

/* ---- Parsing a candidate heading ------------------------------------------ */

#define MAX_NUMBERS 4

typedef struct heading {
    size_t start;     /* the "I" of "Item" */
    size_t line_end;
    size_t after;     /* just after the last number */
    size_t rest;      /* after the number's punctuation */
    int count;        /* numbers on the heading: "Items 1.01 and 5.02" */
    int key[MAX_NUMBERS];
    int style;
    char number[MAX_NUMBERS][8];
} heading;

/* Reads the "02" of "2.02" or "2. 02" after a major number ending at q.
 * Returns the minor number, 0 when there is none ("5. Other Events"), or
 * -1 when the number belongs to another numbering ("2.07", "1.1", "10.1").
 * Sets *end after the minor number. */
static int parse_minor(const char *t, size_t q, size_t e, unsigned major,
                       size_t *end)
{
    if (q >= e || t[q] != '.')
        return 0;
    size_t r = q + 1;
    int spaced = r < e && t[r] == ' ';
    r += (size_t)spaced;
    size_t d = r;
    while (d < e && is_digit(t[d]))
        d++;
    if (d == r)
        return 0;
    if (d - r == 2) {
        unsigned minor = (unsigned)((t[r] - '0') * 10 + (t[r + 1] - '0'));
        if (new_item_valid(major, minor)) {
            *end = d;
            return (int)minor;
        }
    }
    return spaced ? 0 : -1; /* "Item 5. 10 days later" is item 5 */
}

/* Parses one item number at t[p..e): "2.02", "2. 02", "5", with an optional
 * "(a)" after it. Returns the position after it, or 0 when there is none
 * (p is never 0: "Item" precedes it). */
static size_t parse_number(const char *t, size_t p, size_t e, heading *h)
{
    size_t q = p;
    unsigned major = 0;
    while (q < e && is_digit(t[q]) && q - p < 3)
        major = major * 10 + (unsigned)(t[q++] - '0');
    if (q == p || q - p > 2 || h->count == MAX_NUMBERS)
        return 0;
    int k = h->count;
    int minor = parse_minor(t, q, e, major, &q);
    if (minor < 0)
        return 0;
    if (minor > 0) {
        h->key[k] = (int)major * 16 + minor;
        h->style = STYLE_NEW;
        snprintf(h->number[k], sizeof h->number[k], "%u.%02d", major, minor);
    } else if (major >= 1 && major <= 12) {
        h->key[k] = OLD_BASE + (int)major;
        h->style = STYLE_OLD;
        snprintf(h->number[k], sizeof h->number[k], "%u", major);
    } else {
        return 0;
    }
    if (q < e && t[q] == '(') { /* "Item 7(c)", "Items 1.01(a)" */
        size_t r = q + 1;
        while (r < e && r - q <= 3 && is_alpha(t[r]))
            r++;
        if (r < e && r > q + 1 && t[r] == ')')
            q = r + 1;
    }
    h->count++;
    return q;
}

/* Parses "1.01", "1.01 and 5.02", "2.02, 7.01 and 9.01" ("Item" may be
 * repeated). Returns the position after the last number, or 0. */
static size_t parse_numbers(const char *t, size_t p, size_t e, heading *h)
{
    size_t q = parse_number(t, p, e, h);
    if (!q)
        return 0;
    int style = h->style;
    for (;;) {
        size_t r = e8k_item_skip_blanks(t, q, e);
        if (r < e && (t[r] == ',' || t[r] == '&'))
            r = e8k_item_skip_blanks(t, r + 1, e);
        else if (!word_at(t, r, e, "and"))
            return q;
        if (word_at(t, r, e, "and"))
            r = e8k_item_skip_blanks(t, r + 3, e);
        if (word_at(t, r, e, "items"))
            r = e8k_item_skip_blanks(t, r + 5, e);
        else if (word_at(t, r, e, "item"))
            r = e8k_item_skip_blanks(t, r + 4, e);
        size_t next = r < e && is_digit(t[r]) ? parse_number(t, r, e, h) : 0;
        if (!next)
            return q; /* "Item 7.01 and Exhibit 99.1": a citation */
        if (h->style != style)
            return 0;
        if (h->key[h->count - 1] <= h->key[h->count - 2]) {
            h->count--; /* lists run upwards; stop at a repeat */
            return q;
        }
        q = next;
    }
}

/* Recognises "Item[s] <numbers> <punctuation>" at t[p..e), p at the first
 * non-blank of the line. */
static int parse_heading(const char *t, size_t p, size_t e, heading *h)
{
    memset(h, 0, sizeof *h);
    if (!word_at(t, p, e, "item") && !word_at(t, p, e, "items") &&
        !(e - p > 4 && word_at(t, p, p + 4, "item") && is_digit(t[p + 4])))
        return 0; /* "Item7." occurs in old filings */
    size_t q = p + 4;
    if (q < e && lower(t[q]) == 's')
        q++;
    q = e8k_item_skip_blanks(t, q, e);
    size_t after = parse_numbers(t, q, e, h);
    if (!after || (after < e && is_digit(t[after])))
        return 0;
    size_t r = e8k_item_skip_blanks(t, after, e);
    while (r < e && (t[r] == '.' || t[r] == ':' || t[r] == '-'))
        r = e8k_item_skip_blanks(t, r + 1, e);
    h->start = p;
    h->line_end = e;
    h->after = after;
    h->rest = r;
    return 1;
}

/* ---- Sentences, titles, contents lines ------------------------------------ */

/* End of the word starting at p: the next blank. */
static size_t word_end(const char *t, size_t p, size_t e)
{
    while (p < e && !e8k_item_blank_len(t, p, e))
        p++;
    return p;
}

/* Whether the word t[s..w) ends a sentence: a period after a word that is
 * not an abbreviation or an initial ("U.S.", "Inc."). */
static int ends_sentence(const char *t, size_t s, size_t w)
{
    if (w - s < 3 || t[w - 1] != '.')
        return 0;
    for (size_t i = s; i + 1 < w; i++)
        if (t[i] == '.')
            return 0;
    return !e8k_item_word_in(t, s, w - 1, ABBREVIATIONS);
}

/* Whether t[s..e) reads as running text rather than a heading: in its
 * first words, before any sentence end or tab, a lowercase word that a
 * title would capitalise, or a year ("On May 1, 2003, the Company ..."). */
static int looks_like_sentence(const char *t, size_t s, size_t e)
{
    size_t p = e8k_item_skip_blanks(t, s, e);
    for (int n = 0; p < e && n < 10; n++) {
        size_t w = word_end(t, p, e);
        size_t a = p;
        while (a < w && (t[a] == '(' || t[a] == '"' || t[a] == '\''))
            a++;
        if (a < w && is_lower(t[a]) && !e8k_item_word_in(t, a, w, SMALL_WORDS))
            return 1;
        size_t d = a;
        while (d < w && is_digit(t[d]))
            d++;
        if (d - a == 4 && (t[a] == '1' || t[a] == '2') &&
            (d == w || !is_alpha(t[d])))
            return 1;
        if (ends_sentence(t, a, w) || (w < e && t[w] == '\t'))
            return 0;
        p = e8k_item_skip_blanks(t, w, e);
    }
    return 0;
}

/* Whether the last word of t[s..e) is a lowercase word a title would
 * capitalise: the line is a wrapped piece of a paragraph. */
static int ends_lowercase(const char *t, size_t s, size_t e)
{
    while (e > s && (is_blank(t[e - 1]) || t[e - 1] == ','))
        e--;
    size_t w = e;
    while (w > s && !is_blank(t[w - 1]))
        w--;
    return w < e && is_lower(t[w]) && !e8k_item_word_in(t, w, e, SMALL_WORDS);
}

/* Title span inside t[s..e): up to a tab, a sentence end or 300 bytes,
 * without trailing blanks and '.', ':' or ';'. */
static void title_span(const char *t, size_t s, size_t e, size_t *ts,
                       size_t *te)
{
    size_t p = e8k_item_skip_blanks(t, s, e), end = p;
    *ts = p;
    while (p < e) {
        size_t w = word_end(t, p, e), n;
        if (w - *ts > 300 && end > *ts)
            break;
        end = w;
        if (ends_sentence(t, p, w))
            break;
        int tab = 0;
        for (p = w; p < e && (n = e8k_item_blank_len(t, p, e)) > 0; p += n)
            tab |= t[p] == '\t';
        if (tab)
            break; /* the next table cell */
    }
    while (end > s && (is_blank(t[end - 1]) || t[end - 1] == '.' ||
                       t[end - 1] == ':' || t[end - 1] == ';'))
        end--;
    *te = end > *ts ? end : *ts;
}

/* Whether a heading line is an entry of a table of contents: dot leaders
 * or a page number ending the line. */
static int contents_line(const char *t, size_t s, size_t e)
{
    int dots = 0;
    for (size_t p = s; p < e; p++) {
        if (t[p] == '.')
            dots++;
        else if (t[p] != ' ')
            dots = 0;
        if (dots >= 4)
            return 1;
    }
    while (e > s && is_blank(t[e - 1]))
        e--;
    size_t d = e;
    while (d > s && is_digit(t[d - 1]))
        d--;
    return d < e && e - d <= 3 && d > s && is_blank(t[d - 1]) &&
           (t[d - 1] == '\t' || (d - 1 > s && is_alpha(t[d - 2])));
}

/* Whether a line holds no words of its own: a page marker, a page number,
 * an underline, a contents entry. Such lines do not count as item text. */
static int filler_line(const char *t, size_t s, size_t e)
{
    if (contents_line(t, s, e))
        return 1;
    size_t letters = 0, page = 0;
    for (size_t p = s; p < e; p++) {
        if (!is_alpha(t[p]))
            continue;
        letters++;
        if (word_at(t, p, e, "page") && (p == s || !is_alpha(t[p - 1])))
            page += 4, p += 3, letters += 3;
    }
    return letters == page;
}

/* ---- The scan ---------------------------------------------------------------- */

typedef struct scan_state {
    e8k_item_mark mark[E8K_MAX_ITEMS];
    int key[E8K_MAX_ITEMS];
    unsigned char empty[E8K_MAX_ITEMS]; /* no text before the next heading */
    size_t n;
    short slot[KEY_SLOTS]; /* 1 + index of the mark holding a key, or 0 */
    int style;             /* numbering of the first mark */
    size_t head_end;       /* end of the last heading (and its title line) */
    int text_seen;         /* text since head_end */
} scan_state;

/* Position after the line that ends at `eol` (LF, CR or CRLF). */
static size_t next_line(const char *t, size_t len, size_t eol)
{
    if (eol < len && t[eol] == '\r' && eol + 1 < len && t[eol + 1] == '\n')
        return eol + 2;
    return eol + 1;
}

static size_t line_end(const char *t, size_t len, size_t p)
{
    while (p < len && t[p] != '\n' && t[p] != '\r')
        p++;
    return p;
}

/* Whether the line starting at p begins with a lowercase letter. */
static int line_starts_lower(const char *t, size_t len, size_t p)
{
    size_t s = e8k_item_skip_blanks(t, p, line_end(t, len, p));
    return s < len && is_lower(t[s]);
}

/* Whether a title span t[ts..te) in sentence case ("Other events", "2025
 * Annual Meeting") is a title rather than the opening of the item's text:
 * a few words, opening with a capital or a year but not with a word that
 * opens sentences, no verb, no comma, not ending on a word that leads
 * into more ("... the sale of"), and not running on into a lowercase
 * line. `eol` is the end of its line. */
static int sentence_case_title(const char *t, size_t len, size_t ts,
                               size_t te, size_t eol)
{
    size_t w = word_end(t, ts, te), d = ts;
    while (d < w && is_digit(t[d]))
        d++;
    if (ts >= te || (!is_upper(t[ts]) && d - ts != 4) ||
        e8k_item_word_in(t, ts, w, OPENERS))
        return 0;
    int words = 0;
    for (size_t p = ts; p < te; p = e8k_item_skip_blanks(t, w, te)) {
        w = word_end(t, p, te);
        if (++words > 8 || t[w - 1] == ',' || e8k_item_word_in(t, p, w, VERBS) ||
            (is_lower(t[p]) && ((w - p >= 4 && t[w - 2] == 'e' &&
                                 t[w - 1] == 'd') ||
                                e8k_item_word_in(t, p, w, VERB_FORMS))))
            return 0; /* "... the Company announced", "Acme sold ..." */
        if (w == te && e8k_item_word_in(t, p, w, SMALL_WORDS))
            return 0;
    }
    return !(e8k_item_skip_blanks(t, te, eol) >= eol && eol < len &&
             line_starts_lower(t, len, next_line(t, len, eol)));
}

/* Whether only blanks and '.', ':' or ';' follow t[p] on its line. */
static int rest_is_punct(const char *t, size_t p, size_t e)
{
    for (p = e8k_item_skip_blanks(t, p, e); p < e; p = e8k_item_skip_blanks(t, p + 1, e))
        if (t[p] != '.' && t[p] != ':' && t[p] != ';')
            return 0;
    return 1;
}

static int has_lower(const char *t, size_t s, size_t e)
{
    while (s < e && !is_lower(t[s]))
        s++;
    return s < e;
}

/* Whether the title line ending at te (the title starts at ts) shows in
 * its form that it is unfinished: it ends on ',', '-', '&' or a word that
 * leads into more ("... or an Obligation under an"), or on ';' between
 * the parts of a long title when the next line, whose title span is
 * s..ne, finishes it in the same case. `q` is the first non-blank after
 * te, `eol` the line's end, `e` the next line's. */
static int title_unfinished(const char *t, size_t ts, size_t te, size_t q,
                            size_t eol, size_t s, size_t ne, size_t e)
{
    size_t w = te;
    while (w > ts && !is_blank(t[w - 1]) && t[w - 1] != '\n' &&
           t[w - 1] != '\r')
        w--;
    char last = t[te - 1];
    if (q == eol && (last == ',' || last == '-' || last == '&' ||
                     (is_alpha(last) && e8k_item_word_in(t, w, te, SMALL_WORDS))))
        return 1;
    if (q == eol || t[q] != ';')
        return 0;
    return is_upper(t[s]) && rest_is_punct(t, ne, e) &&
           !looks_like_sentence(t, s, e) &&
           has_lower(t, ts, te) == has_lower(t, s, ne);
}

/* Whether the title t[ts..te) of heading h, whose last line ends at `eol`,
 * goes on to the next line: the line ends inside the title (no period,
 * colon or tab cut it), the next line follows at once and is no heading,
 * underline or "(d)" sub-item, and either the title so far is the start
 * of the item's official wording and the next line carries it on, or the
 * title is not the official one and its last line is unfinished. A
 * complete official title takes nothing more: the line under it is a
 * subheading ("Proposal 1 - Election of Directors") or text. How wide the
 * line is says nothing: HTML paragraphs come one to a line, at any width. */
static int title_continues(const heading *h, const char *t, size_t len,
                           size_t ts, size_t te, size_t eol)
{
    size_t q = e8k_item_skip_blanks(t, te, eol);
    if (ts >= te || eol >= len || !rest_is_punct(t, te, eol) ||
        (q < eol && t[q] != ';'))
        return 0;
    size_t p = next_line(t, len, eol), e = line_end(t, len, p);
    size_t s = e8k_item_skip_blanks(t, p, e), ns, ne;
    heading other;
    if (s >= e || t[s] == '(' || is_digit(t[s]) || filler_line(t, s, e) ||
        parse_heading(t, s, e, &other))
        return 0;
    title_span(t, s, e, &ns, &ne);
    const char *w = NULL;
    size_t wn = 0;
    switch (e8k_item_official_wording(h->number, h->count, t, ts, te, &w, &wn)) {
    case WORDING_WHOLE:
        return 0;
    case WORDING_PART:
        return rest_is_punct(t, ne, e) &&
               e8k_item_wording_state(t, ts, ne, w, wn) != WORDING_OFF;
    default:
        return title_unfinished(t, ts, te, q, eol, s, ne, e);
    }
}

/* The title span starting at s on a line ending at e, continued over
 * wrapped lines (at most three more); returns the end of its last line. */
static size_t title_lines(const heading *h, const char *t, size_t len,
                          size_t s, size_t e, size_t *ts, size_t *te)
{
    title_span(t, s, e, ts, te);
    for (int more = 0; more < 3 && title_continues(h, t, len, *ts, *te, e);
         more++) {
        size_t ls = next_line(t, len, e), ns, ne;
        e = line_end(t, len, ls);
        title_span(t, ls, e, &ns, &ne);
        *te = ne;
    }
    return e;
}

/* Title of a heading whose line holds nothing after the number: the next
 * non-blank line, past underlines, when it reads as a title. Sets the
 * title span and returns the end of the line the title came from. */
static size_t title_below(const char *t, size_t len, const heading *h,
                          size_t eol, size_t *ts, size_t *te)
{
    size_t p = next_line(t, len, eol);
    while (p < len) {
        size_t e = line_end(t, len, p), s = e8k_item_skip_blanks(t, p, e);
        size_t k = s;
        while (k < e && (t[k] == '-' || t[k] == '=' || t[k] == '_' ||
                         t[k] == '*' || is_blank(t[k])))
            k++;
        if (k < e) {
            heading other;
            if (parse_heading(t, s, e, &other) || is_lower(t[s]))
                break;
            title_span(t, s, e, ts, te);
            if (e8k_item_official_title(h->number[0], t, s, e) ||
                (!looks_like_sentence(t, s, e) && !ends_lowercase(t, s, e)) ||
                sentence_case_title(t, len, *ts, *te, e))
                return title_lines(h, t, len, s, e, ts, te);
            break;
        }
        p = next_line(t, len, e);
    }
    *ts = *te = h->rest;
    return h->line_end;
}

/* Whether the words right after the number continue a sentence citing the
 * item: "Item 2.03 below", "Item 9.01 of this report", "Item 5), ...". */
static int continues_sentence(const char *t, const heading *h)
{
    size_t e = h->line_end, r = e8k_item_skip_blanks(t, h->after, e);
    if (r < e && (t[r] == ',' || t[r] == ';' || t[r] == ')'))
        return 1;
    if (h->rest >= e)
        return 0;
    return is_lower(t[h->rest]) ||
           e8k_item_word_in(t, h->rest, word_end(t, h->rest, e), CONTINUATIONS);
}

/* Whether the line t[s..e) before a candidate stops mid-sentence (a
 * lowercase word, a comma), making the "Item" line the wrapped rest of
 * that sentence. Table rows (tabs) and "Section 2 - Financial
 * Information" lines are not sentences. */
static int wrapped_from(const char *t, size_t s, size_t e)
{
    if (s == e || memchr(t + s, '\t', e - s) || word_at(t, s, e, "section"))
        return 0;
    char c = t[e - 1];
    if (c == ',' || c == '(')
        return 1;
    if (!is_lower(c))
        return 0; /* "... herein.", "Recent Developments:", "Officers;" */
    size_t w = e;
    while (w > s && !is_blank(t[w - 1]))
        w--;
    while (w < e && (t[w] == '(' || t[w] == '"'))
        w++;
    return w < e && is_lower(t[w]);
}

/* Whether the marks from `base` on are a contents list that a repeated
 * number may replace: headings with no text between them. The last entry
 * may have some ("SIGNATURES", "EXHIBIT INDEX" close many lists) unless it
 * is the only one. */
static int droppable(const scan_state *st, size_t base)
{
    if (base + 1 == st->n)
        return !st->text_seen;
    for (size_t j = base; j + 1 < st->n; j++)
        if (!st->empty[j])
            return 0;
    return 1;
}

static void drop_marks(scan_state *st, size_t base)
{
    for (size_t j = base; j < st->n; j++)
        st->slot[st->key[j]] = 0;
    st->n = base;
    st->text_seen = base > 0; /* the dropped lines now belong to mark base-1 */
}

/* Applies the order, numbering and repetition rules; may drop a contents
 * list the candidate repeats. Returns whether the candidate is a heading. */
static int admit(scan_state *st, const heading *h, int official, int cont)
{
    if (cont && !official)
        return 0;
    size_t base = st->n;
    for (int i = 0; i < h->count; i++) {
        short slot = st->slot[h->key[i]];
        if (slot && (size_t)(slot - 1) < base)
            base = (size_t)(slot - 1);
    }
    if (base < st->n && !droppable(st, base))
        return 0; /* a number already seen is not a new heading */
    if (!official && base > 0) {
        if (st->style != h->style || h->key[0] <= st->key[base - 1])
            return 0;
    }
    if (base + (size_t)h->count > E8K_MAX_ITEMS)
        return 0;
    if (base < st->n)
        drop_marks(st, base);
    return 1;
}

static void push_marks(scan_state *st, const heading *h, size_t ts,
                       size_t te, size_t head_end)
{
    if (st->n > 0)
        st->empty[st->n - 1] = (unsigned char)!st->text_seen;
    else
        st->style = h->style;
    for (int i = 0; i < h->count; i++) {
        e8k_item_mark *m = &st->mark[st->n];
        memcpy(m->number, h->number[i], sizeof m->number);
        m->start = h->start;
        m->end = 0;
        m->title_start = ts;
        m->title_end = te;
        st->key[st->n] = h->key[i];
        st->empty[st->n] = 0; /* "Items 1.01 and 5.02" share one body */
        st->slot[h->key[i]] = (short)(st->n + 1);
        st->n++;
    }
    st->head_end = head_end;
    st->text_seen = 0;
}

static int official_any(const heading *h, const char *t, size_t s, size_t e)
{
    for (int i = 0; i < h->count; i++)
        if (e8k_item_official_title(h->number[i], t, s, e))
            return 1;
    return 0;
}

/* Weighs the line t[s..e) (without its trailing blanks; the line ends at
 * `eol`) as a heading; `ps..pe` is the line before it. Returns whether it
 * was taken. What looks past the line must start from `eol`: from e it
 * would find the same line's trailing blanks. */
static int try_heading(scan_state *st, const char *t, size_t len, size_t s,
                       size_t e, size_t eol, size_t ps, size_t pe)
{
    heading h;
    if (!parse_heading(t, s, e, &h) || contents_line(t, h.rest, e))
        return 0;
    if (ps >= st->head_end && wrapped_from(t, ps, pe))
        return 0; /* a heading line before ("...Agreement;") is no sentence */
    size_t ts, te, head_end = e;
    int official;
    if (h.rest < e) {
        official = official_any(&h, t, h.rest, e);
        title_span(t, h.rest, e, &ts, &te);
        if (official || !looks_like_sentence(t, h.rest, e) ||
            sentence_case_title(t, len, ts, te, eol))
            head_end = title_lines(&h, t, len, h.rest, eol, &ts, &te);
        else
            ts = te = h.rest; /* "Item 5. On May 1, ...": no title */
    } else {
        head_end = title_below(t, len, &h, eol, &ts, &te);
        official = ts < te && official_any(&h, t, ts, te);
    }
    if (!admit(st, &h, official, continues_sentence(t, &h)))
        return 0;
    push_marks(st, &h, ts, te, head_end);
    return 1;
}

/* Each item ends where the next heading starts. The last one runs to the
 * end of the text, signature block and exhibit index included: the
 * contract promises "next heading or end of text", and cutting at a
 * "SIGNATURES" line is left to callers, which can see the same text. */
static size_t finish(scan_state *st, size_t len, e8k_item_mark *marks,
                     size_t max)
{
    size_t end = len;
    for (size_t i = st->n; i-- > 0;) {
        st->mark[i].end = end;
        if (i > 0 && st->mark[i - 1].start != st->mark[i].start)
            end = st->mark[i].start;
    }
    size_t n = st->n < max ? st->n : max;
    if (n)
        memcpy(marks, st->mark, n * sizeof *marks);
    return n;
}

size_t e8k_items_scan(const char *text, size_t len, e8k_item_mark *marks,
                      size_t max)
{
    scan_state st;
    memset(&st, 0, sizeof st);
    size_t ps = 0, pe = 0; /* the previous line, without its blanks */
    for (size_t p = 0; p < len;) {
        size_t e = line_end(text, len, p), s = e8k_item_skip_blanks(text, p, e);
        size_t te = e;
        while (te > s && is_blank(text[te - 1]))
            te--;
        if (s < te && p >= st.head_end &&
            !try_heading(&st, text, len, s, te, e, ps, pe) &&
            !filler_line(text, s, te))
            st.text_seen = 1;
        ps = s;
        pe = te;
        p = next_line(text, len, e);
    }
    return finish(&st, len, marks, max);
}
