/* SPDX-License-Identifier: MIT */
/* fetch_http.c: what an HTTP answer means to the transfer engine
 * (fetch.c): faults sorted into those retried after a backoff, those that
 * pause the host that sent them (429 and 503 with their Retry-After, the
 * SEC's block page), redirects followed only within the fetcher's hosts,
 * and the faults no retry mends (a size refused, a decompression bomb, a
 * deadline passed, a disk that refuses the body); and the hosts
 * themselves, the only ones the fetcher speaks to. Part of the fetch
 * stage, which alone includes curl. */
#include "fetch_eng.h"

#include <curl/curl.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- Faults -------------------------------------------------------------- */

static int is_block_page(const e8k_buf *b)
{
    static const char *const marks[] = {
        "Request Rate Threshold Exceeded", "declare your traffic",
        "Undeclared Automated Tool"};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (b->data && e8k_memcasemem(b->data, b->len, marks[i]))
            return 1;
    return 0;
}

/* Retry-After as seconds, from either form; -1 when absent or unreadable. */
static double retry_after(const char *v)
{
    if (!*v)
        return -1;
    if (strspn(v, "0123456789") == strlen(v))
        return strtod(v, NULL);
    time_t t = curl_getdate(v, NULL);
    if (t < 0)
        return -1;
    double d = difftime(t, time(NULL));
    return d > 0 ? d : 0;
}

/* Delay before retry number failures + 1: backoff_ms doubled per earlier
 * failure, capped, half of it jittered. */
static double backoff(e8k_fetcher *f, int failures)
{
    double base = (double)f->opt.backoff_ms / 1000.0;
    double d = base * pow(2.0, failures > 30 ? 30 : failures);
    double cap = (double)f->opt.backoff_max_ms / 1000.0;
    if (d > cap)
        d = cap;
    f->rng = f->rng * 1103515245u + 12345u;
    /* Full jitter on half the delay keeps retries from marching in step. */
    return d / 2 + d / 2 * (double)(f->rng >> 8 & 0xffff) / 65536.0;
}

static e8k_fault classify_status(e8k_fetcher *f, e8k_xfer *x, double *wait)
{
    long st = x->status;
    if (st == 429 || st == 503) {
        if (st == 429)
            f->stats.responses_429++;
        double ra = retry_after(x->retry_after);
        double cap = (double)f->opt.max_retry_after_ms / 1000.0;
        *wait = ra < 0 ? backoff(f, x->attempts) : fmin(ra, cap);
        snprintf(x->message, sizeof x->message, "HTTP %ld%s%s", st,
                 ra < 0 ? "" : ", Retry-After: ", x->retry_after);
        return E8K_FT_PAUSE;
    }
    if (st == 403 && is_block_page(&x->errbody)) {
        *wait = (double)f->opt.block_pause_ms / 1000.0;
        snprintf(x->message, sizeof x->message,
                 "HTTP 403: the SEC's \"Request Rate Threshold Exceeded\" "
                 "page (undeclared or too fast traffic)");
        return E8K_FT_PAUSE;
    }
    snprintf(x->message, sizeof x->message, "HTTP %ld", st);
    if (st >= 500 || st == 408) {
        *wait = backoff(f, x->attempts);
        return E8K_FT_RETRY;
    }
    return E8K_FT_FAIL;
}

/* An error page starts like a web page; a truncated submission does not. */
static int looks_html(const e8k_buf *b)
{
    size_t i = 0;
    while (i < b->len && (b->data[i] == ' ' || b->data[i] == '\r' ||
                          b->data[i] == '\n' || b->data[i] == '\t'))
        i++;
    size_t n = b->len - i < 64 ? b->len - i : 64;
    return n && (e8k_memcasemem(b->data + i, n, "<!DOCTYPE html") == b->data + i ||
                 e8k_memcasemem(b->data + i, n, "<html") == b->data + i);
}

/* Faults no retry can mend: the disk refused the body, the body is over
 * the cap (or the server announces one that is), a decompression bomb, a
 * deadline passed. E8K_FT_OK when none. */
static e8k_fault final_fault(e8k_fetcher *f, e8k_xfer *x, CURLcode rc)
{
    x->result = E8K_ERR_LIMIT;
    if (x->write_errno) {
        x->result = E8K_ERR_IO;
        snprintf(x->message, sizeof x->message, "cannot write the download: "
                 "%s", strerror(x->write_errno));
    } else if (x->over_cap || rc == CURLE_FILESIZE_EXCEEDED) {
        snprintf(x->message, sizeof x->message, "response exceeds %zu bytes "
                 "%s", x->cap, x->over_cap ? "after decompression"
                                          : "(the size the server announces)");
    } else if (x->bomb) {
        curl_off_t wire = 0;
        curl_easy_getinfo(x->easy, CURLINFO_SIZE_DOWNLOAD_T, &wire);
        snprintf(x->message, sizeof x->message, "a decompression bomb: %zu "
                 "bytes inflated from %lld (more than %d to 1)", x->received,
                 (long long)wire, E8K_MAX_INFLATE_RATIO);
    } else if (rc == CURLE_OPERATION_TIMEDOUT &&
               e8k_xfer_time_left(f, x, e8k_now()) <= 0.05) {
        x->result = E8K_ERR_NETWORK;
        snprintf(x->message, sizeof x->message, "%s", f->run_deadline > 0 &&
                 e8k_now() >= f->run_deadline - 0.05
                     ? "the run's deadline (--max-time) passed"
                     : "the transfer took longer than its deadline "
                       "(--transfer-timeout)");
    } else {
        return E8K_FT_OK;
    }
    return E8K_FT_FAIL;
}

/* Where a 3xx sends x, if the target is on one of the fetcher's hosts:
 * E8K_FT_REDIRECT with x's URL and host replaced, else E8K_FT_FAIL. The next hop
 * is a new request, paced like any. */
static e8k_fault redirect(e8k_fetcher *f, e8k_xfer *x)
{
    char *target = NULL;
    curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &target);
    x->result = E8K_ERR_NETWORK;
    size_t host;
    if (!target || !*target) {
        snprintf(x->message, sizeof x->message, "HTTP %ld without a "
                 "Location", x->status);
        return E8K_FT_FAIL;
    }
    if (e8k_fetch_host_of(f, target, &host) != 0) {
        snprintf(x->message, sizeof x->message, "HTTP %ld to another host "
                 "(%.300s): not followed, edgar8k speaks only to the hosts "
                 "it was given", x->status, target);
        return E8K_FT_FAIL;
    }
    if (++x->redirects > E8K_MAX_REDIRECTS) {
        snprintf(x->message, sizeof x->message, "more than %d redirects",
                 E8K_MAX_REDIRECTS);
        return E8K_FT_FAIL;
    }
    char *copy = strdup(target);
    if (!copy) {
        x->result = E8K_ERR_NOMEM;
        snprintf(x->message, sizeof x->message, "out of memory");
        return E8K_FT_FAIL;
    }
    free(x->url);
    x->url = copy;
    x->host = host;
    f->stats.redirects++;
    return E8K_FT_REDIRECT;
}

e8k_fault e8k_fetch_classify(e8k_fetcher *f, e8k_xfer *x, int curl_code,
                             double *wait)
{
    CURLcode rc = (CURLcode)curl_code;
    if (final_fault(f, x, rc) == E8K_FT_FAIL)
        return E8K_FT_FAIL;
    x->result = E8K_ERR_NETWORK;
    if (rc != CURLE_OK && ((x->status >= 300 && x->status != 206) ||
                           x->not_submission))
        rc = CURLE_OK; /* the status or the first bytes say more */
    if (rc != CURLE_OK) {
        snprintf(x->message, sizeof x->message, "%s", curl_easy_strerror(rc));
        *wait = backoff(f, x->attempts);
        return rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL
                   ? E8K_FT_FAIL : E8K_FT_RETRY;
    }
    if (x->status == 304 && (x->if_none_match || x->if_modified_since)) {
        x->result = E8K_OK; /* the caller's cached copy is current */
        return E8K_FT_OK;
    }
    if (x->status >= 300 && x->status < 400)
        return redirect(f, x);
    if (x->status != 200 && x->status != 206)
        return classify_status(f, x, wait);
    int complete = x->fd >= 0 ? e8k_xfer_file_complete(x)
                              : e8k_submission_looks_complete(x->body.data,
                                                              x->body.len);
    if (x->not_submission || (x->expect_submission && !complete)) {
        if (x->received >= x->cap) { /* cut by the cap, not by the net */
            x->result = E8K_ERR_LIMIT;
            snprintf(x->message, sizeof x->message, "response reaches %zu "
                     "bytes without ending: over the size limit", x->cap);
            return E8K_FT_FAIL;
        }
        const e8k_buf head = {x->fd >= 0 ? x->head : x->body.data,
                              x->fd >= 0 ? x->headlen : x->body.len, 0};
        int html = looks_html(&head);
        snprintf(x->message, sizeof x->message, "%s where a submission was "
                 "expected", html ? "an HTML page"
                 : x->not_submission ? "a body that does not open like one"
                                     : "a truncated or corrupt body");
        *wait = backoff(f, x->attempts);
        return E8K_FT_RETRY;
    }
    x->result = E8K_OK;
    return E8K_FT_OK;
}

/* ---- Hosts ---------------------------------------------------------------- */

/* Scheme, lower-case host name and port (the scheme's when not written)
 * of url; -1 when it is not an http(s) URL. */
static int url_parts(const char *url, char scheme[8], char *host, size_t n,
                     long *port)
{
    CURLU *u = curl_url();
    char *sc = NULL, *h = NULL, *p = NULL;
    int ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
             curl_url_get(u, CURLUPART_SCHEME, &sc, 0) == CURLUE_OK &&
             curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK &&
             curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) ==
                 CURLUE_OK &&
             (!strcasecmp(sc, "http") || !strcasecmp(sc, "https")) &&
             strlen(h) < n;
    if (ok) {
        snprintf(scheme, 8, "%s", sc);
        for (size_t i = 0; h[i]; i++)
            host[i] = (char)(h[i] >= 'A' && h[i] <= 'Z' ? h[i] + 32 : h[i]);
        host[strlen(h)] = '\0';
        *port = strtol(p, NULL, 10);
        for (char *c = scheme; *c; c++)
            *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
    }
    curl_free(sc);
    curl_free(h);
    curl_free(p);
    curl_url_cleanup(u);
    return ok ? 0 : -1;
}

int e8k_fetch_host_of(const e8k_fetcher *f, const char *url, size_t *host)
{
    char scheme[8], name[256];
    long port;
    if (url_parts(url, scheme, name, sizeof name, &port) != 0)
        return -1;
    for (size_t i = 0; i < f->nhosts; i++) {
        const e8k_host *h = &f->hosts[i];
        if (strcmp(h->name, name) != 0)
            continue;
        /* the same host and port, or the upgrade of plain http to https
         * on the default ports (www.sec.gov sends http to https); never
         * the way down */
        int same = !strcmp(h->scheme, scheme) && h->port == port;
        int upgrade = !strcmp(h->scheme, "http") && h->port == 80 &&
                      !strcmp(scheme, "https") && port == 443;
        if (same || upgrade) {
            *host = i;
            return 0;
        }
    }
    return -1;
}

static unsigned long long host_key(const char *name, long port)
{
    char s[300];
    snprintf(s, sizeof s, "%s:%ld", name, port);
    unsigned long long h = 14695981039346656037ull; /* FNV-1a */
    for (const char *p = s; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h ? h : 1; /* 0 marks a free slot in the shared state */
}

/* Adds url's host to the table (once); -1 when url is no http(s) URL. */
int e8k_fetch_add_host(e8k_fetcher *f, const char *url)
{
    e8k_host h = {0};
    if (url_parts(url, h.scheme, h.name, sizeof h.name, &h.port) != 0)
        return -1;
    for (size_t i = 0; i < f->nhosts; i++)
        if (!strcmp(f->hosts[i].name, h.name) && f->hosts[i].port == h.port &&
            !strcmp(f->hosts[i].scheme, h.scheme))
            return 0;
    h.key = host_key(h.name, h.port);
    f->hosts[f->nhosts++] = h;
    return 0;
}

