/* text.c: the text stage's front door. It turns TEXT and HTML bodies
 * into normalized UTF-8 text with a map from every text position back to a
 * byte of the body (what a body is, format.c tells). The builder here owns
 * the normalization rules shared by both formats (folding of typographic
 * characters, white space, blank lines); html.c only decides where blocks,
 * rows and cells begin and end. */
#include "text_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- The builder ----------------------------------------------------------- */

enum { C_WORD, C_SPACE, C_LF, C_CR, C_FF, C_HIGH };

#define W C_WORD
#define S C_SPACE
#define L C_LF
#define R C_CR
#define F C_FF
#define H C_HIGH
/* Byte classes: space, tab, other controls and DEL all count as space. */
static const unsigned char cls[256] = {
    S, S, S, S, S, S, S, S, S, S, L, F, F, R, S, S,
    S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S,
    S, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
    W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
    W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
    W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
    W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
    W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, S,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
};
#undef W
#undef S
#undef L
#undef R
#undef F
#undef H

static void add_run(e8k_tb *tb, size_t tpos, size_t n, size_t dpos,
                    int linear)
{
    if (tb->nruns) {
        const e8k_run *r = &tb->runs[tb->nruns - 1];
        if (linear && r->linear && r->dpos + (tpos - r->tpos) == dpos)
            return;
        if (!linear && !r->linear && r->dpos == dpos)
            return;
    }
    if (E8K_GROW(tb->runs, tb->capruns, tb->nruns + 1) != 0) {
        tb->nomem = 1;
        return;
    }
    e8k_run *r = &tb->runs[tb->nruns++];
    r->tpos = tpos;
    r->dpos = dpos;
    r->linear = linear || n == 1;
}

/* Writes bytes and their map entries; positions never go backwards. */
static void emit(e8k_tb *tb, const char *s, size_t n, size_t dpos, int linear)
{
    if (dpos < tb->last_dpos) {
        dpos = tb->last_dpos;
        linear = 0;
    }
    size_t tpos = tb->out.len;
    if (e8k_buf_reserve(&tb->out, n) != 0) {
        tb->nomem = 1;
        return;
    }
    memcpy(tb->out.data + tpos, s, n); /* the NUL is added by finish() */
    tb->out.len += n;
    add_run(tb, tpos, n, dpos, linear);
    tb->last_dpos = linear ? dpos + n - 1 : dpos;
}

/* Writes the separators wanted before a visible character at dpos: never
 * at the start of the text, never two in a row, newlines beating spaces. */
static void flush(e8k_tb *tb, size_t dpos)
{
    if (tb->had_text) {
        if (tb->pend_nl) {
            for (unsigned k = 0; k < tb->pend_nl; k++) {
                size_t at = tb->nl_dpos[k];
                emit(tb, "\n", 1, at == SIZE_MAX ? dpos : at, 1);
            }
        } else if (tb->pend_sp == 2) {
            emit(tb, "\t", 1, dpos, 1);
        } else if (tb->pend_sp == 1) {
            emit(tb, " ", 1, tb->sp_dpos, 1);
        }
    }
    tb->pend_nl = 0;
    tb->pend_sp = 0;
    tb->had_text = 1;
}

static void space(e8k_tb *tb, size_t dpos)
{
    if (tb->had_text && !tb->pend_nl && !tb->pend_sp) {
        tb->pend_sp = 1;
        tb->sp_dpos = dpos;
    }
}

static void newline(e8k_tb *tb, size_t dpos)
{
    tb->pend_sp = 0; /* lines never end in white space */
    if (tb->had_text && tb->pend_nl < 2)
        tb->nl_dpos[tb->pend_nl++] = dpos;
}

void e8k_tb_break(e8k_tb *tb, unsigned n)
{
    if (!tb->had_text)
        return;
    tb->pend_sp = 0;
    while (tb->pend_nl < n && tb->pend_nl < 2)
        tb->nl_dpos[tb->pend_nl++] = SIZE_MAX;
}

void e8k_tb_br(e8k_tb *tb)
{
    if (tb->had_text && tb->pend_nl < 2) {
        tb->pend_sp = 0;
        tb->nl_dpos[tb->pend_nl++] = SIZE_MAX;
    }
}

void e8k_tb_tab(e8k_tb *tb)
{
    if (tb->had_text && !tb->pend_nl)
        tb->pend_sp = 2;
}

void e8k_tb_cancel(e8k_tb *tb)
{
    tb->pend_nl = 0;
    tb->pend_sp = 0;
}

enum { F_KEEP, F_SPACE, F_DROP, F_REPLACE };

/* How a non-ASCII character is normalized; *rep is its ASCII stand-in. */
static int fold(uint32_t cp, const char **rep)
{
    switch (cp) {
    case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
    case 0x2028: case 0x2029:
        return F_SPACE;
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060:
    case 0xFEFF:
        return F_DROP;
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
        *rep = "'";
        return F_REPLACE;
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033:
        *rep = "\"";
        return F_REPLACE;
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
    case 0x2015: case 0x2212:
        *rep = "-";
        return F_REPLACE;
    case 0x2026:
        *rep = "...";
        return F_REPLACE;
    default:
        break;
    }
    if (cp >= 0x2000 && cp <= 0x200A)
        return F_SPACE; /* typographic spaces */
    return F_KEEP;
}

/* A C1 control stands for the Windows-1252 character of the same byte
 * (HTML's reading of "&#146;"); it is written as that character. */
static void c1_char(e8k_tb *tb, uint32_t cp, size_t at)
{
    const char *rep = NULL;
    char u8[5];
    cp = e8k_cp1252_c1(cp);
    int f = cp ? fold(cp, &rep) : F_SPACE;
    if (f == F_SPACE) {
        space(tb, at);
        return;
    }
    if (f == F_KEEP) {
        u8[e8k_utf8_put(u8, cp)] = '\0';
        rep = u8;
    }
    flush(tb, at);
    emit(tb, rep, strlen(rep), at, 0);
}

static size_t high_char(e8k_tb *tb, const unsigned char *u, size_t n,
                        size_t at, int linear)
{
    uint32_t cp = 0;
    const char *rep = NULL;
    /* the input is decoded or came from libxml2, so it is well formed; a
     * bad byte still only costs one U+FFFD */
    size_t k = e8k_utf8_get(u, n, &cp);
    if (k == 0) {
        flush(tb, at);
        emit(tb, "\xEF\xBF\xBD", 3, at, 0);
        return 1;
    }
    if (cp >= 0x80 && cp < 0xA0) {
        c1_char(tb, cp, at);
        return k;
    }
    switch (fold(cp, &rep)) {
    case F_SPACE:
        space(tb, at);
        break;
    case F_DROP:
        break;
    case F_REPLACE:
        flush(tb, at);
        emit(tb, rep, strlen(rep), at, 0);
        break;
    default:
        flush(tb, at);
        emit(tb, (const char *)u, k, at, linear);
        break;
    }
    return k;
}

/* Skips 8-byte blocks of printable ASCII words joined by single spaces
 * (none at the block's end, so the byte loop after it sees every pair);
 * u[j - 1] is a word byte. Returns where the byte loop takes over. */
static size_t simple_words(const unsigned char *u, size_t j, size_t n)
{
    while (j + 8 <= n) {
        uint64_t x;
        memcpy(&x, u + j, 8);
        uint64_t sp = e8k_bytes_below(x ^ E8K_BYTES(' '), 1); /* (or more) */
        if ((x & E8K_BYTES(0x80)) || e8k_bytes_below(x, 0x20) ||
            e8k_bytes_below(x ^ E8K_BYTES(0x7F), 1) || (sp & (sp << 8)) ||
            u[j + 7] == ' ')
            break;
        j += 8;
    }
    return j;
}

/* Line breaks in kept-lines mode: CR, LF, CRLF (even split across calls),
 * form feed and vertical tab each end a line. */
static void line_byte(e8k_tb *tb, int c, size_t at)
{
    if (c == C_LF && tb->last_cr) {
        tb->last_cr = 0;
        return;
    }
    newline(tb, at);
    tb->last_cr = c == C_CR;
}

void e8k_tb_text(e8k_tb *tb, const char *s, size_t n, size_t dpos,
                 int linear)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n && !tb->nomem;) {
        size_t at = linear ? dpos + i : dpos;
        int c = cls[u[i]];
        if (c == C_WORD) {
            /* words joined by single spaces go out as one piece */
            size_t j = i + 1;
            for (;;) {
                j = simple_words(u, j, n);
                while (j < n && cls[u[j]] == C_WORD)
                    j++;
                if (j + 1 >= n || u[j] != ' ' || cls[u[j + 1]] != C_WORD)
                    break;
                j += 2;
            }
            flush(tb, at);
            emit(tb, s + i, j - i, at, linear);
            tb->last_cr = 0;
            i = j;
            continue;
        }
        if (c == C_HIGH) {
            tb->last_cr = 0;
            i += high_char(tb, u + i, n - i, at, linear);
            continue;
        }
        if (c != C_SPACE && tb->lines) {
            line_byte(tb, c, at);
        } else {
            space(tb, at);
            tb->last_cr = 0;
        }
        i++;
    }
}

void e8k_tb_free(e8k_tb *tb)
{
    e8k_buf_free(&tb->out);
    free(tb->runs);
    tb->runs = NULL;
    tb->nruns = tb->capruns = 0;
}

/* ---- Texts ------------------------------------------------------------------ */

struct e8k_text {
    char *data;
    size_t len;
    e8k_run *runs;
    size_t nruns;
    e8k_dmap *map;
    size_t nmap;
    size_t body_len;
    e8k_encoding enc;
    unsigned flags;
};

void e8k_text_free(e8k_text *text)
{
    if (!text)
        return;
    free(text->data);
    free(text->runs);
    free(text->map);
    free(text);
}

const char *e8k_text_data(const e8k_text *text, size_t *len)
{
    if (!text) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = text->len;
    return text->data;
}

e8k_encoding e8k_text_encoding(const e8k_text *text)
{
    return text ? text->enc : E8K_ENC_ASCII;
}

unsigned e8k_text_flags(const e8k_text *text)
{
    return text ? text->flags : 0;
}

size_t e8k_text_offset(const e8k_text *text, size_t pos)
{
    if (!text)
        return 0;
    if (pos >= text->len || text->nruns == 0)
        return text->body_len;
    size_t lo = 0, hi = text->nruns; /* last run with tpos <= pos */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (text->runs[mid].tpos <= pos)
            lo = mid;
        else
            hi = mid;
    }
    const e8k_run *r = &text->runs[lo];
    size_t d = r->linear ? r->dpos + (pos - r->tpos) : r->dpos;
    size_t off = e8k_decoded_offset(text->map, text->nmap, d);
    return off < text->body_len ? off : text->body_len;
}

/* Moves the builder's text and map and the decoder's map into a text. */
static e8k_text *finish(e8k_tb *tb, e8k_decoded *d, size_t len,
                        unsigned flags)
{
    e8k_text *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->len = tb->out.len;
    if (tb->out.data)
        tb->out.data[tb->out.len] = '\0';
    t->data = e8k_buf_take(&tb->out);
    if (!t->data) {
        free(t);
        return NULL;
    }
    t->runs = tb->runs;
    t->nruns = tb->nruns;
    tb->runs = NULL;
    tb->nruns = tb->capruns = 0;
    t->map = d->map;
    t->nmap = d->nmap;
    d->map = NULL;
    d->nmap = d->capmap = 0;
    t->body_len = len;
    t->enc = d->enc;
    t->flags = flags;
    return t;
}

static e8k_status check_args(const char *body, size_t len, e8k_format format,
                             e8k_text **out, e8k_error *err)
{
    if (!out || (!body && len))
        return e8k_fail(err, E8K_ERR_USAGE, NULL, NULL, 0, E8K_NO_OFFSET,
                        "e8k_text_convert: %s is NULL",
                        out ? "body" : "out");
    if (!e8k_format_has_text(format))
        return e8k_fail(err, E8K_ERR_USAGE, NULL, NULL, 0, E8K_NO_OFFSET,
                        "e8k_text_convert: a %s body has no text",
                        e8k_format_name(format));
    if (len > E8K_MAX_DOCUMENT_SIZE)
        return e8k_fail(err, E8K_ERR_LIMIT, NULL, NULL, 0,
                        E8K_MAX_DOCUMENT_SIZE,
                        "document body of %zu bytes; the limit is %zu "
                        "(E8K_MAX_DOCUMENT_SIZE)",
                        len, E8K_MAX_DOCUMENT_SIZE);
    return E8K_OK;
}

e8k_status e8k_text_convert(const char *body, size_t len, e8k_format format,
                            e8k_text **out, e8k_error *err)
{
    e8k_status s = check_args(body, len, format, out, err);
    if (s != E8K_OK)
        return s;
    *out = NULL;
    int html = format == E8K_FORMAT_HTML;
    if (html && (s = e8k_html_prescan(body, len, err)) != E8K_OK)
        return s;
    e8k_decoded d;
    if (e8k_decode(body ? body : "", len, html, &d) != 0)
        return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                        "out of memory decoding a %zu-byte body", len);
    e8k_tb tb;
    memset(&tb, 0, sizeof tb);
    tb.lines = !html;
    unsigned flags = 0;
    if (html)
        s = e8k_html_walk(&d, body, len, &tb, &flags, err);
    else
        e8k_tb_text(&tb, d.data, d.len, 0, 1);
    if (s == E8K_OK && !tb.nomem && !(*out = finish(&tb, &d, len, flags)))
        tb.nomem = 1;
    if (s == E8K_OK && tb.nomem)
        s = e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                     "out of memory converting a %zu-byte body", len);
    e8k_tb_free(&tb);
    e8k_decoded_free(&d);
    return s;
}
