/* SPDX-License-Identifier: MIT */
/* cmd_report.c: `edgar8k report`: extracts and validates one filing and
 * writes its review page (e8k_report_to_html), to a file atomically or to
 * standard output. Also the page writer `ingest --report-dir` uses. Uses
 * only edgar8k.h. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const cli_opt report_opts[] = {
    {"output", 'o', "FILE", NULL,
     "write the page to FILE (replaced atomically); default:\n"
     "standard output, unless it is a terminal"},
    CLI_OPT_GRAMMARS, CLI_OPT_HELP, {0}};

int cli_report_page(const e8k_filing *f, const e8k_records *r,
                    const e8k_report *rep, const char *out)
{
    e8k_error err;
    e8k_error_clear(&err);
    char *html = NULL;
    size_t len = 0;
    e8k_status st = e8k_report_to_html(rep, f, r, &html, &len, &err);
    if (st == E8K_OK && out)
        st = e8k_file_save(out, html, len, &err);
    if (st == E8K_OK && !out &&
        (fwrite(html, 1, len, stdout) != len || fflush(stdout))) {
        snprintf(err.message, sizeof err.message,
                 "cannot write the page to standard output: %s",
                 strerror(errno));
        st = E8K_ERR_IO;
    }
    free(html);
    if (st != E8K_OK) {
        err.status = st;
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s", out ? out : "<stdout>");
        cli_print_error(&err);
    }
    return cli_exit_code(st);
}

static size_t failed_checks(const e8k_report *rep)
{
    return rep ? e8k_report_failed_count(rep) : 0;
}

static int report_file(const e8k_grammar *g, const char *path, const char *out)
{
    cli_filing cf;
    e8k_report *rep = NULL;
    int rc = cli_filing_read(g, path, &cf);
    if (rc == EXIT_OK) {
        e8k_error err;
        e8k_error_clear(&err);
        e8k_status st = e8k_validate(cf.rec, cf.f, &rep, &err);
        if (st != E8K_OK) {
            snprintf(err.file, sizeof err.file, "%s", path);
            err.status = st;
            cli_print_error(&err);
            rc = cli_exit_code(st);
        }
    }
    if (rc == EXIT_OK)
        rc = cli_report_page(cf.f, cf.rec, rep, out);
    if (rc == EXIT_OK && out)
        fprintf(stderr, "edgar8k report: %s: %zu offering%s, %zu of %zu "
                "checks failed\n", out, e8k_records_offering_count(cf.rec),
                e8k_records_offering_count(cf.rec) == 1 ? "" : "s",
                failed_checks(rep), e8k_report_count(rep));
    if (rc == EXIT_OK && failed_checks(rep))
        rc = EXIT_CHECK;
    e8k_report_free(rep);
    cli_filing_done(&cf);
    return rc;
}

static int run_report(const cli_spec *spec, int argc, char **argv)
{
    cli_args a = {0};
    int rc = cli_parse(spec, argc, argv, &a, NULL, NULL);
    if (rc)
        return rc == CLI_DONE ? EXIT_OK : rc;
    if (a.noperands != 1)
        return cli_usage_error(spec, a.noperands
                               ? "one FILING at a time (ingest --report-dir "
                                 "does many)"
                               : "no FILING given");
    const char *out = a.output && strcmp(a.output, "-") ? a.output : NULL;
    /* An HTML page on a terminal helps nobody, as compressed data does not
     * (gzip refuses the same way). */
    if (!out && isatty(STDOUT_FILENO))
        return cli_usage_error(spec, "not writing HTML to a terminal: give "
                               "-o FILE or redirect standard output");
    int code;
    e8k_grammar *g = cli_load_grammar(a.grammars, &code);
    if (!g)
        return code;
    rc = report_file(g, a.operands[0], out);
    e8k_grammar_free(g);
    return rc;
}

const cli_spec cli_report_spec = {
    "report", "write a filing's review page: terms, checks, marked text",
    "[OPTIONS] FILING",
    "Writes one self-contained HTML page for reviewing FILING: its identity\n"
    "(company, CIK, form, filed date, accession), a table per offering with\n"
    "every extracted field (value with unit and qualifier, document, rule,\n"
    "alternates and a link to where the text states it), parties, warrant\n"
    "clauses and press-release facts, every validation finding (formula,\n"
    "expected and actual values, tolerance, status; failures first; a click\n"
    "highlights the values the check used), and the text of every document\n"
    "with each extracted value highlighted in place. The page loads nothing\n"
    "(it opens from a file:// URL or a mail attachment) and filing text in it\n"
    "is only ever text (docs/report.md). FILING - is standard input.",
    report_opts,
    "Exit status: 0 the page was written and no check failed; 1 it was\n"
    "written and a check failed; 2 bad command line; 3-6 the filing could\n"
    "not be read or the page not written; 9 a grammar file is invalid.",
    run_report, 0};

/* ---- ingest --report-dir ------------------------------------------------------ */

int cli_report_dir_make(const char *dir)
{
    if (mkdir(dir, 0777) == 0 || errno == EEXIST) {
        struct stat sb;
        if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
            return EXIT_OK;
        errno = ENOTDIR;
    }
    fprintf(stderr, "edgar8k: %s: cannot use as report directory: %s\n", dir,
            strerror(errno));
    return EXIT_IO;
}

/* DIR/ACCESSION.html, or (no accession in the header) the input's path
 * with every byte outside [A-Za-z0-9._-] as '_': one page per filing, the
 * one a rerun writes replacing it. */
static void page_path(char *out, size_t n, const char *dir, const char *name,
                      const e8k_filing *f)
{
    const char *acc = e8k_filing_header(f)->accession;
    const char *base = acc && *acc ? acc : name;
    size_t o = (size_t)snprintf(out, n, "%s/", dir);
    for (const char *s = base; *s && o + 6 < n; s++) {
        char c = *s;
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                 (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
        out[o++] = ok ? c : '_';
    }
    snprintf(out + o, n - o, ".html");
}

int cli_report_dir_page(const char *dir, const char *name, const e8k_filing *f,
                        const e8k_records *r, const e8k_report *rep,
                        size_t *written)
{
    if (!f || !r || !failed_checks(rep))
        return EXIT_OK;
    char path[4096];
    page_path(path, sizeof path, dir, name, f);
    int rc = cli_report_page(f, r, rep, path);
    *written += rc == EXIT_OK;
    return rc;
}
