/* cmd_validate.c: `edgar8k validate`: extracts each filing and checks its
 * figures against each other (docs/validation.md), printing one finding
 * per check as a compact table on a terminal, else as JSON Lines. Also the
 * report printer `extract --validate` shares. Uses only edgar8k.h. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void validate_usage(FILE *out)
{
    fprintf(out,
            "usage: edgar8k validate [--grammars DIR] [--format table|jsonl]\n"
            "                        FILE...\n"
            "\n"
            "Extracts each filing and runs every check that applies to its\n"
            "figures: gross = shares x price, fees, net proceeds and implied\n"
            "other expenses, warrant coverage and term, date order, cash\n"
            "bridges, stated changes, agreement between documents, ranges\n"
            "(docs/validation.md). Each finding has an id, a status (pass,\n"
            "fail, skipped, info), the formula, expected and actual values,\n"
            "the tolerance and the values used with their byte spans.\n"
            "\n"
            "  --grammars DIR  rule files (as for `edgar8k extract`)\n"
            "  --format F      table: one line per finding (default on a\n"
            "                  terminal); jsonl: one JSON object per filing\n"
            "                  (default otherwise)\n"
            "\n"
            "Exit status: 0 when no check failed; 1 when a check failed;\n"
            "3-6 when a file could not be read; 9 when a grammar is invalid.\n");
}

static void cell(char *buf, size_t n, const e8k_finding *f, int expected)
{
    int has = expected ? f->has_expected : f->has_actual;
    double x = expected ? f->expected : f->actual;
    const char *s = expected ? f->expected_string : f->actual_string;
    if (has)
        snprintf(buf, n, "%.10g", x);
    else
        snprintf(buf, n, "%s", s ? s : "-");
}

static void print_table(const e8k_report *rep, const char *path)
{
    printf("%s: %zu failed\n", path, e8k_report_failed_count(rep));
    printf("  %-7s %-30s %-3s %-14s %-14s %-10s %s\n", "STATUS", "CHECK",
           "OFF", "EXPECTED", "ACTUAL", "TOL", "REASON");
    for (size_t i = 0; i < e8k_report_count(rep); i++) {
        const e8k_finding *f = e8k_report_finding(rep, i);
        char e[32], a[32], t[32], off[8];
        cell(e, sizeof e, f, 1);
        cell(a, sizeof a, f, 0);
        snprintf(t, sizeof t, f->has_expected ? "%.6g" : "-", f->tolerance);
        snprintf(off, sizeof off, f->offering == E8K_NO_OFFERING ? "-" : "%zu",
                 f->offering);
        printf("  %-7s %-30s %-3s %-14s %-14s %-10s %s\n",
               e8k_check_status_name(f->status), f->id, off, e, a, t,
               f->reason);
    }
}

int cli_validate_report(const e8k_records *rec, const e8k_filing *f,
                        const char *path, int table)
{
    e8k_report *rep = NULL;
    e8k_error err;
    e8k_error_clear(&err);
    e8k_status st = e8k_validate(rec, f, &rep, &err);
    char *json = NULL;
    if (st == E8K_OK && !table)
        st = e8k_report_to_json(rep, path, 0, &json, &err);
    if (st != E8K_OK) {
        snprintf(err.file, sizeof err.file, "%s", path);
        err.status = st;
        cli_print_error(&err);
        e8k_report_free(rep);
        return cli_exit_code(st);
    }
    if (table)
        print_table(rep, path);
    else
        printf("%s\n", json);
    free(json);
    int rc = e8k_report_failed_count(rep) ? EXIT_CHECK : EXIT_OK;
    e8k_report_free(rep);
    return rc;
}

static int validate_file(const e8k_grammar *g, const char *path, int table)
{
    cli_filing cf;
    int rc = cli_filing_read(g, path, &cf);
    if (rc == EXIT_OK)
        rc = cli_validate_report(cf.rec, cf.f, path, table);
    cli_filing_done(&cf);
    return rc;
}

int cmd_validate(int argc, char **argv)
{
    const char *dir = NULL;
    int table = isatty(STDOUT_FILENO);
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            validate_usage(stdout);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--grammars") && i + 1 < argc) {
            dir = argv[++i];
        } else if (!strcmp(argv[i], "--format") && i + 1 < argc &&
                   (!strcmp(argv[i + 1], "table") ||
                    !strcmp(argv[i + 1], "jsonl"))) {
            table = !strcmp(argv[++i], "table");
        } else if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else {
            fprintf(stderr, "edgar8k validate: bad option '%s'\n", argv[i]);
            validate_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        validate_usage(stderr);
        return EXIT_USAGE;
    }
    int code;
    e8k_grammar *g = cli_load_grammar(dir, &code);
    if (!g)
        return code;
    int rc = EXIT_OK;
    for (; i < argc; i++)
        rc = cli_worse(rc, validate_file(g, argv[i], table));
    e8k_grammar_free(g);
    return rc;
}
