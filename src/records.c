/* SPDX-License-Identifier: MIT */
/* records.c: turns the candidates of an extraction into records (the
 * choice of one value per offering field, with the others kept as
 * alternates; parties, clauses and facts deduplicated) and serves them
 * through the public accessors. records_json.c writes them as JSON. */
#include "e8k_extract.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const e8k_offering_fields[E8K_NFIELDS] = {
#define E8K_FIELD_NAME(name) #name,
    E8K_OFFERING_FIELDS(E8K_FIELD_NAME)
#undef E8K_FIELD_NAME
};

size_t e8k_offering_field_count(void)
{
    return E8K_NFIELDS;
}

const char *e8k_offering_field_name(size_t i)
{
    return i < E8K_NFIELDS ? e8k_offering_fields[i] : NULL;
}

int e8k_field_index(const char *field)
{
    for (int i = 0; i < E8K_NFIELDS; i++)
        if (!strcmp(e8k_offering_fields[i], field))
            return i;
    return -1;
}

static void free_picks(e8k_offering *o)
{
    for (int f = 0; f < E8K_NFIELDS; f++)
        free(o->picks[f]);
}

void e8k_records_free(e8k_records *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->noffs; i++)
        free_picks(&r->offs[i]);
    for (size_t i = 0; i < r->nblocks; i++)
        free(r->blocks[i]);
    free(r->blocks);
    free(r->offs);
    free(r->cands);
    free(r->parties);
    free(r->clauses);
    free(r->facts);
    free(r->sents);
    free(r->warnings);
    e8k_pool_free(&r->pool);
    free(r);
}

/* Parameters named like an offering field ("coupon_pct" of a note series)
 * become candidates of that field, keyed like their match. */
static int params_to_fields(e8k_records *r)
{
    size_t n = r->ncands;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < r->cands[i].v.nparams; k++) {
            const e8k_param *p = &r->cands[i].v.params[k];
            if (r->cands[i].kind != E8K_REC_OFFERING ||
                e8k_field_index(p->name) < 0 || (!p->has_number && !p->string))
                continue;
            if (E8K_GROW(r->cands, r->cands_cap, r->ncands + 1) != 0)
                return -1;
            e8k_cand *c = &r->cands[r->ncands++];
            *c = r->cands[i];
            c->starts_series = 0;
            c->v.field = e8k_offering_fields[e8k_field_index(p->name)];
            c->v.has_number = p->has_number;
            c->v.number = p->number;
            c->v.string = p->has_number ? NULL : p->string;
            c->v.unit = p->unit;
            c->v.type = p->unit && !strcmp(p->unit, "percent") ? "percent" : "text";
            c->v.precision = 0;
            c->v.params = NULL;
            c->v.nparams = 0;
        }
    }
    return 0;
}

/* ---- parties, clauses, facts ------------------------------------------------ */

static int is_suffix(const char *s, size_t n)
{
    return (e8k_firm_word(s, n) & E8K_FIRM_FORM) != 0;
}

static int ends_with_suffix(const char *s)
{
    const char *sp = strrchr(s, ' ');
    const char *last = sp ? sp + 1 : s;
    return is_suffix(last, strlen(last));
}

/* Whether a piece of a list names a firm by itself ("Example LLC"), as
 * opposed to the rest of one ("London Branch"). */
static int firm_word(const char *s, size_t n)
{
    return e8k_firm_words_in(s, n) != 0;
}

/* Whether the comma-separated run that starts at s (up to the next " and "
 * or the end) ends in a legal form: "Pierce, Fenner & Smith Incorporated"
 * completes "Merrill Lynch"; "Robertson Stephens and ..." leaves "Chase
 * H&Q" a firm of its own. */
static int run_ends_in_form(const char *s)
{
    const char *end = strstr(s, " and ");
    size_t n = end ? (size_t)(end - s) : strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == ','))
        n--;
    size_t w = n;
    while (w && s[w - 1] != ' ')
        w--;
    return n > w && is_suffix(s + w, n - w);
}

/* Whether a comma-separated piece continues the firm before it rather
 * than naming another: "Example Bank AG, London Branch", "Smith, Jones
 * LLP", but not "Example Bank PLC, Other Bank". */
static int joins(const char *prev, const char *s, size_t n)
{
    /* the word whole: "Branchburg Securities LLC" is another firm */
    for (size_t i = 0; i + 6 <= n; i++)
        if ((i == 0 || s[i - 1] == ' ') && !strncasecmp(s + i, "branch", 6) &&
            (i + 6 == n || strchr(" .,", s[i + 6])))
            return 1;
    if (!firm_word(prev, strlen(prev)) && !ends_with_suffix(prev))
        return run_ends_in_form(s);
    return !firm_word(s, n) && !ends_with_suffix(prev);
}

/* Words that a firm pattern can catch but that name no firm: defined
 * terms and roles ("Opinion of Counsel", a heading "Opinion of Financial
 * Advisor"), in any case since headings and legends are in capitals. */
static int generic_name(const char *s)
{
    static const char *const generic[] = {
        "The", "Company", "Placement Agent", "Underwriter", "Underwriters",
        "Representative", "Representatives", "Registrant", "We", "Our",
        "Exhibit", "Section", "Agent", "Sales Agent", "Purchaser", "Investor",
        "Holder", "Escrow Agent", "Trustee", "Issuer", "Total", "Counsel",
        "Legal Counsel", "Special Counsel", "Company Counsel",
        "Financial Advisor", "Financial Adviser", "Transfer Agent",
        "Initial Purchaser", "Initial Purchasers", "Agents", "Sales Agents",
        "Manager", "Managers", "Placement Agents", "Book-Running Manager"};
    for (size_t i = 0; i < sizeof generic / sizeof generic[0]; i++)
        if (!strcasecmp(s, generic[i]) ||
            (!strncasecmp(s, "The ", 4) && !strcasecmp(s + 4, generic[i])))
            return 1;
    /* a defined agreement ("the Underwriting Agreement") names no firm */
    size_t n = strlen(s);
    if (strstr(s, "Agreement"))
        return 1;
    /* a legal form alone is the tail of a name cut off before it */
    return n < 3 || (!strchr(s, ' ') && is_suffix(s, n));
}

/* Roles a statement gives to one firm: an escrow agent, a transfer agent,
 * the counsel whose opinion it is, a financial advisor. A list caught
 * with such a role is the parties of an agreement named before it. */
static int single_firm_role(const char *role)
{
    return !strcmp(role, "escrow_agent") || !strcmp(role, "transfer_agent") ||
           !strcmp(role, "counsel") || !strcmp(role, "financial_advisor");
}

/* Whether " and " before s is part of one name: "Cowen and Company, LLC",
 * "Smith and Sons". */
static int and_joins(const char *s)
{
    static const char *const tails[] = {"Company", "Co.", "Co ", "Sons", "Son "};
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++)
        if (!strncmp(s, tails[i], strlen(tails[i])) ||
            (!strcmp(tails[i], "Co ") && !strcmp(s, "Co")))
            return 1;
    return 0;
}

/* Adds one party candidate per firm of a list "A LLC, B Inc. and C & Co."
 * (a piece that is only a suffix such as "L.L.C." stays with its firm). */
static int split_party(e8k_records *r, size_t ci)
{
    const char *s = r->cands[ci].v.string;
    char pieces[12][128];
    size_t np = 0, i = 0;
    while (np < 12) {
        size_t j = i;
        while (s[j] && !(s[j] == ',' && s[j + 1] == ' ') &&
               (strncmp(s + j, " and ", 5) || and_joins(s + j + 5)))
            j++;
        size_t len = j - i;
        int comma = i >= 2 && s[i - 2] == ',';
        if (np && (is_suffix(s + i, len) ||
                   (comma && joins(pieces[np - 1], s + i, len)))) {
            size_t l = strlen(pieces[np - 1]);
            snprintf(pieces[np - 1] + l, sizeof pieces[0] - l, ", %.*s",
                     (int)len, s + i);
        } else {
            snprintf(pieces[np++], sizeof pieces[0], "%.*s", (int)len, s + i);
        }
        if (!s[j])
            break;
        i = j + (s[j] == ',' ? (strncmp(s + j, ", and ", 6) ? 2 : 6) : 5);
    }
    if (np < 2)
        return 0;
    if (single_firm_role(r->cands[ci].v.field)) {
        /* "among A Corp., B, Inc., C Bank, as escrow agent": the firm next
         * to the role words is the agent, the others are other parties */
        size_t k = r->cands[ci].value_first ? np - 1 : 0;
        r->cands[ci].v.string = e8k_pool_strdup(&r->pool, pieces[k]);
        return r->cands[ci].v.string ? 0 : -1;
    }
    if (!(r->cands[ci].v.string = e8k_pool_strdup(&r->pool, pieces[0])))
        return -1;
    for (size_t k = 1; k < np; k++) {
        if (E8K_GROW(r->cands, r->cands_cap, r->ncands + 1) != 0)
            return -1;
        r->cands[r->ncands] = r->cands[ci];
        if (!(r->cands[r->ncands++].v.string =
                  e8k_pool_strdup(&r->pool, pieces[k])))
            return -1;
    }
    return 0;
}

/* Whether a is b or a shorter form of it ("Example" of "Example & Co."). */
static int name_covered(const char *a, const char *b)
{
    size_t n = strlen(a);
    return !strncmp(a, b, n) && (b[n] == '\0' || b[n] == ' ' || b[n] == ',');
}

/* Agents of any kind (placement, sales, underwriting) name one firm by its
 * full and short names alike. */
static int same_role(const char *a, const char *b)
{
    static const char *const agents[] = {"placement_agent", "underwriter",
                                         "sales_agent"};
    int ia = 0, ib = 0;
    for (size_t k = 0; k < 3; k++) {
        ia |= !strcmp(a, agents[k]);
        ib |= !strcmp(b, agents[k]);
    }
    return (ia && ib) || !strcmp(a, b);
}

/* Whether party candidate i names a firm: not a role word, not a shorter
 * form of a name stated in full; with `once`, not a repeat either. */
static int keep_party(const e8k_records *r, size_t i, int once)
{
    const e8k_value *v = &r->cands[i].v;
    if (generic_name(v->string))
        return 0;
    for (size_t j = 0; j < r->ncands; j++) {
        const e8k_value *w = &r->cands[j].v;
        if (j == i || r->cands[j].kind != E8K_REC_PARTY ||
            !same_role(v->field, w->field) || generic_name(w->string))
            continue;
        if (!strcmp(v->string, w->string) ? once && j < i
                                          : name_covered(v->string, w->string))
            return 0;
    }
    return 1;
}

int e8k_records_party_names_firm(const e8k_records *r, size_t i)
{
    return keep_party(r, i, 0);
}

static int same_clause(const e8k_value *a, const e8k_value *b, int fact)
{
    if (strcmp(a->field, b->field))
        return 0;
    if (fact)
        return e8k_same_value(a, b) && !strcmp(a->rule, b->rule);
    return !strcmp(a->doc_type, b->doc_type);
}

static int collect(e8k_records *r, e8k_record_kind kind, size_t **out,
                   size_t *n)
{
    *out = malloc((r->ncands + 1) * sizeof **out);
    if (!*out)
        return -1;
    for (size_t i = 0; i < r->ncands; i++) {
        if (r->cands[i].kind != kind)
            continue;
        if (kind == E8K_REC_PARTY && !keep_party(r, i, 1))
            continue;
        int dup = 0;
        for (size_t k = 0; kind != E8K_REC_PARTY && k < *n && !dup; k++)
            dup = same_clause(&r->cands[(*out)[k]].v, &r->cands[i].v,
                              kind == E8K_REC_FACT);
        if (!dup)
            (*out)[(*n)++] = i;
    }
    return 0;
}

int e8k_records_assemble(e8k_records *r)
{
    size_t n = r->ncands;
    for (size_t i = 0; i < n; i++)
        if (r->cands[i].kind == E8K_REC_PARTY && r->cands[i].v.string &&
            split_party(r, i) != 0)
            return -1;
    if (params_to_fields(r) != 0 ||
        collect(r, E8K_REC_PARTY, &r->parties, &r->nparties) != 0 ||
        collect(r, E8K_REC_CLAUSE, &r->clauses, &r->nclauses) != 0 ||
        collect(r, E8K_REC_FACT, &r->facts, &r->nfacts) != 0)
        return -1;
    return e8k_records_build_offerings(r);
}

/* ---- accessors ----------------------------------------------------------------- */

size_t e8k_records_offering_count(const e8k_records *r) { return r ? r->noffs : 0; }

static const e8k_offering *offering_at(const e8k_records *r, size_t i)
{
    return r && i < r->noffs ? &r->offs[i] : NULL;
}

const e8k_value *e8k_records_offering_field(const e8k_records *r, size_t i,
                                            const char *field)
{
    const e8k_offering *o = offering_at(r, i);
    int f = field ? e8k_field_index(field) : -1;
    if (!o || f < 0)
        return NULL;
    if (!strcmp(field, "security"))
        return o->has_security ? &o->derived_security : NULL;
    return o->npicks[f] ? &r->cands[o->picks[f][0]].v : NULL;
}

size_t e8k_records_alternate_count(const e8k_records *r, size_t i,
                                   const char *field)
{
    const e8k_offering *o = offering_at(r, i);
    int f = field ? e8k_field_index(field) : -1;
    if (!o || f < 0 || !strcmp(field, "agents") || o->npicks[f] < 2)
        return 0;
    return o->npicks[f] - 1;
}

const e8k_value *e8k_records_alternate(const e8k_records *r, size_t i,
                                       const char *field, size_t k)
{
    if (k >= e8k_records_alternate_count(r, i, field))
        return NULL;
    const e8k_offering *o = offering_at(r, i);
    return &r->cands[o->picks[e8k_field_index(field)][k + 1]].v;
}

size_t e8k_records_party_count(const e8k_records *r) { return r ? r->nparties : 0; }
const e8k_value *e8k_records_party(const e8k_records *r, size_t i)
{
    return r && i < r->nparties ? &r->cands[r->parties[i]].v : NULL;
}
size_t e8k_records_clause_count(const e8k_records *r) { return r ? r->nclauses : 0; }
const e8k_value *e8k_records_clause(const e8k_records *r, size_t i)
{
    return r && i < r->nclauses ? &r->cands[r->clauses[i]].v : NULL;
}
size_t e8k_records_fact_count(const e8k_records *r) { return r ? r->nfacts : 0; }
const e8k_value *e8k_records_fact(const e8k_records *r, size_t i)
{
    return r && i < r->nfacts ? &r->cands[r->facts[i]].v : NULL;
}
size_t e8k_records_warning_count(const e8k_records *r) { return r ? r->nwarnings : 0; }
const e8k_error *e8k_records_warning(const e8k_records *r, size_t i)
{
    return r && i < r->nwarnings ? &r->warnings[i] : NULL;
}
