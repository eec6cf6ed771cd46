/* SPDX-License-Identifier: MIT */
/* values.c: normalizers from matched text to typed values. They keep what
 * the validator needs besides the number: the unit of the last stated digit
 * (so "$42.5 million" is known to be rounded to $0.1M) and the qualifier
 * ("approximately", "up to"), which widen a check's tolerance. */
#include "e8k_values.h"
#include "internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const type_names[] = {
    "text", "money", "price", "shares", "number", "percent",
    "date", "duration", "enum", "name", "multiple"};

int e8k_vtype_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (!strcmp(name, type_names[i]))
            return (int)i;
    return -1;
}

const char *e8k_vtype_name(e8k_vtype type)
{
    if ((size_t)type < sizeof type_names / sizeof type_names[0])
        return type_names[type];
    return "text";
}

/* Qualifiers in priority order: a date "on or about" must not be read as
 * "about"; "up to" is a bound, not an estimate. */
static const struct { const char *word; const char *name; } qualifiers[] = {
    {"on or about", "on_or_about"}, {"up to", "up_to"},
    {"not to exceed", "up_to"},     {"not exceeding", "up_to"},
    {"at least", "at_least"},
    {"approximately", "approximately"}, {"approx.", "approximately"},
    {"about", "approximately"},     {"roughly", "approximately"},
    {"around", "approximately"},
    {"estimated", "expected"},      {"expects", "expected"},
    {"expected", "expected"},       {"anticipated", "expected"},
    {"almost", "almost"},           {"nearly", "nearly"},
};

const char *e8k_qualifier(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof qualifiers / sizeof qualifiers[0]; i++)
        if (e8k_memcasemem(s, n, qualifiers[i].word))
            return qualifiers[i].name;
    return NULL;
}

/* A figure: digits with optional thousands commas and decimals. Returns the
 * index after it, or 0 when s[i] does not start one. */
static size_t scan_figure(const char *s, size_t n, size_t i, double *value,
                          int *decimals)
{
    double v = 0;
    size_t j = i;
    int digits = 0;
    while (j < n) {
        if (isdigit((unsigned char)s[j])) {
            v = v * 10 + (s[j] - '0');
            digits++;
            j++;
        } else if (s[j] == ',' && digits && j + 3 < n &&
                   isdigit((unsigned char)s[j + 1]) &&
                   isdigit((unsigned char)s[j + 2]) &&
                   isdigit((unsigned char)s[j + 3]) &&
                   (j + 4 >= n || !isdigit((unsigned char)s[j + 4]))) {
            j++;
        } else {
            break;
        }
    }
    if (!digits)
        return 0;
    *decimals = 0;
    if (j + 1 < n && s[j] == '.' && isdigit((unsigned char)s[j + 1])) {
        double f = 0.1;
        j++;
        while (j < n && isdigit((unsigned char)s[j])) {
            v += f * (s[j] - '0');
            f /= 10;
            (*decimals)++;
            j++;
        }
    }
    /* a coupon in eighths: "6 3/4%", "7-1/8%" */
    size_t k = j;
    if (!*decimals && k + 3 < n && (s[k] == ' ' || s[k] == '-') &&
        isdigit((unsigned char)s[k + 1])) {
        size_t q = k + 1;
        double num = 0, den = 0;
        while (q < n && isdigit((unsigned char)s[q]) && q - k < 4)
            num = num * 10 + (s[q++] - '0');
        if (q + 1 < n && s[q] == '/' && isdigit((unsigned char)s[q + 1])) {
            q++;
            while (q < n && isdigit((unsigned char)s[q]))
                den = den * 10 + (s[q++] - '0');
            if ((den == 2 || den == 4 || den == 8 || den == 16 || den == 32) &&
                num < den) {
                v += num / den;
                *decimals = den <= 4 ? 2 : den <= 8 ? 3 : 5;
                j = q;
            }
        }
    }
    *value = v;
    return j;
}

/* The first figure in s (a leading "." as in "$.01" counts), preferring
 * one in parentheses after words: "forty million (40,000,000)". */
static int first_figure(const char *s, size_t n, double *value, int *dec,
                        size_t *end)
{
    for (size_t i = 0; i < n; i++) {
        int lead_dot = s[i] == '.' && i + 1 < n &&
                       isdigit((unsigned char)s[i + 1]) &&
                       (i == 0 || !isdigit((unsigned char)s[i - 1]));
        if (!isdigit((unsigned char)s[i]) && !lead_dot)
            continue;
        if (lead_dot) {
            char tmp[64];
            size_t k = 0;
            tmp[k++] = '0';
            for (size_t j = i; j < n && k < sizeof tmp - 1 &&
                               (s[j] == '.' || isdigit((unsigned char)s[j]));
                 j++)
                tmp[k++] = s[j];
            size_t e = scan_figure(tmp, k, 0, value, dec);
            *end = i + e - 1;
            return e ? 0 : -1;
        }
        size_t e = scan_figure(s, n, i, value, dec);
        if (e) {
            *end = e;
            return 0;
        }
    }
    return -1;
}

static const char *const small_words[] = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
    "sixteen", "seventeen", "eighteen", "nineteen"};
static const char *const tens_words[] = {
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
    "eighty", "ninety"};

static int word_value(const char *w, size_t n, double *v)
{
    for (size_t i = 0; i < sizeof small_words / sizeof small_words[0]; i++)
        if (strlen(small_words[i]) == n && !strncasecmp(w, small_words[i], n))
            return *v = (double)i, 1;
    for (size_t i = 2; i < sizeof tens_words / sizeof tens_words[0]; i++)
        if (strlen(tens_words[i]) == n && !strncasecmp(w, tens_words[i], n))
            return *v = (double)(i * 10), 1;
    return 0;
}

static double scale_word(const char *w, size_t n)
{
    if (n == 7 && !strncasecmp(w, "hundred", n)) return 100;
    if (n == 8 && !strncasecmp(w, "thousand", n)) return 1e3;
    if (n == 7 && !strncasecmp(w, "million", n)) return 1e6;
    if (n == 7 && !strncasecmp(w, "billion", n)) return 1e9;
    return 0;
}

static double fraction_word(const char *w, size_t n)
{
    static const struct { const char *word; double value; } fr[] = {
        {"half", 0.5},    {"halves", 0.5},   {"quarter", 0.25},
        {"quarters", 0.25}, {"fourth", 0.25}, {"fourths", 0.25},
        {"third", 1.0 / 3}, {"thirds", 1.0 / 3}, {"fifth", 0.2},
        {"fifths", 0.2},  {"tenth", 0.1},    {"tenths", 0.1}};
    for (size_t i = 0; i < sizeof fr / sizeof fr[0]; i++)
        if (strlen(fr[i].word) == n && !strncasecmp(w, fr[i].word, n))
            return fr[i].value;
    return -1;
}

typedef struct words_state {
    double total, current, frac;
    int any;
    double numerator; /* the number word just before: "two" of "two-tenths" */
} words_state;

static int words_token(words_state *st, const char *w, size_t n)
{
    double v, sc = scale_word(w, n), fr = fraction_word(w, n);
    double numerator = st->numerator;
    st->numerator = 0;
    if (fr >= 0) {
        /* "one-half", "two-tenths": the number before is the numerator */
        double k = numerator > 0 && numerator < 20 ? numerator : 1;
        if (numerator > 0 && numerator < 20)
            st->current -= numerator;
        st->frac += k * fr;
        st->any = 1;
    } else if (sc > 0) {
        if (sc == 100)
            st->current = (st->current != 0 ? st->current : 1) * 100;
        else {
            st->total += (st->current != 0 ? st->current : 1) * sc;
            st->current = 0;
        }
        st->any = 1;
    } else if (word_value(w, n, &v)) {
        st->current += v;
        st->any = 1;
        st->numerator = v;
    } else if (!(n == 3 && !strncasecmp(w, "and", 3)) &&
               !(n == 1 && !strncasecmp(w, "a", 1))) {
        return st->any ? 1 : 0; /* a word that ends the number */
    }
    return 0;
}

int e8k_words_number(const char *s, size_t n, double *out)
{
    words_state st = {0, 0, 0, 0, 0};
    size_t i = 0;
    while (i < n) {
        while (i < n && !isalpha((unsigned char)s[i]))
            i++;
        size_t b = i;
        while (i < n && isalpha((unsigned char)s[i]))
            i++;
        if (i > b && words_token(&st, s + b, i - b))
            break;
    }
    if (!st.any)
        return -1;
    *out = st.total + st.current + st.frac;
    return 0;
}

static double pow10i(int d)
{
    return pow(10.0, (double)d);
}

/* A number from figures, else from words. */
static int parse_amount(const char *s, size_t n, double *v, double *prec,
                        size_t *end)
{
    int dec = 0;
    if (first_figure(s, n, v, &dec, end) == 0) {
        *prec = 1.0 / pow10i(dec);
        return 0;
    }
    if (e8k_words_number(s, n, v) == 0) {
        *prec = 1;
        *end = n;
        return 0;
    }
    return -1;
}

static double scale_after(const char *s, size_t n, size_t end)
{
    size_t i = end;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    size_t b = i;
    while (i < n && isalpha((unsigned char)s[i]))
        i++;
    double sc = scale_word(s + b, i - b);
    if (sc > 0)
        return sc;
    if (i - b == 2 && !strncasecmp(s + b, "mm", 2))
        return 1e6;
    return 1;
}

static int norm_money(const char *s, size_t n, double scale, e8k_norm *o)
{
    /* Start at the currency sign when there is one, so that a count
     * before it ("1,000 shares for $5.00") is not read as the amount. */
    const char *d = memchr(s, '$', n);
    size_t off = d ? (size_t)(d - s) : 0;
    double v, prec;
    size_t end;
    if (parse_amount(s + off, n - off, &v, &prec, &end) != 0)
        return -1;
    double sc = scale_after(s + off, n - off, end);
    if (sc == 1)
        sc = scale > 0 ? scale : 1;
    o->has_number = 1;
    o->number = v * sc;
    o->precision = prec * sc;
    o->unit = "USD";
    return 0;
}

static int norm_percent(const char *s, size_t n, e8k_norm *o)
{
    double v, prec;
    size_t end;
    if (parse_amount(s, n, &v, &prec, &end) != 0)
        return -1;
    /* "one-tenth of a warrant" per share: a fraction, not a percent */
    if (!memchr(s, '%', n) && !e8k_memcasemem(s, n, "percent") &&
        !e8k_memcasemem(s, n, "basis point") && !memchr(s, '.', n) &&
        v < 1) {
        v *= 100;
        prec *= 100;
    }
    if (e8k_memcasemem(s, n, "basis point")) {
        v /= 100;
        prec /= 100;
    }
    o->has_number = 1;
    o->number = v;
    o->precision = prec;
    o->unit = "percent";
    return 0;
}

static const char *const months[] = {
    "jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec"};

static int month_at(const char *s, size_t n, size_t i)
{
    if (i + 3 > n || (i > 0 && isalpha((unsigned char)s[i - 1])))
        return 0;
    for (int m = 0; m < 12; m++)
        if (!strncasecmp(s + i, months[m], 3))
            return m + 1;
    return 0;
}

/* "January 23, 2012", "Jan. 19, 2007", "January 18,2007", "1/23/2012". */
static int norm_date(const char *s, size_t n, e8k_norm *o)
{
    for (size_t i = 0; i < n; i++) {
        int m = month_at(s, n, i);
        if (!m)
            continue;
        size_t j = i;
        while (j < n && (isalpha((unsigned char)s[j]) || s[j] == '.'))
            j++;
        while (j < n && isspace((unsigned char)s[j]))
            j++;
        int day = 0, year = 0;
        while (j < n && isdigit((unsigned char)s[j]) && day < 100)
            day = day * 10 + (s[j++] - '0');
        while (j < n && (s[j] == ',' || isspace((unsigned char)s[j])))
            j++;
        int yd = 0;
        while (j < n && isdigit((unsigned char)s[j]) && yd < 4) {
            year = year * 10 + (s[j++] - '0');
            yd++;
        }
        if (day >= 1 && day <= 31 && yd == 4) {
            snprintf(o->string, sizeof o->string, "%04d-%02d-%02d", year, m,
                     day);
            o->unit = "date";
            o->precision = 0;
            return 0;
        }
    }
    int mo, dd, yy;
    char tail;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]) ||
            (i && isdigit((unsigned char)s[i - 1])))
            continue;
        char tmp[16];
        size_t k = n - i < sizeof tmp - 1 ? n - i : sizeof tmp - 1;
        memcpy(tmp, s + i, k);
        tmp[k] = '\0';
        if (sscanf(tmp, "%d/%d/%d%c", &mo, &dd, &yy, &tail) >= 3 &&
            mo >= 1 && mo <= 12 && dd >= 1 && dd <= 31 && yy > 1900) {
            snprintf(o->string, sizeof o->string, "%04d-%02d-%02d", yy, mo,
                     dd);
            o->unit = "date";
            return 0;
        }
    }
    return -1;
}

/* "the fifth anniversary of the issuance date": the ordinal counts years.
 * Returns 1 with *v set when s opens with an ordinal of one to ten and
 * names an anniversary; 0 otherwise ("fifth" alone is a fraction). */
static int anniversary_years(const char *s, size_t n, double *v)
{
    static const char *const ordinal[] = {"first",   "second", "third",
                                          "fourth",  "fifth",  "sixth",
                                          "seventh", "eighth", "ninth",
                                          "tenth"};
    if (!e8k_memcasemem(s, n, "anniversary"))
        return 0;
    for (size_t i = 0; i < sizeof ordinal / sizeof ordinal[0]; i++) {
        size_t l = strlen(ordinal[i]);
        if (n > l && !strncasecmp(s, ordinal[i], l) &&
            !isalpha((unsigned char)s[l])) {
            *v = (double)(i + 1);
            return 1;
        }
    }
    return 0;
}

static int norm_duration(const char *s, size_t n, e8k_norm *o)
{
    double v, prec;
    size_t end;
    if (anniversary_years(s, n, &v)) {
        o->has_number = 1;
        o->number = v;
        o->precision = 1;
        o->unit = "years";
        return 0;
    }
    if (parse_amount(s, n, &v, &prec, &end) != 0)
        return -1;
    double factor = 1;
    const char *y = e8k_memcasemem(s, n, "year");
    const char *m = e8k_memcasemem(s, n, "month");
    if (y && m && m > y) { /* "five year and six month anniversary" */
        double mo, mp;
        size_t me, off = (size_t)(y - s) + 4;
        if (parse_amount(s + off, n - off, &mo, &mp, &me) == 0) {
            v += mo / 12;
            prec = mp / 12;
        }
    } else if (m)
        factor = 1.0 / 12;
    else if (e8k_memcasemem(s, n, "day"))
        factor = 1.0 / 365;
    else if (!e8k_memcasemem(s, n, "year"))
        return -1;
    o->has_number = 1;
    /* Rounded to 1/1000 of a year so that 18 months is exactly 1.5. */
    o->number = round(v * factor * 1000) / 1000;
    o->precision = prec * factor;
    o->unit = "years";
    return 0;
}

/* Copies s trimmed of white space and of trailing separators, with runs
 * of white space folded to one space. */
static void copy_trimmed(const char *s, size_t n, char *out, size_t cap,
                         int strip_trailing)
{
    while (n && (isspace((unsigned char)*s) || *s == '"' || *s == '\'')) {
        s++;
        n--;
    }
    while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == '"' ||
                 (strip_trailing && strchr(",;:(", s[n - 1]))))
        n--;
    size_t k = 0;
    int space = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        if (isspace((unsigned char)s[i])) {
            space = 1;
            continue;
        }
        if (space && k + 2 < cap)
            out[k++] = ' ';
        space = 0;
        out[k++] = s[i];
    }
    out[k] = '\0';
}

/* The words that mark a firm's name, for every rule that trims a name or
 * splits a list of firms. Legal forms end a name ("Example LLP, New York"
 * is the firm and its city); the other words only say that a piece of a
 * list names a firm ("North Bank Securities"). */
static const struct {
    const char *word; /* without a final period */
    unsigned flags;
} firm_words[] = {
    {"Inc", E8K_FIRM_FORM | E8K_FIRM_DOT},  {"Incorporated", E8K_FIRM_FORM},
    {"Corp", E8K_FIRM_FORM | E8K_FIRM_DOT}, {"Corporation", E8K_FIRM_FORM},
    {"Co", E8K_FIRM_FORM | E8K_FIRM_DOT},   {"Ltd", E8K_FIRM_FORM | E8K_FIRM_DOT},
    {"Limited", E8K_FIRM_FORM},             {"LLC", E8K_FIRM_FORM},
    {"L.L.C", E8K_FIRM_FORM | E8K_FIRM_DOT}, {"LLP", E8K_FIRM_FORM},
    {"LP", E8K_FIRM_FORM},                  {"L.P", E8K_FIRM_FORM | E8K_FIRM_DOT},
    {"PC", E8K_FIRM_FORM},                  {"P.C", E8K_FIRM_FORM | E8K_FIRM_DOT},
    {"plc", E8K_FIRM_FORM},                 {"PLC", E8K_FIRM_FORM},
    {"N.A", E8K_FIRM_FORM | E8K_FIRM_DOT},  {"AG", E8K_FIRM_FORM},
    {"L.L.P", E8K_FIRM_FORM | E8K_FIRM_DOT}, {"PLLC", E8K_FIRM_FORM},
    {"P.A", E8K_FIRM_FORM | E8K_FIRM_DOT},  {"GmbH", E8K_FIRM_FORM},
    /* a lawyer's name ends there as a firm's does at its form: "Jane
     * Roe, Esq., General Counsel of the Company" names Jane Roe */
    {"Esq", E8K_FIRM_FORM | E8K_FIRM_DOT},
    {"S.A", E8K_FIRM_FORM | E8K_FIRM_DOT},  {"N.V", E8K_FIRM_FORM | E8K_FIRM_DOT},
    {"Company", E8K_FIRM_NAME},             {"Securities", E8K_FIRM_NAME},
    {"Capital", E8K_FIRM_NAME},             {"Partners", E8K_FIRM_NAME},
    {"Bank", E8K_FIRM_NAME},                {"Markets", E8K_FIRM_NAME},
    {"Group", E8K_FIRM_NAME},               {"International", E8K_FIRM_NAME},
};

unsigned e8k_firm_word(const char *s, size_t n)
{
    if (n && s[n - 1] == '.')
        n--; /* "Inc." and "Inc", "Securities." ending a sentence */
    /* caseless: headings and legends spell names in capitals ("SMITH &
     * JONES, INC.") */
    for (size_t i = 0; i < sizeof firm_words / sizeof firm_words[0]; i++) {
        const char *w = firm_words[i].word;
        if (strlen(w) == n && !strncasecmp(s, w, n))
            return firm_words[i].flags | E8K_FIRM_NAME;
    }
    return 0;
}

/* Whether the word s[0..n), which ends in a period, is an abbreviation
 * whose period does not end a sentence: an initial ("R."), letters with
 * periods between them ("J.P.", "U.S."), a title or a short form that
 * firm and street names use. */
static int abbreviation(const char *s, size_t n)
{
    static const char *const abbr[] = {"Jr", "Sr", "St", "Mr", "Mrs", "Ms",
                                       "Dr", "Bros", "Assoc", "Intl", "Mfg",
                                       "Natl", "No", "Mt", "Ft", "Ave"};
    if (n < 2 || s[n - 1] != '.')
        return 0;
    n--;
    if (n == 1 || memchr(s, '.', n))
        return 1;
    for (size_t i = 0; i < sizeof abbr / sizeof abbr[0]; i++)
        if (strlen(abbr[i]) == n && !strncasecmp(s, abbr[i], n))
            return 1;
    return (e8k_firm_word(s, n) & E8K_FIRM_DOT) != 0;
}

/* Length of the word at s: up to white space, a comma, a semicolon, a
 * parenthesis or the end (a period stays: it may be the suffix's). */
static size_t word_len(const char *s)
{
    size_t n = 0;
    while (s[n] && s[n] != ' ' && s[n] != ',' && s[n] != ';' && s[n] != '(' &&
           s[n] != ')')
        n++;
    return n;
}

unsigned e8k_firm_words_in(const char *s, size_t n)
{
    unsigned flags = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && s[i - 1] != ' ')
            continue;
        size_t w = word_len(s + i);
        flags |= e8k_firm_word(s + i, w < n - i ? w : n - i);
    }
    return flags;
}

/* Whether the word s[0..n) starts a sentence rather than going on with
 * a name: the articles, pronouns and prepositions that open the sentence
 * after a firm's name in a filing ("... Company. Its offices", "... LLC.
 * On March 1"). */
static int sentence_opener(const char *s, size_t n)
{
    static const char *const open[] = {
        "The", "This", "These", "That", "Those", "Its", "It", "Their",
        "They", "We", "Our", "On", "In", "As", "At", "By", "For", "If",
        "Such", "Each", "Under", "Pursuant", "Upon", "After", "Following",
        "Any", "All", "An"};
    for (size_t i = 0; i < sizeof open / sizeof open[0]; i++)
        if (strlen(open[i]) == n && !strncasecmp(s, open[i], n))
            return 1;
    return 0;
}

/* Whether the word s[0..n), without its period, names a role rather than
 * a firm ("Opinion of Financial Advisor. Example, Read & Co."): a full
 * word, so its period is a sentence's or a heading's. */
static int role_word(const char *s, size_t n)
{
    static const char *const roles[] = {
        "Advisor", "Adviser", "Advisors", "Advisers", "Counsel", "Agent",
        "Agents", "Trustee", "Registrar", "Underwriter", "Underwriters",
        "Representative", "Representatives"};
    if (n && s[n - 1] == '.')
        n--;
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (strlen(roles[i]) == n && !strncasecmp(s, roles[i], n))
            return 1;
    return 0;
}

/* Whether the period ending word p[0..w) ends a sentence before the
 * capitalised word after it. A period after a firm word or a role does
 * ("Example Trust Company. Its", "Example LLC. They") unless another
 * firm word follows ("Example & Co. LLC"); any other period only before
 * a word that opens sentences, since unlisted short forms abound in
 * names ("Geo. K. Baum & Company", "Cia. Minera Example S.A."). */
static int period_ends_sentence(const char *p, size_t w, int keep_dot)
{
    if (p[w] != ' ' || p[w + 1] < 'A' || p[w + 1] > 'Z')
        return 0;
    unsigned f = e8k_firm_word(p, w);
    const char *next = p + w + 1;
    size_t nw = word_len(next);
    /* after an abbreviation that is no legal form ("J.P. Morgan", "R.
     * Smith") a capital goes on with the name */
    if (e8k_firm_word(next, nw) || (keep_dot && !(f & E8K_FIRM_FORM)))
        return 0;
    return f != 0 || role_word(p, w) || sentence_opener(next, nw);
}

/* Cuts the name where a sentence ended: at a period that ends one before
 * the next word, or at the end of the match ("Example LLP."). Returns 1
 * when cut. */
static int cut_at_sentence(char *s)
{
    for (char *p = s; *p; p++) {
        if (p != s && p[-1] != ' ')
            continue;
        size_t w = word_len(p);
        if (w < 2 || p[w - 1] != '.')
            continue;
        int keep_dot = abbreviation(p, w);
        if (p[w] == '\0' ? keep_dot : !period_ends_sentence(p, w, keep_dot))
            continue;
        p[keep_dot ? w : w - 1] = '\0'; /* "Inc." keeps its period */
        return 1;
    }
    return 0;
}

/* A table of contents joins a heading to its page number with leader dots
 * or dashes ("Opinion of Financial Advisor..........22"); no name has two
 * in a row, so the name ends before them. */
static void cut_at_leaders(char *s)
{
    for (char *p = s; *p; p++)
        if ((p[0] == '.' || p[0] == '-' || p[0] == '_') && p[1] == p[0]) {
            while (p > s && p[-1] == ' ')
                p--;
            *p = '\0';
            return;
        }
}

/* Whether the word s[0..n) is spelled as the table spells firm word w,
 * or, for a legal form, in capitals ("INC."): a firm named after the
 * comma. Lower case words there describe the firm before it ("Example
 * LLC, a Delaware limited liability company"), and a capitalised
 * "Capital" or "Group" in a heading in capitals says nothing. */
static unsigned firm_word_cased(const char *s, size_t n)
{
    if (n && s[n - 1] == '.')
        n--;
    for (size_t i = 0; i < sizeof firm_words / sizeof firm_words[0]; i++) {
        const char *w = firm_words[i].word;
        if (strlen(w) != n || strncasecmp(s, w, n))
            continue;
        if (!strncmp(s, w, n))
            return firm_words[i].flags | E8K_FIRM_NAME;
        int caps = 1;
        for (size_t k = 0; k < n; k++)
            caps &= !islower((unsigned char)s[k]);
        if (caps && (firm_words[i].flags & E8K_FIRM_FORM))
            return firm_words[i].flags;
    }
    return 0;
}

/* Whether the text after a legal form and its comma goes on with the
 * firm's name or names another firm: a firm word spelled as such, a
 * list's " and ", or a branch ("Example Bank AG, London Branch"), the
 * word whole ("Branchburg, New Jersey" is a place). */
static int name_goes_on(const char *rest)
{
    if (strstr(rest, " and "))
        return 1;
    for (const char *p = rest; *p; p++) {
        if (p != rest && p[-1] != ' ')
            continue;
        size_t w = word_len(p);
        size_t bare = w && p[w - 1] == '.' ? w - 1 : w;
        if (firm_word_cased(p, w) || (bare == 6 && !strncasecmp(p, "branch", 6)))
            return 1;
    }
    return 0;
}

/* A firm name ends at its legal form: in "Example LLP, New York" the city
 * is not part of the name; in "A LLC, B Inc." both are firms; in "Example
 * LLC. They" a sentence ended; ", P.O. Box" starts an address; in "Example
 * Bank AG, London Branch" the branch is part of the name. */
static void cut_after_suffix(char *s)
{
    char *box = strstr(s, ", P.O. Box");
    if (!box)
        box = strstr(s, ", P. O. Box");
    if (box)
        *box = '\0';
    cut_at_leaders(s);
    cut_at_sentence(s); /* "Example LLP, New York." ends at both */
    for (char *p = s; *p; p++) {
        if (p != s && p[-1] != ' ')
            continue;
        size_t w = word_len(p);
        if (!(e8k_firm_word(p, w) & E8K_FIRM_FORM) || p[w] != ',' ||
            p[w + 1] != ' ')
            continue;
        if (!name_goes_on(p + w + 2)) {
            p[w] = '\0';
            return;
        }
    }
}

/* Removes the short names a filing defines after a firm ("Example
 * Securities, Inc. ("Example")") so that a list names the firms only. */
static void drop_nicknames(char *s)
{
    char *w = s;
    for (char *p = s; *p;) {
        if (p[0] == '(' && p[1] == '"') {
            char *close = strchr(p, ')');
            if (close) {
                p = close + 1;
                while (w > s && w[-1] == ' ' && (*p == ' ' || *p == ',' || !*p))
                    w--;
                continue;
            }
        }
        *w++ = *p++;
    }
    *w = '\0';
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == ','))
        s[--n] = '\0';
}

/* A name matched across lines may have picked up the headings above it
 * ("S-20 / Table of Contents / UNDERWRITING / Barclays Capital Inc."): the
 * leading lines without a lowercase letter, and a running "Table of
 * Contents", are no part of it. */
static void skip_heading_lines(const char **s, size_t *n)
{
    const char *nl;
    while ((nl = memchr(*s, '\n', *n)) != NULL) {
        size_t len = (size_t)(nl - *s);
        int lower = 0;
        for (size_t i = 0; i < len && !lower; i++)
            lower = islower((unsigned char)(*s)[i]);
        if (lower && !(len >= 17 && e8k_memcasemem(*s, len, "table of contents")))
            return;
        *n -= len + 1;
        *s = nl + 1;
    }
}

/* A stated multiple: "double", "triple", "quadruple", "N times". */
static int norm_multiple(const char *s, size_t n, e8k_norm *o)
{
    static const struct { const char *w; double m; } words[] = {
        {"double", 2}, {"triple", 3}, {"quadruple", 4}};
    double m = 0, prec;
    size_t end;
    for (size_t i = 0; i < sizeof words / sizeof words[0] && m == 0; i++)
        if (e8k_memcasemem(s, n, words[i].w))
            m = words[i].m;
    if (m == 0 && (!e8k_memcasemem(s, n, "times") ||
                   parse_amount(s, n, &m, &prec, &end) != 0))
        return -1;
    o->has_number = 1;
    o->number = m;
    o->precision = 0;
    o->unit = "multiple";
    if (e8k_memcasemem(s, n, "more than"))
        o->qualifier = "more_than";
    return 0;
}

int e8k_normalize(e8k_vtype type, const char *s, size_t n, double scale,
                  e8k_norm *o)
{
    memset(o, 0, sizeof *o);
    o->qualifier = e8k_qualifier(s, n);
    switch (type) {
    case E8K_V_MONEY:
        return norm_money(s, n, scale, o);
    case E8K_V_PRICE:
        if (norm_money(s, n, 1, o) != 0)
            return -1;
        o->unit = "USD/share";
        return 0;
    case E8K_V_SHARES:
    case E8K_V_NUMBER: {
        size_t end;
        if (parse_amount(s, n, &o->number, &o->precision, &end) != 0)
            return -1;
        double sc = type == E8K_V_SHARES ? scale_after(s, n, end) : 1;
        o->number *= sc;
        o->precision *= sc;
        o->has_number = 1;
        o->unit = type == E8K_V_SHARES ? "shares" : NULL;
        return 0;
    }
    case E8K_V_PERCENT:
        return norm_percent(s, n, o);
    case E8K_V_DATE:
        return norm_date(s, n, o);
    case E8K_V_DURATION:
        return norm_duration(s, n, o);
    case E8K_V_NAME:
        skip_heading_lines(&s, &n);
        copy_trimmed(s, n, o->string, sizeof o->string, 1);
        drop_nicknames(o->string);
        cut_after_suffix(o->string);
        return o->string[0] ? 0 : -1;
    case E8K_V_MULTIPLE:
        return norm_multiple(s, n, o);
    case E8K_V_ENUM:
    case E8K_V_TEXT:
        copy_trimmed(s, n, o->string, sizeof o->string, 0);
        return 0;
    }
    return -1;
}
