/* SPDX-License-Identifier: MIT */
/* store_put.c: writes one filing with its records into the store, in one
 * transaction that first removes whatever the filing's key held, so a
 * filing is stored whole or not at all and re-ingesting replaces it. Every
 * extracted value goes in with its provenance: document, spans, rule,
 * matched text, and the exact bytes of the source it came from. */
#include "store_int.h"
#include "fetch_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct put_ctx {
    e8k_store *s;
    const e8k_put_plan *plan;
    const e8k_filing *f;
    const e8k_records *r;
    const e8k_report *rep;
    int64_t id;
    e8k_error *err;
} put_ctx;

static void row_child(e8k_row *row, put_ctx *c)
{
    e8k_row_start(row, c->s);
    e8k_row_int(row, c->id);
}

static e8k_status insert(put_ctx *c, enum e8k_table_id t, e8k_row *row)
{
    if (row->n != e8k_tables[t]->ncols + 1)
        return e8k_db_fail(c->err, "%s: %zu values for %zu columns",
                           e8k_tables[t]->name, row->n,
                           e8k_tables[t]->ncols + 1);
    return e8k_row_exec(row, c->plan->insert[t], NULL, NULL, c->err);
}

/* The 16 value columns of schema.c's VALUE_SQL. */
static void row_value(e8k_row *row, const e8k_filing *f, const e8k_value *v)
{
    e8k_row_text(row, v->type);
    if (v->has_number)
        e8k_row_real(row, v->number);
    else
        e8k_row_null(row);
    e8k_row_text(row, v->string);
    e8k_row_text(row, v->unit);
    e8k_row_real(row, v->precision);
    e8k_row_text(row, v->qualifier);
    e8k_row_text(row, v->rule);
    e8k_row_text(row, v->text);
    e8k_row_size(row, v->document);
    e8k_row_text(row, v->doc_type);
    e8k_row_int(row, v->doc_sequence);
    e8k_row_size(row, v->text_span.start);
    e8k_row_size(row, v->text_span.end);
    e8k_row_size(row, v->span.start);
    e8k_row_size(row, v->span.end);
    if (v->span.start <= v->span.end && v->span.end <= f->len)
        e8k_row_blob(row, f->buf + v->span.start, v->span.end - v->span.start);
    else
        e8k_row_null(row);
}

static e8k_status put_params(put_ctx *c, const char *owner, size_t no,
                             const char *field, size_t rank,
                             const e8k_value *v)
{
    e8k_status st = E8K_OK;
    for (size_t k = 0; st == E8K_OK && k < v->nparams; k++) {
        const e8k_param *p = &v->params[k];
        e8k_row row;
        row_child(&row, c);
        e8k_row_text(&row, owner);
        e8k_row_size(&row, no);
        e8k_row_text(&row, field);
        e8k_row_size(&row, rank);
        e8k_row_size(&row, k);
        e8k_row_text(&row, p->name);
        e8k_row_text(&row, p->text);
        e8k_row_text(&row, p->string);
        if (p->has_number)
            e8k_row_real(&row, p->number);
        else
            e8k_row_null(&row);
        e8k_row_text(&row, p->unit);
        st = insert(c, E8K_T_PARAMS, &row);
    }
    return st;
}

/* parties, warrant_clauses, facts: the same shape, one list each. */
static e8k_status put_list(put_ctx *c, enum e8k_table_id table,
                           const char *owner, size_t n,
                           const e8k_value *(*get)(const e8k_records *, size_t))
{
    e8k_status st = E8K_OK;
    for (size_t i = 0; st == E8K_OK && i < n; i++) {
        const e8k_value *v = get(c->r, i);
        e8k_row row;
        row_child(&row, c);
        e8k_row_size(&row, i);
        e8k_row_text(&row, v->field);
        if (table == E8K_T_PARTIES)
            e8k_row_text(&row, v->string);
        row_value(&row, c->f, v);
        st = insert(c, table, &row);
        if (st == E8K_OK)
            st = put_params(c, owner, i, v->field ? v->field : "", 0, v);
    }
    return st;
}

/* Every agent of offering o (the chosen name, then the others), "; "
 * between them; NULL when none. */
static char *agents_of(const e8k_records *r, size_t o)
{
    const e8k_value *v = e8k_records_offering_field(r, o, "agents");
    if (!v || !v->string)
        return NULL;
    e8k_buf b = {0};
    int fail = e8k_buf_printf(&b, "%s", v->string);
    size_t n = e8k_records_alternate_count(r, o, "agents");
    for (size_t k = 0; k < n && !fail; k++) {
        const e8k_value *a = e8k_records_alternate(r, o, "agents", k);
        if (a && a->string)
            fail = e8k_buf_printf(&b, "; %s", a->string);
    }
    if (fail) {
        e8k_buf_free(&b);
        return NULL;
    }
    return e8k_buf_take(&b);
}

static void row_field(e8k_row *row, unsigned kind, const e8k_value *v,
                      const char *agents)
{
    if (!v) {
        e8k_row_null(row);
    } else if (kind & E8K_FIELD_NUMERIC) {
        if (v->has_number)
            e8k_row_real(row, v->number);
        else
            e8k_row_null(row);
    } else if (kind & E8K_FIELD_AGENTS) {
        e8k_row_text(row, agents);
    } else if (v->string || !v->has_number) {
        e8k_row_text(row, v->string);
    } else {
        char num[32]; /* bound by pointer: copied to outlive this scope */
        e8k_fmt_double(v->number, num);
        e8k_row_text(row, e8k_pool_strdup(&row->s->pool, num));
    }
}

static e8k_status put_offering_value(put_ctx *c, size_t o, const char *field,
                                     size_t rank, const e8k_value *v)
{
    e8k_row row;
    row_child(&row, c);
    e8k_row_size(&row, o);
    e8k_row_text(&row, field);
    e8k_row_size(&row, rank);
    row_value(&row, c->f, v);
    e8k_status st = insert(c, E8K_T_OFFERING_VALUES, &row);
    if (st == E8K_OK)
        st = put_params(c, "offering", o, field, rank, v);
    return st;
}

/* The chosen value v of a field, its alternates, and its fees row. */
static e8k_status put_field_values(put_ctx *c, size_t o, size_t f,
                                   const e8k_value *v, const char *agents)
{
    const char *field = e8k_offering_fields[f];
    if (!v)
        return E8K_OK;
    e8k_status st = put_offering_value(c, o, field, 0, v);
    size_t n = e8k_records_alternate_count(c->r, o, field);
    for (size_t k = 0; st == E8K_OK && k < n; k++) {
        const e8k_value *a = e8k_records_alternate(c->r, o, field, k);
        if (a)
            st = put_offering_value(c, o, field, k + 1, a);
    }
    if (st != E8K_OK || !(c->plan->field[f] & E8K_FIELD_FEE))
        return st;
    e8k_row row;
    row_child(&row, c);
    e8k_row_size(&row, o);
    e8k_row_text(&row, field);
    e8k_row_text(&row, agents);
    row_value(&row, c->f, v);
    return insert(c, E8K_T_FEES, &row);
}

static e8k_status put_offering(put_ctx *c, size_t o)
{
    const e8k_value *chosen[E8K_NFIELDS];
    for (size_t f = 0; f < E8K_NFIELDS; f++)
        chosen[f] = e8k_records_offering_field(c->r, o, e8k_offering_fields[f]);
    char *agents = agents_of(c->r, o);
    e8k_row row;
    row_child(&row, c);
    e8k_row_size(&row, o);
    for (size_t f = 0; f < E8K_NFIELDS; f++)
        row_field(&row, c->plan->field[f], chosen[f], agents);
    e8k_status st = insert(c, E8K_T_OFFERINGS, &row);
    for (size_t f = 0; st == E8K_OK && f < E8K_NFIELDS; f++)
        st = put_field_values(c, o, f, chosen[f], agents);
    free(agents);
    return st;
}

static e8k_status put_records(put_ctx *c)
{
    e8k_status st = E8K_OK;
    const e8k_records *r = c->r;
    for (size_t o = 0; st == E8K_OK && o < e8k_records_offering_count(r); o++)
        st = put_offering(c, o);
    if (st == E8K_OK)
        st = put_list(c, E8K_T_PARTIES, "party", e8k_records_party_count(r),
                      e8k_records_party);
    if (st == E8K_OK)
        st = put_list(c, E8K_T_CLAUSES, "clause",
                      e8k_records_clause_count(r), e8k_records_clause);
    if (st == E8K_OK)
        st = put_list(c, E8K_T_FACTS, "fact", e8k_records_fact_count(r),
                      e8k_records_fact);
    return st;
}

/* ---- the filing's own structure ------------------------------------------ */

static e8k_status put_documents(put_ctx *c)
{
    e8k_status st = E8K_OK;
    for (size_t i = 0; st == E8K_OK && i < e8k_filing_document_count(c->f); i++) {
        const e8k_document *d = e8k_filing_document(c->f, i);
        e8k_row row;
        row_child(&row, c);
        e8k_row_size(&row, i);
        e8k_row_int(&row, d->sequence);
        e8k_row_text(&row, d->type);
        e8k_row_text(&row, d->filename);
        e8k_row_text(&row, d->description);
        e8k_row_text(&row, e8k_format_name(d->format));
        e8k_row_size(&row, d->span.start);
        e8k_row_size(&row, d->span.end);
        size_t tlen = 0;
        if (d->text) {
            e8k_text_data(d->text, &tlen);
            e8k_row_text(&row, e8k_encoding_name(e8k_text_encoding(d->text)));
            e8k_row_size(&row, tlen);
            e8k_row_int(&row, e8k_text_flags(d->text));
        } else {
            e8k_row_null(&row), e8k_row_null(&row), e8k_row_null(&row);
        }
        st = insert(c, E8K_T_DOCUMENTS, &row);
    }
    return st;
}

static e8k_status put_items(put_ctx *c)
{
    e8k_status st = E8K_OK;
    for (size_t i = 0; st == E8K_OK && i < e8k_filing_item_count(c->f); i++) {
        const e8k_item *it = e8k_filing_item(c->f, i);
        e8k_row row;
        row_child(&row, c);
        e8k_row_size(&row, i);
        e8k_row_text(&row, it->number);
        e8k_row_text(&row, it->title);
        e8k_row_size(&row, it->document);
        e8k_row_size(&row, it->text_span.start);
        e8k_row_size(&row, it->text_span.end);
        e8k_row_size(&row, it->span.start);
        e8k_row_size(&row, it->span.end);
        st = insert(c, E8K_T_ITEMS, &row);
    }
    return st;
}

static e8k_status put_entities(put_ctx *c)
{
    const e8k_header *h = e8k_filing_header(c->f);
    e8k_status st = E8K_OK;
    for (size_t i = 0; st == E8K_OK && i < h->nentities; i++) {
        e8k_row row;
        row_child(&row, c);
        e8k_row_size(&row, i);
        e8k_row_text(&row, h->entities[i].role);
        e8k_row_text(&row, h->entities[i].cik);
        e8k_row_text(&row, h->entities[i].name);
        st = insert(c, E8K_T_ENTITIES, &row);
    }
    return st;
}

static e8k_status put_warning(put_ctx *c, size_t no, const char *stage,
                              const e8k_error *w)
{
    e8k_row row;
    row_child(&row, c);
    e8k_row_size(&row, no);
    e8k_row_text(&row, stage);
    e8k_row_text(&row, e8k_status_string(w->status));
    e8k_row_size(&row, w->offset);
    e8k_row_text(&row, w->rule[0] ? w->rule : NULL);
    e8k_row_text(&row, w->message);
    return insert(c, E8K_T_WARNINGS, &row);
}

static e8k_status put_warnings(put_ctx *c)
{
    e8k_status st = E8K_OK;
    size_t no = 0;
    for (size_t i = 0; st == E8K_OK && i < e8k_filing_warning_count(c->f); i++)
        st = put_warning(c, no++, "parse", e8k_filing_warning(c->f, i));
    for (size_t i = 0; st == E8K_OK && c->r && i < e8k_records_warning_count(c->r);
         i++)
        st = put_warning(c, no++, "extract", e8k_records_warning(c->r, i));
    return st;
}

/* ---- validation findings ---------------------------------------------------- */

static void row_opt_real(e8k_row *row, int has, double d)
{
    if (has)
        e8k_row_real(row, d);
    else
        e8k_row_null(row);
}

static e8k_status put_check_value(put_ctx *c, size_t fno, size_t k,
                                  const e8k_check_value *v)
{
    e8k_row row;
    row_child(&row, c);
    e8k_row_size(&row, fno);
    e8k_row_size(&row, k);
    e8k_row_text(&row, v->name);
    row_opt_real(&row, v->has_number, v->number);
    e8k_row_text(&row, v->string);
    e8k_row_text(&row, v->unit);
    e8k_row_real(&row, v->tolerance);
    e8k_row_text(&row, v->qualifier);
    e8k_row_int(&row, v->derived != 0);
    e8k_row_text(&row, v->text);
    e8k_row_size(&row, v->derived ? E8K_NO_OFFSET : v->document);
    e8k_row_text(&row, v->doc_type);
    if (v->derived)
        e8k_row_null(&row);
    else
        e8k_row_int(&row, v->doc_sequence);
    e8k_row_size(&row, v->derived ? E8K_NO_OFFSET : v->span.start);
    e8k_row_size(&row, v->derived ? E8K_NO_OFFSET : v->span.end);
    e8k_row_text(&row, v->rule);
    return insert(c, E8K_T_FINDING_VALUES, &row);
}

static e8k_status put_finding(put_ctx *c, size_t no, const e8k_finding *fi)
{
    e8k_row row;
    row_child(&row, c);
    e8k_row_size(&row, no);
    e8k_row_text(&row, fi->id);
    e8k_row_size(&row, fi->offering == E8K_NO_OFFERING ? E8K_NO_OFFSET
                                                       : fi->offering);
    e8k_row_text(&row, e8k_check_status_name(fi->status));
    e8k_row_text(&row, fi->reason);
    e8k_row_text(&row, fi->formula);
    e8k_row_text(&row, fi->unit);
    row_opt_real(&row, fi->has_expected, fi->expected);
    row_opt_real(&row, fi->has_actual, fi->actual);
    e8k_row_real(&row, fi->tolerance);
    e8k_row_text(&row, fi->expected_string);
    e8k_row_text(&row, fi->actual_string);
    e8k_status st = insert(c, E8K_T_FINDINGS, &row);
    for (size_t k = 0; st == E8K_OK && k < fi->nvalues; k++)
        st = put_check_value(c, no, k, &fi->values[k]);
    return st;
}

static e8k_status put_findings(put_ctx *c, const e8k_report *rep)
{
    e8k_status st = E8K_OK;
    for (size_t i = 0; st == E8K_OK && rep && i < e8k_report_count(rep); i++)
        st = put_finding(c, i, e8k_report_finding(rep, i));
    return st;
}

/* Checks that compared something (pass or fail), and those that failed. */
static void check_counts(const e8k_report *rep, int64_t *run, int64_t *failed)
{
    *run = *failed = 0;
    for (size_t i = 0; rep && i < e8k_report_count(rep); i++) {
        e8k_check_status s = e8k_report_finding(rep, i)->status;
        *run += s == E8K_CHECK_PASS || s == E8K_CHECK_FAIL ||
                s == E8K_CHECK_WARN;
        *failed += s == E8K_CHECK_FAIL;
    }
}

/* ---- the filing row and the transaction ---------------------------------- */

static char *header_items(const e8k_header *h)
{
    if (!h->nitems)
        return NULL;
    e8k_buf b = {0};
    int fail = 0;
    for (size_t i = 0; i < h->nitems && !fail; i++)
        fail = e8k_buf_printf(&b, "%s%s", i ? "\n" : "", h->items[i]);
    if (fail) {
        e8k_buf_free(&b);
        return NULL;
    }
    return e8k_buf_take(&b);
}

/* The columns of schema.c's c_filings, then ingested_at. */
static void row_filing(e8k_row *row, put_ctx *c, const char *key,
                       const char *sha256, const char *items)
{
    const e8k_header *h = e8k_filing_header(c->f);
    e8k_row_text(row, key);
    e8k_row_text(row, h->accession);
    e8k_row_text(row, h->form_type);
    e8k_row_text(row, h->filed);
    e8k_row_text(row, h->period);
    e8k_row_text(row, e8k_dialect_name(e8k_filing_dialect(c->f)));
    if (h->document_count >= 0)
        e8k_row_int(row, h->document_count);
    else
        e8k_row_null(row);
    e8k_row_text(row, items);
    e8k_row_text(row, e8k_filing_name(c->f) ? e8k_filing_name(c->f) : "");
    e8k_row_text(row, sha256);
    e8k_row_size(row, c->f->len);
    e8k_row_size(row, c->r ? e8k_records_offering_count(c->r) : 0);
    int64_t run, failed;
    check_counts(c->rep, &run, &failed);
    e8k_row_int(row, run);
    e8k_row_int(row, failed);
    e8k_row_text(row, E8K_VERSION);
    e8k_row_text(row, e8k_store_now(c->s));
}

static int id_row(void *ctx, const e8k_sqlval *cols, size_t n)
{
    if (n >= 1 && cols[0].kind == E8K_SQL_INT)
        *(int64_t *)ctx = cols[0].i;
    return 0;
}

/* Empties the filing's child rows, keeping its id. */
static e8k_status clear_children(put_ctx *c)
{
    e8k_status st = E8K_OK;
    for (size_t i = 0; st == E8K_OK && i < E8K_NTABLES; i++) {
        if (!c->plan->clear[i])
            continue;
        e8k_row row;
        row_child(&row, c);
        st = e8k_row_exec(&row, c->plan->clear[i], NULL, NULL, c->err);
    }
    return st;
}

static e8k_status find_filing(put_ctx *c, const char *key)
{
    e8k_row row;
    e8k_row_start(&row, c->s);
    e8k_row_text(&row, key);
    c->id = -1;
    return e8k_row_exec(&row, c->plan->find_filing, id_row, &c->id, c->err);
}

/* Inserts the filing row, or updates it in place when the key is stored
 * (the id stays, so references from outside survive a re-ingest). SQLite
 * looks the new id up by key: its RETURNING builds a temporary table each
 * time, a third of the cost of the filing row. */
static e8k_status put_filing_row(put_ctx *c, const char *key,
                                 const char *sha256)
{
    e8k_status st = find_filing(c, key);
    if (st != E8K_OK)
        return st;
    int update = c->id >= 0;
    if (update && (st = clear_children(c)) != E8K_OK)
        return st;
    char *items = header_items(e8k_filing_header(c->f));
    e8k_row row;
    e8k_row_start(&row, c->s);
    row_filing(&row, c, key, sha256, items);
    if (update) { /* SET every column but the key, WHERE id = ? */
        memmove(row.v, row.v + 1, (row.n - 1) * sizeof row.v[0]);
        row.n--;
        e8k_row_int(&row, c->id);
        st = e8k_row_exec(&row, c->plan->update_filing, NULL, NULL, c->err);
    } else if (c->s->drv->returning) {
        st = e8k_row_exec(&row, c->plan->insert_filing, id_row, &c->id,
                          c->err);
    } else if ((st = e8k_row_exec(&row, c->plan->insert_filing, NULL, NULL,
                                  c->err)) == E8K_OK) {
        st = find_filing(c, key);
    }
    free(items);
    if (st == E8K_OK && c->id < 0)
        st = e8k_db_fail(c->err, "the filing's row got no id");
    return st;
}

static e8k_status put_all(put_ctx *c, const char *key, const char *sha256)
{
    e8k_status st = put_filing_row(c, key, sha256);
    if (st == E8K_OK)
        st = e8k_store_clear_failure(c->s, sha256, c->err);
    if (st == E8K_OK)
        st = put_entities(c);
    if (st == E8K_OK)
        st = put_documents(c);
    if (st == E8K_OK)
        st = put_items(c);
    if (st == E8K_OK && c->r)
        st = put_records(c);
    if (st == E8K_OK)
        st = put_findings(c, c->rep);
    if (st == E8K_OK)
        st = put_warnings(c);
    return st;
}

/* ---- the plan: SQL built and prepared once per store ----------------------- */

/* INSERT INTO t (filing_id, cols...) VALUES (?...) for a child table. */
static int insert_sql(e8k_buf *b, const e8k_table *t)
{
    int fail = e8k_buf_printf(b, "INSERT INTO %s (filing_id", t->name);
    for (size_t i = 0; i < t->ncols && !fail; i++)
        fail = e8k_buf_printf(b, ", %s", t->cols[i].name);
    fail = fail || e8k_buf_printf(b, ") VALUES (?");
    for (size_t i = 0; i < t->ncols && !fail; i++)
        fail = e8k_buf_printf(b, ", ?");
    return fail || e8k_buf_printf(b, ")");
}

static int filing_sql(e8k_buf *b, int update, int returning)
{
    const e8k_table *t = e8k_tables[E8K_T_FILINGS];
    int fail = e8k_buf_printf(b, update ? "UPDATE filings SET "
                                        : "INSERT INTO filings (");
    for (size_t i = update ? 1 : 0; i < t->ncols && !fail; i++)
        fail = e8k_buf_printf(b, update ? "%s = ?, " : "%s, ",
                              t->cols[i].name);
    if (update)
        return fail || e8k_buf_printf(b, "ingested_at = ? WHERE id = ?");
    fail = fail || e8k_buf_printf(b, "ingested_at) VALUES (?");
    for (size_t i = 0; i < t->ncols && !fail; i++)
        fail = e8k_buf_printf(b, ", ?");
    return fail || e8k_buf_printf(b, returning ? ") RETURNING id" : ")");
}

/* Builds statement `which` of table t into b: 0 insert, 1 clear, 2 the
 * filing's insert, 3 its update. */
static e8k_status plan_stmt(e8k_store *s, e8k_buf *b, const e8k_table *t,
                            int which, e8k_stmt **out, e8k_error *err)
{
    b->len = 0;
    int fail = which == 0   ? insert_sql(b, t)
               : which == 1 ? e8k_buf_printf(b, "DELETE FROM %s WHERE "
                                                "filing_id = ?", t->name)
                            : filing_sql(b, which == 3, s->drv->returning);
    if (fail)
        return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                        "out of memory");
    return e8k_store_prepare(s, b->data, out, err);
}

static unsigned field_kind(size_t f)
{
    static const char *const fees[] = {"fee_pct", "fee_per_share",
                                       "advisory_fee_pct", "expense_cap"};
    const char *name = e8k_offering_fields[f];
    unsigned k = e8k_store_field_numeric(f) ? E8K_FIELD_NUMERIC : 0;
    if (!strcmp(name, "agents"))
        k |= E8K_FIELD_AGENTS;
    for (size_t i = 0; i < sizeof fees / sizeof fees[0]; i++)
        if (!strcmp(name, fees[i]))
            k |= E8K_FIELD_FEE;
    return k;
}

static e8k_status put_plan(e8k_store *s, e8k_error *err)
{
    e8k_put_plan *p = &s->put;
    if (p->ready)
        return E8K_OK;
    e8k_buf b = {0};
    e8k_status st = e8k_store_prepare(
        s, "SELECT id FROM filings WHERE filing_key = ?", &p->find_filing, err);
    for (size_t i = 0; st == E8K_OK && i < E8K_NTABLES; i++) {
        if (!e8k_tables[i]->child)
            continue;
        st = plan_stmt(s, &b, e8k_tables[i], 0, &p->insert[i], err);
        if (st == E8K_OK)
            st = plan_stmt(s, &b, e8k_tables[i], 1, &p->clear[i], err);
    }
    if (st == E8K_OK)
        st = plan_stmt(s, &b, NULL, 2, &p->insert_filing, err);
    if (st == E8K_OK)
        st = plan_stmt(s, &b, NULL, 3, &p->update_filing, err);
    e8k_buf_free(&b);
    for (size_t f = 0; f < E8K_NFIELDS; f++)
        p->field[f] = (unsigned char)field_kind(f);
    p->ready = st == E8K_OK;
    return st;
}

void e8k_filing_key(const e8k_filing *f, const char *sha256,
                    char key[E8K_FILING_KEY_SIZE])
{
    const char *acc = e8k_filing_header(f)->accession;
    if (acc && *acc)
        snprintf(key, E8K_FILING_KEY_SIZE, "%s", acc);
    else
        snprintf(key, E8K_FILING_KEY_SIZE, "sha256:%s", sha256);
}

e8k_status e8k_store_put(e8k_store *s, const e8k_filing *f,
                         const e8k_records *r, const e8k_report *report,
                         const char *sha256, const char *key_in,
                         e8k_error *err)
{
    if (!s || !f)
        return e8k_fail(err, E8K_ERR_USAGE, NULL, NULL, 0, E8K_NO_OFFSET,
                        "no store or no filing");
    char hex[65], key[E8K_FILING_KEY_SIZE];
    if (!sha256) {
        e8k_sha256_hex(f->buf, f->len, hex);
        sha256 = hex;
    }
    if (key_in)
        snprintf(key, sizeof key, "%s", key_in);
    else
        e8k_filing_key(f, sha256, key);
    put_ctx c = {s, &s->put, f, r, report, -1, err};
    e8k_status st = put_plan(s, err);
    e8k_store_retry_begin(s);
    /* A deadlock or serialization failure undoes the unit (its savepoint
     * in a batch, else its transaction): the filing is stored again. */
    for (int tries = 0; st == E8K_OK; tries++) {
        c.id = -1;
        st = e8k_store_unit_begin(s, err);
        if (st == E8K_OK)
            st = e8k_store_unit_end(s, put_all(&c, key, sha256), err);
        e8k_pool_free(&s->pool);
        if (st == E8K_OK || !e8k_store_retry(s, tries, err))
            return st;
        st = E8K_OK;
    }
    return st;
}

e8k_status e8k_store_put_filing(e8k_store *s, const e8k_filing *f,
                                const e8k_records *r, const e8k_report *report,
                                e8k_error *err)
{
    return e8k_store_put(s, f, r, report, NULL, NULL, err);
}

e8k_status e8k_store_put_filing_hashed(e8k_store *s, const e8k_filing *f,
                                       const e8k_records *r,
                                       const e8k_report *report,
                                       const char *sha256, e8k_error *err)
{
    return e8k_store_put(s, f, r, report, sha256, NULL, err);
}

typedef struct dialect_ctx {
    char *out;
    char *source;
    size_t cap;
    int found;
    int oom;
} dialect_ctx;

static int dialect_row(void *vctx, const e8k_sqlval *cols, size_t n)
{
    dialect_ctx *c = vctx;
    c->found = 1;
    if (n && cols[0].kind == E8K_SQL_TEXT)
        snprintf(c->out, 64, "%.*s", (int)(cols[0].n < 63 ? cols[0].n : 63),
                 cols[0].p);
    if (n > 1 && c->source && cols[1].kind == E8K_SQL_TEXT) {
        e8k_buf raw = {0}; /* the name's bytes, as the input named it */
        c->oom = e8k_sqltext_unescape(cols[1].p, cols[1].n, &raw) != 0;
        snprintf(c->source, c->cap, "%.*s", (int)raw.len,
                 raw.data ? raw.data : "");
        e8k_buf_free(&raw);
    }
    return 0;
}

e8k_status e8k_store_key_dialect(e8k_store *s, const char *key,
                                 char dialect[64], char *source, size_t cap,
                                 int *found, e8k_error *err)
{
    dialect_ctx c = {dialect, source, cap, 0, 0};
    dialect[0] = '\0';
    if (source && cap)
        source[0] = '\0';
    e8k_sqlval k = {E8K_SQL_TEXT, 0, 0, key, strlen(key)};
    e8k_status st = e8k_store_query(
        s, "SELECT dialect, source FROM filings WHERE filing_key = ?", &k, 1,
        dialect_row, &c, err);
    *found = c.found;
    if (st == E8K_OK && c.oom)
        st = e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                      "out of memory");
    return st;
}
