/* SPDX-License-Identifier: MIT */
/* e8k_extract.h: the private layout of a record set, shared by extract.c
 * (matching and choice) and records.c (accessors and JSON). */
#ifndef E8K_EXTRACT_H
#define E8K_EXTRACT_H

#include "e8k_grammar.h"

typedef struct e8k_section {
    size_t doc;
    const char *type;
    int sequence;
    size_t start, end; /* in the document's text */
} e8k_section;

/* A sentence of a document's text (extract_sent.c): the unit in which the
 * assembly reads which offering a value belongs to. */
typedef struct e8k_sent {
    size_t doc;
    const char *doc_type; /* the section's type ("8-K", "EX-99.1") */
    size_t start, end;    /* in that document's text */
    size_t para;          /* paragraph number, counted over the record set */
    int lead_in;          /* it ends with a colon: a list follows */
    int item;             /* it opens with a bullet: an item of a list */
} e8k_sent;

/* One match turned into a value. */
typedef struct e8k_cand {
    e8k_value v;
    e8k_record_kind kind;
    int authority;
    int starts_series;  /* the rule opens an offering per match */
    const char *series; /* series key ("2031"), or NULL */
    int value_first;    /* the value starts the match: the words that
                           say what it is follow it ("X, as escrow agent") */
    size_t sent;        /* index in e8k_records.sents */
    int rank;           /* its rule's rank */
} e8k_cand;

typedef struct e8k_offering {
    const char *series;
    /* per field: candidate indices, best first (chosen, then alternates) */
    size_t *picks[E8K_NFIELDS];
    size_t npicks[E8K_NFIELDS];
    e8k_value derived_security;
    int has_security;
} e8k_offering;

struct e8k_records {
    e8k_pool pool;
    int excerpt; /* from e8k_extract_text: every deal it states is reported */
    const char *filed; /* the filing's date (YYYY-MM-DD), or NULL */
    e8k_cand *cands;
    size_t ncands, cands_cap;
    e8k_offering *offs;
    size_t noffs;
    size_t *parties, *clauses, *facts; /* candidate indices */
    size_t nparties, nclauses, nfacts;
    e8k_sent *sents; /* every section's sentences, in document order */
    size_t nsents, sents_cap;
    e8k_error *warnings;
    size_t nwarnings, warnings_cap;
    void **blocks; /* malloc'ed param arrays */
    size_t nblocks, blocks_cap;
};

int e8k_field_index(const char *field);

int e8k_section_add(e8k_section **arr, size_t *n, size_t *cap, size_t doc,
                    const char *type, int seq, size_t start, size_t end);
int e8k_sections_split(const char *text, size_t len, size_t doc,
                       const char *type, int seq, e8k_section **out,
                       size_t *n, size_t *cap, e8k_pool *pool);
int e8k_authority(const char *type);

/* Where a sentence starts, and whether it opens a paragraph (after a
 * blank line, a heading, a table row or a bullet). */
typedef struct e8k_sent_mark {
    size_t start;
    int para;
    int heading; /* the sentence is a heading line ("Equity Line Financing") */
} e8k_sent_mark;

/* Appends to *out every sentence of text[start..end), the first at or
 * after `start`, ascending. 0 ok, -1 no memory. */
int e8k_sentences_split(const char *text, size_t start, size_t end,
                        e8k_sent_mark **out, size_t *n, size_t *cap);
/* Whether the sentence at t[at..end) opens with a bullet (a table's bar
 * is no bullet). */
int e8k_sentence_is_item(const char *t, size_t at, size_t end);
/* Whether the sentence t[start..end) ends with a colon: it introduces
 * what follows. */
int e8k_sentence_is_lead_in(const char *t, size_t start, size_t end);
/* Makes the line of text at `at` (an 8-K item's heading, found by the
 * parse) a heading of its own in the marks *out. 0 ok, -1 no memory. */
int e8k_sentences_heading(const char *text, size_t end, size_t at,
                          e8k_sent_mark **out, size_t *n, size_t *cap);

/* Chooses among the candidates: fills offs, parties, clauses, facts. */
int e8k_records_assemble(e8k_records *r);
/* records_offer.c: places the offering candidates and agents in the
 * offerings they describe and fills offs. */
int e8k_records_build_offerings(e8k_records *r);
/* Whether party candidate i names a firm (not a role word, not a shorter
 * form of a name the filing states in full). */
int e8k_records_party_names_firm(const e8k_records *r, size_t i);
/* Equal numbers (to rounding) or equal strings. */
int e8k_same_value(const e8k_value *a, const e8k_value *b);

#endif /* E8K_EXTRACT_H */
