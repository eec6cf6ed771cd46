/* common.c: what every subcommand shares: the mapping from library
 * statuses to exit codes, the one-line error format, and finding and
 * loading the grammar files. */
#include "cli.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_exit_code(e8k_status status)
{
    switch (status) {
    case E8K_OK: return EXIT_OK;
    case E8K_ERR_CHECK: return EXIT_CHECK;
    case E8K_ERR_USAGE: return EXIT_USAGE;
    case E8K_ERR_EMPTY:
    case E8K_ERR_BINARY:
    case E8K_ERR_TRUNCATED:
    case E8K_ERR_MALFORMED: return EXIT_INPUT;
    case E8K_ERR_LIMIT: return EXIT_LIMIT;
    case E8K_ERR_IO: return EXIT_IO;
    case E8K_ERR_NOMEM: return EXIT_NOMEM;
    case E8K_ERR_NETWORK: return EXIT_NETWORK;
    case E8K_ERR_DATABASE: return EXIT_DATABASE;
    case E8K_ERR_GRAMMAR: return EXIT_GRAMMAR;
    }
    return EXIT_INPUT;
}

int cli_worse(int a, int b)
{
    /* Any failure beats success; among failures the higher code wins,
     * except that a failed check (1) never hides an operational error. */
    return a > b ? a : b;
}

void cli_print_error(const e8k_error *err)
{
    fprintf(stderr, "edgar8k: ");
    if (err->file[0])
        fprintf(stderr, "%s:", err->file);
    if (err->line)
        fprintf(stderr, "%zu:", err->line);
    if (err->offset != E8K_NO_OFFSET)
        fprintf(stderr, " byte %zu:", err->offset);
    if (err->rule[0])
        fprintf(stderr, " [%s]", err->rule);
    fprintf(stderr, " %s: %s\n", e8k_status_string(err->status),
            err->message);
}

static int dir_has_schema(const char *dir)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/grammar.xsd", dir);
    return access(p, R_OK) == 0;
}

const char *cli_grammar_dir(const char *opt, char *buf, size_t n)
{
    if (opt)
        return opt;
    const char *env = getenv("E8K_GRAMMARS");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (l > 0) {
        exe[l] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        /* build/edgar8k and build/asan/edgar8k both sit under the tree */
        static const char *const ups[] = {"/../grammars", "/../../grammars"};
        for (size_t i = 0; i < 2; i++) {
            snprintf(buf, n, "%s%s", exe, ups[i]);
            if (dir_has_schema(buf))
                return buf;
        }
    }
    if (dir_has_schema("grammars"))
        return "grammars";
    return "/usr/local/share/edgar8k/grammars";
}

e8k_grammar *cli_load_grammar(const char *opt, int *code)
{
    char buf[4096];
    e8k_grammar *g = NULL;
    e8k_error err;
    e8k_error_clear(&err);
    e8k_status st = e8k_grammar_load(cli_grammar_dir(opt, buf, sizeof buf),
                                     &g, &err);
    *code = cli_exit_code(st);
    if (st != E8K_OK)
        cli_print_error(&err);
    return g;
}
