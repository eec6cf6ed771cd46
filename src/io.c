/* io.c: the library's only file access outside fetching: loading an input
 * whole, and saving a file atomically so that no reader ever sees a partial
 * file replace a good one. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

e8k_status e8k_file_load(const char *path, char **out, size_t *out_len,
                         e8k_error *err)
{
    *out = NULL;
    *out_len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return io_fail(err, path, "cannot open");
    struct stat st;
    if (fstat(fd, &st) != 0) {
        e8k_status s = io_fail(err, path, "cannot stat");
        close(fd);
        return s;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return e8k_fail(err, E8K_ERR_IO, path, NULL, 0, E8K_NO_OFFSET,
                        "not a regular file");
    }
    size_t size = (size_t)st.st_size;
    if (size > E8K_MAX_INPUT_SIZE) {
        close(fd);
        return e8k_fail(err, E8K_ERR_LIMIT, path, NULL, 0, E8K_NO_OFFSET,
                        "file is %zu bytes; the limit is %zu "
                        "(E8K_MAX_INPUT_SIZE)", size, E8K_MAX_INPUT_SIZE);
    }
    char *buf = malloc(size + 1);
    if (!buf) {
        close(fd);
        return e8k_fail(err, E8K_ERR_NOMEM, path, NULL, 0, E8K_NO_OFFSET,
                        "cannot allocate %zu bytes", size + 1);
    }
    size_t got = 0;
    e8k_status s = read_all(fd, path, buf, size, &got, err);
    close(fd);
    if (s != E8K_OK) {
        free(buf);
        return s;
    }
    buf[got] = '\0';
    *out = buf;
    *out_len = got;
    return E8K_OK;
}

static int write_all(int fd, const char *buf, size_t len)
{
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

/* fsync the directory so that the rename itself survives a crash. */
static void sync_dir(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return;
    int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    free(copy);
}

e8k_status e8k_file_save(const char *path, const char *buf, size_t len,
                         e8k_error *err)
{
    e8k_buf tmp = {0};
    if (e8k_buf_printf(&tmp, "%s.tmp.XXXXXX", path) != 0)
        return e8k_fail(err, E8K_ERR_NOMEM, path, NULL, 0, E8K_NO_OFFSET,
                        "cannot allocate a temporary name");
    int fd = mkstemp(tmp.data);
    if (fd < 0) {
        e8k_buf_free(&tmp);
        return io_fail(err, path, "cannot create a temporary file");
    }
    if (write_all(fd, buf, len) != 0 || fsync(fd) != 0) {
        e8k_status s = io_fail(err, path, "cannot write");
        close(fd);
        unlink(tmp.data);
        e8k_buf_free(&tmp);
        return s;
    }
    (void)fchmod(fd, 0644);
    close(fd);
    if (rename(tmp.data, path) != 0) {
        e8k_status s = io_fail(err, path, "cannot rename into place");
        unlink(tmp.data);
        e8k_buf_free(&tmp);
        return s;
    }
    e8k_buf_free(&tmp);
    sync_dir(path);
    return E8K_OK;
}
