/* SPDX-License-Identifier: MIT */
/* store_files.c: the local filing store that `edgar8k fetch` fills: a tree
 * DIR/CIK/ACCESSIONNODASH/ holding each submission and, beside it, its
 * index entry with size and sha256. Files are written atomically and the
 * entry last, so a run killed at any moment leaves either nothing or a
 * verified filing, and a rerun can tell which without the network. Below
 * DIR nothing is followed through a symbolic link, and a temporary file is
 * removed only when no live process holds it (io.c). */
#include "fetch_int.h"

#include "e8k_json.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Layout ------------------------------------------------------------ */

static char *filing_dir(const char *dir, const e8k_index_entry *e)
{
    e8k_buf b = {0};
    char nodash[19];
    e8k_accession_nodash(e->accession, nodash);
    if (e8k_buf_printf(&b, "%s/%s/%s", dir, e->cik, nodash) != 0) {
        e8k_buf_free(&b);
        return NULL;
    }
    return b.data;
}

static char *filing_file(const char *dir, const e8k_index_entry *e,
                         const char *suffix)
{
    char *d = filing_dir(dir, e);
    e8k_buf b = {0};
    if (!d || e8k_buf_printf(&b, "%s/%s%s", d, e->accession, suffix) != 0)
        e8k_buf_free(&b);
    free(d);
    return b.data;
}

char *e8k_filestore_path(const char *dir, const e8k_index_entry *e,
                     const char *ext)
{
    char suffix[16];
    snprintf(suffix, sizeof suffix, ".%s", ext);
    return filing_file(dir, e, suffix);
}

char *e8k_filestore_entry_path(const char *dir, const e8k_index_entry *e)
{
    return filing_file(dir, e, ".json");
}

e8k_status e8k_mkdirs(const char *dir, e8k_error *err)
{
    char *p = strdup(dir);
    if (!p)
        return e8k_fail(err, E8K_ERR_NOMEM, dir, NULL, 0, E8K_NO_OFFSET,
                        "out of memory");
    for (char *s = p + 1;; s++) {
        char c = *s;
        if (c != '/' && c != '\0')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            e8k_status st = e8k_fail(err, E8K_ERR_IO, p, NULL, 0,
                                     E8K_NO_OFFSET, "cannot create directory:"
                                     " %s", strerror(errno));
            free(p);
            return st;
        }
        *s = c;
        if (c == '\0')
            break;
    }
    free(p);
    return E8K_OK;
}

/* One directory below `fd`, never through a symbolic link: what lies
 * below the store's root is the store's own, and nothing outside it is
 * ever read, written or removed through a link planted there. */
static int open_below(int fd, const char *name, int create)
{
    int d = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (d < 0 && errno == ENOENT && create) {
        if (mkdirat(fd, name, 0755) != 0 && errno != EEXIST)
            return -1;
        d = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    return d;
}

int e8k_filestore_dirfd(const char *dir, const e8k_index_entry *e,
                        int create)
{
    char nodash[19];
    e8k_accession_nodash(e->accession, nodash);
    int root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
        return -1;
    int cik = open_below(root, e->cik, create);
    int keep = errno;
    close(root);
    if (cik < 0) {
        errno = keep;
        return -1;
    }
    int acc = open_below(cik, nodash, create);
    keep = errno;
    close(cik);
    errno = keep;
    return acc;
}

/* The error for a filing directory that could not be opened. */
static e8k_status dir_fail(const char *dir, const e8k_index_entry *e,
                           e8k_error *err)
{
    char *fdir = filing_dir(dir, e);
    e8k_status st = e8k_fail(err, E8K_ERR_IO, fdir ? fdir : dir, NULL, 0,
                             E8K_NO_OFFSET, "%s",
                             errno == ELOOP || errno == ENOTDIR
                                 ? "not a directory of the store (a "
                                   "symbolic link?): nothing is written "
                                   "through it"
                                 : strerror(errno));
    free(fdir);
    return st;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* ---- Presence and verification ----------------------------------------- */

/* Whether dirfd/name is a regular file of `size` bytes whose sha256 is
 * `sha`; read in pieces, so that a gigabyte filing costs no gigabyte. */
static int file_matches(int dirfd, const char *name, json_int_t size,
                        const char *sha)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return 0;
    int ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
             (json_int_t)st.st_size == size;
    e8k_sha256 c;
    e8k_sha256_init(&c);
    char *buf = ok ? malloc(1 << 20) : NULL;
    ok = ok && buf;
    for (ssize_t n; ok && (n = read(fd, buf, 1 << 20)) != 0;) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            ok = 0;
        else
            e8k_sha256_update(&c, buf, (size_t)n);
    }
    free(buf);
    close(fd);
    char hex[65];
    if (ok)
        e8k_sha256_final(&c, hex);
    return ok && !strcmp(hex, sha);
}

/* The small JSON file dirfd/name, or NULL. */
static json_t *load_json_at(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    FILE *fp = fdopen(fd, "r");
    if (!fp) {
        close(fd);
        return NULL;
    }
    json_t *root = json_loadf(fp, 0, NULL);
    fclose(fp);
    return root;
}

int e8k_filestore_has(const char *dir, const e8k_index_entry *e)
{
    int fd = e8k_filestore_dirfd(dir, e, 0);
    if (fd < 0)
        return 0;
    /* what a killed run left behind; never another live run's file */
    e8k_tmp_sweep(fd);
    char entry[64];
    snprintf(entry, sizeof entry, "%s.json", e->accession);
    json_t *root = load_json_at(fd, entry);
    const char *file = json_string_value(json_object_get(root, "file"));
    const char *sha = json_string_value(json_object_get(root, "sha256"));
    json_t *size = json_object_get(root, "size");
    int ok = file && sha && json_is_integer(size) && !strchr(file, '/') &&
             file_matches(fd, file, json_integer_value(size), sha);
    json_decref(root);
    close(fd);
    return ok;
}

long e8k_filestore_head(const char *dir, const e8k_index_entry *e,
                        char *buf, size_t cap)
{
    int fd = e8k_filestore_dirfd(dir, e, 0);
    if (fd < 0)
        return -1;
    char entry[64];
    snprintf(entry, sizeof entry, "%s.json", e->accession);
    json_t *root = load_json_at(fd, entry);
    const char *file = json_string_value(json_object_get(root, "file"));
    int ffd = file && !strchr(file, '/')
                  ? openat(fd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
    json_decref(root);
    close(fd);
    if (ffd < 0)
        return -1;
    size_t got = 0;
    while (got < cap) {
        ssize_t n = read(ffd, buf + got, cap - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(ffd);
    return (long)got;
}

/* ---- Writing ------------------------------------------------------------ */

static char *entry_json(const e8k_index_entry *e, const char *file,
                        const char *url, size_t len, const char *sha)
{
    /* strings as UTF-8 whatever their source sent (e8k_json_str) */
    json_t *o = json_object();
    int fail = !o ||
               json_object_set_new(o, "cik", e8k_json_str(e->cik)) ||
               json_object_set_new(o, "accession", e8k_json_str(e->accession)) ||
               json_object_set_new(o, "form", e8k_json_str(e->form)) ||
               json_object_set_new(o, "company", e8k_json_str(e->company)) ||
               json_object_set_new(o, "filed", e8k_json_str(e->date)) ||
               json_object_set_new(o, "file", e8k_json_str(file)) ||
               json_object_set_new(o, "url", e8k_json_str(url)) ||
               json_object_set_new(o, "size", json_integer((json_int_t)len)) ||
               json_object_set_new(o, "sha256", e8k_json_str(sha));
    char *s = fail ? NULL
                   : json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

/* The file `tmp` (in dirfd, written and synced) becomes the filing, then
 * its entry vouches for it. */
static e8k_status commit(int dirfd, const char *dir, const e8k_index_entry *e,
                         const char *ext, const char *url, const char *tmp,
                         size_t len, const char *sha, e8k_error *err)
{
    char *path = e8k_filestore_path(dir, e, ext);
    char *entry = e8k_filestore_entry_path(dir, e);
    char *json = path ? entry_json(e, base_name(path), url, len, sha) : NULL;
    e8k_status st = E8K_OK;
    if (!path || !entry || !json)
        st = e8k_fail(err, E8K_ERR_NOMEM, url, NULL, 0, E8K_NO_OFFSET,
                      "out of memory");
    /* The entry goes first out of the way: a stale entry beside a new file
     * would otherwise vouch for bytes it never saw. */
    else if (unlinkat(dirfd, base_name(entry), 0) != 0 && errno != ENOENT)
        st = e8k_fail(err, E8K_ERR_IO, entry, NULL, 0, E8K_NO_OFFSET,
                      "cannot replace: %s", strerror(errno));
    else if (renameat(dirfd, tmp, dirfd, base_name(path)) != 0)
        st = e8k_fail(err, E8K_ERR_IO, path, NULL, 0, E8K_NO_OFFSET,
                      "cannot rename into place: %s", strerror(errno));
    else
        st = e8k_file_save_at(dirfd, base_name(entry), json, strlen(json),
                              entry, err);
    free(json);
    free(entry);
    free(path);
    return st;
}

e8k_status e8k_filestore_put(const char *dir, const e8k_index_entry *e,
                         const char *ext, const char *url, const char *data,
                         size_t len, e8k_error *err)
{
    if (!e8k_submission_looks_complete(data, len))
        return e8k_fail(err, E8K_ERR_MALFORMED, url, data, len, 0,
                        "not a complete EDGAR submission (expected "
                        "<SEC-DOCUMENT>, <SUBMISSION>, PEM or <DOCUMENT> "
                        "through its closing line); not stored");
    int fd = e8k_filestore_dirfd(dir, e, 1);
    if (fd < 0)
        return dir_fail(dir, e, err);
    char hex[65], tmp[128], base[64];
    e8k_sha256_hex(data, len, hex);
    snprintf(base, sizeof base, "%s.%s", e->accession, ext);
    int tfd = e8k_tmp_create(fd, base, tmp, sizeof tmp);
    e8k_status st = E8K_OK;
    if (tfd < 0)
        st = e8k_fail(err, E8K_ERR_IO, url, NULL, 0, E8K_NO_OFFSET,
                      "cannot create a temporary file: %s", strerror(errno));
    else {
        /* e8k_filestore_put_tmp syncs it: once is enough */
        if (e8k_write_all(tfd, data, len) != 0)
            st = e8k_fail(err, E8K_ERR_IO, url, NULL, 0, E8K_NO_OFFSET,
                          "cannot write the filing: %s", strerror(errno));
        else
            st = e8k_filestore_put_tmp(fd, dir, e, ext, url, tmp, tfd, len,
                                       hex, err);
        if (st != E8K_OK)
            (void)unlinkat(fd, tmp, 0);
        close(tfd);
    }
    close(fd);
    return st;
}

e8k_status e8k_filestore_put_tmp(int dirfd, const char *dir,
                                 const e8k_index_entry *e, const char *ext,
                                 const char *url, const char *tmp, int tmpfd,
                                 size_t len, const char *sha, e8k_error *err)
{
    (void)fchmod(tmpfd, 0644);
    if (fsync(tmpfd) != 0)
        return e8k_fail(err, E8K_ERR_IO, url, NULL, 0, E8K_NO_OFFSET,
                        "cannot write the filing: %s", strerror(errno));
    return commit(dirfd, dir, e, ext, url, tmp, len, sha, err);
}

/* ---- Feed markers ------------------------------------------------------ */

char *e8k_filestore_feed_marker(const char *dir, const char *date,
                                const char *const *forms, size_t nforms)
{
    e8k_buf key = {0}, path = {0};
    for (size_t i = 0; i < nforms; i++)
        if (e8k_buf_printf(&key, "%s\n", forms[i]) != 0)
            goto fail;
    char hex[65];
    e8k_sha256_hex(key.data ? key.data : "", key.len, hex);
    if (e8k_buf_printf(&path, "%s/.feeds/%.10s-%.12s.json", dir, date,
                       hex) != 0)
        goto fail;
    e8k_buf_free(&key);
    return path.data;
fail:
    e8k_buf_free(&key);
    e8k_buf_free(&path);
    return NULL;
}

int e8k_filestore_feed_load(const char *marker, e8k_index_list *out)
{
    json_t *root = json_load_file(marker, 0, NULL);
    json_t *arr = json_object_get(root, "filings"), *v;
    size_t i;
    int rc = json_is_array(arr) ? 0 : -1;
    json_array_foreach(arr, i, v) {
        e8k_index_entry e = {0};
        const char *cik = json_string_value(json_object_get(v, "cik"));
        const char *acc = json_string_value(json_object_get(v, "accession"));
        const char *date = json_string_value(json_object_get(v, "filed"));
        e.form = json_string_value(json_object_get(v, "form"));
        e.company = json_string_value(json_object_get(v, "company"));
        if (!cik || !acc || !date || strlen(date) != 10 || !e.form ||
            !e.company || e8k_cik_normalize(cik, strlen(cik), e.cik) != 0 ||
            e8k_accession_normalize(acc, strlen(acc), e.accession) != 0) {
            rc = -1;
            break;
        }
        memcpy(e.date, date, 11);
        if (e8k_index_list_add(out, &e) != 0) {
            rc = -1;
            break;
        }
    }
    json_decref(root);
    return rc;
}

e8k_status e8k_filestore_feed_done(const char *marker,
                                   const e8k_index_list *kept,
                                   e8k_error *err)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < kept->n; i++) {
        const e8k_index_entry *e = &kept->items[i];
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s}",
                              "cik", e->cik, "accession", e->accession,
                              "form", e->form, "filed", e->date,
                              "company", e->company));
    }
    json_t *root = json_pack("{s:o}", "filings", arr);
    char *s = root ? json_dumps(root, JSON_INDENT(1)) : NULL;
    json_decref(root);
    char *dir = strdup(marker);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    e8k_status st;
    if (!s || !slash)
        st = e8k_fail(err, E8K_ERR_NOMEM, marker, NULL, 0, E8K_NO_OFFSET,
                      "out of memory");
    else {
        *slash = '\0';
        st = e8k_mkdirs(dir, err);
        if (st == E8K_OK)
            st = e8k_file_save(marker, s, strlen(s), err);
    }
    free(dir);
    free(s);
    return st;
}

/* ---- Index cache ------------------------------------------------------- */

static char *cache_path(const char *dir, const char *url, const char *ext)
{
    char hex[65];
    e8k_buf b = {0};
    e8k_sha256_hex(url, strlen(url), hex);
    if (e8k_buf_printf(&b, "%s/.cache/%.32s.%s", dir, hex, ext) != 0)
        e8k_buf_free(&b);
    return b.data;
}

static void copy_field(json_t *o, const char *key, char *out, size_t cap)
{
    const char *v = json_string_value(json_object_get(o, key));
    snprintf(out, cap, "%s", v ? v : "");
}

int e8k_filestore_cache_get(const char *dir, const char *url,
                            e8k_cache_entry *out)
{
    char *meta = cache_path(dir, url, "json");
    char *body = cache_path(dir, url, "body");
    json_t *o = meta ? json_load_file(meta, 0, NULL) : NULL;
    const char *u = json_string_value(json_object_get(o, "url"));
    const char *sha = json_string_value(json_object_get(o, "sha256"));
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (u && sha && !strcmp(u, url) && body &&
        e8k_file_load(body, &out->body, &out->len, NULL) == E8K_OK) {
        char hex[65];
        e8k_sha256_hex(out->body, out->len, hex);
        rc = strcmp(hex, sha) ? -1 : 0;
        copy_field(o, "etag", out->etag, sizeof out->etag);
        copy_field(o, "last_modified", out->last_modified,
                   sizeof out->last_modified);
    }
    if (rc != 0) {
        free(out->body);
        memset(out, 0, sizeof *out);
    }
    json_decref(o);
    free(meta);
    free(body);
    return rc;
}

void e8k_filestore_cache_put(const char *dir, const char *url,
                             const char *body, size_t len, const char *etag,
                             const char *last_modified)
{
    char *meta = cache_path(dir, url, "json");
    char *bpath = cache_path(dir, url, "body");
    e8k_buf cdir = {0};
    char hex[65];
    e8k_sha256_hex(body, len, hex);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "url", url, "etag", etag,
                          "last_modified", last_modified, "sha256", hex);
    char *s = o ? json_dumps(o, JSON_INDENT(1)) : NULL;
    if (s && meta && bpath && e8k_buf_printf(&cdir, "%s/.cache", dir) == 0 &&
        e8k_mkdirs(cdir.data, NULL) == E8K_OK) {
        /* The meta goes last: it vouches for the body by its digest. */
        (void)unlink(meta);
        if (e8k_file_save(bpath, body, len, NULL) == E8K_OK)
            (void)e8k_file_save(meta, s, strlen(s), NULL);
    }
    json_decref(o);
    free(s);
    e8k_buf_free(&cdir);
    free(meta);
    free(bpath);
}
