/* extract_bench.c: end-to-end throughput of edgar8k on the development
 * corpus (every file under corpus/submissions and corpus/html, and the
 * seed): read is excluded, then for each file the filing parse (submission,
 * text, items) and the extraction with all grammars loaded, single thread,
 * CPU time, best of N passes. Prints MB/s of input for parse, extract and both, so
 * extraction is reported beside parse throughput.
 *
 * Usage: extract_bench [-n RUNS] [-g GRAMMAR_DIR] SHARED_DIR */
#define _XOPEN_SOURCE 700
#include "edgar8k.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct input {
    char *data;
    size_t len;
} input;

static input *inputs;
static size_t ninputs, capinputs, total;

static int add_file(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    size_t n = strlen(path);
    if (flag != FTW_F || (n > 4 && !strcmp(path + n - 4, ".tar")))
        return 0;
    input in;
    e8k_error err;
    if (e8k_file_load(path, &in.data, &in.len, &err) != E8K_OK)
        return 0;
    if (ninputs == capinputs) {
        capinputs = capinputs ? capinputs * 2 : 256;
        input *p = realloc(inputs, capinputs * sizeof *p);
        if (!p)
            exit(1);
        inputs = p;
    }
    inputs[ninputs++] = in;
    total += in.len;
    return 0;
}

/* CPU time of this thread: MB/s per core, whatever else the machine
 * runs meanwhile. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One pass over every input: seconds spent parsing and extracting. */
static void pass(const e8k_grammar *g, double *tparse, double *textract)
{
    *tparse = *textract = 0;
    for (size_t i = 0; i < ninputs; i++) {
        e8k_error err;
        e8k_filing *f = e8k_filing_new("bench");
        double t0 = now();
        e8k_status st = e8k_filing_parse(f, inputs[i].data, inputs[i].len, &err);
        double t1 = now();
        e8k_records *r = NULL;
        if (st == E8K_OK)
            e8k_extract_filing(g, f, &r, &err);
        double t2 = now();
        *tparse += t1 - t0;
        *textract += t2 - t1;
        e8k_records_free(r);
        e8k_filing_free(f);
    }
}

int main(int argc, char **argv)
{
    int runs = 3;
    const char *gdir = getenv("E8K_GRAMMARS") ? getenv("E8K_GRAMMARS") : "../grammars";
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (!strcmp(argv[i], "-n"))
            runs = (int)strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "-g"))
            gdir = argv[i + 1];
    }
    if (i >= argc) {
        fprintf(stderr, "usage: extract_bench [-n RUNS] [-g GRAMMARS] SHARED_DIR\n");
        return 2;
    }
    e8k_grammar *g = NULL;
    e8k_error err;
    if (e8k_grammar_load(gdir, &g, &err) != E8K_OK) {
        fprintf(stderr, "extract_bench: %s:%zu: %s\n", err.file, err.line, err.message);
        return 1;
    }
    char path[4096];
    static const char *const dirs[] = {"corpus/submissions", "corpus/html", "seeds"};
    for (size_t d = 0; d < 3; d++) {
        snprintf(path, sizeof path, "%s/%s", argv[i], dirs[d]);
        nftw(path, add_file, 16, FTW_PHYS);
    }
    double bp = 1e30, be = 1e30, bt = 1e30;
    for (int r = 0; r < (runs > 0 ? runs : 1); r++) {
        double tp, te;
        pass(g, &tp, &te);
        bp = tp < bp ? tp : bp;
        be = te < be ? te : be;
        bt = tp + te < bt ? tp + te : bt;
    }
    double mb = (double)total / 1e6;
    printf("extract_bench: %zu files, %.1f MB, %zu rules, best of %d\n", ninputs, mb,
           e8k_grammar_rule_count(g), runs);
    printf("  parse (read excluded)   %8.1f MB/s\n", mb / bp);
    printf("  extract                 %8.1f MB/s of input\n", mb / be);
    printf("  end to end              %8.1f MB/s\n", mb / bt);
    e8k_grammar_free(g);
    for (size_t k = 0; k < ninputs; k++)
        free(inputs[k].data);
    free(inputs);
    return 0;
}
