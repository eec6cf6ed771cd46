/* fuzz_report.c: libFuzzer target for the review page: any bytes that
 * parse as a filing give a page (extraction and validation run first)
 * where the filing's bytes never become markup: the page's one script is
 * the only "<script", every "<mark" is closed, and there is one mark with
 * an id per extracted value that lies in its text. */
#define _GNU_SOURCE /* memmem */
#include "edgar8k.h"
#include "fuzz_load.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count(const char *s, size_t n, const char *needle)
{
    size_t k = 0, m = strlen(needle);
    for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), needle, m));
         p += m)
        k++;
    return k;
}

/* 1 when v's span lies in its document's text (the page marks it);
 * whether extraction keeps to that is fuzz_extract's concern. */
static size_t placed(const e8k_filing *f, const e8k_value *v)
{
    size_t len = 0;
    const e8k_document *d = v && v->document < e8k_filing_document_count(f)
                                ? e8k_filing_document(f, v->document)
                                : NULL;
    if (!d || !d->text || !e8k_text_data(d->text, &len))
        return 0;
    return v->text_span.start <= v->text_span.end && v->text_span.end <= len;
}

static size_t value_count(const e8k_filing *f, const e8k_records *r)
{
    size_t n = 0;
    for (size_t i = 0; i < e8k_records_party_count(r); i++)
        n += placed(f, e8k_records_party(r, i));
    for (size_t i = 0; i < e8k_records_clause_count(r); i++)
        n += placed(f, e8k_records_clause(r, i));
    for (size_t i = 0; i < e8k_records_fact_count(r); i++)
        n += placed(f, e8k_records_fact(r, i));
    for (size_t i = 0; i < e8k_records_offering_count(r); i++)
        for (size_t k = 0; k < e8k_offering_field_count(); k++) {
            const char *name = e8k_offering_field_name(k);
            n += placed(f, e8k_records_offering_field(r, i, name));
            for (size_t a = 0; a < e8k_records_alternate_count(r, i, name); a++)
                n += placed(f, e8k_records_alternate(r, i, name, a));
        }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    e8k_filing *f = e8k_filing_new("fuzz");
    e8k_records *r = NULL;
    e8k_report *rep = NULL;
    e8k_error err;
    char *html = NULL;
    size_t len = 0;
    if (!f)
        abort();
    if (e8k_filing_parse(f, (const char *)data, size, &err) == E8K_OK &&
        e8k_extract_filing(load_once(), f, &r, &err) == E8K_OK) {
        if (e8k_validate(r, f, &rep, &err) != E8K_OK ||
            e8k_report_to_html(rep, f, r, &html, &len, &err) != E8K_OK)
            abort();
        if (count(html, len, "<script") != 1 ||
            count(html, len, "<mark") != count(html, len, "</mark>") ||
            count(html, len, "<mark id=\"v") != value_count(f, r))
            abort();
    }
    free(html);
    e8k_report_free(rep);
    e8k_records_free(r);
    e8k_filing_free(f);
    return 0;
}
