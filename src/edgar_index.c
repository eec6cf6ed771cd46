/* SPDX-License-Identifier: MIT */
/* edgar_index.c: reads the lists EDGAR publishes of its filings (form.idx,
 * master.idx and company.idx; data.sec.gov submissions JSON and its pages;
 * company_tickers.json) into index entries, and the 8-K items a list or a
 * submission's header states. Buffers in, entries out, no I/O, so that the
 * fuzz target can feed it anything. */
#include "fetch_int.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void e8k_index_list_free(e8k_index_list *l)
{
    if (!l)
        return;
    free(l->items);
    for (size_t i = 0; i < l->npages; i++)
        free(l->pages[i]);
    free(l->pages);
    e8k_pool_free(&l->pool);
    memset(l, 0, sizeof *l);
}

int e8k_index_list_add(e8k_index_list *l, const e8k_index_entry *e)
{
    if (E8K_GROW(l->items, l->cap, l->n + 1) != 0)
        return -1;
    e8k_index_entry *d = &l->items[l->n];
    *d = *e;
    /* Index files carry company names in Latin-1 now and then, and the
     * store's entries and JSON output need UTF-8. */
    d->form = e8k_pool_utf8(&l->pool, e->form, strlen(e->form));
    d->company = e8k_pool_utf8(&l->pool, e->company ? e->company : "",
                               e->company ? strlen(e->company) : 0);
    if (e->items)
        d->items = e8k_pool_utf8(&l->pool, e->items, strlen(e->items));
    if (e->ciks)
        d->ciks = e8k_pool_utf8(&l->pool, e->ciks, strlen(e->ciks));
    if (!d->form || !d->company || (e->items && !d->items) ||
        (e->ciks && !d->ciks))
        return -1;
    l->n++;
    return 0;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int e8k_cik_normalize(const char *s, size_t n, char out[11])
{
    if (n == 0 || n > 10)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return -1;
    while (n > 1 && *s == '0') {
        s++;
        n--;
    }
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

int e8k_accession_normalize(const char *s, size_t n, char out[21])
{
    char d[18];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_digit(s[i]) && k < 18)
            d[k++] = s[i];
        else if (s[i] != '-' || is_digit(s[i]) || (i != 10 && i != 13))
            return -1;
    }
    if (k != 18)
        return -1;
    memcpy(out, d, 10);
    out[10] = '-';
    memcpy(out + 11, d + 10, 2);
    out[13] = '-';
    memcpy(out + 14, d + 12, 6);
    out[20] = '\0';
    return 0;
}

void e8k_accession_nodash(const char *accession, char out[19])
{
    size_t k = 0;
    for (const char *p = accession; *p && k < 18; p++)
        if (*p != '-')
            out[k++] = *p;
    out[k] = '\0';
}

/* YYYYMMDD or YYYY-MM-DD into YYYY-MM-DD. */
int e8k_date_normalize(const char *s, size_t n, char out[11])
{
    char d[8];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_digit(s[i]) && k < 8)
            d[k++] = s[i];
        else if (s[i] != '-' || n != 10 || (i != 4 && i != 7))
            return -1;
    }
    if (k != 8)
        return -1;
    memcpy(out, d, 4);
    out[4] = '-';
    memcpy(out + 5, d + 4, 2);
    out[7] = '-';
    memcpy(out + 8, d + 6, 2);
    out[10] = '\0';
    return 0;
}

/* Records an entry that could not be read: skipped, the rest read. */
static void skip(e8k_index_list *l, const char *name, const char *buf,
                 size_t len, size_t offset, const char *fmt, ...)
    E8K_PRINTF(6, 7);
static void skip(e8k_index_list *l, const char *name, const char *buf,
                 size_t len, size_t offset, const char *fmt, ...)
{
    if (l->nskips < E8K_INDEX_SKIPS_KEPT) {
        e8k_error *e = &l->skips[l->nskips];
        e8k_fail(e, E8K_ERR_MALFORMED, name, buf, len, offset, "%s", "");
        va_list ap;
        va_start(ap, fmt);
        e8k_error_vset(e, fmt, ap);
        va_end(ap);
    }
    l->nskips++;
}

/* ---- .idx files ------------------------------------------------------ */

typedef enum { IDX_FORM, IDX_COMPANY, IDX_MASTER } idx_kind;

typedef struct idx_line {
    const char *s;
    size_t n;
    size_t offset;
} idx_line;

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' ||
                  (*s)[*n - 1] == '\r'))
        (*n)--;
}

/* Splits off the last blank-separated token of s[0..*n). */
static int last_token(const char *s, size_t *n, const char **tok,
                      size_t *toklen)
{
    size_t end = *n;
    while (end && s[end - 1] == ' ')
        end--;
    size_t start = end;
    while (start && s[start - 1] != ' ' && s[start - 1] != '\t')
        start--;
    if (start == end)
        return -1;
    *tok = s + start;
    *toklen = end - start;
    *n = start;
    return 0;
}

/* Accession from "edgar/data/CIK/ACCESSION.txt" (a few old lines name the
 * folder form ".../ACCESSIONNODASH/..."; the last 18 digits decide). */
static int accession_from_path(const char *s, size_t n, char out[21])
{
    if (n < 4 || !e8k_memcasemem(s, n, "edgar/"))
        return -1;
    const char *base = s + n;
    while (base > s && base[-1] != '/')
        base--;
    size_t bn = (size_t)(s + n - base);
    const char *dot = memchr(base, '.', bn);
    if (dot)
        bn = (size_t)(dot - base);
    return e8k_accession_normalize(base, bn, out);
}

/* The CIK of "edgar/data/CIK/...": the column itself may be glued to an
 * overflowing company name, the path never is. */
static int cik_from_path(const char *s, size_t n, char out[11])
{
    const char *p = e8k_memcasemem(s, n, "edgar/data/");
    if (!p)
        return -1;
    p += 11;
    size_t k = 0;
    while (p + k < s + n && is_digit(p[k]))
        k++;
    return e8k_cik_normalize(p, k, out);
}

/* Drops the CIK column (leading zeros allowed) from the end of s[0..*n). */
static int strip_cik(const char *s, size_t *n, const char *cik)
{
    size_t end = *n, cn = strlen(cik);
    while (end && s[end - 1] == ' ')
        end--;
    if (end < cn || memcmp(s + end - cn, cik, cn) != 0)
        return -1;
    end -= cn;
    size_t z = end;
    while (z && s[z - 1] == '0')
        z--;
    if (z == 0 || s[z - 1] == ' ') /* a zero-padded CIK of its own */
        end = z;
    *n = end;
    return 0;
}

/* The prefix before the CIK holds form then company (form.idx) or company
 * then form (company.idx), in columns that long values overflow. */
static void split_prefix(idx_kind kind, const char *p, size_t n,
                         const char **form, size_t *fn, const char **co,
                         size_t *cn)
{
    size_t col = kind == IDX_FORM ? 12 : 62;
    size_t cut = n;
    if (n > col && p[col - 1] == ' ')
        cut = col;
    else {
        const char *dbl = NULL;
        for (size_t i = 0; i + 1 < n; i++)
            if (p[i] == ' ' && p[i + 1] == ' ' &&
                (kind == IDX_COMPANY || !dbl))
                dbl = p + i;
        if (!dbl && kind == IDX_FORM)
            dbl = memchr(p, ' ', n);
        if (dbl)
            cut = (size_t)(dbl - p);
    }
    const char *a = p, *b = p + cut;
    size_t an = cut, bn = n - cut;
    trim(&a, &an);
    trim(&b, &bn);
    if (kind == IDX_FORM) {
        *form = a, *fn = an, *co = b, *cn = bn;
    } else {
        *co = a, *cn = an, *form = b, *fn = bn;
    }
}

static int parse_fixed(idx_kind kind, idx_line ln, e8k_index_entry *e,
                       e8k_pool *pool)
{
    const char *s = ln.s, *tok;
    size_t n = ln.n, tn;
    trim(&s, &n);
    if (last_token(s, &n, &tok, &tn) || accession_from_path(tok, tn,
                                                            e->accession))
        return -1;
    if (last_token(s, &n, &tok, &tn) ||
        e8k_date_normalize(tok, tn, e->date))
        return -1;
    if (cik_from_path(ln.s, ln.n, e->cik) != 0 || strip_cik(s, &n, e->cik))
        return -1;
    const char *form, *co;
    size_t fn, cn;
    split_prefix(kind, s, n, &form, &fn, &co, &cn);
    if (fn == 0)
        return -1;
    e->form = e8k_pool_strndup(pool, form, fn);
    e->company = e8k_pool_strndup(pool, co, cn);
    return e->form && e->company ? 0 : -2;
}

static int parse_master(idx_line ln, e8k_index_entry *e, e8k_pool *pool)
{
    const char *bar[5];
    size_t nb = 0;
    for (size_t i = 0; i < ln.n; i++)
        if (ln.s[i] == '|') {
            if (nb < 4)
                bar[nb] = ln.s + i;
            nb++;
        }
    if (nb < 4)
        return -1;
    /* Company names may hold '|': the other fields are read from the end. */
    const char *end = ln.s + ln.n, *p = end;
    const char *f[3];
    size_t fl[3];
    for (int k = 2; k >= 0; k--) {
        const char *q = p;
        while (q > ln.s && q[-1] != '|')
            q--;
        f[k] = q;
        fl[k] = (size_t)(p - q);
        p = q - 1;
    }
    const char *cik = ln.s, *co = bar[0] + 1, *file = f[2];
    size_t cikn = (size_t)(bar[0] - ln.s), con = (size_t)(p - co);
    size_t filen = fl[2];
    trim(&cik, &cikn);
    trim(&file, &filen);
    if (e8k_cik_normalize(cik, cikn, e->cik) ||
        e8k_date_normalize(f[1], fl[1], e->date) ||
        accession_from_path(file, filen, e->accession) || fl[0] == 0)
        return -1;
    trim(&co, &con);
    e->form = e8k_pool_strndup(pool, f[0], fl[0]);
    e->company = e8k_pool_strndup(pool, co, con);
    return e->form && e->company ? 0 : -2;
}

static idx_line next_line(const char *buf, size_t len, size_t *pos)
{
    idx_line ln = {buf + *pos, 0, *pos};
    const char *nl = memchr(buf + *pos, '\n', len - *pos);
    size_t end = nl ? (size_t)(nl - buf) : len;
    ln.n = end - *pos;
    if (ln.n && ln.s[ln.n - 1] == '\r')
        ln.n--;
    *pos = nl ? end + 1 : len;
    return ln;
}

/* Finds the column header; returns the offset just past the dashed rule
 * under it, or (size_t)-1. */
static size_t find_columns(const char *buf, size_t len, idx_kind *kind)
{
    size_t pos = 0;
    int seen = 0;
    while (pos < len) {
        idx_line ln = next_line(buf, len, &pos);
        if (!seen && ln.n >= 9 && e8k_memcasemem(ln.s, ln.n, "CIK")) {
            if (!strncmp(ln.s, "CIK|", 4))
                *kind = IDX_MASTER, seen = 1;
            else if (!strncmp(ln.s, "Form Type", 9))
                *kind = IDX_FORM, seen = 1;
            else if (!strncmp(ln.s, "Company Name", 12))
                *kind = IDX_COMPANY, seen = 1;
        } else if (seen && ln.n >= 10 && !strncmp(ln.s, "----------", 10))
            return pos;
    }
    return (size_t)-1;
}

e8k_status e8k_index_parse_idx(const char *buf, size_t len, const char *name,
                               e8k_index_list *out, e8k_error *err)
{
    idx_kind kind = IDX_FORM;
    size_t pos = find_columns(buf, len, &kind);
    if (pos == (size_t)-1)
        return e8k_fail(err, E8K_ERR_MALFORMED, name, buf, len, 0,
                        "no column header (\"Form Type ... File Name\", "
                        "\"CIK|Company Name|...\") followed by a dashed rule");
    e8k_pool tmp = {0};
    e8k_status st = E8K_OK;
    while (pos < len && st == E8K_OK) {
        idx_line ln = next_line(buf, len, &pos);
        const char *t = ln.s;
        size_t tn = ln.n;
        trim(&t, &tn);
        if (tn == 0)
            continue;
        e8k_index_entry e = {0};
        int r = kind == IDX_MASTER ? parse_master(ln, &e, &tmp)
                                   : parse_fixed(kind, ln, &e, &tmp);
        if (r == -1)
            skip(out, name, buf, len, ln.offset, "index line is not \"%s\": "
                 "skipped", kind == IDX_MASTER
                                ? "CIK|Company|Form|Date|edgar/data/..."
                                : "columns ending in CIK, date, edgar/data/...");
        else if (r != 0 || e8k_index_list_add(out, &e) != 0)
            st = e8k_fail(err, E8K_ERR_NOMEM, name, NULL, 0, E8K_NO_OFFSET,
                          "out of memory reading the index");
        e8k_pool_free(&tmp);
    }
    return st;
}

/* ---- JSON ------------------------------------------------------------- */

static e8k_status json_fail(e8k_error *err, const char *name,
                            const json_error_t *je)
{
    e8k_status st = e8k_fail(err, E8K_ERR_MALFORMED, name, NULL, 0,
                             (size_t)je->position, "invalid JSON: %s",
                             je->text);
    if (err)
        err->line = (size_t)(je->line > 0 ? je->line : 0);
    return st;
}

static const char *col_str(json_t *col, size_t i)
{
    const char *s = json_string_value(json_array_get(col, i));
    return s ? s : "";
}

/* Reads the parallel column arrays (accessionNumber, filingDate, form,
 * and items when there) of filings.recent or of a page. */
static e8k_status read_columns(json_t *cols, const char *name,
                               const char *cik, const char *company,
                               e8k_index_list *out, e8k_error *err)
{
    json_t *acc = json_object_get(cols, "accessionNumber");
    json_t *date = json_object_get(cols, "filingDate");
    json_t *form = json_object_get(cols, "form");
    json_t *items = json_object_get(cols, "items");
    if (json_array_size(items) != json_array_size(acc))
        items = NULL; /* a list that does not say: items unknown */
    if (!json_is_array(acc) || !json_is_array(date) || !json_is_array(form))
        return e8k_fail(err, E8K_ERR_MALFORMED, name, NULL, 0, E8K_NO_OFFSET,
                        "expected arrays accessionNumber, filingDate, form");
    size_t n = json_array_size(acc);
    if (json_array_size(date) != n || json_array_size(form) != n)
        return e8k_fail(err, E8K_ERR_MALFORMED, name, NULL, 0, E8K_NO_OFFSET,
                        "accessionNumber, filingDate and form differ in "
                        "length");
    for (size_t i = 0; i < n; i++) {
        e8k_index_entry e = {0};
        const char *a = col_str(acc, i), *d = col_str(date, i);
        if (e8k_accession_normalize(a, strlen(a), e.accession) ||
            e8k_date_normalize(d, strlen(d), e.date)) {
            skip(out, name, NULL, 0, E8K_NO_OFFSET, "filing %zu: accession "
                 "\"%.40s\" or date \"%.20s\" malformed: skipped", i, a, d);
            continue;
        }
        snprintf(e.cik, sizeof e.cik, "%s", cik);
        e.form = col_str(form, i);
        e.company = company;
        e.items = items ? col_str(items, i) : NULL;
        if (e8k_index_list_add(out, &e) != 0)
            return e8k_fail(err, E8K_ERR_NOMEM, name, NULL, 0, E8K_NO_OFFSET,
                            "out of memory");
    }
    return E8K_OK;
}

static e8k_status read_pages(json_t *files, const char *name,
                             e8k_index_list *out, e8k_error *err)
{
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f) {
        const char *p = json_string_value(json_object_get(f, "name"));
        /* Page names become URLs: keep them to a plain file name. */
        if (!p || !*p || strchr(p, '/') || strstr(p, "..") ||
            strlen(p) > 200) {
            skip(out, name, NULL, 0, E8K_NO_OFFSET, "filings.files[%zu].name "
                 "is not a plain file name: skipped", i);
            continue;
        }
        char *copy = strdup(p);
        if (!copy || E8K_GROW(out->pages, out->pages_cap, out->npages + 1)) {
            free(copy);
            return e8k_fail(err, E8K_ERR_NOMEM, name, NULL, 0, E8K_NO_OFFSET,
                            "out of memory");
        }
        out->pages[out->npages++] = copy;
    }
    return E8K_OK;
}

static int json_cik(json_t *v, char out[11])
{
    char tmp[32];
    if (json_is_integer(v))
        snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
    else if (json_is_string(v))
        snprintf(tmp, sizeof tmp, "%s", json_string_value(v));
    else
        return -1;
    return e8k_cik_normalize(tmp, strlen(tmp), out);
}

e8k_status e8k_index_parse_submissions(const char *buf, size_t len,
                                       const char *name, const char *cik,
                                       e8k_index_list *out, e8k_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(buf, len, 0, &je);
    if (!root)
        return json_fail(err, name, &je);
    char c[11] = "";
    if (json_cik(json_object_get(root, "cik"), c) != 0 && cik)
        snprintf(c, sizeof c, "%s", cik);
    const char *company = json_string_value(json_object_get(root, "name"));
    json_t *filings = json_object_get(root, "filings");
    e8k_status st;
    if (!json_is_object(root))
        st = e8k_fail(err, E8K_ERR_MALFORMED, name, NULL, 0, 0,
                      "expected a JSON object");
    else if (!c[0])
        st = e8k_fail(err, E8K_ERR_MALFORMED, name, NULL, 0, E8K_NO_OFFSET,
                      "no \"cik\" and none given");
    else if (json_is_object(filings)) {
        st = read_columns(json_object_get(filings, "recent"), name, c,
                          company ? company : "", out, err);
        json_t *files = json_object_get(filings, "files");
        if (st == E8K_OK && json_is_array(files))
            st = read_pages(files, name, out, err);
    } else
        st = read_columns(root, name, c, company ? company : "", out, err);
    json_decref(root);
    return st;
}

e8k_status e8k_index_ticker_cik(const char *buf, size_t len, const char *name,
                                const char *ticker, char cik[11],
                                e8k_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(buf, len, 0, &je);
    if (!root)
        return json_fail(err, name, &je);
    e8k_status st = E8K_ERR_USAGE;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        const char *t = json_string_value(json_object_get(v, "ticker"));
        if (!t || strlen(t) != strlen(ticker) ||
            !e8k_memcasemem(t, strlen(t), ticker))
            continue;
        if (json_cik(json_object_get(v, "cik_str"), cik) == 0)
            st = E8K_OK;
        break;
    }
    json_decref(root);
    if (st != E8K_OK)
        return e8k_fail(err, E8K_ERR_USAGE, name, NULL, 0, E8K_NO_OFFSET,
                        "ticker \"%s\" is not listed (or has no cik_str)",
                        ticker);
    return E8K_OK;
}

/* ---- 8-K items ----------------------------------------------------------- */

int e8k_item_number_normalize(const char *s, size_t n,
                              char out[E8K_ITEM_NUMBER_SIZE])
{
    size_t d = 0;
    while (d < n && is_digit(s[d]))
        d++;
    /* "1.01" since August 2004; "5", "12" before */
    int now = d == 1 && n == 4 && s[1] == '.' && is_digit(s[2]) &&
              is_digit(s[3]);
    int old = d == n && (n == 1 || n == 2) && s[0] != '0';
    if (!now && !old)
        return -1;
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

static int item_sep(char c)
{
    return c == ',' || c == ' ' || c == '\t' || c == ';';
}

int e8k_items_match(const char *items, const char *const *want,
                    size_t nwant)
{
    for (const char *p = items ? items : ""; *p;) {
        while (*p && item_sep(*p))
            p++;
        size_t n = 0;
        while (p[n] && !item_sep(p[n]))
            n++;
        for (size_t i = 0; n && i < nwant; i++)
            if (strlen(want[i]) == n && !memcmp(want[i], p, n))
                return 1;
        p += n;
    }
    return 0;
}

/* Appends item number `num` to out (comma-separated) unless it is there. */
static size_t add_item(char *out, size_t cap, size_t count, const char *num)
{
    const char *want[1] = {num};
    size_t len = strlen(out), n = strlen(num);
    if (e8k_items_match(out, want, 1) || len + n + 2 > cap)
        return count;
    snprintf(out + len, cap - len, "%s%s", len ? "," : "", num);
    return count + 1;
}

/* One header line's item, "ITEM INFORMATION:" (SGML: a title, or a
 * number) or "<ITEMS>" (a Feed .nc header: a number); NULL when the line
 * states none. */
static const char *line_item(const char *s, size_t n,
                             char num[E8K_ITEM_NUMBER_SIZE])
{
    static const char sgml[] = "ITEM INFORMATION:", nc[] = "<ITEMS>";
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    size_t k = n >= sizeof sgml - 1 && !memcmp(s, sgml, sizeof sgml - 1)
                   ? sizeof sgml - 1
               : n >= sizeof nc - 1 && !memcmp(s, nc, sizeof nc - 1)
                   ? sizeof nc - 1 : 0;
    if (!k)
        return NULL;
    s += k, n -= k;
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (e8k_item_number_normalize(s, n, num) == 0)
        return num;
    return e8k_item_number_of_title(s, n);
}

size_t e8k_header_items(const char *head, size_t len, char *out, size_t cap)
{
    size_t count = 0;
    char num[E8K_ITEM_NUMBER_SIZE];
    if (cap)
        out[0] = '\0';
    for (size_t p = 0; p < len && cap;) {
        size_t e = p;
        while (e < len && head[e] != '\n' && head[e] != '\r')
            e++;
        /* the header ends where the documents begin */
        if ((e - p >= 13 && !memcmp(head + p, "</SEC-HEADER>", 13)) ||
            (e - p >= 10 && !memcmp(head + p, "<DOCUMENT>", 10)))
            break;
        const char *item = line_item(head + p, e - p, num);
        if (item)
            count = add_item(out, cap, count, item);
        p = e + 1;
    }
    return count;
}

/* ---- What a stored submission must look like --------------------------- */

static int ws(char c)
{
    return c == ' ' || c == '\r' || c == '\n' || c == '\t';
}

int e8k_submission_looks_complete_ends(const char *head, size_t hn,
                                       const char *tail, size_t tn,
                                       size_t total)
{
    size_t a = 0, b = tn;
    while (a < hn && ws(head[a]))
        a++;
    while (b > 0 && ws(tail[b - 1]))
        b--;
    const e8k_dialect_mark *m = e8k_dialect_opening(head + a, hn - a);
    if (!m)
        return 0;
    size_t on = strlen(m->open), cn = strlen(m->close);
    size_t trimmed = total - a - (tn - b); /* bytes between the blanks */
    return total >= a + (tn - b) && trimmed >= on + cn && b >= cn &&
           !memcmp(tail + b - cn, m->close, cn);
}

int e8k_submission_looks_complete(const char *buf, size_t len)
{
    return e8k_submission_looks_complete_ends(buf, len, buf, len, len);
}

int e8k_submission_starts_like(const char *buf, size_t len)
{
    size_t a = 0, n;
    while (a < len && ws(buf[a]))
        a++;
    const e8k_dialect_mark *marks = e8k_dialect_marks(&n);
    int undecided = 0;
    for (size_t i = 0; i < n; i++) {
        size_t on = strlen(marks[i].open), have = len - a;
        size_t k = have < on ? have : on;
        if (memcmp(buf + a, marks[i].open, k) != 0)
            continue;
        if (k == on)
            return 1;
        undecided = 1;
    }
    return undecided || a == len ? -1 : 0;
}
