/* SPDX-License-Identifier: MIT */
/* cmd_ingest.c: `edgar8k ingest`: feeds local files, directories and Feed
 * tarballs (--from), or the filings a fetch selector downloads, through the
 * library's ingest pipeline into a database, drawing a progress bar on a
 * terminal and printing a summary at the end. Uses only edgar8k.h. */
#include "cli.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_INPUTS 256

enum {
    O_FROM = CLI_K_FIRST_OWN, O_QUEUE, O_MAXB, O_FORCE, O_REPORTS
};

static const cli_opt ingest_opts[] = {
    CLI_OPT_DB,
    {"from", O_FROM, "PATH", NULL,
     "an input, as the PATH operands are; repeatable"},
    CLI_OPT_FILES_FROM, CLI_OPT_NULL,
    {"jobs", 'j', "N", NULL,
     "worker threads that parse, extract and validate\n"
     "(default: the number of cores; one more thread\n"
     "writes)"},
    {"queue", O_QUEUE, "N", NULL,
     "filings in flight at most (default 24, or 8 per\n"
     "worker when that is more)"},
    {"max-bytes", O_MAXB, "N", NULL,
     "input bytes in flight at most (default 16 MiB; a\n"
     "larger filing is processed alone)"},
    CLI_OPT_GRAMMARS,
    {"force", O_FORCE, NULL, NULL,
     "re-ingest inputs already stored (replacing them)"},
    {"report-dir", O_REPORTS, "DIR", NULL,
     "write the review page (edgar8k report) of every\n"
     "filing stored whose checks failed to\n"
     "DIR/ACCESSION.html (created when missing)"},
    {"quiet", 'q', NULL, NULL,
     "no progress, no per-input failures, no summary"},
    CLI_OPT_HELP,
    {NULL, 0, NULL, NULL,
     "Fetching first (edgar8k fetch's selectors; fetched filings are\n"
     "ingested as they arrive; --store is then required):"},
    CLI_FETCH_SELECTORS, CLI_FETCH_FILTERS, CLI_FETCH_SERVERS, {0}};

typedef struct ingest_cli {
    const cli_spec *spec;
    const char *db;
    const char *grammars;
    const char *report_dir; /* --report-dir */
    size_t reports;         /* pages written there */
    const char *inputs[MAX_INPUTS];
    size_t ninputs;
    cli_fetch_lists lists;
    cli_inputs list; /* the operands and --files-from */
    e8k_ingest_options opt;
    e8k_fetch_options fopt;
    e8k_fetch_query q;
    int fetching;
    size_t fetch_reported; /* fetch failures and unknown companies said */
    int quiet, tty, bar;
    double last_trim; /* elapsed seconds at the last malloc_trim */
    int worst;
    struct { const char *reason; size_t n; } kinds[16]; /* not filings */
    size_t nkinds;
    e8k_ingest *ing;
    e8k_status ingest_st;
    e8k_error ingest_err;
} ingest_cli;

/* ---- progress and summary -------------------------------------------------- */

static void draw_bar(ingest_cli *c, const e8k_ingest_stats *s)
{
    size_t done = s->stored + s->skipped + s->failed + s->not_filings;
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

/* Counts a kind of input that is no filing, for the summary. */
static void count_kind(ingest_cli *c, const char *reason)
{
    size_t i = 0;
    while (i < c->nkinds && strcmp(c->kinds[i].reason, reason))
        i++;
    if (i == c->nkinds && i < sizeof c->kinds / sizeof c->kinds[0])
        c->kinds[c->nkinds++].reason = reason;
    if (i < c->nkinds)
        c->kinds[i].n++;
}

static void on_event(const e8k_ingest_event *ev, void *data)
{
    ingest_cli *c = data;
    if (ev->kind == E8K_INGEST_NOT_FILING && ev->reason)
        count_kind(c, ev->reason);
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
    if (ev->kind == E8K_INGEST_WARNING) {
        /* an input passed over: said even with -q, never silent */
        clear_bar(c);
        char file[2048], msg[2048];
        fprintf(stderr, "edgar8k ingest: warning: %s: %s\n",
                e8k_str_escape(ev->error->file, file, sizeof file),
                e8k_str_escape(ev->error->message, msg, sizeof msg));
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
    printf("ingest: %zu inputs (%.1f MB) in %.2f s: %zu stored, %zu already "
           "stored, %zu failed, %zu not filings\n", s->inputs,
           (double)s->bytes / 1e6, s->elapsed, s->stored, s->skipped,
           s->failed, s->not_filings);
    if (c->nkinds) {
        printf("ingest: skipped as not filings:");
        for (size_t i = 0; i < c->nkinds; i++)
            printf("%s %s (%zu)", i ? "," : "", c->kinds[i].reason,
                   c->kinds[i].n);
        printf("\n");
    }
    printf("ingest: %zu offerings in the filings stored; checks: %zu run, "
           "%zu failed", s->offerings, s->checks_run, s->checks_failed);
    if (s->checks_warned) /* unusual but possible (docs/validation.md) */
        printf(", %zu warned", s->checks_warned);
    printf("\n");
    if (s->db_retries) /* other writers of the database got in the way */
        printf("ingest: %zu database writes tried again (deadlocks or "
               "serialization failures)\n", s->db_retries);
    /* Rates over a fraction of a second measure start-up, not ingest. */
    if (s->elapsed >= 1.0)
        printf("ingest: %.1f filings/s, %.2f MB/s with %d workers into %s\n",
               (double)s->inputs / s->elapsed,
               (double)s->bytes / 1e6 / s->elapsed,
               c->opt.jobs > 0 ? c->opt.jobs
                               : (int)sysconf(_SC_NPROCESSORS_ONLN),
               c->db);
    else
        printf("ingest: into %s\n", c->db);
    if (c->report_dir)
        printf("ingest: %zu review pages of filings with failed checks in "
               "%s\n", c->reports, c->report_dir);
}

/* ---- fetching first --------------------------------------------------------- */

static void on_fetch(const e8k_fetch_event *ev, void *data)
{
    ingest_cli *c = data;
    /* Servers supply URLs and messages: escaped, so that a control
     * character cannot move the cursor or forge a line. */
    char url[2048], msg[2048], host[256];
    e8k_str_escape(ev->url ? ev->url : "?", url, sizeof url);
    e8k_str_escape(ev->message, msg, sizeof msg);
    e8k_str_escape(ev->host ? ev->host : "?", host, sizeof host);
    if (ev->kind == E8K_FETCH_FAILED || ev->kind == E8K_FETCH_UNKNOWN) {
        int unknown = ev->kind == E8K_FETCH_UNKNOWN;
        c->worst = cli_worse(c->worst, unknown ? EXIT_USAGE : EXIT_NETWORK);
        c->fetch_reported++;
        if (!c->quiet || unknown) { /* a name asked for is never silent */
            clear_bar(c);
            if (unknown)
                fprintf(stderr, "edgar8k: fetch: unknown company: %s\n", msg);
            else
                fprintf(stderr, "edgar8k: fetch: %s: %s\n", url, msg);
        }
        return;
    }
    if (ev->kind == E8K_FETCH_NOTICE) {
        if (!c->quiet) {
            clear_bar(c);
            fprintf(stderr, "edgar8k: fetch: %s\n", msg);
        }
        return;
    }
    /* Pacing news: a warning always (the run is slower or less polite
     * than it should be), a pause unless quiet (it explains a stall). */
    if (ev->kind == E8K_FETCH_WARNING ||
        (ev->kind == E8K_FETCH_PAUSE && !c->quiet)) {
        clear_bar(c);
        if (ev->kind == E8K_FETCH_WARNING)
            fprintf(stderr, "edgar8k: fetch: warning: %s\n", msg);
        else /* a pause holds only the host that asked for it */
            fprintf(stderr, "edgar8k: fetch: %s: %s: pausing transfers to "
                    "%s for %.1f s\n", url, msg, host, ev->wait);
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
        if (!c->fetch_reported) /* else each was said as it happened */
            cli_print_error(&err);
        return cli_exit_code(st);
    }
    return EXIT_OK;
}

/* ---- command line ------------------------------------------------------------ */

static int add_input(ingest_cli *c, const char *path)
{
    if (c->ninputs >= MAX_INPUTS)
        return cli_usage_error(c->spec, "at most %d --from inputs (use "
                               "--files-from)", MAX_INPUTS);
    c->inputs[c->ninputs++] = path;
    return 0;
}

/* A count for --queue or --max-bytes (0: the default). */
static int set_size(ingest_cli *c, size_t *out, const char *opt,
                    const char *arg)
{
    double v = cli_number(c->spec, opt, arg);
    if (v < 0)
        return EXIT_USAGE;
    if (v > (double)SIZE_MAX / 2)
        return cli_usage_error(c->spec, "--%s: %s is too large", opt, arg);
    *out = (size_t)v;
    return 0;
}

/* -j: a whole number of workers, at least one. */
static int set_jobs(ingest_cli *c, const char *arg)
{
    double v = cli_number(c->spec, "jobs", arg);
    if (v < 0)
        return EXIT_USAGE;
    /* The library states and checks the upper limit. */
    if (v < 1 || v > 1e6 || v != (double)(int)v)
        return cli_usage_error(c->spec, "--jobs: expected a whole number "
                               "of workers, at least 1, got '%s'", arg);
    c->opt.jobs = (int)v;
    return 0;
}

static int one_opt(void *ctx, int o, const char *arg)
{
    ingest_cli *c = ctx;
    switch (o) {
    case O_FROM: return add_input(c, arg);
    case 'j': return set_jobs(c, arg);
    case O_QUEUE: return set_size(c, &c->opt.queue, "queue", arg);
    case O_MAXB: return set_size(c, &c->opt.max_bytes, "max-bytes", arg);
    case O_FORCE: c->opt.force = 1; return 0;
    case O_REPORTS: c->report_dir = arg; return 0;
    case 'q': c->quiet = 1; return 0;
    default: break;
    }
    /* A shared fetch option: ingesting then fetches first (a --form only
     * filters, Feed tarballs' members as much as fetched filings). */
    int r = cli_fetch_option(c->spec, o, arg, &c->fopt, &c->q, &c->lists);
    if (r == 0 && o != CLI_O_FORM)
        c->fetching = 1;
    return r == 1 ? EXIT_USAGE : r;
}

/* 0, CLI_DONE after --help, or the exit code (already reported). */
static int parse_args(ingest_cli *c, int argc, char **argv)
{
    cli_args a = {0};
    int rc = cli_parse(c->spec, argc, argv, &a, one_opt, c);
    if (rc)
        return rc;
    c->db = a.db ? a.db : "edgar8k.db";
    c->grammars = a.grammars;
    /* The --from inputs come first, then the operands and the list. */
    int need = c->ninputs || c->fetching ? 0 : 1;
    return cli_inputs_open(&c->list, c->spec, &a, need);
}

static int ingest_inputs(ingest_cli *c)
{
    /* The bar needs a total: the inputs named are counted first (a list
     * may be endless, so it is not). */
    if (c->tty && !c->quiet) {
        for (size_t i = 0; i < c->ninputs; i++)
            e8k_ingest_count(c->ing, c->inputs[i]);
        for (int i = 0; i < c->list.noperands; i++)
            e8k_ingest_count(c->ing, c->list.operands[i]);
    }
    for (size_t i = 0; i < c->ninputs && c->ingest_st == E8K_OK; i++)
        c->ingest_st = e8k_ingest_path(c->ing, c->inputs[i], &c->ingest_err);
    for (const char *path; c->ingest_st == E8K_OK &&
                           (path = cli_inputs_next(&c->list)) != NULL;)
        c->ingest_st = e8k_ingest_path(c->ing, path, &c->ingest_err);
    int rc = cli_inputs_close(&c->list);
    if (c->fetching && c->ingest_st == E8K_OK)
        rc = cli_worse(rc, run_fetch(c));
    return rc;
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

static int run_ingest(const cli_spec *spec, int argc, char **argv)
{
    ingest_cli *c = calloc(1, sizeof *c);
    if (!c)
        return EXIT_NOMEM;
    c->spec = spec;
    e8k_ingest_options_init(&c->opt);
    e8k_fetch_options_init(&c->fopt);
    int rc = parse_args(c, argc, argv);
    if (rc) {
        cli_fetch_lists_free(&c->lists);
        free(c);
        return rc == CLI_DONE ? EXIT_OK : rc;
    }
    cli_fetch_lists_apply(&c->lists, &c->q);
    if (c->lists.forms.n)
        c->opt.forms = c->lists.forms.v, c->opt.nforms = c->lists.forms.n;
    /* Fetching needs a store and a declared User-Agent: refused before
     * the database is opened or anything is read. */
    char *conf = NULL;
    if (c->fetching && !c->fopt.store_dir)
        rc = cli_usage_error(spec, "fetching needs --store DIR");
    else if (c->fetching)
        rc = cli_user_agent("ingest", &c->fopt.user_agent, &conf);
    if (!rc && c->report_dir)
        rc = cli_report_dir_make(c->report_dir);
    if (!rc) {
        c->tty = isatty(STDERR_FILENO);
        /* Filing buffers come and go by the thousand: a fixed mmap
         * threshold (glibc raises it after each free otherwise) gives
         * large ones back to the system at once, so peak memory follows
         * what is in flight. */
        mallopt(M_MMAP_THRESHOLD, 256 * 1024);
        e8k_grammar *g = cli_load_grammar(c->grammars, &rc);
        if (g)
            rc = ingest_run(c, g);
        e8k_grammar_free(g);
    }
    cli_inputs_close(&c->list);
    cli_fetch_lists_free(&c->lists);
    free(conf);
    free(c);
    return rc;
}

const cli_spec cli_ingest_spec = {
    "ingest", "parse, extract, validate and store filings in a database",
    "[OPTIONS] PATH...\n"
    "[OPTIONS] --store DIR SELECTOR [FETCH OPTIONS]",
    "Parses, extracts, validates and stores filings in a database\n"
    "(docs/sql.md), each filing in one transaction. A PATH is a filing, - for\n"
    "standard input, a directory (every .txt .nc .htm .html under it, in\n"
    "name order) or a Feed tarball (.tar .tar.gz .tgz). Only filings are\n"
    "stored: EDGAR index pages, index listings, JSON and other files that\n"
    "are no filing are skipped, each kind counted in the summary. A filing\n"
    "is stored once under its accession number, however many files hold\n"
    "it (the .txt and .nc of one accession, a submission and its primary\n"
    "document); inputs whose bytes or accession are stored already are\n"
    "skipped, so an interrupted ingest continues where it stopped.\n"
    "\n"
    "Every stored filing is validated; failed checks land in the findings\n"
    "table (docs/sql.md) and do not change the exit status.",
    ingest_opts,
    "Exit status: 0 every input stored, already stored or skipped as no\n"
    "filing; 2 bad command line; 3-6 some inputs could not be read (each is\n"
    "reported and recorded; the rest are stored), 5 also when a review\n"
    "page could not be written; 7 fetching failed; 8 a database operation\n"
    "failed; 9 bad grammar.",
    run_ingest, 0};
