/* SPDX-License-Identifier: MIT */
/* fuzz_ingest_kind.c: libFuzzer target for what ingest decides before it
 * stores: whether bytes are no filing, and the accession a path names. Any
 * bytes give a static reason or none, never a read past their end; an
 * accession found is always ten digits, a dash, two, a dash, six.
 * Build and run: make -C tests/fuzz run TARGETS=fuzz_ingest_kind
 * Seeds: fixtures/ (filings, JSON, .idx listings). */
#include "ingest_int.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_accession(const char *a)
{
    for (size_t i = 0; i < 20; i++)
        if (i == 10 || i == 13 ? a[i] != '-' : !isdigit((unsigned char)a[i]))
            abort();
    if (a[20])
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The bytes as they are: no NUL at the end to lean on. */
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    const char *why = e8k_ingest_not_filing(copy, size);
    if (why && !*why)
        abort();
    free(copy);
    /* The same bytes as a path (up to the first NUL). */
    char path[4096];
    size_t n = size < sizeof path - 1 ? size : sizeof path - 1;
    memcpy(path, data, n);
    path[n] = '\0';
    char acc[21];
    if (e8k_ingest_path_accession(path, acc))
        check_accession(acc);
    (void)e8k_ingest_name_kind(path);
    (void)e8k_ingest_is_tarball(path);
    return 0;
}
