/* SPDX-License-Identifier: MIT */
/* fetch_list.c: the lists `edgar8k fetch` selects filings from: companies
 * (their CIKs, given or found through company_tickers.json, and each one's
 * submissions JSON with its paged history), the quarter's full-index and
 * the day's daily-index form.idx, one accession. Each list document comes
 * through the transfer engine, cached in the store with its validators; a
 * company EDGAR does not know is reported by name, and the others listed. */
#include "fetch_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- Fetching the lists ---------------------------------------------------- */

/* Asks for url only if it changed since the cached copy, when there is one
 * with validators; *cached then holds that copy. */
static void use_cache(e8k_plan *p, e8k_xfer *x, e8k_cache_entry *cached)
{
    memset(cached, 0, sizeof *cached);
    if (!p->f->store_dir ||
        e8k_filestore_cache_get(p->f->store_dir, x->url, cached) != 0)
        return;
    x->if_none_match = cached->etag[0] ? cached->etag : NULL;
    x->if_modified_since = cached->last_modified[0] ? cached->last_modified
                                                    : NULL;
}

/* The planner reports a list document's failure itself (naming the
 * company, say), not the engine. */
static void doc_done(e8k_fetcher *f, e8k_xfer *x, void *ctx)
{
    (void)f, (void)x, (void)ctx;
}

e8k_status e8k_plan_doc(e8k_plan *p, const char *url, char **body,
                        size_t *len, long *status, e8k_error *err)
{
    e8k_xfer x;
    e8k_batch b = {&x, 1, 0, 0, 0, doc_done, NULL, NULL};
    e8k_cache_entry cached;
    /* parsed in memory: under the index cap, whatever --max-size says */
    size_t cap = p->f->opt.max_response < E8K_MAX_INDEX_SIZE
                     ? p->f->opt.max_response : E8K_MAX_INDEX_SIZE;
    *status = 0;
    if (e8k_xfer_init(p->f, &x, url, cap) != 0)
        return e8k_plan_nomem(err);
    use_cache(p, &x, &cached);
    e8k_batch_run(p->f, &b);
    e8k_status st = x.result;
    *status = x.status;
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

e8k_status e8k_plan_doc_failed(e8k_plan *p, e8k_status st,
                               const e8k_error *err, long status)
{
    e8k_plan_failure(p, err, st);
    e8k_plan_say(p, E8K_FETCH_FAILED, err->file, status, "%s", err->message);
    return st;
}

/* An index line or entry that could not be read is skipped, never the
 * whole list: each is reported (where, what) as a warning. */
void e8k_plan_report_skips(e8k_plan *p)
{
    e8k_index_list *l = &p->list;
    size_t kept = l->nskips < E8K_INDEX_SKIPS_KEPT ? l->nskips
                                                   : E8K_INDEX_SKIPS_KEPT;
    for (; p->skips_reported < kept; p->skips_reported++) {
        const e8k_error *e = &l->skips[p->skips_reported];
        if (e->line)
            e8k_plan_say(p, E8K_FETCH_WARNING, NULL, 0, "%s:%zu: byte %zu: "
                         "%s", e->file, e->line, e->offset, e->message);
        else
            e8k_plan_say(p, E8K_FETCH_WARNING, NULL, 0, "%s: %s", e->file,
                         e->message);
    }
    p->f->stats.index_skipped = l->nskips;
}

/* ---- Companies ---------------------------------------------------------- */

/* A company EDGAR does not know: one line naming it, and the run goes on
 * with the others (it ends with E8K_ERR_USAGE). */
static void unknown(e8k_plan *p, const char *what, const char *why)
{
    e8k_error e;
    p->f->stats.companies_unknown++;
    e8k_fail(&e, E8K_ERR_USAGE, "", NULL, 0, E8K_NO_OFFSET, "unknown "
             "company: %s: %s", what, why);
    e8k_plan_failure(p, &e, E8K_ERR_USAGE);
    e8k_plan_say(p, E8K_FETCH_UNKNOWN, NULL, 404, "%s: %s", what, why);
}

static e8k_status add_cik(e8k_plan *p, const char *cik, e8k_error *err)
{
    char c[11];
    if (e8k_cik_normalize(cik, strlen(cik), c) != 0)
        return e8k_plan_usage(err, "--cik: \"%.40s\" is not a CIK (1 to 10 "
                              "digits)", cik);
    for (size_t i = 0; i < p->nciks; i++)
        if (!strcmp(p->ciks[i], c))
            return E8K_OK;
    void *n = realloc(p->ciks, (p->nciks + 1) * sizeof *p->ciks);
    if (!n)
        return e8k_plan_nomem(err);
    p->ciks = n;
    memcpy(p->ciks[p->nciks++], c, sizeof c);
    return E8K_OK;
}

/* company_tickers.json, fetched once for all the tickers asked for. */
static e8k_status add_tickers(e8k_plan *p, const char *const *t, size_t n,
                              e8k_error *err)
{
    e8k_buf url = {0};
    char *body = NULL, cik[11];
    size_t len = 0;
    long status;
    if (e8k_buf_printf(&url, "%s/files/company_tickers.json",
                       p->f->base_url) != 0)
        return e8k_plan_nomem(err);
    e8k_status st = e8k_plan_doc(p, url.data, &body, &len, &status, err);
    if (st != E8K_OK)
        st = e8k_plan_doc_failed(p, st, err, status);
    for (size_t i = 0; st == E8K_OK && i < n; i++) {
        e8k_error e;
        e8k_status r = e8k_index_ticker_cik(body, len, url.data, t[i], cik,
                                            &e);
        char what[80];
        snprintf(what, sizeof what, "ticker %.60s", t[i]);
        if (r == E8K_OK)
            st = add_cik(p, cik, err);
        else if (r == E8K_ERR_USAGE)
            unknown(p, what, "not listed in company_tickers.json");
        else
            st = e8k_plan_doc_failed(p, r, &e, 0);
    }
    free(body);
    e8k_buf_free(&url);
    return st;
}

e8k_status e8k_plan_companies(e8k_plan *p, e8k_error *err)
{
    const e8k_fetch_query *q = p->q;
    e8k_status st = E8K_OK;
    if (q->cik && !q->accession)
        st = add_cik(p, q->cik, err);
    for (size_t i = 0; st == E8K_OK && i < q->nciks; i++)
        st = add_cik(p, q->ciks[i], err);
    const char *one[1] = {q->ticker};
    if (st == E8K_OK && q->ticker)
        st = add_tickers(p, one, 1, err);
    if (st == E8K_OK && q->ntickers)
        st = add_tickers(p, q->tickers, q->ntickers, err);
    p->companies = 1;
    return st;
}

/* ---- Submissions JSON --------------------------------------------------- */

static e8k_status list_submissions(e8k_plan *p, const char *url,
                                   const char *cik, long *status,
                                   e8k_error *err)
{
    char *body = NULL;
    size_t len = 0;
    e8k_status st = e8k_plan_doc(p, url, &body, &len, status, err);
    if (st == E8K_OK)
        st = e8k_index_parse_submissions(body, len, url, cik, &p->list, err);
    e8k_plan_report_skips(p);
    free(body);
    return st;
}

/* CIK##########.json, then each page it names in filings.files[]. A
 * company that cannot be listed is reported and the run goes on. */
static e8k_status list_cik(e8k_plan *p, const char *cik, e8k_error *err)
{
    e8k_buf url = {0};
    long status = 0;
    unsigned long long n = strtoull(cik, NULL, 10);
    size_t first = p->list.n;
    if (e8k_buf_printf(&url, "%s/submissions/CIK%010llu.json",
                       p->f->data_url, n) != 0)
        return e8k_plan_nomem(err);
    size_t pages = p->list.npages;
    e8k_status st = list_submissions(p, url.data, cik, &status, err);
    if (st == E8K_ERR_NETWORK && status == 404) {
        char what[32], why[2200];
        snprintf(what, sizeof what, "CIK %s", cik);
        snprintf(why, sizeof why, "EDGAR has no filings of it (%s: HTTP "
                 "404)", url.data);
        unknown(p, what, why);
        st = E8K_OK;
    } else if (st != E8K_OK && st != E8K_ERR_NOMEM) {
        e8k_plan_doc_failed(p, st, err, status);
        st = E8K_OK; /* the other companies are still listed */
    }
    const char *company = p->list.n > first ? p->list.items[first].company
                                            : "";
    for (size_t i = pages; st == E8K_OK && i < p->list.npages; i++) {
        url.len = 0;
        if (e8k_buf_printf(&url, "%s/submissions/%s", p->f->data_url,
                           p->list.pages[i]) != 0)
            st = e8k_plan_nomem(err);
        else if ((st = list_submissions(p, url.data, cik, &status, err)) !=
                     E8K_OK && st != E8K_ERR_NOMEM) {
            e8k_plan_doc_failed(p, st, err, status);
            st = E8K_OK;
        }
    }
    /* Pages carry no company name: lend them the main document's. */
    for (size_t i = first; i < p->list.n; i++)
        if (!p->list.items[i].company[0])
            p->list.items[i].company = company;
    e8k_buf_free(&url);
    return st;
}

static e8k_status list_companies(e8k_plan *p, e8k_error *err)
{
    e8k_status st = e8k_plan_companies(p, err);
    for (size_t i = 0; st == E8K_OK && i < p->nciks; i++)
        st = list_cik(p, p->ciks[i], err);
    return st;
}

/* ---- Index files, one accession ------------------------------------------- */

static e8k_status list_idx(e8k_plan *p, const char *url, e8k_error *err)
{
    char *body = NULL;
    size_t len = 0;
    long status;
    e8k_status st = e8k_plan_doc(p, url, &body, &len, &status, err);
    if (st == E8K_ERR_NETWORK)
        return e8k_plan_doc_failed(p, st, err, status);
    if (st == E8K_OK)
        st = e8k_index_parse_idx(body, len, url, &p->list, err);
    e8k_plan_report_skips(p);
    free(body);
    return st;
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

static e8k_status list_quarter_or_day(e8k_plan *p, e8k_error *err)
{
    const e8k_fetch_query *q = p->q;
    e8k_buf url = {0};
    int year, qtr, r;
    if (q->quarter) {
        if (parse_quarter(q->quarter, &year, &qtr) != 0)
            return e8k_plan_usage(err, "--quarter: expected YYYY-QN, e.g. "
                                  "2024-Q1");
        r = e8k_buf_printf(&url, "%s/Archives/edgar/full-index/%d/QTR%d/"
                           "form.idx", p->f->base_url, year, qtr);
    } else {
        if (!e8k_plan_valid_date(q->date))
            return e8k_plan_usage(err, "--date: expected YYYY-MM-DD");
        r = e8k_buf_printf(&url, "%s/Archives/edgar/daily-index/%.4s/QTR%d/"
                           "form.%.4s%.2s%.2s.idx", p->f->base_url, q->date,
                           e8k_plan_quarter_of(q->date), q->date,
                           q->date + 5, q->date + 8);
    }
    e8k_status st = r != 0 ? e8k_plan_nomem(err) : list_idx(p, url.data, err);
    e8k_buf_free(&url);
    return st;
}

static e8k_status list_accession(e8k_plan *p, e8k_error *err)
{
    e8k_index_entry e = {0};
    const char *a = p->q->accession;
    if (e8k_accession_normalize(a, strlen(a), e.accession) != 0)
        return e8k_plan_usage(err, "--accession: expected "
                              "0000320193-99-000010 (18 digits, dashes "
                              "optional)");
    const char *cik = p->q->cik ? p->q->cik : e.accession;
    size_t n = p->q->cik ? strlen(cik) : 10;
    if (e8k_cik_normalize(cik, n, e.cik) != 0)
        return e8k_plan_usage(err, "--cik: expected 1 to 10 digits");
    e.form = "";
    e.company = "";
    if (e8k_index_list_add(&p->list, &e) != 0)
        return e8k_plan_nomem(err);
    return E8K_OK;
}

e8k_status e8k_plan_list(e8k_plan *p, e8k_error *err)
{
    const e8k_fetch_query *q = p->q;
    if (q->accession)
        return list_accession(p, err);
    if (q->quarter || q->date)
        return list_quarter_or_day(p, err);
    return list_companies(p, err);
}
