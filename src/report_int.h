/* report_int.h: what the two files of the review page share: report_html.c
 * writes the page around the documents (identity, summaries, findings),
 * report_text.c numbers the values, writes each document's text with every
 * value marked in place, and owns the escaping both use. The page is built
 * on the public accessors only, so that it follows extraction as it grows
 * (new fields, types and checks show without a change here). */
#ifndef E8K_REPORT_INT_H
#define E8K_REPORT_INT_H

#include "internal.h"

typedef enum rp_section {
    RP_OFFERING = 0, /* an offering field: chosen value or alternate */
    RP_PARTY,
    RP_CLAUSE,
    RP_FACT
} rp_section;

/* One extracted value as the page shows it: number `i` in the page's
 * list is the mark id "v<i>" in the text and the target of its links. */
typedef struct rp_value {
    const e8k_value *v;
    rp_section section;
    size_t offering; /* RP_OFFERING: the offering's index */
    size_t index;    /* RP_OFFERING: 0 chosen, k the k-th alternate;
                        else the position in its list */
    const char *field; /* offering field name, else v->field */
    const char *kind;  /* colour class: "shares", "money" ... */
    int placed;        /* marked in its document's text */
} rp_value;

/* A span a validation check used that no extracted value has (a stated
 * figure the validator read from a fact's parameters, say): marked in the
 * text as evidence "c<i>", so that a click on the finding still shows it. */
typedef struct rp_evidence {
    size_t doc;
    e8k_span span;      /* bytes of the filing */
    e8k_span text_span; /* in the document's text, once placed */
    const char *name;
    int placed;
} rp_evidence;

typedef struct rp_page {
    const e8k_filing *f;
    const e8k_records *r;
    const e8k_report *rep; /* may be NULL */
    rp_value *vals;
    size_t nvals, vcap;
    rp_evidence *evs;
    size_t nevs, ecap;
    e8k_buf out;
    int oom; /* an append failed: the page is abandoned */
} rp_page;

/* ---- report_text.c ------------------------------------------------------ */

/* Appends s[0..n) as HTML text or attribute value: valid UTF-8 as it is,
 * other byte strings decoded as Latin-1 (the policy of the JSON output),
 * & < > " ' as references, CR and NUL as references the HTML parser keeps
 * (a raw CR would become LF), so the DOM text is exactly the string. */
void rp_text(rp_page *p, const char *s, size_t n);
void rp_str(rp_page *p, const char *s); /* NULL: nothing */
/* Appends literal markup (trusted, ours). */
void rp_raw(rp_page *p, const char *s);
void rp_printf(rp_page *p, const char *fmt, ...) E8K_PRINTF(2, 3);

/* Numbers every value of the records (offerings field by field with their
 * alternates, then parties, clauses, facts) and every span a finding uses
 * that no value has. 0 ok, -1 no memory. */
int rp_collect(rp_page *p);
/* The value a check value refers to (same document and bytes; the same
 * rule preferred), or -1. */
long rp_value_of(const rp_page *p, const e8k_check_value *cv);
/* The evidence span of a check value that no value has, or -1. */
long rp_evidence_of(const rp_page *p, const e8k_check_value *cv);
/* Adds cv as evidence when it is stated and no value or evidence has its
 * bytes, placed in its document's text by the offset map (rp_collect does
 * this for every finding). 0 ok, -1 no memory. */
int rp_evidence_add(rp_page *p, const e8k_check_value *cv);
/* The text of every document, values and evidence marked. */
void rp_documents(rp_page *p);
/* "$1,234.5", "40,000,000 shares", "4.8%" ...: a number with its unit. */
void rp_number(rp_page *p, double x, const char *unit);
void rp_tolerance(rp_page *p, double x, const char *unit); /* 4 digits */
/* A value's number with its unit, or its string. */
void rp_value_text(rp_page *p, const e8k_value *v);
/* "EX-1.1 (document 2)" */
void rp_doc_label(rp_page *p, size_t doc);

#endif /* E8K_REPORT_INT_H */
