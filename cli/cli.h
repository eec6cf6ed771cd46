/* SPDX-License-Identifier: MIT */
/* cli.h: what the edgar8k command's subcommands share: the documented exit
 * codes, the command and option tables that --help, the man page and the
 * bash completion are all generated from, the one option parser, the
 * inputs (operands and --files-from), the checked output, and the mapping
 * from library statuses. */
#ifndef E8K_CLI_H
#define E8K_CLI_H

#include "edgar8k.h"

#include <stdio.h>

/* Exit codes; their wording is cli_exits[] (commands.c). */
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

typedef struct cli_exit {
    int code;
    const char *meaning;
} cli_exit;

extern const cli_exit cli_exits[];
extern const size_t cli_nexits;

/* ---- Commands and their options (one source for --help, man, completion) */

/* One option. A `name` of NULL with a `help` is a heading that groups the
 * options after it; {0} ends the table. */
typedef struct cli_opt {
    const char *name;    /* long name, without "--" */
    int key;             /* its short letter, or an id >= 256 */
    const char *arg;     /* placeholder of its value ("FILE"), NULL: none */
    const char *choices; /* the values accepted, space-separated, or NULL */
    const char *help;    /* lines separated by \n */
} cli_opt;

typedef struct cli_spec cli_spec;
struct cli_spec {
    const char *name;
    const char *summary;     /* one line, for the list of commands */
    const char *synopsis;    /* after "edgar8k NAME "; forms separated by \n */
    const char *description; /* paragraphs separated by a blank line; a line
                                indented by two spaces is shown as is */
    const cli_opt *opts;
    const char *notes;       /* after the options (examples, exit status) */
    int (*run)(const cli_spec *spec, int argc, char **argv);
    int no_operands; /* 1: takes options only (cli_parse refuses others) */
};

/* The commands, in the order --help lists them (commands.c). */
extern const cli_spec *const cli_commands[];
extern const size_t cli_ncommands;
/* The top-level description, for --help and the man page. */
extern const char cli_description[];

/* The environment variables edgar8k reads. */
typedef struct cli_env {
    const char *name;
    const char *meaning; /* lines separated by \n */
} cli_env;
extern const cli_env cli_envs[];
extern const size_t cli_nenvs;

extern const cli_spec cli_parse_spec, cli_fetch_spec, cli_extract_spec,
    cli_grammar_check_spec, cli_text_spec, cli_ingest_spec, cli_export_spec,
    cli_validate_spec, cli_report_spec;

/* Ids of the options several commands share (their entries below). */
enum {
    CLI_K_FILES_FROM = 256, CLI_K_GRAMMARS, CLI_K_FORMAT, CLI_K_DB,
    CLI_K_NO_HEADER, CLI_K_FIRST_OWN /* a command's own ids start here */
};

#define CLI_OPT_HELP {"help", 'h', NULL, NULL, "show this help and exit"}
#define CLI_OPT_OUTPUT                                                        \
    {"output", 'o', "FILE", NULL,                                             \
     "write to FILE instead of standard output: a temporary\n"              \
     "file beside it, renamed over it once everything is\n"                 \
     "written, so FILE is whole or left as it was"}
#define CLI_OPT_FILES_FROM                                                    \
    {"files-from", CLI_K_FILES_FROM, "LIST", NULL,                            \
     "read more input names from the file LIST, one per\n"                  \
     "line (- for standard input); the operands come first"}
#define CLI_OPT_NULL                                                          \
    {"null", '0', NULL, NULL,                                                 \
     "names in --files-from end with a NUL byte, not a\n"                   \
     "newline (as find -print0 writes them)"}
#define CLI_OPT_GRAMMARS                                                      \
    {"grammars", CLI_K_GRAMMARS, "DIR", NULL,                                 \
     "the rule files to use (default: $E8K_GRAMMARS, else\n"               \
     "the grammars/ of the source tree the binary was built\n"              \
     "in, else PREFIX/share/edgar8k/grammars)"}
#define CLI_OPT_DB                                                            \
    {"db", CLI_K_DB, "URL", NULL,                                             \
     "sqlite:PATH, a plain PATH (SQLite), or\n"                              \
     "postgres://user@host:port/db (default: edgar8k.db)"}
#define CLI_OPT_NO_HEADER                                                     \
    {"no-header", CLI_K_NO_HEADER, NULL, NULL,                                \
     "csv: leave out the header line (when several\n"                       \
     "processes append to one file)"}

/* What the shared options set; the parser fills it. */
typedef struct cli_args {
    const char *output;     /* -o FILE, or NULL: standard output */
    const char *files_from; /* --files-from LIST */
    int null_sep;           /* -0 */
    const char *grammars;
    const char *format;     /* --format, checked against its choices */
    const char *db;
    int no_header;
    char **operands;
    int noperands;
} cli_args;

/* Handles a command's own option `key` (arg NULL for a flag): 0, or the
 * exit code after reporting a bad value (cli_usage_error). */
typedef int (*cli_opt_fn)(void *ctx, int key, const char *arg);

/* Stops with EXIT_OK once --help has been printed. */
#define CLI_DONE (-1)

/* Parses argv (argv[0] is the command name) against spec->opts: long
 * options with "=" or a separate value, options before or after the
 * operands, "--" ending them. Returns 0, CLI_DONE after --help, or
 * EXIT_USAGE after one error line, the usage and where to read more. */
int cli_parse(const cli_spec *spec, int argc, char **argv, cli_args *a,
              cli_opt_fn fn, void *ctx);
/* Reports a bad command line in the one wording every command uses:
 * "edgar8k CMD: MESSAGE", the synopsis and "See 'edgar8k CMD --help'." */
int cli_usage_error(const cli_spec *spec, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints a command's --help (to `out`). */
void cli_print_help(const cli_spec *spec, FILE *out);
/* The closest of `n` names to `word` when it is a plausible typo, else
 * NULL ("did you mean"). */
const char *cli_closest(const char *word, const char *const *names,
                        size_t n);
/* A non-negative finite number (seconds may have a fraction), or -1 after
 * reporting the bad value of option `opt`. */
double cli_number(const cli_spec *spec, const char *opt, const char *s);

/* ---- Inputs: the operands, then the names of --files-from ---------------- */

typedef struct cli_inputs {
    const cli_spec *spec;
    char **operands;
    int noperands, next;
    FILE *list; /* --files-from, or NULL */
    const char *list_name;
    int sep;
    char *line;
    size_t cap;
    int failed; /* reading the list failed (reported) */
} cli_inputs;

/* EXIT_OK, or an exit code after reporting: no input at all, a list that
 * cannot be opened, "-" both an operand and the list. `min` is the number
 * of inputs the command needs when there is no list (0 or 1). */
int cli_inputs_open(cli_inputs *in, const cli_spec *spec, const cli_args *a,
                    int min);
/* The next input's name, or NULL when there is none left. */
const char *cli_inputs_next(cli_inputs *in);
/* Closes the list; EXIT_IO when reading it failed, else EXIT_OK. */
int cli_inputs_close(cli_inputs *in);

/* ---- Output: checked, one write per record -------------------------------- */

/* Output goes to standard output or, with -o, to a temporary file renamed
 * over FILE at cli_out_close. Text is gathered into the current record and
 * leaves in one write(2) at cli_out_record, so that records of concurrent
 * processes appending to one file or pipe never interleave (on a pipe,
 * under a lock on the pipe that every edgar8k process takes). Every write
 * is checked: the first failure is reported once and later output is
 * dropped. */
int cli_out_open(const cli_spec *spec, const char *path);
void cli_out_write(const char *s, size_t n);
void cli_out_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, returning the bytes added (for columns). */
int cli_out_printf_width(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* Writes the record gathered so far; 0, or -1 once a write has failed. */
int cli_out_record(void);
/* Bytes gathered and not yet written. */
size_t cli_out_pending(void);
/* Whether every write so far succeeded. */
int cli_out_ok(void);
/* Writes what is left, closes and renames into place (or removes the
 * temporary file when a write failed); returns `code`, or EXIT_IO when
 * output was lost. */
int cli_out_close(int code);
/* After a command: standard output written through stdio (summaries,
 * help, listings) is flushed and closed, and a failure reported; returns
 * `code` or EXIT_IO (main.c). */
int cli_stdout_close(int code);

/* ---- Library statuses ----------------------------------------------------- */

/* The exit code for a library status. */
int cli_exit_code(e8k_status status);
/* Prints "edgar8k: FILE:LINE: byte OFFSET: MESSAGE" (one line) to stderr. */
void cli_print_error(const e8k_error *err);
/* The worse of two exit codes (the higher-priority failure wins). */
int cli_worse(int a, int b);

/* The grammar directory: `opt` when given, else $E8K_GRAMMARS, else the
 * grammars/ directory of the source tree the binary was built in, else the
 * installed set beside the binary (BINDIR/../share/edgar8k/grammars), else
 * the one of the prefix it was built for. */
const char *cli_grammar_dir(const char *opt, char *buf, size_t n);
/* A fingerprint of the rule files of `dir` (names and bytes of its *.xml
 * and *.xsd), as 16 hex digits: the grammars' version in --version. -1
 * when there are none or one cannot be read. */
int cli_grammar_fingerprint(const char *dir, char out[17]);
/* Loads the grammar of --grammars `opt` (or the default); on failure prints
 * the error, sets *code to the exit code and returns NULL. */
e8k_grammar *cli_load_grammar(const char *opt, int *code);

/* How the commands that read filings begin: their inputs, the grammar
 * (when g is not NULL) and their output. EXIT_OK, or the exit code after
 * reporting, with nothing left open. */
int cli_begin(const cli_spec *spec, const cli_args *a, cli_inputs *in,
              e8k_grammar **g);
/* ... and end: the list and the grammar closed, the output written;
 * returns rc or the worse code of a failure on the way. */
int cli_end(cli_inputs *in, e8k_grammar *g, int rc);
/* A filing read, parsed and extracted: where `extract`, `validate` and
 * `report` start. */
typedef struct cli_filing {
    char *buf; /* the file's bytes, which the filing borrows */
    size_t len;
    e8k_filing *f; /* NULL for a text read alone */
    e8k_records *rec;
} cli_filing;
/* Reads `path` and extracts it with g: EXIT_OK, or the exit code after
 * printing the error. cli_filing_done frees it either way. */
int cli_filing_read(const e8k_grammar *g, const char *path, cli_filing *cf);
/* The same, reading the file as one normalized text (a document of type
 * 8-K, no filing) when `as_text`. */
int cli_filing_read_as(const e8k_grammar *g, const char *path, int as_text,
                       cli_filing *cf);
void cli_filing_done(cli_filing *cf);
/* "FILE (ACCESSION, COMPANY, FORM filed DATE)", the filing as a reader
 * recognises it, into the current output record (FILE alone without a
 * header). */
void cli_filing_title(const e8k_filing *f, const char *path);
/* Validates one filing's records (f may be NULL: no filing date) and adds
 * the report to the current output record, as a table or a JSON line;
 * EXIT_CHECK when a check failed, or with `strict` when one warned
 * (cmd_validate.c; extract --validate). */
int cli_validate_report(const e8k_records *rec, const e8k_filing *f,
                        const char *path, int table, int strict);

/* Writes the review page of a filing to `out` (atomically; NULL: standard
 * output); reports a failure on stderr and returns its exit code
 * (cmd_report.c). */
int cli_report_page(const e8k_filing *f, const e8k_records *r,
                    const e8k_report *rep, const char *out);
/* `ingest --report-dir`: creates DIR when missing (EXIT_OK, else the error
 * is printed and EXIT_IO returned) ... */
int cli_report_dir_make(const char *dir);
/* ... and writes DIR/ACCESSION.html for a stored filing whose checks
 * failed (nothing otherwise), counting the pages in *written. */
int cli_report_dir_page(const char *dir, const char *name, const e8k_filing *f,
                        const e8k_records *r, const e8k_report *rep,
                        size_t *written);

/* ---- The fetch options `fetch` and `ingest` share ----------------------- */

enum {
    CLI_O_CIK = 1024, CLI_O_TICKER, CLI_O_QUARTER, CLI_O_DATE,
    CLI_O_ACCESSION, CLI_O_FEED, CLI_O_SINCE, CLI_O_UNTIL, CLI_O_STORE,
    CLI_O_UA, CLI_O_BASE, CLI_O_DATA, CLI_O_RATE, CLI_O_FORM, CLI_O_SEARCH,
    CLI_O_ITEMS, CLI_O_LIMIT, CLI_O_EFTS
};

#define CLI_FETCH_SELECTORS                                                   \
    {"cik", CLI_O_CIK, "N", NULL,                                             \
     "a company's filings (data.sec.gov submissions JSON,\n"                \
     "with its paged history); repeatable, comma-separated,\n"             \
     "or @FILE (CIKs one a line); an unknown one is named\n"               \
     "and the others fetched"},                                               \
    {"ticker", CLI_O_TICKER, "T", NULL,                                       \
     "the same, found through company_tickers.json;\n"                      \
     "repeatable, comma-separated"},                                          \
    {"search", CLI_O_SEARCH, "QUERY", NULL,                                   \
     "EDGAR full-text search: the filings whose documents\n"               \
     "match QUERY (words, \"a phrase\", OR, -word), since\n"              \
     "2001 unless --since; with --cik or --ticker only\n"                   \
     "theirs; a range matching over 10,000 documents is\n"                 \
     "split until each part is under the service's cap"},                  \
    {"quarter", CLI_O_QUARTER, "YYYY-QN", NULL,                               \
     "full-index form.idx of a quarter (e.g. 2024-Q1)"},                     \
    {"date", CLI_O_DATE, "YYYY-MM-DD", NULL,                                  \
     "daily-index form.YYYYMMDD.idx of a day"},                              \
    {"accession", CLI_O_ACCESSION, "A", NULL,                                 \
     "one filing (0000320193-99-000010); add --cik when it\n"               \
     "was filed by an agent under another CIK"},                             \
    {"feed", CLI_O_FEED, "YYYY-MM-DD", NULL,                                  \
     "that day's Feed tarball, streamed, keeping the .nc\n"                 \
     "files of the selected forms"}

#define CLI_FETCH_FILTERS                                                     \
    {"form", CLI_O_FORM, "F", NULL,                                           \
     "form type, repeatable or comma-separated\n"                           \
     "(default: 8-K,8-K/A)"},                                                 \
    {"since", CLI_O_SINCE, "YYYY-MM-DD", NULL,                                \
     "filed on that day or later"},                                           \
    {"until", CLI_O_UNTIL, "YYYY-MM-DD", NULL,                                \
     "filed on that day or earlier"},                                         \
    {"items", CLI_O_ITEMS, "LIST", NULL,                                      \
     "8-K items, comma-separated (1.01,3.02,8.01): only\n"                 \
     "filings stating one of them; known before download\n"                \
     "for --cik, --ticker and --search, read from each\n"                   \
     "filing's header (ITEM INFORMATION) after it for\n"                    \
     "--quarter, --date, --accession and --feed"},                           \
    {"limit", CLI_O_LIMIT, "N", NULL,                                         \
     "only the latest N filings that match (by filing\n"                    \
     "date; with --feed the first N of the day's tarball)"}

#define CLI_FETCH_SERVERS                                                     \
    {"store", CLI_O_STORE, "DIR", NULL,                                       \
     "where filings go: DIR/CIK/ACCESSIONNODASH/ACCESSION.txt\n"            \
     "(.nc from a Feed) and ACCESSION.json (index entry,\n"                 \
     "size, sha256)"},                                                        \
    {"user-agent", CLI_O_UA, "UA", NULL,                                      \
     "\"Name email@domain\", required by the SEC; else\n"                   \
     "$EDGAR8K_USER_AGENT, else the line\n"                                  \
     "user-agent = Name email@domain in\n"                                   \
     "~/.config/edgar8k/config"},                                             \
    {"base-url", CLI_O_BASE, "URL", NULL,                                     \
     "www.sec.gov or a mirror of its layout\n"                              \
     "(default https://www.sec.gov)"},                                        \
    {"data-url", CLI_O_DATA, "URL", NULL,                                     \
     "data.sec.gov or a mirror (default\n"                                   \
     "https://data.sec.gov, or --base-url when only that\n"                 \
     "is given)"},                                                            \
    {"efts-url", CLI_O_EFTS, "URL", NULL,                                     \
     "efts.sec.gov (full-text search, URL/LATEST/\n"                        \
     "search-index) or a mirror of its answers (default\n"                 \
     "https://efts.sec.gov, or --base-url when only that\n"                \
     "is given)"},                                                            \
    {"rate", CLI_O_RATE, "R", NULL,                                           \
     "requests per second, all transfers together (default\n"              \
     "8; more than 10 is refused); all edgar8k processes\n"                 \
     "of the user together stay within 10/s through a\n"                    \
     "state file (default $XDG_RUNTIME_DIR/edgar8k/rate;\n"                 \
     "$E8K_RATE_FILE to choose another)"}

/* The values of a repeatable, comma-separated option. */
typedef struct cli_list {
    const char **v;
    size_t n, cap;
    char **owned; /* copies the values point into */
    size_t nowned, capowned;
} cli_list;

/* What the shared fetch options gather besides opt and q. */
typedef struct cli_fetch_lists {
    cli_list forms, ciks, tickers, items;
} cli_fetch_lists;

/* Applies the shared fetch option `key` to opt, q and the lists: 1 when
 * `key` is not one of them, 0 when applied, else the exit code for a bad
 * value (already reported). */
int cli_fetch_option(const cli_spec *spec, int key, const char *arg,
                     e8k_fetch_options *opt, e8k_fetch_query *q,
                     cli_fetch_lists *l);
/* Points q at the lists gathered (once the command line is read). */
void cli_fetch_lists_apply(cli_fetch_lists *l, e8k_fetch_query *q);
void cli_fetch_lists_free(cli_fetch_lists *l);
/* The User-Agent for fetching: *ua when given, else $EDGAR8K_USER_AGENT,
 * else the config file's (then malloc'ed into *owned, which the caller
 * frees). EXIT_OK, or EXIT_USAGE after printing how to declare one (and
 * *owned is then NULL). */
int cli_user_agent(const char *cmd, const char **ua, char **owned);

#endif /* E8K_CLI_H */
