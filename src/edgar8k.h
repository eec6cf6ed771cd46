/* SPDX-License-Identifier: MIT */
/* edgar8k.h: the public interface of libedgar8k, which turns SEC EDGAR
 * filings into documents, 8-K items, normalized text with an offset map back
 * to the original bytes, and (in later stages) checked deal records.
 *
 * Ownership, stated once for the whole library:
 * - Every object returned through an `e8k_X **out` parameter or by
 *   e8k_X_new() belongs to the caller and is released with e8k_X_free();
 *   every _free accepts NULL.
 * - Pointers returned by accessors (strings, structs, arrays) are borrowed:
 *   they stay valid until the object they came from is freed.
 * - Input buffers are borrowed, never copied: a filing refers to the bytes
 *   given to e8k_filing_parse() and they must outlive the filing.
 * - Functions never print and never exit; failures return an e8k_status and,
 *   when the caller passes one, fill an e8k_error saying where.
 * - Offsets are byte offsets into the buffer the caller passed in; spans are
 *   half-open [start, end).
 */
#ifndef EDGAR8K_H
#define EDGAR8K_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define E8K_VERSION "0.1.0"
/* The version of the records' JSON form, docs/records.schema.json; raised
 * whenever a key is added, removed or changes meaning. */
#define E8K_RECORDS_SCHEMA_VERSION 2

/* ---- Errors ------------------------------------------------------------ */

typedef enum e8k_status {
    E8K_OK = 0,
    E8K_ERR_NOMEM,     /* allocation failed */
    E8K_ERR_IO,        /* a file could not be read or written */
    E8K_ERR_EMPTY,     /* the input holds no bytes, or only white space */
    E8K_ERR_BINARY,    /* the input is not a text filing (NUL bytes, archive) */
    E8K_ERR_TRUNCATED, /* the input ends inside a structure it opened */
    E8K_ERR_MALFORMED, /* structure out of order or mis-nested */
    E8K_ERR_LIMIT,     /* a limit of e8k_limits.h was exceeded */
    E8K_ERR_USAGE,     /* the caller passed invalid arguments */
    E8K_ERR_GRAMMAR,   /* a grammar file or rule is invalid */
    E8K_ERR_NETWORK,   /* a transfer failed after its retries */
    E8K_ERR_DATABASE,  /* a database statement or transaction failed */
    E8K_ERR_CHECK      /* a validation check failed */
} e8k_status;

#define E8K_NO_OFFSET ((size_t)-1)

typedef struct e8k_error {
    e8k_status status;
    char file[512];    /* the input's name as given to the library, or "" */
    size_t offset;     /* byte offset in that input, or E8K_NO_OFFSET */
    size_t line;       /* 1-based line of `offset`, or 0 when unknown */
    char rule[64];     /* grammar rule or check id involved, or "" */
    char message[512]; /* what was found and what was expected */
} e8k_error;

/* A static, human-readable name for a status ("truncated input" ...). */
const char *e8k_status_string(e8k_status status);

/* Resets an error to E8K_OK with no location. */
void e8k_error_clear(e8k_error *err);

/* Copies NUL-terminated s (NULL reads as "") into out[0..cap) with every
 * control character (C0, DEL, C1) and every byte that is not UTF-8
 * written as \xHH, cut at a whole character when out is too small, so that
 * bytes from filings, index files and servers cannot move a terminal's
 * cursor or forge a line when printed. Returns out. Messages in an
 * e8k_error are escaped already. */
const char *e8k_str_escape(const char *s, char *out, size_t cap);

/* ---- Spans, formats, encodings ---------------------------------------- */

typedef struct e8k_span {
    size_t start;
    size_t end;
} e8k_span;

typedef enum e8k_format {
    E8K_FORMAT_TEXT = 0, /* plain text */
    E8K_FORMAT_HTML,     /* HTML or inline XBRL */
    E8K_FORMAT_XML,      /* XML data (XBRL instance, schema, linkbase) */
    E8K_FORMAT_UUENCODED,/* uuencoded binary (GRAPHIC, ZIP, PDF, EXCEL) */
    E8K_FORMAT_PDF,      /* raw PDF */
    E8K_FORMAT_BINARY    /* any other non-text body */
} e8k_format;

/* Whether a document of this format has text (TEXT and HTML do). */
int e8k_format_has_text(e8k_format format);
const char *e8k_format_name(e8k_format format); /* "text", "html" ... */

/* Guesses a body's format from its bytes, helped by its declared type and
 * filename when known (either may be NULL). */
e8k_format e8k_format_detect(const char *body, size_t len, const char *type,
                             const char *filename);

typedef enum e8k_encoding {
    E8K_ENC_ASCII = 0,
    E8K_ENC_UTF8,
    E8K_ENC_CP1252,
    E8K_ENC_LATIN1
} e8k_encoding;

const char *e8k_encoding_name(e8k_encoding enc); /* "ascii", "utf-8" ... */

/* ---- Text: normalized text with an offset map ------------------------- */

/* Flags of a text. */
#define E8K_TEXT_CUT 0x1u       /* the parser stopped early: text incomplete */
#define E8K_TEXT_RECOVERED 0x2u /* the HTML parser reported and repaired errors */

typedef struct e8k_text e8k_text;

/* Converts one document body (TEXT or HTML) into normalized UTF-8 text:
 * block structure kept as lines and blank lines, table cells separated by
 * tabs, scripts, styles and hidden inline-XBRL headers dropped, entities
 * decoded, typographic quotes, dashes and non-breaking spaces folded to
 * ASCII. The body's bytes are decoded as UTF-8, else Windows-1252, else
 * Latin-1. Offsets in the result map back into `body`. */
e8k_status e8k_text_convert(const char *body, size_t len, e8k_format format,
                            e8k_text **out, e8k_error *err);
void e8k_text_free(e8k_text *text);

/* The normalized text (NUL-terminated; *len excludes the NUL). */
const char *e8k_text_data(const e8k_text *text, size_t *len);
/* Byte offset in the converted body of the character at text position
 * `pos` (pos == length maps to the end of the body). */
size_t e8k_text_offset(const e8k_text *text, size_t pos);
e8k_encoding e8k_text_encoding(const e8k_text *text);
unsigned e8k_text_flags(const e8k_text *text);

/* ---- Filings ------------------------------------------------------------ */

typedef enum e8k_dialect {
    E8K_DIALECT_SEC_DOCUMENT = 0, /* <SEC-DOCUMENT> with <SEC-HEADER> */
    E8K_DIALECT_SUBMISSION,       /* Feed .nc <SUBMISSION> */
    E8K_DIALECT_PEM,              /* PEM-wrapped <SEC-DOCUMENT>/<IMS-DOCUMENT> */
    E8K_DIALECT_DOCUMENT,         /* a lone <DOCUMENT> */
    E8K_DIALECT_HTML,             /* a bare HTML document */
    E8K_DIALECT_TEXT              /* plain text without SGML */
} e8k_dialect;

const char *e8k_dialect_name(e8k_dialect dialect); /* "sec-document" ... */

/* A company named in the header, with its role there: "filer",
 * "subject-company", "filed-by", "reporting-owner", "issuer" ... */
typedef struct e8k_entity {
    const char *role;
    const char *cik;  /* as written, e.g. "0000320193"; NULL when absent */
    const char *name; /* conformed name; NULL when absent */
} e8k_entity;

/* Header fields; any string is NULL when the filing does not state it. */
typedef struct e8k_header {
    const char *accession;  /* "0000320193-99-000010" */
    const char *form_type;  /* "8-K" */
    const char *filed;      /* YYYY-MM-DD */
    const char *period;     /* YYYY-MM-DD, period of report */
    long document_count;    /* PUBLIC DOCUMENT COUNT, or -1 */
    const char *const *items; /* ITEM INFORMATION values as stated */
    size_t nitems;
    const e8k_entity *entities;
    size_t nentities;
    e8k_span span;          /* the header's bytes ({0,0} when none) */
} e8k_header;

typedef struct e8k_document {
    const char *type;        /* "8-K", "EX-99.1" ...; never NULL */
    int sequence;            /* <SEQUENCE>, else position from 1 */
    const char *filename;    /* NULL when absent */
    const char *description; /* NULL when absent */
    e8k_format format;
    e8k_span span;           /* the body's bytes in the filing */
    const e8k_text *text;    /* NULL unless e8k_format_has_text(format) */
} e8k_document;

/* One 8-K item of the main document. */
typedef struct e8k_item {
    const char *number;  /* "1.01", "2.02"; "5" in the pre-2004 numbering */
    const char *title;   /* heading text after the number, may be "" */
    size_t document;     /* index of the document holding it */
    e8k_span text_span;  /* in that document's text, heading included */
    e8k_span span;       /* the same, as bytes of the filing */
} e8k_item;

typedef struct e8k_filing e8k_filing;

/* A new, empty filing named `name` (used in errors; may be NULL). */
e8k_filing *e8k_filing_new(const char *name);
void e8k_filing_free(e8k_filing *filing);

/* Reads a filing in any dialect from `buf` (borrowed: it must outlive the
 * filing). On failure the filing holds nothing and err says where. */
e8k_status e8k_filing_parse(e8k_filing *filing, const char *buf, size_t len,
                            e8k_error *err);

const char *e8k_filing_name(const e8k_filing *filing);
e8k_dialect e8k_filing_dialect(const e8k_filing *filing);
const e8k_header *e8k_filing_header(const e8k_filing *filing);
size_t e8k_filing_document_count(const e8k_filing *filing);
const e8k_document *e8k_filing_document(const e8k_filing *filing, size_t i);
/* Index of the main document (the one carrying the form), or (size_t)-1. */
size_t e8k_filing_main_document(const e8k_filing *filing);
size_t e8k_filing_item_count(const e8k_filing *filing);
const e8k_item *e8k_filing_item(const e8k_filing *filing, size_t i);

/* Non-fatal findings of the parse (text cut, encoding fallbacks, parser
 * repairs), each with its location. */
size_t e8k_filing_warning_count(const e8k_filing *filing);
const e8k_error *e8k_filing_warning(const e8k_filing *filing, size_t i);

/* Byte offset in the filing of position `pos` of document `i`'s text. */
size_t e8k_filing_offset(const e8k_filing *filing, size_t i, size_t pos);

/* ---- Output -------------------------------------------------------------- */

#define E8K_JSON_TEXT 0x1u   /* include each document's normalized text */
#define E8K_JSON_PRETTY 0x2u /* indent instead of one line */

/* The parse of a filing as one JSON object (header, documents, items,
 * warnings). *out is malloc'ed, NUL-terminated, owned by the caller. */
e8k_status e8k_filing_to_json(const e8k_filing *filing, unsigned flags,
                              char **out, e8k_error *err);

/* ---- Files ---------------------------------------------------------------- */

/* Reads a whole file into a malloc'ed buffer (*buf owned by the caller,
 * released with free()). "-" is standard input; pipes, terminals and
 * process substitutions (/dev/fd/N) are read to their end. Whatever the
 * kind, more than E8K_MAX_INPUT_SIZE bytes is refused (E8K_ERR_LIMIT);
 * a directory is an E8K_ERR_IO. */
e8k_status e8k_file_load(const char *path, char **buf, size_t *len,
                         e8k_error *err);

/* Writes `len` bytes to `path` atomically: a temporary file in the same
 * directory, fsync, rename. A reader sees the old file or the new one. */
e8k_status e8k_file_save(const char *path, const char *buf, size_t len,
                         e8k_error *err);

/* ---- Grammars and extraction (grammar.c, extract.c) ------------------- */

/* Grammars are rule files (XML, validated against grammar.xsd beside them)
 * whose PCRE2 patterns find offering terms, parties, warrant clauses and
 * press-release facts in normalized text. docs/records.md documents the
 * rule format and the records. */
typedef struct e8k_grammar e8k_grammar;

/* Loads every *.xml file of `dir` in name order, each validated against
 * `dir`/grammar.xsd; {name} references to <define>s are expanded and every
 * pattern is compiled with JIT. Errors name the file and line. */
e8k_status e8k_grammar_load(const char *dir, e8k_grammar **out,
                            e8k_error *err);
/* The same for one grammar document in memory (named `name` in errors),
 * validated against the schema file `schema_path`. */
e8k_status e8k_grammar_load_memory(const char *xml, size_t len,
                                   const char *name, const char *schema_path,
                                   e8k_grammar **out, e8k_error *err);
void e8k_grammar_free(e8k_grammar *g);
size_t e8k_grammar_rule_count(const e8k_grammar *g);

/* One finding of e8k_grammar_check(): `ok` 0 for a failure; `ms` is the
 * time of a timing run, else 0. Strings are borrowed for the call only. */
typedef void (*e8k_check_fn)(void *ctx, const char *rule, const char *file,
                             long line, int ok, const char *what, double ms);

/* Runs every rule's examples (matches with their expected value, and
 * non-matches) and times every pattern against adversarial subjects of
 * `subject_size` bytes (runs of digits, commas, spaces), failing a pattern
 * slower than `max_ms` per subject. Returns E8K_ERR_CHECK when something
 * failed (*failures says how many). */
e8k_status e8k_grammar_check(const e8k_grammar *g, double max_ms,
                             size_t subject_size, e8k_check_fn fn, void *ctx,
                             size_t *failures);

/* A normalized, extracted value with its provenance. */
typedef struct e8k_param {
    const char *name;   /* "prior", "as_of", "formula" ... */
    const char *text;   /* as matched */
    const char *string; /* normalized (dates YYYY-MM-DD), or NULL */
    int has_number;
    double number;
    const char *unit;
} e8k_param;

typedef struct e8k_value {
    const char *field;     /* offering field, party role, clause kind, metric */
    const char *rule;      /* id of the rule that matched */
    const char *type;      /* "money", "shares", "percent", "date" ... */
    const char *unit;      /* "USD", "shares", "percent", "years" ... or NULL */
    int has_number;
    double number;         /* when has_number */
    const char *string;    /* dates, enum values, names; NULL for numbers */
    double precision;      /* unit of the last stated digit (0: exact text) */
    const char *qualifier; /* "approximately", "up_to", "expected",
                              "on_or_about", "at_least", "almost",
                              "nearly", "more_than", or NULL */
    const char *text;      /* the matched text */
    size_t document;       /* index of the filing's document */
    const char *doc_type;  /* "8-K", "EX-1.1" (an exhibit inside a text) */
    int doc_sequence;
    e8k_span text_span;    /* in that document's normalized text */
    e8k_span span;         /* bytes of the original file */
    const e8k_param *params;
    size_t nparams;
} e8k_value;

/* Records own every string they point to: they stay valid after the
 * filing and the grammar they came from are freed. */
typedef struct e8k_records e8k_records;

/* Runs the grammar over every text document of a parsed filing. Limits
 * hit by a pattern are reported as warnings of the records, never as a
 * silent non-match. A grammar may serve several threads at once. */
e8k_status e8k_extract_filing(const e8k_grammar *g, const e8k_filing *filing,
                              e8k_records **out, e8k_error *err);
/* The same over one normalized text, as a document of type `doc_type`
 * (NULL: "8-K"); spans are offsets in `text`. */
e8k_status e8k_extract_text(const e8k_grammar *g, const char *text,
                            size_t len, const char *doc_type,
                            e8k_records **out, e8k_error *err);
void e8k_records_free(e8k_records *r);

/* The names of the offering fields, in the order of docs/records.md. */
size_t e8k_offering_field_count(void);
const char *e8k_offering_field_name(size_t i); /* NULL past the end */

size_t e8k_records_offering_count(const e8k_records *r);
/* The chosen value of `field` in offering i, or NULL when not found
 * ("agents": the first agent; the JSON form lists them all). */
const e8k_value *e8k_records_offering_field(const e8k_records *r, size_t i,
                                            const char *field);
/* The other candidates for that field, best first. */
size_t e8k_records_alternate_count(const e8k_records *r, size_t i,
                                   const char *field);
const e8k_value *e8k_records_alternate(const e8k_records *r, size_t i,
                                       const char *field, size_t k);
/* Parties (field = role, string = name), warrant clauses (field = kind,
 * params), facts (field = metric, params period/as_of/prior/change). */
size_t e8k_records_party_count(const e8k_records *r);
const e8k_value *e8k_records_party(const e8k_records *r, size_t i);
size_t e8k_records_clause_count(const e8k_records *r);
const e8k_value *e8k_records_clause(const e8k_records *r, size_t i);
size_t e8k_records_fact_count(const e8k_records *r);
const e8k_value *e8k_records_fact(const e8k_records *r, size_t i);
/* Documents where a pattern hit a PCRE2 limit, or other findings. */
size_t e8k_records_warning_count(const e8k_records *r);
const e8k_error *e8k_records_warning(const e8k_records *r, size_t i);

/* The records as one JSON object (docs/records.schema.json); `name` is
 * written as "file", "filing" is null. Flags: E8K_JSON_PRETTY. */
e8k_status e8k_records_to_json(const e8k_records *r, const char *name,
                               unsigned flags, char **out, e8k_error *err);
/* The same, naming the filing `f` (may be NULL) they were extracted from:
 * "filing" holds its accession, form type, filed and period dates and the
 * companies of its header with their roles and CIKs. */
e8k_status e8k_records_to_json_filing(const e8k_records *r,
                                      const e8k_filing *f, const char *name,
                                      unsigned flags, char **out,
                                      e8k_error *err);

#define E8K_CSV_HEADER 0x4u /* begin with the header line */
/* The records' chosen offering values as CSV (RFC 4180: every text field
 * quoted, quotes doubled, CRLF line ends), one row per field, naming the
 * file `name` and the filing `f` they came from (f NULL: those cells
 * empty): file,accession,form_type,filed,period,cik,company,offering,
 * field,value,unit,qualifier,document,start,end,rule; cik and company
 * list the header's companies separated by ";". Flags: E8K_CSV_HEADER
 * (r NULL: the header alone). *out is malloc'ed, owned by the caller. */
e8k_status e8k_records_to_csv(const e8k_records *r, const e8k_filing *f,
                              const char *name, unsigned flags, char **out,
                              e8k_error *err);

/* ---- Validation (validate.c) ---------------------------------------------- */

/* Checks the extracted figures against each other (docs/validation.md):
 * gross = shares x price, fees, net proceeds and implied other expenses,
 * warrant coverage and term, date order, cash bridges, stated changes,
 * agreement between documents and ranges. Each check yields a finding;
 * tolerances follow the stated precision and qualifier of each value. */

typedef enum e8k_check_status {
    E8K_CHECK_PASS = 0,
    E8K_CHECK_FAIL,    /* the figures contradict each other beyond their
                          stated precision: one of them is wrong */
    E8K_CHECK_SKIPPED, /* does not apply, or a value is missing: see reason */
    E8K_CHECK_INFO,    /* a figure computed and reported, nothing to compare
                          (gross proceeds not stated, exercise premium) */
    E8K_CHECK_WARN     /* unusual but possible (an ownership cap no deal
                          uses, expenses above the plausible share) */
} e8k_check_status;

const char *e8k_check_status_name(e8k_check_status s); /* "pass" ... */

/* A value a check used: stated in the filing (with its provenance) or
 * derived by the validator (derived = 1, document = E8K_NO_OFFSET). */
typedef struct e8k_check_value {
    const char *name;      /* "shares_offered", "cash_before" ... */
    int has_number;
    double number;
    const char *string;    /* dates, registration numbers; else NULL */
    const char *unit;
    double tolerance;      /* half-width used for this value in its unit */
    const char *qualifier;
    int derived;
    const char *text;      /* the matched text, or how it was derived */
    size_t document;
    const char *doc_type;
    int doc_sequence;
    e8k_span span;         /* bytes of the original file */
    const char *rule;
} e8k_check_value;

#define E8K_NO_OFFERING ((size_t)-1)

typedef struct e8k_finding {
    const char *id;        /* "gross.shares_x_price" ... */
    size_t offering;       /* offering index, or E8K_NO_OFFERING (facts) */
    e8k_check_status status;
    const char *reason;    /* what was found, why it failed or was skipped */
    const char *formula;
    const char *unit;
    int has_expected;      /* expected/actual are numbers ... */
    double expected;
    int has_actual;
    double actual;
    double tolerance;      /* |actual - expected| allowed */
    const char *expected_string; /* ... or strings (dates); else NULL */
    const char *actual_string;
    const e8k_check_value *values;
    size_t nvalues;
} e8k_finding;

typedef struct e8k_report e8k_report;

/* Runs every check that applies to `r`; `f` (may be NULL) gives the filing
 * date. A failed check is a finding, not an error: the status is E8K_OK
 * unless memory ran out. */
e8k_status e8k_validate(const e8k_records *r, const e8k_filing *f,
                        e8k_report **out, e8k_error *err);
void e8k_report_free(e8k_report *rep);
size_t e8k_report_count(const e8k_report *rep);
const e8k_finding *e8k_report_finding(const e8k_report *rep, size_t i);
/* The first finding with `id` for `offering`, or NULL. */
const e8k_finding *e8k_report_find(const e8k_report *rep, const char *id,
                                   size_t offering);
size_t e8k_report_failed_count(const e8k_report *rep);
size_t e8k_report_warned_count(const e8k_report *rep);
/* {"file": name, "filing": null, "failed": n, "warned": n,
 * "findings": [...]} (E8K_JSON_PRETTY). */
e8k_status e8k_report_to_json(const e8k_report *rep, const char *name,
                              unsigned flags, char **out, e8k_error *err);
/* The same with "filing" naming `f` (may be NULL) as records do. */
e8k_status e8k_report_to_json_filing(const e8k_report *rep,
                                     const e8k_filing *f, const char *name,
                                     unsigned flags, char **out,
                                     e8k_error *err);

/* The review page of a filing (docs/report.md): one self-contained HTML
 * page with the filing's identity, a table per offering (each field's
 * value, document, rule and alternates, linked to where the text states
 * it), parties, clauses, facts, the findings of `rep` (failures first; a
 * click on one highlights the values it used; NULL: not validated) and the
 * text of every document with each extracted value marked in place. It
 * loads nothing and runs only its own script. *out is malloc'ed,
 * NUL-terminated, owned by the caller; *len (may be NULL) its length. */
e8k_status e8k_report_to_html(const e8k_report *rep, const e8k_filing *f,
                              const e8k_records *r, char **out, size_t *len,
                              e8k_error *err);

/* ---- Fetching (fetch.c) ---------------------------------------------------- */

/* Downloads 8-K filings from EDGAR (or a mirror of its URL layout) into a
 * local store: DIR/CIK/ACCESSIONNODASH/ACCESSION.txt (.nc from a Feed) with
 * ACCESSION.json beside it (index entry, size, sha256). Every file is
 * written atomically and a filing counts as stored only once its entry
 * matches its bytes, so reruns fetch only what is missing. All transfers
 * share one rate limiter, and all fetchers of the user's processes on the
 * machine share a state file that keeps them together within the SEC's
 * fair-access limit (at most 10 requests/s; docs/fetch.md).
 * The fetcher never prints: it reports through the options' callback. */

typedef struct e8k_fetcher e8k_fetcher;

/* A filing as an index names it (strings borrowed for the callback). */
typedef struct e8k_fetch_filing {
    const char *cik;       /* digits, no leading zeros */
    const char *accession; /* 0000320193-99-000010 */
    const char *form;
    const char *date;      /* filed, YYYY-MM-DD */
    const char *company;   /* "" when unknown */
    const char *url;       /* where it is (or would be) fetched from */
    const char *path;      /* where it is stored; NULL in a dry run */
    const char *items;     /* its 8-K items ("1.01,3.02") as the index or
                              its header states them; "" when unknown */
} e8k_fetch_filing;

typedef struct e8k_fetch_stats {
    size_t requests;        /* HTTP requests started, retries included */
    size_t responses_429;   /* 429 Too Many Requests received */
    size_t retries;         /* requests repeated after a fault */
    size_t pauses;          /* pauses of a host (Retry-After, 403 block page) */
    size_t redirects;       /* redirect hops followed (each a request) */
    size_t index_skipped;   /* index lines or entries that could not be read:
                               skipped, each reported as a warning */
    size_t bytes;           /* decompressed bytes received */
    size_t filings_total;   /* filings selected so far */
    size_t filings_stored;  /* fetched and stored in this run */
    size_t filings_present; /* already stored and verified: skipped */
    size_t filings_failed;  /* given up on after retries */
    double elapsed;         /* seconds since e8k_fetch_run started */
    double rate;            /* requests per second achieved */
    double eta;             /* seconds left for the known filings, or -1 */
    size_t filings_unmatched; /* read, but their header states none of the
                               items asked for: not stored */
    size_t companies_unknown; /* CIKs or tickers EDGAR does not know */
    size_t search_windows;  /* date windows full-text search was asked */
} e8k_fetch_stats;

typedef enum e8k_fetch_event_kind {
    E8K_FETCH_PROGRESS = 0, /* periodic: stats changed */
    E8K_FETCH_LISTED,       /* dry run: filing would be fetched */
    E8K_FETCH_STORED,       /* filing fetched, checked and stored */
    E8K_FETCH_PRESENT,      /* filing already stored and verified */
    E8K_FETCH_RETRY,        /* a request failed and will be repeated */
    E8K_FETCH_PAUSE,        /* the transfers to `host` paused for `wait` s */
    E8K_FETCH_FAILED,       /* a request or filing was given up on */
    E8K_FETCH_WARNING,      /* the run goes on less well than it should:
                               message says how (e.g. pacing this process
                               alone, the shared state being unusable) */
    E8K_FETCH_NOTICE,       /* how the selection goes, for the curious:
                               message says it (a full-text search's date
                               range split under the service's cap) */
    E8K_FETCH_UNKNOWN       /* a company asked for is not on EDGAR:
                               message names it; the others are fetched */
} e8k_fetch_event_kind;

typedef struct e8k_fetch_event {
    e8k_fetch_event_kind kind;
    const e8k_fetch_filing *filing; /* LISTED, STORED, PRESENT, FAILED */
    const char *url;                /* RETRY, PAUSE, FAILED */
    const char *host;               /* PAUSE: the host paused */
    long http_status;               /* 0 when no response */
    double wait;                    /* RETRY, PAUSE: seconds */
    const char *message;            /* RETRY, PAUSE, FAILED, WARNING,
                                       NOTICE, UNKNOWN */
    const e8k_fetch_stats *stats;
} e8k_fetch_event;

typedef void (*e8k_fetch_callback)(const e8k_fetch_event *ev, void *data);

typedef struct e8k_fetch_options {
    const char *user_agent; /* "Name email@domain": required */
    const char *base_url;   /* www.sec.gov layout; default https://www.sec.gov */
    const char *data_url;   /* data.sec.gov layout; default https://data.sec.gov,
                               or base_url when only that is given */
    const char *efts_url;   /* efts.sec.gov layout (full-text search at
                               /LATEST/search-index); default
                               https://efts.sec.gov, or base_url when only
                               that is given */
    const char *store_dir;  /* required unless dry_run */
    double rate;            /* requests per second, (0, 10]; default 8 */
    int max_parallel;       /* transfers at once; default 4 */
    int max_retries;        /* per request after the first try; default 5 */
    long backoff_ms;        /* first backoff, doubled per retry; default 1000 */
    long backoff_max_ms;    /* default 60000 */
    long block_pause_ms;    /* pause after the SEC block page; default 600000 */
    long max_retry_after_ms;/* longest Retry-After honoured; default 600000 */
    long connect_timeout_ms;/* default 30000 */
    long low_speed_limit;   /* bytes/s under which a transfer stalls; 1000 */
    long low_speed_time;    /* seconds below it before giving up; default 30 */
    long transfer_timeout_ms;/* deadline of one transfer over all its tries
                               (a Feed tarball: 16 times as long); 0 none;
                               default E8K_TRANSFER_TIMEOUT_S */
    long max_time_ms;       /* deadline of a whole e8k_fetch_run; 0 none */
    size_t max_response;    /* decompressed bytes of one response;
                               default E8K_MAX_RESPONSE_SIZE */
    int dry_run;            /* list filings, fetch only the indexes */
    const char *rate_file;  /* state shared with the user's other edgar8k
                               processes; NULL: $E8K_RATE_FILE, else the
                               default place (docs/fetch.md) */
    e8k_fetch_callback callback;
    void *callback_data;
} e8k_fetch_options;

/* Sets every option to its default (user_agent and store_dir NULL). */
void e8k_fetch_options_init(e8k_fetch_options *opt);

/* E8K_OK when ua has the form "Name email@domain". */
e8k_status e8k_fetch_check_user_agent(const char *ua, e8k_error *err);

/* What to fetch. Exactly one kind of selector: companies (cik, ciks,
 * ticker, tickers, any number together), search (with companies only
 * theirs), quarter, date, accession or feed; forms, since, until, items
 * and limit filter. */
typedef struct e8k_fetch_query {
    const char *cik;        /* submissions JSON, all its pages */
    const char *ticker;     /* company_tickers.json, then as cik */
    const char *quarter;    /* "2024-Q1": full-index form.idx */
    const char *date;       /* YYYY-MM-DD: daily-index form.YYYYMMDD.idx */
    const char *accession;  /* one filing; cik used for its URL when given */
    const char *feed;       /* YYYY-MM-DD: that day's Feed tarball */
    const char *const *forms; /* NULL: "8-K" and "8-K/A" */
    size_t nforms;
    const char *since;      /* YYYY-MM-DD, inclusive; NULL: no bound */
    const char *until;
    const char *const *ciks;    /* more companies, as cik; an unknown one is
                                   reported (E8K_FETCH_UNKNOWN), the others
                                   fetched */
    size_t nciks;
    const char *const *tickers; /* more companies, as ticker */
    size_t ntickers;
    const char *search;     /* EDGAR full-text search: the filings whose
                               documents match this query (efts_url),
                               since E8K_SEARCH_FIRST_DAY by default */
    const char *const *items; /* 8-K items ("1.01"): keep the filings that
                                 state one of them (from the submissions
                                 JSON and search hits before download;
                                 from the header after it for quarter,
                                 date, accession, feed); NULL: all */
    size_t nitems;
    size_t limit;           /* keep the latest `limit` filings that match
                               (a Feed day: its first `limit`); 0: all */
} e8k_fetch_query;

/* Checks the options (user agent, rate <= E8K_MAX_REQUESTS_PER_SECOND,
 * URLs) and sets up the transfers. */
e8k_status e8k_fetcher_new(const e8k_fetch_options *opt, e8k_fetcher **out,
                           e8k_error *err);
void e8k_fetcher_free(e8k_fetcher *f);

/* Selects the filings and fetches the missing ones. Index documents are
 * cached in the store and asked for again only "if changed" (a 304 moves
 * no body); a Feed day read through before is not downloaded again while
 * its filings are all present. Returns E8K_OK when every selected filing
 * is stored; E8K_ERR_NETWORK (E8K_ERR_IO when the store could not be
 * written) when some could not be, E8K_ERR_USAGE when a company asked for
 * is unknown, after reporting each through the callback (FAILED, UNKNOWN);
 * err describes the first failure. */
e8k_status e8k_fetch_run(e8k_fetcher *f, const e8k_fetch_query *q,
                         e8k_error *err);

/* Counters of the fetcher's latest run, also while it runs (borrowed). */
const e8k_fetch_stats *e8k_fetch_stats_of(const e8k_fetcher *f);

/* ---- Stores (store_*.c) ------------------------------------------------- */

/* A database of filings and their records, SQLite (the default) or
 * PostgreSQL, with one schema created and migrated by edgar8k (docs/sql.md).
 * A filing is stored under its key: its accession number when the header
 * states one, else "sha256:" and the digest of its bytes. Every value keeps
 * its provenance (document, byte span, rule, matched text, source bytes). */
typedef struct e8k_store e8k_store;
/* A filing's validation report (validate.c); the store writes its findings. */
typedef struct e8k_report e8k_report;

/* Opens (creating and migrating when needed) the database at `url`:
 * "sqlite:PATH", a plain PATH (SQLite), or "postgres://..." /
 * "postgresql://..." (a libpq connection URI). */
e8k_status e8k_store_open(const char *url, e8k_store **out, e8k_error *err);
void e8k_store_close(e8k_store *s);
const char *e8k_store_kind(const e8k_store *s); /* "sqlite", "postgres" */

/* Stores a parsed filing with its records (r and report may be NULL),
 * replacing every row of a filing stored under the same key, in one
 * transaction: the filing is stored whole or not at all. */
e8k_status e8k_store_put_filing(e8k_store *s, const e8k_filing *f,
                                const e8k_records *r, const e8k_report *report,
                                e8k_error *err);
/* The same with the sha256 (64 hex digits) of the filing's bytes already
 * known (NULL: computed). */
e8k_status e8k_store_put_filing_hashed(e8k_store *s, const e8k_filing *f,
                                       const e8k_records *r,
                                       const e8k_report *report,
                                       const char *sha256, e8k_error *err);
/* Records that an input could not be read as a filing (`why`) with the
 * version of edgar8k that tried, so that reruns of that version skip it
 * and exports list it. */
e8k_status e8k_store_put_failure(e8k_store *s, const char *source,
                                 const char *sha256, size_t size,
                                 const e8k_error *why, e8k_error *err);
/* *found = 1 when a filing with these bytes is stored, or was recorded as
 * a failure by this version of edgar8k (a failure recorded by another
 * version is tried again: an upgrade may read it). */
e8k_status e8k_store_has_content(e8k_store *s, const char *sha256,
                                 int *found, e8k_error *err);

/* Receives exported bytes; non-zero stops the export (E8K_ERR_IO). */
typedef int (*e8k_write_fn)(void *ctx, const char *data, size_t len);

/* Exports the database sorted by natural keys (never by internal ids or
 * ingest times, so equal contents export equal). `format` "jsonl": one
 * object per row with its "table"; "csv": one table (`table`, default
 * "offerings") with a header line. `table` NULL: every table (jsonl). */
e8k_status e8k_store_export(e8k_store *s, const char *format,
                            const char *table, e8k_write_fn fn, void *ctx,
                            e8k_error *err);
/* The names of the exported tables, in order; NULL past the last. */
const char *e8k_store_table_name(size_t i);

/* ---- Ingest (ingest.c) --------------------------------------------------- */

/* Parses, extracts, (validates) and stores filings: the caller's thread
 * reads inputs, `jobs` worker threads parse and extract, one writer thread
 * stores them, leaving the database that storing in input order gives
 * (docs/sql.md); skips and failures are reported in input order. At most `queue` filings and `max_bytes` bytes of
 * input are in flight, so memory stays bounded whatever the number of
 * filings. Inputs whose bytes are already stored are skipped, so an
 * interrupted ingest resumes. */

typedef struct e8k_ingest_stats {
    size_t inputs;        /* filings read so far */
    size_t stored;        /* stored in this run */
    size_t skipped;       /* already stored (same bytes or accession) */
    size_t failed;        /* not a readable filing, or not stored */
    size_t not_filings;   /* no filing (index pages, JSON ...): skipped */
    size_t offerings;     /* offerings in the filings stored */
    size_t checks_run;    /* validation findings of those filings */
    size_t checks_failed;
    size_t checks_warned; /* unusual but possible (docs/validation.md) */
    size_t bytes;         /* bytes of the inputs read */
    size_t total;         /* inputs expected (0: unknown) */
    double elapsed;       /* seconds since e8k_ingest_new */
    size_t db_retries;    /* writes PostgreSQL aborted as a deadlock or a
                             serialization failure, tried again */
} e8k_ingest_stats;

typedef enum e8k_ingest_event_kind {
    E8K_INGEST_PROGRESS = 0, /* stats changed (at most ~10 per second) */
    E8K_INGEST_STORED,
    E8K_INGEST_SKIPPED,      /* `reason`: its bytes or its accession are
                                stored already */
    E8K_INGEST_FAILED,       /* `error` says why */
    E8K_INGEST_NOT_FILING,   /* skipped: `reason` says what it is ("EDGAR
                                index page", "JSON document" ...) */
    E8K_INGEST_WARNING       /* an input passed over, `error` says why (a
                                symbolic link loop, a directory reached
                                twice, a special file below a directory) */
} e8k_ingest_event_kind;

typedef struct e8k_ingest_event {
    e8k_ingest_event_kind kind;
    const char *name;            /* the input, or NULL for PROGRESS */
    const e8k_error *error;      /* FAILED, WARNING */
    const e8k_ingest_stats *stats;
    /* STORED: what was stored, borrowed for the call (to write its review
     * page, say); NULL otherwise. */
    const e8k_filing *filing;
    const e8k_records *records;
    const e8k_report *report;
    const char *reason;          /* SKIPPED, NOT_FILING: a static string */
} e8k_ingest_event;

/* Called from one thread at a time, not necessarily the caller's. */
typedef void (*e8k_ingest_callback)(const e8k_ingest_event *ev, void *data);

typedef struct e8k_ingest_options {
    int jobs;                 /* workers; <= 0: the number of cores;
                                 at most E8K_INGEST_MAX_JOBS (256) */
    size_t queue;             /* filings in flight; 0: 24, or 8 per
                                 worker when that is more */
    size_t max_bytes;         /* input bytes in flight (one larger input
                                 goes alone); 0: E8K_INGEST_BYTES_IN_FLIGHT */
    const e8k_grammar *grammar; /* required, shared by the workers */
    int force;                /* re-ingest inputs already stored */
    const char *const *forms; /* Feed tarball members kept (by <TYPE>);
                                 NULL: "8-K" and "8-K/A" */
    size_t nforms;
    e8k_ingest_callback callback;
    void *callback_data;
} e8k_ingest_options;

typedef struct e8k_ingest e8k_ingest;

void e8k_ingest_options_init(e8k_ingest_options *opt);
/* Opens the database at `url` (see e8k_store_open) and starts the
 * threads. */
e8k_status e8k_ingest_new(const char *url, const e8k_ingest_options *opt,
                          e8k_ingest **out, e8k_error *err);
/* Queues a file ("-": standard input; a pipe is read to its end), every
 * filing file under a directory (recursively, in name order: .txt .nc .htm
 * .html; other files are reported as no filing, unread; symbolic links
 * followed, each directory read once, a loop reported as a warning) or a
 * Feed tarball's selected members (.tar .tar.gz .tgz). Inputs that are no
 * filing (EDGAR index pages and listings, JSON, a header without
 * documents) are skipped with a reason (E8K_INGEST_NOT_FILING). A filing
 * is stored once under its key (its accession; for a document without a
 * header, the accession its path names; else its digest): a later input
 * with a stored key is skipped, unless it is a complete submission and
 * the stored one a lone document, or `force` is set (then it replaces).
 * Blocks while the queue is full. Returns an error only for what stops
 * the whole ingest (database, memory); unreadable inputs are counted and
 * reported through the callback. */
e8k_status e8k_ingest_path(e8k_ingest *ing, const char *path, e8k_error *err);
/* Counts the inputs e8k_ingest_path would read from `path` (tarballs count
 * as 0: unknown) and adds them to stats.total. */
size_t e8k_ingest_count(e8k_ingest *ing, const char *path);
/* Waits for every queued filing to be stored and stops the threads. */
e8k_status e8k_ingest_finish(e8k_ingest *ing, e8k_error *err);
const e8k_ingest_stats *e8k_ingest_stats_of(const e8k_ingest *ing);
void e8k_ingest_free(e8k_ingest *ing);

#ifdef __cplusplus
}
#endif

#endif /* EDGAR8K_H */
