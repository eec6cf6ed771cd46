/* cmd_grammar_check.c: `edgar8k grammar-check`: loads a grammar directory
 * (schema, defines, JIT compilation, duplicate ids), runs every rule's
 * examples and times every pattern on adversarial subjects. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void grammar_check_usage(FILE *out)
{
    fprintf(out,
            "usage: edgar8k grammar-check [--grammars DIR] [--max-ms MS]\n"
            "                             [--size BYTES] [--verbose]\n"
            "\n"
            "Validates every rule file of DIR against DIR/grammar.xsd, expands\n"
            "the {define} building blocks, compiles every pattern with JIT,\n"
            "rejects duplicate rule ids, runs each rule's <match> and <nomatch>\n"
            "examples, and times each pattern against subjects of BYTES bytes\n"
            "(runs of digits, commas, spaces...; default 1000000), failing a\n"
            "pattern slower than MS milliseconds of CPU time on one (best of\n"
            "three runs, of up to seven when over; default 10).\n"
            "Exit status 0 when everything passes, 1 when a check fails,\n"
            "9 when a grammar file is invalid.\n");
}

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

int cmd_grammar_check(int argc, char **argv)
{
    const char *dir = NULL;
    double max_ms = 10;
    size_t size = 1000000;
    check_ctx ctx = {0, 0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            grammar_check_usage(stdout);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--grammars") && i + 1 < argc) {
            dir = argv[++i];
        } else if (!strcmp(argv[i], "--max-ms") && i + 1 < argc) {
            max_ms = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--size") && i + 1 < argc) {
            size = (size_t)strtoull(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v")) {
            ctx.verbose = 1;
        } else {
            grammar_check_usage(stderr);
            return EXIT_USAGE;
        }
    }
    int code;
    e8k_grammar *g = cli_load_grammar(dir, &code);
    if (!g)
        return code;
    size_t fails = 0;
    e8k_status st = e8k_grammar_check(g, max_ms, size, on_finding, &ctx, &fails);
    printf("grammar-check: %zu rules, %zu failures\n",
           e8k_grammar_rule_count(g), fails);
    e8k_grammar_free(g);
    return st == E8K_OK ? EXIT_OK : cli_exit_code(st);
}
