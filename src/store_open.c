/* SPDX-License-Identifier: MIT */
/* store_open.c: opening a store from its URL, bringing its schema to the
 * current version through the migrations of schema.c, and the small
 * bookkeeping queries ingest runs per input (is it stored? record why it
 * could not be). */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int starts(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

/* The driver and its target for a URL: "sqlite:PATH", "sqlite://PATH",
 * "postgres://..." or "postgresql://..." (handed to libpq whole), else
 * a path for SQLite. */
static const e8k_store_driver *pick_driver(const char *url,
                                           const char **target)
{
    if (starts(url, "postgres://") || starts(url, "postgresql://")) {
        *target = url;
        return &e8k_driver_pg;
    }
    *target = url;
    if (starts(url, "sqlite://"))
        *target = url + 9;
    else if (starts(url, "sqlite:"))
        *target = url + 7;
    return &e8k_driver_sqlite;
}

/* One migration statement with {id} and {blob} spelled for the dialect. */
static char *dialect_sql(const e8k_store_driver *drv, const char *sql)
{
    e8k_buf b = {0};
    for (const char *p = sql; *p;) {
        int fail = 0;
        if (starts(p, "{id}")) {
            fail = e8k_buf_printf(&b, "%s", drv->type_id);
            p += 4;
        } else if (starts(p, "{blob}")) {
            fail = e8k_buf_printf(&b, "%s", drv->type_blob);
            p += 6;
        } else {
            fail = e8k_buf_putc(&b, *p++);
        }
        if (fail) {
            e8k_buf_free(&b);
            return NULL;
        }
    }
    return e8k_buf_take(&b);
}

static int version_row(void *ctx, const e8k_sqlval *cols, size_t n)
{
    if (n >= 1 && cols[0].kind == E8K_SQL_INT)
        *(int *)ctx = (int)cols[0].i;
    return 0;
}

e8k_status e8k_store_version(e8k_store *s, int *version, e8k_error *err)
{
    *version = 0;
    e8k_status st = e8k_store_exec(
        s,
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT "
        "PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        err);
    if (st == E8K_OK)
        st = e8k_store_query(
            s, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            NULL, 0, version_row, version, err);
    return st;
}

static e8k_status apply_list(e8k_store *s, const char *const *list,
                             e8k_error *err)
{
    e8k_status st = E8K_OK;
    for (size_t i = 0; st == E8K_OK && list && list[i]; i++) {
        char *sql = dialect_sql(s->drv, list[i]);
        if (!sql)
            return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                            "out of memory");
        st = e8k_store_exec(s, sql, err);
        free(sql);
    }
    return st;
}

static e8k_status apply(e8k_store *s, const e8k_migration *m, e8k_error *err)
{
    int pg = s->drv == &e8k_driver_pg;
    e8k_status st = apply_list(s, m->sql, err);
    if (st == E8K_OK)
        st = apply_list(s, pg ? m->pg : m->sqlite, err);
    if (st != E8K_OK)
        return st;
    e8k_row row;
    e8k_row_start(&row, s);
    e8k_row_int(&row, m->version);
    e8k_row_text(&row, m->name);
    e8k_row_text(&row, e8k_store_now(s));
    return e8k_row_run(&row,
                       "INSERT INTO schema_migrations (version, name, "
                       "applied_at) VALUES (?, ?, ?)",
                       NULL, NULL, err);
}

static e8k_status migrate_locked(e8k_store *s, int target, e8k_error *err)
{
    int version = 0;
    e8k_status st = e8k_store_version(s, &version, err);
    if (st != E8K_OK)
        return st;
    if (version > E8K_SCHEMA_VERSION)
        return e8k_db_fail(err,
                           "the database schema is at version %d, newer "
                           "than this edgar8k's %d: upgrade edgar8k",
                           version, E8K_SCHEMA_VERSION);
    for (size_t i = 0; st == E8K_OK && i < e8k_nmigrations; i++)
        if (e8k_migrations[i].version > version &&
            e8k_migrations[i].version <= target)
            st = apply(s, &e8k_migrations[i], err);
    return st;
}

static e8k_status migrate_once(e8k_store *s, int target, e8k_error *err)
{
    e8k_status st = e8k_store_exec(s, s->drv->begin_sql, err);
    if (st == E8K_OK && s->drv->lock_sql)
        st = e8k_store_exec(s, s->drv->lock_sql, err);
    if (st == E8K_OK)
        st = migrate_locked(s, target, err);
    if (st == E8K_OK && (st = e8k_store_exec(s, "COMMIT", err)) == E8K_OK)
        return E8K_OK;
    e8k_store_exec(s, "ROLLBACK", NULL);
    return st;
}

e8k_status e8k_store_migrate(e8k_store *s, int target, e8k_error *err)
{
    /* One transaction, under the dialect's lock, so that any number of
     * ingests starting at once migrate once and a failed step leaves
     * nothing. */
    e8k_status st;
    e8k_store_retry_begin(s);
    for (int tries = 0;; tries++)
        if ((st = migrate_once(s, target, err)) == E8K_OK ||
            !e8k_store_retry(s, tries, err))
            return st;
}

e8k_status e8k_store_open_raw(const char *url, e8k_store **out,
                              e8k_error *err)
{
    *out = NULL;
    if (!url || !*url)
        return e8k_fail(err, E8K_ERR_USAGE, NULL, NULL, 0, E8K_NO_OFFSET,
                        "no database URL");
    e8k_store *s = calloc(1, sizeof *s);
    if (!s)
        return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                        "out of memory");
    s->rng = (unsigned)time(NULL) ^ (unsigned)getpid() ^
             (unsigned)(uintptr_t)s;
    const char *target = NULL;
    s->drv = pick_driver(url, &target);
    e8k_status st = s->drv->open(target, &s->db, err);
    if (st != E8K_OK) {
        free(s);
        return st;
    }
    *out = s;
    return E8K_OK;
}

e8k_status e8k_store_open(const char *url, e8k_store **out, e8k_error *err)
{
    e8k_status st = e8k_store_open_raw(url, out, err);
    if (st == E8K_OK)
        st = e8k_store_migrate(*out, E8K_SCHEMA_VERSION, err);
    if (st != E8K_OK && *out) {
        e8k_store_close(*out);
        *out = NULL;
    }
    return st;
}

void e8k_store_close(e8k_store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ncache; i++) {
        s->drv->finalize(s->db, s->cache[i].st);
        free(s->cache[i].sql);
    }
    free(s->cache);
    s->drv->close(s->db);
    e8k_pool_free(&s->pool);
    free(s);
}

const char *e8k_store_kind(const e8k_store *s)
{
    return s ? s->drv->name : NULL;
}

static int found_row(void *ctx, const e8k_sqlval *cols, size_t n)
{
    (void)cols, (void)n;
    *(int *)ctx = 1;
    return 0;
}

e8k_status e8k_store_has_content(e8k_store *s, const char *sha256,
                                 int *found, e8k_error *err)
{
    *found = 0;
    e8k_row row;
    e8k_row_start(&row, s);
    e8k_row_text(&row, sha256);
    e8k_row_text(&row, sha256);
    e8k_row_text(&row, E8K_VERSION);
    /* A failure counts only for the reader that failed: after an upgrade,
     * which may read what the last version could not, it is tried again. */
    e8k_status st = e8k_row_run(
        &row,
        "SELECT 1 FROM filings WHERE content_sha256 = ? UNION ALL "
        "SELECT 1 FROM ingest_failures WHERE content_sha256 = ? AND "
        "edgar8k_version = ?",
        found_row, found, err);
    e8k_pool_free(&s->pool);
    return st;
}

e8k_status e8k_store_clear_failure(e8k_store *s, const char *sha256,
                                   e8k_error *err)
{
    static const char sql[] =
        "DELETE FROM ingest_failures WHERE content_sha256 = ?";
    e8k_status st = E8K_OK;
    if (!s->put.clear_failure)
        st = e8k_store_prepare(s, sql, &s->put.clear_failure, err);
    if (st != E8K_OK)
        return st;
    e8k_row row;
    e8k_row_start(&row, s);
    e8k_row_text(&row, sha256);
    return e8k_row_exec(&row, s->put.clear_failure, NULL, NULL, err);
}

static e8k_status failure_rows(e8k_store *s, const char *source,
                               const char *sha256, size_t size,
                               const e8k_error *why, e8k_error *err)
{
    e8k_status st = e8k_store_clear_failure(s, sha256, err);
    if (st != E8K_OK)
        return st;
    e8k_row row;
    e8k_row_start(&row, s);
    e8k_row_text(&row, sha256);
    e8k_row_text(&row, source);
    e8k_row_size(&row, size);
    e8k_row_text(&row, e8k_status_string(why ? why->status : E8K_ERR_MALFORMED));
    e8k_row_size(&row, why ? why->offset : E8K_NO_OFFSET);
    e8k_row_text(&row, why ? why->message : NULL);
    e8k_row_text(&row, E8K_VERSION);
    e8k_row_text(&row, e8k_store_now(s));
    return e8k_row_run(&row,
                       "INSERT INTO ingest_failures (content_sha256, source, "
                       "size_bytes, status, byte_offset, message, "
                       "edgar8k_version, failed_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       NULL, NULL, err);
}

e8k_status e8k_store_put_failure(e8k_store *s, const char *source,
                                 const char *sha256, size_t size,
                                 const e8k_error *why, e8k_error *err)
{
    e8k_status st;
    e8k_store_retry_begin(s);
    for (int tries = 0;; tries++) {
        st = e8k_store_unit_begin(s, err);
        if (st == E8K_OK)
            st = e8k_store_unit_end(
                s, failure_rows(s, source, sha256, size, why, err), err);
        e8k_pool_free(&s->pool);
        if (st == E8K_OK || !e8k_store_retry(s, tries, err))
            return st;
    }
}

/* ---- trying again --------------------------------------------------------- */

void e8k_store_retry_begin(e8k_store *s)
{
    if (s->drv->transient)
        s->drv->transient(s->db);
}

int e8k_store_retry(e8k_store *s, int tries, e8k_error *err)
{
    if (!s->drv->transient || !s->drv->transient(s->db))
        return 0;
    if (tries + 1 >= E8K_DB_RETRIES) {
        if (err) {
            size_t n = strlen(err->message);
            snprintf(err->message + n, sizeof err->message - n,
                     " (gave up after %d tries)", tries + 1);
        }
        return 0;
    }
    /* a pause of half to all of the doubled step, so that the writers
     * that collided do not collide again */
    long step = (long)E8K_DB_RETRY_MS << (tries < 6 ? tries : 6);
    s->rng = s->rng * 1103515245u + 12345u;
    long ms = step / 2 + (long)((s->rng >> 8) % (unsigned)(step / 2 + 1));
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
    s->retries++;
    return 1;
}

/* ---- transactions ---------------------------------------------------------- */

/* A write transaction under the writers' lock (waiting for it may end
 * in a deadlock another session caused: then again). */
static e8k_status begin_write(e8k_store *s, e8k_error *err)
{
    e8k_status st;
    e8k_store_retry_begin(s);
    for (int tries = 0;; tries++) {
        st = e8k_store_exec(s, s->drv->begin_sql, err);
        if (st == E8K_OK && s->drv->write_lock_sql &&
            (st = e8k_store_exec(s, s->drv->write_lock_sql, err)) != E8K_OK)
            e8k_store_exec(s, "ROLLBACK", NULL);
        if (st == E8K_OK || !e8k_store_retry(s, tries, err))
            return st;
    }
}

e8k_status e8k_store_unit_begin(e8k_store *s, e8k_error *err)
{
    if (s->batch)
        return e8k_store_exec(s, "SAVEPOINT e8k_filing", err);
    return begin_write(s, err);
}

e8k_status e8k_store_unit_end(e8k_store *s, e8k_status st, e8k_error *err)
{
    /* Ending the unit can fail too (PostgreSQL reports a pipelined insert's
     * error there): then it is rolled back like any failed unit. */
    if (st == E8K_OK &&
        (st = e8k_store_exec(s, s->batch ? "RELEASE SAVEPOINT e8k_filing"
                                         : "COMMIT", err)) == E8K_OK)
        return E8K_OK;
    if (s->batch) {
        e8k_store_exec(s, "ROLLBACK TO SAVEPOINT e8k_filing", NULL);
        e8k_store_exec(s, "RELEASE SAVEPOINT e8k_filing", NULL);
    } else {
        e8k_store_exec(s, "ROLLBACK", NULL);
    }
    return st;
}

e8k_status e8k_store_batch_begin(e8k_store *s, e8k_error *err)
{
    if (s->batch)
        return E8K_OK;
    e8k_status st = begin_write(s, err);
    s->batch = st == E8K_OK;
    return st;
}

e8k_status e8k_store_batch_end(e8k_store *s, int commit, e8k_error *err)
{
    if (!s->batch)
        return E8K_OK;
    s->batch = 0;
    if (commit)
        return e8k_store_exec(s, "COMMIT", err);
    e8k_store_exec(s, "ROLLBACK", NULL);
    return E8K_OK;
}
