/* SPDX-License-Identifier: MIT */
/* fetch.c: the transfer engine of `edgar8k fetch`, the only file that speaks
 * libcurl. One curl multi handle carries every transfer (connections are
 * reused, a bounded number run at once) and one token bucket paces all of
 * them, retries and redirect hops included, to the SEC's fair-access rate;
 * the slot of every request is also reserved in the state the user's other
 * edgar8k processes share (fetch_rate.c), since the SEC counts them
 * together. Transfers stay on the hosts the fetcher was given: a redirect
 * is followed here, one paced hop at a time, and only within them, so the
 * User-Agent goes nowhere else. Faults are sorted here: Retry-After and the
 * SEC block page pause the host that sent them, transient failures back off
 * with jitter, the rest (a size refused, a decompression bomb, a deadline
 * passed) fail for good. Bodies go to memory or, for filings, to a file
 * under the size cap. What to fetch and where to store it is decided in
 * fetch_plan.c. */
#include "fetch_eng.h"

#include <curl/curl.h>

#include <errno.h>
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

/* Whether the body inflates far past what came over the wire: a gzip bomb
 * is refused after E8K_BOMB_CHECK_AFTER bytes, not at the size cap. */
static int inflating_bomb(e8k_xfer *x, size_t total)
{
    curl_off_t wire = 0;
    if (total < E8K_BOMB_CHECK_AFTER ||
        curl_easy_getinfo(x->easy, CURLINFO_SIZE_DOWNLOAD_T, &wire) !=
            CURLE_OK || wire <= 0)
        return 0;
    return (double)total / (double)wire > E8K_MAX_INFLATE_RATIO;
}

/* Appends to the file sink: the bytes, their digest, the first and last
 * ones. -1 (errno kept) when the disk refuses them. */
static int to_file(e8k_xfer *x, const char *p, size_t n)
{
    if (e8k_write_all(x->fd, p, n) != 0) {
        x->write_errno = errno;
        return -1;
    }
    e8k_sha256_update(&x->sha, p, n);
    if (x->headlen < E8K_XFER_HEAD) {
        size_t k = E8K_XFER_HEAD - x->headlen < n ? E8K_XFER_HEAD - x->headlen
                                                  : n;
        memcpy(x->head + x->headlen, p, k);
        x->headlen += k;
    }
    if (n >= E8K_XFER_TAIL) {
        memcpy(x->tail, p + n - E8K_XFER_TAIL, E8K_XFER_TAIL);
        x->taillen = E8K_XFER_TAIL;
    } else {
        size_t keep = x->taillen + n > E8K_XFER_TAIL ? E8K_XFER_TAIL - n
                                                     : x->taillen;
        memmove(x->tail, x->tail + x->taillen - keep, keep);
        memcpy(x->tail + keep, p, n);
        x->taillen = keep + n;
    }
    return 0;
}

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
    if (inflating_bomb(x, x->received + n)) {
        x->bomb = 1;
        return 0;
    }
    size_t before = x->received;
    x->received += n;
    if (x->fd >= 0 ? to_file(x, p, n) != 0
                   : e8k_buf_append(&x->body, p, n) != 0)
        return 0;
    const char *head = x->fd >= 0 ? x->head : x->body.data;
    size_t headlen = x->fd >= 0 ? x->headlen : x->body.len;
    if (x->expect_submission && before < 256 &&
        e8k_submission_starts_like(head, headlen) == 0) {
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

void e8k_xfer_drop(e8k_fetcher *f, e8k_xfer *x)
{
    curl_multi_remove_handle(f->multi, x->easy);
    curl_easy_cleanup(x->easy);
    curl_slist_free_all(x->headers);
    x->easy = NULL;
    x->headers = NULL;
}

/* The deadline of a transfer: its own (over all its tries; a Feed
 * tarball's is E8K_FEED_TIMEOUT_FACTOR times longer) and the run's,
 * whichever comes first; INFINITY without either. */
static double deadline_of(const e8k_fetcher *f, const e8k_xfer *x)
{
    double d = INFINITY;
    if (f->opt.transfer_timeout_ms > 0 && x->first_start > 0)
        d = x->first_start + (double)f->opt.transfer_timeout_ms / 1000.0 *
                                 (x->stream ? E8K_FEED_TIMEOUT_FACTOR : 1);
    if (f->run_deadline > 0 && f->run_deadline < d)
        d = f->run_deadline;
    return d;
}

double e8k_xfer_time_left(const e8k_fetcher *f, const e8k_xfer *x, double now)
{
    return deadline_of(f, x) - now;
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
    /* Redirects are followed by finish(), one paced hop at a time and only
     * to the fetcher's hosts: curl would follow them at once, anywhere,
     * with the User-Agent. */
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    double left = e8k_xfer_time_left(f, x, e8k_now());
    if (left < INFINITY)
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
                         (long)fmax(1.0, ceil(left * 1000.0)));
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

/* A try starts afresh (a Feed tarball resumes instead): the body in
 * memory, or the file, emptied. -1 when the file cannot be. */
static int restart_body(e8k_xfer *x)
{
    x->body.len = 0;
    x->received = 0;
    if (x->fd < 0)
        return 0;
    e8k_sha256_init(&x->sha);
    x->headlen = x->taillen = 0;
    if (ftruncate(x->fd, 0) != 0 || lseek(x->fd, 0, SEEK_SET) != 0) {
        x->write_errno = errno;
        return -1;
    }
    return 0;
}

static int start_xfer(e8k_fetcher *f, e8k_batch *b, e8k_xfer *x)
{
    x->over_cap = x->not_submission = x->bomb = 0;
    x->retry_after[0] = '\0';
    x->errbody.len = 0;
    if (!x->stream && restart_body(x) != 0)
        return -1;
    if (x->first_start <= 0)
        x->first_start = e8k_now();
    x->easy = make_easy(f, x);
    if (!x->easy || curl_multi_add_handle(f->multi, x->easy) != CURLM_OK) {
        e8k_xfer_drop(f, x); /* removing a handle the multi lacks is harmless */
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

/* A pause of x's host another process recorded becomes this one's, as if
 * the server had asked it: reported once. */
static void shared_pause(e8k_fetcher *f, const e8k_xfer *x, double now,
                         double until)
{
    e8k_host *h = &f->hosts[x->host];
    if (until <= h->pause_until + 0.05)
        return; /* our own pause, come back from the file */
    h->pause_until = until;
    f->stats.pauses++;
    char msg[400];
    snprintf(msg, sizeof msg, "another edgar8k process of this user was "
             "asked by %s to slow down", h->name);
    e8k_fetch_event ev = {0};
    ev.kind = E8K_FETCH_PAUSE;
    ev.url = x->url;
    ev.wait = until - now;
    ev.message = msg;
    ev.host = h->name;
    e8k_fetch_emit(f, &ev);
}

/* Seconds until x may start as far as the user's other edgar8k processes
 * are concerned: 0 means its shared slot is taken. A pause recorded for
 * its host sets *paused (the caller tries other hosts' transfers). */
static double share_wait(e8k_fetcher *f, const e8k_xfer *x, double now,
                         int *paused)
{
    char why[1024] = "";
    *paused = 0;
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
    double w = e8k_rate_take(&f->share, now, max_pause,
                             f->hosts[x->host].key, &pause, why, sizeof why);
    if (w < 0) {
        share_give_up(f, why);
        return 0;
    }
    if (pause > 0) {
        shared_pause(f, x, now, pause);
        *paused = 1;
    }
    return w;
}

/* A transfer that may not start any more (the run's or its own deadline
 * passed while it waited) is given up on. */
static void expire(e8k_fetcher *f, e8k_batch *b, e8k_xfer *x)
{
    x->result = E8K_ERR_NETWORK;
    snprintf(x->message, sizeof x->message, "%s", f->run_deadline > 0 &&
             e8k_now() >= f->run_deadline
                 ? "the run's deadline (--max-time) passed before it could "
                   "start"
                 : "its deadline (--transfer-timeout) passed");
    x->state = E8K_X_DONE;
    b->done++;
    if (b->on_done)
        b->on_done(f, x, b->ctx);
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
        if (e8k_xfer_time_left(f, x, now) <= 0) {
            expire(f, b, x);
            continue;
        }
        e8k_host *h = &f->hosts[x->host];
        if (x->not_before > now || h->pause_until > now) {
            /* the host asked for quiet: resume one request at a time */
            if (h->pause_until > now && f->tokens > 1.0)
                f->tokens = 1.0;
            wake = fmin(wake, fmax(x->not_before, h->pause_until) - now);
            continue;
        }
        int paused = 0;
        double w = bucket_wait(f, now);
        if (w > 0)
            return fmin(wake, w);
        if ((w = share_wait(f, x, now, &paused)) > 0 && !paused)
            return fmin(wake, w);
        if (paused)
            continue; /* other hosts' transfers may go on */
        if (x->first_start <= 0 && b->on_start &&
            b->on_start(f, x, b->ctx) != 0) {
            x->state = E8K_X_DONE; /* the hook said why */
            b->done++;
            if (b->on_done)
                b->on_done(f, x, b->ctx);
            continue;
        }
        f->tokens -= 1.0;
        if (start_xfer(f, b, x) != 0) {
            x->result = x->write_errno ? E8K_ERR_IO : E8K_ERR_NOMEM;
            snprintf(x->message, sizeof x->message, "cannot start transfer%s%s",
                     x->write_errno ? ": " : "",
                     x->write_errno ? strerror(x->write_errno) : "");
            x->state = E8K_X_DONE;
            b->done++;
            if (b->on_done)
                b->on_done(f, x, b->ctx);
        }
    }
    return wake;
}

/* ---- Finishing transfers --------------------------------------------------- */

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

/* A fault to retry: again later, or given up on after max_retries. A
 * pause holds back the host that asked for it, here and in the user's
 * other processes; other hosts go on. */
static void requeue(e8k_fetcher *f, e8k_batch *b, e8k_xfer *x, e8k_fault k,
                    double wait, double now)
{
    if (k != E8K_FT_REDIRECT && ++x->attempts > f->opt.max_retries) {
        size_t n = strlen(x->message);
        snprintf(x->message + n, sizeof x->message - n,
                 " (gave up after %d tries)", x->attempts);
        settle(f, b, x);
        return;
    }
    e8k_fetch_event ev = {0};
    ev.url = x->url;
    ev.http_status = x->status;
    ev.wait = wait;
    ev.message = x->message;
    if (k == E8K_FT_PAUSE) {
        e8k_host *h = &f->hosts[x->host];
        f->stats.pauses++;
        f->stats.retries++;
        if (now + wait > h->pause_until)
            h->pause_until = now + wait;
        /* The server counts the user's other processes too. */
        if (f->share_state > 0)
            e8k_rate_pause(&f->share, now, h->pause_until, h->key);
        ev.kind = E8K_FETCH_PAUSE;
        ev.host = h->name;
    } else if (k == E8K_FT_RETRY) {
        f->stats.retries++;
        ev.kind = E8K_FETCH_RETRY;
    }
    x->not_before = k == E8K_FT_REDIRECT ? now : now + wait;
    x->state = E8K_X_WAIT;
    if (b->first_wait > (size_t)(x - b->xs))
        b->first_wait = (size_t)(x - b->xs);
    if (k != E8K_FT_REDIRECT)
        e8k_fetch_emit(f, &ev);
}

static void finish(e8k_fetcher *f, e8k_batch *b, CURL *e, CURLcode rc)
{
    e8k_xfer *x = NULL;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&x);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &x->status);
    double wait = 0, now = e8k_now();
    e8k_fault k = e8k_fetch_classify(f, x, rc, &wait); /* before the drop */
    e8k_xfer_drop(f, x);
    b->active--;
    if (k == E8K_FT_OK || k == E8K_FT_FAIL)
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
    x->fd = -1;
    x->cap = cap ? cap : f->opt.max_response;
    if (e8k_fetch_host_of(f, url, &x->host) != 0)
        return -1;
    x->url = strdup(url);
    return x->url ? 0 : -1;
}

int e8k_xfer_to_file(e8k_xfer *x, int fd)
{
    if (!x->head && !(x->head = malloc(E8K_XFER_HEAD)))
        return -1;
    x->fd = fd;
    e8k_sha256_init(&x->sha);
    x->headlen = x->taillen = 0;
    return 0;
}

int e8k_xfer_file_complete(const e8k_xfer *x)
{
    return e8k_submission_looks_complete_ends(x->head, x->headlen, x->tail,
                                              x->taillen, x->received);
}

void e8k_xfer_free(e8k_xfer *x)
{
    if (x->easy) /* only when a run is abandoned midway */
        e8k_xfer_drop(x->fetcher, x);
    free(x->url);
    x->url = NULL;
    free(x->head);
    x->head = NULL;
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
    o->transfer_timeout_ms = E8K_TRANSFER_TIMEOUT_S * 1000L;
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
        o->max_response == 0 || o->transfer_timeout_ms < 0 ||
        o->max_time_ms < 0)
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
    const char *efts = opt->efts_url ? opt->efts_url
                       : opt->base_url ? opt->base_url
                                       : "https://efts.sec.gov";
    if (f) {
        f->opt = *opt;
        f->user_agent = strdup(opt->user_agent);
        f->base_url = dup_url(base);
        f->data_url = dup_url(data);
        f->efts_url = dup_url(efts);
        f->store_dir = opt->store_dir ? dup_url(opt->store_dir) : NULL;
        f->rate_file = opt->rate_file ? strdup(opt->rate_file) : NULL;
        f->share.fd = -1;
        f->multi = curl_multi_init();
    }
    if (!f || !f->user_agent || !f->base_url || !f->data_url ||
        !f->efts_url || !f->multi ||
        (opt->store_dir && !f->store_dir) ||
        (opt->rate_file && !f->rate_file)) {
        e8k_fetcher_free(f);
        return e8k_fail(err, E8K_ERR_NOMEM, "", NULL, 0, E8K_NO_OFFSET,
                        "out of memory");
    }
    if (e8k_fetch_add_host(f, f->base_url) != 0 ||
        e8k_fetch_add_host(f, f->data_url) != 0 ||
        e8k_fetch_add_host(f, f->efts_url) != 0) {
        e8k_fetcher_free(f);
        return e8k_fail(err, E8K_ERR_USAGE, "", NULL, 0, E8K_NO_OFFSET,
                        "--base-url, --data-url and --efts-url must be "
                        "http:// or https:// URLs");
    }
    f->opt.user_agent = f->user_agent;
    f->opt.base_url = f->base_url;
    f->opt.data_url = f->data_url;
    f->opt.efts_url = f->efts_url;
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
    free(f->efts_url);
    free(f->store_dir);
    free(f);
}

const e8k_fetch_stats *e8k_fetch_stats_of(const e8k_fetcher *f)
{
    return &f->stats;
}
