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

/* Called per result row; non-zero stops the query (reported as an error
 * only when the callback filled err). */
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
    e8k_status (*open)(const char *target, void **db, e8k_error *err);
    void (*close)(void *db);
    e8k_status (*exec)(void *db, const char *sql, e8k_error *err);
    e8k_status (*prepare)(void *db, const char *sql, e8k_stmt **out,
                          e8k_error *err);
    void (*finalize)(void *db, e8k_stmt *st);
    e8k_status (*run)(void *db, e8k_stmt *st, const e8k_sqlval *params,
                      size_t nparams, e8k_row_fn fn, void *ctx,
                      e8k_error *err);
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

typedef struct e8k_migration {
    int version;
    const char *name;
    const char *const *sql; /* statements, NULL-terminated; {id} and
                               {blob} stand for the dialect's types */
} e8k_migration;

extern const e8k_migration e8k_migrations[];
extern const size_t e8k_nmigrations;
#define E8K_SCHEMA_VERSION 2

/* Every table export knows, in export order; filings first. */
#define E8K_MAX_TABLES 32
extern const e8k_table *const e8k_tables[];
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
    e8k_stmt *st;
} e8k_cached_stmt;

/* A store is used by one thread at a time (ingest opens one per thread). */
struct e8k_store {
    const e8k_store_driver *drv;
    void *db;
    e8k_cached_stmt *cache; /* every statement is prepared once */
    size_t ncache, cache_cap;
    e8k_pool pool; /* escaped copies of the text being bound */
    char *insert_sql[E8K_MAX_TABLES]; /* per table of e8k_tables, built once */
    int batch; /* a batch transaction is open: units are savepoints */
};

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

/* Shortest decimal that reads back as d ("%.17g" at worst). */
void e8k_fmt_double(double d, char out[32]);
/* Now as YYYY-MM-DDTHH:MM:SSZ. */
void e8k_utc_now(char out[32]);

/* store_put.c / store_export.c */
e8k_status e8k_store_put(e8k_store *s, const e8k_filing *f,
                         const e8k_records *r, const e8k_report *report,
                         const char *sha256, e8k_error *err);

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

#endif /* E8K_STORE_INT_H */
