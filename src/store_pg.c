/* SPDX-License-Identifier: MIT */
/* store_pg.c: the PostgreSQL driver of the store, through libpq. Every
 * statement is prepared once per connection and run with its parameters
 * apart from the SQL (numbers and text in text format, bytea in binary);
 * results come back in binary format, one row at a time, so that doubles
 * are exact and an export of any size never sits whole in memory. Text
 * reaching this driver is already valid UTF-8 without NUL (store.c escapes
 * the rest), which is all a PostgreSQL text column accepts. Transactions
 * run at READ COMMITTED whatever the server's default, so that a writer
 * that took the advisory lock sees every filing committed before it; a
 * statement the server aborts as a deadlock or a serialization failure is
 * flagged, for the store to try its transaction again. Only this file
 * includes libpq-fe.h. */
#include "store_int.h"

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
    int transient;  /* a statement failed as a deadlock or serialization
                       failure since the store last asked */
} pg_db;

/* SQLSTATE 40001 (serialization_failure) and 40P01 (deadlock_detected):
 * the server gave up on this transaction so that another one can go on;
 * the same transaction run again succeeds. */
static void note_failure(pg_db *db, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01")))
        db->transient = 1;
}

static int pg_transient(void *vdb)
{
    pg_db *db = vdb;
    int t = db->transient;
    db->transient = 0;
    return t;
}

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
        else if (s == PGRES_FATAL_ERROR && st == E8K_OK) {
            note_failure(db, r);
            st = e8k_db_fail(err, "postgres: %s", PQresultErrorMessage(r));
        }
        PQclear(r);
    }
    db->pipeline = 0;
    db->pending = 0;
    if (!PQexitPipelineMode(db->c) && st == E8K_OK)
        st = pg_fail(db->c, err, "leaving pipeline mode");
    return st;
}

/* A prepared statement and the types the server gave its parameters, so
 * that each value is sent in the form that costs least to produce: int8
 * and float8 in binary (no printing, exact), numeric as the shortest
 * decimal, anything else as text. */
struct e8k_stmt {
    char name[24];
    int nparams;
    Oid types[E8K_ROW_MAX];
};

#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

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
    /* A statement ending a filing's writes (RELEASE, COMMIT) rides in the
     * pipeline with them: one round trip instead of two. After a failed
     * insert the server skips it, and the insert's error is reported. */
    if (db->pipeline) {
        if (!PQsendQueryParams(db->c, sql, 0, NULL, NULL, NULL, NULL, 1))
            return pg_fail(db->c, err, "sending a statement");
        db->pending++;
        return pg_flush(db, err);
    }
    PGresult *r = PQexec(db->c, sql);
    ExecStatusType s = PQresultStatus(r);
    e8k_status st = E8K_OK;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        note_failure(db, r);
        st = pg_fail(db->c, err, sql);
    }
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

/* The parameter types of a statement just prepared (a round trip, once
 * per statement and connection). */
static e8k_status pg_describe(pg_db *db, e8k_stmt *st, const char *sql,
                              e8k_error *err)
{
    PGresult *r = PQdescribePrepared(db->c, st->name);
    e8k_status rc = E8K_OK;
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        rc = pg_fail(db->c, err, sql);
    } else if (PQnparams(r) > E8K_ROW_MAX) {
        rc = e8k_db_fail(err, "postgres: more than %d parameters: %.300s",
                         E8K_ROW_MAX, sql);
    } else {
        st->nparams = PQnparams(r);
        for (int i = 0; i < st->nparams; i++)
            st->types[i] = PQparamtype(r, i);
    }
    PQclear(r);
    return rc;
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
    if (rc == E8K_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = pg_fail(db->c, err, sql);
    PQclear(r);
    free(numbered);
    if (rc == E8K_OK)
        rc = pg_describe(db, st, sql, err);
    if (rc != E8K_OK) {
        free(st);
        st = NULL;
    }
    *out = st;
    return rc;
}

static void pg_finalize(void *vdb, e8k_stmt *st)
{
    (void)vdb;
    /* Prepared statements end with the connection. */
    free(st);
}

/* A numeric in binary (numeric.c's numeric_send: ndigits, weight, sign,
 * dscale, then base-10000 digits) as an integer when it is one and fits,
 * else the double nearest it: the columns hold values that came from
 * doubles, and a decimal read back with strtod gives the same double. */
static void pg_numeric(const unsigned char *p, size_t n, e8k_sqlval *v)
{
    if (n < 8)
        return;
    int nd = (int16_t)(p[0] << 8 | p[1]), weight = (int16_t)(p[2] << 8 | p[3]);
    unsigned sign = (unsigned)(p[4] << 8 | p[5]);
    int dscale = (int16_t)(p[6] << 8 | p[7]);
    if (nd < 0 || n < 8 + 2 * (size_t)nd || (sign != 0 && sign != 0x4000))
        return; /* NaN, infinities: stored as NULL, never written */
    uint64_t u = 0;
    int exact = dscale == 0 && weight - nd + 1 >= 0 && weight < 4;
    char dec[8 + 4 * 64 + 16], *d = dec;
    if (sign)
        *d++ = '-';
    for (int i = 0; i < nd && i < 64; i++) {
        unsigned g = (unsigned)(p[8 + 2 * i] << 8 | p[9 + 2 * i]);
        u = u * 10000 + g;
        for (int k = 3; k >= 0; k--, g /= 10)
            d[k] = (char)('0' + g % 10);
        d += 4;
    }
    for (int i = nd; exact && i <= weight; i++)
        u *= 10000;
    if (exact) { /* weight < 4: below 10^16, no overflow */
        v->kind = E8K_SQL_INT;
        v->i = sign ? -(int64_t)u : (int64_t)u;
        return;
    }
    snprintf(d, 16, "e%d", 4 * (weight - (nd < 64 ? nd : 64) + 1));
    v->kind = E8K_SQL_REAL;
    v->d = nd ? strtod(dec, NULL) : 0.0;
}

static int64_t be_int(const char *p, size_t n)
{
    uint64_t u = 0;
    for (size_t i = 0; i < n; i++)
        u = u << 8 | (unsigned char)p[i];
    if (n > 0 && n < 8 && (u >> (8 * n - 1)))
        u |= ~(uint64_t)0 << (8 * n); /* sign-extend int2, int4 */
    return (int64_t)u;
}

/* One binary result column as a value (OIDs of pg_type.h). */
static void pg_column(const PGresult *r, int i, e8k_sqlval *v)
{
    memset(v, 0, sizeof *v);
    if (PQgetisnull(r, 0, i))
        return;
    const char *p = PQgetvalue(r, 0, i);
    size_t n = (size_t)PQgetlength(r, 0, i);
    uint64_t u64;
    switch (PQftype(r, i)) {
    case OID_INT8:
    case OID_INT4:
    case OID_INT2:
        v->kind = E8K_SQL_INT, v->i = be_int(p, n);
        return;
    case OID_BOOL:
        v->kind = E8K_SQL_INT, v->i = p[0] != 0;
        return;
    case OID_FLOAT8:
        u64 = (uint64_t)be_int(p, 8);
        v->kind = E8K_SQL_REAL;
        memcpy(&v->d, &u64, 8);
        return;
    case OID_NUMERIC:
        pg_numeric((const unsigned char *)p, n, v);
        return;
    case OID_BYTEA:
        v->kind = E8K_SQL_BLOB, v->p = p, v->n = n;
        return;
    default: /* text, varchar, and anything else: its bytes as text */
        v->kind = E8K_SQL_TEXT, v->p = p, v->n = n;
        return;
    }
}

/* Parameters, in the form of their type (see e8k_stmt). */
typedef struct pg_params {
    const char *values[E8K_ROW_MAX];
    int lengths[E8K_ROW_MAX];
    int formats[E8K_ROW_MAX];
    char nums[E8K_ROW_MAX][32];
} pg_params;

static const char *put_be64(char out[32], uint64_t u)
{
    for (int k = 7; k >= 0; k--, u >>= 8)
        out[k] = (char)(u & 0xFF);
    return out;
}

/* Decimal digits of i, without printf (the writer's hot path). */
static const char *fmt_int(char out[32], int64_t i)
{
    char *p = out + 31;
    uint64_t u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
    *p = '\0';
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (i < 0)
        *--p = '-';
    return p;
}

static const char *fmt_real(char out[32], double d, Oid type)
{
    if (type != OID_NUMERIC) {
        snprintf(out, 32, "%.17g", d); /* exact in any type */
        return out;
    }
    if (d == (double)(int64_t)d && d > -9007199254740992.0 &&
        d < 9007199254740992.0)
        return fmt_int(out, (int64_t)d);
    e8k_fmt_double(d, out); /* the decimal a reader expects to see */
    return out;
}

static void pg_param(pg_params *pp, size_t i, Oid type, const e8k_sqlval *v)
{
    char *num = pp->nums[i];
    uint64_t u64;
    pp->values[i] = NULL, pp->lengths[i] = 0, pp->formats[i] = 0;
    switch (v->kind) {
    case E8K_SQL_NULL: break;
    case E8K_SQL_INT:
        if (type == OID_INT8) {
            pp->values[i] = put_be64(num, (uint64_t)v->i);
            pp->lengths[i] = 8, pp->formats[i] = 1;
        } else {
            pp->values[i] = fmt_int(num, v->i);
        }
        break;
    case E8K_SQL_REAL:
        if (type == OID_FLOAT8) {
            memcpy(&u64, &v->d, 8);
            pp->values[i] = put_be64(num, u64);
            pp->lengths[i] = 8, pp->formats[i] = 1;
        } else {
            pp->values[i] = fmt_real(num, v->d, type);
        }
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
                st = e8k_row_stopped(err);
        } else if (s != PGRES_SINGLE_TUPLE && s != PGRES_TUPLES_OK &&
                   s != PGRES_COMMAND_OK && st == E8K_OK) {
            note_failure(db, r);
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
        pg_param(&pp, i, (int)i < st->nparams ? st->types[i] : 0, &params[i]);
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
    /* whatever default_transaction_isolation says: a writer's snapshot
     * must follow the advisory lock, not precede it */
    "BEGIN ISOLATION LEVEL READ COMMITTED",
    "SELECT pg_advisory_xact_lock(7348801)",
    /* Two ingests storing one filing would both find its key absent and
     * both insert it; one writer at a time, as with SQLite. */
    "SELECT pg_advisory_xact_lock(7348802)",
    NULL,
    1, /* the lookup would cost a round trip */
    pg_open,
    pg_close,
    pg_exec,
    pg_prepare,
    pg_finalize,
    pg_run,
    pg_transient,
};
