/* parse_bench.c: throughput of the text stage against libxml2 alone, on the
 * development corpus: every HTML file under corpus/html (recursively) and
 * every HTML document inside the <TEXT> blocks of corpus/submissions. It
 * prints MB/s, single thread, best of N rounds over all documents (the
 * stages take turns within a round; times are the thread's CPU time, not
 * wall time) for libxml2's tree parse (htmlCtxtReadMemory), libxml2's SAX
 * parse with empty handlers, e8k_text_convert, and, with -g, the whole
 * pipeline on each document (the filing parse, its text and the
 * extraction with every rule of the grammar directory); then text/SAX and
 * end-to-end/SAX from the best rates and as the median of per-round
 * ratios, which the text stage keeps at 0.8 or better and the pipeline at
 * 0.5 or better.
 *
 * Usage: parse_bench [-n ROUNDS] [-g GRAMMAR_DIR] SHARED_DIR
 * (SHARED_DIR holds corpus/) */
#define _XOPEN_SOURCE 700
#include "edgar8k.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct doc {
    char *data;
    size_t len;
} doc;

static doc *docs;
static size_t ndocs, capdocs, total;

static void add_doc(const char *p, size_t n)
{
    if (ndocs == capdocs) {
        capdocs = capdocs ? capdocs * 2 : 64;
        docs = realloc(docs, capdocs * sizeof *docs);
        if (!docs)
            exit(1);
    }
    docs[ndocs].data = malloc(n + 1);
    if (!docs[ndocs].data)
        exit(1);
    memcpy(docs[ndocs].data, p, n);
    docs[ndocs].data[n] = '\0';
    docs[ndocs++].len = n;
    total += n;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (cap - n < 65536) {
            cap = cap ? cap * 2 : 1 << 20;
            char *nb = realloc(buf, cap);
            if (!nb)
                break;
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *len = n;
    return buf;
}

/* The HTML bodies between <TEXT> and </TEXT> of a submission. */
static void add_submission(const char *buf, size_t len)
{
    const char *p = buf, *end = buf + len;
    while ((p = strstr(p, "<TEXT>")) && p < end) {
        const char *body = p + 6;
        const char *stop = strstr(body, "</TEXT>");
        if (!stop)
            stop = end;
        size_t n = (size_t)(stop - body);
        if (e8k_format_detect(body, n, NULL, NULL) == E8K_FORMAT_HTML)
            add_doc(body, n);
        p = stop;
    }
}

static int visit(const char *path, const struct stat *st, int type,
                 struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (type != FTW_F)
        return 0;
    size_t len;
    char *buf = slurp(path, &len);
    if (!buf)
        return 0;
    if (strstr(path, "/submissions/"))
        add_submission(buf, len);
    else if (e8k_format_detect(buf, len, NULL, path) == E8K_FORMAT_HTML)
        add_doc(buf, len);
    free(buf);
    return 0;
}

/* CPU time of this thread: other processes on a shared machine then cost
 * cache and memory bandwidth, not whole time slices. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define OPTIONS                                                          \
    (HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |        \
     HTML_PARSE_NOWARNING | HTML_PARSE_NODEFDTD | HTML_PARSE_IGNORE_ENC | \
     XML_PARSE_HUGE)

static void run_tree(const doc *d)
{
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    htmlDocPtr tree = htmlCtxtReadMemory(ctxt, d->data, (int)d->len, NULL,
                                         "UTF-8", OPTIONS);
    xmlFreeDoc(tree);
    htmlFreeParserCtxt(ctxt);
}

static void nop_element(void *u, const xmlChar *n, const xmlChar **a)
{
    (void)u, (void)n, (void)a;
}
static void nop_end(void *u, const xmlChar *n) { (void)u, (void)n; }
static void nop_chars(void *u, const xmlChar *s, int n)
{
    (void)u, (void)s, (void)n;
}
static void nop_comment(void *u, const xmlChar *s) { (void)u, (void)s; }
static void nop_error(void *u, xmlErrorPtr e) { (void)u, (void)e; }

/* The same parser setup as html.c, with handlers that do nothing. */
static void run_sax(const doc *d)
{
    htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(d->data, (int)d->len);
    xmlSAXHandler *sax = ctxt->sax;
    memset(sax, 0, sizeof *sax);
    sax->startElement = nop_element;
    sax->endElement = nop_end;
    sax->characters = nop_chars;
    sax->ignorableWhitespace = nop_chars;
    sax->cdataBlock = nop_chars;
    sax->comment = nop_comment;
    sax->serror = nop_error;
    sax->initialized = XML_SAX2_MAGIC;
    ctxt->userData = NULL;
    htmlCtxtUseOptions(ctxt, OPTIONS);
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    htmlParseDocument(ctxt);
    htmlFreeParserCtxt(ctxt);
}

static size_t text_bytes;

static void run_text(const doc *d)
{
    e8k_text *t = NULL;
    if (e8k_text_convert(d->data, d->len, E8K_FORMAT_HTML, &t, NULL) ==
        E8K_OK) {
        size_t n;
        e8k_text_data(t, &n);
        text_bytes += n;
    }
    e8k_text_free(t);
}

static e8k_grammar *grammar;

/* Parse, text and extraction, as `edgar8k extract` runs them. */
static void run_pipeline(const doc *d)
{
    e8k_filing *f = e8k_filing_new("bench");
    e8k_records *r = NULL;
    e8k_error err;
    if (f && e8k_filing_parse(f, d->data, d->len, &err) == E8K_OK)
        (void)e8k_extract_filing(grammar, f, &r, &err);
    e8k_records_free(r);
    e8k_filing_free(f);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Best time of each of the n stages over `runs` rounds; the stages take
 * turns within a round so that a busy machine slows them alike, and
 * ratio[k] is the median over rounds of SAX time / stage k's time, which
 * such noise barely moves. */
static void best_times(void (*const fn[])(const doc *), int n, double *best,
                       int runs, double *ratio)
{
    double *r = calloc((size_t)(runs * n), sizeof *r);
    if (!r)
        exit(1);
    for (int k = 0; k < n; k++)
        best[k] = 1e30;
    for (int i = 0; i < runs; i++) {
        double t[4];
        for (int k = 0; k < n; k++) {
            double t0 = now();
            for (size_t d = 0; d < ndocs; d++)
                fn[k](&docs[d]);
            t[k] = now() - t0;
            if (t[k] < best[k])
                best[k] = t[k];
        }
        for (int k = 0; k < n; k++)
            r[k * runs + i] = t[1] / t[k];
    }
    for (int k = 0; k < n; k++) {
        qsort(r + k * runs, (size_t)runs, sizeof *r, cmp_double);
        ratio[k] = r[k * runs + runs / 2];
    }
    free(r);
}

int main(int argc, char **argv)
{
    int runs = 5;
    int a = 1;
    const char *gdir = NULL;
    while (a + 1 < argc && argv[a][0] == '-') {
        if (strcmp(argv[a], "-n") == 0)
            runs = (int)strtol(argv[a + 1], NULL, 10);
        else if (strcmp(argv[a], "-g") == 0)
            gdir = argv[a + 1];
        else
            break;
        a += 2;
    }
    if (a >= argc || runs < 1) {
        fprintf(stderr, "usage: parse_bench [-n ROUNDS] [-g GRAMMAR_DIR] SHARED_DIR\n");
        return 2;
    }
    e8k_error gerr;
    if (gdir && e8k_grammar_load(gdir, &grammar, &gerr) != E8K_OK) {
        fprintf(stderr, "parse_bench: %s\n", gerr.message);
        return 1;
    }
    char path[4096];
    xmlInitParser();
    const char *sub[] = {"corpus/html", "corpus/submissions"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", argv[a], sub[i]);
        nftw(path, visit, 16, FTW_PHYS);
    }
    if (ndocs == 0) {
        fprintf(stderr, "parse_bench: no HTML documents under %s/corpus\n",
                argv[a]);
        return 1;
    }
    printf("corpus: %zu HTML documents, %.1f MB; best of %d rounds\n", ndocs,
           (double)total / 1e6, runs);
    void (*const fn[4])(const doc *) = {run_tree, run_sax, run_text, run_pipeline};
    int nfn = grammar ? 4 : 3;
    double best[4], ratio[4];
    best_times(fn, nfn, best, runs, ratio);
    double mb = (double)total / 1e6;
    double tree = mb / best[0], sax = mb / best[1], text = mb / best[2];
    printf("libxml2 tree parse (htmlCtxtReadMemory)  %8.1f MB/s\n", tree);
    printf("libxml2 SAX parse, empty handlers        %8.1f MB/s\n", sax);
    printf("e8k_text_convert (HTML)                  %8.1f MB/s\n", text);
    printf("text/SAX, best rates                     %8.2f\n", text / sax);
    printf("text/SAX, median of rounds               %8.2f  (target >= 0.80)\n",
           ratio[2]);
    printf("text output: %.1f MB per pass\n",
           (double)text_bytes / runs / 1e6);
    int ok = ratio[2] >= 0.80;
    if (grammar) {
        double e2e = mb / best[3];
        printf("end to end (parse + text + extract)      %8.1f MB/s\n", e2e);
        printf("end-to-end/SAX, best rates               %8.2f\n", e2e / sax);
        printf("end-to-end/SAX, median of rounds         %8.2f  (target >= 0.50)\n",
               ratio[3]);
        ok = ok && ratio[3] >= 0.50;
        e8k_grammar_free(grammar);
    }
    printf("parse_bench: %s\n", ok ? "ok" : "BELOW TARGET");
    for (size_t i = 0; i < ndocs; i++)
        free(docs[i].data);
    free(docs);
    return 0;
}
