/* SPDX-License-Identifier: MIT */
/* records_deal.c: the context of the offering assembly (records_deal.h):
 * per sentence, whether it tells no offering, opens with an event's date,
 * tells the concurrent placement, all offerings or an end; the cues that
 * drop fields; and small readings of one candidate (its date, its class
 * of security). */
#include "records_deal.h"
#include "e8k_validate.h" /* e8k_date_days */

#include <math.h>
#include <stdlib.h>
#include <strings.h>

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

/* The candidates the assembly places: offering terms and agents. */
static int placed(const e8k_cand *c)
{
    return c->kind == E8K_REC_OFFERING ||
           (c->kind == E8K_REC_PARTY && is_agent_role(c->v.field));
}

int e8k_deal_has_param(const e8k_cand *c, const char *name)
{
    for (size_t i = 0; i < c->v.nparams; i++)
        if (!strcmp(c->v.params[i].name, name))
            return 1;
    return 0;
}

/* Days since 1970-01-01 of a "YYYY-MM-DD" string; 0 when malformed. */
long e8k_deal_days_of(const char *s)
{
    long days;
    return s && e8k_date_days(s, &days) == 0 ? days : 0;
}

/* ---- anchors ---------------------------------------------------------------- */

int e8k_deal_anchor_class(const e8k_cand *c)
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
    /* an item of a list is told after all of the sentence that
       introduces it: every cue of that sentence drops from the item */
    size_t l = d->si[c->sent].lead;
    for (size_t k = l == NONE ? d->ncues : d->si[l].drops;
         k < d->ncues && d->cues[k].sent == l; k++)
        if (field_listed(d->cues[k].fields, field))
            return 1;
    return 0;
}

/* Gives each item of a list the sentence that introduces the list: the
 * sentence before the first item, when it ends with a colon. */
static void read_lists(deal *d)
{
    const e8k_records *r = d->r;
    for (size_t i = 1; i < r->nsents; i++) {
        const e8k_sent *s = &r->sents[i], *p = &r->sents[i - 1];
        if (!s->item || s->doc != p->doc)
            continue;
        d->si[i].lead = p->lead_in ? i - 1 : d->si[i - 1].lead;
    }
}

/* Reads the context cues into per-sentence flags and drops the values of
 * sentences about something else than an offering. */
void e8k_deal_read_context(deal *d)
{
    e8k_records *r = d->r;
    for (size_t i = 0; i < r->nsents; i++)
        d->si[i] = (sinfo){0, 0, NONE, NONE, 0, NONE};
    read_lists(d);
    d->ncues = 0;
    d->nopts = 0;
    for (size_t i = 0; i < d->ncand; i++) {
        const e8k_cand *c = &r->cands[i];
        if (field_is(c, "overallotment_shares") || field_is(c, "option_amount"))
            d->opts[d->nopts++] = i;
        if (c->kind != E8K_REC_CONTEXT)
            continue;
        sinfo *s = &d->si[c->sent];
        if (field_is(c, "not_offering")) {
            int capital = c->v.string && !strcmp(c->v.string, "authorized_capital");
            /* one other cue of the sentence drops its par value too */
            s->flags = capital && !(s->flags & S_NEG) ? s->flags | S_NEG | S_CAPITAL
                                                      : (s->flags | S_NEG) & ~S_CAPITAL;
        }
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
                d->report_day = e8k_deal_days_of(c->v.string);
        } else if (field_is(c, "event_date") && c->v.string &&
                 starts_sentence(r, c) && !(s->flags & S_DATE)) {
            s->flags |= S_DATE;
            s->date = e8k_deal_days_of(c->v.string);
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
    for (size_t i = 0; i < d->ncand; i++) {
        const e8k_cand *c = &r->cands[i];
        const sinfo *s = &d->si[c->sent];
        /* "authorized to issue 175,000,000 shares of common stock, $0.0001
           par value per share": no sale, but the stock's par value */
        int par = (s->flags & S_CAPITAL) && field_is(c, "par_value");
        d->drop[i] = !placed(c) || ((s->flags & S_NEG) && !par) ||
                     (c->kind == E8K_REC_PARTY &&
                      !e8k_records_party_names_firm(r, i)) ||
                     cue_drops(d, c);
    }
    for (size_t i = 0; i < d->ncand; i++) {
        const e8k_cand *c = &r->cands[i];
        if (!d->drop[i] && field_is(c, "shares_offered"))
            d->si[c->sent].flags |= S_COUNT;
        if (!d->drop[i] && field_is(c, "price_per_share"))
            d->si[c->sent].flags |= S_PRICE;
    }
}

int e8k_deal_cmp_pos(const void *a, const void *b)
{
    const pos_ref *x = a, *y = b;
    if (x->sent != y->sent)
        return x->sent < y->sent ? -1 : 1;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->cand < y->cand ? -1 : x->cand > y->cand;
}
