/* test_mutation.c: the validator catches a wrong figure. From the
 * project's own fixtures (fixtures/validate-*: a plain-text 8-K with its
 * exhibits, an SGML submission with HTML exhibits) every line of
 * mutations.tsv changes one figure in one place; the copy must fail a
 * check meant for that kind of figure, while the unmutated fixture fails
 * none. Every kind of figure is mutated at least three times. */
#define _GNU_SOURCE /* memmem */
#include "edgar8k.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = {
    "shares", "price", "fee_rate", "net", "cash",
    "change", "warrants", "expiration", "cross_document"};
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

static void run_mutation(mut_run *m, const char *dir, const char *buf,
                         size_t len, char *line)
{
    char *kind = strtok(line, "\t"), *checks = strtok(NULL, "\t");
    char *from = strtok(NULL, "\t"), *to = strtok(NULL, "\t\r\n");
    cr_assert(kind && checks && from && to, "%s: bad mutation line", dir);
    size_t k = 0;
    while (k < NKINDS && strcmp(kinds[k], kind))
        k++;
    cr_assert_lt(k, NKINDS, "%s: unknown kind %s", dir, kind);
    size_t fl = strlen(from), tl = strlen(to);
    const char *at = memmem(buf, len, from, fl);
    cr_assert_not_null(at, "%s: '%s' not in input.txt", dir, from);
    cr_assert_null(memmem(at + 1, len - (size_t)(at - buf) - 1, from, fl),
                   "%s: '%s' occurs more than once", dir, from);
    size_t pre = (size_t)(at - buf), nl = len - fl + tl;
    char *mut = malloc(nl + 1);
    cr_assert_not_null(mut);
    memcpy(mut, buf, pre);
    memcpy(mut + pre, to, tl);
    memcpy(mut + pre + tl, at + fl, len - pre - fl);
    mut[nl] = '\0';
    e8k_report *rep = validate_buf(m->g, dir, mut, nl);
    char failed[1024];
    cr_expect(caught(rep, checks, failed, sizeof failed),
              "%s: %s mutation '%s' -> '%s' not caught by %s (failed: %s)",
              dir, kind, from, to, checks, failed[0] ? failed : "none");
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
    char dir[1200], gdir[1200];
    snprintf(dir, sizeof dir, "%s/fixtures", root());
    snprintf(gdir, sizeof gdir, "%s/grammars", root());
    e8k_grammar *g = NULL;
    e8k_error err;
    cr_assert_eq(e8k_grammar_load(gdir, &g, &err), E8K_OK, "%s", err.message);
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
