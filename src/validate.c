/* validate.c: the checks that hold extracted deal figures against each
 * other (docs/validation.md): proceeds, fees, net proceeds and implied
 * expenses, warrants, dates, cash bridges, stated changes, agreement
 * between documents and ranges. The checks read a flat view of the records
 * (e8k_validate.h), so tests can feed them hand-built values; every
 * computation carries the tolerance its operands allow (validate_tol.c).
 * No I/O: findings go into a report (validate_report.c). */
#include "e8k_validate.h"
#include "e8k_values.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *e8k_vfield_name(e8k_vfield f)
{
    if (f >= 0 && f < E8K_NFIELDS)
        return e8k_offering_fields[f];
    return f == E8K_VF_FEE_AMOUNT ? "fee_amount" : "";
}

/* What one offering's checks share: the figures derived on the way. */
typedef struct vctx {
    const e8k_vinput *in;
    e8k_report *rep;
    size_t oi;
    const e8k_voffering *o;
    int has_gross;
    e8k_ival gross;
    int has_units; /* units the gross covers (shares, + option, + pre-funded) */
    e8k_ival units;
    int has_fees;
    e8k_ival fees;
} vctx;

static const e8k_value *fv(const vctx *c, e8k_vfield f)
{
    return c->o->n[f] ? c->o->v[f][0] : NULL;
}

static const e8k_value *num(const vctx *c, e8k_vfield f)
{
    const e8k_value *v = fv(c, f);
    return v && v->has_number ? v : NULL;
}

static void use(vctx *c, e8k_vfield f)
{
    const e8k_value *v = fv(c, f);
    if (v)
        e8k_report_use(c->rep, e8k_vfield_name(f), v, e8k_value_tolerance(v));
}

static const char *fmt(char *buf, size_t n, double x)
{
    e8k_fmt_number(buf, n, x);
    return buf;
}

/* Outcome of "stated value vs computed interval", expected/actual set. */
static int compare(vctx *c, e8k_ival computed, const e8k_value *stated)
{
    double st = e8k_value_result_tolerance(stated);
    e8k_report_set_numbers(c->rep, computed.v, stated->number, 1,
                           e8k_ival_halfwidth(computed) + st);
    return e8k_ival_agrees(computed, stated->number, st);
}

/* ---- gross proceeds ---------------------------------------------------- */

typedef struct gross_way {
    const char *name;
    e8k_ival gross, units;
} gross_way;

/* The ways filings compute gross: shares x price plus pre-funded warrants
 * at their price; pre-funded warrants counted at the full offering price
 * (their nominal exercise price included); the over-allotment option
 * exercised in full. */
static size_t gross_ways(vctx *c, gross_way *w)
{
    const e8k_value *sh = num(c, E8K_VF_SHARES), *pr = num(c, E8K_VF_PRICE);
    const e8k_value *pf = num(c, E8K_VF_PF), *pfp = num(c, E8K_VF_PF_PRICE);
    const e8k_value *oa = num(c, E8K_VF_OVERALLOT);
    e8k_ival s = e8k_value_ival(sh), p = e8k_value_ival(pr);
    e8k_ival pfpart = e8k_ival_exact(0), pfunits = e8k_ival_exact(0);
    if (pf && pfp) {
        pfpart = e8k_ival_mul(e8k_value_ival(pf), e8k_value_ival(pfp));
        pfunits = e8k_value_ival(pf);
    }
    size_t n = 0;
    w[n].name = pf && pfp ? "shares x price + pre-funded x pre-funded price"
                          : "shares x price";
    w[n].units = e8k_ival_add(s, pfunits);
    w[n++].gross = e8k_ival_add(e8k_ival_mul(s, p), pfpart);
    if (pf) {
        w[n].name = "(shares + pre-funded) x price";
        w[n].units = e8k_ival_add(s, e8k_value_ival(pf));
        w[n].gross = e8k_ival_mul(w[n].units, p);
        n++;
    }
    if (oa) {
        w[n].name = "with the over-allotment option exercised in full";
        e8k_ival all = e8k_ival_add(s, e8k_value_ival(oa));
        w[n].units = e8k_ival_add(all, pfunits);
        w[n++].gross = e8k_ival_add(e8k_ival_mul(all, p), pfpart);
    }
    return n;
}

static void gross_derived(vctx *c, const gross_way *w)
{
    char a[64];
    c->has_gross = c->has_units = 1;
    c->gross = w->gross;
    c->units = w->units;
    e8k_report_use_derived(c->rep, "gross_proceeds", w->gross.v,
                           e8k_ival_halfwidth(w->gross), "USD", w->name);
    e8k_report_set_numbers(c->rep, w->gross.v, 0, 0,
                           e8k_ival_halfwidth(w->gross));
    e8k_report_set(c->rep, E8K_CHECK_INFO,
                   "gross proceeds not stated: derived as %s = %s", w->name,
                   fmt(a, sizeof a, w->gross.v));
}

static void check_gross(vctx *c)
{
    e8k_report_add(c->rep, "gross.shares_x_price", c->oi,
                   "gross_proceeds = shares_offered x price_per_share "
                   "(+ prefunded_warrants_offered x prefunded_price)",
                   "USD");
    const e8k_value *gr = num(c, E8K_VF_GROSS);
    if (gr) {
        c->has_gross = 1;
        c->gross = e8k_value_ival(gr);
    }
    if (!num(c, E8K_VF_SHARES) || !num(c, E8K_VF_PRICE)) {
        use(c, E8K_VF_GROSS);
        e8k_report_set(c->rep, E8K_CHECK_SKIPPED,
                       "shares_offered or price_per_share not stated");
        return;
    }
    static const e8k_vfield used[] = {E8K_VF_SHARES, E8K_VF_PRICE,
                                      E8K_VF_PF, E8K_VF_PF_PRICE,
                                      E8K_VF_OVERALLOT, E8K_VF_GROSS};
    for (size_t i = 0; i < sizeof used / sizeof used[0]; i++)
        use(c, used[i]);
    gross_way w[3];
    size_t n = gross_ways(c, w);
    if (!gr) {
        gross_derived(c, &w[0]);
        return;
    }
    char a[64], b[64];
    for (size_t i = 0; i < n; i++)
        if (compare(c, w[i].gross, gr)) {
            c->has_units = 1;
            c->units = w[i].units;
            e8k_report_set(c->rep, E8K_CHECK_PASS, "%s = %s agrees with "
                           "the stated gross proceeds", w[i].name,
                           fmt(a, sizeof a, w[i].gross.v));
            return;
        }
    compare(c, w[0].gross, gr);
    e8k_report_set(c->rep, E8K_CHECK_FAIL,
                   "%s = %s, but the filing states gross proceeds of %s",
                   w[0].name, fmt(a, sizeof a, w[0].gross.v),
                   fmt(b, sizeof b, gr->number));
}

/* ---- fees ------------------------------------------------------------------ */

/* Total fees: the rates (placement or underwriting plus advisory) times
 * gross, else the fee per share times the units sold. */
static int total_fees(vctx *c, const char **how)
{
    const e8k_value *fp = num(c, E8K_VF_FEE_PCT), *ad = num(c, E8K_VF_ADVISORY);
    const e8k_value *fs = num(c, E8K_VF_FEE_PER_SHARE);
    if (c->has_gross && (fp || ad)) {
        e8k_ival rate = e8k_ival_exact(0);
        if (fp)
            rate = e8k_ival_add(rate, e8k_value_ival(fp));
        if (ad)
            rate = e8k_ival_add(rate, e8k_value_ival(ad));
        c->fees = e8k_ival_mul(e8k_ival_scale(rate, 0.01), c->gross);
        *how = fp && ad ? "(fee_pct + advisory_fee_pct) x gross"
               : fp     ? "fee_pct x gross"
                        : "advisory_fee_pct x gross";
        use(c, E8K_VF_FEE_PCT);
        use(c, E8K_VF_ADVISORY);
        return c->has_fees = 1;
    }
    if (fs && c->has_units) {
        c->fees = e8k_ival_mul(e8k_value_ival(fs), c->units);
        *how = "fee_per_share x units sold";
        use(c, E8K_VF_FEE_PER_SHARE);
        return c->has_fees = 1;
    }
    return 0;
}

static void check_fee_total(vctx *c)
{
    e8k_report_add(c->rep, "fees.amount", c->oi,
                   "fee_amount = (fee_pct + advisory_fee_pct) x gross_proceeds",
                   "USD");
    const char *how = NULL;
    char a[64];
    if (!total_fees(c, &how)) {
        e8k_report_set(c->rep, E8K_CHECK_SKIPPED, c->has_gross
                       ? "no fee rate or fee per share stated"
                       : "gross proceeds neither stated nor derivable");
        return;
    }
    const e8k_value *amt = num(c, E8K_VF_FEE_AMOUNT);
    e8k_report_use_derived(c->rep, "fees", c->fees.v,
                           e8k_ival_halfwidth(c->fees), "USD", how);
    if (!amt) {
        e8k_report_set_numbers(c->rep, c->fees.v, 0, 0,
                               e8k_ival_halfwidth(c->fees));
        e8k_report_set(c->rep, E8K_CHECK_INFO,
                       "no fee amount stated: fees derived as %s = %s", how,
                       fmt(a, sizeof a, c->fees.v));
        return;
    }
    use(c, E8K_VF_FEE_AMOUNT);
    int ok = compare(c, c->fees, amt);
    e8k_report_set(c->rep, ok ? E8K_CHECK_PASS : E8K_CHECK_FAIL,
                   "%s = %s %s the stated fee amount", how,
                   fmt(a, sizeof a, c->fees.v),
                   ok ? "agrees with" : "differs from");
}

static void check_fee_per_share(vctx *c)
{
    e8k_report_add(c->rep, "fees.per_share", c->oi,
                   "fee_per_share = fee_pct x price_per_share", "USD/share");
    const e8k_value *fp = num(c, E8K_VF_FEE_PCT), *fs = num(c, E8K_VF_FEE_PER_SHARE);
    const e8k_value *pr = num(c, E8K_VF_PRICE);
    if (!fp || !fs || !pr) {
        e8k_report_set(c->rep, E8K_CHECK_SKIPPED,
                       "needs fee_pct, fee_per_share and price_per_share");
        return;
    }
    use(c, E8K_VF_FEE_PCT);
    use(c, E8K_VF_PRICE);
    use(c, E8K_VF_FEE_PER_SHARE);
    e8k_ival x = e8k_ival_mul(e8k_ival_scale(e8k_value_ival(fp), 0.01),
                              e8k_value_ival(pr));
    int ok = compare(c, x, fs);
    char a[64], b[64];
    e8k_report_set(c->rep, ok ? E8K_CHECK_PASS : E8K_CHECK_FAIL,
                   "%s%% x %s = %s; stated fee per share %s", fmt(a, 32, fp->number),
                   fmt(a + 32, 32, pr->number), fmt(b, 32, x.v),
                   fmt(b + 32, 32, fs->number));
}

/* ---- net proceeds ----------------------------------------------------------- */

/* The fees of the offering, or exactly 0 when none are stated. */
static e8k_ival fees_or_zero(const vctx *c)
{
    return c->has_fees ? c->fees : e8k_ival_exact(0);
}

/* The implied other expenses, gross - fees - net. When net or gross is
 * missing, marks the current finding skipped and returns 0. */
static int other_expenses(vctx *c, e8k_ival *other)
{
    const e8k_value *net = num(c, E8K_VF_NET);
    if (!net || !c->has_gross) {
        e8k_report_set(c->rep, E8K_CHECK_SKIPPED, "needs net_proceeds and "
                       "gross proceeds (stated or derived)");
        return 0;
    }
    *other = e8k_ival_sub(e8k_ival_sub(c->gross, fees_or_zero(c)),
                          e8k_value_ival(net));
    return 1;
}

static void check_net(vctx *c)
{
    e8k_report_add(c->rep, "net.within_gross", c->oi,
                   "net_proceeds <= gross_proceeds - fees; other_expenses = "
                   "gross_proceeds - fees - net_proceeds >= 0", "USD");
    e8k_ival other;
    if (!other_expenses(c, &other))
        return;
    const e8k_value *net = num(c, E8K_VF_NET);
    use(c, E8K_VF_NET);
    e8k_report_use_derived(c->rep, "gross_proceeds", c->gross.v,
                           e8k_ival_halfwidth(c->gross), "USD", "see gross");
    e8k_ival fees = fees_or_zero(c);
    e8k_report_use_derived(c->rep, "fees", fees.v, e8k_ival_halfwidth(fees),
                           "USD", c->has_fees ? "see fees.amount" : "none stated");
    e8k_report_use_derived(c->rep, "other_expenses", other.v,
                           e8k_ival_halfwidth(other), "USD",
                           "gross - fees - net");
    double tol = e8k_ival_halfwidth(other);
    e8k_report_set_numbers(c->rep, e8k_ival_sub(c->gross, fees).v,
                           net->number, 1, tol);
    char a[64], b[64];
    int ok = other.v + tol + 1e-9 * fmax(1, fabs(c->gross.v)) >= 0;
    e8k_report_set(c->rep, ok ? E8K_CHECK_PASS : E8K_CHECK_FAIL,
                   "implied other expenses %s (+-%s)%s", fmt(a, 32, other.v),
                   fmt(b, 32, tol),
                   ok ? "" : ": net proceeds exceed gross less fees");
}

static void check_other_expenses(vctx *c)
{
    e8k_report_add(c->rep, "net.other_expenses", c->oi,
                   "other_expenses <= expense_cap + max(10% x gross, "
                   "$1,000,000)", "USD");
    e8k_ival other;
    if (!other_expenses(c, &other))
        return;
    const e8k_value *cap = num(c, E8K_VF_EXPENSE_CAP);
    use(c, E8K_VF_EXPENSE_CAP);
    e8k_report_use_derived(c->rep, "other_expenses", other.v,
                           e8k_ival_halfwidth(other), "USD",
                           "gross - fees - net");
    double bound = (cap ? cap->number : 0) +
                   fmax(E8K_OTHER_EXPENSES_GROSS_SHARE * c->gross.v,
                        E8K_OTHER_EXPENSES_FLOOR);
    double tol = e8k_ival_halfwidth(other);
    e8k_report_set_numbers(c->rep, bound, other.v, 1, tol);
    char a[64], b[64];
    int ok = other.v - tol <= bound;
    double share = c->gross.v > 0 ? 100 * other.v / c->gross.v : 0;
    e8k_report_set(c->rep, ok ? E8K_CHECK_PASS : E8K_CHECK_FAIL,
                   "implied other expenses %s (%.1f%% of gross) %s the "
                   "plausible bound %s", fmt(a, 32, other.v), share,
                   ok ? "within" : "above", fmt(b, 32, bound));
}

/* ---- warrants ---------------------------------------------------------------- */

static void check_coverage(vctx *c)
{
    e8k_report_add(c->rep, "warrants.coverage", c->oi,
                   "warrants_offered = warrant_coverage_pct x shares_offered "
                   "(+ prefunded_warrants_offered)", "shares");
    const e8k_value *w = num(c, E8K_VF_WARRANTS), *cv = num(c, E8K_VF_COVERAGE);
    const e8k_value *sh = num(c, E8K_VF_SHARES), *pf = num(c, E8K_VF_PF);
    if (!w || !cv || !sh) {
        e8k_report_set(c->rep, E8K_CHECK_SKIPPED, "needs warrants_offered, "
                       "warrant_coverage_pct and shares_offered");
        return;
    }
    use(c, E8K_VF_WARRANTS);
    use(c, E8K_VF_COVERAGE);
    use(c, E8K_VF_SHARES);
    use(c, E8K_VF_PF);
    e8k_ival rate = e8k_ival_scale(e8k_value_ival(cv), 0.01);
    e8k_ival base = e8k_ival_mul(rate, e8k_value_ival(sh));
    /* no fractional warrant shares: a count may be rounded to a whole */
    double st = fmax(e8k_value_result_tolerance(w), 1.0);
    char a[64], b[64];
    for (int k = 0; k < (pf ? 2 : 1); k++) {
        e8k_ival x = k ? e8k_ival_mul(rate, e8k_ival_add(e8k_value_ival(sh),
                                                         e8k_value_ival(pf)))
                       : base;
        if (e8k_ival_agrees(x, w->number, st)) {
            e8k_report_set_numbers(c->rep, x.v, w->number, 1,
                                   e8k_ival_halfwidth(x) + st);
            e8k_report_set(c->rep, E8K_CHECK_PASS, "%s%% of %s = %s",
                           fmt(a, 32, cv->number), k ? "shares + pre-funded"
                           : "shares", fmt(b, 32, x.v));
            return;
        }
    }
    e8k_report_set_numbers(c->rep, base.v, w->number, 1,
                           e8k_ival_halfwidth(base) + st);
    e8k_report_set(c->rep, E8K_CHECK_FAIL, "%s%% of the shares is %s, but "
                   "the filing states %s warrant shares", fmt(a, 32, cv->number),
                   fmt(a + 32, 32, base.v), fmt(b, 32, w->number));
}

/* Slack in days of a date: "on or about" moves it. */
static long date_slack(const e8k_value *v)
{
    return v && v->qualifier && !strcmp(v->qualifier, "on_or_about")
               ? E8K_DATE_SLACK_DAYS : 0;
}

static void check_term(vctx *c)
{
    e8k_report_add(c->rep, "warrants.term", c->oi,
                   "warrant_expiration_date = closing_date + warrant_term_years"
                   " (or the day before that anniversary)", "date");
    const e8k_value *t = num(c, E8K_VF_TERM), *ex = fv(c, E8K_VF_EXPIRY);
    const e8k_value *cl = fv(c, E8K_VF_CLOSING);
    long exd, base;
    if (!t || !ex || !cl || !ex->string || !cl->string ||
        e8k_date_days(ex->string, &exd) || e8k_date_days(cl->string, &base)) {
        e8k_report_set(c->rep, E8K_CHECK_SKIPPED, "needs warrant_term_years, "
                       "warrant_expiration_date and closing_date");
        return;
    }
    use(c, E8K_VF_CLOSING);
    use(c, E8K_VF_TERM);
    use(c, E8K_VF_EXPIRY);
    char anniv[11];
    long ad;
    if (e8k_date_add_months(cl->string, lround(t->number * 12), anniv) ||
        e8k_date_days(anniv, &ad)) {
        e8k_report_set(c->rep, E8K_CHECK_SKIPPED, "term out of range");
        return;
    }
    long slack = date_slack(cl) + date_slack(ex);
    long off = exd - ad;
    int ok = labs(off) <= slack || labs(off + 1) <= slack;
    e8k_report_set_strings(c->rep, anniv, ex->string);
    e8k_report_set(c->rep, ok ? E8K_CHECK_PASS : E8K_CHECK_FAIL,
                   "%s + %g years = %s; the warrants expire %s (%ld day%s %s "
                   "the anniversary; allowed: 0 or 1 before, +-%ld)",
                   cl->string, t->number, anniv, ex->string, labs(off),
                   labs(off) == 1 ? "" : "s", off < 0 ? "before" : "after",
                   slack);
}

static void premium(vctx *c)
{
    e8k_report_add(c->rep, "warrants.premium", c->oi,
                   "premium = warrant_exercise_price / price_per_share - 1",
                   "percent");
    const e8k_value *ex = num(c, E8K_VF_EXPRICE), *pr = num(c, E8K_VF_PRICE);
    if (!ex || !pr || pr->number <= 0) {
        e8k_report_set(c->rep, E8K_CHECK_SKIPPED,
                       "needs warrant_exercise_price and price_per_share");
        return;
    }
    use(c, E8K_VF_EXPRICE);
    use(c, E8K_VF_PRICE);
    e8k_ival p = e8k_ival_scale(
        e8k_ival_sub(e8k_ival_div(e8k_value_ival(ex), e8k_value_ival(pr)),
                     e8k_ival_exact(1)), 100);
    e8k_report_set_numbers(c->rep, p.v, 0, 0, e8k_ival_halfwidth(p));
    e8k_report_set(c->rep, E8K_CHECK_INFO, "exercise price is %.2f%% %s the "
                   "offering price", fabs(p.v), p.v >= 0 ? "above" : "below");
}

/* ---- dates -------------------------------------------------------------------- */

static void check_date_order(vctx *c)
{
    e8k_report_add(c->rep, "dates.order", c->oi,
                   "agreement_date <= closing_date <= warrant_expiration_date"
                   " (and maturity_date)", "date");
    static const e8k_vfield seq[] = {E8K_VF_AGREEMENT, E8K_VF_CLOSING,
                                     E8K_VF_EXPIRY, E8K_VF_MATURITY};
    const e8k_value *prev = NULL;
    e8k_vfield pf = E8K_VF_AGREEMENT;
    size_t n = 0;
    for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
        const e8k_value *v = fv(c, seq[i]);
        long d, pd;
        if (!v || !v->string || e8k_date_days(v->string, &d))
            continue;
        use(c, seq[i]);
        n++;
        if (prev && !e8k_date_days(prev->string, &pd) &&
            d + date_slack(v) + date_slack(prev) < pd) {
            e8k_report_set_strings(c->rep, prev->string, v->string);
            e8k_report_set(c->rep, E8K_CHECK_FAIL, "%s %s comes after %s %s",
                           e8k_vfield_name(pf), prev->string,
                           e8k_vfield_name(seq[i]), v->string);
            return;
        }
        if (seq[i] != E8K_VF_MATURITY || !prev)
            prev = v, pf = seq[i];
    }
    e8k_report_set(c->rep, n >= 2 ? E8K_CHECK_PASS : E8K_CHECK_SKIPPED,
                   n >= 2 ? "dates in order" : "fewer than two dates stated");
}

static void check_filing_date(vctx *c)
{
    e8k_report_add(c->rep, "dates.filing", c->oi,
                   "agreement_date <= filing date; period of report <= "
                   "filing date", "date");
    const char *filed = c->in->filed;
    const e8k_value *ag = fv(c, E8K_VF_AGREEMENT);
    long fd, d;
    if (!filed || e8k_date_days(filed, &fd)) {
        e8k_report_set(c->rep, E8K_CHECK_SKIPPED, "no filing date (no SEC "
                       "header)");
        return;
    }
    if (c->in->period && !e8k_date_days(c->in->period, &d) && d > fd) {
        e8k_report_set_strings(c->rep, c->in->period, filed);
        e8k_report_set(c->rep, E8K_CHECK_FAIL, "period of report %s is after "
                       "the filing date %s", c->in->period, filed);
        return;
    }
    if (!ag || !ag->string || e8k_date_days(ag->string, &d)) {
        e8k_report_set(c->rep, E8K_CHECK_SKIPPED, "no agreement_date stated");
        return;
    }
    use(c, E8K_VF_AGREEMENT);
    int ok = d - date_slack(ag) <= fd;
    e8k_report_set_strings(c->rep, ag->string, filed);
    e8k_report_set(c->rep, ok ? E8K_CHECK_PASS : E8K_CHECK_FAIL,
                   "agreement dated %s, filed %s%s", ag->string, filed,
                   ok ? "" : ": an agreement cannot postdate its filing");
}

/* ---- agreement between documents ----------------------------------------------- */

static int values_agree(const e8k_value *a, const e8k_value *b, double *tol)
{
    *tol = 0;
    if (a->has_number != b->has_number)
        return 0;
    if (!a->has_number) {
        long x, y;
        if (a->string && b->string && !e8k_date_days(a->string, &x) &&
            !e8k_date_days(b->string, &y))
            return labs(x - y) <= date_slack(a) + date_slack(b);
        return a->string && b->string && !strcmp(a->string, b->string);
    }
    *tol = e8k_value_tolerance(a) + e8k_value_tolerance(b);
    /* the coarser statement may round the finer ("3%" and "3.0%") */
    if (a->precision != b->precision)
        *tol += 0.5 * fmax(a->precision, b->precision);
    return e8k_ival_agrees(e8k_ival_exact(a->number), b->number, *tol);
}

static void place(char *buf, size_t n, const e8k_value *v)
{
    char num_[64];
    if (v->has_number)
        e8k_fmt_number(num_, sizeof num_, v->number);
    snprintf(buf, n, "%s in %s (document %zu, bytes %zu-%zu)",
             v->has_number ? num_ : v->string ? v->string : "?",
             v->doc_type ? v->doc_type : "?", v->document, v->span.start,
             v->span.end);
}

static void check_agreement(vctx *c, e8k_vfield f)
{
    const e8k_value *a = fv(c, f);
    if (!a)
        return;
    char id[96];
    snprintf(id, sizeof id, "agree.%s", e8k_vfield_name(f));
    e8k_report_add(c->rep, id, c->oi, "every statement of the field in "
                   "another document has the same value", NULL);
    use(c, f);
    size_t others = 0;
    for (size_t k = 1; k < c->o->n[f]; k++) {
        const e8k_value *b = c->o->v[f][k];
        double tol;
        if (b->document == a->document)
            continue;
        others++;
        e8k_report_use(c->rep, e8k_vfield_name(f), b, e8k_value_tolerance(b));
        if (!values_agree(a, b, &tol)) {
            char pa[256], pb[256];
            place(pa, sizeof pa, a);
            place(pb, sizeof pb, b);
            if (a->has_number)
                e8k_report_set_numbers(c->rep, a->number, b->number, 1, tol);
            else
                e8k_report_set_strings(c->rep, a->string, b->string);
            e8k_report_set(c->rep, E8K_CHECK_FAIL, "%s: %s, but %s",
                           e8k_vfield_name(f), pa, pb);
            return;
        }
    }
    e8k_report_set(c->rep, others ? E8K_CHECK_PASS : E8K_CHECK_SKIPPED,
                   others ? "%s agrees in %zu other document(s)"
                          : "%s stated in one document only",
                   e8k_vfield_name(f), others);
}

/* ---- ranges --------------------------------------------------------------------- */

static void check_percent_ranges(vctx *c)
{
    e8k_report_add(c->rep, "range.percent", c->oi,
                   "0 <= fee_pct, advisory_fee_pct, beneficial_ownership_cap_pct"
                   ", coupon_pct <= 100; 0 < warrant_coverage_pct <= 300",
                   "percent");
    static const e8k_vfield pct[] = {E8K_VF_FEE_PCT, E8K_VF_ADVISORY,
                                     E8K_VF_CAP, E8K_VF_COUPON,
                                     E8K_VF_COVERAGE};
    size_t n = 0;
    for (size_t i = 0; i < sizeof pct / sizeof pct[0]; i++) {
        const e8k_value *v = num(c, pct[i]);
        if (!v)
            continue;
        use(c, pct[i]);
        n++;
        int cov = pct[i] == E8K_VF_COVERAGE;
        if (v->number < 0 || (cov && v->number <= 0) ||
            v->number > (cov ? 300 : 100)) {
            e8k_report_set(c->rep, E8K_CHECK_FAIL, "%s %g%% out of range",
                           e8k_vfield_name(pct[i]), v->number);
            return;
        }
    }
    e8k_report_set(c->rep, n ? E8K_CHECK_PASS : E8K_CHECK_SKIPPED,
                   n ? "percentages in range" : "no percentage stated");
}

static void check_cap_customary(vctx *c)
{
    e8k_report_add(c->rep, "range.ownership_cap", c->oi,
                   "beneficial_ownership_cap_pct in {4.9, 4.99, 4.999, 9.9, "
                   "9.99, 9.999, 14.99, 19.9, 19.99, 19.999, 24.99, 49.9}",
                   "percent");
    static const double customary[] = {4.9,  4.99,  4.999, 9.9,   9.99,  9.999,
                                       14.9, 14.99, 19.9,  19.99, 19.999,
                                       24.99, 49.9, 49.99};
    const e8k_value *v = num(c, E8K_VF_CAP);
    if (!v) {
        e8k_report_set(c->rep, E8K_CHECK_SKIPPED, "no ownership cap stated");
        return;
    }
    use(c, E8K_VF_CAP);
    for (size_t i = 0; i < sizeof customary / sizeof customary[0]; i++)
        if (fabs(v->number - customary[i]) < 1e-9) {
            e8k_report_set(c->rep, E8K_CHECK_PASS, "%g%% is customary",
                           v->number);
            return;
        }
    e8k_report_set(c->rep, E8K_CHECK_FAIL, "%g%% is not a customary "
                   "beneficial-ownership cap", v->number);
}

static void check_prices(vctx *c)
{
    e8k_report_add(c->rep, "range.prices", c->oi,
                   "price_per_share, warrant_exercise_price, prefunded_price, "
                   "fee_per_share > 0; par_value < price_per_share", "USD");
    static const e8k_vfield pr[] = {E8K_VF_PRICE, E8K_VF_EXPRICE,
                                    E8K_VF_PF_PRICE, E8K_VF_FEE_PER_SHARE,
                                    E8K_VF_PAR};
    size_t n = 0;
    for (size_t i = 0; i < sizeof pr / sizeof pr[0]; i++) {
        const e8k_value *v = num(c, pr[i]);
        if (!v)
            continue;
        use(c, pr[i]);
        n++;
        if (v->number <= 0) {
            e8k_report_set(c->rep, E8K_CHECK_FAIL, "%s %g is not positive",
                           e8k_vfield_name(pr[i]), v->number);
            return;
        }
    }
    const e8k_value *par = num(c, E8K_VF_PAR), *p = num(c, E8K_VF_PRICE);
    if (par && p && par->number >= p->number) {
        e8k_report_set_numbers(c->rep, p->number, par->number, 1, 0);
        e8k_report_set(c->rep, E8K_CHECK_FAIL, "par value %g is not below "
                       "the price %g", par->number, p->number);
        return;
    }
    e8k_report_set(c->rep, n ? E8K_CHECK_PASS : E8K_CHECK_SKIPPED,
                   n ? "prices positive, par below price" : "no price stated");
}

/* The offering fields checked for agreement between documents. */
static const e8k_vfield agreed[] = {
    E8K_VF_SHARES,    E8K_VF_PRICE,     E8K_VF_FEE_PCT,  E8K_VF_ADVISORY,
    E8K_VF_FEE_PER_SHARE, E8K_VF_REGNO, E8K_VF_AGREEMENT, E8K_VF_CLOSING,
    E8K_VF_EXPRICE,   E8K_VF_WARRANTS,  E8K_VF_EXPIRY,   E8K_VF_TERM,
    E8K_VF_PF,        E8K_VF_PF_PRICE,  E8K_VF_GROSS,    E8K_VF_NET};

static void check_offering(vctx *c)
{
    check_gross(c);
    check_fee_total(c);
    check_fee_per_share(c);
    check_net(c);
    check_other_expenses(c);
    check_coverage(c);
    check_term(c);
    premium(c);
    check_date_order(c);
    check_filing_date(c);
    for (size_t i = 0; i < sizeof agreed / sizeof agreed[0]; i++)
        check_agreement(c, agreed[i]);
    check_percent_ranges(c);
    check_cap_customary(c);
    check_prices(c);
}

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
                   "%s = %s; the filing states %s", what, fmt(a, 32, x.v),
                   fmt(b, 32, after->number));
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
                   fmt(a, 32, prior->number), fmt(b, 32, cur->number), x.v, s);
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

static int check_facts(const e8k_vinput *in, e8k_report *rep)
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

/* ---- entry points -------------------------------------------------------------- */

e8k_status e8k_validate_input(const e8k_vinput *in, e8k_report **out,
                              e8k_error *err)
{
    *out = NULL;
    e8k_report *rep = e8k_report_new();
    if (!rep)
        return e8k_fail(err, E8K_ERR_NOMEM, "", NULL, 0, E8K_NO_OFFSET,
                        "out of memory validating");
    for (size_t i = 0; i < in->noffs; i++) {
        vctx c;
        memset(&c, 0, sizeof c);
        c.in = in;
        c.rep = rep;
        c.oi = i;
        c.o = &in->offs[i];
        check_offering(&c);
    }
    if (check_facts(in, rep) != 0 || e8k_report_nomem(rep)) {
        e8k_report_free(rep);
        return e8k_fail(err, E8K_ERR_NOMEM, "", NULL, 0, E8K_NO_OFFSET,
                        "out of memory validating");
    }
    *out = rep;
    return E8K_OK;
}

/* The view fields past the offering fields (a stated fee amount) are
 * never in records: only a hand-built view has them. */
static void view_offering(const e8k_records *r, size_t i, e8k_voffering *o)
{
    for (int f = 0; f < E8K_NFIELDS; f++) {
        const char *name = e8k_vfield_name(f);
        const e8k_value *v = e8k_records_offering_field(r, i, name);
        if (!v)
            continue;
        o->v[f][o->n[f]++] = v;
        size_t na = e8k_records_alternate_count(r, i, name);
        for (size_t k = 0; k < na && o->n[f] < E8K_VMAX; k++)
            o->v[f][o->n[f]++] = e8k_records_alternate(r, i, name, k);
    }
}

e8k_status e8k_validate(const e8k_records *r, const e8k_filing *f,
                        e8k_report **out, e8k_error *err)
{
    if (!r || !out)
        return e8k_fail(err, E8K_ERR_USAGE, "", NULL, 0, E8K_NO_OFFSET,
                        "e8k_validate needs records and an output");
    size_t no = e8k_records_offering_count(r), nf = e8k_records_fact_count(r);
    e8k_voffering *offs = calloc(no + 1, sizeof *offs);
    const e8k_value **facts = calloc(nf + 1, sizeof *facts);
    if (!offs || !facts) {
        free(offs);
        free(facts);
        return e8k_fail(err, E8K_ERR_NOMEM, "", NULL, 0, E8K_NO_OFFSET,
                        "out of memory validating");
    }
    for (size_t i = 0; i < no; i++)
        view_offering(r, i, &offs[i]);
    for (size_t i = 0; i < nf; i++)
        facts[i] = e8k_records_fact(r, i);
    const e8k_header *h = f ? e8k_filing_header(f) : NULL;
    e8k_vinput in = {offs, no, facts, nf, h ? h->filed : NULL,
                     h ? h->period : NULL};
    e8k_status st = e8k_validate_input(&in, out, err);
    free(offs);
    free(facts);
    return st;
}
