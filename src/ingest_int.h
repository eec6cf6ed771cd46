/* SPDX-License-Identifier: MIT */
/* ingest_int.h: what the ingest pipeline (ingest.c) asks of ingest_kind.c:
 * which inputs are no filing, and the accession a path names. */
#ifndef E8K_INGEST_INT_H
#define E8K_INGEST_INT_H

#include "internal.h"

/* Why these bytes are no filing ("EDGAR index page", "JSON document",
 * "SEC header without documents" ...: a static string, the kind the
 * summary counts), or NULL when they may be one. */
const char *e8k_ingest_not_filing(const char *buf, size_t len);
/* The same judged by a file's name alone, for the files of a directory
 * that are not read: NULL for the names filings have (.txt .nc .htm
 * .html). */
const char *e8k_ingest_name_kind(const char *path);
/* A Feed tarball by its name (.tar .tar.gz .tgz). */
int e8k_ingest_is_tarball(const char *path);
/* The accession number `path` names (the last one: the file's own name
 * before its folders), dashed (0000320193-20-000096) into out; 0 when it
 * names none. Folders of 18 digits (EDGAR's archive layout) count. */
int e8k_ingest_path_accession(const char *path, char out[21]);

#endif /* E8K_INGEST_INT_H */
