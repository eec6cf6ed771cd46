/* SPDX-License-Identifier: MIT */
/* records_segment.c: reads the sentences in order and gives every
 * candidate its transaction and tranche, or its transaction's shared terms
 * (records_deal.h says how). */
#include "records_deal.h"

#include <math.h>
#include <stdlib.h>
#include <strings.h>

/* ---- transactions and tranches ------------------------------------------- */

static size_t new_txn(deal *d)
{
    if (E8K_GROW(d->tx, d->txcap, d->ntx + 1) != 0)
        return NONE;
    d->tx[d->ntx] = (txn){0, 0, 0, NONE, NONE, NONE, NONE};
    return d->ntx++;
}

static size_t new_tranche(deal *d, size_t x, int kind, int cls,
                          const char *key, size_t sent)
{
    if (E8K_GROW(d->tr, d->trcap, d->ntr + 1) != 0)
        return NONE;
    tranche *t = &d->tr[d->ntr];
    memset(t, 0, sizeof *t);
    t->txn = x;
    t->kind = d->tx[x].first_tr == NONE ? TR_BASE : kind;
    t->cls = cls;
    t->key = key;
    t->last_sent = sent;
    t->cue = NONE;
    t->next = NONE;
    if (d->tx[x].first_tr == NONE)
        d->tx[x].first_tr = d->ntr;
    else
        d->tr[d->tx[x].last_tr].next = d->ntr;
    d->tx[x].last_tr = d->ntr;
    return d->ntr++;
}

static unsigned long long anchor_key(const e8k_cand *c)
{
    unsigned long long h = 1469598103934665603ULL;
    for (const char *p = c->v.field; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    /* equal values (e8k_same_value) agree to 9 digits */
    h = (h ^ (unsigned long long)llround(c->v.number * 1000)) * 1099511628211ULL;
    for (const char *p = c->series ? c->series : ""; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h ? h : 1;
}

static int same_statement(const e8k_cand *a, const e8k_cand *c)
{
    return !strcmp(a->v.field, c->v.field) && e8k_same_value(&a->v, &c->v) &&
           !a->series == !c->series && (!a->series || !strcmp(a->series, c->series));
}

/* The slot of the anchor stating what c states, or the empty slot where
 * it would go. */
static anchor_slot *anchor_slot_of(const deal *d, const e8k_cand *c)
{
    unsigned long long k = anchor_key(c);
    size_t mask = d->nslots - 1;
    for (size_t i = (size_t)k & mask;; i = (i + 1) & mask) {
        anchor_slot *sl = &d->slots[i];
        if (!sl->key || (sl->key == k && same_statement(&d->r->cands[sl->cand], c)))
            return sl;
    }
}

static void add_anchor(deal *d, size_t t, size_t c, size_t sent)
{
    tranche *tr = &d->tr[t];
    const e8k_cand *ca = &d->r->cands[c];
    if (tr->nanchors < MAX_ANCHORS)
        tr->anchors[tr->nanchors++] = c;
    tr->last_sent = sent;
    if (field_is(ca, "shares_offered") || option_anchor(d->si, ca))
        tr->has_shares = 1;
    if (field_is(ca, "warrants_offered") || warrant_field(ca->v.field))
        tr->has_warrants = 1;
    if (tr->cls == CLS_NONE && primary_anchor(ca))
        tr->cls = e8k_deal_anchor_class(ca);
    if (primary_anchor(ca) && ca->v.has_number) {
        anchor_slot *sl = anchor_slot_of(d, ca);
        if (!sl->key) /* the first tranche to state it keeps it */
            *sl = (anchor_slot){anchor_key(ca), c, t};
    }
    for (size_t i = 0; i < ca->v.nparams; i++)
        if (!strcmp(ca->v.params[i].name, "alias") && ca->v.params[i].text &&
            !tr->alias)
            tr->alias = ca->v.params[i].text;
    d->owner[c] = t;
}

/* Whether amount c is amount a of tranche t with the option's shares or
 * notes added: "we completed the sale of an aggregate of 69,000,000 shares"
 * after 60,000,000 firm shares and a 9,000,000 share option. */
static int with_option(const deal *d, size_t t, const e8k_cand *a,
                       const e8k_cand *c)
{
    if (!a->v.has_number || !c->v.has_number)
        return 0;
    for (size_t k = 0; k < d->nopts; k++) {
        size_t i = d->opts[k];
        const e8k_cand *o = &d->r->cands[i];
        /* the option's shares, or the option's notes stated beside the
           base amount ("$220 million ..., plus up to an additional $30
           million aggregate principal amount ... to cover over-allotments") */
        int option = (d->owner[i] == t && field_is(o, "overallotment_shares")) ||
                     (o->kind == E8K_REC_CONTEXT && o->sent == a->sent &&
                      field_is(o, "option_amount"));
        if (option && o->v.has_number &&
            fabs(a->v.number + o->v.number - c->v.number) < 0.5)
            return 1;
    }
    return 0;
}

/* Whether amount c of tranche t is another of its amounts with the
 * option added: the base amount is the one reported. */
int e8k_deal_option_sum(const deal *d, size_t t, const e8k_cand *c)
{
    for (size_t i = 0; i < d->tr[t].nanchors; i++) {
        const e8k_cand *a = &d->r->cands[d->tr[t].anchors[i]];
        if (a != c && !strcmp(a->v.field, c->v.field) &&
            !e8k_same_value(&a->v, &c->v) && with_option(d, t, a, c))
            return 1;
    }
    return 0;
}

/* The one keyed tranche of transaction x of the class of anchor c, when
 * c restates its amount (with or without the option): "the Debentures"
 * after "2.75% Senior Convertible Debentures due 2027 (the Debentures)". */
static size_t sole_keyed(const deal *d, size_t x, const e8k_cand *c)
{
    size_t found = NONE;
    EACH_TRANCHE(d, x, t) {
        if (!d->tr[t].key || found != NONE || d->tr[t].cls != e8k_deal_anchor_class(c))
            return NONE;
        found = t;
    }
    if (found == NONE)
        return NONE;
    for (size_t i = 0; i < d->tr[found].nanchors; i++) {
        const e8k_cand *a = &d->r->cands[d->tr[found].anchors[i]];
        if (!strcmp(a->v.field, c->v.field) &&
            (e8k_same_value(&a->v, &c->v) || with_option(d, found, a, c)))
            return found;
    }
    return NONE;
}

/* Whether anchor c may belong to tranche t: the same kind of security and
 * no other amount of it. */
static int fits(const deal *d, size_t t, const e8k_cand *c)
{
    const tranche *tr = &d->tr[t];
    if (tr->key || tr->kind == TR_PP)
        return 0;
    if (primary_anchor(c) && tr->cls != CLS_NONE && tr->cls != e8k_deal_anchor_class(c))
        return 0;
    for (size_t i = 0; i < tr->nanchors; i++) {
        const e8k_cand *a = &d->r->cands[tr->anchors[i]];
        if (!strcmp(a->v.field, c->v.field) && !e8k_same_value(&a->v, &c->v) &&
            !with_option(d, t, a, c))
            return 0;
    }
    return 1;
}

/* A tranche of any transaction that states the same amount as anchor c:
 * an exhibit or press release repeating the deal of the report. */
static size_t tranche_stating(const deal *d, const e8k_cand *c)
{
    if (!primary_anchor(c) || !c->v.has_number)
        return NONE;
    const anchor_slot *sl = anchor_slot_of(d, c);
    return sl->key ? sl->tr : NONE;
}

static size_t keyed_tranche(const deal *d, size_t x, const char *key)
{
    EACH_TRANCHE(d, x, t)
        if (d->tr[t].key &&
            (!strcmp(d->tr[t].key, key) ||
             (d->tr[t].alias && !strcmp(d->tr[t].alias, key))))
            return t;
    return NONE;
}

static size_t pp_tranche(const deal *d, size_t x)
{
    EACH_TRANCHE(d, x, t)
        if (d->tr[t].kind == TR_PP)
            return t;
    return NONE;
}

/* The state of the reading: where the text is and what it spoke of last. */
typedef struct cursor {
    size_t doc;
    size_t tx, tr;     /* current transaction and tranche, or NONE */
    size_t lead;       /* first sentence of the document not yet placed */
    size_t stmt[4];    /* tranches anchored in the current sentence */
    size_t nstmt;
    int merged;        /* a document of a filing read as telling the deal
                          its first document tells */
    int closed;        /* a later event's date ended the transaction: what
                          follows waits for the statement it leads to */
    size_t ended;      /* the transaction so ended, or NONE */
    size_t set;        /* the series the latest statement named together,
                          or NONE */
} cursor;

/* Whether c states what is sold, whatever series it names: an amount, a
 * security sold beside one, a cover's statement, an option's shares. */
static int states_sale(const deal *d, const e8k_cand *c)
{
    return primary_anchor(c) || attach_anchor(c) || statement_anchor(c) ||
           option_anchor(d->si, c);
}

/* Whether candidate i states what a tranche sells. */
static int is_anchor(const deal *d, size_t i)
{
    const e8k_cand *c = &d->r->cands[i];
    return !d->drop[i] && c->kind == E8K_REC_OFFERING &&
           (states_sale(d, c) || (c->starts_series && c->series));
}

static int near(const deal *d, size_t s, size_t last);

/* Values placed far from any statement in the sentences just before a new
 * transaction's first statement are its lead ("Recent Developments: At
 * the Market Offering. On October 11, 2024, we entered into a sales
 * agreement ... We sold 4,583,084 shares"). */
static void claim_lead(deal *d, size_t s, size_t x)
{
    /* far values are listed in reading order: look back from the end */
    for (size_t k = d->nfar; k-- > 0;) {
        size_t i = d->farlist[k], cs = d->r->cands[i].sent;
        if (cs >= s)
            continue;
        if (d->r->sents[cs].doc != d->r->sents[s].doc ||
            (s - cs > NEAR_SENTENCES && d->r->sents[cs].para != d->r->sents[s].para))
            break;
        if (d->far[i] && d->shared[i] == 0) {
            d->shared[i] = x;
            d->far[i] = 0;
        }
    }
}

/* Whether c is a row of a term sheet headed by its series' name ("The
 * Debentures shall have the following terms:") in the document of
 * transaction x's latest statement: the deal's terms for that series,
 * however far from its first statement. */
static int term_sheet_row(const deal *d, size_t x, const e8k_cand *c)
{
    return e8k_deal_has_param(c, "term_sheet") &&
           d->tx[x].last_sent != NONE &&
           d->r->sents[c->sent].doc == d->r->sents[d->tx[x].last_sent].doc;
}

/* Whether a sentence states an amount of a security that transaction x
 * already has another amount of: an event of its own, once it is dated. */
static int conflicts(const deal *d, size_t x, const size_t *ix, size_t from,
                     size_t to)
{
    for (size_t k = from; k < to; k++) {
        const e8k_cand *c = &d->r->cands[ix[k]];
        if (d->drop[ix[k]] || c->kind != E8K_REC_OFFERING ||
            !primary_anchor(c) || term_sheet_row(d, x, c))
            continue;
        int same = 0, other = 0;
        int program = field_is(c, "max_aggregate_amount");
        EACH_TRANCHE(d, x, t) {
            for (size_t i = 0; i < d->tr[t].nanchors; i++) {
                const e8k_cand *a = &d->r->cands[d->tr[t].anchors[i]];
                if (!primary_anchor(a))
                    continue;
                /* a program of sales from time to time is another deal
                   than a sale of a stated amount */
                if (program != field_is(a, "max_aggregate_amount")) {
                    other = 1;
                    continue;
                }
                if (strcmp(a->v.field, c->v.field))
                    continue;
                /* the amount with the option added restates it */
                if (e8k_same_value(&a->v, &c->v) || with_option(d, t, a, c))
                    same = 1;
                else
                    other = 1;
            }
        }
        if (other && !same)
            return 1;
    }
    /* warrant series of other names than the transaction's own */
    int keyed = 0, known = 0, novel = 0;
    EACH_TRANCHE(d, x, t)
        keyed |= d->tr[t].key != NULL;
    for (size_t k = from; k < to && keyed; k++) {
        const e8k_cand *c = &d->r->cands[ix[k]];
        if (d->drop[ix[k]] || c->kind != E8K_REC_OFFERING || !c->series ||
            !c->starts_series)
            continue;
        if (keyed_tranche(d, x, c->series) != NONE || term_sheet_row(d, x, c))
            known = 1;
        else
            novel = 1;
    }
    return novel && !known;
}

/* Whether the sentence states an amount transaction x already has. */
static int restates(const deal *d, size_t x, const size_t *ix, size_t from,
                    size_t to)
{
    for (size_t k = from; k < to; k++) {
        const e8k_cand *c = &d->r->cands[ix[k]];
        size_t t;
        if (!d->drop[ix[k]] && c->kind == E8K_REC_OFFERING && primary_anchor(c) &&
            (t = tranche_stating(d, c)) != NONE && d->tr[t].txn == x)
            return 1;
    }
    return 0;
}

/* Whether sentence info si opens with a date long before the report's
 * ("On September 24, 2021, we entered into a securities purchase
 * agreement" in a 2025 prospectus): the deal it tells is history. */
static int history(const deal *d, const sinfo *si)
{
    return !d->r->excerpt && d->report_day && (si->flags & S_DATE) &&
           si->date < d->report_day - HISTORY_DAYS;
}

int e8k_deal_history(const deal *d, size_t sent)
{
    return history(d, &d->si[sent]);
}

/* Chooses the transaction of a sentence that states what is sold. */
static size_t txn_for(deal *d, cursor *cu, size_t s, const size_t *ix,
                      size_t from, size_t to)
{
    const sinfo *si = &d->si[s];
    size_t x = cu->tx;
    /* a sentence that opens with the date of another event than the
       transaction's; undated, one that states another amount (unless it
       tells the concurrent placement, whose terms differ) */
    int date_breaks = x != NONE && (si->flags & S_DATE) &&
                      (d->tx[x].has_date
                           ? labs(si->date - d->tx[x].date) > EVENT_DAYS
                           : history(d, si) ||
                                 (!(si->flags & S_CONC) && conflicts(d, x, ix, from, to)));
    /* another amount stated far from the transaction's statements is
       another deal (a prospectus recounting an earlier one) */
    int far = x != NONE && !(si->flags & S_CONC) && !cu->merged &&
              !near(d, s, d->tx[x].first_sent) && conflicts(d, x, ix, from, to);
    if (x == NONE || date_breaks || far) {
        x = NONE;
        for (size_t k = from; k < to && x == NONE; k++) {
            const e8k_cand *c = &d->r->cands[ix[k]];
            if (!d->drop[ix[k]] && c->kind == E8K_REC_OFFERING &&
                primary_anchor(c)) {
                size_t t = tranche_stating(d, c);
                if (t != NONE) {
                    x = d->tr[t].txn;
                    cu->tr = t;
                }
            }
        }
        /* another document that restates the filing's deal tells that
           deal, as one that states none of its amounts does below */
        if (x == 0 && cu->tx == NONE && !d->r->excerpt &&
            d->r->sents[s].doc != d->r->sents[d->tx[0].first_sent].doc)
            cu->merged = 1;
        if (x == NONE && cu->tx == NONE && !cu->closed && !d->r->excerpt &&
            d->ntx > 0 &&
            !((si->flags & S_DATE) && d->tx[0].has_date &&
              labs(si->date - d->tx[0].date) > EVENT_DAYS)) {
            /* another document of a filing (its press release, its
               agreement) tells the filing's deal: figures that differ from
               the report's are alternates of the same terms, for the
               validator to weigh, not another deal */
            x = 0;
            cu->tr = d->tx[0].first_tr;
            cu->merged = 1;
        }
        if (x == NONE) {
            x = new_txn(d);
            cu->tr = NONE;
            claim_lead(d, s, x);
        }
    }
    if (x != NONE && d->term_pending && d->tx[x].first_tr == NONE) {
        d->tx[x].terminated = 1; /* its end was told before its terms */
        d->term_pending = 0;
    }
    /* the date of the sentence that first states the transaction's
       securities, or states them again, dates it; so does the sentence
       just before its first statement, in its paragraph ("On July 13,
       2020, the Company entered into an agreement ... Sales under the
       agreement ... up to $7.0 million.") */
    if (x != NONE && !d->tx[x].has_date &&
        (d->tx[x].first_tr == NONE || restates(d, x, ix, from, to))) {
        const sinfo *lead = (si->flags & S_DATE) ? si : NULL;
        if (!lead && d->tx[x].first_tr == NONE && s > 0 &&
            (d->si[s - 1].flags & S_DATE) &&
            d->r->sents[s - 1].doc == d->r->sents[s].doc &&
            d->r->sents[s - 1].para == d->r->sents[s].para)
            lead = &d->si[s - 1];
        if (lead) {
            d->tx[x].has_date = 1;
            d->tx[x].date = lead->date;
        }
    }
    return x;
}

/* The unkeyed tranche of transaction x that sells securities of class cls. */
static size_t tranche_of_class(const deal *d, size_t x, int cls)
{
    EACH_TRANCHE(d, x, t)
        if (d->tr[t].cls == cls && !d->tr[t].key &&
            d->tr[t].kind != TR_PP && !d->tr[t].conc)
            return t;
    return NONE;
}

/* A tranche of transaction x that sells no stated amount of a security
 * yet (pre-funded warrants stated first): the first amount is its own. */
static size_t unclassed_tranche(const deal *d, size_t x)
{
    EACH_TRANCHE(d, x, t)
        if (d->tr[t].cls == CLS_NONE && !d->tr[t].key &&
            d->tr[t].kind != TR_PP && !d->tr[t].conc)
            return t;
    return NONE;
}

/* Whether the sentence states an amount of shares or notes before the
 * concurrent placement cue at offset `at`: those are the base offering's. */
static int primary_before(const deal *d, const size_t *ix, size_t from,
                          size_t to, size_t at)
{
    for (size_t k = from; k < to; k++) {
        const e8k_cand *c = &d->r->cands[ix[k]];
        if (!d->drop[ix[k]] && c->kind == E8K_REC_OFFERING &&
            primary_anchor(c) && c->v.text_span.start < at)
            return 1;
    }
    return 0;
}

/* A keyed tranche of this sentence whose anchor overlaps c. */
static size_t overlapping_keyed(const deal *d, const cursor *cu,
                                const e8k_cand *c)
{
    for (size_t i = 0; i < cu->nstmt; i++) {
        const tranche *t = &d->tr[cu->stmt[i]];
        if (!t->key)
            continue;
        for (size_t k = 0; k < t->nanchors; k++) {
            const e8k_cand *a = &d->r->cands[t->anchors[k]];
            if (a->sent == c->sent &&
                a->v.text_span.start < c->v.text_span.end &&
                c->v.text_span.start < a->v.text_span.end)
                return cu->stmt[i];
        }
    }
    return NONE;
}

static void note_stmt(cursor *cu, size_t t)
{
    for (size_t i = 0; i < cu->nstmt; i++)
        if (cu->stmt[i] == t)
            return;
    if (cu->nstmt < 4)
        cu->stmt[cu->nstmt++] = t;
}

/* Whether every tranche the current sentence states is a keyed series. */
static int keyed_statements(const deal *d, const cursor *cu)
{
    for (size_t i = 0; i < cu->nstmt; i++)
        if (!d->tr[cu->stmt[i]].key)
            return 0;
    return cu->nstmt > 0;
}

/* The first statement of what is sold, naming its agreement's date
 * ("pursuant to a securities purchase agreement dated March 3, 2025"),
 * dates an undated transaction as a sentence that opens with the date
 * would. */
static void date_by_agreement(deal *d, size_t x, const size_t *ix,
                              size_t from, size_t to)
{
    for (size_t k = from; k < to && !d->tx[x].has_date; k++) {
        const e8k_cand *c = &d->r->cands[ix[k]];
        if (!d->drop[ix[k]] && field_is(c, "agreement_date") && c->v.string) {
            d->tx[x].has_date = 1;
            d->tx[x].date = e8k_deal_days_of(c->v.string);
        }
    }
}

/* Gives every anchor of sentence s (candidates ix[from..to)) a tranche. */
static int place_anchors(deal *d, cursor *cu, size_t s, const size_t *ix,
                         size_t from, size_t to)
{
    size_t x = txn_for(d, cu, s, ix, from, to);
    if (x == NONE)
        return -1;
    const sinfo *si = &d->si[s];
    size_t here = NONE; /* the tranche of this sentence's unkeyed anchors */
    cu->nstmt = 0;
    for (size_t k = from; k < to; k++) {
        size_t i = ix[k];
        e8k_cand *c = &d->r->cands[i];
        if (d->drop[i] || c->kind != E8K_REC_OFFERING)
            continue;
        int keyed = c->series && (c->starts_series ||
                                  keyed_tranche(d, x, c->series) != NONE);
        if (!keyed && !states_sale(d, c))
            continue;
        int conc = (si->flags & S_CONC) &&
                   (c->v.text_span.start >= si->cue_at || !primary_before(d, ix, from, to, si->cue_at));
        size_t t = keyed ? NONE : overlapping_keyed(d, cu, c);
        if (t != NONE) {
            /* the same warrants as a keyed statement: "Series G warrants to
               purchase 6,053,000 shares" matched with and without key */
        } else if (keyed) {
            if (!c->starts_series && !primary_anchor(c) && !attach_anchor(c))
                continue; /* a keyed term, not a statement of the series */
            t = keyed_tranche(d, x, c->series);
            if (t == NONE &&
                (t = new_tranche(d, x, TR_SERIES, CLS_NONE, c->series, s)) == NONE)
                return -1;
            d->tr[t].conc |= conc;
            if (d->tr[t].cue == NONE && conc)
                d->tr[t].cue = si->cue;
        } else if (conc) {
            t = pp_tranche(d, x);
            if (t == NONE &&
                (t = new_tranche(d, x, TR_PP, CLS_NONE, NULL, s)) == NONE)
                return -1;
            d->tr[t].conc = 1;
            if (d->tr[t].cue == NONE)
                d->tr[t].cue = si->cue;
        } else if (here == NONE && primary_anchor(c) &&
                   (t = sole_keyed(d, x, c)) != NONE) {
            /* the series restated by its defined name */
        } else if (here != NONE &&
                   (!primary_anchor(c) || d->tr[here].cls == CLS_NONE ||
                    d->tr[here].cls == e8k_deal_anchor_class(c))) {
            t = here; /* one sentence, one kind of security: one tranche */
        } else if (cu->tr != NONE && d->tr[cu->tr].txn == x &&
                   fits(d, cu->tr, c) &&
                   (primary_anchor(c) || near(d, s, d->tr[cu->tr].last_sent))) {
            /* warrants told far from the securities they would come with
               are another matter (an agent's, a licensor's) */
            t = cu->tr;
        } else if (!primary_anchor(c) && d->tx[x].first_tr != NONE) {
            if (statement_anchor(c))
                d->owner[i] = d->tx[x].first_tr;
            continue; /* warrants that fit no tranche: outstanding ones, or
                         an agent's; a value, not a statement of a sale */
        } else {
            t = primary_anchor(c) ? tranche_stating(d, c) : NONE;
            if (t != NONE && d->tr[t].txn != x)
                t = NONE;
            if (t == NONE && primary_anchor(c))
                t = unclassed_tranche(d, x);
            if (t == NONE && primary_anchor(c) && cu->merged)
                t = tranche_of_class(d, x, e8k_deal_anchor_class(c));
            if (t == NONE &&
                (t = new_tranche(d, x, TR_CLASS,
                                 primary_anchor(c) ? e8k_deal_anchor_class(c)
                                 : option_anchor(d->si, c) ? CLS_COMMON
                                                           : CLS_NONE,
                                 NULL, s)) == NONE)
                return -1;
        }
        add_anchor(d, t, i, s);
        if (!keyed && !conc && !d->tr[t].key)
            here = t;
        note_stmt(cu, t);
    }
    cu->tx = x;
    if (cu->nstmt) { /* the sentence stated something of the transaction */
        d->tx[x].last_sent = s;
        if (d->tx[x].first_sent == NONE)
            d->tx[x].first_sent = s;
        if (d->tx[x].first_sent == s)
            date_by_agreement(d, x, ix, from, to);
    }
    if (here != NONE)
        cu->tr = here;
    else if (cu->nstmt == 1)
        cu->tr = cu->stmt[0];
    else if (cu->nstmt > 1)
        cu->tr = NONE; /* several series: what follows is about all */
    cu->set = NONE;
    if (cu->nstmt > 1 && keyed_statements(d, cu)) {
        if (E8K_GROW(d->sets, d->setcap, d->nsets + 1) != 0)
            return -1;
        series_set *ss = &d->sets[d->nsets];
        ss->n = cu->nstmt;
        memcpy(ss->tr, cu->stmt, cu->nstmt * sizeof *cu->stmt);
        cu->set = d->nsets++;
    }
    return 0;
}

/* The tranche whose anchor in this sentence comes last before offset at. */
static size_t stmt_before(const deal *d, const cursor *cu, size_t at)
{
    size_t best = NONE, best_at = 0;
    int keyed_only = 1;
    for (size_t i = 0; i < cu->nstmt; i++)
        keyed_only &= d->tr[cu->stmt[i]].key != NULL;
    /* a list of note series: what the sentence says besides the series is
       said of them all */
    if (keyed_only && cu->nstmt > 1)
        return NONE;
    for (size_t i = 0; i < cu->nstmt; i++) {
        const tranche *t = &d->tr[cu->stmt[i]];
        if (t->key && !keyed_only)
            continue; /* an unkeyed value is about an unkeyed security */
        for (size_t k = 0; k < t->nanchors; k++) {
            const e8k_cand *a = &d->r->cands[t->anchors[k]];
            size_t a_at = a->v.text_span.start;
            if (a->sent == d->r->cands[t->anchors[t->nanchors - 1]].sent &&
                a_at <= at && (best == NONE || a_at >= best_at)) {
                best = cu->stmt[i];
                best_at = a_at;
            }
        }
    }
    return best;
}

/* The most recent tranche of the current transaction that has what the
 * field is about (shares for a price, warrants for warrant terms). */
static size_t by_affinity(const deal *d, size_t t, const e8k_cand *c)
{
    /* "a purchase price of $0.125 per warrant" prices the warrants sold
       beside the shares, not the shares */
    int warrant_price = field_is(c, "price_per_share") &&
                        e8k_memcasemem(c->v.text, strlen(c->v.text), "per warrant");
    int want_w = warrant_field(c->v.field) || warrant_price;
    int want_s = (field_is(c, "price_per_share") && !warrant_price) ||
                 field_is(c, "overallotment_shares");
    if ((!want_w || d->tr[t].has_warrants) && (!want_s || d->tr[t].has_shares))
        return t;
    size_t last = t; /* the latest tranche of its transaction that has it */
    EACH_TRANCHE(d, d->tr[t].txn, k)
        if ((want_w && d->tr[k].has_warrants) || (want_s && d->tr[k].has_shares))
            last = k;
    return last;
}

static int near(const deal *d, size_t s, size_t last)
{
    if (last == NONE)
        return 0; /* a transaction that has stated nothing yet */
    const e8k_sent *a = &d->r->sents[s], *b = &d->r->sents[last];
    return a->doc == b->doc && (a->para == b->para ||
                                (s >= last && s - last <= NEAR_SENTENCES) ||
                                (last >= s && last - s <= NEAR_SENTENCES));
}

/* Places a value that is no anchor. */
static void place_value(deal *d, const cursor *cu, size_t s, size_t i)
{
    e8k_cand *c = &d->r->cands[i];
    size_t t;
    if (c->series && cu->tx != NONE &&
        (t = keyed_tranche(d, cu->tx, c->series)) != NONE) {
        d->owner[i] = t;
        return;
    }
    if (cu->nstmt && d->r->cands[i].sent == s) {
        /* how and when the deal is sold, said in a sentence that states
           several securities, is said of them all */
        if (cu->nstmt > 1 && deal_term(c)) {
            d->shared[i] = cu->tx;
            return;
        }
        t = stmt_before(d, cu, c->v.text_span.start);
        if (t == NONE && cu->nstmt == 1)
            t = cu->stmt[0];
        if (t != NONE && !(d->si[s].flags & S_ALL)) {
            d->owner[i] = d->tr[t].key ? t : by_affinity(d, t, c);
            return;
        }
        d->shared[i] = cu->tx;
        if (t == NONE && cu->set != NONE && !(d->si[s].flags & S_ALL))
            d->scope[i] = cu->set;
        return;
    }
    if (cu->tx == NONE)
        return; /* before the first anchor: placed once it is found */
    if (d->si[s].flags & S_ALL) {
        d->shared[i] = cu->tx;
        return;
    }
    if (cu->tr != NONE && near(d, s, d->tr[cu->tr].last_sent)) {
        const tranche *ct = &d->tr[cu->tr];
        /* a concurrent placement told as an aside: a later paragraph that
           is not about its warrants is about the deal again */
        if (ct->conc && !warrant_field(c->v.field) &&
            d->r->sents[s].para != d->r->sents[ct->last_sent].para) {
            d->shared[i] = cu->tx;
            return;
        }
        d->owner[i] = ct->key ? cu->tr : by_affinity(d, cu->tr, c);
        return;
    }
    if (near(d, s, d->tx[cu->tx].last_sent)) {
        d->shared[i] = cu->tx;
        if (cu->set != NONE && cu->tr == NONE && !deal_term(c) &&
            s - d->tx[cu->tx].last_sent <= 1)
            d->scope[i] = cu->set; /* the next sentence, of the same series */
    } else {
        d->shared[i] = 0;
        d->far[i] = 1;
        d->farlist[d->nfar++] = i;
    }
}

/* Values stated before the first anchor of a document: the lead of a
 * statement ("On May 2, the Company entered into two underwriting
 * agreements ...") goes with it; what is far before goes to the main
 * transaction. */
static void place_lead(deal *d, const cursor *cu, size_t first_anchor_sent,
                       const size_t *ix, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++) {
        size_t i = ix[k];
        if (d->drop[i] || d->owner[i] != NONE || d->shared[i] != NONE)
            continue;
        size_t s = d->r->cands[i].sent;
        int close = first_anchor_sent != NONE && cu->tx != NONE &&
                    near(d, s, first_anchor_sent);
        d->shared[i] = close ? cu->tx : 0;
        d->far[i] = !close;
        if (!close)
            d->farlist[d->nfar++] = i;
    }
}

/* Whether transaction x has a warrant series sold in the concurrent
 * placement. */
static int conc_series(const deal *d, size_t x)
{
    EACH_TRANCHE(d, x, t)
        if (d->tr[t].conc)
            return 1;
    return 0;
}

/* A term keyed to a series told before the series' own statement ("one-
 * tenth of a Series A warrant" before "The Series A Warrants are
 * exercisable ...") belongs to the series' tranche once there is one. */
static void rekey(deal *d)
{
    for (size_t i = 0; i < d->ncand; i++) {
        const e8k_cand *c = &d->r->cands[i];
        size_t t = d->owner[i], k;
        if (d->drop[i] || !c->series || t == NONE || d->tr[t].key ||
            is_anchor(d, i) || (k = keyed_tranche(d, d->tr[t].txn, c->series)) == NONE)
            continue;
        d->owner[i] = k;
    }
}

/* Reads the sentences in order and places every candidate. */
int e8k_deal_segment(deal *d)
{
    e8k_records *r = d->r;
    pos_ref *pr = malloc((r->ncands + 1) * sizeof *pr);
    size_t *ix = malloc((r->ncands + 1) * sizeof *ix);
    size_t n = 0;
    if (!pr || !ix) {
        free(pr);
        free(ix);
        return -1;
    }
    for (size_t i = 0; i < d->ncand; i++)
        if (!d->drop[i] || r->cands[i].kind == E8K_REC_CONTEXT)
            pr[n++] = (pos_ref){r->cands[i].sent, r->cands[i].v.text_span.start, i};
    qsort(pr, n, sizeof *pr, e8k_deal_cmp_pos);
    for (size_t k = 0; k < n; k++)
        ix[k] = pr[k].cand;
    free(pr);
    cursor cu = {NONE, NONE, NONE, 0, {0}, 0, 0, 0, NONE, NONE};
    size_t lead_from = 0, first_anchor = NONE, pend_from = NONE;
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0;) {
        size_t s = r->cands[ix[k]].sent, e = k;
        while (e < n && r->cands[ix[e]].sent == s)
            e++;
        if (r->sents[s].doc != cu.doc) { /* a new document */
            place_lead(d, &cu, first_anchor, ix, lead_from, k);
            cu = (cursor){r->sents[s].doc, NONE, NONE, 0, {0}, 0, 0, 0, NONE, NONE};
            lead_from = k;
            first_anchor = NONE;
            pend_from = NONE;
        }
        cu.nstmt = 0;
        int has = 0;
        for (size_t q = k; q < e && !has; q++)
            has = is_anchor(d, ix[q]);
        /* a sentence that opens with the date of a later event ends the
           transaction: "On July 2, 2020, the Company terminated ..." after
           the terms of a 2015 agreement */
        const sinfo *si = &d->si[s];
        if ((si->flags & S_DATE) && cu.tx != NONE && d->tx[cu.tx].has_date &&
            labs(si->date - d->tx[cu.tx].date) > EVENT_DAYS) {
            cu.ended = cu.tx;
            cu.tx = NONE;
            cu.tr = NONE;
            cu.closed = 1;
            pend_from = k;
        }
        /* an agreement entered into after an end told before any terms is
           the new deal the end made room for, not the one that ended */
        for (size_t q = k; q < e && d->term_pending && cu.tx == NONE; q++)
            if (!d->drop[ix[q]] && field_is(&r->cands[ix[q]], "agreement_date") &&
                !(d->si[s].flags & S_TERM))
                d->term_pending = 0;
        if (has) {
            rc = place_anchors(d, &cu, s, ix, k, e);
            if (rc == 0 && pend_from != NONE) {
                place_lead(d, &cu, s, ix, pend_from, k);
                pend_from = NONE;
            }
            if (first_anchor == NONE) {
                first_anchor = s;
                place_lead(d, &cu, first_anchor, ix, lead_from, k);
                lead_from = k;
            }
        }
        for (size_t q = k; q < e && rc == 0; q++)
            if (!d->drop[ix[q]] && d->owner[ix[q]] == NONE &&
                d->shared[ix[q]] == NONE && first_anchor != NONE)
                place_value(d, &cu, s, ix[q]);
        if ((d->si[s].flags & S_CSALE) && cu.tx != NONE &&
            pp_tranche(d, cu.tx) == NONE && !conc_series(d, cu.tx)) {
            size_t t = new_tranche(d, cu.tx, TR_PP, CLS_NONE, NULL, s);
            if (t == NONE)
                rc = -1;
            else {
                d->tr[t].conc = 1;
                d->tr[t].cue = d->si[s].cue;
                cu.tr = t;
            }
        }
        if (d->si[s].flags & S_TERM) {
            /* the end of the deal just told, or of the one a later date
               ended; told before any deal, the end of the next one */
            if (cu.tx != NONE)
                d->tx[cu.tx].terminated = 1;
            else if (cu.ended != NONE)
                d->tx[cu.ended].terminated = 1;
            else
                d->term_pending = 1;
        }
        k = e;
    }
    if (rc == 0) {
        place_lead(d, &cu, first_anchor, ix, lead_from, n);
        rekey(d);
    }
    free(ix);
    return rc;
}

/* A prospectus cover that offers shares without a count yet ("We are
 * offering shares of our common stock"): the candidate, or NONE. */
size_t e8k_deal_statement(const deal *d)
{
    for (size_t i = 0; i < d->ncand; i++) {
        const e8k_cand *c = &d->r->cands[i];
        if (c->kind == E8K_REC_OFFERING && field_is(c, "offering_statement") &&
            !(d->si[c->sent].flags & S_NEG))
            return i;
    }
    return NONE;
}

/* A text with values but no anchor at all: one transaction of one
 * tranche, which has_evidence judges by its kind and terms. */
int e8k_deal_anchorless_txn(deal *d)
{
    size_t x = new_txn(d);
    return x == NONE || new_tranche(d, x, TR_BASE, CLS_NONE, NULL, 0) == NONE
               ? -1 : 0;
}
