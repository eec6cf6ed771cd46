/* SPDX-License-Identifier: MIT */
/* fetch_eng.h: the transfer engine of fetch.c as the planner (fetch_plan.c)
 * sees it: transfers grouped in batches that one curl multi handle runs
 * under one rate limiter, itself under the pacing shared with the user's
 * other edgar8k processes (fetch_rate.c). Curl handles stay opaque here so
 * that only fetch.c includes curl. */
#ifndef E8K_FETCH_ENG_H
#define E8K_FETCH_ENG_H

#include "fetch_int.h"

/* Bytes kept of an error response: enough to recognise the SEC's block
 * page, never a whole HTML site. */
#define E8K_ERRBODY_MAX ((size_t)65536)

typedef enum { E8K_X_WAIT = 0, E8K_X_ACTIVE, E8K_X_DONE } e8k_xstate;

/* Of a body written to a file, the first bytes (the header the filing's
 * form, company and date are read from when no index gave them) and the
 * last (the closing line of a complete submission) stay in memory. */
#define E8K_XFER_HEAD ((size_t)65536)
#define E8K_XFER_TAIL ((size_t)4096)

typedef struct e8k_xfer {
    struct e8k_fetcher *fetcher;
    char *url;             /* owned */
    size_t host;           /* index of its host in the fetcher's table */
    int redirects;         /* hops followed so far */
    int stream;            /* body is drained by the caller while running */
    int expect_submission; /* a 200 must hold a complete submission */
    size_t cap;            /* bytes allowed after decompression */
    int fd;                /* the body goes to this file, else (-1) body */
    e8k_sha256 sha;        /* of the bytes written to fd */
    char *head;            /* first E8K_XFER_HEAD bytes written to fd */
    size_t headlen;
    char tail[E8K_XFER_TAIL]; /* last bytes written to fd */
    size_t taillen;
    int write_errno;       /* a write to fd failed: no retry helps */
    e8k_buf body;          /* 2xx bytes (not yet drained when streaming) */
    e8k_buf errbody;       /* start of a non-2xx body */
    size_t received;       /* body bytes accepted so far, over all tries */
    size_t skip;           /* bytes to drop from a resumed 200 */
    double first_start;    /* e8k_now() of the first try, 0 before */
    int over_cap;
    int bomb;              /* hung up: inflating far past its wire size */
    int not_submission;    /* hung up: the body does not open a submission */
    char retry_after[64];
    char etag[128];        /* validators of the answer, for the index cache */
    char last_modified[64];
    const char *if_none_match;     /* conditional request (borrowed) */
    const char *if_modified_since; /* a 304 is then a success */
    long status;
    int attempts;
    double not_before;
    e8k_xstate state;
    void *easy;            /* CURL *, while active */
    void *headers;         /* struct curl_slist *, while active */
    e8k_status result;     /* E8K_OK when body holds the answer */
    char message[512];
    size_t tag;            /* the planner's */
} e8k_xfer;

typedef struct e8k_batch {
    e8k_xfer *xs;
    size_t n;
    size_t first_wait;
    size_t done;
    int active;
    /* Called once per transfer when it is finished for good. */
    void (*on_done)(struct e8k_fetcher *f, e8k_xfer *x, void *ctx);
    /* Called before a transfer's first try (may be NULL): sets up where
     * its body goes; non-zero fails it (x->result, x->message set). */
    int (*on_start)(struct e8k_fetcher *f, e8k_xfer *x, void *ctx);
    void *ctx;
} e8k_batch;

/* ---- fetch_rate.c: pacing shared by the user's edgar8k processes -------- */

/* A host the fetcher was given (base, data and efts URL): the only ones it
 * speaks to, redirects included; a server's pause applies to its host. */
typedef struct e8k_host {
    char scheme[8];          /* "http", "https" */
    char name[256];          /* host name, lower case */
    long port;
    unsigned long long key;  /* of "name:port", for the shared state */
    double pause_until;      /* this process's pause for it (e8k_now) */
} e8k_host;

#define E8K_FETCH_HOSTS 3

typedef struct e8k_rate_share {
    int fd;            /* the state file, -1 when not open */
    char *path;        /* malloc'ed */
    double slot;       /* our reserved start (e8k_now clock), 0: none */
    double busy_since; /* the lock has been busy since then, 0: it is not */
} e8k_rate_share;

/* Opens (creating) the state file: path, else $E8K_RATE_FILE, else
 * edgar8k/rate in $XDG_RUNTIME_DIR (or /run/user/UID), $XDG_CACHE_HOME (or
 * ~/.cache), else /tmp/edgar8k-UID/rate; the default places must be
 * private to the user. 0 ok; -1 with the reason in why (r->fd is then -1). */
int e8k_rate_open(e8k_rate_share *r, const char *path, char *why, size_t n);
void e8k_rate_close(e8k_rate_share *r);

/* Reserves the slot of one request at `now` (e8k_now clock): 0 when it may
 * start at once, else the seconds until it may (the slot stays reserved;
 * ask again then). While a pause any process recorded for `host` (the key
 * of the request's authority; bounded to max_pause seconds from its
 * start) runs, nothing is reserved and *pause is its end (e8k_now clock),
 * else 0. -1, with why filled, when the state can
 * no longer be used. */
double e8k_rate_take(e8k_rate_share *r, double now, double max_pause,
                     unsigned long long host, double *pause, char *why,
                     size_t n);
/* Records that no process should start a request to `host` (the key of
 * its authority) before `until` (e8k_now clock); best effort. */
void e8k_rate_pause(e8k_rate_share *r, double now, double until,
                    unsigned long long host);

struct e8k_fetcher {
    e8k_fetch_options opt; /* strings below are owned copies */
    char *user_agent;
    char *base_url;
    char *data_url;
    char *efts_url;
    char *store_dir;
    char *rate_file;
    void *multi;           /* CURLM * */
    double tokens;
    double refill;
    e8k_host hosts[E8K_FETCH_HOSTS];
    size_t nhosts;
    double run_deadline;   /* e8k_now() past which nothing starts, or 0 */
    e8k_rate_share share;  /* fd -1 before the first request, and after */
    int share_state;       /* 0 not tried, 1 in use, -1 given up on */
    double run_start;
    double last_progress;
    unsigned rng;
    e8k_fetch_stats stats;
};

double e8k_now(void);
void e8k_fetch_emit(struct e8k_fetcher *f, e8k_fetch_event *ev);
/* The index in f->hosts of url's host: the same host and port (or plain
 * http upgraded to https), else -1. */
int e8k_fetch_host_of(const struct e8k_fetcher *f, const char *url,
                      size_t *host);

/* Sets up x for url (copied; on one of the fetcher's hosts); cap 0 means
 * opt.max_response. -1 when out of memory or the URL is on no host of
 * the fetcher's. */
int e8k_xfer_init(struct e8k_fetcher *f, e8k_xfer *x, const char *url,
                  size_t cap);
/* Sends x's body to the open file fd (owned by the caller, which removes
 * it), keeping its sha256, first and last bytes, instead of to memory.
 * -1 when out of memory. */
int e8k_xfer_to_file(e8k_xfer *x, int fd);
/* Whether x's body, in a file, starts and ends like a submission. */
int e8k_xfer_file_complete(const e8k_xfer *x);
void e8k_xfer_free(e8k_xfer *x);

/* ---- fetch_http.c: answers and hosts -------------------------------------- */

typedef enum {
    E8K_FT_OK,       /* x->result says how it ended: done */
    E8K_FT_RETRY,    /* again after *wait seconds */
    E8K_FT_PAUSE,    /* the host asked for *wait seconds of quiet */
    E8K_FT_FAIL,     /* for good: x->result and x->message say why */
    E8K_FT_REDIRECT  /* x->url and x->host now name the next hop */
} e8k_fault;

/* Sorts a finished try of x (curl's code, x->status, what arrived) and
 * fills x->result and x->message. Reads x->easy: before it is dropped. */
e8k_fault e8k_fetch_classify(struct e8k_fetcher *f, e8k_xfer *x,
                             int curl_code, double *wait);
/* Adds url's host (scheme, name, port) to f's; -1 when url is no http(s)
 * URL. */
int e8k_fetch_add_host(struct e8k_fetcher *f, const char *url);
/* Seconds left before x's deadline (its own, over all its tries, or the
 * run's); INFINITY without one. */
double e8k_xfer_time_left(const struct e8k_fetcher *f, const e8k_xfer *x,
                          double now);
/* Takes x's curl handle out of the multi handle and frees it. */
void e8k_xfer_drop(struct e8k_fetcher *f, e8k_xfer *x);

/* Runs one step: starts what the limiter allows, moves data, finishes
 * transfers (retrying or pausing as their faults say), waits a little.
 * Returns 1 while some transfer of b is not done. */
int e8k_batch_step(struct e8k_fetcher *f, e8k_batch *b);
/* Steps until every transfer of b is done. */
void e8k_batch_run(struct e8k_fetcher *f, e8k_batch *b);

#endif /* E8K_FETCH_ENG_H */
