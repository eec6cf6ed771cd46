/* SPDX-License-Identifier: MIT */
/* grammar.c: loads rule files (XML validated against grammar.xsd with
 * libxml2), expands the shared {define} building blocks, compiles every
 * pattern with PCRE2 JIT and matches them with limits set on every call.
 * It is the only file that includes pcre2. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "e8k_grammar.h"

#include <ctype.h>
#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct define {
    const char *name;
    const char *body;
    const char *file;
    long line;
} define;

struct e8k_grammar {
    e8k_pool pool;
    e8k_rule *rules;
    size_t nrules, rules_cap;
    define *defines;
    size_t ndefines, defines_cap;
    e8k_role *roles;
    size_t nroles, roles_cap;
    const char **keywords; /* lower case, unique */
    size_t nkeywords, keywords_cap;
    /* for the one-pass search of e8k_keywords_find: a filter bit per hash
     * of the first three bytes of a keyword, which most of a text fails;
     * behind it, keywords of four bytes or more chained by a hash of their
     * first four (behind a filter bit of their own), the shorter ones
     * listed (behind a filter of their three bytes) */
    size_t *kw_len;
    unsigned short *kw_head; /* 65536 chains, KW_NONE when empty */
    unsigned short *kw_next;
    unsigned short *kw_short;
    size_t nshort;
    uint64_t kw_first_filter[65536 / 64];
    uint64_t kw_long_filter[65536 / 64];
    uint64_t kw_short_filter[65536 / 64];
};

#define KW_NONE 0xFFFFu

struct e8k_matcher {
    pcre2_match_context *mctx;
    pcre2_match_data *md;
    pcre2_jit_stack *jit;
};

size_t e8k_grammar_nrules(const e8k_grammar *g) { return g ? g->nrules : 0; }
size_t e8k_grammar_rule_count(const e8k_grammar *g) { return e8k_grammar_nrules(g); }
const e8k_rule *e8k_grammar_rule(const e8k_grammar *g, size_t i) { return &g->rules[i]; }
size_t e8k_grammar_nkeywords(const e8k_grammar *g) { return g->nkeywords; }
const char *e8k_grammar_keyword(const e8k_grammar *g, size_t i) { return g->keywords[i]; }

void e8k_grammar_free(e8k_grammar *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nrules; i++) {
        pcre2_code_free((pcre2_code *)g->rules[i].code);
        free(g->rules[i].doc_types);
        free(g->rules[i].items);
        free(g->rules[i].keywords);
        free(g->rules[i].anchors);
        free(g->rules[i].examples);
    }
    free(g->rules);
    free(g->defines);
    for (size_t i = 0; i < g->nroles; i++)
        free(g->roles[i].words);
    free(g->roles);
    free(g->keywords);
    free(g->kw_len);
    free(g->kw_head);
    free(g->kw_next);
    free(g->kw_short);
    e8k_pool_free(&g->pool);
    free(g);
}

/* ---- libxml2 errors -------------------------------------------------- */

/* The first error libxml2 reports, kept so that the caller sees one
 * message with a file and line and libxml2 prints nothing. */
typedef struct xml_errors {
    e8k_error *err;
    const char *file;
    int seen;
} xml_errors;

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    xml_errors *xe = ctx;
    if (xe->seen++ || !e)
        return;
    e8k_fail(xe->err, E8K_ERR_GRAMMAR, e->file ? e->file : xe->file, NULL, 0,
             E8K_NO_OFFSET, "%s", e->message ? e->message : "invalid XML");
    if (xe->err) {
        xe->err->line = e->line > 0 ? (size_t)e->line : 0;
        size_t n = strlen(xe->err->message);
        if (n && xe->err->message[n - 1] == '\n')
            xe->err->message[n - 1] = '\0';
    }
}

/* Parses buf into *doc; on failure *doc is NULL and the status (which err,
 * when given, also holds) says why. */
static e8k_status read_xml(const char *buf, size_t len, const char *name,
                           xmlDocPtr *doc, e8k_error *err)
{
    *doc = NULL;
    if (len > E8K_MAX_GRAMMAR_FILE_SIZE || len > (size_t)INT32_MAX)
        return e8k_fail(err, E8K_ERR_LIMIT, name, NULL, 0, E8K_NO_OFFSET,
                        "grammar file over E8K_MAX_GRAMMAR_FILE_SIZE");
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return e8k_fail(err, E8K_ERR_NOMEM, name, NULL, 0, E8K_NO_OFFSET,
                        "no memory for the XML parser");
    /* NONET and no entity substitution: a rule file is data, it must not
     * fetch or expand anything. */
    *doc = xmlCtxtReadMemory(ctxt, buf, (int)len, name, NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR |
                                 XML_PARSE_NOWARNING);
    e8k_status st = E8K_OK;
    if (!*doc || !ctxt->wellFormed) {
        xml_errors xe = {err, name, 0};
        on_xml_error(&xe, xmlCtxtGetLastError(ctxt));
        if (!xe.seen)
            e8k_fail(err, E8K_ERR_GRAMMAR, name, NULL, 0, E8K_NO_OFFSET,
                     "not well-formed XML");
        xmlFreeDoc(*doc);
        *doc = NULL;
        st = E8K_ERR_GRAMMAR;
    }
    xmlFreeParserCtxt(ctxt);
    return st;
}

static int validate_doc(xmlDocPtr doc, const char *schema_path,
                        const char *name, e8k_error *err)
{
    xml_errors xe = {err, schema_path, 0};
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(schema_path);
    if (!pc)
        return e8k_fail(err, E8K_ERR_NOMEM, schema_path, NULL, 0,
                        E8K_NO_OFFSET, "no memory for the schema parser"),
               -1;
    xmlSchemaSetParserStructuredErrors(pc, on_xml_error, &xe);
    xmlSchemaPtr schema = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    if (!schema) {
        if (!xe.seen)
            e8k_fail(err, E8K_ERR_GRAMMAR, schema_path, NULL, 0,
                     E8K_NO_OFFSET, "cannot read the grammar schema");
        return -1;
    }
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
    int rc = -1;
    if (vc) {
        xe.file = name;
        xmlSchemaSetValidStructuredErrors(vc, on_xml_error, &xe);
        rc = xmlSchemaValidateDoc(vc, doc);
        xmlSchemaFreeValidCtxt(vc);
        if (rc != 0 && !xe.seen)
            e8k_fail(err, E8K_ERR_GRAMMAR, name, NULL, 0, E8K_NO_OFFSET,
                     "grammar file does not follow grammar.xsd");
    }
    xmlSchemaFree(schema);
    return rc == 0 ? 0 : -1;
}

/* ---- reading rules out of a validated document ------------------------ */

static const char *node_text(e8k_grammar *g, xmlNodePtr n)
{
    xmlChar *c = xmlNodeGetContent(n);
    const char *s = e8k_pool_strdup(&g->pool, c ? (const char *)c : "");
    xmlFree(c);
    return s;
}

static const char *node_attr(e8k_grammar *g, xmlNodePtr n, const char *name)
{
    xmlChar *c = xmlGetProp(n, (const xmlChar *)name);
    if (!c)
        return NULL;
    const char *s = e8k_pool_strdup(&g->pool, (const char *)c);
    xmlFree(c);
    return s;
}

static int is_elem(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* Splits white-space separated tokens into a malloc'ed array of pool
 * strings. */
static int split_tokens(e8k_grammar *g, const char *s, const char ***out,
                        size_t *n)
{
    size_t cap = 0;
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
            s++;
        const char *b = s;
        while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            s++;
        if (s == b)
            break;
        if (E8K_GROW(*out, cap, *n + 1) != 0)
            return -1;
        if (!((*out)[(*n)++] = e8k_pool_strndup(&g->pool, b, (size_t)(s - b))))
            return -1;
    }
    return 0;
}

static long keyword_index(e8k_grammar *g, const char *kw)
{
    char low[256];
    size_t k = 0;
    for (; kw[k] && k + 1 < sizeof low; k++)
        low[k] = (char)((kw[k] >= 'A' && kw[k] <= 'Z') ? kw[k] + 32 : kw[k]);
    low[k] = '\0';
    for (size_t i = 0; i < g->nkeywords; i++)
        if (!strcmp(g->keywords[i], low))
            return (long)i;
    if (E8K_GROW(g->keywords, g->keywords_cap, g->nkeywords + 1) != 0)
        return -1;
    const char *s = e8k_pool_strdup(&g->pool, low);
    if (!s)
        return -1;
    g->keywords[g->nkeywords] = s;
    return (long)g->nkeywords++;
}

/* A value type attribute ("money" ...); text when absent or unknown. */
static e8k_vtype vtype_attr(e8k_grammar *g, xmlNodePtr n)
{
    const char *t = node_attr(g, n, "type");
    int vt = t ? e8k_vtype_from_name(t) : -1;
    return vt < 0 ? E8K_V_TEXT : (e8k_vtype)vt;
}

/* Reports a rule id or define name seen twice, at its second line. */
static int fail_duplicate(e8k_error *err, const char *file, long line,
                          const char *what, const char *name,
                          const char *first_file, long first_line)
{
    e8k_fail(err, E8K_ERR_GRAMMAR, file, NULL, 0, E8K_NO_OFFSET,
             "duplicate %s '%s' (first in %s:%ld)", what, name, first_file,
             first_line);
    if (err)
        err->line = (size_t)line;
    return -2;
}

static int add_example(e8k_grammar *g, e8k_rule *r, xmlNodePtr n, int match)
{
    size_t cap = r->nexamples; /* grown one at a time: rules have few */
    if (E8K_GROW(r->examples, cap, r->nexamples + 1) != 0)
        return -1;
    e8k_rule_example *ex = &r->examples[r->nexamples++];
    ex->text = node_text(g, n);
    ex->value = match ? node_attr(g, n, "value") : NULL;
    if (match && !ex->value)
        ex->value = e8k_pool_strdup(&g->pool, "");
    ex->line = xmlGetLineNo(n);
    return ex->text ? 0 : -1;
}

static int add_keyword(e8k_grammar *g, size_t **list, size_t *n,
                       xmlNodePtr c)
{
    long k = keyword_index(g, node_text(g, c));
    size_t cap = *n; /* grown one at a time: rules have few */
    if (k < 0 || E8K_GROW(*list, cap, *n + 1) != 0)
        return -1;
    (*list)[(*n)++] = (size_t)k;
    return 0;
}

static int read_rule_child(e8k_grammar *g, e8k_rule *r, xmlNodePtr c,
                           const char *file, e8k_error *err)
{
    int rc = 0;
    if (is_elem(c, "documents"))
        rc = split_tokens(g, node_text(g, c), &r->doc_types, &r->ndoc_types);
    else if (is_elem(c, "items"))
        rc = split_tokens(g, node_text(g, c), &r->items, &r->nitems);
    else if (is_elem(c, "keyword"))
        rc = add_keyword(g, &r->keywords, &r->nkeywords, c);
    else if (is_elem(c, "anchor")) /* searched like keywords */
        rc = add_keyword(g, &r->anchors, &r->nanchors, c);
    else if (is_elem(c, "param")) {
        if (r->nparams >= E8K_MAX_RULE_PARAMS)
            return e8k_fail(err, E8K_ERR_GRAMMAR, file, NULL, 0,
                            E8K_NO_OFFSET, "rule %s: more than %d params",
                            r->id, E8K_MAX_RULE_PARAMS), -2;
        e8k_rule_param *p = &r->params[r->nparams++];
        p->name = node_attr(g, c, "name");
        p->type = vtype_attr(g, c);
    } else if (is_elem(c, "pattern"))
        r->pattern = node_text(g, c);
    else if (is_elem(c, "value"))
        r->constant = node_text(g, c);
    else if (is_elem(c, "match") || is_elem(c, "nomatch"))
        rc = add_example(g, r, c, is_elem(c, "match"));
    return rc;
}

static const char *const kind_names[] = {"offering", "party", "clause", "fact",
                                         "context"};

static int read_rule(e8k_grammar *g, xmlNodePtr n, const char *file,
                     e8k_error *err)
{
    const char *id = node_attr(g, n, "id");
    long line = xmlGetLineNo(n);
    for (size_t i = 0; id && i < g->nrules; i++)
        if (!strcmp(g->rules[i].id, id))
            return fail_duplicate(err, file, line, "rule id", id,
                                  g->rules[i].file, g->rules[i].line);
    if (g->nrules >= E8K_MAX_RULES)
        return e8k_fail(err, E8K_ERR_LIMIT, file, NULL, 0, E8K_NO_OFFSET,
                        "more than E8K_MAX_RULES rules"), -2;
    if (E8K_GROW(g->rules, g->rules_cap, g->nrules + 1) != 0)
        return -1;
    e8k_rule *r = &g->rules[g->nrules++];
    memset(r, 0, sizeof *r);
    r->id = id;
    r->file = file;
    r->line = line;
    r->field = node_attr(g, n, "field");
    const char *rec = node_attr(g, n, "record");
    for (size_t k = 0; rec && k < sizeof kind_names / sizeof kind_names[0]; k++)
        if (!strcmp(rec, kind_names[k]))
            r->kind = (e8k_record_kind)k;
    r->type = vtype_attr(g, n);
    const char *series = node_attr(g, n, "series");
    r->series = series && !strcmp(series, "true");
    /* the schema allows 0 to 9, a reach of 100 to 20000, a lead to 20000 */
    const char *rank = node_attr(g, n, "rank");
    r->rank = rank ? (int)strtol(rank, NULL, 10) : 0;
    const char *reach = node_attr(g, n, "reach");
    r->reach = reach ? (size_t)strtoul(reach, NULL, 10) : 0;
    const char *lead = node_attr(g, n, "lead");
    r->lead = lead ? (size_t)strtoul(lead, NULL, 10) : E8K_NO_LEAD;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        int rc = read_rule_child(g, r, c, file, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int read_define(e8k_grammar *g, xmlNodePtr n, const char *file,
                       e8k_error *err)
{
    const char *name = node_attr(g, n, "name");
    long line = xmlGetLineNo(n);
    for (size_t i = 0; name && i < g->ndefines; i++)
        if (!strcmp(g->defines[i].name, name))
            return fail_duplicate(err, file, line, "define", name,
                                  g->defines[i].file, g->defines[i].line);
    if (E8K_GROW(g->defines, g->defines_cap, g->ndefines + 1) != 0)
        return -1;
    define *d = &g->defines[g->ndefines++];
    d->name = name;
    d->body = node_text(g, n);
    d->file = file;
    d->line = line;
    return d->body ? 0 : -1;
}

/* <role field="underwriter" words="underwrit|representative"/>: the
 * words split at "|", folded to lower case. */
static int read_role(e8k_grammar *g, xmlNodePtr n)
{
    const char *field = node_attr(g, n, "field");
    const char *words = node_attr(g, n, "words");
    if (!field || !words || E8K_GROW(g->roles, g->roles_cap, g->nroles + 1) != 0)
        return -1;
    e8k_role *ro = &g->roles[g->nroles];
    size_t k = 1;
    for (const char *p = words; *p; p++)
        k += *p == '|';
    ro->field = field;
    ro->nwords = 0;
    ro->words = malloc(k * sizeof *ro->words);
    if (!ro->words)
        return -1;
    g->nroles++; /* freed with the grammar from here on */
    for (const char *p = words;;) {
        size_t l = strcspn(p, "|");
        char *w = e8k_pool_strndup(&g->pool, p, l);
        if (!w)
            return -1;
        for (char *q = w; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        if (*w)
            ro->words[ro->nwords++] = w;
        if (!p[l])
            break;
        p += l + 1;
    }
    return 0;
}

const char *e8k_rule_role_field(const e8k_rule *ru, const char *text)
{
    for (size_t i = 0; text && i < ru->nroles; i++)
        for (size_t k = 0; k < ru->roles[i].nwords; k++)
            if (e8k_memcasemem(text, strlen(text), ru->roles[i].words[k]))
                return ru->roles[i].field;
    return NULL;
}

/* Reads one validated document's defines, roles and rules. */
static e8k_status read_doc(e8k_grammar *g, xmlDocPtr doc, const char *name,
                           e8k_error *err)
{
    const char *file = e8k_pool_strdup(&g->pool, name);
    if (!file)
        return e8k_fail(err, E8K_ERR_NOMEM, name, NULL, 0, E8K_NO_OFFSET,
                        "no memory");
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
        int rc = 0;
        if (is_elem(c, "define"))
            rc = read_define(g, c, file, err);
        else if (is_elem(c, "role"))
            rc = read_role(g, c);
        else if (is_elem(c, "rule"))
            rc = read_rule(g, c, file, err);
        if (rc == -1)
            return e8k_fail(err, E8K_ERR_NOMEM, name, NULL, 0,
                            E8K_NO_OFFSET, "no memory");
        if (rc != 0)
            return err ? err->status : E8K_ERR_GRAMMAR;
    }
    return E8K_OK;
}

/* ---- {define} expansion and compilation -------------------------------- */

static const define *find_define(const e8k_grammar *g, const char *s,
                                 size_t n)
{
    for (size_t i = 0; i < g->ndefines; i++)
        if (strlen(g->defines[i].name) == n &&
            !strncmp(g->defines[i].name, s, n))
            return &g->defines[i];
    return NULL;
}

static int is_ident(char c, int first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

/* Appends src to b with every {name} replaced by (?:body). A brace after
 * an escape that takes one (\x{..}, \p{..}, \g{..}) and a quantifier
 * ({1,3}) are PCRE2 syntax, not references; after \b or \s it is one. */
static int expand(const e8k_grammar *g, const char *src, e8k_buf *b,
                  int depth, const e8k_rule *r, e8k_error *err)
{
    if (depth > 8)
        return e8k_fail(err, E8K_ERR_GRAMMAR, r->file, NULL, 0,
                        E8K_NO_OFFSET, "rule %s: defines nested too deep "
                        "(a cycle?)", r->id), -1;
    for (size_t i = 0; src[i]; i++) {
        int escaped = i >= 2 && src[i - 2] == '\\' &&
                      strchr("xpPogkN", src[i - 1]) != NULL;
        if (src[i] != '{' || escaped || !is_ident(src[i + 1], 1)) {
            if (e8k_buf_putc(b, src[i]) != 0)
                return -1;
            continue;
        }
        size_t j = i + 1;
        while (is_ident(src[j], 0))
            j++;
        if (src[j] != '}') {
            if (e8k_buf_putc(b, src[i]) != 0)
                return -1;
            continue;
        }
        const define *d = find_define(g, src + i + 1, j - i - 1);
        if (!d)
            return e8k_fail(err, E8K_ERR_GRAMMAR, r->file, NULL, 0,
                            E8K_NO_OFFSET, "rule %s: unknown define {%.*s}",
                            r->id, (int)(j - i - 1), src + i + 1), -1;
        if (e8k_buf_append(b, "(?:", 3) != 0 ||
            expand(g, d->body, b, depth + 1, r, err) != 0 ||
            e8k_buf_putc(b, ')') != 0)
            return -1;
        i = j;
    }
    return 0;
}

static e8k_status rule_fail(e8k_error *err, const e8k_rule *r,
                            e8k_status st, const char *fmt, const char *a)
{
    e8k_fail(err, st, r->file, NULL, 0, E8K_NO_OFFSET, fmt, r->id, a);
    if (err) {
        err->line = r->line > 0 ? (size_t)r->line : 0;
        snprintf(err->rule, sizeof err->rule, "%s", r->id);
    }
    return st;
}

static e8k_status resolve_groups(e8k_rule *r, e8k_error *err)
{
    pcre2_code *code = r->code;
    int v = pcre2_substring_number_from_name(code, (PCRE2_SPTR) "value");
    r->value_group = v > 0 ? (unsigned)v : 0;
    for (size_t i = 0; i < r->nparams; i++) {
        int n = pcre2_substring_number_from_name(
            code, (PCRE2_SPTR)r->params[i].name);
        if (n <= 0)
            return rule_fail(err, r, E8K_ERR_GRAMMAR,
                             "rule %s: param '%s' has no named group",
                             r->params[i].name);
        r->params[i].group = (unsigned)n;
    }
    if (r->type == E8K_V_ENUM && !r->constant)
        return rule_fail(err, r, E8K_ERR_GRAMMAR,
                         "rule %s: type enum needs a <value>%s", "");
    return E8K_OK;
}

static e8k_status compile_rule(const e8k_grammar *g, e8k_rule *r,
                               e8k_error *err)
{
    e8k_buf b = {0};
    if (!r->pattern || expand(g, r->pattern, &b, 0, r, err) != 0) {
        e8k_buf_free(&b);
        if (err && err->status == E8K_OK)
            e8k_fail(err, E8K_ERR_NOMEM, r->file, NULL, 0, E8K_NO_OFFSET,
                     "no memory");
        if (err)
            err->line = (size_t)r->line;
        return err ? err->status : E8K_ERR_GRAMMAR;
    }
    if (b.len > E8K_MAX_PATTERN_SIZE) {
        e8k_buf_free(&b);
        return rule_fail(err, r, E8K_ERR_LIMIT,
                         "rule %s: expanded pattern over "
                         "E8K_MAX_PATTERN_SIZE%s", "");
    }
    int code_err;
    PCRE2_SIZE off;
    /* USE_OFFSET_LIMIT: extraction searches a keyword's window for match
     * starts, not the text after it (e8k_rule_next's last_start). */
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)b.data, b.len,
                                     PCRE2_CASELESS | PCRE2_EXTENDED |
                                         PCRE2_USE_OFFSET_LIMIT,
                                     &code_err, &off, NULL);
    if (!code) {
        char msg[256], full[400];
        pcre2_get_error_message(code_err, (PCRE2_UCHAR *)msg, sizeof msg);
        snprintf(full, sizeof full, "%s at offset %zu of the expanded "
                 "pattern", msg, (size_t)off);
        e8k_buf_free(&b);
        return rule_fail(err, r, E8K_ERR_GRAMMAR, "rule %s: %s", full);
    }
    r->code = code;
    e8k_buf_free(&b);
    int jrc = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    if (jrc != 0) {
        char msg[256];
        pcre2_get_error_message(jrc, (PCRE2_UCHAR *)msg, sizeof msg);
        return rule_fail(err, r, E8K_ERR_GRAMMAR,
                         "rule %s: JIT compilation failed: %s", msg);
    }
    return resolve_groups(r, err);
}

/* The first four bytes at p as one number, the first byte lowest. */
static uint32_t load4(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* 16 bits of a multiplicative hash of a 32-bit prefix */
static uint32_t kw_hash(uint32_t w) { return (w * 2654435761u) >> 16; }

#define FILTER_SET(f, h) ((f)[(h) >> 6] |= (uint64_t)1 << ((h) & 63))
#define FILTER_HAS(f, h) ((f)[(h) >> 6] >> ((h) & 63) & 1)

/* Indexes the keywords so that extraction finds every keyword in one pass
 * over a text instead of one pass per keyword. */
static e8k_status index_keywords(e8k_grammar *g, e8k_error *err)
{
    if (g->nkeywords >= KW_NONE)
        return e8k_fail(err, E8K_ERR_LIMIT, NULL, NULL, 0, E8K_NO_OFFSET,
                        "more than %u distinct keywords", KW_NONE - 1);
    size_t n = g->nkeywords + 1;
    g->kw_len = malloc(n * sizeof *g->kw_len);
    g->kw_head = malloc(65536 * sizeof *g->kw_head);
    g->kw_next = malloc(n * sizeof *g->kw_next);
    g->kw_short = malloc(n * sizeof *g->kw_short);
    if (!g->kw_len || !g->kw_head || !g->kw_next || !g->kw_short)
        return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                        "no memory");
    for (size_t i = 0; i < 65536; i++)
        g->kw_head[i] = KW_NONE;
    for (size_t k = g->nkeywords; k-- > 0;) {
        const unsigned char *w = (const unsigned char *)g->keywords[k];
        g->kw_len[k] = strlen(g->keywords[k]); /* schema: 2 at least */
        /* a two-byte keyword passes whatever byte follows it */
        uint32_t two = (uint32_t)w[0] | (uint32_t)w[1] << 8;
        for (uint32_t c = w[2] ? w[2] : 0; c < (w[2] ? w[2] + 1u : 256u); c++) {
            FILTER_SET(g->kw_first_filter, kw_hash(two | c << 16));
            if (g->kw_len[k] < 4)
                FILTER_SET(g->kw_short_filter, kw_hash(two | c << 16));
        }
        if (g->kw_len[k] < 4) {
            g->kw_short[g->nshort++] = (unsigned short)k;
            continue;
        }
        uint32_t h = kw_hash(load4(w));
        g->kw_next[k] = g->kw_head[h];
        g->kw_head[h] = (unsigned short)k;
        FILTER_SET(g->kw_long_filter, h);
    }
    return E8K_OK;
}

static e8k_status compile_all(e8k_grammar *g, e8k_error *err)
{
    e8k_status ist = index_keywords(g, err);
    if (ist != E8K_OK)
        return ist;
    for (size_t i = 0; i < g->nrules; i++) {
        e8k_status st = compile_rule(g, &g->rules[i], err);
        if (st != E8K_OK)
            return st;
        /* every file read: the role table no longer moves */
        g->rules[i].roles = g->roles;
        g->rules[i].nroles = g->nroles;
    }
    return E8K_OK;
}

/* ---- loading ------------------------------------------------------------ */

static e8k_status load_one(e8k_grammar *g, const char *buf, size_t len,
                           const char *name, const char *schema,
                           e8k_error *err)
{
    xmlDocPtr doc;
    e8k_status st = read_xml(buf, len, name, &doc, err);
    if (st != E8K_OK)
        return st;
    st = E8K_ERR_GRAMMAR;
    if (validate_doc(doc, schema, name, err) == 0)
        st = read_doc(g, doc, name, err);
    xmlFreeDoc(doc);
    return st;
}

e8k_status e8k_grammar_load_memory(const char *xml, size_t len,
                                   const char *name, const char *schema_path,
                                   e8k_grammar **out, e8k_error *err)
{
    *out = NULL;
    if (!xml || !schema_path)
        return e8k_fail(err, E8K_ERR_USAGE, name, NULL, 0, E8K_NO_OFFSET,
                        "no grammar text or schema path");
    e8k_grammar *g = calloc(1, sizeof *g);
    if (!g)
        return e8k_fail(err, E8K_ERR_NOMEM, name, NULL, 0, E8K_NO_OFFSET,
                        "no memory");
    e8k_status st = load_one(g, xml, len, name ? name : "grammar",
                             schema_path, err);
    if (st == E8K_OK)
        st = compile_all(g, err);
    if (st != E8K_OK) {
        e8k_grammar_free(g);
        return st;
    }
    *out = g;
    return E8K_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.xml files of dir, sorted, so that load order (and so the order of
 * rules and errors) does not depend on the file system. */
static e8k_status list_xml(const char *dir, char ***names, size_t *n,
                           e8k_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return e8k_fail(err, E8K_ERR_IO, dir, NULL, 0, E8K_NO_OFFSET,
                        "cannot open the grammar directory");
    size_t cap = 0;
    struct dirent *de;
    e8k_status st = E8K_OK;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".xml") || de->d_name[0] == '.')
            continue;
        char *s = malloc(strlen(dir) + l + 2);
        if (!s || E8K_GROW(*names, cap, *n + 1) != 0) {
            free(s);
            st = e8k_fail(err, E8K_ERR_NOMEM, dir, NULL, 0, E8K_NO_OFFSET,
                          "no memory");
            break;
        }
        snprintf(s, strlen(dir) + l + 2, "%s/%s", dir, de->d_name);
        (*names)[(*n)++] = s;
    }
    closedir(d);
    if (*n)
        qsort(*names, *n, sizeof **names, cmp_str);
    return st;
}

static e8k_status load_dir(e8k_grammar *g, const char *dir, char **names,
                           size_t n, e8k_error *err)
{
    char *schema = malloc(strlen(dir) + sizeof "/grammar.xsd");
    if (!schema)
        return e8k_fail(err, E8K_ERR_NOMEM, dir, NULL, 0, E8K_NO_OFFSET,
                        "no memory");
    snprintf(schema, strlen(dir) + sizeof "/grammar.xsd", "%s/grammar.xsd", dir);
    e8k_status st = n ? E8K_OK
                      : e8k_fail(err, E8K_ERR_GRAMMAR, dir, NULL, 0,
                                 E8K_NO_OFFSET, "no *.xml grammar file");
    for (size_t i = 0; st == E8K_OK && i < n; i++) {
        char *buf = NULL;
        size_t len = 0;
        st = e8k_file_load(names[i], &buf, &len, err);
        if (st == E8K_OK) /* read_xml enforces E8K_MAX_GRAMMAR_FILE_SIZE */
            st = load_one(g, buf, len, names[i], schema, err);
        free(buf);
    }
    free(schema);
    return st == E8K_OK ? compile_all(g, err) : st;
}

e8k_status e8k_grammar_load(const char *dir, e8k_grammar **out,
                            e8k_error *err)
{
    *out = NULL;
    if (!dir)
        return e8k_fail(err, E8K_ERR_USAGE, NULL, NULL, 0, E8K_NO_OFFSET,
                        "no grammar directory");
    e8k_grammar *g = calloc(1, sizeof *g);
    if (!g)
        return e8k_fail(err, E8K_ERR_NOMEM, dir, NULL, 0, E8K_NO_OFFSET,
                        "no memory");
    char **names = NULL;
    size_t n = 0;
    e8k_status st = list_xml(dir, &names, &n, err);
    if (st == E8K_OK)
        st = load_dir(g, dir, names, n, err);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (st != E8K_OK) {
        e8k_grammar_free(g);
        return st;
    }
    *out = g;
    return E8K_OK;
}

/* ---- matching ------------------------------------------------------------ */

e8k_matcher *e8k_matcher_new(void)
{
    e8k_matcher *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->mctx = pcre2_match_context_create(NULL);
    m->md = pcre2_match_data_create(2 * (E8K_MAX_RULE_PARAMS + 8), NULL);
    m->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (!m->mctx || !m->md || !m->jit) {
        e8k_matcher_free(m);
        return NULL;
    }
    /* Every match runs under these limits; a pattern that reaches one is
     * reported, not taken for a non-match. JIT honours the match limit and
     * its own stack; the interpreter (no JIT) the depth and heap limits. */
    pcre2_set_match_limit(m->mctx, E8K_PCRE2_MATCH_LIMIT);
    pcre2_set_depth_limit(m->mctx, E8K_PCRE2_DEPTH_LIMIT);
    pcre2_set_heap_limit(m->mctx, E8K_PCRE2_HEAP_LIMIT_KIB);
    pcre2_jit_stack_assign(m->mctx, NULL, m->jit);
    return m;
}

void e8k_matcher_free(e8k_matcher *m)
{
    if (!m)
        return;
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->mctx);
    pcre2_jit_stack_free(m->jit);
    free(m);
}

static e8k_span2 group_span(const PCRE2_SIZE *ov, int rc, unsigned g)
{
    e8k_span2 s = {E8K_NO_OFFSET, E8K_NO_OFFSET};
    if ((int)g < rc && ov[2 * g] != PCRE2_UNSET) {
        s.start = ov[2 * g];
        s.end = ov[2 * g + 1];
    }
    return s;
}

int e8k_rule_next(e8k_matcher *m, const e8k_rule *r, const char *text,
                  size_t len, size_t start, size_t last_start, e8k_match *out,
                  e8k_error *err)
{
    if (start > len || start > last_start)
        return 0;
    pcre2_set_offset_limit(m->mctx, last_start < len ? last_start : PCRE2_UNSET);
    /* every pattern is JIT-compiled (compile_rule fails otherwise): the
     * JIT entry point skips pcre2_match's checks of the arguments */
    int rc = pcre2_jit_match((const pcre2_code *)r->code, (PCRE2_SPTR)text,
                             len, start, 0, m->md, m->mctx);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0) {
        char msg[200];
        pcre2_get_error_message(rc, (PCRE2_UCHAR *)msg, sizeof msg);
        int limit = rc == PCRE2_ERROR_MATCHLIMIT ||
                    rc == PCRE2_ERROR_DEPTHLIMIT ||
                    rc == PCRE2_ERROR_HEAPLIMIT ||
                    rc == PCRE2_ERROR_JIT_STACKLIMIT;
        e8k_fail(err, limit ? E8K_ERR_LIMIT : E8K_ERR_GRAMMAR, NULL, NULL, 0,
                 start, "rule %s: %s (search from text offset %zu)", r->id,
                 msg, start);
        if (err)
            snprintf(err->rule, sizeof err->rule, "%s", r->id);
        return -1;
    }
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
    if (rc == 0) /* ovector too small: only the first pairs are set */
        rc = (int)pcre2_get_ovector_count(m->md);
    out->all = group_span(ov, rc, 0);
    out->value = group_span(ov, rc, r->value_group);
    for (size_t i = 0; i < r->nparams; i++)
        out->params[i] = group_span(ov, rc, r->params[i].group);
    return 1;
}

int e8k_rule_value(const e8k_rule *r, const char *text, const e8k_match *mt,
                   double scale, e8k_norm *out)
{
    e8k_span2 v = mt->value.start == E8K_NO_OFFSET ? mt->all : mt->value;
    if (r->type == E8K_V_ENUM) {
        memset(out, 0, sizeof *out);
        snprintf(out->string, sizeof out->string, "%s", r->constant);
    } else if (e8k_normalize(r->type, text + v.start, v.end - v.start, scale,
                             out) != 0) {
        return -1;
    }
    /* The qualifier may stand outside the value group ("expected to be
     * approximately $42.5 million"): look at the whole match. */
    const char *q = e8k_qualifier(text + mt->all.start,
                                  mt->all.end - mt->all.start);
    if (q && !(out->qualifier && !strcmp(out->qualifier, "more_than")))
        out->qualifier = q;
    return 0;
}

int e8k_glob_match(const char *p, const char *s)
{
    for (; *p; p++, s++) {
        if (*p == '*') {
            for (;; s++) {
                if (e8k_glob_match(p + 1, s))
                    return 1;
                if (!*s)
                    return 0;
            }
        }
        char a = *p, b = *s;
        if (a >= 'a' && a <= 'z') a = (char)(a - 32);
        if (b >= 'a' && b <= 'z') b = (char)(b - 32);
        if (!*s || (a != b && *p != '?'))
            return 0;
    }
    return *s == '\0';
}

/* ---- keywords ------------------------------------------------------------ */

/* The folding of each byte, computed by the compiler: a table lookup
 * instead of a branch on every byte of every text. */
#define FOLD(c)                                                            \
    ((c) == '\n' || (c) == '\t' || (c) == '\r' ? ' '                       \
     : (c) >= 'A' && (c) <= 'Z'             ? (c) + 32                    \
                                            : (c))
#define FOLD4(c) FOLD(c), FOLD((c) + 1), FOLD((c) + 2), FOLD((c) + 3)
#define FOLD16(c) FOLD4(c), FOLD4((c) + 4), FOLD4((c) + 8), FOLD4((c) + 12)
#define FOLD64(c) FOLD16(c), FOLD16((c) + 16), FOLD16((c) + 32), FOLD16((c) + 48)
static const unsigned char folded[256] = {FOLD64(0), FOLD64(64), FOLD64(128),
                                          FOLD64(192)};

void e8k_keyword_fold(char *dst, const char *src, size_t n)
{
    for (size_t i = 0; i < n; i++) /* ASCII only, no locale */
        dst[i] = (char)folded[(unsigned char)src[i]];
}

/* The keywords at text[i], i + 1 < end. */
static void keywords_at(const e8k_grammar *g, const unsigned char *t,
                        size_t i, size_t end,
                        void (*hit)(void *, size_t, size_t), void *ctx)
{
    uint32_t w = load4(t + i), h = kw_hash(w);
    for (unsigned k = FILTER_HAS(g->kw_long_filter, h) ? g->kw_head[h]
                                                        : KW_NONE;
         k != KW_NONE; k = g->kw_next[k]) {
        const char *kw = g->keywords[k];
        size_t kl = g->kw_len[k];
        if (kl <= end - i && load4((const unsigned char *)kw) == w &&
            !memcmp(t + i + 4, kw + 4, kl - 4))
            hit(ctx, k, i);
    }
    if (!FILTER_HAS(g->kw_short_filter, kw_hash(w & 0xFFFFFFu)))
        return;
    for (size_t j = 0; j < g->nshort; j++) {
        size_t s = g->kw_short[j], kl = g->kw_len[s];
        if (kl <= end - i && !memcmp(t + i, g->keywords[s], kl))
            hit(ctx, s, i);
    }
}

/* A block of positions is filtered first, without a branch (which text
 * makes unpredictable), into the few that may start a keyword. */
#define KW_BLOCK 512

void e8k_keywords_find(const e8k_grammar *g, const char *text, size_t start,
                       size_t end, void (*hit)(void *, size_t, size_t),
                       void *ctx)
{
    const unsigned char *t = (const unsigned char *)text;
    unsigned short cand[KW_BLOCK];
    for (size_t b = start; b + 1 < end; b += KW_BLOCK) {
        size_t n = end - 1 - b < KW_BLOCK ? end - 1 - b : KW_BLOCK, nc = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t w = load4(t + b + i);
            cand[nc] = (unsigned short)i;
            nc += (size_t)FILTER_HAS(g->kw_first_filter,
                                     kw_hash(w & 0xFFFFFFu));
        }
        for (size_t c = 0; c < nc; c++)
            keywords_at(g, t, b + cand[c], end, hit, ctx);
    }
}
