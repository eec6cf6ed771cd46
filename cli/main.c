/* SPDX-License-Identifier: MIT */
/* main.c: the edgar8k command: dispatches to subcommands, prints the
 * program's --help and --version, suggests the command meant by a typo,
 * and fails the run when standard output could not be written. It uses
 * only edgar8k.h. */
#include "cli.h"

#include <string.h>

static void usage(FILE *out)
{
    fprintf(out, "usage: edgar8k COMMAND [OPTIONS] [FILE...]\n"
                 "       edgar8k --version\n\n%s\n\nCommands:\n",
            cli_description);
    for (size_t i = 0; i < cli_ncommands; i++)
        fprintf(out, "  %-14s %s\n", cli_commands[i]->name,
                cli_commands[i]->summary);
    fprintf(out, "\nRun 'edgar8k COMMAND --help' for a command's options.\n"
                 "\nEnvironment:\n");
    for (size_t i = 0; i < cli_nenvs; i++) {
        const char *m = cli_envs[i].meaning;
        for (int first = 1; *m; first = 0) {
            size_t n = strcspn(m, "\n");
            fprintf(out, "  %-20s%.*s\n", first ? cli_envs[i].name : "",
                    (int)n, m);
            m += n + (m[n] == '\n');
        }
    }
    fprintf(out, "\nExit status:\n");
    for (size_t i = 0; i < cli_nexits; i++)
        fprintf(out, "  %d  %s\n", cli_exits[i].code, cli_exits[i].meaning);
    fprintf(out, "When several files fail, the status of the most serious "
                 "failure is returned;\nthe other files are still "
                 "processed.\n");
}

/* Names what produced the output as well as the program: the records'
 * schema and the rules a run with no --grammars would load. */
static int version(void)
{
    char buf[4096], fp[17];
    const char *dir = cli_grammar_dir(NULL, buf, sizeof buf);
    printf("edgar8k %s\nrecords schema %d\n", E8K_VERSION,
           E8K_RECORDS_SCHEMA_VERSION);
    if (cli_grammar_fingerprint(dir, fp) == 0)
        printf("grammars %s (%s)\n", fp, dir);
    else
        printf("grammars none found (looked in %s)\n", dir);
    return EXIT_OK;
}

static int unknown_command(const char *name)
{
    const char *names[32];
    size_t n = 0;
    for (size_t i = 0; i < cli_ncommands && n < 32; i++)
        names[n++] = cli_commands[i]->name;
    const char *near = cli_closest(name, names, n);
    if (name[0] == '-')
        fprintf(stderr, "edgar8k: unknown option '%s'\n", name);
    else if (near)
        fprintf(stderr, "edgar8k: unknown command '%s' (did you mean "
                "'%s'?)\n", name, near);
    else
        fprintf(stderr, "edgar8k: unknown command '%s'\n", name);
    fprintf(stderr, "usage: edgar8k COMMAND [OPTIONS] [FILE...]\n"
                    "See 'edgar8k --help'.\n");
    return EXIT_USAGE;
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "edgar8k: no command given\n"
                        "usage: edgar8k COMMAND [OPTIONS] [FILE...]\n"
                        "See 'edgar8k --help'.\n");
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") ||
        !strcmp(name, "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "version"))
        return version();
    for (size_t i = 0; i < cli_ncommands; i++)
        if (!strcmp(name, cli_commands[i]->name))
            return cli_commands[i]->run(cli_commands[i], argc - 1, argv + 1);
    return unknown_command(name);
}

int main(int argc, char **argv)
{
    return cli_stdout_close(run(argc, argv));
}
