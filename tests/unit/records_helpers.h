/* records_helpers.h: what the extraction tests (test_extract.c,
 * test_assembly.c, test_validate_files.c, test_format.c) share: paths
 * under E8K_ROOT, the project's grammars loaded, a text or a whole filing
 * extracted, and an offering's field expected to hold a number, a string,
 * or nothing. Each test file gets its own copies. */
#ifndef RECORDS_HELPERS_H
#define RECORDS_HELPERS_H

#include "e8k_extract.h"
#include "edgar8k.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* rel under E8K_ROOT (default the working directory), written into buf. */
static inline const char *rootp(const char *rel, char *buf, size_t n)
{
    const char *r = getenv("E8K_ROOT");
    snprintf(buf, n, "%s/%s", r ? r : ".", rel);
    return buf;
}

/* The project's grammars/, which must load. */
static inline e8k_grammar *load_grammars(void)
{
    char dir[1200];
    e8k_grammar *g = NULL;
    e8k_error err;
    cr_assert_eq(e8k_grammar_load(rootp("grammars", dir, sizeof dir), &g, &err),
                 E8K_OK, "%s:%zu: %s", err.file, err.line, err.message);
    return g;
}

/* The records of text read as an excerpt of a filing of form `type`. */
static inline e8k_records *records_of_text(const e8k_grammar *g,
                                           const char *text, const char *type)
{
    e8k_records *r = NULL;
    e8k_error err;
    cr_assert_eq(e8k_extract_text(g, text, strlen(text), type, &r, &err), E8K_OK);
    return r;
}

/* The records of text read as a whole filing (its items gate the rules). */
static inline e8k_records *records_of_filing(const e8k_grammar *g,
                                             const char *text)
{
    e8k_filing *f = e8k_filing_new("mem.txt");
    e8k_error err;
    cr_assert_eq(e8k_filing_parse(f, text, strlen(text), &err), E8K_OK, "%s", err.message);
    e8k_records *r = NULL;
    cr_assert_eq(e8k_extract_filing(g, f, &r, &err), E8K_OK);
    e8k_filing_free(f);
    return r;
}

static inline void expect_num(const e8k_records *r, size_t o, const char *f,
                              double v)
{
    const e8k_value *x = e8k_records_offering_field(r, o, f);
    cr_assert_not_null(x, "offering %zu: %s not found", o, f);
    cr_assert(x->has_number && fabs(x->number - v) <= 1e-9 * fmax(1, fabs(v)),
              "offering %zu: %s: got %.10g want %.10g", o, f, x->number, v);
}

static inline void expect_str(const e8k_records *r, size_t o, const char *f,
                              const char *v)
{
    const e8k_value *x = e8k_records_offering_field(r, o, f);
    cr_assert_not_null(x, "offering %zu: %s not found", o, f);
    cr_assert_str_eq(x->string, v, "offering %zu: %s", o, f);
}

static inline void expect_none(const e8k_records *r, size_t o, const char *f)
{
    const e8k_value *x = e8k_records_offering_field(r, o, f);
    cr_assert_null(x, "offering %zu: %s should be absent, got %s", o, f,
                   x ? x->text : "");
}

#endif /* RECORDS_HELPERS_H */
