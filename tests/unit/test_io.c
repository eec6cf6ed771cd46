/* test_io.c: loading files and streams and atomic saves: a save never
 * leaves a partial file in place of a good one, a pipe or standard input
 * reads like a file under the same limit, and errors name the file. */
#include "internal.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

static char dir[64];

static void setup(void)
{
    strcpy(dir, "/tmp/e8k-io-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(io, .init = setup, .fini = teardown);

Test(io, save_then_load_round_trips)
{
    char path[128];
    snprintf(path, sizeof path, "%s/a.txt", dir);
    e8k_error err;
    cr_assert_eq(e8k_file_save(path, "hello\0world", 11, &err), E8K_OK);
    char *buf = NULL;
    size_t len = 0;
    cr_assert_eq(e8k_file_load(path, &buf, &len, &err), E8K_OK);
    cr_assert_eq(len, 11);
    cr_assert_eq(memcmp(buf, "hello\0world", 11), 0);
    cr_assert_eq(buf[len], '\0', "loaded buffers are NUL-terminated");
    free(buf);
}

Test(io, save_replaces_and_leaves_no_temporary)
{
    char path[128];
    snprintf(path, sizeof path, "%s/b.txt", dir);
    e8k_error err;
    cr_assert_eq(e8k_file_save(path, "old", 3, &err), E8K_OK);
    cr_assert_eq(e8k_file_save(path, "newer", 5, &err), E8K_OK);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_size, 5);
    DIR *d = opendir(dir);
    int entries = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.')
            entries++;
    closedir(d);
    cr_assert_eq(entries, 1, "the temporary file was renamed, not left");
}

Test(io, save_into_missing_directory_fails_and_names_file)
{
    char path[128];
    snprintf(path, sizeof path, "%s/missing/c.txt", dir);
    e8k_error err;
    cr_assert_eq(e8k_file_save(path, "x", 1, &err), E8K_ERR_IO);
    cr_assert_str_eq(err.file, path);
    cr_assert_not_null(strstr(err.message, "temporary"));
}

Test(io, load_missing_file_is_io_error)
{
    char *buf = (char *)1;
    size_t len = 7;
    e8k_error err;
    cr_assert_eq(e8k_file_load("/nonexistent/x.txt", &buf, &len, &err),
                 E8K_ERR_IO);
    cr_assert_null(buf);
    cr_assert_eq(len, 0);
    cr_assert_str_eq(err.file, "/nonexistent/x.txt");
    cr_assert_not_null(strstr(err.message, "No such file"));
}

Test(io, load_directory_is_refused)
{
    char *buf = NULL;
    size_t len = 0;
    e8k_error err;
    cr_assert_eq(e8k_file_load(dir, &buf, &len, &err), E8K_ERR_IO);
    cr_assert_not_null(strstr(err.message, "directory"));
}

/* A child writes `n` bytes of a pattern into the pipe's write end and
 * exits; returns the read end. */
static int pipe_of(size_t n)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        close(fds[0]);
        char chunk[4096];
        for (size_t i = 0; i < sizeof chunk; i++)
            chunk[i] = (char)('a' + i % 26);
        while (n) {
            size_t k = n < sizeof chunk ? n : sizeof chunk;
            if (write(fds[1], chunk, k) != (ssize_t)k)
                _exit(1);
            n -= k;
        }
        _exit(0);
    }
    close(fds[1]);
    return fds[0];
}

Test(io, load_reads_a_pipe_through_dev_fd)
{
    /* Larger than the first chunk, so that the buffer grows. */
    size_t want = 200000;
    int fd = pipe_of(want);
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", fd);
    char *buf = NULL;
    size_t len = 0;
    e8k_error err;
    cr_assert_eq(e8k_file_load(path, &buf, &len, &err), E8K_OK, "%s",
                 err.message);
    cr_assert_eq(len, want);
    cr_assert_eq(buf[0], 'a');
    cr_assert_eq(buf[26], 'a');
    cr_assert_eq(buf[len], '\0');
    free(buf);
    close(fd);
}

Test(io, load_dash_is_standard_input)
{
    int fd = pipe_of(5000);
    int saved = dup(STDIN_FILENO);
    cr_assert_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
    char *buf = NULL;
    size_t len = 0;
    e8k_error err;
    e8k_status st = e8k_file_load("-", &buf, &len, &err);
    dup2(saved, STDIN_FILENO);
    close(saved);
    close(fd);
    cr_assert_eq(st, E8K_OK, "%s", err.message);
    cr_assert_eq(len, 5000);
    free(buf);
}

Test(io, stream_over_the_limit_is_refused)
{
    int fd = pipe_of(70000);
    char *buf = (char *)1;
    size_t len = 0;
    e8k_error err;
    cr_assert_eq(e8k_stream_load(fd, "p", 65536, &buf, &len, &err),
                 E8K_ERR_LIMIT);
    cr_assert_null(buf);
    cr_assert_str_eq(err.file, "p");
    cr_assert_not_null(strstr(err.message, "65536"));
    close(fd);
    /* Exactly at the limit is still read. */
    fd = pipe_of(65536);
    cr_assert_eq(e8k_stream_load(fd, "p", 65536, &buf, &len, &err), E8K_OK);
    cr_assert_eq(len, 65536);
    free(buf);
    close(fd);
}

Test(io, empty_stream_gives_an_empty_buffer)
{
    int fd = pipe_of(0);
    char *buf = NULL;
    size_t len = 1;
    e8k_error err;
    cr_assert_eq(e8k_stream_load(fd, "p", 10, &buf, &len, &err), E8K_OK);
    cr_assert_eq(len, 0);
    cr_assert_eq(buf[0], '\0');
    free(buf);
    close(fd);
}
