/* SPDX-License-Identifier: MIT */
/* ingest_kind.c: what ingest tells apart before storing anything: inputs
 * that are no filing (EDGAR index pages and listings, JSON, feeds, a
 * header without its documents, files named as data), each with the reason
 * the summary counts, and the accession number a document without a header
 * takes from its path (EDGAR's and sec-edgar-downloader's layouts name the
 * folder, the fetch store and many archives the file), so that a filing
 * reached through two files is stored once. Reads bytes only: no I/O. */
#define _GNU_SOURCE /* memmem */
#include "ingest_int.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* The first `n` bytes of s hold `needle`, ignoring ASCII case. */
static int head_has(const char *s, size_t len, size_t n, const char *needle)
{
    return e8k_memcasemem(s, len < n ? len : n, needle) != NULL;
}

static int starts_with(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && !strncasecmp(s, prefix, n);
}

/* An SGML header's opening: what a submission starts with. */
static int header_start(const char *s, size_t len)
{
    static const char *const tags[] = {
        "<SEC-DOCUMENT>", "<SEC-HEADER>", "<ACCEPTANCE-DATETIME>",
        "<IMS-DOCUMENT>", "<SUBMISSION>", "ACCESSION NUMBER:"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (starts_with(s, len, tags[i]))
            return 1;
    return 0;
}

const char *e8k_ingest_not_filing(const char *buf, size_t len)
{
    size_t skip = 0;
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        skip = 3; /* a UTF-8 byte order mark */
    while (skip < len && isspace((unsigned char)buf[skip]))
        skip++;
    const char *s = buf + skip;
    size_t n = len - skip;
    if (n && (s[0] == '{' || s[0] == '['))
        return "JSON document";
    if (starts_with(s, n, "Description:") ||
        head_has(s, n, 2048, "Last Data Received:"))
        return "EDGAR index listing";
    if (head_has(s, n, 4096, "<title>EDGAR Filing Documents for") ||
        head_has(s, n, 4096, "<title>SEC EDGAR Submission") ||
        head_has(s, n, 4096, "<title>EDGAR Filing Index"))
        return "EDGAR index page";
    if (starts_with(s, n, "<?xml") && head_has(s, n, 2048, "<feed"))
        return "Atom feed";
    if (header_start(s, n) && !memmem(s, n, "<DOCUMENT>", 10))
        return "SEC header without documents";
    return NULL;
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcasecmp(s + n - k, suffix);
}

int e8k_ingest_is_tarball(const char *path)
{
    return has_suffix(path, ".tar") || has_suffix(path, ".tar.gz") ||
           has_suffix(path, ".tgz");
}

const char *e8k_ingest_name_kind(const char *path)
{
    static const char *const filings[] = {".txt", ".nc", ".htm", ".html"};
    for (size_t i = 0; i < sizeof filings / sizeof filings[0]; i++)
        if (has_suffix(path, filings[i]))
            return NULL;
    if (has_suffix(path, ".json") || has_suffix(path, ".jsonl"))
        return "JSON document";
    if (has_suffix(path, ".idx"))
        return "EDGAR index listing";
    return "file not named as a filing";
}

/* Ten digits, a dash, two, a dash, six: an accession number as EDGAR
 * writes it, not inside a longer run of digits. */
static int dashed_at(const char *p, const char *start, const char *end)
{
    static const char shape[] = "dddddddddd-dd-dddddd";
    if (end - p < 20 || (p > start && isdigit((unsigned char)p[-1])))
        return 0;
    for (size_t i = 0; i < 20; i++)
        if (shape[i] == 'd' ? !isdigit((unsigned char)p[i]) : p[i] != '-')
            return 0;
    return p + 20 == end || !isdigit((unsigned char)p[20]);
}

/* A path component of exactly 18 digits: the folder EDGAR's archive
 * keeps a filing in (Archives/edgar/data/CIK/000032019320000096/). */
static int nodash_component(const char *p, const char *start, const char *end)
{
    if (end - p < 18 || (p > start && p[-1] != '/'))
        return 0;
    for (size_t i = 0; i < 18; i++)
        if (!isdigit((unsigned char)p[i]))
            return 0;
    return p[18] == '/';
}

int e8k_ingest_path_accession(const char *path, char out[21])
{
    const char *end = path + strlen(path), *found = NULL;
    int dashed = 0;
    /* The last one named wins: the file's own name over its folders. */
    for (const char *p = path; p < end; p++) {
        if (dashed_at(p, path, end))
            found = p, dashed = 1;
        else if (nodash_component(p, path, end))
            found = p, dashed = 0;
    }
    if (!found)
        return 0;
    if (dashed)
        memcpy(out, found, 20);
    else
        memcpy(out, found, 10), out[10] = '-', memcpy(out + 11, found + 10, 2),
            out[13] = '-', memcpy(out + 14, found + 12, 6);
    out[20] = '\0';
    return 1;
}
