/* cmd_export.c: `edgar8k export`: writes a database's contents (every
 * table, or one) as JSON Lines or CSV, in the same bytes from SQLite and
 * PostgreSQL, so that two databases can be compared with diff. Uses only
 * edgar8k.h. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void export_usage(FILE *out)
{
    fprintf(out,
"usage: edgar8k export [--db URL] [--format jsonl|csv] [--table T] [-o FILE]\n"
"\n"
"  --db URL       sqlite:PATH, a plain PATH, or postgres://... (default\n"
"                 edgar8k.db)\n"
"  --format F     jsonl (default): one object per row, every table unless\n"
"                 --table, each row with its \"table\";\n"
"                 csv: one table (default offerings) with a header line\n"
"  --table T      one table: filings, filing_entities, documents, items,\n"
"                 offerings, offering_values, fees, parties,\n"
"                 warrant_clauses, facts, value_params, findings,\n"
"                 finding_values, warnings, ingest_failures\n"
"  -o FILE        write there instead of standard output\n"
"\n"
"Rows are sorted by natural keys; child rows name their filing by its key\n"
"(accession). Exit status: 0 ok, 2 bad command line, 5 cannot write,\n"
"8 a database operation failed.\n");
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

static int write_out(void *ctx, const char *data, size_t len)
{
    return fwrite(data, 1, len, ctx) != len;
}

int cmd_export(int argc, char **argv)
{
    const char *db = "edgar8k.db", *format = "jsonl", *table = NULL,
               *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            export_usage(stdout);
            return EXIT_OK;
        } else if (i + 1 < argc && !strcmp(a, "--db")) {
            db = argv[++i];
        } else if (i + 1 < argc && !strcmp(a, "--format")) {
            format = argv[++i];
        } else if (i + 1 < argc && !strcmp(a, "--table")) {
            table = argv[++i];
        } else if (i + 1 < argc && !strcmp(a, "-o")) {
            path = argv[++i];
        } else {
            fprintf(stderr, "edgar8k export: bad option '%s'\n", a);
            export_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (strcmp(format, "jsonl") && strcmp(format, "csv")) {
        fprintf(stderr, "edgar8k export: --format is jsonl or csv\n");
        return EXIT_USAGE;
    }
    if (sqlite_missing(db)) {
        fprintf(stderr, "edgar8k export: no database at %s\n", db);
        return EXIT_DATABASE;
    }
    FILE *out = path ? fopen(path, "wb") : stdout;
    if (!out) {
        fprintf(stderr, "edgar8k export: cannot write %s\n", path);
        return EXIT_IO;
    }
    e8k_error err;
    e8k_error_clear(&err);
    e8k_store *s = NULL;
    e8k_status st = e8k_store_open(db, &s, &err);
    if (st == E8K_OK)
        st = e8k_store_export(s, format, table, write_out, out, &err);
    e8k_store_close(s);
    if (fflush(out) != 0 && st == E8K_OK)
        st = E8K_ERR_IO;
    if (path)
        fclose(out);
    if (st != E8K_OK)
        cli_print_error(&err);
    return cli_exit_code(st);
}
