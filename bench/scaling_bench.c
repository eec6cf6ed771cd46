/* scaling_bench.c: checks that edgar8k's guarded paths stay linear in the
 * size of hostile inputs, the claim the untimed unit tests for those shapes
 * (tests/unit/test_items.c terminates_on_hostile_shapes, test_html.c's
 * attribute bombs and stray end tags) leave to a benchmark. Each shape is
 * generated in memory at 1, 2, 4 and 8 MB and fed to the call that must
 * cope with it (e8k_items_scan, e8k_text_convert or e8k_filing_parse); the
 * time is the thread's CPU time, best of several runs. A shape passes when
 * its time per MB at 8 MB is within 2.5 times its time per MB at 1 MB, and
 * only if every call also ended the way the shape expects (refused with
 * E8K_ERR_LIMIT, at most one item, every document read ...), so that a
 * shape cannot pass by measuring some other path. A call that runs past
 * the watchdog (-t seconds, wall time) fails the whole benchmark at once.
 *
 * Prints one line per shape: MB/s at each size, the ratio, ok or
 * SUPER-LINEAR. Exits 1 when any shape fails.
 *
 * Usage: scaling_bench [-n MIN_ROUNDS] [-t WATCHDOG_SECONDS] [NAME_PART] */
#include "edgar8k.h"
#include "internal.h" /* e8k_items_scan: the item scanner is not public */

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MB 1000000u
#define NSIZES 4
#define MAX_RATIO 2.5
/* Rounds over the sizes: at least min_runs, more while a shape has used
 * less than RUN_BUDGET seconds, at most MAX_ROUNDS. */
#define RUN_BUDGET 2.0
#define MAX_ROUNDS 20

static const size_t SIZES_MB[NSIZES] = {1, 2, 4, 8};

/* ---- Building inputs ----------------------------------------------------- */

typedef struct gen {
    char *p;
    size_t n, cap;
} gen;

static void put(gen *g, const char *s, size_t k)
{
    if (g->n + k + 1 > g->cap) {
        size_t cap = g->cap ? g->cap : 1 << 16;
        while (g->n + k + 1 > cap)
            cap *= 2;
        char *p = realloc(g->p, cap);
        if (!p) {
            fprintf(stderr, "scaling_bench: out of memory\n");
            exit(2);
        }
        g->p = p;
        g->cap = cap;
    }
    memcpy(g->p + g->n, s, k);
    g->n += k;
    g->p[g->n] = '\0';
}

static void puts_g(gen *g, const char *s) { put(g, s, strlen(s)); }

static void putf(gen *g, const char *fmt, ...) E8K_PRINTF(2, 3);
static void putf(gen *g, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (k > 0)
        put(g, line, (size_t)k < sizeof line ? (size_t)k : sizeof line - 1);
}

/* Appends `unit` until the input, with `reserve` bytes still to come,
 * reaches `size`. */
static void fill(gen *g, const char *unit, size_t size, size_t reserve)
{
    size_t k = strlen(unit);
    while (g->n + reserve < size)
        put(g, unit, k);
}

/* ---- Shapes: the item scanner --------------------------------------------- */

/* The shapes of terminates_on_hostile_shapes: every line a bare heading,
 * every line a citation, one huge line, a bare heading then blank lines. */
static void make_items_bare(gen *g, size_t n) { fill(g, "Item 5.\n", n, 0); }
static void make_items_cited(gen *g, size_t n)
{
    fill(g, "Item 2.02 of\n", n, 0);
}
static void make_items_one_line(gen *g, size_t n) { fill(g, "Item ", n, 0); }
static void make_items_blank_run(gen *g, size_t n)
{
    puts_g(g, "Item 5.");
    fill(g, "\n", n, 0);
}

/* Every heading's official title wrapped over two lines: each line is
 * weighed against the official wordings, and a repeat replaces the one
 * before (no text between them), so at most one item stays. */
static void make_items_wrapped(gen *g, size_t n)
{
    fill(g, "ITEM 2.03 CREATION OF A DIRECT FINANCIAL OBLIGATION OR AN "
            "OBLIGATION UNDER AN \nOFF-BALANCE SHEET ARRANGEMENT OF A\n",
         n, 0);
}

static int run_items(const char *p, size_t n)
{
    static e8k_item_mark marks[E8K_MAX_ITEMS];
    return e8k_items_scan(p, n, marks, E8K_MAX_ITEMS) <= 1 ? 0 : -1;
}

/* ---- Shapes: HTML through e8k_text_convert --------------------------------- */

/* One start tag with n/2 attributes: refused by the pre-scan, before
 * libxml2's pairwise duplicate check. */
static void make_attr_bomb(gen *g, size_t n)
{
    puts_g(g, "<html><body><p");
    fill(g, " a", n, 9);
    puts_g(g, ">text</p>");
}

/* Packed, quoted values holding '>' and "<i": the pre-scan's slow path,
 * where several emulations of libxml2's tag grammar run at once. */
static void make_attr_quoted(gen *g, size_t n)
{
    puts_g(g, "<p>x</p><p");
    fill(g, " a=\">\"b='<i>'", n, 9);
    puts_g(g, ">text</p>");
}

/* Paragraphs whose title holds "<b>" tags: every one starts an emulation
 * inside a quoted value, which must merge, not pile up. Converts. */
static void make_tags_in_values(gen *g, size_t n)
{
    puts_g(g, "<html><body>");
    fill(g, "<p title='<b><b><b><b><b><b><b><b>'>x y</p>\n", n, 14);
    puts_g(g, "</body></html>");
}

/* Stray end tags under 9000 open elements (the depth limit is 10000):
 * each makes libxml2 scan the stack; refused once the end-tag budget, which
 * grows with the input, is spent. */
static void make_stray_end(gen *g, size_t n)
{
    puts_g(g, "<html><body>");
    for (int i = 0; i < 9000; i++)
        puts_g(g, "<font>");
    fill(g, "</b>", n, 1);
    puts_g(g, "x");
}

/* Start tags never closed, each nesting in the last: refused at the depth
 * limit, whatever follows. */
static void make_unclosed_nested(gen *g, size_t n)
{
    puts_g(g, "<html><body>");
    fill(g, "<font>", n, 0);
}

/* Start tags never closed that libxml2 closes itself (a <li> ends the open
 * <p> and <li>, a <p> the open <p>): the stack stays shallow; converts. */
static void make_unclosed_shallow(gen *g, size_t n)
{
    puts_g(g, "<html><body><ul>");
    fill(g, "<p>para <li>item ", n, 0);
}

/* A style sheet of half the input hiding a class per rule (far past the
 * number recorded), then paragraphs naming those classes: the set of
 * hidden classes must stay bounded and each lookup constant. */
static void make_hidden_classes(gen *g, size_t n)
{
    puts_g(g, "<html><head><style>");
    for (size_t k = 0; g->n < n / 2; k++)
        putf(g, ".c%zu{display:none}\n", k);
    puts_g(g, "</style></head><body>");
    for (size_t k = 0; g->n + 40 < n; k++)
        putf(g, "<p class=\"x c%zu\">t</p>\n", k % 8192);
    puts_g(g, "<p>end</p></body></html>");
}

/* One rule whose selector list is the whole input: ".s0,.s1,...". */
static void make_selector_list(gen *g, size_t n)
{
    puts_g(g, "<style>");
    for (size_t k = 0; g->n + 60 < n; k++)
        putf(g, ".s%zu,", k);
    puts_g(g, ".last{display:none}</style><p class=s1>x</p><p>y</p>");
}

static int run_html(const char *p, size_t n, e8k_status want)
{
    e8k_text *t = NULL;
    e8k_error err;
    e8k_status st = e8k_text_convert(p, n, E8K_FORMAT_HTML, &t, &err);
    e8k_text_free(t);
    return st == want ? 0 : -1;
}

static int run_html_refused(const char *p, size_t n)
{
    return run_html(p, n, E8K_ERR_LIMIT);
}

static int run_html_ok(const char *p, size_t n)
{
    return run_html(p, n, E8K_OK);
}

/* ---- Shapes: submissions through e8k_filing_parse ------------------------ */

static void header_start(gen *g)
{
    puts_g(g, "<SEC-DOCUMENT>0009990001-24-000007.txt : 20240312\n"
              "<SEC-HEADER>0009990001-24-000007.hdr.sgml : 20240312\n"
              "ACCESSION NUMBER:\t\t0009990001-24-000007\n"
              "CONFORMED SUBMISSION TYPE:\t8-K\n"
              "CONFORMED PERIOD OF REPORT:\t20240311\n"
              "ITEM INFORMATION:\t\tOther Events\n"
              "FILED AS OF DATE:\t\t20240312\n");
}

static void plain_document(gen *g, const char *type, size_t seq,
                           const char *body)
{
    putf(g, "<DOCUMENT>\n<TYPE>%s\n<SEQUENCE>%zu\n<FILENAME>d%zu.txt\n"
            "<DESCRIPTION>%s\n<TEXT>\n%s</TEXT>\n</DOCUMENT>\n",
         type, seq, seq, type, body);
}

static const char MAIN_BODY[] =
    "FORM 8-K\n\nCURRENT REPORT\n\nItem 8.01 Other Events.\n\n"
    "On March 11, 2024, the Company issued the press release attached.\n\n"
    "Item 9.01 Financial Statements and Exhibits.\n\n(d) Exhibits.\n";

static const char EXHIBIT_BODY[] =
    "PRESS RELEASE\n\nHarbor Light Holdings Inc. announced today the sale "
    "of 2,000,000 shares\nof common stock at $12.50 per share, for gross "
    "proceeds of $25,000,000.\nThe offering is expected to close on March "
    "14, 2024, subject to\ncustomary closing conditions. The Company "
    "intends to use the net\nproceeds for general corporate purposes.\n"
    "\nContact: investor relations.\n";

/* A plain-text submission of as many small documents as fit (about 440
 * bytes each, so 8 MB stays under E8K_MAX_DOCUMENTS). */
static void make_many_documents(gen *g, size_t n)
{
    header_start(g);
    puts_g(g, "</SEC-HEADER>\n");
    plain_document(g, "8-K", 1, MAIN_BODY);
    for (size_t seq = 2; g->n + 480 < n; seq++) {
        char type[32];
        snprintf(type, sizeof type, "EX-99.%zu", seq - 1);
        plain_document(g, type, seq, EXHIBIT_BODY);
    }
    puts_g(g, "</SEC-DOCUMENT>\n");
}

/* A header of about n bytes: filer sections of about 4.4 KB each (so 8 MB
 * names fewer than E8K_MAX_HEADER_ENTITIES companies), one document. */
static void make_huge_header(gen *g, size_t n)
{
    header_start(g);
    for (size_t k = 0; g->n + 5000 < n; k++) {
        putf(g, "\nFILER:\n\n\tCOMPANY DATA:\t\n"
                "\t\tCOMPANY CONFORMED NAME:\t\t\tHARBOR LIGHT %zu INC\n"
                "\t\tCENTRAL INDEX KEY:\t\t\t%010zu\n"
                "\t\tSTATE OF INCORPORATION:\t\t\tDE\n\n"
                "\tFILING VALUES:\n\t\tFORM TYPE:\t\t8-K\n"
                "\t\tSEC FILE NUMBER:\t001-%05zu\n",
             k, 9990000 + k, k % 100000);
        for (int i = 0; i < 100; i++)
            putf(g, "\tFORMER COMPANY:\t\n\t\tFORMER CONFORMED NAME:\t"
                    "N%d\n", i);
    }
    puts_g(g, "</SEC-HEADER>\n");
    plain_document(g, "8-K", 1, MAIN_BODY);
    puts_g(g, "</SEC-DOCUMENT>\n");
}

/* Parses; 0 when the filing reads with at least `docs` documents, `ents`
 * companies and two items. */
static int run_filing(const char *p, size_t n, size_t docs, size_t ents)
{
    e8k_filing *f = e8k_filing_new("scaling");
    e8k_error err;
    int rc = -1;
    if (f && e8k_filing_parse(f, p, n, &err) == E8K_OK &&
        e8k_filing_document_count(f) >= docs &&
        e8k_filing_header(f)->nentities >= ents &&
        e8k_filing_item_count(f) == 2)
        rc = 0;
    e8k_filing_free(f);
    return rc;
}

static int run_many_documents(const char *p, size_t n)
{
    return run_filing(p, n, n / 500, 0);
}

static int run_huge_header(const char *p, size_t n)
{
    return run_filing(p, n, 1, n / 5000);
}

/* Exhibits of about 150 KB, each a run of 1,500 sentences recounting
 * sales with their own share count, price and warrant series: every
 * sentence is a candidate of the same few fields, so choosing one value
 * per field must not compare each candidate with every other. */
static void make_many_sales(gen *g, size_t n)
{
    header_start(g);
    puts_g(g, "</SEC-HEADER>\n");
    plain_document(g, "8-K", 1, MAIN_BODY);
    for (size_t seq = 2; g->n + 200000 < n; seq++) {
        putf(g, "<DOCUMENT>\n<TYPE>EX-99.%zu\n<SEQUENCE>%zu\n<FILENAME>"
                "s%zu.txt\n<TEXT>\n", seq - 1, seq, seq);
        for (size_t k = 0; k < 1500; k++)
            putf(g, "The Company completed the issuance and sale of %zu,000 "
                    "shares of its common stock at a price of $%zu.%02zu per "
                    "share and Series A warrants to purchase up to %zu,000 "
                    "shares of common stock.\n",
                 100 + k % 700, 1 + k % 40, k % 100, 50 + k % 300);
        puts_g(g, "</TEXT>\n</DOCUMENT>\n");
    }
    puts_g(g, "</SEC-DOCUMENT>\n");
}

/* Extracts with the project's grammars, loaded once: 0 when the filing
 * yields an offering. */
static int run_many_sales(const char *p, size_t n)
{
    static e8k_grammar *gr;
    e8k_error err;
    if (!gr && e8k_grammar_load("../grammars", &gr, &err) != E8K_OK)
        return -1;
    e8k_filing *f = e8k_filing_new("scaling");
    e8k_records *r = NULL;
    int rc = -1;
    if (f && e8k_filing_parse(f, p, n, &err) == E8K_OK &&
        e8k_extract_filing(gr, f, &r, &err) == E8K_OK &&
        e8k_records_offering_count(r) > 0)
        rc = 0;
    e8k_records_free(r);
    e8k_filing_free(f);
    return rc;
}

/* ---- The harness ---------------------------------------------------------- */

typedef struct shape {
    const char *name;
    void (*make)(gen *g, size_t n);
    int (*run)(const char *p, size_t n); /* 0: ended as expected */
} shape;

static const shape SHAPES[] = {
    {"items: every line 'Item 5.'", make_items_bare, run_items},
    {"items: every line 'Item 2.02 of'", make_items_cited, run_items},
    {"items: one line of 'Item '", make_items_one_line, run_items},
    {"items: 'Item 5.' then blank lines", make_items_blank_run, run_items},
    {"items: official titles wrapped", make_items_wrapped, run_items},
    {"html: attribute bomb (refused)", make_attr_bomb, run_html_refused},
    {"html: quoted attribute bomb (refused)", make_attr_quoted,
     run_html_refused},
    {"html: tags inside quoted values", make_tags_in_values, run_html_ok},
    {"html: stray end tags, depth 9000 (refused)", make_stray_end,
     run_html_refused},
    {"html: unclosed nesting tags (refused)", make_unclosed_nested,
     run_html_refused},
    {"html: unclosed self-closing tags", make_unclosed_shallow, run_html_ok},
    {"html: many hidden classes in use", make_hidden_classes, run_html_ok},
    {"html: huge selector list", make_selector_list, run_html_ok},
    {"filing: plain text, many documents", make_many_documents,
     run_many_documents},
    {"filing: huge SGML header", make_huge_header, run_huge_header},
    {"extract: exhibits of 1,500 sales each", make_many_sales, run_many_sales},
};

/* CPU time of this thread: other processes on a shared machine then cost
 * cache and memory bandwidth, not whole time slices. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The watchdog: a call past the limit is super-linear or hung; say which
 * and stop (only async-signal-safe calls in the handler). */
static char watchdog_msg[256];
static size_t watchdog_len;

static void on_alarm(int sig)
{
    (void)sig;
    ssize_t w = write(STDOUT_FILENO, watchdog_msg, watchdog_len);
    (void)w;
    _exit(1);
}

static void arm(const shape *s, size_t mb, unsigned seconds)
{
    int k = snprintf(watchdog_msg, sizeof watchdog_msg,
                     "\n%s: %zu MB still running after %u s: SUPER-LINEAR\n",
                     s->name, mb, seconds);
    watchdog_len = k > 0 && (size_t)k < sizeof watchdog_msg ? (size_t)k : 0;
    alarm(seconds);
}

/* One timed call on input `g` of `mb` MB; *bad set when it did not end
 * as the shape expects. */
static double time_call(const shape *s, const gen *g, size_t mb,
                        unsigned watchdog, int *bad)
{
    arm(s, mb, watchdog);
    double t0 = now();
    int rc = s->run(g->p, g->n);
    double t = now() - t0;
    alarm(0);
    if (rc != 0)
        *bad = 1;
    return t > 1e-9 ? t : 1e-9;
}

/* Best time of `s` at each size. A round runs every size, 4 and 8 MB once,
 * 2 MB twice, 1 MB four times, so that a busy spell of the machine slows
 * the sizes alike and best-of sees each size in quiet moments too; rounds
 * repeat (at least min_runs) while the shape has used less than RUN_BUDGET
 * seconds. */
static void best_times(const shape *s, int min_runs, unsigned watchdog,
                       double *best, size_t *len, int *bad)
{
    gen g[NSIZES];
    memset(g, 0, sizeof g);
    for (size_t i = 0; i < NSIZES; i++) {
        s->make(&g[i], SIZES_MB[i] * MB);
        len[i] = g[i].n;
        best[i] = 1e30;
    }
    double spent = 0;
    size_t top = SIZES_MB[NSIZES - 2];
    for (int r = 0; r < MAX_ROUNDS && (r < min_runs || spent < RUN_BUDGET);
         r++)
        for (size_t i = 0; i < NSIZES; i++)
            for (size_t k = 0; k == 0 || k < top / SIZES_MB[i]; k++) {
                double t = time_call(s, &g[i], SIZES_MB[i], watchdog, bad);
                spent += t;
                if (t < best[i])
                    best[i] = t;
            }
    for (size_t i = 0; i < NSIZES; i++)
        free(g[i].p);
}

/* Measures one shape and prints its line: 1 when it ended unexpectedly,
 * 2 when it grew faster than linearly, else 0. */
static int measure_shape(const shape *s, int min_runs, unsigned watchdog,
                         int last)
{
    double t[NSIZES];
    size_t len[NSIZES];
    int bad = 0;
    printf("%-44s", s->name);
    fflush(stdout);
    best_times(s, min_runs, watchdog, t, len, &bad);
    for (size_t i = 0; i < NSIZES; i++)
        printf(" %9.1f", (double)len[i] / 1e6 / t[i]);
    double per_mb_1 = t[0] / (double)len[0];
    double per_mb_8 = t[NSIZES - 1] / (double)len[NSIZES - 1];
    double ratio = per_mb_8 / per_mb_1;
    int verdict = bad ? 1 : ratio > MAX_RATIO ? 2 : 0;
    printf("  %6.2f  %s\n", ratio,
           verdict == 1   ? "UNEXPECTED-RESULT"
           : verdict == 0 ? "ok"
           : last         ? "SUPER-LINEAR"
                          : "over the limit: measuring again");
    return verdict;
}

/* 0 when the shape scales linearly. A shape over the limit is measured
 * once more, with twice the rounds, and fails only if it is over again:
 * a busy spell of a shared machine can spoil one measurement, while
 * super-linear growth shows every time. */
static int check_shape(const shape *s, int min_runs, unsigned watchdog)
{
    int v = measure_shape(s, min_runs, watchdog, 0);
    if (v == 2)
        v = measure_shape(s, 2 * min_runs, watchdog, 1);
    return v != 0;
}

int main(int argc, char **argv)
{
    int min_runs = 3;
    unsigned watchdog = 30;
    int a = 1;
    for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
        if (!strcmp(argv[a], "-n"))
            min_runs = (int)strtol(argv[a + 1], NULL, 10);
        else if (!strcmp(argv[a], "-t"))
            watchdog = (unsigned)strtoul(argv[a + 1], NULL, 10);
    }
    if (min_runs < 1 || watchdog < 1 || a + 1 < argc) {
        fprintf(stderr, "usage: scaling_bench [-n MIN_ROUNDS] [-t SECONDS] "
                        "[NAME_PART]\n");
        return 2;
    }
    const char *only = a < argc ? argv[a] : NULL;
    signal(SIGALRM, on_alarm);
    printf("scaling: CPU time per MB at 8 MB within %.1fx of 1 MB; "
           "best of >= %d rounds\n%-44s %9s %9s %9s %9s  %6s\n",
           MAX_RATIO, min_runs, "shape (MB/s at size)", "1 MB", "2 MB",
           "4 MB", "8 MB", "ratio");
    int failed = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < sizeof SHAPES / sizeof SHAPES[0]; i++)
        if (!only || strstr(SHAPES[i].name, only))
            failed += check_shape(&SHAPES[i], min_runs, watchdog);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("scaling: %s (%.0f s)\n", failed ? "FAILED" : "all linear",
           (double)(t1.tv_sec - t0.tv_sec) +
               (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
    return failed ? 1 : 0;
}
