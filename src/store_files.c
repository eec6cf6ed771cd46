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

/* ---- sha256 (FIPS 180-4), small enough not to need libcrypto ------------ */

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5],
             g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
                      ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
                      ((a & b) ^ (a & c) ^ (b & c));
        k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d;
    h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

void e8k_sha256_hex(const void *buf, size_t len, char out[65])
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const unsigned char *p = buf;
    size_t n = len;
    for (; n >= 64; n -= 64, p += 64)
        sha256_block(h, p);
    unsigned char last[128] = {0};
    memcpy(last, p, n);
    last[n] = 0x80;
    size_t blocks = n + 9 > 64 ? 2 : 1;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        last[blocks * 64 - 1 - (size_t)i] = (unsigned char)(bits >> (8 * i));
    for (size_t i = 0; i < blocks; i++)
        sha256_block(h, last + 64 * i);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x",
                 (unsigned)(h[i / 4] >> (24 - 8 * (i % 4))) & 0xffu);
}

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
