/* records_json.c: the JSON form of a record set (docs/records.md,
 * docs/records.schema.json): every value with its unit, precision,
 * qualifier, matched text, document and byte spans, and rule. */
#include "e8k_extract.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static json_t *jnum(double x)
{
    if (fabs(x) < 9e15 && x == floor(x))
        return json_integer((json_int_t)x);
    return json_real(x);
}

/* A JSON string of s; bytes that are not UTF-8 (a filing's text may hold
 * any) become '?', so that a record is never dropped for its quote. */
static json_t *jstr(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_string(s);
    if (j)
        return j;
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    if (!c)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        c[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
    j = json_string(c);
    free(c);
    return j;
}

static json_t *jspan(e8k_span s)
{
    return json_pack("[II]", (json_int_t)s.start, (json_int_t)s.end);
}

static json_t *value_of(const e8k_value *v)
{
    return v->has_number ? jnum(v->number) : jstr(v->string);
}

static json_t *params_json(const e8k_value *v)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < v->nparams; i++) {
        const e8k_param *p = &v->params[i];
        json_t *jp = json_pack("{s:o,s:o,s:o}", "value",
                               p->has_number ? jnum(p->number)
                                             : jstr(p->string ? p->string
                                                              : p->text),
                               "unit", jstr(p->unit), "text", jstr(p->text));
        json_object_set_new(o, p->name, jp);
    }
    return o;
}

/* The value and its provenance; `with_field` adds the field name. */
static json_t *value_json(const e8k_value *v, const char *field_key)
{
    json_t *o = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:{s:I,s:o,s:i},s:o,s:o}", "value",
        value_of(v), "unit", jstr(v->unit), "type", jstr(v->type),
        "precision", jnum(v->precision), "qualifier", jstr(v->qualifier),
        "text", jstr(v->text), "rule", jstr(v->rule), "document", "index",
        (json_int_t)v->document, "type", jstr(v->doc_type), "sequence",
        v->doc_sequence, "text_span", jspan(v->text_span), "span",
        jspan(v->span));
    if (o && field_key)
        json_object_set_new(o, field_key, json_string(v->field));
    if (o && v->nparams)
        json_object_set_new(o, "params", params_json(v));
    return o;
}

static json_t *agents_json(const e8k_records *r, const e8k_offering *o, int f)
{
    json_t *names = json_array();
    for (size_t k = 0; names && k < o->npicks[f]; k++)
        json_array_append_new(names, json_string(r->cands[o->picks[f][k]].v.string));
    json_t *v = value_json(&r->cands[o->picks[f][0]].v, NULL);
    if (v)
        json_object_set_new(v, "value", names);
    else
        json_decref(names);
    return v;
}

static json_t *offering_json(const e8k_records *r, const e8k_offering *o)
{
    json_t *obj = json_object();
    for (int f = 0; obj && f < E8K_NFIELDS; f++) {
        const char *name = e8k_offering_fields[f];
        if (!strcmp(name, "security")) {
            if (o->has_security)
                json_object_set_new(obj, name, value_json(&o->derived_security, NULL));
            continue;
        }
        if (!o->npicks[f])
            continue;
        if (!strcmp(name, "agents")) {
            json_object_set_new(obj, name, agents_json(r, o, f));
            continue;
        }
        json_t *v = value_json(&r->cands[o->picks[f][0]].v, NULL);
        json_t *alts = json_array();
        for (size_t k = 1; alts && k < o->npicks[f]; k++)
            json_array_append_new(alts, value_json(&r->cands[o->picks[f][k]].v, NULL));
        if (!v) {
            json_decref(alts);
            continue;
        }
        json_object_set_new(v, "alternates", alts);
        json_object_set_new(obj, name, v);
    }
    if (obj && o->series)
        json_object_set_new(obj, "series", json_string(o->series));
    return obj;
}

static json_t *list_json(const e8k_records *r, const size_t *idx, size_t n,
                         const char *key)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, value_json(&r->cands[idx[i]].v, key));
    return a;
}

static json_t *warnings_json(const e8k_records *r)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < r->nwarnings; i++) {
        const e8k_error *w = &r->warnings[i];
        json_array_append_new(
            a, json_pack("{s:s,s:o,s:o,s:o}", "status",
                         e8k_status_string(w->status), "rule", jstr(w->rule),
                         "offset", w->offset == E8K_NO_OFFSET
                                       ? json_null()
                                       : json_integer((json_int_t)w->offset),
                         "message", jstr(w->message)));
    }
    return a;
}

e8k_status e8k_records_to_json(const e8k_records *r, const char *name,
                               unsigned flags, char **out, e8k_error *err)
{
    *out = NULL;
    if (!r)
        return e8k_fail(err, E8K_ERR_USAGE, name, NULL, 0, E8K_NO_OFFSET,
                        "no records");
    json_t *offs = json_array();
    for (size_t i = 0; offs && i < r->noffs; i++)
        json_array_append_new(offs, offering_json(r, &r->offs[i]));
    json_t *root = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o}", "file", jstr(name), "offerings", offs,
        "parties", list_json(r, r->parties, r->nparties, "role"),
        "warrant_clauses", list_json(r, r->clauses, r->nclauses, "kind"),
        "facts", list_json(r, r->facts, r->nfacts, "metric"), "warnings",
        warnings_json(r));
    size_t jf = JSON_REAL_PRECISION(15) | JSON_PRESERVE_ORDER |
                (flags & E8K_JSON_PRETTY ? JSON_INDENT(2) : JSON_COMPACT);
    *out = root ? json_dumps(root, jf) : NULL;
    json_decref(root);
    if (!*out)
        return e8k_fail(err, E8K_ERR_NOMEM, name, NULL, 0, E8K_NO_OFFSET,
                        "no memory for the records' JSON");
    return E8K_OK;
}
