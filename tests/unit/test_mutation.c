/* test_mutation.c: the validator catches a wrong figure, and only a wrong
 * one. From the project's own fixtures (fixtures/validate-*: a plain-text
 * 8-K with its exhibits, an SGML submission with HTML exhibits) every line
 * of mutations.tsv changes one figure in one place (or two figures that
 * must move together); the copy must fail a check meant for that kind of
 * figure, or, for the kind `holds`, a change within the stated precision,
 * fail none. Every kind of figure is mutated at least three times, and
 * sweeps move a figure step by step across the edge of what its stated
 * precision allows: the validator must fail exactly past that edge. The
 * unmutated fixtures fail no check. */
#define _GNU_SOURCE /* memmem */
#include "edgar8k.h"
#include "records_helpers.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = {
    "shares", "price", "fee_rate", "net", "cash",
    "change", "warrants", "expiration", "cross_document", "holds"};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static const char *root(void)
{
    const char *r = getenv("E8K_ROOT");
    return r ? r : ".";
}

static char *slurp(const char *path, size_t *len)
{
    char *buf = NULL;
    e8k_error err;
    cr_assert_eq(e8k_file_load(path, &buf, len, &err), E8K_OK, "%s", path);
    return buf;
}

static e8k_report *validate_buf(const e8k_grammar *g, const char *name,
                                const char *buf, size_t len)
{
    e8k_error err;
    e8k_filing *f = e8k_filing_new(name);
    cr_assert_eq(e8k_filing_parse(f, buf, len, &err), E8K_OK, "%s", err.message);
    e8k_records *rec = NULL;
    cr_assert_eq(e8k_extract_filing(g, f, &rec, &err), E8K_OK, "%s", err.message);
    e8k_report *rep = NULL;
    cr_assert_eq(e8k_validate(rec, f, &rep, &err), E8K_OK);
    e8k_records_free(rec);
    e8k_filing_free(f);
    return rep;
}

static void expect_clean(const e8k_report *rep, const char *name)
{
    for (size_t i = 0; i < e8k_report_count(rep); i++) {
        const e8k_finding *f = e8k_report_finding(rep, i);
        cr_expect_neq(f->status, E8K_CHECK_FAIL, "%s: unmutated fixture "
                      "fails %s: %s", name, f->id, f->reason);
    }
}

/* Whether a check of the comma-separated list `checks` failed. */
static int caught(const e8k_report *rep, const char *checks, char *failed,
                  size_t n)
{
    int hit = 0;
    failed[0] = '\0';
    for (size_t i = 0; i < e8k_report_count(rep); i++) {
        const e8k_finding *f = e8k_report_finding(rep, i);
        if (f->status != E8K_CHECK_FAIL)
            continue;
        size_t l = strlen(failed);
        snprintf(failed + l, n - l, "%s%s", l ? "," : "", f->id);
        size_t il = strlen(f->id);
        for (const char *p = checks; (p = strstr(p, f->id)); p += il)
            if ((p == checks || p[-1] == ',') && (p[il] == ',' || !p[il]))
                hit = 1;
    }
    return hit;
}

typedef struct mut_run {
    const e8k_grammar *g;
    size_t per_kind[NKINDS];
    size_t total;
} mut_run;

/* buf with the one occurrence of `from` replaced by `to` (malloc'ed). */
static char *replace_once(const char *dir, const char *buf, size_t len,
                          const char *from, const char *to, size_t *nl)
{
    size_t fl = strlen(from), tl = strlen(to);
    const char *at = memmem(buf, len, from, fl);
    cr_assert_not_null(at, "%s: '%s' not in input.txt", dir, from);
    cr_assert_null(memmem(at + 1, len - (size_t)(at - buf) - 1, from, fl),
                   "%s: '%s' occurs more than once", dir, from);
    size_t pre = (size_t)(at - buf);
    *nl = len - fl + tl;
    char *mut = malloc(*nl + 1);
    cr_assert_not_null(mut);
    memcpy(mut, buf, pre);
    memcpy(mut + pre, to, tl);
    memcpy(mut + pre + tl, at + fl, len - pre - fl);
    mut[*nl] = '\0';
    return mut;
}

/* kind, checks, then pairs of text replaced and its replacement. */
static void run_mutation(mut_run *m, const char *dir, const char *buf,
                         size_t len, char *line)
{
    char *save = NULL;
    char *kind = strtok_r(line, "\t", &save);
    char *checks = strtok_r(NULL, "\t", &save);
    cr_assert(kind && checks, "%s: bad mutation line", dir);
    size_t k = 0;
    while (k < NKINDS && strcmp(kinds[k], kind))
        k++;
    cr_assert_lt(k, NKINDS, "%s: unknown kind %s", dir, kind);
    char *mut = malloc(len + 1), *from, *first = NULL;
    cr_assert_not_null(mut);
    memcpy(mut, buf, len + 1);
    size_t n = len;
    while ((from = strtok_r(NULL, "\t", &save)) != NULL) {
        char *to = strtok_r(NULL, "\t\r\n", &save);
        cr_assert(to, "%s: '%s' has no replacement", dir, from);
        size_t nl;
        char *next = replace_once(dir, mut, n, from, to, &nl);
        free(mut);
        mut = next;
        n = nl;
        first = first ? first : from;
    }
    cr_assert(first, "%s: a mutation line changes nothing", dir);
    e8k_report *rep = validate_buf(m->g, dir, mut, n);
    char failed[1024];
    int hit = caught(rep, checks, failed, sizeof failed);
    if (!strcmp(kind, "holds"))
        cr_expect(!failed[0], "%s: '%s' changed within its precision, yet "
                  "%s failed", dir, first, failed);
    else
        cr_expect(hit, "%s: %s mutation of '%s' not caught by %s (failed: %s)",
                  dir, kind, first, checks, failed[0] ? failed : "none");
    e8k_report_free(rep);
    free(mut);
    m->per_kind[k]++;
    m->total++;
}

static void run_fixture(mut_run *m, const char *dir)
{
    char path[4096];
    size_t len;
    snprintf(path, sizeof path, "%.3000s/input.txt", dir);
    char *buf = slurp(path, &len);
    e8k_report *rep = validate_buf(m->g, path, buf, len);
    expect_clean(rep, path);
    e8k_report_free(rep);
    snprintf(path, sizeof path, "%.3000s/mutations.tsv", dir);
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s", path);
    char line[2048];
    while (fgets(line, sizeof line, fp))
        if (line[0] != '#' && line[0] != '\n')
            run_mutation(m, dir, buf, len, line);
    fclose(fp);
    free(buf);
}

Test(validate, mutations_are_caught_by_their_checks, .timeout = 120)
{
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/fixtures", root());
    e8k_grammar *g = load_grammars();
    mut_run m = {g, {0}, 0};
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    struct dirent *de;
    size_t nfix = 0;
    while ((de = readdir(d))) {
        if (strncmp(de->d_name, "validate-", 9) != 0)
            continue;
        char sub[2048];
        snprintf(sub, sizeof sub, "%s/%s", dir, de->d_name);
        run_fixture(&m, sub);
        nfix++;
    }
    closedir(d);
    e8k_grammar_free(g);
    cr_assert_geq(nfix, 2, "fixtures/validate-* missing");
    for (size_t k = 0; k < NKINDS; k++)
        cr_expect_geq(m.per_kind[k], 3, "only %zu mutations of kind %s",
                      m.per_kind[k], kinds[k]);
}

/* ---- sweeps across the edge of the stated precision ----------------------- */

/* A figure replaced by each value of a range (with a second figure that
 * moves with it, so that only the contradiction under test remains): the
 * check must fail exactly for the values past `edge` (one-sided), or for
 * every value but `edge` (two-sided, a figure stated exactly twice). */
typedef struct sweep {
    const char *fixture;
    const char *from, *fmt;   /* fmt: printf of the value */
    const char *from2, *fmt2; /* printf of value + offset2, or NULL */
    double offset2;
    double lo, hi, step;
    double edge;
    int two_sided;
    const char *check;
} sweep;

static const sweep sweeps[] = {
    /* gross 12,500,000 x $2.36 less 6.5% fees = 27,582,500: net stated to
     * $10,000 ("$27.59 million" is 27.585M at least) contradicts it past
     * 27.5875M; the cash after the offering follows the net */
    {"validate-plain-8k", "approximately $27.3 million",
     "approximately $%.2f million", "approximately $39.1 million",
     "approximately $%.2f million", 11.8, 27.40, 27.70, 0.01, 27.5875, 0,
     "net.within_gross"},
    /* 15,199,200 less 7% = 14,135,256 */
    {"validate-sgml-html", "approximately $13.9 million",
     "approximately $%.2f million", "approximately $22.3 million",
     "approximately $%.2f million", 8.4, 13.95, 14.30, 0.01, 14.140256, 0,
     "net.within_gross"},
    /* $4.75 per share in three documents: any other price in one of them
     * contradicts the others (and the stated gross) */
    {"validate-sgml-html", "The purchase price is $4.75 per share",
     "The purchase price is $%.2f per share", NULL, NULL, 0, 4.70, 4.80,
     0.01, 4.75, 1, "agree.price_per_share"},
    /* 5.5% in the 8-K and the agency agreement */
    {"validate-plain-8k", "placement fees equal to 5.5%",
     "placement fees equal to %.1f%%", NULL, NULL, 0, 5.0, 6.0, 0.1, 5.5, 1,
     "agree.fee_pct"},
};

static int check_failed(const e8k_report *rep, const char *id)
{
    for (size_t i = 0; i < e8k_report_count(rep); i++) {
        const e8k_finding *f = e8k_report_finding(rep, i);
        if (f->status == E8K_CHECK_FAIL && !strcmp(f->id, id))
            return 1;
    }
    return 0;
}

Test(validate, sweeps_fail_exactly_past_the_stated_precision, .timeout = 120)
{
    e8k_grammar *g = load_grammars();
    for (size_t s = 0; s < sizeof sweeps / sizeof sweeps[0]; s++) {
        const sweep *w = &sweeps[s];
        char path[1400];
        size_t len, fails = 0, passes = 0;
        snprintf(path, sizeof path, "%s/fixtures/%s/input.txt", root(),
                 w->fixture);
        char *buf = slurp(path, &len);
        for (double v = w->lo; v <= w->hi + w->step / 2; v += w->step) {
            char to[128], to2[128];
            snprintf(to, sizeof to, w->fmt, v);
            size_t n1, n2;
            char *m1 = replace_once(w->fixture, buf, len, w->from, to, &n1);
            char *m2 = m1;
            n2 = n1;
            if (w->from2) {
                snprintf(to2, sizeof to2, w->fmt2, v + w->offset2);
                m2 = replace_once(w->fixture, m1, n1, w->from2, to2, &n2);
            }
            /* the value as stated: what the text says, rounded */
            double stated = strtod(to + strcspn(to, "0123456789"), NULL);
            int want = w->two_sided ? fabs(stated - w->edge) > 1e-9
                                    : stated > w->edge + 1e-9;
            e8k_report *rep = validate_buf(g, path, m2, n2);
            int got = check_failed(rep, w->check);
            cr_expect_eq(got, want, "%s: '%s' -> '%s': %s %s", w->fixture,
                         w->from, to, w->check,
                         got ? "failed" : "did not fail");
            char failed[1024];
            caught(rep, "", failed, sizeof failed);
            if (!want) /* within the precision: nothing else fails either */
                cr_expect(!failed[0], "%s: '%s' -> '%s': %s failed",
                          w->fixture, w->from, to, failed);
            fails += (size_t)want;
            passes += (size_t)!want;
            e8k_report_free(rep);
            if (m2 != m1)
                free(m2);
            free(m1);
        }
        /* a sweep that never crosses its edge tests nothing */
        cr_assert(fails && passes, "%s: sweep of '%s' on one side only",
                  w->fixture, w->from);
        free(buf);
    }
    e8k_grammar_free(g);
}
