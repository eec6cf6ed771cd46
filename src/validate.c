/* validate.c: the checks that hold extracted deal figures against each
 * other (docs/validation.md): proceeds, fees, net proceeds and implied
 * expenses, warrants, dates, agreement between documents and ranges, per
 * offering; the filing-level checks of facts (cash bridges, stated
 * changes) are in validate_facts.c. The checks read a flat view of the records
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
                   e8k_fmt(a, sizeof a, w->gross.v));
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
                           e8k_fmt(a, sizeof a, w[i].gross.v));
            return;
        }
    compare(c, w[0].gross, gr);
    e8k_report_set(c->rep, E8K_CHECK_FAIL,
                   "%s = %s, but the filing states gross proceeds of %s",
                   w[0].name, e8k_fmt(a, sizeof a, w[0].gross.v),
                   e8k_fmt(b, sizeof b, gr->number));
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
                       e8k_fmt(a, sizeof a, c->fees.v));
        return;
    }
    use(c, E8K_VF_FEE_AMOUNT);
    int ok = compare(c, c->fees, amt);
    e8k_report_set(c->rep, ok ? E8K_CHECK_PASS : E8K_CHECK_FAIL,
                   "%s = %s %s the stated fee amount", how,
                   e8k_fmt(a, sizeof a, c->fees.v),
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
                   "%s%% x %s = %s; stated fee per share %s", e8k_fmt(a, 32, fp->number),
                   e8k_fmt(a + 32, 32, pr->number), e8k_fmt(b, 32, x.v),
                   e8k_fmt(b + 32, 32, fs->number));
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
                   "implied other expenses %s (+-%s)%s", e8k_fmt(a, 32, other.v),
                   e8k_fmt(b, 32, tol),
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
    /* An estimated net ("expected to be approximately") may land further
     * from the final figure than its rounding: room for it here, in a
     * plausibility bound, never in net.within_gross. */
    const e8k_value *net = num(c, E8K_VF_NET);
    double room = net && e8k_qualifier_hedges(net->qualifier)
                      ? E8K_ESTIMATE_SLACK_SHARE * net->number : 0;
    bound += room;
    double tol = e8k_ival_halfwidth(other);
    e8k_report_set_numbers(c->rep, bound, other.v, 1, tol);
    char a[64], b[64];
    int ok = other.v - tol <= bound;
    double share = c->gross.v > 0 ? 100 * other.v / c->gross.v : 0;
    /* Unusual, not contradictory: a warning, not a failure. */
    e8k_report_set(c->rep, ok ? E8K_CHECK_PASS : E8K_CHECK_WARN,
                   "implied other expenses %s (%.1f%% of gross) %s the "
                   "plausible bound %s%s", e8k_fmt(a, 32, other.v), share,
                   ok ? "within" : "above", e8k_fmt(b, 32, bound),
                   room > 0 ? " (widened for an estimated net)" : "");
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
                           e8k_fmt(a, 32, cv->number), k ? "shares + pre-funded"
                           : "shares", e8k_fmt(b, 32, x.v));
            return;
        }
    }
    e8k_report_set_numbers(c->rep, base.v, w->number, 1,
                           e8k_ival_halfwidth(base) + st);
    e8k_report_set(c->rep, E8K_CHECK_FAIL, "%s%% of the shares is %s, but "
                   "the filing states %s warrant shares", e8k_fmt(a, 32, cv->number),
                   e8k_fmt(a + 32, 32, base.v), e8k_fmt(b, 32, w->number));
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

/* A value a form or signature page fills in ("Purchase Price Per
 * Security: $1.14"), by its rule's id: the terms of the document it sits
 * in, so it must agree with what that document states elsewhere. */
static int form_field(const e8k_value *v)
{
    const char *r = v->rule ? v->rule : "";
    size_t n = strlen(r), k = strlen(".form-field");
    return n > k && !strcmp(r + n - k, ".form-field");
}

static void check_agreement(vctx *c, e8k_vfield f)
{
    const e8k_value *a = fv(c, f);
    if (!a)
        return;
    char id[96];
    snprintf(id, sizeof id, "agree.%s", e8k_vfield_name(f));
    e8k_report_add(c->rep, id, c->oi, "every statement of the field in "
                   "another document, or in a form field, has the same value",
                   NULL);
    use(c, f);
    size_t others = 0;
    for (size_t k = 1; k < c->o->n[f]; k++) {
        const e8k_value *b = c->o->v[f][k];
        double tol;
        /* a document may state other prices of other deals; a form field
         * in it states this deal's, like another document would */
        if (b->document == a->document && !form_field(a) && !form_field(b))
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
                   others ? "%s agrees in %zu other statement(s)"
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
    const e8k_value *unusual = NULL;
    size_t n = 0;
    for (size_t i = 0; i < sizeof pct / sizeof pct[0]; i++) {
        const e8k_value *v = num(c, pct[i]);
        if (!v)
            continue;
        use(c, pct[i]);
        n++;
        int cov = pct[i] == E8K_VF_COVERAGE;
        /* a share of a whole past 100%, a negative rate: impossible */
        if (v->number < 0 || (cov && v->number <= 0) ||
            (!cov && v->number > 100)) {
            e8k_report_set(c->rep, E8K_CHECK_FAIL, "%s %g%% out of range",
                           e8k_vfield_name(pct[i]), v->number);
            return;
        }
        if (cov && v->number > 300)
            unusual = v;
    }
    if (unusual) { /* three warrants a share: seen, rarely */
        e8k_report_set(c->rep, E8K_CHECK_WARN, "warrant_coverage_pct %g%% is "
                       "above 300%%: unusual", unusual->number);
        return;
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
    /* any cap is possible; an uncustomary one asks for a second look */
    e8k_report_set(c->rep, E8K_CHECK_WARN, "%g%% is not a customary "
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
        /* issuing at or below par is unusual (and barred in some states),
         * not a contradiction between figures */
        e8k_report_set_numbers(c->rep, p->number, par->number, 1, 0);
        e8k_report_set(c->rep, E8K_CHECK_WARN, "par value %g is not below "
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
    if (e8k_validate_facts(in, rep) != 0 || e8k_report_nomem(rep)) {
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
