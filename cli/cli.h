/* cli.h: what the edgar8k command's subcommands share: the command table
 * entry, the documented exit codes and the mapping from library statuses. */
#ifndef E8K_CLI_H
#define E8K_CLI_H

#include "edgar8k.h"

#include <stdio.h>

/* Exit codes, documented in `edgar8k --help` and the README. */
enum {
    EXIT_OK = 0,       /* success */
    EXIT_CHECK = 1,    /* a validation check failed */
    EXIT_USAGE = 2,    /* bad command line */
    EXIT_INPUT = 3,    /* an input is empty, binary, truncated or malformed */
    EXIT_LIMIT = 4,    /* an input exceeds a limit */
    EXIT_IO = 5,       /* a file could not be read or written */
    EXIT_NOMEM = 6,    /* out of memory */
    EXIT_NETWORK = 7,  /* fetching failed */
    EXIT_DATABASE = 8, /* a database operation failed */
    EXIT_GRAMMAR = 9   /* a grammar file is invalid */
};

typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
} cli_command;

/* The exit code for a library status. */
int cli_exit_code(e8k_status status);
/* Prints "edgar8k: FILE:LINE: byte OFFSET: MESSAGE" (one line) to stderr. */
void cli_print_error(const e8k_error *err);
/* The worse of two exit codes (the higher-priority failure wins). */
int cli_worse(int a, int b);

int cmd_parse(int argc, char **argv);
int cmd_fetch(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_grammar_check(int argc, char **argv);

/* The grammar directory: `opt` when given, else $E8K_GRAMMARS, else the
 * grammars/ directory of the source tree the binary was built in (found
 * from the binary's path), else the installed set. */
const char *cli_grammar_dir(const char *opt, char *buf, size_t n);
/* Loads the grammar of --grammars `opt` (or the default); on failure prints
 * the error, sets *code to the exit code and returns NULL. */
e8k_grammar *cli_load_grammar(const char *opt, int *code);
int cmd_text(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_validate(int argc, char **argv);
/* Validates one filing's records (f may be NULL: no filing date) and
 * prints the report as a table or a JSON line; EXIT_CHECK when a check
 * failed (cmd_validate.c, also used by `extract --validate`). */
int cli_validate_report(const e8k_records *rec, const e8k_filing *f,
                        const char *path, int table);

#endif /* E8K_CLI_H */
