/* test_extract.c: extraction over text and over the seed filing: every
 * labelled value of the seed is found with the right value and its
 * provenance, with the parties, the warrant clauses and the press-release
 * facts the issue lists; negatives get no offering. */
#define _GNU_SOURCE /* memmem */
#include "edgar8k.h"
#include "records_helpers.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static e8k_grammar *grammar;
static char base[1024];

static void setup(void)
{
    grammar = load_grammars();
    rootp("../shared", base, sizeof base);
}

static void teardown(void)
{
    e8k_grammar_free(grammar);
}

TestSuite(extract, .init = setup, .fini = teardown);

static e8k_records *run_text(const char *text, const char *type)
{
    return records_of_text(grammar, text, type);
}

Test(extract, offering_terms_from_text_with_provenance)
{
    const char *text =
        "Item 1.01 Entry into a Material Definitive Agreement.\n"
        "On May 3, 2021, the Company entered into a Placement Agency Agreement with "
        "Example Markets LLC, as exclusive placement agent, relating to the sale by the "
        "Company of 2,500,000 shares of its common stock, par value $0.01 per share, at a "
        "price of $4.00 per share, in a registered direct offering. The Company will pay a "
        "placement fee equal to 6.0% of the gross proceeds. The net proceeds to the Company "
        "are expected to be approximately $9.2 million. The offering is expected to close on "
        "or about May 6, 2021 (Registration No. 333-254321).\n";
    e8k_records *r = run_text(text, "8-K");
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_num(r, 0, "shares_offered", 2500000);
    expect_num(r, 0, "price_per_share", 4);
    expect_num(r, 0, "par_value", 0.01);
    expect_num(r, 0, "fee_pct", 6);
    expect_num(r, 0, "net_proceeds", 9200000);
    expect_str(r, 0, "offering_type", "registered_direct");
    expect_str(r, 0, "closing_date", "2021-05-06");
    expect_str(r, 0, "agreement_date", "2021-05-03");
    expect_str(r, 0, "registration_number", "333-254321");
    expect_str(r, 0, "security", "common_stock");
    const e8k_value *np = e8k_records_offering_field(r, 0, "net_proceeds");
    cr_assert_str_eq(np->qualifier, "approximately");
    cr_assert_float_eq(np->precision, 100000, 1e-6);
    cr_assert_str_eq(np->rule, "proceeds.net");
    cr_assert_str_eq(np->doc_type, "8-K");
    cr_assert(strstr(text + np->span.start, "net proceeds") == text + np->span.start);
    cr_assert_eq(e8k_records_party_count(r), 1);
    cr_assert_str_eq(e8k_records_party(r, 0)->string, "Example Markets LLC");
    cr_assert_str_eq(e8k_records_party(r, 0)->field, "placement_agent");
    e8k_records_free(r);
}

Test(extract, results_press_release_has_no_offering)
{
    e8k_records *r = run_text(
        "Item 2.02 Results of Operations.\nThe company reported revenue for the fourth "
        "quarter of $52.1 million. Cash was $18.0 million. The Company has 40,000,000 "
        "shares of common stock outstanding.\n", "EX-99.1");
    cr_assert_eq(e8k_records_offering_count(r), 0);
    cr_assert_geq(e8k_records_fact_count(r), 1);
    cr_assert_str_eq(e8k_records_fact(r, 0)->field, "revenue");
    e8k_records_free(r);
}

Test(extract, agreement_outranks_press_release_and_keeps_the_alternate)
{
    const char *text =
        "The Company will issue 1,000,000 shares of common stock at a price of $2.00 per share.\n"
        "EXHIBIT 99.1\nThe company announced an offering at an offering price of $2.05 per share.\n"
        "EXHIBIT 10.1\nThe investor will purchase securities at a purchase price of $2.00 per share.\n";
    e8k_records *r = run_text(text, "8-K");
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_num(r, 0, "price_per_share", 2.0);
    cr_assert_str_eq(e8k_records_offering_field(r, 0, "price_per_share")->doc_type, "EX-10.1");
    cr_assert_geq(e8k_records_alternate_count(r, 0, "price_per_share"), 1);
    int seen = 0;
    for (size_t k = 0; k < e8k_records_alternate_count(r, 0, "price_per_share"); k++)
        seen |= fabs(e8k_records_alternate(r, 0, "price_per_share", k)->number - 2.05) < 1e-9;
    cr_assert(seen, "the press release's price is kept as an alternate");
    e8k_records_free(r);
}

Test(extract, json_output_is_an_object_with_the_record_lists)
{
    e8k_records *r = run_text("a placement fee equal to 5% of the gross proceeds", "8-K");
    char *json = NULL;
    e8k_error err;
    cr_assert_eq(e8k_records_to_json(r, "x.txt", 0, &json, &err), E8K_OK);
    json_error_t je;
    json_t *root = json_loads(json, 0, &je);
    cr_assert_not_null(root, "%s", je.text);
    cr_assert(json_is_array(json_object_get(root, "offerings")));
    cr_assert(json_is_array(json_object_get(root, "parties")));
    cr_assert(json_is_array(json_object_get(root, "warrant_clauses")));
    cr_assert(json_is_array(json_object_get(root, "facts")));
    json_decref(root);
    free(json);
    e8k_records_free(r);
}

/* ---- the seed ------------------------------------------------------------- */

static e8k_records *extract_file(const char *path, char **buf, e8k_filing **f)
{
    size_t len;
    e8k_error err;
    cr_assert_eq(e8k_file_load(path, buf, &len, &err), E8K_OK, "%s", path);
    *f = e8k_filing_new(path);
    cr_assert_eq(e8k_filing_parse(*f, *buf, len, &err), E8K_OK, "%s", err.message);
    e8k_records *r = NULL;
    cr_assert_eq(e8k_extract_filing(grammar, *f, &r, &err), E8K_OK);
    return r;
}

static json_t *label_for(const char *suffix)
{
    char p[1400];
    snprintf(p, sizeof p, "%s/corpus/labels/dev.jsonl", base);
    FILE *fp = fopen(p, "r");
    if (!fp)
        return NULL;
    char line[1 << 16];
    json_t *found = NULL;
    while (!found && fgets(line, sizeof line, fp)) {
        json_t *j = json_loads(line, 0, NULL);
        const char *file = json_string_value(json_object_get(j, "file"));
        size_t n = file ? strlen(file) : 0, m = strlen(suffix);
        if (file && n >= m && !strcmp(file + n - m, suffix))
            found = j;
        else
            json_decref(j);
    }
    fclose(fp);
    return found;
}

static void check_label_field(const e8k_records *r, const char *field, json_t *v)
{
    if (!strcmp(field, "agents")) {
        size_t n = e8k_records_party_count(r), hits = 0;
        for (size_t k = 0; k < json_array_size(v); k++)
            for (size_t i = 0; i < n; i++)
                hits += !strcmp(e8k_records_party(r, i)->string,
                                json_string_value(json_array_get(v, k)));
        cr_assert_eq(hits, json_array_size(v), "agents");
        return;
    }
    if (json_is_number(v))
        expect_num(r, 0, field, json_number_value(v));
    else
        expect_str(r, 0, field, json_string_value(v));
}

Test(extract, seed_every_labelled_value_is_right)
{
    char p[1400];
    snprintf(p, sizeof p, "%s/seeds/capstone-8k-2007-01-18.txt", base);
    json_t *lab = label_for("capstone-8k-2007-01-18.txt");
    if (access(p, R_OK) != 0 || !lab)
        cr_skip_test("../shared (seed or labels) is not available");
    char *buf;
    e8k_filing *f;
    e8k_records *r = extract_file(p, &buf, &f);
    cr_assert_eq(e8k_records_offering_count(r), 1);
    json_t *off = json_array_get(json_object_get(lab, "offerings"), 0);
    const char *key;
    json_t *val;
    json_object_foreach(off, key, val)
        check_label_field(r, key, json_object_get(val, "value"));
    /* provenance: the span holds the matched text in the file */
    const e8k_value *v = e8k_records_offering_field(r, 0, "warrant_expiration_date");
    cr_assert(v->span.end > v->span.start);
    cr_assert(memmem(buf + v->span.start, v->span.end - v->span.start, "2012", 4));
    json_decref(lab);
    e8k_records_free(r);
    e8k_filing_free(f);
    free(buf);
}

static int has(const e8k_records *r, int facts, const char *field, double num)
{
    size_t n = facts ? e8k_records_fact_count(r) : e8k_records_clause_count(r);
    for (size_t i = 0; i < n; i++) {
        const e8k_value *v = facts ? e8k_records_fact(r, i) : e8k_records_clause(r, i);
        if (!strcmp(v->field, field) &&
            (num < 0 || (v->has_number && fabs(v->number - num) < 1e-6 * fmax(1, num))))
            return 1;
    }
    return 0;
}

Test(extract, seed_parties_clauses_and_facts)
{
    char p[1400];
    snprintf(p, sizeof p, "%s/seeds/capstone-8k-2007-01-18.txt", base);
    if (access(p, R_OK) != 0)
        cr_skip_test("../shared is not available");
    char *buf;
    e8k_filing *f;
    e8k_records *r = extract_file(p, &buf, &f);
    static const char *const roles[] = {"placement_agent", "financial_advisor",
                                        "escrow_agent", "counsel"};
    for (size_t k = 0; k < 4; k++) {
        int seen = 0;
        for (size_t i = 0; i < e8k_records_party_count(r); i++)
            seen |= !strcmp(e8k_records_party(r, i)->field, roles[k]);
        cr_assert(seen, "no %s", roles[k]);
    }
    static const char *const clauses[] = {
        "exercise_period", "cashless_exercise", "anti_dilution_splits", "price_reset",
        "fundamental_transaction", "beneficial_ownership_limitation",
        "no_fractional_shares", "buy_in"};
    for (size_t k = 0; k < sizeof clauses / sizeof clauses[0]; k++)
        cr_assert(has(r, 0, clauses[k], -1), "no %s clause", clauses[k]);
    cr_assert(has(r, 1, "revenue", 5.7e6));
    cr_assert(has(r, 1, "revenue", 2.9e6));
    cr_assert(has(r, 1, "change", 97));
    cr_assert(has(r, 1, "consensus_estimate", 3.6e6));
    cr_assert(has(r, 1, "cash", 39.4e6));
    cr_assert(has(r, 1, "cash", 25.5e6));
    cr_assert(has(r, 1, "cash_after_offering", 68.0e6));
    cr_assert(has(r, 1, "cash_change", 13.9e6));
    cr_assert(has(r, 1, "backlog", 8.1e6));
    cr_assert(has(r, 1, "backlog", 6.8e6));
    cr_assert(has(r, 1, "backlog_change", 19));
    e8k_records_free(r);
    e8k_filing_free(f);
    free(buf);
}


static e8k_records *run_filing_text(const char *text)
{
    return records_of_filing(grammar, text);
}

Test(extract, fact_rules_are_gated_by_the_filing_items)
{
    const char *results =
        "FORM 8-K\n\nItem 2.02 Results of Operations and Financial Condition.\n\n"
        "The company expects revenue for the fourth quarter of approximately $8.8 million.\n";
    const char *agreement =
        "FORM 8-K\n\nItem 1.01 Entry into a Material Definitive Agreement.\n\n"
        "The company expects revenue for the fourth quarter of approximately $8.8 million.\n";
    e8k_records *r = run_filing_text(results);
    cr_assert_eq(e8k_records_fact_count(r), 1);
    cr_assert_str_eq(e8k_records_fact(r, 0)->qualifier, "approximately");
    e8k_records_free(r);
    r = run_filing_text(agreement);
    cr_assert_eq(e8k_records_fact_count(r), 0, "a results rule ran under Item 1.01");
    e8k_records_free(r);
}

Test(extract, note_series_are_separate_offerings_sharing_the_terms)
{
    const char *text =
        "On March 2, 2021, the Company entered into an Underwriting Agreement with "
        "North Bank Securities LLC and East Capital Markets Inc., as representatives of "
        "the several underwriters, for the sale of $600,000,000 aggregate principal amount "
        "of its 2.125% Senior Notes due 2026 and $400,000,000 aggregate principal amount of "
        "its 3.375% Senior Notes due 2031 (Registration No. 333-250001).\n"
        "The 2026 Notes will mature on March 15, 2026 and the 2031 Notes will mature on "
        "March 15, 2031.\n";
    e8k_records *r = run_text(text, "8-K");
    cr_assert_eq(e8k_records_offering_count(r), 2);
    expect_num(r, 0, "principal_amount", 600e6);
    expect_num(r, 0, "coupon_pct", 2.125);
    expect_str(r, 0, "maturity_date", "2026-03-15");
    expect_num(r, 1, "principal_amount", 400e6);
    expect_num(r, 1, "coupon_pct", 3.375);
    expect_str(r, 1, "maturity_date", "2031-03-15");
    for (size_t i = 0; i < 2; i++) {
        expect_str(r, i, "security", "notes");
        expect_str(r, i, "offering_type", "underwritten");
        expect_str(r, i, "registration_number", "333-250001");
        expect_str(r, i, "agreement_date", "2021-03-02");
    }
    cr_assert_eq(e8k_records_party_count(r), 2);
    e8k_records_free(r);
}

Test(extract, at_the_market_program)
{
    const char *text =
        "We have entered into a sales agreement with Harbor Point Securities, LLC "
        "(\"Harbor\"), as sales agent, relating to shares of our common stock having an "
        "aggregate offering price of up to $25,000,000 in an at-the-market offering. "
        "We will pay Harbor an aggregate fee of 3.0% of the gross sales price of shares sold. "
        "Our common stock has a par value of $0.001 per share.\n";
    e8k_records *r = run_text(text, "424B5");
    cr_assert_eq(e8k_records_offering_count(r), 1);
    expect_str(r, 0, "offering_type", "atm");
    expect_num(r, 0, "max_aggregate_amount", 25e6);
    expect_num(r, 0, "fee_pct", 3);
    expect_num(r, 0, "par_value", 0.001);
    const e8k_value *m = e8k_records_offering_field(r, 0, "max_aggregate_amount");
    cr_assert_str_eq(m->qualifier, "up_to");
    cr_assert_str_eq(e8k_records_party(r, 0)->field, "sales_agent");
    e8k_records_free(r);
}

/* passages/B/p020.txt and B/p047.txt: the role words beside a firm give
 * its role (grammars/parties.xml <role>), whatever rule read the name. */
static const char *role_of(const e8k_records *r, const char *name)
{
    for (size_t i = 0; i < e8k_records_party_count(r); i++)
        if (!strcmp(e8k_records_party(r, i)->string, name))
            return e8k_records_party(r, i)->field;
    return "";
}

Test(extract, role_words_give_the_role)
{
    e8k_records *r = run_text(
        "Jefferies LLC is acting as sole book-running manager for the offering. "
        "Needham & Company, LLC, Stifel and Brean Capital, LLC are acting as "
        "co-managers for the offering.\n", "8-K");
    cr_assert_str_eq(role_of(r, "Jefferies LLC"), "underwriter");
    cr_assert_str_eq(role_of(r, "Brean Capital, LLC"), "underwriter");
    e8k_records_free(r);
    r = run_text(
        "On January 4, 2017, we entered into an Equity Distribution Agreement, or the "
        "ATM, with Citigroup Global Markets, Inc., or the Sales Agent, under which we may "
        "offer and sell common stock having an aggregate offering price of up to $50.0 "
        "million from time to time though our Sales Agent.\n", "8-K");
    cr_assert_str_eq(role_of(r, "Citigroup Global Markets, Inc."), "sales_agent");
    e8k_records_free(r);
}

Test(extract, a_table_caption_scales_fact_money)
{
    e8k_records *r = run_text(
        "Condensed results (in thousands, except per share data)\n\n"
        "The company reported revenue for the fourth quarter of $12,345.\n", "EX-99.1");
    cr_assert_eq(e8k_records_fact_count(r), 1);
    const e8k_value *v = e8k_records_fact(r, 0);
    cr_assert_float_eq(v->number, 12345000, 1e-6);
    cr_assert_float_eq(v->precision, 1000, 1e-9);
    e8k_records_free(r);
}

/* One grammar serves several threads: each extraction has its own match
 * state, so concurrent runs give the same records as a lone one. */
#include <pthread.h>

typedef struct job {
    const char *text;
    char *json;
} job;

static void *extract_job(void *arg)
{
    job *j = arg;
    e8k_records *r = NULL;
    e8k_error err;
    if (e8k_extract_text(grammar, j->text, strlen(j->text), "8-K", &r, &err) == E8K_OK)
        e8k_records_to_json(r, "t", 0, &j->json, &err);
    e8k_records_free(r);
    return NULL;
}

Test(extract, one_grammar_serves_concurrent_extractions)
{
    static char text[200000];
    const char *para =
        "The Company will sell 1,500,000 shares of common stock at a price of $3.00 per "
        "share; the placement agent will receive a placement fee equal to 6.5% of the gross "
        "proceeds. The offering is expected to close on or about June 4, 2020.\n";
    size_t n = 0, pl = strlen(para);
    while (n + pl < sizeof text) {
        memcpy(text + n, para, pl);
        n += pl;
    }
    text[n] = '\0';
    job jobs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        jobs[i].text = text;
        jobs[i].json = NULL;
        cr_assert_eq(pthread_create(&th[i], NULL, extract_job, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++) {
        cr_assert_not_null(jobs[i].json);
        cr_assert_str_eq(jobs[i].json, jobs[0].json);
    }
    for (int i = 0; i < 4; i++)
        free(jobs[i].json);
}

Test(extract, records_outlive_their_grammar_and_text)
{
    e8k_grammar *g = load_grammars();
    e8k_error err;
    char *text = strdup("The Company will sell 2,000,000 shares of common stock at a price "
                        "of $5.00 per share, with a placement fee equal to 7% of the gross "
                        "proceeds.\n");
    e8k_records *r = NULL;
    cr_assert_eq(e8k_extract_text(g, text, strlen(text), "8-K", &r, &err), E8K_OK);
    e8k_grammar_free(g);
    memset(text, 'x', strlen(text));
    free(text);
    const e8k_value *v = e8k_records_offering_field(r, 0, "fee_pct");
    cr_assert_not_null(v);
    cr_assert_str_eq(v->rule, "fee.placement-pct");
    cr_assert_str_eq(v->field, "fee_pct");
    cr_assert(strstr(v->text, "7%"));
    char *json = NULL;
    cr_assert_eq(e8k_records_to_json(r, "t", 0, &json, &err), E8K_OK);
    free(json);
    e8k_records_free(r);
}

/* A role one firm holds takes the firm next to its role words, not the
 * other parties of the agreement listed before it; a role word caught as
 * a name ("an opinion of counsel") is no party. */
Test(extract, single_firm_roles_take_the_firm_next_to_the_role)
{
    const char *text =
        "Agreement and Plan of Merger by and among Example Holdings, Inc., Sample "
        "Acquisition LLC, Target Software, Inc., Example Trust Bank National "
        "Association, as escrow agent, and Jane Roe, as Stockholder Representative.\n"
        "The shares may not be sold without an opinion of counsel satisfactory to the "
        "Company. Opinion of Counsel. The transfer agent and registrar for our common "
        "stock is Example Stock Transfer & Trust Company. Its telephone number is "
        "(212) 555-0100.\n";
    e8k_records *r = run_text(text, "8-K");
    size_t n = e8k_records_party_count(r);
    int escrow = 0, transfer = 0;
    for (size_t i = 0; i < n; i++) {
        const e8k_value *p = e8k_records_party(r, i);
        cr_expect_str_neq(p->field, "counsel", "%s", p->string);
        if (!strcmp(p->field, "escrow_agent")) {
            escrow++;
            cr_expect_str_eq(p->string, "Example Trust Bank National Association");
        } else if (!strcmp(p->field, "transfer_agent")) {
            transfer++;
            cr_expect_str_eq(p->string, "Example Stock Transfer & Trust Company");
        }
    }
    cr_expect_eq(escrow, 1);
    cr_expect_eq(transfer, 1);
    e8k_records_free(r);
}

/* A prospectus recounts an earlier registered direct offering with its
 * own concurrent warrant series: in a filing those are history, while the
 * series placed beside this offering is an offering of its own; read as
 * an excerpt (a note that tells every deal), the earlier deal is a
 * transaction of its own, dated by its sentence. */
Test(extract, warrant_series_of_an_earlier_deal_is_history)
{
    const char *text =
        "We are offering 3,000,000 shares of our common stock at a public offering "
        "price of $0.50 per share pursuant to a securities purchase agreement dated "
        "March 3, 2025. In a concurrent private placement, we are also issuing to the "
        "investor Series C common stock purchase warrants to purchase up to 3,000,000 "
        "shares of Common Stock. The Series C warrants have an exercise price of $0.55 "
        "per share.\n"
        "Recent Developments. On October 1, 2024, we entered into a securities purchase "
        "agreement with certain investors, pursuant to which we issued (i) in a "
        "registered offering, 1,000,000 shares at a purchase price of $1.00 per share "
        "and (ii) in a concurrent private placement, Series A common stock purchase "
        "warrants to purchase up to 1,000,000 shares of Common Stock and Series B common "
        "stock purchase warrants to purchase up to 1,000,000 shares of Common Stock.\n";
    e8k_records *r = run_filing_text(text);
    cr_assert_eq(e8k_records_offering_count(r), 2);
    expect_num(r, 0, "shares_offered", 3e6);
    expect_str(r, 1, "security", "warrants_only");
    expect_num(r, 1, "warrants_offered", 3e6);
    expect_str(r, 1, "agreement_date", "2025-03-03");
    e8k_records_free(r);

    r = run_text(text, "424B5");
    cr_assert_eq(e8k_records_offering_count(r), 4);
    expect_str(r, 1, "agreement_date", "2025-03-03");
    for (size_t o = 2; o < 4; o++) {
        expect_num(r, o, "warrants_offered", 1e6);
        expect_str(r, o, "agreement_date", "2024-10-01");
    }
    e8k_records_free(r);
}
