/* SPDX-License-Identifier: MIT */
/* io.c: the library's only file access outside fetching: loading an input
 * whole (a file, standard input as "-", or any stream such as a pipe, all
 * under one size limit), and saving a file atomically so that no reader
 * ever sees a partial file replace a good one. */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static e8k_status io_fail(e8k_error *err, const char *path, const char *what)
{
    return e8k_fail(err, E8K_ERR_IO, path, NULL, 0, E8K_NO_OFFSET, "%s: %s",
                    what, strerror(errno));
}

static e8k_status read_all(int fd, const char *path, char *buf, size_t want,
                           size_t *got, e8k_error *err)
{
    size_t len = 0;
    while (len < want) {
        ssize_t n = read(fd, buf + len, want - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return io_fail(err, path, "cannot read");
        if (n == 0)
            break;
        len += (size_t)n;
    }
    *got = len;
    return E8K_OK;
}

static e8k_status over_limit(e8k_error *err, const char *name, size_t limit)
{
    return e8k_fail(err, E8K_ERR_LIMIT, name, NULL, 0, E8K_NO_OFFSET,
                    "input is over %zu bytes, the limit (E8K_MAX_INPUT_SIZE)",
                    limit);
}

/* A stream has no size to ask for: it is read in growing chunks until its
 * end, and refused as soon as it holds more than `limit` bytes, the limit a
 * regular file meets by its size. */
e8k_status e8k_stream_load(int fd, const char *name, size_t limit,
                           char **out, size_t *out_len, e8k_error *err)
{
    *out = NULL;
    *out_len = 0;
    size_t cap = 0, len = 0;
    char *buf = NULL;
    e8k_status s = E8K_OK;
    while (s == E8K_OK) {
        if (len == cap) {
            /* Up to one byte past the limit, which tells it is passed. */
            size_t next = cap ? cap * 2 : (size_t)1 << 16;
            next = next > limit + 1 ? limit + 1 : next;
            char *grown = realloc(buf, next + 1);
            if (!grown) {
                s = e8k_fail(err, E8K_ERR_NOMEM, name, NULL, 0, E8K_NO_OFFSET,
                             "cannot allocate %zu bytes", next + 1);
                break;
            }
            buf = grown;
            cap = next;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            s = io_fail(err, name, "cannot read");
        else if (n == 0)
            break;
        else if ((len += (size_t)n) > limit)
            s = over_limit(err, name, limit);
    }
    if (s != E8K_OK) {
        free(buf);
        return s;
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return E8K_OK;
}

static e8k_status load_regular(int fd, const char *path, size_t size,
                               char **out, size_t *out_len, e8k_error *err)
{
    if (size > E8K_MAX_INPUT_SIZE)
        return e8k_fail(err, E8K_ERR_LIMIT, path, NULL, 0, E8K_NO_OFFSET,
                        "file is %zu bytes; the limit is %zu "
                        "(E8K_MAX_INPUT_SIZE)", size, E8K_MAX_INPUT_SIZE);
    char *buf = malloc(size + 1);
    if (!buf)
        return e8k_fail(err, E8K_ERR_NOMEM, path, NULL, 0, E8K_NO_OFFSET,
                        "cannot allocate %zu bytes", size + 1);
    size_t got = 0;
    e8k_status s = read_all(fd, path, buf, size, &got, err);
    if (s != E8K_OK) {
        free(buf);
        return s;
    }
    buf[got] = '\0';
    *out = buf;
    *out_len = got;
    return E8K_OK;
}

e8k_status e8k_file_load(const char *path, char **out, size_t *out_len,
                         e8k_error *err)
{
    *out = NULL;
    *out_len = 0;
    int is_stdin = !strcmp(path, "-");
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return io_fail(err, path, "cannot open");
    struct stat st;
    e8k_status s;
    if (fstat(fd, &st) != 0)
        s = io_fail(err, path, "cannot stat");
    else if (S_ISDIR(st.st_mode))
        s = e8k_fail(err, E8K_ERR_IO, path, NULL, 0, E8K_NO_OFFSET,
                     "is a directory, not a file");
    else if (S_ISREG(st.st_mode) && !is_stdin)
        s = load_regular(fd, path, (size_t)st.st_size, out, out_len, err);
    else /* standard input may be a file moved past its start: read on */
        s = e8k_stream_load(fd, path, E8K_MAX_INPUT_SIZE, out, out_len, err);
    if (!is_stdin)
        close(fd);
    return s;
}

int e8k_write_all(int fd, const void *data, size_t len)
{
    const char *buf = data;
    while (len) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* ---- Temporary files owned by their process ----------------------------- */

/* A temporary file is locked (flock) by its writer for as long as it
 * lives: a sweep removes only those no live process holds, so a second
 * edgar8k never deletes the first one's file in mid-write, and one a
 * killed run left behind goes at the next sweep. */

int e8k_tmp_create(int dirfd, const char *base, char *name, size_t n)
{
    static unsigned counter;
    for (int tries = 0; tries < 100; tries++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned r = (unsigned)ts.tv_nsec ^ (unsigned)getpid() * 2654435761u ^
                     __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED) * 40503u;
        if (snprintf(name, n, "%s.tmp.%ld.%08x", base, (long)getpid(), r) >=
            (int)n) {
            errno = ENAMETOOLONG;
            return -1;
        }
        int fd = openat(dirfd, name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC |
                                         O_NOFOLLOW, 0600);
        if (fd < 0 && errno == EEXIST)
            continue;
        if (fd < 0)
            return -1;
        struct stat st;
        /* A sweep that locked the file between its creation and our lock
         * removed it: start again with another name. */
        if (flock(fd, LOCK_EX) == 0 && fstat(fd, &st) == 0 && st.st_nlink > 0)
            return fd;
        close(fd);
    }
    errno = EEXIST;
    return -1;
}

static int is_tmp_name(const char *n)
{
    return n[0] != '.' && strstr(n, ".tmp.") != NULL;
}

void e8k_tmp_sweep(int dirfd)
{
    int dup_fd = dup(dirfd);
    DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!d) {
        if (dup_fd >= 0)
            close(dup_fd);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!is_tmp_name(de->d_name))
            continue;
        /* a regular file in this very directory: never through a link */
        int fd = openat(dirfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
                                               O_NONBLOCK);
        struct stat st;
        if (fd < 0)
            continue;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
            flock(fd, LOCK_EX | LOCK_NB) == 0) /* no live writer holds it */
            (void)unlinkat(dirfd, de->d_name, 0);
        close(fd); /* releases the lock */
    }
    closedir(d);
}

/* fsync the directory so that the rename itself survives a crash. */
static void sync_dirfd(int dirfd)
{
    (void)fsync(dirfd);
}

static int open_parent(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    return dfd;
}

e8k_status e8k_file_save_at(int dirfd, const char *name, const char *buf,
                            size_t len, const char *path, e8k_error *err)
{
    char tmp[4096];
    int fd = e8k_tmp_create(dirfd, name, tmp, sizeof tmp);
    if (fd < 0)
        return io_fail(err, path, "cannot create a temporary file");
    if (e8k_write_all(fd, buf, len) != 0 || fsync(fd) != 0) {
        e8k_status s = io_fail(err, path, "cannot write");
        unlinkat(dirfd, tmp, 0);
        close(fd);
        return s;
    }
    (void)fchmod(fd, 0644);
    if (renameat(dirfd, tmp, dirfd, name) != 0) {
        e8k_status s = io_fail(err, path, "cannot rename into place");
        unlinkat(dirfd, tmp, 0);
        close(fd);
        return s;
    }
    close(fd); /* after the rename: the temporary was ours until then */
    sync_dirfd(dirfd);
    return E8K_OK;
}

e8k_status e8k_file_save(const char *path, const char *buf, size_t len,
                         e8k_error *err)
{
    int dfd = open_parent(path);
    if (dfd < 0)
        return io_fail(err, path, "cannot create a temporary file in its "
                                  "directory");
    const char *slash = strrchr(path, '/');
    e8k_status s = e8k_file_save_at(dfd, slash ? slash + 1 : path, buf, len,
                                    path, err);
    close(dfd);
    return s;
}
