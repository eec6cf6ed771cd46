/* fuzz_extract.c: libFuzzer target for extraction and validation over text
 * with the installed grammars: any text gives records (or a PCRE2 limit
 * warning) and a validation report, never a crash or a hang, every span
 * inside the input and both JSON forms always produced. */
#include "edgar8k.h"
#include "fuzz_load.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_value(const e8k_value *v, size_t size)
{
    if (!v)
        return;
    if (v->span.start > v->span.end || v->span.end > size ||
        v->text_span.end > size || !v->rule || !v->field)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    e8k_records *r = NULL;
    e8k_error err;
    if (e8k_extract_text(load_once(), (const char *)data, size, "8-K", &r,
                         &err) != E8K_OK)
        return 0;
    for (size_t i = 0; i < e8k_records_offering_count(r); i++)
        for (size_t f = 0; f < e8k_offering_field_count(); f++)
            check_value(e8k_records_offering_field(r, i,
                                                   e8k_offering_field_name(f)),
                        size);
    for (size_t i = 0; i < e8k_records_party_count(r); i++)
        check_value(e8k_records_party(r, i), size);
    for (size_t i = 0; i < e8k_records_clause_count(r); i++)
        check_value(e8k_records_clause(r, i), size);
    for (size_t i = 0; i < e8k_records_fact_count(r); i++)
        check_value(e8k_records_fact(r, i), size);
    char *json = NULL;
    if (e8k_records_to_json(r, "fuzz", 0, &json, &err) != E8K_OK)
        abort();
    free(json);
    e8k_report *rep = NULL;
    if (e8k_validate(r, NULL, &rep, &err) != E8K_OK ||
        e8k_report_to_json(rep, "fuzz", 0, &json, &err) != E8K_OK)
        abort();
    free(json);
    e8k_report_free(rep);
    e8k_records_free(r);
    return 0;
}
