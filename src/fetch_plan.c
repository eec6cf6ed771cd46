/* SPDX-License-Identifier: MIT */
/* fetch_plan.c: what `edgar8k fetch` fetches and where it goes. It checks
 * the query, has its selector listed (fetch_list.c, fetch_search.c) or its
 * Feed day streamed (fetch_feed.c), keeps the entries of the forms, dates,
 * companies and items asked for (the latest --limit of them), skips what
 * the store already holds verified, and hands the rest to the transfer
 * engine (fetch.c), storing each submission as soon as it has arrived
 * whole. Items that no list states are read from each filing's header
 * once it is here; a filing that states none of them is not stored. */
#include "fetch_plan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

e8k_status e8k_plan_usage(e8k_error *err, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return e8k_fail(err, E8K_ERR_USAGE, "", NULL, 0, E8K_NO_OFFSET, "%s",
                    msg);
}

e8k_status e8k_plan_nomem(e8k_error *err)
{
    return e8k_fail(err, E8K_ERR_NOMEM, "", NULL, 0, E8K_NO_OFFSET,
                    "out of memory");
}

void e8k_plan_failure(e8k_plan *p, const e8k_error *e, e8k_status st)
{
    if (!p->failed) {
        p->first = *e;
        p->first.status = st;
    }
    p->failed = 1;
}

void e8k_plan_say(e8k_plan *p, e8k_fetch_event_kind kind, const char *url,
                  long http_status, const char *fmt, ...)
{
    char msg[2400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    e8k_fetch_event ev = {0};
    ev.kind = kind;
    ev.url = url;
    ev.http_status = http_status;
    ev.message = msg;
    e8k_fetch_emit(p->f, &ev);
}

int e8k_plan_valid_date(const char *s)
{
    return s && strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
           strspn(s, "0123456789-") == 10 && strncmp(s + 5, "13", 2) < 0 &&
           strncmp(s + 8, "32", 2) < 0 && strncmp(s + 5, "00", 2) > 0 &&
           strncmp(s + 8, "00", 2) > 0;
}

int e8k_plan_quarter_of(const char *date)
{
    return ((date[5] - '0') * 10 + (date[6] - '0') - 1) / 3 + 1;
}

int e8k_plan_items_ok(const e8k_plan *p, const char *items)
{
    if (!p->q->nitems)
        return 1;
    if (!items)
        return -1;
    return e8k_items_match(items, p->q->items, p->q->nitems);
}

static void fail_filing(e8k_plan *p, const e8k_fetch_filing *ff,
                        const char *url, long status, const char *msg)
{
    p->f->stats.filings_failed++;
    e8k_fetch_event ev = {0};
    ev.kind = E8K_FETCH_FAILED;
    ev.filing = ff;
    ev.url = url;
    ev.http_status = status;
    ev.message = msg;
    e8k_fetch_emit(p->f, &ev);
}

/* ---- Selection -------------------------------------------------------- */

static int form_wanted(const e8k_plan *p, const char *form)
{
    for (size_t i = 0; i < p->nforms; i++)
        if (!strcasecmp(form, p->forms[i]))
            return 1;
    return 0;
}

/* A search hit of one of the companies asked for (its filing is stored
 * under that company's CIK), or 0. */
static int company_wanted(const e8k_plan *p, e8k_index_entry *e)
{
    for (const char *c = e->ciks ? e->ciks : e->cik; *c;) {
        size_t n = strcspn(c, ",");
        for (size_t i = 0; i < p->nciks; i++)
            if (strlen(p->ciks[i]) == n && !memcmp(p->ciks[i], c, n)) {
                memcpy(e->cik, p->ciks[i], n + 1);
                return 1;
            }
        c += n + (c[n] == ',');
    }
    return 0;
}

static int entry_wanted(const e8k_plan *p, e8k_index_entry *e)
{
    const e8k_fetch_query *q = p->q;
    if (q->accession)
        return 1;
    return form_wanted(p, e->form) &&
           (!q->since || strcmp(e->date, q->since) >= 0) &&
           (!q->until || strcmp(e->date, q->until) <= 0) &&
           (!q->search || !p->companies || company_wanted(p, e)) &&
           e8k_plan_items_ok(p, e->items) != 0;
}

static int by_accession(const void *a, const void *b)
{
    return strcmp(((const e8k_index_entry *)a)->accession,
                  ((const e8k_index_entry *)b)->accession);
}

static int by_date(const void *a, const void *b)
{
    const e8k_index_entry *x = a, *y = b;
    int c = strcmp(x->date, y->date);
    return c ? c : strcmp(x->accession, y->accession);
}

/* Wanted entries, each accession once (master.idx lists a filing under
 * every filer, a search every document that matches), oldest first; with
 * --limit the latest ones, unless some must still show their items. */
static void select_entries(e8k_plan *p)
{
    size_t k = 0;
    for (size_t i = 0; i < p->list.n; i++) {
        e8k_index_entry *e = &p->list.items[i];
        if (entry_wanted(p, e))
            p->list.items[k++] = *e;
    }
    qsort(p->list.items, k, sizeof *p->list.items, by_accession);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || strcmp(p->list.items[u - 1].accession,
                             p->list.items[i].accession))
            p->list.items[u++] = p->list.items[i];
    qsort(p->list.items, u, sizeof *p->list.items, by_date);
    p->sel = p->list.items;
    p->nsel = u;
    for (size_t i = 0; i < u; i++)
        p->items_later |= e8k_plan_items_ok(p, p->sel[i].items) < 0;
    if (p->q->limit && p->nsel > p->q->limit && !p->items_later) {
        p->sel += p->nsel - p->q->limit;
        p->nsel = p->q->limit;
    }
}

/* ---- Reporting filings ------------------------------------------------- */

static void filing_view(const e8k_index_entry *e, const char *url,
                        const char *path, e8k_fetch_filing *ff)
{
    ff->cik = e->cik;
    ff->accession = e->accession;
    ff->form = e->form;
    ff->date = e->date;
    ff->company = e->company;
    ff->url = url;
    ff->path = path;
    ff->items = e->items ? e->items : "";
}

void e8k_plan_emit(e8k_plan *p, e8k_fetch_event_kind kind,
                   const e8k_index_entry *e, const char *url, const char *ext)
{
    char *path = p->f->store_dir ? e8k_filestore_path(p->f->store_dir, e, ext)
                                 : NULL;
    e8k_fetch_filing ff;
    filing_view(e, url, kind == E8K_FETCH_LISTED ? NULL : path, &ff);
    e8k_fetch_event ev = {0};
    ev.kind = kind;
    ev.filing = &ff;
    ev.url = url;
    e8k_fetch_emit(p->f, &ev);
    free(path);
}

/* Reports a filing that was not stored, and keeps the run's first error. */
static void filing_failed(e8k_plan *p, const e8k_index_entry *e,
                          const char *url, long status, const e8k_error *err)
{
    e8k_fetch_filing ff;
    filing_view(e, url, NULL, &ff);
    e8k_plan_failure(p, err, err->status);
    fail_filing(p, &ff, url, status, err->message);
}

int e8k_plan_store(e8k_plan *p, const e8k_index_entry *e, const char *ext,
                   const char *url, const char *data, size_t len)
{
    e8k_error err;
    e8k_error_clear(&err);
    e8k_status st = e8k_filestore_put(p->f->store_dir, e, ext, url, data, len,
                                      &err);
    if (st == E8K_OK) {
        p->f->stats.filings_stored++;
        e8k_plan_emit(p, E8K_FETCH_STORED, e, url, ext);
        return 1;
    }
    err.status = st;
    filing_failed(p, e, url, 200, &err);
    return 0;
}

/* ---- A filing's header ------------------------------------------------ */

/* The value after "KEY:" in an SGML header, for filings asked for by
 * accession alone, whose form and date no index told us. */
static const char *header_value(const char *data, size_t len, const char *key,
                                size_t *vn)
{
    size_t hl = len < E8K_XFER_HEAD ? len : E8K_XFER_HEAD;
    const char *v = e8k_memcasemem(data, hl, key);
    if (!v)
        return NULL;
    v += strlen(key);
    while (v < data + hl && (*v == ' ' || *v == '\t'))
        v++;
    const char *end = v;
    while (end < data + hl && *end != '\r' && *end != '\n')
        end++;
    *vn = (size_t)(end - v);
    return v;
}

/* Form, company and date from the filing's own header (SGML, else .nc
 * tags). E8K_ERR_NOMEM when a copy could not be made: the filing is then
 * reported as failed, not stored under an empty form. */
static e8k_status fill_from_header(e8k_plan *p, e8k_index_entry *e,
                                   const char *data, size_t len)
{
    size_t n;
    const char *v;
    e8k_index_entry nc;
    e8k_pool *pool = &p->list.pool;
    int oom = 0;
    if ((v = header_value(data, len, "CONFORMED SUBMISSION TYPE:", &n)))
        oom |= !(e->form = e8k_pool_utf8(pool, v, n));
    if ((v = header_value(data, len, "COMPANY CONFORMED NAME:", &n)))
        oom |= !(e->company = e8k_pool_utf8(pool, v, n));
    if ((v = header_value(data, len, "FILED AS OF DATE:", &n)) && n == 8)
        snprintf(e->date, sizeof e->date, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
    if (!oom && (!e->form || !e->form[0])) {
        e8k_status st = e8k_feed_header(data, len, pool, &nc);
        if (st == E8K_OK) {
            e->form = nc.form;
            e->company = nc.company;
            memcpy(e->date, nc.date, sizeof e->date);
        }
        oom = st == E8K_ERR_NOMEM;
    }
    if (!e->form)
        e->form = "";
    if (!e->company)
        e->company = "";
    return oom ? E8K_ERR_NOMEM : E8K_OK;
}

/* The items a filing's header states, kept with its entry; whether they
 * pass --items (0 no, 1 yes, -1 out of memory). */
static int header_items_ok(e8k_plan *p, e8k_index_entry *e, const char *head,
                           size_t len)
{
    char items[256];
    e8k_header_items(head, len, items, sizeof items);
    if (!(e->items = e8k_pool_strdup(&p->list.pool, items)))
        return -1;
    if (e8k_plan_items_ok(p, e->items) > 0)
        return 1;
    p->f->stats.filings_unmatched++;
    return 0;
}

/* ---- Fetching and storing filings ---------------------------------------- */

/* Before a filing's first try: its temporary file, so that its body
 * streams to disk under the size cap, never to memory. */
static int on_filing_start(e8k_fetcher *f, e8k_xfer *x, void *ctx)
{
    (void)f;
    e8k_plan *p = ctx;
    e8k_sink *k = &p->sinks[x->tag];
    const e8k_index_entry *e = &p->sel[x->tag];
    char base[64];
    snprintf(base, sizeof base, "%s.txt", e->accession);
    k->dirfd = e8k_filestore_dirfd(p->f->store_dir, e, 1);
    if (k->dirfd >= 0)
        k->fd = e8k_tmp_create(k->dirfd, base, k->tmp, sizeof k->tmp);
    if (k->dirfd < 0 || k->fd < 0 || e8k_xfer_to_file(x, k->fd) != 0) {
        x->result = E8K_ERR_IO;
        snprintf(x->message, sizeof x->message, "cannot create a temporary "
                 "file in the store: %s", errno == ELOOP || errno == ENOTDIR
                 ? "a directory of the store is a symbolic link"
                 : strerror(errno));
        return -1;
    }
    return 0;
}

/* The temporary file becomes the filing, or goes. */
static void store_download(e8k_plan *p, e8k_xfer *x, const e8k_index_entry *e)
{
    e8k_sink *k = &p->sinks[x->tag];
    e8k_error err;
    e8k_error_clear(&err);
    char sha[65];
    e8k_sha256_final(&x->sha, sha);
    e8k_status st = e8k_filestore_put_tmp(k->dirfd, p->f->store_dir, e, "txt",
                                          x->url, k->tmp, k->fd, x->received,
                                          sha, &err);
    if (st == E8K_OK) {
        k->tmp[0] = '\0'; /* renamed: nothing to remove */
        p->f->stats.filings_stored++;
        p->matched++;
        e8k_plan_emit(p, E8K_FETCH_STORED, e, x->url, "txt");
        return;
    }
    err.status = st;
    filing_failed(p, e, x->url, 200, &err);
}

static void sink_close(e8k_sink *k)
{
    if (k->tmp[0] && k->dirfd >= 0)
        (void)unlinkat(k->dirfd, k->tmp, 0);
    if (k->fd >= 0)
        close(k->fd);
    if (k->dirfd >= 0)
        close(k->dirfd);
    k->fd = k->dirfd = -1;
    k->tmp[0] = '\0';
}

static void on_filing_done(e8k_fetcher *f, e8k_xfer *x, void *ctx)
{
    (void)f;
    e8k_plan *p = ctx;
    e8k_index_entry *e = &p->sel[x->tag];
    e8k_error err;
    int items = 1;
    if (x->result != E8K_OK) {
        e8k_fail(&err, x->result == E8K_ERR_IO ? E8K_ERR_IO : E8K_ERR_NETWORK,
                 x->url, NULL, 0, E8K_NO_OFFSET, "%s", x->message);
        filing_failed(p, e, x->url, x->status, &err);
    } else if ((!e->form[0] &&
                fill_from_header(p, e, x->head, x->headlen) != E8K_OK) ||
               (!e->items && p->q->nitems &&
                (items = header_items_ok(p, e, x->head, x->headlen)) < 0)) {
        e8k_fail(&err, E8K_ERR_NOMEM, x->url, NULL, 0, E8K_NO_OFFSET,
                 "out of memory reading the filing's header");
        filing_failed(p, e, x->url, x->status, &err);
    } else if (items) {
        store_download(p, x, e);
    } /* else its header states none of --items: the download goes */
    sink_close(&p->sinks[x->tag]);
    /* what a finished transfer held goes now, not at the end of the run */
    free(x->head);
    x->head = NULL;
    e8k_buf_free(&x->body);
    e8k_buf_free(&x->errbody);
}

static char *filing_url(e8k_plan *p, const e8k_index_entry *e)
{
    e8k_buf b = {0};
    char nodash[19];
    e8k_accession_nodash(e->accession, nodash);
    if (e8k_buf_printf(&b, "%s/Archives/edgar/data/%s/%s/%s.txt",
                       p->f->base_url, e->cik, nodash, e->accession) != 0)
        e8k_buf_free(&b);
    return b.data;
}

/* A filing the store holds: present, unless its header (read from the
 * store) states none of the items asked for. -1: out of memory. */
static int present(e8k_plan *p, e8k_index_entry *e, const char *url)
{
    if (!e->items && p->q->nitems) {
        char *head = malloc(E8K_XFER_HEAD);
        long n = head ? e8k_filestore_head(p->f->store_dir, e, head,
                                           E8K_XFER_HEAD) : -1;
        int ok = head ? header_items_ok(p, e, head, n > 0 ? (size_t)n : 0)
                      : -1;
        free(head);
        if (ok <= 0)
            return ok;
    }
    p->f->stats.filings_present++;
    p->matched++;
    e8k_plan_emit(p, E8K_FETCH_PRESENT, e, url, "txt");
    return 1;
}

/* Queues what the store lacks of sel[first..first+n), runs the
 * transfers, stores as they land. */
static e8k_status fetch_range(e8k_plan *p, size_t first, size_t n,
                              e8k_error *err)
{
    e8k_xfer *xs = calloc(n ? n : 1, sizeof *xs);
    if (!xs)
        return e8k_plan_nomem(err);
    size_t m = 0;
    e8k_status st = E8K_OK;
    for (size_t i = first; i < first + n && st == E8K_OK; i++) {
        e8k_index_entry *e = &p->sel[i];
        char *url = filing_url(p, e);
        if (!url)
            st = e8k_plan_nomem(err);
        else if (p->f->store_dir && e8k_filestore_has(p->f->store_dir, e)) {
            if (present(p, e, url) < 0)
                st = e8k_plan_nomem(err);
        } else if (p->f->opt.dry_run) {
            p->matched++;
            e8k_plan_emit(p, E8K_FETCH_LISTED, e, url, "txt");
        } else if (e8k_xfer_init(p->f, &xs[m], url, 0) != 0)
            st = e8k_plan_nomem(err); /* the URL is on the base host */
        else {
            xs[m].expect_submission = 1;
            xs[m++].tag = i;
        }
        free(url);
    }
    e8k_batch b = {xs, m, 0, 0, 0, on_filing_done, on_filing_start, p};
    if (st == E8K_OK)
        e8k_batch_run(p->f, &b);
    for (size_t i = 0; i < m; i++) {
        e8k_xfer_free(&xs[i]);
        sink_close(&p->sinks[xs[i].tag]); /* a run abandoned midway */
    }
    free(xs);
    return st;
}

/* Every selected filing; with --limit and items still to be read from
 * the headers, the newest first, a round at a time, until `limit` of
 * them state the items or none is left. */
static e8k_status fetch_selected(e8k_plan *p, e8k_error *err)
{
    p->sinks = calloc(p->nsel ? p->nsel : 1, sizeof *p->sinks);
    if (!p->sinks)
        return e8k_plan_nomem(err);
    for (size_t i = 0; i < p->nsel; i++)
        p->sinks[i].fd = p->sinks[i].dirfd = -1;
    e8k_status st = E8K_OK;
    size_t limit = p->q->limit;
    if (!limit || !p->items_later) {
        p->f->stats.filings_total = p->nsel;
        st = fetch_range(p, 0, p->nsel, err);
    }
    for (size_t end = p->nsel; limit && p->items_later && st == E8K_OK &&
                               end > 0 && p->matched < limit;) {
        size_t k = limit - p->matched < end ? limit - p->matched : end;
        p->f->stats.filings_total += k;
        st = fetch_range(p, end - k, k, err);
        end -= k;
    }
    free(p->sinks);
    p->sinks = NULL;
    return st;
}

/* ---- The run ---------------------------------------------------------- */

static e8k_status check_items(const e8k_fetch_query *q, e8k_error *err)
{
    char num[E8K_ITEM_NUMBER_SIZE];
    if (q->nitems > E8K_MAX_ITEMS_ASKED)
        return e8k_plan_usage(err, "--items: at most %d items",
                              E8K_MAX_ITEMS_ASKED);
    for (size_t i = 0; i < q->nitems; i++)
        if (!q->items[i] ||
            e8k_item_number_normalize(q->items[i], strlen(q->items[i]),
                                      num) != 0)
            return e8k_plan_usage(err, "--items: \"%.20s\" is not an 8-K "
                                  "item number (expected 1.01, 3.02, 8.01 "
                                  "...)", q->items[i] ? q->items[i] : "");
    return E8K_OK;
}

static e8k_status check_query(const e8k_fetcher *f, const e8k_fetch_query *q,
                              e8k_error *err)
{
    int companies = (q->cik && !q->accession) || q->nciks || q->ticker ||
                    q->ntickers;
    int n = (q->search != NULL) + (q->quarter != NULL) + (q->date != NULL) +
            (q->accession != NULL) + (q->feed != NULL) +
            (companies && !q->search);
    if (n != 1 || (q->accession && (q->nciks || q->ticker || q->ntickers)))
        return e8k_plan_usage(err, "choose exactly one of --cik or --ticker "
                              "(any number of them), --search (with --cik "
                              "or --ticker: only their filings), --quarter, "
                              "--date, --accession, --feed");
    if ((q->since && !e8k_plan_valid_date(q->since)) ||
        (q->until && !e8k_plan_valid_date(q->until)))
        return e8k_plan_usage(err, "--since/--until: expected YYYY-MM-DD");
    if (q->nitems && f->opt.dry_run && (q->quarter || q->date || q->accession))
        return e8k_plan_usage(err, "--items: the items of a filing from "
                              "--quarter, --date or --accession are read "
                              "from its header once it is downloaded: not "
                              "in a dry run");
    return check_items(q, err);
}

e8k_status e8k_fetch_run(e8k_fetcher *f, const e8k_fetch_query *q,
                         e8k_error *err)
{
    e8k_status st = check_query(f, q, err);
    if (st != E8K_OK)
        return st;
    e8k_plan p = {0};
    p.f = f;
    p.q = q;
    p.forms = q->forms && q->nforms ? q->forms : e8k_default_forms;
    p.nforms = q->forms && q->nforms ? q->nforms : E8K_NDEFAULT_FORMS;
    memset(&f->stats, 0, sizeof f->stats);
    f->run_start = e8k_now();
    f->run_deadline = f->opt.max_time_ms > 0
                          ? f->run_start + (double)f->opt.max_time_ms / 1000.0
                          : 0;
    if (f->store_dir && !f->opt.dry_run &&
        (st = e8k_mkdirs(f->store_dir, err)) != E8K_OK)
        return st;
    if (q->feed)
        st = e8k_plan_feed(&p, err);
    else {
        st = q->search ? e8k_plan_search(&p, err) : e8k_plan_list(&p, err);
        if (p.list.nskips > E8K_INDEX_SKIPS_KEPT)
            e8k_plan_say(&p, E8K_FETCH_WARNING, NULL, 0, "%zu more index "
                         "lines or entries skipped (%zu in all)",
                         p.list.nskips - E8K_INDEX_SKIPS_KEPT,
                         p.list.nskips);
        if (st == E8K_OK) {
            select_entries(&p);
            st = fetch_selected(&p, err);
        }
    }
    e8k_fetch_event ev = {0};
    ev.kind = E8K_FETCH_PROGRESS;
    e8k_fetch_emit(f, &ev);
    if (st == E8K_OK && p.failed) {
        if (err)
            *err = p.first;
        st = p.first.status;
    }
    free(p.ciks);
    e8k_index_list_free(&p.list);
    return st;
}
