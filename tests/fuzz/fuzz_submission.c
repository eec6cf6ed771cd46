/* fuzz_submission.c: libFuzzer target for the submission reader and the
 * whole filing parse: any bytes must give E8K_OK or a located error, never
 * a crash, a hang or a span outside the input; a parsed filing must always
 * convert to JSON. */
#include "edgar8k.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_spans(const e8k_filing *f, size_t size)
{
    for (size_t i = 0; i < e8k_filing_document_count(f); i++) {
        const e8k_document *d = e8k_filing_document(f, i);
        if (d->span.start > d->span.end || d->span.end > size)
            abort();
        if (!d->text)
            continue;
        size_t len;
        e8k_text_data(d->text, &len);
        size_t prev = 0;
        for (size_t p = 0; p <= len; p++) {
            size_t off = e8k_filing_offset(f, i, p);
            if (off < prev || off > d->span.end)
                abort();
            prev = off;
        }
    }
    for (size_t i = 0; i < e8k_filing_item_count(f); i++) {
        const e8k_item *it = e8k_filing_item(f, i);
        if (it->span.start > it->span.end || it->span.end > size)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    e8k_filing *f = e8k_filing_new("fuzz");
    if (!f)
        return 0;
    e8k_error err;
    if (e8k_filing_parse(f, (const char *)data, size, &err) == E8K_OK) {
        check_spans(f, size);
        /* any bytes of a parsed filing have a JSON form */
        char *json = NULL;
        if (e8k_filing_to_json(f, E8K_JSON_TEXT, &json, &err) != E8K_OK)
            abort();
        free(json);
    } else if (err.offset != E8K_NO_OFFSET && err.offset > size) {
        abort();
    }
    e8k_filing_free(f);
    return 0;
}
