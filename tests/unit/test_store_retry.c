/* SPDX-License-Identifier: MIT */
/* test_store_retry.c: a write PostgreSQL aborts so that another transaction
 * can go on (a deadlock, SQLSTATE 40P01; a serialization failure, 40001) is
 * tried again, alone or inside an ingest's batch, and stored once; one that
 * keeps failing is reported after E8K_DB_RETRIES tries, any other failure
 * at once. Runs on the PostgreSQL server E8K_PG_URL names (tests/store/run.sh
 * runs the store suites there); SQLite never aborts a write so (a writer
 * waits on its lock), so the tests skip without one. The failures come from
 * a trigger that raises the code for its first calls, counted by a
 * sequence (which a rollback does not undo). */
#include "store_int.h"
#include "store_helpers.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TestSuite(store_retry, .init = store_setup, .fini = store_teardown);

static const char filing_fmt[] =
    "<SEC-DOCUMENT>%s.txt : 20240315\n"
    "<SEC-HEADER>%s.hdr.sgml : 20240315\n"
    "ACCESSION NUMBER:\t\t%s\n"
    "CONFORMED SUBMISSION TYPE:\t8-K\n"
    "PUBLIC DOCUMENT COUNT:\t\t1\n"
    "FILED AS OF DATE:\t\t20240315\n"
    "FILER:\n\tCOMPANY DATA:\n"
    "\t\tCOMPANY CONFORMED NAME:\t\t\tRetry Co\n"
    "\t\tCENTRAL INDEX KEY:\t\t\t0000000007\n"
    "</SEC-HEADER>\n<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n"
    "<FILENAME>r.txt\n<TEXT>\nItem 8.01 Other Events.\n</TEXT>\n"
    "</DOCUMENT>\n</SEC-DOCUMENT>\n";

typedef struct parsed {
    char buf[2048];
    e8k_filing *f;
} parsed;

static void parse(parsed *p, const char *accession)
{
    e8k_error err;
    int n = snprintf(p->buf, sizeof p->buf, filing_fmt, accession, accession,
                     accession);
    p->f = e8k_filing_new("retry.txt");
    cr_assert_not_null(p->f);
    cr_assert_eq(e8k_filing_parse(p->f, p->buf, (size_t)n, &err), E8K_OK,
                 "%s", err.message);
}

static void exec_ok(e8k_store *s, const char *sql)
{
    e8k_error err;
    cr_assert_eq(e8k_store_exec(s, sql, &err), E8K_OK, "%s: %s", sql,
                 err.message);
}

static int64_t number(e8k_store *s, const char *sql)
{
    int64_t v = -1;
    e8k_error err;
    cr_assert_eq(e8k_store_query(s, sql, NULL, 0, first_int, &v, &err), E8K_OK,
                 "%s", err.message);
    return v;
}

/* The server E8K_PG_URL names, emptied; the test is skipped without one. */
static e8k_store *open_pg(void)
{
    e8k_store *s = open_test_store();
    if (strcmp(e8k_store_kind(s), "postgres") != 0) {
        e8k_store_close(s);
        store_teardown(); /* a skipped test's .fini does not run */
        cr_skip_test("PostgreSQL only: E8K_PG_URL names no server");
    }
    return s;
}

/* The next `failures` documents inserted fail with SQLSTATE `state`. */
static void arm(e8k_store *s, const char *state, int failures)
{
    char sql[512];
    exec_ok(s, "DROP TRIGGER IF EXISTS e8k_flaky ON documents");
    exec_ok(s, "DROP SEQUENCE IF EXISTS e8k_flaky_n");
    exec_ok(s, "CREATE SEQUENCE e8k_flaky_n");
    snprintf(sql, sizeof sql,
             "CREATE OR REPLACE FUNCTION e8k_flaky() RETURNS trigger AS $$ "
             "BEGIN IF nextval('e8k_flaky_n') <= %d THEN RAISE EXCEPTION "
             "'simulated by the test' USING ERRCODE = '%s'; END IF; RETURN "
             "NEW; END $$ LANGUAGE plpgsql", failures, state);
    exec_ok(s, sql);
    exec_ok(s, "CREATE TRIGGER e8k_flaky BEFORE INSERT ON documents FOR EACH "
               "ROW EXECUTE FUNCTION e8k_flaky()");
}

static int64_t tries(e8k_store *s)
{
    return number(s, "SELECT CASE WHEN is_called THEN last_value ELSE 0 END "
                     "FROM e8k_flaky_n");
}

static void disarm(e8k_store *s)
{
    exec_ok(s, "DROP TRIGGER IF EXISTS e8k_flaky ON documents");
    exec_ok(s, "DROP FUNCTION IF EXISTS e8k_flaky()");
    exec_ok(s, "DROP SEQUENCE IF EXISTS e8k_flaky_n");
}

Test(store_retry, a_deadlock_is_tried_again)
{
    e8k_store *s = open_pg();
    parsed p;
    parse(&p, "0000000007-24-000001");
    e8k_error err;
    arm(s, "40P01", 2);
    cr_assert_eq(e8k_store_put_filing(s, p.f, NULL, NULL, &err), E8K_OK,
                 "%s", err.message);
    cr_assert_eq(tries(s), 3, "two deadlocks, then stored");
    cr_assert_eq(s->retries, 2);
    cr_assert_eq(number(s, "SELECT COUNT(*) FROM filings"), 1);
    cr_assert_eq(number(s, "SELECT COUNT(*) FROM documents"), 1);
    disarm(s);
    e8k_filing_free(p.f);
    e8k_store_close(s);
}

/* Inside a batch (ingest's writer) the filing's savepoint is undone and
 * the filing stored again; the filings before it in the batch stay. */
Test(store_retry, a_serialization_failure_in_a_batch_is_tried_again)
{
    e8k_store *s = open_pg();
    parsed a, b;
    parse(&a, "0000000007-24-000002");
    parse(&b, "0000000007-24-000003");
    e8k_error err;
    cr_assert_eq(e8k_store_batch_begin(s, &err), E8K_OK, "%s", err.message);
    cr_assert_eq(e8k_store_put_filing(s, a.f, NULL, NULL, &err), E8K_OK);
    arm(s, "40001", 2);
    cr_assert_eq(e8k_store_put_filing(s, b.f, NULL, NULL, &err), E8K_OK,
                 "%s", err.message);
    cr_assert_eq(e8k_store_batch_end(s, 1, &err), E8K_OK, "%s", err.message);
    cr_assert_eq(tries(s), 3);
    cr_assert_eq(number(s, "SELECT COUNT(*) FROM filings"), 2);
    cr_assert_eq(number(s, "SELECT COUNT(*) FROM documents"), 2,
                 "each filing's rows once");
    disarm(s);
    e8k_filing_free(a.f);
    e8k_filing_free(b.f);
    e8k_store_close(s);
}

Test(store_retry, a_failure_that_persists_is_reported)
{
    e8k_store *s = open_pg();
    parsed p;
    parse(&p, "0000000007-24-000004");
    e8k_error err;
    arm(s, "40P01", 1000);
    cr_assert_eq(e8k_store_put_filing(s, p.f, NULL, NULL, &err),
                 E8K_ERR_DATABASE);
    cr_assert_not_null(strstr(err.message, "simulated by the test"), "%s",
                       err.message);
    char want[64];
    snprintf(want, sizeof want, "gave up after %d tries", E8K_DB_RETRIES);
    cr_assert_not_null(strstr(err.message, want), "%s", err.message);
    cr_assert_eq(tries(s), E8K_DB_RETRIES);
    cr_assert_eq(number(s, "SELECT COUNT(*) FROM filings"), 0);
    disarm(s);
    e8k_filing_free(p.f);
    e8k_store_close(s);
}

Test(store_retry, other_failures_are_not_tried_again)
{
    e8k_store *s = open_pg();
    parsed p;
    parse(&p, "0000000007-24-000005");
    e8k_error err;
    arm(s, "P0001", 1); /* raise_exception: no other writer's fault */
    cr_assert_eq(e8k_store_put_filing(s, p.f, NULL, NULL, &err),
                 E8K_ERR_DATABASE);
    cr_assert_eq(tries(s), 1);
    cr_assert_null(strstr(err.message, "gave up"), "%s", err.message);
    disarm(s);
    e8k_filing_free(p.f);
    e8k_store_close(s);
}
