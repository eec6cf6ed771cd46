/* store_pg.c: the PostgreSQL driver of the store, through libpq. Every
 * statement is prepared once per connection and run with its parameters
 * apart from the SQL (numbers and text in text format, bytea in binary);
 * results come back in binary format, one row at a time, so that doubles
 * are exact and an export of any size never sits whole in memory. Text
 * reaching this driver is already valid UTF-8 without NUL (store.c escapes
 * the rest), which is all a PostgreSQL text column accepts. Only this file
 * includes libpq-fe.h. */
#include "store_int.h"

#include <endian.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pg_db {
    PGconn *c;
    unsigned nstmt;
    int pipeline;   /* statements sent whose results are not read yet */
    size_t pending; /* how many */
} pg_db;

/* Statements without result rows (the inserts and deletes of a filing) go
 * out in pipeline mode, without waiting for each answer: a filing's
 * hundreds of rows cost one round trip to a remote server, not hundreds.
 * Their results are read (and an error reported) before anything else is
 * run, at the latest when the filing's savepoint or transaction ends. */
#define PG_MAX_PENDING 512

static e8k_status pg_fail(PGconn *c, e8k_error *err, const char *what);

static e8k_status pg_flush(pg_db *db, e8k_error *err)
{
    if (!db->pipeline)
        return E8K_OK;
    e8k_status st = E8K_OK;
    int done = !PQpipelineSync(db->c);
    if (done)
        st = pg_fail(db->c, err, "syncing a pipeline");
    for (size_t nulls = 0; !done && nulls <= db->pending + 1;) {
        PGresult *r = PQgetResult(db->c);
        if (!r) {
            nulls++; /* the end of one statement's results */
            continue;
        }
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_PIPELINE_SYNC)
            done = 1;
        else if (s == PGRES_FATAL_ERROR && st == E8K_OK)
            st = e8k_db_fail(err, "postgres: %s", PQresultErrorMessage(r));
        PQclear(r);
    }
    db->pipeline = 0;
    db->pending = 0;
    if (!PQexitPipelineMode(db->c) && st == E8K_OK)
        st = pg_fail(db->c, err, "leaving pipeline mode");
    return st;
}

struct e8k_stmt {
    char name[24];
};

/* libpq prints server notices to stderr unless told otherwise, and the
 * library never prints. */
static void pg_quiet(void *arg, const char *message)
{
    (void)arg, (void)message;
}

static e8k_status pg_fail(PGconn *c, e8k_error *err, const char *what)
{
    char msg[400];
    snprintf(msg, sizeof msg, "%s", c ? PQerrorMessage(c) : "cannot allocate");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    return e8k_db_fail(err, "postgres: %s: %s", what, msg);
}

static e8k_status pg_open(const char *target, void **out, e8k_error *err)
{
    pg_db *db = calloc(1, sizeof *db);
    if (!db)
        return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                        "out of memory");
    db->c = PQconnectdb(target);
    if (!db->c || PQstatus(db->c) != CONNECTION_OK) {
        e8k_status st = pg_fail(db->c, err, "connecting");
        PQfinish(db->c);
        free(db);
        return st;
    }
    PQsetNoticeProcessor(db->c, pg_quiet, NULL);
    if (PQsetClientEncoding(db->c, "UTF8") != 0) {
        e8k_status st = pg_fail(db->c, err, "setting client_encoding UTF8");
        PQfinish(db->c);
        free(db);
        return st;
    }
    *out = db;
    return E8K_OK;
}

static void pg_close(void *vdb)
{
    pg_db *db = vdb;
    if (!db)
        return;
    PQfinish(db->c);
    free(db);
}

static e8k_status pg_exec(void *vdb, const char *sql, e8k_error *err)
{
    pg_db *db = vdb;
    e8k_status st0 = pg_flush(db, err);
    if (st0 != E8K_OK)
        return st0;
    PGresult *r = PQexec(db->c, sql);
    ExecStatusType s = PQresultStatus(r);
    e8k_status st = E8K_OK;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        st = pg_fail(db->c, err, sql);
    PQclear(r);
    return st;
}

/* `?` placeholders become $1, $2 ... (outside quoted literals). */
static char *number_params(const char *sql)
{
    e8k_buf b = {0};
    int n = 0, quote = 0, fail = 0;
    for (const char *p = sql; *p && !fail; p++) {
        if (*p == '\'')
            quote = !quote;
        if (*p == '?' && !quote)
            fail = e8k_buf_printf(&b, "$%d", ++n);
        else
            fail = e8k_buf_putc(&b, *p);
    }
    if (fail) {
        e8k_buf_free(&b);
        return NULL;
    }
    return e8k_buf_take(&b);
}

static e8k_status pg_prepare(void *vdb, const char *sql, e8k_stmt **out,
                             e8k_error *err)
{
    pg_db *db = vdb;
    e8k_stmt *st = calloc(1, sizeof *st);
    char *numbered = number_params(sql);
    if (!st || !numbered) {
        free(st);
        free(numbered);
        return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                        "out of memory");
    }
    snprintf(st->name, sizeof st->name, "e8k_%u", ++db->nstmt);
    e8k_status rc = pg_flush(db, err);
    PGresult *r = rc == E8K_OK ? PQprepare(db->c, st->name, numbered, 0, NULL)
                               : NULL;
    if (rc == E8K_OK && PQresultStatus(r) != PGRES_COMMAND_OK) {
        rc = pg_fail(db->c, err, sql);
        free(st);
        st = NULL;
    }
    if (rc != E8K_OK) {
        free(st);
        st = NULL;
    }
    PQclear(r);
    free(numbered);
    *out = st;
    return rc;
}

static void pg_finalize(void *vdb, e8k_stmt *st)
{
    (void)vdb;
    /* Prepared statements end with the connection. */
    free(st);
}

/* One binary result column as a value (OIDs of pg_type.h). */
static void pg_column(const PGresult *r, int i, e8k_sqlval *v)
{
    memset(v, 0, sizeof *v);
    if (PQgetisnull(r, 0, i))
        return;
    const char *p = PQgetvalue(r, 0, i);
    size_t n = (size_t)PQgetlength(r, 0, i);
    uint64_t u64 = 0;
    uint32_t u32 = 0;
    uint16_t u16 = 0;
    switch (PQftype(r, i)) {
    case 20: /* int8 */
        memcpy(&u64, p, 8);
        v->kind = E8K_SQL_INT, v->i = (int64_t)be64toh(u64);
        return;
    case 23: /* int4 */
        memcpy(&u32, p, 4);
        v->kind = E8K_SQL_INT, v->i = (int32_t)be32toh(u32);
        return;
    case 21: /* int2 */
        memcpy(&u16, p, 2);
        v->kind = E8K_SQL_INT, v->i = (int16_t)be16toh(u16);
        return;
    case 16: /* bool */
        v->kind = E8K_SQL_INT, v->i = p[0] != 0;
        return;
    case 701: /* float8 */
        memcpy(&u64, p, 8);
        u64 = be64toh(u64);
        v->kind = E8K_SQL_REAL;
        memcpy(&v->d, &u64, 8);
        return;
    case 17: /* bytea */
        v->kind = E8K_SQL_BLOB, v->p = p, v->n = n;
        return;
    default: /* text, varchar, and anything else: its bytes as text */
        v->kind = E8K_SQL_TEXT, v->p = p, v->n = n;
        return;
    }
}

/* Parameters: text format except bytea; numbers printed exactly. */
typedef struct pg_params {
    const char *values[E8K_ROW_MAX];
    int lengths[E8K_ROW_MAX];
    int formats[E8K_ROW_MAX];
    char nums[E8K_ROW_MAX][32];
} pg_params;

static void pg_param(pg_params *pp, size_t i, const e8k_sqlval *v)
{
    pp->values[i] = NULL, pp->lengths[i] = 0, pp->formats[i] = 0;
    switch (v->kind) {
    case E8K_SQL_NULL: break;
    case E8K_SQL_INT:
        snprintf(pp->nums[i], 32, "%" PRId64, v->i);
        pp->values[i] = pp->nums[i];
        break;
    case E8K_SQL_REAL:
        snprintf(pp->nums[i], 32, "%.17g", v->d);
        pp->values[i] = pp->nums[i];
        break;
    case E8K_SQL_TEXT: pp->values[i] = v->p; break;
    case E8K_SQL_BLOB:
        pp->values[i] = v->p, pp->lengths[i] = (int)v->n;
        pp->formats[i] = 1;
        break;
    }
}

/* Reads every result of the query sent; rows go to fn until it asks to
 * stop, the rest are drained so the connection stays usable. */
static e8k_status pg_results(pg_db *db, e8k_row_fn fn, void *ctx,
                             e8k_error *err)
{
    e8k_status st = E8K_OK;
    e8k_sqlval cols[E8K_ROW_MAX];
    PGresult *r;
    while ((r = PQgetResult(db->c)) != NULL) {
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_SINGLE_TUPLE && st == E8K_OK && fn) {
            int n = PQnfields(r);
            if (n > E8K_ROW_MAX)
                n = E8K_ROW_MAX;
            for (int i = 0; i < n; i++)
                pg_column(r, i, &cols[i]);
            if (fn(ctx, cols, (size_t)n))
                st = err && err->status != E8K_OK ? err->status : E8K_ERR_IO;
        } else if (s != PGRES_SINGLE_TUPLE && s != PGRES_TUPLES_OK &&
                   s != PGRES_COMMAND_OK && st == E8K_OK) {
            st = e8k_db_fail(err, "postgres: %s",
                             PQresultErrorMessage(r));
        }
        PQclear(r);
    }
    return st;
}

/* A statement without result rows, into the pipeline. */
static e8k_status pg_send(pg_db *db, const e8k_stmt *st, const pg_params *pp,
                          size_t nparams, e8k_error *err)
{
    if (db->pending >= PG_MAX_PENDING) {
        e8k_status rc = pg_flush(db, err);
        if (rc != E8K_OK)
            return rc;
    }
    if (!db->pipeline) {
        if (!PQenterPipelineMode(db->c))
            return pg_fail(db->c, err, "entering pipeline mode");
        db->pipeline = 1;
    }
    if (!PQsendQueryPrepared(db->c, st->name, (int)nparams, pp->values,
                             pp->lengths, pp->formats, 1))
        return pg_fail(db->c, err, "sending a statement");
    db->pending++;
    return E8K_OK;
}

static e8k_status pg_run(void *vdb, e8k_stmt *st, const e8k_sqlval *params,
                         size_t nparams, e8k_row_fn fn, void *ctx,
                         e8k_error *err)
{
    pg_db *db = vdb;
    pg_params pp;
    if (nparams > E8K_ROW_MAX)
        return e8k_db_fail(err, "too many parameters");
    for (size_t i = 0; i < nparams; i++)
        pg_param(&pp, i, &params[i]);
    if (!fn)
        return pg_send(db, st, &pp, nparams, err);
    e8k_status rc0 = pg_flush(db, err);
    if (rc0 != E8K_OK)
        return rc0;
    if (!PQsendQueryPrepared(db->c, st->name, (int)nparams, pp.values,
                             pp.lengths, pp.formats, 1))
        return pg_fail(db->c, err, "sending a query");
    PQsetSingleRowMode(db->c);
    if (err)
        e8k_error_clear(err);
    e8k_status rc = pg_results(db, fn, ctx, err);
    if (rc != E8K_OK && err && err->message[0]) {
        size_t n = strlen(err->message);
        while (n && err->message[n - 1] == '\n')
            err->message[--n] = '\0';
    }
    return rc;
}

const e8k_store_driver e8k_driver_pg = {
    "postgres",
    "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    "BYTEA",
    "BEGIN",
    "SELECT pg_advisory_xact_lock(7348801)",
    /* Two ingests storing one filing would both find its key absent and
     * both insert it; one writer at a time, as with SQLite. */
    "SELECT pg_advisory_xact_lock(7348802)",
    pg_open,
    pg_close,
    pg_exec,
    pg_prepare,
    pg_finalize,
    pg_run,
};
