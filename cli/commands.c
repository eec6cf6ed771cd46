/* SPDX-License-Identifier: MIT */
/* commands.c: the tables the whole command line is described by: the
 * commands in the order --help lists them, the exit codes, the program's
 * description and environment. `edgar8k --help`, each command's --help,
 * the man page edgar8k(1) and the bash completion are generated from these
 * and the commands' option tables (tools/gen-docs.c), and the README's
 * exit-code table is tested against them. */
#include "cli.h"

const cli_exit cli_exits[] = {
    {EXIT_OK, "success"},
    {EXIT_CHECK, "a validation check failed"},
    {EXIT_USAGE, "bad command line"},
    {EXIT_INPUT, "an input is empty, binary, truncated or malformed"},
    {EXIT_LIMIT, "an input exceeds a limit (size, nesting, attributes)"},
    {EXIT_IO, "a file could not be read or written"},
    {EXIT_NOMEM, "out of memory"},
    {EXIT_NETWORK, "fetching failed"},
    {EXIT_DATABASE, "a database operation failed"},
    {EXIT_GRAMMAR, "a grammar file is invalid"},
};
const size_t cli_nexits = sizeof cli_exits / sizeof cli_exits[0];

const cli_spec *const cli_commands[] = {
    &cli_parse_spec,   &cli_extract_spec, &cli_validate_spec,
    &cli_text_spec,    &cli_fetch_spec,   &cli_ingest_spec,
    &cli_report_spec,  &cli_export_spec,  &cli_grammar_check_spec,
};
const size_t cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];

const char cli_description[] =
    "Turns SEC EDGAR 8-K filings into checked, structured deal data: reads\n"
    "filings in every EDGAR dialect, extracts offering terms, fees, parties,\n"
    "warrant clauses and facts with their provenance (document, byte span,\n"
    "matched text, rule), checks the figures against each other, and stores\n"
    "them in SQLite or PostgreSQL.\n"
    "\n"
    "Every command that reads files takes - for standard input, pipes and\n"
    "process substitutions, and --files-from LIST for lists of names; every\n"
    "write is checked, and each record leaves in one write, so that\n"
    "processes run by xargs -P or GNU parallel can share one output:\n"
    "\n"
    "  find filings -name '*.txt' -print0 |\n"
    "      xargs -0 -n 50 -P 4 edgar8k extract >records.jsonl\n"
    "  parallel -j 4 -X edgar8k extract ::: filings/*.txt >records.jsonl\n"
    "  curl -s URL | edgar8k extract - | jq .filing.accession";

const cli_env cli_envs[] = {
    {"E8K_GRAMMARS", "the rule directory when --grammars is not given"},
    {"EDGAR8K_USER_AGENT",
     "\"Name email@domain\" for fetching, when --user-agent\n"
     "is not given"},
    {"E8K_RATE_FILE",
     "the pacing state fetching processes share (default\n"
     "$XDG_RUNTIME_DIR/edgar8k/rate)"},
    {"XDG_CONFIG_HOME",
     "where edgar8k/config is read (default ~/.config); its\n"
     "line user-agent = Name email@domain declares the\n"
     "User-Agent"},
};
const size_t cli_nenvs = sizeof cli_envs / sizeof cli_envs[0];
