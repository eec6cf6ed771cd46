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
/* A filing read, parsed and extracted: where `validate` and `report`
 * start. */
typedef struct cli_filing {
    char *buf; /* the file's bytes, which the filing borrows */
    size_t len;
    e8k_filing *f;
    e8k_records *rec;
} cli_filing;
/* Reads `path` and extracts it with g: EXIT_OK, or the exit code after
 * printing the error. cli_filing_done frees it either way. */
int cli_filing_read(const e8k_grammar *g, const char *path, cli_filing *cf);
void cli_filing_done(cli_filing *cf);
int cmd_text(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_validate(int argc, char **argv);
/* Validates one filing's records (f may be NULL: no filing date) and
 * prints the report as a table or a JSON line; EXIT_CHECK when a check
 * failed (cmd_validate.c, also used by `extract --validate`). */
int cli_validate_report(const e8k_records *rec, const e8k_filing *f,
                        const char *path, int table);
int cmd_report(int argc, char **argv);
/* Writes the review page of a filing to `out` (atomically; NULL: standard
 * output); reports a failure on stderr and returns its exit code
 * (cmd_report.c). */
int cli_report_page(const e8k_filing *f, const e8k_records *r,
                    const e8k_report *rep, const char *out);
/* `ingest --report-dir DIR`: creates DIR when missing (EXIT_OK, else the
 * error is printed and EXIT_IO returned) ... */
int cli_report_dir_make(const char *dir);
/* ... and writes DIR/ACCESSION.html for a stored filing whose checks
 * failed (nothing otherwise), counting the pages in *written. */
int cli_report_dir_page(const char *dir, const char *name, const e8k_filing *f,
                        const e8k_records *r, const e8k_report *rep,
                        size_t *written);

/* ---- The fetch options `fetch` and `ingest` share ----------------------- */

/* Their getopt values, above any command's own. */
enum {
    CLI_O_CIK = 1024, CLI_O_TICKER, CLI_O_QUARTER, CLI_O_DATE,
    CLI_O_ACCESSION, CLI_O_FEED, CLI_O_SINCE, CLI_O_UNTIL, CLI_O_STORE,
    CLI_O_UA, CLI_O_BASE, CLI_O_DATA, CLI_O_RATE
};

/* Their entries, spliced into a command's `struct option` table: the
 * selectors, --since/--until, --store, --user-agent, --base-url,
 * --data-url and --rate. */
#define CLI_FETCH_LONG_OPTS                                                   \
    {"cik", 1, 0, CLI_O_CIK}, {"ticker", 1, 0, CLI_O_TICKER},                 \
    {"quarter", 1, 0, CLI_O_QUARTER}, {"date", 1, 0, CLI_O_DATE},             \
    {"accession", 1, 0, CLI_O_ACCESSION}, {"feed", 1, 0, CLI_O_FEED},         \
    {"since", 1, 0, CLI_O_SINCE}, {"until", 1, 0, CLI_O_UNTIL},               \
    {"store", 1, 0, CLI_O_STORE}, {"user-agent", 1, 0, CLI_O_UA},             \
    {"base-url", 1, 0, CLI_O_BASE}, {"data-url", 1, 0, CLI_O_DATA},           \
    {"rate", 1, 0, CLI_O_RATE}

/* A non-negative finite number (seconds may have a fraction); -1 after
 * printing "edgar8k CMD: OPT: expected a non-negative number ...". */
double cli_number(const char *cmd, const char *opt, const char *s);
/* Applies the shared fetch option `o` to opt and q. 1 when `o` is not one
 * of them, 0 when applied, -1 for a bad value (already reported). */
int cli_fetch_option(const char *cmd, int o, const char *arg,
                     e8k_fetch_options *opt, e8k_fetch_query *q);
/* The User-Agent for fetching: *ua when given, else $EDGAR8K_USER_AGENT,
 * else the config file's (then malloc'ed into *owned, which the caller
 * frees). EXIT_OK, or EXIT_USAGE after printing how to declare one (and
 * *owned is then NULL). */
int cli_user_agent(const char *cmd, const char **ua, char **owned);

#endif /* E8K_CLI_H */
