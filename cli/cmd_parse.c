/* SPDX-License-Identifier: MIT */
/* cmd_parse.c: `edgar8k parse`: reads filings and prints, per filing, one
 * JSON object with the header, the documents and their spans, the 8-K items
 * and (with --with-text) the normalized text. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum { O_WITH_TEXT = CLI_K_FIRST_OWN, O_PRETTY, O_STRICT };

static const cli_opt parse_opts[] = {
    {"with-text", O_WITH_TEXT, NULL, NULL,
     "include each document's normalized text"},
    {"pretty", O_PRETTY, NULL, NULL,
     "indent the JSON instead of one object per line"},
    {"strict", O_STRICT, NULL, NULL,
     "treat warnings (e.g. text cut short) as errors"},
    CLI_OPT_OUTPUT, CLI_OPT_FILES_FROM, CLI_OPT_NULL, CLI_OPT_HELP, {0}};

typedef struct parse_cli {
    unsigned flags;
    int strict;
} parse_cli;

static int parse_opt(void *ctx, int key, const char *arg)
{
    parse_cli *c = ctx;
    (void)arg;
    if (key == O_WITH_TEXT)
        c->flags |= E8K_JSON_TEXT;
    else if (key == O_PRETTY)
        c->flags |= E8K_JSON_PRETTY;
    else if (key == O_STRICT)
        c->strict = 1;
    return 0;
}

static int parse_one(const char *path, const parse_cli *c)
{
    e8k_error err;
    e8k_error_clear(&err);
    char *buf = NULL;
    size_t len = 0;
    e8k_status s = e8k_file_load(path, &buf, &len, &err);
    e8k_filing *f = NULL;
    char *json = NULL;
    if (s == E8K_OK) {
        f = e8k_filing_new(path);
        s = f ? e8k_filing_parse(f, buf, len, &err) : E8K_ERR_NOMEM;
    }
    if (s == E8K_OK)
        s = e8k_filing_to_json(f, c->flags, &json, &err);
    int code = EXIT_OK;
    if (s == E8K_OK) {
        cli_out_printf("%s\n", json);
        cli_out_record();
        for (size_t i = 0; i < e8k_filing_warning_count(f); i++) {
            const e8k_error *w = e8k_filing_warning(f, i);
            cli_print_error(w);
            if (c->strict)
                code = cli_worse(code, cli_exit_code(w->status));
        }
    } else {
        if (err.status == E8K_OK)
            err.status = s;
        cli_print_error(&err);
        code = cli_exit_code(s);
    }
    free(json);
    e8k_filing_free(f);
    free(buf);
    return code;
}

static int run_parse(const cli_spec *spec, int argc, char **argv)
{
    parse_cli c = {0, 0};
    cli_args a = {0};
    int rc = cli_parse(spec, argc, argv, &a, parse_opt, &c);
    if (rc)
        return rc == CLI_DONE ? EXIT_OK : rc;
    cli_inputs in;
    if ((rc = cli_begin(spec, &a, &in, NULL)) != EXIT_OK)
        return rc;
    for (const char *path; cli_out_ok() && (path = cli_inputs_next(&in));)
        rc = cli_worse(rc, parse_one(path, &c));
    return cli_end(&in, NULL, rc);
}

const cli_spec cli_parse_spec = {
    "parse", "read filings into header, documents, items and text",
    "[OPTIONS] FILE...",
    "Reads EDGAR filings in any dialect (complete submissions with\n"
    "<SEC-DOCUMENT>, Feed .nc <SUBMISSION> files, PEM-wrapped 1990s files,\n"
    "a lone <DOCUMENT>, bare HTML, plain text) and prints one JSON object\n"
    "per filing: the header (accession, form type, dates, items, filers),\n"
    "the documents (type, sequence, filename, format, byte span of the body,\n"
    "encoding), the 8-K items of the main document with their byte spans,\n"
    "and warnings. FILE - is standard input.",
    parse_opts,
    "A file that cannot be read prints one line to standard error (file,\n"
    "line, byte offset, what was expected); the other files are still\n"
    "processed. Exit status: see 'edgar8k --help'.",
    run_parse, 0};
