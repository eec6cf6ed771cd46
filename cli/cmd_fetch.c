/* SPDX-License-Identifier: MIT */
/* cmd_fetch.c: `edgar8k fetch`: reads the selectors and fair-access
 * settings from the command line (the User-Agent also from the environment
 * or the config file), runs the library's fetcher, and draws its progress:
 * a bar on a terminal, nothing but failures and a summary when piped.
 * With --print the paths of the filings stored go to standard output, one
 * a line, as each lands (for `edgar8k ingest --files-from -`). */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct fetch_cli {
    const cli_spec *spec;
    e8k_fetch_options opt;
    e8k_fetch_query q;
    cli_fetch_lists lists;
    int quiet;
    int print;       /* --print */
    int tty;
    int bar_shown;
    size_t reported; /* failures and unknown companies said */
} fetch_cli;

/* ---- Progress ------------------------------------------------------------ */

static void human_bytes(size_t n, char *out, size_t len)
{
    const char *unit[] = {"B", "KB", "MB", "GB", "TB"};
    double v = (double)n;
    int u = 0;
    while (v >= 1000 && u < 4)
        v /= 1000, u++;
    snprintf(out, len, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

static void draw_bar(fetch_cli *c, const e8k_fetch_stats *s)
{
    size_t done = s->filings_stored + s->filings_present + s->filings_failed;
    char bytes[32], eta[32] = "--:--", bar[21];
    human_bytes(s->bytes, bytes, sizeof bytes);
    if (s->eta >= 0 && s->eta < 360000)
        snprintf(eta, sizeof eta, "%d:%02d", (int)s->eta / 60,
                 (int)s->eta % 60);
    size_t fill = s->filings_total ? done * 20 / s->filings_total : 0;
    for (size_t i = 0; i < 20; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[20] = '\0';
    fprintf(stderr, "\r\033[K[%s] %zu/%zu filings  %zu req  %s  %.1f req/s"
            "  ETA %s", bar, done, s->filings_total, s->requests, bytes,
            s->rate, eta);
    fflush(stderr);
    c->bar_shown = 1;
}

/* Clears the bar so that a message line does not land inside it. */
static void clear_bar(fetch_cli *c)
{
    if (c->bar_shown)
        fprintf(stderr, "\r\033[K");
    c->bar_shown = 0;
}

/* s with its control characters escaped, in one of a few rotating
 * buffers: index files and servers supply these strings, and a tab or a
 * line break in a company name would forge fields of a --dry-run line. */
static const char *clean(const char *s)
{
    static char bufs[8][2048];
    static unsigned next;
    char *b = bufs[next++ % 8];
    return e8k_str_escape(s, b, sizeof bufs[0]);
}

/* --print: the stored filing's path, one write a line, so that a reader
 * at the other end of a pipe gets each one as it lands. */
static void print_path(const e8k_fetch_filing *ff)
{
    if (!ff || !ff->path)
        return;
    cli_out_printf("%s\n", ff->path);
    cli_out_record();
}

static void on_event(const e8k_fetch_event *ev, void *data)
{
    fetch_cli *c = data;
    const e8k_fetch_filing *ff = ev->filing;
    if (c->print &&
        (ev->kind == E8K_FETCH_STORED || ev->kind == E8K_FETCH_PRESENT))
        print_path(ff);
    if (ev->kind == E8K_FETCH_LISTED) {
        clear_bar(c);
        printf("%s\t%s\t%s\t%s\t%s\t%s\n", clean(ff->cik),
               clean(ff->accession), clean(ff->form), clean(ff->date),
               clean(ff->company), clean(ff->url));
    } else if (ev->kind == E8K_FETCH_FAILED) {
        clear_bar(c);
        c->reported++;
        fprintf(stderr, "edgar8k fetch: failed: %s%s%s: %s\n",
                ff ? clean(ff->accession) : "", ff ? " " : "", clean(ev->url),
                clean(ev->message));
    } else if (ev->kind == E8K_FETCH_UNKNOWN) {
        clear_bar(c);
        c->reported++;
        fprintf(stderr, "edgar8k fetch: unknown company: %s\n",
                clean(ev->message));
    } else if (ev->kind == E8K_FETCH_NOTICE && !c->quiet) {
        clear_bar(c);
        fprintf(stderr, "edgar8k fetch: %s\n", clean(ev->message));
    } else if (ev->kind == E8K_FETCH_WARNING) {
        clear_bar(c);
        fprintf(stderr, "edgar8k fetch: warning: %s\n", clean(ev->message));
    } else if (!c->quiet && (ev->kind == E8K_FETCH_PAUSE ||
                             ev->kind == E8K_FETCH_RETRY)) {
        clear_bar(c);
        if (ev->kind == E8K_FETCH_PAUSE) /* only the host that asked */
            fprintf(stderr, "edgar8k fetch: %s: %s: pausing transfers to %s "
                    "for %.1f s\n", clean(ev->url), clean(ev->message),
                    clean(ev->host), ev->wait);
        else
            fprintf(stderr, "edgar8k fetch: %s: %s: retrying in %.1f s\n",
                    clean(ev->url), clean(ev->message), ev->wait);
    }
    if (c->tty && !c->quiet)
        draw_bar(c, ev->stats);
}

static void summary(fetch_cli *c, const e8k_fetch_stats *s)
{
    clear_bar(c);
    if (c->quiet)
        return;
    char bytes[32];
    human_bytes(s->bytes, bytes, sizeof bytes);
    fprintf(stderr, "edgar8k fetch: %zu selected, %zu stored, %zu already "
            "present, %zu failed; %zu requests (%zu retries, %zu x 429, "
            "%zu pauses), %s in %.1f s, %.2f requests/s\n",
            s->filings_total, s->filings_stored, s->filings_present,
            s->filings_failed, s->requests, s->retries, s->responses_429,
            s->pauses, bytes, s->elapsed, s->rate);
    if (s->redirects || s->index_skipped)
        fprintf(stderr, "edgar8k fetch: %zu redirects followed, %zu index "
                "lines or entries skipped\n", s->redirects, s->index_skipped);
    if (s->filings_unmatched)
        fprintf(stderr, "edgar8k fetch: %zu read but stating none of "
                "--items: not stored\n", s->filings_unmatched);
    if (s->search_windows > 1)
        fprintf(stderr, "edgar8k fetch: full-text search asked in %zu date "
                "windows\n", s->search_windows);
}

/* ---- Command line ---------------------------------------------------------- */

/* The selectors, filters, --store, --user-agent, --base-url, --data-url and
 * --rate are the ones `ingest` shares (cli.h). */
enum {
    O_DRY = CLI_K_FIRST_OWN, O_PARALLEL, O_RETRIES, O_BACKOFF, O_BLOCK,
    O_MAXRA, O_STALLT, O_STALLS, O_CONNECT, O_MAXSIZE, O_XFER_TIMEOUT,
    O_MAX_TIME, O_PRINT
};

static const cli_opt fetch_opts[] = {
    {NULL, 0, NULL, NULL,
     "Selectors (one kind: --cik and --ticker together, or with --search):"},
    CLI_FETCH_SELECTORS,
    {NULL, 0, NULL, NULL, "Filters:"},
    CLI_FETCH_FILTERS,
    {NULL, 0, NULL, NULL, "Store and servers:"},
    CLI_FETCH_SERVERS,
    {"dry-run", O_DRY, NULL, NULL,
     "list what would be fetched (CIK, accession, form,\n"
     "date, company, URL; tab-separated) and stop"},
    {"print", O_PRINT, NULL, NULL,
     "write the path of every filing stored or already\n"
     "present to standard output, one a line, as it lands\n"
     "(edgar8k fetch ... --print | edgar8k ingest\n"
     "--files-from -)"},
    {NULL, 0, NULL, NULL, "Faults and output:"},
    {"parallel", O_PARALLEL, "N", NULL, "transfers at once (default 4)"},
    {"retries", O_RETRIES, "N", NULL, "retries per request (default 5)"},
    {"backoff-ms", O_BACKOFF, "MS", NULL,
     "first retry delay, doubled each time, with jitter\n(default 1000)"},
    {"block-pause", O_BLOCK, "S", NULL,
     "pause after the SEC's 403 block page (default 600)"},
    {"max-retry-after", O_MAXRA, "S", NULL,
     "longest Retry-After honoured (default 600)"},
    {"stall-time", O_STALLT, "S", NULL,
     "give up on a transfer slower than --stall-speed for\n"
     "that long (default 30)"},
    {"stall-speed", O_STALLS, "B", NULL, "bytes/s (default 1000)"},
    {"connect-timeout", O_CONNECT, "S", NULL, "seconds (default 30)"},
    {"transfer-timeout", O_XFER_TIMEOUT, "S", NULL,
     "deadline of one transfer over all its tries\n"
     "(default 900; a Feed tarball 16 times that; 0 none)"},
    {"max-time", O_MAX_TIME, "S", NULL,
     "deadline of the whole run (default none): what is\n"
     "not fetched by then is reported failed"},
    {"max-size", O_MAXSIZE, "BYTES", NULL,
     "largest response after decompression (default 1 GiB)"},
    {"quiet", 'q', NULL, NULL,
     "print failures and warnings only; no progress, no\nsummary"},
    CLI_OPT_HELP, {0}};

/* The long name of option key o, for messages. */
static const char *opt_name(int o)
{
    for (const cli_opt *p = fetch_opts; p->name || p->help; p++)
        if (p->name && p->key == o)
            return p->name;
    return "?";
}

static int set_number(fetch_cli *c, int o, const char *arg)
{
    double v = cli_number(c->spec, opt_name(o), arg);
    e8k_fetch_options *p = &c->opt;
    if (v < 0)
        return EXIT_USAGE;
    switch (o) {
    case O_PARALLEL: p->max_parallel = (int)fmin(v, 1000); break;
    case O_RETRIES: p->max_retries = (int)fmin(v, 1000); break;
    case O_BACKOFF: p->backoff_ms = (long)v; break;
    case O_BLOCK: p->block_pause_ms = (long)(v * 1000); break;
    case O_MAXRA: p->max_retry_after_ms = (long)(v * 1000); break;
    case O_STALLT: p->low_speed_time = (long)ceil(v); break;
    case O_STALLS: p->low_speed_limit = (long)v; break;
    case O_CONNECT: p->connect_timeout_ms = (long)(v * 1000); break;
    case O_MAXSIZE: p->max_response = (size_t)v; break;
    case O_XFER_TIMEOUT: p->transfer_timeout_ms = (long)(v * 1000); break;
    case O_MAX_TIME: p->max_time_ms = (long)(v * 1000); break;
    default: return EXIT_USAGE;
    }
    return 0;
}

static int set_option(void *ctx, int o, const char *arg)
{
    fetch_cli *c = ctx;
    int r = cli_fetch_option(c->spec, o, arg, &c->opt, &c->q, &c->lists);
    if (r != 1)
        return r;
    switch (o) {
    case O_DRY: c->opt.dry_run = 1; return 0;
    case O_PRINT: c->print = 1; return 0;
    case 'q': c->quiet = 1; return 0;
    default: return set_number(c, o, arg);
    }
}

/* 0 ok, CLI_DONE --help shown, else the exit code (already reported). */
static int parse_args(fetch_cli *c, int argc, char **argv)
{
    cli_args a = {0};
    int rc = cli_parse(c->spec, argc, argv, &a, set_option, c);
    if (rc)
        return rc;
    cli_fetch_lists_apply(&c->lists, &c->q);
    if (c->print && c->opt.dry_run)
        return cli_usage_error(c->spec, "--print writes the paths of the "
                               "filings stored, and --dry-run stores none: "
                               "choose one");
    return 0;
}

static int run(fetch_cli *c)
{
    e8k_error err;
    e8k_error_clear(&err);
    e8k_fetcher *f = NULL;
    int code = c->print ? cli_out_open(c->spec, NULL) : EXIT_OK;
    e8k_status st = code ? E8K_OK : e8k_fetcher_new(&c->opt, &f, &err);
    if (f) {
        st = e8k_fetch_run(f, &c->q, &err);
        summary(c, e8k_fetch_stats_of(f));
    }
    /* What went wrong was said as it happened (each failure, each unknown
     * company); only what stopped the run before that is said here. */
    if (st != E8K_OK && c->reported) {
        clear_bar(c);
    } else if (st == E8K_ERR_USAGE) { /* a bad combination of options */
        clear_bar(c);
        cli_usage_error(c->spec, "%s", err.message);
    } else if (st != E8K_OK) {
        clear_bar(c);
        cli_print_error(&err);
    }
    e8k_fetcher_free(f);
    code = cli_worse(code, cli_exit_code(st));
    return c->print ? cli_out_close(code) : code;
}

static int run_fetch(const cli_spec *spec, int argc, char **argv)
{
    fetch_cli c;
    memset(&c, 0, sizeof c);
    c.spec = spec;
    e8k_fetch_options_init(&c.opt);
    int code = parse_args(&c, argc, argv);
    char *conf = NULL;
    if (code == CLI_DONE)
        code = EXIT_OK;
    else if (code == 0) {
        code = cli_user_agent("fetch", &c.opt.user_agent, &conf);
        if (code == EXIT_OK) {
            c.tty = isatty(STDERR_FILENO);
            c.opt.callback = on_event;
            c.opt.callback_data = &c;
            code = run(&c);
        }
    }
    cli_fetch_lists_free(&c.lists);
    free(conf);
    return code;
}

const cli_spec cli_fetch_spec = {
    "fetch", "download filings from EDGAR into a local store",
    "SELECTOR [OPTIONS]",
    "Downloads complete EDGAR submissions into a local store, politely: one\n"
    "rate limiter for every request (shared with the user's other edgar8k\n"
    "processes), a declared User-Agent, and retries that honour the SEC's\n"
    "Retry-After and block pages. Reruns fetch only what is missing; every\n"
    "stored file is written atomically and checked. --store is required\n"
    "unless --dry-run. Redirects are followed only to the --base-url,\n"
    "--data-url and --efts-url hosts; index lines or entries that cannot be\n"
    "read are skipped and reported as warnings, and the rest is fetched.",
    fetch_opts,
    "Examples:\n"
    "  edgar8k fetch --cik 320193,789019 --since 2024-01-01 --store filings\n"
    "  edgar8k fetch --search '\"registered direct offering\"' --since\n"
    "      2024-01-01 --items 1.01,3.02 --store filings\n"
    "  edgar8k fetch --cik @ciks.txt --limit 10 --store filings --print |\n"
    "      edgar8k ingest --db deals.db --files-from -\n"
    "\n"
    "Exit status: 0 all selected filings stored (or already present), 2 bad\n"
    "command line, no User-Agent, or a company EDGAR does not know (each is\n"
    "named; the others are fetched), 5 the store cannot be written, 7 some\n"
    "filings could not be fetched (each is reported).",
    run_fetch, 1};
