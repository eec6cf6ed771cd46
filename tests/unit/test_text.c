/* test_text.c: the text stage on plain text and the parts shared with HTML:
 * format detection, decoding (UTF-8, Windows-1252, Latin-1, invalid
 * UTF-8), folding of typographic characters, white space and line rules,
 * the offset map back into the body, and argument and limit errors. */
#include "edgar8k.h"
#include "e8k_limits.h"
#include "text_helpers.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void expect_text(const char *body, const char *want)
{
    e8k_text *t = convert_n(body, strlen(body), E8K_FORMAT_TEXT);
    size_t len;
    const char *got = e8k_text_data(t, &len);
    cr_assert_str_eq(got, want);
    cr_assert_eq(len, strlen(want));
    e8k_text_free(t);
}

/* ---- Plain text: lines and white space ---------------------------------- */

Test(text, plain_collapses_spaces_and_trims_lines)
{
    expect_text("  Hello   world \t\n\tSecond\tline  \n",
                "Hello world\nSecond line");
}

Test(text, plain_keeps_one_blank_line)
{
    expect_text("One\n\nTwo\n\n\n\n\nThree\n \t \n \nFour",
                "One\n\nTwo\n\nThree\n\nFour");
}

Test(text, plain_drops_leading_and_trailing_blank_lines)
{
    expect_text("\n\n \n\t\nFirst\n\n\n", "First");
}

Test(text, crlf_and_cr_end_lines)
{
    expect_text("a\r\nb\rc\r\n\r\n\r\nd\r", "a\nb\nc\n\nd");
}

Test(text, form_feed_ends_a_line_and_controls_are_spaces)
{
    expect_text("page one\fpage two\x01x\x7fy", "page one\npage two x y");
}

Test(text, empty_and_blank_bodies_give_empty_text)
{
    e8k_text *t = convert_n("", 0, E8K_FORMAT_TEXT);
    size_t len = 99;
    cr_assert_str_eq(e8k_text_data(t, &len), "");
    cr_assert_eq(len, 0);
    cr_assert_eq(e8k_text_offset(t, 0), 0);
    e8k_text_free(t);
    expect_text(" \n\r\n\t ", "");
}

/* ---- Folding ------------------------------------------------------------ */

Test(text, typographic_quotes_dashes_and_ellipsis_fold_to_ascii)
{
    expect_text("\xE2\x80\x98" "a" "\xE2\x80\x99 "      /* 'a' */
                "\xE2\x80\x9C" "b" "\xE2\x80\x9D "      /* "b" */
                "\xE2\x80\x9A" "c" "\xE2\x80\x9E "      /* 'c" */
                "\xE2\x80\x9B\xE2\x80\xB2\xE2\x80\xB3 " /* '" with primes */
                "1\xE2\x80\x90" "2\xE2\x80\x91" "3\xE2\x80\x92"
                "4\xE2\x80\x93" "5\xE2\x80\x94" "6\xE2\x80\x95"
                "7\xE2\x88\x92" "8 wait\xE2\x80\xA6",
                "'a' \"b\" 'c\" '\'\" 1-2-3-4-5-6-7-8 wait...");
}

Test(text, special_spaces_fold_and_invisible_characters_drop)
{
    expect_text("a\xC2\xA0\xC2\xA0" "b\xE2\x80\x89" "c\xE2\x80\x87"
                "d\xE2\x80\xAF" "e soft\xC2\xAD" "hy zero\xE2\x80\x8B"
                "width\xEF\xBB\xBF!",
                "a b c d e softhy zerowidth!");
}

Test(text, other_characters_are_kept)
{
    const char *body = "\xE2\x82\xAC" "5 \xE2\x84\xA2 \xC2\xA7" "230";
    e8k_text *t = convert_n(body, strlen(body), E8K_FORMAT_TEXT);
    cr_assert_str_eq(e8k_text_data(t, NULL), body);
    cr_assert_eq(e8k_text_encoding(t), E8K_ENC_UTF8);
    e8k_text_free(t);
}

/* ---- Encodings ----------------------------------------------------------- */

Test(text, ascii_and_utf8_are_reported)
{
    e8k_text *t = convert_n("plain", 5, E8K_FORMAT_TEXT);
    cr_assert_eq(e8k_text_encoding(t), E8K_ENC_ASCII);
    e8k_text_free(t);
    t = convert_n("caf\xC3\xA9", 5, E8K_FORMAT_TEXT);
    cr_assert_eq(e8k_text_encoding(t), E8K_ENC_UTF8);
    cr_assert_str_eq(e8k_text_data(t, NULL), "caf\xC3\xA9");
    e8k_text_free(t);
}

Test(text, windows_1252_fallback_is_decoded_and_reported)
{
    const char *body = "It\x92s \x93quoted\x94 \x80" "5 caf\xE9 end";
    e8k_text *t = convert_n(body, strlen(body), E8K_FORMAT_TEXT);
    cr_assert_eq(e8k_text_encoding(t), E8K_ENC_CP1252);
    cr_assert_str_eq(e8k_text_data(t, NULL),
                     "It's \"quoted\" \xE2\x82\xAC" "5 caf\xC3\xA9 end");
    /* every character maps to its one source byte */
    cr_assert_eq(offset_of(t, "'s"), 2);
    ASSERT_MAPS(t, "quoted", body, "quoted");
    ASSERT_MAPS(t, "\xE2\x82\xAC", body, "\x80");
    ASSERT_MAPS(t, "5 caf", body, "5 caf");
    ASSERT_MAPS(t, "\xC3\xA9", body, "\xE9");
    ASSERT_MAPS(t, "end", body, "end");
    e8k_text_free(t);
}

Test(text, latin1_when_windows_1252_leaves_bytes_undefined)
{
    const char *body = "caf\xE9 \x81 x \xBD";
    e8k_text *t = convert_n(body, strlen(body), E8K_FORMAT_TEXT);
    cr_assert_eq(e8k_text_encoding(t), E8K_ENC_LATIN1);
    cr_assert_str_eq(e8k_text_data(t, NULL), "caf\xC3\xA9 x \xC2\xBD");
    ASSERT_MAPS(t, "x", body, "x");
    e8k_text_free(t);
    /* an undefined byte inside a UTF-8-looking sequence counts too */
    body = "\xE2\x90\x99 ok \xFF";
    t = convert_n(body, strlen(body), E8K_FORMAT_HTML);
    cr_assert_eq(e8k_text_encoding(t), E8K_ENC_LATIN1);
    cr_assert_str_eq(e8k_text_data(t, NULL),
                     "\xC3\xA2 \xE2\x84\xA2 ok \xC3\xBF");
    ASSERT_MAPS(t, "ok", body, "ok");
    e8k_text_free(t);
}

Test(text, invalid_utf8_is_not_read_as_utf8)
{
    /* \xC3 followed by '(' is not UTF-8: the whole body is Windows-1252 */
    const char *body = "ok \xC3\x28 and \xE2\x80\x99";
    e8k_text *t = convert_n(body, strlen(body), E8K_FORMAT_TEXT);
    cr_assert_eq(e8k_text_encoding(t), E8K_ENC_CP1252);
    cr_assert_str_eq(e8k_text_data(t, NULL),
                     "ok \xC3\x83( and \xC3\xA2\xE2\x82\xAC\xE2\x84\xA2");
    e8k_text_free(t);
    /* overlong and surrogate forms are invalid too */
    t = convert_n("\xC0\xAF \xED\xA0\x80", 6, E8K_FORMAT_TEXT);
    cr_assert_neq(e8k_text_encoding(t), E8K_ENC_UTF8);
    e8k_text_free(t);
}

/* ---- The offset map ------------------------------------------------------ */

Test(text, map_is_exact_for_copied_characters)
{
    const char *body = "  Alpha   beta\r\n\r\n\r\n\tgamma \xE2\x80\x94 delta\n";
    e8k_text *t = convert_n(body, strlen(body), E8K_FORMAT_TEXT);
    cr_assert_str_eq(e8k_text_data(t, NULL), "Alpha beta\n\ngamma - delta");
    ASSERT_MAPS(t, "Alpha", body, "Alpha");
    ASSERT_MAPS(t, "beta", body, "beta");
    ASSERT_MAPS(t, "gamma", body, "gamma");
    ASSERT_MAPS(t, "delta", body, "delta");
    /* a folded character maps to the start of its source */
    ASSERT_MAPS(t, "-", body, "\xE2\x80\x94");
    /* the collapsed space maps to the first blank of its run */
    ASSERT_MAPS(t, " beta", body, "   beta");
    e8k_text_free(t);
}

Test(text, map_after_multibyte_characters)
{
    const char *u8 = "\xE2\x80\x9CHi\xE2\x80\x9D there";
    e8k_text *t = convert_n(u8, strlen(u8), E8K_FORMAT_TEXT);
    cr_assert_str_eq(e8k_text_data(t, NULL), "\"Hi\" there");
    cr_assert_eq(e8k_text_offset(t, 5), index_of(u8, "there"));
    cr_assert_eq(e8k_text_offset(t, 3), index_of(u8, "\xE2\x80\x9D"));
    e8k_text_free(t);
    const char *cp = "\x93Hi\x94 there";
    t = convert_n(cp, strlen(cp), E8K_FORMAT_TEXT);
    cr_assert_str_eq(e8k_text_data(t, NULL), "\"Hi\" there");
    cr_assert_eq(e8k_text_offset(t, 5), 5);
    e8k_text_free(t);
}

Test(text, positions_past_the_end_map_to_the_end)
{
    e8k_text *t = convert_n("word\n\n\n", 7, E8K_FORMAT_TEXT);
    cr_assert_eq(e8k_text_offset(t, 4), 7);
    cr_assert_eq(e8k_text_offset(t, 1000), 7);
    e8k_text_free(t);
}

/* ---- Errors -------------------------------------------------------------- */

Test(text, argument_errors)
{
    e8k_text *t = (e8k_text *)1;
    e8k_error err;
    cr_assert_eq(e8k_text_convert("x", 1, E8K_FORMAT_TEXT, NULL, &err),
                 E8K_ERR_USAGE);
    cr_assert_eq(e8k_text_convert(NULL, 1, E8K_FORMAT_TEXT, &t, &err),
                 E8K_ERR_USAGE);
    cr_assert_eq(e8k_text_convert("%PDF", 4, E8K_FORMAT_PDF, &t, &err),
                 E8K_ERR_USAGE);
    cr_assert_eq(err.status, E8K_ERR_USAGE);
    cr_assert_eq(e8k_text_convert("x", 1, E8K_FORMAT_BINARY, &t, NULL),
                 E8K_ERR_USAGE);
    e8k_text_free(NULL);
    cr_assert_eq(e8k_text_flags(NULL), 0);
}

Test(text, bodies_over_the_limit_are_refused_before_reading)
{
    /* the size is checked first, so the short buffer is never read */
    static const char small[16] = "x";
    e8k_text *t = NULL;
    e8k_error err;
    e8k_status s = e8k_text_convert(small, E8K_MAX_DOCUMENT_SIZE + 1,
                                    E8K_FORMAT_HTML, &t, &err);
    cr_assert_eq(s, E8K_ERR_LIMIT);
    cr_assert_null(t);
    cr_assert_not_null(strstr(err.message, "E8K_MAX_DOCUMENT_SIZE"));
}

/* ---- Formats ------------------------------------------------------------- */

static e8k_format detect(const char *s, const char *type, const char *name)
{
    return e8k_format_detect(s, strlen(s), type, name);
}

Test(text, detects_html_and_inline_xbrl)
{
    cr_assert_eq(detect("<HTML><BODY>x</BODY></HTML>", NULL, NULL),
                 E8K_FORMAT_HTML);
    cr_assert_eq(detect("\n<p>Item 1</p>", "8-K", NULL), E8K_FORMAT_HTML);
    cr_assert_eq(detect("<DIV style='x'>a</DIV>", NULL, NULL),
                 E8K_FORMAT_HTML);
    cr_assert_eq(detect("<?xml version=\"1.0\"?><!--x--><html "
                        "xmlns:ix=\"http://www.xbrl.org/2013/inlineXBRL\">",
                        "8-K", "a.htm"),
                 E8K_FORMAT_HTML);
    cr_assert_eq(detect("<XBRL>\n<?xml version=\"1.0\"?>\n<html><body>",
                        "8-K", NULL),
                 E8K_FORMAT_HTML);
    cr_assert_eq(detect("just words", NULL, "doc.htm"), E8K_FORMAT_HTML);
}

Test(text, edgar_sgml_tables_are_plain_text)
{
    cr_assert_eq(detect("<PAGE>\n<TABLE>\n<CAPTION>\n<S>  <C>\n</TABLE>\n",
                        "8-K", "d.txt"),
                 E8K_FORMAT_TEXT);
    cr_assert_eq(detect("UNITED STATES\nFORM 8-K\n", NULL, NULL),
                 E8K_FORMAT_TEXT);
    cr_assert_eq(detect("a <pagebreak> b <tablex>", NULL, NULL),
                 E8K_FORMAT_TEXT);
}

Test(text, detects_xml)
{
    cr_assert_eq(detect("<?xml version=\"1.0\"?>\n<xbrl xmlns=\"x\">", NULL,
                        NULL),
                 E8K_FORMAT_XML);
    cr_assert_eq(detect("<XBRL>\n<?xml version=\"1.0\"?>\n<xs:schema>",
                        "EX-101.SCH", NULL),
                 E8K_FORMAT_XML);
    cr_assert_eq(detect("<linkbase/>", NULL, "x_lab.xml"), E8K_FORMAT_XML);
    cr_assert_eq(detect("<schema/>", NULL, "x.xsd"), E8K_FORMAT_XML);
}

Test(text, detects_binary_kinds)
{
    cr_assert_eq(detect("begin 644 logo.jpg\nM_9C_X  02D9)\n", "GRAPHIC",
                        "logo.jpg"),
                 E8K_FORMAT_UUENCODED);
    cr_assert_eq(detect("\n%PDF-1.4\n%\xE2\xE3\n", NULL, NULL),
                 E8K_FORMAT_PDF);
    cr_assert_eq(e8k_format_detect("PK\x03\x04zz", 6, "ZIP", NULL),
                 E8K_FORMAT_BINARY);
    cr_assert_eq(e8k_format_detect("\x1F\x8B\x08\x00", 4, NULL, NULL),
                 E8K_FORMAT_BINARY);
    cr_assert_eq(e8k_format_detect("text\0more", 9, NULL, NULL),
                 E8K_FORMAT_BINARY);
    cr_assert_eq(e8k_format_detect("\x10\x02\x03raw", 6, "GRAPHIC", NULL),
                 E8K_FORMAT_BINARY);
    cr_assert_eq(detect("{\"a\": 1}", "JSON", NULL), E8K_FORMAT_TEXT);
    cr_assert_eq(e8k_format_detect(NULL, 0, NULL, NULL), E8K_FORMAT_TEXT);
}

Test(text, names)
{
    cr_assert_str_eq(e8k_format_name(E8K_FORMAT_TEXT), "text");
    cr_assert_str_eq(e8k_format_name(E8K_FORMAT_HTML), "html");
    cr_assert_str_eq(e8k_format_name(E8K_FORMAT_XML), "xml");
    cr_assert_str_eq(e8k_format_name(E8K_FORMAT_UUENCODED), "uuencoded");
    cr_assert_str_eq(e8k_format_name(E8K_FORMAT_PDF), "pdf");
    cr_assert_str_eq(e8k_format_name(E8K_FORMAT_BINARY), "binary");
    cr_assert(e8k_format_has_text(E8K_FORMAT_TEXT));
    cr_assert(e8k_format_has_text(E8K_FORMAT_HTML));
    cr_assert_not(e8k_format_has_text(E8K_FORMAT_XML));
    cr_assert_not(e8k_format_has_text(E8K_FORMAT_UUENCODED));
    cr_assert_str_eq(e8k_encoding_name(E8K_ENC_ASCII), "ascii");
    cr_assert_str_eq(e8k_encoding_name(E8K_ENC_UTF8), "utf-8");
    cr_assert_str_eq(e8k_encoding_name(E8K_ENC_CP1252), "windows-1252");
    cr_assert_str_eq(e8k_encoding_name(E8K_ENC_LATIN1), "iso-8859-1");
}

/* ---- The seed filing ----------------------------------------------------- */

static char *load_seed(size_t *len)
{
    const char *root = getenv("E8K_ROOT") ? getenv("E8K_ROOT") : ".";
    char path[1024];
    snprintf(path, sizeof path,
             "%s/../shared/seeds/capstone-8k-2007-01-18.txt", root);
    char *buf = NULL;
    e8k_error err;
    if (e8k_file_load(path, &buf, len, &err) != E8K_OK)
        return NULL;
    return buf;
}

Test(text, seed_plain_text_filing)
{
    size_t len;
    char *body = load_seed(&len);
    if (!body)
        cr_skip_test("../shared absent: no seeds/capstone-8k-2007-01-18.txt");
    cr_assert_eq(e8k_format_detect(body, len, NULL, "capstone.txt"),
                 E8K_FORMAT_TEXT);
    e8k_text *t = convert_n(body, len, E8K_FORMAT_TEXT);
    const char *d = e8k_text_data(t, NULL);
    cr_assert_eq(e8k_text_encoding(t), E8K_ENC_UTF8);
    cr_assert_not_null(strstr(d, "Section 1 - Registrant's Business"));
    cr_assert_not_null(strstr(d, "(the \"Company\")"));
    cr_assert(strncmp(d, "UNITED STATES\n", 14) == 0);
    size_t off = offset_of(t, "Item 1.01 Entry");
    cr_assert_eq(memcmp(body + off, "Item 1.01 Entry", 15), 0);
    e8k_text_free(t);
    free(body);
}
