/* SPDX-License-Identifier: MIT */
/* records_offer.c: gives each offering candidate its offering, then
 * chooses one value per field. A text may tell of several deals (a 10-Q
 * note lists a year's financings, a prospectus recounts earlier ones) and
 * one deal may sell several securities (a registered direct beside a
 * private placement of warrants, three note series, common and preferred
 * stock). The sentences are read in order: a statement of what is sold
 * (an anchor: a share count, a principal amount, a program size) opens or
 * continues a transaction and, inside it, a tranche; every other value goes
 * to the tranche its sentence or the sentences just before speak of, or
 * else to the transaction as a whole. Each tranche becomes an offering and
 * takes those terms of its transaction that apply to all its securities. */
#include "e8k_extract.h"
#ifdef E8K_DEBUG_DEAL
#include <stdio.h>
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NONE ((size_t)-1)

/* How many sentences after its latest anchor a tranche still claims the
 * values of sentences that do not say what they are about. */
#define NEAR_SENTENCES 4
/* Anchors in sentences that open with dates further apart than this are
 * two transactions ("On July 10, ..." and "On August 2, ..."), not the
 * agreement and the closing of one. */
#define EVENT_DAYS 10
#define MAX_ANCHORS 16

enum { CLS_NONE, CLS_COMMON, CLS_UNITS, CLS_PREFERRED, CLS_NOTES };
/* base: the first tranche of its transaction; series: keyed by a note year
 * or warrant series; pp: the concurrent private placement; class: another
 * security sold beside the base (preferred beside common stock). */
enum { TR_BASE, TR_SERIES, TR_PP, TR_CLASS };

#define S_NEG 1u  /* not about an offering by the issuer */
#define S_CONC 2u /* about the concurrent private placement */
#define S_ALL 4u  /* about all the offerings together */
#define S_DATE 8u /* opens with the date of an event */
#define S_TERM 16u /* reports the end of its transaction's agreement */
#define S_CSALE 32u /* the concurrent placement sells warrants */

typedef struct sinfo {
    unsigned flags;
    long date;   /* days, when S_DATE */
    size_t drops; /* its cues that drop fields: first index in deal.cues */
    size_t cue;  /* candidate of the concurrent placement cue, or NONE */
    size_t cue_at; /* its offset */
} sinfo;

typedef struct tranche {
    size_t txn;
    const char *key;
    const char *alias; /* another name of the series: notes due 2024 defined
                          as the "2019 Notes" */
    int kind, cls, conc;
    size_t last_sent;
    size_t anchors[MAX_ANCHORS];
    size_t nanchors;
    int has_shares, has_warrants;
    size_t cue;
} tranche;

typedef struct txn {
    int has_date, terminated;
    long date;
    size_t first_tr;
    size_t first_sent, last_sent; /* its first and latest anchors */
} txn;

/* The series a sentence stated together ("Series A-5 warrants ... and
 * Series A-6 warrants ..."): what it and the next say of them is said of
 * each of them, not of the rest of the deal. */
typedef struct series_set {
    size_t n, tr[4];
} series_set;

/* A cue that drops the named fields from offset `at` of its sentence. */
typedef struct drop_cue {
    size_t sent, at;
    const char *fields;
} drop_cue;

typedef struct deal {
    e8k_records *r;
    sinfo *si;
    drop_cue *cues;
    size_t ncues, cuecap;
    size_t *owner;  /* per candidate: its tranche, or NONE */
    size_t *shared; /* per candidate: the transaction whose common terms it
                       states, or NONE */
    unsigned char *far; /* per candidate: shared for want of a statement
                           near it (a prospectus's later sections) */
    size_t *farlist;    /* those candidates in reading order */
    size_t nfar;
    unsigned char *drop;
    tranche *tr;
    size_t ntr, trcap;
    txn *tx;
    size_t ntx, txcap;
    size_t *scope;      /* per candidate: its series set in sets, or NONE */
    struct series_set *sets;
    size_t nsets, setcap;
    int term_pending; /* an end reported before any transaction */
    long report_day;  /* the date the filing reports at, 0 unknown */
} deal;

/* ---- values ----------------------------------------------------------------- */

int e8k_same_value(const e8k_value *a, const e8k_value *b)
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

static int field_is(const e8k_cand *c, const char *field)
{
    return !strcmp(c->v.field, field);
}

static int warrant_field(const char *field)
{
    return !strncmp(field, "warrant", 7);
}

static int money_field(const char *field)
{
    return !strcmp(field, "gross_proceeds") || !strcmp(field, "net_proceeds");
}

static int is_agent_role(const char *role)
{
    return !strcmp(role, "placement_agent") || !strcmp(role, "underwriter") ||
           !strcmp(role, "sales_agent");
}

/* The candidates the assembly places: offering terms and agents. */
static int placed(const e8k_cand *c)
{
    return c->kind == E8K_REC_OFFERING ||
           (c->kind == E8K_REC_PARTY && is_agent_role(c->v.field));
}

static int has_param(const e8k_cand *c, const char *name)
{
    for (size_t i = 0; i < c->v.nparams; i++)
        if (!strcmp(c->v.params[i].name, name))
            return 1;
    return 0;
}

/* Days since 1970-01-01 of a "YYYY-MM-DD" string; 0 when malformed. */
static long days_of(const char *s)
{
    if (!s || strlen(s) != 10)
        return 0;
    long y = atol(s), m = atol(s + 5), d = atol(s + 8);
    if (m < 1 || m > 12)
        return 0;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* ---- anchors ---------------------------------------------------------------- */

/* A primary anchor says how much of a security is sold. */
static int primary_anchor(const e8k_cand *c)
{
    return field_is(c, "shares_offered") || field_is(c, "principal_amount") ||
           field_is(c, "max_aggregate_amount");
}

/* A prospectus cover that offers shares without a count yet ("We are
 * offering shares of our common stock"): it opens the offering. */
static int statement_anchor(const e8k_cand *c)
{
    return field_is(c, "offering_statement");
}

/* Pre-funded warrants and warrants sold with shares are part of the
 * tranche of those shares; keyed or privately placed they open their own. */
static int attach_anchor(const e8k_cand *c)
{
    return field_is(c, "prefunded_warrants_offered") ||
           field_is(c, "warrants_offered");
}

static int anchor_class(const e8k_cand *c)
{
    if (field_is(c, "principal_amount"))
        return CLS_NOTES;
    if (!field_is(c, "shares_offered"))
        return CLS_COMMON;
    size_t n = strlen(c->v.rule);
    if ((n > 6 && !strcmp(c->v.rule + n - 6, ".units")) ||
        e8k_memcasemem(c->v.text, strlen(c->v.text), " unit"))
        return CLS_UNITS;
    if (e8k_memcasemem(c->v.text, strlen(c->v.text), "preferred") ||
        (e8k_memcasemem(c->v.text, strlen(c->v.text), "series") &&
         !e8k_memcasemem(c->v.text, strlen(c->v.text), "common")))
        return CLS_PREFERRED;
    return CLS_COMMON;
}

/* ---- sentences ---------------------------------------------------------- */

static int starts_sentence(const e8k_records *r, const e8k_cand *c)
{
    const e8k_sent *s = &r->sents[c->sent];
    return c->v.text_span.start <= s->start + 3;
}

static int cmp_cue(const void *a, const void *b)
{
    const drop_cue *x = a, *y = b;
    if (x->sent != y->sent)
        return x->sent < y->sent ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* Whether `field` is named in a space-separated list of fields and
 * families ("warrant" names every warrant_* field). */
static int field_listed(const char *list, const char *field)
{
    size_t fl = strlen(field);
    for (const char *p = list; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n && n <= fl && !strncmp(p, field, n) &&
            (n == fl || field[n] == '_'))
            return 1;
        p += n;
    }
    return 0;
}

/* Whether a cue of the candidate's sentence drops it: an agent's
 * compensation warrants, the price underwriters pay. */
static int cue_drops(const deal *d, const e8k_cand *c)
{
    const char *field = c->kind == E8K_REC_PARTY ? "agents" : c->v.field;
    for (size_t k = d->si[c->sent].drops; k < d->ncues && d->cues[k].sent == c->sent;
         k++)
        if (c->v.text_span.start >= d->cues[k].at &&
            field_listed(d->cues[k].fields, field))
            return 1;
    return 0;
}

/* Reads the context cues into per-sentence flags and drops the values of
 * sentences about something else than an offering. */
static void read_context(deal *d)
{
    e8k_records *r = d->r;
    for (size_t i = 0; i < r->nsents; i++)
        d->si[i] = (sinfo){0, 0, NONE, NONE, 0};
    d->ncues = 0;
    for (size_t i = 0; i < r->ncands; i++) {
        const e8k_cand *c = &r->cands[i];
        if (c->kind != E8K_REC_CONTEXT)
            continue;
        sinfo *s = &d->si[c->sent];
        if (field_is(c, "not_offering"))
            s->flags |= S_NEG;
        else if (field_is(c, "concurrent")) {
            s->flags |= S_CONC;
            if (s->cue == NONE || c->v.text_span.start < s->cue_at) {
                s->cue = i;
                s->cue_at = c->v.text_span.start;
            }
        } else if (field_is(c, "all_offerings"))
            s->flags |= S_ALL;
        else if (field_is(c, "terminated"))
            s->flags |= S_TERM;
        else if (field_is(c, "concurrent_sale")) {
            s->flags |= S_CSALE | S_CONC;
            if (s->cue == NONE || c->v.text_span.start < s->cue_at) {
                s->cue = i;
                s->cue_at = c->v.text_span.start;
            }
        }
        else if (field_is(c, "report_date") && c->v.string) {
            if (!d->report_day)
                d->report_day = days_of(c->v.string);
        } else if (field_is(c, "event_date") && c->v.string &&
                 starts_sentence(r, c) && !(s->flags & S_DATE)) {
            s->flags |= S_DATE;
            s->date = days_of(c->v.string);
        } else if ((field_is(c, "drop_after") || field_is(c, "drop_sentence")) &&
                   c->v.string && d->ncues < d->cuecap) {
            size_t at = field_is(c, "drop_sentence") ? r->sents[c->sent].start
                                                      : c->v.text_span.start;
            d->cues[d->ncues++] = (drop_cue){c->sent, at, c->v.string};
        }
    }
    qsort(d->cues, d->ncues, sizeof *d->cues, cmp_cue);
    for (size_t k = d->ncues; k-- > 0;)
        d->si[d->cues[k].sent].drops = k;
    for (size_t i = 0; i < r->ncands; i++) {
        const e8k_cand *c = &r->cands[i];
        const sinfo *s = &d->si[c->sent];
        d->drop[i] = !placed(c) || (s->flags & S_NEG) ||
                     (c->kind == E8K_REC_PARTY &&
                      !e8k_records_party_names_firm(r, i)) ||
                     cue_drops(d, c);
    }
}

/* ---- transactions and tranches ------------------------------------------- */

static size_t new_txn(deal *d)
{
    if (E8K_GROW(d->tx, d->txcap, d->ntx + 1) != 0)
        return NONE;
    d->tx[d->ntx] = (txn){0, 0, 0, NONE, NONE, NONE};
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
    if (d->tx[x].first_tr == NONE)
        d->tx[x].first_tr = d->ntr;
    return d->ntr++;
}

static void add_anchor(deal *d, size_t t, size_t c, size_t sent)
{
    tranche *tr = &d->tr[t];
    const e8k_cand *ca = &d->r->cands[c];
    if (tr->nanchors < MAX_ANCHORS)
        tr->anchors[tr->nanchors++] = c;
    tr->last_sent = sent;
    if (field_is(ca, "shares_offered"))
        tr->has_shares = 1;
    if (field_is(ca, "warrants_offered") || warrant_field(ca->v.field))
        tr->has_warrants = 1;
    if (tr->cls == CLS_NONE && primary_anchor(ca))
        tr->cls = anchor_class(ca);
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
    for (size_t i = 0; i < d->r->ncands; i++) {
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
static int option_sum(const deal *d, size_t t, const e8k_cand *c)
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
    for (size_t t = 0; t < d->ntr; t++) {
        if (d->tr[t].txn != x)
            continue;
        if (!d->tr[t].key || found != NONE || d->tr[t].cls != anchor_class(c))
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
    if (primary_anchor(c) && tr->cls != CLS_NONE && tr->cls != anchor_class(c))
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
    for (size_t t = 0; t < d->ntr; t++)
        for (size_t i = 0; i < d->tr[t].nanchors; i++) {
            const e8k_cand *a = &d->r->cands[d->tr[t].anchors[i]];
            if (primary_anchor(a) && !strcmp(a->v.field, c->v.field) &&
                e8k_same_value(&a->v, &c->v) &&
                (!a->series == !c->series) &&
                (!a->series || !strcmp(a->series, c->series)))
                return t;
        }
    return NONE;
}

static size_t keyed_tranche(const deal *d, size_t x, const char *key)
{
    for (size_t t = 0; t < d->ntr; t++)
        if (d->tr[t].txn == x && d->tr[t].key &&
            (!strcmp(d->tr[t].key, key) ||
             (d->tr[t].alias && !strcmp(d->tr[t].alias, key))))
            return t;
    return NONE;
}

static size_t pp_tranche(const deal *d, size_t x)
{
    for (size_t t = 0; t < d->ntr; t++)
        if (d->tr[t].txn == x && d->tr[t].kind == TR_PP)
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

/* Whether candidate i states what a tranche sells. */
static int is_anchor(const deal *d, size_t i)
{
    const e8k_cand *c = &d->r->cands[i];
    return !d->drop[i] && c->kind == E8K_REC_OFFERING &&
           (primary_anchor(c) || attach_anchor(c) || statement_anchor(c) ||
            (c->starts_series && c->series));
}

static int near(const deal *d, size_t s, size_t last);
static int deal_term(const e8k_cand *c);
static size_t statement(const deal *d);
static size_t keyed_tranche(const deal *d, size_t x, const char *key);

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

/* Whether a sentence states an amount of a security that transaction x
 * already has another amount of: an event of its own, once it is dated. */
static int conflicts(const deal *d, size_t x, const size_t *ix, size_t from,
                     size_t to)
{
    for (size_t k = from; k < to; k++) {
        const e8k_cand *c = &d->r->cands[ix[k]];
        if (d->drop[ix[k]] || c->kind != E8K_REC_OFFERING || !primary_anchor(c))
            continue;
        int same = 0, other = 0;
        int program = field_is(c, "max_aggregate_amount");
        for (size_t t = 0; t < d->ntr; t++) {
            if (d->tr[t].txn != x)
                continue;
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
                if (e8k_same_value(&a->v, &c->v))
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
    for (size_t t = 0; t < d->ntr; t++)
        keyed |= d->tr[t].txn == x && d->tr[t].key != NULL;
    for (size_t k = from; k < to && keyed; k++) {
        const e8k_cand *c = &d->r->cands[ix[k]];
        if (d->drop[ix[k]] || c->kind != E8K_REC_OFFERING || !c->series ||
            !c->starts_series)
            continue;
        if (keyed_tranche(d, x, c->series) != NONE)
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
                           : !(si->flags & S_CONC) && conflicts(d, x, ix, from, to));
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
#ifdef E8K_DEBUG_DEAL
            fprintf(stderr, "NEWTXN at s%zu date_breaks %d far %d has_date %d\n", s,
                    date_breaks, far, cu->tx != NONE ? d->tx[cu->tx].has_date : -1);
#endif
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
       securities, or states them again, dates it */
    if (x != NONE && (si->flags & S_DATE) && !d->tx[x].has_date &&
        (d->tx[x].first_tr == NONE || restates(d, x, ix, from, to))) {
        d->tx[x].has_date = 1;
        d->tx[x].date = si->date;
    }
    return x;
}

/* The unkeyed tranche of transaction x that sells securities of class cls. */
static size_t tranche_of_class(const deal *d, size_t x, int cls)
{
    for (size_t t = 0; t < d->ntr; t++)
        if (d->tr[t].txn == x && d->tr[t].cls == cls && !d->tr[t].key &&
            d->tr[t].kind != TR_PP && !d->tr[t].conc)
            return t;
    return NONE;
}

/* A tranche of transaction x that sells no stated amount of a security
 * yet (pre-funded warrants stated first): the first amount is its own. */
static size_t unclassed_tranche(const deal *d, size_t x)
{
    for (size_t t = 0; t < d->ntr; t++)
        if (d->tr[t].txn == x && d->tr[t].cls == CLS_NONE && !d->tr[t].key &&
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

/* Gives every anchor of sentence s (candidates ix[from..to)) a tranche. */
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
            d->tx[x].date = days_of(c->v.string);
        }
    }
}

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
        if (!keyed && !primary_anchor(c) && !attach_anchor(c) &&
            !statement_anchor(c))
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
                    d->tr[here].cls == anchor_class(c))) {
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
                t = tranche_of_class(d, x, anchor_class(c));
            if (t == NONE &&
                (t = new_tranche(d, x, TR_CLASS,
                                 primary_anchor(c) ? anchor_class(c) : CLS_NONE,
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
    int want_w = warrant_field(c->v.field);
    int want_s = field_is(c, "price_per_share") ||
                 field_is(c, "overallotment_shares");
    if ((!want_w || d->tr[t].has_warrants) && (!want_s || d->tr[t].has_shares))
        return t;
    for (size_t k = d->ntr; k-- > 0;)
        if (d->tr[k].txn == d->tr[t].txn &&
            ((want_w && d->tr[k].has_warrants) ||
             (want_s && d->tr[k].has_shares)))
            return k;
    return t;
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

/* The terms of how, through whom and when a deal is sold. */
static int deal_term(const e8k_cand *c)
{
    return c->kind == E8K_REC_PARTY || field_is(c, "offering_type") ||
           field_is(c, "registration_number") || field_is(c, "closing_date") ||
           field_is(c, "agreement_date");
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

/* Candidates in reading order: by sentence, then offset. */
typedef struct pos_ref {
    size_t sent, at, cand;
} pos_ref;

static int cmp_pos(const void *a, const void *b)
{
    const pos_ref *x = a, *y = b;
    if (x->sent != y->sent)
        return x->sent < y->sent ? -1 : 1;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->cand < y->cand ? -1 : x->cand > y->cand;
}

/* Whether transaction x has a warrant series sold in the concurrent
 * placement. */
static int conc_series(const deal *d, size_t x)
{
    for (size_t t = 0; t < d->ntr; t++)
        if (d->tr[t].txn == x && d->tr[t].conc)
            return 1;
    return 0;
}

/* A term keyed to a series told before the series' own statement ("one-
 * tenth of a Series A warrant" before "The Series A Warrants are
 * exercisable ...") belongs to the series' tranche once there is one. */
static void rekey(deal *d)
{
    for (size_t i = 0; i < d->r->ncands; i++) {
        const e8k_cand *c = &d->r->cands[i];
        size_t t = d->owner[i], k;
        if (d->drop[i] || !c->series || t == NONE || d->tr[t].key ||
            is_anchor(d, i) || (k = keyed_tranche(d, d->tr[t].txn, c->series)) == NONE)
            continue;
        d->owner[i] = k;
    }
}

/* Reads the sentences in order and places every candidate. */
static int segment(deal *d)
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
    for (size_t i = 0; i < r->ncands; i++)
        if (!d->drop[i] || r->cands[i].kind == E8K_REC_CONTEXT)
            pr[n++] = (pos_ref){r->cands[i].sent, r->cands[i].v.text_span.start, i};
    qsort(pr, n, sizeof *pr, cmp_pos);
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
        "anti_dilution"};
    static const char *const deal_terms[] = {
        "offering_type", "agents", "registration_number", "closing_date"};
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
    for (size_t t = 0; t < d->ntr; t++)
        if (d->tr[t].txn == x && (d->tr[t].kind == TR_PP || d->tr[t].conc))
            return 1;
    return 0;
}

/* The tier of candidate i for tranche t: 2 its own, 1 stated for its
 * transaction, 0 stated for the first tranche and shared; -1 not its. */
static int tier_of(const deal *d, size_t t, size_t i)
{
    const e8k_cand *c = &d->r->cands[i];
    const tranche *tr = &d->tr[t];
    size_t first = d->tx[tr->txn].first_tr;
    int resale = has_param(c, "resale");
    int pp = tr->kind == TR_PP || tr->conc;
    if (d->drop[i])
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
        return 4;
    if (d->scope[i] != NONE && d->owner[i] == NONE) {
        const series_set *ss = &d->sets[d->scope[i]];
        for (size_t k = 0; k < ss->n; k++)
            if (ss->tr[k] == t)
                return 3;
        return -1;
    }
    if (resale && pp && d->owner[i] == NONE && d->shared[i] == tr->txn)
        return 4;
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
        /* a total with the option's amount added is no base amount */
        if (tier > 0 && (f == E8K_F_shares_offered || f == E8K_F_principal_amount) &&
            d->owner[list[k]] == t && option_sum(d, t, &r->cands[list[k]]))
            tier--;
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

/* Every agent of tranche t, once each, in the order the text names them. */
/* Adds candidate c to the agents picked unless the name is there. */
static void add_agent(const e8k_records *r, e8k_offering *o, int f, size_t c)
{
    const char *name = r->cands[c].v.string;
    for (size_t j = 0; j < o->npicks[f]; j++)
        if (!strcmp(r->cands[o->picks[f][j]].v.string, name))
            return;
    o->picks[f][o->npicks[f]++] = c;
}

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
    for (size_t i = 0; i < r->ncands; i++) {
        int f = d->drop[i] ? -1 : field_of(&r->cands[i]);
        if (f >= 0)
            fl->start[f + 1]++;
    }
    for (int f = 0; f < E8K_NFIELDS; f++)
        fl->start[f + 1] += fl->start[f];
    size_t at[E8K_NFIELDS];
    memcpy(at, fl->start, sizeof at);
    for (size_t i = 0; i < r->ncands; i++) {
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
    qsort(pr, na, sizeof *pr, cmp_pos);
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

static int owns_statement(const deal *d, size_t t)
{
    for (size_t i = 0; i < d->tr[t].nanchors; i++)
        if (statement_anchor(&d->r->cands[d->tr[t].anchors[i]]))
            return 1;
    for (size_t i = 0; i < d->r->ncands; i++)
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
        int cls = anchor_class(a);
        set_security(o, &a->v, cls == CLS_UNITS       ? "units"
                               : cls == CLS_PREFERRED ? "preferred_stock"
                                                      : "common_stock");
    } else if (HAS(o, max_aggregate_amount)) {
        set_security(o, &FIRST(r, o, max_aggregate_amount)->v, "common_stock");
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
    } else if (owns_statement(d, t) || (statement(d) != NONE && d->ntx == 1 && !tr->key)) {
        size_t st = statement(d);
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

/* A filing reports recent events: a deal dated more than a year before
 * the report is history it recounts (an excerpt's dates are not known to
 * be old: a 10-K note describes the year's deals). */
#define HISTORY_DAYS 180

static int build_tranche(deal *d, size_t t, const field_lists *fl,
                         int anchorless)
{
    e8k_records *r = d->r;
    const txn *x = &d->tx[d->tr[t].txn];
    if (x->terminated ||
        (!r->excerpt && d->report_day && x->has_date &&
         x->date < d->report_day - HISTORY_DAYS))
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
    if (!has_evidence(d, t, &o, anchorless)) {
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

/* A prospectus cover that offers shares without a count yet ("We are
 * offering shares of our common stock"): the candidate, or NONE. */
static size_t statement(const deal *d)
{
    for (size_t i = 0; i < d->r->ncands; i++) {
        const e8k_cand *c = &d->r->cands[i];
        if (c->kind == E8K_REC_OFFERING && field_is(c, "offering_statement") &&
            !(d->si[c->sent].flags & S_NEG))
            return i;
    }
    return NONE;
}

/* A text with values but no anchor at all: one transaction of one
 * tranche, which has_evidence judges by its kind and terms. */
static int anchorless_txn(deal *d)
{
    size_t x = new_txn(d);
    return x == NONE || new_tranche(d, x, TR_BASE, CLS_NONE, NULL, 0) == NONE
               ? -1 : 0;
}

#ifdef E8K_DEBUG_DEAL
#include <stdio.h>
static void debug_deal(const deal *d)
{
    for (size_t t = 0; t < d->ntr; t++)
        fprintf(stderr, "TRANCHE %zu txn %zu kind %d cls %d key %s conc %d\n", t,
                d->tr[t].txn, d->tr[t].kind, d->tr[t].cls,
                d->tr[t].key ? d->tr[t].key : "-", d->tr[t].conc);
    for (size_t i = 0; i < d->r->ncands; i++) {
        const e8k_cand *c = &d->r->cands[i];
        if (c->kind == E8K_REC_CLAUSE || c->kind == E8K_REC_FACT)
            continue;
        char val[64];
        if (c->v.has_number)
            snprintf(val, sizeof val, "%g", c->v.number);
        else
            snprintf(val, sizeof val, "%.60s", c->v.string ? c->v.string : "");
        fprintf(stderr, "  s%-4zu p%-4zu %-28s %-20s %s%ld%s %s%s [%s] %.70s\n", c->sent, d->r->sents[c->sent].para,
                c->v.field, val,
                d->owner[i] != NONE ? "own" : d->shared[i] != NONE ? "shr" : "   ",
                d->owner[i] != NONE ? (long)d->owner[i] : d->shared[i] != NONE ? (long)d->shared[i] : -1L,
                d->far[i] ? "far" : "",
                d->drop[i] ? "DROP " : "",
                c->series ? c->series : "",
                c->v.rule, c->v.text);
    }
}
#endif

int e8k_records_build_offerings(e8k_records *r)
{
    deal d;
    memset(&d, 0, sizeof d);
    d.r = r;
    size_t n = r->ncands + 1;
    d.si = malloc((r->nsents + 1) * sizeof *d.si);
    d.owner = malloc(n * sizeof *d.owner);
    d.shared = malloc(n * sizeof *d.shared);
    d.far = calloc(n, 1);
    d.farlist = malloc(n * sizeof *d.farlist);
    d.drop = calloc(n, 1);
    d.cues = malloc(n * sizeof *d.cues);
    d.scope = malloc(n * sizeof *d.scope);
    d.cuecap = n;
    field_lists fl = {NULL, {0}};
    int rc = -1;
    if (!d.si || !d.owner || !d.shared || !d.drop || !d.cues || !d.far ||
        !d.farlist || !d.scope)
        goto out;
    for (size_t i = 0; i < n; i++)
        d.owner[i] = d.shared[i] = d.scope[i] = NONE;
    read_context(&d);
    if (!d.report_day && r->filed)
        d.report_day = days_of(r->filed);
    if (segment(&d) != 0 || list_fields(&d, &fl) != 0)
        goto out;
    /* An excerpt may leave out the amounts (the back half of an 8-K item);
       a whole filing that states none sells nothing. */
    int anchorless = d.ntx == 0 && (r->excerpt || statement(&d) != NONE);
    if (anchorless && anchorless_txn(&d) != 0)
        goto out;
    if (anchorless && d.term_pending)
        d.tx[0].terminated = 1;
    rc = 0;
#ifdef E8K_DEBUG_DEAL
    debug_deal(&d);
#endif
    /* A filing reports the deal it is about, the first it states; an
       excerpt may list several (a note of a quarterly report). */
    for (size_t x = 0; x < d.ntx && rc == 0; x++) {
        size_t before = r->noffs;
        for (size_t t = 0; t < d.ntr && rc == 0; t++)
            if (d.tr[t].txn == x)
                rc = build_tranche(&d, t, &fl, anchorless);
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
    free(d.sets);
    free(d.tr);
    free(d.tx);
    return rc;
}
