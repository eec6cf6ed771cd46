/* SPDX-License-Identifier: MIT */
/* fuzz_index.c: libFuzzer target for the fetching stage's parsers: EDGAR
 * .idx files, submissions JSON (and its pages), company_tickers.json, full-
 * text search answers, the items of a header and Feed tarballs read from
 * memory. Any bytes must give E8K_OK or a located
 * error, never a crash or a hang, and every entry must be well formed,
 * its names valid UTF-8 (the store's entries and JSON need it), and the
 * completeness test must say the same from a body's ends as from all of
 * it (a filing streamed to disk is judged by its ends).
 * Build and run: make -C tests/fuzz run TARGETS=fuzz_index
 * Seeds: fixtures/ (fetch-mirror/ holds .idx, JSON and Feed .nc files,
 * fetch-search/ a search answer). */
#include "fetch_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const e8k_index_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const e8k_index_entry *e = &l->items[i];
        if (strlen(e->accession) != 20 || e->accession[10] != '-' ||
            !e->cik[0] || strlen(e->date) != 10 || !e->form || !e->company ||
            !e8k_utf8_valid(e->form, strlen(e->form)) ||
            !e8k_utf8_valid(e->company, strlen(e->company)) ||
            (e->items && !e8k_utf8_valid(e->items, strlen(e->items))) ||
            (e->ciks && !e8k_utf8_valid(e->ciks, strlen(e->ciks))))
            abort();
    }
}

static int member(const e8k_index_entry *e, const char *d, size_t n,
                  void *ctx)
{
    (void)d;
    (void)n;
    (void)ctx;
    return strlen(e->accession) == 20 ? 0 : (abort(), 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    e8k_index_list l = {0};
    e8k_error err;
    if (e8k_index_parse_idx(s, size, "fuzz.idx", &l, &err) == E8K_OK)
        check(&l);
    e8k_index_list_free(&l);
    if (e8k_index_parse_submissions(s, size, "fuzz.json", "1", &l, &err) ==
        E8K_OK)
        check(&l);
    e8k_index_list_free(&l);
    size_t total, hits;
    int capped;
    if (e8k_search_parse(s, size, "search.json", &l, &total, &capped, &hits,
                         &err) == E8K_OK && (l.n > hits || capped > 1))
        abort();
    check(&l);
    e8k_index_list_free(&l);
    char cik[11], items[64];
    (void)e8k_index_ticker_cik(s, size, "t.json", "AAPL", cik, &err);
    /* the items fit the buffer, and each is an item number */
    size_t n = e8k_header_items(s, size, items, sizeof items);
    if (strlen(items) >= sizeof items || (n == 0) != (items[0] == '\0'))
        abort();
    int whole = e8k_submission_looks_complete(s, size);
    size_t h = size < 4096 ? size : 4096, t = size < 4096 ? size : 4096;
    /* the ends suffice unless white space outruns them */
    if (size > 8192 && whole != e8k_submission_looks_complete_ends(
                                     s, h, s + size - t, t, size) &&
        s[h - 1] != ' ' && s[h - 1] != '\n' && s[h - 1] != '\r' &&
        s[h - 1] != '\t' && s[size - t] != ' ' && s[size - t] != '\n' &&
        s[size - t] != '\r' && s[size - t] != '\t')
        abort();
    static const char *const forms[] = {"8-K", "8-K/A"};
    (void)e8k_feed_read(s, size, NULL, NULL, "fuzz.tar", forms, 2, member,
                        NULL, &err);
    return 0;
}
