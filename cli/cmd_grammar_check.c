/* SPDX-License-Identifier: MIT */
/* cmd_grammar_check.c: `edgar8k grammar-check`: loads a grammar directory
 * (schema, defines, JIT compilation, duplicate ids), runs every rule's
 * examples and times every pattern on adversarial subjects. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum { O_MAX_MS = CLI_K_FIRST_OWN, O_SIZE };

static const cli_opt grammar_check_opts[] = {
    CLI_OPT_GRAMMARS,
    {"max-ms", O_MAX_MS, "MS", NULL,
     "fail a pattern slower than MS milliseconds of CPU\n"
     "time on one subject (best of three runs, of up to\n"
     "seven when over; default 10)"},
    {"size", O_SIZE, "BYTES", NULL,
     "bytes of each adversarial subject (default 1000000)"},
    {"verbose", 'v', NULL, NULL, "print the checks that pass as well"},
    CLI_OPT_HELP, {0}};

typedef struct check_ctx {
    int verbose;
    size_t fails;
} check_ctx;

static void on_finding(void *vctx, const char *rule, const char *file,
                       long line, int ok, const char *what, double ms)
{
    check_ctx *c = vctx;
    (void)ms;
    if (!ok)
        c->fails++;
    if (ok && !c->verbose)
        return;
    fprintf(ok ? stdout : stderr, "%s %s:%ld [%s] %s\n", ok ? "ok" : "FAIL",
            file, line, rule, what);
}

typedef struct gc_cli {
    const cli_spec *spec;
    double max_ms;
    size_t size;
    check_ctx ctx;
} gc_cli;

static int gc_opt(void *vctx, int key, const char *arg)
{
    gc_cli *c = vctx;
    if (key == 'v') {
        c->ctx.verbose = 1;
        return 0;
    }
    double v = cli_number(c->spec, key == O_MAX_MS ? "max-ms" : "size", arg);
    if (v < 0)
        return EXIT_USAGE;
    if (key == O_MAX_MS)
        c->max_ms = v;
    else
        c->size = (size_t)v;
    return 0;
}

static int run_grammar_check(const cli_spec *spec, int argc, char **argv)
{
    gc_cli c = {spec, 10, 1000000, {0, 0}};
    cli_args a = {0};
    int rc = cli_parse(spec, argc, argv, &a, gc_opt, &c);
    if (rc)
        return rc == CLI_DONE ? EXIT_OK : rc;
    int code;
    e8k_grammar *g = cli_load_grammar(a.grammars, &code);
    if (!g)
        return code;
    size_t fails = 0;
    e8k_status st = e8k_grammar_check(g, c.max_ms, c.size, on_finding,
                                      &c.ctx, &fails);
    printf("grammar-check: %zu rules, %zu failures\n",
           e8k_grammar_rule_count(g), fails);
    e8k_grammar_free(g);
    return st == E8K_OK ? EXIT_OK : cli_exit_code(st);
}

const cli_spec cli_grammar_check_spec = {
    "grammar-check", "check the rule files: schema, examples, timing",
    "[OPTIONS]",
    "Validates every rule file of the grammar directory against its\n"
    "grammar.xsd, expands the {define} building blocks, compiles every\n"
    "pattern with JIT, rejects duplicate rule ids, runs each rule's <match>\n"
    "and <nomatch> examples, and times each pattern against adversarial\n"
    "subjects (runs of digits, commas, spaces...).",
    grammar_check_opts,
    "Exit status: 0 when everything passes, 1 when a check fails, 2 bad\n"
    "command line, 9 when a grammar file is invalid.",
    run_grammar_check, 1};
