/* SPDX-License-Identifier: MIT */
/* records_json.c: the JSON form of a record set (docs/records.md,
 * docs/records.schema.json): the filing it came from, and every value with
 * its unit, precision, qualifier, matched text, document and byte spans,
 * and rule. */
#include "e8k_extract.h"

#include "e8k_json.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static json_t *value_of(const e8k_value *v)
{
    return v->has_number ? e8k_json_num(v->number) : e8k_json_str(v->string);
}

static json_t *params_json(const e8k_value *v)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < v->nparams; i++) {
        const e8k_param *p = &v->params[i];
        json_t *jp = json_pack("{s:o,s:o,s:o}", "value",
                               p->has_number ? e8k_json_num(p->number)
                                             : e8k_json_str(p->string ? p->string
                                                              : p->text),
                               "unit", e8k_json_str(p->unit), "text", e8k_json_str(p->text));
        json_object_set_new(o, p->name, jp);
    }
    return o;
}

/* The value and its provenance; `field_key`, when not NULL, names the key
 * under which the field name is added ("role", "kind", "metric"). */
static json_t *value_json(const e8k_value *v, const char *field_key)
{
    json_t *o = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:{s:I,s:o,s:i},s:o,s:o}", "value",
        value_of(v), "unit", e8k_json_str(v->unit), "type", e8k_json_str(v->type),
        "precision", e8k_json_num(v->precision), "qualifier", e8k_json_str(v->qualifier),
        "text", e8k_json_str(v->text), "rule", e8k_json_str(v->rule), "document", "index",
        (json_int_t)v->document, "type", e8k_json_str(v->doc_type), "sequence",
        v->doc_sequence, "text_span", e8k_json_span(v->text_span), "span",
        e8k_json_span(v->span));
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
                         e8k_status_string(w->status), "rule", e8k_json_str(w->rule),
                         "offset", w->offset == E8K_NO_OFFSET
                                       ? json_null()
                                       : json_integer((json_int_t)w->offset),
                         "message", e8k_json_str(w->message)));
    }
    return a;
}

e8k_status e8k_records_to_json(const e8k_records *r, const char *name,
                               unsigned flags, char **out, e8k_error *err)
{
    return e8k_records_to_json_filing(r, NULL, name, flags, out, err);
}

e8k_status e8k_records_to_json_filing(const e8k_records *r,
                                      const e8k_filing *f, const char *name,
                                      unsigned flags, char **out,
                                      e8k_error *err)
{
    *out = NULL;
    if (!r)
        return e8k_fail(err, E8K_ERR_USAGE, name, NULL, 0, E8K_NO_OFFSET,
                        "no records");
    json_t *offs = json_array();
    for (size_t i = 0; offs && i < r->noffs; i++)
        json_array_append_new(offs, offering_json(r, &r->offs[i]));
    json_t *root = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "file", e8k_json_str(name),
        "filing", e8k_json_filing_ref(f), "offerings", offs,
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
