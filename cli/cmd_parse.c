/* cmd_parse.c: `edgar8k parse`: reads filings and prints, per filing, one
 * JSON object with the header, the documents and their spans, the 8-K items
 * and (with --text) the normalized text. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void parse_usage(FILE *out)
{
    fprintf(out,
            "usage: edgar8k parse [--text] [--pretty] [--strict] FILE...\n"
            "\n"
            "Reads EDGAR filings in any dialect (complete submissions with\n"
            "<SEC-DOCUMENT>, Feed .nc <SUBMISSION> files, PEM-wrapped 1990s\n"
            "files, a lone <DOCUMENT>, bare HTML, plain text) and prints one\n"
            "JSON object per filing on standard output: header (accession,\n"
            "form type, dates, items, filers), documents (type, sequence,\n"
            "filename, format, byte span of the body, encoding), the 8-K\n"
            "items of the main document with their byte spans, and warnings.\n"
            "\n"
            "Options:\n"
            "  --text     include each document's normalized text\n"
            "  --pretty   indent the JSON instead of one object per line\n"
            "  --strict   treat warnings (e.g. text cut short) as errors\n"
            "  -h, --help show this help\n"
            "\n"
            "A file that cannot be read prints one line to standard error\n"
            "(file, line, byte offset, what was expected); the other files\n"
            "are still processed. Exit status: see `edgar8k --help`.\n");
}

static int parse_one(const char *path, unsigned flags, int strict)
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
        s = e8k_filing_to_json(f, flags, &json, &err);
    int code = EXIT_OK;
    if (s == E8K_OK) {
        puts(json);
        for (size_t i = 0; i < e8k_filing_warning_count(f); i++) {
            const e8k_error *w = e8k_filing_warning(f, i);
            cli_print_error(w);
            if (strict)
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

int cmd_parse(int argc, char **argv)
{
    unsigned flags = 0;
    int strict = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else if (!strcmp(argv[i], "--text"))
            flags |= E8K_JSON_TEXT;
        else if (!strcmp(argv[i], "--pretty"))
            flags |= E8K_JSON_PRETTY;
        else if (!strcmp(argv[i], "--strict"))
            strict = 1;
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            parse_usage(stdout);
            return EXIT_OK;
        } else {
            fprintf(stderr, "edgar8k parse: unknown option '%s'\n", argv[i]);
            parse_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "edgar8k parse: no FILE given\n");
        parse_usage(stderr);
        return EXIT_USAGE;
    }
    int code = EXIT_OK;
    for (; i < argc; i++)
        code = cli_worse(code, parse_one(argv[i], flags, strict));
    return code;
}
