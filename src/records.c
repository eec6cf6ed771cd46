/* records.c: turns the candidates of an extraction into records (the
 * choice of one value per offering field, with the others kept as
 * alternates; parties, clauses and facts deduplicated) and serves them
 * through the public accessors. records_json.c writes them as JSON. */
#include "e8k_extract.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const e8k_offering_fields[E8K_NFIELDS] = {
#define E8K_FIELD_NAME(name) #name,
    E8K_OFFERING_FIELDS(E8K_FIELD_NAME)
#undef E8K_FIELD_NAME
};

size_t e8k_offering_field_count(void)
{
    return E8K_NFIELDS;
}

const char *e8k_offering_field_name(size_t i)
{
    return i < E8K_NFIELDS ? e8k_offering_fields[i] : NULL;
}

int e8k_field_index(const char *field)
{
    for (int i = 0; i < E8K_NFIELDS; i++)
        if (!strcmp(e8k_offering_fields[i], field))
            return i;
    return -1;
}

static void free_picks(e8k_offering *o)
{
    for (int f = 0; f < E8K_NFIELDS; f++)
        free(o->picks[f]);
}

void e8k_records_free(e8k_records *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->noffs; i++)
        free_picks(&r->offs[i]);
    for (size_t i = 0; i < r->nblocks; i++)
        free(r->blocks[i]);
    free(r->blocks);
    free(r->offs);
    free(r->cands);
    free(r->parties);
    free(r->clauses);
    free(r->facts);
    free(r->warnings);
    e8k_pool_free(&r->pool);
    free(r);
}

static int same_value(const e8k_value *a, const e8k_value *b)
{
    if (a->has_number != b->has_number)
        return 0;
    if (a->has_number) {
        double m = fabs(a->number) > fabs(b->number) ? fabs(a->number)
                                                      : fabs(b->number);
        return fabs(a->number - b->number) <= 1e-9 * (m > 1 ? m : 1);
    }
    return !strcmp(a->string, b->string);
}

/* Some fields hold a kind whose more specific statement wins whatever
 * the number of mentions: a weighted-average formula over the usual
 * split adjustment, "registered direct" over "best efforts". */
static int value_rank(const e8k_value *v)
{
    static const struct { const char *kind; int rank; } ranked[] = {
        {"pipe", 1}, {"best_efforts", 1}, {"underwritten", 1},
        {"registered_direct", 3}, {"ipo", 3}, {"atm", 1},
        {"splits_only", 1}, {"weighted_average", 2}, {"full_ratchet", 3},
        {"always", 1}, {"if_no_effective_registration", 2},
        {"rule144a", 1}};
    if (v->has_number || !v->string)
        return 0;
    for (size_t i = 0; i < sizeof ranked / sizeof ranked[0]; i++)
        if (!strcmp(v->string, ranked[i].kind))
            return ranked[i].rank;
    return 0;
}

#ifndef E8K_COUNT_CAP
#define E8K_COUNT_CAP 1 /* repetition is no evidence: history repeats too */
#endif

typedef struct scored {
    size_t cand;
    double score;
    size_t doc, pos; /* where it is stated: earlier wins a tie */
    const e8k_value *v;
    size_t group;  /* first index of its run of equal values */
    size_t count;  /* candidates of that run */
    int best_auth; /* best authority in that run */
} scored;

/* Best score first; on a tie, the earlier statement: a prospectus states
 * its own terms on the cover and in the summary, history comes later. */
static int cmp_scored(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->doc != y->doc)
        return x->doc < y->doc ? -1 : 1;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return x->cand < y->cand ? -1 : x->cand > y->cand;
}

/* An order in which equal values (same_value) are neighbours: numbers by
 * value, then strings. Numbers equal within same_value's tolerance differ
 * in their last bits only, so nothing sorts between them. */
static int cmp_by_value(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->v->has_number != y->v->has_number)
        return x->v->has_number ? -1 : 1;
    if (x->v->has_number && x->v->number != y->v->number)
        return x->v->number < y->v->number ? -1 : 1;
    int c = x->v->has_number ? 0 : strcmp(x->v->string, y->v->string);
    if (c)
        return c;
    return x->cand < y->cand ? -1 : x->cand > y->cand;
}

/* Gives each candidate the size and best authority of its run of equal
 * values. Sorting once and walking the runs keeps a filing that states
 * thousands of values for one field linear, where comparing every pair
 * did not. */
static void group_values(const e8k_records *r, scored *sc, size_t n)
{
    qsort(sc, n, sizeof *sc, cmp_by_value);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int best = 0;
        for (; j < n && same_value(sc[i].v, sc[j].v); j++) {
            int a = r->cands[sc[j].cand].authority;
            best = a > best ? a : best;
        }
        for (size_t k = i; k < j; k++) {
            sc[k].group = i;
            sc[k].count = j - i;
            sc[k].best_auth = best;
        }
        i = j;
    }
}

typedef struct dup_key {
    size_t group;
    const char *doc_type;
    size_t order; /* place in the order of the scores */
} dup_key;

static int cmp_dup_key(const void *a, const void *b)
{
    const dup_key *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    int c = strcmp(x->doc_type, y->doc_type);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Keeps, in score order, the first of each (value, document type): a
 * repeat says nothing an alternate does not already say. */
static int keep_distinct(const e8k_records *r, const scored *sc, size_t n,
                         size_t *out, size_t *nout)
{
    dup_key *k = malloc((n + 1) * sizeof *k);
    unsigned char *keep = calloc(n + 1, 1);
    if (!k || !keep) {
        free(k);
        free(keep);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        k[i].group = sc[i].group;
        k[i].doc_type = r->cands[sc[i].cand].v.doc_type;
        k[i].order = i;
    }
    qsort(k, n, sizeof *k, cmp_dup_key);
    for (size_t i = 0; i < n; i++)
        keep[k[i].order] = i == 0 || k[i].group != k[i - 1].group ||
                           strcmp(k[i].doc_type, k[i - 1].doc_type) != 0;
    *nout = 0;
    for (size_t i = 0; i < n; i++)
        if (keep[i])
            out[(*nout)++] = sc[i].cand;
    free(k);
    free(keep);
    return 0;
}

/* Fields a series offering (a concurrent private placement, a note
 * series) takes from the filing's unkeyed statements when the filing also
 * has a base offering: the terms that the documents state once for all
 * securities. Warrant terms go to the series instead of the base. */
static int inherited(const char *field)
{
    static const char *const f[] = {
        "agreement_date", "closing_date", "beneficial_ownership_cap_pct",
        "cashless_exercise", "anti_dilution"};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (!strcmp(field, f[i]))
            return 1;
    return 0;
}

static int warrant_field(const char *field)
{
    return !strncmp(field, "warrant", 7);
}

/* A term that waits for the registration of the securities' resale is a
 * term of privately placed ones (the grammars mark such matches with a
 * `resale` param): beside a concurrent private placement it is the
 * placement's, not the registered base offering's. */
static int about_resale(const e8k_cand *c)
{
    for (size_t i = 0; i < c->v.nparams; i++)
        if (!strcmp(c->v.params[i].name, "resale"))
            return 1;
    return 0;
}

/* mode: 0 base offering without series, 1 base offering beside series,
 * 2 series offering beside a base, 3 series offering alone. */
static int series_fits(const e8k_cand *c, const char *series, int mode,
                       int warrant_series)
{
    if (mode == 0)
        return 1;
    if (mode == 1)
        return !c->series && !about_resale(c) &&
               !(warrant_series && warrant_field(c->v.field));
    if (c->series)
        return !strcmp(c->series, series);
    if (mode == 3)
        return 1;
    return inherited(c->v.field) || (warrant_series && warrant_field(c->v.field));
}

/* The offering candidates of each field, in candidate order: every
 * offering built looks at its own fields' candidates only, instead of
 * passing over all of them once per field. */
typedef struct field_lists {
    size_t *cand;
    size_t start[E8K_NFIELDS + 1]; /* field f: cand[start[f]..start[f+1]) */
} field_lists;

static int list_fields(const e8k_records *r, field_lists *fl)
{
    int *fi = malloc((r->ncands + 1) * sizeof *fi);
    fl->cand = malloc((r->ncands + 1) * sizeof *fl->cand);
    memset(fl->start, 0, sizeof fl->start);
    if (!fi || !fl->cand) {
        free(fi);
        return -1;
    }
    for (size_t i = 0; i < r->ncands; i++) {
        fi[i] = r->cands[i].kind == E8K_REC_OFFERING
                    ? e8k_field_index(r->cands[i].v.field) : -1;
        if (fi[i] >= 0)
            fl->start[fi[i] + 1]++;
    }
    for (int f = 0; f < E8K_NFIELDS; f++)
        fl->start[f + 1] += fl->start[f];
    size_t at[E8K_NFIELDS];
    memcpy(at, fl->start, sizeof at);
    for (size_t i = 0; i < r->ncands; i++)
        if (fi[i] >= 0)
            fl->cand[at[fi[i]]++] = i;
    free(fi);
    return 0;
}

/* Orders the candidates of one field: the group of equal values with the
 * best (rank, authority, number of mentions) first, best authority first
 * inside a group; equal (value, document type) repeats are dropped. */
static int pick_field(e8k_records *r, const field_lists *fl, e8k_offering *o,
                      int f, int mode, int wser)
{
    size_t n = 0;
    scored *sc = malloc((fl->start[f + 1] - fl->start[f] + 1) * sizeof *sc);
    if (!sc)
        return -1;
    for (size_t k = fl->start[f]; k < fl->start[f + 1]; k++) {
        const e8k_cand *c = &r->cands[fl->cand[k]];
        if (series_fits(c, o->series, mode, wser)) {
            sc[n].cand = fl->cand[k];
            sc[n++].v = &c->v;
        }
    }
    group_values(r, sc, n);
    for (size_t i = 0; i < n; i++) {
        const e8k_cand *c = &r->cands[sc[i].cand];
        sc[i].doc = c->v.document;
        sc[i].pos = c->v.text_span.start;
        /* a statement about this series beats one about all securities,
         * and so does one about privately placed ones for a placement */
        int own = c->series || (mode == 2 && about_resale(c));
        size_t count = sc[i].count > E8K_COUNT_CAP ? E8K_COUNT_CAP : sc[i].count;
        sc[i].score = (own ? 1e7 : 0) + value_rank(&c->v) * 1e6 +
                      sc[i].best_auth * 1e4 + (double)count * 10 +
                      c->authority;
    }
    qsort(sc, n, sizeof *sc, cmp_scored);
    o->picks[f] = malloc((n + 1) * sizeof(size_t));
    int rc = o->picks[f] ? keep_distinct(r, sc, n, o->picks[f], &o->npicks[f])
                         : -1;
    free(sc);
    return rc;
}

static int has_field(const e8k_offering *o, const char *field)
{
    return o->npicks[e8k_field_index(field)] > 0;
}

/* An offering is reported only when the filing states what is sold: a
 * share count, a principal amount, a program size or a warrant issue. */
static int has_evidence(const e8k_offering *o)
{
    if (o->series && has_field(o, "warrant_exercise_price"))
        return 1; /* a warrant series priced on its own */
    return has_field(o, "shares_offered") || has_field(o, "principal_amount") ||
           has_field(o, "max_aggregate_amount") ||
           has_field(o, "prefunded_warrants_offered") ||
           (has_field(o, "warrants_offered") &&
            has_field(o, "warrant_exercise_price"));
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

static size_t find_cand(const e8k_records *r, const char *field)
{
    for (size_t i = 0; i < r->ncands; i++)
        if (r->cands[i].kind == E8K_REC_OFFERING &&
            !strcmp(r->cands[i].v.field, field))
            return i;
    return (size_t)-1;
}

static void set_security(e8k_offering *o, const e8k_value *src,
                         const char *kind)
{
    o->derived_security = *src;
    o->derived_security.field = "security";
    o->derived_security.rule = "derived.security";
    o->derived_security.type = "enum";
    o->derived_security.unit = NULL;
    o->derived_security.has_number = 0;
    o->derived_security.string = kind;
    o->derived_security.qualifier = NULL;
    o->derived_security.params = NULL;
    o->derived_security.nparams = 0;
    o->has_security = 1;
}

/* The kind of security, from what the offering states: a principal
 * amount (notes), shares, warrants only, or a cover that offers shares
 * without a count yet (`stmt`, a candidate index or -1). */
static void derive_security(e8k_records *r, e8k_offering *o, size_t stmt)
{
    const char *kind = NULL, *from = NULL;
    if (has_field(o, "principal_amount")) {
        kind = has_field(o, "conversion_price") ? "convertible_notes" : "notes";
        from = "principal_amount";
    } else if (has_field(o, "shares_offered") || has_field(o, "max_aggregate_amount")) {
        kind = has_field(o, "shares_offered") &&
                       ends_with(r->cands[o->picks[e8k_field_index(
                                     "shares_offered")][0]].v.rule, ".units")
                   ? "units" : "common_stock";
        from = has_field(o, "shares_offered") ? "shares_offered"
                                              : "max_aggregate_amount";
    } else if (stmt != (size_t)-1) {
        set_security(o, &r->cands[stmt].v, r->cands[stmt].v.string);
        return;
    } else if (has_field(o, "warrants_offered") ||
               has_field(o, "warrant_exercise_price")) {
        kind = "warrants_only";
        from = has_field(o, "warrants_offered") ? "warrants_offered"
                                                : "warrant_exercise_price";
    }
    if (kind)
        set_security(o, &r->cands[o->picks[e8k_field_index(from)][0]].v, kind);
}

/* A series offering beside a base one is a concurrent placement: its type
 * is "pipe" when the filing says so (a private_placement candidate). */
static void derive_pipe(e8k_records *r, e8k_offering *o)
{
    int f = e8k_field_index("offering_type");
    if (o->npicks[f])
        return;
    for (size_t i = 0; i < r->ncands; i++)
        if (r->cands[i].kind == E8K_REC_OFFERING &&
            !strcmp(r->cands[i].v.field, "private_placement")) {
            size_t *p = realloc(o->picks[f], sizeof *p);
            if (!p)
                return;
            o->picks[f] = p;
            p[0] = i;
            o->npicks[f] = 1;
            return;
        }
}

static void drop_field(e8k_offering *o, const char *field)
{
    o->npicks[e8k_field_index(field)] = 0;
}

static int type_is(const e8k_records *r, const e8k_offering *o,
                   const char *kind)
{
    int f = e8k_field_index("offering_type");
    return o->npicks[f] && !strcmp(r->cands[o->picks[f][0]].v.string, kind);
}

/* Terms a kind of offering cannot have are statements about something
 * else in the document: an at-the-market program has no fixed price (a
 * price there is a last sale or an example), any other offering no
 * program size (that is an earlier program); notes have no par value;
 * warrant terms without warrants in the offering describe older ones. */
static void make_coherent(const e8k_records *r, e8k_offering *o, int mode)
{
    if (type_is(r, o, "atm"))
        drop_field(o, "price_per_share");
    else if (o->npicks[e8k_field_index("offering_type")])
        drop_field(o, "max_aggregate_amount");
    if (has_field(o, "principal_amount"))
        drop_field(o, "par_value");
    if (mode <= 1 && !has_field(o, "warrants_offered")) {
        drop_field(o, "warrant_exercise_price");
        drop_field(o, "warrant_term_years");
        drop_field(o, "warrant_expiration_date");
        drop_field(o, "warrant_coverage_pct");
    }
}

static int build_offering(e8k_records *r, const field_lists *fl,
                          const char *series, int mode, int wser)
{
    e8k_offering o;
    memset(&o, 0, sizeof o);
    o.series = series;
    int agents = e8k_field_index("agents"); /* attach_agents fills it */
    for (int f = 0; f < E8K_NFIELDS; f++)
        if (f != agents && pick_field(r, fl, &o, f, mode, wser) != 0) {
            free_picks(&o);
            return -1;
        }
    if (mode == 2)
        derive_pipe(r, &o);
    make_coherent(r, &o, mode);
    size_t stmt = find_cand(r, "offering_statement");
    if (!has_evidence(&o) && (mode > 1 || stmt == (size_t)-1)) {
        free_picks(&o);
        return 0;
    }
    derive_security(r, &o, mode > 1 ? (size_t)-1 : stmt);
    e8k_offering *arr = realloc(r->offs, (r->noffs + 1) * sizeof *arr);
    if (!arr) {
        free_picks(&o);
        return -1;
    }
    r->offs = arr;
    r->offs[r->noffs++] = o;
    return 0;
}

/* The statements that open a series, grouped by series key in the order
 * of the candidates: one sort instead of looking back over every earlier
 * candidate for each. */
typedef struct series_ref {
    const char *series;
    size_t cand;
} series_ref;

static int cmp_series_ref(const void *a, const void *b)
{
    const series_ref *x = a, *y = b;
    int c = strcmp(x->series, y->series);
    if (c)
        return c;
    return x->cand < y->cand ? -1 : x->cand > y->cand;
}

/* One series: its first statement (an offering candidate) and the range
 * of its statements in the sorted series_ref array. */
typedef struct series_group {
    size_t first, lo, hi;
} series_group;

static int cmp_series_group(const void *a, const void *b)
{
    const series_group *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* The series of the filing in the order of their first statements. A key
 * whose first statement is no offering candidate opens no offering. */
static int find_series(const e8k_records *r, series_ref **refs,
                       series_group **groups, size_t *ngroups)
{
    size_t n = 0;
    *refs = malloc((r->ncands + 1) * sizeof **refs);
    *groups = malloc((r->ncands + 1) * sizeof **groups);
    *ngroups = 0;
    if (!*refs || !*groups)
        return -1;
    for (size_t i = 0; i < r->ncands; i++)
        if (r->cands[i].starts_series && r->cands[i].series)
            (*refs)[n++] = (series_ref){r->cands[i].series, i};
    qsort(*refs, n, sizeof **refs, cmp_series_ref);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && !strcmp((*refs)[j].series, (*refs)[i].series))
            j++;
        if (r->cands[(*refs)[i].cand].kind == E8K_REC_OFFERING)
            (*groups)[(*ngroups)++] = (series_group){(*refs)[i].cand, i, j};
        i = j;
    }
    qsort(*groups, *ngroups, sizeof **groups, cmp_series_group);
    return 0;
}

/* How far before a warrant series statement the terms of the deal that
 * sentence describes are stated: "On October 23, 2024, ... pursuant to
 * which it issued (i) 2,050,000 shares at $1.00 per share and (ii) Series
 * E warrants to purchase ...". About two sentences of text. */
#define SERIES_CONTEXT 500

/* An unkeyed statement of a deal term (share count, price, agreement
 * date) that the base offering also has, beside the base's choice. */
typedef struct deal_ref {
    size_t doc, pos, cand;
    const e8k_value *base;
} deal_ref;

static int cmp_deal_ref(const void *a, const void *b)
{
    const deal_ref *x = a, *y = b;
    if (x->doc != y->doc)
        return x->doc < y->doc ? -1 : 1;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return x->cand < y->cand ? -1 : x->cand > y->cand;
}

/* The deal statements by document and position, so that the context of a
 * series statement is found by a binary search rather than a pass over
 * every candidate. */
static deal_ref *find_deals(const e8k_records *r, const e8k_offering *base,
                            size_t *n)
{
    static const char *const deal[] = {"shares_offered", "price_per_share",
                                       "agreement_date"};
    deal_ref *d = malloc((r->ncands + 1) * sizeof *d);
    *n = 0;
    if (!d)
        return NULL;
    for (size_t i = 0; i < r->ncands; i++) {
        const e8k_cand *c = &r->cands[i];
        if (c->kind != E8K_REC_OFFERING || c->series)
            continue;
        for (size_t k = 0; k < sizeof deal / sizeof deal[0]; k++) {
            int f = e8k_field_index(deal[k]);
            if (!strcmp(c->v.field, deal[k]) && base->npicks[f])
                d[(*n)++] = (deal_ref){c->v.document, c->v.text_span.start, i,
                                       &r->cands[base->picks[f][0]].v};
        }
    }
    qsort(d, *n, sizeof *d, cmp_deal_ref);
    return d;
}

/* Whether statement c of a warrant series describes another deal than
 * the base offering: the share count, price or agreement date stated just
 * before it in its document all differ from the base offering's. A
 * prospectus recounts earlier placements with their own series in its
 * recent developments; those are history, not a concurrent placement. */
static int beside_other_deal(const e8k_records *r, const deal_ref *d,
                             size_t nd, const e8k_cand *c)
{
    size_t doc = c->v.document, at = c->v.text_span.start;
    size_t from = at > SERIES_CONTEXT ? at - SERIES_CONTEXT : 0;
    size_t lo = 0, hi = nd;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d[mid].doc < doc || (d[mid].doc == doc && d[mid].pos < from))
            lo = mid + 1;
        else
            hi = mid;
    }
    int differs = 0;
    for (size_t i = lo; i < nd && d[i].doc == doc && d[i].pos < at; i++) {
        if (same_value(&r->cands[d[i].cand].v, d[i].base))
            return 0;
        differs = 1;
    }
    return differs;
}

/* A warrant series is another offering only when one of its statements
 * is about the filing's own deal. */
static int series_is_history(const e8k_records *r, const series_ref *refs,
                             const series_group *g, const deal_ref *d,
                             size_t nd)
{
    if (!r->noffs || !warrant_field(r->cands[g->first].v.field))
        return 0;
    for (size_t i = g->lo; i < g->hi; i++)
        if (!beside_other_deal(r, d, nd, &r->cands[refs[i].cand]))
            return 0;
    return 1;
}

/* The base offering (unkeyed statements), then one offering per series
 * key. A base without evidence (notes stated only per series) is dropped
 * and the series then take every unkeyed statement. */
static int build_offerings(e8k_records *r)
{
    series_ref *refs = NULL;
    series_group *groups = NULL;
    deal_ref *deals = NULL;
    field_lists fl = {NULL, {0}};
    size_t ng = 0, nd = 0;
    int wser = 0, mode, rc = -1;
    if (list_fields(r, &fl) != 0 || find_series(r, &refs, &groups, &ng) != 0)
        goto out;
    for (size_t i = 0; i < ng; i++)
        wser |= warrant_field(r->cands[groups[i].first].v.field);
    if (build_offering(r, &fl, NULL, ng ? 1 : 0, wser) != 0)
        goto out;
    if (r->noffs && !(deals = find_deals(r, &r->offs[0], &nd)))
        goto out;
    mode = r->noffs ? 2 : 3;
    for (size_t i = 0; i < ng; i++)
        if (!series_is_history(r, refs, &groups[i], deals, nd) &&
            build_offering(r, &fl, r->cands[groups[i].first].series, mode,
                           wser) != 0)
            goto out;
    rc = 0;
out:
    free(fl.cand);
    free(refs);
    free(groups);
    free(deals);
    return rc;
}

/* Parameters named like an offering field ("coupon_pct" of a note series)
 * become candidates of that field, keyed like their match. */
static int params_to_fields(e8k_records *r)
{
    size_t n = r->ncands;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < r->cands[i].v.nparams; k++) {
            const e8k_param *p = &r->cands[i].v.params[k];
            if (r->cands[i].kind != E8K_REC_OFFERING ||
                e8k_field_index(p->name) < 0 || (!p->has_number && !p->string))
                continue;
            if (E8K_GROW(r->cands, r->cands_cap, r->ncands + 1) != 0)
                return -1;
            e8k_cand *c = &r->cands[r->ncands++];
            *c = r->cands[i];
            c->starts_series = 0;
            c->v.field = e8k_offering_fields[e8k_field_index(p->name)];
            c->v.has_number = p->has_number;
            c->v.number = p->number;
            c->v.string = p->has_number ? NULL : p->string;
            c->v.unit = p->unit;
            c->v.type = p->unit && !strcmp(p->unit, "percent") ? "percent" : "text";
            c->v.precision = 0;
            c->v.params = NULL;
            c->v.nparams = 0;
        }
    }
    return 0;
}

/* ---- parties, clauses, facts ------------------------------------------------ */

static int is_suffix(const char *s, size_t n)
{
    return (e8k_firm_word(s, n) & E8K_FIRM_FORM) != 0;
}

static int ends_with_suffix(const char *s)
{
    const char *sp = strrchr(s, ' ');
    const char *last = sp ? sp + 1 : s;
    return is_suffix(last, strlen(last));
}

/* Whether a piece of a list names a firm by itself ("Example LLC"), as
 * opposed to the rest of one ("London Branch"). */
static int firm_word(const char *s, size_t n)
{
    return e8k_firm_words_in(s, n) != 0;
}

/* Whether a comma-separated piece continues the firm before it rather
 * than naming another: "Example Bank AG, London Branch", "Smith, Jones
 * LLP", but not "Example Bank PLC, Other Bank". */
static int joins(const char *prev, const char *s, size_t n)
{
    /* the word whole: "Branchburg Securities LLC" is another firm */
    for (size_t i = 0; i + 6 <= n; i++)
        if ((i == 0 || s[i - 1] == ' ') && !strncasecmp(s + i, "branch", 6) &&
            (i + 6 == n || strchr(" .,", s[i + 6])))
            return 1;
    if (!firm_word(prev, strlen(prev)) && !ends_with_suffix(prev))
        return 1;
    return !firm_word(s, n) && !ends_with_suffix(prev);
}

/* Words that a firm pattern can catch but that name no firm: defined
 * terms and roles ("Opinion of Counsel", a heading "Opinion of Financial
 * Advisor"), in any case since headings and legends are in capitals. */
static int generic_name(const char *s)
{
    static const char *const generic[] = {
        "The", "Company", "Placement Agent", "Underwriter", "Underwriters",
        "Representative", "Representatives", "Registrant", "We", "Our",
        "Exhibit", "Section", "Agent", "Sales Agent", "Purchaser", "Investor",
        "Holder", "Escrow Agent", "Trustee", "Issuer", "Total", "Counsel",
        "Legal Counsel", "Special Counsel", "Company Counsel",
        "Financial Advisor", "Financial Adviser", "Transfer Agent"};
    for (size_t i = 0; i < sizeof generic / sizeof generic[0]; i++)
        if (!strcasecmp(s, generic[i]) ||
            (!strncasecmp(s, "The ", 4) && !strcasecmp(s + 4, generic[i])))
            return 1;
    /* a legal form alone is the tail of a name cut off before it */
    return strlen(s) < 3 || (!strchr(s, ' ') && is_suffix(s, strlen(s)));
}

/* Roles a statement gives to one firm: an escrow agent, a transfer agent,
 * the counsel whose opinion it is, a financial advisor. A list caught
 * with such a role is the parties of an agreement named before it. */
static int single_firm_role(const char *role)
{
    return !strcmp(role, "escrow_agent") || !strcmp(role, "transfer_agent") ||
           !strcmp(role, "counsel") || !strcmp(role, "financial_advisor");
}

/* Adds one party candidate per firm of a list "A LLC, B Inc. and C & Co."
 * (a piece that is only a suffix such as "L.L.C." stays with its firm). */
static int split_party(e8k_records *r, size_t ci)
{
    const char *s = r->cands[ci].v.string;
    char pieces[12][128];
    size_t np = 0, i = 0;
    while (np < 12) {
        size_t j = i;
        while (s[j] && !(s[j] == ',' && s[j + 1] == ' ') &&
               strncmp(s + j, " and ", 5))
            j++;
        size_t len = j - i;
        int comma = i >= 2 && s[i - 2] == ',';
        if (np && (is_suffix(s + i, len) ||
                   (comma && joins(pieces[np - 1], s + i, len)))) {
            size_t l = strlen(pieces[np - 1]);
            snprintf(pieces[np - 1] + l, sizeof pieces[0] - l, ", %.*s",
                     (int)len, s + i);
        } else {
            snprintf(pieces[np++], sizeof pieces[0], "%.*s", (int)len, s + i);
        }
        if (!s[j])
            break;
        i = j + (s[j] == ',' ? (strncmp(s + j, ", and ", 6) ? 2 : 6) : 5);
    }
    if (np < 2)
        return 0;
    if (single_firm_role(r->cands[ci].v.field)) {
        /* "among A Corp., B, Inc., C Bank, as escrow agent": the firm next
         * to the role words is the agent, the others are other parties */
        size_t k = r->cands[ci].value_first ? np - 1 : 0;
        r->cands[ci].v.string = e8k_pool_strdup(&r->pool, pieces[k]);
        return r->cands[ci].v.string ? 0 : -1;
    }
    if (!(r->cands[ci].v.string = e8k_pool_strdup(&r->pool, pieces[0])))
        return -1;
    for (size_t k = 1; k < np; k++) {
        if (E8K_GROW(r->cands, r->cands_cap, r->ncands + 1) != 0)
            return -1;
        r->cands[r->ncands] = r->cands[ci];
        if (!(r->cands[r->ncands++].v.string =
                  e8k_pool_strdup(&r->pool, pieces[k])))
            return -1;
    }
    return 0;
}

/* Whether a is b or a shorter form of it ("Example" of "Example & Co."). */
static int name_covered(const char *a, const char *b)
{
    size_t n = strlen(a);
    return !strncmp(a, b, n) && (b[n] == '\0' || b[n] == ' ' || b[n] == ',');
}

static int keep_party(const e8k_records *r, size_t i)
{
    const e8k_value *v = &r->cands[i].v;
    if (generic_name(v->string))
        return 0;
    for (size_t j = 0; j < r->ncands; j++) {
        const e8k_value *w = &r->cands[j].v;
        if (j == i || r->cands[j].kind != E8K_REC_PARTY ||
            strcmp(v->field, w->field) || generic_name(w->string))
            continue;
        if (!strcmp(v->string, w->string) ? j < i
                                          : name_covered(v->string, w->string))
            return 0;
    }
    return 1;
}

static int same_clause(const e8k_value *a, const e8k_value *b, int fact)
{
    if (strcmp(a->field, b->field))
        return 0;
    if (fact)
        return same_value(a, b) && !strcmp(a->rule, b->rule);
    return !strcmp(a->doc_type, b->doc_type);
}

static int collect(e8k_records *r, e8k_record_kind kind, size_t **out,
                   size_t *n)
{
    *out = malloc((r->ncands + 1) * sizeof **out);
    if (!*out)
        return -1;
    for (size_t i = 0; i < r->ncands; i++) {
        if (r->cands[i].kind != kind)
            continue;
        if (kind == E8K_REC_PARTY && !keep_party(r, i))
            continue;
        int dup = 0;
        for (size_t k = 0; kind != E8K_REC_PARTY && k < *n && !dup; k++)
            dup = same_clause(&r->cands[(*out)[k]].v, &r->cands[i].v,
                              kind == E8K_REC_FACT);
        if (!dup)
            (*out)[(*n)++] = i;
    }
    return 0;
}

static int is_agent_role(const char *role)
{
    return !strcmp(role, "placement_agent") || !strcmp(role, "underwriter") ||
           !strcmp(role, "sales_agent");
}

static int attach_agents(e8k_records *r)
{
    int f = e8k_field_index("agents");
    for (size_t i = 0; i < r->noffs; i++) {
        e8k_offering *o = &r->offs[i];
        o->picks[f] = malloc((r->nparties + 1) * sizeof(size_t));
        if (!o->picks[f])
            return -1;
        for (size_t k = 0; k < r->nparties; k++)
            if (is_agent_role(r->cands[r->parties[k]].v.field))
                o->picks[f][o->npicks[f]++] = r->parties[k];
    }
    return 0;
}

int e8k_records_assemble(e8k_records *r)
{
    size_t n = r->ncands;
    for (size_t i = 0; i < n; i++)
        if (r->cands[i].kind == E8K_REC_PARTY && r->cands[i].v.string &&
            split_party(r, i) != 0)
            return -1;
    if (params_to_fields(r) != 0 ||
        collect(r, E8K_REC_PARTY, &r->parties, &r->nparties) != 0 ||
        collect(r, E8K_REC_CLAUSE, &r->clauses, &r->nclauses) != 0 ||
        collect(r, E8K_REC_FACT, &r->facts, &r->nfacts) != 0 ||
        build_offerings(r) != 0)
        return -1;
    return attach_agents(r);
}

/* ---- accessors ----------------------------------------------------------------- */

size_t e8k_records_offering_count(const e8k_records *r) { return r ? r->noffs : 0; }

static const e8k_offering *offering_at(const e8k_records *r, size_t i)
{
    return r && i < r->noffs ? &r->offs[i] : NULL;
}

const e8k_value *e8k_records_offering_field(const e8k_records *r, size_t i,
                                            const char *field)
{
    const e8k_offering *o = offering_at(r, i);
    int f = field ? e8k_field_index(field) : -1;
    if (!o || f < 0)
        return NULL;
    if (!strcmp(field, "security"))
        return o->has_security ? &o->derived_security : NULL;
    return o->npicks[f] ? &r->cands[o->picks[f][0]].v : NULL;
}

size_t e8k_records_alternate_count(const e8k_records *r, size_t i,
                                   const char *field)
{
    const e8k_offering *o = offering_at(r, i);
    int f = field ? e8k_field_index(field) : -1;
    if (!o || f < 0 || !strcmp(field, "agents") || o->npicks[f] < 2)
        return 0;
    return o->npicks[f] - 1;
}

const e8k_value *e8k_records_alternate(const e8k_records *r, size_t i,
                                       const char *field, size_t k)
{
    if (k >= e8k_records_alternate_count(r, i, field))
        return NULL;
    const e8k_offering *o = offering_at(r, i);
    return &r->cands[o->picks[e8k_field_index(field)][k + 1]].v;
}

size_t e8k_records_party_count(const e8k_records *r) { return r ? r->nparties : 0; }
const e8k_value *e8k_records_party(const e8k_records *r, size_t i)
{
    return r && i < r->nparties ? &r->cands[r->parties[i]].v : NULL;
}
size_t e8k_records_clause_count(const e8k_records *r) { return r ? r->nclauses : 0; }
const e8k_value *e8k_records_clause(const e8k_records *r, size_t i)
{
    return r && i < r->nclauses ? &r->cands[r->clauses[i]].v : NULL;
}
size_t e8k_records_fact_count(const e8k_records *r) { return r ? r->nfacts : 0; }
const e8k_value *e8k_records_fact(const e8k_records *r, size_t i)
{
    return r && i < r->nfacts ? &r->cands[r->facts[i]].v : NULL;
}
size_t e8k_records_warning_count(const e8k_records *r) { return r ? r->nwarnings : 0; }
const e8k_error *e8k_records_warning(const e8k_records *r, size_t i)
{
    return r && i < r->nwarnings ? &r->warnings[i] : NULL;
}
