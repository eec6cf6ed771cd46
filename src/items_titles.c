/* SPDX-License-Identifier: MIT */
/* items_titles.c: the official titles of the 8-K items, both numberings
 * (2004+ "2.02" and the earlier "5"), with the variants filers write, and
 * the tests the item scanner (items.c) weighs a candidate heading by: does
 * its title open with the item's title, and how do its words compare with
 * the SEC's full wordings; and the number of the item a header's ITEM
 * INFORMATION line names by its title (for `fetch --items`). */
#include "items_int.h"

#include <string.h>

/* Each item's titles, lowercase, '|' between forms. `openings`: what a
 * heading may open with to count as "the official title", the official
 * wording first, then variants seen in filings. `wordings`: the full
 * official wordings the SEC gave the item over time; only their words
 * count (see wording_state), so case, punctuation and articles may differ
 * in a filing. */
typedef struct item_title {
    const char *number;
    const char *openings;
    const char *wordings;
} item_title;

static const item_title TITLES[] = {
    {"1.01", "entry into|entry in|material definitive|amendment",
     "entry into a material definitive agreement"},
    {"1.02", "termination of",
     "termination of a material definitive agreement"},
    {"1.03", "bankruptcy",
     "bankruptcy or receivership"},
    {"1.04", "mine safety",
     "mine safety reporting of shutdowns and patterns of "
     "violations"},
    {"1.05", "material cybersecurity|cybersecurity",
     "material cybersecurity incidents"},
    {"2.01", "completion of|acquisition|disposition",
     "completion of acquisition or disposition of assets"},
    {"2.02", "results of operation",
     "results of operations and financial condition"},
    {"2.03", "creation of",
     "creation of a direct financial obligation or an obligation "
     "under an off-balance sheet arrangement of a registrant"},
    {"2.04", "triggering event",
     "triggering events that accelerate or increase a direct "
     "financial obligation or an obligation under an off-balance "
     "sheet arrangement"},
    {"2.05", "costs associated|cost associated",
     "costs associated with exit or disposal activities"},
    {"2.06", "material impairment",
     "material impairments"},
    {"3.01", "notice of delisting",
     "notice of delisting or failure to satisfy a continued listing "
     "rule or standard; transfer of listing"},
    {"3.02", "unregistered sale",
     "unregistered sales of equity securities"},
    {"3.03", "material modification",
     "material modification to rights of security holders"},
    {"4.01", "change in|changes in|change of|changes of",
     "changes in registrant's certifying accountant"},
    {"4.02", "non-reliance|non reliance|nonreliance",
     "non-reliance on previously issued financial statements or a "
     "related audit report or completed interim review"},
    {"5.01", "change in control|changes in control",
     "changes in control of registrant"},
    {"5.02", "departure of|election of|appointment of|compensatory",
     "departure of directors or certain officers; election of "
     "directors; appointment of certain officers; compensatory "
     "arrangements of certain officers|departure of directors or "
     "principal officers; election of directors; appointment of "
     "principal officers"},
    {"5.03", "amendment",
     "amendments to articles of incorporation or bylaws; change in "
     "fiscal year"},
    {"5.04", "temporary suspension",
     "temporary suspension of trading under registrant's employee "
     "benefit plans"},
    {"5.05", "amendment|waiver",
     "amendments to the registrant's code of ethics, or waiver of a "
     "provision of the code of ethics"},
    {"5.06", "change in shell",
     "change in shell company status"},
    {"5.07", "submission of matters",
     "submission of matters to a vote of security holders"},
    {"5.08", "shareholder director|shareholder nomination|" "security holder nomination|stockholder nomination",
     "shareholder director nominations"},
    {"6.01", "abs informational",
     "abs informational and computational material"},
    {"6.02", "change of servicer",
     "change of servicer or trustee"},
    {"6.03", "change in credit",
     "change in credit enhancement or other external support"},
    {"6.04", "failure to make",
     "failure to make a required distribution"},
    {"6.05", "securities act updating",
     "securities act updating disclosure"},
    {"6.06", "static pool",
     "static pool"},
    {"6.10", "alternative filing",
     "alternative filings of asset-backed issuers"},
    {"7.01", "regulation fd",
     "regulation fd disclosure"},
    {"8.01", "other event",
     "other events"},
    {"9.01", "financial|exhibit",
     "financial statements and exhibits"},
    {"1", "change in control|changes in control",
     "changes in control of registrant"},
    {"2", "acquisition|disposition",
     "acquisition or disposition of assets"},
    {"3", "bankruptcy",
     "bankruptcy or receivership"},
    {"4", "change in|changes in|change of|changes of",
     "changes in registrant's certifying accountant"},
    {"5", "other event",
     "other events|other events and regulation fd disclosure"},
    {"6", "resignation",
     "resignations of registrant's directors"},
    {"7", "financial|exhibit|pro forma",
     "financial statements, pro forma financial information and "
     "exhibits|financial statements and exhibits"},
    {"8", "change in fiscal",
     "change in fiscal year"},
    {"9", "regulation fd|sales of equity",
     "regulation fd disclosure|sales of equity securities pursuant to "
     "regulation s"},
    {"10", "amendment|waiver",
     "amendments to the registrant's code of ethics, or waiver of a "
     "provision of the code of ethics"},
    {"11", "temporary suspension",
     "temporary suspension of trading under registrant's employee "
     "benefit plans"},
    {"12", "results of operation|disclosure of results",
     "results of operations and financial condition"},
};

/* Whether t[s..e) opens with `w` (lowercase; a space in `w` matches any
 * run of blanks). */
static int opens_with(const char *t, size_t s, size_t e, const char *w,
                      size_t n)
{
    size_t p = s;
    for (size_t i = 0; i < n; i++) {
        if (w[i] == ' ') {
            if (p >= e || !e8k_item_blank_len(t, p, e))
                return 0;
            p = e8k_item_skip_blanks(t, p, e);
        } else if (p >= e || lower(t[p++]) != w[i]) {
            return 0;
        }
    }
    return 1;
}

/* Whether the title text t[s..e) opens with the official title of item
 * `number`, after an optional "(d)" or quote. */
int e8k_item_official_title(const char *number, const char *t, size_t s,
                            size_t e)
{
    if (s < e && t[s] == '(') {
        size_t p = s + 1;
        while (p < e && p - s < 5 && t[p] != ')')
            p++;
        if (p < e && t[p] == ')')
            s = e8k_item_skip_blanks(t, p + 1, e);
    }
    if (s < e && t[s] == '"')
        s++;
    for (size_t i = 0; i < sizeof TITLES / sizeof TITLES[0]; i++) {
        if (strcmp(TITLES[i].number, number) != 0)
            continue;
        for (const char *w = TITLES[i].openings; *w;) {
            size_t n = strcspn(w, "|");
            if (opens_with(t, s, e, w, n))
                return 1;
            w += n + (w[n] == '|');
        }
    }
    return 0;
}


static int is_alnum(char c) { return is_alpha(c) || is_digit(c); }

/* The next word of t[*p..e) that a wording comparison weighs: a run of
 * letters and digits, past separators and the articles, which filers add
 * and drop ("of the Registrant"). Sets *p past it; its length without a
 * plural 's' ("Amendment"/"Amendments"), or 0 at the end. */
static size_t next_word(const char *t, size_t *p, size_t e, size_t *at)
{
    for (;;) {
        size_t s = *p;
        while (s < e && !is_alnum(t[s]))
            s++;
        size_t w = s;
        while (w < e && is_alnum(t[w]))
            w++;
        *p = w;
        *at = s;
        if (s == w)
            return 0;
        if (e8k_item_word_in(t, s, w, "a|an|the"))
            continue;
        return w - s > 3 && lower(t[w - 1]) == 's' ? w - s - 1 : w - s;
    }
}

/* How the title t[s..e) compares with the wording w[0..n): WORDING_WHOLE
 * when their words are the same, WORDING_PART when the title's are the
 * wording's first ones, else WORDING_OFF. */
int e8k_item_wording_state(const char *t, size_t s, size_t e, const char *w,
                           size_t n)
{
    size_t tp = s, wp = 0, ta, wa;
    for (;;) {
        size_t tn = next_word(t, &tp, e, &ta);
        size_t wn = next_word(w, &wp, n, &wa);
        if (!tn)
            return wn ? WORDING_PART : WORDING_WHOLE;
        if (tn != wn)
            return WORDING_OFF;
        for (size_t i = 0; i < tn; i++)
            if (lower(t[ta + i]) != w[wa + i])
                return WORDING_OFF;
    }
}

/* The best state of t[s..e) against the wordings of the heading's items
 * (WORDING_WHOLE over WORDING_PART); *which is the wording a part begins. */
int e8k_item_official_wording(const char numbers[][8], int count,
                              const char *t, size_t s, size_t e,
                            const char **which, size_t *wlen)
{
    int best = WORDING_OFF;
    for (size_t i = 0; i < sizeof TITLES / sizeof TITLES[0]; i++) {
        int k = 0;
        while (k < count && strcmp(TITLES[i].number, numbers[k]) != 0)
            k++;
        if (k == count)
            continue;
        for (const char *w = TITLES[i].wordings; *w;) {
            size_t n = strcspn(w, "|");
            int st = e8k_item_wording_state(t, s, e, w, n);
            if (st > best) {
                best = st;
                *which = w;
                *wlen = n;
            }
            w += n + (w[n] == '|');
        }
    }
    return best;
}


const char *e8k_item_number_of_title(const char *t, size_t n)
{
    for (size_t i = 0; i < sizeof TITLES / sizeof TITLES[0]; i++) {
        if (!strchr(TITLES[i].number, '.'))
            continue; /* headers state items only since August 2004 */
        for (const char *w = TITLES[i].wordings; *w;) {
            size_t k = strcspn(w, "|");
            if (e8k_item_wording_state(t, 0, n, w, k) == WORDING_WHOLE)
                return TITLES[i].number;
            w += k + (w[k] == '|');
        }
    }
    return NULL;
}
