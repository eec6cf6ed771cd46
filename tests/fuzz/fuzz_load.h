/* fuzz_load.h: the grammar the extracting fuzz targets share, loaded once
 * per process from $E8K_ROOT/grammars, else the source tree seen from
 * tests/fuzz or from the project root. */
#ifndef FUZZ_LOAD_H
#define FUZZ_LOAD_H

#include "edgar8k.h"

#include <stdio.h>
#include <stdlib.h>

static e8k_grammar *load_once(void)
{
    static e8k_grammar *g;
    if (g)
        return g;
    const char *root = getenv("E8K_ROOT");
    const char *cands[] = {root ? root : ".", "../..", "."};
    char dir[1024];
    for (size_t i = 0; i < 3 && !g; i++) {
        snprintf(dir, sizeof dir, "%s/grammars", cands[i]);
        e8k_error err;
        if (e8k_grammar_load(dir, &g, &err) != E8K_OK)
            g = NULL;
    }
    if (!g)
        abort(); /* a fuzz run without its grammar tests nothing */
    return g;
}

#endif /* FUZZ_LOAD_H */
