/* SPDX-License-Identifier: MIT */
/* store_sqlite.c: the SQLite driver of the store (the default database):
 * a WAL journal so that readers (the ingest's skip test) never wait for the
 * writer and a killed process leaves the last committed filing, with
 * synchronous=NORMAL, durable against a crashed process (not a lost power
 * supply) at a fraction of FULL's fsyncs. Only this file includes sqlite3.h. */
#include "store_int.h"

#include <sqlite3.h>
#include <string.h>
#include <time.h>

static e8k_status lite_fail(sqlite3 *db, e8k_error *err, const char *what)
{
    return e8k_db_fail(err, "sqlite: %s: %s", what,
                       db ? sqlite3_errmsg(db) : "cannot allocate");
}

static e8k_status lite_exec(void *db, const char *sql, e8k_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return E8K_OK;
    e8k_status st = e8k_db_fail(err, "sqlite: %s: %.300s", msg ? msg : "?",
                                sql);
    sqlite3_free(msg);
    return st;
}

/* Switching a new database to WAL takes a lock that the busy timeout does
 * not wait for: two ingests opening one new file at once would see
 * "database is locked". The switch is retried for up to 30 s. */
static e8k_status lite_wal(sqlite3 *db, e8k_error *err)
{
    for (int i = 0; i < 600; i++) {
        int rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return E8K_OK;
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            break;
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return lite_exec(db, "PRAGMA journal_mode=WAL", err);
}

static e8k_status lite_open(const char *target, void **out, e8k_error *err)
{
    sqlite3 *db = NULL;
    /* No mutex: a store is used by one thread at a time (store_int.h), so
     * SQLite's per-call locking would be pure cost on the writer. */
    int rc = sqlite3_open_v2(target, &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                 SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        e8k_status st = lite_fail(db, err, target);
        sqlite3_close(db);
        return st;
    }
    /* Many writers may wait on each other (two ingests, a reader): a
     * generous timeout turns contention into waiting, not failure. */
    sqlite3_busy_timeout(db, 60000);
    e8k_status st = E8K_OK;
    if (strcmp(target, ":memory:"))
        st = lite_wal(db, err);
    if (st == E8K_OK)
        st = lite_exec(db, "PRAGMA synchronous=NORMAL", err);
    /* A page cache of a fixed, modest size: the default (2 MB) fills as the
     * database grows, which would make an ingest's memory depend on how
     * much it has stored; the OS's file cache backs it anyway. */
    if (st == E8K_OK)
        st = lite_exec(db, "PRAGMA cache_size=-512", err);
    /* Each filing of a batch is a savepoint, whose journal holds the
     * original of every page the filing touches: in a temporary file it
     * cost a file and ~15 page writes per filing (most of the writer's
     * system time); in memory it is one filing's pages, emptied at its
     * release. Export's scans follow primary keys and sort nothing, and
     * it sets temporary files back (export_sql) in case a plan does. */
    if (st == E8K_OK)
        st = lite_exec(db, "PRAGMA temp_store=MEMORY", err);
    if (st != E8K_OK) {
        sqlite3_close(db);
        return st;
    }
    *out = db;
    return E8K_OK;
}

static void lite_close(void *db)
{
    sqlite3_close(db);
}

static e8k_status lite_prepare(void *db, const char *sql, e8k_stmt **out,
                               e8k_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                           NULL) != SQLITE_OK)
        return e8k_db_fail(err, "sqlite: %s: %.300s", sqlite3_errmsg(db),
                           sql);
    *out = (e8k_stmt *)st;
    return E8K_OK;
}

static void lite_finalize(void *db, e8k_stmt *st)
{
    (void)db;
    sqlite3_finalize((sqlite3_stmt *)st);
}

static int lite_bind(sqlite3_stmt *st, int i, const e8k_sqlval *v)
{
    switch (v->kind) {
    case E8K_SQL_NULL: return sqlite3_bind_null(st, i);
    case E8K_SQL_INT: return sqlite3_bind_int64(st, i, v->i);
    case E8K_SQL_REAL: return sqlite3_bind_double(st, i, v->d);
    case E8K_SQL_TEXT:
        return sqlite3_bind_text64(st, i, v->p, v->n, SQLITE_STATIC,
                                   SQLITE_UTF8);
    case E8K_SQL_BLOB:
        return sqlite3_bind_blob64(st, i, v->p, v->n, SQLITE_STATIC);
    }
    return SQLITE_MISUSE;
}

static void lite_column(sqlite3_stmt *st, int i, e8k_sqlval *v)
{
    memset(v, 0, sizeof *v);
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        v->kind = E8K_SQL_INT, v->i = sqlite3_column_int64(st, i);
        break;
    case SQLITE_FLOAT:
        v->kind = E8K_SQL_REAL, v->d = sqlite3_column_double(st, i);
        break;
    case SQLITE_TEXT:
        v->kind = E8K_SQL_TEXT;
        v->p = (const char *)sqlite3_column_text(st, i);
        v->n = (size_t)sqlite3_column_bytes(st, i);
        break;
    case SQLITE_BLOB:
        v->kind = E8K_SQL_BLOB;
        v->p = sqlite3_column_blob(st, i);
        v->n = (size_t)sqlite3_column_bytes(st, i);
        break;
    default: break;
    }
}

static e8k_status lite_rows(sqlite3 *db, sqlite3_stmt *st, e8k_row_fn fn,
                            void *ctx, e8k_error *err)
{
    e8k_sqlval cols[E8K_ROW_MAX];
    for (;;) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            return E8K_OK;
        if (rc != SQLITE_ROW)
            return e8k_db_fail(err, "sqlite: %s: %.300s", sqlite3_errmsg(db),
                               sqlite3_sql(st));
        int n = sqlite3_column_count(st);
        if (n > E8K_ROW_MAX)
            n = E8K_ROW_MAX;
        for (int i = 0; i < n; i++)
            lite_column(st, i, &cols[i]);
        if (fn && fn(ctx, cols, (size_t)n))
            return e8k_row_stopped(err);
    }
}

static e8k_status lite_run(void *db, e8k_stmt *stmt, const e8k_sqlval *params,
                           size_t nparams, e8k_row_fn fn, void *ctx,
                           e8k_error *err)
{
    sqlite3_stmt *st = (sqlite3_stmt *)stmt;
    /* Every run ends with a reset, and binds every parameter but those
     * left out at the end: only these need clearing. */
    if ((int)nparams < sqlite3_bind_parameter_count(st))
        sqlite3_clear_bindings(st);
    for (size_t i = 0; i < nparams; i++)
        if (lite_bind(st, (int)i + 1, &params[i]) != SQLITE_OK)
            return lite_fail(db, err, "binding a parameter");
    if (err)
        e8k_error_clear(err);
    e8k_status rc = lite_rows(db, st, fn, ctx, err);
    sqlite3_reset(st);
    return rc;
}

const e8k_store_driver e8k_driver_sqlite = {
    "sqlite",
    "INTEGER PRIMARY KEY",
    "BLOB",
    "BEGIN IMMEDIATE", /* takes the write lock: writers are serialized */
    NULL,
    NULL,
    "PRAGMA temp_store=DEFAULT", /* a sort too big for memory spills */
    0, /* RETURNING fills a temporary table per row */
    lite_open,
    lite_close,
    lite_exec,
    lite_prepare,
    lite_finalize,
    lite_run,
    NULL, /* writers wait on the lock (busy timeout), never fail for it */
};
