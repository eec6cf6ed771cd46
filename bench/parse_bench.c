/* parse_bench.c: throughput of the text stage against libxml2 alone, on the
 * development corpus: every HTML file under corpus/html (recursively) and
 * every HTML document inside the <TEXT> blocks of corpus/submissions. It
 * prints MB/s, single thread, best of N rounds over all documents (the
 * stages take turns within a round; times are the thread's CPU time, not
 * wall time) for libxml2's tree parse (htmlCtxtReadMemory), libxml2's SAX
 * parse with empty handlers, and e8k_text_convert; then text/SAX from the
 * best rates and as the median of per-round ratios, which the text stage
 * keeps at 0.8 or better.
 *
 * Usage: parse_bench [-n ROUNDS] SHARED_DIR   (SHARED_DIR holds corpus/) */
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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Best time of each stage over `runs` rounds; the stages take turns within
 * a round so that a busy machine slows them alike, and *ratio is the median
 * over rounds of SAX time / text time, which such noise barely moves. */
static void best_times(void (*const fn[])(const doc *), double *best,
                       int runs, double *ratio)
{
    double *r = calloc((size_t)runs, sizeof *r);
    if (!r)
        exit(1);
    for (int k = 0; k < 3; k++)
        best[k] = 1e30;
    for (int i = 0; i < runs; i++) {
        double t[3];
        for (int k = 0; k < 3; k++) {
            double t0 = now();
            for (size_t d = 0; d < ndocs; d++)
                fn[k](&docs[d]);
            t[k] = now() - t0;
            if (t[k] < best[k])
                best[k] = t[k];
        }
        r[i] = t[1] / t[2];
    }
    qsort(r, (size_t)runs, sizeof *r, cmp_double);
    *ratio = r[runs / 2];
    free(r);
}

int main(int argc, char **argv)
{
    int runs = 5;
    int a = 1;
    if (a + 1 < argc && strcmp(argv[a], "-n") == 0) {
        runs = (int)strtol(argv[a + 1], NULL, 10);
        a += 2;
    }
    if (a >= argc || runs < 1) {
        fprintf(stderr, "usage: parse_bench [-n ROUNDS] SHARED_DIR\n");
        return 2;
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
    void (*const fn[3])(const doc *) = {run_tree, run_sax, run_text};
    double best[3], ratio;
    best_times(fn, best, runs, &ratio);
    double mb = (double)total / 1e6;
    double tree = mb / best[0], sax = mb / best[1], text = mb / best[2];
    printf("libxml2 tree parse (htmlCtxtReadMemory)  %8.1f MB/s\n", tree);
    printf("libxml2 SAX parse, empty handlers        %8.1f MB/s\n", sax);
    printf("e8k_text_convert (HTML)                  %8.1f MB/s\n", text);
    printf("text/SAX, best rates                     %8.2f\n", text / sax);
    printf("text/SAX, median of rounds               %8.2f  (target >= 0.80)\n",
           ratio);
    printf("text output: %.1f MB per pass\n",
           (double)text_bytes / runs / 1e6);
    for (size_t i = 0; i < ndocs; i++)
        free(docs[i].data);
    free(docs);
    return 0;
}
