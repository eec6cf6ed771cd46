/* feed.c: reads EDGAR's daily Feed tarballs (Feed/YYYY/QTRn/DATE.nc.tar.gz)
 * as a stream through libarchive, keeping only the .nc members of the
 * wanted forms. Nothing is unpacked to disk: a kept member is handed to
 * the caller from memory, the others are skipped after their header. */
#include "fetch_int.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The header of an .nc member sits in its first few KB; this much is read
 * before deciding whether the member is wanted. */
#define FEED_PEEK 65536

/* Value of "<TAG>value" up to the end of its line (CR or LF). */
static const char *tag_value(const char *data, size_t len, const char *tag,
                             size_t *vn)
{
    const char *p = e8k_memcasemem(data, len, tag);
    if (!p)
        return NULL;
    p += strlen(tag);
    const char *end = data + len, *q = p;
    while (q < end && *q != '\r' && *q != '\n' && *q != '<')
        q++;
    while (p < q && *p == ' ')
        p++;
    while (q > p && q[-1] == ' ')
        q--;
    *vn = (size_t)(q - p);
    return p;
}

e8k_status e8k_feed_header(const char *data, size_t len, e8k_pool *pool,
                           e8k_index_entry *out)
{
    size_t hl = len < FEED_PEEK ? len : FEED_PEEK, n;
    const char *v;
    memset(out, 0, sizeof *out);
    if ((v = tag_value(data, hl, "<ACCESSION-NUMBER>", &n)) == NULL ||
        e8k_accession_normalize(v, n, out->accession) != 0)
        return E8K_ERR_MALFORMED;
    if ((v = tag_value(data, hl, "<TYPE>", &n)) == NULL || n == 0)
        return E8K_ERR_MALFORMED;
    if ((out->form = e8k_pool_utf8(pool, v, n)) == NULL)
        return E8K_ERR_NOMEM;
    if ((v = tag_value(data, hl, "<FILING-DATE>", &n)) == NULL || n != 8)
        return E8K_ERR_MALFORMED;
    snprintf(out->date, sizeof out->date, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
    if ((v = tag_value(data, hl, "<CIK>", &n)) == NULL ||
        e8k_cik_normalize(v, n, out->cik) != 0)
        return E8K_ERR_MALFORMED;
    /* Feed headers name companies in Latin-1 now and then: the store's
     * entry (JSON) needs UTF-8. */
    v = tag_value(data, hl, "<CONFORMED-NAME>", &n);
    out->company = e8k_pool_utf8(pool, v ? v : "", v ? n : 0);
    return out->company ? E8K_OK : E8K_ERR_NOMEM;
}

static int form_wanted(const char *form, const char *const *forms,
                       size_t nforms)
{
    for (size_t i = 0; i < nforms; i++)
        if (!strcasecmp(form, forms[i]))
            return 1;
    return nforms == 0;
}

static int is_nc(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    return n > 3 && !strcmp(name + n - 3, ".nc");
}

/* How reading a member ended; the failures keep apart what the caller
 * reports differently (a bad stream, a full memory, an oversized member). */
enum {
    READ_MORE = 0,   /* the limit was reached first */
    READ_END = 1,    /* the member's end */
    READ_BROKEN = -1,
    READ_NOMEM = -2,
    READ_TOO_BIG = -3
};

/* Reads up to `limit` more bytes of the current member into b. */
static int read_some(struct archive *a, e8k_buf *b, size_t limit)
{
    char chunk[16384];
    size_t got = 0;
    while (got < limit) {
        la_ssize_t r = archive_read_data(a, chunk, sizeof chunk);
        if (r < 0)
            return READ_BROKEN;
        if (r == 0)
            return READ_END;
        if (b->len + (size_t)r > E8K_MAX_INPUT_SIZE)
            return READ_TOO_BIG;
        if (e8k_buf_append(b, chunk, (size_t)r) != 0)
            return READ_NOMEM;
        got += (size_t)r;
    }
    return READ_MORE;
}

/* The error of a member that could not be read whole. */
static e8k_status member_failed(struct archive *a, int r, const char *name,
                                const char *mname, size_t len, e8k_error *err)
{
    if (r == READ_NOMEM)
        return e8k_fail(err, E8K_ERR_NOMEM, name, NULL, 0, E8K_NO_OFFSET,
                        "member %s: out of memory after reading %zu bytes",
                        mname, len);
    if (r == READ_TOO_BIG)
        return e8k_fail(err, E8K_ERR_LIMIT, name, NULL, 0, E8K_NO_OFFSET,
                        "member %s is larger than the input limit of %zu "
                        "bytes", mname, (size_t)E8K_MAX_INPUT_SIZE);
    const char *why = archive_error_string(a);
    return e8k_fail(err, E8K_ERR_TRUNCATED, name, NULL, 0, E8K_NO_OFFSET,
                    "member %s: %s", mname, why ? why : "cannot read");
}

typedef struct feed_ctx {
    const char *const *forms;
    size_t nforms;
    e8k_feed_member_fn fn;
    void *ctx;
    const char *name;
} feed_ctx;

/* One member: peek at its header, then read the rest only if wanted. */
static e8k_status feed_member(struct archive *a, struct archive_entry *ent,
                              feed_ctx *fc, e8k_error *err)
{
    const char *mname = archive_entry_pathname(ent);
    if (!is_nc(mname) || archive_entry_filetype(ent) != AE_IFREG)
        return E8K_OK;
    e8k_buf b = {0};
    e8k_pool pool = {0};
    e8k_index_entry e;
    e8k_status st = E8K_OK;
    int r = read_some(a, &b, FEED_PEEK);
    /* A member without a header is no filing of ours and is passed over;
     * one whose header could not be copied is a failure of this run. */
    e8k_status hs = r >= 0 && b.len > 0
                        ? e8k_feed_header(b.data, b.len, &pool, &e)
                        : E8K_ERR_MALFORMED;
    if (hs == E8K_ERR_NOMEM) {
        st = e8k_fail(err, E8K_ERR_NOMEM, fc->name, NULL, 0, E8K_NO_OFFSET,
                      "member %s: out of memory reading its header", mname);
    } else if (hs == E8K_OK && form_wanted(e.form, fc->forms, fc->nforms)) {
        while (r == READ_MORE)
            r = read_some(a, &b, (size_t)1 << 24);
        if (r == READ_END && fc->fn(&e, b.data, b.len, fc->ctx) != 0)
            st = e8k_fail(err, E8K_ERR_IO, fc->name, NULL, 0, E8K_NO_OFFSET,
                          "stopped at member %s", mname);
    }
    if (r < 0 && st == E8K_OK)
        st = member_failed(a, r, fc->name, mname, b.len, err);
    e8k_buf_free(&b);
    e8k_pool_free(&pool);
    return st;
}

typedef struct feed_pull {
    e8k_feed_pull_fn pull;
    void *ctx;
} feed_pull;

static la_ssize_t on_read(struct archive *a, void *ud, const void **data)
{
    feed_pull *pc = ud;
    long n = pc->pull(pc->ctx, data);
    if (n < 0) {
        archive_set_error(a, -1, "%s",
                          *data ? (const char *)*data : "transfer failed");
        return -1;
    }
    return (la_ssize_t)n;
}

const char *const e8k_default_forms[E8K_NDEFAULT_FORMS] = {"8-K", "8-K/A"};

e8k_status e8k_feed_read(const char *mem, size_t memlen, e8k_feed_pull_fn pull,
                         void *pull_ctx, const char *name,
                         const char *const *forms, size_t nforms,
                         e8k_feed_member_fn fn, void *ctx, e8k_error *err)
{
    if (!name)
        name = "(feed)";
    struct archive *a = archive_read_new();
    if (!a)
        return e8k_fail(err, E8K_ERR_NOMEM, name, NULL, 0, E8K_NO_OFFSET,
                        "out of memory");
    archive_read_support_filter_all(a);
    archive_read_support_format_tar(a);
    feed_pull pc = {pull, pull_ctx};
    int r = pull ? archive_read_open(a, &pc, NULL, on_read, NULL)
                 : archive_read_open_memory(a, mem, memlen);
    feed_ctx fc = {forms, nforms, fn, ctx, name};
    e8k_status st = E8K_OK;
    struct archive_entry *ent;
    size_t members = 0;
    while (r == ARCHIVE_OK && st == E8K_OK &&
           (r = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
        members++;
        st = feed_member(a, ent, &fc, err);
    }
    if (st == E8K_OK && r != ARCHIVE_EOF)
        st = e8k_fail(err, E8K_ERR_MALFORMED, name, NULL, 0, E8K_NO_OFFSET,
                      "not a readable tar archive after %zu members: %s",
                      members, archive_error_string(a)
                                   ? archive_error_string(a) : "unknown");
    archive_read_free(a);
    return st;
}
