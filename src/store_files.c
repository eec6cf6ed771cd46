/* store_files.c: the local filing store that `edgar8k fetch` fills: a tree
 * DIR/CIK/ACCESSIONNODASH/ holding each submission and, beside it, its
 * index entry with size and sha256. Files are written atomically and the
 * entry last, so a run killed at any moment leaves either nothing or a
 * verified filing, and a rerun can tell which without the network. */
#include "fetch_int.h"

#include <dirent.h>
#include <errno.h>
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
    size_t k = 0;
    for (const char *p = e->accession; *p && k < 18; p++)
        if (*p != '-')
            nodash[k++] = *p;
    nodash[k] = '\0';
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

/* e8k_file_save leaves NAME.tmp.XXXXXX behind when killed mid-write. */
static void remove_stale(const char *fdir)
{
    DIR *d = opendir(fdir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!strstr(de->d_name, ".tmp."))
            continue;
        e8k_buf b = {0};
        if (e8k_buf_printf(&b, "%s/%s", fdir, de->d_name) == 0)
            (void)unlink(b.data);
        e8k_buf_free(&b);
    }
    closedir(d);
}

/* ---- Presence and verification ----------------------------------------- */

static int file_matches(const char *path, json_int_t size, const char *sha)
{
    char *buf = NULL;
    size_t len = 0;
    if (e8k_file_load(path, &buf, &len, NULL) != E8K_OK)
        return 0;
    char hex[65];
    e8k_sha256_hex(buf, len, hex);
    free(buf);
    return (json_int_t)len == size && !strcmp(hex, sha);
}

int e8k_filestore_has(const char *dir, const e8k_index_entry *e)
{
    char *fdir = filing_dir(dir, e);
    char *entry = e8k_filestore_entry_path(dir, e);
    int ok = 0;
    if (fdir)
        remove_stale(fdir);
    json_t *root = entry ? json_load_file(entry, 0, NULL) : NULL;
    const char *file = json_string_value(json_object_get(root, "file"));
    const char *sha = json_string_value(json_object_get(root, "sha256"));
    json_t *size = json_object_get(root, "size");
    if (file && sha && json_is_integer(size) && !strchr(file, '/')) {
        e8k_buf p = {0};
        if (e8k_buf_printf(&p, "%s/%s", fdir, file) == 0)
            ok = file_matches(p.data, json_integer_value(size), sha);
        e8k_buf_free(&p);
    }
    json_decref(root);
    free(fdir);
    free(entry);
    return ok;
}

/* ---- Writing ------------------------------------------------------------ */

static char *entry_json(const e8k_index_entry *e, const char *file,
                        const char *url, size_t len, const char *sha)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}",
                          "cik", e->cik, "accession", e->accession,
                          "form", e->form, "company", e->company,
                          "filed", e->date, "file", file, "url", url,
                          "size", (json_int_t)len, "sha256", sha);
    char *s = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    return s;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
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
    char *fdir = filing_dir(dir, e);
    char *path = e8k_filestore_path(dir, e, ext);
    char *entry = e8k_filestore_entry_path(dir, e);
    char hex[65];
    e8k_sha256_hex(data, len, hex);
    char *json = path ? entry_json(e, base_name(path), url, len, hex) : NULL;
    e8k_status st;
    if (!fdir || !path || !entry || !json)
        st = e8k_fail(err, E8K_ERR_NOMEM, url, NULL, 0, E8K_NO_OFFSET,
                      "out of memory");
    else if ((st = e8k_mkdirs(fdir, err)) == E8K_OK) {
        /* The entry goes first out of the way: a stale entry beside a new
         * file would otherwise vouch for bytes it never saw. */
        (void)unlink(entry);
        st = e8k_file_save(path, data, len, err);
        if (st == E8K_OK)
            st = e8k_file_save(entry, json, strlen(json), err);
    }
    free(json);
    free(entry);
    free(path);
    free(fdir);
    return st;
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
