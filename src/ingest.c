/* SPDX-License-Identifier: MIT */
/* ingest.c: the pipeline behind `edgar8k ingest`. The caller's thread
 * walks the inputs (files, directory trees, Feed tarballs) and hands each to
 * a ring of in-flight filings; worker threads read, hash, set aside what is
 * no filing (ingest_kind.c), skip what is already stored (its bytes, or a
 * filing under its key: each filing is stored once), parse, extract and
 * validate; one writer thread stores the results. The database is the one that storing in input order gives,
 * however the workers interleave: a parsed filing may be stored ahead of
 * earlier ones only when none of them can share its key or its bytes (then
 * the order of the two changes nothing), so a large filing does not hold
 * back the small ones behind it; skips and failures go in input order, and
 * so are reported in it. The ring's byte budget bounds memory whatever the
 * number of filings: a filing's bytes leave it when it is stored. Each
 * filing is all or nothing (a
 * savepoint in a batch committed every quarter second), so a killed ingest
 * loses at most the filings of the last batch, which a rerun (skipping
 * stored content) redoes. */
#define _GNU_SOURCE /* memmem */
#include "store_int.h"
#include "fetch_int.h"
#include "ingest_int.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The bytes of an input's name kept to compare (a path, or a tarball's
 * path and a member's accession). */
#define SOURCE_SIZE 4352

typedef struct job {
    size_t seq;
    char *name;
    char *buf;
    size_t len;
    char sha[65];
    int load;      /* name is a file the worker reads */
    int warn;      /* no input: err is a warning to report in its turn */
    size_t weight; /* input bytes counted against the in-flight budget */
    int skip;      /* its bytes are already stored */
    int loaded;    /* buf, len and sha are set, or cannot be (under mu) */
    int done;      /* a worker finished with it (under mu) */
    int written;   /* stored or reported, its memory released (under mu) */
    int deferred;  /* found already stored when it could go ahead: left
                      for its turn, so that its skip is reported in order
                      (writer only) */
    size_t checked_to; /* earlier filings below this seq cannot share its
                          key or bytes (writer only) */
    size_t hit;    /* 1 + seq of the unparsed filing whose bytes hold its
                      key: no need to scan them again until that one is
                      parsed (writer only) */
    const char *not_filing; /* why the input is no filing, or NULL */
    int dup;       /* a filing is stored under its key already */
    char key[E8K_FILING_KEY_SIZE]; /* once parsed */
    char path_acc[21]; /* the accession its name holds, or "" */
    e8k_filing *f;
    e8k_records *r;
    e8k_report *rep;
    e8k_status st; /* of reading, parsing, extracting or validating */
    e8k_error err;
} job;

struct e8k_ingest {
    e8k_ingest_options opt;
    e8k_store *writer_store;
    e8k_store *lookup_store; /* the workers' skip test, under lookup_mu */
    pthread_mutex_t mu, lookup_mu;
    pthread_cond_t cv_work, cv_space, cv_done;
    job **ring;
    size_t cap;
    size_t budget, in_flight; /* input bytes allowed and held in the ring */
    size_t next_seq, next_work, next_write;
    int closing, finished;
    e8k_status fatal;
    e8k_error fatal_err;
    pthread_t *workers;
    int nworkers;
    int started; /* workers running, to join */
    pthread_t writer;
    int writer_started;
    e8k_ingest_stats stats;
    struct timespec t0;
    double last_progress;
    double batch_start; /* when the open batch began (writer only) */
};

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) +
           (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

void e8k_ingest_options_init(e8k_ingest_options *opt)
{
    memset(opt, 0, sizeof *opt);
}

/* What a filing holds beyond its slot in the ring. */
static void job_release(job *j)
{
    e8k_report_free(j->rep);
    e8k_records_free(j->r);
    e8k_filing_free(j->f);
    free(j->buf);
    j->rep = NULL, j->r = NULL, j->f = NULL, j->buf = NULL;
}

static void job_free(job *j)
{
    if (!j)
        return;
    job_release(j);
    free(j->name);
    free(j);
}

/* ---- workers -------------------------------------------------------------- */

static void work_skip_test(e8k_ingest *ing, job *j)
{
    if (ing->opt.force)
        return;
    int found = 0;
    pthread_mutex_lock(&ing->lookup_mu);
    e8k_status st = e8k_store_has_content(ing->lookup_store, j->sha, &found,
                                          &j->err);
    pthread_mutex_unlock(&ing->lookup_mu);
    if (st != E8K_OK)
        j->st = st;
    j->skip = found;
}

static void count(e8k_ingest *ing, size_t *field, size_t n);

/* Completes j->err for a failed j->st: its status, and the input's name
 * when the stage that failed did not give one. */
static void job_error(job *j)
{
    j->err.status = j->st;
    if (!j->err.file[0])
        snprintf(j->err.file, sizeof j->err.file, "%s", j->name);
}

/* Reading in the workers spreads the kernel's copying over the cores and
 * keeps the caller's thread (which feeds every worker) light. */
static void work_load(e8k_ingest *ing, job *j)
{
    j->load = 0;
    j->st = e8k_file_load(j->name, &j->buf, &j->len, &j->err);
    if (j->st != E8K_OK)
        job_error(j);
    count(ing, &ing->stats.bytes, j->len);
}

/* The key a parsed filing is stored under: its accession, else the one
 * its path names (a primary document beside its submission), else its
 * digest. */
static void job_key(job *j)
{
    const char *acc = e8k_filing_header(j->f)->accession;
    if ((!acc || !*acc) && j->path_acc[0])
        snprintf(j->key, sizeof j->key, "%s", j->path_acc);
    else
        e8k_filing_key(j->f, j->sha, j->key);
}

/* A header whose documents are missing parses, as a submission of none:
 * no filing to store. Sets the job's key otherwise. */
static int parsed_not_filing(job *j)
{
    e8k_dialect d = e8k_filing_dialect(j->f);
    if ((d == E8K_DIALECT_SEC_DOCUMENT || d == E8K_DIALECT_SUBMISSION ||
         d == E8K_DIALECT_PEM) && !e8k_filing_document_count(j->f)) {
        j->not_filing = "SEC header without documents";
        return 1;
    }
    job_key(j);
    return 0;
}

/* A complete submission holds every document of the filing: it replaces
 * a lone document stored under the same accession, never the reverse. */
static int is_complete(const char *dialect)
{
    return !strcmp(dialect, "sec-document") || !strcmp(dialect, "submission") ||
           !strcmp(dialect, "pem");
}

/* Whether j, whose key is stored already as `dialect` read from
 * `source`, adds nothing: the stored filing is complete and j is not, or
 * both are alike and the stored one's name sorts first (bytewise). So the
 * filing kept under a key does not depend on the order of the inputs, nor
 * on how many ingests share the database: the first in a directory's walk
 * (which is sorted) in a single run, the same name when shards run at
 * once. */
static int adds_nothing(const job *j, const char *dialect,
                        const char *source)
{
    int stored = is_complete(dialect);
    int mine = is_complete(e8k_dialect_name(e8k_filing_dialect(j->f)));
    if (stored != mine)
        return stored;
    return strcmp(j->name, source) >= 0;
}

/* Spares extracting a filing whose key is stored (the other file of an
 * accession on a rerun); the writer decides for filings of this run. */
static void work_dup_test(e8k_ingest *ing, job *j)
{
    char dialect[64], source[SOURCE_SIZE];
    int found = 0;
    pthread_mutex_lock(&ing->lookup_mu);
    e8k_status st = e8k_store_key_dialect(ing->lookup_store, j->key, dialect,
                                          source, sizeof source, &found,
                                          &j->err);
    pthread_mutex_unlock(&ing->lookup_mu);
    if (st != E8K_OK)
        j->st = st;
    else if (found && adds_nothing(j, dialect, source))
        j->dup = 1;
}

/* `skip_test`: 0 when the writer already knows the bytes are not stored
 * (the lookup connection does not see the writer's open batch). */
static void work(e8k_ingest *ing, job *j, int skip_test)
{
    if (j->load)
        work_load(ing, j);
    if (j->st == E8K_OK && !j->sha[0] && j->buf && !j->warn)
        e8k_sha256_hex(j->buf, j->len, j->sha);
    if (!j->loaded) { /* the writer may now compare it (may_go_ahead) */
        pthread_mutex_lock(&ing->mu);
        j->loaded = 1;
        pthread_cond_broadcast(&ing->cv_done);
        pthread_mutex_unlock(&ing->mu);
    }
    if (j->st != E8K_OK || j->not_filing || j->warn)
        return; /* could not be read, named as no filing, or no input */
    if ((j->not_filing = e8k_ingest_not_filing(j->buf, j->len)) != NULL)
        return;
    if (skip_test)
        work_skip_test(ing, j);
    if (j->st != E8K_OK || j->skip)
        return;
    j->f = e8k_filing_new(j->name);
    if (!j->f)
        j->st = e8k_fail(&j->err, E8K_ERR_NOMEM, j->name, NULL, 0,
                         E8K_NO_OFFSET, "out of memory");
    if (j->st == E8K_OK)
        j->st = e8k_filing_parse(j->f, j->buf, j->len, &j->err);
    if (j->st == E8K_OK && parsed_not_filing(j))
        return;
    if (j->st == E8K_OK && skip_test && !ing->opt.force)
        work_dup_test(ing, j);
    if (j->st != E8K_OK || j->dup)
        return;
    if (j->st == E8K_OK)
        j->st = e8k_extract_filing(ing->opt.grammar, j->f, &j->r, &j->err);
    if (j->st == E8K_OK)
        j->st = e8k_validate(j->r, j->f, &j->rep, &j->err);
    if (j->st != E8K_OK)
        job_error(j);
}

static void *worker_main(void *arg)
{
    e8k_ingest *ing = arg;
    pthread_mutex_lock(&ing->mu);
    for (;;) {
        while (ing->next_work == ing->next_seq && !ing->closing)
            pthread_cond_wait(&ing->cv_work, &ing->mu);
        if (ing->next_work == ing->next_seq)
            break;
        job *j = ing->ring[ing->next_work++ % ing->cap];
        int stop = ing->fatal != E8K_OK;
        pthread_mutex_unlock(&ing->mu);
        if (!stop)
            work(ing, j, 1);
        pthread_mutex_lock(&ing->mu);
        j->done = 1;
        pthread_cond_broadcast(&ing->cv_done);
    }
    pthread_mutex_unlock(&ing->mu);
    return NULL;
}

/* ---- the writer ------------------------------------------------------------ */

/* `stored`: the filing a STORED event shows the callback, else NULL;
 * `why`: the reason of a SKIPPED or NOT_FILING event, else NULL. */
static void emit_ev(e8k_ingest *ing, e8k_ingest_event_kind kind,
                    const char *name, const e8k_error *e, const job *stored,
                    const char *why)
{
    if (!ing->opt.callback)
        return;
    pthread_mutex_lock(&ing->mu);
    e8k_ingest_stats snap = ing->stats;
    pthread_mutex_unlock(&ing->mu);
    snap.elapsed = since(&ing->t0);
    e8k_ingest_event ev = {kind, name, e, &snap, NULL, NULL, NULL, why};
    if (stored)
        ev.filing = stored->f, ev.records = stored->r, ev.report = stored->rep;
    ing->opt.callback(&ev, ing->opt.callback_data);
}

static void emit(e8k_ingest *ing, e8k_ingest_event_kind kind,
                 const char *name, const e8k_error *e, const job *stored)
{
    emit_ev(ing, kind, name, e, stored, NULL);
}

static void emit_why(e8k_ingest *ing, e8k_ingest_event_kind kind,
                     const char *name, const e8k_error *e, const char *why)
{
    emit_ev(ing, kind, name, e, NULL, why);
}

static void count(e8k_ingest *ing, size_t *field, size_t n)
{
    pthread_mutex_lock(&ing->mu);
    *field += n;
    pthread_mutex_unlock(&ing->mu);
}

static void set_fatal(e8k_ingest *ing, e8k_status st, const e8k_error *e)
{
    pthread_mutex_lock(&ing->mu);
    if (ing->fatal == E8K_OK) {
        ing->fatal = st;
        if (e)
            ing->fatal_err = *e;
        ing->fatal_err.status = st;
    }
    pthread_cond_broadcast(&ing->cv_space);
    pthread_mutex_unlock(&ing->mu);
}

/* The run's fatal status, and its error into *err when there is one;
 * under the lock, since the writer or a worker may be setting it. */
static e8k_status fatal_of(e8k_ingest *ing, e8k_error *err)
{
    pthread_mutex_lock(&ing->mu);
    e8k_status st = ing->fatal;
    if (st != E8K_OK && err)
        *err = ing->fatal_err;
    pthread_mutex_unlock(&ing->mu);
    return st;
}

static int input_error(e8k_status st)
{
    return st == E8K_ERR_EMPTY || st == E8K_ERR_BINARY ||
           st == E8K_ERR_TRUNCATED || st == E8K_ERR_MALFORMED ||
           st == E8K_ERR_LIMIT;
}

/* An input that is not a readable filing: recorded (when it is the
 * input's fault, so reruns skip it) and reported. */
static e8k_status store_failed(e8k_ingest *ing, job *j)
{
    e8k_error e;
    e8k_status st = E8K_OK;
    if (input_error(j->st) && j->sha[0])
        st = e8k_store_put_failure(ing->writer_store, j->name, j->sha, j->len,
                                   &j->err, &e);
    if (st != E8K_OK)
        return set_fatal(ing, st, &e), st;
    count(ing, &ing->stats.failed, 1);
    emit(ing, E8K_INGEST_FAILED, j->name, &j->err, NULL);
    return E8K_OK;
}

/* A skip decided by a worker holds only if the bytes are still stored: an
 * earlier filing of this run may have replaced them (same key). */
static e8k_status recheck(e8k_ingest *ing, job *j, int *stored)
{
    e8k_error e;
    e8k_status st = e8k_store_has_content(ing->writer_store, j->sha, stored, &e);
    if (st != E8K_OK)
        set_fatal(ing, st, &e);
    return st;
}

/* Whether a filing of j's key is stored already, in this run or before,
 * and j adds nothing to it (-1: the database failed, fatal set). */
static int key_stored(e8k_ingest *ing, job *j)
{
    char dialect[64], source[SOURCE_SIZE];
    int found = 0;
    e8k_error e;
    if (ing->opt.force)
        return 0;
    e8k_status st = e8k_store_key_dialect(ing->writer_store, j->key, dialect,
                                          source, sizeof source, &found, &e);
    if (st != E8K_OK)
        return set_fatal(ing, st, &e), -1;
    return found && adds_nothing(j, dialect, source);
}

static void report_skip(e8k_ingest *ing, job *j, const char *why)
{
    count(ing, &ing->stats.skipped, 1);
    emit_why(ing, E8K_INGEST_SKIPPED, j->name, NULL, why);
}

/* Stores j, or reports it skipped (its bytes or its key stored), no filing
 * or failed. `ahead`: j goes before earlier filings; found stored then, it
 * is a skip, which waits for its turn to be reported (returns 1, nothing
 * done). */
static int store_job(e8k_ingest *ing, job *j, int ahead)
{
    int stored = 0;
    if (j->warn) {
        emit(ing, E8K_INGEST_WARNING, j->name, &j->err, NULL);
        return 0;
    }
    if (j->not_filing && j->st == E8K_OK) {
        count(ing, &ing->stats.not_filings, 1);
        emit_why(ing, E8K_INGEST_NOT_FILING, j->name, NULL, j->not_filing);
        return 0;
    }
    if (j->dup && j->st == E8K_OK)
        return report_skip(ing, j, "its accession is stored"), 0;
    if (j->st == E8K_OK && !ing->opt.force &&
        recheck(ing, j, &stored) != E8K_OK)
        return 0;
    if (ahead && stored) {
        j->deferred = 1;
        return 1;
    }
    if (j->skip && !stored) {
        j->skip = 0; /* replaced since the worker looked: do it here */
        work(ing, j, 0);
    }
    int dup = j->st == E8K_OK && !stored && !j->not_filing
                  ? key_stored(ing, j) : 0;
    if (dup < 0)
        return 0;
    if (ahead && dup) { /* a skip, reported in its turn */
        j->deferred = 1;
        return 1;
    }
    if (j->st == E8K_ERR_DATABASE) {
        set_fatal(ing, j->st, &j->err);
    } else if (j->st != E8K_OK) {
        store_failed(ing, j);
    } else if (j->not_filing) { /* found so on the writer's second look */
        count(ing, &ing->stats.not_filings, 1);
        emit_why(ing, E8K_INGEST_NOT_FILING, j->name, NULL, j->not_filing);
    } else if (stored || dup) {
        report_skip(ing, j, stored ? "its bytes are stored"
                                   : "its accession is stored");
    } else {
        e8k_error e;
        e8k_status st = e8k_store_put(ing->writer_store, j->f, j->r, j->rep,
                                      j->sha, j->key, &e);
        if (st != E8K_OK) {
            set_fatal(ing, st, &e);
            return 0;
        }
        pthread_mutex_lock(&ing->mu);
        ing->stats.stored++;
        ing->stats.offerings += e8k_records_offering_count(j->r);
        for (size_t i = 0; i < e8k_report_count(j->rep); i++) {
            e8k_check_status cs = e8k_report_finding(j->rep, i)->status;
            ing->stats.checks_run += cs == E8K_CHECK_PASS ||
                                     cs == E8K_CHECK_FAIL ||
                                     cs == E8K_CHECK_WARN;
            ing->stats.checks_warned += cs == E8K_CHECK_WARN;
            ing->stats.checks_failed += cs == E8K_CHECK_FAIL;
        }
        pthread_mutex_unlock(&ing->mu);
        emit(ing, E8K_INGEST_STORED, j->name, NULL, j);
    }
    return 0;
}

static void progress(e8k_ingest *ing)
{
    double now = since(&ing->t0);
    if (now - ing->last_progress < 0.1)
        return;
    ing->last_progress = now;
    emit(ing, E8K_INGEST_PROGRESS, NULL, NULL, NULL);
}

/* Filings are committed in batches of at most this many seconds: each
 * stays all or nothing (a savepoint), and a batch lost to a crash is redone
 * by the rerun, which finds its filings missing. */
#define BATCH_SECONDS 0.25

static void batch_end(e8k_ingest *ing)
{
    e8k_error e;
    e8k_status st = e8k_store_batch_end(ing->writer_store, 1, &e);
    if (st != E8K_OK)
        set_fatal(ing, st, &e);
}

/* store_job in the open batch (begun when none is); 1 when j was
 * deferred. */
static int write_job(e8k_ingest *ing, job *j, int ahead)
{
    if (!ing->writer_store->batch) {
        e8k_error e;
        e8k_status st = e8k_store_batch_begin(ing->writer_store, &e);
        if (st != E8K_OK) {
            set_fatal(ing, st, &e);
            return 0;
        }
        ing->batch_start = since(&ing->t0);
    }
    int deferred = store_job(ing, j, ahead);
    if (since(&ing->t0) - ing->batch_start >= BATCH_SECONDS)
        batch_end(ing);
    pthread_mutex_lock(&ing->mu);
    ing->stats.db_retries = ing->writer_store->retries;
    pthread_mutex_unlock(&ing->mu);
    progress(ing);
    return deferred;
}

/* Waits for the next filing; an open batch is committed when none comes
 * in time, so that what is stored becomes visible while inputs trickle. */
static void writer_wait(e8k_ingest *ing)
{
    if (!ing->writer_store->batch) {
        pthread_cond_wait(&ing->cv_done, &ing->mu);
        return;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += (long)(BATCH_SECONDS * 1e9);
    ts.tv_sec += ts.tv_nsec / 1000000000L;
    ts.tv_nsec %= 1000000000L;
    if (pthread_cond_timedwait(&ing->cv_done, &ing->mu, &ts) == 0)
        return;
    pthread_mutex_unlock(&ing->mu);
    batch_end(ing);
    pthread_mutex_lock(&ing->mu);
}

/* Whether k, parsed and done, may be stored before the earlier filings
 * not yet written: none of them shares its bytes or may share its key, so
 * storing the two in either order gives the same rows. An earlier filing
 * not parsed yet is judged by its bytes: its key is either an accession
 * number copied verbatim from them or the digest compared just before.
 * What was found clear stays clear, hence checked_to. Under mu. */
static int may_go_ahead(e8k_ingest *ing, job *k)
{
    const char *key = k->key;
    size_t klen = strlen(key);
    if (k->checked_to < ing->next_write)
        k->checked_to = ing->next_write;
    for (; k->checked_to < k->seq; k->checked_to++) {
        const job *i = ing->ring[k->checked_to % ing->cap];
        if (i->written)
            continue;
        if (!i->loaded || (i->sha[0] && !strcmp(i->sha, k->sha)))
            return 0;
        if (i->done && i->f) {
            if (!strcmp(i->key, key))
                return 0;
        } else if (!strcmp(i->path_acc, key)) {
            return 0; /* its name may give it our key */
        } else if (k->hit == i->seq + 1 && !i->done) {
            return 0; /* its bytes, which hold our key, are unchanged */
        } else if (i->buf && memmem(i->buf, i->len, key, klen)) {
            k->hit = i->seq + 1;
            return 0;
        }
    }
    return 1;
}

/* The next filing to write, or NULL: the oldest when it is done, else a
 * parsed one that may go ahead of it; none but the oldest once the run has
 * failed. Frees the slots at the head that are written. Under mu. */
static job *next_to_write(e8k_ingest *ing)
{
    while (ing->next_write != ing->next_seq &&
           ing->ring[ing->next_write % ing->cap]->written) {
        job_free(ing->ring[ing->next_write % ing->cap]);
        ing->ring[ing->next_write++ % ing->cap] = NULL;
        pthread_cond_broadcast(&ing->cv_space);
    }
    if (ing->next_write == ing->next_seq)
        return NULL;
    job *head = ing->ring[ing->next_write % ing->cap];
    if (head->done)
        return head;
    if (ing->fatal != E8K_OK)
        return NULL;
    for (size_t seq = ing->next_write + 1; seq != ing->next_seq; seq++) {
        job *k = ing->ring[seq % ing->cap];
        if (k->done && !k->written && !k->deferred && k->st == E8K_OK &&
            k->f && !k->dup && !k->not_filing && may_go_ahead(ing, k))
            return k;
    }
    return NULL;
}

static void *writer_main(void *arg)
{
    e8k_ingest *ing = arg;
    pthread_mutex_lock(&ing->mu);
    for (;;) {
        job *j = next_to_write(ing);
        if (!j) {
            if (ing->closing && ing->next_write == ing->next_seq)
                break;
            writer_wait(ing);
            continue;
        }
        int stop = ing->fatal != E8K_OK;
        int ahead = j->seq != ing->next_write;
        pthread_mutex_unlock(&ing->mu);
        if (!stop && write_job(ing, j, ahead)) {
            pthread_mutex_lock(&ing->mu);
            continue; /* deferred to its turn */
        }
        job_release(j);
        pthread_mutex_lock(&ing->mu);
        j->written = 1;
        ing->in_flight -= j->weight;
        pthread_cond_broadcast(&ing->cv_space);
    }
    pthread_mutex_unlock(&ing->mu);
    batch_end(ing); /* what was stored before any failure is kept */
    return NULL;
}

/* ---- the producer (the caller's thread) ---------------------------------- */

/* Whether the ring can take j: a free slot, and its bytes within the
 * budget unless the ring is empty (an input larger than the budget goes
 * alone). Memory is then bounded by the budget, not by the number of
 * slots times the largest filing. */
static int room_for(const e8k_ingest *ing, const job *j)
{
    if (ing->next_seq == ing->next_write)
        return 1;
    return ing->next_seq - ing->next_write < ing->cap &&
           ing->in_flight + j->weight <= ing->budget;
}

static e8k_status submit(e8k_ingest *ing, job *j)
{
    pthread_mutex_lock(&ing->mu);
    while (!room_for(ing, j) && ing->fatal == E8K_OK)
        pthread_cond_wait(&ing->cv_space, &ing->mu);
    e8k_status st = ing->fatal;
    if (st == E8K_OK) {
        j->seq = ing->next_seq;
        ing->ring[ing->next_seq++ % ing->cap] = j;
        ing->in_flight += j->weight;
        ing->stats.inputs += !j->warn;
        ing->stats.bytes += j->len;
        pthread_cond_signal(&ing->cv_work);
    }
    pthread_mutex_unlock(&ing->mu);
    if (st != E8K_OK)
        job_free(j);
    return st;
}

static job *job_new(const char *name)
{
    job *j = calloc(1, sizeof *j);
    if (j && !(j->name = e8k_strndup(name, strlen(name)))) {
        free(j);
        j = NULL;
    }
    if (j && !e8k_ingest_path_accession(name, j->path_acc))
        j->path_acc[0] = '\0';
    return j;
}

static e8k_status nomem(e8k_error *err)
{
    return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                    "out of memory");
}

/* A worker reads the file; one that cannot be read still goes through the
 * ring, so that its failure is reported in order like any other. A file
 * named as no filing is not read, only reported (`not_filing`). */
e8k_status e8k_ingest_submit_file(e8k_ingest *ing, const char *path,
                                  size_t size, const char *not_filing,
                                  e8k_error *err)
{
    job *j = job_new(path);
    if (!j)
        return nomem(err);
    j->load = !not_filing;
    j->not_filing = not_filing;
    j->weight = not_filing ? 0 : size;
    return submit(ing, j);
}

e8k_status e8k_ingest_submit_warning(e8k_ingest *ing, const char *path,
                                     e8k_error *err, const char *fmt,
                                     va_list ap)
{
    job *j = job_new(path);
    if (!j)
        return nomem(err);
    j->warn = 1;
    e8k_error_clear(&j->err);
    j->err.status = E8K_ERR_IO;
    snprintf(j->err.file, sizeof j->err.file, "%s", path);
    e8k_error_vset(&j->err, fmt, ap);
    j->loaded = 1;
    return submit(ing, j);
}

typedef struct tar_ctx {
    e8k_ingest *ing;
    const char *path;
    FILE *fp;
    char chunk[1 << 16];
    e8k_status st;
} tar_ctx;

static long tar_pull(void *vctx, const void **data)
{
    tar_ctx *t = vctx;
    size_t n = fread(t->chunk, 1, sizeof t->chunk, t->fp);
    *data = t->chunk;
    if (n == 0 && ferror(t->fp)) {
        *data = "read error";
        return -1;
    }
    return (long)n;
}

static int tar_member(const e8k_index_entry *e, const char *data, size_t len,
                      void *vctx)
{
    tar_ctx *t = vctx;
    char name[4200];
    snprintf(name, sizeof name, "%s:%s", t->path, e->accession);
    job *j = job_new(name);
    if (j && (j->buf = malloc(len ? len : 1)) != NULL) {
        memcpy(j->buf, data, len);
        j->len = len;
        j->weight = len;
        t->st = submit(t->ing, j);
    } else {
        job_free(j);
        t->st = E8K_ERR_NOMEM;
    }
    return t->st != E8K_OK;
}

e8k_status e8k_ingest_submit_tarball(e8k_ingest *ing, const char *path,
                                     e8k_error *err)
{
    tar_ctx *t = calloc(1, sizeof *t);
    if (!t)
        return nomem(err);
    t->ing = ing, t->path = path, t->st = E8K_OK;
    t->fp = fopen(path, "rb");
    e8k_error e;
    e8k_error_clear(&e);
    e8k_status st = t->fp ? E8K_OK
                          : e8k_fail(&e, E8K_ERR_IO, path, NULL, 0,
                                     E8K_NO_OFFSET, "cannot open");
    if (st == E8K_OK) {
        const char *const *forms =
            ing->opt.forms ? ing->opt.forms : e8k_default_forms;
        size_t nforms = ing->opt.forms ? ing->opt.nforms : E8K_NDEFAULT_FORMS;
        st = e8k_feed_read(NULL, 0, tar_pull, t, path, forms, nforms,
                           tar_member, t, &e);
        fclose(t->fp);
    }
    e8k_status rc = t->st;
    free(t);
    if (rc == E8K_OK && st != E8K_OK) {
        job *bad = job_new(path);
        if (!bad)
            return nomem(err);
        bad->st = st, bad->err = e;
        rc = submit(ing, bad); /* reported by the writer, in order */
    }
    if (rc == E8K_OK)
        return E8K_OK;
    /* submit() failed on the run's fatal error; else memory ran out. */
    return fatal_of(ing, err) != E8K_OK ? rc : nomem(err);
}

e8k_status e8k_ingest_path(e8k_ingest *ing, const char *path, e8k_error *err)
{
    if (!ing || !path || ing->closing)
        return e8k_fail(err, E8K_ERR_USAGE, NULL, NULL, 0, E8K_NO_OFFSET,
                        "ingest: no input, or already finished");
    e8k_status st = e8k_ingest_walk(ing, path, NULL, err);
    if (st != E8K_OK)
        fatal_of(ing, err); /* the run's own error explains a refused input */
    return st;
}

size_t e8k_ingest_count(e8k_ingest *ing, const char *path)
{
    size_t n = 0;
    e8k_ingest_walk(ing, path, &n, NULL);
    if (ing)
        count(ing, &ing->stats.total, n);
    return n;
}

/* ---- life cycle ------------------------------------------------------------ */

static e8k_status start_threads(e8k_ingest *ing, e8k_error *err)
{
    ing->workers = calloc((size_t)ing->nworkers, sizeof *ing->workers);
    if (!ing->workers)
        return nomem(err);
    if (pthread_create(&ing->writer, NULL, writer_main, ing) != 0)
        return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                        "cannot start the writer thread");
    ing->writer_started = 1;
    for (int i = 0; i < ing->nworkers; i++, ing->started++)
        if (pthread_create(&ing->workers[i], NULL, worker_main, ing) != 0)
            return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                            "cannot start worker %d", i + 1);
    return E8K_OK;
}

static e8k_status ingest_setup(e8k_ingest *ing, const char *url,
                               e8k_error *err)
{
    if (!ing->opt.grammar)
        return e8k_fail(err, E8K_ERR_USAGE, NULL, NULL, 0, E8K_NO_OFFSET,
                        "ingest needs a grammar");
    if (ing->opt.jobs > E8K_INGEST_MAX_JOBS)
        return e8k_fail(err, E8K_ERR_USAGE, NULL, NULL, 0, E8K_NO_OFFSET,
                        "ingest: %d workers asked for, at most %d",
                        ing->opt.jobs, E8K_INGEST_MAX_JOBS);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    ing->nworkers = ing->opt.jobs > 0 ? ing->opt.jobs
                    : cores > 0 ? (int)(cores < E8K_INGEST_MAX_JOBS
                                            ? cores : E8K_INGEST_MAX_JOBS)
                                : 1;
    size_t slots = E8K_INGEST_SLOTS_PER_WORKER * (size_t)ing->nworkers;
    ing->cap = ing->opt.queue ? ing->opt.queue
               : slots > E8K_INGEST_SLOTS ? slots : E8K_INGEST_SLOTS;
    ing->budget = ing->opt.max_bytes ? ing->opt.max_bytes
                                     : (size_t)E8K_INGEST_BYTES_IN_FLIGHT;
    ing->ring = calloc(ing->cap, sizeof *ing->ring);
    if (!ing->ring)
        return nomem(err);
    e8k_status st = e8k_store_open(url, &ing->writer_store, err);
    if (st == E8K_OK)
        st = e8k_store_open(url, &ing->lookup_store, err);
    return st;
}

e8k_status e8k_ingest_new(const char *url, const e8k_ingest_options *opt,
                          e8k_ingest **out, e8k_error *err)
{
    *out = NULL;
    e8k_ingest *ing = calloc(1, sizeof *ing);
    if (!ing)
        return nomem(err);
    ing->opt = *opt;
    clock_gettime(CLOCK_MONOTONIC, &ing->t0);
    pthread_mutex_init(&ing->mu, NULL);
    pthread_mutex_init(&ing->lookup_mu, NULL);
    pthread_cond_init(&ing->cv_work, NULL);
    pthread_cond_init(&ing->cv_space, NULL);
    pthread_cond_init(&ing->cv_done, NULL);
    e8k_status st = ingest_setup(ing, url, err);
    if (st == E8K_OK)
        st = start_threads(ing, err);
    if (st != E8K_OK) {
        e8k_ingest_free(ing);
        return st;
    }
    *out = ing;
    return E8K_OK;
}

e8k_status e8k_ingest_finish(e8k_ingest *ing, e8k_error *err)
{
    if (!ing)
        return E8K_ERR_USAGE;
    pthread_mutex_lock(&ing->mu);
    ing->closing = 1;
    pthread_cond_broadcast(&ing->cv_work);
    pthread_cond_broadcast(&ing->cv_done);
    pthread_mutex_unlock(&ing->mu);
    if (!ing->finished) {
        for (int i = 0; i < ing->started; i++)
            pthread_join(ing->workers[i], NULL);
        if (ing->writer_started)
            pthread_join(ing->writer, NULL);
        ing->finished = 1;
        ing->stats.elapsed = since(&ing->t0);
    }
    if (ing->fatal != E8K_OK && err)
        *err = ing->fatal_err;
    return ing->fatal;
}

const e8k_ingest_stats *e8k_ingest_stats_of(const e8k_ingest *ing)
{
    return ing ? &ing->stats : NULL;
}

void e8k_ingest_free(e8k_ingest *ing)
{
    if (!ing)
        return;
    e8k_ingest_finish(ing, NULL);
    for (size_t i = 0; ing->ring && i < ing->cap; i++)
        job_free(ing->ring[i]);
    free(ing->ring);
    free(ing->workers);
    e8k_store_close(ing->writer_store);
    e8k_store_close(ing->lookup_store);
    pthread_mutex_destroy(&ing->mu);
    pthread_mutex_destroy(&ing->lookup_mu);
    pthread_cond_destroy(&ing->cv_work);
    pthread_cond_destroy(&ing->cv_space);
    pthread_cond_destroy(&ing->cv_done);
    free(ing);
}
