/* common.c: what every subcommand shares: the mapping from library
 * statuses to exit codes, the one-line error format, finding and loading
 * the grammar files, reading a filing up to its records, and the fetch
 * options of `fetch` and `ingest`. */
#include "cli.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    fprintf(stderr, "edgar8k:");
    if (err->file[0])
        fprintf(stderr, " %s:", err->file);
    if (err->line)
        fprintf(stderr, err->file[0] ? "%zu:" : " line %zu:", err->line);
    if (err->offset != E8K_NO_OFFSET)
        fprintf(stderr, " byte %zu:", err->offset);
    if (err->rule[0])
        fprintf(stderr, " [%s]", err->rule);
    fprintf(stderr, " %s: %s\n", e8k_status_string(err->status),
            err->message);
}

static int dir_has_schema(const char *dir)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/grammar.xsd", dir);
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
        /* build/edgar8k and build/asan/edgar8k both sit under the tree */
        static const char *const ups[] = {"/../grammars", "/../../grammars"};
        for (size_t i = 0; i < 2; i++) {
            snprintf(buf, n, "%s%s", exe, ups[i]);
            if (dir_has_schema(buf))
                return buf;
        }
    }
    if (dir_has_schema("grammars"))
        return "grammars";
    return "/usr/local/share/edgar8k/grammars";
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

int cli_filing_read(const e8k_grammar *g, const char *path, cli_filing *cf)
{
    e8k_error err;
    e8k_error_clear(&err);
    *cf = (cli_filing){NULL, 0, e8k_filing_new(path), NULL};
    e8k_status st = cf->f ? e8k_file_load(path, &cf->buf, &cf->len, &err)
                          : E8K_ERR_NOMEM;
    if (st == E8K_OK)
        st = e8k_filing_parse(cf->f, cf->buf, cf->len, &err);
    if (st == E8K_OK)
        st = e8k_extract_filing(g, cf->f, &cf->rec, &err);
    if (st != E8K_OK) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s", path);
        err.status = st;
        cli_print_error(&err);
    }
    return cli_exit_code(st);
}

void cli_filing_done(cli_filing *cf)
{
    e8k_records_free(cf->rec);
    e8k_filing_free(cf->f);
    free(cf->buf);
    *cf = (cli_filing){NULL, 0, NULL, NULL};
}

double cli_number(const char *cmd, const char *opt, const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= 0) || !isfinite(v)) {
        fprintf(stderr, "edgar8k %s: %s: expected a non-negative number, "
                "got \"%s\"\n", cmd, opt, s);
        return -1;
    }
    return v;
}

int cli_fetch_option(const char *cmd, int o, const char *arg,
                     e8k_fetch_options *opt, e8k_fetch_query *q)
{
    switch (o) {
    case CLI_O_CIK: q->cik = arg; break;
    case CLI_O_TICKER: q->ticker = arg; break;
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
    case CLI_O_RATE: {
        double v = cli_number(cmd, "rate", arg);
        if (v < 0)
            return -1;
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
