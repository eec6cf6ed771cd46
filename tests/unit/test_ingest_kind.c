/* SPDX-License-Identifier: MIT */
/* test_ingest_kind.c: what ingest takes for no filing (index pages and
 * listings, JSON, feeds, headers without documents, files named as data)
 * and what it keeps (submissions, lone documents, plain text), and the
 * accession a path names in the layouts filings are kept in. */
#include "ingest_int.h"

#include <criterion/criterion.h>
#include <string.h>

static const char *kind(const char *s)
{
    return e8k_ingest_not_filing(s, strlen(s));
}

Test(ingest_kind, no_filings_by_content)
{
    cr_assert_str_eq(kind("  {\"cik\": 1}"), "JSON document");
    cr_assert_str_eq(kind("\xEF\xBB\xBF[1, 2]"), "JSON document");
    cr_assert_str_eq(kind("Description:           Master Index of EDGAR\n"),
                     "EDGAR index listing");
    cr_assert_str_eq(kind("Form Type   Company\nLast Data Received:    "
                          "March 31, 2021\n"), "EDGAR index listing");
    cr_assert_str_eq(kind("<!DOCTYPE html><html><head><TITLE>EDGAR Filing "
                          "Documents for 0000019617-26-000241</TITLE>"),
                     "EDGAR index page");
    cr_assert_str_eq(kind("<HTML><HEAD><TITLE>SEC EDGAR Submission "
                          "0001971857-23-000246</TITLE>\n<!--\n<SEC-HEADER>"),
                     "EDGAR index page");
    cr_assert_str_eq(kind("<?xml version=\"1.0\"?>\n<feed xmlns=\"a\">"),
                     "Atom feed");
    cr_assert_str_eq(kind("\n<ACCEPTANCE-DATETIME>20240313150033\n"
                          "ACCESSION NUMBER:\t\t0001-24-1\n"),
                     "SEC header without documents");
    cr_assert_str_eq(kind("<SEC-HEADER>x.hdr.sgml : 20240607\n</SEC-HEADER>"),
                     "SEC header without documents");
}

Test(ingest_kind, filings_are_kept)
{
    cr_assert_null(kind("<SEC-DOCUMENT>a.txt : 2007\n<SEC-HEADER>\n"
                        "</SEC-HEADER>\n<DOCUMENT>\n<TYPE>8-K\n"));
    cr_assert_null(kind("<SUBMISSION>\n<DOCUMENT>\n<TYPE>8-K\n"));
    cr_assert_null(kind("<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nItem 8.01"));
    cr_assert_null(kind("<html><head><title>8-K</title></head><body>Item "
                        "1.01 Entry into a Material Definitive Agreement"));
    cr_assert_null(kind("UNITED STATES SECURITIES AND EXCHANGE COMMISSION\n"
                        "FORM 8-K\nDescription: of the offering"));
    cr_assert_null(kind(""));
}

Test(ingest_kind, names)
{
    cr_assert_null(e8k_ingest_name_kind("a/b/0001-24-1.txt"));
    cr_assert_null(e8k_ingest_name_kind("x.NC"));
    cr_assert_null(e8k_ingest_name_kind("primary-document.HTML"));
    cr_assert_str_eq(e8k_ingest_name_kind("CIK0000320193.json"),
                     "JSON document");
    cr_assert_str_eq(e8k_ingest_name_kind("form.20200318.idx"),
                     "EDGAR index listing");
    cr_assert_str_eq(e8k_ingest_name_kind("README.md"),
                     "file not named as a filing");
    cr_assert(e8k_ingest_is_tarball("20070119.nc.tar.gz"));
    cr_assert(e8k_ingest_is_tarball("x.TGZ"));
    cr_assert(!e8k_ingest_is_tarball("x.txt"));
}

static void acc(const char *path, const char *want)
{
    char out[21] = "untouched";
    int got = e8k_ingest_path_accession(path, out);
    if (!want) {
        cr_assert_eq(got, 0, "%s: found %s", path, out);
        return;
    }
    cr_assert_eq(got, 1, "%s: none found", path);
    cr_assert_str_eq(out, want, "%s", path);
}

Test(ingest_kind, accession_from_path)
{
    /* sec-edgar-downloader: the folder */
    acc("sec-edgar-filings/AAPL/8-K/0000320193-20-000096/primary-document.html",
        "0000320193-20-000096");
    /* EDGAR's archive: an 18-digit folder */
    acc("Archives/edgar/data/320193/000032019320000096/a8-k.htm",
        "0000320193-20-000096");
    /* the fetch store, and a file named by its accession */
    acc("store/1000003/000119312524000101/0001193125-24-000101.txt",
        "0001193125-24-000101");
    acc("html/8-K_LGandE-KU_0001104659-03-004925.html", "0001104659-03-004925");
    /* the file's own name before its folder's */
    acc("0000000001-20-000001/0000000002-21-000002.htm", "0000000002-21-000002");
    /* not inside a longer run of digits, not an 18-digit file name */
    acc("x/10000320193-20-000096.htm", NULL);
    acc("x/0000320193-20-0000961.htm", NULL);
    acc("000032019320000096.htm", NULL);
    acc("filings/8-K/primary-document.html", NULL);
}
