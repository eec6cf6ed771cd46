/* SPDX-License-Identifier: MIT */
/* ingest_walk.c: the inputs of `edgar8k ingest` walked in the caller's
 * thread: files, directory trees read in sorted order and Feed tarballs,
 * each handed to the pipeline (ingest.c) as it is found. Nothing is passed
 * over without a word: each directory is read once per input however many
 * links lead to it (a symbolic link loop ends and is reported, so is a
 * second link), and directories past E8K_INGEST_MAX_DEPTH and pipes or
 * devices below a directory are reported as warnings in input order. */
#include "ingest_int.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static e8k_status walk_nomem(e8k_error *err)
{
    return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                    "out of memory");
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's entries (no dot files), sorted bytewise so that every
 * run reads the same inputs in the same order. */
static char **list_dir(const char *path, size_t *n)
{
    *n = 0;
    DIR *d = opendir(path);
    if (!d)
        return NULL;
    char **names = NULL;
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || E8K_GROW(names, cap, *n + 1))
            continue;
        char *copy = e8k_strndup(de->d_name, strlen(de->d_name));
        if (copy)
            names[(*n)++] = copy;
    }
    closedir(d);
    if (*n)
        qsort(names, *n, sizeof *names, name_cmp);
    return names;
}

/* The directories a walk has read, by device and inode: a directory is
 * read once, however many links lead to it, so that a symbolic link loop
 * ends and a tree linked twice is not read twice. */
typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id;

typedef struct walk_ctx {
    e8k_ingest *ing;
    int counting;
    size_t count;
    e8k_error *err;
    dir_id *seen; /* open addressing; ino 0 and dev 0 mark a free slot */
    size_t nseen, capseen;
    dir_id *path; /* the directories being read, outermost first */
    size_t depth, cappath;
} walk_ctx;

static size_t dir_hash(dir_id d, size_t mask)
{
    uint64_t h = ((uint64_t)d.dev * 0x9E3779B97F4A7C15u) ^ (uint64_t)d.ino;
    return (size_t)(h ^ (h >> 29)) & mask;
}

/* 1 when d was seen before, 0 when added now, -1 when out of memory. */
static int seen_add(walk_ctx *w, dir_id d)
{
    if (2 * (w->nseen + 1) > w->capseen) {
        size_t cap = w->capseen ? 2 * w->capseen : 256;
        dir_id *t = calloc(cap, sizeof *t);
        if (!t)
            return -1;
        for (size_t i = 0; i < w->capseen; i++)
            if (w->seen[i].dev || w->seen[i].ino) {
                size_t k = dir_hash(w->seen[i], cap - 1);
                while (t[k].dev || t[k].ino)
                    k = (k + 1) & (cap - 1);
                t[k] = w->seen[i];
            }
        free(w->seen);
        w->seen = t;
        w->capseen = cap;
    }
    size_t k = dir_hash(d, w->capseen - 1);
    for (; w->seen[k].dev || w->seen[k].ino; k = (k + 1) & (w->capseen - 1))
        if (w->seen[k].dev == d.dev && w->seen[k].ino == d.ino)
            return 1;
    w->seen[k] = d;
    w->nseen++;
    return 0;
}

/* An input passed over: reported by the writer in its turn (never while
 * counting). */
static e8k_status walk_warn(walk_ctx *w, const char *path, const char *fmt,
                            ...) E8K_PRINTF(3, 4);
static e8k_status walk_warn(walk_ctx *w, const char *path, const char *fmt,
                            ...)
{
    if (w->counting)
        return E8K_OK;
    va_list ap;
    va_start(ap, fmt);
    e8k_status st = e8k_ingest_submit_warning(w->ing, path, w->err, fmt, ap);
    va_end(ap);
    return st;
}

static e8k_status walk(walk_ctx *w, const char *path, int top);

static e8k_status walk_dir(walk_ctx *w, const char *path)
{
    size_t n = 0;
    char **names = list_dir(path, &n);
    e8k_status st = E8K_OK;
    for (size_t i = 0; i < n; i++) {
        if (st == E8K_OK) {
            size_t len = strlen(path) + strlen(names[i]) + 2;
            char *child = malloc(len);
            if (!child)
                st = walk_nomem(w->err);
            else {
                snprintf(child, len, "%s/%s", path, names[i]);
                st = walk(w, child, 0);
                free(child);
            }
        }
        free(names[i]);
    }
    free(names);
    return st;
}

/* A directory, unless it was read already (a loop, or a second link). */
static e8k_status enter_dir(walk_ctx *w, const char *path,
                            const struct stat *sb)
{
    dir_id d = {sb->st_dev, sb->st_ino};
    int seen = seen_add(w, d);
    if (seen < 0)
        return walk_nomem(w->err);
    if (seen) {
        for (size_t i = 0; i < w->depth; i++)
            if (w->path[i].dev == d.dev && w->path[i].ino == d.ino)
                return walk_warn(w, path, "a symbolic link loop: this is a "
                                 "directory being read (%zu level%s up); not "
                                 "read again", w->depth - i,
                                 w->depth - i == 1 ? "" : "s");
        return walk_warn(w, path, "a directory already read through another "
                         "path; not read again");
    }
    if (w->depth >= E8K_INGEST_MAX_DEPTH)
        return walk_warn(w, path, "directories nested deeper than %d "
                         "(E8K_INGEST_MAX_DEPTH); not read",
                         E8K_INGEST_MAX_DEPTH);
    if (E8K_GROW(w->path, w->cappath, w->depth + 1) != 0)
        return walk_nomem(w->err);
    w->path[w->depth++] = d;
    e8k_status st = walk_dir(w, path);
    w->depth--;
    return st;
}

/* `top`: named by the caller, so read whatever its name or kind ("-" is
 * standard input, a pipe is read to its end); below a directory filing
 * files and tarballs are read, other files are reported as no filing by
 * their names, and a pipe or device named as a filing is reported. */
static e8k_status walk(walk_ctx *w, const char *path, int top)
{
    struct stat sb;
    if (!strcmp(path, "-") || stat(path, &sb) != 0) {
        if (w->counting)
            return w->count++, E8K_OK;
        /* reads standard input, or reports why the path cannot be read */
        return e8k_ingest_submit_file(w->ing, path, 0, NULL, w->err);
    }
    if (S_ISDIR(sb.st_mode))
        return enter_dir(w, path, &sb);
    int tarball = e8k_ingest_is_tarball(path);
    const char *kind = top || tarball ? NULL : e8k_ingest_name_kind(path);
    int special = !S_ISREG(sb.st_mode);
    if (special && !top)
        return kind ? E8K_OK /* a device or pipe inside a tree: no input */
                    : walk_warn(w, path, "not a regular file (a pipe, a "
                                "device): not read below a directory");
    if (w->counting) {
        w->count += tarball ? 0 : 1;
        return E8K_OK;
    }
    return tarball && !special
               ? e8k_ingest_submit_tarball(w->ing, path, w->err)
               : e8k_ingest_submit_file(w->ing, path, special ? 0 : (size_t)sb.st_size,
                             kind, w->err);
}

/* The walk of one input `path`, submitting what it finds, or with `count`
 * only counting the inputs it would submit. */
e8k_status e8k_ingest_walk(e8k_ingest *ing, const char *path, size_t *count,
                           e8k_error *err)
{
    walk_ctx w = {ing, count != NULL, 0, err, NULL, 0, 0, NULL, 0, 0};
    e8k_status st = walk(&w, path, 1);
    free(w.seen);
    free(w.path);
    if (count)
        *count = w.count;
    return st;
}
