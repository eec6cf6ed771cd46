/* test_report.c: the review page (e8k_report_to_html): its escaping byte
 * for byte, marks that nest and split so that each value's pieces hold
 * exactly its span, one mark per extracted value on a real extraction
 * (counted through the public accessors, never a fixed number), and
 * filing text that never becomes markup. The page in a browser is
 * tests/report/. */
#include "report_int.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *escaped(const char *s, size_t n)
{
    rp_page p = {0};
    rp_text(&p, s, n);
    cr_assert(!p.oom);
    return e8k_buf_take(&p.out);
}

Test(report, escapes_markup_quotes_cr_and_nul)
{
    char *o = escaped("a<b>&\"'\r\0z", 10);
    cr_assert_str_eq(o, "a&lt;b&gt;&amp;&quot;&#39;&#13;&#xFFFD;z");
    free(o);
    o = escaped("</textarea><script>x</script>", 29);
    cr_assert_str_eq(o, "&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;");
    free(o);
}

Test(report, keeps_utf8_and_reads_other_bytes_as_latin1)
{
    char *o = escaped("caf\xC3\xA9 \xE2\x80\x94", 9);
    cr_assert_str_eq(o, "caf\xC3\xA9 \xE2\x80\x94");
    free(o);
    /* Not UTF-8 (a lone 0xFF, a cut sequence): every byte as Latin-1, as
     * the JSON output writes it. */
    o = escaped("\xFF\xC3(<", 4);
    cr_assert_str_eq(o, "\xC3\xBF\xC3\x83(&lt;");
    free(o);
}

/* ---- marks ------------------------------------------------------------------ */

/* Reads the marked text of a page: the text of every value's pieces (by
 * data-v), the plain text, and whether the marks nest and each id is
 * written once. Only the few references rp_text writes are decoded. */
typedef struct pieces {
    char text[8][64];
    char plain[64];
    int ids[8];
} pieces;

static void add_char(pieces *pc, const int *stack, size_t depth, char c)
{
    size_t n = strlen(pc->plain);
    pc->plain[n] = c;
    for (size_t i = 0; i < depth; i++) {
        char *t = pc->text[stack[i]];
        size_t k = strlen(t);
        t[k] = c;
    }
}

static void read_marks(const char *html, pieces *pc)
{
    memset(pc, 0, sizeof *pc);
    const char *s = strstr(html, "<div class=\"text\">");
    cr_assert_not_null(s);
    s += strlen("<div class=\"text\">");
    int stack[16];
    size_t depth = 0;
    while (strncmp(s, "</div>", 6) != 0) {
        if (!strncmp(s, "<mark", 5)) {
            const char *v = strstr(s, "data-v=\"");
            const char *end = strchr(s, '>');
            cr_assert(v && v < end);
            int id = (int)strtol(v + 8, NULL, 10);
            const char *idattr = strstr(s, " id=\"v");
            if (idattr && idattr < end)
                pc->ids[id]++;
            cr_assert_lt(depth, 16);
            stack[depth++] = id;
            s = end + 1;
        } else if (!strncmp(s, "</mark>", 7)) {
            cr_assert_gt(depth, 0, "a </mark> closes nothing");
            depth--;
            s += 7;
        } else if (*s == '&') {
            static const char *const refs[][2] = {
                {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"},
                {"&quot;", "\""}, {"&#39;", "'"}};
            size_t k = 0;
            while (k < 5 && strncmp(s, refs[k][0], strlen(refs[k][0])))
                k++;
            cr_assert_lt(k, 5);
            add_char(pc, stack, depth, refs[k][1][0]);
            s += strlen(refs[k][0]);
        } else {
            add_char(pc, stack, depth, *s++);
        }
    }
    cr_assert_eq(depth, 0, "marks left open");
}

/* Values over "ab<cd>efghij": nested, crossing, equal, empty. */
Test(report, marks_nest_and_split_to_hold_exactly_their_span)
{
    static const char filing[] = "ab<cd>efghij\n";
    e8k_filing *f = e8k_filing_new("t");
    e8k_error err;
    cr_assert_eq(e8k_filing_parse(f, filing, sizeof filing - 1, &err), E8K_OK);
    size_t tlen = 0;
    const char *t = e8k_text_data(e8k_filing_document(f, 0)->text, &tlen);
    cr_assert_str_eq(t, "ab<cd>efghij");
    static const size_t spans[][2] = {
        {0, 6},  /* A "ab<cd>" */
        {3, 9},  /* B crosses A's end: split in two pieces */
        {3, 9},  /* C the same bytes as B */
        {1, 4},  /* D inside A, crossing nothing */
        {5, 5},  /* E empty */
        {8, 12}, /* F crosses B and C */
        {0, 12}, /* G around everything */
    };
    size_t n = sizeof spans / sizeof spans[0];
    e8k_value vals[8];
    rp_value rvs[8];
    memset(vals, 0, sizeof vals);
    for (size_t i = 0; i < n; i++) {
        vals[i].field = "f";
        vals[i].rule = "r";
        vals[i].text_span = (e8k_span){spans[i][0], spans[i][1]};
        rvs[i] = (rp_value){&vals[i], RP_FACT, 0, i, "f", "fact", 1};
    }
    rp_page p = {.f = f, .vals = rvs, .nvals = n};
    rp_documents(&p);
    cr_assert(!p.oom);
    pieces pc;
    read_marks(p.out.data, &pc);
    cr_assert_str_eq(pc.plain, t, "the text outside the marks changed");
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(pc.ids[i], 1, "value %zu: %d ids", i, pc.ids[i]);
        char want[64];
        snprintf(want, sizeof want, "%.*s", (int)(spans[i][1] - spans[i][0]),
                 t + spans[i][0]);
        cr_assert_str_eq(pc.text[i], want, "value %zu", i);
    }
    e8k_buf_free(&p.out);
    e8k_filing_free(f);
}

/* A stated figure a check used that no value has: marked as evidence
 * over the text its bytes map to, found again by its bytes, and never
 * added twice or for a derived figure. */
Test(report, check_values_without_a_value_are_marked_as_evidence)
{
    static const char filing[] = "<DOCUMENT>\n<TYPE>8-K\n<TEXT>\n"
                                 "<p>Gross proceeds of <b>$5.0</b> million.</p>\n"
                                 "</TEXT>\n</DOCUMENT>\n";
    e8k_filing *f = e8k_filing_new("t");
    e8k_error err;
    cr_assert_eq(e8k_filing_parse(f, filing, sizeof filing - 1, &err), E8K_OK);
    const char *start = strstr(filing, "<b>$5.0</b> million");
    size_t b0 = (size_t)(start - filing), b1 = b0 + strlen("<b>$5.0</b> million");
    e8k_check_value cv = {.name = "gross_proceeds", .has_number = 1,
                          .number = 5e6, .document = 0, .span = {b0, b1}};
    e8k_check_value derived = cv;
    derived.derived = 1;
    derived.document = E8K_NO_OFFSET;
    rp_page p = {.f = f};
    cr_assert_eq(rp_evidence_add(&p, &cv), 0);
    cr_assert_eq(rp_evidence_add(&p, &cv), 0);
    cr_assert_eq(rp_evidence_add(&p, &derived), 0);
    cr_assert_eq(p.nevs, 1);
    cr_assert_eq(rp_evidence_of(&p, &cv), 0);
    cr_assert_eq(rp_evidence_of(&p, &derived), -1);
    cr_assert_eq(rp_value_of(&p, &cv), -1);
    rp_documents(&p);
    cr_assert(!p.oom);
    const char *m = strstr(p.out.data, "<mark id=\"c0\" class=\"ev\" data-c=\"0\"");
    cr_assert_not_null(m, "%s", p.out.data);
    const char *body = strchr(m, '>') + 1;
    cr_assert(!strncmp(body, "$5.0 million</mark>", 19), "%.40s", body);
    e8k_buf_free(&p.out);
    free(p.evs);
    e8k_filing_free(f);
}

/* ---- a real extraction ----------------------------------------------------------- */

static char *fixture(const char *rel, size_t *len)
{
    const char *root = getenv("E8K_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root ? root : ".", rel);
    char *buf = NULL;
    e8k_error err;
    cr_assert_eq(e8k_file_load(path, &buf, len, &err), E8K_OK, "%s", err.message);
    return buf;
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* Every value the accessors give: offering fields and alternates,
 * parties, clauses, facts. */
static size_t value_count(const e8k_records *r)
{
    size_t n = e8k_records_party_count(r) + e8k_records_clause_count(r) +
               e8k_records_fact_count(r);
    for (size_t i = 0; i < e8k_records_offering_count(r); i++)
        for (size_t k = 0; k < e8k_offering_field_count(); k++) {
            const char *name = e8k_offering_field_name(k);
            n += e8k_records_offering_field(r, i, name) != NULL;
            n += e8k_records_alternate_count(r, i, name);
        }
    return n;
}

Test(report, hostile_filing_marks_every_value_and_runs_nothing)
{
    size_t len = 0;
    char *buf = fixture("fixtures/report-hostile/input.txt", &len);
    const char *root = getenv("E8K_ROOT");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/grammars", root ? root : ".");
    e8k_grammar *g = NULL;
    e8k_filing *f = e8k_filing_new("input.txt");
    e8k_records *r = NULL;
    e8k_report *rep = NULL;
    e8k_error err;
    cr_assert_eq(e8k_grammar_load(dir, &g, &err), E8K_OK, "%s", err.message);
    cr_assert_eq(e8k_filing_parse(f, buf, len, &err), E8K_OK);
    cr_assert_eq(e8k_extract_filing(g, f, &r, &err), E8K_OK);
    cr_assert_eq(e8k_validate(r, f, &rep, &err), E8K_OK);
    char *html = NULL;
    size_t hlen = 0;
    cr_assert_eq(e8k_report_to_html(rep, f, r, &html, &hlen, &err), E8K_OK);
    cr_assert_eq(strlen(html), hlen);
    size_t nv = value_count(r);
    cr_assert_gt(nv, 0);
    cr_assert_eq(count(html, "<mark id=\"v"), nv);
    cr_assert_eq(count(html, "<mark"), count(html, "</mark>"));
    /* The page's own script and nothing else; the filing's tags as text. */
    cr_assert_eq(count(html, "<script"), 1);
    cr_assert_null(strstr(html, "<img"));
    cr_assert_null(strstr(html, "<svg"));
    cr_assert_null(strstr(html, "<iframe"));
    cr_assert_null(strstr(html, "</textarea"));
    cr_assert_not_null(strstr(html, "&lt;script&gt;window.pwned=1&lt;/script&gt;"));
    /* The header's bytes that are not UTF-8, as Latin-1 characters. */
    cr_assert_not_null(strstr(html, "HOSTILE LABS \xC3\xBF\xC3\xBE&quot;INC&#39;"));
    /* Failures first: the first finding row is a failed one. */
    if (e8k_report_failed_count(rep)) {
        const char *row = strstr(html, "<tr class=\"finding");
        cr_assert_not_null(row);
        cr_assert(!strncmp(row, "<tr class=\"finding fail\"", 24));
    }
    free(html);
    e8k_report_free(rep);
    e8k_records_free(r);
    e8k_filing_free(f);
    e8k_grammar_free(g);
    free(buf);
}

Test(report, needs_a_filing_and_records)
{
    char *html = (char *)1;
    e8k_error err;
    cr_assert_eq(e8k_report_to_html(NULL, NULL, NULL, &html, NULL, &err),
                 E8K_ERR_USAGE);
    cr_assert_null(html);
}
