/* SPDX-License-Identifier: MIT */
/* fetch_search.c: `edgar8k fetch --search`: the filings EDGAR full-text
 * search (efts.sec.gov LATEST/search-index) finds for a query, within the
 * forms, dates and companies asked for. The service answers at most
 * E8K_SEARCH_MAX_HITS hits a query, E8K_SEARCH_PAGE a page, so a date range
 * that matches more is split in two, and again, until each window is
 * under the cap (each split reported as a notice); a window's pages are
 * then asked for together, paced like every other request, and every
 * page is read before anything is fetched. */
#include "fetch_plan.h"
#include "e8k_validate.h" /* e8k_date_days */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A date range, both ends included, as days since 1970-01-01. */
typedef struct window {
    long from, to;
} window;

/* Days since 1970-01-01 of a valid YYYY-MM-DD. */
static long day_of(const char *date)
{
    long d = 0;
    (void)e8k_date_days(date, &d);
    return d;
}

/* The inverse of e8k_date_days (H. Hinnant's civil_from_days). */
static void date_of(long z, char out[11])
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    long y = yoe + era * 400 + (m <= 2);
    char t[64];
    snprintf(t, sizeof t, "%04ld-%02ld-%02ld", y % 10000, m, d);
    memcpy(out, t, 10);
    out[10] = '\0';
}

static long today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    char d[64];
    gmtime_r(&t, &tm);
    snprintf(d, sizeof d, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000,
             tm.tm_mon + 1, tm.tm_mday);
    return day_of(d);
}

/* Percent-encodes s (all but RFC 3986's unreserved characters). */
static int put_escaped(e8k_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    int fail = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c && !fail; c++) {
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
            (*c >= '0' && *c <= '9') || strchr("-._~", *c))
            fail = e8k_buf_putc(b, (char)*c);
        else
            fail = e8k_buf_putc(b, '%') || e8k_buf_putc(b, hex[*c >> 4]) ||
                   e8k_buf_putc(b, hex[*c & 15]);
    }
    return fail;
}

/* The URL of one page: the query, its forms, the window, its companies
 * (when few enough to name), and the first hit wanted. */
static int page_url(const e8k_plan *p, window w, size_t from, e8k_buf *b)
{
    char d0[11], d1[11];
    date_of(w.from, d0);
    date_of(w.to, d1);
    b->len = 0;
    int fail = e8k_buf_printf(b, "%s/LATEST/search-index?q=",
                              p->f->efts_url) ||
               put_escaped(b, p->q->search) ||
               e8k_buf_printf(b, "&dateRange=custom&startdt=%s&enddt=%s"
                              "&forms=", d0, d1);
    for (size_t i = 0; i < p->nforms && !fail; i++)
        fail = (i && e8k_buf_putc(b, ',')) || put_escaped(b, p->forms[i]);
    if (p->nciks && p->nciks <= E8K_SEARCH_MAX_CIKS)
        for (size_t i = 0; i < p->nciks && !fail; i++)
            fail = e8k_buf_printf(b, "%s%010llu", i ? "," : "&ciks=",
                                  strtoull(p->ciks[i], NULL, 10));
    return fail || e8k_buf_printf(b, "&from=%zu", from);
}

static void engine_quiet(e8k_fetcher *f, e8k_xfer *x, void *ctx)
{
    (void)f, (void)x, (void)ctx;
}

/* Pages from..to of window w, asked for together; their hits appended in
 * page order. *read counts them. */
static e8k_status more_pages(e8k_plan *p, window w, size_t from, size_t to,
                             size_t *read, e8k_error *err)
{
    size_t n = (to - from + E8K_SEARCH_PAGE - 1) / E8K_SEARCH_PAGE;
    e8k_xfer *xs = calloc(n ? n : 1, sizeof *xs);
    e8k_buf url = {0};
    e8k_status st = xs ? E8K_OK : e8k_plan_nomem(err);
    size_t made = 0;
    for (; st == E8K_OK && made < n; made++)
        if (page_url(p, w, from + made * E8K_SEARCH_PAGE, &url) ||
            e8k_xfer_init(p->f, &xs[made], url.data, E8K_MAX_INDEX_SIZE))
            st = e8k_plan_nomem(err);
    e8k_batch b = {xs, made, 0, 0, 0, engine_quiet, NULL, NULL};
    if (st == E8K_OK)
        e8k_batch_run(p->f, &b);
    for (size_t i = 0; st == E8K_OK && i < made; i++) {
        size_t total, hits;
        int capped;
        if (xs[i].result != E8K_OK) {
            e8k_fail(err, E8K_ERR_NETWORK, xs[i].url, NULL, 0, E8K_NO_OFFSET,
                     "%s", xs[i].message);
            st = e8k_plan_doc_failed(p, E8K_ERR_NETWORK, err, xs[i].status);
        } else if ((st = e8k_search_parse(xs[i].body.data, xs[i].body.len,
                                          xs[i].url, &p->list, &total,
                                          &capped, &hits, err)) == E8K_OK)
            *read += hits;
        else
            e8k_plan_doc_failed(p, st, err, 0);
    }
    for (size_t i = 0; i < made; i++)
        e8k_xfer_free(&xs[i]);
    free(xs);
    e8k_buf_free(&url);
    return st;
}

typedef struct windows {
    window *v;
    size_t n, cap;
} windows;

static int push(windows *ws, long from, long to)
{
    if (E8K_GROW(ws->v, ws->cap, ws->n + 1) != 0)
        return -1;
    ws->v[ws->n].from = from;
    ws->v[ws->n++].to = to;
    return 0;
}

/* One window: its first page says how many documents match; over the
 * cap, the window is split in two (pushed, the earlier half on top) and
 * its hits dropped, else its other pages are read. */
static e8k_status search_window(e8k_plan *p, window w, windows *ws,
                                e8k_error *err)
{
    e8k_buf url = {0};
    char *body = NULL, d0[11], d1[11];
    size_t len = 0, total = 0, hits = 0, before = p->list.n;
    int capped = 0;
    long status = 0;
    date_of(w.from, d0);
    date_of(w.to, d1);
    p->f->stats.search_windows++;
    e8k_status st = page_url(p, w, 0, &url) ? e8k_plan_nomem(err)
                    : e8k_plan_doc(p, url.data, &body, &len, &status, err);
    if (st == E8K_OK)
        st = e8k_search_parse(body, len, url.data, &p->list, &total, &capped,
                              &hits, err);
    free(body);
    e8k_buf_free(&url);
    if (st != E8K_OK)
        return st == E8K_ERR_NOMEM ? st
                                   : e8k_plan_doc_failed(p, st, err, status);
    int over = capped || total > E8K_SEARCH_MAX_HITS;
    if (over && w.from < w.to) {
        long mid = w.from + (w.to - w.from) / 2;
        char m0[11], m1[11];
        date_of(mid, m0);
        date_of(mid + 1, m1);
        p->list.n = before; /* read again, window by window */
        e8k_plan_say(p, E8K_FETCH_NOTICE, NULL, 0, "full-text search: %s to "
                     "%s matches %s%zu documents, more than the %d the "
                     "service returns for one query: split into %s to %s "
                     "and %s to %s", d0, d1, capped ? "at least " : "",
                     total, E8K_SEARCH_MAX_HITS, d0, m0, m1, d1);
        return push(ws, mid + 1, w.to) || push(ws, w.from, mid)
                   ? e8k_plan_nomem(err) : E8K_OK;
    }
    if (over)
        e8k_plan_say(p, E8K_FETCH_WARNING, NULL, 0, "full-text search: %s "
                     "alone matches %s%zu documents: only the first %d can "
                     "be read (narrow the query or the forms)", d0,
                     capped ? "at least " : "", total, E8K_SEARCH_MAX_HITS);
    size_t want = total < E8K_SEARCH_MAX_HITS ? total : E8K_SEARCH_MAX_HITS;
    size_t read = hits;
    if (hits && want > E8K_SEARCH_PAGE)
        st = more_pages(p, w, E8K_SEARCH_PAGE, want, &read, err);
    if (st == E8K_OK && read < want)
        e8k_plan_say(p, E8K_FETCH_WARNING, NULL, 0, "full-text search: %s "
                     "to %s: %zu documents announced, %zu read (the index "
                     "changed while it was read?)", d0, d1, want, read);
    return st;
}

e8k_status e8k_plan_search(e8k_plan *p, e8k_error *err)
{
    const e8k_fetch_query *q = p->q;
    if (!q->search[0] || strspn(q->search, " \t") == strlen(q->search))
        return e8k_plan_usage(err, "--search: the query is empty");
    e8k_status st = E8K_OK;
    if (q->cik || q->nciks || q->ticker || q->ntickers) {
        st = e8k_plan_companies(p, err);
        if (st != E8K_OK || !p->nciks) /* every one unknown: reported */
            return st;
    }
    window all = {day_of(q->since ? q->since : E8K_SEARCH_FIRST_DAY),
                  q->until ? day_of(q->until) : today()};
    if (all.from > all.to)
        return e8k_plan_usage(err, "--since is after --until");
    windows ws = {0};
    if (push(&ws, all.from, all.to) != 0)
        return e8k_plan_nomem(err);
    while (st == E8K_OK && ws.n) {
        window w = ws.v[--ws.n];
        st = search_window(p, w, &ws, err);
    }
    free(ws.v);
    e8k_plan_report_skips(p);
    return st;
}
