/* SPDX-License-Identifier: MIT */
/* e8k_grammar.h: the loaded rules as extract.c sees them, and the one
 * matching entry point it uses, so that only grammar.c includes pcre2. */
#ifndef E8K_GRAMMAR_H
#define E8K_GRAMMAR_H

#include "e8k_values.h"
#include "internal.h"

#define E8K_MAX_RULE_PARAMS 8

typedef enum e8k_record_kind {
    E8K_REC_OFFERING = 0,
    E8K_REC_PARTY,
    E8K_REC_CLAUSE,
    E8K_REC_FACT,
    E8K_REC_CONTEXT /* cues about a sentence, read by the assembly only */
} e8k_record_kind;

typedef struct e8k_rule_param {
    const char *name;
    e8k_vtype type;
    unsigned group; /* capture group number */
} e8k_rule_param;

typedef struct e8k_rule_example {
    const char *text;
    const char *value; /* expected normalized value; NULL for a non-match */
    long line;
} e8k_rule_example;

/* Role words and the party role they give (a <role> of the rule files):
 * a party rule's "role" param holding one of the words names the firm in
 * that role, whatever the rule's own field. */
typedef struct e8k_role {
    const char *field;
    const char **words; /* lower case */
    size_t nwords;
} e8k_role;

typedef struct e8k_rule {
    const char *id;
    const char *field;
    const char *file;
    long line;
    e8k_record_kind kind;
    e8k_vtype type;
    const char *constant;     /* value of an enum rule, or NULL */
    const char **doc_types;   /* glob patterns ("EX-99*"); none: all */
    size_t ndoc_types;
    const char **items;       /* 8-K items ("1.01"); none: all */
    size_t nitems;
    size_t *keywords;         /* indices in the grammar's keyword table */
    size_t nkeywords;
    size_t *anchors;          /* the same, for the words a match holds */
    size_t nanchors;
    int series;               /* each match starts its own offering */
    int rank;                 /* preference among a field's candidates */
    size_t reach;             /* a match starts within this many bytes
                                 before a keyword; 0: the default */
    size_t lead;              /* a match holds one of the anchors (the
                                 keywords when none) after this many runs
                                 of white space from its start at most;
                                 E8K_NO_LEAD: not said */
    const char *pattern;      /* after expansion of {define}s */
    unsigned value_group;     /* group "value", 0 for the whole match */
    e8k_rule_param params[E8K_MAX_RULE_PARAMS];
    size_t nparams;
    e8k_rule_example *examples;
    size_t nexamples;
    void *code;               /* pcre2_code_8 */
    const e8k_role *roles;    /* the grammar's, in file order */
    size_t nroles;
} e8k_rule;

/* The role the words of a party's "role" param give it (the first <role>
 * one of whose words they hold, case-insensitively), or NULL. */
const char *e8k_rule_role_field(const e8k_rule *ru, const char *text);

#define E8K_NO_LEAD ((size_t)-1)

/* The accessors extract.c needs on an opaque grammar. */
size_t e8k_grammar_nrules(const e8k_grammar *g);
const e8k_rule *e8k_grammar_rule(const e8k_grammar *g, size_t i);
size_t e8k_grammar_nkeywords(const e8k_grammar *g);
const char *e8k_grammar_keyword(const e8k_grammar *g, size_t i);
/* Folds text the way keywords are searched in: ASCII lower case, and a
 * line break or tab as a space ("On\nJuly 2" holds the keyword "on ").
 * dst holds n bytes. */
void e8k_keyword_fold(char *dst, const char *src, size_t n);
/* Calls hit(ctx, k, i) for each keyword k of the grammar that starts at
 * a byte i of folded text[start..end) and ends within it, in the order of
 * i. text must be readable to end + 2 (the search reads four bytes at a
 * time): a copy ending in NUL bytes is. */
void e8k_keywords_find(const e8k_grammar *g, const char *text, size_t start,
                       size_t end, void (*hit)(void *ctx, size_t k, size_t i),
                       void *ctx);

typedef struct e8k_span2 {
    size_t start, end; /* E8K_NO_OFFSET when the group did not take part */
} e8k_span2;

typedef struct e8k_match {
    e8k_span2 all;
    e8k_span2 value;
    e8k_span2 params[E8K_MAX_RULE_PARAMS];
} e8k_match;

/* Per-thread matching state (match data, match context with limits). */
typedef struct e8k_matcher e8k_matcher;
e8k_matcher *e8k_matcher_new(void);
void e8k_matcher_free(e8k_matcher *m);

/* Finds the first match of `r` in text[0..len) that starts at or after
 * `start` and at or before `last_start` (a search that stops there, not
 * one that reads less: lookarounds and the match still see all of len).
 * 1: found (out filled); 0: none; -1: error (a PCRE2 limit hit or another
 * match error), described in err with the rule id. */
int e8k_rule_next(e8k_matcher *m, const e8k_rule *r, const char *text,
                  size_t len, size_t start, size_t last_start, e8k_match *out,
                  e8k_error *err);

/* Normalizes the value of a match (rule type, constant, whole match for
 * qualifiers). 0 ok, -1 no value. */
int e8k_rule_value(const e8k_rule *r, const char *text, const e8k_match *mt,
                   double scale, e8k_norm *out);

/* Whether a glob pattern ("EX-99*", "8-K") matches a document type. */
int e8k_glob_match(const char *pattern, const char *s);

#endif /* E8K_GRAMMAR_H */
