/* SPDX-License-Identifier: MIT */
/* edgar_search.c: reads the answers of EDGAR full-text search (efts.sec.gov
 * LATEST/search-index, an Elasticsearch response) into index entries, one
 * per hit: a filing found through each of its documents that match. Buffer
 * in, entries out, no I/O, so that the fuzz target can feed it anything. */
#include "fetch_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static e8k_status nomem(e8k_error *err, const char *name)
{
    return e8k_fail(err, E8K_ERR_NOMEM, name, NULL, 0, E8K_NO_OFFSET,
                    "out of memory");
}

/* "ACME CORP  (ACMW)  (CIK 0001000001)" as "ACME CORP": the service adds
 * the tickers and the CIK, two blanks before each. */
static void company_of(json_t *names, char *out, size_t cap)
{
    const char *s = json_string_value(json_array_get(names, 0));
    out[0] = '\0';
    if (!s)
        return;
    const char *cut = strstr(s, "  (");
    if (!cut)
        cut = strstr(s, " (CIK ");
    size_t n = cut ? (size_t)(cut - s) : strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), s);
}

/* The strings of a JSON array joined by commas into b; CIKs normalized
 * (no leading zeros) when `ciks`; first_cik gets the first. -1: memory. */
static int join(json_t *arr, int ciks, e8k_buf *b, char first_cik[11])
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        const char *s = json_string_value(v);
        char cik[11];
        if (!s || !*s || strchr(s, ','))
            continue;
        if (ciks) {
            if (e8k_cik_normalize(s, strlen(s), cik) != 0)
                continue;
            if (!first_cik[0])
                snprintf(first_cik, 11, "%s", cik);
            s = cik;
        }
        if (e8k_buf_printf(b, "%s%s", b->len ? "," : "", s) != 0)
            return -1;
    }
    return 0;
}

static void skip_hit(e8k_index_list *out, const char *name, size_t i,
                     const char *why)
{
    if (out->nskips < E8K_INDEX_SKIPS_KEPT)
        e8k_fail(&out->skips[out->nskips], E8K_ERR_MALFORMED, name, NULL, 0,
                 E8K_NO_OFFSET, "hits.hits[%zu]: %s: skipped", i, why);
    out->nskips++;
}

/* One hit into an entry of out; 0, or -1 when out of memory. */
static int read_hit(json_t *hit, size_t i, const char *name,
                    e8k_index_list *out)
{
    json_t *src = json_object_get(hit, "_source");
    e8k_index_entry e = {0};
    const char *acc = json_string_value(json_object_get(src, "adsh"));
    const char *id = json_string_value(json_object_get(hit, "_id"));
    const char *date = json_string_value(json_object_get(src, "file_date"));
    if (!acc && id) /* "0001000001-24-000004:d123.htm" */
        acc = id;
    size_t an = acc ? strcspn(acc, ":") : 0;
    if (!json_is_object(src) || !acc ||
        e8k_accession_normalize(acc, an, e.accession) != 0) {
        skip_hit(out, name, i, "no accession number (adsh, _id)");
        return 0;
    }
    if (!date || e8k_date_normalize(date, strlen(date), e.date) != 0) {
        skip_hit(out, name, i, "no filing date (file_date)");
        return 0;
    }
    e8k_buf ciks = {0}, items = {0};
    char company[512];
    int fail = join(json_object_get(src, "ciks"), 1, &ciks, e.cik) ||
               join(json_object_get(src, "items"), 0, &items, NULL);
    if (!fail && !e.cik[0]) {
        e8k_buf_free(&ciks);
        e8k_buf_free(&items);
        skip_hit(out, name, i, "no CIK (ciks)");
        return 0;
    }
    const char *form = json_string_value(json_object_get(src, "form"));
    if (!form)
        form = json_string_value(
            json_array_get(json_object_get(src, "root_forms"), 0));
    company_of(json_object_get(src, "display_names"), company,
               sizeof company);
    e.form = form ? form : "";
    e.company = company;
    e.items = items.data ? items.data : "";
    e.ciks = ciks.data ? ciks.data : e.cik;
    fail = fail || e8k_index_list_add(out, &e) != 0;
    e8k_buf_free(&ciks);
    e8k_buf_free(&items);
    return fail ? -1 : 0;
}

/* hits.total: {"value": N, "relation": "eq"|"gte"}, or N (older form). */
static void read_total(json_t *t, size_t *total, int *capped)
{
    json_t *v = json_is_object(t) ? json_object_get(t, "value") : t;
    const char *rel = json_string_value(json_object_get(t, "relation"));
    json_int_t n = json_integer_value(v);
    *total = n > 0 ? (size_t)n : 0;
    *capped = rel && !strcmp(rel, "gte");
}

e8k_status e8k_search_parse(const char *buf, size_t len, const char *name,
                            e8k_index_list *out, size_t *total, int *capped,
                            size_t *nhits, e8k_error *err)
{
    *total = *nhits = 0;
    *capped = 0;
    json_error_t je;
    json_t *root = json_loadb(buf, len, 0, &je);
    if (!root) {
        e8k_status st = e8k_fail(err, E8K_ERR_MALFORMED, name, NULL, 0,
                                 (size_t)je.position, "invalid JSON: %s",
                                 je.text);
        if (err)
            err->line = (size_t)(je.line > 0 ? je.line : 0);
        return st;
    }
    json_t *hits = json_object_get(root, "hits");
    json_t *list = json_object_get(hits, "hits");
    e8k_status st = E8K_OK;
    if (!json_is_array(list)) {
        const char *why = json_string_value(json_object_get(root, "error"));
        st = e8k_fail(err, E8K_ERR_MALFORMED, name, NULL, 0, E8K_NO_OFFSET,
                      "not a full-text search answer (no hits.hits)%s%.200s",
                      why ? ": " : "", why ? why : "");
    } else {
        read_total(json_object_get(hits, "total"), total, capped);
        *nhits = json_array_size(list);
        for (size_t i = 0; st == E8K_OK && i < *nhits; i++)
            if (read_hit(json_array_get(list, i), i, name, out) != 0)
                st = nomem(err, name);
    }
    json_decref(root);
    return st;
}
