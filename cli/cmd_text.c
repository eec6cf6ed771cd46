/* SPDX-License-Identifier: MIT */
/* cmd_text.c: `edgar8k text`: runs the text stage alone on one document
 * body, printing its normalized text; with --map, the byte offset of every
 * line's first character as well. Useful to inspect what the grammars see. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum { O_INPUT_FORMAT = CLI_K_FIRST_OWN, O_MAP };

static const cli_opt text_opts[] = {
    {"input-format", O_INPUT_FORMAT, "F", "text html",
     "read FILE as text or html (default: detected from\n"
     "the bytes and the name)"},
    {"map", O_MAP, NULL, NULL,
     "prefix each line with the byte offset in FILE of its\n"
     "first character"},
    CLI_OPT_OUTPUT, CLI_OPT_HELP, {0}};

typedef struct text_cli {
    const char *format;
    int map;
} text_cli;

static int text_opt(void *ctx, int key, const char *arg)
{
    text_cli *c = ctx;
    if (key == O_INPUT_FORMAT)
        c->format = arg;
    else if (key == O_MAP)
        c->map = 1;
    return 0;
}

static void print_mapped(const e8k_text *t)
{
    size_t len;
    const char *s = e8k_text_data(t, &len);
    size_t start = 0;
    while (start < len) {
        const char *nl = memchr(s + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - s) : len;
        cli_out_printf("%10zu  ", e8k_text_offset(t, start));
        cli_out_write(s + start, end - start);
        cli_out_write("\n", 1);
        start = end + 1;
    }
}

static int text_one(const char *path, const text_cli *c)
{
    e8k_error err;
    e8k_error_clear(&err);
    char *buf = NULL;
    size_t len = 0;
    e8k_text *t = NULL;
    e8k_status s = e8k_file_load(path, &buf, &len, &err);
    if (s == E8K_OK) {
        e8k_format fmt = !c->format ? e8k_format_detect(buf, len, NULL, path)
                         : !strcmp(c->format, "html") ? E8K_FORMAT_HTML
                                                      : E8K_FORMAT_TEXT;
        s = e8k_text_convert(buf, len, fmt, &t, &err);
    }
    if (s != E8K_OK) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s", path);
        cli_print_error(&err);
    } else if (c->map) {
        print_mapped(t);
    } else {
        size_t n;
        const char *d = e8k_text_data(t, &n);
        cli_out_write(d, n);
    }
    cli_out_record();
    e8k_text_free(t);
    free(buf);
    return cli_exit_code(s);
}

static int run_text(const cli_spec *spec, int argc, char **argv)
{
    text_cli c = {NULL, 0};
    cli_args a = {0};
    int rc = cli_parse(spec, argc, argv, &a, text_opt, &c);
    if (rc)
        return rc == CLI_DONE ? EXIT_OK : rc;
    if (a.noperands == 0)
        return cli_usage_error(spec, "no FILE given");
    if (a.noperands > 1)
        return cli_usage_error(spec, "expected one FILE, got %d",
                               a.noperands);
    if ((rc = cli_out_open(spec, a.output)) != EXIT_OK)
        return rc;
    return cli_out_close(text_one(a.operands[0], &c));
}

const cli_spec cli_text_spec = {
    "text", "print the normalized text of one document body",
    "[OPTIONS] FILE",
    "Converts one document body (not a whole submission) to the normalized\n"
    "text the extraction grammars run on, and prints it. FILE - is standard\n"
    "input.",
    text_opts, NULL, run_text, 0};
