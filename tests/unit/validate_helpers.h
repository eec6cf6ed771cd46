/* validate_helpers.h: hand-built views for the validator tests: offering
 * fields and facts stated in chosen documents, a run of the checks and the
 * finding of one of them, and the seed's offering. Included by the
 * test_validate*.c files only. */
#ifndef E8K_VALIDATE_HELPERS_H
#define E8K_VALIDATE_HELPERS_H

#include "e8k_validate.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define near(a, b, tol) (fabs((double)(a) - (double)(b)) <= (tol))

/* ---- hand-built values ----------------------------------------------------- */

typedef struct hb {
    e8k_voffering o;
    e8k_value vals[64];
    size_t n;
    const e8k_value *facts[16];
    size_t nf;
    const char *filed, *period;
    e8k_report *rep;
} hb;

static inline hb *hb_new(void)
{
    hb *h = calloc(1, sizeof *h);
    cr_assert_not_null(h);
    return h;
}

static inline void hb_free(hb *h)
{
    e8k_report_free(h->rep);
    free(h);
}

static inline const char *type_of(e8k_vfield f, const char **unit)
{
    switch (f) {
    case E8K_VF_PRICE: case E8K_VF_PF_PRICE: case E8K_VF_EXPRICE:
    case E8K_VF_FEE_PER_SHARE:
        *unit = "USD/share";
        return "price";
    case E8K_VF_SHARES: case E8K_VF_OVERALLOT: case E8K_VF_PF:
    case E8K_VF_WARRANTS:
        *unit = "shares";
        return "shares";
    case E8K_VF_COVERAGE: case E8K_VF_CAP: case E8K_VF_FEE_PCT:
    case E8K_VF_ADVISORY: case E8K_VF_COUPON:
        *unit = "percent";
        return "percent";
    case E8K_VF_TERM:
        *unit = "years";
        return "duration";
    case E8K_VF_EXPIRY: case E8K_VF_AGREEMENT: case E8K_VF_CLOSING:
    case E8K_VF_MATURITY:
        *unit = "date";
        return "date";
    case E8K_VF_REGNO:
        *unit = NULL;
        return "text";
    default:
        *unit = "USD";
        return "money";
    }
}

static inline e8k_value *slot(hb *h, size_t doc)
{
    cr_assert(h->n < 64);
    e8k_value *v = &h->vals[h->n++];
    memset(v, 0, sizeof *v);
    v->document = doc;
    static const char *const types[] = {"8-K", "EX-1.1", "EX-4.1", "EX-99.1"};
    v->doc_type = types[doc % 4];
    v->doc_sequence = (int)doc + 1;
    v->span.start = 100 * doc;
    v->span.end = 100 * doc + 10;
    v->rule = "test";
    v->text = "hand-built";
    return v;
}

/* A figure of offering field f stated in document `doc`. */
static inline e8k_value *num_in(hb *h, e8k_vfield f, double x, double prec,
                         const char *q, size_t doc)
{
    e8k_value *v = slot(h, doc);
    v->field = e8k_vfield_name(f);
    v->type = type_of(f, &v->unit);
    v->has_number = 1;
    v->number = x;
    v->precision = prec;
    v->qualifier = q;
    h->o.v[f][h->o.n[f]++] = v;
    return v;
}

static inline e8k_value *num(hb *h, e8k_vfield f, double x, double prec, const char *q)
{
    return num_in(h, f, x, prec, q, 0);
}

static inline e8k_value *str_in(hb *h, e8k_vfield f, const char *s, const char *q,
                         size_t doc)
{
    e8k_value *v = slot(h, doc);
    v->field = e8k_vfield_name(f);
    v->type = type_of(f, &v->unit);
    v->string = s;
    v->qualifier = q;
    h->o.v[f][h->o.n[f]++] = v;
    return v;
}

static inline e8k_value *fact(hb *h, const char *metric, const char *type, double x,
                       double prec, const char *q, const e8k_param *p,
                       size_t np)
{
    e8k_value *v = slot(h, 3);
    v->field = metric;
    v->type = type;
    v->unit = !strcmp(type, "percent") ? "percent" : "USD";
    v->has_number = 1;
    v->number = x;
    v->precision = prec;
    v->qualifier = q;
    v->params = p;
    v->nparams = np;
    h->facts[h->nf++] = v;
    return v;
}

static inline const e8k_finding *run(hb *h, const char *id, size_t off)
{
    e8k_vinput in = {&h->o, 1, h->facts, h->nf, h->filed, h->period};
    e8k_error err;
    e8k_report_free(h->rep);
    h->rep = NULL;
    cr_assert_eq(e8k_validate_input(&in, &h->rep, &err), E8K_OK);
    const e8k_finding *f = e8k_report_find(h->rep, id, off);
    cr_assert_not_null(f, "no finding %s", id);
    return f;
}

#define assert_status(f, st)                                                  \
    cr_assert_eq((f)->status, (st), "%s: status %s, reason: %s", (f)->id,    \
                 e8k_check_status_name((f)->status), (f)->reason)

/* The seed's offering in miniature: 40,000,000 shares at $1.14. */
static inline void seed_offering(hb *h)
{
    num(h, E8K_VF_SHARES, 40000000, 1, NULL);
    num(h, E8K_VF_PRICE, 1.14, 0.01, NULL);
    num(h, E8K_VF_FEE_PCT, 4.8, 0.1, NULL);
    num(h, E8K_VF_ADVISORY, 1.2, 0.1, NULL);
    num(h, E8K_VF_EXPENSE_CAP, 125000, 1, NULL);
}

#endif /* E8K_VALIDATE_HELPERS_H */
