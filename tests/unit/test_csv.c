/* test_csv.c: the one CSV writer (csv.c): RFC 4180 quoting, and which
 * cells a spreadsheet would run as formulas, so that export neutralises
 * exactly those and leaves numbers alone. */
#include "internal.h"

#include <criterion/criterion.h>
#include <string.h>

static char *field(const char *s, unsigned flags)
{
    static char out[256];
    e8k_buf b = {0};
    cr_assert_eq(e8k_csv_field(&b, s, strlen(s), flags), 0);
    cr_assert_lt(b.len, sizeof out);
    memcpy(out, b.data, b.len + 1);
    e8k_buf_free(&b);
    return out;
}

Test(csv, rfc4180_quoting)
{
    cr_assert_str_eq(field("plain", 0), "\"plain\"");
    cr_assert_str_eq(field("a,b", 0), "\"a,b\"");
    cr_assert_str_eq(field("say \"hi\"", 0), "\"say \"\"hi\"\"\"");
    cr_assert_str_eq(field("two\r\nlines", 0), "\"two\r\nlines\"");
    cr_assert_str_eq(field("", 0), "\"\"");
}

Test(csv, formulas_neutralised_numbers_kept)
{
    static const char *const formula[] = {
        "=1+1", "+1+2", "-2+3", "@SUM(A1)", "=HYPERLINK(\"x\")", "\t=1",
        "\r@x", "-", "+", "- 5", "-1e", "--1", "=", "\tx"};
    static const char *const kept[] = {
        "-12.5", "+7", "-0.001", "1e5", "-2.5E-3", "12", "O'Brien",
        "a=b", "x-1", ""};
    for (size_t i = 0; i < sizeof formula / sizeof formula[0]; i++) {
        cr_assert(e8k_csv_formula_like(formula[i], strlen(formula[i])), "%s",
                  formula[i]);
        cr_assert_eq(field(formula[i], E8K_CSV_NEUTRALISE)[1], '\'', "%s",
                     formula[i]);
        cr_assert_neq(field(formula[i], 0)[1], '\'');
    }
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        cr_assert_not(e8k_csv_formula_like(kept[i], strlen(kept[i])), "%s",
                      kept[i]);
}

Test(csv, records_header_alone)
{
    char *out = NULL;
    cr_assert_eq(e8k_records_to_csv(NULL, NULL, NULL, E8K_CSV_HEADER, &out,
                                    NULL),
                 E8K_OK);
    cr_assert_str_eq(out, "file,accession,form_type,filed,period,cik,company,"
                          "offering,field,value,unit,qualifier,document,"
                          "start,end,rule\r\n");
    free(out);
}
