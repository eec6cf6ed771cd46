/* SPDX-License-Identifier: MIT */
/* validate_facts.c: the filing-level checks of press-release facts: cash
 * bridges (cash before plus net proceeds, before less a stated decrease)
 * and stated changes (a percentage or a multiple against the two figures
 * it relates), each with the tolerance its figures allow
 * (docs/validation.md). */
#include "e8k_validate.h"
#include "e8k_values.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ---- facts: cash bridges and stated changes -------------------------------------- */

typedef struct fctx {
    const e8k_vinput *in;
    e8k_report *rep;
    e8k_value pv[64]; /* pseudo-values made from params */
    size_t npv;
} fctx;

static const e8k_param *param(const e8k_value *v, const char *name)
{
    for (size_t i = 0; v && i < v->nparams; i++)
        if (v->params[i].name && !strcmp(v->params[i].name, name))
            return &v->params[i];
    return NULL;
}

static const char *param_string(const e8k_value *v, const char *name)
{
    const e8k_param *p = param(v, name);
    return p ? (p->string ? p->string : p->text) : NULL;
}

static const e8k_value *fact_at(const fctx *c, size_t i)
{
    return c->in->facts[i];
}

/* A fact's as-of date in days, or `dflt`. */
static long as_of(const e8k_value *v, long dflt)
{
    long d;
    const char *s = param_string(v, "as_of");
    return s && !e8k_date_days(s, &d) ? d : dflt;
}

static int is_metric(const e8k_value *v, const char *metric)
{
    return v && v->has_number && v->field && !strcmp(v->field, metric);
}

/* The cash balances: the latest (after) and the earliest (before). */
static void cash_balances(const fctx *c, const e8k_value **early,
                          const e8k_value **late)
{
    *early = *late = NULL;
    for (size_t i = 0; i < c->in->nfacts; i++) {
        const e8k_value *v = fact_at(c, i);
        if (!is_metric(v, "cash"))
            continue;
        if (!*late || as_of(v, 0) > as_of(*late, 0))
            *late = v;
        if (!*early || as_of(v, 0) < as_of(*early, 0))
            *early = v;
    }
    if (*early == *late)
        *early = NULL;
}

static const e8k_value *first_fact(const fctx *c, const char *metric)
{
    for (size_t i = 0; i < c->in->nfacts; i++)
        if (is_metric(fact_at(c, i), metric))
            return fact_at(c, i);
    return NULL;
}

static const e8k_value *offering_net(const fctx *c)
{
    for (size_t i = 0; i < c->in->noffs; i++)
        if (c->in->offs[i].n[E8K_VF_NET] &&
            c->in->offs[i].v[E8K_VF_NET][0]->has_number)
            return c->in->offs[i].v[E8K_VF_NET][0];
    return NULL;
}

static void fuse(fctx *c, const char *name, const e8k_value *v)
{
    e8k_report_use(c->rep, name, v, e8k_value_tolerance(v));
}

static void bridge_result(fctx *c, e8k_ival x, const e8k_value *after,
                          const char *what)
{
    double st = e8k_value_result_tolerance(after);
    int ok = e8k_ival_agrees(x, after->number, st);
    char a[64], b[64];
    e8k_report_set_numbers(c->rep, x.v, after->number, 1,
                           e8k_ival_halfwidth(x) + st);
    e8k_report_set(c->rep, ok ? E8K_CHECK_PASS : E8K_CHECK_FAIL,
                   "%s = %s; the filing states %s", what, e8k_fmt(a, 32, x.v),
                   e8k_fmt(b, 32, after->number));
}

static void check_cash_offering(fctx *c)
{
    e8k_report_add(c->rep, "cash.bridge_offering", E8K_NO_OFFERING,
                   "cash_before + net_proceeds = cash_after_offering", "USD");
    const e8k_value *early, *late, *net = offering_net(c);
    const e8k_value *after = first_fact(c, "cash_after_offering");
    cash_balances(c, &early, &late);
    if (!after || !late || !net) {
        e8k_report_set(c->rep, E8K_CHECK_SKIPPED, "needs a cash balance, net"
                       " proceeds and the cash expected after the offering");
        return;
    }
    fuse(c, "cash_before", late);
    fuse(c, "net_proceeds", net);
    fuse(c, "cash_after_offering", after);
    bridge_result(c, e8k_ival_add(e8k_value_ival(late), e8k_value_ival(net)),
                  after, "cash before + net proceeds");
}

static void check_cash_change(fctx *c)
{
    e8k_report_add(c->rep, "cash.bridge_change", E8K_NO_OFFERING,
                   "cash_before -/+ cash_change = cash_after", "USD");
    const e8k_value *early, *late, *chg = first_fact(c, "cash_change");
    cash_balances(c, &early, &late);
    if (!chg || !early || !late) {
        e8k_report_set(c->rep, E8K_CHECK_SKIPPED, "needs two cash balances "
                       "and the stated change between them");
        return;
    }
    const char *dir = param_string(chg, "direction");
    int down = dir && (!strcmp(dir, "decrease") || !strcmp(dir, "decline"));
    fuse(c, "cash_before", early);
    fuse(c, "cash_change", chg);
    fuse(c, "cash_after", late);
    e8k_ival d = e8k_value_ival(chg);
    e8k_ival x = down ? e8k_ival_sub(e8k_value_ival(early), d)
                      : e8k_ival_add(e8k_value_ival(early), d);
    bridge_result(c, x, late, down ? "cash before - decrease"
                                   : "cash before + increase");
}

/* A value for a param ("prior": "$6.8 million"), normalized again from its
 * text for its precision, with its fact's provenance. */
static const e8k_value *param_value(fctx *c, const e8k_value *fact,
                                    const char *name, e8k_vtype type)
{
    const e8k_param *p = param(fact, name);
    e8k_norm nm;
    if (!p || !p->has_number || !p->text ||
        e8k_normalize(type, p->text, strlen(p->text), 1, &nm) != 0)
        return NULL;
    if (c->npv >= sizeof c->pv / sizeof c->pv[0])
        return NULL;
    e8k_value *v = &c->pv[c->npv++];
    *v = *fact;
    v->field = name;
    v->type = e8k_vtype_name(type);
    v->unit = p->unit;
    v->number = p->number;
    v->has_number = 1;
    v->precision = nm.precision;
    v->qualifier = nm.qualifier; /* the param's own words only */
    v->text = p->text;
    v->params = NULL;
    v->nparams = 0;
    return v;
}

/* The current figure of a metric: a fact of it that is not the prior. */
static const e8k_value *current_of(const fctx *c, const char *metric,
                                   double prior)
{
    const e8k_value *best = NULL;
    for (size_t i = 0; i < c->in->nfacts; i++) {
        const e8k_value *v = fact_at(c, i);
        if (!is_metric(v, metric) || fabs(v->number - prior) < 1e-9 ||
            (v->rule && strstr(v->rule, "prior")))
            continue;
        if (!best || (param(v, "prior") && !param(best, "prior")))
            best = v;
    }
    return best;
}

static void change_result(fctx *c, const e8k_value *cur, const e8k_value *prior,
                          const e8k_value *stated, int down)
{
    char id[96];
    snprintf(id, sizeof id, "change.%s", cur->field);
    e8k_report_add(c->rep, id, E8K_NO_OFFERING,
                   "change_pct = (current / prior - 1) x 100", "percent");
    fuse(c, "current", cur);
    fuse(c, "prior", prior);
    fuse(c, "stated_change", stated);
    if (prior->number == 0) {
        e8k_report_set(c->rep, E8K_CHECK_SKIPPED, "prior figure is zero");
        return;
    }
    e8k_ival x = e8k_ival_scale(
        e8k_ival_sub(e8k_ival_div(e8k_value_ival(cur), e8k_value_ival(prior)),
                     e8k_ival_exact(1)), 100);
    double s = down ? -stated->number : stated->number;
    double st = e8k_value_result_tolerance(stated);
    int ok = e8k_ival_agrees(x, s, st);
    char a[64], b[64];
    e8k_report_set_numbers(c->rep, x.v, s, 1, e8k_ival_halfwidth(x) + st);
    e8k_report_set(c->rep, ok ? E8K_CHECK_PASS : E8K_CHECK_FAIL,
                   "%s -> %s is a change of %.1f%%; the filing states %+g%%",
                   e8k_fmt(a, 32, prior->number), e8k_fmt(b, 32, cur->number), x.v, s);
}

/* "almost double": the ratio against the multiple, by its qualifier. */
static void multiple_result(fctx *c, const e8k_value *cur,
                            const e8k_value *prior, const e8k_value *stated)
{
    e8k_report_add(c->rep, "change.multiple", E8K_NO_OFFERING,
                   "current / prior against the stated multiple (almost: "
                   "0.85m..m; about: m +-10%; more than: > m)", "multiple");
    fuse(c, "current", cur);
    fuse(c, "prior", prior);
    fuse(c, "stated_multiple", stated);
    if (prior->number <= 0) {
        e8k_report_set(c->rep, E8K_CHECK_SKIPPED, "prior figure not positive");
        return;
    }
    e8k_ival r = e8k_ival_div(e8k_value_ival(cur), e8k_value_ival(prior));
    double m = stated->number, lo = 0.9 * m, hi = 1.1 * m;
    const char *q = stated->qualifier ? stated->qualifier : "";
    if (!strcmp(q, "almost") || !strcmp(q, "nearly"))
        lo = 0.85 * m, hi = m;
    else if (!strcmp(q, "at_least") || !strcmp(q, "more_than"))
        lo = m, hi = INFINITY;
    int ok = r.hi >= lo && r.lo <= hi;
    e8k_report_set_numbers(c->rep, m, r.v, 1, e8k_ival_halfwidth(r));
    e8k_report_set(c->rep, ok ? E8K_CHECK_PASS : E8K_CHECK_FAIL,
                   "ratio %.3f (%.3f..%.3f) against %s%g (%.3f..%.3f)", r.v,
                   r.lo, r.hi, *q ? q : "", m, lo, hi);
}

/* A fact stating a change: its metric, current and prior figures. */
static void change_of_fact(fctx *c, const e8k_value *v)
{
    const char *f = v->field ? v->field : "";
    size_t fl = strlen(f);
    if (v->has_number && param(v, "change") && param(v, "prior")) {
        const e8k_value *ch = param_value(c, v, "change", E8K_V_PERCENT);
        const e8k_value *pr = param_value(c, v, "prior", E8K_V_MONEY);
        const char *dir = param_string(v, "direction");
        if (ch && pr)
            change_result(c, v, pr, ch, dir && strcmp(dir, "increase") != 0);
        return;
    }
    int is_change = !strcmp(f, "change") ||
                    (fl > 7 && !strcmp(f + fl - 7, "_change") &&
                     strcmp(f, "cash_change"));
    if (!is_change || !v->has_number)
        return;
    char metric[64];
    snprintf(metric, sizeof metric, "%.*s", (int)(fl > 7 ? fl - 7 : 0), f);
    const char *m = param_string(v, "metric");
    if (!strcmp(f, "change"))
        snprintf(metric, sizeof metric, "%s", m ? m : "");
    if (!strcmp(metric, "revenues")) /* the facts name it "revenue" */
        metric[7] = '\0';
    const e8k_value *pr = param_value(c, v, "prior", E8K_V_MONEY);
    if (!pr) { /* from a fact of the metric that names its prior */
        const e8k_value *cur = current_of(c, metric, NAN);
        if (!cur || param(cur, "change"))
            return; /* stated on that fact: checked there */
        pr = param_value(c, cur, "prior", E8K_V_MONEY);
    }
    const e8k_value *cur = pr ? current_of(c, metric, pr->number) : NULL;
    if (!cur)
        return;
    const char *dir = param_string(v, "direction");
    if (v->unit && !strcmp(v->unit, "multiple"))
        multiple_result(c, cur, pr, v);
    else
        change_result(c, cur, pr, v, dir && strcmp(dir, "increase") != 0);
}

int e8k_validate_facts(const e8k_vinput *in, e8k_report *rep)
{
    fctx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    c->in = in;
    c->rep = rep;
    check_cash_offering(c);
    check_cash_change(c);
    for (size_t i = 0; i < in->nfacts; i++)
        change_of_fact(c, fact_at(c, i));
    free(c);
    return 0;
}

