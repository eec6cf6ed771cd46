/* test_records.c: the choice of one value per offering field stays the
 * same however the candidates are grouped (the choice sorts them instead
 * of comparing every pair); series offerings come in the order of their
 * first statements; a list of firms splits at each firm. */
#include "edgar8k.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static e8k_grammar *grammar;

static void setup(void)
{
    char dir[1200];
    const char *root = getenv("E8K_ROOT");
    snprintf(dir, sizeof dir, "%s/grammars", root ? root : ".");
    e8k_error err;
    cr_assert_eq(e8k_grammar_load(dir, &grammar, &err), E8K_OK, "%s:%zu: %s",
                 err.file, err.line, err.message);
}

static void teardown(void)
{
    e8k_grammar_free(grammar);
}

TestSuite(records, .init = setup, .fini = teardown);

static e8k_records *run_text(const char *text, const char *type)
{
    e8k_records *r = NULL;
    e8k_error err;
    cr_assert_eq(e8k_extract_text(grammar, text, strlen(text), type, &r, &err), E8K_OK);
    return r;
}

static double num(const e8k_value *v)
{
    cr_assert_not_null(v);
    cr_assert(v->has_number);
    return v->number;
}

/* Repeats of a value in one document are one alternate, whichever
 * statement of it comes first; the first statement wins a tie. */
Test(records, alternates_hold_each_value_once)
{
    char text[4096] = "";
    static const char *const prices[] = {"2.00", "3.00", "2.00", "3.00",
                                         "4.00", "2.00", "3.00"};
    for (size_t i = 0; i < sizeof prices / sizeof prices[0]; i++) {
        size_t l = strlen(text);
        snprintf(text + l, sizeof text - l,
                 "The Company completed the issuance and sale of 1,000,000 shares "
                 "of its common stock at a price of $%s per share.\n", prices[i]);
    }
    e8k_records *r = run_text(text, "8-K");
    cr_assert_eq(e8k_records_offering_count(r), 1);
    cr_expect_float_eq(num(e8k_records_offering_field(r, 0, "price_per_share")), 2.0, 1e-9);
    cr_assert_eq(e8k_records_alternate_count(r, 0, "price_per_share"), 2);
    cr_expect_float_eq(num(e8k_records_alternate(r, 0, "price_per_share", 0)), 3.0, 1e-9);
    cr_expect_float_eq(num(e8k_records_alternate(r, 0, "price_per_share", 1)), 4.0, 1e-9);
    cr_expect_eq(e8k_records_alternate_count(r, 0, "shares_offered"), 0);
    e8k_records_free(r);
}

/* Note series are offerings in the order the filing states them, not in
 * the order of their keys. */
Test(records, series_offerings_in_order_of_statement)
{
    const char *text =
        "The Company issued $300,000,000 aggregate principal amount of its 5.125% "
        "Senior Notes due 2033 and $200,000,000 aggregate principal amount of its "
        "4.250% Senior Notes due 2029.\n";
    e8k_records *r = run_text(text, "8-K");
    cr_assert_eq(e8k_records_offering_count(r), 2);
    cr_expect_float_eq(num(e8k_records_offering_field(r, 0, "principal_amount")), 3e8, 1);
    cr_expect_float_eq(num(e8k_records_offering_field(r, 1, "principal_amount")), 2e8, 1);
    e8k_records_free(r);
}

/* A piece of a list joins the firm before it as its branch only when
 * "Branch" is a word of it: "Branchburg Securities LLC" is a firm. */
Test(records, a_branch_is_a_whole_word)
{
    const char *text =
        "Example Bank AG, Branchburg Securities LLC are acting as joint "
        "book-running managers of this offering.\n";
    e8k_records *r = run_text(text, "8-K");
    size_t n = e8k_records_party_count(r);
    int bank = 0, other = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = e8k_records_party(r, i)->string;
        bank += !strcmp(s, "Example Bank AG");
        other += !strcmp(s, "Branchburg Securities LLC");
    }
    cr_expect_eq(bank, 1);
    cr_expect_eq(other, 1);
    e8k_records_free(r);
}
