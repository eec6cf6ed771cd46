/* validate_report.c: the validation report: findings as the checks of
 * validate.c build them (every string copied into the report's pool, so a
 * report outlives the records it was made from), the accessors and the
 * JSON form. */
#include "e8k_validate.h"

#include "e8k_json.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct e8k_report {
    e8k_pool pool;
    e8k_finding *findings;
    size_t n, cap;
    size_t *vcaps; /* capacity of each finding's values array */
    size_t vcaps_cap;
    int nomem;
};

const char *e8k_check_status_name(e8k_check_status s)
{
    switch (s) {
    case E8K_CHECK_PASS: return "pass";
    case E8K_CHECK_FAIL: return "fail";
    case E8K_CHECK_WARN: return "warn";
    case E8K_CHECK_SKIPPED: return "skipped";
    case E8K_CHECK_INFO: return "info";
    }
    return "unknown";
}

e8k_report *e8k_report_new(void)
{
    return calloc(1, sizeof(e8k_report));
}

void e8k_report_free(e8k_report *rep)
{
    if (!rep)
        return;
    for (size_t i = 0; i < rep->n; i++)
        free((void *)rep->findings[i].values);
    free(rep->findings);
    free(rep->vcaps);
    e8k_pool_free(&rep->pool);
    free(rep);
}

int e8k_report_nomem(const e8k_report *rep) { return rep->nomem; }

/* A pool copy; NULL stays NULL, a failed copy marks the report. */
static const char *keep(e8k_report *rep, const char *s)
{
    if (!s)
        return NULL;
    char *c = e8k_pool_strdup(&rep->pool, s);
    if (!c)
        rep->nomem = 1;
    return c;
}

static e8k_finding *last(e8k_report *rep)
{
    return rep->nomem || !rep->n ? NULL : &rep->findings[rep->n - 1];
}

e8k_finding *e8k_report_add(e8k_report *rep, const char *id, size_t offering,
                            const char *formula, const char *unit)
{
    if (rep->nomem)
        return NULL;
    if (E8K_GROW(rep->findings, rep->cap, rep->n + 1) != 0 ||
        E8K_GROW(rep->vcaps, rep->vcaps_cap, rep->n + 1) != 0) {
        rep->nomem = 1;
        return NULL;
    }
    e8k_finding *f = &rep->findings[rep->n];
    memset(f, 0, sizeof *f);
    rep->vcaps[rep->n++] = 0;
    f->id = keep(rep, id);
    f->offering = offering;
    f->status = E8K_CHECK_SKIPPED;
    f->formula = keep(rep, formula);
    f->unit = keep(rep, unit);
    f->reason = "";
    return rep->nomem ? NULL : f;
}

static e8k_check_value *new_value(e8k_report *rep, const char *name)
{
    e8k_finding *f = last(rep);
    if (!f)
        return NULL;
    e8k_check_value *vals = (e8k_check_value *)f->values;
    size_t *cap = &rep->vcaps[rep->n - 1];
    if (E8K_GROW(vals, *cap, f->nvalues + 1) != 0) {
        rep->nomem = 1;
        return NULL;
    }
    f->values = vals;
    e8k_check_value *cv = &vals[f->nvalues++];
    memset(cv, 0, sizeof *cv);
    cv->name = keep(rep, name);
    cv->document = E8K_NO_OFFSET;
    return cv;
}

void e8k_report_use(e8k_report *rep, const char *name, const e8k_value *v,
                    double tolerance)
{
    e8k_check_value *cv = v ? new_value(rep, name) : NULL;
    if (!cv)
        return;
    cv->has_number = v->has_number;
    cv->number = v->number;
    cv->string = keep(rep, v->string);
    cv->unit = keep(rep, v->unit);
    cv->tolerance = tolerance;
    cv->qualifier = keep(rep, v->qualifier);
    cv->text = keep(rep, v->text);
    cv->document = v->document;
    cv->doc_type = keep(rep, v->doc_type);
    cv->doc_sequence = v->doc_sequence;
    cv->span = v->span;
    cv->rule = keep(rep, v->rule);
}

void e8k_report_use_derived(e8k_report *rep, const char *name, double x,
                            double tolerance, const char *unit,
                            const char *how)
{
    e8k_check_value *cv = new_value(rep, name);
    if (!cv)
        return;
    cv->has_number = 1;
    cv->number = x;
    cv->unit = keep(rep, unit);
    cv->tolerance = tolerance;
    cv->derived = 1;
    cv->text = keep(rep, how);
}

void e8k_report_set(e8k_report *rep, e8k_check_status status,
                    const char *fmt, ...)
{
    e8k_finding *f = last(rep);
    if (!f)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    f->status = status;
    f->reason = keep(rep, msg);
    if (!f->reason)
        f->reason = "";
}

void e8k_report_set_numbers(e8k_report *rep, double expected, double actual,
                            int has_actual, double tolerance)
{
    e8k_finding *f = last(rep);
    if (!f)
        return;
    f->has_expected = 1;
    f->expected = expected;
    f->has_actual = has_actual;
    f->actual = has_actual ? actual : 0;
    f->tolerance = tolerance;
}

void e8k_report_set_strings(e8k_report *rep, const char *expected,
                            const char *actual)
{
    e8k_finding *f = last(rep);
    if (!f)
        return;
    f->expected_string = keep(rep, expected);
    f->actual_string = keep(rep, actual);
}

void e8k_fmt_number(char *buf, size_t n, double x)
{
    char raw[64];
    int dec = fabs(x) >= 1000 ? 2 : 6;
    snprintf(raw, sizeof raw, "%.*f", dec, fabs(x));
    char *dot = strchr(raw, '.');
    if (dot) { /* trailing zeros say nothing about the figure */
        char *e = raw + strlen(raw) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
    }
    size_t intlen = dot && *dot ? (size_t)(dot - raw) : strlen(raw);
    size_t o = 0;
    if (x < 0 && o + 1 < n)
        buf[o++] = '-';
    for (size_t i = 0; raw[i] && o + 1 < n; i++) {
        if (i && i < intlen && (intlen - i) % 3 == 0 && o + 2 < n)
            buf[o++] = ',';
        buf[o++] = raw[i];
    }
    buf[o] = '\0';
}

/* ---- accessors ------------------------------------------------------------- */

size_t e8k_report_count(const e8k_report *rep) { return rep ? rep->n : 0; }

const e8k_finding *e8k_report_finding(const e8k_report *rep, size_t i)
{
    return rep && i < rep->n ? &rep->findings[i] : NULL;
}

const e8k_finding *e8k_report_find(const e8k_report *rep, const char *id,
                                   size_t offering)
{
    for (size_t i = 0; rep && id && i < rep->n; i++)
        if (!strcmp(rep->findings[i].id, id) &&
            rep->findings[i].offering == offering)
            return &rep->findings[i];
    return NULL;
}

static size_t count_status(const e8k_report *rep, e8k_check_status st)
{
    size_t k = 0;
    for (size_t i = 0; rep && i < rep->n; i++)
        k += rep->findings[i].status == st;
    return k;
}

size_t e8k_report_failed_count(const e8k_report *rep)
{
    return count_status(rep, E8K_CHECK_FAIL);
}

size_t e8k_report_warned_count(const e8k_report *rep)
{
    return count_status(rep, E8K_CHECK_WARN);
}

/* ---- JSON ------------------------------------------------------------------ */

static json_t *value_json(const e8k_check_value *v)
{
    json_t *o = json_pack("{s:s?,s:o,s:s?,s:o,s:s?,s:b,s:o}", "name", v->name,
                          "value", v->has_number ? e8k_json_num(v->number)
                                                 : e8k_json_str(v->string),
                          "unit", v->unit, "tolerance", e8k_json_num(v->tolerance),
                          "qualifier", v->qualifier, "derived", v->derived,
                          "text", e8k_json_str(v->text));
    if (o && !v->derived) {
        json_object_set_new(o, "document",
                            json_pack("{s:I,s:s?,s:i}", "index",
                                      (json_int_t)v->document, "type",
                                      v->doc_type, "sequence",
                                      v->doc_sequence));
        json_object_set_new(o, "span", e8k_json_span(v->span));
        json_object_set_new(o, "rule", e8k_json_str(v->rule));
    }
    return o;
}

static json_t *finding_json(const e8k_finding *f)
{
    json_t *vals = json_array();
    for (size_t i = 0; vals && i < f->nvalues; i++)
        json_array_append_new(vals, value_json(&f->values[i]));
    json_t *o = json_pack(
        "{s:s,s:o,s:s,s:o,s:o,s:s?,s:o,s:o,s:o,s:o}", "id", f->id, "offering",
        f->offering == E8K_NO_OFFERING ? json_null()
                                       : json_integer((json_int_t)f->offering),
        "status", e8k_check_status_name(f->status), "reason", e8k_json_str(f->reason),
        "formula", e8k_json_str(f->formula), "unit", f->unit, "expected",
        f->has_expected ? e8k_json_num(f->expected) : e8k_json_str(f->expected_string),
        "actual", f->has_actual ? e8k_json_num(f->actual) : e8k_json_str(f->actual_string),
        "tolerance", f->has_expected ? e8k_json_num(f->tolerance) : json_null(),
        "values", vals ? vals : json_array());
    return o;
}

e8k_status e8k_report_to_json(const e8k_report *rep, const char *name,
                              unsigned flags, char **out, e8k_error *err)
{
    return e8k_report_to_json_filing(rep, NULL, name, flags, out, err);
}

e8k_status e8k_report_to_json_filing(const e8k_report *rep,
                                     const e8k_filing *f, const char *name,
                                     unsigned flags, char **out,
                                     e8k_error *err)
{
    *out = NULL;
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < e8k_report_count(rep); i++)
        if (json_array_append_new(arr, finding_json(&rep->findings[i])) != 0)
            break;
    json_t *o = arr ? json_pack("{s:s?,s:o,s:I,s:I,s:o}", "file", name,
                                "filing", e8k_json_filing_ref(f), "failed",
                                (json_int_t)e8k_report_failed_count(rep),
                                "warned",
                                (json_int_t)e8k_report_warned_count(rep),
                                "findings", arr)
                    : NULL;
    if (o)
        *out = json_dumps(o, (flags & E8K_JSON_PRETTY ? JSON_INDENT(2) : 0) |
                                 JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    json_decref(o);
    if (!*out)
        return e8k_fail(err, E8K_ERR_NOMEM, name, NULL, 0, E8K_NO_OFFSET,
                        "out of memory writing the validation report");
    return E8K_OK;
}

const char *e8k_fmt(char *buf, size_t n, double x)
{
    e8k_fmt_number(buf, n, x);
    return buf;
}
