/* validate_tol.c: the tolerance arithmetic of the validator. A stated
 * figure stands for an interval: an exact figure ($45,600,000, $1.14 per
 * share, a 4.8% fee) for itself, a rounded one ("$42.5 million", hedged or
 * not) for half a unit of its last stated digit either side: what rounding
 * allows. Computations carry intervals, so the tolerance of a result is
 * exactly what its operands allow. Also the date arithmetic. */
#include "e8k_validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

e8k_ival e8k_ival_exact(double x)
{
    e8k_ival r = {x, x, x};
    return r;
}

e8k_ival e8k_ival_tol(double x, double tol)
{
    e8k_ival r = {x, x - fabs(tol), x + fabs(tol)};
    return r;
}

e8k_ival e8k_ival_add(e8k_ival a, e8k_ival b)
{
    e8k_ival r = {a.v + b.v, a.lo + b.lo, a.hi + b.hi};
    return r;
}

e8k_ival e8k_ival_sub(e8k_ival a, e8k_ival b)
{
    e8k_ival r = {a.v - b.v, a.lo - b.hi, a.hi - b.lo};
    return r;
}

static e8k_ival hull4(double v, double p, double q, double s, double t)
{
    e8k_ival r = {v, fmin(fmin(p, q), fmin(s, t)), fmax(fmax(p, q), fmax(s, t))};
    return r;
}

e8k_ival e8k_ival_mul(e8k_ival a, e8k_ival b)
{
    return hull4(a.v * b.v, a.lo * b.lo, a.lo * b.hi, a.hi * b.lo,
                 a.hi * b.hi);
}

e8k_ival e8k_ival_div(e8k_ival a, e8k_ival b)
{
    if (b.lo <= 0 && b.hi >= 0) {
        e8k_ival r = {b.v ? a.v / b.v : 0, -INFINITY, INFINITY};
        return r;
    }
    return hull4(a.v / b.v, a.lo / b.lo, a.lo / b.hi, a.hi / b.lo,
                 a.hi / b.hi);
}

e8k_ival e8k_ival_scale(e8k_ival a, double k)
{
    return e8k_ival_mul(a, e8k_ival_exact(k));
}

double e8k_ival_halfwidth(e8k_ival a)
{
    return fmax(a.hi - a.v, a.v - a.lo);
}

int e8k_ival_agrees(e8k_ival computed, double stated, double stated_tol)
{
    double m = fmax(1.0, fmax(fabs(stated), fabs(computed.v)));
    return fabs(computed.v - stated) <=
           e8k_ival_halfwidth(computed) + fabs(stated_tol) + 1e-9 * m;
}

int e8k_qualifier_hedges(const char *q)
{
    static const char *const hedges[] = {"approximately", "about",
                                         "expected", "up_to", "at_least"};
    for (size_t i = 0; q && i < sizeof hedges / sizeof hedges[0]; i++)
        if (!strcmp(q, hedges[i]))
            return 1;
    return 0;
}

/* Rates a contract sets are exact as written; a percent stated about the
 * company (a change, a margin) is a rounded computation. */
static int contractual_rate(const char *field)
{
    static const char *const rates[] = {
        "fee_pct", "advisory_fee_pct", "warrant_coverage_pct",
        "beneficial_ownership_cap_pct", "coupon_pct"};
    for (size_t i = 0; field && i < sizeof rates / sizeof rates[0]; i++)
        if (!strcmp(field, rates[i]))
            return 1;
    return 0;
}

int e8k_value_exact(const e8k_value *v)
{
    if (!v->has_number || v->precision <= 0)
        return 1;
    if (e8k_qualifier_hedges(v->qualifier))
        return 0;
    const char *t = v->type ? v->type : "";
    const char *u = v->unit ? v->unit : "";
    if (!strcmp(t, "price") || !strcmp(u, "USD/share") ||
        !strcmp(t, "duration"))
        return 1;
    if (!strcmp(t, "percent") || !strcmp(u, "percent"))
        return contractual_rate(v->field);
    /* written in full ($45,600,000; 40,000,000 shares; $0.001): exact; a
     * scale word ($42.5 million) leaves the digits below unstated */
    return v->precision <= 1.0;
}

double e8k_value_result_tolerance(const e8k_value *v)
{
    if (!v->has_number || v->precision <= 0)
        return 0;
    /* "approximately $42.5 million" was rounded at its last digit, no more:
     * a hedge that excused more would let net proceeds plus fees exceed
     * gross proceeds unnoticed. */
    return 0.5 * v->precision;
}

double e8k_value_tolerance(const e8k_value *v)
{
    return e8k_value_exact(v) ? 0 : e8k_value_result_tolerance(v);
}

e8k_ival e8k_value_ival(const e8k_value *v)
{
    return e8k_ival_tol(v->number, e8k_value_tolerance(v));
}

/* ---- dates ------------------------------------------------------------------ */

static int parse_ymd(const char *s, long *y, long *m, long *d)
{
    if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
        return -1;
    char *e;
    *y = strtol(s, &e, 10);
    if (e != s + 4)
        return -1;
    *m = strtol(s + 5, &e, 10);
    if (e != s + 7)
        return -1;
    *d = strtol(s + 8, &e, 10);
    if (e != s + 10 || *m < 1 || *m > 12 || *d < 1 || *d > 31)
        return -1;
    return 0;
}

/* Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int e8k_date_days(const char *s, long *days)
{
    long y, m, d;
    if (parse_ymd(s, &y, &m, &d) != 0)
        return -1;
    *days = days_from_civil(y, m, d);
    return 0;
}

static long month_length(long y, long m)
{
    static const long len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : len[m - 1];
}

int e8k_date_add_months(const char *s, long months, char out[11])
{
    long y, m, d;
    if (parse_ymd(s, &y, &m, &d) != 0)
        return -1;
    long total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    if (d > month_length(y, m))
        d = month_length(y, m);
    if (y < 0 || y > 9999)
        return -1;
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u,
             (unsigned)m % 13u, (unsigned)d % 32u);
    return 0;
}
