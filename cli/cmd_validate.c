/* SPDX-License-Identifier: MIT */
/* cmd_validate.c: `edgar8k validate`: extracts each filing and checks its
 * figures against each other (docs/validation.md), printing one finding
 * per check as a compact table on a terminal, else as JSON Lines, each
 * naming its filing. Also the report printer `extract --validate` shares.
 * Uses only edgar8k.h. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { O_STRICT = CLI_K_FIRST_OWN };

static const cli_opt validate_opts[] = {
    CLI_OPT_GRAMMARS,
    {"format", CLI_K_FORMAT, "F", "table jsonl",
     "table: one line per finding (default on a terminal)\n"
     "jsonl: one JSON object per filing (default otherwise)"},
    {"strict", O_STRICT, NULL, NULL,
     "exit 1 when a check warned, as when one failed"},
    CLI_OPT_OUTPUT, CLI_OPT_FILES_FROM, CLI_OPT_NULL, CLI_OPT_HELP, {0}};

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

static void print_table(const e8k_report *rep, const e8k_filing *f,
                        const char *path)
{
    cli_filing_title(f, path);
    size_t warned = e8k_report_warned_count(rep);
    cli_out_printf(": %zu failed", e8k_report_failed_count(rep));
    if (warned) /* said only when there is something to say */
        cli_out_printf(", %zu warned", warned);
    cli_out_printf("\n");
    cli_out_printf("  %-7s %-32s %-3s %-14s %-14s %-10s %s\n", "STATUS",
                   "CHECK", "OFF", "EXPECTED", "ACTUAL", "TOL", "REASON");
    for (size_t i = 0; i < e8k_report_count(rep); i++) {
        const e8k_finding *fi = e8k_report_finding(rep, i);
        char e[32], a[32], t[32], off[8];
        cell(e, sizeof e, fi, 1);
        cell(a, sizeof a, fi, 0);
        snprintf(t, sizeof t, fi->has_expected ? "%.6g" : "-", fi->tolerance);
        snprintf(off, sizeof off,
                 fi->offering == E8K_NO_OFFERING ? "-" : "%zu", fi->offering);
        cli_out_printf("  %-7s %-32s %-3s %-14s %-14s %-10s %s\n",
                       e8k_check_status_name(fi->status), fi->id, off, e, a,
                       t, fi->reason);
    }
}

int cli_validate_report(const e8k_records *rec, const e8k_filing *f,
                        const char *path, int table, int strict)
{
    e8k_report *rep = NULL;
    e8k_error err;
    e8k_error_clear(&err);
    e8k_status st = e8k_validate(rec, f, &rep, &err);
    char *json = NULL;
    if (st == E8K_OK && !table)
        st = e8k_report_to_json_filing(rep, f, path, 0, &json, &err);
    if (st != E8K_OK) {
        snprintf(err.file, sizeof err.file, "%s", path);
        err.status = st;
        cli_print_error(&err);
        e8k_report_free(rep);
        return cli_exit_code(st);
    }
    if (table)
        print_table(rep, f, path);
    else
        cli_out_printf("%s\n", json);
    free(json);
    int rc = e8k_report_failed_count(rep) ||
                     (strict && e8k_report_warned_count(rep))
                 ? EXIT_CHECK
                 : EXIT_OK;
    e8k_report_free(rep);
    return rc;
}

static int validate_file(const e8k_grammar *g, const char *path, int table,
                         int strict)
{
    cli_filing cf;
    int rc = cli_filing_read(g, path, &cf);
    if (rc == EXIT_OK)
        rc = cli_validate_report(cf.rec, cf.f, path, table, strict);
    cli_out_record();
    cli_filing_done(&cf);
    return rc;
}

static int validate_opt(void *ctx, int key, const char *arg)
{
    (void)arg;
    if (key == O_STRICT)
        *(int *)ctx = 1;
    return 0;
}

static int run_validate(const cli_spec *spec, int argc, char **argv)
{
    cli_args a = {0};
    int strict = 0;
    int rc = cli_parse(spec, argc, argv, &a, validate_opt, &strict);
    if (rc)
        return rc == CLI_DONE ? EXIT_OK : rc;
    int table = a.format ? !strcmp(a.format, "table")
                         : !a.output && isatty(STDOUT_FILENO);
    cli_inputs in;
    e8k_grammar *g = NULL;
    if ((rc = cli_begin(spec, &a, &in, &g)) != EXIT_OK)
        return rc;
    for (const char *path; cli_out_ok() && (path = cli_inputs_next(&in));)
        rc = cli_worse(rc, validate_file(g, path, table, strict));
    return cli_end(&in, g, rc);
}

const cli_spec cli_validate_spec = {
    "validate", "check extracted figures against each other",
    "[OPTIONS] FILE...",
    "Extracts each filing and runs every check that applies to its figures:\n"
    "gross = shares x price, fees, net proceeds and implied other expenses,\n"
    "warrant coverage and term, date order, cash bridges, stated changes,\n"
    "agreement between documents, ranges (docs/validation.md). Each finding\n"
    "has an id, a status, the formula, expected and actual values, the\n"
    "tolerance and the values used with their byte spans; each report names\n"
    "its filing as extract's records do. Statuses: fail (the figures\n"
    "contradict each other beyond their stated precision), warn (unusual\n"
    "but possible: a cap, high coverage, a par value at or above the\n"
    "price), pass, skipped (a figure not stated), info. FILE - is standard\n"
    "input.",
    validate_opts,
    "Exit status: 0 when no check failed (nor warned, with --strict); 1\n"
    "when one did; 2 bad command line; 3-6 when a file could not be read or\n"
    "the output could not be written; 9 when a grammar is invalid.",
    run_validate, 0};
