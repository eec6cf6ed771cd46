/* main.c: the edgar8k command: dispatches to subcommands and maps library
 * statuses to the documented exit codes. It uses only edgar8k.h. */
#include "cli.h"

#include <string.h>

static const cli_command commands[] = {
    {"parse", "read filings into header, documents, items and text", cmd_parse},
    {"fetch", "download filings from EDGAR into a local store", cmd_fetch},
    {"extract", "extract offering terms, parties, warrant clauses, facts",
     cmd_extract},
    {"grammar-check", "check the rule files: schema, examples, timing",
     cmd_grammar_check},
    {"text", "print the normalized text of one document body", cmd_text},
    {"ingest", "parse, extract, validate and store filings in a database",
     cmd_ingest},
    {"export", "write a database's rows as JSON Lines or CSV", cmd_export},
    {"validate", "check extracted figures against each other", cmd_validate},
    {"report", "write a filing's review page: terms, checks, marked text",
     cmd_report},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    fprintf(out,
            "usage: edgar8k COMMAND [OPTIONS] [FILE...]\n"
            "\n"
            "Turns SEC EDGAR 8-K filings into checked, structured deal data.\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-13s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "Run `edgar8k COMMAND --help` for a command's options.\n"
            "\n"
            "Exit status:\n"
            "  0  success\n"
            "  1  a validation check failed\n"
            "  2  bad command line\n"
            "  3  an input is empty, binary, truncated or malformed\n"
            "  4  an input exceeds a limit (size, nesting, attributes)\n"
            "  5  a file could not be read or written\n"
            "  6  out of memory\n"
            "  7  fetching failed\n"
            "  8  a database operation failed\n"
            "  9  a grammar file is invalid\n"
            "When several files fail, the status of the most serious failure\n"
            "is returned; the other files are still processed.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") ||
        !strcmp(name, "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(name, "--version")) {
        printf("edgar8k %s\n", E8K_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(name, commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "edgar8k: unknown command '%s'\n", name);
    usage(stderr);
    return EXIT_USAGE;
}
