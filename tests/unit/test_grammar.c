/* test_grammar.c: the rule loader validates files against grammar.xsd and
 * names the file and line of an error; defines expand; duplicate ids are
 * refused; examples and timing are checked; a pattern that reaches a
 * PCRE2 limit is reported, not taken for a non-match. */
#include "edgar8k.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char root[2200];

static const char *path(const char *rel)
{
    static char buf[2048];
    const char *r = getenv("E8K_ROOT");
    snprintf(buf, sizeof buf, "%s/%s", r ? r : ".", rel);
    return buf;
}

static const char *schema(void)
{
    snprintf(root, sizeof root, "%s", path("grammars/grammar.xsd"));
    return root;
}

#define RULE(id, pat, ex, val, non)                                           \
    "<rule id='" id "' field='fee_pct' record='offering' type='percent'>"    \
    "<keyword>fee</keyword><pattern>" pat "</pattern>"                        \
    "<match value='" val "'>" ex "</match><nomatch>" non "</nomatch></rule>"

static e8k_status load(const char *xml, e8k_grammar **g, e8k_error *err)
{
    e8k_error_clear(err);
    return e8k_grammar_load_memory(xml, strlen(xml), "mem.xml", schema(), g, err);
}

/* Runs the grammar check expecting `want`; returns the failure count,
 * preset to a value the check must overwrite (99 when all should pass,
 * 0 when some should fail). */
static size_t check(const e8k_grammar *g, double max_ms, size_t subject,
                    e8k_status want)
{
    size_t fails = want == E8K_OK ? 99 : 0;
    cr_assert_eq(e8k_grammar_check(g, max_ms, subject, NULL, NULL, &fails), want);
    return fails;
}

Test(grammar, installed_grammars_load_and_pass_their_checks)
{
    e8k_grammar *g = NULL;
    e8k_error err;
    e8k_status st = e8k_grammar_load(path("grammars"), &g, &err);
    cr_assert_eq(st, E8K_OK, "%s:%zu: %s", err.file, err.line, err.message);
    cr_assert_gt(e8k_grammar_rule_count(g), 40);
    cr_assert_eq(check(g, 1000, 0, E8K_OK), 0);
    e8k_grammar_free(g);
}

Test(grammar, defines_expand_and_examples_pass)
{
    e8k_grammar *g = NULL;
    e8k_error err;
    const char *xml =
        "<grammar name='t'><define name='pc'>\\d+(?:\\.\\d+)?%</define>"
        RULE("t.fee", "fee\\s+of\\s+(?&lt;value&gt;{pc})", "a fee of 6.5% of gross",
             "6.5", "a fee of six") "</grammar>";
    cr_assert_eq(load(xml, &g, &err), E8K_OK, "%s", err.message);
    cr_assert_eq(check(g, 1000, 1000, E8K_OK), 0);
    e8k_grammar_free(g);
}

Test(grammar, a_wrong_example_fails_the_check)
{
    e8k_grammar *g = NULL;
    e8k_error err;
    const char *xml = "<grammar name='t'>"
        RULE("t.fee", "fee\\s+of\\s+(?&lt;value&gt;\\d+)%", "a fee of 6% here", "7",
             "a fee of 5% here") "</grammar>";
    cr_assert_eq(load(xml, &g, &err), E8K_OK, "%s", err.message);
    /* the match gives 6, the nomatch matches */
    cr_assert_eq(check(g, 1000, 0, E8K_ERR_CHECK), 2);
    e8k_grammar_free(g);
}

Test(grammar, schema_errors_name_file_and_line)
{
    e8k_grammar *g = NULL;
    e8k_error err;
    const char *xml = "<grammar name='t'>\n\n<rule id='x' field='fee_pct'>\n"
                      "<pattern>a</pattern></rule></grammar>";
    cr_assert_eq(load(xml, &g, &err), E8K_ERR_GRAMMAR);
    cr_assert_null(g);
    cr_assert_str_eq(err.file, "mem.xml");
    cr_assert_eq(err.line, 3, "line %zu: %s", err.line, err.message);
}

Test(grammar, malformed_xml_is_located)
{
    e8k_grammar *g = NULL;
    e8k_error err;
    cr_assert_eq(load("<grammar name='t'>\n<rule>\n</grammar>", &g, &err),
                 E8K_ERR_GRAMMAR);
    cr_assert_str_eq(err.file, "mem.xml");
    cr_assert_geq(err.line, 2);
}

Test(grammar, duplicate_ids_are_refused)
{
    e8k_grammar *g = NULL;
    e8k_error err;
    const char *xml = "<grammar name='t'>"
        RULE("t.fee", "fee", "fee", "", "none")
        RULE("t.fee", "fee", "fee", "", "none") "</grammar>";
    cr_assert_eq(load(xml, &g, &err), E8K_ERR_GRAMMAR);
    cr_assert(strstr(err.message, "duplicate rule id"), "%s", err.message);
}

Test(grammar, duplicate_defines_are_refused_at_their_line)
{
    e8k_grammar *g = NULL;
    e8k_error err;
    const char *xml = "<grammar name='t'><define name='pc'>\\d+%</define>\n"
                      "<define name='pc'>\\d+</define></grammar>";
    cr_assert_eq(load(xml, &g, &err), E8K_ERR_GRAMMAR);
    cr_assert_null(g);
    cr_assert(strstr(err.message, "duplicate define 'pc'"), "%s", err.message);
    cr_assert_eq(err.line, 2, "line %zu", err.line);
}

Test(grammar, unknown_define_and_bad_pattern_are_refused)
{
    e8k_grammar *g = NULL;
    e8k_error err;
    const char *xml = "<grammar name='t'>"
        RULE("t.fee", "fee {nothing}", "fee", "", "none") "</grammar>";
    cr_assert_eq(load(xml, &g, &err), E8K_ERR_GRAMMAR);
    cr_assert(strstr(err.message, "unknown define"), "%s", err.message);
    const char *bad = "<grammar name='t'>"
        RULE("t.fee", "fee (", "fee", "", "none") "</grammar>";
    cr_assert_eq(load(bad, &g, &err), E8K_ERR_GRAMMAR);
    cr_assert_str_eq(err.rule, "t.fee");
}

Test(grammar, a_slow_pattern_fails_the_timing_check)
{
    e8k_grammar *g = NULL;
    e8k_error err;
    /* The shape the issue warns about: a repeated optional comma group. */
    const char *xml = "<grammar name='t'>"
        RULE("t.slow", "(?&lt;value&gt;(?:\\d+,?)+)\\s+fee", "10 fee", "10", "fee")
        "</grammar>";
    cr_assert_eq(load(xml, &g, &err), E8K_OK, "%s", err.message);
    cr_assert_gt(check(g, 5, 200000, E8K_ERR_CHECK), 0);
    e8k_grammar_free(g);
}

Test(grammar, a_pcre2_limit_is_reported_for_the_document)
{
    e8k_grammar *g = NULL;
    e8k_error err;
    const char *xml = "<grammar name='t'>"
        RULE("t.blowup", "fee(?:(?:a|aa)+)+x", "feeax", "", "fee")
        "</grammar>";
    cr_assert_eq(load(xml, &g, &err), E8K_OK, "%s", err.message);
    /* The final "x" defeats PCRE2's required-character shortcut, so the
     * nested repeats really backtrack. */
    char text[200] = "fee";
    memset(text + 3, 'a', 60);
    strcpy(text + 63, "bx");
    e8k_records *r = NULL;
    cr_assert_eq(e8k_extract_text(g, text, strlen(text), "8-K", &r, &err), E8K_OK);
    cr_assert_eq(e8k_records_warning_count(r), 1);
    const e8k_error *w = e8k_records_warning(r, 0);
    cr_assert_eq(w->status, E8K_ERR_LIMIT);
    cr_assert_str_eq(w->rule, "t.blowup");
    e8k_records_free(r);
    e8k_grammar_free(g);
}

Test(grammar, missing_directory_is_an_io_error)
{
    e8k_grammar *g = NULL;
    e8k_error err;
    cr_assert_eq(e8k_grammar_load("/nonexistent/grammars", &g, &err), E8K_ERR_IO);
    cr_assert_null(g);
}

Test(grammar, patterns_run_only_near_their_keywords)
{
    e8k_grammar *g = NULL;
    e8k_error err;
    /* A match must lie within the keyword window (2,000 bytes) of one of
     * its rule's keywords. */
    const char *xml =
        "<grammar name='t'><rule id='t.win' field='fee_share' record='fact' "
        "type='percent'><keyword>fee</keyword><pattern>(?&lt;value&gt;\\d+)%"
        "\\s+of\\s+gross</pattern><match value='6'>fee: 6% of gross</match>"
        "<nomatch>fee</nomatch></rule></grammar>";
    cr_assert_eq(load(xml, &g, &err), E8K_OK, "%s", err.message);
    static char text[9000];
    strcpy(text, "A fee is due.");
    size_t n = strlen(text);
    memset(text + n, ' ', 6000);
    strcpy(text + n + 6000, "It is 6% of gross.");
    e8k_records *r = NULL;
    cr_assert_eq(e8k_extract_text(g, text, strlen(text), "8-K", &r, &err), E8K_OK);
    cr_assert_eq(e8k_records_fact_count(r), 0, "matched far from every keyword");
    e8k_records_free(r);
    memmove(text + n + 1, text + n + 6000, strlen(text + n + 6000) + 1);
    cr_assert_eq(e8k_extract_text(g, text, strlen(text), "8-K", &r, &err), E8K_OK);
    cr_assert_eq(e8k_records_fact_count(r), 1);
    cr_assert_float_eq(e8k_records_fact(r, 0)->number, 6, 1e-9);
    e8k_records_free(r);
    e8k_grammar_free(g);
}
