/* SPDX-License-Identifier: MIT */
/* out.c: every command's output, checked. Records are gathered in memory
 * and leave in one write(2), so that records of processes sharing one pipe
 * or file (xargs -P, GNU parallel) never interleave: a regular file takes a
 * write whole; a pipe takes one whole only up to PIPE_BUF bytes, and a
 * longer one in pieces as it drains, so on a pipe every record is written
 * under a POSIX lock on the pipe that every edgar8k process takes.
 * -o FILE goes to a temporary file beside FILE, renamed over it only when
 * every write, the flush to disk and the close succeeded. The first failed
 * write is reported once; the exit status then says output was lost. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct {
    const char *cmd;
    const char *path; /* -o FILE, or NULL */
    char tmp[4096];   /* its temporary file, "" when none */
    int fd;
    int fifo;         /* a pipe: long records need the lock */
    int err;          /* errno of the first failed write, 0 */
    char *buf;
    size_t len, cap;
} out = {.fd = STDOUT_FILENO};

static void report(int e)
{
    if (out.err)
        return;
    out.err = e ? e : EIO;
    fprintf(stderr, "edgar8k %s: cannot write %s: %s\n",
            out.cmd ? out.cmd : "", out.path ? out.path : "standard output",
            strerror(out.err));
}

/* An interrupted run leaves no temporary file behind. */
static void on_signal(int sig)
{
    if (out.tmp[0])
        unlink(out.tmp);
    signal(sig, SIG_DFL);
    raise(sig);
}

int cli_out_open(const cli_spec *spec, const char *path)
{
    out.cmd = spec->name;
    out.fd = STDOUT_FILENO;
    if (path && !strcmp(path, "-"))
        path = NULL;
    out.path = path;
    if (!path) {
        struct stat st;
        out.fifo = fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode);
        return EXIT_OK;
    }
    if ((size_t)snprintf(out.tmp, sizeof out.tmp, "%s.tmp.XXXXXX", path) >=
        sizeof out.tmp) {
        out.tmp[0] = '\0';
        fprintf(stderr, "edgar8k %s: %s: name too long\n", spec->name, path);
        return EXIT_IO;
    }
    out.fd = mkstemp(out.tmp);
    if (out.fd < 0) {
        fprintf(stderr, "edgar8k %s: cannot write %s: %s\n", spec->name,
                path, strerror(errno));
        out.tmp[0] = '\0';
        return EXIT_IO;
    }
    /* The mode a plain create would give, not mkstemp's 0600. */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(out.fd, 0666 & ~mask);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    return EXIT_OK;
}

void cli_out_write(const char *s, size_t n)
{
    if (out.err || !n)
        return;
    if (out.len + n > out.cap) {
        size_t cap = out.cap ? out.cap : 65536;
        while (cap < out.len + n)
            cap *= 2;
        char *grown = realloc(out.buf, cap);
        if (!grown) {
            report(ENOMEM);
            return;
        }
        out.buf = grown;
        out.cap = cap;
    }
    memcpy(out.buf + out.len, s, n);
    out.len += n;
}

static int out_vprintf(const char *fmt, va_list ap)
{
    char small[512];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n >= 0 && (size_t)n < sizeof small) {
        cli_out_write(small, (size_t)n);
    } else if (n >= 0) {
        char *big = malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, again);
            cli_out_write(big, (size_t)n);
            free(big);
        } else {
            report(ENOMEM);
        }
    }
    va_end(again);
    return n < 0 ? 0 : n;
}

void cli_out_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    out_vprintf(fmt, ap);
    va_end(ap);
}

int cli_out_printf_width(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = out_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

static int write_all(const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(out.fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* A write lock on the whole pipe, waited for. A pipe that refuses locks
 * (ENOLCK) is written unlocked: the record still leaves in one write. */
static int lock_pipe(short type)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    while (fcntl(out.fd, F_SETLKW, &fl) != 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

int cli_out_record(void)
{
    if (out.err)
        return -1;
    if (!out.len)
        return 0;
    /* Every record, short ones too: a short write could land between the
     * pieces a pipe takes a long record in while it drains. */
    int locked = out.fifo && lock_pipe(F_WRLCK) == 0;
    int rc = write_all(out.buf, out.len);
    int e = errno;
    if (locked)
        lock_pipe(F_UNLCK);
    out.len = 0;
    if (rc != 0)
        report(e);
    return rc;
}

size_t cli_out_pending(void)
{
    return out.len;
}

int cli_out_ok(void)
{
    return !out.err;
}

int cli_out_close(int code)
{
    cli_out_record();
    free(out.buf);
    out.buf = NULL;
    out.cap = 0;
    if (out.path) {
        if (!out.err && fsync(out.fd) != 0)
            report(errno);
        if (close(out.fd) != 0)
            report(errno);
        out.fd = STDOUT_FILENO;
        if (!out.err && rename(out.tmp, out.path) != 0)
            report(errno);
        if (out.err)
            unlink(out.tmp);
        out.tmp[0] = '\0';
    }
    return out.err ? cli_worse(code, EXIT_IO) : code;
}

int cli_stdout_close(int code)
{
    /* What went through stdio (help, summaries, listings); an error seen
     * only now (a full disk at the last flush, NFS at close) still fails
     * the run. */
    int failed = fflush(stdout) != 0 || ferror(stdout);
    int e = errno;
    if (fclose(stdout) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    if (!failed || out.err)
        return out.err ? cli_worse(code, EXIT_IO) : code;
    fprintf(stderr, "edgar8k: cannot write standard output: %s\n",
            strerror(e ? e : EIO));
    return cli_worse(code, EXIT_IO);
}
