/* items_expect.h: the 8-K item headings of real filings of the shared
 * corpus, written down by hand from reading each file (not from running
 * edgar8k). `numbers` lists the headings in order; `titles` holds, for
 * each, a lowercase piece of its title ("" where the heading has none). */
#ifndef ITEMS_EXPECT_H
#define ITEMS_EXPECT_H

#define ITEMS_EXPECT_MAX 8

typedef struct items_expect {
    const char *path; /* under ../shared/corpus/ */
    const char *numbers;
    const char *titles[ITEMS_EXPECT_MAX];
    const char *why;  /* what the filing exercises */
} items_expect;

static items_expect ITEMS_EXPECT[] = {
    {"submissions/edgar-crawler-8k/100240_8K_1994_0000950144-94-000103.txt",
     "7", {"exhibits"},
     "1994, old numbering, heading right after a <PAGE> line"},
    {"submissions/edgar-crawler-8k/1004963_8K_1996_0001004963-96-000004.txt",
     "5", {"other events"},
     "1996, an INDEX with dot leaders lists Item 5 before the heading"},
    {"submissions/edgar-crawler-8k/1004963_8K_1996_0001004963-96-000010.txt",
     "2 5 7", {"", "", "exhibits"},
     "1996, headings without titles; a wrapped 'referred to in / Item 2.'"},
    {"submissions/8-K_AamesCapital_0001011438-98-000429.txt",
     "7", {"financial statements; pro forma"},
     "1998, single old-style item with an underline"},
    {"submissions/8-K_AppleComputer_0000320193-99-000010.txt",
     "5 7", {"other events", "financial statements, pro forma"},
     "1999, 'Items 1 through 4, 6 and 8 Not Applicable.' is no heading"},
    {"submissions/8-K_AppleComputer_0000912057-00-002128.txt",
     "5 7", {"other events", "financial statements, pro forma"},
     "2000, upper-case titles"},
    {"submissions/edgar-crawler-8k/1002022_8K_2000_0000912057-00-043726.txt",
     "1 5 7", {"change in control", "other events", "financial statements"},
     "2000, 'Item 5) which had...' and 'Item 5 hereof' are citations"},
    {"submissions/edgar-crawler-8k/1002022_8K_2000_0000914260-00-000043.txt",
     "4 7", {"certifying account", "financial statements and exhibits"},
     "2000, 'ITEM 4:' with a colon"},
    {"html/edgar-crawler-8k/1001136_8K_2001_0000950124-01-503539.htm",
     "2 3 5", {"acquisition", "bankruptcy", "other items"},
     "2001 HTML, a table of contents without page numbers repeats items"},
    {"submissions/edgar-crawler-8k/1001426_8K_2003_0000891092-03-001810.txt",
     "7 9", {"financial statements", "regulation fd"},
     "2003, Item 9 after Item 7; 'Item 12' quoted in a sentence"},
    {"html/8-K_LGandE-KU_0001104659-03-004925.html",
     "9", {"regulation fd"},
     "2003 HTML, title padded with non-breaking spaces"},
    {"submissions/edgar-crawler-8k/1001258_8K_2004_0001125282-04-000379.txt",
     "7 12", {"financial statements", "results of operations"},
     "2004, Item 12 of the old numbering"},
    {"submissions/8-K_ExelonCorp_0000950137-05-004969.txt",
     "5.02", {"departure of directors"},
     "2005 HTML, 'Section 5 - ...<BR>Item&nbsp;5.02.'"},
    {"submissions/edgar-crawler-8k/1001258_8K_2005_0001125282-05-004041.txt",
     "1.01 2.03 9.01",
     {"entry into a material", "creation of a direct", "financial statements"},
     "2005, new numbering, a title wrapped over two lines"},
    {"html/edgar-crawler-8k/1002517_8K_2007_0000950135-07-004847.htm",
     "1.01 2.03 3.02 8.01 9.01",
     {"entry into", "creation of", "unregistered sales", "other events",
      "financial statements"},
     "2007 HTML, 'The information contained in Item 1.01 hereof ...'"},
    {"submissions/edgar-crawler-8k/1002682_8K_2008_0000939057-08-000013.txt",
     "1.01 5.02 9.01",
     {"amendment of a material", "amendment of a material",
      "financial statements"},
     "2008, 'Items 1.01(a) and 5.02(e) ...' heads two items at once"},
    {"submissions/8-K_AppleInc_0001193125-19-292676.txt",
     "8.01 9.01", {"other events", "financial statements"},
     "2019 inline XBRL, number and title in separate table cells"},
    {"html/edgar-crawler-8k/108516_8K_2023_0001193125-23-289222.htm",
     "1.01 2.01 5.02 5.03 8.01 9.01",
     {"entry into", "completion of", "departure of", "amendments to",
      "other events", "financial statements"},
     "2023 HTML, six items, headings in two-cell table rows"},
    {"submissions/8-K_AbvcBiopharma_0001213900-25-032135.txt",
     "2.02 4.02 7.01 9.01",
     {"results of operations", "non-reliance", "regulation fd", "exhibits"},
     "2025, 'Item 2.02 of this Current Report ... is incorporated'"},
    {"submissions/8-K_AcornEnergy_0001493152-25-001317.nc",
     "5.02 9.01", {"departure of directors", "financial statements"},
     "2025 .nc feed submission"},
    {"submissions/8-K_NvidiaCorp_0001045810-26-000024.txt",
     "5.02 9.01", {"departure of directors", "financial statements"},
     "2026 inline XBRL"},
};

#endif /* ITEMS_EXPECT_H */
