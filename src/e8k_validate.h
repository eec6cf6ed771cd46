/* e8k_validate.h: the validator's private interface, shared by validate.c
 * (the checks), validate_report.c (findings and JSON) and the unit tests:
 * the tolerance arithmetic and a flat view of the records that tests can
 * build by hand, without grammars. */
#ifndef E8K_VALIDATE_H
#define E8K_VALIDATE_H

#include "internal.h"

/* A hedged figure ("approximately $42.5 million", "expected to be") may
 * stand further from the truth than its rounding allows; a plausibility
 * bound (never a contradiction check) gives it this share of its value as
 * room (docs/validation.md). */
#define E8K_ESTIMATE_SLACK_SHARE 0.05
/* A date stated "on or about" may move by this many days. */
#define E8K_DATE_SLACK_DAYS 7
/* Implied other expenses (gross - fees - net) are plausible up to the
 * expense cap plus the larger of this share of gross and a fixed floor for
 * the costs that do not scale with a deal (counsel, auditors, printing). */
#define E8K_OTHER_EXPENSES_GROSS_SHARE 0.10
#define E8K_OTHER_EXPENSES_FLOOR 1000000.0
/* Values kept per field of the view (the chosen one, then alternates). */
#define E8K_VMAX 24

/* ---- tolerance arithmetic ------------------------------------------------ */

/* A figure with the interval it may stand for: nominal v in [lo, hi]. */
typedef struct e8k_ival {
    double v, lo, hi;
} e8k_ival;

e8k_ival e8k_ival_exact(double x);
e8k_ival e8k_ival_tol(double x, double tol);
e8k_ival e8k_ival_add(e8k_ival a, e8k_ival b);
e8k_ival e8k_ival_sub(e8k_ival a, e8k_ival b);
e8k_ival e8k_ival_mul(e8k_ival a, e8k_ival b);
/* b must not contain 0 (the caller checks); else the result is unbounded. */
e8k_ival e8k_ival_div(e8k_ival a, e8k_ival b);
e8k_ival e8k_ival_scale(e8k_ival a, double k);
/* The largest distance from the nominal value to a bound. */
double e8k_ival_halfwidth(e8k_ival a);
/* Whether `stated` (+- stated_tol) can be the computed figure: the
 * distance of the nominal values is within both tolerances (plus a
 * floating-point epsilon). */
int e8k_ival_agrees(e8k_ival computed, double stated, double stated_tol);

/* Whether a qualifier hedges a figure: approximately, about, expected,
 * up to, at least. A hedged figure is no exact operand; its tolerance
 * stays half a unit of its last stated digit, what rounding allows. */
int e8k_qualifier_hedges(const char *qualifier);
/* Whether a stated value is exact as an operand: share counts and amounts
 * written in full, prices, contractual rates (not facts, not rounded
 * figures with a scale word, not qualified figures). */
int e8k_value_exact(const e8k_value *v);
/* Tolerance of a value used as an operand: 0 when exact, else half a unit
 * of its last stated digit. */
double e8k_value_tolerance(const e8k_value *v);
/* Tolerance of a value compared as a stated result: half a unit of its
 * last stated digit (it may be rounded there). */
double e8k_value_result_tolerance(const e8k_value *v);
e8k_ival e8k_value_ival(const e8k_value *v);

/* Days since 1970-01-01 of "YYYY-MM-DD"; 0 ok, -1 when not a date. */
int e8k_date_days(const char *s, long *days);
/* "YYYY-MM-DD" plus `months` months (the day clamped to the month's end),
 * written to out (11 bytes). 0 ok. */
int e8k_date_add_months(const char *s, long months, char out[11]);

/* ---- the view the checks read -------------------------------------------- */

/* The view is indexed like the records' offering fields (E8K_F_...), plus
 * the figures a check compares that no grammar extracts as an offering
 * field: a stated total fee amount, which only a hand-built view has. */
typedef int e8k_vfield;
enum {
    /* short names for the fields the checks read */
    E8K_VF_SHARES = E8K_F_shares_offered,
    E8K_VF_PRICE = E8K_F_price_per_share,
    E8K_VF_OVERALLOT = E8K_F_overallotment_shares,
    E8K_VF_PF = E8K_F_prefunded_warrants_offered,
    E8K_VF_PF_PRICE = E8K_F_prefunded_price,
    E8K_VF_WARRANTS = E8K_F_warrants_offered,
    E8K_VF_EXPRICE = E8K_F_warrant_exercise_price,
    E8K_VF_TERM = E8K_F_warrant_term_years,
    E8K_VF_EXPIRY = E8K_F_warrant_expiration_date,
    E8K_VF_COVERAGE = E8K_F_warrant_coverage_pct,
    E8K_VF_CAP = E8K_F_beneficial_ownership_cap_pct,
    E8K_VF_GROSS = E8K_F_gross_proceeds,
    E8K_VF_NET = E8K_F_net_proceeds,
    E8K_VF_PAR = E8K_F_par_value,
    E8K_VF_FEE_PCT = E8K_F_fee_pct,
    E8K_VF_FEE_PER_SHARE = E8K_F_fee_per_share,
    E8K_VF_ADVISORY = E8K_F_advisory_fee_pct,
    E8K_VF_EXPENSE_CAP = E8K_F_expense_cap,
    E8K_VF_REGNO = E8K_F_registration_number,
    E8K_VF_AGREEMENT = E8K_F_agreement_date,
    E8K_VF_CLOSING = E8K_F_closing_date,
    E8K_VF_COUPON = E8K_F_coupon_pct,
    E8K_VF_MATURITY = E8K_F_maturity_date,
    E8K_VF_MAX_AGG = E8K_F_max_aggregate_amount,
    E8K_VF_FEE_AMOUNT = E8K_NFIELDS,
    E8K_VF_COUNT
};

/* The record field name of a view field ("shares_offered" ...), "" when
 * out of range. */
const char *e8k_vfield_name(e8k_vfield f);

typedef struct e8k_voffering {
    /* per field: the chosen value first, then the alternates */
    const e8k_value *v[E8K_VF_COUNT][E8K_VMAX];
    size_t n[E8K_VF_COUNT];
} e8k_voffering;

typedef struct e8k_vinput {
    const e8k_voffering *offs;
    size_t noffs;
    const e8k_value *const *facts;
    size_t nfacts;
    const char *filed;  /* filing date YYYY-MM-DD, or NULL */
    const char *period; /* date of the earliest event reported, or NULL */
} e8k_vinput;

/* The filing-level checks of the facts (validate_facts.c); -1 when out
 * of memory. */
int e8k_validate_facts(const e8k_vinput *in, e8k_report *rep);

/* Runs every check over a view (e8k_validate() builds one from records). */
e8k_status e8k_validate_input(const e8k_vinput *in, e8k_report **out,
                              e8k_error *err);

/* ---- building a report (validate_report.c) -------------------------------- */

e8k_report *e8k_report_new(void);
/* Starts a finding; strings are copied. NULL when out of memory (the
 * report then remembers the failure and later calls do nothing). */
e8k_finding *e8k_report_add(e8k_report *rep, const char *id, size_t offering,
                            const char *formula, const char *unit);
/* Copies a stated value as a value used by the last finding. */
void e8k_report_use(e8k_report *rep, const char *name, const e8k_value *v,
                    double tolerance);
/* Adds a figure the validator computed (derived = 1). */
void e8k_report_use_derived(e8k_report *rep, const char *name, double x,
                            double tolerance, const char *unit,
                            const char *how);
/* Sets the last finding's outcome; `fmt` formats its reason. */
void e8k_report_set(e8k_report *rep, e8k_check_status status,
                    const char *fmt, ...) E8K_PRINTF(3, 4);
void e8k_report_set_numbers(e8k_report *rep, double expected, double actual,
                            int has_actual, double tolerance);
void e8k_report_set_strings(e8k_report *rep, const char *expected,
                            const char *actual);
/* Whether building failed for lack of memory. */
int e8k_report_nomem(const e8k_report *rep);
/* Writes x with thousands separators and up to `decimals` decimals. */
void e8k_fmt_number(char *buf, size_t n, double x);
/* The same, returning buf (for use inside a format's arguments). */
const char *e8k_fmt(char *buf, size_t n, double x);

#endif /* E8K_VALIDATE_H */
