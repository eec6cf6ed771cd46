/* test_store.c: the database store on SQLite (and on PostgreSQL too when
 * E8K_PG_URL names a server, as tests/store/run.sh does): migrations, a
 * filing replaced in one transaction or not at all, hostile text stored and
 * exported byte for byte, and the ingest pipeline resuming. */
#include "store_int.h"
#include "fetch_int.h"
#include "store_helpers.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

TestSuite(store, .init = store_setup, .fini = store_teardown);

/* A filing whose header and text carry quotes, SQL, bytes that are not
 * UTF-8, and an 8-K item with an offering to extract. */
static const char hostile[] =
    "<SEC-DOCUMENT>0000000001-07-000001.txt : 20070118\n"
    "<SEC-HEADER>0000000001-07-000001.hdr.sgml : 20070118\n"
    "ACCESSION NUMBER:\t\t0000000001-07-000001\n"
    "CONFORMED SUBMISSION TYPE:\t8-K\n"
    "PUBLIC DOCUMENT COUNT:\t\t1\n"
    "FILED AS OF DATE:\t\t20070118\n"
    "FILER:\n"
    "\tCOMPANY DATA:\n"
    "\t\tCOMPANY CONFORMED NAME:\t\t\tO'Brien \"Q\" \xff\xfe Co'); DROP TABLE filings;--\n"
    "\t\tCENTRAL INDEX KEY:\t\t\t0000000001\n"
    "</SEC-HEADER>\n"
    "<DOCUMENT>\n"
    "<TYPE>8-K\n"
    "<SEQUENCE>1\n"
    "<FILENAME>a'b\xc3\x28.txt\n"
    "<DESCRIPTION>'); DELETE FROM offerings;--\n"
    "<TEXT>\n"
    "Item 8.01 Other Events.\n\n"
    "On January 17, 2007, the Company entered into a placement agency "
    "agreement for a registered direct offering of 1,000,000 shares of its "
    "common stock at a price of $2.00 per share. Robert'); DROP TABLE parties;--\n"
    "</TEXT>\n"
    "</DOCUMENT>\n"
    "</SEC-DOCUMENT>\n";

static e8k_filing *parse(const char *buf, size_t len)
{
    e8k_error err;
    e8k_filing *f = e8k_filing_new("hostile'.txt");
    cr_assert_not_null(f);
    cr_assert_eq(e8k_filing_parse(f, buf, len, &err), E8K_OK, "%s",
                 err.message);
    return f;
}

static int64_t count_rows(e8k_store *s, const char *table)
{
    sink out = export_of(s, "jsonl", table);
    int64_t n = 0;
    for (size_t i = 0; i < out.len; i++)
        n += out.data[i] == '\n';
    free(out.data);
    return n;
}

/* ---- the text escape ------------------------------------------------------ */

static void round_trip(const char *s, size_t n)
{
    e8k_buf esc = {0}, back = {0};
    cr_assert_eq(e8k_sqltext_escape(s, n, &esc), 0);
    json_t *j = json_stringn(esc.data, esc.len); /* checks UTF-8 */
    cr_assert_not_null(j, "escaped text is valid UTF-8");
    json_decref(j);
    cr_assert_eq(strlen(esc.data), esc.len, "and holds no NUL");
    cr_assert_eq(e8k_sqltext_unescape(esc.data, esc.len, &back), 0);
    cr_assert_eq(back.len, n);
    cr_assert_eq(memcmp(back.data, s, n), 0);
    e8k_buf_free(&esc);
    e8k_buf_free(&back);
}

Test(store, escape_round_trips_any_bytes)
{
    round_trip("plain ascii 'quoted'", 20);
    round_trip("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80", 14);
    round_trip("nul\0inside", 10);
    round_trip("\xff\xfe\xc3\x28\xed\xa0\x80\xc0\xaf", 9);
    round_trip("\xf4\x8f\xbc\x80 genuine escape char", 24);
    unsigned char all[512];
    for (size_t i = 0; i < sizeof all; i++)
        all[i] = (unsigned char)(i * 7 + 3);
    round_trip((const char *)all, sizeof all);
    cr_assert_not(e8k_sqltext_needs_escape("caf\xc3\xa9", 5),
                  "valid UTF-8 is stored unchanged");
}

/* ---- schema and migrations ------------------------------------------------- */

Test(store, migrations_create_every_column_once)
{
    e8k_store *s = open_test_store();
    e8k_error err;
    int v = 0;
    cr_assert_eq(e8k_store_version(s, &v, &err), E8K_OK);
    cr_assert_eq(v, E8K_SCHEMA_VERSION);
    for (size_t t = 0; t < e8k_ntables; t++) {
        const e8k_table *tb = e8k_tables[t];
        for (size_t c = 0; c < tb->ncols; c++) {
            char sql[256];
            snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE 1 = 0",
                     tb->cols[c].name, tb->name);
            cr_assert_eq(e8k_store_query(s, sql, NULL, 0, NULL, NULL, &err),
                         E8K_OK, "%s.%s: %s", tb->name, tb->cols[c].name,
                         err.message);
        }
    }
    e8k_store_close(s);
    cr_assert_eq(e8k_store_open(test_url(), &s, &err), E8K_OK);
    int64_t n = 0;
    cr_assert_eq(e8k_store_query(s, "SELECT COUNT(*) FROM schema_migrations",
                                 NULL, 0, first_int, &n, &err), E8K_OK);
    cr_assert_eq(n, (int64_t)e8k_nmigrations, "reopening applies nothing");
    e8k_store_close(s);
}

Test(store, migrates_an_older_schema_and_refuses_a_newer_one)
{
    e8k_store *s = NULL;
    e8k_error err;
    cr_assert_eq(e8k_store_open_raw(url, &s, &err), E8K_OK);
    cr_assert_eq(e8k_store_migrate(s, 1, &err), E8K_OK);
    int v = 0;
    cr_assert_eq(e8k_store_version(s, &v, &err), E8K_OK);
    cr_assert_eq(v, 1);
    e8k_store_close(s);
    cr_assert_eq(e8k_store_open(url, &s, &err), E8K_OK, "%s", err.message);
    cr_assert_eq(e8k_store_version(s, &v, &err), E8K_OK);
    cr_assert_eq(v, E8K_SCHEMA_VERSION);
    cr_assert_eq(e8k_store_exec(s, "INSERT INTO schema_migrations VALUES "
                                   "(99, 'future', 'x')", &err), E8K_OK);
    e8k_store_close(s);
    cr_assert_eq(e8k_store_open(url, &s, &err), E8K_ERR_DATABASE);
    cr_assert_not_null(strstr(err.message, "newer"));
}

Test(store, urls_pick_the_dialect)
{
    e8k_store *s = NULL;
    e8k_error err;
    char plain[128];
    snprintf(plain, sizeof plain, "%s/plain.db", dir);
    cr_assert_eq(e8k_store_open(plain, &s, &err), E8K_OK);
    cr_assert_str_eq(e8k_store_kind(s), "sqlite");
    e8k_store_close(s);
    cr_assert_eq(access(plain, F_OK), 0);
    cr_assert_eq(e8k_store_open("postgres://nobody@127.0.0.1:1/none", &s,
                                &err), E8K_ERR_DATABASE);
    cr_assert_null(s);
}

/* ---- filings ------------------------------------------------------------------ */

/* Records point into their grammar (rule ids): it lives as long as the
 * test (freed by teardown). */
static e8k_records *extract(const e8k_filing *f)
{
    const char *root = getenv("E8K_ROOT");
    char gdir[1024];
    snprintf(gdir, sizeof gdir, "%s/grammars", root ? root : ".");
    e8k_records *r = NULL;
    e8k_error err;
    if (!grammar)
        cr_assert_eq(e8k_grammar_load(gdir, &grammar, &err), E8K_OK, "%s",
                     err.message);
    cr_assert_eq(e8k_extract_filing(grammar, f, &r, &err), E8K_OK);
    return r;
}

Test(store, hostile_text_is_stored_and_exported_intact)
{
    e8k_store *s = open_test_store();
    e8k_filing *f = parse(hostile, sizeof hostile - 1);
    e8k_records *r = extract(f);
    e8k_error err;
    cr_assert_eq(e8k_store_put_filing(s, f, r, NULL, &err), E8K_OK, "%s",
                 err.message);
    cr_assert_eq(count_rows(s, "filings"), 1, "no table was dropped");
    sink csv = export_of(s, "csv", "filing_entities");
    const char *name = "O'Brien \"\"Q\"\" \xff\xfe Co'); DROP TABLE filings;--";
    cr_assert_not_null(strstr(csv.data, name), "%s", csv.data);
    free(csv.data);
    csv = export_of(s, "csv", "documents");
    cr_assert_not_null(strstr(csv.data, "a'b\xc3\x28.txt"));
    cr_assert_not_null(strstr(csv.data, "'); DELETE FROM offerings;--"));
    free(csv.data);
    sink js = export_of(s, "jsonl", NULL);
    for (char *line = js.data, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        json_error_t je;
        json_t *j = json_loadb(line, (size_t)(nl - line), 0, &je);
        cr_assert_not_null(j, "not JSON: %.*s", (int)(nl - line), line);
        json_decref(j);
    }
    free(js.data);
    e8k_records_free(r);
    e8k_filing_free(f);
    e8k_store_close(s);
}

static int bytes_in(const sink *s, const char *p, size_t n)
{
    for (size_t i = 0; i + n <= s->len; i++)
        if (!memcmp(s->data + i, p, n))
            return 1;
    return 0;
}

Test(store, nul_bytes_survive_a_text_column)
{
    e8k_store *s = open_test_store();
    e8k_error err;
    static const char msg[] = "before\0after \xff '); DROP TABLE x;--";
    e8k_row row;
    e8k_row_start(&row, s);
    e8k_row_text(&row, "0123");
    e8k_row_text_n(&row, msg, sizeof msg - 1);
    cr_assert_eq(e8k_row_run(&row, "INSERT INTO ingest_failures (content_"
                             "sha256, source, status, message, edgar8k_"
                             "version, failed_at) VALUES (?, 'src', 'x', ?, "
                             "'v', 't')", NULL, NULL, &err), E8K_OK, "%s",
                 err.message);
    sink csv = export_of(s, "csv", "ingest_failures");
    cr_assert(bytes_in(&csv, msg, sizeof msg - 1), "CSV holds the raw bytes");
    free(csv.data);
    sink js = export_of(s, "jsonl", "ingest_failures");
    cr_assert_not_null(strstr(js.data, "before\\u0000after"));
    free(js.data);
    e8k_store_close(s);
}

Test(store, putting_again_replaces_the_rows)
{
    e8k_store *s = open_test_store();
    e8k_filing *f = parse(hostile, sizeof hostile - 1);
    e8k_records *r = extract(f);
    e8k_error err;
    cr_assert_eq(e8k_store_put_filing(s, f, r, NULL, &err), E8K_OK);
    sink first = export_of(s, "jsonl", NULL);
    cr_assert_eq(e8k_store_put_filing(s, f, r, NULL, &err), E8K_OK);
    sink second = export_of(s, "jsonl", NULL);
    cr_assert_str_eq(first.data, second.data,
                     "the same filing stored twice gives the same rows");
    cr_assert_eq(count_rows(s, "filings"), 1);
    cr_assert_geq(count_rows(s, "items"), 1);
    free(first.data);
    free(second.data);
    e8k_records_free(r);
    e8k_filing_free(f);
    e8k_store_close(s);
}

/* A filing whose storing fails half-way leaves the earlier version of it
 * whole: the transaction is all or nothing. */
Test(store, a_failed_put_leaves_the_previous_version)
{
    e8k_store *s = open_test_store();
    int pg = !strcmp(e8k_store_kind(s), "postgres");
    e8k_filing *f = parse(hostile, sizeof hostile - 1);
    e8k_error err;
    if (pg)
        cr_assert_eq(e8k_store_exec(s, "DROP TRIGGER IF EXISTS boom ON items",
                                    &err), E8K_OK);
    cr_assert_eq(e8k_store_put_filing(s, f, NULL, NULL, &err), E8K_OK);
    sink before = export_of(s, "jsonl", NULL);
    if (pg) {
        cr_assert_eq(e8k_store_exec(s, "CREATE OR REPLACE FUNCTION boom() "
                                       "RETURNS trigger AS $$ BEGIN RAISE "
                                       "EXCEPTION 'boom'; END $$ LANGUAGE "
                                       "plpgsql", &err), E8K_OK, "%s",
                     err.message);
        cr_assert_eq(e8k_store_exec(s, "CREATE TRIGGER boom BEFORE INSERT ON "
                                       "items FOR EACH ROW EXECUTE FUNCTION "
                                       "boom()", &err), E8K_OK, "%s",
                     err.message);
    } else {
        cr_assert_eq(e8k_store_exec(s, "CREATE TRIGGER boom BEFORE INSERT ON "
                                       "items BEGIN SELECT RAISE(ABORT, "
                                       "'boom'); END", &err), E8K_OK);
    }
    char *changed = malloc(sizeof hostile);
    memcpy(changed, hostile, sizeof hostile);
    memcpy(strstr(changed, "1,000,000"), "2,000,000", 9);
    e8k_filing *g = parse(changed, sizeof hostile - 1);
    cr_assert_eq(e8k_store_put_filing(s, g, NULL, NULL, &err),
                 E8K_ERR_DATABASE);
    cr_assert_not_null(strstr(err.message, "boom"));
    sink after = export_of(s, "jsonl", NULL);
    cr_assert_str_eq(before.data, after.data);
    if (pg)
        cr_assert_eq(e8k_store_exec(s, "DROP TRIGGER boom ON items", &err),
                     E8K_OK);
    free(before.data);
    free(after.data);
    e8k_filing_free(g);
    free(changed);
    e8k_filing_free(f);
    e8k_store_close(s);
}

Test(store, content_already_stored_is_found)
{
    e8k_store *s = open_test_store();
    e8k_filing *f = parse(hostile, sizeof hostile - 1);
    e8k_error err;
    char sha[65];
    e8k_sha256_hex(hostile, sizeof hostile - 1, sha);
    int found = 1;
    cr_assert_eq(e8k_store_has_content(s, sha, &found, &err), E8K_OK);
    cr_assert_eq(found, 0);
    cr_assert_eq(e8k_store_put_filing(s, f, NULL, NULL, &err), E8K_OK);
    cr_assert_eq(e8k_store_has_content(s, sha, &found, &err), E8K_OK);
    cr_assert_eq(found, 1);
    e8k_error why;
    e8k_error_clear(&why);
    why.status = E8K_ERR_TRUNCATED;
    cr_assert_eq(e8k_store_put_failure(s, "bad'); --", "abc", 3, &why, &err),
                 E8K_OK);
    cr_assert_eq(e8k_store_has_content(s, "abc", &found, &err), E8K_OK);
    cr_assert_eq(found, 1, "a recorded failure is skipped by reruns too");
    e8k_filing_free(f);
    e8k_store_close(s);
}

/* ---- the ingest pipeline ------------------------------------------------------- */

static size_t max_bytes; /* the next ingest's budget (0: default) */
static e8k_ingest_callback on_event; /* the next ingest's, or NULL */

static e8k_ingest_stats ingest_dir(const char *src, int jobs)
{
    const char *root = getenv("E8K_ROOT");
    char gdir[1024];
    snprintf(gdir, sizeof gdir, "%s/grammars", root ? root : ".");
    e8k_grammar *g = NULL;
    e8k_error err;
    cr_assert_eq(e8k_grammar_load(gdir, &g, &err), E8K_OK);
    e8k_ingest_options opt;
    e8k_ingest_options_init(&opt);
    opt.jobs = jobs;
    opt.queue = 3; /* small, so that the ring wraps many times */
    opt.max_bytes = max_bytes;
    opt.grammar = g;
    opt.callback = on_event;
    e8k_ingest *ing = NULL;
    cr_assert_eq(e8k_ingest_new(url, &opt, &ing, &err), E8K_OK, "%s",
                 err.message);
    cr_assert_eq(e8k_ingest_path(ing, src, &err), E8K_OK);
    cr_assert_eq(e8k_ingest_finish(ing, &err), E8K_OK, "%s", err.message);
    e8k_ingest_stats st = *e8k_ingest_stats_of(ing);
    e8k_ingest_free(ing);
    e8k_grammar_free(g);
    return st;
}

Test(store, ingest_skips_what_is_stored)
{
    const char *root = getenv("E8K_ROOT");
    char src[1024];
    snprintf(src, sizeof src, "%s/fixtures", root ? root : ".");
    e8k_ingest_stats a = ingest_dir(src, 2);
    cr_assert_gt(a.inputs, 10);
    cr_assert_gt(a.stored, 10);
    cr_assert_gt(a.not_filings, 0, "fixtures/ holds expected outputs");
    cr_assert_eq(a.stored + a.failed + a.skipped + a.not_filings, a.inputs);
    e8k_store *s = NULL;
    e8k_error err;
    cr_assert_eq(e8k_store_open(url, &s, &err), E8K_OK);
    sink first = export_of(s, "jsonl", NULL);
    e8k_ingest_stats b = ingest_dir(src, 1);
    cr_assert_eq(b.inputs, a.inputs);
    cr_assert_eq(b.failed, 0, "failures were recorded, and skipped now");
    sink second = export_of(s, "jsonl", NULL);
    cr_assert_eq(first.len, second.len);
    cr_assert_eq(memcmp(first.data, second.data, first.len), 0);
    free(first.data);
    free(second.data);
    e8k_store_close(s);
}

/* Two inputs with one accession and different bytes: one filing, stored
 * once, from the first input; the other is "already stored", on every
 * run (a rerun's first look at it finds its key, not its bytes). */
/* DIR/NAME/a.txt (the hostile filing) and b.txt (the same accession, other
 * figures): two alike inputs of one key. */
static void two_of_one_key(const char *name, char *src, size_t n)
{
    char path[200];
    snprintf(src, n, "%s/%s", dir, name);
    cr_assert_eq(mkdir(src, 0755), 0);
    char *changed = malloc(sizeof hostile);
    cr_assert_not_null(changed);
    memcpy(changed, hostile, sizeof hostile);
    memcpy(strstr(changed, "1,000,000"), "2,000,000", 9);
    e8k_error err;
    snprintf(path, sizeof path, "%s/a.txt", src);
    cr_assert_eq(e8k_file_save(path, hostile, sizeof hostile - 1, &err), E8K_OK);
    snprintf(path, sizeof path, "%s/b.txt", src);
    cr_assert_eq(e8k_file_save(path, changed, sizeof hostile - 1, &err), E8K_OK);
    free(changed);
}

/* Ingesting src again stores nothing and leaves the export `before`. */
static void rerun_changes_nothing(e8k_store *s, const char *src,
                                  const char *before)
{
    e8k_ingest_stats b = ingest_dir(src, 2);
    cr_assert_eq(b.failed, 0);
    cr_assert_eq(b.stored, 0);
    cr_assert_eq(b.skipped, 2);
    sink again = export_of(s, "jsonl", NULL);
    cr_assert_str_eq(before, again.data);
    free(again.data);
}

Test(store, same_key_different_bytes_is_deterministic)
{
    char src[128];
    e8k_error err;
    two_of_one_key("in", src, sizeof src);
    e8k_ingest_stats a = ingest_dir(src, 2);
    cr_assert_eq(a.stored, 1);
    cr_assert_eq(a.skipped, 1);
    e8k_store *s = NULL;
    cr_assert_eq(e8k_store_open(url, &s, &err), E8K_OK);
    sink first = export_of(s, "jsonl", NULL);
    cr_assert_not_null(strstr(first.data, "/a.txt"), "the first input stays");
    cr_assert_null(strstr(first.data, "/b.txt"));
    for (int run = 0; run < 2; run++)
        rerun_changes_nothing(s, src, first.data);
    free(first.data);
    e8k_store_close(s);
}

/* Two alike inputs of one key (two complete submissions): the one whose
 * name sorts first is kept whatever the order they come in, so that
 * ingests sharing a database end as one would. */
Test(store, same_key_keeps_the_first_name_whatever_the_order)
{
    char src[128], a_path[160], b_path[160];
    e8k_error err;
    two_of_one_key("rev", src, sizeof src);
    snprintf(a_path, sizeof a_path, "%s/a.txt", src);
    snprintf(b_path, sizeof b_path, "%s/b.txt", src);
    cr_assert_eq(ingest_dir(b_path, 1).stored, 1);
    cr_assert_eq(ingest_dir(a_path, 1).stored, 1, "a.txt replaces b.txt");
    e8k_store *s = NULL;
    cr_assert_eq(e8k_store_open(url, &s, &err), E8K_OK);
    sink first = export_of(s, "jsonl", NULL);
    cr_assert_not_null(strstr(first.data, "/a.txt"));
    cr_assert_null(strstr(first.data, "/b.txt"));
    cr_assert_eq(count_rows(s, "filings"), 1);
    rerun_changes_nothing(s, src, first.data);
    free(first.data);
    e8k_store_close(s);
}

/* What an ingest reported, one letter per input: S stored, K skipped,
 * F failed, N no filing, in the order of the events. */
static char events[64];

static void record_event(const e8k_ingest_event *ev, void *data)
{
    (void)data;
    const char *kinds = ".SKFN";
    size_t n = strlen(events);
    if (ev->kind != E8K_INGEST_PROGRESS && n + 1 < sizeof events)
        events[n] = kinds[ev->kind];
}

/* A filing stored ahead of a slow one may turn out to be a copy of one
 * already stored (`same_bytes`), or another file of its accession: its
 * skip is still reported in its turn, after the slow one, as are all skips
 * and failures. */
static void skips_in_order(int same_bytes)
{
    char src[128], path[160];
    snprintf(src, sizeof src, "%s/order", dir);
    cr_assert_eq(mkdir(src, 0755), 0);
    e8k_error err;
    snprintf(path, sizeof path, "%s/a.txt", src);
    cr_assert_eq(e8k_file_save(path, hostile, sizeof hostile - 1, &err), E8K_OK);
    char *c = malloc(sizeof hostile);
    cr_assert_not_null(c);
    memcpy(c, hostile, sizeof hostile);
    if (!same_bytes)
        memcpy(strstr(c, "1,000,000"), "3,000,000", 9);
    snprintf(path, sizeof path, "%s/c.txt", src);
    cr_assert_eq(e8k_file_save(path, c, sizeof hostile - 1, &err), E8K_OK);
    free(c);
    /* b: another accession, and megabytes of text to parse */
    size_t filler = (size_t)4 << 20, n = sizeof hostile - 1 + filler;
    char *big = malloc(n + 1);
    cr_assert_not_null(big);
    const char *body = strstr(hostile, "On January 17, 2007");
    cr_assert_not_null(body);
    size_t head = body ? (size_t)(body - hostile) : 0;
    memcpy(big, hostile, head);
    big[head] = '\0';
    for (char *p; (p = strstr(big, "0000000001-07-000001")) != NULL;)
        p[19] = '2';
    for (size_t i = 0; i < filler; i++)
        big[head + i] = i % 64 == 63 ? '\n' : 'x';
    memcpy(big + head + filler, hostile + head, sizeof hostile - 1 - head);
    snprintf(path, sizeof path, "%s/b.txt", src);
    cr_assert_eq(e8k_file_save(path, big, n, &err), E8K_OK);
    free(big);
    events[0] = '\0';
    on_event = record_event;
    e8k_ingest_stats a = ingest_dir(src, 2);
    on_event = NULL;
    cr_assert_eq(a.stored, 2);
    cr_assert_eq(a.skipped, 1);
    cr_assert_str_eq(events, "SSK", "a, b stored, then c skipped: %s", events);
}

Test(store, skips_are_reported_in_input_order)
{
    skips_in_order(1);
}

Test(store, accession_skips_are_reported_in_input_order)
{
    skips_in_order(0);
}

Test(store, ingest_reports_a_database_it_cannot_open)
{
    const char *root = getenv("E8K_ROOT");
    char gdir[1024];
    snprintf(gdir, sizeof gdir, "%s/grammars", root ? root : ".");
    e8k_error err;
    cr_assert_eq(e8k_grammar_load(gdir, &grammar, &err), E8K_OK);
    e8k_ingest_options opt;
    e8k_ingest_options_init(&opt);
    opt.grammar = grammar;
    e8k_ingest *ing = (e8k_ingest *)1;
    cr_assert_eq(e8k_ingest_new("/nonexistent/dir/x.db", &opt, &ing, &err),
                 E8K_ERR_DATABASE);
    cr_assert_null(ing);
    opt.grammar = NULL;
    cr_assert_eq(e8k_ingest_new(url, &opt, &ing, &err), E8K_ERR_USAGE);
}

Test(store, numbers_print_as_the_shortest_exact_decimal)
{
    char out[32];
    struct { double d; const char *want; } cases[] = {
        {0.1, "0.1"}, {1.14, "1.14"}, {45600000, "45600000"},
        {0.1 + 0.2, "0.30000000000000004"}, {9.999, "9.999"},
        {1e-7, "1e-07"}, {2736000.0, "2736000"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        e8k_fmt_double(cases[i].d, out);
        cr_assert_str_eq(out, cases[i].want);
    }
}

/* A budget smaller than any filing: each goes alone, all are stored, and
 * the database is the one a roomy ingest makes. */
Test(store, a_tiny_byte_budget_still_ingests_everything)
{
    const char *root = getenv("E8K_ROOT");
    char src[1024];
    snprintf(src, sizeof src, "%s/fixtures", root ? root : ".");
    max_bytes = 1;
    e8k_ingest_stats a = ingest_dir(src, 2);
    max_bytes = 0;
    cr_assert_eq(a.stored + a.failed + a.skipped + a.not_filings, a.inputs);
    e8k_store *s = NULL;
    e8k_error err;
    cr_assert_eq(e8k_store_open(url, &s, &err), E8K_OK);
    sink tiny = export_of(s, "jsonl", NULL);
    e8k_store_close(s);
    snprintf(url, sizeof url, "sqlite:%s/roomy.db", dir);
    ingest_dir(src, 2);
    cr_assert_eq(e8k_store_open(url, &s, &err), E8K_OK);
    sink roomy = export_of(s, "jsonl", NULL);
    cr_assert_str_eq(tiny.data, roomy.data);
    free(tiny.data);
    free(roomy.data);
    e8k_store_close(s);
}
