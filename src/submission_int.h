/* SPDX-License-Identifier: MIT */
/* submission_int.h: what the submission reader's files share: the reader
 * and its lines, the helpers that read lines and tags, and the entry points
 * of the header reader (submission_header.c) and of the plain-text and
 * bare-HTML reader (submission_plain.c) that submission.c drives. */
#ifndef E8K_SUBMISSION_INT_H
#define E8K_SUBMISSION_INT_H

#include "internal.h"

#define NONE ((size_t)-1)

typedef struct reader {
    e8k_filing *f;
    e8k_error *err;
    const char *b;
    size_t n;
} reader;

typedef struct line {
    size_t start, end; /* the line's bytes, without its terminator */
    size_t next;       /* start of the following line */
} line;

/* ---- submission.c: errors, lines and tags, documents -------------------- */

/* Fails the parse with an error located at byte `off` of the input. */
e8k_status e8k_sub_fail(reader *r, e8k_status s, size_t off, const char *fmt,
                        ...) E8K_PRINTF(4, 5);
e8k_status e8k_sub_nomem(reader *r);
/* Reads the line starting at p; 0 at the end of the buffer. */
int e8k_sub_get_line(const reader *r, size_t p, line *ln);
int e8k_sub_starts_with(const reader *r, size_t p, size_t end, const char *s);
int e8k_sub_line_is(const reader *r, const line *ln, const char *tag);
int e8k_sub_is_space(char c);
int e8k_sub_blank(const reader *r, const line *ln);
void e8k_sub_trim(const char *b, size_t *s, size_t *e);
/* First line in [from, to) that starts with `tag`, or NONE. */
size_t e8k_sub_find_tag_line(const reader *r, size_t from, size_t to,
                             const char *tag);
/* The trimmed value after a "<TAG>" at the start of a line. */
void e8k_sub_tag_value(const reader *r, const line *ln, size_t taglen,
                       size_t *s, size_t *e);
/* Appends a document (E8K_ERR_LIMIT past E8K_MAX_DOCUMENTS). */
e8k_status e8k_sub_new_document(reader *r, size_t off, e8k_document **out);
e8k_status e8k_sub_set_type(reader *r, e8k_document *d, const char *type);
void e8k_sub_detect_format(reader *r, e8k_document *d);

/* ---- submission_header.c -------------------------------------------------- */

/* Copies b[s, e) into the pool as *out unless *out is already set (the
 * first statement of a field wins) or the value is empty. */
e8k_status e8k_sub_keep(reader *r, size_t s, size_t e, const char **out);
/* The header lines in [from, to): SGML "KEY: value" or (nc) Feed tags. */
e8k_status e8k_sub_read_header_lines(reader *r, size_t from, size_t to,
                                     int nc);
e8k_status e8k_sub_check_header_size(reader *r, size_t from, size_t to);
/* The decimal number b[s, e), or -1 when it is not one or exceeds
 * INT_MAX. */
long e8k_sub_number(const char *b, size_t s, size_t e);

/* ---- submission_plain.c --------------------------------------------------- */

/* Plain text with no SGML: the main document, then one per exhibit. */
e8k_status e8k_sub_read_plain_text(reader *r);
/* Bare HTML: one document, typed by the form its cover names. */
e8k_status e8k_sub_read_bare_html(reader *r);

#endif /* E8K_SUBMISSION_INT_H */
