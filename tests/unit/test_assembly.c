/* SPDX-License-Identifier: MIT */
/* test_assembly.c: the offering assembly (records_deal.h) over short texts
 * taken from the shared corpus, some shortened (the source is named above
 * each): which sentences make a transaction, which tranche a value belongs
 * to, what an excerpt and a filing report, and the sentence splitter and
 * keyword fold it rests on. The texts are embedded so that the suite runs
 * without ../shared. */
#include "e8k_values.h"
#include "records_helpers.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static e8k_grammar *grammar;

static void setup(void) { grammar = load_grammars(); }

static void teardown(void) { e8k_grammar_free(grammar); }

TestSuite(assembly, .init = setup, .fini = teardown);

static e8k_records *excerpt(const char *text)
{
    return records_of_text(grammar, text, "8-K");
}

static e8k_records *filing(const char *text)
{
    return records_of_filing(grammar, text);
}

static e8k_records *excerpt_of(const char *text, const char *type)
{
    return records_of_text(grammar, text, type);
}

/* passages/B/p027.txt, its second paragraph: a program entered into. */
#define P027_NEW_PROGRAM \
        "On July 13, 2020, the Company entered into an At-The-Market Offering Agreement (the " \
        "\"Offering Agreement\") with H. C. Wainwright & Co., LLC (\"Wainwright\"), as sales " \
        "agent and/or principal, pursuant to which the Company may offer and sell, from time " \
        "to time, through or to Wainwright, shares of the Company's common stock. Sales of " \
        "shares of common stock under the Offering Agreement will be made pursuant to the " \
        "Company's shelf registration statement on Form S-3 (File No. 333-231537), for an " \
        "aggregate offering price of up to $7.0 million.\n"

/* passages/B/p027.txt: a program ended, then a new one. The end told of
 * the 2015 agreement is not the new program's. */
Test(assembly, an_ended_program_is_not_the_new_one)
{
    e8k_records *r = excerpt(
        "As previously disclosed, on June 24, 2015, the Company entered into a Controlled "
        "Equity OfferingSM Sales Agreement (the \"Sales Agreement\") with Cantor Fitzgerald & "
        "Co. (\"Cantor Fitzgerald\"), pursuant to which the Company could offer and sell, at "
        "the Company's option, shares of its common stock for aggregate gross sales proceeds "
        "of up to $25.0 million, from time to time, through an \"at the market\" equity "
        "offering program under which Cantor Fitzgerald acted as agent. On July 2, 2020, the "
        "Company delivered written notice to Cantor Fitzgerald that it had elected, pursuant "
        "to Section 12(b) of the Sales Agreement, to terminate the Sales Agreement effective "
        "as of July 12, 2020, ten (10) days after delivery of the notice.\n\n"
        P027_NEW_PROGRAM);
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_str(r, 0, "offering_type", "atm");
    expect_num(r, 0, "max_aggregate_amount", 7e6);
    expect_str(r, 0, "agreement_date", "2020-07-13");
    expect_str(r, 0, "registration_number", "333-231537");
    e8k_records_free(r);
}

/* passages/B/p040.txt: sales made under a program are its history, not
 * an offering's count and price. */
Test(assembly, program_sales_are_no_offering_terms)
{
    e8k_records *r = excerpt(
        "On September 18, 2009, we entered into an Equity Distribution Agreement with Piper "
        "Jaffray & Co. (the \"Agent\") pursuant to which we may sell from time to time, up to "
        "an aggregate of $25 million in shares of our common stock, through the Agent.\n"
        "During the three months ended September 30, 2010, we sold 473,882 shares of common "
        "stock at an average price of $3.21 per share, and received gross proceeds of $1.5 "
        "million.\n");
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_str(r, 0, "offering_type", "atm");
    expect_num(r, 0, "max_aggregate_amount", 25e6);
    expect_none(r, 0, "shares_offered");
    expect_none(r, 0, "price_per_share");
    e8k_records_free(r);
}

/* html/edgar-crawler-8k/1002517_8K_2007_0000950135-07-005171.htm: the base
 * principal amount beats the total with the option's notes, and "the
 * Debentures" restated is the series the first sentence named. */
Test(assembly, the_base_amount_beats_the_total_with_the_option)
{
    e8k_records *r = excerpt(
        "As previously announced, on August 7, 2007, Nuance Communications, Inc. (\"Nuance\") "
        "entered into a purchase agreement (the \"Purchase Agreement\") with Citigroup Global "
        "Markets Inc. and Goldman, Sachs & Co. (the \"Initial Purchasers\") to offer and sell "
        "$220 million aggregate principal amount of its 2.75% Senior Convertible Debentures "
        "due 2027 (the \"Debentures\"), plus up to an additional $30 million aggregate "
        "principal amount of the Debentures at the option of the Initial Purchasers to cover "
        "over-allotments, if any.\n"
        "On August 13, 2007, Nuance closed the sale of $250 million aggregate principal "
        "amount of the Debentures, including the exercise of the Initial Purchasers' "
        "over-allotment option in full.\n");
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_num(r, 0, "principal_amount", 220e6);
    expect_num(r, 0, "coupon_pct", 2.75);
    expect_str(r, 0, "agreement_date", "2007-08-07");
    expect_str(r, 0, "closing_date", "2007-08-13");
    e8k_records_free(r);
}

/* passages/A/p038.txt: the notes were issued on the day the agreement was
 * signed, the financing closed four days later; the day it closed is the
 * closing date even though the issuing sentence names the securities. */
Test(assembly, the_deal_closes_when_it_says_it_closed)
{
    e8k_records *r = excerpt(
        "On February 1, 2008, we closed a $350,000 financing transaction pursuant to a "
        "written Securities Purchase Agreement (the Securities Purchase Agreement), dated "
        "January 28, 2008, that we entered into with AJW Partners, LLC; AJW Master Fund, "
        "Ltd.; and New Millennium Capital Partners II, LLC (collectively, the Purchasers).\n"
        "On January 28, 2008, in connection with the Securities Purchase Agreement, we "
        "issued $350,000 principal amount of 8% callable secured convertible notes and "
        "warrants to purchase 10,000,000 shares of our common stock at an exercise price "
        "of $.006 per share, exercisable until January 28, 2015, in exchange for $350,000 "
        "cash from the Purchasers.\n");
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_num(r, 0, "principal_amount", 350000);
    expect_str(r, 0, "agreement_date", "2008-01-28");
    expect_str(r, 0, "closing_date", "2008-02-01");
    e8k_records_free(r);
}

/* html/edgar-crawler-8k/1002517_8K_2007_0000950135-07-007757.htm,
 * shortened: the shares issued at the closing are the firm shares with the
 * option's; the sentence restates the deal, and its proceeds are the
 * deal's, not another offering's. */
Test(assembly, the_total_with_the_option_restates_the_deal)
{
    e8k_records *r = excerpt(
        "On December 18, 2007, Nuance Communications, Inc. (the \"Company\") and certain "
        "selling stockholders entered into an underwriting agreement with Citigroup Global "
        "Markets Inc. and Goldman Sachs & Co., as representatives of the several "
        "underwriters identified therein, for the sale by the Company of 6,773,000 shares "
        "of its common stock. The Shares were sold to the public at a price of $17.50 per "
        "share. The Company granted the Underwriters a 30-day option to purchase an "
        "additional 1,050,000 shares of its common stock, which the Underwriters exercised "
        "in full on December 20, 2007.\n"
        "Item 8.01 Other Events.\n"
        "On December 21, 2007, the Company closed its public offering of Common Stock. The "
        "Company issued 7,823,000 shares of Common Stock in the offering. Gross proceeds to "
        "the Company were approximately $136.9 million and net proceeds, after underwriting "
        "commissions and other offering expenses, were approximately $130.5 million.\n");
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_num(r, 0, "shares_offered", 6773000);
    expect_num(r, 0, "gross_proceeds", 136.9e6);
    expect_num(r, 0, "net_proceeds", 130.5e6);
    e8k_records_free(r);
}

/* passages/A/p026.txt, shortened: the warrants of the concurrent private
 * placement are sold under the same agreement and close with the
 * offering. */
Test(assembly, a_concurrent_placement_closes_with_the_offering)
{
    e8k_records *r = excerpt(
        "On April 20, 2023, the Company entered into a Securities Purchase Agreement with a "
        "certain institutional investor, pursuant to which the Company agreed to issue and "
        "sell to the Investor in a registered direct offering (i) 291,395 shares of the "
        "Company\xe2\x80\x99s common stock, par value $0.001 per share, and (ii) pre-funded "
        "warrants to purchase an aggregate of 509,300 shares of Common Stock. In addition, "
        "under the Purchase Agreement, the Company also agreed to issue and sell to the "
        "Investor in a concurrent private placement warrants to purchase an aggregate of "
        "800,695 shares of common stock.\n"
        "The offering closed April 24, 2023.\n");
    cr_assert_eq(e8k_records_offering_count(r), 2);
    expect_num(r, 0, "shares_offered", 291395);
    expect_str(r, 0, "closing_date", "2023-04-24");
    expect_num(r, 1, "warrants_offered", 800695);
    expect_str(r, 1, "offering_type", "pipe");
    expect_str(r, 1, "agreement_date", "2023-04-20");
    expect_str(r, 1, "closing_date", "2023-04-24");
    e8k_records_free(r);
}

/* submissions/424B5_EnsysceBiosciences_0001641172-25-001566.txt: what a
 * sentence says after stating two warrant series together is said of
 * both, not of the shares sold beside them. */
Test(assembly, series_stated_together_share_their_terms)
{
    e8k_records *r = excerpt(
        "We are offering 239,594 shares of our common stock at a public offering price of "
        "$3.49 per share. In a concurrent private placement, we are also selling to such "
        "investors Series A-5 warrants to purchase up to 315,188 shares of our common stock "
        "(the \"Series A-5 Warrants\"), and Series A-6 warrants to purchase up to 315,188 "
        "shares of our common stock (the \"Series A-6 Warrants\"), each of which represents "
        "100% of the number of shares of our common stock being purchased in this offering. "
        "Each Warrant will have an exercise price of $3.24 per share.\n");
    cr_assert_eq(e8k_records_offering_count(r), 3);
    expect_num(r, 0, "shares_offered", 239594);
    expect_none(r, 0, "warrant_exercise_price");
    for (size_t o = 1; o < 3; o++) {
        expect_str(r, o, "security", "warrants_only");
        expect_num(r, o, "warrant_exercise_price", 3.24);
        expect_num(r, o, "warrant_coverage_pct", 100);
    }
    e8k_records_free(r);
}

/* passages/B/p037.txt: two classes sold in one sentence; how they were
 * sold is said of both. */
Test(assembly, two_classes_in_one_sentence)
{
    e8k_records *r = excerpt(
        "In February 2017, we issued 12,000,000 shares of common stock, par value $0.16 2/3 "
        "per share, at the public offering price of $2.10 per share, and 500,000 shares of "
        "7.25% Series A Mandatory Convertible Preferred Stock (Convertible Preferred Stock), "
        "par value $1.00 per share, with a liquidation preference of $100 per share, for "
        "total net proceeds of $72.3 million, after underwriting discount and offering "
        "expenses.\n");
    cr_assert_eq(e8k_records_offering_count(r), 2);
    expect_str(r, 0, "security", "common_stock");
    expect_num(r, 0, "shares_offered", 12e6);
    expect_none(r, 0, "par_value"); /* a repeating decimal is no figure */
    expect_str(r, 1, "security", "preferred_stock");
    expect_num(r, 1, "shares_offered", 5e5);
    expect_num(r, 1, "par_value", 1);
    expect_str(r, 0, "offering_type", "underwritten");
    expect_str(r, 1, "offering_type", "underwritten");
    e8k_records_free(r);
}

/* html/edgar-crawler-8k/1002517_8K_2016_0001193125-16-790800.htm: notes the
 * proceeds will redeem are no second offering. */
Test(assembly, redeemed_notes_are_no_offering)
{
    e8k_records *r = excerpt(
        "On December 8, 2016, the Company entered into a purchase agreement with Barclays "
        "Capital Inc., as initial purchaser, to sell $500 million aggregate principal amount "
        "of its 5.625% Senior Notes due 2026 in a private offering to qualified "
        "institutional buyers in accordance with Rule 144A. The Company intends to use the "
        "net proceeds, together with cash on hand, to redeem approximately $600 million in "
        "aggregate principal amount of its 5.375% Senior Notes due 2020.\n");
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_num(r, 0, "principal_amount", 500e6);
    expect_num(r, 0, "coupon_pct", 5.625);
    e8k_records_free(r);
}

/* submissions/edgar-crawler-8k/100240_8K_1994_0000950144-94-000177.txt: a
 * term sheet's rows, dot leaders between name and value. */
Test(assembly, term_sheet_rows)
{
    e8k_records *r = excerpt(
        "The Notes shall have the following terms:\n\n"
        "Principal Amount . . . . . . . . . . . . . . . . $250,000,000\n\n"
        "Date of maturity . . . . . . . . . . . . . . . . February 1, 2004\n\n"
        "Interest rate or rates (as\n"
        "method of determination) . . . . . . . . . . . 7.40% per annum\n\n"
        "Delivery Date . . . . . . . . . . . . . . 9:00 a.m., Atlanta time, on February 3, 1994\n");
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_num(r, 0, "principal_amount", 250e6);
    expect_num(r, 0, "coupon_pct", 7.4);
    expect_str(r, 0, "maturity_date", "2004-02-01");
    expect_str(r, 0, "closing_date", "1994-02-03");
    e8k_records_free(r);
}

/* submissions/8-K_AppleInc_0001193125-19-292676.txt: the report names the
 * representatives, the underwriting agreement's Schedule I every
 * underwriter; each 2025 Note and 2031 Note offering takes them all. */
static const char apple[] =
    "On November 15, 2019, Apple Inc. (\"Apple\") consummated the issuance and sale of "
    "\xe2\x82\xac" "1,000,000,000 aggregate principal amount of its 0.000% Notes due 2025 (the "
    "\"2025 Notes\") and \xe2\x82\xac" "1,000,000,000 aggregate principal amount of its 0.500% "
    "Notes due 2031 (the \"2031 Notes\" and, together with the 2025 Notes, the \"Notes\"), "
    "pursuant to an underwriting agreement (the \"Underwriting Agreement\") dated November "
    "7, 2019 among Apple and Goldman Sachs & Co. LLC, Barclays Bank PLC, BNP Paribas and "
    "J.P. Morgan Securities plc, as representatives of the several underwriters named "
    "therein.\n\n"
    "SCHEDULE I\n\n"
    "Underwriter\tPrincipal Amount of Securities to be Purchased\n"
    "2025 Notes\t2031 Notes\n"
    "Goldman Sachs & Co. LLC\t\xe2\x82\xac\t350,000,000\t\xe2\x82\xac\t350,000,000\n"
    "Barclays Bank PLC\t\xe2\x82\xac\t150,000,000\t\xe2\x82\xac\t150,000,000\n"
    "BNP Paribas\t\xe2\x82\xac\t150,000,000\t\xe2\x82\xac\t150,000,000\n"
    "J.P. Morgan Securities plc\t\xe2\x82\xac\t150,000,000\t\xe2\x82\xac\t150,000,000\n"
    "Citigroup Global Markets Limited\t\xe2\x82\xac\t50,000,000\t\xe2\x82\xac\t50,000,000\n"
    "Deutsche Bank AG, London Branch\t\xe2\x82\xac\t50,000,000\t\xe2\x82\xac\t50,000,000\n"
    "HSBC Bank plc\t\xe2\x82\xac\t50,000,000\t\xe2\x82\xac\t50,000,000\n"
    "Merrill Lynch International\t\xe2\x82\xac\t50,000,000\t\xe2\x82\xac\t50,000,000\n"
    "Total\t\xe2\x82\xac\t1,000,000,000\t\xe2\x82\xac\t1,000,000,000\n";

Test(assembly, a_schedule_joins_the_representatives)
{
    e8k_records *r = excerpt_of(apple, "EX-1.1");
    cr_assert_eq(e8k_records_offering_count(r), 2);
    const char *want[] = {"Goldman Sachs & Co. LLC", "Barclays Bank PLC", "BNP Paribas",
                          "J.P. Morgan Securities plc", "Citigroup Global Markets Limited",
                          "Deutsche Bank AG, London Branch", "HSBC Bank plc",
                          "Merrill Lynch International"};
    size_t nw = sizeof want / sizeof want[0];
    for (size_t k = 0; k < 2; k++) {
        /* the agents are a list: read the picks behind the public first one */
        const e8k_offering *o = &r->offs[k];
        cr_assert_eq(o->npicks[E8K_F_agents], nw, "%zu agents", o->npicks[E8K_F_agents]);
        for (size_t i = 0; i < nw; i++) {
            const char *name = r->cands[o->picks[E8K_F_agents][i]].v.string;
            int found = 0;
            for (size_t q = 0; q < nw && !found; q++)
                found = !strcmp(name, want[q]);
            cr_assert(found, "unexpected agent %s", name);
        }
    }
    e8k_records_free(r);
}

/* A current report's item heading, however long, is a sentence of its own:
 * the date that opens the next line opens that sentence. */
Test(assembly, item_headings_split_sentences)
{
    e8k_records *r = filing(
        "FORM 8-K\n\n"
        "Item 2.03 Creation of a Direct Financial Obligation or an Obligation under an "
        "Off-Balance Sheet Arrangement of a Registrant\n"
        "As previously announced, on August 7, 2007, Nuance Communications, Inc. (\"Nuance\") "
        "entered into a purchase agreement (the \"Purchase Agreement\") with Citigroup Global "
        "Markets Inc. and Goldman, Sachs & Co. (the \"Initial Purchasers\") to offer and sell "
        "$220 million aggregate principal amount of its 2.75% Senior Convertible Debentures "
        "due 2027 (the \"Debentures\"), plus up to an additional $30 million aggregate "
        "principal amount of the Debentures at the option of the Initial Purchasers to cover "
        "over-allotments, if any.\n"
        "On August 13, 2007, Nuance closed the sale of $250 million aggregate principal "
        "amount of the Debentures, including the exercise of the Initial Purchasers' "
        "over-allotment option in full.\n");
    /* the dated first sentence dates the deal: the second, six days on, is
       the same deal, not another one */
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_str(r, 0, "agreement_date", "2007-08-07");
    expect_str(r, 0, "closing_date", "2007-08-13");
    e8k_records_free(r);
}

Test(assembly, an_item_heading_is_a_unit_of_its_own)
{
    const char *t =
        "Item 2.03 Creation of a Direct Financial Obligation or an Obligation under an "
        "Off-Balance Sheet Arrangement of a Registrant\n"
        "As previously announced, on August 7, 2007, Nuance entered into a purchase "
        "agreement.\n";
    e8k_sent_mark *m = NULL;
    size_t n = 0, cap = 0;
    cr_assert_eq(e8k_sentences_split(t, 0, strlen(t), &m, &n, &cap), 0);
    cr_assert_eq(n, 1, "too long for a title: one unit with the next line");
    cr_assert_eq(e8k_sentences_heading(t, strlen(t), 0, &m, &n, &cap), 0);
    cr_assert_eq(n, 2);
    cr_assert(m[0].heading);
    cr_assert_eq(m[1].start, (size_t)(strstr(t, "As previously") - t));
    cr_assert(m[1].para);
    free(m);
}

Test(assembly, long_lines_end_paragraphs)
{
    /* passages/A/p026.txt puts one paragraph on each line */
    const char *t =
        "In addition, under the Purchase Agreement, the Company also agreed to issue and sell "
        "to the Investor in a concurrent private placement warrants to purchase an aggregate "
        "of 800,695 shares of common stock.\n"
        "The offering closed April 24, 2023.\n";
    e8k_sent_mark *m = NULL;
    size_t n = 0, cap = 0;
    cr_assert_eq(e8k_sentences_split(t, 0, strlen(t), &m, &n, &cap), 0);
    cr_assert_eq(n, 2);
    cr_assert(m[1].para, "the second line opens a paragraph");
    /* a wrapped line of a typed filing does not */
    const char *w = "The Notes will be issued only in registered form in denominations of\n"
                    "$1,000 and integral multiples thereof.\n";
    n = 0;
    cr_assert_eq(e8k_sentences_split(w, 0, strlen(w), &m, &n, &cap), 0);
    cr_assert_eq(n, 1);
    free(m);
}

Test(assembly, keywords_fold_line_breaks)
{
    const char *t = "On\nSeptember 11, 2006";
    char low[32];
    e8k_keyword_fold(low, t, strlen(t));
    cr_assert_eq(memcmp(low, "on september 11, 2006", strlen(t)), 0);
}

Test(assembly, coupons_in_eighths_and_names_without_headings)
{
    e8k_norm o;
    const char *c = "6 3/4%";
    cr_assert_eq(e8k_normalize(E8K_V_PERCENT, c, strlen(c), 1, &o), 0);
    cr_assert_float_eq(o.number, 6.75, 1e-9);
    const char *n = "S-20\nTable of Contents\nUNDERWRITING\nBarclays Capital Inc.";
    cr_assert_eq(e8k_normalize(E8K_V_NAME, n, strlen(n), 1, &o), 0);
    cr_assert_str_eq(o.string, "Barclays Capital Inc.");
}

static e8k_records *dated_filing(const char *form, const char *filed,
                                 const char *body)
{
    static char text[8192];
    snprintf(text, sizeof text,
             "<SEC-DOCUMENT>0000000000-25-000001.txt : %s\n"
             "<SEC-HEADER>0000000000-25-000001.hdr.sgml : %s\n"
             "ACCESSION NUMBER:\t\t0000000000-25-000001\n"
             "CONFORMED SUBMISSION TYPE:\t%s\n"
             "PUBLIC DOCUMENT COUNT:\t\t1\n"
             "FILED AS OF DATE:\t\t%s\n"
             "</SEC-HEADER>\n<DOCUMENT>\n<TYPE>%s\n<SEQUENCE>1\n<TEXT>\n%s"
             "</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n",
             filed, filed, form, filed, form, body);
    return filing(text);
}

/* submissions/424B5_EnsysceBiosciences_0001641172-25-001566.txt, shortened:
 * a 2025 prospectus tells a 2021 agreement in a sentence that opens with
 * its date. Its warrants, term and date are that deal's history, not terms
 * of the undated offering told before; read as an excerpt (whose dates
 * are not known to be old) the sentence stays a deal of its own. */
Test(assembly, a_sentence_dated_long_before_the_filing_is_history)
{
    const char *body =
        "Pursuant to this prospectus supplement and the accompanying prospectus, we are "
        "offering 239,594 shares of our common stock, $0.0001 par value per share, to "
        "certain institutional investors at an offering price of $3.49 per share of "
        "common stock.\n\n"
        "On September 24, 2021, we entered into a securities purchase agreement, whereby "
        "we issued to the other parties thereto warrants to purchase 54,174 shares of the "
        "common stock in the aggregate (the \"2021 Investor Warrants\"). The 2021 Investor "
        "Warrants had an exercise price of $152.60, a 30% premium to the conversion price, "
        "and are exercisable for five years following issuance.\n";
    e8k_records *r = dated_filing("424B5", "20250331", body);
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_num(r, 0, "shares_offered", 239594);
    expect_num(r, 0, "price_per_share", 3.49);
    expect_none(r, 0, "warrants_offered");
    expect_none(r, 0, "warrant_term_years");
    expect_none(r, 0, "agreement_date");
    e8k_records_free(r);

    r = excerpt_of(body, "424B5");
    cr_assert_geq(e8k_records_offering_count(r), 1);
    expect_num(r, 0, "shares_offered", 239594);
    e8k_records_free(r);
}

/* passages/B/p027.txt, its second paragraph: a prospectus offers under an
 * at-the-market program whatever the date of its sales agreement; an 8-K
 * filed two years after it recounts it. */
Test(assembly, a_prospectus_offers_under_an_older_sales_agreement)
{
    const char *body = P027_NEW_PROGRAM;
    e8k_records *r = dated_filing("424B5", "20220815", body);
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_str(r, 0, "offering_type", "atm");
    expect_num(r, 0, "max_aggregate_amount", 7e6);
    expect_str(r, 0, "agreement_date", "2020-07-13");
    e8k_records_free(r);
    r = dated_filing("8-K", "20220815", body);
    cr_assert_eq(e8k_records_offering_count(r), 0);
    e8k_records_free(r);
}

/* submissions/424B5_ExcelerateEnergy_0001193125-25-068732.txt, shortened:
 * a preliminary supplement's cover offers common stock without a count;
 * the base prospectus after it lists what the shelf may offer some day,
 * preferred stock among it. What is sold is what the cover says. */
Test(assembly, the_cover_says_what_is_sold_not_the_shelf_list)
{
    const char *body =
        "PROSPECTUS SUPPLEMENT\n\n"
        "We are offering shares of our Class A common stock, par value $0.001 per share "
        "(the \"Class A Common Stock\"), pursuant to this prospectus supplement and the "
        "accompanying prospectus.\n\n"
        "Barclays Capital Inc. and Morgan Stanley & Co. LLC are acting as the "
        "representatives of the underwriters for this offering.\n\n"
        "From time to time we may offer and sell the following securities:\n\n"
        "\xe2\x80\xa2\tshares of Class A common stock, par value $0.001 per share "
        "(\"Class A common stock\");\n\n"
        "\xe2\x80\xa2\tshares of preferred stock, par value $0.001 per share "
        "(\"preferred stock\");\n\n"
        "\xe2\x80\xa2\tdebt securities, which may be senior or subordinated;\n";
    e8k_records *r = dated_filing("424B5", "20250331", body);
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_str(r, 0, "security", "common_stock");
    expect_str(r, 0, "offering_type", "underwritten");
    e8k_records_free(r);
}

/* passages/C/p010.txt, shortened: the placement agent's warrants are
 * listed as bullet items after the sentence that introduces them; the
 * cue of that sentence ("placement agent warrants") is said of every
 * item, so their exercise price and expiry are not the investors'. */
Test(assembly, a_list_inherits_the_cues_of_its_lead_in)
{
    const char *text =
        "In April 2017, the Company entered into definitive securities purchase "
        "agreements with certain accredited investors for the purchase and sale of an "
        "aggregate of : (i) $5,000,000 principal amount of 12.5% secured convertible "
        "debentures (the \xe2\x80\x9c" "Debentures\xe2\x80\x9d); and (ii) five-year "
        "warrants (\xe2\x80\x9cSeries A Warrants\xe2\x80\x9d) representing the right to "
        "acquire up to 833,337 shares of our class A common stock that expire in April "
        "2022, in a transaction exempt from registration under the Securities Act.\n"
        "In connection with our April 2017 Debenture Offering, we also issued the "
        "following placement agent warrants:\n"
        "\xc2\xb7\n"
        "Chardan Capital Markets, and its affiliates received warrants to purchase an "
        "aggregate of 100,000 shares of Class A common stock at an exercise price of "
        "$3.75 per share, with an expiration date of October 21, 2022;\n"
        "\xc2\xb7\n"
        "Noble Financial Capital Markets, and its affiliates received warrants to "
        "purchase an aggregate of 66,800 shares of Class A common stock at an exercise "
        "price of $3.00 per share, with an expiration date of October 21, 2022.\n"
        "The net proceeds to us from the offering, after deducting placement agent fees "
        "and estimated offering expenses, were approximately $4,636,629.\n";
    e8k_records *r = excerpt(text);
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_num(r, 0, "principal_amount", 5e6);
    expect_num(r, 0, "warrants_offered", 833337);
    expect_none(r, 0, "warrant_exercise_price");
    expect_none(r, 0, "warrant_expiration_date");
    e8k_records_free(r);
}

/* passages/C/p017.txt, shortened: a 10-Q note tells a stock offering and
 * a notes offering closed the same day. The stock's count is the total
 * with the option's shares, so no count is its own; the option's shares
 * in a sale at a price per share say that shares are sold, and open the
 * stock's offering. The conversion price told after both belongs to the
 * notes, the only security of the two that has one. */
Test(assembly, an_option_of_shares_sold_at_a_price_opens_the_stock_offering)
{
    const char *text =
        "Public Offering of Common Stock\n"
        "On July 19, 2019, the Company completed a public offering in which 1,587,000 "
        "shares of its common stock, including the underwriters\xe2\x80\x99 exercise in full "
        "of an option to purchase an additional 207,000 shares, were sold to the public "
        "at a price of $87.00 per share (the \xe2\x80\x9cStock Offering\xe2\x80\x9d). The net "
        "proceeds of the Stock Offering, after deducting underwriting discounts and "
        "commissions and other estimated offering expenses payable by the Company, were "
        "approximately $130.7 million.\n"
        "Public Offering of Convertible Senior Notes\n"
        "On July 19, 2019, the Company issued $287.5 million aggregate principal amount "
        "of 0.375% Convertible Senior Notes due 2024 (\xe2\x80\x9c" "2019 Notes\xe2\x80\x9d). The "
        "net proceeds of the Notes Offering, after deducting underwriting discounts and "
        "commissions and other estimated offering expenses payable by the Company, were "
        "approximately $278.4 million.\n"
        "The 2019 Notes will be senior, unsecured obligations of the Company. Interest "
        "will be payable semi-annually in arrears on January 15 and July 15 of each "
        "year. The 2019 Notes will mature on July 15, 2024, unless earlier repurchased "
        "or converted. The 2019 Notes may be settled in cash or shares. Holders may "
        "require the Company to repurchase them. The initial conversion rate for the "
        "2019 Notes is 8.6749 shares of the Company\xe2\x80\x99s common stock per $1,000 "
        "principal amount of 2019 Notes (which is equivalent to an initial conversion "
        "price of approximately $115.28 per share).\n";
    e8k_records *r = excerpt(text);
    cr_assert_eq(e8k_records_offering_count(r), 2);
    expect_str(r, 0, "security", "common_stock");
    expect_num(r, 0, "price_per_share", 87);
    expect_num(r, 0, "overallotment_shares", 207000);
    expect_num(r, 0, "net_proceeds", 130.7e6);
    expect_none(r, 0, "conversion_price");
    expect_str(r, 1, "security", "convertible_notes");
    expect_num(r, 1, "principal_amount", 287.5e6);
    expect_num(r, 1, "net_proceeds", 278.4e6);
    expect_num(r, 1, "conversion_price", 115.28);
    e8k_records_free(r);
}

/* passages/B/p034.txt, shortened: an excerpt that begins after the
 * statement of what was sold, and names no kind of offering, still tells
 * a sale under a registration statement whose proceeds the issuer
 * received: an offering, reported with the terms it states. */
Test(assembly, an_excerpt_of_a_registered_sale_with_its_proceeds_is_an_offering)
{
    const char *text =
        "The Offering was made pursuant to that certain Registration Statement on Form "
        "S-3, as amended (File No. 333-281562), which was originally filed on August 15, "
        "2024, and declared effective by the Securities and Exchange Commission on "
        "August 21, 2024.\n"
        "The closing of the Offering occurred on January 7, 2025. The Company received "
        "net proceeds of approximately $18.3 million from the Offering, after deducting "
        "the offering expenses payable by the Company. The Company intends to use the "
        "net proceeds from the Offering for general corporate purposes.\n";
    e8k_records *r = excerpt(text);
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_str(r, 0, "registration_number", "333-281562");
    expect_num(r, 0, "net_proceeds", 18.3e6);
    expect_str(r, 0, "closing_date", "2025-01-07");
    e8k_records_free(r);
}

/* submissions/S-1-A_UnicyciveTherapeutics_0001213900-21-035033.txt,
 * shortened: the notes to the financial statements of a 2021 IPO
 * prospectus tell a 2017 purchase agreement in a sentence that opens with
 * its date and states no amount. Its date is history, not the IPO's
 * agreement date. */
Test(assembly, a_dated_sentence_without_an_amount_is_history_too)
{
    const char *body =
        "4,550,000 Units\n\n"
        "This is an initial public offering of units of securities (the \"Units) of "
        "Unicycive Therapeutics, Inc. No public market currently exists for our common "
        "stock.\n\n"
        "We estimate that the net proceeds from our issuance and sale of 4,550,000 Units "
        "in this offering will be approximately $22.6 million.\n\n"
        "Common stock purchase agreement and services agreement\n\n"
        "On July 1, 2017, the Company entered into a Common Stock Purchase Agreement "
        "(\"Stock Agreement\") with Globavir. The Company's principal stockholder is also "
        "the principal stockholder in Globavir.\n";
    e8k_records *r = dated_filing("S-1/A", "20210630", body);
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_num(r, 0, "shares_offered", 4550000);
    expect_str(r, 0, "offering_type", "ipo");
    expect_none(r, 0, "agreement_date");
    e8k_records_free(r);
}

/* passages/A/p037.txt, shortened: the warrants sold beside a registered
 * direct offering have their own price, "per warrant"; it is theirs, not
 * a second price of the shares. */
Test(assembly, a_price_per_warrant_is_the_warrants_price)
{
    e8k_records *r = excerpt(
        "On July 10, 2018, the Company entered into securities purchase agreements with "
        "institutional and accredited investors for the sale by the Company of 1,241,382 "
        "shares of the Company\xe2\x80\x99s common stock at a purchase price of $2.05 per "
        "share in a registered direct offering. Concurrently with the registered direct "
        "offering, and pursuant to the securities purchase agreements, the Company also "
        "sold unregistered warrants exercisable for an aggregate of 1,241,382 shares of "
        "common stock, for a purchase price of $0.125 per warrant and with an exercise "
        "price of $2.06 per share.\n");
    cr_assert_eq(e8k_records_offering_count(r), 2);
    expect_num(r, 0, "price_per_share", 2.05);
    expect_num(r, 1, "warrants_offered", 1241382);
    expect_num(r, 1, "price_per_share", 0.125);
    expect_num(r, 1, "warrant_exercise_price", 2.06);
    e8k_records_free(r);
}

/* submissions/edgar-crawler-8k/100240_8K_1994_0000950144-94-000177.txt,
 * shortened: a terms agreement sells two series, each with a term sheet
 * headed by its defined name; the second sheet, far below the first
 * statement, is the same deal's other series, not another deal. */
Test(assembly, a_term_sheet_headed_by_its_series_is_that_series)
{
    const char *body =
        "TBS hereby agrees to sell and the Underwriters, acting severally and not jointly, "
        "agree to purchase, the respective principal amounts of 7.40% Senior Notes due 2004 "
        "(the \"Notes\") and 8.40% Senior Debentures due 2024 (the \"Debentures\" and, "
        "together with the Notes, the \"Underwritten Securities\") set forth opposite their "
        "respective names below.\n\n"
        "The Notes shall have the following terms:\n\n"
        "Principal Amount . . . . . . . . . . . . . . . . $250,000,000\n\n"
        "Date of maturity . . . . . . . . . . . . . . . . February 1, 2004\n\n"
        "Interest rate or rates (as\n"
        "method of determination) . . . . . . . . . . . 7.40% per annum\n\n"
        "Interest payment dates . . . . . . . . . . . . . February 1 and August 1, commencing "
        "August 1, 1994\n\n"
        "Redemption provisions . . . . . . . . . . . . . The Notes are not redeemable at the "
        "option of TBS. The Notes are redeemable at the option of the Holders upon a Change "
        "of Control, all as described in the Preliminary Prospectus Supplement.\n\n"
        "Additional Covenants . . . . . . . . . . . . . . Additional covenants include, "
        "without limitation, a limitation on the incurrence of Funded Debt and certain "
        "Liens.\n\n"
        "Form and denomination . . . . . . . . . . . . . Certificated, in denominations of "
        "$1,000 and integral multiples thereof\n\n"
        "The Debentures shall have the following terms:\n\n"
        "Principal Amount . . . . . . . . . . . . . . . . $200,000,000\n\n"
        "Date of maturity . . . . . . . . . . . . . . . . February 1, 2024\n\n"
        "Interest rate or rates (or\n"
        "method of determination) . . . . . . . . . . . 8.40% per annum\n";
    e8k_records *r = dated_filing("8-K", "19940204", body);
    cr_assert_eq(e8k_records_offering_count(r), 2);
    expect_num(r, 0, "principal_amount", 250e6);
    expect_num(r, 0, "coupon_pct", 7.4);
    expect_num(r, 1, "principal_amount", 200e6);
    expect_num(r, 1, "coupon_pct", 8.4);
    expect_str(r, 1, "maturity_date", "2024-02-01");
    e8k_records_free(r);
}

/* html/424B4_Camp4Therapeutics_camp4_424b4.htm, shortened: the authorized
 * capital is no sale, but the par value it states is the par value of the
 * stock sold. */
Test(assembly, the_authorized_capital_states_the_par_value)
{
    e8k_records *r = dated_filing(
        "424B4", "20241011",
        "We are offering 6,820,000 shares of our common stock. The initial public "
        "offering price is $11.00 per share.\n\n"
        "Upon the completion of this offering, our Restated Charter will authorize us to "
        "issue up to 175,000,000 shares of common stock, $0.0001 par value per share, and "
        "25,000,000 shares of preferred stock, $0.0001 par value per share, all of which "
        "shares of preferred stock will be undesignated.\n");
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_num(r, 0, "shares_offered", 6820000);
    expect_num(r, 0, "par_value", 0.0001);
    e8k_records_free(r);
}
