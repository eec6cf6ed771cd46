/* test_format.c: what bytes are, told once for every stage (format.c) and
 * one test of UTF-8 for all (utf8.c): wide encodings named, a stray NUL no
 * reason to drop a text, one table of dialects for the reader and the
 * fetcher's completeness test, one exhibit-heading test for the reader and
 * the extractor, and the readers of index files, Feed headers, JSON and the
 * store agreeing on what is UTF-8. */
#include "fetch_int.h"
#include "store_int.h"
#include "records_helpers.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Test(format, wide_encodings_named)
{
    const char *text = "FORM 8-K\nItem 8.01 Other Events.\nA dividend.\n";
    size_t n = strlen(text);
    static const char *const names[] = {"UTF-16LE", "UTF-16BE", "UTF-32LE",
                                        "UTF-32BE"};
    for (int bom = 0; bom < 2; bom++)
        for (size_t k = 0; k < 4; k++) {
            size_t w = k < 2 ? 2 : 4, at = 0;
            char buf[512] = {0};
            int be = k % 2;
            if (bom) { /* U+FEFF in that encoding */
                unsigned char m[4] = {0};
                if (w == 2)
                    m[be ? 0 : 1] = 0xFE, m[be ? 1 : 0] = 0xFF;
                else
                    m[be ? 2 : 1] = 0xFE, m[be ? 3 : 0] = 0xFF;
                memcpy(buf, m, w);
                at = w;
            }
            for (size_t i = 0; i < n; i++, at += w)
                buf[at + (be ? w - 1 : 0)] = text[i];
            const char *got = e8k_wide_encoding(buf, at);
            cr_assert(got && !strcmp(got, names[k]), "bom %d: %s, got %s",
                      bom, names[k], got ? got : "none");
            cr_assert_eq(e8k_format_detect(buf, at, NULL, NULL),
                         E8K_FORMAT_BINARY);
        }
}

Test(format, stray_nul_is_still_text)
{
    char text[4096];
    memset(text, 'a', sizeof text);
    for (size_t i = 80; i < sizeof text; i += 80)
        text[i] = '\n';
    text[100] = '\0';
    cr_assert_null(e8k_wide_encoding(text, sizeof text));
    cr_assert_eq(e8k_format_detect(text, sizeof text, "8-K", NULL),
                 E8K_FORMAT_TEXT);
    memcpy(text, "<html><body><p>", 15);
    cr_assert_eq(e8k_format_detect(text, sizeof text, "8-K", NULL),
                 E8K_FORMAT_HTML);
    /* a body full of control bytes is binary, magic number or not */
    for (size_t i = 0; i < sizeof text; i += 7)
        text[i] = (char)(i % 3);
    cr_assert_eq(e8k_format_detect(text, sizeof text, "EX-99.1", NULL),
                 E8K_FORMAT_BINARY);
}

/* The parse keeps a document's text across a NUL and says so. */
Test(format, stray_nul_warned_text_kept)
{
    static const char in[] =
        "<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nFORM 8-K\n\nItem 1.01 Entry into a "
        "Material Definitive Agreement.\n\nThe Company\0 sold shares.\n"
        "</TEXT>\n</DOCUMENT>\n";
    e8k_filing *f = e8k_filing_new("nul.txt");
    e8k_error err;
    cr_assert_eq(e8k_filing_parse(f, in, sizeof in - 1, &err), E8K_OK, "%s",
                 err.message);
    const e8k_document *d = e8k_filing_document(f, 0);
    cr_assert_eq(d->format, E8K_FORMAT_TEXT);
    size_t len;
    const char *t = e8k_text_data(d->text, &len);
    cr_assert_not_null(strstr(t, "The Company sold shares."), "%s", t);
    cr_assert_eq(e8k_filing_item_count(f), 1);
    cr_assert_eq(e8k_filing_warning_count(f), 1);
    const e8k_error *w = e8k_filing_warning(f, 0);
    cr_assert_not_null(strstr(w->message, "1 NUL byte"), "%s", w->message);
    cr_assert_eq(w->offset, (size_t)(strchr(in, '\0') - in));
    e8k_filing_free(f);
}

/* A UTF-16 exhibit inside a submission is named, not dropped unsaid. */
Test(format, wide_document_named_in_a_warning)
{
    char in[1024];
    size_t n = 0;
    const char *head = "<DOCUMENT>\n<TYPE>EX-99.1\n<TEXT>\n";
    memcpy(in, head, strlen(head));
    n = strlen(head);
    in[n++] = (char)0xFF, in[n++] = (char)0xFE;
    for (const char *p = "Press release text.\n"; *p; p++)
        in[n++] = *p, in[n++] = '\0';
    memcpy(in + n, "\n</TEXT>\n</DOCUMENT>\n", 21);
    n += 21;
    e8k_filing *f = e8k_filing_new("wide.txt");
    e8k_error err;
    cr_assert_eq(e8k_filing_parse(f, in, n, &err), E8K_OK, "%s", err.message);
    cr_assert_eq(e8k_filing_warning_count(f), 1);
    cr_assert_not_null(strstr(e8k_filing_warning(f, 0)->message, "UTF-16LE"));
    e8k_filing_free(f);
}

Test(format, one_dialect_table)
{
    size_t n;
    const e8k_dialect_mark *m = e8k_dialect_marks(&n);
    cr_assert_geq(n, 5);
    for (size_t i = 0; i < n; i++) {
        /* every marked dialect the reader knows is complete to the store,
         * and a body cut before its closing line is not */
        char buf[256];
        int k = snprintf(buf, sizeof buf, "%s\n<DOCUMENT>\n<TYPE>8-K\n"
                         "<TEXT>\nx\n</TEXT>\n</DOCUMENT>\n%s\n", m[i].open,
                         m[i].dialect == E8K_DIALECT_DOCUMENT ? "" : m[i].close);
        cr_assert(e8k_submission_looks_complete(buf, (size_t)k), "%s",
                  m[i].open);
        cr_assert_eq(e8k_submission_starts_like(buf, 3), -1);
        cr_assert_eq(e8k_submission_starts_like(buf, (size_t)k), 1);
        cr_assert_not(e8k_submission_looks_complete(buf, (size_t)k / 2));
        cr_assert_eq(e8k_dialect_opening(buf, (size_t)k), &m[i]);
    }
    cr_assert_str_eq(e8k_dialect_name(E8K_DIALECT_PEM), "pem");
}

Test(format, exhibit_headings)
{
    static const struct {
        const char *line, *number;
    } yes[] = {{"EXHIBIT 99.1", "99.1"}, {"  Exhibit 10.1  ", "10.1"},
               {"Exhibit\t4", "4"}, {"EXHIBIT 3(i)", "3(i)"},
               {"Exhibit 10.1(a)\r", "10.1(a)"}};
    static const char *const no[] = {"Exhibit 4.1.", "Exhibit A",
                                     "Exhibits", "see Exhibit 99.1",
                                     "Exhibit 99.1 Press release"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        size_t s, e;
        cr_assert(e8k_exhibit_heading(yes[i].line, strlen(yes[i].line), &s, &e),
                  "%s", yes[i].line);
        cr_assert_eq(e - s, strlen(yes[i].number));
        cr_assert(!memcmp(yes[i].line + s, yes[i].number, e - s));
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        size_t s, e;
        cr_assert_not(e8k_exhibit_heading(no[i], strlen(no[i]), &s, &e), "%s",
                      no[i]);
    }
}

/* The extractor cuts an 8-K's inline exhibits where the reader cuts a
 * plain-text filing's: a heading the reader takes ("EXHIBIT 10.1(a)")
 * types the values under it for the extractor too. */
Test(format, extractor_and_reader_cut_exhibits_alike)
{
    static const char text[] =
        "FORM 8-K\n\nItem 1.01 Entry into a Material Definitive Agreement.\n"
        "\nSee the agreement.\n\nEXHIBIT 10.1(a)\n\nSECURITIES PURCHASE "
        "AGREEMENT\n\nThe Company shall sell 1,000,000 shares of common "
        "stock at a price of $2.50 per share.\n";
    e8k_grammar *g = load_grammars();
    e8k_error err;
    e8k_filing *f = e8k_filing_new("plain.txt");
    cr_assert_eq(e8k_filing_parse(f, text, sizeof text - 1, &err), E8K_OK);
    cr_assert_eq(e8k_filing_document_count(f), 2);
    cr_assert_str_eq(e8k_filing_document(f, 1)->type, "EX-10.1(a)");
    e8k_records *rec = NULL;
    cr_assert_eq(e8k_extract_text(g, text, sizeof text - 1, "8-K", &rec,
                                  &err), E8K_OK);
    const e8k_value *p = e8k_records_offering_field(rec, 0, "price_per_share");
    cr_assert_not_null(p);
    cr_assert_str_eq(p->doc_type, "EX-10.1(a)");
    e8k_records_free(rec);
    e8k_filing_free(f);
    e8k_grammar_free(g);
}

/* Byte strings every reader must agree on: well-formed, or not. */
static const struct {
    const char *s;
    int utf8;
} samples[] = {
    {"CAF\xc3\x89", 1},
    {"CAF\xc9", 0},                 /* Latin-1 */
    {"A\xc0\x80Z", 0},              /* overlong NUL */
    {"A\xe0\x80\xafZ", 0},          /* overlong '/' */
    {"A\xed\xa0\x80Z", 0},          /* surrogate */
    {"A\xf4\x90\x80\x80Z", 0},      /* past U+10FFFF */
    {"A\xf0\x9f\x98\x80Z", 1},      /* U+1F600 */
    {"A\xe2\x82", 0},               /* cut */
};

Test(format, one_utf8_check)
{
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        const char *s = samples[i].s;
        size_t n = strlen(s);
        cr_assert_eq(e8k_utf8_valid(s, n), samples[i].utf8, "sample %zu", i);
        /* jansson's own check agrees, so JSON output never fails */
        json_t *j = json_stringn(s, n);
        cr_assert_eq(j != NULL, samples[i].utf8, "jansson, sample %zu", i);
        json_decref(j);
        /* the store escapes exactly what is not UTF-8 */
        cr_assert_eq(e8k_sqltext_needs_escape(s, n), !samples[i].utf8,
                     "store, sample %zu", i);
        /* the index reader converts what is not UTF-8 as Latin-1 */
        e8k_pool pool = {0};
        char *u = e8k_pool_utf8(&pool, s, n);
        cr_assert_not_null(u);
        cr_assert(e8k_utf8_valid(u, strlen(u)), "sample %zu", i);
        if (samples[i].utf8)
            cr_assert_str_eq(u, s);
        e8k_pool_free(&pool);
    }
}

/* An index line whose name holds an overlong sequence, and a Feed header
 * naming its company in Latin-1, read as Latin-1: never "out of memory". */
Test(format, latin1_names_wherever_they_arrive)
{
    static const char idx[] =
        "Form Type   Company Name                                      "
        "            CIK         Date Filed  File Name\n"
        "--------------------------------------------------------------\n"
        "8-K         ACME \xe0\x80\xaf \xed\xa0\x80 CAF\xc9 CORP              "
        "            1000001     20240315    edgar/data/1000001/"
        "0001000001-24-000004.txt\n";
    e8k_index_list l = {0};
    e8k_error err;
    cr_assert_eq(e8k_index_parse_idx(idx, sizeof idx - 1, "form.idx", &l,
                                     &err), E8K_OK, "%s", err.message);
    cr_assert_eq(l.n, 1);
    cr_assert_str_eq(l.items[0].company,
                     "ACME \xc3\xa0\xc2\x80\xc2\xaf \xc3\xad\xc2\xa0\xc2\x80 "
                     "CAF\xc3\x89 CORP");
    e8k_index_list_free(&l);
    static const char nc[] =
        "<SUBMISSION>\n<ACCESSION-NUMBER>0001000001-24-000004\n<TYPE>8-K\n"
        "<FILING-DATE>20240315\n<FILER>\n<COMPANY-DATA>\n"
        "<CONFORMED-NAME>SOCI\xc9T\xc9 G\xc9N\xc9RALE SA\n<CIK>1000001\n";
    e8k_pool pool = {0};
    e8k_index_entry e;
    cr_assert_eq(e8k_feed_header(nc, sizeof nc - 1, &pool, &e), E8K_OK);
    cr_assert_str_eq(e.company, "SOCI\xc3\x89T\xc3\x89 G\xc3\x89N\xc3\x89"
                                "RALE SA");
    e8k_pool_free(&pool);
}

Test(format, messages_escaped)
{
    char out[128];
    cr_assert_str_eq(e8k_str_escape("a\x1b[2Jb\r\nc\x7f", out, sizeof out),
                     "a\\x1b[2Jb\\x0d\\x0ac\\x7f");
    cr_assert_str_eq(e8k_str_escape("CAF\xc3\x89 \xc2\x9b" "1m \xff", out,
                                    sizeof out),
                     "CAF\xc3\x89 \\xc2\\x9b" "1m \\xff");
    /* cut at a whole character, never inside an escape or a sequence */
    cr_assert_str_eq(e8k_str_escape("ab\x1b", out, 6), "ab");
    cr_assert_str_eq(e8k_str_escape("a\xc3\x89", out, 3), "a");
    cr_assert_str_eq(e8k_str_escape(NULL, out, sizeof out), "");
}
