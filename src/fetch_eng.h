/* fetch_eng.h: the transfer engine of fetch.c as the planner (fetch_plan.c)
 * sees it: transfers grouped in batches that one curl multi handle runs
 * under one rate limiter. Curl handles stay opaque here so that only
 * fetch.c includes curl. */
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

struct e8k_fetcher {
    e8k_fetch_options opt; /* strings below are owned copies */
    char *user_agent;
    char *base_url;
    char *data_url;
    char *store_dir;
    void *multi;           /* CURLM * */
    double tokens;
    double refill;
    double pause_until;
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
