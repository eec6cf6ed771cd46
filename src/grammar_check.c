/* SPDX-License-Identifier: MIT */
/* grammar_check.c: `edgar8k grammar-check`: runs every rule's <match> and
 * <nomatch> examples through its pattern (a match example must also hold
 * one of the rule's keywords, and of its anchors, or extraction would
 * never run the rule on it) and times each pattern over adversarial
 * subjects. */
#include "e8k_grammar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- checking ------------------------------------------------------------ */

static int same_value(const e8k_norm *v, const char *expected)
{
    if (!expected[0])
        return 1;
    if (v->has_number) {
        char *end;
        double e = strtod(expected, &end);
        if (*end)
            return 0;
        double tol = 1e-9 * (e < 0 ? -e : e > 1 ? e : 1);
        double d = v->number - e;
        return d <= tol && d >= -tol;
    }
    return !strcmp(v->string, expected);
}

/* 1 when some match of r in s yields `expected` (any value when NULL),
 * 0 when none, -1 on a match error. */
static int example_hits(e8k_matcher *m, const e8k_rule *r, const char *s,
                        const char *expected, e8k_error *err)
{
    size_t len = strlen(s), pos = 0;
    e8k_match mt;
    int rc;
    while ((rc = e8k_rule_next(m, r, s, len, pos, len, &mt, err)) == 1) {
        e8k_norm v;
        if (e8k_rule_value(r, s, &mt, 1, &v) == 0 &&
            (!expected || same_value(&v, expected)))
            return 1;
        pos = mt.all.end > mt.all.start ? mt.all.end : mt.all.start + 1;
    }
    return rc;
}


/* Whether text holds one of the keywords list[0..n): extraction runs a
 * rule only on text that holds one of its keywords (and, with a lead,
 * searches only before its anchors), so a match example without one
 * tests nothing real. -1 out of memory. */
static int holds_one(const e8k_grammar *g, const size_t *list, size_t n,
                     const char *text)
{
    if (n == 0)
        return 1;
    size_t len = strlen(text);
    char *low = malloc(len + 1);
    if (!low)
        return -1;
    e8k_keyword_fold(low, text, len);
    low[len] = '\0';
    int found = 0;
    for (size_t k = 0; k < n && !found; k++)
        found = strstr(low, e8k_grammar_keyword(g, list[k])) != NULL;
    free(low);
    return found;
}

static int keyword_gate(const e8k_grammar *g, const e8k_rule *r,
                        const char *text)
{
    int rc = holds_one(g, r->keywords, r->nkeywords, text);
    if (rc == 1 && r->lead != E8K_NO_LEAD)
        rc = holds_one(g, r->anchors, r->nanchors, text);
    return rc;
}

static size_t check_examples(const e8k_grammar *g, e8k_matcher *m,
                             const e8k_rule *r, e8k_check_fn fn, void *ctx)
{
    size_t fails = 0;
    for (size_t i = 0; i < r->nexamples; i++) {
        const e8k_rule_example *ex = &r->examples[i];
        e8k_error err;
        e8k_error_clear(&err);
        int hit = example_hits(m, r, ex->text, ex->value, &err);
        int want = ex->value != NULL;
        int gated = want && keyword_gate(g, r, ex->text) != 1;
        int ok = hit >= 0 && hit == want && !gated;
        char what[400];
        if (hit < 0)
            snprintf(what, sizeof what, "example error: %.300s", err.message);
        else if (gated)
            snprintf(what, sizeof what,
                     "match example has none of the rule's keywords%s: "
                     "\"%.200s\"",
                     r->nanchors ? " or none of its anchors" : "",
                     ex->text);
        else
            snprintf(what, sizeof what, "%s example%s%s: \"%.200s\"",
                     want ? "match" : "nomatch", want ? " = " : "",
                     want ? ex->value : "", ex->text);
        fails += !ok;
        if (fn)
            fn(ctx, r->id, r->file, ex->line, ok, what, 0);
    }
    return fails;
}

/* CPU time of this thread: the cost of a pattern, not the load of a busy
 * machine sharing the cores. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static const char *const subject_units[] = {"1", "1,", ",", " ", "1 ",
                                            "$1,", "1.", "a "};
#define NSUBJECTS (sizeof subject_units / sizeof subject_units[0])

#define SUBJECT_TAIL 300

static char *make_subject(const char *unit, size_t size)
{
    char *s = malloc(size + SUBJECT_TAIL + 1);
    size_t u = strlen(unit);
    for (size_t i = 0; s && i < size; i++)
        s[i] = unit[i % u];
    if (s)
        s[size] = '\0';
    return s;
}

/* Ends each subject with the rule's first keyword, as a document that
 * passes the keyword gate would: without it PCRE2's required-character
 * shortcut could reject the subject before the pattern ever runs. */
static void set_tail(char **subjects, size_t size, const e8k_grammar *g,
                     const e8k_rule *r)
{
    const char *kw = r->nkeywords ? e8k_grammar_keyword(g, r->keywords[0]) : "";
    for (size_t k = 0; k < NSUBJECTS; k++) {
        size_t u = strlen(subject_units[k]);
        for (size_t i = size; i < size + SUBJECT_TAIL; i++)
            subjects[k][i] = subject_units[k][i % u];
        snprintf(subjects[k] + size, SUBJECT_TAIL, " %s", kw);
    }
}

/* Runs r over a whole subject, every match, as extraction would. */
static size_t time_rule(e8k_matcher *m, const e8k_rule *r, char **subjects,
                        size_t size, double max_ms, e8k_check_fn fn,
                        void *ctx)
{
    size_t fails = 0;
    size += strlen(subjects[0] + size);
    for (size_t k = 0; k < NSUBJECTS; k++) {
        e8k_error err;
        e8k_error_clear(&err);
        int rc = 0;
        double ms = 0;
        /* The best of three runs, of up to fifteen when over budget, with
         * a pause before each of the extra ones: a shared machine has busy
         * spells of a second or more, and only the pattern's own cost
         * counts. A super-linear pattern is over on every run. */
        for (int run = 0; run < 15 && rc == 0 && (run < 3 || ms > max_ms);
             run++) {
            if (run >= 3)
                pause_ms(100);
            size_t pos = 0;
            e8k_match mt;
            double t0 = now_ms();
            while ((rc = e8k_rule_next(m, r, subjects[k], size, pos, size,
                                       &mt, &err)) == 1)
                pos = mt.all.end > mt.all.start ? mt.all.end
                                                : mt.all.start + 1;
            double t = now_ms() - t0;
            ms = run == 0 || t < ms ? t : ms;
        }
        int ok = rc == 0 && ms <= max_ms;
        char what[400];
        snprintf(what, sizeof what, "%zu x \"%s\": %.2f ms%s%.200s", size,
                 subject_units[k], ms, rc < 0 ? ": " : "",
                 rc < 0 ? err.message : "");
        fails += !ok;
        if (fn)
            fn(ctx, r->id, r->file, r->line, ok, what, ms);
    }
    return fails;
}

e8k_status e8k_grammar_check(const e8k_grammar *g, double max_ms,
                             size_t subject_size, e8k_check_fn fn, void *ctx,
                             size_t *failures)
{
    size_t fails = 0;
    e8k_matcher *m = e8k_matcher_new();
    char *subjects[NSUBJECTS] = {0};
    int nomem = !m;
    for (size_t k = 0; k < NSUBJECTS && subject_size; k++)
        nomem |= !(subjects[k] = make_subject(subject_units[k], subject_size));
    for (size_t i = 0; !nomem && g && i < e8k_grammar_nrules(g); i++) {
        fails += check_examples(g, m, e8k_grammar_rule(g, i), fn, ctx);
        if (subject_size)
            set_tail(subjects, subject_size, g, e8k_grammar_rule(g, i));
        if (subject_size)
            fails += time_rule(m, e8k_grammar_rule(g, i), subjects, subject_size,
                               max_ms, fn, ctx);
    }
    for (size_t k = 0; k < NSUBJECTS; k++)
        free(subjects[k]);
    e8k_matcher_free(m);
    if (failures)
        *failures = fails;
    if (nomem)
        return E8K_ERR_NOMEM;
    return fails ? E8K_ERR_CHECK : E8K_OK;
}
