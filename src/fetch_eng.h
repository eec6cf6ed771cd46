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

typedef struct e8k_xfer {
    struct e8k_fetcher *fetcher;
    char *url;             /* owned */
    int stream;            /* body is drained by the caller while running */
    int expect_submission; /* a 200 must hold a complete submission */
    size_t cap;            /* bytes allowed after decompression */
    e8k_buf body;          /* 2xx bytes (not yet drained when streaming) */
    e8k_buf errbody;       /* start of a non-2xx body */
    size_t received;       /* body bytes accepted so far, over all tries */
    size_t skip;           /* bytes to drop from a resumed 200 */
    int over_cap;
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
    void *ctx;
} e8k_batch;

/* ---- fetch_rate.c: pacing shared by the user's edgar8k processes -------- */

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
 * ask again then). While a pause recorded by any process (bounded to
 * max_pause seconds from its start) runs, nothing is reserved and *pause is
 * its end (e8k_now clock), else 0. -1, with why filled, when the state can
 * no longer be used. */
double e8k_rate_take(e8k_rate_share *r, double now, double max_pause,
                     double *pause, char *why, size_t n);
/* Records that no process should start a request before `until` (e8k_now
 * clock); best effort. */
void e8k_rate_pause(e8k_rate_share *r, double now, double until);

struct e8k_fetcher {
    e8k_fetch_options opt; /* strings below are owned copies */
    char *user_agent;
    char *base_url;
    char *data_url;
    char *store_dir;
    char *rate_file;
    void *multi;           /* CURLM * */
    double tokens;
    double refill;
    double pause_until;
    e8k_rate_share share;  /* fd -1 before the first request, and after */
    int share_state;       /* 0 not tried, 1 in use, -1 given up on */
    double run_start;
    double last_progress;
    unsigned rng;
    e8k_fetch_stats stats;
};

double e8k_now(void);
void e8k_fetch_emit(struct e8k_fetcher *f, e8k_fetch_event *ev);

/* Sets up x for url (copied); cap 0 means opt.max_response. */
int e8k_xfer_init(struct e8k_fetcher *f, e8k_xfer *x, const char *url,
                  size_t cap);
void e8k_xfer_free(e8k_xfer *x);

/* Runs one step: starts what the limiter allows, moves data, finishes
 * transfers (retrying or pausing as their faults say), waits a little.
 * Returns 1 while some transfer of b is not done. */
int e8k_batch_step(struct e8k_fetcher *f, e8k_batch *b);
/* Steps until every transfer of b is done. */
void e8k_batch_run(struct e8k_fetcher *f, e8k_batch *b);

#endif /* E8K_FETCH_ENG_H */
