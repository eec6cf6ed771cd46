/* SPDX-License-Identifier: MIT */
/* cmd_extract.c: `edgar8k extract`: reads filings, runs the grammars and
 * prints the records (the filing they came from, offerings, parties,
 * warrant clauses, facts) as JSON Lines, one JSON array, or CSV rows, each
 * filing's output in one write. Uses only edgar8k.h. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum { O_TEXT = CLI_K_FIRST_OWN, O_VALIDATE };

static const cli_opt extract_options[] = {
    CLI_OPT_GRAMMARS,
    {"format", CLI_K_FORMAT, "F", "jsonl json csv table",
     "jsonl: one JSON object per filing (default)\n"
     "json:  one JSON array of those objects\n"
     "csv:   a row per offering field, after the columns\n"
     "       naming the file and the filing (RFC 4180:\n"
     "       text quoted, CRLF line ends)\n"
     "table: for reading: a line per offering field, then\n"
     "       the parties, clauses and facts"},
    CLI_OPT_NO_HEADER,
    {"text", O_TEXT, NULL, NULL,
     "read each FILE as one normalized text (a document\n"
     "of type 8-K) instead of parsing it as a filing"},
    {"validate", O_VALIDATE, NULL, NULL,
     "after each filing's records, print its validation\n"
     "report (edgar8k validate) as a JSON line; exit 1\n"
     "when a check failed"},
    CLI_OPT_OUTPUT, CLI_OPT_FILES_FROM, CLI_OPT_NULL, CLI_OPT_HELP, {0}};

typedef struct extract_opts {
    const char *format;
    int text_mode;
    int first; /* no JSON array element printed yet */
    int validate; /* --validate: a report line after each filing's records */
} extract_opts;

static int extract_opt(void *ctx, int key, const char *arg)
{
    extract_opts *o = ctx;
    (void)arg;
    if (key == O_TEXT)
        o->text_mode = 1;
    else if (key == O_VALIDATE)
        o->validate = 1;
    return 0;
}

/* CSV by RFC 4180 from the library (the one CSV writer, csv.c): rows of
 * the records r, or with r NULL and `header`, the header line alone. */
static int print_csv(const e8k_records *r, const e8k_filing *f,
                     const char *name, int header)
{
    char *csv = NULL;
    e8k_error err;
    e8k_error_clear(&err);
    e8k_status st = e8k_records_to_csv(r, f, name,
                                       header ? E8K_CSV_HEADER : 0, &csv, &err);
    if (st != E8K_OK) {
        cli_print_error(&err);
        return cli_exit_code(st);
    }
    cli_out_write(csv, strlen(csv));
    free(csv);
    return EXIT_OK;
}

/* A value as a table cell: the number, else the string, else "-". */
static void table_value(const e8k_value *v, char *out, size_t n)
{
    if (v->has_number)
        snprintf(out, n, "%.15g", v->number);
    else
        snprintf(out, n, "%s", v->string ? v->string : "-");
}

/* "parties: role NAME; role NAME" and the like, wrapped at 78 columns. */
static void table_list(const char *what, const e8k_records *r, size_t n,
                       const e8k_value *(*nth)(const e8k_records *, size_t))
{
    if (!n)
        return;
    int col = cli_out_printf_width("  %s:", what);
    for (size_t i = 0; i < n; i++) {
        const e8k_value *v = nth(r, i);
        char item[160], val[64];
        table_value(v, val, sizeof val);
        int len = strcmp(what, "clauses")
                      ? snprintf(item, sizeof item, " %s %s", v->field, val)
                      : snprintf(item, sizeof item, " %s", v->field);
        if (col + len + 1 > 78 && col > 12)
            col = cli_out_printf_width("\n   ") - 1;
        col += cli_out_printf_width("%s%s", item, i + 1 < n ? ";" : "");
    }
    cli_out_printf("\n");
}

static void print_table(const e8k_records *r, const e8k_filing *f,
                        const char *path)
{
    cli_filing_title(f, path);
    cli_out_printf(": %zu offering%s\n", e8k_records_offering_count(r),
                   e8k_records_offering_count(r) == 1 ? "" : "s");
    for (size_t i = 0; i < e8k_records_offering_count(r); i++) {
        cli_out_printf("  offering %zu\n  %-26s %-24s %-9s %-8s %-11s %s\n",
                       i, "FIELD", "VALUE", "UNIT", "DOCUMENT", "BYTES",
                       "RULE");
        for (size_t k = 0; k < e8k_offering_field_count(); k++) {
            const char *field = e8k_offering_field_name(k);
            const e8k_value *v = e8k_records_offering_field(r, i, field);
            if (!v)
                continue;
            char val[64], span[48];
            table_value(v, val, sizeof val);
            snprintf(span, sizeof span, "%zu-%zu", v->span.start, v->span.end);
            cli_out_printf("  %-26s %-24s %-9s %-8s %-11s %s\n", field, val,
                           v->unit ? v->unit : "-", v->doc_type, span,
                           v->rule);
        }
    }
    table_list("parties", r, e8k_records_party_count(r), e8k_records_party);
    table_list("clauses", r, e8k_records_clause_count(r), e8k_records_clause);
    table_list("facts", r, e8k_records_fact_count(r), e8k_records_fact);
}

static int print_records(const e8k_records *r, const e8k_filing *f,
                         const char *path, extract_opts *o)
{
    if (!strcmp(o->format, "csv"))
        return print_csv(r, f, path, 0);
    if (!strcmp(o->format, "table")) {
        print_table(r, f, path);
        return EXIT_OK;
    }
    int pretty = !strcmp(o->format, "json");
    char *json = NULL;
    e8k_error err;
    e8k_error_clear(&err);
    e8k_status st = e8k_records_to_json_filing(
        r, f, path, pretty ? E8K_JSON_PRETTY : 0, &json, &err);
    if (st != E8K_OK) {
        cli_print_error(&err);
        return cli_exit_code(st);
    }
    if (pretty)
        cli_out_printf("%s%s", o->first ? "[\n" : ",\n", json);
    else
        cli_out_printf("%s\n", json);
    o->first = 0;
    free(json);
    return EXIT_OK;
}

/* A pattern that reached a PCRE2 limit left its result incomplete: said on
 * standard error as well as in the records. */
static void print_warnings(const e8k_records *rec, const char *path)
{
    for (size_t i = 0; i < e8k_records_warning_count(rec); i++) {
        e8k_error w = *e8k_records_warning(rec, i);
        snprintf(w.file, sizeof w.file, "%s", path);
        cli_print_error(&w);
    }
}

static int extract_file(const e8k_grammar *g, const char *path,
                        extract_opts *o)
{
    cli_filing cf;
    int rc = cli_filing_read_as(g, path, o->text_mode, &cf);
    if (rc == EXIT_OK) {
        print_warnings(cf.rec, path);
        rc = print_records(cf.rec, cf.f, path, o);
    }
    if (rc == EXIT_OK && o->validate)
        rc = cli_validate_report(cf.rec, cf.f, path, 0, 0);
    cli_out_record(); /* the records and their report in one write */
    cli_filing_done(&cf);
    return rc;
}

static int run_extract(const cli_spec *spec, int argc, char **argv)
{
    extract_opts o = {"jsonl", 0, 1, 0};
    cli_args a = {0};
    int rc = cli_parse(spec, argc, argv, &a, extract_opt, &o);
    if (rc)
        return rc == CLI_DONE ? EXIT_OK : rc;
    if (a.format)
        o.format = a.format;
    cli_inputs in;
    e8k_grammar *g = NULL;
    if ((rc = cli_begin(spec, &a, &in, &g)) != EXIT_OK)
        return rc;
    if (!strcmp(o.format, "csv") && !a.no_header)
        rc = print_csv(NULL, NULL, NULL, 1);
    for (const char *path; cli_out_ok() && (path = cli_inputs_next(&in));)
        rc = cli_worse(rc, extract_file(g, path, &o));
    if (!strcmp(o.format, "json"))
        cli_out_printf(o.first ? "[]\n" : "\n]\n");
    return cli_end(&in, g, rc);
}

const cli_spec cli_extract_spec = {
    "extract", "extract offering terms, parties, warrant clauses, facts",
    "[OPTIONS] FILE...",
    "Extracts offering terms, fees, parties, warrant clauses and press\n"
    "release facts from each filing, every value with its unit, stated\n"
    "precision and qualifier, the matched text, the document and the byte\n"
    "span in FILE, and the rule that found it. Each filing's records name\n"
    "it: accession, form type, filed and period dates, and the companies\n"
    "of its header with their CIKs (docs/records.md; JSON Schema\n"
    "docs/records.schema.json). FILE - is standard input.\n"
    "\n"
    "Each filing's output leaves in one write, so that processes appending\n"
    "to one file or pipe never interleave their records:\n"
    "\n"
    "  find filings -type f -print0 | xargs -0 -n 50 -P 4 edgar8k extract\n"
    "  parallel -j 4 -X edgar8k extract --format csv --no-header ::: *.txt",
    extract_options,
    "Exit status: 0 ok; 1 with --validate when a check failed; 2 bad command\n"
    "line; 3-6 when a file could not be read (the others are still\n"
    "processed) or the output could not be written; 9 when a grammar file\n"
    "is invalid.",
    run_extract, 0};
