/* SPDX-License-Identifier: MIT */
/* fetch_plan.h: what the planner's files share: the plan of one
 * e8k_fetch_run (the query, the entries listed so far, the filings
 * selected, the first failure) and the steps each file contributes:
 * listing companies and indexes (fetch_list.c), full-text search
 * (fetch_search.c), Feed tarballs (fetch_feed.c), selecting, fetching and
 * storing (fetch_plan.c). */
#ifndef E8K_FETCH_PLAN_H
#define E8K_FETCH_PLAN_H

#include "fetch_eng.h"

/* Where a filing's download goes while it arrives: a temporary file,
 * locked by this process, in the filing's own directory of the store. */
typedef struct e8k_sink {
    int dirfd;
    int fd;
    char tmp[128];
} e8k_sink;

typedef struct e8k_plan {
    e8k_fetcher *f;
    e8k_sink *sinks;      /* one per transfer of a fetch round, by tag */
    const e8k_fetch_query *q;
    const char *const *forms;
    size_t nforms;
    e8k_index_list list;
    e8k_index_entry *sel; /* selected entries, pointing into list */
    size_t nsel;
    char (*ciks)[11];     /* the companies asked for, resolved */
    size_t nciks;
    int companies;        /* companies were asked for (ciks may be empty
                             when none is known) */
    int items_later;      /* --items is checked on each filing's header */
    size_t matched;       /* filings kept (stored or present) so far */
    const char *feed_url;
    e8k_error first;
    int failed;
    size_t skips_reported; /* of list.skips */
} e8k_plan;

/* ---- fetch_plan.c ------------------------------------------------------ */

e8k_status e8k_plan_usage(e8k_error *err, const char *fmt, ...)
    E8K_PRINTF(2, 3);
e8k_status e8k_plan_nomem(e8k_error *err);
/* Keeps the first failure for the caller; the run goes on with the rest. */
void e8k_plan_failure(e8k_plan *p, const e8k_error *e, e8k_status st);
/* An event with a message (WARNING, NOTICE, UNKNOWN; FAILED with a url). */
void e8k_plan_say(e8k_plan *p, e8k_fetch_event_kind kind, const char *url,
                  long http_status, const char *fmt, ...) E8K_PRINTF(5, 6);
/* A filing event (LISTED, STORED, PRESENT) with its path in the store. */
void e8k_plan_emit(e8k_plan *p, e8k_fetch_event_kind kind,
                   const e8k_index_entry *e, const char *url,
                   const char *ext);
/* Whether the filing's items (NULL: not known) pass --items: 1 yes, 0 no,
 * -1 not known yet (checked on its header). */
int e8k_plan_items_ok(const e8k_plan *p, const char *items);
/* Checks and stores one submission held in memory (a Feed member);
 * reports either way; 1 when stored. */
int e8k_plan_store(e8k_plan *p, const e8k_index_entry *e, const char *ext,
                   const char *url, const char *data, size_t len);
int e8k_plan_valid_date(const char *s);
/* The quarter (1-4) of a valid YYYY-MM-DD date. */
int e8k_plan_quarter_of(const char *date);

/* ---- fetch_list.c ------------------------------------------------------- */

/* One index document into memory (*body malloc'ed) through the engine,
 * cached in the store with its validators. On failure (E8K_ERR_NETWORK,
 * err filled, nothing reported yet) *status is the HTTP status, if any. */
e8k_status e8k_plan_doc(e8k_plan *p, const char *url, char **body,
                        size_t *len, long *status, e8k_error *err);
/* Reports a list document that could not be had (FAILED) and keeps the
 * failure; returns st. */
e8k_status e8k_plan_doc_failed(e8k_plan *p, e8k_status st,
                               const e8k_error *err, long status);
/* Index lines or entries skipped so far, each reported as a warning. */
void e8k_plan_report_skips(e8k_plan *p);
/* Resolves the companies of the query (CIKs, tickers) into p->ciks; an
 * unknown one is reported (UNKNOWN) and left out. */
e8k_status e8k_plan_companies(e8k_plan *p, e8k_error *err);
/* Lists the filings of the query's selector (not search, not a Feed). */
e8k_status e8k_plan_list(e8k_plan *p, e8k_error *err);

/* ---- fetch_search.c ------------------------------------------------------ */

/* Lists the filings EDGAR full-text search finds for the query. */
e8k_status e8k_plan_search(e8k_plan *p, e8k_error *err);

/* ---- fetch_feed.c --------------------------------------------------------- */

/* Streams the query's Feed day, storing the members wanted. */
e8k_status e8k_plan_feed(e8k_plan *p, e8k_error *err);

#endif /* E8K_FETCH_PLAN_H */
