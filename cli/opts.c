/* SPDX-License-Identifier: MIT */
/* opts.c: the one option parser of every edgar8k command, driven by the
 * command's table of options (cli.h): getopt_long underneath (long options
 * with "=" or a separate value, options after the operands), values checked
 * against their choices, one wording for every error followed by the
 * synopsis and where to read more, and "did you mean" for a mistyped
 * option. Also prints a command's --help from the same table. */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors --------------------------------------------------------------- */

static void print_synopsis(const cli_spec *spec, FILE *out, const char *lead)
{
    const char *s = spec->synopsis;
    int first = 1;
    while (*s) {
        size_t n = strcspn(s, "\n");
        fprintf(out, "%s edgar8k %s %.*s\n", first ? lead : "      ",
                spec->name, (int)n, s);
        first = 0;
        s += n + (s[n] == '\n');
    }
}

int cli_usage_error(const cli_spec *spec, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "edgar8k %s: ", spec->name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    print_synopsis(spec, stderr, "usage:");
    fprintf(stderr, "See 'edgar8k %s --help'.\n", spec->name);
    return EXIT_USAGE;
}

double cli_number(const cli_spec *spec, const char *opt, const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= 0) || !isfinite(v)) {
        cli_usage_error(spec, "--%s: expected a non-negative number, got '%s'",
                        opt, s);
        return -1;
    }
    return v;
}

/* ---- did you mean ----------------------------------------------------------- */

/* Optimal string alignment distance (a swap of neighbours costs 1), small
 * words only: names are short. */
static size_t distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 62 || m > 62)
        return 99;
    size_t d[64][64];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

const char *cli_closest(const char *word, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t best_d = 99;
    /* A third of the word may be wrong, and at least one letter. */
    size_t allowed = strlen(word) / 3 > 1 ? strlen(word) / 3 : 1;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(word, names[i]);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    return best_d <= allowed ? best : NULL;
}

/* ---- parsing ------------------------------------------------------------------ */

#define MAX_OPTS 64

typedef struct table {
    struct option longs[MAX_OPTS + 1];
    const cli_opt *by_index[MAX_OPTS];
    const char *names[MAX_OPTS];
    size_t n;
    char shorts[2 * MAX_OPTS + 2];
} table;

static void build(const cli_spec *spec, table *t)
{
    size_t k = 0;
    memset(t, 0, sizeof *t);
    t->shorts[k++] = ':'; /* a missing value returns ':' */
    for (const cli_opt *o = spec->opts; o->name || o->help; o++) {
        if (!o->name || t->n >= MAX_OPTS)
            continue;
        t->longs[t->n] = (struct option){o->name, o->arg ? 1 : 0, NULL, o->key};
        t->by_index[t->n] = o;
        t->names[t->n] = o->name;
        t->n++;
        if (o->key > 0 && o->key < 128) {
            t->shorts[k++] = (char)o->key;
            if (o->arg)
                t->shorts[k++] = ':';
        }
    }
}

static const cli_opt *by_key(const table *t, int key)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->by_index[i]->key == key)
            return t->by_index[i];
    return NULL;
}

/* The option as the user wrote it, for messages. */
static void spelled(const char *word, char *out, size_t n)
{
    size_t len = strcspn(word, "=");
    snprintf(out, n, "%.*s", (int)(len < 200 ? len : 200), word);
}

/* getopt_long returned '?' for argv word `word` (short letter `letter`
 * when not 0): an unknown or ambiguous option, or a value given to a flag. */
static int unknown(const cli_spec *spec, const table *t, const char *word,
                   int letter)
{
    if (letter && strncmp(word, "--", 2) != 0) {
        const cli_opt *o = by_key(t, letter);
        if (o)
            return cli_usage_error(spec, "option '-%c' takes no value", letter);
        return cli_usage_error(spec, "unknown option '-%c'", letter);
    }
    char name[256];
    spelled(word, name, sizeof name);
    const char *bare = name + strspn(name, "-");
    size_t len = strlen(bare), matches = 0;
    const char *two[2] = {NULL, NULL};
    for (size_t i = 0; i < t->n; i++) {
        if (!strcmp(t->names[i], bare))
            return cli_usage_error(spec, "option '--%s' takes no value", bare);
        if (len && !strncmp(t->names[i], bare, len) && matches++ < 2)
            two[matches - 1] = t->names[i];
    }
    if (matches > 1)
        return cli_usage_error(spec, "option '%s' is ambiguous: --%s, --%s%s",
                               name, two[0], two[1], matches > 2 ? " ..." : "");
    const char *near = cli_closest(bare, t->names, t->n);
    if (near)
        return cli_usage_error(spec, "unknown option '%s' (did you mean "
                               "'--%s'?)", name, near);
    return cli_usage_error(spec, "unknown option '%s'", name);
}

/* "a b c" as "a, b, c". */
static void choice_list(const char *choices, char *out, size_t n)
{
    size_t k = 0;
    for (const char *c = choices; *c && k + 3 < n; c++) {
        out[k++] = *c == ' ' ? ',' : *c;
        if (*c == ' ')
            out[k++] = ' ';
    }
    out[k] = '\0';
}

/* 1 when arg is one of the option's space-separated choices. */
static int is_choice(const char *choices, const char *arg)
{
    size_t len = strlen(arg);
    for (const char *c = choices; *c;) {
        size_t n = strcspn(c, " ");
        if (n == len && !strncmp(c, arg, n))
            return 1;
        c += n + (c[n] == ' ');
    }
    return 0;
}

static int shared(const cli_spec *spec, cli_args *a, const cli_opt *o,
                  const char *arg)
{
    switch (o->key) {
    case 'o': a->output = arg; return 0;
    case '0': a->null_sep = 1; return 0;
    case CLI_K_FILES_FROM: a->files_from = arg; return 0;
    case CLI_K_GRAMMARS: a->grammars = arg; return 0;
    case CLI_K_FORMAT: a->format = arg; return 0;
    case CLI_K_DB: a->db = arg; return 0;
    case CLI_K_NO_HEADER: a->no_header = 1; return 0;
    default: (void)spec; return 1;
    }
}

static int one(const cli_spec *spec, cli_args *a, const cli_opt *o,
               const char *arg, cli_opt_fn fn, void *ctx)
{
    if (o->choices && !is_choice(o->choices, arg)) {
        char list[256];
        choice_list(o->choices, list, sizeof list);
        return cli_usage_error(spec, "--%s: '%s' is not one of %s", o->name,
                               arg, list);
    }
    if (shared(spec, a, o, arg) == 0)
        return 0;
    return fn ? fn(ctx, o->key, arg) : 0;
}

int cli_parse(const cli_spec *spec, int argc, char **argv, cli_args *a,
              cli_opt_fn fn, void *ctx)
{
    table t;
    build(spec, &t);
    optind = 0; /* 0: glibc starts afresh (a command may parse twice) */
    opterr = 0;
    int key, index;
    while ((index = -1, key = getopt_long(argc, argv, t.shorts, t.longs,
                                          &index)) != -1) {
        const char *word = argv[optind - 1 > 0 ? optind - 1 : 0];
        if (key == '?')
            return unknown(spec, &t, word, optopt);
        if (key == ':') {
            const cli_opt *o = optopt ? by_key(&t, optopt) : NULL;
            char name[256];
            if (o)
                snprintf(name, sizeof name, "--%s", o->name);
            else
                spelled(word, name, sizeof name);
            return cli_usage_error(spec, "option '%s' needs a value", name);
        }
        const cli_opt *o = index >= 0 ? t.by_index[index] : by_key(&t, key);
        if (!o)
            return cli_usage_error(spec, "unknown option");
        if (key == 'h') {
            cli_print_help(spec, stdout);
            return CLI_DONE;
        }
        int rc = one(spec, a, o, optarg, fn, ctx);
        if (rc)
            return rc;
    }
    a->operands = argv + optind;
    a->noperands = argc - optind;
    if (spec->no_operands && a->noperands)
        return cli_usage_error(spec, "unexpected argument '%s'",
                               a->operands[0]);
    return 0;
}

/* ---- --help ------------------------------------------------------------------- */

/* "  -o, --output FILE" or "      --format FMT". */
static int opt_label(const cli_opt *o, char *out, size_t n)
{
    char shortp[8] = "    ";
    if (o->key > 0 && o->key < 128)
        snprintf(shortp, sizeof shortp, "-%c, ", o->key);
    return snprintf(out, n, "  %s--%s%s%s", shortp, o->name,
                    o->arg ? " " : "", o->arg ? o->arg : "");
}

#define HELP_COL 26

static void print_opt(const cli_opt *o, FILE *out)
{
    char label[128];
    int w = opt_label(o, label, sizeof label);
    const char *h = o->help;
    fputs(label, out);
    if (w >= HELP_COL - 1) {
        fputc('\n', out);
        w = 0;
    }
    while (*h) {
        size_t n = strcspn(h, "\n");
        fprintf(out, "%*s%.*s\n", HELP_COL - w, "", (int)n, h);
        w = 0;
        h += n + (h[n] == '\n');
    }
}

void cli_print_help(const cli_spec *spec, FILE *out)
{
    print_synopsis(spec, out, "usage:");
    fprintf(out, "\n%s\n", spec->description);
    /* A table that opens with a heading of its own needs no "Options:". */
    if (spec->opts[0].name)
        fprintf(out, "\nOptions:\n");
    for (const cli_opt *o = spec->opts; o->name || o->help; o++) {
        if (!o->name)
            fprintf(out, "\n%s\n", o->help);
        else
            print_opt(o, out);
    }
    if (spec->notes)
        fprintf(out, "\n%s\n", spec->notes);
}
