/* test_items.c: the 8-K item scanner. Synthetic texts pin each tolerance
 * (punctuation, spacing, table cells, split headings, lists, both
 * numberings) and each refusal (citations, wrapped sentences, repeats,
 * order, contents lists); real filings of the shared corpus, parsed through
 * the public API, must yield the headings written down in items_expect.h. */
#include "internal.h"
#include "items_expect.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static e8k_item_mark marks[E8K_MAX_ITEMS];

static size_t scan(const char *text)
{
    return e8k_items_scan(text, strlen(text), marks, E8K_MAX_ITEMS);
}

/* The numbers found, space-separated, so a failure shows the whole list. */
static const char *numbers_of(const char *text)
{
    static char out[512];
    size_t n = scan(text), k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && k + 10 < sizeof out; i++)
        k += (size_t)snprintf(out + k, sizeof out - k, "%s%s", i ? " " : "",
                              marks[i].number);
    return out;
}

static const char *title_of(const char *text, size_t i)
{
    static char out[512];
    size_t n = marks[i].title_end - marks[i].title_start;
    if (n >= sizeof out)
        n = sizeof out - 1;
    memcpy(out, text + marks[i].title_start, n);
    out[n] = '\0';
    return out;
}

#define EXPECT_ITEMS(text, want) \
    cr_assert_str_eq(numbers_of(text), want, "in:\n%s", text)

/* ---- Headings and their parts -------------------------------------------- */

Test(items, new_numbering_with_spans_and_titles)
{
    const char *t = "FORM 8-K\n\n"
                    "Item 2.02 Results of Operations and Financial Condition.\n\n"
                    "On May 1, 2024 the Company reported.\n\n"
                    "Item 9.01 Financial Statements and Exhibits.\n\n"
                    "(d) Exhibits\n";
    cr_assert_eq(scan(t), 2);
    cr_assert_str_eq(marks[0].number, "2.02");
    cr_assert_eq(marks[0].start, (size_t)(strstr(t, "Item 2.02") - t));
    cr_assert_eq(marks[0].end, (size_t)(strstr(t, "Item 9.01") - t));
    cr_assert_str_eq(title_of(t, 0),
                     "Results of Operations and Financial Condition");
    cr_assert_str_eq(marks[1].number, "9.01");
    cr_assert_eq(marks[1].end, strlen(t), "the last item runs to the end");
    cr_assert_str_eq(title_of(t, 1), "Financial Statements and Exhibits");
}

Test(items, old_numbering)
{
    const char *t = "Item 5. Other Events\n\nThe Company did things.\n\n"
                    "ITEM 7. FINANCIAL STATEMENTS AND EXHIBITS\n\n(c) 99.1\n";
    EXPECT_ITEMS(t, "5 7");
    cr_assert_str_eq(title_of(t, 0), "Other Events");
    cr_assert_str_eq(title_of(t, 1), "FINANCIAL STATEMENTS AND EXHIBITS");
}

Test(items, old_numbering_up_to_twelve)
{
    EXPECT_ITEMS("Item 7. Exhibits\n\n99.1 Release\n\n"
                 "Item 12. Results of Operations and Financial Condition\n\n"
                 "Text.\n",
                 "7 12");
}

Test(items, punctuation_after_the_number)
{
    const char *t = "ITEM 1.01. ENTRY INTO A MATERIAL DEFINITIVE AGREEMENT.\n\n"
                    "Text one.\n\n"
                    "Item 2.03: Creation of a Direct Financial Obligation\n\n"
                    "Text two.\n\n"
                    "Item 3.02 - Unregistered Sales of Equity Securities\n\n"
                    "Text three.\n\n"
                    "Item 8.01 -- Other Events\n\nText four.\n\n"
                    "Item 9.01.\tFinancial Statements and Exhibits\n";
    EXPECT_ITEMS(t, "1.01 2.03 3.02 8.01 9.01");
    cr_assert_str_eq(title_of(t, 0), "ENTRY INTO A MATERIAL DEFINITIVE AGREEMENT");
    cr_assert_str_eq(title_of(t, 1), "Creation of a Direct Financial Obligation");
    cr_assert_str_eq(title_of(t, 2), "Unregistered Sales of Equity Securities");
    cr_assert_str_eq(title_of(t, 3), "Other Events");
    cr_assert_str_eq(title_of(t, 4), "Financial Statements and Exhibits");
}

Test(items, old_style_punctuation)
{
    EXPECT_ITEMS("ITEM 4: CHANGE IN REGISTRANT'S CERTIFYING ACCOUNTANT\n\nx.\n\n"
                 "ITEM 5 -- OTHER EVENTS\n\nx.\n\n"
                 "Item 7(c). Exhibits\n\n99 Release\n",
                 "4 5 7");
}

Test(items, space_inside_the_number)
{
    const char *t = "Item 2. 02 Results of Operations and Financial Condition\n\n"
                    "Text.\n";
    EXPECT_ITEMS(t, "2.02");
    cr_assert_str_eq(title_of(t, 0),
                     "Results of Operations and Financial Condition");
}

Test(items, extra_and_unusual_spaces)
{
    /* tabs, runs of spaces, a missing space, a thin space (U+2009) and a
     * no-break space (U+00A0) between "Item" and the number */
    EXPECT_ITEMS("  Item   1.01    Entry into a Material Definitive Agreement\n\n"
                 "x.\n\nItem\t2.01 Completion of Acquisition or Disposition\n\n"
                 "x.\n\nItem5.02 Departure of Directors\n\nx.\n\n"
                 "Item\xe2\x80\x89" "8.01 Other Events\n\nx.\n\n"
                 "Item\xc2\xa0" "9.01 Financial Statements and Exhibits\n",
                 "1.01 2.01 5.02 8.01 9.01");
    EXPECT_ITEMS("Item5.    Other Events.\n\nx.\n\nItem7.    Exhibits.\n", "5 7");
}

Test(items, heading_in_a_table_row)
{
    const char *t = "Section 2\tFinancial Information\n"
                    "Item 2.02\tResults of Operations and Financial Condition\t\n\n"
                    "On May 1 the Company reported.\n\n"
                    "\tItem 9.01\tFinancial Statements and Exhibits\t(d)\n";
    EXPECT_ITEMS(t, "2.02 9.01");
    cr_assert_str_eq(title_of(t, 0),
                     "Results of Operations and Financial Condition");
    cr_assert_str_eq(title_of(t, 1), "Financial Statements and Exhibits",
                     "the title stops at the next cell");
}

Test(items, heading_split_over_lines)
{
    const char *t = "Item 5.02\t\n\n"
                    "Departure of Directors or Certain Officers.\n\n"
                    "Mr. Smith resigned on May 1, 2024.\n\n"
                    "ITEM 9.01\n-------\nFINANCIAL STATEMENTS AND EXHIBITS\n\n"
                    "(d) 99.1\n";
    EXPECT_ITEMS(t, "5.02 9.01");
    cr_assert_str_eq(title_of(t, 0), "Departure of Directors or Certain Officers");
    cr_assert_str_eq(title_of(t, 1), "FINANCIAL STATEMENTS AND EXHIBITS");
    cr_assert_eq(marks[0].start, 0);
}

/* The text stage may end blocks with a single newline: a heading then
 * follows a paragraph's last line directly. */
Test(items, paragraphs_without_blank_lines)
{
    const char *t = "Item 1.01 Entry into a Material Definitive Agreement\n"
                    "The Company signed. A copy is incorporated by reference herein.\n"
                    "Item 2.03 Creation of a Direct Financial Obligation.\n"
                    "The information in Item 1.01 hereof is incorporated into\n"
                    "Item 2.03 of this report.\n"
                    "Item 3.02 Unregistered Sales of Equity Securities:\n"
                    "Sold.\n"
                    "Item 9.01\n"
                    "(d) Exhibits\n";
    EXPECT_ITEMS(t, "1.01 2.03 3.02 9.01");
    cr_assert_str_eq(title_of(t, 3), "(d) Exhibits");
    /* stacked headings: the first ends in ';' and has no text under it */
    EXPECT_ITEMS("Item 1.01 Entry into a Material Definitive Agreement;\n"
                 "Item 2.03 Creation of a Direct Financial Obligation.\n"
                 "On March 30, 2010, the Company borrowed.\n",
                 "1.01 2.03");
}

Test(items, heading_without_title_keeps_the_paragraph_out)
{
    const char *t = "Item 2.\n\n"
                    "On September 30, 1996, Example Group, Inc. completed\n"
                    "the acquisition of one business.\n\n"
                    "Item 5.  On October 7, 1996, the Company completed the\n"
                    "acquisition of Data Processing, Inc.\n";
    EXPECT_ITEMS(t, "2 5");
    cr_assert_str_eq(title_of(t, 0), "");
    cr_assert_str_eq(title_of(t, 1), "");
}

Test(items, run_in_heading)
{
    const char *t = "Item 8.01 Other Events. On March 3, 2023, the Company "
                    "announced a dividend.\n\n"
                    "Item 9.01 Financial Statements and Exhibits. (d) None.\n";
    EXPECT_ITEMS(t, "8.01 9.01");
    cr_assert_str_eq(title_of(t, 0), "Other Events");
    cr_assert_str_eq(title_of(t, 1), "Financial Statements and Exhibits");
}

Test(items, titles_in_sentence_case_or_with_a_year)
{
    const char *t = "Item 2.02 Results of Operations and Financial Condition "
                    "for 2025\n\nx.\n\n"
                    "Item 7.01 Investor presentation\n\nx.\n\n"
                    "Item 8.01 Other events.\n\nx.\n\n"
                    "Item 8.02 2025 Annual Meeting\n\nx.\n\n"
                    "Item 9.01\n\nExhibits and financial statements\n\nx.\n";
    EXPECT_ITEMS(t, "2.02 7.01 8.01 9.01");
    cr_assert_str_eq(title_of(t, 0),
                     "Results of Operations and Financial Condition for 2025");
    cr_assert_str_eq(title_of(t, 1), "Investor presentation");
    cr_assert_str_eq(title_of(t, 2), "Other events");
    cr_assert_str_eq(title_of(t, 3), "Exhibits and financial statements");
    EXPECT_ITEMS("Item 8.01 2025 Annual Meeting\n\nx.\n", "8.01");
    cr_assert_str_eq(title_of("Item 8.01 2025 Annual Meeting\n\nx.\n", 0),
                     "2025 Annual Meeting");
    const char *more = "Item 7.01 Other matters\n\nx.\n\n"
                       "Item 8.01\n\nRecent developments\n\nx.\n";
    EXPECT_ITEMS(more, "7.01 8.01");
    cr_assert_str_eq(title_of(more, 0), "Other matters");
    cr_assert_str_eq(title_of(more, 1), "Recent developments");
}

/* A one-line item body in sentence case is no title: its verb gives it
 * away, an irregular past ("sold") or a headline's present ("announces")
 * as much as a past in "-ed". */
Test(items, one_line_bodies_are_no_title)
{
    const char *t = "Item 1.01 Company sold shares to investors\n\n"
                    "Item 2.01 Registrant sold 1,000,000 shares\n\n"
                    "Item 3.02 Acme Corp sold its Texas plant\n\n"
                    "Item 7.01 Acme announces quarterly dividend\n\n"
                    "Item 8.01\n\nAcme sold shares to investors\n";
    EXPECT_ITEMS(t, "1.01 2.01 3.02 7.01 8.01");
    for (size_t i = 0; i < 5; i++)
        cr_assert_str_eq(title_of(t, i), "", "item %zu", i);
    EXPECT_ITEMS("Item 8.01 Company sold shares to investors\n", "8.01");
    cr_assert_str_eq(title_of("Item 8.01 Company sold shares to investors\n",
                              0), "");
}

/* What follows a bare number is no title when it reads as the item's text:
 * a sentence opener, a verb, a clause, a line running on in lowercase. */
Test(items, sentences_after_the_number_are_no_title)
{
    const char *t = "Item 1. Not applicable.\n\n"
                    "Item 2. The Company has sold its plant.\n\n"
                    "Item 3. Acme Corp. completed the sale.\n\n"
                    "Item 4. Acme Corp. sold the plant to\n"
                    "Widget Inc.\n\n"
                    "Item 5. Smith, the chairman, resigned\n\n"
                    "Item 7. Acme Corp. sold its plant\n"
                    "in May.\n";
    EXPECT_ITEMS(t, "1 2 3 4 5 7");
    for (size_t i = 0; i < 6; i++)
        cr_assert_str_eq(title_of(t, i), "", "item %zu", i);
}

Test(items, titles_wrapped_over_lines)
{
    const char *t =
        "ITEM 2.03 CREATION OF A DIRECT FINANCIAL OBLIGATION OR AN OBLIGATION "
        "UNDER AN\nOFF-BALANCE SHEET ARRANGEMENT OF A REGISTRANT.\n\nx.\n\n"
        "ITEM 4.02 NON-RELIANCE ON PREVIOUSLY ISSUED FINANCIAL STATEMENTS OR "
        "A RELATED\nAUDIT REPORT OR COMPLETED INTERIM REVIEW.\n\nx.\n\n"
        "Item 5.02 Departure of Directors or Certain Officers; Election of "
        "Directors;\nAppointment of Certain Officers; Compensatory "
        "Arrangements of\ncertain officers.\nOn May 1 he left.\n\n"
        "Item 7.01\n\nRegulation FD Disclosure of the\nQuarterly Results\n"
        "\nx.\n";
    EXPECT_ITEMS(t, "2.03 4.02 5.02 7.01");
    cr_assert_str_eq(title_of(t, 0), "CREATION OF A DIRECT FINANCIAL "
                     "OBLIGATION OR AN OBLIGATION UNDER AN\nOFF-BALANCE SHEET "
                     "ARRANGEMENT OF A REGISTRANT");
    cr_assert_str_eq(title_of(t, 1), "NON-RELIANCE ON PREVIOUSLY ISSUED "
                     "FINANCIAL STATEMENTS OR A RELATED\nAUDIT REPORT OR "
                     "COMPLETED INTERIM REVIEW");
    cr_assert_str_eq(title_of(t, 2), "Departure of Directors or Certain "
                     "Officers; Election of Directors;\nAppointment of Certain "
                     "Officers; Compensatory Arrangements of\ncertain officers");
    cr_assert_str_eq(title_of(t, 3),
                     "Regulation FD Disclosure of the\nQuarterly Results");
    /* the text under a wrapped title counts as the item's text */
    cr_assert_eq(marks[0].end, (size_t)(strstr(t, "ITEM 4.02") - t));
}

/* A complete title is not continued by the line under it: a subheading,
 * a sentence, a sub-item, a signature line, a short answer. */
Test(items, lines_under_a_complete_title_stay_out_of_it)
{
    const char *t = "ITEM 3. Bankruptcy or Receivership\n"
                    "FORWARD LOOKING STATEMENTS\n\n"
                    "Item 5. Other Events\nSale Agreement\nOn May 1 we sold.\n\n"
                    "Item 7. Financial Statements and Exhibits\n(c) Exhibits\n\n"
                    "Item 9. Regulation FD Disclosure.\nNone.\n\n"
                    "Item 10. Amendments to the Code of Ethics\nNone.\n"
                    "Item 11. Temporary Suspension of Trading Under Registrant's "
                    "Employee\nThe plan was suspended.\n";
    EXPECT_ITEMS(t, "3 5 7 9 10 11");
    cr_assert_str_eq(title_of(t, 0), "Bankruptcy or Receivership");
    cr_assert_str_eq(title_of(t, 1), "Other Events");
    cr_assert_str_eq(title_of(t, 2), "Financial Statements and Exhibits");
    cr_assert_str_eq(title_of(t, 3), "Regulation FD Disclosure");
    cr_assert_str_eq(title_of(t, 4), "Amendments to the Code of Ethics");
    cr_assert_str_eq(title_of(t, 5), "Temporary Suspension of Trading Under "
                     "Registrant's Employee");
}

/* Only the form of a title line, never its width, says it goes on: a
 * complete official title followed by a subheading, whether a plain-text
 * line of 60 to 85 columns or an HTML paragraph put on the next line. An
 * official title goes on only while the next line carries its wording. */
Test(items, subheadings_under_a_complete_title_stay_out_of_it)
{
    const char *t =
        "Item 3.03 Material Modification to Rights of Security Holders\n"
        "Reverse Stock Split\n"
        "On May 1 the split took effect.\n"
        "Item 5.07 Submission of Matters to a Vote of Security Holders\n"
        "Proposal 1 - Election of Directors\n"
        "All nominees were elected.\n";
    EXPECT_ITEMS(t, "3.03 5.07");
    cr_assert_str_eq(title_of(t, 0),
                     "Material Modification to Rights of Security Holders");
    cr_assert_str_eq(title_of(t, 1),
                     "Submission of Matters to a Vote of Security Holders");
    const char *html =
        "Item 1.01 Entry into a Material Definitive Agreement\n"
        "with Big Lender Holdings Credit Agreement\n"
        "On May 2 the Company borrowed.\n"
        "Item 5.02\nDeparture of Directors or Principal Officers; Election "
        "of Directors\nAppointment of Chief Financial Officer\n"
        "On May 1 the board appointed Ms. Roe.\n";
    EXPECT_ITEMS(html, "1.01 5.02");
    cr_assert_str_eq(title_of(html, 0),
                     "Entry into a Material Definitive Agreement");
    cr_assert_str_eq(title_of(html, 1), "Departure of Directors or Principal "
                     "Officers; Election of Directors");
}

/* A subheading left out of the title is the item's text: a repeat of the
 * heading then is no contents list to drop. */
Test(items, a_subheading_left_out_of_the_title_is_item_text)
{
    const char *t =
        "Item 3.03 Material Modification to Rights of Security Holders\n"
        "Reverse Stock Split\n"
        "Item 9.01 Financial Statements and Exhibits\n"
        "(d) 99.1\n"
        "Item 3.03 Material Modification to Rights of Security Holders\n";
    cr_assert_eq(scan(t), 2);
    cr_assert_eq(marks[0].start, 0, "the first 3.03 is kept");
    cr_assert_eq(marks[0].end, (size_t)(strstr(t, "Item 9.01") - t));
    cr_assert_eq(marks[1].end, strlen(t), "the repeat is 9.01's text");
}

/* Trailing blanks on a wrapped title line do not hide the line after. */
Test(items, wrapped_title_line_with_trailing_blanks)
{
    const char *t =
        "ITEM 2.03 CREATION OF A DIRECT FINANCIAL OBLIGATION OR AN OBLIGATION "
        "UNDER AN \t\nOFF-BALANCE SHEET ARRANGEMENT OF A REGISTRANT.\n\nx.\n\n"
        "Item 7.01 Smith retirement \nwas announced in May.\n";
    EXPECT_ITEMS(t, "2.03 7.01");
    cr_assert_str_eq(title_of(t, 0), "CREATION OF A DIRECT FINANCIAL "
                     "OBLIGATION OR AN OBLIGATION UNDER AN \t\nOFF-BALANCE "
                     "SHEET ARRANGEMENT OF A REGISTRANT");
    cr_assert_str_eq(title_of(t, 1), "");
    const char *crlf = "Item 8.01 Other Events and \r\nSubsequent Events\r\n"
                       "\r\nx.\r\n";
    EXPECT_ITEMS(crlf, "8.01");
    cr_assert_str_eq(title_of(crlf, 0), "Other Events and \r\nSubsequent "
                     "Events");
}

Test(items, official_title_in_lower_case)
{
    EXPECT_ITEMS("Item 8.01 other events\n\nText.\n", "8.01");
}

Test(items, items_heading_two_numbers)
{
    const char *t = "Items 1.01(a) and 5.02(e) Amendment of a Material "
                    "Definitive Agreement;\n\nText.\n\n"
                    "Item 9.01 Financial Statements and Exhibits\n";
    EXPECT_ITEMS(t, "1.01 5.02 9.01");
    cr_assert_eq(marks[0].start, marks[1].start, "one heading, two items");
    cr_assert_eq(marks[0].end, marks[1].end);
    cr_assert_eq(marks[1].end, marks[2].start);
    cr_assert_str_eq(title_of(t, 1),
                     "Amendment of a Material Definitive Agreement");
    EXPECT_ITEMS("Items 2.02, 7.01 and 9.01. Results and Exhibits\n\nx.\n",
                 "2.02 7.01 9.01");
    EXPECT_ITEMS("Items 2.03 Creation of a Direct Financial Obligation\n\nx.\n",
                 "2.03");
}

Test(items, crlf_line_ends)
{
    EXPECT_ITEMS("as described in\r\nItem 2.02 below.\r\n\r\n"
                 "Item 8.01 Other Events\r\n\r\nText.\r\n\r\n"
                 "Item 9.01 Financial Statements and Exhibits\r\n",
                 "8.01 9.01");
}

/* ---- Citations and other non-headings ----------------------------------------- */

Test(items, citations_inside_a_paragraph)
{
    EXPECT_ITEMS("The information in Item 2.03 below is incorporated herein.\n\n"
                 "As described under Item 1.01 above, the Company agreed.\n",
                 "");
}

Test(items, citations_at_line_start)
{
    EXPECT_ITEMS("Item 9.01 of this Current Report is incorporated herein by "
                 "reference.\n\n"
                 "Item 2.03 below describes the loan.\n\n"
                 "Item 1.01 above sets out the terms.\n\n"
                 "Item 5.02 hereof is incorporated.\n\n"
                 "Item 5) which had previously been held.\n\n"
                 "Item 4 of Form 8-K, as part of the report.\n\n"
                 "Items 2.02 and 7.01 of this report are furnished.\n\n"
                 "Item 7.01 and Exhibit 99.1 are furnished.\n\n"
                 "Items 1 through 4, 6 and 8 Not Applicable.\n",
                 "");
}

Test(items, wrapped_sentence_is_not_a_heading)
{
    const char *t = "Item 2.  Acquisition or Disposition of Assets\n\n"
                    "The Company bought a business.\n\n"
                    "Item 7.  Exhibits.\n\n"
                    "(a) It is impracticable to provide the statements for the\n"
                    "business acquired by the registrant referred to in\n"
                    "Item 2.  The registrant will file them within 60 days.\n\n"
                    "(b) The information is furnished as described under\n"
                    "Item 12 Results of Operations and Financial Condition.\n";
    EXPECT_ITEMS(t, "2 7");
}

Test(items, number_seen_before_is_not_a_heading)
{
    EXPECT_ITEMS("Item 2.02 Results of Operations and Financial Condition\n\n"
                 "The Company reported results.\n\n"
                 "Item 9.01 Financial Statements and Exhibits\n\n"
                 "99.1 Press release.\n\n"
                 "Item 2.02 Results of Operations and Financial Condition\n\n"
                 "repeated in the exhibit index.\n",
                 "2.02 9.01");
}

Test(items, order_and_numbering)
{
    /* an annual report quoted after Item 7 brings its own "Item 1." */
    EXPECT_ITEMS("Item 5. Other Events\n\nx.\n\nItem 7. Financial Statements\n\n"
                 "Annual report follows.\n\nItem 1. Business\n\nWe make things.\n",
                 "5 7");
    /* a lower number without its official title is out of order */
    EXPECT_ITEMS("Item 8.01 Other Events\n\nx.\n\nItem 2.02 Quarterly Numbers\n\n"
                 "y.\n",
                 "8.01");
    /* ...with its official title it is a heading out of order */
    EXPECT_ITEMS("Item 9. Regulation FD Disclosure\n\nx.\n\n"
                 "Item 7. Financial Information and Exhibits.\n\n(c) 99.1\n",
                 "9 7");
    /* one numbering per document */
    EXPECT_ITEMS("Item 2.02 Results of Operations\n\nx.\n\nItem 7. Quarterly\n\n"
                 "y.\n",
                 "2.02");
}

Test(items, invalid_numbers)
{
    EXPECT_ITEMS("Item 14(a). These financial statements are the\n\n"
                 "Item 2.07 Something Else\n\n"
                 "Item 1.1 Definitions\n\n"
                 "Item 10.1 Employment Agreement\n\n"
                 "Item 13. Other Things\n\n"
                 "Item 123 Widgets\n\n"
                 "Itemized deductions 5.\n",
                 "");
}

Test(items, contents_with_dot_leaders)
{
    const char *t = "INDEX\n\nItem 5 - Other Events.................. 3\n\n"
                    "Signatures.............................. 4\n\n"
                    "ITEM 5 -- OTHER EVENTS\n\nThe Company did things.\n";
    EXPECT_ITEMS(t, "5");
    cr_assert_eq(marks[0].start, (size_t)(strstr(t, "ITEM 5 --") - t));
    EXPECT_ITEMS("Item 2.02\tResults of Operations\t3\n\n"
                 "Item 2.02 Results of Operations\n\nText.\n",
                 "2.02");
}

Test(items, contents_without_page_numbers)
{
    const char *t = "TABLE OF CONTENTS\n\n"
                    "ITEM 2. Acquisition or Disposition of Assets\n\n"
                    "ITEM 3. Bankruptcy or Receivership\n\n"
                    "ITEM 5. Other Items\n\nSIGNATURES\n\nEXHIBIT INDEX\n\n"
                    "ITEM 2. Acquisition or Disposition of Assets\n\nSold.\n\n"
                    "ITEM 3. Bankruptcy or Receivership\n\nFiled.\n\n"
                    "ITEM 5. Other Items\n\nOther.\n";
    EXPECT_ITEMS(t, "2 3 5");
    cr_assert_eq(marks[0].start, (size_t)(strstr(t, "ITEM 2. Acquisition or "
                                                    "Disposition of Assets\n\nSold") -
                                          t));
}

/* ---- Limits and degenerate input ----------------------------------------------- */

Test(items, writes_at_most_max)
{
    const char *t = "Item 1.01 Entry into a Material Definitive Agreement\n\nx\n\n"
                    "Item 9.01 Financial Statements and Exhibits\n";
    e8k_item_mark one[2];
    memset(one, 0x5a, sizeof one);
    cr_assert_eq(e8k_items_scan(t, strlen(t), one, 1), 1);
    cr_assert_str_eq(one[0].number, "1.01");
    cr_assert_eq(one[0].end, (size_t)(strstr(t, "Item 9.01") - t),
                 "the end does not depend on max");
    cr_assert_eq((unsigned char)one[1].number[0], 0x5a, "nothing past max");
    cr_assert_eq(e8k_items_scan(t, strlen(t), NULL, 0), 0);
}

Test(items, empty_and_headless_text)
{
    cr_assert_eq(e8k_items_scan("", 0, marks, E8K_MAX_ITEMS), 0);
    cr_assert_eq(e8k_items_scan(NULL, 0, marks, E8K_MAX_ITEMS), 0);
    EXPECT_ITEMS("Item", "");
    EXPECT_ITEMS("Item 2.", "2");
    EXPECT_ITEMS("\n\n\t \n", "");
    /* the text need not be NUL-terminated at len */
    const char *t = "Item 8.01 Other EventsXXXX";
    cr_assert_eq(e8k_items_scan(t, 22, marks, E8K_MAX_ITEMS), 1);
    cr_assert_eq(marks[0].end, 22);
    cr_assert_eq(marks[0].title_end, 22);
}

/* The scan must end: blanks other than a space inside a title once
 * stopped the title scan from advancing (found by fuzzing). Hostile
 * shapes (every line a candidate, one huge line, a huge run of blank
 * lines after a bare heading) must give at most one item; the timeout
 * only guards against a hang, linearity is for a benchmark to measure. */
Test(items, terminates_on_hostile_shapes, .timeout = 60)
{
    const char *odd = "Item 8.01 Other\xe2\x80\x89" "Events\f now\n\n"
                      "Item 9.01 Financial\vStatements \t(d)\n";
    EXPECT_ITEMS(odd, "8.01 9.01");
    cr_assert_str_eq(title_of(odd, 0), "Other\xe2\x80\x89" "Events\f now");
    cr_assert_str_eq(title_of(odd, 1), "Financial\vStatements");
    size_t n = 8u << 20;
    char *t = malloc(n + 1);
    cr_assert_not_null(t);
    const char *shapes[] = {"Item 5.\n", "Item 2.02 of\n", "Item ", "\n"};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        size_t k = strlen(shapes[s]);
        for (size_t i = 0; i < n; i++)
            t[i] = shapes[s][i % k];
        t[n] = '\0';
        if (s == 3)
            memcpy(t, "Item 5.", 7);
        size_t found = e8k_items_scan(t, n, marks, E8K_MAX_ITEMS);
        cr_assert(found <= 1, "shape %zu found %zu", s, found);
    }
    free(t);
}

/* ---- Real filings through the public API ------------------------------------- */

#define NEXPECT (sizeof ITEMS_EXPECT / sizeof ITEMS_EXPECT[0])

/* Criterion may run each test in a fresh process, where pointers of the
 * parent are meaningless: the parameter is an index into ITEMS_EXPECT. */
ParameterizedTestParameters(items, corpus)
{
    static size_t order[NEXPECT];
    for (size_t i = 0; i < NEXPECT; i++)
        order[i] = i;
    return cr_make_param_array(size_t, order, NEXPECT);
}

static int icontains(const char *hay, const char *needle)
{
    return e8k_memcasemem(hay, strlen(hay), needle) != NULL;
}

ParameterizedTest(size_t *which, items, corpus)
{
    const items_expect *e = &ITEMS_EXPECT[*which];
    const char *root = getenv("E8K_ROOT") ? getenv("E8K_ROOT") : ".";
    char dir[1024], path[2048];
    snprintf(dir, sizeof dir, "%s/../shared/corpus", root);
    struct stat st;
    if (stat(dir, &st) != 0)
        cr_skip_test("../shared absent: %s", dir);
    snprintf(path, sizeof path, "%s/%s", dir, e->path);
    char *buf = NULL;
    size_t len = 0;
    e8k_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(e8k_file_load(path, &buf, &len, &err), E8K_OK, "%s: %s",
                 path, err.message);
    e8k_filing *f = e8k_filing_new(path);
    cr_assert_eq(e8k_filing_parse(f, buf, len, &err), E8K_OK, "%s: %s", path,
                 err.message);
    char got[512] = "";
    size_t n = e8k_filing_item_count(f), k = 0;
    for (size_t i = 0; i < n && k + 10 < sizeof got; i++)
        k += (size_t)snprintf(got + k, sizeof got - k, "%s%s", i ? " " : "",
                              e8k_filing_item(f, i)->number);
    cr_expect_str_eq(got, e->numbers, "%s (%s)", e->path, e->why);
    for (size_t i = 0; i < n && i < ITEMS_EXPECT_MAX && e->titles[i]; i++) {
        const char *title = e8k_filing_item(f, i)->title;
        if (e->titles[i][0])
            cr_expect(icontains(title, e->titles[i]),
                      "%s item %zu: title \"%s\" lacks \"%s\"", e->path, i,
                      title, e->titles[i]);
        else
            cr_expect_str_eq(title, "", "%s item %zu: title expected empty",
                             e->path, i);
    }
    e8k_filing_free(f);
    free(buf);
}
