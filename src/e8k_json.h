/* SPDX-License-Identifier: MIT */
/* e8k_json.h: the jansson helpers every JSON writer of the library shares
 * (json.c, records_json.c, validate_report.c), so that strings, numbers,
 * spans and the filing records belong to are written one way everywhere. */
#ifndef E8K_JSON_H
#define E8K_JSON_H

#include "internal.h"

#include <jansson.h>

/* A string of raw filing bytes: as is when UTF-8, else each byte decoded
 * as Latin-1, so that no value is dropped for its encoding. NULL: null. */
json_t *e8k_json_str(const char *s);
json_t *e8k_json_strn(const char *s, size_t n);
/* Whole numbers as integers, others with 12 significant digits. */
json_t *e8k_json_num(double x);
/* A span as [start, end]. */
json_t *e8k_json_span(e8k_span span);
/* What names a filing wherever records are written: accession, form type,
 * filed and period dates, and the companies of its header with their role
 * and CIK; null when f is NULL (a text read alone). */
json_t *e8k_json_filing_ref(const e8k_filing *f);

#endif /* E8K_JSON_H */
