/* test_lead.c: a rule's lead and anchors say only where extraction
 * searches it (the stretches before the words its matches hold): the
 * records of a text are the same with them as without, however the
 * words, the white space and the keyword windows fall; the grammar check
 * wants a match example to hold an anchor. */
#include "edgar8k.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *schema(void)
{
    static char buf[2048];
    const char *r = getenv("E8K_ROOT");
    snprintf(buf, sizeof buf, "%s/grammars/grammar.xsd", r ? r : ".");
    return buf;
}

/* One rule: the shares "sold" or "issued", found in the keyword windows
 * of "shares" (kept as a warrant clause: clauses are listed as found);
 * attrs and anchors add a lead and anchors to it. */
static e8k_grammar *grammar(const char *attrs, const char *anchors)
{
    char xml[2048];
    snprintf(xml, sizeof xml,
             "<grammar name='t'><rule id='sold' field='exercise_period' "
             "record='clause' type='shares'%s>"
             "<keyword>shares</keyword>%s"
             "<pattern>(?:sold|issued)\\s+(?:an\\s+aggregate\\s+of\\s+)?"
             "(?&lt;value&gt;\\d[\\d,]*)\\s+(?:new\\s+)?shares</pattern>"
             "<match value='1000'>sold 1,000 shares</match>"
             "<nomatch>sold shares</nomatch></rule></grammar>",
             attrs, anchors);
    e8k_grammar *g = NULL;
    e8k_error err;
    cr_assert_eq(e8k_grammar_load_memory(xml, strlen(xml), "t.xml", schema(),
                                         &g, &err),
                 E8K_OK, "%s", err.message);
    return g;
}

static char *records_json(const e8k_grammar *g, const char *text)
{
    e8k_records *r = NULL;
    e8k_error err;
    char *json = NULL;
    cr_assert_eq(e8k_extract_text(g, text, strlen(text), "8-K", &r, &err), E8K_OK);
    cr_assert_eq(e8k_records_to_json(r, "t", 0, &json, &err), E8K_OK);
    e8k_records_free(r);
    return json;
}

/* A long text of filler with sales stated at random: near and far from
 * the keyword, across white space runs of every length, at the start. */
static char *random_text(unsigned seed, size_t size)
{
    static const char *const pieces[] = {
        "The Company sold 1,000 shares. ", "issued  \n\n   2,500 new shares ",
        "sold an aggregate of 12,000,000 shares", "shares ", "sold ",
        "The weather was fine and nothing happened. ", "\n\n", "          ",
        "issued\t7 shares;", "resold 40 shares ", "sold\n\n\n\n\n\n9\nshares "};
    char *t = malloc(size + 64);
    cr_assert_not_null(t);
    size_t n = 0;
    while (n < size) {
        seed = seed * 1103515245u + 12345u;
        const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
        size_t l = strlen(p);
        memcpy(t + n, p, l);
        n += l;
    }
    t[n] = '\0';
    return t;
}

Test(lead, the_same_records_with_a_lead_as_without)
{
    e8k_grammar *plain = grammar("", "");
    e8k_grammar *by_anchor =
        grammar(" lead='0'", "<anchor>sold</anchor><anchor>issued</anchor>");
    e8k_grammar *by_keyword = grammar(" lead='6'", "");
    for (unsigned seed = 1; seed <= 40; seed++) {
        char *text = random_text(seed, seed % 4 ? 3000 : 30000);
        char *want = records_json(plain, text);
        char *got = records_json(by_anchor, text);
        char *got_kw = records_json(by_keyword, text);
        cr_assert(strstr(want, "\"sold\"") != NULL, "seed %u found nothing", seed);
        cr_assert_str_eq(got, want, "anchors, seed %u", seed);
        cr_assert_str_eq(got_kw, want, "keywords, seed %u", seed);
        free(text);
        free(want);
        free(got);
        free(got_kw);
    }
    e8k_grammar_free(plain);
    e8k_grammar_free(by_anchor);
    e8k_grammar_free(by_keyword);
}

/* Too short a lead loses the matches whose anchor lies further in: the
 * lead is obeyed, not just accepted. */
Test(lead, a_lead_too_short_loses_matches)
{
    e8k_grammar *plain = grammar("", "");
    e8k_grammar *short_lead = grammar(" lead='1'", "<anchor>shares</anchor>");
    const char *text = "On May 1 we sold an aggregate of 3,000 shares of stock.";
    char *want = records_json(plain, text), *got = records_json(short_lead, text);
    cr_assert(strstr(want, "3,000") != NULL);
    cr_assert(strstr(got, "3,000") == NULL);
    free(want);
    free(got);
    e8k_grammar_free(plain);
    e8k_grammar_free(short_lead);
}

Test(lead, a_match_example_must_hold_an_anchor)
{
    e8k_grammar *g = grammar(" lead='0'", "<anchor>issued</anchor>");
    size_t fails = 0;
    cr_assert_eq(e8k_grammar_check(g, 1000, 0, NULL, NULL, &fails),
                 E8K_ERR_CHECK);
    cr_assert_eq(fails, 1); /* "sold 1,000 shares" holds no "issued" */
    e8k_grammar_free(g);
}
