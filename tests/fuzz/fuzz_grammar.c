/* fuzz_grammar.c: libFuzzer target for the grammar loader: any bytes as a
 * rule file must load or fail with a located E8K_ERR_GRAMMAR/LIMIT error,
 * never crash; a grammar that loads must pass through the check runner. */
#include "edgar8k.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The schema beside the installed grammars: $E8K_ROOT/grammars, else the
 * source tree seen from tests/fuzz or from the project root. */
static const char *schema_path(void)
{
    static char path[1024];
    if (path[0])
        return path;
    const char *root = getenv("E8K_ROOT");
    const char *cands[] = {root ? root : ".", "../..", "."};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/grammars/grammar.xsd", cands[i]);
        if (access(path, R_OK) == 0)
            return path;
    }
    abort(); /* a fuzz run without its schema tests nothing */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    e8k_grammar *g = NULL;
    e8k_error err;
    e8k_error_clear(&err);
    e8k_status st = e8k_grammar_load_memory((const char *)data, size,
                                            "fuzz.xml", schema_path(), &g,
                                            &err);
    if (st == E8K_OK) {
        size_t fails;
        /* examples only: timing a fuzzed pattern would only measure noise */
        e8k_grammar_check(g, 1e9, 0, NULL, NULL, &fails);
        e8k_records *r = NULL;
        if (e8k_extract_text(g, (const char *)data, size, NULL, &r, &err) ==
            E8K_OK)
            e8k_records_free(r);
        e8k_grammar_free(g);
    } else if (g || err.status != st) {
        abort();
    }
    return 0;
}
