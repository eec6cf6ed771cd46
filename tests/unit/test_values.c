/* test_values.c: the normalizers keep the value, its stated precision and
 * its qualifier for every way filings write money, counts, percentages,
 * dates and durations. */
#include "e8k_values.h"
#include "internal.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

static e8k_norm norm(e8k_vtype t, const char *s)
{
    e8k_norm o;
    cr_assert_eq(e8k_normalize(t, s, strlen(s), 1, &o), 0, "no value in '%s'", s);
    return o;
}

#define assert_num(o, v) cr_assert(fabs((o).number - (double)(v)) <= 1e-9 * fmax(1, fabs((double)(v))), \
                                   "got %.12g want %.12g", (o).number, (double)(v))

Test(values, money_with_scale_word_keeps_precision)
{
    e8k_norm o = norm(E8K_V_MONEY, "approximately $42.5 million");
    assert_num(o, 42500000);
    assert_num((e8k_norm){.number = o.precision}, 100000);
    cr_assert_str_eq(o.qualifier, "approximately");
    cr_assert_str_eq(o.unit, "USD");
}

/* passages/A/p019.txt: "gross cash proceeds of around $10.5 million" is
 * an estimate, and a check's tolerance widens for it. */
Test(values, around_is_an_estimate)
{
    e8k_norm o = norm(E8K_V_MONEY, "around $10.5 million");
    assert_num(o, 10500000);
    cr_assert_str_eq(o.qualifier, "approximately");
}

/* "exercisable until the fifth anniversary of the issuance date" (the S-1/A
 * of submissions/S-1-A_UnicyciveTherapeutics_*): an anniversary's ordinal
 * counts years, where "fifth" alone is a fraction. */
Test(values, an_anniversary_counts_years)
{
    e8k_norm o = norm(E8K_V_DURATION, "fifth anniversary");
    assert_num(o, 5);
    cr_assert_str_eq(o.unit, "years");
    o = norm(E8K_V_DURATION, "tenth (10th) anniversary");
    assert_num(o, 10);
    o = norm(E8K_V_DURATION, "five year and six month anniversary");
    assert_num(o, 5.5);
    e8k_norm f = norm(E8K_V_DURATION, "one-fifth years");
    assert_num(f, 0.2);
}

Test(values, exact_money_is_exact_to_the_unit)
{
    e8k_norm o = norm(E8K_V_MONEY, "$1,100,006");
    assert_num(o, 1100006);
    cr_assert_eq(o.precision, 1);
    cr_assert_null(o.qualifier);
    o = norm(E8K_V_MONEY, "$ 3,931,722.00");
    assert_num(o, 3931722);
    cr_assert_float_eq(o.precision, 0.01, 1e-12);
}

Test(values, caption_scale_applies_without_a_scale_word)
{
    e8k_norm o;
    cr_assert_eq(e8k_normalize(E8K_V_MONEY, "$12,345", 7, 1000, &o), 0);
    assert_num(o, 12345000);
    cr_assert_eq(e8k_normalize(E8K_V_MONEY, "$1.5 million", 12, 1000, &o), 0);
    assert_num(o, 1500000);
}

Test(values, shares_in_words_and_figures)
{
    assert_num(norm(E8K_V_SHARES, "forty million (40,000,000)"), 40000000);
    assert_num(norm(E8K_V_SHARES, "twelve thousand five hundred"), 12500);
    assert_num(norm(E8K_V_SHARES, "2.5 million"), 2500000);
}

Test(values, percentages_and_basis_points)
{
    e8k_norm o = norm(E8K_V_PERCENT, "9.999%");
    assert_num(o, 9.999);
    cr_assert_float_eq(o.precision, 0.001, 1e-12);
    assert_num(norm(E8K_V_PERCENT, "50 basis points"), 0.5);
    assert_num(norm(E8K_V_PERCENT, "4.8 percent"), 4.8);
}

Test(values, dates_in_the_forms_filings_use)
{
    cr_assert_str_eq(norm(E8K_V_DATE, "January 23, 2012").string, "2012-01-23");
    cr_assert_str_eq(norm(E8K_V_DATE, "Jan. 9, 2007").string, "2007-01-09");
    cr_assert_str_eq(norm(E8K_V_DATE, "January 18,2007").string, "2007-01-18");
    cr_assert_str_eq(norm(E8K_V_DATE, "3/31/2025").string, "2025-03-31");
    e8k_norm o = norm(E8K_V_DATE, "on or about January 24, 2007");
    cr_assert_str_eq(o.qualifier, "on_or_about");
}

Test(values, durations_in_years)
{
    assert_num(norm(E8K_V_DURATION, "five-year"), 5);
    assert_num(norm(E8K_V_DURATION, "18 months"), 1.5);
    assert_num(norm(E8K_V_DURATION, "eighteen months"), 1.5);
    assert_num(norm(E8K_V_DURATION, "seven and one-half years"), 7.5);
    assert_num(norm(E8K_V_DURATION, "five (5) years"), 5);
}

Test(values, qualifiers)
{
    cr_assert_str_eq(e8k_qualifier("up to $75,000", 13), "up_to");
    cr_assert_str_eq(e8k_qualifier("expects revenue", 15), "expected");
    cr_assert_null(e8k_qualifier("$75,000", 7));
}

Test(values, names_end_at_their_suffix)
{
    cr_assert_str_eq(norm(E8K_V_NAME, "Example & Sons, Inc.,").string, "Example & Sons, Inc.");
    cr_assert_str_eq(norm(E8K_V_NAME, "Brook LLP, New York").string, "Brook LLP");
    cr_assert_str_eq(norm(E8K_V_NAME, "A LLC, B Capital Inc.").string, "A LLC, B Capital Inc.");
    cr_assert_str_eq(norm(E8K_V_NAME, "Sample Transfer, LLC. It acts").string,
                     "Sample Transfer, LLC");
    cr_assert_str_eq(norm(E8K_V_NAME, "Sample Services, P.O. Box 12").string,
                     "Sample Services");
    cr_assert_str_eq(norm(E8K_V_NAME, "Alpha LLC (\"Alpha\"), Beta Inc.").string,
                     "Alpha LLC, Beta Inc.");
}

/* One list of firm words serves trimming and list splitting: a form is
 * known with or without its period, a firm word is no form, and a word
 * that only starts like one is neither. */
Test(values, firm_words_from_one_list)
{
    cr_assert_eq(e8k_firm_word("Inc.", 4), E8K_FIRM_NAME | E8K_FIRM_FORM | E8K_FIRM_DOT);
    cr_assert_eq(e8k_firm_word("Inc", 3), E8K_FIRM_NAME | E8K_FIRM_FORM | E8K_FIRM_DOT);
    cr_assert_eq(e8k_firm_word("L.L.C.", 6), E8K_FIRM_NAME | E8K_FIRM_FORM | E8K_FIRM_DOT);
    cr_assert_eq(e8k_firm_word("LLP.", 4), E8K_FIRM_NAME | E8K_FIRM_FORM);
    cr_assert_eq(e8k_firm_word("Securities", 10), E8K_FIRM_NAME);
    cr_assert_eq(e8k_firm_word("Income", 6), 0);
    cr_assert_eq(e8k_firm_word("Capitalization", 14), 0);
    cr_assert_eq(e8k_firm_word("AGREEMENT", 9), 0);
    cr_assert_eq(e8k_firm_words_in("London Branch", 13), 0);
    cr_assert_eq(e8k_firm_words_in("Example Bank AG", 15) & E8K_FIRM_FORM, E8K_FIRM_FORM);
}

Test(values, names_end_at_their_form)
{
    /* a period that is not the form's ends a sentence, also at the end */
    cr_assert_str_eq(norm(E8K_V_NAME, "Weil, Gotshal & Manges LLP.").string,
                     "Weil, Gotshal & Manges LLP");
    cr_assert_str_eq(norm(E8K_V_NAME, "Example Holdings Ltd. The notes").string,
                     "Example Holdings Ltd.");
    cr_assert_str_eq(norm(E8K_V_NAME, "Example Sachs & Co.").string,
                     "Example Sachs & Co.");
    /* a form followed by another form is one name */
    cr_assert_str_eq(norm(E8K_V_NAME, "Example Sachs & Co. LLC").string,
                     "Example Sachs & Co. LLC");
    /* a branch belongs to its bank; a city does not belong to the firm */
    cr_assert_str_eq(norm(E8K_V_NAME, "Example Bank AG, London Branch").string,
                     "Example Bank AG, London Branch");
    cr_assert_str_eq(norm(E8K_V_NAME, "Example Bank AG, Frankfurt").string,
                     "Example Bank AG");
}

/* A name ends where a sentence does ("... Trust Company. Its telephone
 * number"), not at an abbreviation's period; table-of-contents leaders
 * and a lawyer's title after "Esq." are no part of it. */
Test(values, names_end_at_a_sentence_or_a_leader)
{
    cr_assert_str_eq(norm(E8K_V_NAME, "Sample Stock Transfer & Trust Company. Its").string,
                     "Sample Stock Transfer & Trust Company");
    cr_assert_str_eq(norm(E8K_V_NAME, "Sample Shareowner Services.").string,
                     "Sample Shareowner Services");
    cr_assert_str_eq(norm(E8K_V_NAME, "Financial Advisor. Example, Read & Co. Inc.").string,
                     "Financial Advisor");
    cr_assert_str_eq(norm(E8K_V_NAME, "Financial Advisor.........................22").string,
                     "Financial Advisor");
    cr_assert_str_eq(norm(E8K_V_NAME, "Counsel ------------ 23").string, "Counsel");
    cr_assert_str_eq(norm(E8K_V_NAME, "Jane Q. Roe, Esq., Associate General Counsel").string,
                     "Jane Q. Roe, Esq.");
    cr_assert_str_eq(norm(E8K_V_NAME, "Brook & Hale LLP, New York.").string,
                     "Brook & Hale LLP");
    /* initials and abbreviations go on with the name */
    cr_assert_str_eq(norm(E8K_V_NAME, "J.P. Example Securities LLC").string,
                     "J.P. Example Securities LLC");
    cr_assert_str_eq(norm(E8K_V_NAME, "U.S. Example Bank National Association").string,
                     "U.S. Example Bank National Association");
    cr_assert_str_eq(norm(E8K_V_NAME, "Example Bros. Holdings LLC").string,
                     "Example Bros. Holdings LLC");
    cr_assert_str_eq(norm(E8K_V_NAME, "Example & Co. International plc").string,
                     "Example & Co. International plc");
    /* capitals: a form is known in any case */
    cr_assert_str_eq(norm(E8K_V_NAME, "SAMPLE & ROE, L.L.P., DALLAS").string,
                     "SAMPLE & ROE, L.L.P.");
    cr_assert_eq(e8k_firm_word("INC.", 4), E8K_FIRM_NAME | E8K_FIRM_FORM | E8K_FIRM_DOT);
    cr_assert_eq(e8k_firm_word("P.A.", 4), E8K_FIRM_NAME | E8K_FIRM_FORM | E8K_FIRM_DOT);
}

Test(values, text_without_a_value_is_refused)
{
    e8k_norm o;
    cr_assert_eq(e8k_normalize(E8K_V_MONEY, "no amount", 9, 1, &o), -1);
    cr_assert_eq(e8k_normalize(E8K_V_DATE, "in 2007", 7, 1, &o), -1);
    cr_assert_eq(e8k_normalize(E8K_V_DURATION, "five", 4, 1, &o), -1);
}

/* Firm names abbreviate words no list can hold ("Geo.", "Wm.", "Cia."):
 * a period ends the name before a capital only after a firm word or
 * before a word that opens sentences. */
Test(values, names_keep_unlisted_abbreviations)
{
    cr_assert_str_eq(norm(E8K_V_NAME, "Geo. K. Baum & Company").string,
                     "Geo. K. Baum & Company");
    cr_assert_str_eq(norm(E8K_V_NAME, "Wm. Smith & Co.").string, "Wm. Smith & Co.");
    cr_assert_str_eq(norm(E8K_V_NAME, "Chas. P. Young Company").string,
                     "Chas. P. Young Company");
    cr_assert_str_eq(norm(E8K_V_NAME, "Cia. Minera Example S.A.").string,
                     "Cia. Minera Example S.A.");
    /* ... while a sentence after a name still ends it */
    cr_assert_str_eq(norm(E8K_V_NAME, "Continental Stock Transfer & Trust Company. Its").string,
                     "Continental Stock Transfer & Trust Company");
    cr_assert_str_eq(norm(E8K_V_NAME, "Example Holdings. The notes").string,
                     "Example Holdings");
    cr_assert_str_eq(norm(E8K_V_NAME, "Example Transfer LLC. Our agent").string,
                     "Example Transfer LLC");
    cr_assert_str_eq(norm(E8K_V_NAME, "Example Holdings. On March 1").string,
                     "Example Holdings");
}

/* After a legal form and a comma, lower case words describe the firm and
 * are cut; a firm word counts as the start of another firm only spelled
 * as one, and "Branch" only as a whole word. */
Test(values, names_end_before_a_description_of_the_firm)
{
    cr_assert_str_eq(norm(E8K_V_NAME, "Example Securities LLC, a Delaware limited "
                                      "liability company").string,
                     "Example Securities LLC");
    cr_assert_str_eq(norm(E8K_V_NAME, "Example Securities LLC, a Delaware corporation").string,
                     "Example Securities LLC");
    cr_assert_str_eq(norm(E8K_V_NAME, "EXAMPLE SECURITIES LLC, INVESTMENT BANKING GROUP").string,
                     "EXAMPLE SECURITIES LLC");
    cr_assert_str_eq(norm(E8K_V_NAME, "EXAMPLE PARTNERS LLC, NEW YORK CAPITAL").string,
                     "EXAMPLE PARTNERS LLC");
    cr_assert_str_eq(norm(E8K_V_NAME, "Example Bank AG, Branchburg, New Jersey").string,
                     "Example Bank AG");
    /* lists and branches stay whole */
    cr_assert_str_eq(norm(E8K_V_NAME, "ALPHA LLC, BETA INC.").string, "ALPHA LLC, BETA INC.");
    cr_assert_str_eq(norm(E8K_V_NAME, "Alpha LLC, Beta Capital Group").string,
                     "Alpha LLC, Beta Capital Group");
    cr_assert_str_eq(norm(E8K_V_NAME, "EXAMPLE BANK AG, LONDON BRANCH").string,
                     "EXAMPLE BANK AG, LONDON BRANCH");
}
