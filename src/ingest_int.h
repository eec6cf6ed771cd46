/* SPDX-License-Identifier: MIT */
/* ingest_int.h: what the ingest pipeline (ingest.c) asks of ingest_kind.c
 * (which inputs are no filing, and the accession a path names) and of
 * ingest_walk.c (the inputs found under a path), and what the walk hands
 * back to the pipeline. */
#ifndef E8K_INGEST_INT_H
#define E8K_INGEST_INT_H

#include "internal.h"

#include <stdarg.h>

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

/* The walk of one input (ingest_walk.c): submits each file, tarball and
 * warning it finds through the three below, or, with `count`, only counts
 * the inputs it would submit. */
e8k_status e8k_ingest_walk(e8k_ingest *ing, const char *path, size_t *count,
                           e8k_error *err);
/* A file for a worker to read (or, with `not_filing`, only to report). */
e8k_status e8k_ingest_submit_file(e8k_ingest *ing, const char *path,
                                  size_t size, const char *not_filing,
                                  e8k_error *err);
/* A Feed tarball's filings, each an input of its own. */
e8k_status e8k_ingest_submit_tarball(e8k_ingest *ing, const char *path,
                                     e8k_error *err);
/* An input passed over, reported as a warning in its turn. */
e8k_status e8k_ingest_submit_warning(e8k_ingest *ing, const char *path,
                                     e8k_error *err, const char *fmt,
                                     va_list ap);

#endif /* E8K_INGEST_INT_H */
