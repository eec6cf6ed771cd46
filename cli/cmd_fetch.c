/* cmd_fetch.c: `edgar8k fetch`: reads the selectors and fair-access
 * settings from the command line (the User-Agent also from the environment
 * or the config file), runs the library's fetcher, and draws its progress:
 * a bar on a terminal, nothing but failures and a summary when piped. */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FORMS 32

static void fetch_usage(FILE *out)
{
    fprintf(out,
"usage: edgar8k fetch SELECTOR [OPTIONS]\n"
"\n"
"Downloads complete EDGAR submissions into a local store, politely: one\n"
"rate limiter for every request (shared with the user's other edgar8k\n"
"processes), a declared User-Agent, and retries that honour the SEC's\n"
"Retry-After and block pages. Reruns fetch only what is missing; every\n"
"stored file is written atomically and checked.\n"
"\n"
"Selectors (exactly one):\n"
"  --cik N             a company's filings (data.sec.gov submissions JSON,\n"
"                      with its paged history)\n"
"  --ticker T          the same, found through company_tickers.json\n"
"  --quarter YYYY-QN   full-index form.idx of a quarter (e.g. 2024-Q1)\n"
"  --date YYYY-MM-DD   daily-index form.YYYYMMDD.idx of a day\n"
"  --accession A       one filing (0000320193-99-000010); add --cik when\n"
"                      it was filed by an agent under another CIK\n"
"  --feed YYYY-MM-DD   that day's Feed tarball, streamed, keeping the .nc\n"
"                      files of the selected forms\n"
"Filters:\n"
"  --form F            form type, repeatable or comma-separated\n"
"                      (default: 8-K,8-K/A)\n"
"  --since D, --until D  filing dates, inclusive (YYYY-MM-DD)\n"
"Store and servers:\n"
"  --store DIR         where filings go: DIR/CIK/ACCESSIONNODASH/ACCESSION.txt\n"
"                      (.nc from a Feed) and ACCESSION.json (index entry,\n"
"                      size, sha256); required unless --dry-run\n"
"  --user-agent UA     \"Name email@domain\", required by the SEC; else\n"
"                      $EDGAR8K_USER_AGENT, else the line\n"
"                      user-agent = Name email@domain\n"
"                      in ~/.config/edgar8k/config\n"
"  --base-url URL      www.sec.gov or a mirror of its layout\n"
"                      (default https://www.sec.gov)\n"
"  --data-url URL      data.sec.gov or a mirror (default https://data.sec.gov,\n"
"                      or --base-url when only that is given)\n"
"  --dry-run           list what would be fetched (CIK, accession, form,\n"
"                      date, company, URL; tab-separated) and stop\n"
"Fair access and faults:\n"
"  --rate R            requests per second, all transfers together\n"
"                      (default 8; more than 10 is refused); all edgar8k\n"
"                      processes of the user together stay within 10/s\n"
"                      through a state file (default\n"
"                      $XDG_RUNTIME_DIR/edgar8k/rate; $E8K_RATE_FILE to\n"
"                      choose another)\n"
"  --parallel N        transfers at once (default 4)\n"
"  --retries N         retries per request (default 5)\n"
"  --backoff-ms MS     first retry delay, doubled each time, with jitter\n"
"                      (default 1000)\n"
"  --block-pause S     pause after the SEC's 403 block page (default 600)\n"
"  --max-retry-after S longest Retry-After honoured (default 600)\n"
"  --stall-time S      give up on a transfer slower than --stall-speed\n"
"  --stall-speed B     bytes/s for that long (defaults 30 s, 1000 B/s)\n"
"  --connect-timeout S (default 30)\n"
"  --max-size BYTES    largest response after decompression (default 1 GiB)\n"
"  -q, --quiet         print failures and warnings only; no progress,\n"
"                      no summary\n"
"\n"
"Exit status: 0 all selected filings stored (or already present), 2 bad\n"
"command line or no User-Agent, 5 the store cannot be written, 7 some\n"
"filings could not be fetched (each is reported).\n");
}

typedef struct fetch_cli {
    e8k_fetch_options opt;
    e8k_fetch_query q;
    const char *forms[MAX_FORMS];
    size_t nforms;
    char *form_buf[MAX_FORMS];
    int quiet;
    int tty;
    int bar_shown;
} fetch_cli;

static int add_forms(fetch_cli *c, const char *arg)
{
    char *copy = strdup(arg), *save = NULL;
    if (!copy || c->nforms >= MAX_FORMS)
        return free(copy), -1;
    c->form_buf[c->nforms] = copy;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (c->nforms >= MAX_FORMS)
            return -1;
        c->forms[c->nforms++] = t;
    }
    return 0;
}

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

static void on_event(const e8k_fetch_event *ev, void *data)
{
    fetch_cli *c = data;
    const e8k_fetch_filing *ff = ev->filing;
    if (ev->kind == E8K_FETCH_LISTED) {
        clear_bar(c);
        printf("%s\t%s\t%s\t%s\t%s\t%s\n", ff->cik, ff->accession, ff->form,
               ff->date, ff->company, ff->url);
    } else if (ev->kind == E8K_FETCH_FAILED) {
        clear_bar(c);
        fprintf(stderr, "edgar8k fetch: failed: %s%s%s: %s\n",
                ff ? ff->accession : "", ff ? " " : "", ev->url,
                ev->message);
    } else if (ev->kind == E8K_FETCH_WARNING) {
        clear_bar(c);
        fprintf(stderr, "edgar8k fetch: warning: %s\n", ev->message);
    } else if (!c->quiet && (ev->kind == E8K_FETCH_PAUSE ||
                             ev->kind == E8K_FETCH_RETRY)) {
        clear_bar(c);
        fprintf(stderr, "edgar8k fetch: %s: %s: %s %.1f s\n",
                ev->url, ev->message,
                ev->kind == E8K_FETCH_PAUSE ? "pausing all transfers for"
                                            : "retrying in", ev->wait);
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
}

/* ---- Command line ---------------------------------------------------------- */

/* The selectors, --since/--until, --store, --user-agent, --base-url,
 * --data-url and --rate are the shared CLI_FETCH_LONG_OPTS (common.c). */
enum {
    O_FORM = 256, O_DRY, O_PARALLEL, O_RETRIES, O_BACKOFF, O_BLOCK, O_MAXRA,
    O_STALLT, O_STALLS, O_CONNECT, O_MAXSIZE, O_HELP
};

static const struct option long_opts[] = {
    CLI_FETCH_LONG_OPTS,
    {"form", 1, 0, O_FORM}, {"dry-run", 0, 0, O_DRY},
    {"parallel", 1, 0, O_PARALLEL}, {"retries", 1, 0, O_RETRIES},
    {"backoff-ms", 1, 0, O_BACKOFF}, {"block-pause", 1, 0, O_BLOCK},
    {"max-retry-after", 1, 0, O_MAXRA}, {"stall-time", 1, 0, O_STALLT},
    {"stall-speed", 1, 0, O_STALLS}, {"connect-timeout", 1, 0, O_CONNECT},
    {"max-size", 1, 0, O_MAXSIZE}, {"quiet", 0, 0, 'q'},
    {"help", 0, 0, O_HELP}, {0, 0, 0, 0}};

/* The long name of option value o, for messages. */
static const char *opt_name(int o)
{
    for (const struct option *p = long_opts; p->name; p++)
        if (p->val == o)
            return p->name;
    return "?";
}

static int set_number(fetch_cli *c, int o, const char *arg)
{
    double v = cli_number("fetch", opt_name(o), arg);
    e8k_fetch_options *p = &c->opt;
    if (v < 0)
        return -1;
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
    default: return -1;
    }
    return 0;
}

static int set_option(fetch_cli *c, int o, const char *arg)
{
    int r = cli_fetch_option("fetch", o, arg, &c->opt, &c->q);
    if (r <= 0)
        return r;
    switch (o) {
    case O_FORM: return add_forms(c, arg);
    case O_DRY: c->opt.dry_run = 1; break;
    case 'q': c->quiet = 1; break;
    default: return set_number(c, o, arg);
    }
    return 0;
}

/* 0 ok, 1 --help shown, -1 bad command line (already reported). */
static int parse_args(fetch_cli *c, int argc, char **argv)
{
    int o;
    optind = 1;
    opterr = 1;
    while ((o = getopt_long(argc, argv, "q", long_opts, NULL)) != -1) {
        if (o == O_HELP) {
            fetch_usage(stdout);
            return 1;
        }
        if (o == '?' || set_option(c, o, optarg) != 0)
            return -1;
    }
    if (optind < argc) {
        fprintf(stderr, "edgar8k fetch: unexpected argument \"%s\"\n",
                argv[optind]);
        return -1;
    }
    if (c->nforms) {
        c->q.forms = c->forms;
        c->q.nforms = c->nforms;
    }
    return 0;
}

static int run(fetch_cli *c)
{
    e8k_error err;
    e8k_error_clear(&err);
    e8k_fetcher *f = NULL;
    e8k_status st = e8k_fetcher_new(&c->opt, &f, &err);
    if (st == E8K_OK) {
        st = e8k_fetch_run(f, &c->q, &err);
        summary(c, e8k_fetch_stats_of(f));
    }
    if (st != E8K_OK) {
        clear_bar(c);
        cli_print_error(&err);
        if (st == E8K_ERR_USAGE)
            fprintf(stderr, "Run `edgar8k fetch --help` for the options.\n");
    }
    e8k_fetcher_free(f);
    return cli_exit_code(st);
}

int cmd_fetch(int argc, char **argv)
{
    fetch_cli c;
    memset(&c, 0, sizeof c);
    e8k_fetch_options_init(&c.opt);
    int r = parse_args(&c, argc, argv), code;
    char *conf = NULL;
    if (r != 0)
        code = r > 0 ? EXIT_OK : EXIT_USAGE;
    else {
        code = cli_user_agent("fetch", &c.opt.user_agent, &conf);
        if (code == EXIT_OK) {
            c.tty = isatty(STDERR_FILENO);
            c.opt.callback = on_event;
            c.opt.callback_data = &c;
            code = run(&c);
        }
    }
    for (size_t i = 0; i < c.nforms; i++)
        free(c.form_buf[i]);
    free(conf);
    return code;
}
