/* SPDX-License-Identifier: MIT */
/* error.c: status names and the one way the library reports a failure: a
 * status plus where (file, byte offset, line) and what was expected. The
 * messages quote bytes of inputs, index files and servers: their control
 * characters are escaped here, once, so that no message printed can move
 * a terminal's cursor or forge a line. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

const char *e8k_status_string(e8k_status status)
{
    switch (status) {
    case E8K_OK: return "ok";
    case E8K_ERR_NOMEM: return "out of memory";
    case E8K_ERR_IO: return "i/o error";
    case E8K_ERR_EMPTY: return "empty input";
    case E8K_ERR_BINARY: return "binary input";
    case E8K_ERR_TRUNCATED: return "truncated input";
    case E8K_ERR_MALFORMED: return "malformed input";
    case E8K_ERR_LIMIT: return "limit exceeded";
    case E8K_ERR_USAGE: return "usage error";
    case E8K_ERR_GRAMMAR: return "grammar error";
    case E8K_ERR_NETWORK: return "network error";
    case E8K_ERR_DATABASE: return "database error";
    case E8K_ERR_CHECK: return "check failed";
    }
    return "unknown status";
}

void e8k_error_clear(e8k_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    err->status = E8K_OK;
    err->offset = E8K_NO_OFFSET;
}

size_t e8k_line_of(const char *buf, size_t len, size_t offset)
{
    if (!buf || offset == E8K_NO_OFFSET)
        return 0;
    if (offset > len)
        offset = len;
    size_t line = 1;
    for (size_t i = 0; i < offset; i++) {
        if (buf[i] == '\n')
            line++;
        else if (buf[i] == '\r' && (i + 1 >= len || buf[i + 1] != '\n'))
            line++;
    }
    return line;
}

e8k_status e8k_fail(e8k_error *err, e8k_status status, const char *file,
                    const char *buf, size_t len, size_t offset,
                    const char *fmt, ...)
{
    if (!err)
        return status;
    err->status = status;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->offset = offset;
    err->line = e8k_line_of(buf, len, offset);
    err->rule[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    e8k_error_vset(err, fmt, ap);
    va_end(ap);
    return status;
}

void e8k_error_vset(e8k_error *err, const char *fmt, va_list ap)
{
    char raw[sizeof err->message];
    vsnprintf(raw, sizeof raw, fmt, ap);
    size_t n = strlen(raw);
    while (n && (raw[n - 1] == '\n' || raw[n - 1] == '\r'))
        raw[--n] = '\0'; /* a library's message may end in a newline */
    e8k_str_escape(raw, err->message, sizeof err->message);
}
