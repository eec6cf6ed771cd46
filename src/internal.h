/* SPDX-License-Identifier: MIT */
/* internal.h: what the pipeline stages share inside libedgar8k and do not
 * show callers: growable buffers, a string pool, error helpers, the filing's
 * private layout and the entry points each stage offers the others. */
#ifndef E8K_INTERNAL_H
#define E8K_INTERNAL_H

#include "edgar8k.h"
#include "e8k_limits.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define E8K_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define E8K_PRINTF(f, a)
#endif

/* ---- util.c: buffers, pools, arrays ------------------------------------- */

typedef struct e8k_buf {
    char *data; /* NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
} e8k_buf;

/* Makes room for `extra` more bytes and the NUL: 0 ok, -1 no memory.
 * Inline so that the text stage's per-character appends pay one compare
 * while there is room; only growth calls out (cap == 0 implies len == 0,
 * so the subtraction cannot wrap). */
int e8k_buf_grow(e8k_buf *b, size_t extra);
static inline int e8k_buf_reserve(e8k_buf *b, size_t extra)
{
    return b->cap - b->len > extra ? 0 : e8k_buf_grow(b, extra);
}
int e8k_buf_append(e8k_buf *b, const char *s, size_t n);
int e8k_buf_putc(e8k_buf *b, char c);
int e8k_buf_printf(e8k_buf *b, const char *fmt, ...) E8K_PRINTF(2, 3);
char *e8k_buf_take(e8k_buf *b); /* hands the data to the caller, resets b */
void e8k_buf_free(e8k_buf *b);

/* Grows *ptr (an array of `elem`-sized items with capacity *cap) so that it
 * holds at least `need` items. 0 ok, -1 no memory (*ptr untouched). */
int e8k_grow(void **ptr, size_t *cap, size_t need, size_t elem);
/* Callers append one item at a time on hot paths: the capacity test is
 * inline so that they need no test of their own before E8K_GROW. */
static inline int e8k_grow_inline(void **ptr, size_t *cap, size_t need,
                                  size_t elem)
{
    return need <= *cap ? 0 : e8k_grow(ptr, cap, need, elem);
}
#define E8K_GROW(arr, cap, need) \
    e8k_grow_inline((void **)&(arr), &(cap), (need), sizeof *(arr))

/* A pool owns many small strings and frees them at once. */
typedef struct e8k_pool {
    struct e8k_pool_chunk *head;
} e8k_pool;

char *e8k_pool_strndup(e8k_pool *p, const char *s, size_t n); /* NULL: nomem */
char *e8k_pool_strdup(e8k_pool *p, const char *s);
void e8k_pool_free(e8k_pool *p);

char *e8k_strndup(const char *s, size_t n);
/* Case-insensitive (ASCII) search of `needle` in s[0..n). */
const char *e8k_memcasemem(const char *s, size_t n, const char *needle);

/* ---- io.c ---------------------------------------------------------------- */

/* Reads fd (a pipe, terminal, socket, process substitution) to its end
 * into a malloc'ed, NUL-terminated buffer; E8K_ERR_LIMIT past `limit`
 * bytes (e8k_file_load passes E8K_MAX_INPUT_SIZE). Does not close fd. */
e8k_status e8k_stream_load(int fd, const char *name, size_t limit,
                           char **out, size_t *out_len, e8k_error *err);

/* ---- utf8.c: characters --------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s[0..n) (Unicode table 3-7:
 * no overlongs, no surrogates, nothing past U+10FFFF), or 0. The one test
 * of what is UTF-8: every stage asks it. */
size_t e8k_utf8_seq(const unsigned char *s, size_t n);
/* Bytes of s[0..n) before the first that is not well-formed UTF-8. */
size_t e8k_utf8_valid_prefix(const char *s, size_t n);
int e8k_utf8_valid(const char *s, size_t n);
/* Writes code point cp (< 0x110000) as UTF-8; returns its length. */
size_t e8k_utf8_put(char out[4], uint32_t cp);
/* Reads the well-formed character at s: its length, or 0 (*cp unset). */
size_t e8k_utf8_get(const unsigned char *s, size_t n, uint32_t *cp);
/* Appends s[0..n) as valid UTF-8: well-formed sequences as they are, any
 * other byte as the Latin-1 character of its value (names in index files
 * and Feed headers come in Latin-1 now and then). 0 ok, -1 no memory. */
int e8k_buf_append_utf8(e8k_buf *b, const char *s, size_t n);
/* The same into a pool string; NULL when out of memory. */
char *e8k_pool_utf8(e8k_pool *p, const char *s, size_t n);
/* The Windows-1252 character a C1 control (U+0080..U+009F) stands for, as
 * browsers read "&#146;"; 0 for the five bytes it leaves undefined. Other
 * code points are returned unchanged. */
uint32_t e8k_cp1252_c1(uint32_t cp);
/* Whether byte c is one of the five Windows-1252 leaves undefined. */
int e8k_cp1252_undefined(unsigned char c);
/* Whether s[0..n) holds a control character or a byte that is not UTF-8
 * (what e8k_str_escape() rewrites). */
int e8k_needs_escape(const char *s, size_t n);

/* ---- sha256.c ------------------------------------------------------------- */

typedef struct e8k_sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t nbuf;
} e8k_sha256;

void e8k_sha256_init(e8k_sha256 *c);
void e8k_sha256_update(e8k_sha256 *c, const void *data, size_t len);
/* The digest as 64 lowercase hex digits plus NUL. */
void e8k_sha256_final(e8k_sha256 *c, char out[65]);
/* sha256 of buf[0..len) in one call. */
void e8k_sha256_hex(const void *buf, size_t len, char out[65]);

/* ---- csv.c: RFC 4180 --------------------------------------------------------- */

/* Prefix a cell that a spreadsheet would read as a formula with '. */
#define E8K_CSV_NEUTRALISE 0x1u
/* Appends s[0..n) as one quoted field (quotes doubled, bytes kept). */
int e8k_csv_field(e8k_buf *b, const char *s, size_t n, unsigned flags);
/* The same for a string; NULL is an empty field (""). */
int e8k_csv_str(e8k_buf *b, const char *s, unsigned flags);
/* Ends a record (CRLF). */
int e8k_csv_end(e8k_buf *b);
/* Whether a spreadsheet would evaluate a cell holding s[0..n): it begins
 * with =, +, -, @ (after tabs or CRs) and is not a plain number. */
int e8k_csv_formula_like(const char *s, size_t n);

/* ---- io.c: temporary files owned by their process ------------------------ */

/* Creates BASE.tmp.PID.RANDOM in dirfd, locked (flock) by this process for
 * as long as the fd is open; its name goes to name[0..n). fd, or -1 with
 * errno. */
int e8k_tmp_create(int dirfd, const char *base, char *name, size_t n);
/* Removes the temporary files (*.tmp.*) of dirfd that no live process
 * holds: regular files in that directory only, never through a link. */
void e8k_tmp_sweep(int dirfd);
/* Writes all of data to fd (retrying short writes and EINTR): 0, or -1
 * with errno. */
int e8k_write_all(int fd, const void *data, size_t len);
/* e8k_file_save into dirfd/name; `path` names it in errors. */
e8k_status e8k_file_save_at(int dirfd, const char *name, const char *buf,
                            size_t len, const char *path, e8k_error *err);

/* ---- error.c ------------------------------------------------------------- */

/* Fills err (when not NULL): status, file name, offset, the 1-based line of
 * that offset in buf (buf may be NULL), and a formatted message. Returns
 * `status` so callers can write `return e8k_fail(...)`. */
e8k_status e8k_fail(e8k_error *err, e8k_status status, const char *file,
                    const char *buf, size_t len, size_t offset,
                    const char *fmt, ...) E8K_PRINTF(7, 8);
/* Formats err->message: trailing line ends dropped, control characters
 * escaped (e8k_str_escape). */
void e8k_error_vset(e8k_error *err, const char *fmt, va_list ap);
/* 1-based line number of `offset` in buf (CR, LF and CRLF end lines). */
size_t e8k_line_of(const char *buf, size_t len, size_t offset);

/* ---- filing.c: the private layout of a filing ---------------------------- */

struct e8k_filing {
    char *name;
    const char *buf;
    size_t len;
    e8k_dialect dialect;
    e8k_header header;
    const char **header_items;
    size_t header_items_cap;
    e8k_entity *entities;
    size_t entities_cap;
    e8k_document *docs;
    size_t ndocs;
    size_t docs_cap;
    size_t main_doc;
    e8k_item *items;
    size_t nitems;
    e8k_error *warnings;
    size_t nwarnings;
    size_t warnings_cap;
    e8k_pool pool; /* owns every string the structures above point to */
};

/* Appends a zeroed document (sequence, type etc. left for the caller);
 * NULL when out of memory or past E8K_MAX_DOCUMENTS. */
e8k_document *e8k_filing_add_document(e8k_filing *f);
/* Header helpers: copy the value into the filing's pool. */
int e8k_filing_add_header_item(e8k_filing *f, const char *s, size_t n);
e8k_entity *e8k_filing_add_entity(e8k_filing *f, const char *role);
/* Records a non-fatal finding at `offset` of the filing. */
void e8k_filing_warn(e8k_filing *f, e8k_status status, size_t offset,
                     const char *fmt, ...) E8K_PRINTF(4, 5);

/* ---- values.c: firm names ------------------------------------------------ */

/* What a word says of a firm name: E8K_FIRM_NAME, a word that marks one
 * ("Securities", and every legal form); E8K_FIRM_FORM, a legal form, which
 * ends the name ("LLC", "Inc."); E8K_FIRM_DOT, a form whose final period
 * is its own ("Inc." keeps it when a sentence ends there). */
#define E8K_FIRM_NAME 1u
#define E8K_FIRM_FORM 2u
#define E8K_FIRM_DOT 4u
/* The flags of the word s[0..n) (a final period optional); 0: none. */
unsigned e8k_firm_word(const char *s, size_t n);
/* The flags of every word of s[0..n), or-ed. */
unsigned e8k_firm_words_in(const char *s, size_t n);

/* ---- records.c: the offering fields ------------------------------------- */

/* The offering fields of the records, the labels and the `offerings`
 * table's columns, in one order (docs/records.md). Written once, as an
 * X-macro, so that code naming a field by constant (E8K_F_gross_proceeds,
 * the validator's view) cannot drift from the names and their order. */
#define E8K_OFFERING_FIELDS(X) \
    X(offering_type) \
    X(security) \
    X(shares_offered) \
    X(price_per_share) \
    X(overallotment_shares) \
    X(prefunded_warrants_offered) \
    X(prefunded_price) \
    X(warrants_offered) \
    X(warrant_exercise_price) \
    X(warrant_term_years) \
    X(warrant_expiration_date) \
    X(warrant_coverage_pct) \
    X(beneficial_ownership_cap_pct) \
    X(anti_dilution) \
    X(cashless_exercise) \
    X(gross_proceeds) \
    X(net_proceeds) \
    X(par_value) \
    X(agents) \
    X(fee_pct) \
    X(fee_per_share) \
    X(advisory_fee_pct) \
    X(expense_cap) \
    X(registration_number) \
    X(agreement_date) \
    X(closing_date) \
    X(principal_amount) \
    X(coupon_pct) \
    X(maturity_date) \
    X(conversion_price) \
    X(max_aggregate_amount)

enum {
#define E8K_FIELD_ID(name) E8K_F_##name,
    E8K_OFFERING_FIELDS(E8K_FIELD_ID)
#undef E8K_FIELD_ID
    E8K_NFIELDS
};
extern const char *const e8k_offering_fields[E8K_NFIELDS];

/* ---- format.c: what bytes are ------------------------------------------- */

/* "UTF-16LE", "UTF-16BE", "UTF-32LE" or "UTF-32BE" when body is text in
 * that encoding (by its byte-order mark, else by where its zero bytes
 * fall), else NULL. edgar8k reads UTF-8 and single-byte encodings: wide
 * ones are refused by name, never as anonymous binary. */
const char *e8k_wide_encoding(const char *body, size_t len);

/* A dialect marked by its first line (and closed by its last). */
typedef struct e8k_dialect_mark {
    e8k_dialect dialect;
    const char *open;  /* "<SEC-DOCUMENT>" */
    const char *close; /* "</SEC-DOCUMENT>" */
} e8k_dialect_mark;

/* The table of marked dialects (*n entries), most specific first. */
const e8k_dialect_mark *e8k_dialect_marks(size_t *n);
/* The marked dialect b[0..n) opens with, or NULL (HTML, text). */
const e8k_dialect_mark *e8k_dialect_opening(const char *b, size_t n);

/* Whether the line s[0..n) heads an exhibit: only "Exhibit N" on it (any
 * case, blanks around), N as 99, 10.1, 3(i), 10.1(a). "Exhibit 4.1." ends
 * a sentence; "Exhibit A" is an attachment inside an agreement. Sets N's
 * bytes [*ns, *ne). The one test the submission reader (plain-text
 * filings) and the extractor (exhibits inline in an 8-K) share. */
int e8k_exhibit_heading(const char *s, size_t n, size_t *ns, size_t *ne);

/* ---- submission.c -------------------------------------------------------- */

/* Recognises the dialect of f->buf, reads the header into f->header and
 * lists the documents (type, sequence, filename, description, format and
 * body span) into f->docs, choosing f->main_doc. No text conversion. */
e8k_status e8k_submission_read(e8k_filing *f, e8k_error *err);

/* ---- text.c / html.c ----------------------------------------------------- */
/* e8k_text_convert() (public) is the entry point of the text stage. */

/* ---- items.c ------------------------------------------------------------- */

typedef struct e8k_item_mark {
    char number[8];    /* "1.01", "5" */
    size_t start;      /* heading start in the text */
    size_t end;        /* item end (next heading or end of text) */
    size_t title_start;/* heading title after the number */
    size_t title_end;
} e8k_item_mark;

/* Finds the 8-K item headings of a normalized text, in order; writes at
 * most `max` marks and returns how many it found (<= max). */
size_t e8k_items_scan(const char *text, size_t len, e8k_item_mark *marks,
                      size_t max);

/* items_titles.c: the item number ("1.01") whose official wording the
 * title t[0..n) states, as an SGML header's ITEM INFORMATION line does
 * ("Entry into a Material Definitive Agreement"), or NULL. */
const char *e8k_item_number_of_title(const char *t, size_t n);

#endif /* E8K_INTERNAL_H */
