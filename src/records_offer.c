/* SPDX-License-Identifier: MIT */
/* records_offer.c: turns each tranche of the assembly (records_deal.h)
 * into an offering: one value per field, chosen by how closely it is
 * stated for the tranche, then made coherent; reports the offerings a
 * filing or an excerpt tells. */
#include "records_deal.h"

#include <math.h>
#include <stdlib.h>
#include <strings.h>

/* ---- choosing one value per field --------------------------------------- */

/* Some fields hold a kind whose more specific statement wins whatever
 * the number of mentions: a weighted-average formula over the usual
 * split adjustment, "registered direct" over "best efforts". */
static int value_rank(const e8k_value *v)
{
    static const struct { const char *kind; int rank; } ranked[] = {
        {"pipe", 1}, {"best_efforts", 2}, {"underwritten", 3},
        {"registered_direct", 4}, {"ipo", 4}, {"atm", 3}, {"rule144a", 4},
        {"other", 2}, {"splits_only", 1}, {"weighted_average", 2},
        {"full_ratchet", 3}, {"always", 1},
        {"if_no_effective_registration", 2}};
    if (v->has_number || !v->string)
        return 0;
    for (size_t i = 0; i < sizeof ranked / sizeof ranked[0]; i++)
        if (!strcmp(v->string, ranked[i].kind))
            return ranked[i].rank;
    return 0;
}

typedef struct scored {
    size_t cand;
    double score;
    size_t doc, pos; /* where it is stated: earlier wins a tie */
    const e8k_value *v;
    int tier;      /* 4 the tranche's own statement, 3 its transaction's, 2
                      its base tranche's, 1 its transaction's far from any
                      statement */
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

/* An order in which equal values (e8k_same_value) are neighbours. */
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
 * values: sorting once keeps a filing that states thousands of values for
 * one field linear. */
static void group_values(const e8k_records *r, scored *sc, size_t n)
{
    qsort(sc, n, sizeof *sc, cmp_by_value);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int best = 0;
        for (; j < n && e8k_same_value(sc[i].v, sc[j].v); j++) {
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
    for (size_t i = 0; i < n; i++)
        k[i] = (dup_key){sc[i].group, r->cands[sc[i].cand].v.doc_type, i};
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

/* Whether tranche t, not the first of its transaction, takes a term the
 * transaction states for all its securities. A privately placed tranche
 * shares the purchase agreement and the warrant clauses; a note or
 * warrant series and a second security sold beside the first also share
 * how, through whom and when the deal is sold. Amounts of money belong to
 * the first tranche (a total "of both offerings" is put there). */
static int inherits(const deal *d, size_t t, const e8k_cand *c, int from_all)
{
    static const char *const common[] = {
        "agreement_date", "beneficial_ownership_cap_pct", "cashless_exercise",
        "anti_dilution", "closing_date"};
    static const char *const deal_terms[] = {
        "offering_type", "agents", "registration_number"};
    const tranche *tr = &d->tr[t];
    const char *f = c->kind == E8K_REC_PARTY ? "agents" : c->v.field;
    if (money_field(f) || !strcmp(f, "expense_cap") ||
        !strcmp(f, "fee_per_share") || !strcmp(f, "price_per_share") ||
        !strcmp(f, "shares_offered") || !strcmp(f, "principal_amount") ||
        !strcmp(f, "par_value") || !strcmp(f, "fee_pct"))
        return 0;
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        if (!strcmp(f, common[i]))
            return 1;
    if (tr->kind == TR_PP || tr->conc)
        return from_all && strcmp(f, "offering_type") != 0;
    for (size_t i = 0; i < sizeof deal_terms / sizeof deal_terms[0]; i++)
        if (!strcmp(f, deal_terms[i]))
            return 1;
    return from_all;
}

static int has_pp(const deal *d, size_t x)
{
    EACH_TRANCHE(d, x, t)
        if (d->tr[t].kind == TR_PP || d->tr[t].conc)
            return 1;
    return 0;
}

/* The tranche of transaction x that takes what c states for the whole
 * transaction: its first, but a term only notes have (coupon, maturity,
 * conversion price) goes to its first tranche of notes when shares are
 * sold first (a stock offering and a notes offering told together). */
static size_t first_for(const deal *d, size_t x, const e8k_cand *c)
{
    size_t first = d->tx[x].first_tr;
    if (d->tr[first].cls == CLS_NOTES ||
        !(field_is(c, "coupon_pct") || field_is(c, "maturity_date") ||
          field_is(c, "conversion_price")))
        return first;
    EACH_TRANCHE(d, x, t)
        if (d->tr[t].cls == CLS_NOTES)
            return t;
    return first;
}

/* Whether transaction x is dated long before the report: history the
 * filing recounts. */
static int old_txn(const deal *d, const txn *x)
{
    return !d->r->excerpt && d->report_day && x->has_date &&
           x->date < d->report_day - HISTORY_DAYS;
}

/* The tier of candidate i stated for tranche t alone: 4, but 3 where
 * saying it beside the securities makes it no firmer. A deal closes once
 * for all it sells: the day said beside the securities is no firmer than
 * "the offering closed on", so the rule's rank ("closed" over "issued")
 * decides between them. A total with the option's amount added is no base
 * amount. */
static int own_tier(const deal *d, size_t t, size_t i)
{
    const e8k_cand *c = &d->r->cands[i];
    if (field_is(c, "closing_date"))
        return 3;
    if ((field_is(c, "shares_offered") || field_is(c, "principal_amount")) &&
        d->owner[i] == t && e8k_deal_option_sum(d, t, c))
        return 3;
    return 4;
}

/* The tier of candidate i for tranche t (scored.tier says what each
 * means); -1 not its. */
static int tier_of(const deal *d, size_t t, size_t i)
{
    const e8k_cand *c = &d->r->cands[i];
    const tranche *tr = &d->tr[t];
    size_t first = first_for(d, tr->txn, c);
    int resale = e8k_deal_has_param(c, "resale");
    int pp = tr->kind == TR_PP || tr->conc;
    if (d->drop[i])
        return -1;
    /* what a sentence dated long before the report tells ("On July 1,
       2017, the Company entered into a Common Stock Purchase Agreement"
       in the notes of a 2021 prospectus) is no term of a recent deal,
       wherever the sentence stands */
    if (e8k_deal_history(d, c->sent) && !old_txn(d, &d->tx[tr->txn]))
        return -1;
    if (resale && !pp && has_pp(d, tr->txn) &&
        (d->owner[i] == NONE || d->tr[d->owner[i]].txn == tr->txn))
        return -1; /* a term of the privately placed securities */
    /* "private placement" beside the concurrent warrants is their kind,
       not the kind of the offering they accompany */
    if (!pp && field_is(c, "offering_type") && c->v.string &&
        !strcmp(c->v.string, "pipe") &&
        ((d->si[c->sent].flags & S_CONC) || has_pp(d, tr->txn)))
        return -1;
    if (d->owner[i] == t)
        return own_tier(d, t, i);
    if (d->scope[i] != NONE && d->owner[i] == NONE) {
        const series_set *ss = &d->sets[d->scope[i]];
        for (size_t k = 0; k < ss->n; k++)
            if (ss->tr[k] == t)
                return 3;
        return -1;
    }
    if (resale && pp && d->owner[i] == NONE && d->shared[i] == tr->txn)
        return own_tier(d, t, i);
    if (d->shared[i] == tr->txn)
        return t == first || inherits(d, t, c, (d->si[c->sent].flags & S_ALL) != 0)
                   ? (d->far[i] ? 1 : 3) : -1;
    if (t != first && d->owner[i] == first && inherits(d, t, c, 0))
        return 2;
    /* a deal term said beside one note or warrant series of a deal that
       sells several is the deal's */
    size_t o = d->owner[i];
    if (o != NONE && o != t && d->tr[o].txn == tr->txn &&
        d->tr[o].kind == TR_SERIES && !d->tr[o].conc && !pp && deal_term(c) &&
        inherits(d, t, c, 0))
        return 2;
    return -1;
}

/* Whether tranche t states a firm amount sold (shares, notes) and no
 * program size. */
static int sells_amount(const deal *d, size_t t)
{
    int firm = 0;
    for (size_t i = 0; i < d->tr[t].nanchors; i++) {
        const e8k_cand *a = &d->r->cands[d->tr[t].anchors[i]];
        if (field_is(a, "max_aggregate_amount"))
            return 0;
        firm |= field_is(a, "shares_offered") || field_is(a, "principal_amount");
    }
    return firm;
}

/* Orders the candidates of one field for tranche t: own statements first,
 * then the group of equal values with the best (rank, authority), best
 * authority first inside a group; equal (value, document type) repeats
 * are dropped. */
static int pick_field(deal *d, size_t t, const size_t *list, size_t nlist,
                      e8k_offering *o, int f)
{
    e8k_records *r = d->r;
    size_t n = 0;
    scored *sc = malloc((nlist + 1) * sizeof *sc);
    if (!sc)
        return -1;
    int firm = f == E8K_F_offering_type && sells_amount(d, t);
    for (size_t k = 0; k < nlist; k++) {
        int tier = tier_of(d, t, list[k]);
        const e8k_value *v = &r->cands[list[k]].v;
        /* a tranche that sells a stated amount is no program of sales from
           time to time: "at the market" there is another deal's */
        if (firm && v->string && !strcmp(v->string, "atm"))
            continue;
        if (tier >= 0) {
            sc[n].cand = list[k];
            sc[n].tier = tier;
            sc[n++].v = &r->cands[list[k]].v;
        }
    }
    group_values(r, sc, n);
    for (size_t i = 0; i < n; i++) {
        const e8k_cand *c = &r->cands[sc[i].cand];
        sc[i].doc = c->v.document;
        sc[i].pos = c->v.text_span.start;
        /* the kind of offering: the most specific statement wins over
           where it is made ("registered direct" said once in an exhibit
           over "private placement" beside the concurrent warrants) */
        sc[i].score = sc[i].tier * 1e7 + (value_rank(&c->v) + c->rank) * 1e6 +
                      sc[i].best_auth * 1e4 + 10 + c->authority;
    }
    qsort(sc, n, sizeof *sc, cmp_scored);
    o->picks[f] = malloc((n + 1) * sizeof(size_t));
    int rc = o->picks[f] ? keep_distinct(r, sc, n, o->picks[f], &o->npicks[f])
                         : -1;
    free(sc);
    return rc;
}

/* Adds candidate c to the agents picked unless the name is there. */
static void add_agent(const e8k_records *r, e8k_offering *o, int f, size_t c)
{
    const char *name = r->cands[c].v.string;
    for (size_t j = 0; j < o->npicks[f]; j++)
        if (!strcmp(r->cands[o->picks[f][j]].v.string, name))
            return;
    o->picks[f][o->npicks[f]++] = c;
}

/* Every agent of tranche t, once each, in the order the text names them. */
static int pick_agents(deal *d, size_t t, const size_t *list, size_t nlist,
                       e8k_offering *o, int f)
{
    e8k_records *r = d->r;
    o->picks[f] = malloc((nlist + 1) * sizeof(size_t));
    if (!o->picks[f])
        return -1;
    for (int tier = 4; tier >= 1 && !o->npicks[f]; tier--)
        for (size_t k = 0; k < nlist; k++)
            if (tier_of(d, t, list[k]) == tier)
                add_agent(r, o, f, list[k]);
    /* a list that names every agent (a schedule of underwriters, rank > 0)
       adds the names the best-placed statement left out */
    for (size_t k = 0; k < nlist; k++)
        if (r->cands[list[k]].rank > 0 && tier_of(d, t, list[k]) >= 1)
            add_agent(r, o, f, list[k]);
    return 0;
}

/* ---- offerings -------------------------------------------------------------- */

/* The candidates of each field, in candidate order (agents in the order of
 * the text): every offering looks at its own fields' candidates only. */
typedef struct field_lists {
    size_t *cand;
    size_t start[E8K_NFIELDS + 1]; /* field f: cand[start[f]..start[f+1]) */
} field_lists;

static int field_of(const e8k_cand *c)
{
    if (c->kind == E8K_REC_PARTY)
        return is_agent_role(c->v.field) ? E8K_F_agents : -1;
    return c->kind == E8K_REC_OFFERING ? e8k_field_index(c->v.field) : -1;
}

static int list_fields(const deal *d, field_lists *fl)
{
    const e8k_records *r = d->r;
    fl->cand = malloc((r->ncands + 1) * sizeof *fl->cand);
    memset(fl->start, 0, sizeof fl->start);
    if (!fl->cand)
        return -1;
    for (size_t i = 0; i < d->ncand; i++) {
        int f = d->drop[i] ? -1 : field_of(&r->cands[i]);
        if (f >= 0)
            fl->start[f + 1]++;
    }
    for (int f = 0; f < E8K_NFIELDS; f++)
        fl->start[f + 1] += fl->start[f];
    size_t at[E8K_NFIELDS];
    memcpy(at, fl->start, sizeof at);
    for (size_t i = 0; i < d->ncand; i++) {
        int f = d->drop[i] ? -1 : field_of(&r->cands[i]);
        if (f >= 0)
            fl->cand[at[f]++] = i;
    }
    /* agents in reading order */
    size_t a0 = fl->start[E8K_F_agents], na = fl->start[E8K_F_agents + 1] - a0;
    pos_ref *pr = malloc((na + 1) * sizeof *pr);
    if (!pr)
        return -1;
    for (size_t k = 0; k < na; k++) {
        const e8k_cand *c = &r->cands[fl->cand[a0 + k]];
        pr[k] = (pos_ref){c->sent, c->v.text_span.start, fl->cand[a0 + k]};
    }
    qsort(pr, na, sizeof *pr, e8k_deal_cmp_pos);
    for (size_t k = 0; k < na; k++)
        fl->cand[a0 + k] = pr[k].cand;
    free(pr);
    return 0;
}

static void free_picks(e8k_offering *o)
{
    for (int f = 0; f < E8K_NFIELDS; f++)
        free(o->picks[f]);
}

#define HAS(o, f) ((o)->npicks[E8K_F_##f] > 0)
#define FIRST(r, o, f) (&(r)->cands[(o)->picks[E8K_F_##f][0]])

static void drop_field(e8k_offering *o, int f)
{
    o->npicks[f] = 0;
}

static int type_is(const e8k_records *r, const e8k_offering *o,
                   const char *kind)
{
    return HAS(o, offering_type) &&
           !strcmp(FIRST(r, o, offering_type)->v.string, kind);
}

/* Terms a kind of offering cannot have are statements about something
 * else: an at-the-market program has no fixed price or share count (those
 * are sales under it), any other offering no program size (that is an
 * earlier program); notes have no par value; warrant terms without
 * warrants, stated for the whole document, describe older ones. */
static void make_coherent(const deal *d, size_t t, e8k_offering *o)
{
    const e8k_records *r = d->r;
    if (type_is(r, o, "atm")) {
        drop_field(o, E8K_F_price_per_share);
        drop_field(o, E8K_F_shares_offered);
    } else if (HAS(o, offering_type) || HAS(o, shares_offered) ||
               HAS(o, principal_amount))
        drop_field(o, E8K_F_max_aggregate_amount);
    if (HAS(o, principal_amount))
        drop_field(o, E8K_F_par_value);
    if (!HAS(o, warrants_offered) && !d->tr[t].has_warrants) {
        static const int wf[] = {E8K_F_warrant_exercise_price,
                                 E8K_F_warrant_term_years,
                                 E8K_F_warrant_expiration_date,
                                 E8K_F_warrant_coverage_pct};
        for (size_t i = 0; i < sizeof wf / sizeof wf[0]; i++)
            if (o->npicks[wf[i]] &&
                d->owner[o->picks[wf[i]][0]] != t)
                drop_field(o, wf[i]);
    }
}

/* Whether tranche t is opened by the option's shares of a sale whose
 * count it does not state (option_anchor). */
static int option_opened(const deal *d, size_t t)
{
    for (size_t i = 0; i < d->tr[t].nanchors; i++)
        if (option_anchor(d->si, &d->r->cands[d->tr[t].anchors[i]]))
            return 1;
    return 0;
}

static int owns_statement(const deal *d, size_t t)
{
    for (size_t i = 0; i < d->tr[t].nanchors; i++)
        if (statement_anchor(&d->r->cands[d->tr[t].anchors[i]]))
            return 1;
    for (size_t i = 0; i < d->ncand; i++)
        if (d->owner[i] == t && statement_anchor(&d->r->cands[i]))
            return 1;
    return 0;
}

/* An offering is reported when the text states what is sold: a share
 * count, a principal amount, a program size or a warrant issue; or, in a
 * text that states no amount at all, the kind of offering and two of its
 * terms. */
static int has_evidence(const deal *d, size_t t, const e8k_offering *o,
                        int anchorless)
{
    const tranche *tr = &d->tr[t];
    if (HAS(o, principal_amount) || HAS(o, max_aggregate_amount) ||
        HAS(o, prefunded_warrants_offered))
        return 1;
    if (!d->r->excerpt && owns_statement(d, t))
        return 1; /* a cover's statement that shares are offered */
    if (HAS(o, shares_offered)) {
        /* a bare count of shares ("X will sell 160,970 shares") tells of
           no offering without a term of one */
        static const int terms[] = {
            E8K_F_price_per_share, E8K_F_gross_proceeds, E8K_F_net_proceeds,
            E8K_F_offering_type, E8K_F_agents, E8K_F_fee_pct,
            E8K_F_warrants_offered, E8K_F_overallotment_shares,
            E8K_F_registration_number};
        for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++)
            if (o->npicks[terms[i]])
                return 1;
        return 0;
    }
    if (option_opened(d, t) && HAS(o, price_per_share))
        return 1; /* shares sold at a price, their count with the option's */
    if (HAS(o, warrants_offered) &&
        (HAS(o, warrant_exercise_price) || HAS(o, offering_type) || tr->key ||
         tr->conc || tr->kind == TR_PP))
        return 1;
    if ((tr->key || tr->kind == TR_PP || tr->conc) &&
        (HAS(o, warrant_exercise_price) || HAS(o, coupon_pct) ||
         HAS(o, warrant_term_years)))
        return 1;
    if (anchorless && !d->r->excerpt)
        return 1; /* a cover's statement that shares are offered */
    if (!anchorless)
        return 0;
    static const int terms[] = {E8K_F_agents, E8K_F_fee_pct,
                                E8K_F_gross_proceeds, E8K_F_net_proceeds,
                                E8K_F_closing_date, E8K_F_agreement_date,
                                E8K_F_registration_number,
                                E8K_F_price_per_share, E8K_F_coupon_pct,
                                E8K_F_conversion_price};
    int n = 0;
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++)
        n += o->npicks[terms[i]] > 0;
    if (HAS(o, offering_type))
        return n >= 2;
    /* a sale under a registration statement whose proceeds the issuer
       received ("The closing of the Offering occurred on ...", "net
       proceeds of approximately $18.3 million", "File No. 333-281562"):
       an offering, whatever the words that would name its kind */
    if (HAS(o, registration_number) &&
        (HAS(o, net_proceeds) || HAS(o, gross_proceeds)) && n >= 3)
        return 1;
    /* a term sheet of notes with its amounts cut: the terms that only a
       security being issued has, three of them */
    static const int note_terms[] = {E8K_F_coupon_pct, E8K_F_conversion_price,
                                     E8K_F_maturity_date,
                                     E8K_F_beneficial_ownership_cap_pct};
    int k = 0;
    for (size_t i = 0; i < sizeof note_terms / sizeof note_terms[0]; i++)
        k += o->npicks[note_terms[i]] > 0;
    return k >= 3;
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

/* Whether the tranche's sentences call its security `kind`. */
static int stated_security(const e8k_records *r, const e8k_offering *o,
                           const char *kind)
{
    for (size_t k = 0; k < o->npicks[E8K_F_security]; k++) {
        const e8k_value *v = &r->cands[o->picks[E8K_F_security][k]].v;
        if (v->string && !strcmp(v->string, kind))
            return 1;
    }
    return 0;
}

/* The kind of security, from what the tranche sells. */
static void derive_security(const deal *d, size_t t, e8k_offering *o)
{
    const e8k_records *r = d->r;
    const tranche *tr = &d->tr[t];
    if (HAS(o, principal_amount)) {
        const e8k_cand *a = FIRST(r, o, principal_amount);
        int conv = HAS(o, conversion_price) || stated_security(r, o, "convertible_notes");
        for (size_t k = 0; k < o->npicks[E8K_F_principal_amount] && !conv; k++) {
            const e8k_value *v = &r->cands[o->picks[E8K_F_principal_amount][k]].v;
            conv = e8k_memcasemem(v->text, strlen(v->text), "convertible") != NULL;
        }
        set_security(o, &a->v, conv ? "convertible_notes" : "notes");
    } else if (HAS(o, shares_offered)) {
        const e8k_cand *a = FIRST(r, o, shares_offered);
        int cls = e8k_deal_anchor_class(a);
        set_security(o, &a->v, cls == CLS_UNITS       ? "units"
                               : cls == CLS_PREFERRED ? "preferred_stock"
                                                      : "common_stock");
    } else if (option_opened(d, t) && tr->cls == CLS_COMMON) {
        set_security(o, &FIRST(r, o, overallotment_shares)->v, "common_stock");
    } else if (HAS(o, max_aggregate_amount)) {
        set_security(o, &FIRST(r, o, max_aggregate_amount)->v, "common_stock");
    } else if (owns_statement(d, t)) {
        /* the cover's "We are offering shares of our common stock" over
           the kinds a base prospectus lists that it may offer some day */
        size_t st = e8k_deal_statement(d);
        set_security(o, &r->cands[st].v, r->cands[st].v.string);
    } else if (!tr->key && tr->kind != TR_PP && !tr->conc && HAS(o, security)) {
        /* no amount stated, but what is sold is named ("shares of its
           Series D convertible preferred stock", "convertible notes") */
        const e8k_cand *a = FIRST(r, o, security);
        set_security(o, &a->v, a->v.string);
    } else if (HAS(o, warrants_offered) || HAS(o, prefunded_warrants_offered)) {
        set_security(o, HAS(o, warrants_offered)
                            ? &FIRST(r, o, warrants_offered)->v
                            : &FIRST(r, o, prefunded_warrants_offered)->v,
                     "warrants_only");
    } else if (e8k_deal_statement(d) != NONE && d->ntx == 1 && !tr->key) {
        size_t st = e8k_deal_statement(d);
        set_security(o, &r->cands[st].v, r->cands[st].v.string);
    } else if ((tr->key || tr->kind == TR_PP || tr->conc) &&
               (HAS(o, warrant_exercise_price) || HAS(o, warrant_term_years))) {
        set_security(o, HAS(o, warrant_exercise_price)
                            ? &FIRST(r, o, warrant_exercise_price)->v
                            : &FIRST(r, o, warrant_term_years)->v,
                     "warrants_only");
    }
}

/* A privately placed tranche with no type of its own is a "pipe": the
 * cue that said so ("in a concurrent private placement") is its value. */
static int pp_type(deal *d, size_t t, e8k_offering *o)
{
    const tranche *tr = &d->tr[t];
    e8k_records *r = d->r;
    if (tr->cue == NONE || !(tr->kind == TR_PP || tr->conc))
        return 0;
    /* its own words may name the registered offering beside it */
    if (HAS(o, offering_type) && (type_is(r, o, "pipe") || type_is(r, o, "rule144a")))
        return 0;
    if (E8K_GROW(r->cands, r->cands_cap, r->ncands + 1) != 0)
        return -1;
    e8k_cand *c = &r->cands[r->ncands];
    *c = r->cands[tr->cue];
    c->kind = E8K_REC_OFFERING;
    c->v.field = "offering_type";
    c->v.type = "enum";
    c->v.string = "pipe";
    c->v.has_number = 0;
    c->v.params = NULL;
    c->v.nparams = 0;
    size_t *p = realloc(o->picks[E8K_F_offering_type], sizeof *p);
    if (!p)
        return -1;
    o->picks[E8K_F_offering_type] = p;
    p[0] = r->ncands++;
    o->npicks[E8K_F_offering_type] = 1;
    return 0;
}

/* Whether transaction x is told in a prospectus (424B*, S-1, S-3, F-1,
 * F-3 and their amendments): what it offers it offers now. */
static int in_prospectus(const deal *d, const txn *x)
{
    if (x->first_sent == NONE)
        return 0;
    const char *ty = d->r->sents[x->first_sent].doc_type;
    return ty && (e8k_glob_match("424B*", ty) || e8k_glob_match("S-[13]*", ty) ||
                  e8k_glob_match("F-[13]*", ty));
}

static int build_tranche(deal *d, size_t t, const field_lists *fl,
                         int anchorless)
{
    e8k_records *r = d->r;
    const txn *x = &d->tx[d->tr[t].txn];
    int old = old_txn(d, x);
    if (x->terminated)
        return 0;
    e8k_offering o;
    memset(&o, 0, sizeof o);
    o.series = d->tr[t].key;
    for (int f = 0; f < E8K_NFIELDS; f++) {
        const size_t *list = fl->cand + fl->start[f];
        size_t n = fl->start[f + 1] - fl->start[f];
        int rc = f == E8K_F_agents ? pick_agents(d, t, list, n, &o, f)
                                   : pick_field(d, t, list, n, &o, f);
        if (rc != 0) {
            free_picks(&o);
            return -1;
        }
    }
    if (pp_type(d, t, &o) != 0) {
        free_picks(&o);
        return -1;
    }
    make_coherent(d, t, &o);
    /* a deal dated long before the report is history it recounts; but a
       prospectus offers under an at-the-market program whatever the date
       of its sales agreement */
    if ((old && !(type_is(r, &o, "atm") && in_prospectus(d, x))) ||
        !has_evidence(d, t, &o, anchorless)) {
        free_picks(&o);
        return 0;
    }
    derive_security(d, t, &o);
    e8k_offering *arr = realloc(r->offs, (r->noffs + 1) * sizeof *arr);
    if (!arr) {
        free_picks(&o);
        return -1;
    }
    r->offs = arr;
    r->offs[r->noffs++] = o;
    return 0;
}

int e8k_records_build_offerings(e8k_records *r)
{
    deal d;
    memset(&d, 0, sizeof d);
    d.r = r;
    d.ncand = r->ncands;
    size_t n = r->ncands + 1;
    d.si = malloc((r->nsents + 1) * sizeof *d.si);
    d.owner = malloc(n * sizeof *d.owner);
    d.shared = malloc(n * sizeof *d.shared);
    d.far = calloc(n, 1);
    d.farlist = malloc(n * sizeof *d.farlist);
    d.drop = calloc(n, 1);
    d.cues = malloc(n * sizeof *d.cues);
    d.scope = malloc(n * sizeof *d.scope);
    d.opts = malloc(n * sizeof *d.opts);
    d.nslots = 16;
    while (d.nslots < 2 * n)
        d.nslots *= 2;
    d.slots = calloc(d.nslots, sizeof *d.slots);
    d.cuecap = n;
    field_lists fl = {NULL, {0}};
    int rc = -1;
    if (!d.si || !d.owner || !d.shared || !d.drop || !d.cues || !d.far ||
        !d.farlist || !d.scope || !d.opts || !d.slots)
        goto out;
    for (size_t i = 0; i < n; i++)
        d.owner[i] = d.shared[i] = d.scope[i] = NONE;
    e8k_deal_read_context(&d);
    if (!d.report_day && r->filed)
        d.report_day = e8k_deal_days_of(r->filed);
    if (e8k_deal_segment(&d) != 0 || list_fields(&d, &fl) != 0)
        goto out;
    /* An excerpt may leave out the amounts (the back half of an 8-K item);
       a whole filing that states none sells nothing. */
    int anchorless = d.ntx == 0 && (r->excerpt || e8k_deal_statement(&d) != NONE);
    if (anchorless && e8k_deal_anchorless_txn(&d) != 0)
        goto out;
    if (anchorless && d.term_pending)
        d.tx[0].terminated = 1;
    rc = 0;
    /* A filing reports the deal it is about, the first it states; an
       excerpt may list several (a note of a quarterly report). */
    for (size_t x = 0; x < d.ntx && rc == 0; x++) {
        size_t before = r->noffs;
        EACH_TRANCHE(&d, x, t)
            if ((rc = build_tranche(&d, t, &fl, anchorless)) != 0)
                break;
        if (!r->excerpt && r->noffs > before)
            break;
    }
out:
    free(fl.cand);
    free(d.si);
    free(d.owner);
    free(d.shared);
    free(d.drop);
    free(d.far);
    free(d.farlist);
    free(d.cues);
    free(d.scope);
    free(d.opts);
    free(d.slots);
    free(d.sets);
    free(d.tr);
    free(d.tx);
    return rc;
}
