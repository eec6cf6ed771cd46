/* test_submission.c: the submission reader on its own: each dialect read
 * from small synthetic buffers with exact header values and byte spans,
 * each error with its status and offset, the limits, the bundled fixtures,
 * and the development corpus in ../shared (every file reads, and document
 * counts agree with the header's PUBLIC DOCUMENT COUNT). */
#include "internal.h"

#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- helpers ------------------------------------------------------------- */

static e8k_filing *read_as(const char *name, const char *buf, size_t len,
                           e8k_status want, e8k_error *err)
{
    e8k_filing *f = e8k_filing_new(name);
    cr_assert_not_null(f);
    f->buf = buf;
    f->len = len;
    e8k_error_clear(err);
    e8k_status s = e8k_submission_read(f, err);
    cr_assert_eq(s, want, "%s: status \"%s\", expected \"%s\": %s", name,
                 e8k_status_string(s), e8k_status_string(want),
                 err->message);
    return f;
}

static e8k_filing *read_str(const char *buf, e8k_status want, e8k_error *err)
{
    return read_as("mem.txt", buf, strlen(buf), want, err);
}

/* Byte offset of the first `needle` in buf (which must hold it). */
static size_t at(const char *buf, const char *needle)
{
    const char *p = strstr(buf, needle);
    cr_assert_not_null(p, "test input lacks \"%s\"", needle);
    return (size_t)(p - buf);
}

/* Offset just past the first `needle`. */
static size_t after(const char *buf, const char *needle)
{
    return at(buf, needle) + strlen(needle);
}

static void assert_span(const e8k_document *d, size_t start, size_t end)
{
    cr_assert_eq(d->span.start, start, "%s: span starts at %zu, expected %zu",
                 d->type, d->span.start, start);
    cr_assert_eq(d->span.end, end, "%s: span ends at %zu, expected %zu",
                 d->type, d->span.end, end);
}

static void assert_entity(const e8k_filing *f, size_t i, const char *role,
                          const char *cik, const char *name)
{
    cr_assert_lt(i, f->header.nentities);
    const e8k_entity *e = &f->header.entities[i];
    cr_assert_str_eq(e->role, role);
    cr_assert_str_eq(e->cik, cik);
    cr_assert_str_eq(e->name, name);
}

/* ---- <SEC-DOCUMENT> ------------------------------------------------------ */

static const char SEC[] =
    "<SEC-DOCUMENT>0000000042-24-000001.txt : 20240312\n"
    "<SEC-HEADER>0000000042-24-000001.hdr.sgml : 20240312\n"
    "<ACCEPTANCE-DATETIME>20240312163005\n"
    "ACCESSION NUMBER:\t\t0000000042-24-000001\n"
    "CONFORMED SUBMISSION TYPE:\t8-K\n"
    "PUBLIC DOCUMENT COUNT:\t\t3\n"
    "CONFORMED PERIOD OF REPORT:\t20240311\n"
    "ITEM INFORMATION:\t\tEntry into a Material Definitive Agreement\n"
    "ITEM INFORMATION:\t\tFinancial Statements and Exhibits\n"
    "FILED AS OF DATE:\t\t20240312\n"
    "\n"
    "FILER:\n"
    "\n"
    "\tCOMPANY DATA:\t\n"
    "\t\tCOMPANY CONFORMED NAME:\t\t\tALPHA HOLDINGS INC\n"
    "\t\tCENTRAL INDEX KEY:\t\t\t0000000042\n"
    "\n"
    "\tFORMER COMPANY:\t\n"
    "\t\tFORMER CONFORMED NAME:\tALPHA OLD NAME INC\n"
    "\n"
    "FILER:\n"
    "\n"
    "\tCOMPANY DATA:\t\n"
    "\t\tCOMPANY CONFORMED NAME:\t\t\tALPHA POWER CO\n"
    "\t\tCENTRAL INDEX KEY:\t\t\t0000000043\n"
    "\n"
    "SUBJECT COMPANY:\n"
    "\n"
    "\tCOMPANY DATA:\t\n"
    "\t\tCOMPANY CONFORMED NAME:\t\t\tBETA TARGET CORP\n"
    "\t\tCENTRAL INDEX KEY:\t\t\t0000000044\n"
    "</SEC-HEADER>\n"
    "<DOCUMENT>\n"
    "<TYPE>8-K\n"
    "<SEQUENCE>1\n"
    "<FILENAME>a8k.htm\n"
    "<DESCRIPTION>CURRENT REPORT\n"
    "<TEXT>\n"
    "<html><body><p>FORM 8-K</p>\n"
    "<svg>\n"
    "<text>\n"
    "</text>\n"
    "</svg>\n"
    "<p>Item 1.01 Entry into a Material Definitive Agreement.</p>\n"
    "</body></html>\n"
    "</TEXT>\n"
    "</DOCUMENT>\n"
    "<DOCUMENT>\n"
    "<TYPE>EX-99.1\n"
    "<SEQUENCE>2\n"
    "<FILENAME>aex991.txt\n"
    "<TEXT>\n"
    "Alpha Holdings prices its offering.\n"
    "</TEXT>\n"
    "</DOCUMENT>\n"
    "<DOCUMENT>\n"
    "<TYPE>GRAPHIC\n"
    "<SEQUENCE>3\n"
    "<FILENAME>logo.jpg\n"
    "<TEXT>\n"
    "begin 644 logo.jpg\n"
    "M_]C_X``02D9)1@`!`0$`8`!@``#_VP!#``,\"`@,\"`@,#`P,$`P,$!0@%!00$\n"
    "`\n"
    "end\n"
    "</TEXT>\n"
    "</DOCUMENT>\n"
    "</SEC-DOCUMENT>\n";

Test(submission, sec_document_header)
{
    e8k_error err;
    e8k_filing *f = read_str(SEC, E8K_OK, &err);
    const e8k_header *h = &f->header;
    cr_assert_eq(f->dialect, E8K_DIALECT_SEC_DOCUMENT);
    cr_assert_str_eq(h->accession, "0000000042-24-000001");
    cr_assert_str_eq(h->form_type, "8-K");
    cr_assert_str_eq(h->filed, "2024-03-12");
    cr_assert_str_eq(h->period, "2024-03-11");
    cr_assert_eq(h->document_count, 3);
    cr_assert_eq(h->nitems, 2);
    cr_assert_str_eq(h->items[0], "Entry into a Material Definitive Agreement");
    cr_assert_str_eq(h->items[1], "Financial Statements and Exhibits");
    cr_assert_eq(h->nentities, 3);
    assert_entity(f, 0, "filer", "0000000042", "ALPHA HOLDINGS INC");
    assert_entity(f, 1, "filer", "0000000043", "ALPHA POWER CO");
    assert_entity(f, 2, "subject-company", "0000000044", "BETA TARGET CORP");
    cr_assert_eq(h->span.start, at(SEC, "<SEC-HEADER>"));
    cr_assert_eq(h->span.end, after(SEC, "</SEC-HEADER>"));
    cr_assert_eq(f->nwarnings, 0);
    e8k_filing_free(f);
}

Test(submission, sec_document_documents)
{
    char copy[sizeof SEC];
    memcpy(copy, SEC, sizeof SEC);
    e8k_error err;
    e8k_filing *f = read_str(SEC, E8K_OK, &err);
    cr_assert_eq(memcmp(copy, SEC, sizeof SEC), 0, "the buffer is read only");
    cr_assert_eq(f->ndocs, 3);
    cr_assert_eq(f->main_doc, 0);
    const e8k_document *d = &f->docs[0];
    cr_assert_str_eq(d->type, "8-K");
    cr_assert_eq(d->sequence, 1);
    cr_assert_str_eq(d->filename, "a8k.htm");
    cr_assert_str_eq(d->description, "CURRENT REPORT");
    /* lower-case <text> lines inside the HTML body are not SGML tags */
    assert_span(d, after(SEC, "<DESCRIPTION>CURRENT REPORT\n<TEXT>\n"),
                at(SEC, "</TEXT>\n</DOCUMENT>\n<DOCUMENT>\n<TYPE>EX-99.1"));
    cr_assert_eq(d->format, E8K_FORMAT_HTML);
    d = &f->docs[1];
    cr_assert_str_eq(d->type, "EX-99.1");
    cr_assert_eq(d->sequence, 2);
    cr_assert_null(d->description);
    assert_span(d, at(SEC, "Alpha Holdings prices"),
                after(SEC, "Alpha Holdings prices its offering.\n"));
    cr_assert_eq(d->format, E8K_FORMAT_TEXT);
    d = &f->docs[2];
    cr_assert_str_eq(d->type, "GRAPHIC");
    assert_span(d, at(SEC, "begin 644"), after(SEC, "`\nend\n"));
    cr_assert_eq(d->format, E8K_FORMAT_UUENCODED);
    cr_assert_not(e8k_format_has_text(d->format), "a graphic has no text");
    e8k_filing_free(f);
}

Test(submission, wrapper_tags_are_not_content)
{
    const char *s = "<SEC-DOCUMENT>0000000042-24-000002.txt : 20240312\n"
                    "<SEC-HEADER>x\n"
                    "CONFORMED SUBMISSION TYPE:\t8-K\n"
                    "</SEC-HEADER>\n"
                    "<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<TEXT>\n"
                    "<XBRL>\n"
                    "<?xml version='1.0'?>\n"
                    "<html><body>FORM 8-K</body></html>\n"
                    "</XBRL>\n"
                    "</TEXT>\n</DOCUMENT>\n"
                    "<DOCUMENT>\n<TYPE>EX-101.SCH\n<SEQUENCE>2\n<TEXT>\n"
                    "<XML>\n<xs:schema/>\n</XML>\n"
                    "</TEXT>\n</DOCUMENT>\n"
                    "</SEC-DOCUMENT>\n";
    e8k_error err;
    e8k_filing *f = read_str(s, E8K_OK, &err);
    cr_assert_eq(f->ndocs, 2);
    assert_span(&f->docs[0], at(s, "<?xml"), at(s, "</XBRL>"));
    cr_assert_eq(f->docs[0].format, E8K_FORMAT_HTML);
    assert_span(&f->docs[1], at(s, "<xs:schema/>"), at(s, "</XML>"));
    cr_assert_eq(f->docs[1].format, E8K_FORMAT_XML);
    cr_assert_str_eq(f->header.accession, "0000000042-24-000002",
                     "the <SEC-DOCUMENT> line names the accession number");
    e8k_filing_free(f);
}

Test(submission, main_document_is_the_one_carrying_the_form)
{
    const char *s = "<SEC-DOCUMENT>0000000042-24-000003.txt : 20240312\n"
                    "<SEC-HEADER>x\nCONFORMED SUBMISSION TYPE:\t8-K/A\n"
                    "</SEC-HEADER>\n"
                    "<DOCUMENT>\n<TYPE>EX-99.1\n<TEXT>\nrelease\n</TEXT>\n"
                    "</DOCUMENT>\n"
                    "<DOCUMENT>\n<TYPE>8-K/A\n<TEXT>\nreport\n</TEXT>\n"
                    "</DOCUMENT>\n</SEC-DOCUMENT>\n";
    e8k_error err;
    e8k_filing *f = read_str(s, E8K_OK, &err);
    cr_assert_eq(f->main_doc, 1);
    cr_assert_eq(f->docs[0].sequence, 1, "no <SEQUENCE>: position from 1");
    cr_assert_eq(f->docs[1].sequence, 2);
    e8k_filing_free(f);
}

Test(submission, crlf_lines)
{
    const char *s = "<SEC-DOCUMENT>0000000042-24-000004.txt : 20240312\r\n"
                    "<SEC-HEADER>x\r\n"
                    "ACCESSION NUMBER:\t\t0000000042-24-000004\r\n"
                    "CONFORMED SUBMISSION TYPE:\t8-K\r\n"
                    "FILER:\r\n\tCOMPANY DATA:\r\n"
                    "\t\tCOMPANY CONFORMED NAME:\t\t\tGAMMA INC\r\n"
                    "\t\tCENTRAL INDEX KEY:\t\t\t0000000045\r\n"
                    "</SEC-HEADER>\r\n"
                    "<DOCUMENT>\r\n<TYPE>8-K\r\n<SEQUENCE>1\r\n<TEXT>\r\n"
                    "line one\r\nline two\r\n"
                    "</TEXT>\r\n</DOCUMENT>\r\n</SEC-DOCUMENT>\r\n";
    e8k_error err;
    e8k_filing *f = read_str(s, E8K_OK, &err);
    cr_assert_str_eq(f->header.form_type, "8-K", "no CR in values");
    assert_entity(f, 0, "filer", "0000000045", "GAMMA INC");
    cr_assert_eq(f->ndocs, 1);
    assert_span(&f->docs[0], at(s, "line one"), at(s, "</TEXT>"));
    e8k_filing_free(f);
}

Test(submission, missing_container_end_is_a_warning)
{
    const char *s = "<SEC-DOCUMENT>0000000042-24-000005.txt : 20240312\n"
                    "<SEC-HEADER>x\nCONFORMED SUBMISSION TYPE:\t8-K\n"
                    "</SEC-HEADER>\n"
                    "<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nreport\n</TEXT>\n"
                    "</DOCUMENT>\n";
    e8k_error err;
    e8k_filing *f = read_str(s, E8K_OK, &err);
    cr_assert_eq(f->ndocs, 1);
    cr_assert_eq(f->nwarnings, 1);
    cr_assert_not_null(strstr(f->warnings[0].message, "</SEC-DOCUMENT>"),
                       "%s", f->warnings[0].message);
    e8k_filing_free(f);
}

/* ---- Feed .nc ------------------------------------------------------------ */

/* Header lines end in LF, the rest in bare CR, as in real Feed files. */
static const char NC[] =
    "<SUBMISSION>\n"
    "<ACCESSION-NUMBER>0000000050-25-000009\n"
    "<TYPE>SC TO-T/A\n"
    "<PUBLIC-DOCUMENT-COUNT>2\n"
    "<PERIOD>20250106\n"
    "<ITEMS>5.02\n"
    "<ITEMS>9.01\n"
    "<FILING-DATE>20250108\n"
    "<SUBJECT-COMPANY>\n"
    "<COMPANY-DATA>\n"
    "<CONFORMED-NAME>DELTA ENERGY INC\n"
    "<CIK>0000000051\n"
    "<ORGANIZATION-NAME>\n"
    "</COMPANY-DATA>\n"
    "<FILING-VALUES>\n<FORM-TYPE>SC TO-T/A\n</FILING-VALUES>\n"
    "</SUBJECT-COMPANY>\n"
    "<FILED-BY>\n"
    "<COMPANY-DATA>\n"
    "<CONFORMED-NAME>EPSILON PARTNERS L.P.\n"
    "<CIK>0000000052\n"
    "</COMPANY-DATA>\n"
    "<FORMER-COMPANY>\n<FORMER-CONFORMED-NAME>EPSILON OLD LP\n"
    "</FORMER-COMPANY>\n"
    "</FILED-BY>\n"
    "<DOCUMENT>\r<TYPE>SC TO-T/A\r<SEQUENCE>1\r<FILENAME>sc.htm\r<TEXT>\r"
    "<html><body>offer</body></html>\r"
    "</TEXT>\r</DOCUMENT>\r"
    "<DOCUMENT>\r<TYPE>EX-99.(A)(5)(C)\r<SEQUENCE>2\r<TEXT>\r"
    "press release\r"
    "</TEXT>\r</DOCUMENT>\r"
    "</SUBMISSION>\r";

Test(submission, nc_with_bare_cr_lines)
{
    e8k_error err;
    e8k_filing *f = read_str(NC, E8K_OK, &err);
    const e8k_header *h = &f->header;
    cr_assert_eq(f->dialect, E8K_DIALECT_SUBMISSION);
    cr_assert_str_eq(h->accession, "0000000050-25-000009");
    cr_assert_str_eq(h->form_type, "SC TO-T/A");
    cr_assert_eq(h->document_count, 2);
    cr_assert_str_eq(h->period, "2025-01-06");
    cr_assert_str_eq(h->filed, "2025-01-08");
    cr_assert_eq(h->nitems, 2);
    cr_assert_str_eq(h->items[1], "9.01");
    cr_assert_eq(h->nentities, 2);
    assert_entity(f, 0, "subject-company", "0000000051", "DELTA ENERGY INC");
    assert_entity(f, 1, "filed-by", "0000000052", "EPSILON PARTNERS L.P.");
    cr_assert_eq(h->span.start, after(NC, "<SUBMISSION>\n"));
    cr_assert_eq(h->span.end, at(NC, "<DOCUMENT>"));
    cr_assert_eq(f->ndocs, 2);
    cr_assert_str_eq(f->docs[0].filename, "sc.htm");
    assert_span(&f->docs[0], at(NC, "<html>"), at(NC, "</TEXT>"));
    cr_assert_str_eq(f->docs[1].type, "EX-99.(A)(5)(C)");
    assert_span(&f->docs[1], at(NC, "press release"),
                after(NC, "press release\r"));
    cr_assert_eq(f->main_doc, 0);
    cr_assert_eq(f->nwarnings, 0);
    e8k_filing_free(f);
}

/* ---- PEM ----------------------------------------------------------------- */

#define PEM_HEAD                                                          \
    "-----BEGIN PRIVACY-ENHANCED MESSAGE-----\n"                          \
    "Proc-Type: 2001,MIC-CLEAR\n"                                         \
    "Originator-Name: webmaster@www.sec.gov\n"                            \
    "MIC-Info: RSA-MD5,RSA,\n"                                            \
    " AbCdEfGhIjKlMnOpQrStUvWxYz0123456789==\n"                           \
    "\n"

static const char PEM_IMS[] =
    PEM_HEAD
    "<IMS-DOCUMENT>0000000060-94-000001.txt : 19940822\n"
    "<IMS-HEADER>0000000060-94-000001.hdr.sgml : 19940822\n"
    "ACCESSION NUMBER:\t\t0000000060-94-000001\n"
    "CONFORMED SUBMISSION TYPE:\t8-K\n"
    "PUBLIC DOCUMENT COUNT:\t\t2\n"
    "ITEM INFORMATION:\t\tOther events\n"
    "FILED AS OF DATE:\t\t19940817\n"
    "\n"
    "FILER:\n"
    "\n"
    "\tCOMPANY DATA:\t\n"
    "\t\tCOMPANY CONFORMED NAME:\t\t\tZETA PAPER CORP\n"
    "\t\tCENTRAL INDEX KEY:\t\t\t0000000060\n"
    "</IMS-HEADER>\n"
    "<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<DESCRIPTION>ZPC 8-K\n<TEXT>\n"
    "\n<PAGE>\n  Item 5. Other events.\n"
    "</TEXT>\n</DOCUMENT>\n"
    "<DOCUMENT>\n<TYPE>EX-99\n<SEQUENCE>2\n<TEXT>\n"
    "  press release\n"
    "</TEXT>\n</DOCUMENT>\n"
    "</IMS-DOCUMENT>\n"
    "-----END PRIVACY-ENHANCED MESSAGE-----\n";

Test(submission, pem_wrapped_ims_document)
{
    e8k_error err;
    e8k_filing *f = read_str(PEM_IMS, E8K_OK, &err);
    cr_assert_eq(f->dialect, E8K_DIALECT_PEM);
    cr_assert_str_eq(f->header.accession, "0000000060-94-000001");
    cr_assert_str_eq(f->header.filed, "1994-08-17");
    cr_assert_null(f->header.period);
    cr_assert_eq(f->header.nitems, 1);
    cr_assert_str_eq(f->header.items[0], "Other events");
    assert_entity(f, 0, "filer", "0000000060", "ZETA PAPER CORP");
    cr_assert_eq(f->header.span.start, at(PEM_IMS, "<IMS-HEADER>"));
    cr_assert_eq(f->header.span.end, after(PEM_IMS, "</IMS-HEADER>"));
    cr_assert_eq(f->ndocs, 2);
    assert_span(&f->docs[0], after(PEM_IMS, "ZPC 8-K\n<TEXT>\n"),
                after(PEM_IMS, "Other events.\n"));
    cr_assert_str_eq(f->docs[1].type, "EX-99");
    cr_assert_eq(f->nwarnings, 0);
    e8k_filing_free(f);
}

Test(submission, pem_wrapped_sec_document_without_end_line)
{
    const char s[] = PEM_HEAD
        "<SEC-DOCUMENT>0000000061-99-000001.txt : 19990908\n"
        "<SEC-HEADER>0000000061-99-000001.hdr.sgml : 19990908\n"
        "ACCESSION NUMBER:\t\t0000000061-99-000001\n"
        "CONFORMED SUBMISSION TYPE:\t8-K\n"
        "PUBLIC DOCUMENT COUNT:\t\t1\n"
        "ITEM INFORMATION:\t\t\n"
        "</SEC-HEADER>\n"
        "<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nreport\n</TEXT>\n</DOCUMENT>\n"
        "</SEC-DOCUMENT>\n";
    e8k_error err;
    e8k_filing *f = read_str(s, E8K_OK, &err);
    cr_assert_eq(f->dialect, E8K_DIALECT_PEM);
    cr_assert_eq(f->header.nitems, 0, "an empty ITEM INFORMATION is no item");
    cr_assert_eq(f->ndocs, 1);
    cr_assert_eq(f->nwarnings, 1, "a PEM block without its END line");
    cr_assert_not_null(strstr(f->warnings[0].message, "END PRIVACY"));
    e8k_filing_free(f);
}

/* ---- a lone <DOCUMENT> --------------------------------------------------- */

Test(submission, lone_document)
{
    const char *s = "\n<DOCUMENT>\n<TYPE>EX-99.1\n<SEQUENCE>2\n"
                    "<FILENAME>ex99.htm\n<TEXT>\n"
                    "<HTML><BODY>Exhibit 99.1</BODY></HTML>\n"
                    "</TEXT>\n</DOCUMENT>\n";
    e8k_error err;
    e8k_filing *f = read_str(s, E8K_OK, &err);
    cr_assert_eq(f->dialect, E8K_DIALECT_DOCUMENT);
    cr_assert_eq(f->ndocs, 1);
    cr_assert_str_eq(f->docs[0].type, "EX-99.1");
    cr_assert_eq(f->docs[0].sequence, 2);
    assert_span(&f->docs[0], 64, 103); /* counted by hand */
    assert_span(&f->docs[0], at(s, "<HTML>"), at(s, "</TEXT>"));
    cr_assert_eq(f->main_doc, 0);
    cr_assert_null(f->header.form_type);
    cr_assert_eq(f->header.document_count, -1);
    e8k_filing_free(f);
}

Test(submission, document_cut_before_its_document_tag)
{
    const char *s = "<TYPE>EX-99.1\n<SEQUENCE>2\n<TEXT>\nrelease\n"
                    "</TEXT>\n</DOCUMENT>\n";
    e8k_error err;
    e8k_filing *f = read_str(s, E8K_OK, &err);
    cr_assert_eq(f->dialect, E8K_DIALECT_DOCUMENT);
    cr_assert_eq(f->ndocs, 1);
    assert_span(&f->docs[0], at(s, "release"), at(s, "</TEXT>"));
    cr_assert_eq(f->nwarnings, 1);
    e8k_filing_free(f);
}

/* ---- bare HTML ----------------------------------------------------------- */

Test(submission, bare_html_is_one_document)
{
    const char *s =
        "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<!DOCTYPE html>\n<!-- generated -->\n"
        "<html><head><title>FORM 10-K</title></head><body>\n"
        "<div style=\"display:none\"><ix:header><ix:hidden>FORM 10-Q"
        "</ix:hidden></ix:header></div>\n"
        "<p>UNITED STATES</p>\n"
        "<p><b>FORM</b>&nbsp;<span>8-K</span></p>\n"
        "<p>Exhibit 99.1</p>\n<p>press release</p>\n"
        "</body></html>\n";
    e8k_error err;
    e8k_filing *f = read_str(s, E8K_OK, &err);
    cr_assert_eq(f->dialect, E8K_DIALECT_HTML);
    cr_assert_eq(f->ndocs, 1, "HTML is not split at exhibit headings");
    cr_assert_str_eq(f->docs[0].type, "8-K",
                     "the visible cover, not the title or hidden facts");
    assert_span(&f->docs[0], 0, strlen(s));
    cr_assert_eq(f->docs[0].format, E8K_FORMAT_HTML);
    cr_assert_eq(f->main_doc, 0);
    e8k_filing_free(f);
}

Test(submission, bare_html_exhibit_and_unknown)
{
    const char *ex = "<HTML><BODY><P ALIGN=right><FONT>Exhibit\n99.1</FONT></P>"
                     "<P>Form 8-K was filed today.</P></BODY></HTML>\n";
    e8k_error err;
    e8k_filing *f = read_str(ex, E8K_OK, &err);
    cr_assert_str_eq(f->docs[0].type, "EX-99.1");
    e8k_filing_free(f);
    const char *none = "<html><body><p>Dear shareholder,</p></body></html>";
    f = read_str(none, E8K_OK, &err);
    cr_assert_eq(f->dialect, E8K_DIALECT_HTML);
    cr_assert_str_eq(f->docs[0].type, "UNKNOWN");
    e8k_filing_free(f);
}

/* ---- plain text ---------------------------------------------------------- */

static const char PLAIN[] =
    "  UNITED STATES\n"
    "FORM 10-Q\n"
    "Item 1. Entry. A copy of the warrant is attached hereto as\n"
    "Exhibit 4.1.\n"
    "Exhibit 4.1 Form of Warrant.\n"
    "\n"
    "Exhibit 3(i)\n"
    "Articles of incorporation; see Exhibit A.\n"
    " Exhibit A\n"
    "\n"
    "\t EXHIBIT 4.1  \r\n"
    "Form of Warrant\n"
    "EXHIBIT 99\n"
    "press release\n";

Test(submission, plain_text_exhibit_headings)
{
    e8k_error err;
    e8k_filing *f = read_str(PLAIN, E8K_OK, &err);
    cr_assert_eq(f->dialect, E8K_DIALECT_TEXT);
    cr_assert_eq(f->ndocs, 4);
    cr_assert_str_eq(f->docs[0].type, "10-Q");
    assert_span(&f->docs[0], 0, at(PLAIN, "Exhibit 3(i)"));
    cr_assert_str_eq(f->docs[1].type, "EX-3(i)");
    assert_span(&f->docs[1], at(PLAIN, "Exhibit 3(i)"),
                at(PLAIN, "\t EXHIBIT 4.1"));
    cr_assert_str_eq(f->docs[2].type, "EX-4.1");
    assert_span(&f->docs[2], at(PLAIN, "\t EXHIBIT 4.1"),
                at(PLAIN, "EXHIBIT 99"));
    cr_assert_str_eq(f->docs[3].type, "EX-99");
    assert_span(&f->docs[3], at(PLAIN, "EXHIBIT 99"), strlen(PLAIN));
    for (size_t i = 0; i < f->ndocs; i++) {
        cr_assert_eq(f->docs[i].sequence, (int)i + 1);
        cr_assert_eq(f->docs[i].format, E8K_FORMAT_TEXT);
    }
    cr_assert_eq(f->main_doc, 0);
    e8k_filing_free(f);
}

Test(submission, plain_text_without_form_or_exhibits)
{
    const char *s = "Form of Warrant\n\nThe holder may exercise.\n";
    e8k_error err;
    e8k_filing *f = read_str(s, E8K_OK, &err);
    cr_assert_eq(f->ndocs, 1);
    cr_assert_str_eq(f->docs[0].type, "UNKNOWN");
    assert_span(&f->docs[0], 0, strlen(s));
    e8k_filing_free(f);
    /* a text that opens with an exhibit has no empty main document */
    const char *ex = "\n  EXHIBIT 99.1\nFOR IMMEDIATE RELEASE\n";
    f = read_str(ex, E8K_OK, &err);
    cr_assert_eq(f->ndocs, 1);
    cr_assert_str_eq(f->docs[0].type, "EX-99.1");
    assert_span(&f->docs[0], 1, strlen(ex));
    e8k_filing_free(f);
    /* EDGAR's own upper-case <PAGE> is not HTML */
    f = read_str("<PAGE>\nFORM 8-K\n", E8K_OK, &err);
    cr_assert_eq(f->dialect, E8K_DIALECT_TEXT);
    cr_assert_str_eq(f->docs[0].type, "8-K");
    e8k_filing_free(f);
}

/* ---- errors -------------------------------------------------------------- */

static void assert_error(const char *name, const char *buf, size_t len,
                         e8k_status want, size_t offset, const char *words)
{
    e8k_error err;
    e8k_filing *f = read_as(name, buf, len, want, &err);
    cr_assert_eq(err.offset, offset, "%s: error at byte %zu, expected %zu (%s)",
                 name, err.offset, offset, err.message);
    cr_assert_str_eq(err.file, name);
    cr_assert_not_null(strstr(err.message, words), "%s: \"%s\" lacks \"%s\"",
                       name, err.message, words);
    e8k_filing_free(f);
}

Test(submission, empty_and_binary_inputs)
{
    assert_error("empty", "", 0, E8K_ERR_EMPTY, 0, "no bytes");
    assert_error("blank", " \r\n\t\n", 5, E8K_ERR_EMPTY, 0, "white space");
    assert_error("gz", "\x1f\x8b\x08\0\0\0", 6, E8K_ERR_BINARY, 0, "gzip");
    assert_error("zip", "PK\x03\x04\x14\0", 6, E8K_ERR_BINARY, 0, "zip");
    assert_error("pdf", "%PDF-1.4\n", 9, E8K_ERR_BINARY, 0, "PDF");
    assert_error("nul", "FORM 8-K\n\0\0\0", 12, E8K_ERR_BINARY, 9, "NUL");
}

Test(submission, nul_bytes_past_the_sniffed_prefix_or_in_sgml_are_read)
{
    size_t n = 70000;
    char *buf = malloc(n);
    memset(buf, 'a', n);
    buf[n - 1] = '\n';
    buf[n - 10] = '\0';
    e8k_error err;
    e8k_filing *f = read_as("late-nul", buf, n, E8K_OK, &err);
    cr_assert_eq(f->dialect, E8K_DIALECT_TEXT);
    e8k_filing_free(f);
    free(buf);
    const char sgml[] = "<DOCUMENT>\n<TYPE>GRAPHIC\n<TEXT>\nab\0cd\n</TEXT>\n"
                        "</DOCUMENT>\n";
    f = read_as("sgml-nul", sgml, sizeof sgml - 1, E8K_OK, &err);
    cr_assert_eq(f->ndocs, 1);
    e8k_filing_free(f);
}

Test(submission, unclosed_structures_are_truncated)
{
    const char *doc = "<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nbody\n</TEXT>\n";
    assert_error("doc", doc, strlen(doc), E8K_ERR_TRUNCATED, 0,
                 "<DOCUMENT> opened at byte 0 is never closed");
    const char *meta = "\n\n<DOCUMENT>\n<TYPE>8-K\n";
    assert_error("meta", meta, strlen(meta), E8K_ERR_TRUNCATED, 2,
                 "<DOCUMENT> opened at byte 2");
    const char *text = "<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nbody\n";
    assert_error("text", text, strlen(text), E8K_ERR_TRUNCATED, 21,
                 "<TEXT> opened at byte 21");
    const char *hdr = "<SEC-DOCUMENT>1.txt\n<SEC-HEADER>1.hdr.sgml\n"
                      "ACCESSION NUMBER:\t1\n<DOCUMENT>\n<TYPE>8-K\n<TEXT>\n"
                      "x\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n";
    assert_error("hdr", hdr, strlen(hdr), E8K_ERR_TRUNCATED, 20,
                 "<SEC-HEADER> opened at byte 20");
}

Test(submission, misnested_tags_are_malformed)
{
    const char *inner = "<DOCUMENT>\n<TYPE>8-K\n<DOCUMENT>\n<TYPE>EX-1\n";
    assert_error("inner", inner, strlen(inner), E8K_ERR_MALFORMED, 21,
                 "<DOCUMENT> inside the <DOCUMENT> opened at byte 0");
    const char *body = "<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nx\n<DOCUMENT>\n"
                       "<TYPE>EX-1\n<TEXT>\ny\n</TEXT>\n</DOCUMENT>\n";
    assert_error("body", body, strlen(body), E8K_ERR_MALFORMED, 30,
                 "<DOCUMENT> inside the <DOCUMENT> opened at byte 0");
    const char *stray = "<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nx\n</TEXT>\n"
                        "</DOCUMENT>\n</TEXT>\n";
    assert_error("stray", stray, strlen(stray), E8K_ERR_MALFORMED, 50,
                 "</TEXT> with no open <TEXT>");
    const char *notext = "<DOCUMENT>\n<TYPE>8-K\n</TEXT>\n</DOCUMENT>\n";
    assert_error("notext", notext, strlen(notext), E8K_ERR_MALFORMED, 21,
                 "</TEXT> with no open <TEXT>");
    const char *early = "<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nx\n</DOCUMENT>\n"
                        "</TEXT>\n";
    e8k_error err;
    e8k_filing *f = read_as("early", early, strlen(early), E8K_ERR_MALFORMED,
                            &err);
    cr_assert_eq(err.offset, 30);
    cr_assert_eq(err.line, 5);
    cr_assert_not_null(strstr(err.message, "</DOCUMENT> before the </TEXT>"));
    e8k_filing_free(f);
}

/* ---- limits -------------------------------------------------------------- */

Test(submission, header_size_limit)
{
    size_t fill = E8K_MAX_HEADER_SIZE + 10;
    char *buf = malloc(fill + 200);
    size_t n = (size_t)sprintf(buf, "<SEC-DOCUMENT>1.txt\n<SEC-HEADER>x\n");
    memset(buf + n, '\n', fill);
    n += fill;
    n += (size_t)sprintf(buf + n, "</SEC-HEADER>\n</SEC-DOCUMENT>\n");
    e8k_error err;
    e8k_filing *f = read_as("big-header", buf, n, E8K_ERR_LIMIT, &err);
    cr_assert_eq(err.offset, 20);
    cr_assert_not_null(strstr(err.message, "E8K_MAX_HEADER_SIZE"));
    e8k_filing_free(f);
    free(buf);
}

Test(submission, document_limit)
{
    static const char one[] = "<DOCUMENT>\n<TYPE>EX-1\n<TEXT>\n</TEXT>\n"
                              "</DOCUMENT>\n";
    size_t k = sizeof one - 1, count = E8K_MAX_DOCUMENTS + 1;
    char *buf = malloc(k * count);
    for (size_t i = 0; i < count; i++)
        memcpy(buf + i * k, one, k);
    e8k_error err;
    e8k_filing *f = read_as("many-docs", buf, k * count, E8K_ERR_LIMIT, &err);
    cr_assert_eq(err.offset, k * E8K_MAX_DOCUMENTS,
                 "the document past the limit");
    cr_assert_not_null(strstr(err.message, "E8K_MAX_DOCUMENTS"));
    e8k_filing_free(f);
    f = read_as("max-docs", buf, k * E8K_MAX_DOCUMENTS, E8K_OK, &err);
    cr_assert_eq(f->ndocs, E8K_MAX_DOCUMENTS);
    e8k_filing_free(f);
    free(buf);
}

static char *header_with(const char *line, size_t count, size_t *len)
{
    size_t k = strlen(line);
    char *buf = malloc(k * count + 100);
    size_t n = (size_t)sprintf(buf, "<SUBMISSION>\n");
    for (size_t i = 0; i < count; i++, n += k)
        memcpy(buf + n, line, k);
    n += (size_t)sprintf(buf + n, "</SUBMISSION>\n");
    *len = n;
    return buf;
}

Test(submission, entity_and_item_limits)
{
    size_t n;
    e8k_error err;
    char *buf = header_with("<FILER>\n<COMPANY-DATA>\n<CIK>1\n</COMPANY-DATA>\n"
                            "</FILER>\n", E8K_MAX_HEADER_ENTITIES + 1, &n);
    e8k_filing *f = read_as("many-filers", buf, n, E8K_ERR_LIMIT, &err);
    cr_assert_not_null(strstr(err.message, "E8K_MAX_HEADER_ENTITIES"));
    e8k_filing_free(f);
    free(buf);
    buf = header_with("<ITEMS>8.01\n", E8K_MAX_HEADER_ITEMS + 1, &n);
    f = read_as("many-items", buf, n, E8K_ERR_LIMIT, &err);
    cr_assert_not_null(strstr(err.message, "E8K_MAX_HEADER_ITEMS"));
    e8k_filing_free(f);
    free(buf);
    buf = header_with("<ITEMS>8.01\n", E8K_MAX_HEADER_ITEMS, &n);
    f = read_as("max-items", buf, n, E8K_OK, &err);
    cr_assert_eq(f->header.nitems, E8K_MAX_HEADER_ITEMS);
    e8k_filing_free(f);
    free(buf);
}

/* ---- files: fixtures, the seed, the corpus ------------------------------- */

static const char *root(void)
{
    const char *r = getenv("E8K_ROOT");
    return r && *r ? r : ".";
}

static e8k_filing *read_file(const char *path, char **buf, e8k_error *err,
                             e8k_status *status)
{
    size_t len = 0;
    *buf = NULL;
    e8k_status s = e8k_file_load(path, buf, &len, err);
    cr_assert_eq(s, E8K_OK, "%s: %s", path, err->message);
    e8k_filing *f = e8k_filing_new(path);
    f->buf = *buf;
    f->len = len;
    *status = e8k_submission_read(f, err);
    return f;
}

Test(submission, fixtures_read_as_named)
{
    static const struct {
        const char *dir;
        e8k_status status;
        e8k_dialect dialect;
        size_t ndocs;
    } cases[] = {
        {"parse-sec-document/input.txt", E8K_OK, E8K_DIALECT_SEC_DOCUMENT, 2},
        {"parse-nc-cr/input.nc", E8K_OK, E8K_DIALECT_SUBMISSION, 2},
        {"parse-pem/input.txt", E8K_OK, E8K_DIALECT_PEM, 2},
        {"parse-lone-document/input.htm", E8K_OK, E8K_DIALECT_DOCUMENT, 1},
        {"parse-bare-html/input.htm", E8K_OK, E8K_DIALECT_HTML, 1},
        {"parse-plain-text/input.txt", E8K_OK, E8K_DIALECT_TEXT, 3},
        {"error-empty/input.txt", E8K_ERR_EMPTY, 0, 0},
        {"error-binary/input.gz", E8K_ERR_BINARY, 0, 0},
        {"error-truncated/input.txt", E8K_ERR_TRUNCATED, 0, 0},
        {"error-misnested/input.txt", E8K_ERR_MALFORMED, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[1024], *buf;
        e8k_error err;
        e8k_status s;
        snprintf(path, sizeof path, "%s/fixtures/%s", root(), cases[i].dir);
        e8k_filing *f = read_file(path, &buf, &err, &s);
        cr_assert_eq(s, cases[i].status, "%s: %s", path, err.message);
        if (s == E8K_OK) {
            cr_assert_eq(f->dialect, cases[i].dialect, "%s", path);
            cr_assert_eq(f->ndocs, cases[i].ndocs, "%s", path);
            cr_assert_eq(f->nwarnings, 0, "%s: %s", path,
                         f->nwarnings ? f->warnings[0].message : "");
        }
        e8k_filing_free(f);
        free(buf);
    }
}

static int shared_dir(char *out, size_t cap, const char *sub)
{
    struct stat st;
    snprintf(out, cap, "%s/../shared%s", root(), sub);
    return stat(out, &st) == 0 && S_ISDIR(st.st_mode);
}

Test(submission, seed_exhibits_and_their_spans)
{
    char path[1024], *buf;
    if (!shared_dir(path, sizeof path, "/seeds"))
        cr_skip_test("../shared absent: %s", path);
    strcat(path, "/capstone-8k-2007-01-18.txt");
    e8k_error err;
    e8k_status s;
    e8k_filing *f = read_file(path, &buf, &err, &s);
    cr_assert_eq(s, E8K_OK, "%s", err.message);
    /* Offsets computed with
     *   grep -b -n -i -E '^[[:space:]]*exhibit[[:space:]]+[0-9][0-9.()a-z]*'\
     *        '[[:space:]]*$' capstone-8k-2007-01-18.txt
     * (which also lists line 30, "Exhibit 4.1.", a sentence end) and
     * wc -c for the end (195874). */
    static const struct {
        const char *type;
        size_t start, end;
    } want[] = {
        {"8-K", 0, 6806},             {"EX-1.1", 6806, 123127},
        {"EX-4.1", 123127, 165151},   {"EX-5.3", 165151, 168131},
        {"EX-10.1", 168131, 187006},  {"EX-99.1", 187006, 191068},
        {"EX-99.2", 191068, 195874},
    };
    cr_assert_eq(f->dialect, E8K_DIALECT_TEXT);
    cr_assert_eq(f->ndocs, 7, "the main document and six exhibits");
    for (size_t i = 0; i < 7; i++) {
        cr_assert_str_eq(f->docs[i].type, want[i].type);
        assert_span(&f->docs[i], want[i].start, want[i].end);
    }
    cr_assert_eq(f->main_doc, 0);
    e8k_filing_free(f);
    free(buf);
}

typedef struct corpus_stats {
    size_t files, counted, viewer;
} corpus_stats;

/* PUBLIC DOCUMENT COUNT is fixed when EDGAR accepts a filing; the
 * dissemination file then gains and loses SEC-generated XBRL viewer files
 * (R1.htm, Show.js, report.css, FilingSummary.xml, MetaLinks.json, the
 * -xbrl.zip, Financial_Report.xlsx) whose sequence numbers show the gaps.
 * With those present the count can exceed what the file holds; it never
 * exceeds the highest sequence number. */
static void check_count(const e8k_filing *f, const char *path,
                        corpus_stats *st)
{
    long want = f->header.document_count;
    if (want < 0)
        return;
    st->counted++;
    int viewer = 0, maxseq = 0;
    for (size_t i = 0; i < f->ndocs; i++) {
        const char *fn = f->docs[i].filename;
        viewer |= fn && strcmp(fn, "FilingSummary.xml") == 0;
        if (f->docs[i].sequence > maxseq)
            maxseq = f->docs[i].sequence;
    }
    if (!viewer || (long)f->ndocs == want) {
        cr_expect_eq((long)f->ndocs, want, "%s: %zu documents, header says %ld",
                     path, f->ndocs, want);
        return;
    }
    st->viewer++;
    cr_expect((long)f->ndocs < want && want <= maxseq,
              "%s: %zu documents, header says %ld, highest sequence %d", path,
              f->ndocs, want, maxseq);
}

static void walk(const char *dir, int html, corpus_stats *st)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048], *buf;
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            walk(path, html, st);
            continue;
        }
        e8k_error err;
        e8k_status s;
        e8k_filing *f = read_file(path, &buf, &err, &s);
        st->files++;
        cr_expect_eq(s, E8K_OK, "%s: %s at byte %zu: %s", path,
                     e8k_status_string(s), err.offset, err.message);
        if (s == E8K_OK && html)
            cr_expect_eq(f->ndocs, 1, "%s: a single document", path);
        if (s == E8K_OK)
            check_count(f, path, st);
        e8k_filing_free(f);
        free(buf);
    }
    closedir(d);
}

Test(submission, corpus_reads_and_counts_agree, .timeout = 120)
{
    char sub[1024], html[1024], seeds[1024];
    if (!shared_dir(sub, sizeof sub, "/corpus/submissions") ||
        !shared_dir(html, sizeof html, "/corpus/html") ||
        !shared_dir(seeds, sizeof seeds, "/seeds"))
        cr_skip_test("../shared absent: %s/../shared", root());
    corpus_stats st = {0, 0, 0};
    walk(sub, 0, &st);
    walk(html, 1, &st);
    walk(seeds, 0, &st);
    cr_assert_gt(st.files, 500, "the corpus holds ~600 files, read %zu",
                 st.files);
    cr_assert_gt(st.counted, 100, "%zu files state a document count",
                 st.counted);
    cr_log_info("corpus: %zu files, %zu with a document count, %zu of them "
                "short by SEC-generated XBRL viewer files",
                st.files, st.counted, st.viewer);
}
