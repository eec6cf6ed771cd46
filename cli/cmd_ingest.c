/* cmd_ingest.c: `edgar8k ingest`: feeds local files, directories and Feed
 * tarballs (--from), or the filings a fetch selector downloads, through the
 * library's ingest pipeline into a database, drawing a progress bar on a
 * terminal and printing a summary at the end. Uses only edgar8k.h. */
#include "cli.h"

#include <getopt.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_INPUTS 256
#define MAX_FORMS 32

static void ingest_usage(FILE *out)
{
    fprintf(out,
"usage: edgar8k ingest [--db URL] [-j N] [--from PATH]... [PATH...]\n"
"       edgar8k ingest [--db URL] [-j N] --store DIR SELECTOR [FETCH OPTIONS]\n"
"\n"
"Parses, extracts, validates and stores filings in a database\n"
"(docs/sql.md), each filing in one transaction. Inputs whose bytes are\n"
"already stored are skipped, so an interrupted ingest continues where it\n"
"stopped.\n"
"\n"
"  --db URL          sqlite:PATH, a plain PATH (SQLite), or\n"
"                    postgres://user@host:port/db (default: edgar8k.db)\n"
"  --from PATH       a filing, a directory (every .txt .nc .htm .html under\n"
"                    it, in name order) or a Feed tarball (.tar .tar.gz\n"
"                    .tgz); repeatable; bare PATH arguments are the same\n"
"  -j, --jobs N      worker threads that parse, extract and validate\n"
"                    (default: the number of cores; one more thread writes)\n"
"  --queue N         filings in flight at most (default 24, or 8 per\n"
"                    worker when that is more)\n"
"  --max-bytes N     input bytes in flight at most (default 16 MiB; a\n"
"                    larger filing is processed alone)\n"
"  --grammars DIR    rule files (default as for `edgar8k extract`)\n"
"  --force           re-ingest inputs already stored (replacing them)\n"
"  --form F          Feed tarball members (and fetched forms) to keep,\n"
"                    repeatable (default 8-K,8-K/A)\n"
"  --report-dir DIR  write the review page (edgar8k report) of every\n"
"                    filing stored whose checks failed to\n"
"                    DIR/ACCESSION.html (created when missing)\n"
"  -q, --quiet       no progress, no per-input failures, no summary\n"
"Fetching first (edgar8k fetch's selectors; fetched filings are ingested\n"
"as they arrive):\n"
"  --cik N | --ticker T | --quarter YYYY-QN | --date D | --accession A |\n"
"  --feed D          the selector\n"
"  --since D, --until D, --store DIR (required), --user-agent UA (else\n"
"  $EDGAR8K_USER_AGENT, else the user-agent line of\n"
"  ~/.config/edgar8k/config), --base-url URL, --data-url URL, --rate R\n"
"\n"
"Every stored filing is validated; failed checks land in the findings\n"
"table (docs/sql.md) and do not change the exit status.\n"
"\n"
"Exit status: 0 every input stored or already stored; 3-6 some inputs\n"
"could not be read (each is reported and recorded; the rest are stored);\n"
"5 also when a review page could not be written; 7 fetching failed; 8 a database operation failed; 9 bad grammar.\n");
}

typedef struct ingest_cli {
    const char *db;
    const char *grammars;
    const char *report_dir; /* --report-dir */
    size_t reports;         /* pages written there */
    const char *inputs[MAX_INPUTS];
    size_t ninputs;
    const char *forms[MAX_FORMS];
    size_t nforms;
    e8k_ingest_options opt;
    e8k_fetch_options fopt;
    e8k_fetch_query q;
    int fetching;
    int quiet, tty, bar;
    double last_trim; /* elapsed seconds at the last malloc_trim */
    int worst;
    e8k_ingest *ing;
    e8k_status ingest_st;
    e8k_error ingest_err;
} ingest_cli;

/* ---- progress and summary -------------------------------------------------- */

static void draw_bar(ingest_cli *c, const e8k_ingest_stats *s)
{
    size_t done = s->stored + s->skipped + s->failed;
    double mb = (double)s->bytes / 1e6;
    double rate = s->elapsed > 0 ? mb / s->elapsed : 0;
    if (s->total) {
        char bar[31];
        size_t fill = done >= s->total ? 30 : done * 30 / s->total;
        for (size_t i = 0; i < 30; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[30] = '\0';
        fprintf(stderr, "\r[%s] %zu/%zu filings  %.1f MB  %.1f MB/s  ", bar,
                done, s->total, mb, rate);
    } else {
        fprintf(stderr, "\r%zu filings  %.1f MB  %.1f MB/s  ", done, mb, rate);
    }
    fflush(stderr);
    c->bar = 1;
}

static void clear_bar(ingest_cli *c)
{
    if (c->bar)
        fprintf(stderr, "\r%*s\r", 78, "");
    c->bar = 0;
}

static void on_event(const e8k_ingest_event *ev, void *data)
{
    ingest_cli *c = data;
    if (ev->kind == E8K_INGEST_FAILED) {
        c->worst = cli_worse(c->worst, cli_exit_code(ev->error->status));
        if (!c->quiet) {
            clear_bar(c);
            cli_print_error(ev->error);
        }
    }
    if (ev->kind == E8K_INGEST_STORED && c->report_dir) {
        if (ev->report && e8k_report_failed_count(ev->report))
            clear_bar(c); /* a failure to write would print a line */
        int rc = cli_report_dir_page(c->report_dir, ev->name, ev->filing,
                                     ev->records, ev->report, &c->reports);
        c->worst = cli_worse(c->worst, rc);
    }
    if (ev->kind != E8K_INGEST_PROGRESS)
        return;
    if (c->tty && !c->quiet)
        draw_bar(c, ev->stats);
    /* Each worker thread has its own malloc arena, whose freed pages glibc
     * keeps; handing them back now and then keeps a long ingest's memory
     * where a short one's is. */
    if (ev->stats->elapsed - c->last_trim >= 2.0) {
        c->last_trim = ev->stats->elapsed;
        malloc_trim(0);
    }
}

static void summary(const ingest_cli *c, const e8k_ingest_stats *s)
{
    double t = s->elapsed > 0 ? s->elapsed : 1e-9;
    printf("ingest: %zu inputs (%.1f MB) in %.2f s: %zu stored, %zu already "
           "stored, %zu failed\n",
           s->inputs, (double)s->bytes / 1e6, s->elapsed, s->stored,
           s->skipped, s->failed);
    printf("ingest: %zu offerings in the filings stored; checks: %zu run, "
           "%zu failed\n",
           s->offerings, s->checks_run, s->checks_failed);
    printf("ingest: %.1f filings/s, %.2f MB/s with %d workers into %s\n",
           (double)s->inputs / t, (double)s->bytes / 1e6 / t,
           c->opt.jobs > 0 ? c->opt.jobs : (int)sysconf(_SC_NPROCESSORS_ONLN),
           c->db);
    if (c->report_dir)
        printf("ingest: %zu review pages of filings with failed checks in "
               "%s\n", c->reports, c->report_dir);
}

/* ---- fetching first --------------------------------------------------------- */

static void on_fetch(const e8k_fetch_event *ev, void *data)
{
    ingest_cli *c = data;
    if (ev->kind == E8K_FETCH_FAILED) {
        c->worst = cli_worse(c->worst, EXIT_NETWORK);
        if (!c->quiet) {
            clear_bar(c);
            fprintf(stderr, "edgar8k: fetch: %s: %s\n",
                    ev->url ? ev->url : "?", ev->message ? ev->message : "");
        }
        return;
    }
    /* Pacing news: a warning always (the run is slower or less polite
     * than it should be), a pause unless quiet (it explains a stall). */
    if (ev->kind == E8K_FETCH_WARNING ||
        (ev->kind == E8K_FETCH_PAUSE && !c->quiet)) {
        clear_bar(c);
        if (ev->kind == E8K_FETCH_WARNING)
            fprintf(stderr, "edgar8k: fetch: warning: %s\n", ev->message);
        else
            fprintf(stderr, "edgar8k: fetch: %s: %s: pausing all transfers "
                    "for %.1f s\n", ev->url ? ev->url : "?",
                    ev->message ? ev->message : "", ev->wait);
        return;
    }
    if ((ev->kind != E8K_FETCH_STORED && ev->kind != E8K_FETCH_PRESENT) ||
        !ev->filing || !ev->filing->path || c->ingest_st != E8K_OK)
        return;
    c->ingest_st = e8k_ingest_path(c->ing, ev->filing->path, &c->ingest_err);
}

static int run_fetch(ingest_cli *c)
{
    c->fopt.callback = on_fetch;
    c->fopt.callback_data = c;
    e8k_error err;
    e8k_error_clear(&err);
    e8k_fetcher *f = NULL;
    e8k_status st = e8k_fetcher_new(&c->fopt, &f, &err);
    if (st == E8K_OK)
        st = e8k_fetch_run(f, &c->q, &err);
    e8k_fetcher_free(f);
    if (st != E8K_OK) {
        clear_bar(c);
        cli_print_error(&err);
        return cli_exit_code(st);
    }
    return EXIT_OK;
}

/* ---- command line ------------------------------------------------------------ */

/* The selectors, --since/--until, --store, --user-agent, --base-url,
 * --data-url and --rate are the shared CLI_FETCH_LONG_OPTS (common.c). */
enum { O_DB = 256, O_FROM, O_QUEUE, O_MAXB, O_GRAMMARS, O_FORCE, O_FORM,
       O_REPORTS };

static const struct option long_opts[] = {
    {"db", 1, 0, O_DB},           {"from", 1, 0, O_FROM},
    {"jobs", 1, 0, 'j'},          {"queue", 1, 0, O_QUEUE},
    {"max-bytes", 1, 0, O_MAXB},
    {"grammars", 1, 0, O_GRAMMARS}, {"force", 0, 0, O_FORCE},
    {"form", 1, 0, O_FORM},       {"quiet", 0, 0, 'q'},
    {"report-dir", 1, 0, O_REPORTS},
    {"help", 0, 0, 'h'},          CLI_FETCH_LONG_OPTS,
    {0, 0, 0, 0}};

static int add_input(ingest_cli *c, const char *path)
{
    if (c->ninputs >= MAX_INPUTS)
        return -1;
    c->inputs[c->ninputs++] = path;
    return 0;
}

/* A shared fetch option: ingesting then fetches first. */
static int select_opt(ingest_cli *c, int o, const char *arg)
{
    int r = cli_fetch_option("ingest", o, arg, &c->fopt, &c->q);
    if (r == 0)
        c->fetching = 1;
    return r ? -1 : 0;
}

/* A count for --queue or --max-bytes (0: the default). */
static int set_size(size_t *out, const char *opt, const char *arg)
{
    double v = cli_number("ingest", opt, arg);
    if (v < 0 || v > (double)SIZE_MAX / 2)
        return -1;
    *out = (size_t)v;
    return 0;
}

/* -j: a whole number of workers, at least one. */
static int set_jobs(int *out, const char *arg)
{
    double v = cli_number("ingest", "jobs", arg);
    if (v < 1 || v > 1e6 || v != (double)(int)v) {
        if (v >= 0)
            fprintf(stderr, "edgar8k ingest: jobs: expected a whole number "
                    "of workers, at least 1, got \"%s\"\n", arg);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int one_opt(ingest_cli *c, int o, const char *arg)
{
    switch (o) {
    case O_DB: c->db = arg; return 0;
    case O_FROM: return add_input(c, arg);
    case 'j': return set_jobs(&c->opt.jobs, arg);
    case O_QUEUE: return set_size(&c->opt.queue, "queue", arg);
    case O_MAXB: return set_size(&c->opt.max_bytes, "max-bytes", arg);
    case O_GRAMMARS: c->grammars = arg; return 0;
    case O_FORCE: c->opt.force = 1; return 0;
    case O_REPORTS: c->report_dir = arg; return 0;
    case O_FORM:
        if (c->nforms >= MAX_FORMS)
            return -1;
        c->forms[c->nforms++] = arg;
        return 0;
    case 'q': c->quiet = 1; return 0;
    default: return select_opt(c, o, arg);
    }
}

static int parse_args(ingest_cli *c, int argc, char **argv)
{
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "j:qh", long_opts, NULL)) != -1) {
        if (o == 'h') {
            ingest_usage(stdout);
            return -2;
        }
        if (o == '?' || one_opt(c, o, optarg)) {
            fprintf(stderr, "edgar8k ingest: bad option or value\n");
            ingest_usage(stderr);
            return -1;
        }
    }
    for (; optind < argc; optind++)
        if (add_input(c, argv[optind]))
            return -1;
    if (!c->ninputs && !c->fetching) {
        ingest_usage(stderr);
        return -1;
    }
    return 0;
}

static int ingest_inputs(ingest_cli *c)
{
    if (c->tty && !c->quiet)
        for (size_t i = 0; i < c->ninputs; i++)
            e8k_ingest_count(c->ing, c->inputs[i]);
    for (size_t i = 0; i < c->ninputs && c->ingest_st == E8K_OK; i++)
        c->ingest_st = e8k_ingest_path(c->ing, c->inputs[i], &c->ingest_err);
    if (c->fetching && c->ingest_st == E8K_OK)
        return run_fetch(c);
    return EXIT_OK;
}

static int ingest_run(ingest_cli *c, const e8k_grammar *g)
{
    e8k_error err;
    e8k_error_clear(&err);
    e8k_error_clear(&c->ingest_err);
    c->opt.grammar = g;
    c->opt.callback = on_event;
    c->opt.callback_data = c;
    e8k_status st = e8k_ingest_new(c->db, &c->opt, &c->ing, &err);
    if (st != E8K_OK) {
        cli_print_error(&err);
        return cli_exit_code(st);
    }
    int rc = ingest_inputs(c);
    st = e8k_ingest_finish(c->ing, &err);
    clear_bar(c);
    if (st == E8K_OK && c->ingest_st != E8K_OK) {
        st = c->ingest_st;
        err = c->ingest_err;
    }
    if (st != E8K_OK)
        cli_print_error(&err);
    if (!c->quiet)
        summary(c, e8k_ingest_stats_of(c->ing));
    e8k_ingest_free(c->ing);
    rc = cli_worse(rc, c->worst);
    return cli_worse(rc, cli_exit_code(st));
}

int cmd_ingest(int argc, char **argv)
{
    ingest_cli *c = calloc(1, sizeof *c);
    if (!c)
        return EXIT_NOMEM;
    c->db = "edgar8k.db";
    e8k_ingest_options_init(&c->opt);
    e8k_fetch_options_init(&c->fopt);
    int rc = parse_args(c, argc, argv);
    if (rc) {
        free(c);
        return rc == -2 ? EXIT_OK : EXIT_USAGE;
    }
    if (c->nforms) {
        c->opt.forms = c->forms, c->opt.nforms = c->nforms;
        c->q.forms = c->forms, c->q.nforms = c->nforms;
    }
    /* Fetching needs a store and a declared User-Agent: refused before
     * the database is opened or anything is read. */
    char *conf = NULL;
    if (c->fetching && !c->fopt.store_dir) {
        fprintf(stderr, "edgar8k ingest: fetching needs --store DIR\n");
        rc = EXIT_USAGE;
    } else if (c->fetching) {
        rc = cli_user_agent("ingest", &c->fopt.user_agent, &conf);
    }
    if (!rc && c->report_dir)
        rc = cli_report_dir_make(c->report_dir);
    if (rc) {
        free(conf);
        free(c);
        return rc;
    }
    c->tty = isatty(STDERR_FILENO);
    /* Filing buffers come and go by the thousand: a fixed mmap threshold
     * (glibc raises it after each free otherwise) gives large ones back to
     * the system at once, so peak memory follows what is in flight. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    e8k_grammar *g = cli_load_grammar(c->grammars, &rc);
    if (g)
        rc = ingest_run(c, g);
    e8k_grammar_free(g);
    free(conf);
    free(c);
    return rc;
}
