/* SPDX-License-Identifier: MIT */
/* fetch_int.h: what the fetching stage's files share and nobody else needs:
 * the index parsers (edgar_index.c), the Feed tarball reader (feed.c) and
 * the local filing store (store_files.c), all driven by fetch.c. */
#ifndef E8K_FETCH_INT_H
#define E8K_FETCH_INT_H

#include "internal.h"

#include <stdint.h>

/* ---- edgar_index.c: parsers without I/O, so they can be fuzzed ---------- */

/* One filing as an index names it. Strings are valid UTF-8 (bytes that are
 * not UTF-8 are read as Latin-1) and owned by the list's pool. */
typedef struct e8k_index_entry {
    char cik[11];        /* digits, no leading zeros */
    char accession[21];  /* 0000320193-99-000010 */
    char date[11];       /* YYYY-MM-DD */
    const char *form;    /* "8-K" */
    const char *company; /* "" when the source does not say */
    const char *items;   /* 8-K items, comma-separated ("1.01,9.01"), as
                            the source states them; NULL: it does not say */
    const char *ciks;    /* every filer's CIK, comma-separated (search
                            hits); NULL: only cik */
} e8k_index_entry;

/* Index lines or entries that could not be read are skipped, not fatal:
 * the first E8K_INDEX_SKIPS_KEPT are kept to be reported, all counted. */
#define E8K_INDEX_SKIPS_KEPT 20

typedef struct e8k_index_list {
    e8k_index_entry *items;
    size_t n;
    size_t cap;
    e8k_error skips[E8K_INDEX_SKIPS_KEPT];
    size_t nskips; /* all skipped, kept or not */
    char **pages; /* submissions JSON: names in filings.files[] */
    size_t npages;
    size_t pages_cap;
    e8k_pool pool;
} e8k_index_list;

void e8k_index_list_free(e8k_index_list *l);
/* Appends a copy of e (its strings copied into the pool). */
int e8k_index_list_add(e8k_index_list *l, const e8k_index_entry *e);

/* form.idx, master.idx or company.idx (full-index or daily-index), told
 * apart by their column header. Lines whose columns overflow are read from
 * the right (file name, date, CIK are fixed in shape). A line that still
 * cannot be read is skipped and recorded in out->skips (with its line and
 * byte offset), the rest read; only an input without the column header is
 * an error. `name` names the input in errors. */
e8k_status e8k_index_parse_idx(const char *buf, size_t len, const char *name,
                               e8k_index_list *out, e8k_error *err);

/* data.sec.gov submissions JSON: either CIK##########.json (filings.recent
 * plus filings.files[] page names) or one of its pages (columns at the top
 * level). `cik` fills entries when the document itself does not say. An
 * entry with a malformed accession number or date, or a page name that is
 * no plain file name, is skipped and recorded in out->skips. */
e8k_status e8k_index_parse_submissions(const char *buf, size_t len,
                                       const char *name, const char *cik,
                                       e8k_index_list *out, e8k_error *err);

/* company_tickers.json: the CIK (digits) of `ticker`, case-insensitive.
 * E8K_ERR_USAGE when the ticker is not listed. */
e8k_status e8k_index_ticker_cik(const char *buf, size_t len, const char *name,
                                const char *ticker, char cik[11],
                                e8k_error *err);

/* ---- 8-K items ---------------------------------------------------------- */

/* Item numbers are kept as written in 2004+ filings ("1.01"), or the one
 * or two digits of the items before (E8K_ITEM_NUMBER_SIZE with the NUL). */
#define E8K_ITEM_NUMBER_SIZE 8

/* Whether s[0..n) is an item number ("1.01", "8.01"; "5" before 2004):
 * 0, with it copied to out, else -1. */
int e8k_item_number_normalize(const char *s, size_t n,
                              char out[E8K_ITEM_NUMBER_SIZE]);
/* Whether the list `items` (item numbers separated by commas or blanks,
 * as the submissions JSON and search hits write them) holds one of
 * want[0..nwant). */
int e8k_items_match(const char *items, const char *const *want,
                    size_t nwant);
/* The items a submission's header states, from its first bytes: the
 * "ITEM INFORMATION:" lines of an SGML header (official titles, read as
 * their numbers) and the <ITEMS> tags of a Feed .nc header, written to
 * `out` (cap bytes) comma-separated. Returns the count (0: none stated). */
size_t e8k_header_items(const char *head, size_t len, char *out, size_t cap);

/* ---- edgar_search.c: EDGAR full-text search answers ---------------------- */

/* One page of efts.sec.gov's LATEST/search-index answer (Elasticsearch
 * form: hits.total {value, relation}, hits.hits[] with _id
 * "ACCESSION:DOCUMENT" and _source {adsh, ciks, display_names, form,
 * file_date, items, file_type}). Each hit becomes an entry of `out` (its
 * first CIK, every CIK in ciks, the first display name without its
 * "(CIK ...)", items joined by commas); a hit without an accession or a
 * date is skipped and recorded in out->skips. *total is the hits the
 * query matched as the service counts them, *capped 1 when it says "at
 * least" that many, *nhits the hits on this page. */
e8k_status e8k_search_parse(const char *buf, size_t len, const char *name,
                            e8k_index_list *out, size_t *total, int *capped,
                            size_t *nhits, e8k_error *err);

/* Accession "0000320193-99-000010" from any spelling with or without
 * dashes; 0 ok, -1 when s is not one. */
int e8k_accession_normalize(const char *s, size_t n, char out[21]);
/* The 18 digits of a normalized accession, as EDGAR's archive and the
 * store name its folder (000032019399000010). */
void e8k_accession_nodash(const char *accession, char out[19]);
/* YYYYMMDD or YYYY-MM-DD into YYYY-MM-DD; 0 ok, -1 when s is neither. */
int e8k_date_normalize(const char *s, size_t n, char out[11]);
/* CIK digits without leading zeros; 0 ok, -1 when s is not 1-10 digits. */
int e8k_cik_normalize(const char *s, size_t n, char out[11]);

/* Whether a body's first bytes open a submission: 1 yes, 0 no, -1 not
 * enough bytes yet to tell. Lets a transfer hang up on an error page or a
 * bomb of zeros after its first packet. */
int e8k_submission_starts_like(const char *buf, size_t len);

/* Whether the first bytes look like a submission EDGAR serves (complete
 * .txt, Feed .nc, PEM-wrapped, lone <DOCUMENT>) and the last bytes close
 * it: rules out HTML error pages and truncated bodies. */
int e8k_submission_looks_complete(const char *buf, size_t len);
/* The same for a body of `total` bytes known by its first bytes
 * head[0..hn) and its last tail[0..tn) (a body streamed to a file). */
int e8k_submission_looks_complete_ends(const char *head, size_t hn,
                                       const char *tail, size_t tn,
                                       size_t total);

/* ---- feed.c: Feed tarballs through libarchive --------------------------- */

/* Called for every .nc member whose form is wanted; `data` is the whole
 * member. Return 0 to go on, non-zero to stop (reported as E8K_ERR_IO). */
typedef int (*e8k_feed_member_fn)(const e8k_index_entry *e, const char *data,
                                  size_t len, void *ctx);

/* Hands the next bytes of a stream: returns their count (> 0) with *data
 * pointing at them (valid until the next call), 0 at the end, -1 on error
 * (then *data may point at a NUL-terminated reason). */
typedef long (*e8k_feed_pull_fn)(void *ctx, const void **data);

/* The forms kept when the caller names none: "8-K" and "8-K/A". */
#define E8K_NDEFAULT_FORMS 2
extern const char *const e8k_default_forms[E8K_NDEFAULT_FORMS];

/* Streams a Feed tarball (.nc.tar.gz, any compression libarchive knows)
 * from `pull`, or from mem[0..memlen) when pull is NULL, keeping only the
 * .nc members whose <TYPE> is in forms[0..nforms) (all when nforms is 0).
 * Nothing is unpacked to disk; each kept member is held in memory only
 * while fn runs. `name` names the tarball in errors. */
e8k_status e8k_feed_read(const char *mem, size_t memlen, e8k_feed_pull_fn pull,
                         void *pull_ctx, const char *name,
                         const char *const *forms, size_t nforms,
                         e8k_feed_member_fn fn, void *ctx, e8k_error *err);

/* Reads accession, form, filing date, first CIK and name from a Feed .nc
 * header (its first 64 KB); strings go to `pool`. E8K_OK (0) when read,
 * E8K_ERR_MALFORMED when a tag is missing or invalid (not a filing header:
 * callers pass over it), E8K_ERR_NOMEM when a copy could not be made (the
 * header may be fine: callers must report it, not skip the member). */
e8k_status e8k_feed_header(const char *data, size_t len, e8k_pool *pool,
                           e8k_index_entry *out);

/* ---- store_files.c: the local store -------------------------------------- */

/* Layout: DIR/CIK/ACCESSIONNODASH/ACCESSION.txt (or .nc from a Feed) and,
 * beside it, ACCESSION.json: the index entry plus size and sha256 of the
 * submission. The .json is written last, so its presence with a matching
 * digest is what makes a filing "present". */

/* Path of the submission file (ext "txt" or "nc") and of its entry. */
char *e8k_filestore_path(const char *dir, const e8k_index_entry *e,
                     const char *ext);
char *e8k_filestore_entry_path(const char *dir, const e8k_index_entry *e);

/* 1 when the filing is stored and its file matches the entry's size and
 * digest, 0 otherwise. Removes temporary files of that filing that no live
 * process holds (a killed run's). */
int e8k_filestore_has(const char *dir, const e8k_index_entry *e);

/* The first bytes (at most cap) of a stored filing's file, for its
 * header: their count, or -1 when it cannot be read. */
long e8k_filestore_head(const char *dir, const e8k_index_entry *e,
                        char *buf, size_t cap);

/* DIR/CIK/ACCESSIONNODASH opened (created when `create`) without
 * following a symbolic link below DIR: fd, or -1 with errno (ELOOP when a
 * component is a link). */
int e8k_filestore_dirfd(const char *dir, const e8k_index_entry *e,
                        int create);
/* Makes the temporary file `tmp` of dirfd (open as tmpfd, `len` bytes of
 * digest `sha`, checked complete by the caller) the filing, then writes
 * its entry. */
e8k_status e8k_filestore_put_tmp(int dirfd, const char *dir,
                                 const e8k_index_entry *e, const char *ext,
                                 const char *url, const char *tmp, int tmpfd,
                                 size_t len, const char *sha, e8k_error *err);

/* Checks that data is a complete submission, then writes it and its entry
 * atomically (file first, entry last). `url` is recorded in the entry. */
e8k_status e8k_filestore_put(const char *dir, const e8k_index_entry *e,
                         const char *ext, const char *url, const char *data,
                         size_t len, e8k_error *err);

/* Feed days read through with every kept filing stored are remembered in
 * DIR/.feeds/DATE-KEY.json (KEY: digest of the forms asked for), so that
 * a rerun need not download the tarball again. Marker path, malloc'ed. */
char *e8k_filestore_feed_marker(const char *dir, const char *date,
                                const char *const *forms, size_t nforms);
/* Reads a marker's filings into out; 0 ok, -1 absent or unreadable. */
int e8k_filestore_feed_load(const char *marker, e8k_index_list *out);
/* Writes the marker (atomically) listing `kept`. */
e8k_status e8k_filestore_feed_done(const char *marker,
                                   const e8k_index_list *kept,
                                   e8k_error *err);

/* Index documents (.idx files, submissions JSON, company_tickers.json) are
 * kept in DIR/.cache/ with their validators (ETag, Last-Modified), so a
 * rerun asks "changed since?" and gets a bodiless 304 when not. */
typedef struct e8k_cache_entry {
    char *body; /* malloc'ed, owned by the caller */
    size_t len;
    char etag[128];
    char last_modified[64];
} e8k_cache_entry;

/* 0 with out filled when a verified copy of url is cached, else -1. */
int e8k_filestore_cache_get(const char *dir, const char *url,
                            e8k_cache_entry *out);
/* Keeps body with its validators; best effort (a failure only costs a
 * full download next time). */
void e8k_filestore_cache_put(const char *dir, const char *url,
                             const char *body, size_t len, const char *etag,
                             const char *last_modified);

/* Creates dir and its parents as needed. */
e8k_status e8k_mkdirs(const char *dir, e8k_error *err);

#endif /* E8K_FETCH_INT_H */
