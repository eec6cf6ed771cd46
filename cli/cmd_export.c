/* SPDX-License-Identifier: MIT */
/* cmd_export.c: `edgar8k export`: writes a database's contents (every
 * table, or one) as JSON Lines or CSV, in the same bytes from SQLite and
 * PostgreSQL, so that two databases can be compared with diff; -o writes
 * atomically. Uses only edgar8k.h. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { O_TABLE = CLI_K_FIRST_OWN };

static const cli_opt export_opts[] = {
    CLI_OPT_DB,
    {"format", CLI_K_FORMAT, "F", "jsonl csv",
     "jsonl (default): one object per row, every table\n"
     "unless --table, each row with its \"table\";\n"
     "csv: one table (default offerings) with a header line"},
    {"table", O_TABLE, "T", NULL,
     "one table: filings, filing_entities, documents,\n"
     "items, offerings, offering_values, fees, parties,\n"
     "warrant_clauses, facts, value_params, findings,\n"
     "finding_values, warnings, ingest_failures"},
    CLI_OPT_NO_HEADER, CLI_OPT_OUTPUT, CLI_OPT_HELP, {0}};

typedef struct export_cli {
    const cli_spec *spec;
    const char *table;
    int skip_header; /* csv --no-header: the first write is the header */
} export_cli;

static int export_opt(void *ctx, int key, const char *arg)
{
    export_cli *c = ctx;
    if (key != O_TABLE)
        return 0;
    const char *names[64];
    size_t n = 0;
    for (const char *t; n < 64 && (t = e8k_store_table_name(n)) != NULL;)
        names[n++] = t;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], arg)) {
            c->table = arg;
            return 0;
        }
    const char *near = cli_closest(arg, names, n);
    if (near)
        return cli_usage_error(c->spec, "--table: no table '%s' (did you "
                               "mean '%s'?)", arg, near);
    return cli_usage_error(c->spec, "--table: no table '%s' (see "
                           "docs/sql.md)", arg);
}

/* Opening a SQLite path creates it: an export of a mistyped name would
 * print nothing and leave an empty database behind. */
static int sqlite_missing(const char *url)
{
    if (!strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13))
        return 0;
    const char *path = !strncmp(url, "sqlite://", 9) ? url + 9
                       : !strncmp(url, "sqlite:", 7)  ? url + 7
                                                      : url;
    return access(path, F_OK) != 0;
}

/* Rows arrive one call each; they leave in writes of about 64 KiB that
 * hold whole rows. */
static int write_out(void *ctx, const char *data, size_t len)
{
    export_cli *c = ctx;
    if (c->skip_header) {
        c->skip_header = 0;
        return 0;
    }
    cli_out_write(data, len);
    if (cli_out_pending() >= 65536)
        return cli_out_record() != 0;
    return !cli_out_ok();
}

static int run_export(const cli_spec *spec, int argc, char **argv)
{
    export_cli c = {spec, NULL, 0};
    cli_args a = {0};
    int rc = cli_parse(spec, argc, argv, &a, export_opt, &c);
    if (rc)
        return rc == CLI_DONE ? EXIT_OK : rc;
    const char *db = a.db ? a.db : "edgar8k.db";
    const char *format = a.format ? a.format : "jsonl";
    c.skip_header = a.no_header && !strcmp(format, "csv");
    if (sqlite_missing(db)) {
        fprintf(stderr, "edgar8k export: no database at %s\n", db);
        return EXIT_DATABASE;
    }
    if ((rc = cli_out_open(spec, a.output)) != EXIT_OK)
        return rc;
    e8k_error err;
    e8k_error_clear(&err);
    e8k_store *s = NULL;
    e8k_status st = e8k_store_open(db, &s, &err);
    if (st == E8K_OK)
        st = e8k_store_export(s, format, c.table, write_out, &c, &err);
    e8k_store_close(s);
    /* A failed write was reported by the output itself. */
    if (st != E8K_OK && cli_out_ok())
        cli_print_error(&err);
    return cli_out_close(cli_exit_code(st));
}

const cli_spec cli_export_spec = {
    "export", "write a database's rows as JSON Lines or CSV",
    "[OPTIONS]",
    "Writes a database's contents, every table or one, in the same bytes\n"
    "from SQLite and PostgreSQL, so that two databases compare with diff.\n"
    "Rows are sorted by natural keys; child rows name their filing by its\n"
    "key (accession), and the rows of the record tables (offerings, fees,\n"
    "parties, warrant_clauses, facts, findings) also by its form type,\n"
    "filed and period dates and its companies' CIKs and names. CSV follows\n"
    "RFC 4180 (quoted text, CRLF line ends); a text cell a spreadsheet would\n"
    "run as a formula (it begins with =, +, - or @ and is no plain number)\n"
    "gets a leading ' (docs/sql.md).",
    export_opts,
    "Exit status: 0 ok, 2 bad command line, 5 cannot write, 8 a database\n"
    "operation failed.",
    run_export, 1};
