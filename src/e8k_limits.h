/* SPDX-License-Identifier: MIT */
/* e8k_limits.h: every limit edgar8k enforces, in one place.
 * Inputs past a limit get an E8K_ERR_LIMIT error that names the limit,
 * never a crash, a hang or silently shortened output. */
#ifndef E8K_LIMITS_H
#define E8K_LIMITS_H

#include <stddef.h>

/* Largest input file (a complete submission with all exhibits). */
#define E8K_MAX_INPUT_SIZE ((size_t)2 << 30)
/* Largest single document body handed to the text stage. */
#define E8K_MAX_DOCUMENT_SIZE ((size_t)512 << 20)
/* Documents in one submission. */
#define E8K_MAX_DOCUMENTS 20000
/* Bytes of an SGML header (<SEC-HEADER>, .nc header block). */
#define E8K_MAX_HEADER_SIZE ((size_t)8 << 20)
/* Companies named in one header, and ITEM INFORMATION lines. */
#define E8K_MAX_HEADER_ENTITIES 2000
#define E8K_MAX_HEADER_ITEMS 200
/* SGML nesting of header sections (FILER: > COMPANY DATA: ...). */
#define E8K_MAX_SGML_DEPTH 32

/* HTML element nesting. libxml2 2.9 stops at 256 unless HTML_PARSE_HUGE is
 * set; edgar8k sets it and enforces its own, much deeper, bound. */
#define E8K_MAX_HTML_DEPTH 10000
/* Attributes on one HTML start tag: libxml2 checks duplicates pairwise, so
 * 100,000 attributes take tens of seconds; the text stage refuses more. */
#define E8K_MAX_HTML_ATTRIBUTES 1024
/* libxml2 2.9 scans the whole stack of open elements for every end tag (or
 * misplaced <body>) that closes nothing, so N stray end tags under D open
 * elements cost N*D. The text stage allows this many such comparisons per
 * byte of HTML (plus 4M); the corpus needs less than 0.01. */
#define E8K_MAX_HTML_END_TAG_WORK 32
/* Classes a document's style sheets hide (html.c): real filings use a
 * handful; past this, more are not recorded (their content is kept). A
 * lookup probes at most E8K_MAX_HTML_CLASS_PROBE slots past a name's home:
 * at a load of one half honest names never come near it, and names
 * crafted to collide cannot make the table quadratic. */
#define E8K_MAX_HTML_HIDDEN_CLASSES 4096
#define E8K_MAX_HTML_CLASS_PROBE 64

/* 8-K items found in one document. */
#define E8K_MAX_ITEMS 128

/* PCRE2 limits, set on every match (see grammar.c). */
#define E8K_PCRE2_MATCH_LIMIT 2000000u
#define E8K_PCRE2_DEPTH_LIMIT 5000u
#define E8K_PCRE2_HEAP_LIMIT_KIB 65536u
/* Grammar files: size of one file, rules in all files, pattern length. */
#define E8K_MAX_GRAMMAR_FILE_SIZE ((size_t)4 << 20)
#define E8K_MAX_RULES 4096
#define E8K_MAX_PATTERN_SIZE 16384

/* Fetching: decompressed bytes of one response (a filing goes to a file
 * under it, never to memory), SEC fair-access rate. */
#define E8K_MAX_RESPONSE_SIZE ((size_t)1 << 30)
/* Index documents (form.idx, submissions JSON) are parsed in memory: the
 * largest quarter's form.idx is some 50 MB. */
#define E8K_MAX_INDEX_SIZE ((size_t)256 << 20)
/* A body that inflates to more than this many times the bytes that came
 * over the wire, once past E8K_BOMB_CHECK_AFTER bytes, is a decompression
 * bomb, refused at once and not retried (filings compress 5 to 20 times;
 * a gzip bomb of zeros a thousand). */
#define E8K_MAX_INFLATE_RATIO 200
#define E8K_BOMB_CHECK_AFTER ((size_t)16 << 20)
/* Redirect hops followed for one request (each on the fetcher's hosts). */
#define E8K_MAX_REDIRECTS 5
/* The default deadline of one transfer over all its tries (a slow server
 * that keeps above the stall speed cannot hold it for days); a Feed
 * tarball, gigabytes, gets E8K_FEED_TIMEOUT_FACTOR times as long. */
#define E8K_TRANSFER_TIMEOUT_S 900
#define E8K_FEED_TIMEOUT_FACTOR 16
#define E8K_MAX_REQUESTS_PER_SECOND 10
/* A daily Feed tarball (compressed bytes, streamed, never held whole). */
#define E8K_MAX_FEED_SIZE ((size_t)64 << 30)
/* EDGAR full-text search (efts.sec.gov) answers at most this many hits
 * (documents) for one query, E8K_SEARCH_PAGE a page: a date range that
 * matches more is split until each window is under the cap. Its index
 * begins with E8K_SEARCH_FIRST_DAY, the default start of a search. Up to
 * E8K_SEARCH_MAX_CIKS companies are named to the service (ciks=); with
 * more, the search covers every company and edgar8k keeps theirs. */
#define E8K_SEARCH_MAX_HITS 10000
#define E8K_SEARCH_PAGE 100
#define E8K_SEARCH_FIRST_DAY "2001-01-01"
#define E8K_SEARCH_MAX_CIKS 50
/* 8-K item numbers one --items may name. */
#define E8K_MAX_ITEMS_ASKED 64
/* The pacing every edgar8k process of a user shares (fetch_rate.c). Slots
 * are 1/10 s plus E8K_RATE_SLOT_GRACE_MS apart, and a slot missed by more
 * than the grace is given back, so any two requests start at least 1/10 s
 * apart: no second, however it is cut, holds more than 10 (all processes
 * together get 1000 / 110 = 9.1 requests/s at most). Each waiting process
 * holds one slot, so a next slot farther ahead than E8K_RATE_MAX_LEAD_S
 * (about 90 processes' worth) is a dead writer's or a clock set back, and
 * is ignored; a recorded pause is cut to E8K_RATE_MAX_PAUSE_S. A state
 * lock busy for longer than E8K_RATE_LOCK_TIMEOUT_S means a stopped
 * holder: the process then paces itself alone. */
#define E8K_RATE_MAX_LEAD_S 10
#define E8K_RATE_MAX_PAUSE_S 3600
#define E8K_RATE_SLOT_GRACE_MS 10
#define E8K_RATE_LOCK_TIMEOUT_S 5
/* Hosts whose pauses the shared state holds at once. */
#define E8K_RATE_HOSTS 8

/* Ingest: bytes of input filings in flight between reading and storing
 * (parsed text and records come to a few times that). */
#define E8K_INGEST_BYTES_IN_FLIGHT ((size_t)16 << 20)
/* Ingest: filings in flight by default (the bytes above bound memory; the
 * slots only have to be enough that a worker never waits for a slot while
 * another one works through a large filing), and worker threads at most. */
#define E8K_INGEST_SLOTS 24
#define E8K_INGEST_SLOTS_PER_WORKER 8
#define E8K_INGEST_MAX_JOBS 256
/* Ingest: directories nested below an input directory; deeper ones are
 * reported and not read (EDGAR's layouts are three deep). */
#define E8K_INGEST_MAX_DEPTH 64
/* A database write that PostgreSQL aborts as a serialization failure or a
 * deadlock (SQLSTATE 40001, 40P01) is tried again up to this many times,
 * after a pause that doubles from E8K_DB_RETRY_MS (with jitter). */
#define E8K_DB_RETRIES 8
#define E8K_DB_RETRY_MS 20

#endif /* E8K_LIMITS_H */
