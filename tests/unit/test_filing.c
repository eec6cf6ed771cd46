/* test_filing.c: the filing as a whole: stages run in order, errors from the
 * text stage are located in the file (not the document), a failed parse
 * leaves the filing empty, and the JSON output carries what the API does. */
#include "edgar8k.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SUBMISSION[] =
    "<SEC-DOCUMENT>0000000001-07-000001.txt : 20070119\n"
    "<SEC-HEADER>0000000001-07-000001.hdr.sgml : 20070119\n"
    "ACCESSION NUMBER:\t\t0000000001-07-000001\n"
    "CONFORMED SUBMISSION TYPE:\t8-K\n"
    "PUBLIC DOCUMENT COUNT:\t\t2\n"
    "CONFORMED PERIOD OF REPORT:\t20070118\n"
    "ITEM INFORMATION:\t\tEntry into a Material Definitive Agreement\n"
    "FILED AS OF DATE:\t\t20070119\n"
    "\n"
    "FILER:\n"
    "\n"
    "\tCOMPANY DATA:\t\n"
    "\t\tCOMPANY CONFORMED NAME:\t\t\tEXAMPLE WIDGETS INC\n"
    "\t\tCENTRAL INDEX KEY:\t\t\t0000000001\n"
    "</SEC-HEADER>\n"
    "<DOCUMENT>\n"
    "<TYPE>8-K\n"
    "<SEQUENCE>1\n"
    "<FILENAME>w8k.htm\n"
    "<TEXT>\n"
    "<html><body><p>FORM 8-K</p>\n"
    "<p><b>Item 1.01 Entry into a Material Definitive Agreement.</b></p>\n"
    "<p>On January 18, 2007 the Company sold 1,000 shares.</p>\n"
    "<p><b>Item 9.01 Financial Statements and Exhibits.</b></p>\n"
    "<p>99.1 Press release.</p></body></html>\n"
    "</TEXT>\n"
    "</DOCUMENT>\n"
    "<DOCUMENT>\n"
    "<TYPE>EX-99.1\n"
    "<SEQUENCE>2\n"
    "<FILENAME>wex991.txt\n"
    "<DESCRIPTION>PRESS RELEASE\n"
    "<TEXT>\n"
    "Example Widgets prices its offering.\n"
    "</TEXT>\n"
    "</DOCUMENT>\n"
    "</SEC-DOCUMENT>\n";

Test(filing, runs_all_stages_on_a_submission)
{
    e8k_filing *f = e8k_filing_new("mem.txt");
    e8k_error err;
    cr_assert_eq(e8k_filing_parse(f, SUBMISSION, strlen(SUBMISSION), &err),
                 E8K_OK, "%s", err.message);
    cr_assert_eq(e8k_filing_dialect(f), E8K_DIALECT_SEC_DOCUMENT);
    cr_assert_str_eq(e8k_filing_header(f)->accession, "0000000001-07-000001");
    cr_assert_str_eq(e8k_filing_header(f)->filed, "2007-01-19");
    cr_assert_eq(e8k_filing_document_count(f), 2);
    cr_assert_eq(e8k_filing_main_document(f), 0);
    const e8k_document *ex = e8k_filing_document(f, 1);
    cr_assert_str_eq(ex->type, "EX-99.1");
    cr_assert_eq(ex->format, E8K_FORMAT_TEXT);
    const char *body = strstr(SUBMISSION, "Example Widgets prices");
    cr_assert_eq(ex->span.start, (size_t)(body - SUBMISSION));
    cr_assert_eq(e8k_filing_item_count(f), 2);
    const e8k_item *it = e8k_filing_item(f, 0);
    cr_assert_str_eq(it->number, "1.01");
    const char *heading = strstr(SUBMISSION, "Item 1.01");
    cr_assert_eq(it->span.start, (size_t)(heading - SUBMISSION),
                 "item spans are bytes of the file");
    cr_assert_str_eq(e8k_filing_item(f, 1)->number, "9.01");
    /* "sold" in the text maps to "sold" in the file */
    size_t len;
    const char *t = e8k_text_data(e8k_filing_document(f, 0)->text, &len);
    const char *sold = strstr(t, "sold");
    cr_assert_not_null(sold);
    size_t off = e8k_filing_offset(f, 0, (size_t)(sold - t));
    cr_assert_eq(memcmp(SUBMISSION + off, "sold", 4), 0);
    e8k_filing_free(f);
}

Test(filing, text_stage_errors_are_located_in_the_file)
{
    /* An HTML document whose start tag has too many attributes: the text
     * stage refuses it, and the offset must be the tag's byte in the file. */
    char *buf = malloc(200000);
    size_t n = (size_t)sprintf(buf, "<DOCUMENT>\n<TYPE>8-K\n<TEXT>\n"
                                    "<html><body><p>x</p>\n<div");
    size_t tag = n - 4;
    for (int i = 0; i < 5000; i++)
        n += (size_t)sprintf(buf + n, " a%d=\"1\"", i);
    n += (size_t)sprintf(buf + n, ">y</div></body></html>\n</TEXT>\n"
                                  "</DOCUMENT>\n");
    e8k_filing *f = e8k_filing_new("attrs.txt");
    e8k_error err;
    cr_assert_eq(e8k_filing_parse(f, buf, n, &err), E8K_ERR_LIMIT);
    cr_assert_str_eq(err.file, "attrs.txt");
    cr_assert_eq(err.offset, tag, "offset %zu, expected %zu", err.offset, tag);
    cr_assert_eq(err.line, 5);
    cr_assert_eq(e8k_filing_document_count(f), 0,
                 "a failed parse leaves the filing empty");
    e8k_filing_free(f);
    free(buf);
}

Test(filing, can_be_reused_for_another_input)
{
    e8k_filing *f = e8k_filing_new(NULL);
    e8k_error err;
    cr_assert_eq(e8k_filing_parse(f, SUBMISSION, strlen(SUBMISSION), &err),
                 E8K_OK);
    const char plain[] = "FORM 8-K\n\nItem 8.01 Other Events.\n\nNothing.\n";
    cr_assert_eq(e8k_filing_parse(f, plain, strlen(plain), &err), E8K_OK);
    cr_assert_eq(e8k_filing_dialect(f), E8K_DIALECT_TEXT);
    cr_assert_eq(e8k_filing_document_count(f), 1);
    cr_assert_null(e8k_filing_header(f)->accession);
    cr_assert_eq(e8k_filing_item_count(f), 1);
    cr_assert_str_eq(e8k_filing_item(f, 0)->number, "8.01");
    e8k_filing_free(f);
}

Test(filing, json_carries_header_documents_items)
{
    e8k_filing *f = e8k_filing_new("mem.txt");
    e8k_error err;
    cr_assert_eq(e8k_filing_parse(f, SUBMISSION, strlen(SUBMISSION), &err),
                 E8K_OK);
    char *s = NULL;
    cr_assert_eq(e8k_filing_to_json(f, E8K_JSON_TEXT, &s, &err), E8K_OK);
    json_error_t jerr;
    json_t *j = json_loads(s, 0, &jerr);
    cr_assert_not_null(j, "%s", jerr.text);
    cr_assert_str_eq(json_string_value(json_object_get(j, "dialect")),
                     "sec-document");
    json_t *h = json_object_get(j, "header");
    cr_assert_eq(json_integer_value(json_object_get(h, "document_count")), 2);
    json_t *ent = json_array_get(json_object_get(h, "entities"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(ent, "name")),
                     "EXAMPLE WIDGETS INC");
    json_t *docs = json_object_get(j, "documents");
    cr_assert_eq(json_array_size(docs), 2);
    json_t *d1 = json_array_get(docs, 1);
    cr_assert_str_eq(json_string_value(json_object_get(d1, "text")),
                     "Example Widgets prices its offering.");
    cr_assert_eq(json_array_size(json_object_get(j, "items")), 2);
    json_decref(j);
    free(s);
    e8k_filing_free(f);
}

Test(filing, header_bytes_that_are_not_utf8_still_give_valid_json)
{
    const char in[] = "<DOCUMENT>\n<TYPE>EX-99.1\n<DESCRIPTION>Caf\xe9 news\n"
                      "<TEXT>\nhello\n</TEXT>\n</DOCUMENT>\n";
    e8k_filing *f = e8k_filing_new("latin1.txt");
    e8k_error err;
    cr_assert_eq(e8k_filing_parse(f, in, strlen(in), &err), E8K_OK);
    char *s = NULL;
    cr_assert_eq(e8k_filing_to_json(f, 0, &s, &err), E8K_OK);
    cr_assert_not_null(strstr(s, "Caf\xc3\xa9 news"), "%s", s);
    free(s);
    e8k_filing_free(f);
    /* UTF-8-shaped but refused by JSON: a surrogate, an overlong form */
    const char odd[] = "<DOCUMENT>\n<TYPE>EX-99.1\n"
                       "<DESCRIPTION>a\xed\xa0\x80 b\xe0\x80\x80\n"
                       "<TEXT>\nhello\n</TEXT>\n</DOCUMENT>\n";
    f = e8k_filing_new("odd.txt");
    cr_assert_eq(e8k_filing_parse(f, odd, strlen(odd), &err), E8K_OK);
    cr_assert_eq(e8k_filing_to_json(f, 0, &s, &err), E8K_OK, "%s",
                 err.message);
    cr_assert_not_null(strstr(s, "a\xc3\xad\xc2\xa0\xc2\x80 b"), "%s", s);
    free(s);
    e8k_filing_free(f);
}

/* A title wrapped over two lines reads as one line with single spaces;
 * its span in the text still covers the newline. */
Test(filing, wrapped_item_titles_read_as_one_line)
{
    static const char doc[] =
        "FORM 8-K\n\n"
        "ITEM 2.03 CREATION OF A DIRECT FINANCIAL OBLIGATION OR AN OBLIGATION "
        "UNDER AN\n   OFF-BALANCE SHEET ARRANGEMENT OF A REGISTRANT.\n\n"
        "The Company borrowed money.\n";
    e8k_filing *f = e8k_filing_new("wrapped.txt");
    e8k_error err;
    cr_assert_eq(e8k_filing_parse(f, doc, strlen(doc), &err), E8K_OK, "%s",
                 err.message);
    cr_assert_eq(e8k_filing_item_count(f), 1);
    cr_assert_str_eq(e8k_filing_item(f, 0)->title,
                     "CREATION OF A DIRECT FINANCIAL OBLIGATION OR AN "
                     "OBLIGATION UNDER AN OFF-BALANCE SHEET ARRANGEMENT OF A "
                     "REGISTRANT");
    e8k_filing_free(f);
}
