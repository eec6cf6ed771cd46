/* SPDX-License-Identifier: MIT */
/* records_deal.h: the state of the offering assembly, shared by its three
 * files. A text may tell of several deals (a 10-Q note lists a year's
 * financings, a prospectus recounts earlier ones) and one deal may sell
 * several securities (a registered direct beside a private placement of
 * warrants, three note series, common and preferred stock). The sentences
 * are read in order (records_segment.c): a statement of what is sold (an
 * anchor: a share count, a principal amount, a program size) opens or
 * continues a transaction and, inside it, a tranche; every other value
 * goes to the tranche its sentence or the sentences just before speak of,
 * or else to the transaction as a whole. Each tranche becomes an offering
 * (records_offer.c) and takes those terms of its transaction that apply to
 * all its securities. records_deal.c reads the context candidates: which
 * sentences are about no offering, which open with an event's date, which
 * cues drop what. */
#ifndef E8K_RECORDS_DEAL_H
#define E8K_RECORDS_DEAL_H

#include "e8k_extract.h"

#include <string.h>

#define NONE ((size_t)-1)

/* How many sentences after its latest anchor a tranche still claims the
 * values of sentences that do not say what they are about. */
#define NEAR_SENTENCES 4
/* Anchors in sentences that open with dates further apart than this are
 * two transactions ("On July 10, ..." and "On August 2, ..."), not the
 * agreement and the closing of one. */
#define EVENT_DAYS 10
/* A filing reports recent events: a deal dated more than this before the
 * report is history it recounts (an excerpt's dates are not known to be
 * old: a 10-K note describes the year's deals). */
#define HISTORY_DAYS 180
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
#define S_COUNT 64u /* states a count of shares sold */
#define S_PRICE 128u /* states a price per share */
#define S_CAPITAL 256u /* not about an offering only as it tells the
                          authorized capital, whose par value is the
                          stock's */

typedef struct sinfo {
    unsigned flags;
    long date;   /* days, when S_DATE */
    size_t drops; /* its cues that drop fields: first index in deal.cues */
    size_t cue;  /* candidate of the concurrent placement cue, or NONE */
    size_t cue_at; /* its offset */
    size_t lead;   /* an item of a list: the sentence that introduces the
                      list ("we also issued the following placement agent
                      warrants:"), whose cues it inherits; or NONE */
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
    size_t next; /* the next tranche of its transaction, or NONE */
} tranche;

typedef struct txn {
    int has_date, terminated;
    long date;
    size_t first_tr, last_tr; /* its tranches, a list through next */
    size_t first_sent, last_sent; /* its first and latest anchors */
} txn;

/* The tranches of transaction x, in the order they were opened. */
#define EACH_TRANCHE(d, x, t) \
    for (size_t t = (d)->tx[x].first_tr; t != NONE; t = (d)->tr[t].next)

/* An index of the primary anchors by (field, value, series), so that a
 * restated amount finds its tranche in constant time however many deals
 * a text tells. */
typedef struct anchor_slot {
    unsigned long long key; /* 0: empty */
    size_t cand, tr;
} anchor_slot;

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
    size_t ncand; /* the candidates the per-candidate arrays cover: the
                     choice adds derived ones (a placement's "pipe") */
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
    anchor_slot *slots; /* open addressing, a power of two of them */
    size_t nslots;
    size_t *opts;       /* the candidates that state an option's amount */
    size_t nopts;
    size_t *scope;      /* per candidate: its series set in sets, or NONE */
    struct series_set *sets;
    size_t nsets, setcap;
    int term_pending; /* an end reported before any transaction */
    long report_day;  /* the date the filing reports at, 0 unknown */
} deal;

/* Candidates in reading order: by sentence, then offset. */
typedef struct pos_ref {
    size_t sent, at, cand;
} pos_ref;

/* ---- questions about one candidate ---------------------------------------- */

static inline int field_is(const e8k_cand *c, const char *field)
{
    return !strcmp(c->v.field, field);
}

static inline int warrant_field(const char *field)
{
    return !strncmp(field, "warrant", 7);
}

static inline int money_field(const char *field)
{
    return !strcmp(field, "gross_proceeds") || !strcmp(field, "net_proceeds");
}

static inline int is_agent_role(const char *role)
{
    return !strcmp(role, "placement_agent") || !strcmp(role, "underwriter") ||
           !strcmp(role, "sales_agent");
}

/* A primary anchor says how much of a security is sold. */
static inline int primary_anchor(const e8k_cand *c)
{
    return field_is(c, "shares_offered") || field_is(c, "principal_amount") ||
           field_is(c, "max_aggregate_amount");
}

/* A prospectus cover that offers shares without a count yet ("We are
 * offering shares of our common stock"): it opens the offering. */
static inline int statement_anchor(const e8k_cand *c)
{
    return field_is(c, "offering_statement");
}

/* Pre-funded warrants and warrants sold with shares are part of the
 * tranche of those shares; keyed or privately placed they open their own. */
static inline int attach_anchor(const e8k_cand *c)
{
    return field_is(c, "prefunded_warrants_offered") ||
           field_is(c, "warrants_offered");
}

/* The option's shares told in a sale of shares at a price that states no
 * count of them (the count given is the total with the option's added:
 * "1,587,000 shares, including the underwriters' exercise in full of an
 * option to purchase an additional 207,000 shares, were sold to the public
 * at a price of $87.00 per share"): they say that shares are sold. */
static inline int option_anchor(const sinfo *si, const e8k_cand *c)
{
    return field_is(c, "overallotment_shares") &&
           (si[c->sent].flags & (S_COUNT | S_PRICE)) == S_PRICE;
}

/* The terms of how, through whom and when a deal is sold. */
static inline int deal_term(const e8k_cand *c)
{
    return c->kind == E8K_REC_PARTY || field_is(c, "offering_type") ||
           field_is(c, "registration_number") || field_is(c, "closing_date") ||
           field_is(c, "agreement_date");
}

/* ---- across the files ------------------------------------------------------ */

/* records_deal.c */
int e8k_deal_has_param(const e8k_cand *c, const char *name);
/* Days since 1970 of an ISO date "YYYY-MM-DD"; 0 when it is none. */
long e8k_deal_days_of(const char *s);
/* The kind of security an anchor states (CLS_*). */
int e8k_deal_anchor_class(const e8k_cand *c);
/* Reads the context candidates into d->si, d->cues and d->drop. */
void e8k_deal_read_context(deal *d);
/* qsort order of pos_ref: reading order. */
int e8k_deal_cmp_pos(const void *a, const void *b);

/* records_segment.c */
/* Places every candidate in a transaction and tranche. 0 ok, -1 no memory. */
int e8k_deal_segment(deal *d);
/* Whether amount c of tranche t is another of its amounts with the
 * option's added. */
int e8k_deal_option_sum(const deal *d, size_t t, const e8k_cand *c);
/* A cover's statement that shares are offered without a count: the
 * candidate, or NONE. */
size_t e8k_deal_statement(const deal *d);
/* Whether sentence `sent` opens with a date long before the report's:
 * what it tells is history. */
int e8k_deal_history(const deal *d, size_t sent);
/* One transaction of one tranche for a text with no anchor. */
int e8k_deal_anchorless_txn(deal *d);

#endif
