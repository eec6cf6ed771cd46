/* SPDX-License-Identifier: MIT */
/* items_int.h: what the item scanner (items.c) and the table of official
 * item titles (items_titles.c) share: the character classes of headings,
 * the blanks filers put in them, and the title tests. */
#ifndef E8K_ITEMS_INT_H
#define E8K_ITEMS_INT_H

#include "internal.h"

static inline int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static inline int is_digit(char c) { return c >= '0' && c <= '9'; }
static inline int is_lower(char c) { return c >= 'a' && c <= 'z'; }
static inline int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static inline int is_alpha(char c) { return is_lower(c) || is_upper(c); }

static inline char lower(char c)
{
    return is_upper(c) ? (char)(c - 'A' + 'a') : c;
}

/* Bytes of the blank at t[p] (ASCII, or a UTF-8 no-break or typographic
 * space), or 0. */
size_t e8k_item_blank_len(const char *t, size_t p, size_t e);
size_t e8k_item_skip_blanks(const char *t, size_t p, size_t e);
/* Whether the word t[s..e) (lowercased, no trailing punctuation) is one of
 * the '|'-separated words of `list`. */
int e8k_item_word_in(const char *t, size_t s, size_t e, const char *list);

/* ---- items_titles.c -------------------------------------------------------- */

enum { WORDING_OFF = 0, WORDING_PART, WORDING_WHOLE };

/* Whether the title text t[s..e) opens with the official title of item
 * `number` (or a variant seen in filings), after an optional "(d)" or
 * quote. */
int e8k_item_official_title(const char *number, const char *t, size_t s,
                            size_t e);
/* How the title t[s..e) compares with the wording w[0..n): WORDING_WHOLE
 * when their words are the same, WORDING_PART when the title's are the
 * wording's first ones, else WORDING_OFF. */
int e8k_item_wording_state(const char *t, size_t s, size_t e, const char *w,
                           size_t n);
/* The best state of t[s..e) against the official wordings of the items
 * numbers[0..count) (WORDING_WHOLE over WORDING_PART); *which is the
 * wording a part begins, *wlen its length. */
int e8k_item_official_wording(const char numbers[][8], int count,
                              const char *t, size_t s, size_t e,
                              const char **which, size_t *wlen);

#endif /* E8K_ITEMS_INT_H */
