/* SPDX-License-Identifier: MIT */
/* extract.c: runs the grammar over the text of each document (and of each
 * exhibit embedded in a plain-text filing), turns matches into values with
 * provenance, then assembles records: offerings (one candidate chosen per
 * field by document authority and agreement, the others kept as
 * alternates), parties, warrant clauses and press-release facts. */
/* memmem: the search for a table caption above a figure. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "e8k_grammar.h"
#include "e8k_extract.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- sections: the unit a rule runs on ------------------------------------ */

/* A plain-text filing often carries its exhibits inline, each opened by a
 * line "EXHIBIT 99.1" alone; each becomes a section typed "EX-99.1" so that
 * authority and document gating work as for separate documents. */
static int exhibit_heading(const char *s, size_t n, char *type, size_t cap)
{
    size_t ns, ne; /* one test with the submission reader (format.c) */
    if (!e8k_exhibit_heading(s, n, &ns, &ne))
        return 0;
    snprintf(type, cap, "EX-%.*s", (int)(ne - ns), s + ns);
    return 1;
}

int e8k_sections_split(const char *text, size_t len, size_t doc,
                       const char *type, int seq, e8k_section **out,
                       size_t *n, size_t *cap, e8k_pool *pool)
{
    size_t start = 0, line = 0;
    const char *cur = type;
    /* Only a current report carries its exhibits inline; a prospectus's
     * "Exhibit 5.1" line is part of its own text. */
    if (!e8k_glob_match("8-K*", type) && !e8k_glob_match("6-K*", type))
        line = len + 1;
    while (line <= len) {
        const char *nl = memchr(text + line, '\n', len - line);
        size_t end = nl ? (size_t)(nl - text) : len;
        char ex[32];
        if (exhibit_heading(text + line, end - line, ex, sizeof ex) &&
            line > start) {
            if (e8k_section_add(out, n, cap, doc, cur, seq, start, line) != 0)
                return -1;
            if (!(cur = e8k_pool_strdup(pool, ex)))
                return -1;
            start = line;
        }
        if (!nl)
            break;
        line = end + 1;
    }
    return e8k_section_add(out, n, cap, doc, cur, seq, start, len);
}

int e8k_section_add(e8k_section **arr, size_t *n, size_t *cap, size_t doc,
                    const char *type, int seq, size_t start, size_t end)
{
    if (E8K_GROW(*arr, *cap, *n + 1) != 0)
        return -1;
    e8k_section *s = &(*arr)[(*n)++];
    s->doc = doc;
    s->type = type;
    s->sequence = seq;
    s->start = start;
    s->end = end;
    return 0;
}

/* Agreements and prospectuses state the terms; the 8-K body summarizes
 * them; a press release rounds them. */
int e8k_authority(const char *type)
{
    if (e8k_glob_match("EX-1*", type) || e8k_glob_match("EX-4*", type) ||
        e8k_glob_match("EX-10*", type) || e8k_glob_match("424B*", type) ||
        e8k_glob_match("S-*", type) || e8k_glob_match("F-*", type))
        return 3;
    if (e8k_glob_match("8-K*", type) || e8k_glob_match("6-K*", type))
        return 2;
    return 1;
}

/* ---- candidates ------------------------------------------------------------ */

/* Where one keyword occurs in the current section. */
typedef struct kw_hits {
    size_t *pos;
    size_t n, cap;
} kw_hits;

typedef struct doc_ctx {
    const char *text;
    size_t len;
    char *lower;  /* folded copy for keyword gating (e8k_keyword_fold),
                     with KEYWORD_PAD NUL bytes after it */
    size_t doc;
    const e8k_filing *filing; /* NULL for e8k_extract_text */
    unsigned char *kw;        /* per keyword: present in the section */
    kw_hits *hits;            /* per keyword: its occurrences */
} doc_ctx;

static void *records_block(e8k_records *r, size_t size)
{
    if (E8K_GROW(r->blocks, r->blocks_cap, r->nblocks + 1) != 0)
        return NULL;
    void *p = calloc(1, size);
    if (p)
        r->blocks[r->nblocks++] = p;
    return p;
}

static size_t file_offset(const doc_ctx *d, size_t pos)
{
    if (!d->filing)
        return pos;
    return e8k_filing_offset(d->filing, d->doc, pos);
}

/* Money in a table is often stated under "(in thousands)"; the caption
 * counts when it is close above the figure. */
static double caption_scale(const doc_ctx *d, const e8k_section *s,
                            size_t pos)
{
    size_t from = pos > s->start + 3000 ? pos - 3000 : s->start;
    if (memmem(d->lower + from, pos - from, "in thousands", 12))
        return 1e3;
    if (memmem(d->lower + from, pos - from, "in millions", 11))
        return 1e6;
    return 1;
}

/* The key of a defined series name: "2019 Notes" is "2019", "Floating
 * Rate Notes" is "Floating Rate"; NULL for a name that is only "Notes". */
static const char *series_key(e8k_pool *pool, const char *alias)
{
    size_t n = strlen(alias);
    static const char *const tails[] = {" Notes", " notes", " Debentures",
                                        " debentures", " Bonds", " bonds"};
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        size_t k = strlen(tails[i]);
        if (n > k && !strcmp(alias + n - k, tails[i])) {
            n -= k;
            break;
        }
    }
    if (n > 4 && !strncasecmp(alias, "the ", 4)) {
        alias += 4;
        n -= 4;
    }
    return n ? e8k_pool_strndup(pool, alias, n) : NULL;
}

static int add_params(e8k_records *r, e8k_cand *c, const e8k_rule *ru,
                      const doc_ctx *d, const e8k_match *mt)
{
    if (!ru->nparams)
        return 0;
    e8k_param *ps = records_block(r, ru->nparams * sizeof *ps);
    if (!ps)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < ru->nparams; i++) {
        e8k_span2 sp = mt->params[i];
        if (sp.start == E8K_NO_OFFSET)
            continue;
        e8k_param *p = &ps[k++];
        p->name = e8k_pool_strdup(&r->pool, ru->params[i].name);
        if (!p->name)
            return -1;
        p->text = e8k_pool_strndup(&r->pool, d->text + sp.start,
                                   sp.end - sp.start);
        e8k_norm nv;
        if (e8k_normalize(ru->params[i].type, d->text + sp.start,
                          sp.end - sp.start, 1, &nv) == 0) {
            p->has_number = nv.has_number;
            p->number = nv.number;
            p->unit = nv.unit;
            if (!nv.has_number)
                p->string = e8k_pool_strdup(&r->pool, nv.string);
        }
        if (!strcmp(p->name, "series") && p->text && !c->series)
            c->series = p->text;
        if (!strcmp(p->name, "alias") && p->text) {
            /* a series named by its defined term ("Floating Rate Notes"
               beside fixed-rate notes due the same year) is keyed by it */
            const char *key = series_key(&r->pool, p->text);
            if (key)
                c->series = key;
        }
    }
    c->v.params = ps;
    c->v.nparams = k;
    return 0;
}

/* A party named beside its role words takes the role they say (the
 * grammar's <role> table): "acting as sole book-running manager" is an
 * underwriter whatever rule read it. */
static int set_role(e8k_records *r, e8k_cand *c, const e8k_rule *ru)
{
    for (size_t i = 0; i < c->v.nparams; i++)
        if (!strcmp(c->v.params[i].name, "role")) {
            const char *f = e8k_rule_role_field(ru, c->v.params[i].text);
            if (f && !(c->v.field = e8k_pool_strdup(&r->pool, f)))
                return -1;
            break;
        }
    return 0;
}

static int add_cand(e8k_records *r, const e8k_rule *ru, const doc_ctx *d,
                    const e8k_section *s, const e8k_match *mt)
{
    double scale = ru->kind == E8K_REC_FACT ? caption_scale(d, s, mt->all.start)
                                            : 1;
    e8k_norm nv;
    if (e8k_rule_value(ru, d->text, mt, scale, &nv) != 0)
        return 0;
    if (E8K_GROW(r->cands, r->cands_cap, r->ncands + 1) != 0)
        return -1;
    e8k_cand *c = &r->cands[r->ncands];
    memset(c, 0, sizeof *c);
    c->kind = ru->kind;
    c->authority = e8k_authority(s->type);
    c->starts_series = ru->series;
    c->rank = ru->rank;
    c->value_first = mt->value.start == mt->all.start;
    e8k_value *v = &c->v;
    /* copies: records outlive the grammar as well as the filing */
    v->field = e8k_pool_strdup(&r->pool, ru->field);
    v->rule = e8k_pool_strdup(&r->pool, ru->id);
    v->type = e8k_vtype_name(ru->type);
    v->unit = nv.unit;
    v->has_number = nv.has_number;
    v->number = nv.number;
    v->string = nv.has_number ? NULL : e8k_pool_strdup(&r->pool, nv.string);
    v->precision = nv.precision;
    v->qualifier = nv.qualifier;
    size_t tl = mt->all.end - mt->all.start;
    v->text = e8k_pool_strndup(&r->pool, d->text + mt->all.start,
                               tl > 600 ? 600 : tl);
    v->document = d->doc;
    v->doc_type = s->type;
    v->doc_sequence = s->sequence;
    v->text_span.start = mt->all.start;
    v->text_span.end = mt->all.end;
    v->span.start = file_offset(d, mt->all.start);
    v->span.end = file_offset(d, mt->all.end);
    if (!v->text || !v->field || !v->rule || (!nv.has_number && !v->string) ||
        add_params(r, c, ru, d, mt) != 0 ||
        (c->kind == E8K_REC_PARTY && set_role(r, c, ru) != 0))
        return -1;
    r->ncands++;
    return 0;
}

/* ---- lists stated "respectively" ---------------------------------------------- */

/* Whether an item of a value list of type `t` may start at s[i]: a month
 * for a date, a figure for a percentage, a currency sign for money. */
static int item_starts(e8k_vtype t, const char *s, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (t == E8K_V_DATE)
        return isalpha(c);
    if (t == E8K_V_MONEY || t == E8K_V_PRICE)
        return c == '$';
    return isdigit(c) || c == '.';
}

/* Splits text[b..e) at ", ", ", and " and " and " where a new item starts;
 * fills starts/ends, returns the count (at most cap). */
static size_t split_items(e8k_vtype t, const char *text, size_t b, size_t e,
                          size_t *starts, size_t *ends, size_t cap)
{
    size_t n = 0, from = b;
    for (size_t i = b; i < e && n + 1 < cap; i++) {
        size_t sep = 0;
        if (text[i] == ',' && i + 1 < e && text[i + 1] == ' ')
            sep = (i + 6 <= e && !strncmp(text + i, ", and ", 6)) ? 6 : 2;
        else if (i + 5 <= e && !strncmp(text + i, " and ", 5))
            sep = 5;
        if (sep && i + sep < e && item_starts(t, text, i + sep)) {
            starts[n] = from;
            ends[n++] = i;
            from = i + sep;
            i += sep - 1;
        }
    }
    starts[n] = from;
    ends[n++] = e;
    return n;
}

/* The series keys of a "respectively" list: the years it names, in order
 * ("the 2027 Notes and the 2047 Notes"). */
static size_t list_keys(const char *s, size_t n, size_t *at, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i + 4 <= n && k < cap; i++)
        if ((i == 0 || !isdigit((unsigned char)s[i - 1])) &&
            (s[i] == '1' || s[i] == '2') && isdigit((unsigned char)s[i + 1]) &&
            isdigit((unsigned char)s[i + 2]) && isdigit((unsigned char)s[i + 3]) &&
            (i + 4 == n || !isdigit((unsigned char)s[i + 4])))
            at[k++] = i;
    return k;
}

#define MAX_LIST_ITEMS 10

/* A match that pairs a list of keys with a list of values, one candidate
 * per pair keyed by its series; 1 when handled, 0 when the rule states no
 * such list (or the counts differ), -1 out of memory. */
static int add_respectively(e8k_records *r, const e8k_rule *ru,
                            const doc_ctx *d, const e8k_section *s,
                            const e8k_match *mt)
{
    size_t p = 0;
    while (p < ru->nparams && strcmp(ru->params[p].name, "respectively"))
        p++;
    if (p == ru->nparams || mt->params[p].start == E8K_NO_OFFSET ||
        mt->value.start == E8K_NO_OFFSET)
        return 0;
    size_t keys[MAX_LIST_ITEMS], vs[MAX_LIST_ITEMS], ve[MAX_LIST_ITEMS];
    const char *kt = d->text + mt->params[p].start;
    size_t nk = list_keys(kt, mt->params[p].end - mt->params[p].start, keys,
                          MAX_LIST_ITEMS);
    size_t nv = split_items(ru->type, d->text, mt->value.start, mt->value.end,
                            vs, ve, MAX_LIST_ITEMS);
    if (nk < 2 || nk != nv)
        return 0;
    for (size_t i = 0; i < nk; i++) {
        e8k_match one = *mt;
        one.value.start = vs[i];
        one.value.end = ve[i];
        size_t before = r->ncands;
        if (add_cand(r, ru, d, s, &one) != 0)
            return -1;
        if (r->ncands > before &&
            !(r->cands[before].series = e8k_pool_strndup(&r->pool, kt + keys[i], 4)))
            return -1;
    }
    return 1;
}

/* ---- running the rules ------------------------------------------------------ */

static void add_warning(e8k_records *r, const e8k_error *e, const doc_ctx *d,
                        const e8k_section *s)
{
    if (E8K_GROW(r->warnings, r->warnings_cap, r->nwarnings + 1) != 0)
        return; /* a lost warning beats a lost record set */
    e8k_error *w = &r->warnings[r->nwarnings++];
    *w = *e;
    w->offset = e->offset == E8K_NO_OFFSET ? E8K_NO_OFFSET
                                           : file_offset(d, e->offset);
    char msg[sizeof w->message];
    snprintf(msg, sizeof msg, "document %zu (%s): %.400s", d->doc, s->type,
             e->message);
    memcpy(w->message, msg, sizeof msg);
}

static int items_allow(const e8k_rule *ru, const doc_ctx *d,
                       const e8k_section *s)
{
    if (!ru->nitems || !d->filing || s->doc != e8k_filing_main_document(d->filing))
        return 1;
    size_t n = e8k_filing_item_count(d->filing);
    if (!n)
        return 1; /* items not found: do not guess them away */
    for (size_t i = 0; i < n; i++) {
        const e8k_item *it = e8k_filing_item(d->filing, i);
        for (size_t k = 0; k < ru->nitems; k++)
            if (it->number && !strcmp(it->number, ru->items[k]))
                return 1;
    }
    return 0;
}

static int rule_applies(const e8k_rule *ru, const doc_ctx *d,
                        const e8k_section *s)
{
    int ok = ru->ndoc_types == 0;
    for (size_t i = 0; !ok && i < ru->ndoc_types; i++)
        ok = e8k_glob_match(ru->doc_types[i], s->type);
    if (!ok)
        return 0;
    int kw = ru->nkeywords == 0;
    for (size_t i = 0; !kw && i < ru->nkeywords; i++)
        kw = d->kw[ru->keywords[i]];
    return kw && items_allow(ru, d, s);
}

#define MAX_MATCHES_PER_RULE 2000
/* A rule's match starts within this many bytes of one of its keywords
 * (a rule's `reach` says otherwise): patterns run on windows around the
 * keyword occurrences, not on the whole of a long prospectus. A match may
 * run, and a lookahead may look, KEYWORD_TAIL bytes past the window's
 * end: what follows a statement ("... which remain outstanding") decides
 * whether it is one. */
#define KEYWORD_WINDOW 400
#define KEYWORD_TAIL 300
#define MAX_KEYWORD_HITS 100000
#define KEYWORD_PAD 4 /* e8k_keywords_find reads past a section's end */

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* The sorted occurrences in the section of the keywords list[0..nlist)
 * (a rule's keywords or anchors), *n of them; *listed is 0 when they are
 * not all known (the list is empty, a keyword too frequent to list, or
 * memory short), meaning: run on the whole section. */
static size_t *rule_hits(const size_t *list, size_t nlist, const doc_ctx *d,
                         size_t *n, int *listed)
{
    size_t total = 0;
    *n = 0;
    *listed = 0;
    for (size_t k = 0; k < nlist; k++) {
        size_t kw = list[k];
        if (d->kw[kw] && !d->hits[kw].n)
            return NULL; /* a keyword too frequent to list */
        total += d->hits[kw].n;
    }
    size_t *all = total ? malloc(total * sizeof *all) : NULL;
    if (total && !all)
        return NULL;
    size_t lists = 0;
    for (size_t k = 0; k < nlist; k++) {
        const kw_hits *h = &d->hits[list[k]];
        if (h->n)
            memcpy(all + *n, h->pos, h->n * sizeof *all);
        *n += h->n;
        lists += h->n > 0;
    }
    if (lists > 1) /* each list is sorted: one alone needs no sort */
        qsort(all, *n, sizeof *all, cmp_size);
    *listed = nlist > 0;
    return all;
}

/* A keyword's window: matches start in [from, to) and read the text up
 * to limit. */
typedef struct window {
    size_t from, to, limit;
} window;

#define WINDOW_NEXT 2 /* run_starts: go on with the next window */

/* Runs the rule on the starts [from, to) of window w; pos is where the
 * previous match ended. 1 go on, WINDOW_NEXT go on with the next window
 * (a match that \K put past the window ends the window), 0 stop, -1 no
 * memory. */
static int run_starts(e8k_records *r, e8k_matcher *m, const e8k_rule *ru,
                      const doc_ctx *d, const e8k_section *s,
                      const window *w, size_t from, size_t to, size_t *pos,
                      int *count)
{
    e8k_match mt;
    e8k_error err;
    e8k_error_clear(&err);
    int rc = 0, next = 0;
    size_t at = *pos > from ? *pos : from;
    while (*count < MAX_MATCHES_PER_RULE && at < to &&
           (rc = e8k_rule_next(m, ru, d->text, w->limit, at, to - 1, &mt,
                               &err)) == 1) {
        if (mt.all.start >= w->to) {
            rc = 0; /* started in the window but \K put it after */
            next = 1;
            break;
        }
        ++*count;
        int rc_list = add_respectively(r, ru, d, s, &mt);
        if (rc_list < 0 || (rc_list == 0 && add_cand(r, ru, d, s, &mt) != 0))
            return -1;
        at = mt.all.end > mt.all.start ? mt.all.end : mt.all.start + 1;
    }
    *pos = at;
    if (*count < MAX_MATCHES_PER_RULE && rc < 0) {
        add_warning(r, &err, d, s);
        return 0;
    }
    return next ? WINDOW_NEXT : 1;
}

/* PCRE2's \s, from a table: lead_start walks long stretches back. */
static const unsigned char SPACE[256] = {[' '] = 1,  ['\t'] = 1, ['\n'] = 1,
                                         ['\v'] = 1, ['\f'] = 1, ['\r'] = 1};

static int is_space(char c) { return SPACE[(unsigned char)c]; }

/* The first position p, not before stop, from which text[p..q) meets
 * lead runs of white space at most. */
static size_t lead_start(const char *text, size_t q, size_t lead,
                         size_t stop)
{
    size_t p = q;
    for (size_t runs = 0;; runs++) {
        /* runs of white space lie apart: no more than half the bytes left */
        if (lead - runs >= (p - stop + 1) / 2)
            return stop;
        while (p > stop && !is_space(text[p - 1]))
            p--;
        if (p == stop || runs == lead)
            return p;
        while (p > stop && is_space(text[p - 1]))
            p--;
    }
}

/* Where a rule with a lead may start: the anchors' (or keywords')
 * occurrences in the section, sorted. */
typedef struct leads {
    const size_t *at;
    size_t n;
    size_t next; /* the first not before the current window */
} leads;

/* A rule whose matches hold one of its anchors (keywords) after `lead`
 * runs of white space at most can only start in the stretches of the
 * window that end at one: it is searched there alone, on the window's
 * text. An anchor past the window's starts, up to its limit, may end
 * one. */
static int run_leads(e8k_records *r, e8k_matcher *m, const e8k_rule *ru,
                     const doc_ctx *d, const e8k_section *s,
                     const window *w, leads *l, size_t *pos, int *count)
{
    while (l->next < l->n && l->at[l->next] < w->from)
        l->next++;
    const size_t *at = l->at;
    size_t i = l->next, n = l->n;
    int rc = 1;
    size_t from = i < n && at[i] > w->from
                      ? lead_start(d->text, at[i], ru->lead, w->from)
                      : w->from;
    while (rc == 1 && i < n && at[i] < w->limit && from < w->to) {
        size_t to = at[i] + 1, next = 0; /* a match may start at its anchor */
        while (++i < n && at[i] < w->limit) {
            if (at[i] < to)
                continue;
            next = lead_start(d->text, at[i], ru->lead, to);
            if (next > to)
                break; /* a stretch of its own */
            to = at[i] + 1;
        }
        rc = run_starts(r, m, ru, d, s, w, from, to < w->to ? to : w->to,
                        pos, count);
        from = next;
    }
    return rc;
}

static int run_window(e8k_records *r, e8k_matcher *m, const e8k_rule *ru,
                      const doc_ctx *d, const e8k_section *s,
                      const window *w, leads *l, size_t *pos, int *count)
{
    if (l)
        return run_leads(r, m, ru, d, s, w, l, pos, count);
    return run_starts(r, m, ru, d, s, w, w->from, w->to, pos, count);
}

static int run_rule(e8k_records *r, e8k_matcher *m, const e8k_rule *ru,
                    const doc_ctx *d, const e8k_section *s)
{
    size_t n, pos = s->start;
    int count = 0, rc = 1, listed, lead_listed = 0;
    size_t *hits = rule_hits(ru->keywords, ru->nkeywords, d, &n, &listed);
    leads l = {hits, n, 0};
    size_t *anchors = NULL;
    if (ru->lead != E8K_NO_LEAD && ru->nanchors)
        l.at = anchors = rule_hits(ru->anchors, ru->nanchors, d, &l.n,
                                   &lead_listed);
    else if (ru->lead != E8K_NO_LEAD)
        lead_listed = listed;
    leads *lp = lead_listed ? &l : NULL;
    if (!listed) {
        window w = {s->start, s->end, s->end};
        rc = run_window(r, m, ru, d, s, &w, lp, &pos, &count);
    }
    size_t reach = ru->reach ? ru->reach : KEYWORD_WINDOW;
    for (size_t i = 0; listed && (rc == 1 || rc == WINDOW_NEXT) && i < n;) {
        window w = {hits[i] > s->start + reach ? hits[i] - reach : s->start,
                    hits[i] + reach, 0};
        while (++i < n && hits[i] <= w.to + reach)
            w.to = hits[i] + reach; /* merge overlapping windows */
        w.to = w.to < s->end ? w.to : s->end;
        w.limit = w.to + KEYWORD_TAIL < s->end ? w.to + KEYWORD_TAIL : s->end;
        rc = run_window(r, m, ru, d, s, &w, lp, &pos, &count);
    }
    free(hits);
    free(anchors);
    if (rc >= 0 && count >= MAX_MATCHES_PER_RULE) {
        e8k_error w;
        e8k_fail(&w, E8K_ERR_LIMIT, NULL, NULL, 0, pos,
                 "rule %s: more than %d matches, the rest not read", ru->id,
                 MAX_MATCHES_PER_RULE);
        snprintf(w.rule, sizeof w.rule, "%s", ru->id);
        add_warning(r, &w, d, s);
    }
    return rc < 0 ? -1 : 0;
}

/* Keyword gating: each distinct keyword is searched once per section, so
 * the cost of rules a section cannot match does not grow with their
 * number beyond a flag test. */
static void add_hit(void *ctx, size_t k, size_t pos)
{
    kw_hits *h = &((doc_ctx *)ctx)->hits[k];
    if (h->n > MAX_KEYWORD_HITS)
        return;
    if (h->n == MAX_KEYWORD_HITS || E8K_GROW(h->pos, h->cap, h->n + 1) != 0) {
        h->n = MAX_KEYWORD_HITS + 1; /* too many to list: whole section */
        return;
    }
    h->pos[h->n++] = pos;
}

static void mark_keywords(const e8k_grammar *g, doc_ctx *d,
                          const e8k_section *s)
{
    size_t nk = e8k_grammar_nkeywords(g);
    for (size_t k = 0; k < nk; k++)
        d->hits[k].n = 0;
    e8k_keywords_find(g, d->lower, s->start, s->end, add_hit, d);
    for (size_t k = 0; k < nk; k++) {
        d->kw[k] = d->hits[k].n > 0;
        if (d->hits[k].n > MAX_KEYWORD_HITS)
            d->hits[k].n = 0; /* listed as present, windows off */
    }
}

/* The headings of the 8-K items the parse found in the section are units
 * of their own, however long ("Item 2.03 Creation of a Direct Financial
 * Obligation or an Obligation under an Off-Balance Sheet Arrangement of a
 * Registrant" runs past any title's length). */
static int item_headings(const doc_ctx *d, const e8k_section *s,
                         e8k_sent_mark **m, size_t *n, size_t *cap)
{
    size_t count = d->filing ? e8k_filing_item_count(d->filing) : 0;
    for (size_t i = 0; i < count; i++) {
        const e8k_item *it = e8k_filing_item(d->filing, i);
        size_t at = it->text_span.start;
        if (it->document == d->doc && at >= s->start && at < s->end &&
            e8k_sentences_heading(d->text, s->end, at, m, n, cap) != 0)
            return -1;
    }
    return 0;
}

/* Records the sentences of the section and gives each candidate found in
 * it (those from index `first` on) the sentence its match starts in. */
static int place_in_sentences(e8k_records *r, const doc_ctx *d,
                              const e8k_section *s, size_t first)
{
    e8k_sent_mark *m = NULL;
    size_t n = 0, cap = 0;
    if (e8k_sentences_split(d->text, s->start, s->end, &m, &n, &cap) != 0 ||
        item_headings(d, s, &m, &n, &cap) != 0 ||
        E8K_GROW(r->sents, r->sents_cap, r->nsents + n) != 0) {
        free(m);
        return -1;
    }
    size_t base = r->nsents;
    size_t para = base ? r->sents[base - 1].para : 0;
    for (size_t i = 0; i < n; i++) {
        para += m[i].para || i == 0;
        size_t end = i + 1 < n ? m[i + 1].start : s->end;
        r->sents[r->nsents++] = (e8k_sent){
            d->doc, s->type, m[i].start, end, para,
            e8k_sentence_is_lead_in(d->text, m[i].start, end),
            e8k_sentence_is_item(d->text, m[i].start, end)};
    }
    for (size_t c = first; c < r->ncands; c++) {
        size_t at = r->cands[c].v.text_span.start, lo = 0, hi = n;
        while (hi - lo > 1) { /* the last start at or before `at` */
            size_t mid = lo + (hi - lo) / 2;
            if (m[mid].start <= at)
                lo = mid;
            else
                hi = mid;
        }
        /* a heading's values belong with the sentence it introduces
           ("Equity Line Financing" before "On October 4, 2011, ...") */
        while (lo + 1 < n && m[lo].heading)
            lo++;
        r->cands[c].sent = base + lo;
    }
    free(m);
    return 0;
}

static int run_section(e8k_records *r, e8k_matcher *m, const e8k_grammar *g,
                       doc_ctx *d, const e8k_section *s)
{
    size_t first = r->ncands;
    mark_keywords(g, d, s);
    for (size_t i = 0; i < e8k_grammar_nrules(g); i++) {
        const e8k_rule *ru = e8k_grammar_rule(g, i);
        if (rule_applies(ru, d, s) && run_rule(r, m, ru, d, s) != 0)
            return -1;
    }
    return place_in_sentences(r, d, s, first);
}

static int run_document(e8k_records *r, e8k_matcher *m, const e8k_grammar *g,
                        doc_ctx *d, const char *type, int seq)
{
    d->lower = malloc(d->len + KEYWORD_PAD);
    d->kw = calloc(e8k_grammar_nkeywords(g) + 1, 1);
    d->hits = calloc(e8k_grammar_nkeywords(g) + 1, sizeof *d->hits);
    e8k_section *secs = NULL;
    size_t nsecs = 0, cap = 0;
    int rc = -1;
    /* Records outlive the filing: they own their document types. */
    type = e8k_pool_strdup(&r->pool, type);
    if (d->lower && d->kw && d->hits && type) {
        e8k_keyword_fold(d->lower, d->text, d->len);
        memset(d->lower + d->len, 0, KEYWORD_PAD);
        rc = e8k_sections_split(d->text, d->len, d->doc, type, seq, &secs,
                                &nsecs, &cap, &r->pool);
    }
    for (size_t i = 0; rc == 0 && i < nsecs; i++)
        rc = run_section(r, m, g, d, &secs[i]);
    free(secs);
    free(d->lower);
    free(d->kw);
    for (size_t k = 0; d->hits && k < e8k_grammar_nkeywords(g); k++)
        free(d->hits[k].pos);
    free(d->hits);
    return rc;
}

static e8k_status begin(const e8k_grammar *g, e8k_records **out,
                        e8k_matcher **m, e8k_error *err)
{
    *out = NULL;
    if (!g)
        return e8k_fail(err, E8K_ERR_USAGE, NULL, NULL, 0, E8K_NO_OFFSET,
                        "no grammar");
    *out = calloc(1, sizeof **out);
    *m = e8k_matcher_new();
    if (!*out || !*m) {
        e8k_records_free(*out);
        *out = NULL;
        e8k_matcher_free(*m);
        return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                        "no memory for extraction");
    }
    return E8K_OK;
}

static e8k_status finish(e8k_records **out, e8k_matcher *m, int rc,
                         e8k_error *err)
{
    e8k_matcher_free(m);
    if (rc == 0)
        rc = e8k_records_assemble(*out);
    if (rc != 0) {
        e8k_records_free(*out);
        *out = NULL;
        return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                        "no memory for extraction");
    }
    return E8K_OK;
}

e8k_status e8k_extract_text(const e8k_grammar *g, const char *text,
                            size_t len, const char *doc_type,
                            e8k_records **out, e8k_error *err)
{
    e8k_matcher *m = NULL;
    e8k_status st = begin(g, out, &m, err);
    if (st != E8K_OK)
        return st;
    (*out)->excerpt = 1;
    doc_ctx d = {text ? text : "", text ? len : 0, NULL, 0, NULL, NULL, NULL};
    int rc = run_document(*out, m, g, &d, doc_type ? doc_type : "8-K", 1);
    return finish(out, m, rc, err);
}

e8k_status e8k_extract_filing(const e8k_grammar *g, const e8k_filing *f,
                              e8k_records **out, e8k_error *err)
{
    e8k_matcher *m = NULL;
    e8k_status st = begin(g, out, &m, err);
    if (st != E8K_OK)
        return st;
    int rc = 0;
    const e8k_header *h = e8k_filing_header(f);
    if (h && (h->filed || h->period) &&
        !((*out)->filed = e8k_pool_strdup(&(*out)->pool, h->period ? h->period : h->filed)))
        rc = -1;
    for (size_t i = 0; rc == 0 && i < e8k_filing_document_count(f); i++) {
        const e8k_document *doc = e8k_filing_document(f, i);
        if (!doc->text)
            continue;
        size_t len;
        const char *t = e8k_text_data(doc->text, &len);
        doc_ctx d = {t, len, NULL, i, f, NULL, NULL};
        rc = run_document(*out, m, g, &d, doc->type, doc->sequence);
    }
    return finish(out, m, rc, err);
}
