/* SPDX-License-Identifier: MIT */
/* common.c: what every subcommand shares: the mapping from library
 * statuses to exit codes, the one-line error format, finding, loading and
 * fingerprinting the grammar files, reading a filing up to its records,
 * and the fetch options of `fetch` and `ingest`. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef E8K_DATADIR /* the Makefile passes PREFIX/share/edgar8k */
#define E8K_DATADIR "/usr/local/share/edgar8k"
#endif

int cli_exit_code(e8k_status status)
{
    switch (status) {
    case E8K_OK: return EXIT_OK;
    case E8K_ERR_CHECK: return EXIT_CHECK;
    case E8K_ERR_USAGE: return EXIT_USAGE;
    case E8K_ERR_EMPTY:
    case E8K_ERR_BINARY:
    case E8K_ERR_TRUNCATED:
    case E8K_ERR_MALFORMED: return EXIT_INPUT;
    case E8K_ERR_LIMIT: return EXIT_LIMIT;
    case E8K_ERR_IO: return EXIT_IO;
    case E8K_ERR_NOMEM: return EXIT_NOMEM;
    case E8K_ERR_NETWORK: return EXIT_NETWORK;
    case E8K_ERR_DATABASE: return EXIT_DATABASE;
    case E8K_ERR_GRAMMAR: return EXIT_GRAMMAR;
    }
    return EXIT_INPUT;
}

int cli_worse(int a, int b)
{
    /* Any failure beats success; among failures the higher code wins,
     * except that a failed check (1) never hides an operational error. */
    return a > b ? a : b;
}

void cli_print_error(const e8k_error *err)
{
    /* Each part that is there is followed by ":", and the next one
     * starts after a space. */
    /* File names and messages quote bytes from outside: escaped, so that
     * nothing printed can move the cursor or forge a line. */
    char file[2048], rule[256], msg[2048];
    e8k_str_escape(err->file, file, sizeof file);
    e8k_str_escape(err->rule, rule, sizeof rule);
    e8k_str_escape(err->message, msg, sizeof msg);
    fprintf(stderr, "edgar8k:");
    if (file[0])
        fprintf(stderr, " %s:", file);
    if (err->line)
        fprintf(stderr, file[0] ? "%zu:" : " line %zu:", err->line);
    if (err->offset != E8K_NO_OFFSET)
        fprintf(stderr, " byte %zu:", err->offset);
    if (rule[0])
        fprintf(stderr, " [%s]", rule);
    fprintf(stderr, " %s: %s\n", e8k_status_string(err->status), msg);
}

static int dir_has_schema(const char *dir)
{
    char p[PATH_MAX];
    if ((size_t)snprintf(p, sizeof p, "%s/grammar.xsd", dir) >= sizeof p)
        return 0;
    return access(p, R_OK) == 0;
}

const char *cli_grammar_dir(const char *opt, char *buf, size_t n)
{
    if (opt)
        return opt;
    const char *env = getenv("E8K_GRAMMARS");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (l > 0) {
        exe[l] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        /* build/edgar8k and build/asan/edgar8k sit under the source tree;
         * an installed PREFIX/bin/edgar8k finds PREFIX/share, wherever
         * PREFIX was moved (DESTDIR staging, a copied tree). */
        static const char *const ups[] = {
            "/../grammars", "/../../grammars", "/../share/edgar8k/grammars"};
        for (size_t i = 0; i < sizeof ups / sizeof ups[0]; i++) {
            char p[PATH_MAX + 64], real[PATH_MAX];
            snprintf(p, sizeof p, "%s%s", exe, ups[i]);
            if (dir_has_schema(p) && realpath(p, real) != NULL) {
                snprintf(buf, n, "%s", real);
                return buf;
            }
        }
    }
    return E8K_DATADIR "/grammars";
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* FNV-1a, 64 bits: a fingerprint, not a defence against anyone. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211u;
    return h;
}

int cli_grammar_fingerprint(const char *dir, char out[17])
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    char *names[256];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL && n < 256;) {
        size_t len = strlen(e->d_name);
        if (len > 4 && (!strcmp(e->d_name + len - 4, ".xml") ||
                        !strcmp(e->d_name + len - 4, ".xsd")))
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, name_cmp);
    uint64_t h = 14695981039346656037u;
    int rc = n ? 0 : -1;
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX], *buf = NULL;
        size_t len = 0;
        snprintf(path, sizeof path, "%s/%s", dir, names[i] ? names[i] : "");
        if (!names[i] || e8k_file_load(path, &buf, &len, NULL) != E8K_OK)
            rc = -1;
        else
            h = fnv(fnv(h, names[i], strlen(names[i]) + 1), buf, len);
        free(buf);
        free(names[i]);
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
    return rc;
}

e8k_grammar *cli_load_grammar(const char *opt, int *code)
{
    char buf[4096];
    e8k_grammar *g = NULL;
    e8k_error err;
    e8k_error_clear(&err);
    e8k_status st = e8k_grammar_load(cli_grammar_dir(opt, buf, sizeof buf),
                                     &g, &err);
    *code = cli_exit_code(st);
    if (st != E8K_OK)
        cli_print_error(&err);
    return g;
}

int cli_filing_read_as(const e8k_grammar *g, const char *path, int as_text,
                       cli_filing *cf)
{
    e8k_error err;
    e8k_error_clear(&err);
    *cf = (cli_filing){NULL, 0, as_text ? NULL : e8k_filing_new(path), NULL};
    e8k_status st = as_text || cf->f
                        ? e8k_file_load(path, &cf->buf, &cf->len, &err)
                        : E8K_ERR_NOMEM;
    if (st == E8K_OK && as_text)
        st = e8k_extract_text(g, cf->buf, cf->len, "8-K", &cf->rec, &err);
    else if (st == E8K_OK)
        st = e8k_filing_parse(cf->f, cf->buf, cf->len, &err);
    /* What the reading let pass (a stray NUL read as a space, an inner
     * document in a wide encoding) is said, as `parse` says it. */
    for (size_t i = 0; st == E8K_OK && cf->f &&
                       i < e8k_filing_warning_count(cf->f); i++)
        cli_print_error(e8k_filing_warning(cf->f, i));
    if (st == E8K_OK && !as_text)
        st = e8k_extract_filing(g, cf->f, &cf->rec, &err);
    if (st != E8K_OK) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s", path);
        err.status = st;
        cli_print_error(&err);
    }
    return cli_exit_code(st);
}

int cli_filing_read(const e8k_grammar *g, const char *path, cli_filing *cf)
{
    return cli_filing_read_as(g, path, 0, cf);
}

void cli_filing_done(cli_filing *cf)
{
    e8k_records_free(cf->rec);
    e8k_filing_free(cf->f);
    free(cf->buf);
    *cf = (cli_filing){NULL, 0, NULL, NULL};
}

/* ---- The fetch options `fetch` and `ingest` share ------------------------- */

/* Room for `need` elements of `size` bytes in *v (of *cap); -1: memory. */
static int grow(void *v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? 2 * *cap : 16;
    while (n < need)
        n *= 2;
    void *p = realloc(*(void **)v, n * size);
    if (!p)
        return -1;
    *(void **)v = p;
    *cap = n;
    return 0;
}

static int list_add(cli_list *l, const char *s)
{
    if (grow(&l->v, &l->cap, l->n + 1, sizeof *l->v))
        return -1;
    l->v[l->n++] = s;
    return 0;
}

/* Keeps a copy of s for the list's values to point into. */
static char *list_own(cli_list *l, const char *s, size_t n)
{
    char *copy = strndup(s, n);
    if (!copy || grow(&l->owned, &l->capowned, l->nowned + 1,
                      sizeof *l->owned)) {
        free(copy);
        return NULL;
    }
    l->owned[l->nowned++] = copy;
    return copy;
}

/* The values of `arg`, separated by commas (and blanks), added to l. */
static int list_split(cli_list *l, const char *arg)
{
    char *copy = list_own(l, arg, strlen(arg)), *save = NULL;
    if (!copy)
        return -1;
    for (char *t = strtok_r(copy, ", \t", &save); t;
         t = strtok_r(NULL, ", \t", &save))
        if (list_add(l, t) != 0)
            return -1;
    return 0;
}

static void list_free(cli_list *l)
{
    for (size_t i = 0; i < l->nowned; i++)
        free(l->owned[i]);
    free(l->owned);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int is_cik(const char *s)
{
    size_t n = strlen(s);
    return n >= 1 && n <= 10 && strspn(s, "0123456789") == n;
}

/* --cik @FILE: CIKs one a line (or several, comma-separated), blank lines
 * and '#' comments skipped. */
static int ciks_from_file(const cli_spec *spec, cli_list *l, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        fprintf(stderr, "edgar8k %s: --cik @%s: cannot open: %s\n",
                spec->name, path, strerror(errno));
        return EXIT_IO;
    }
    char *line = NULL;
    size_t cap = 0, first = l->n;
    int rc = 0;
    for (size_t no = 1; !rc && getline(&line, &cap, fp) >= 0; no++) {
        line[strcspn(line, "#\r\n")] = '\0';
        first = l->n;
        if (list_split(l, line) != 0) {
            rc = cli_usage_error(spec, "--cik @%s: out of memory", path);
            break;
        }
        for (size_t i = first; i < l->n && !rc; i++)
            if (!is_cik(l->v[i]))
                rc = cli_usage_error(spec, "--cik @%s:%zu: \"%.40s\" is not "
                                     "a CIK (1 to 10 digits)", path, no,
                                     l->v[i]);
    }
    if (!rc && ferror(fp)) {
        fprintf(stderr, "edgar8k %s: --cik @%s: cannot read: %s\n",
                spec->name, path, strerror(errno));
        rc = EXIT_IO;
    }
    free(line);
    fclose(fp);
    return rc;
}

static int add_ciks(const cli_spec *spec, cli_list *l, const char *arg)
{
    if (arg[0] == '@')
        return ciks_from_file(spec, l, arg + 1);
    size_t first = l->n;
    if (list_split(l, arg) != 0)
        return cli_usage_error(spec, "--cik: out of memory");
    for (size_t i = first; i < l->n; i++)
        if (!is_cik(l->v[i]))
            return cli_usage_error(spec, "--cik: \"%.40s\" is not a CIK (1 "
                                   "to 10 digits), nor @FILE", l->v[i]);
    return 0;
}

void cli_fetch_lists_apply(cli_fetch_lists *l, e8k_fetch_query *q)
{
    if (l->forms.n)
        q->forms = l->forms.v, q->nforms = l->forms.n;
    if (q->accession && l->ciks.n == 1) /* the agent's CIK of a filing */
        q->cik = l->ciks.v[0];
    else if (l->ciks.n)
        q->ciks = l->ciks.v, q->nciks = l->ciks.n;
    if (l->tickers.n)
        q->tickers = l->tickers.v, q->ntickers = l->tickers.n;
    if (l->items.n)
        q->items = l->items.v, q->nitems = l->items.n;
}

void cli_fetch_lists_free(cli_fetch_lists *l)
{
    list_free(&l->forms);
    list_free(&l->ciks);
    list_free(&l->tickers);
    list_free(&l->items);
}

/* --limit: a whole number of filings, at least one. */
static int set_limit(const cli_spec *spec, e8k_fetch_query *q,
                     const char *arg)
{
    double v = cli_number(spec, "limit", arg);
    if (v < 0)
        return EXIT_USAGE;
    if (v < 1 || v > 1e15 || v != (double)(size_t)v)
        return cli_usage_error(spec, "--limit: expected a whole number of "
                               "filings, at least 1, got '%s'", arg);
    q->limit = (size_t)v;
    return 0;
}

int cli_fetch_option(const cli_spec *spec, int key, const char *arg,
                     e8k_fetch_options *opt, e8k_fetch_query *q,
                     cli_fetch_lists *l)
{
    cli_list *list = key == CLI_O_FORM ? &l->forms
                     : key == CLI_O_TICKER ? &l->tickers
                     : key == CLI_O_ITEMS ? &l->items : NULL;
    if (list) {
        if (list_split(list, arg) != 0)
            return cli_usage_error(spec, "out of memory");
        return 0;
    }
    switch (key) {
    case CLI_O_CIK: return add_ciks(spec, &l->ciks, arg);
    case CLI_O_LIMIT: return set_limit(spec, q, arg);
    case CLI_O_SEARCH: q->search = arg; break;
    case CLI_O_QUARTER: q->quarter = arg; break;
    case CLI_O_DATE: q->date = arg; break;
    case CLI_O_ACCESSION: q->accession = arg; break;
    case CLI_O_FEED: q->feed = arg; break;
    case CLI_O_SINCE: q->since = arg; break;
    case CLI_O_UNTIL: q->until = arg; break;
    case CLI_O_STORE: opt->store_dir = arg; break;
    case CLI_O_UA: opt->user_agent = arg; break;
    case CLI_O_BASE: opt->base_url = arg; break;
    case CLI_O_DATA: opt->data_url = arg; break;
    case CLI_O_EFTS: opt->efts_url = arg; break;
    case CLI_O_RATE: {
        double v = cli_number(spec, "rate", arg);
        if (v < 0)
            return EXIT_USAGE;
        opt->rate = v;
        break;
    }
    default: return 1;
    }
    return 0;
}

/* "user-agent = Name email" from $XDG_CONFIG_HOME/edgar8k/config or
 * ~/.config/edgar8k/config; returns a malloc'ed value or NULL. */
static char *config_user_agent(void)
{
    char path[1024];
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(path, sizeof path, "%s/edgar8k/config", xdg);
    else if (home && *home)
        snprintf(path, sizeof path, "%s/.config/edgar8k/config", home);
    else
        return NULL;
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    char line[512], *out = NULL;
    while (!out && fgets(line, sizeof line, fp)) {
        char *s = line + strspn(line, " \t");
        if (strncmp(s, "user-agent", 10) != 0)
            continue;
        s += 10 + strspn(s + 10, " \t");
        if (*s != '=' && *s != ':')
            continue;
        s += 1 + strspn(s + 1, " \t");
        size_t n = strcspn(s, "\r\n");
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
            s++, n -= 2;
        out = n ? strndup(s, n) : NULL;
    }
    fclose(fp);
    return out;
}

static int no_user_agent(const char *cmd, const char *why)
{
    fprintf(stderr,
            "edgar8k %s: %s\n"
            "The SEC requires every client to declare itself with a "
            "User-Agent of the form \"Name email@domain\". Set one with\n"
            "  --user-agent \"Jane Doe jane@example.com\"\n"
            "  or export EDGAR8K_USER_AGENT=\"Jane Doe jane@example.com\"\n"
            "  or the line  user-agent = Jane Doe jane@example.com  in "
            "~/.config/edgar8k/config\n", cmd, why);
    return EXIT_USAGE;
}

int cli_user_agent(const char *cmd, const char **ua, char **owned)
{
    *owned = NULL;
    if (!*ua || !**ua)
        *ua = getenv("EDGAR8K_USER_AGENT");
    if (!*ua || !**ua)
        *ua = *owned = config_user_agent();
    if (!*ua || !**ua)
        return no_user_agent(cmd, "no User-Agent given");
    e8k_error err;
    e8k_error_clear(&err);
    if (e8k_fetch_check_user_agent(*ua, &err) == E8K_OK)
        return EXIT_OK;
    free(*owned);
    *ua = *owned = NULL;
    return no_user_agent(cmd, err.message);
}

int cli_begin(const cli_spec *spec, const cli_args *a, cli_inputs *in,
              e8k_grammar **g)
{
    int rc = cli_inputs_open(in, spec, a, 1);
    if (rc != EXIT_OK)
        return rc;
    if (g && !(*g = cli_load_grammar(a->grammars, &rc))) {
        cli_inputs_close(in);
        return rc;
    }
    if ((rc = cli_out_open(spec, a->output)) != EXIT_OK) {
        if (g)
            e8k_grammar_free(*g);
        cli_inputs_close(in);
    }
    return rc;
}

int cli_end(cli_inputs *in, e8k_grammar *g, int rc)
{
    rc = cli_worse(rc, cli_inputs_close(in));
    e8k_grammar_free(g);
    return cli_out_close(rc);
}

void cli_filing_title(const e8k_filing *f, const char *path)
{
    const e8k_header *h = f ? e8k_filing_header(f) : NULL;
    cli_out_printf("%s", path);
    if (!h || !h->accession)
        return;
    const char *company = h->nentities && h->entities[0].name
                              ? h->entities[0].name : "";
    cli_out_printf(" (%s%s%s, %s filed %s)", h->accession, *company ? ", " : "",
                   company, h->form_type ? h->form_type : "?",
                   h->filed ? h->filed : "?");
}
