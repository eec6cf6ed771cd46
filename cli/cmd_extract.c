/* cmd_extract.c: `edgar8k extract`: reads filings, runs the grammars and
 * prints the records (offerings, parties, warrant clauses, facts) as JSON
 * Lines, one JSON array, or CSV rows. Uses only edgar8k.h. */
#include "cli.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void extract_usage(FILE *out)
{
    fprintf(out,
            "usage: edgar8k extract [--grammars DIR] [--format jsonl|json|csv]\n"
            "                       [--text] [--validate] FILE...\n"
            "\n"
            "Extracts offering terms, fees, parties, warrant clauses and\n"
            "press-release facts from each filing, every value with its unit,\n"
            "stated precision and qualifier, the matched text, the document\n"
            "and the byte span in FILE, and the rule that found it\n"
            "(docs/records.md; JSON Schema docs/records.schema.json).\n"
            "\n"
            "  --grammars DIR  rule files to use (default: $E8K_GRAMMARS, else\n"
            "                  the grammars/ directory of this source tree,\n"
            "                  else /usr/local/share/edgar8k/grammars)\n"
            "  --format F      jsonl: one JSON object per filing (default)\n"
            "                  json:  one JSON array of those objects\n"
            "                  csv:   file,offering,field,value,unit,qualifier,\n"
            "                         document,start,end,rule per offering field\n"
            "  --text          read each FILE as one normalized text (type 8-K)\n"
            "                  instead of parsing it as a filing\n"
            "  --validate      after each filing's records, print its\n"
            "                  validation report (edgar8k validate) as a JSON\n"
            "                  line; exit 1 when a check failed\n"
            "\n"
            "Exit status: 0 ok; 3-6 when a file could not be read (the others\n"
            "are still processed); 9 when a grammar file is invalid.\n");
}

static void csv_cell(const char *s)
{
    putchar('"');
    for (; s && *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s == '\n' || *s == '\r' ? ' ' : *s);
    }
    putchar('"');
}

static void print_csv(const e8k_records *r, const char *name)
{
    for (size_t i = 0; i < e8k_records_offering_count(r); i++)
        for (size_t f = 0; f < e8k_offering_field_count(); f++) {
            const e8k_value *v = e8k_records_offering_field(r, i, e8k_offering_field_name(f));
            if (!v)
                continue;
            char num[64];
            snprintf(num, sizeof num, "%.15g", v->number);
            csv_cell(name);
            printf(",%zu,%s,", i, e8k_offering_field_name(f));
            csv_cell(v->has_number ? num : v->string);
            putchar(',');
            csv_cell(v->unit);
            putchar(',');
            csv_cell(v->qualifier);
            printf(",%s,%zu,%zu,%s\n", v->doc_type, v->span.start,
                   v->span.end, v->rule);
        }
}

typedef struct extract_opts {
    const char *format;
    int text_mode;
    int first; /* no JSON array element printed yet */
    int validate; /* --validate: a report line after each filing's records */
} extract_opts;

static e8k_status extract_buffer(const e8k_grammar *g, const char *path,
                                 const char *buf, size_t len,
                                 const extract_opts *o, e8k_records **rec,
                                 e8k_error *err)
{
    if (o->text_mode)
        return e8k_extract_text(g, buf, len, "8-K", rec, err);
    e8k_filing *f = e8k_filing_new(path);
    if (!f)
        return E8K_ERR_NOMEM;
    e8k_status st = e8k_filing_parse(f, buf, len, err);
    if (st == E8K_OK)
        st = e8k_extract_filing(g, f, rec, err);
    e8k_filing_free(f);
    return st;
}

static void print_records(const e8k_records *r, const char *path,
                          extract_opts *o)
{
    if (!strcmp(o->format, "csv")) {
        print_csv(r, path);
        return;
    }
    int pretty = !strcmp(o->format, "json");
    char *json = NULL;
    e8k_error err;
    if (e8k_records_to_json(r, path, pretty ? E8K_JSON_PRETTY : 0, &json,
                            &err) != E8K_OK) {
        cli_print_error(&err);
        return;
    }
    if (pretty)
        printf("%s%s", o->first ? "[\n" : ",\n", json);
    else
        printf("%s\n", json);
    o->first = 0;
    free(json);
}

static int extract_file(const e8k_grammar *g, const char *path,
                        extract_opts *o)
{
    e8k_error err;
    e8k_error_clear(&err);
    char *buf = NULL;
    size_t len = 0;
    e8k_status st = e8k_file_load(path, &buf, &len, &err);
    e8k_records *rec = NULL;
    if (st == E8K_OK)
        st = extract_buffer(g, path, buf, len, o, &rec, &err);
    if (st != E8K_OK) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s", path);
        err.status = st;
        cli_print_error(&err);
    } else {
        for (size_t i = 0; i < e8k_records_warning_count(rec); i++) {
            e8k_error w = *e8k_records_warning(rec, i);
            snprintf(w.file, sizeof w.file, "%s", path);
            cli_print_error(&w);
        }
        print_records(rec, path, o);
        if (o->validate)
            st = cli_validate_report(rec, NULL, path, 0) == EXIT_CHECK
                     ? E8K_ERR_CHECK : E8K_OK;
    }
    e8k_records_free(rec);
    free(buf);
    return cli_exit_code(st);
}

int cmd_extract(int argc, char **argv)
{
    const char *dir = NULL;
    extract_opts o = {"jsonl", 0, 1, 0};
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            extract_usage(stdout);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--grammars") && i + 1 < argc) {
            dir = argv[++i];
        } else if (!strcmp(argv[i], "--format") && i + 1 < argc &&
                   (!strcmp(argv[i + 1], "jsonl") ||
                    !strcmp(argv[i + 1], "json") ||
                    !strcmp(argv[i + 1], "csv"))) {
            o.format = argv[++i];
        } else if (!strcmp(argv[i], "--text")) {
            o.text_mode = 1;
        } else if (!strcmp(argv[i], "--validate")) {
            o.validate = 1;
        } else if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else {
            fprintf(stderr, "edgar8k extract: bad option '%s'\n", argv[i]);
            extract_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        extract_usage(stderr);
        return EXIT_USAGE;
    }
    int code;
    e8k_grammar *g = cli_load_grammar(dir, &code);
    if (!g)
        return code;
    if (!strcmp(o.format, "csv"))
        printf("file,offering,field,value,unit,qualifier,document,start,end,"
               "rule\n");
    int rc = EXIT_OK;
    for (; i < argc; i++)
        rc = cli_worse(rc, extract_file(g, argv[i], &o));
    if (!strcmp(o.format, "json"))
        printf(o.first ? "[]\n" : "\n]\n");
    e8k_grammar_free(g);
    return rc;
}
