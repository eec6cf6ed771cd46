/* SPDX-License-Identifier: MIT */
/* fetch_feed.c: `edgar8k fetch --feed DAY`: the day's Feed tarball streams
 * from the socket through libarchive (feed.c) to the store, member by
 * member, with no file between; members of the forms asked for (and, with
 * --items, whose header states one of them) are stored. A day read through
 * is remembered, so that a rerun reports its filings present without
 * downloading the tarball again. */
#include "fetch_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct feed_run {
    e8k_plan *p;
    e8k_batch b;
    e8k_xfer x;
    e8k_buf out;         /* what libarchive holds until its next pull */
    e8k_index_list kept; /* filings stored or present, for the marker */
    int stopped;         /* --limit reached: the rest is not read */
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

/* Whether a member passes --items, by the items its header states. */
static int member_items_ok(feed_run *fr, e8k_index_entry *e,
                           const char *data, size_t len, char *items,
                           size_t cap)
{
    e8k_header_items(data, len < E8K_XFER_HEAD ? len : E8K_XFER_HEAD, items,
                     cap);
    e->items = items;
    if (e8k_plan_items_ok(fr->p, items) != 0)
        return 1;
    fr->p->f->stats.filings_unmatched++;
    return 0;
}

static int feed_member(const e8k_index_entry *entry, const char *data,
                       size_t len, void *ctx)
{
    feed_run *fr = ctx;
    e8k_plan *p = fr->p;
    e8k_index_entry e = *entry;
    char items[256];
    p->f->stats.filings_total++;
    if (!member_items_ok(fr, &e, data, len, items, sizeof items))
        return 0;
    int keep = 1;
    if (p->f->store_dir && e8k_filestore_has(p->f->store_dir, &e)) {
        p->f->stats.filings_present++;
        e8k_plan_emit(p, E8K_FETCH_PRESENT, &e, p->feed_url, "nc");
    } else if (p->f->opt.dry_run) {
        keep = 0;
        e8k_plan_emit(p, E8K_FETCH_LISTED, &e, p->feed_url, "nc");
    } else {
        keep = e8k_plan_store(p, &e, "nc", p->feed_url, data, len);
    }
    if (keep && e8k_index_list_add(&fr->kept, &e) != 0)
        p->failed = 1; /* no marker then: the next run reads the tarball */
    p->matched += keep || p->f->opt.dry_run;
    if (p->q->limit && p->matched >= p->q->limit) {
        fr->stopped = 1;
        return 1; /* the first `limit` of the day: stop reading */
    }
    return 0;
}

/* A rerun of a Feed day already read through: report its filings as
 * present without downloading the tarball, if they all still are. */
static int feed_known(e8k_plan *p, const char *marker)
{
    e8k_index_list l = {0};
    int ok = e8k_filestore_feed_load(marker, &l) == 0;
    for (size_t i = 0; ok && i < l.n; i++)
        ok = e8k_filestore_has(p->f->store_dir, &l.items[i]);
    for (size_t i = 0; ok && i < l.n; i++) {
        p->f->stats.filings_total++;
        p->f->stats.filings_present++;
        e8k_plan_emit(p, E8K_FETCH_PRESENT, &l.items[i], p->feed_url, "nc");
    }
    e8k_index_list_free(&l);
    return ok;
}

/* The marker of a day read with these forms and items: a day read with
 * other ones kept other filings. */
static char *marker_of(e8k_plan *p, const char *day)
{
    const e8k_fetch_query *q = p->q;
    size_t n = p->nforms + q->nitems;
    const char **key = calloc(n ? n : 1, sizeof *key);
    char *tags = calloc(q->nitems ? q->nitems : 1, E8K_ITEM_NUMBER_SIZE + 6);
    char *m = NULL;
    if (key && tags) {
        for (size_t i = 0; i < p->nforms; i++)
            key[i] = p->forms[i];
        for (size_t i = 0; i < q->nitems; i++) {
            char *t = tags + i * (E8K_ITEM_NUMBER_SIZE + 6);
            snprintf(t, E8K_ITEM_NUMBER_SIZE + 6, "item %.7s", q->items[i]);
            key[p->nforms + i] = t;
        }
        m = e8k_filestore_feed_marker(p->f->store_dir, day, key, n);
    }
    free(key);
    free(tags);
    return m;
}

e8k_status e8k_plan_feed(e8k_plan *p, e8k_error *err)
{
    const char *d = p->q->feed;
    if (!e8k_plan_valid_date(d))
        return e8k_plan_usage(err, "--feed: expected YYYY-MM-DD");
    e8k_buf url = {0};
    if (e8k_buf_printf(&url, "%s/Archives/edgar/Feed/%.4s/QTR%d/"
                       "%.4s%.2s%.2s.nc.tar.gz", p->f->base_url, d,
                       e8k_plan_quarter_of(d), d, d + 5, d + 8) != 0)
        return e8k_plan_nomem(err);
    feed_run fr = {0};
    fr.p = p;
    p->feed_url = url.data;
    char *marker = p->f->store_dir ? marker_of(p, d) : NULL;
    e8k_status st = E8K_ERR_NOMEM;
    if (marker && !p->q->limit && feed_known(p, marker))
        st = E8K_OK;
    else if (e8k_xfer_init(p->f, &fr.x, url.data, E8K_MAX_FEED_SIZE) == 0) {
        fr.x.stream = 1;
        fr.b.xs = &fr.x;
        fr.b.n = 1;
        st = e8k_feed_read(NULL, 0, feed_pull, &fr, url.data, p->forms,
                           p->nforms, feed_member, &fr, err);
        if (fr.stopped) /* hung up on purpose, not a failure */
            st = E8K_OK;
        else if (st != E8K_OK && fr.x.result != E8K_OK &&
                 fr.x.state == E8K_X_DONE)
            st = e8k_fail(err, E8K_ERR_NETWORK, url.data, NULL, 0,
                          E8K_NO_OFFSET, "%s", fr.x.message);
        if (st == E8K_OK && !p->failed && !fr.stopped && !p->f->opt.dry_run &&
            marker)
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
