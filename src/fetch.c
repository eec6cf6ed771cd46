/* fetch.c: the transfer engine of `edgar8k fetch`, the only file that speaks
 * libcurl. One curl multi handle carries every transfer (connections are
 * reused, a bounded number run at once) and one token bucket paces all of
 * them, retries included, to the SEC's fair-access rate; the slot of every
 * request is also reserved in the state the user's other edgar8k processes
 * share (fetch_rate.c), since the SEC counts them together. Faults are sorted
 * here: Retry-After and the SEC block page pause everything, transient
 * failures back off with jitter, the rest fail for good. What to fetch and
 * where to store it is decided in fetch_plan.c. */
#include "fetch_eng.h"

#include <curl/curl.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

double e8k_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- Events ---------------------------------------------------------------- */

void e8k_fetch_emit(e8k_fetcher *f, e8k_fetch_event *ev)
{
    e8k_fetch_stats *s = &f->stats;
    double now = e8k_now();
    s->elapsed = now - f->run_start;
    s->rate = s->elapsed > 0.5 ? (double)s->requests / s->elapsed : 0;
    size_t done = s->filings_stored + s->filings_present + s->filings_failed;
    size_t left = s->filings_total > done ? s->filings_total - done : 0;
    double pace = s->rate > 0 ? fmin(s->rate, f->opt.rate) : f->opt.rate;
    s->eta = s->filings_total ? (double)left / pace : -1;
    f->last_progress = now;
    if (!f->opt.callback)
        return;
    ev->stats = s;
    f->opt.callback(ev, f->opt.callback_data);
}

static void progress(e8k_fetcher *f)
{
    if (e8k_now() - f->last_progress < 0.2)
        return;
    e8k_fetch_event ev = {0};
    ev.kind = E8K_FETCH_PROGRESS;
    e8k_fetch_emit(f, &ev);
}

/* ---- curl callbacks ------------------------------------------------------- */

/* Bytes arrive here after decompression: this is where the size cap must
 * be enforced, because curl's own limit only sees the compressed length. */
static size_t on_write(char *p, size_t size, size_t nmemb, void *ud)
{
    e8k_xfer *x = ud;
    size_t n = size * nmemb;
    long status = 0;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    x->fetcher->stats.bytes += n;
    if (status != 200 && status != 206) {
        /* Enough of an error page to recognise it; then hang up rather
         * than download (or inflate) the rest. */
        size_t room = E8K_ERRBODY_MAX - x->errbody.len;
        if (e8k_buf_append(&x->errbody, p, n < room ? n : room) != 0)
            return 0;
        return n <= room ? n : 0;
    }
    if (x->skip) {
        size_t k = n < x->skip ? n : x->skip;
        x->skip -= k;
        p += k;
        n -= k;
    }
    if (n > x->cap - x->received) {
        x->over_cap = 1;
        return 0;
    }
    size_t before = x->body.len;
    x->received += n;
    if (e8k_buf_append(&x->body, p, n) != 0)
        return 0;
    if (x->expect_submission && before < 256 &&
        e8k_submission_starts_like(x->body.data, x->body.len) == 0) {
        x->not_submission = 1;
        return 0;
    }
    return size * nmemb;
}

/* Copies the value of header line p[0..n) into out if its name is `name`. */
static void header_value(const char *p, size_t n, const char *name,
                         char *out, size_t cap)
{
    size_t k = strlen(name);
    if (n <= k || strncasecmp(p, name, k) != 0)
        return;
    const char *v = p + k;
    size_t vn = n - k;
    while (vn && (*v == ' ' || *v == '\t'))
        v++, vn--;
    while (vn && (v[vn - 1] == '\r' || v[vn - 1] == '\n' || v[vn - 1] == ' '))
        vn--;
    if (vn >= cap)
        vn = cap - 1;
    memcpy(out, v, vn);
    out[vn] = '\0';
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
    e8k_xfer *x = ud;
    size_t n = size * nmemb;
    if (n > 5 && !strncmp(p, "HTTP/", 5)) {
        /* A new response (after a redirect, or 100): forget the last. */
        x->retry_after[0] = x->etag[0] = x->last_modified[0] = '\0';
        const char *sp = memchr(p, ' ', n);
        if (sp && (size_t)(sp - p) + 4 <= n && !strncmp(sp + 1, "206", 3))
            x->skip = 0;
        return n;
    }
    header_value(p, n, "Retry-After:", x->retry_after, sizeof x->retry_after);
    header_value(p, n, "ETag:", x->etag, sizeof x->etag);
    header_value(p, n, "Last-Modified:", x->last_modified,
                 sizeof x->last_modified);
    return n;
}

/* ---- Starting transfers ------------------------------------------------ */

/* Validators of a cached copy: the server answers 304 if it still holds. */
static struct curl_slist *cond_headers(const e8k_xfer *x)
{
    struct curl_slist *l = NULL, *t;
    char line[256];
    if (x->if_none_match) {
        snprintf(line, sizeof line, "If-None-Match: %s", x->if_none_match);
        if ((t = curl_slist_append(l, line)) != NULL)
            l = t;
    }
    if (x->if_modified_since) {
        snprintf(line, sizeof line, "If-Modified-Since: %s",
                 x->if_modified_since);
        if ((t = curl_slist_append(l, line)) != NULL)
            l = t;
    }
    return l;
}

static void drop_easy(e8k_fetcher *f, e8k_xfer *x)
{
    curl_multi_remove_handle(f->multi, x->easy);
    curl_easy_cleanup(x->easy);
    curl_slist_free_all(x->headers);
    x->easy = NULL;
    x->headers = NULL;
}

static CURL *make_easy(e8k_fetcher *f, e8k_xfer *x)
{
    CURL *e = curl_easy_init();
    if (!e)
        return NULL;
    const e8k_fetch_options *o = &f->opt;
    curl_easy_setopt(e, CURLOPT_URL, x->url);
    curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent);
    /* Feed tarballs are read by byte offset when resumed: no encoding. */
    if (!x->stream)
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_limit);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o->low_speed_time);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
                     (curl_off_t)(x->cap - x->received));
    if (x->if_none_match || x->if_modified_since) {
        x->headers = cond_headers(x);
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
    }
    if (x->stream && x->received > 0) {
        char range[64];
        snprintf(range, sizeof range, "%zu-", x->received);
        curl_easy_setopt(e, CURLOPT_RANGE, range);
        x->skip = x->received; /* unless the server answers 206 */
    }
    return e;
}

static int start_xfer(e8k_fetcher *f, e8k_batch *b, e8k_xfer *x)
{
    x->over_cap = x->not_submission = 0;
    x->retry_after[0] = '\0';
    x->errbody.len = 0;
    if (!x->stream) {
        x->body.len = 0;
        x->received = 0;
    }
    x->easy = make_easy(f, x);
    if (!x->easy || curl_multi_add_handle(f->multi, x->easy) != CURLM_OK) {
        drop_easy(f, x); /* removing a handle the multi lacks is harmless */
        return -1;
    }
    x->state = E8K_X_ACTIVE;
    b->active++;
    f->stats.requests++;
    return 0;
}

/* The bucket holds at most 10 - rate tokens (at least one): any one-second
 * window then sees at most rate + capacity <= 10 requests, the SEC's limit,
 * while a loop held up by a slow disk write can still catch up. Returns the
 * seconds until the next request may start. */
static double bucket_wait(e8k_fetcher *f, double now)
{
    double cap = E8K_MAX_REQUESTS_PER_SECOND - f->opt.rate;
    if (cap < 1.0)
        cap = 1.0;
    f->tokens += (now - f->refill) * f->opt.rate;
    if (f->tokens > cap)
        f->tokens = cap;
    f->refill = now;
    if (now < f->pause_until) {
        /* The server asked for quiet: resume one request at a time. */
        if (f->tokens > 1.0)
            f->tokens = 1.0;
        return f->pause_until - now;
    }
    return f->tokens >= 1.0 ? 0 : (1.0 - f->tokens) / f->opt.rate;
}

/* Pacing this process alone from now on, and saying so once. */
static void share_give_up(e8k_fetcher *f, const char *why)
{
    char msg[1200];
    snprintf(msg, sizeof msg, "rate limit not shared with other edgar8k "
             "processes (%s): pacing this process alone; set E8K_RATE_FILE "
             "to a writable path to share it", why);
    e8k_rate_close(&f->share);
    f->share_state = -1;
    e8k_fetch_event ev = {0};
    ev.kind = E8K_FETCH_WARNING;
    ev.message = msg;
    e8k_fetch_emit(f, &ev);
}

/* Seconds until x may start as far as the user's other edgar8k processes
 * are concerned: 0 means its shared slot is taken. A pause another process
 * recorded becomes this one's, as if its own server had asked. */
static double share_wait(e8k_fetcher *f, const e8k_xfer *x, double now)
{
    char why[1024] = "";
    if (f->share_state == 0) {
        f->share_state = 1;
        if (e8k_rate_open(&f->share, f->opt.rate_file, why, sizeof why) != 0)
            share_give_up(f, why);
    }
    if (f->share_state < 0)
        return 0;
    double max_pause = fmax((double)f->opt.max_retry_after_ms,
                            (double)f->opt.block_pause_ms) / 1000.0;
    double pause = 0;
    double w = e8k_rate_take(&f->share, now, max_pause, &pause, why,
                             sizeof why);
    if (w < 0) {
        share_give_up(f, why);
        return 0;
    }
    /* Our own pauses come back from the file too: only a longer one is
     * news. */
    if (pause > f->pause_until + 0.05) {
        f->pause_until = pause;
        f->stats.pauses++;
        e8k_fetch_event ev = {0};
        ev.kind = E8K_FETCH_PAUSE;
        ev.url = x->url;
        ev.wait = pause - now;
        ev.message = "another edgar8k process of this user was asked to "
                     "slow down";
        e8k_fetch_emit(f, &ev);
    }
    return w;
}

/* Starts what may start; returns the seconds until more could. */
static double start_ready(e8k_fetcher *f, e8k_batch *b, double now)
{
    double wake = 0.2;
    while (b->first_wait < b->n && b->xs[b->first_wait].state != E8K_X_WAIT)
        b->first_wait++;
    for (size_t i = b->first_wait; i < b->n; i++) {
        e8k_xfer *x = &b->xs[i];
        if ((size_t)b->active >= (size_t)f->opt.max_parallel)
            break;
        if (x->state != E8K_X_WAIT)
            continue;
        if (x->not_before > now) {
            wake = fmin(wake, x->not_before - now);
            continue;
        }
        double w = bucket_wait(f, now);
        if (w > 0 || (w = share_wait(f, x, now)) > 0)
            return fmin(wake, w);
        f->tokens -= 1.0;
        if (start_xfer(f, b, x) != 0) {
            x->result = E8K_ERR_NOMEM;
            snprintf(x->message, sizeof x->message, "cannot start transfer");
            x->state = E8K_X_DONE;
            b->done++;
            if (b->on_done)
                b->on_done(f, x, b->ctx);
        }
    }
    return wake;
}

/* ---- Finishing transfers: sorting faults ---------------------------------- */

typedef enum { FT_OK, FT_RETRY, FT_PAUSE, FT_FAIL } fault;

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

static fault classify_status(e8k_fetcher *f, e8k_xfer *x, double *wait)
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
        return FT_PAUSE;
    }
    if (st == 403 && is_block_page(&x->errbody)) {
        *wait = (double)f->opt.block_pause_ms / 1000.0;
        snprintf(x->message, sizeof x->message,
                 "HTTP 403: the SEC's \"Request Rate Threshold Exceeded\" "
                 "page (undeclared or too fast traffic)");
        return FT_PAUSE;
    }
    snprintf(x->message, sizeof x->message, "HTTP %ld", st);
    if (st >= 500 || st == 408) {
        *wait = backoff(f, x->attempts);
        return FT_RETRY;
    }
    return FT_FAIL;
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

static fault classify(e8k_fetcher *f, e8k_xfer *x, CURLcode rc, double *wait)
{
    if (x->over_cap) {
        snprintf(x->message, sizeof x->message, "response exceeds %zu bytes "
                 "after decompression", x->cap);
        x->result = E8K_ERR_LIMIT;
        return FT_FAIL;
    }
    x->result = E8K_ERR_NETWORK;
    if (rc != CURLE_OK && ((x->status >= 300 && x->status != 206) ||
                           x->not_submission))
        rc = CURLE_OK; /* the status or the first bytes say more */
    if (rc != CURLE_OK) {
        snprintf(x->message, sizeof x->message, "%s", curl_easy_strerror(rc));
        *wait = backoff(f, x->attempts);
        return rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL
                   ? FT_FAIL : FT_RETRY;
    }
    if (x->status == 304 && (x->if_none_match || x->if_modified_since)) {
        x->result = E8K_OK; /* the caller's cached copy is current */
        return FT_OK;
    }
    if (x->status != 200 && x->status != 206)
        return classify_status(f, x, wait);
    if (x->not_submission ||
        (x->expect_submission &&
         !e8k_submission_looks_complete(x->body.data, x->body.len))) {
        int html = looks_html(&x->body);
        snprintf(x->message, sizeof x->message, "%s where a submission was "
                 "expected", html ? "an HTML page"
                 : x->not_submission ? "a body that does not open like one"
                                     : "a truncated or corrupt body");
        *wait = backoff(f, x->attempts);
        return FT_RETRY;
    }
    x->result = E8K_OK;
    return FT_OK;
}

static void settle(e8k_fetcher *f, e8k_batch *b, e8k_xfer *x)
{
    x->state = E8K_X_DONE;
    b->done++;
    /* With an on_done hook the caller reports, naming the filing. */
    if (x->result != E8K_OK && !b->on_done) {
        e8k_fetch_event ev = {0};
        ev.kind = E8K_FETCH_FAILED;
        ev.url = x->url;
        ev.http_status = x->status;
        ev.message = x->message;
        e8k_fetch_emit(f, &ev);
    }
    if (b->on_done)
        b->on_done(f, x, b->ctx);
}

/* A fault to retry: again later, or given up on after max_retries. */
static void requeue(e8k_fetcher *f, e8k_batch *b, e8k_xfer *x, fault k,
                    double wait, double now)
{
    x->attempts++;
    if (x->attempts > f->opt.max_retries) {
        size_t n = strlen(x->message);
        snprintf(x->message + n, sizeof x->message - n,
                 " (gave up after %d tries)", x->attempts);
        settle(f, b, x);
        return;
    }
    f->stats.retries++;
    e8k_fetch_event ev = {0};
    ev.url = x->url;
    ev.http_status = x->status;
    ev.wait = wait;
    ev.message = x->message;
    if (k == FT_PAUSE) {
        f->stats.pauses++;
        if (now + wait > f->pause_until)
            f->pause_until = now + wait;
        /* The server counts the user's other processes too. */
        if (f->share_state > 0)
            e8k_rate_pause(&f->share, now, f->pause_until);
        ev.kind = E8K_FETCH_PAUSE;
    } else
        ev.kind = E8K_FETCH_RETRY;
    x->not_before = now + wait;
    x->state = E8K_X_WAIT;
    if (b->first_wait > (size_t)(x - b->xs))
        b->first_wait = (size_t)(x - b->xs);
    e8k_fetch_emit(f, &ev);
}

static void finish(e8k_fetcher *f, e8k_batch *b, CURL *e, CURLcode rc)
{
    e8k_xfer *x = NULL;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&x);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &x->status);
    drop_easy(f, x);
    b->active--;
    double wait = 0, now = e8k_now();
    fault k = classify(f, x, rc, &wait);
    if (k == FT_OK || k == FT_FAIL)
        settle(f, b, x);
    else
        requeue(f, b, x, k, wait, now);
}

int e8k_batch_step(e8k_fetcher *f, e8k_batch *b)
{
    if (b->done >= b->n)
        return 0;
    double wake = start_ready(f, b, e8k_now());
    int running = 0;
    curl_multi_perform(f->multi, &running);
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(f->multi, &left)) != NULL)
        if (m->msg == CURLMSG_DONE)
            finish(f, b, m->easy_handle, m->data.result);
    progress(f);
    if (b->done >= b->n)
        return 0;
    /* Slots freed just now are refilled before sleeping. */
    wake = fmin(wake, start_ready(f, b, e8k_now()));
    int ms = (int)ceil(wake * 1000.0);
    if (ms < 1)
        ms = 1;
    if (ms > 200)
        ms = 200;
    curl_multi_poll(f->multi, NULL, 0, ms, NULL);
    return 1;
}

void e8k_batch_run(e8k_fetcher *f, e8k_batch *b)
{
    while (e8k_batch_step(f, b))
        ;
}

int e8k_xfer_init(e8k_fetcher *f, e8k_xfer *x, const char *url, size_t cap)
{
    memset(x, 0, sizeof *x);
    x->fetcher = f;
    x->cap = cap ? cap : f->opt.max_response;
    x->url = strdup(url);
    return x->url ? 0 : -1;
}

void e8k_xfer_free(e8k_xfer *x)
{
    if (x->easy) /* only when a run is abandoned midway */
        drop_easy(x->fetcher, x);
    free(x->url);
    x->url = NULL;
    e8k_buf_free(&x->body);
    e8k_buf_free(&x->errbody);
}

/* ---- The fetcher ------------------------------------------------------ */

void e8k_fetch_options_init(e8k_fetch_options *o)
{
    memset(o, 0, sizeof *o);
    o->rate = 8;
    o->max_parallel = 4;
    o->max_retries = 5;
    o->backoff_ms = 1000;
    o->backoff_max_ms = 60000;
    o->block_pause_ms = 600000;
    o->max_retry_after_ms = 600000;
    o->connect_timeout_ms = 30000;
    o->low_speed_limit = 1000;
    o->low_speed_time = 30;
    o->max_response = E8K_MAX_RESPONSE_SIZE;
}

e8k_status e8k_fetch_check_user_agent(const char *ua, e8k_error *err)
{
    const char *at = ua ? strchr(ua, '@') : NULL;
    const char *sp = ua ? strchr(ua, ' ') : NULL;
    /* "Name email@domain": a name, a space, then an address with a dot in
     * its domain; the SEC asks for exactly this to reach the operator. */
    int ok = at && sp && sp > ua && at > sp + 1 && strchr(at, '.') &&
             at[1] != '.' && at[strlen(at) - 1] != '.' &&
             !strchr(at + 1, '@') && strlen(ua) < 256 &&
             !strpbrk(ua, "\r\n");
    if (ok)
        return E8K_OK;
    return e8k_fail(err, E8K_ERR_USAGE, "", NULL, 0, E8K_NO_OFFSET,
                    "the SEC requires a User-Agent of the form \"Name "
                    "email@domain\"; got \"%.100s\"", ua ? ua : "");
}

static char *dup_url(const char *u)
{
    size_t n = strlen(u);
    while (n && u[n - 1] == '/')
        n--;
    return e8k_strndup(u, n);
}

static e8k_status check_options(const e8k_fetch_options *o, e8k_error *err)
{
    e8k_status st = e8k_fetch_check_user_agent(o->user_agent, err);
    if (st != E8K_OK)
        return st;
    if (!(o->rate > 0) || o->rate > E8K_MAX_REQUESTS_PER_SECOND)
        return e8k_fail(err, E8K_ERR_USAGE, "", NULL, 0, E8K_NO_OFFSET,
                        "rate %g requests/s: must be above 0 and at most %d "
                        "(the SEC's fair-access limit)", o->rate,
                        E8K_MAX_REQUESTS_PER_SECOND);
    if (o->max_parallel < 1 || o->max_parallel > 64 || o->max_retries < 0 ||
        o->backoff_ms < 0 || o->block_pause_ms < 0 || o->low_speed_time < 0 ||
        o->max_response == 0)
        return e8k_fail(err, E8K_ERR_USAGE, "", NULL, 0, E8K_NO_OFFSET,
                        "parallel transfers must be 1-64 and retries, "
                        "backoff, pauses and limits non-negative");
    if (!o->store_dir && !o->dry_run)
        return e8k_fail(err, E8K_ERR_USAGE, "", NULL, 0, E8K_NO_OFFSET,
                        "a store directory is required unless dry-running");
    return E8K_OK;
}

e8k_status e8k_fetcher_new(const e8k_fetch_options *opt, e8k_fetcher **out,
                           e8k_error *err)
{
    *out = NULL;
    e8k_status st = check_options(opt, err);
    if (st != E8K_OK)
        return st;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return e8k_fail(err, E8K_ERR_NETWORK, "", NULL, 0, E8K_NO_OFFSET,
                        "libcurl cannot be initialised");
    e8k_fetcher *f = calloc(1, sizeof *f);
    const char *base = opt->base_url ? opt->base_url : "https://www.sec.gov";
    const char *data = opt->data_url ? opt->data_url
                       : opt->base_url ? opt->base_url
                                       : "https://data.sec.gov";
    if (f) {
        f->opt = *opt;
        f->user_agent = strdup(opt->user_agent);
        f->base_url = dup_url(base);
        f->data_url = dup_url(data);
        f->store_dir = opt->store_dir ? dup_url(opt->store_dir) : NULL;
        f->rate_file = opt->rate_file ? strdup(opt->rate_file) : NULL;
        f->share.fd = -1;
        f->multi = curl_multi_init();
    }
    if (!f || !f->user_agent || !f->base_url || !f->data_url || !f->multi ||
        (opt->store_dir && !f->store_dir) ||
        (opt->rate_file && !f->rate_file)) {
        e8k_fetcher_free(f);
        return e8k_fail(err, E8K_ERR_NOMEM, "", NULL, 0, E8K_NO_OFFSET,
                        "out of memory");
    }
    f->opt.user_agent = f->user_agent;
    f->opt.base_url = f->base_url;
    f->opt.data_url = f->data_url;
    f->opt.store_dir = f->store_dir;
    f->opt.rate_file = f->rate_file;
    curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                      (long)opt->max_parallel);
    f->tokens = 1.0;
    f->refill = e8k_now();
    f->rng = (unsigned)time(NULL) ^ (unsigned)getpid();
    *out = f;
    return E8K_OK;
}

void e8k_fetcher_free(e8k_fetcher *f)
{
    if (!f)
        return;
    if (f->multi)
        curl_multi_cleanup(f->multi);
    e8k_rate_close(&f->share);
    free(f->rate_file);
    free(f->user_agent);
    free(f->base_url);
    free(f->data_url);
    free(f->store_dir);
    free(f);
}

const e8k_fetch_stats *e8k_fetch_stats_of(const e8k_fetcher *f)
{
    return &f->stats;
}
