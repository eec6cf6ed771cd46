/* SPDX-License-Identifier: MIT */
/* store_int.h: what the database stores share inside libedgar8k: the small
 * driver interface that store_sqlite.c and store_pg.c implement (so that
 * store.c speaks SQL once for both), the schema and its migrations as data
 * (schema.c), and the text escape that lets any bytes live in a text
 * column of either database. */
#ifndef E8K_STORE_INT_H
#define E8K_STORE_INT_H

#include "internal.h"

#include <stdint.h>

/* ---- values crossing the driver boundary -------------------------------- */

typedef enum e8k_sqlkind {
    E8K_SQL_NULL = 0,
    E8K_SQL_INT,
    E8K_SQL_REAL,
    E8K_SQL_TEXT, /* valid UTF-8 without NUL (see e8k_sqltext_escape) */
    E8K_SQL_BLOB
} e8k_sqlkind;

/* A bound parameter or a result column. TEXT parameters are always
 * NUL-terminated at p[n] (libpq's text format needs it); results are
 * borrowed for the row callback only. */
typedef struct e8k_sqlval {
    e8k_sqlkind kind;
    int64_t i;
    double d;
    const char *p;
    size_t n;
} e8k_sqlval;

/* Called per result row. Non-zero stops the query and fails it: fn sees
 * no further row, and the query returns the status fn left in err, else
 * E8K_ERR_IO with a message saying so (both drivers through
 * e8k_row_stopped). Stopping is how a callback fails, not a way to
 * read only the first rows. */
typedef int (*e8k_row_fn)(void *ctx, const e8k_sqlval *cols, size_t ncols);

typedef struct e8k_stmt e8k_stmt;

/* A database dialect. SQL given to prepare uses `?` placeholders; the
 * PostgreSQL driver numbers them. Every statement with data is prepared and
 * bound: no value is ever spliced into SQL text. */
typedef struct e8k_store_driver {
    const char *name;        /* "sqlite", "postgres" */
    const char *type_id;     /* the {id} column type of the migrations */
    const char *type_blob;   /* the {blob} column type */
    const char *begin_sql;   /* starts a write transaction */
    const char *lock_sql;    /* serializes migrations (after begin), or NULL */
    const char *write_lock_sql; /* serializes writers (after begin), or NULL */
    const char *export_sql;  /* readies a connection for export, or NULL */
    int returning; /* INSERT ... RETURNING costs less than a lookup */
    e8k_status (*open)(const char *target, void **db, e8k_error *err);
    void (*close)(void *db);
    e8k_status (*exec)(void *db, const char *sql, e8k_error *err);
    e8k_status (*prepare)(void *db, const char *sql, e8k_stmt **out,
                          e8k_error *err);
    void (*finalize)(void *db, e8k_stmt *st);
    e8k_status (*run)(void *db, e8k_stmt *st, const e8k_sqlval *params,
                      size_t nparams, e8k_row_fn fn, void *ctx,
                      e8k_error *err);
    /* Whether a statement failed, since the last call, because the server
     * gave up on the transaction to let another one go on (PostgreSQL's
     * serialization failure, deadlock): worth trying again. Resets it.
     * NULL: the dialect has none (SQLite waits on its lock instead). */
    int (*transient)(void *db);
} e8k_store_driver;

extern const e8k_store_driver e8k_driver_sqlite;
extern const e8k_store_driver e8k_driver_pg;

/* ---- schema.c: tables and migrations ------------------------------------ */

typedef struct e8k_column {
    const char *name;
    e8k_sqlkind kind;
} e8k_column;

/* A table as store.c writes and exports it. Child tables carry filing_id
 * first (not listed); export swaps it for the filing's key. */
typedef struct e8k_table {
    const char *name;
    const e8k_column *cols;
    size_t ncols;
    const char *order_by; /* export order after the filing key */
    int child;            /* has filing_id referencing filings(id) */
} e8k_table;

/* Statements are NULL-terminated lists; {id} and {blob} stand for the
 * dialect's types. `sql` runs on both dialects, then `sqlite` or `pg` on
 * that dialect only (a change SQLite spells as a table rebuild, say). */
typedef struct e8k_migration {
    int version;
    const char *name;
    const char *const *sql;
    const char *const *sqlite;
    const char *const *pg;
} e8k_migration;

extern const e8k_migration e8k_migrations[];
extern const size_t e8k_nmigrations;
#define E8K_SCHEMA_VERSION 3

/* Every table export knows, in export order; filings first. The writer
 * names tables by these indices into e8k_tables. */
enum e8k_table_id {
    E8K_T_FILINGS,
    E8K_T_ENTITIES,
    E8K_T_DOCUMENTS,
    E8K_T_ITEMS,
    E8K_T_OFFERINGS,
    E8K_T_OFFERING_VALUES,
    E8K_T_FEES,
    E8K_T_PARTIES,
    E8K_T_CLAUSES,
    E8K_T_FACTS,
    E8K_T_PARAMS,
    E8K_T_FINDINGS,
    E8K_T_FINDING_VALUES,
    E8K_T_WARNINGS,
    E8K_T_FAILURES,
    E8K_NTABLES
};
extern const e8k_table *const e8k_tables[E8K_NTABLES];
extern const size_t e8k_ntables;
const e8k_table *e8k_table_find(const char *name);

/* 1 when the field's column holds a number, 0 for text. */
int e8k_store_field_numeric(size_t field);

/* The columns shared by every table that holds an extracted value. */
#define E8K_VALUE_NCOLS 16
extern const e8k_column e8k_value_cols[E8K_VALUE_NCOLS];

/* ---- store.c ----------------------------------------------------------- */

typedef struct e8k_cached_stmt {
    char *sql;
    size_t len;
    uint64_t hash; /* of sql: most lookups compare no text */
    e8k_stmt *st;
} e8k_cached_stmt;

/* What e8k_store_put resolves on a store's first put and keeps: its
 * statements (owned by the cache) and how each offering field is stored,
 * so that a filing's rows cost no SQL text, no lookup by name and no
 * parse. */
typedef struct e8k_put_plan {
    int ready;
    e8k_stmt *insert[E8K_NTABLES]; /* child tables; NULL for the others */
    e8k_stmt *clear[E8K_NTABLES];  /* DELETE ... WHERE filing_id = ? */
    e8k_stmt *find_filing, *insert_filing, *update_filing, *clear_failure;
    unsigned char field[E8K_NFIELDS]; /* E8K_FIELD_* flags */
} e8k_put_plan;

#define E8K_FIELD_NUMERIC 1 /* its offerings column is a number */
#define E8K_FIELD_AGENTS 2  /* the agents, joined */
#define E8K_FIELD_FEE 4     /* also a row of fees */

/* A store is used by one thread at a time (ingest opens one per thread). */
struct e8k_store {
    const e8k_store_driver *drv;
    void *db;
    e8k_cached_stmt *cache; /* every statement is prepared once */
    size_t ncache, cache_cap;
    e8k_pool pool; /* escaped copies of the text being bound */
    e8k_put_plan put;
    int batch; /* a batch transaction is open: units are savepoints */
    size_t retries; /* writes tried again (deadlocks, serialization) */
    unsigned rng;   /* the jitter of their pauses */
    int64_t now_at; /* the second e8k_store_now last formatted */
    char now[32];
};

/* The prepared statement for sql, from the cache or prepared now (it stays
 * valid until the store is closed). */
e8k_status e8k_store_prepare(e8k_store *s, const char *sql, e8k_stmt **out,
                             e8k_error *err);
/* Now as YYYY-MM-DDTHH:MM:SSZ, formatted once per second. */
const char *e8k_store_now(e8k_store *s);

/* One filing's writes: a transaction of its own, or a savepoint when a
 * batch is open. unit_end commits (st == E8K_OK) or rolls back, and
 * returns the status of the unit. */
e8k_status e8k_store_unit_begin(e8k_store *s, e8k_error *err);
e8k_status e8k_store_unit_end(e8k_store *s, e8k_status st, e8k_error *err);
/* A batch groups many filings' units in one transaction, so that pages
 * shared by consecutive filings are written (and synced) once. Each unit
 * stays all or nothing; a batch lost to a crash is redone by a rerun. */
e8k_status e8k_store_batch_begin(e8k_store *s, e8k_error *err);
e8k_status e8k_store_batch_end(e8k_store *s, int commit, e8k_error *err);

/* After a failed write: 1 when the server gave up on it to let another
 * transaction go on (a deadlock, a serialization failure) and attempt
 * `tries` (0 first) may be followed by another, after a pause that doubles
 * each time (E8K_DB_RETRY_MS, with jitter); 0 when it is a failure to
 * report (err then says how many tries were made). */
int e8k_store_retry(e8k_store *s, int tries, e8k_error *err);
/* Forgets a failure no retry followed, before a write's first try. */
void e8k_store_retry_begin(e8k_store *s);

/* Runs SQL without parameters (transaction control, DDL). */
e8k_status e8k_store_exec(e8k_store *s, const char *sql, e8k_error *err);

/* A row of parameters being built; the first failure (memory, too many
 * columns) sticks in `oom` and fails the statement. */
#define E8K_ROW_MAX 64
typedef struct e8k_row {
    e8k_store *s;
    e8k_sqlval v[E8K_ROW_MAX];
    size_t n;
    int oom;
} e8k_row;

void e8k_row_start(e8k_row *row, e8k_store *s);
void e8k_row_null(e8k_row *row);
void e8k_row_int(e8k_row *row, int64_t i);
void e8k_row_size(e8k_row *row, size_t n); /* NULL for E8K_NO_OFFSET */
void e8k_row_real(e8k_row *row, double d); /* NULL when not finite */
void e8k_row_text(e8k_row *row, const char *s); /* NULL stays NULL */
void e8k_row_text_n(e8k_row *row, const char *s, size_t n);
void e8k_row_blob(e8k_row *row, const void *p, size_t n);
e8k_status e8k_row_run(e8k_row *row, const char *sql, e8k_row_fn fn,
                       void *ctx, e8k_error *err);
/* The same with a statement from e8k_store_prepare. */
e8k_status e8k_row_exec(e8k_row *row, e8k_stmt *st, e8k_row_fn fn, void *ctx,
                        e8k_error *err);

/* Shortest decimal that reads back as d ("%.17g" at worst). */
void e8k_fmt_double(double d, char out[32]);
/* Now as YYYY-MM-DDTHH:MM:SSZ. */
void e8k_utc_now(char out[32]);

/* store_put.c / store_export.c */
#define E8K_FILING_KEY_SIZE 80
/* The filing's key in the store (filings.filing_key): its accession
 * number, else "sha256:" and the hex digest of its bytes. */
void e8k_filing_key(const e8k_filing *f, const char *sha256,
                    char key[E8K_FILING_KEY_SIZE]);
/* `key` NULL: e8k_filing_key's. */
e8k_status e8k_store_put(e8k_store *s, const e8k_filing *f,
                         const e8k_records *r, const e8k_report *report,
                         const char *sha256, const char *key,
                         e8k_error *err);
/* *found = 1 when a filing is stored under `key`, with its dialect
 * ("sec-document", "html" ...) in `dialect` and, when `source` is not
 * NULL, the input it was read from (filings.source, its bytes as given)
 * in source[0..cap). */
e8k_status e8k_store_key_dialect(e8k_store *s, const char *key,
                                 char dialect[64], char *source, size_t cap,
                                 int *found, e8k_error *err);

/* store_names.c: each filing's companies for exports, by filings.id. */
typedef struct e8k_companies_of {
    int64_t id;
    char *ciks;  /* the header's CIKs in its order, joined by ";" */
    char *names; /* their conformed names, the same way */
} e8k_companies_of;
typedef struct e8k_companies {
    e8k_companies_of *entries; /* by id */
    size_t n, cap;
} e8k_companies;
e8k_status e8k_companies_load(e8k_store *s, e8k_companies *m,
                                 e8k_error *err);
const e8k_companies_of *e8k_companies_find(const e8k_companies *m,
                                             int64_t id);
void e8k_companies_free(e8k_companies *m);

/* Applies the migrations above the database's version, up to `target`
 * (E8K_SCHEMA_VERSION for all), each in its own transaction. */
e8k_status e8k_store_migrate(e8k_store *s, int target, e8k_error *err);
/* Opens without migrating (tests build older schemas with it). */
e8k_status e8k_store_open_raw(const char *url, e8k_store **out,
                              e8k_error *err);
/* Forgets a recorded ingest failure of the bytes with this digest (they
 * are stored now, or failed again and are recorded anew). */
e8k_status e8k_store_clear_failure(e8k_store *s, const char *sha256,
                                   e8k_error *err);
/* The schema version the database is at (0: empty). */
e8k_status e8k_store_version(e8k_store *s, int *version, e8k_error *err);
/* Runs one statement with parameters, rows to fn (may be NULL). */
e8k_status e8k_store_query(e8k_store *s, const char *sql,
                           const e8k_sqlval *params, size_t n, e8k_row_fn fn,
                           void *ctx, e8k_error *err);

/* ---- text escape (store.c) ---------------------------------------------- */

/* Text columns hold valid UTF-8 without NUL in both databases (PostgreSQL
 * refuses anything else). Bytes that are not part of valid UTF-8, NUL, and
 * the bytes of a genuine U+10FF00..U+10FFFF character are each written as
 * the code point U+10FF00 + byte, so the original bytes come back exactly.
 * Valid UTF-8 is stored unchanged. */
int e8k_sqltext_needs_escape(const char *s, size_t n);
int e8k_sqltext_escape(const char *s, size_t n, e8k_buf *out);
int e8k_sqltext_unescape(const char *s, size_t n, e8k_buf *out);

/* ---- drivers' shared helpers ------------------------------------------- */

e8k_status e8k_db_fail(e8k_error *err, const char *fmt, ...) E8K_PRINTF(2, 3);
/* The status of a query whose row callback returned non-zero. */
e8k_status e8k_row_stopped(e8k_error *err);

#endif /* E8K_STORE_INT_H */
