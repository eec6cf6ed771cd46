/* fetch_plan.c: what `edgar8k fetch` fetches and where it goes. It turns a
 * query (CIK, ticker, quarter, day, accession, Feed day) into index
 * entries by fetching EDGAR's own lists, filters them, skips what the store
 * already holds verified, and hands the rest to the transfer engine
 * (fetch.c), storing each submission as soon as it has arrived whole. */
#include "fetch_eng.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Where a filing's download goes while it arrives: a temporary file,
 * locked by this process, in the filing's own directory of the store. */
typedef struct sink {
    int dirfd;
    int fd;
    char tmp[128];
} sink;

typedef struct plan {
    e8k_fetcher *f;
    sink *sinks;          /* one per transfer of fetch_selected, by tag */
    const e8k_fetch_query *q;
    const char *const *forms;
    size_t nforms;
    e8k_index_list list;
    e8k_index_entry *sel; /* selected entries, pointing into list */
    size_t nsel;
    const char *feed_url;
    e8k_error first;
    int failed;
    size_t skips_reported; /* of list.skips */
} plan;

static e8k_status usage(e8k_error *err, const char *msg)
{
    return e8k_fail(err, E8K_ERR_USAGE, "", NULL, 0, E8K_NO_OFFSET, "%s",
                    msg);
}

static e8k_status nomem(e8k_error *err)
{
    return e8k_fail(err, E8K_ERR_NOMEM, "", NULL, 0, E8K_NO_OFFSET,
                    "out of memory");
}

/* Keeps the first failure for the caller; the run goes on with the rest. */
static void record_failure(plan *p, const e8k_error *e, e8k_status st)
{
    if (!p->failed) {
        p->first = *e;
        p->first.status = st;
    }
    p->failed = 1;
}

static void fail_filing(plan *p, const e8k_fetch_filing *ff, const char *url,
                        long status, const char *msg)
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

/* ---- Fetching the lists ---------------------------------------------------- */

/* Asks for url only if it changed since the cached copy, when there is one
 * with validators; *cached then holds that copy. */
static void use_cache(plan *p, e8k_xfer *x, e8k_cache_entry *cached)
{
    memset(cached, 0, sizeof *cached);
    if (!p->f->store_dir ||
        e8k_filestore_cache_get(p->f->store_dir, x->url, cached) != 0)
        return;
    x->if_none_match = cached->etag[0] ? cached->etag : NULL;
    x->if_modified_since = cached->last_modified[0] ? cached->last_modified
                                                    : NULL;
}

/* One index document into memory (*body malloc'ed) through the engine. */
static e8k_status fetch_doc(plan *p, const char *url, char **body,
                            size_t *len, e8k_error *err)
{
    e8k_xfer x;
    e8k_batch b = {&x, 1, 0, 0, 0, NULL, NULL, NULL};
    e8k_cache_entry cached;
    /* parsed in memory: under the index cap, whatever --max-size says */
    size_t cap = p->f->opt.max_response < E8K_MAX_INDEX_SIZE
                     ? p->f->opt.max_response : E8K_MAX_INDEX_SIZE;
    if (e8k_xfer_init(p->f, &x, url, cap) != 0)
        return e8k_fail(err, E8K_ERR_NOMEM, url, NULL, 0, E8K_NO_OFFSET,
                        "out of memory");
    use_cache(p, &x, &cached);
    e8k_batch_run(p->f, &b);
    e8k_status st = x.result;
    if (st == E8K_OK && x.status == 304) {
        *len = cached.len;
        *body = cached.body;
        cached.body = NULL;
    } else if (st == E8K_OK) {
        if (p->f->store_dir && !p->f->opt.dry_run &&
            (x.etag[0] || x.last_modified[0]))
            e8k_filestore_cache_put(p->f->store_dir, url, x.body.data,
                                    x.body.len, x.etag, x.last_modified);
        *len = x.body.len;
        *body = e8k_buf_take(&x.body);
    } else
        e8k_fail(err, E8K_ERR_NETWORK, url, NULL, 0, E8K_NO_OFFSET, "%s",
                 x.message);
    free(cached.body);
    e8k_xfer_free(&x);
    return st == E8K_OK ? E8K_OK : E8K_ERR_NETWORK;
}

/* An index line or entry that could not be read is skipped, never the
 * whole list: each is reported (where, what) as a warning. */
static void report_skips(plan *p)
{
    e8k_index_list *l = &p->list;
    size_t kept = l->nskips < E8K_INDEX_SKIPS_KEPT ? l->nskips
                                                   : E8K_INDEX_SKIPS_KEPT;
    for (; p->skips_reported < kept; p->skips_reported++) {
        const e8k_error *e = &l->skips[p->skips_reported];
        char msg[1200];
        if (e->line)
            snprintf(msg, sizeof msg, "%s:%zu: byte %zu: %s", e->file,
                     e->line, e->offset, e->message);
        else
            snprintf(msg, sizeof msg, "%s: %s", e->file, e->message);
        e8k_fetch_event ev = {0};
        ev.kind = E8K_FETCH_WARNING;
        ev.message = msg;
        e8k_fetch_emit(p->f, &ev);
    }
    p->f->stats.index_skipped = l->nskips;
}

static e8k_status list_submissions(plan *p, const char *url, const char *cik,
                                   e8k_error *err)
{
    char *body = NULL;
    size_t len = 0;
    e8k_status st = fetch_doc(p, url, &body, &len, err);
    if (st == E8K_OK)
        st = e8k_index_parse_submissions(body, len, url, cik, &p->list, err);
    report_skips(p);
    free(body);
    return st;
}

/* CIK##########.json, then each page it names in filings.files[]. */
static e8k_status list_cik(plan *p, const char *cik, e8k_error *err)
{
    e8k_buf url = {0};
    unsigned long long n = strtoull(cik, NULL, 10);
    if (e8k_buf_printf(&url, "%s/submissions/CIK%010llu.json",
                       p->f->data_url, n) != 0)
        return nomem(err);
    e8k_status st = list_submissions(p, url.data, cik, err);
    size_t first = p->list.n;
    const char *company = first ? p->list.items[0].company : "";
    for (size_t i = 0; st == E8K_OK && i < p->list.npages; i++) {
        url.len = 0;
        if (e8k_buf_printf(&url, "%s/submissions/%s", p->f->data_url,
                           p->list.pages[i]) != 0)
            st = nomem(err);
        else
            st = list_submissions(p, url.data, cik, err);
    }
    /* Pages carry no company name: lend them the main document's. */
    for (size_t i = first; i < p->list.n; i++)
        if (!p->list.items[i].company[0])
            p->list.items[i].company = company;
    e8k_buf_free(&url);
    return st;
}

static e8k_status list_ticker(plan *p, e8k_error *err)
{
    e8k_buf url = {0};
    char *body = NULL, cik[11];
    size_t len = 0;
    if (e8k_buf_printf(&url, "%s/files/company_tickers.json",
                       p->f->base_url) != 0)
        return nomem(err);
    e8k_status st = fetch_doc(p, url.data, &body, &len, err);
    if (st == E8K_OK)
        st = e8k_index_ticker_cik(body, len, url.data, p->q->ticker, cik,
                                  err);
    free(body);
    e8k_buf_free(&url);
    return st == E8K_OK ? list_cik(p, cik, err) : st;
}

static e8k_status list_idx(plan *p, const char *url, e8k_error *err)
{
    char *body = NULL;
    size_t len = 0;
    e8k_status st = fetch_doc(p, url, &body, &len, err);
    if (st == E8K_OK)
        st = e8k_index_parse_idx(body, len, url, &p->list, err);
    report_skips(p);
    free(body);
    return st;
}

/* ---- Selectors ------------------------------------------------------------ */

static int valid_date(const char *s)
{
    return s && strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
           strspn(s, "0123456789-") == 10 && strncmp(s + 5, "13", 2) < 0 &&
           strncmp(s + 8, "32", 2) < 0;
}

/* "2024-Q1" (or 2024Q1, 2024-QTR1) into year and quarter. */
static int parse_quarter(const char *s, int *year, int *qtr)
{
    char rest[8];
    if (sscanf(s, "%4d%7s", year, rest) != 2 || *year < 1993 || *year > 9999)
        return -1;
    const char *r = rest[0] == '-' ? rest + 1 : rest;
    if (!strncasecmp(r, "QTR", 3))
        r += 3;
    else if (*r == 'Q' || *r == 'q')
        r++;
    else
        return -1;
    if (r[0] < '1' || r[0] > '4' || r[1])
        return -1;
    *qtr = r[0] - '0';
    return 0;
}

/* The quarter (1-4) of a valid YYYY-MM-DD date. */
static int quarter_of(const char *date)
{
    return ((date[5] - '0') * 10 + (date[6] - '0') - 1) / 3 + 1;
}


static e8k_status list_quarter_or_day(plan *p, e8k_error *err)
{
    const e8k_fetch_query *q = p->q;
    e8k_buf url = {0};
    int year, qtr, r;
    if (q->quarter) {
        if (parse_quarter(q->quarter, &year, &qtr) != 0)
            return usage(err, "--quarter: expected YYYY-QN, e.g. 2024-Q1");
        r = e8k_buf_printf(&url, "%s/Archives/edgar/full-index/%d/QTR%d/"
                           "form.idx", p->f->base_url, year, qtr);
    } else {
        if (!valid_date(q->date))
            return usage(err, "--date: expected YYYY-MM-DD");
        r = e8k_buf_printf(&url, "%s/Archives/edgar/daily-index/%.4s/QTR%d/"
                           "form.%.4s%.2s%.2s.idx", p->f->base_url, q->date,
                           quarter_of(q->date), q->date,
                           q->date + 5, q->date + 8);
    }
    e8k_status st = r != 0 ? nomem(err)
                           : list_idx(p, url.data, err);
    e8k_buf_free(&url);
    return st;
}

static e8k_status list_accession(plan *p, e8k_error *err)
{
    e8k_index_entry e = {0};
    const char *a = p->q->accession;
    if (e8k_accession_normalize(a, strlen(a), e.accession) != 0)
        return usage(err, "--accession: expected 0000320193-99-000010 "
                          "(18 digits, dashes optional)");
    const char *cik = p->q->cik ? p->q->cik : e.accession;
    size_t n = p->q->cik ? strlen(cik) : 10;
    if (e8k_cik_normalize(cik, n, e.cik) != 0)
        return usage(err, "--cik: expected 1 to 10 digits");
    e.form = "";
    e.company = "";
    if (e8k_index_list_add(&p->list, &e) != 0)
        return nomem(err);
    return E8K_OK;
}

static e8k_status list_filings(plan *p, e8k_error *err)
{
    const e8k_fetch_query *q = p->q;
    if (q->accession)
        return list_accession(p, err);
    if (q->cik) {
        char cik[11];
        if (e8k_cik_normalize(q->cik, strlen(q->cik), cik) != 0)
            return usage(err, "--cik: expected 1 to 10 digits");
        return list_cik(p, cik, err);
    }
    if (q->ticker)
        return list_ticker(p, err);
    return list_quarter_or_day(p, err);
}

/* ---- Selection -------------------------------------------------------- */

static int form_wanted(const plan *p, const char *form)
{
    for (size_t i = 0; i < p->nforms; i++)
        if (!strcasecmp(form, p->forms[i]))
            return 1;
    return 0;
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

/* Wanted forms within the dates, each accession once (master.idx lists a
 * filing under every filer), oldest first. */
static void select_entries(plan *p)
{
    const e8k_fetch_query *q = p->q;
    size_t k = 0;
    for (size_t i = 0; i < p->list.n; i++) {
        e8k_index_entry *e = &p->list.items[i];
        if (!q->accession && (!form_wanted(p, e->form) ||
                              (q->since && strcmp(e->date, q->since) < 0) ||
                              (q->until && strcmp(e->date, q->until) > 0)))
            continue;
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
}

/* ---- Fetching and storing filings ---------------------------------------- */

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
}

static void emit_filing(plan *p, e8k_fetch_event_kind kind,
                        const e8k_index_entry *e, const char *url,
                        const char *ext)
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

/* The value after "KEY:" in an SGML header, for filings asked for by
 * accession alone, whose form and date no index told us. */
static const char *header_value(const char *data, size_t len, const char *key,
                                size_t *vn)
{
    size_t hl = len < 65536 ? len : 65536;
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
static e8k_status fill_from_header(plan *p, e8k_index_entry *e,
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

/* Reports a filing that was not stored, and keeps the run's first error. */
static void filing_failed(plan *p, const e8k_index_entry *e, const char *url,
                          long status, const e8k_error *err)
{
    e8k_fetch_filing ff;
    filing_view(e, url, NULL, &ff);
    record_failure(p, err, err->status);
    fail_filing(p, &ff, url, status, err->message);
}

/* Checks and stores one submission; reports either way. */
static void store_filing(plan *p, const e8k_index_entry *e, const char *ext,
                         const char *url, const char *data, size_t len)
{
    e8k_error err;
    e8k_error_clear(&err);
    e8k_status st = e8k_filestore_put(p->f->store_dir, e, ext, url, data, len,
                                  &err);
    if (st == E8K_OK) {
        p->f->stats.filings_stored++;
        emit_filing(p, E8K_FETCH_STORED, e, url, ext);
        return;
    }
    err.status = st;
    filing_failed(p, e, url, 200, &err);
}

/* Before a filing's first try: its temporary file, so that its body
 * streams to disk under the size cap, never to memory. */
static int on_filing_start(e8k_fetcher *f, e8k_xfer *x, void *ctx)
{
    (void)f;
    plan *p = ctx;
    sink *k = &p->sinks[x->tag];
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
static void store_download(plan *p, e8k_xfer *x, const e8k_index_entry *e)
{
    sink *k = &p->sinks[x->tag];
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
        emit_filing(p, E8K_FETCH_STORED, e, x->url, "txt");
        return;
    }
    err.status = st;
    filing_failed(p, e, x->url, 200, &err);
}

static void sink_close(sink *k)
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
    plan *p = ctx;
    e8k_index_entry *e = &p->sel[x->tag];
    e8k_error err;
    if (x->result != E8K_OK) {
        e8k_fail(&err, x->result == E8K_ERR_IO ? E8K_ERR_IO : E8K_ERR_NETWORK,
                 x->url, NULL, 0, E8K_NO_OFFSET, "%s", x->message);
        filing_failed(p, e, x->url, x->status, &err);
    } else if (!e->form[0] &&
               fill_from_header(p, e, x->head, x->headlen) != E8K_OK) {
        e8k_fail(&err, E8K_ERR_NOMEM, x->url, NULL, 0, E8K_NO_OFFSET,
                 "out of memory reading the filing's header");
        filing_failed(p, e, x->url, x->status, &err);
    } else {
        store_download(p, x, e);
    }
    sink_close(&p->sinks[x->tag]);
    /* what a finished transfer held goes now, not at the end of the run */
    free(x->head);
    x->head = NULL;
    e8k_buf_free(&x->body);
    e8k_buf_free(&x->errbody);
}

static char *filing_url(plan *p, const e8k_index_entry *e)
{
    e8k_buf b = {0};
    char nodash[21];
    size_t k = 0;
    for (const char *s = e->accession; *s; s++)
        if (*s != '-')
            nodash[k++] = *s;
    nodash[k] = '\0';
    if (e8k_buf_printf(&b, "%s/Archives/edgar/data/%s/%s/%s.txt",
                       p->f->base_url, e->cik, nodash, e->accession) != 0)
        e8k_buf_free(&b);
    return b.data;
}

/* Queues what the store lacks, runs the transfers, stores as they land. */
static e8k_status fetch_selected(plan *p, e8k_error *err)
{
    e8k_xfer *xs = calloc(p->nsel ? p->nsel : 1, sizeof *xs);
    p->sinks = calloc(p->nsel ? p->nsel : 1, sizeof *p->sinks);
    if (!xs || !p->sinks) {
        free(xs);
        free(p->sinks);
        return nomem(err);
    }
    for (size_t i = 0; i < p->nsel; i++)
        p->sinks[i].fd = p->sinks[i].dirfd = -1;
    size_t n = 0;
    p->f->stats.filings_total = p->nsel;
    e8k_status st = E8K_OK;
    for (size_t i = 0; i < p->nsel && st == E8K_OK; i++) {
        e8k_index_entry *e = &p->sel[i];
        char *url = filing_url(p, e);
        if (!url)
            st = nomem(err);
        else if (p->f->store_dir && e8k_filestore_has(p->f->store_dir, e)) {
            p->f->stats.filings_present++;
            emit_filing(p, E8K_FETCH_PRESENT, e, url, "txt");
        } else if (p->f->opt.dry_run)
            emit_filing(p, E8K_FETCH_LISTED, e, url, "txt");
        else if (e8k_xfer_init(p->f, &xs[n], url, 0) != 0)
            st = nomem(err); /* the URL is on the base host: memory */
        else {
            xs[n].expect_submission = 1;
            xs[n++].tag = i;
        }
        free(url);
    }
    e8k_batch b = {xs, n, 0, 0, 0, on_filing_done, on_filing_start, p};
    if (st == E8K_OK)
        e8k_batch_run(p->f, &b);
    for (size_t i = 0; i < n; i++) {
        e8k_xfer_free(&xs[i]);
        sink_close(&p->sinks[xs[i].tag]); /* a run abandoned midway */
    }
    free(xs);
    free(p->sinks);
    p->sinks = NULL;
    return st;
}

/* ---- Feed tarballs ---------------------------------------------------- */

typedef struct feed_run {
    plan *p;
    e8k_batch b;
    e8k_xfer x;
    e8k_buf out;        /* what libarchive holds until its next pull */
    e8k_index_list kept; /* filings stored or present, for the marker */
} feed_run;

/* libarchive pulls; this pumps the engine until bytes arrive, so the
 * tarball flows from the socket to the member filter with no file between
 * and the rate limiter and fault handling still apply. */
static long feed_pull(void *ctx, const void **data)
{
    feed_run *fr = ctx;
    e8k_xfer *x = &fr->x;
    while (x->body.len == 0 && x->state != E8K_X_DONE)
        e8k_batch_step(fr->p->f, &fr->b);
    if (x->body.len > 0) {
        e8k_buf t = fr->out;
        fr->out = x->body;
        x->body = t;
        x->body.len = 0;
        *data = fr->out.data;
        return (long)fr->out.len;
    }
    if (x->result == E8K_OK)
        return 0;
    *data = x->message;
    return -1;
}

static int feed_member(const e8k_index_entry *e, const char *data,
                       size_t len, void *ctx)
{
    feed_run *fr = ctx;
    plan *p = fr->p;
    p->f->stats.filings_total++;
    int keep = 1;
    if (p->f->store_dir && e8k_filestore_has(p->f->store_dir, e)) {
        p->f->stats.filings_present++;
        emit_filing(p, E8K_FETCH_PRESENT, e, p->feed_url, "nc");
    } else if (p->f->opt.dry_run)
        keep = 0;
    else {
        size_t before = p->f->stats.filings_stored;
        store_filing(p, e, "nc", p->feed_url, data, len);
        keep = p->f->stats.filings_stored > before;
    }
    if (p->f->opt.dry_run && keep == 0)
        emit_filing(p, E8K_FETCH_LISTED, e, p->feed_url, "nc");
    if (keep && e8k_index_list_add(&fr->kept, e) != 0)
        p->failed = 1; /* no marker then: the next run reads the tarball */
    return 0;
}

/* A rerun of a Feed day already read through: report its filings as
 * present without downloading the tarball, if they all still are. */
static int feed_known(plan *p, const char *marker)
{
    e8k_index_list l = {0};
    int ok = e8k_filestore_feed_load(marker, &l) == 0;
    for (size_t i = 0; ok && i < l.n; i++)
        ok = e8k_filestore_has(p->f->store_dir, &l.items[i]);
    for (size_t i = 0; ok && i < l.n; i++) {
        p->f->stats.filings_total++;
        p->f->stats.filings_present++;
        emit_filing(p, E8K_FETCH_PRESENT, &l.items[i], p->feed_url, "nc");
    }
    e8k_index_list_free(&l);
    return ok;
}

static e8k_status fetch_feed(plan *p, e8k_error *err)
{
    const char *d = p->q->feed;
    if (!valid_date(d))
        return usage(err, "--feed: expected YYYY-MM-DD");
    e8k_buf url = {0};
    if (e8k_buf_printf(&url, "%s/Archives/edgar/Feed/%.4s/QTR%d/"
                       "%.4s%.2s%.2s.nc.tar.gz", p->f->base_url, d,
                       quarter_of(d), d, d + 5, d + 8) != 0)
        return nomem(err);
    feed_run fr = {0};
    fr.p = p;
    p->feed_url = url.data;
    char *marker = p->f->store_dir
                       ? e8k_filestore_feed_marker(p->f->store_dir, d,
                                                   p->forms, p->nforms)
                       : NULL;
    e8k_status st = E8K_ERR_NOMEM;
    if (marker && feed_known(p, marker))
        st = E8K_OK;
    else if (e8k_xfer_init(p->f, &fr.x, url.data, E8K_MAX_FEED_SIZE) == 0) {
        fr.x.stream = 1;
        fr.b.xs = &fr.x;
        fr.b.n = 1;
        st = e8k_feed_read(NULL, 0, feed_pull, &fr, url.data, p->forms,
                           p->nforms, feed_member, &fr, err);
        if (st != E8K_OK && fr.x.result != E8K_OK &&
            fr.x.state == E8K_X_DONE)
            st = e8k_fail(err, E8K_ERR_NETWORK, url.data, NULL, 0,
                          E8K_NO_OFFSET, "%s", fr.x.message);
        if (st == E8K_OK && !p->failed && !p->f->opt.dry_run && marker)
            st = e8k_filestore_feed_done(marker, &fr.kept, err);
    } else
        e8k_fail(err, st, "", NULL, 0, E8K_NO_OFFSET, "out of memory");
    free(marker);
    e8k_index_list_free(&fr.kept);
    e8k_xfer_free(&fr.x);
    e8k_buf_free(&fr.out);
    e8k_buf_free(&url);
    p->feed_url = NULL;
    return st;
}

/* ---- The run ---------------------------------------------------------- */

static e8k_status check_query(const e8k_fetch_query *q, e8k_error *err)
{
    int n = (q->ticker != NULL) + (q->quarter != NULL) + (q->date != NULL) +
            (q->accession != NULL) + (q->feed != NULL) +
            (q->cik != NULL && q->accession == NULL);
    if (n != 1)
        return usage(err, "choose exactly one of --cik, --ticker, --quarter, "
                          "--date, --accession, --feed");
    if ((q->since && !valid_date(q->since)) ||
        (q->until && !valid_date(q->until)))
        return usage(err, "--since/--until: expected YYYY-MM-DD");
    return E8K_OK;
}

e8k_status e8k_fetch_run(e8k_fetcher *f, const e8k_fetch_query *q,
                         e8k_error *err)
{
    e8k_status st = check_query(q, err);
    if (st != E8K_OK)
        return st;
    plan p = {0};
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
        st = fetch_feed(&p, err);
    else if ((st = list_filings(&p, err)) == E8K_OK) {
        if (p.list.nskips > E8K_INDEX_SKIPS_KEPT) {
            char msg[200];
            snprintf(msg, sizeof msg, "%zu more index lines or entries "
                     "skipped (%zu in all)",
                     p.list.nskips - E8K_INDEX_SKIPS_KEPT, p.list.nskips);
            e8k_fetch_event ev = {0};
            ev.kind = E8K_FETCH_WARNING;
            ev.message = msg;
            e8k_fetch_emit(f, &ev);
        }
        select_entries(&p);
        st = fetch_selected(&p, err);
    }
    e8k_fetch_event ev = {0};
    ev.kind = E8K_FETCH_PROGRESS;
    e8k_fetch_emit(f, &ev);
    if (st == E8K_OK && p.failed) {
        if (err)
            *err = p.first;
        st = p.first.status;
    }
    e8k_index_list_free(&p.list);
    return st;
}
