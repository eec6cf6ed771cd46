/* test_validate.c: the validator on hand-built values: its tolerance
 * arithmetic, and each check passing, warning and failing. The seed and
 * the labelled files are in test_validate_files.c. */
#include "e8k_validate.h"
#include "e8k_values.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <strings.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "validate_helpers.h"

/* ---- tolerance arithmetic --------------------------------------------------------- */

Test(validate, tolerance_follows_the_text)
{
    hb *h = hb_new();
    e8k_value *exact = num(h, E8K_VF_GROSS, 45600000, 1, NULL);
    e8k_value *rounded = num(h, E8K_VF_GROSS, 45600000, 100000, NULL);
    e8k_value *approx = num(h, E8K_VF_NET, 42500000, 100000, "approximately");
    e8k_value *price = num(h, E8K_VF_PRICE, 1.14, 0.01, NULL);
    e8k_value *cents = num(h, E8K_VF_GROSS, 3103629.29, 0.01, NULL);
    e8k_value *rate = num(h, E8K_VF_FEE_PCT, 4.8, 0.1, NULL);
    e8k_value *chg = fact(h, "change", "percent", 97, 1, "approximately", NULL, 0);
    /* an exact figure is exact as an operand and rounds at most to its
     * last digit as a result: $45,600,000 to the half dollar, cents to the
     * half cent */
    cr_assert(e8k_value_exact(exact));
    cr_assert(near(e8k_value_tolerance(exact), 0, 0));
    cr_assert(near(e8k_value_result_tolerance(exact), 0.5, 1e-12));
    cr_assert(near(e8k_value_result_tolerance(cents), 0.005, 1e-12));
    cr_assert(e8k_value_exact(price) && e8k_value_exact(rate));
    /* "$45.6 million": half of $0.1M, what rounding allows; and no more
     * for "approximately": a hedge is no licence to contradict */
    cr_assert(!e8k_value_exact(rounded));
    cr_assert(near(e8k_value_tolerance(rounded), 50000, 1e-6));
    cr_assert(!e8k_value_exact(approx));
    cr_assert(near(e8k_value_tolerance(approx), 50000, 1e-6));
    /* a stated change is a rounded computation, never exact */
    cr_assert(!e8k_value_exact(chg));
    cr_assert(near(e8k_value_tolerance(chg), 0.5, 1e-12));
    cr_assert(e8k_qualifier_hedges("up_to") && e8k_qualifier_hedges("expected"));
    cr_assert(!e8k_qualifier_hedges(NULL) && !e8k_qualifier_hedges("on_or_about"));
    hb_free(h);
}

Test(validate, interval_arithmetic_combines_tolerances)
{
    e8k_ival a = e8k_ival_tol(25.5, 0.1), b = e8k_ival_tol(42.5, 0.1);
    e8k_ival s = e8k_ival_add(a, b);
    cr_assert(near(s.v, 68.0, 1e-12) && near(e8k_ival_halfwidth(s), 0.2, 1e-12));
    e8k_ival d = e8k_ival_sub(e8k_ival_tol(39.4, 0.05), e8k_ival_tol(13.9, 0.1));
    cr_assert(near(d.lo, 25.35, 1e-9) && near(d.hi, 25.65, 1e-9));
    e8k_ival m = e8k_ival_mul(e8k_ival_exact(40e6), e8k_ival_tol(1.14, 0.005));
    cr_assert(near(m.v, 45.6e6, 1e-6) && near(m.lo, 45.4e6, 1e-3) &&
              near(m.hi, 45.8e6, 1e-3));
    e8k_ival q = e8k_ival_div(e8k_ival_tol(8.1, 0.05), e8k_ival_tol(6.8, 0.05));
    cr_assert(near(q.lo, 8.05 / 6.85, 1e-12) && near(q.hi, 8.15 / 6.75, 1e-12));
    /* the nominal distance must stay within both half-widths */
    cr_assert(e8k_ival_agrees(s, 68.0, 0.1));
    cr_assert(e8k_ival_agrees(s, 68.3, 0.1));
    cr_assert(!e8k_ival_agrees(s, 68.31, 0.1));
    cr_assert(!e8k_ival_agrees(e8k_ival_exact(45.6e6), 45600001, 0.5));
    cr_assert(e8k_ival_agrees(e8k_ival_exact(1100006.12), 1100006, 0.5));
    e8k_ival z = e8k_ival_div(e8k_ival_exact(1), e8k_ival_tol(0, 1));
    cr_assert(isinf(z.hi) && isinf(z.lo));
}

Test(validate, date_arithmetic)
{
    char out[11];
    long a, b;
    cr_assert_eq(e8k_date_add_months("2007-01-24", 60, out), 0);
    cr_assert_str_eq(out, "2012-01-24");
    cr_assert_eq(e8k_date_add_months("2024-02-29", 12, out), 0);
    cr_assert_str_eq(out, "2025-02-28");
    cr_assert_eq(e8k_date_add_months("2025-03-31", 18, out), 0);
    cr_assert_str_eq(out, "2026-09-30");
    cr_assert_eq(e8k_date_days("2012-01-23", &a), 0);
    cr_assert_eq(e8k_date_days("2007-01-24", &b), 0);
    cr_assert_eq(a - b, 1825);
    cr_assert_eq(e8k_date_days("1970-01-01", &a), 0);
    cr_assert_eq(a, 0);
    cr_assert_neq(e8k_date_days("2012-13-01", &a), 0);
    cr_assert_neq(e8k_date_days("Jan 5", &a), 0);
}

/* ---- gross and fees ------------------------------------------------------------------ */

Test(validate, gross_derived_when_not_stated_and_marked)
{
    hb *h = hb_new();
    seed_offering(h);
    const e8k_finding *f = run(h, "gross.shares_x_price", 0);
    assert_status(f, E8K_CHECK_INFO);
    cr_assert(f->has_expected && near(f->expected, 45600000, 1e-6));
    cr_assert(!f->has_actual);
    int derived = 0;
    for (size_t i = 0; i < f->nvalues; i++)
        derived |= f->values[i].derived &&
                   !strcmp(f->values[i].name, "gross_proceeds");
    cr_assert(derived, "the derived gross is listed as derived");
    f = run(h, "fees.amount", 0);
    assert_status(f, E8K_CHECK_INFO);
    cr_assert(near(f->expected, 2736000, 1e-3));
    hb_free(h);
}

Test(validate, gross_stated_pass_and_fail)
{
    hb *h = hb_new();
    e8k_value *sh = num(h, E8K_VF_SHARES, 40000000, 1, NULL);
    num(h, E8K_VF_PRICE, 1.14, 0.01, NULL);
    e8k_value *g = num(h, E8K_VF_GROSS, 45600000, 1, NULL);
    assert_status(run(h, "gross.shares_x_price", 0), E8K_CHECK_PASS);
    g->number = 45700000; /* one digit off */
    const e8k_finding *f = run(h, "gross.shares_x_price", 0);
    assert_status(f, E8K_CHECK_FAIL);
    cr_assert(near(f->expected, 45600000, 1e-6) && near(f->actual, 45700000, 0));
    g->number = 45600000.4; /* within the half dollar of a whole-dollar figure */
    assert_status(run(h, "gross.shares_x_price", 0), E8K_CHECK_PASS);
    g->number = 45.6e6;
    g->precision = 100000; /* "$45.6 million" */
    sh->number = 40040000; /* 45.6456M rounds to 45.6M */
    assert_status(run(h, "gross.shares_x_price", 0), E8K_CHECK_PASS);
    sh->number = 40100000; /* 45.714M does not */
    assert_status(run(h, "gross.shares_x_price", 0), E8K_CHECK_FAIL);
    hb_free(h);
}

Test(validate, gross_conventions_prefunded_and_option)
{
    hb *h = hb_new();
    /* pre-funded warrants counted at the full offering price */
    num(h, E8K_VF_SHARES, 239594, 1, NULL);
    num(h, E8K_VF_PRICE, 3.49, 0.01, NULL);
    num(h, E8K_VF_PF, 75594, 1, NULL);
    num(h, E8K_VF_PF_PRICE, 3.4899, 0.0001, NULL);
    e8k_value *g = num(h, E8K_VF_GROSS, 1100006, 1, NULL);
    const e8k_finding *f = run(h, "gross.shares_x_price", 0);
    assert_status(f, E8K_CHECK_PASS);
    cr_assert(strstr(f->reason, "(shares + pre-funded) x price"), "%s", f->reason);
    g->number = 1099998.56; /* at the pre-funded price */
    g->precision = 0.01;
    assert_status(run(h, "gross.shares_x_price", 0), E8K_CHECK_PASS);
    g->number = 1199998.56;
    assert_status(run(h, "gross.shares_x_price", 0), E8K_CHECK_FAIL);
    hb_free(h);

    h = hb_new(); /* stated gross including the exercised option */
    num(h, E8K_VF_SHARES, 6773000, 1, NULL);
    num(h, E8K_VF_PRICE, 17.5, 0.01, NULL);
    num(h, E8K_VF_OVERALLOT, 1050000, 1, NULL);
    num(h, E8K_VF_GROSS, 136.9e6, 100000, NULL);
    assert_status(run(h, "gross.shares_x_price", 0), E8K_CHECK_PASS);
    hb_free(h);
}

Test(validate, fee_per_share_pass_and_fail)
{
    hb *h = hb_new();
    num(h, E8K_VF_PRICE, 3.49, 0.01, NULL);
    num(h, E8K_VF_FEE_PCT, 7, 1, NULL);
    e8k_value *fs = num(h, E8K_VF_FEE_PER_SHARE, 0.24, 0.01, NULL);
    /* 7% x 3.49 = 0.2443, stated rounded to the cent */
    assert_status(run(h, "fees.per_share", 0), E8K_CHECK_PASS);
    fs->number = 0.25;
    assert_status(run(h, "fees.per_share", 0), E8K_CHECK_FAIL);
    fs->number = 0.2443;
    fs->precision = 0.0001;
    assert_status(run(h, "fees.per_share", 0), E8K_CHECK_PASS);
    hb_free(h);
    h = hb_new();
    num(h, E8K_VF_PRICE, 3.49, 0.01, NULL);
    assert_status(run(h, "fees.per_share", 0), E8K_CHECK_SKIPPED);
    hb_free(h);
}

Test(validate, fee_amount_against_rate_times_gross)
{
    hb *h = hb_new();
    seed_offering(h);
    num(h, E8K_VF_GROSS, 45600000, 1, NULL);
    e8k_value *amt = num(h, E8K_VF_FEE_AMOUNT, 2736000, 1, NULL);
    assert_status(run(h, "fees.amount", 0), E8K_CHECK_PASS);
    amt->number = 2763000;
    assert_status(run(h, "fees.amount", 0), E8K_CHECK_FAIL);
    hb_free(h);
}

/* ---- net proceeds ---------------------------------------------------------------------- */

Test(validate, net_within_gross_reports_other_expenses)
{
    hb *h = hb_new();
    seed_offering(h);
    e8k_value *net = num(h, E8K_VF_NET, 42500000, 100000, "approximately");
    const e8k_finding *f = run(h, "net.within_gross", 0);
    assert_status(f, E8K_CHECK_PASS);
    const e8k_check_value *other = NULL;
    for (size_t i = 0; i < f->nvalues; i++)
        if (!strcmp(f->values[i].name, "other_expenses"))
            other = &f->values[i];
    cr_assert_not_null(other);
    cr_assert(other->derived && near(other->number, 364000, 1e-3));
    cr_assert(near(other->tolerance, 50000, 10), "tol %g", other->tolerance);
    net->number = 43000000; /* more than gross less fees */
    assert_status(run(h, "net.within_gross", 0), E8K_CHECK_FAIL);
    /* gross - fees = 42,864,000: "approximately $42.9 million" may stand
     * for 42.85M, within; "$42.92 million" (precision $10,000) stands for
     * at least 42.915M, 51,000 over: a contradiction, hedge or not */
    net->number = 42900000;
    assert_status(run(h, "net.within_gross", 0), E8K_CHECK_PASS);
    net->number = 42920000;
    net->precision = 10000;
    assert_status(run(h, "net.within_gross", 0), E8K_CHECK_FAIL);
    net->qualifier = NULL;
    assert_status(run(h, "net.within_gross", 0), E8K_CHECK_FAIL);
    hb_free(h);
}

Test(validate, other_expenses_bounded_by_gross_and_cap)
{
    hb *h = hb_new();
    seed_offering(h);
    e8k_value *net = num(h, E8K_VF_NET, 42500000, 100000, "approximately");
    assert_status(run(h, "net.other_expenses", 0), E8K_CHECK_PASS);
    net->number = 32500000; /* 10.4M of other expenses: 22.7% of gross */
    const e8k_finding *f = run(h, "net.other_expenses", 0);
    /* unusual, not contradictory: a warning; the estimate widens the
     * bound by 5% of itself */
    assert_status(f, E8K_CHECK_WARN);
    cr_assert(near(f->expected, 125000 + 4560000 + 0.05 * 32500000, 1e-6),
              "bound %g", f->expected);
    net->qualifier = NULL;
    f = run(h, "net.other_expenses", 0);
    cr_assert(near(f->expected, 125000 + 4560000, 1e-6), "bound %g", f->expected);
    hb_free(h);
}

/* ---- warrants ---------------------------------------------------------------------------- */

Test(validate, warrant_coverage)
{
    hb *h = hb_new();
    num(h, E8K_VF_SHARES, 40000000, 1, NULL);
    num(h, E8K_VF_COVERAGE, 50, 1, NULL);
    e8k_value *w = num(h, E8K_VF_WARRANTS, 20000000, 1, NULL);
    assert_status(run(h, "warrants.coverage", 0), E8K_CHECK_PASS);
    w->number = 21000000;
    assert_status(run(h, "warrants.coverage", 0), E8K_CHECK_FAIL);
    num(h, E8K_VF_PF, 2000000, 1, NULL); /* coverage of shares + pre-funded */
    assert_status(run(h, "warrants.coverage", 0), E8K_CHECK_PASS);
    hb_free(h);
}

Test(validate, warrant_term_and_day_before_convention)
{
    hb *h = hb_new();
    e8k_value *cl = str_in(h, E8K_VF_CLOSING, "2007-01-24", NULL, 0);
    num(h, E8K_VF_TERM, 5, 1, NULL);
    e8k_value *ex = str_in(h, E8K_VF_EXPIRY, "2012-01-23", NULL, 2);
    const e8k_finding *f = run(h, "warrants.term", 0);
    assert_status(f, E8K_CHECK_PASS);
    cr_assert_str_eq(f->expected_string, "2012-01-24");
    ex->string = "2012-01-24";
    assert_status(run(h, "warrants.term", 0), E8K_CHECK_PASS);
    ex->string = "2012-01-22";
    assert_status(run(h, "warrants.term", 0), E8K_CHECK_FAIL);
    ex->string = "2013-01-23";
    assert_status(run(h, "warrants.term", 0), E8K_CHECK_FAIL);
    /* "on or about" the closing: a week either way */
    cl->qualifier = "on_or_about";
    ex->string = "2012-01-28";
    assert_status(run(h, "warrants.term", 0), E8K_CHECK_PASS);
    ex->string = "2012-02-23";
    assert_status(run(h, "warrants.term", 0), E8K_CHECK_FAIL);
    hb_free(h);
}

Test(validate, exercise_premium_reported)
{
    hb *h = hb_new();
    num(h, E8K_VF_PRICE, 1.14, 0.01, NULL);
    num(h, E8K_VF_EXPRICE, 1.30, 0.01, NULL);
    const e8k_finding *f = run(h, "warrants.premium", 0);
    assert_status(f, E8K_CHECK_INFO);
    cr_assert(near(f->expected, 14.035, 0.001), "%g", f->expected);
    hb_free(h);
}

/* ---- dates --------------------------------------------------------------------------------- */

Test(validate, date_order_and_filing_date)
{
    hb *h = hb_new();
    e8k_value *ag = str_in(h, E8K_VF_AGREEMENT, "2007-01-18", NULL, 0);
    str_in(h, E8K_VF_CLOSING, "2007-01-24", "on_or_about", 0);
    str_in(h, E8K_VF_EXPIRY, "2012-01-23", NULL, 2);
    assert_status(run(h, "dates.order", 0), E8K_CHECK_PASS);
    assert_status(run(h, "dates.filing", 0), E8K_CHECK_SKIPPED);
    h->filed = "2007-01-19";
    assert_status(run(h, "dates.filing", 0), E8K_CHECK_PASS);
    ag->string = "2007-02-18";
    const e8k_finding *f = run(h, "dates.order", 0);
    assert_status(f, E8K_CHECK_FAIL);
    cr_assert(strstr(f->reason, "agreement_date"), "%s", f->reason);
    assert_status(run(h, "dates.filing", 0), E8K_CHECK_FAIL);
    ag->string = "2007-01-18";
    h->period = "2007-01-25";
    assert_status(run(h, "dates.filing", 0), E8K_CHECK_FAIL);
    hb_free(h);
}

/* ---- agreement between documents --------------------------------------------------------------- */

Test(validate, agreement_names_both_places)
{
    hb *h = hb_new();
    num_in(h, E8K_VF_SHARES, 40000000, 1, "up_to", 1);
    num_in(h, E8K_VF_SHARES, 40000000, 1, NULL, 0);
    e8k_value *pr = num_in(h, E8K_VF_PRICE, 1.14, 0.01, NULL, 3);
    str_in(h, E8K_VF_REGNO, "333-128164", NULL, 1);
    str_in(h, E8K_VF_REGNO, "333-128164", NULL, 0);
    assert_status(run(h, "agree.shares_offered", 0), E8K_CHECK_PASS);
    assert_status(run(h, "agree.registration_number", 0), E8K_CHECK_PASS);
    num_in(h, E8K_VF_SHARES, 40500000, 1, NULL, 3);
    const e8k_finding *f = run(h, "agree.shares_offered", 0);
    assert_status(f, E8K_CHECK_FAIL);
    cr_assert(strstr(f->reason, "EX-1.1") && strstr(f->reason, "EX-99.1"),
              "both places named: %s", f->reason);
    /* exact prices must agree to the cent */
    num_in(h, E8K_VF_PRICE, 1.15, 0.01, NULL, 0);
    assert_status(run(h, "agree.price_per_share", 0), E8K_CHECK_FAIL);
    pr->number = 1.15;
    assert_status(run(h, "agree.price_per_share", 0), E8K_CHECK_PASS);
    /* "3%" and "3.0%" are one rate; the same document is not compared */
    num_in(h, E8K_VF_FEE_PCT, 3, 1, NULL, 0);
    num_in(h, E8K_VF_FEE_PCT, 3.0, 0.1, NULL, 1);
    num_in(h, E8K_VF_FEE_PCT, 6.0, 0.1, NULL, 0);
    assert_status(run(h, "agree.fee_pct", 0), E8K_CHECK_PASS);
    str_in(h, E8K_VF_REGNO, "333-128146", NULL, 2);
    assert_status(run(h, "agree.registration_number", 0), E8K_CHECK_FAIL);
    hb_free(h);
}

/* A price a form or signature page fills in is this deal's price: it is
 * held to the price stated elsewhere, in its own document too. */
Test(validate, form_field_price_agrees_within_its_document)
{
    hb *h = hb_new();
    num_in(h, E8K_VF_PRICE, 1.14, 0.01, NULL, 2);  /* the agreement's text */
    e8k_value *other = num_in(h, E8K_VF_PRICE, 1.41, 0.01, NULL, 2);
    assert_status(run(h, "agree.price_per_share", 0), E8K_CHECK_SKIPPED);
    other->rule = "price.form-field"; /* "Purchase Price Per Security:" */
    const e8k_finding *f = run(h, "agree.price_per_share", 0);
    assert_status(f, E8K_CHECK_FAIL);
    cr_assert(strstr(f->reason, "1.41") && strstr(f->reason, "1.14"), "%s",
              f->reason);
    other->number = 1.14;
    assert_status(run(h, "agree.price_per_share", 0), E8K_CHECK_PASS);
    hb_free(h);
}

/* A contradiction fails, the unusual warns: a report tells them apart,
 * and says how many of each. */
Test(validate, statuses_tell_contradictions_from_the_unusual)
{
    hb *h = hb_new();
    seed_offering(h);
    num(h, E8K_VF_CAP, 7.5, 0.1, NULL);  /* no deal uses it: unusual */
    e8k_value *net = num(h, E8K_VF_NET, 42500000, 100000, "approximately");
    e8k_vinput in = {&h->o, 1, NULL, 0, NULL, NULL};
    e8k_report *rep = NULL;
    e8k_error err;
    cr_assert_eq(e8k_validate_input(&in, &rep, &err), E8K_OK);
    cr_assert_eq(e8k_report_failed_count(rep), 0);
    cr_assert_eq(e8k_report_warned_count(rep), 1);
    cr_assert_str_eq(e8k_check_status_name(E8K_CHECK_WARN), "warn");
    char *json = NULL;
    cr_assert_eq(e8k_report_to_json(rep, "x", 0, &json, &err), E8K_OK);
    cr_assert(strstr(json, "\"failed\": 0, \"warned\": 1"), "%s", json);
    free(json);
    e8k_report_free(rep);
    net->number = 43000000; /* more than gross less fees */
    cr_assert_eq(e8k_validate_input(&in, &rep, &err), E8K_OK);
    cr_assert_eq(e8k_report_failed_count(rep), 1);
    cr_assert_eq(e8k_report_warned_count(rep), 1);
    e8k_report_free(rep);
    hb_free(h);
}

/* ---- ranges ---------------------------------------------------------------------------------------- */

Test(validate, ranges)
{
    hb *h = hb_new();
    e8k_value *fee = num(h, E8K_VF_FEE_PCT, 4.8, 0.1, NULL);
    e8k_value *cap = num(h, E8K_VF_CAP, 9.999, 0.001, NULL);
    e8k_value *pr = num(h, E8K_VF_PRICE, 1.14, 0.01, NULL);
    e8k_value *par = num(h, E8K_VF_PAR, 0.001, 0.001, NULL);
    assert_status(run(h, "range.percent", 0), E8K_CHECK_PASS);
    assert_status(run(h, "range.ownership_cap", 0), E8K_CHECK_PASS);
    assert_status(run(h, "range.prices", 0), E8K_CHECK_PASS);
    fee->number = 148;
    assert_status(run(h, "range.percent", 0), E8K_CHECK_FAIL);
    fee->number = 4.8;
    e8k_value *cov = num(h, E8K_VF_COVERAGE, 350, 1, NULL);
    assert_status(run(h, "range.percent", 0), E8K_CHECK_WARN);
    cov->number = 100;
    assert_status(run(h, "range.percent", 0), E8K_CHECK_PASS);
    /* an uncustomary cap is unusual, not a contradiction */
    cap->number = 7.5;
    assert_status(run(h, "range.ownership_cap", 0), E8K_CHECK_WARN);
    cap->number = 4.99;
    assert_status(run(h, "range.ownership_cap", 0), E8K_CHECK_PASS);
    par->number = 2;
    assert_status(run(h, "range.prices", 0), E8K_CHECK_WARN);
    par->number = 0.001;
    pr->number = -1.14;
    assert_status(run(h, "range.prices", 0), E8K_CHECK_FAIL);
    hb_free(h);
}

/* ---- facts: cash bridges and stated changes ------------------------------------------------------------ */

static const e8k_param p_dec[] = {
    {"direction", "decrease", "decrease", 0, 0, NULL},
    {"after", "$25.5 million", NULL, 1, 25500000, "USD"},
    {"as_of", "December 31, 2006", "2006-12-31", 0, 0, "date"}};
static const e8k_param p_late[] = {
    {"as_of", "December 31, 2006", "2006-12-31", 0, 0, "date"}};
static const e8k_param p_early[] = {
    {"as_of", "September 30, 2006", "2006-09-30", 0, 0, "date"}};

static void seed_cash(hb *h, e8k_value **before, e8k_value **after)
{
    fact(h, "cash_change", "money", 13900000, 100000, "approximately", p_dec, 3);
    fact(h, "cash", "money", 25500000, 100000, "approximately", p_late, 1);
    *before = fact(h, "cash", "money", 39400000, 100000, NULL, p_early, 1);
    *after = fact(h, "cash_after_offering", "money", 68000000, 100000,
                  "approximately", NULL, 0);
}

Test(validate, cash_bridges)
{
    hb *h = hb_new();
    seed_offering(h);
    num(h, E8K_VF_NET, 42500000, 100000, "approximately");
    e8k_value *before, *after;
    seed_cash(h, &before, &after);
    const e8k_finding *f = run(h, "cash.bridge_offering", E8K_NO_OFFERING);
    assert_status(f, E8K_CHECK_PASS);
    cr_assert(near(f->expected, 68000000, 1e-3));
    assert_status(run(h, "cash.bridge_change", E8K_NO_OFFERING), E8K_CHECK_PASS);
    after->number = 68.5e6;
    assert_status(run(h, "cash.bridge_offering", E8K_NO_OFFERING), E8K_CHECK_FAIL);
    before->number = 39.9e6;
    assert_status(run(h, "cash.bridge_change", E8K_NO_OFFERING), E8K_CHECK_FAIL);
    hb_free(h);
}

static const e8k_param p_rev_change[] = {
    {"direction", "increase", "increase", 0, 0, NULL},
    {"metric", "revenue", "revenue", 0, 0, NULL},
    {"prior", "$2.9 million", NULL, 1, 2900000, "USD"}};
static const e8k_param p_rev_prior[] = {
    {"period", "previous quarter", "previous quarter", 0, 0, NULL}};
static const e8k_param p_backlog[] = {
    {"change", "19%", NULL, 1, 19, "percent"},
    {"direction", "increase", "increase", 0, 0, NULL},
    {"prior", "$6.8 million", NULL, 1, 6800000, "USD"}};
static const e8k_param p_double[] = {
    {"metric", "revenue", "revenue", 0, 0, NULL},
    {"prior", "$2.9 million", NULL, 1, 2900000, "USD"}};

Test(validate, stated_changes_and_almost_double)
{
    hb *h = hb_new();
    fact(h, "revenue", "money", 5700000, 100000, "approximately", NULL, 0);
    e8k_value *prior = fact(h, "revenue", "money", 2900000, 100000, NULL,
                            p_rev_prior, 1);
    prior->rule = "fact.revenue.prior";
    e8k_value *chg = fact(h, "change", "percent", 97, 1, "approximately",
                          p_rev_change, 3);
    e8k_value *bl = fact(h, "backlog", "money", 8100000, 100000, NULL, p_backlog, 3);
    e8k_value *dbl = fact(h, "change", "multiple", 2, 1, "almost", p_double, 2);
    dbl->unit = "multiple";
    assert_status(run(h, "change.revenue", E8K_NO_OFFERING), E8K_CHECK_PASS);
    assert_status(run(h, "change.backlog", E8K_NO_OFFERING), E8K_CHECK_PASS);
    assert_status(run(h, "change.multiple", E8K_NO_OFFERING), E8K_CHECK_PASS);
    chg->number = 79;
    assert_status(run(h, "change.revenue", E8K_NO_OFFERING), E8K_CHECK_FAIL);
    bl->number = 9100000; /* 9.1 / 6.8 = +34%, not 19% */
    assert_status(run(h, "change.backlog", E8K_NO_OFFERING), E8K_CHECK_FAIL);
    dbl->number = 3; /* "almost triple" */
    assert_status(run(h, "change.multiple", E8K_NO_OFFERING), E8K_CHECK_FAIL);
    hb_free(h);
}

Test(validate, usage_errors)
{
    e8k_report *rep = (e8k_report *)1;
    e8k_error err;
    cr_assert_eq(e8k_validate(NULL, NULL, &rep, &err), E8K_ERR_USAGE);
    cr_assert_eq(e8k_report_count(NULL), 0);
    cr_assert_null(e8k_report_finding(NULL, 0));
    cr_assert_eq(e8k_report_failed_count(NULL), 0);
    e8k_report_free(NULL);
    cr_assert_str_eq(e8k_check_status_name(E8K_CHECK_INFO), "info");
}

Test(validate, report_json_lists_findings_with_provenance)
{
    hb *h = hb_new();
    seed_offering(h);
    num(h, E8K_VF_GROSS, 45700000, 1, NULL);
    run(h, "gross.shares_x_price", 0);
    cr_assert_eq(e8k_report_failed_count(h->rep), 1);
    char *js = NULL;
    e8k_error err;
    cr_assert_eq(e8k_report_to_json(h->rep, "x.txt", 0, &js, &err), E8K_OK);
    json_error_t je;
    json_t *o = json_loads(js, 0, &je);
    cr_assert_not_null(o, "%s", je.text);
    cr_assert_eq(json_integer_value(json_object_get(o, "failed")), 1);
    json_t *fs = json_object_get(o, "findings");
    json_t *g = json_array_get(fs, 0);
    cr_assert_str_eq(json_string_value(json_object_get(g, "id")),
                     "gross.shares_x_price");
    cr_assert_str_eq(json_string_value(json_object_get(g, "status")), "fail");
    json_t *v0 = json_array_get(json_object_get(g, "values"), 0);
    cr_assert_not_null(json_object_get(v0, "span"));
    cr_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(v0, "document"), "type")), "8-K");
    json_decref(o);
    free(js);
    hb_free(h);
}
