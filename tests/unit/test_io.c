/* test_io.c: loading files and atomic saves: a save never leaves a partial
 * file in place of a good one, and errors name the file. */
#include "edgar8k.h"

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
    cr_assert_not_null(strstr(err.message, "regular file"));
}
