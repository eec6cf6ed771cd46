/* test_feed.c: the Feed tarball reader on tarballs built here, streamed
 * through the pull interface: members are filtered by form and handed
 * whole, a cut stream is reported as truncated, and running out of memory
 * inside a member is reported as such, not as a truncated tarball. */
#include "fetch_int.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif

/* One .nc member of a generated tarball: `head` then `fill` bytes of 'x'. */
typedef struct member {
    const char *name;
    const char *head;
    size_t fill;
} member;

/* A ustar stream made on the fly, so that a member may be far larger than
 * what the test holds in memory. */
typedef struct tar_stream {
    const member *m;
    size_t nm, cur;   /* member being written */
    size_t pos;       /* bytes of it written, header included */
    size_t cut_after; /* stop with an error after this many bytes in all */
    size_t sent;
    char block[512];
    char fill[65536];
} tar_stream;

static void tar_header(char *h, const char *name, size_t size)
{
    memset(h, 0, 512);
    snprintf(h, 100, "%s", name);
    memcpy(h + 100, "0000644", 8);
    memcpy(h + 108, "0000000", 8);
    memcpy(h + 116, "0000000", 8);
    snprintf(h + 124, 12, "%011llo", (unsigned long long)size);
    memcpy(h + 136, "00000000000", 12);
    h[156] = '0';
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (size_t i = 0; i < 512; i++)
        sum += (unsigned char)h[i];
    snprintf(h + 148, 8, "%06o", sum);
}

static size_t member_size(const member *m)
{
    return strlen(m->head) + m->fill;
}

/* The next piece of the current member: header, head, fill, padding. */
static long member_piece(tar_stream *t, const void **data)
{
    const member *m = &t->m[t->cur];
    size_t hl = strlen(m->head), size = member_size(m);
    size_t padded = (size + 511) / 512 * 512;
    if (t->pos == 0) {
        tar_header(t->block, m->name, size);
        *data = t->block;
        t->pos = 512;
        return 512;
    }
    size_t at = t->pos - 512;
    size_t n;
    if (at < hl) {
        *data = m->head + at;
        n = hl - at;
    } else if (at < size) {
        *data = t->fill;
        n = size - at < sizeof t->fill ? size - at : sizeof t->fill;
    } else {
        memset(t->block, 0, sizeof t->block);
        *data = t->block;
        n = padded - at;
    }
    t->pos += n;
    if (t->pos - 512 == padded) {
        t->cur++;
        t->pos = 0;
    }
    return (long)n;
}

static long tar_pull(void *ctx, const void **data)
{
    tar_stream *t = ctx;
    if (t->cut_after && t->sent >= t->cut_after) {
        *data = "connection reset";
        return -1;
    }
    long n;
    if (t->cur < t->nm) {
        n = member_piece(t, data);
    } else if (t->pos < 1024) { /* the two zero blocks that end a tar */
        memset(t->block, 0, sizeof t->block);
        *data = t->block;
        t->pos += 512;
        n = 512;
    } else {
        return 0;
    }
    if (t->cut_after && t->sent + (size_t)n > t->cut_after)
        n = (long)(t->cut_after - t->sent);
    t->sent += (size_t)n;
    return n;
}

static tar_stream *stream_new(const member *m, size_t nm)
{
    tar_stream *t = calloc(1, sizeof *t);
    cr_assert_not_null(t);
    t->m = m;
    t->nm = nm;
    memset(t->fill, 'x', sizeof t->fill);
    return t;
}

#define NC_HEAD(acc, form)                                                   \
    "<SUBMISSION>\n<ACCESSION-NUMBER>" acc "\n<TYPE>" form "\n"               \
    "<FILING-DATE>20070119\n<FILER>\n<COMPANY-DATA>\n"                      \
    "<CONFORMED-NAME>EXAMPLE CORP\n<CIK>0000320193\n</COMPANY-DATA>\n"

typedef struct seen {
    size_t n;
    char form[4][16];
    size_t len[4];
} seen;

static int on_member(const e8k_index_entry *e, const char *data, size_t len,
                     void *ctx)
{
    seen *s = ctx;
    (void)data;
    if (s->n < 4) {
        snprintf(s->form[s->n], sizeof s->form[0], "%s", e->form);
        s->len[s->n] = len;
    }
    s->n++;
    return 0;
}

Test(feed, wanted_members_whole_others_skipped)
{
    static const member m[] = {
        {"a.nc", NC_HEAD("0000320193-07-000001", "8-K"), 100000},
        {"b.nc", NC_HEAD("0000320193-07-000002", "10-K"), 10},
        {"c.txt", NC_HEAD("0000320193-07-000003", "8-K"), 10},
        {"d.nc", NC_HEAD("0000320193-07-000004", "8-K/A"), 0}};
    tar_stream *t = stream_new(m, 4);
    seen s = {0};
    e8k_error err;
    e8k_status st = e8k_feed_read(NULL, 0, tar_pull, t, "t.nc.tar",
                                  e8k_default_forms, E8K_NDEFAULT_FORMS,
                                  on_member, &s, &err);
    cr_assert_eq(st, E8K_OK, "%s", err.message);
    cr_assert_eq(s.n, 2, "%zu members kept", s.n);
    cr_expect_str_eq(s.form[0], "8-K");
    cr_expect_eq(s.len[0], member_size(&m[0]));
    cr_expect_str_eq(s.form[1], "8-K/A");
    cr_expect_eq(s.len[1], member_size(&m[3]));
    free(t);
}

Test(feed, cut_stream_is_truncated)
{
    static const member m[] = {
        {"a.nc", NC_HEAD("0000320193-07-000001", "8-K"), 200000}};
    tar_stream *t = stream_new(m, 1);
    t->cut_after = 100000;
    seen s = {0};
    e8k_error err;
    e8k_status st = e8k_feed_read(NULL, 0, tar_pull, t, "t.nc.tar", NULL, 0,
                                  on_member, &s, &err);
    cr_expect_eq(st, E8K_ERR_TRUNCATED, "%d: %s", st, err.message);
    cr_expect_eq(s.n, 0);
    cr_expect(strstr(err.message, "a.nc") != NULL, "%s", err.message);
    free(t);
}

#ifndef UNDER_SANITIZER
/* Address space in use now, from /proc/self/statm (pages). */
static size_t vm_bytes(void)
{
    FILE *fp = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (fp) {
        if (fscanf(fp, "%lu", &pages) != 1)
            pages = 0;
        fclose(fp);
    }
    return (size_t)pages * 4096;
}
#endif

/* A member far larger than the address space left to the process: the
 * buffer that holds it cannot grow, and that must read as out of memory.
 * The limit (RLIMIT_AS) leaves the reader's small allocations room; a
 * sanitizer reserves terabytes of shadow memory, so it cannot run there. */
Test(feed, no_memory_inside_a_member)
{
#ifdef UNDER_SANITIZER
    cr_skip_test("RLIMIT_AS cannot be used under a sanitizer");
#else
    static const member m[] = {
        {"big.nc", NC_HEAD("0000320193-07-000001", "8-K"), (size_t)1 << 30}};
    tar_stream *t = stream_new(m, 1);
    size_t vm = vm_bytes();
    cr_assert_gt(vm, 0);
    struct rlimit old, lim;
    cr_assert_eq(getrlimit(RLIMIT_AS, &old), 0);
    lim = old;
    lim.rlim_cur = (rlim_t)(vm + ((size_t)64 << 20));
    if (old.rlim_cur != RLIM_INFINITY && old.rlim_cur < lim.rlim_cur)
        cr_skip_test("address space already limited below what the test needs");
    cr_assert_eq(setrlimit(RLIMIT_AS, &lim), 0);
    seen s = {0};
    e8k_error err;
    e8k_status st = e8k_feed_read(NULL, 0, tar_pull, t, "t.nc.tar", NULL, 0,
                                  on_member, &s, &err);
    cr_assert_eq(setrlimit(RLIMIT_AS, &old), 0);
    cr_expect_eq(st, E8K_ERR_NOMEM, "%d: %s", st, err.message);
    cr_expect_eq(s.n, 0);
    cr_expect(strstr(err.message, "big.nc") != NULL, "%s", err.message);
    cr_expect(strstr(err.message, "out of memory") != NULL, "%s", err.message);
    free(t);
#endif
}

/* The header reader's statuses: a member without the tags is no filing
 * (callers pass over it), which a memory failure must never look like. */
Test(feed, header_statuses)
{
    static const char ok[] = NC_HEAD("0000320193-07-000001", "8-K");
    static const char no_type[] =
        "<SUBMISSION>\n<ACCESSION-NUMBER>0000320193-07-000001\n"
        "<FILING-DATE>20070119\n<CIK>0000320193\n";
    static const char bad_date[] =
        "<SUBMISSION>\n<ACCESSION-NUMBER>0000320193-07-000001\n<TYPE>8-K\n"
        "<FILING-DATE>2007-01-19\n<CIK>0000320193\n";
    e8k_pool pool = {0};
    e8k_index_entry e;
    cr_assert_eq(e8k_feed_header(ok, sizeof ok - 1, &pool, &e), E8K_OK);
    cr_expect_str_eq(e.form, "8-K");
    cr_expect_str_eq(e.date, "2007-01-19");
    cr_expect_str_eq(e.company, "EXAMPLE CORP");
    cr_expect_eq(e8k_feed_header(no_type, sizeof no_type - 1, &pool, &e),
                 E8K_ERR_MALFORMED);
    cr_expect_eq(e8k_feed_header(bad_date, sizeof bad_date - 1, &pool, &e),
                 E8K_ERR_MALFORMED);
    cr_expect_eq(e8k_feed_header("", 0, &pool, &e), E8K_ERR_MALFORMED);
    e8k_pool_free(&pool);
}
