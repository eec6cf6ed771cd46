/* SPDX-License-Identifier: MIT */
/* inputs.c: the inputs of a command: its operands, then the names listed in
 * --files-from (a file or "-", one name per line or NUL-terminated with
 * -0). The list is read one name at a time, so that a list of millions of
 * paths costs no more memory than one. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cli_inputs_open(cli_inputs *in, const cli_spec *spec, const cli_args *a,
                    int min)
{
    memset(in, 0, sizeof *in);
    in->spec = spec;
    in->operands = a->operands;
    in->noperands = a->noperands;
    in->sep = a->null_sep ? '\0' : '\n';
    if (!a->files_from) {
        if (a->noperands < min)
            return cli_usage_error(spec, "no FILE given (- reads standard "
                                   "input; --files-from LIST reads names)");
        return EXIT_OK;
    }
    in->list_name = a->files_from;
    if (!strcmp(a->files_from, "-")) {
        for (int i = 0; i < a->noperands; i++)
            if (!strcmp(a->operands[i], "-"))
                return cli_usage_error(spec, "standard input cannot be both "
                                       "an input and the --files-from list");
        in->list = stdin;
        in->list_name = "standard input";
        return EXIT_OK;
    }
    in->list = fopen(a->files_from, "r");
    if (!in->list) {
        fprintf(stderr, "edgar8k %s: --files-from %s: %s\n", spec->name,
                a->files_from, strerror(errno));
        return EXIT_IO;
    }
    return EXIT_OK;
}

const char *cli_inputs_next(cli_inputs *in)
{
    if (in->next < in->noperands)
        return in->operands[in->next++];
    while (in->list) {
        ssize_t n = getdelim(&in->line, &in->cap, in->sep, in->list);
        if (n < 0) {
            if (ferror(in->list) && !in->failed) {
                fprintf(stderr, "edgar8k %s: --files-from %s: cannot read: "
                        "%s\n", in->spec->name, in->list_name,
                        strerror(errno));
                in->failed = 1;
            }
            return NULL;
        }
        /* The separator, and the CR of a list written on Windows. */
        if (n && in->line[n - 1] == in->sep)
            in->line[--n] = '\0';
        if (in->sep == '\n' && n && in->line[n - 1] == '\r')
            in->line[--n] = '\0';
        if (n)
            return in->line;
    }
    return NULL;
}

int cli_inputs_close(cli_inputs *in)
{
    if (in->list && in->list != stdin)
        fclose(in->list);
    in->list = NULL;
    free(in->line);
    in->line = NULL;
    return in->failed ? EXIT_IO : EXIT_OK;
}
