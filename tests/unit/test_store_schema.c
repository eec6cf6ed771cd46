/* test_store_schema.c: schema changes and driver contracts of the store, on
 * SQLite (and on PostgreSQL too when E8K_PG_URL names a server, as
 * tests/store/run.sh does): a database holding rows at an older schema
 * version migrates with its rows intact and its share counts integers;
 * numbers cross both drivers exactly; a row callback that stops fails the
 * query alike in both; a store prepares its statements once, not per
 * filing. */
#include "store_int.h"
#include "store_helpers.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TestSuite(store_schema, .init = store_setup, .fini = store_teardown);

static int is_pg(e8k_store *s) { return !strcmp(e8k_store_kind(s), "postgres"); }

/* A store without a schema: SQLite's file is new; PostgreSQL's tables
 * are dropped (the suite runs alone there, --jobs 1). */
static e8k_store *open_empty(void)
{
    e8k_store *s = NULL;
    e8k_error err;
    cr_assert_eq(e8k_store_open_raw(test_url(), &s, &err), E8K_OK, "%s",
                 err.message);
    if (is_pg(s)) {
        cr_assert_eq(e8k_store_exec(s, "DROP SCHEMA public CASCADE", &err),
                     E8K_OK, "%s", err.message);
        cr_assert_eq(e8k_store_exec(s, "CREATE SCHEMA public", &err), E8K_OK);
    }
    return s;
}

static char *offering_filing(const char *accession, const char *shares)
{
    static const char fmt[] =
        "<SEC-DOCUMENT>%s.txt : 20070118\n"
        "<SEC-HEADER>%s.hdr.sgml : 20070118\n"
        "ACCESSION NUMBER:\t\t%s\n"
        "CONFORMED SUBMISSION TYPE:\t8-K\n"
        "PUBLIC DOCUMENT COUNT:\t\t1\n"
        "FILED AS OF DATE:\t\t20070118\n"
        "FILER:\n\tCOMPANY DATA:\n"
        "\t\tCOMPANY CONFORMED NAME:\t\t\tCounts Inc\n"
        "\t\tCENTRAL INDEX KEY:\t\t\t0000000002\n"
        "</SEC-HEADER>\n<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n"
        "<FILENAME>c.txt\n<TEXT>\nItem 8.01 Other Events.\n\n"
        "On January 17, 2007, the Company entered into a placement agency "
        "agreement for a registered direct offering of %s shares of its "
        "common stock at a price of $2.00 per share.\n"
        "</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n";
    char *buf = malloc(4096);
    cr_assert_not_null(buf);
    snprintf(buf, 4096, fmt, accession, accession, accession, shares);
    return buf;
}

/* Parses, extracts and stores a filing; the grammar lives until teardown
 * (records point into it). */
static void put(e8k_store *s, const char *accession, const char *shares)
{
    e8k_error err;
    if (!grammar) {
        const char *root = getenv("E8K_ROOT");
        char gdir[1024];
        snprintf(gdir, sizeof gdir, "%s/grammars", root ? root : ".");
        cr_assert_eq(e8k_grammar_load(gdir, &grammar, &err), E8K_OK, "%s",
                     err.message);
    }
    char *buf = offering_filing(accession, shares);
    e8k_filing *f = e8k_filing_new("counts.txt");
    cr_assert_eq(e8k_filing_parse(f, buf, strlen(buf), &err), E8K_OK);
    e8k_records *r = NULL;
    cr_assert_eq(e8k_extract_filing(grammar, f, &r, &err), E8K_OK);
    cr_assert_eq(e8k_store_put_filing(s, f, r, NULL, &err), E8K_OK, "%s",
                 err.message);
    e8k_records_free(r);
    e8k_filing_free(f);
    free(buf);
}

static char *export_all(e8k_store *s)
{
    return export_of(s, "jsonl", NULL).data;
}

/* The first row's values, copied (text up to 31 bytes). */
typedef struct first_row {
    size_t n, rows;
    e8k_sqlval v[4];
    char text[4][32];
} first_row;

static int keep_first(void *ctx, const e8k_sqlval *cols, size_t n)
{
    first_row *fr = ctx;
    if (fr->rows++)
        return 0;
    fr->n = n < 4 ? n : 4;
    for (size_t i = 0; i < fr->n; i++) {
        fr->v[i] = cols[i];
        if (cols[i].kind == E8K_SQL_TEXT) {
            snprintf(fr->text[i], 32, "%.*s", (int)cols[i].n, cols[i].p);
            fr->v[i].p = fr->text[i];
        }
    }
    return 0;
}

static first_row query(e8k_store *s, const char *sql, const e8k_sqlval *params,
                       size_t n)
{
    first_row fr;
    memset(&fr, 0, sizeof fr);
    e8k_error err;
    cr_assert_eq(e8k_store_query(s, sql, params, n, keep_first, &fr, &err),
                 E8K_OK, "%s: %s", sql, err.message);
    return fr;
}

static void set_counts(e8k_store *s)
{
    e8k_error err;
    e8k_row row;
    e8k_row_start(&row, s);
    e8k_row_real(&row, 0.5);
    e8k_row_real(&row, 2000000.0);
    cr_assert_eq(e8k_row_run(&row, "UPDATE offerings SET "
                             "overallotment_shares = ?, warrants_offered = ?",
                             NULL, NULL, &err), E8K_OK, "%s", err.message);
}

static void assert_counts(e8k_store *s)
{
    first_row fr = query(s, "SELECT shares_offered, overallotment_shares, "
                         "warrants_offered FROM offerings", NULL, 0);
    cr_assert_eq(fr.rows, 1);
    cr_assert_eq(fr.v[0].kind, E8K_SQL_INT, "a whole count is an integer");
    cr_assert_eq(fr.v[0].i, 1000000);
    cr_assert_eq(fr.v[1].kind, E8K_SQL_REAL, "a fraction stays");
    cr_assert_eq(fr.v[1].d, 0.5);
    cr_assert_eq(fr.v[2].kind, E8K_SQL_INT);
    cr_assert_eq(fr.v[2].i, 2000000);
    if (is_pg(s))
        return;
    fr = query(s, "SELECT typeof(shares_offered), typeof(overallotment_"
               "shares), typeof(warrants_offered) FROM offerings", NULL, 0);
    cr_assert_str_eq(fr.text[0], "integer");
    cr_assert_str_eq(fr.text[1], "real");
    cr_assert_str_eq(fr.text[2], "integer");
}

/* Rows stored at version `from` survive the later migrations whole:
 * the export is the same bytes, counts read back as integers, the table
 * keeps its key, and the writer goes on replacing filings. */
static void migrate_from(int from)
{
    e8k_store *s = open_empty();
    e8k_error err;
    cr_assert_eq(e8k_store_migrate(s, from, &err), E8K_OK, "%s", err.message);
    put(s, "0000000002-07-000001", "1,000,000");
    set_counts(s);
    char *before = export_all(s);
    e8k_store_close(s);

    cr_assert_eq(e8k_store_open(test_url(), &s, &err), E8K_OK, "%s",
                 err.message);
    int v = 0;
    cr_assert_eq(e8k_store_version(s, &v, &err), E8K_OK);
    cr_assert_eq(v, E8K_SCHEMA_VERSION);
    char *after = export_all(s);
    cr_assert_str_eq(before, after, "migrating changes no exported byte");
    assert_counts(s);
    cr_assert_neq(e8k_store_exec(s, "INSERT INTO offerings (filing_id, "
                                 "offering_no) SELECT filing_id, offering_no "
                                 "FROM offerings", &err), E8K_OK,
                  "the primary key is still there");
    put(s, "0000000002-07-000002", "3,000,000");
    first_row fr = query(s, "SELECT COUNT(*), SUM(shares_offered) FROM "
                         "offerings", NULL, 0);
    cr_assert_eq(fr.v[0].i, 2);
    free(before);
    free(after);
    e8k_store_close(s);
}

Test(store_schema, rows_at_version_1_migrate_intact)
{
    migrate_from(1);
}

Test(store_schema, rows_at_version_2_migrate_intact)
{
    migrate_from(2);
}

/* Each value comes back as the same double, from a count column
 * (INTEGER / NUMERIC) and from a DOUBLE PRECISION one. */
Test(store_schema, numbers_cross_the_driver_exactly)
{
    e8k_store *s = open_empty();
    e8k_error err;
    cr_assert_eq(e8k_store_migrate(s, E8K_SCHEMA_VERSION, &err), E8K_OK);
    put(s, "0000000002-07-000001", "1,000,000");
    static const double values[] = {
        0.1, 0.5, 2000000.0, -7.25, 1e-7, 1e20, 123456789012345678.0,
        9007199254740993.0, 0.1 + 0.2, 5e-324, 1.7976931348623157e308,
        -1e16, 1e16, 0.0, 12345.678901234567};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        e8k_sqlval p[2] = {{.kind = E8K_SQL_REAL, .d = values[i]},
                           {.kind = E8K_SQL_REAL, .d = values[i]}};
        cr_assert_eq(e8k_store_query(s, "UPDATE offerings SET shares_offered "
                                     "= ?, price_per_share = ?", p, 2, NULL,
                                     NULL, &err), E8K_OK, "%s", err.message);
        first_row fr = query(s, "SELECT shares_offered, price_per_share FROM "
                             "offerings", NULL, 0);
        for (int k = 0; k < 2; k++) {
            double got = fr.v[k].kind == E8K_SQL_INT ? (double)fr.v[k].i
                                                     : fr.v[k].d;
            cr_assert(fr.v[k].kind == E8K_SQL_INT ||
                      fr.v[k].kind == E8K_SQL_REAL);
            cr_assert_eq(got, values[i], "column %d: %.17g came back as %.17g",
                         k, values[i], got);
        }
    }
    e8k_sqlval big = {.kind = E8K_SQL_INT, .i = INT64_MIN + 1};
    first_row fr = query(s, "SELECT filing_id FROM offerings WHERE "
                         "filing_id > ?", &big, 1);
    cr_assert_eq(fr.rows, 1, "an int8 parameter in binary");
    e8k_store_close(s);
}

static int stop_quietly(void *ctx, const e8k_sqlval *cols, size_t n)
{
    (void)cols, (void)n;
    ++*(int *)ctx;
    return 1;
}

typedef struct stop_ctx {
    int calls;
    e8k_error *err;
} stop_ctx;

static int stop_with_error(void *vctx, const e8k_sqlval *cols, size_t n)
{
    stop_ctx *c = vctx;
    (void)cols, (void)n;
    c->calls++;
    e8k_fail(c->err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET, "full");
    return 1;
}

/* store_int.h: a callback that returns non-zero sees no further row and
 * fails the query, with its own status or E8K_ERR_IO; the store stays
 * usable. */
Test(store_schema, a_stopping_row_callback_fails_the_query)
{
    e8k_store *s = open_empty();
    e8k_error err;
    cr_assert_eq(e8k_store_migrate(s, E8K_SCHEMA_VERSION, &err), E8K_OK);
    static const char sql[] =
        "SELECT version FROM schema_migrations ORDER BY version";
    int calls = 0;
    cr_assert_eq(e8k_store_query(s, sql, NULL, 0, stop_quietly, &calls, &err),
                 E8K_ERR_IO);
    cr_assert_eq(calls, 1);
    cr_assert_neq(err.message[0], '\0', "the failure says why");
    stop_ctx c = {0, &err};
    cr_assert_eq(e8k_store_query(s, sql, NULL, 0, stop_with_error, &c, &err),
                 E8K_ERR_NOMEM);
    cr_assert_eq(c.calls, 1);
    cr_assert_str_eq(err.message, "full");
    first_row fr = query(s, sql, NULL, 0);
    cr_assert_eq(fr.rows, (size_t)E8K_SCHEMA_VERSION, "the store still works");
    e8k_store_close(s);
}

/* The writer's statements are prepared on the first put: later filings,
 * new or replacing, prepare nothing. */
Test(store_schema, a_store_prepares_its_statements_once)
{
    e8k_store *s = open_empty();
    e8k_error err;
    cr_assert_eq(e8k_store_migrate(s, E8K_SCHEMA_VERSION, &err), E8K_OK);
    put(s, "0000000002-07-000001", "1,000,000");
    size_t prepared = s->ncache;
    put(s, "0000000002-07-000001", "1,000,000");
    put(s, "0000000002-07-000002", "2,000,000");
    cr_assert_eq(e8k_store_batch_begin(s, &err), E8K_OK);
    put(s, "0000000002-07-000003", "3,000,000");
    put(s, "0000000002-07-000002", "2,500,000");
    cr_assert_eq(e8k_store_batch_end(s, 1, &err), E8K_OK);
    cr_assert_eq(s->ncache, prepared, "%zu statements, then %zu", prepared,
                 s->ncache);
    first_row fr = query(s, "SELECT COUNT(*) FROM filings", NULL, 0);
    cr_assert_eq(fr.v[0].i, 3);
    fr = query(s, "SELECT shares_offered FROM offerings o JOIN filings f ON "
               "f.id = o.filing_id WHERE f.filing_key = "
               "'0000000002-07-000002'", NULL, 0);
    cr_assert_eq(fr.v[0].i, 2500000, "the replacement is stored");
    e8k_store_close(s);
}
