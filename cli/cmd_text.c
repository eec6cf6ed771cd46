/* cmd_text.c: `edgar8k text`: runs the text stage alone on one document
 * body, printing its normalized text; with --map, the byte offset of every
 * line's first character as well. Useful to inspect what the grammars see. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void text_usage(FILE *out)
{
    fprintf(out,
            "usage: edgar8k text [--format text|html] [--map] FILE\n"
            "\n"
            "Converts one document body (not a whole submission) to the\n"
            "normalized text the extraction grammars run on, and prints it.\n"
            "\n"
            "Options:\n"
            "  --format F  text or html (default: detected from the bytes)\n"
            "  --map       prefix each line with the byte offset in FILE of\n"
            "              its first character\n"
            "  -h, --help  show this help\n");
}

static void print_mapped(const e8k_text *t)
{
    size_t len;
    const char *s = e8k_text_data(t, &len);
    size_t start = 0;
    while (start < len) {
        const char *nl = memchr(s + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - s) : len;
        printf("%10zu  %.*s\n", e8k_text_offset(t, start),
               (int)(end - start), s + start);
        start = end + 1;
    }
}

static int text_one(const char *path, const char *format, int map)
{
    e8k_error err;
    e8k_error_clear(&err);
    char *buf = NULL;
    size_t len = 0;
    e8k_text *t = NULL;
    e8k_status s = e8k_file_load(path, &buf, &len, &err);
    if (s == E8K_OK) {
        e8k_format fmt = !format ? e8k_format_detect(buf, len, NULL, path)
                         : !strcmp(format, "html") ? E8K_FORMAT_HTML
                                                   : E8K_FORMAT_TEXT;
        s = e8k_text_convert(buf, len, fmt, &t, &err);
    }
    if (s != E8K_OK) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s", path);
        cli_print_error(&err);
    } else if (map) {
        print_mapped(t);
    } else {
        size_t n;
        const char *d = e8k_text_data(t, &n);
        fwrite(d, 1, n, stdout);
    }
    e8k_text_free(t);
    free(buf);
    return cli_exit_code(s);
}

int cmd_text(int argc, char **argv)
{
    const char *format = NULL;
    int map = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--format") && i + 1 < argc &&
            (!strcmp(argv[i + 1], "text") || !strcmp(argv[i + 1], "html")))
            format = argv[++i];
        else if (!strcmp(argv[i], "--map"))
            map = 1;
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            text_usage(stdout);
            return EXIT_OK;
        } else {
            fprintf(stderr, "edgar8k text: bad option '%s'\n", argv[i]);
            text_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (i + 1 != argc) {
        fprintf(stderr, "edgar8k text: expected exactly one FILE\n");
        text_usage(stderr);
        return EXIT_USAGE;
    }
    return text_one(argv[i], format, map);
}
