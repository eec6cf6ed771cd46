/* text_internal.h: what the text stage's three files share and nobody else
 * needs: the decoded body (encoding.c), the text builder that normalizes
 * characters and records the offset map (text.c), and the HTML walker that
 * drives the builder from libxml2's SAX events (html.c). */
#ifndef E8K_TEXT_INTERNAL_H
#define E8K_TEXT_INTERNAL_H

#include "internal.h"

#include <stdint.h>

/* ---- 8 bytes at a time ---------------------------------------------------- */

/* Nonzero when some byte of x is below c (c <= 0x80): the tight loops of
 * encoding.c and text.c skip plain ASCII eight bytes at a time with it.
 * e8k_bytes_below(x ^ E8K_BYTES(b), 1) asks whether a byte equals b; the
 * lowest such byte is always flagged (0x80 in its place), bytes above it
 * may be flagged too. */
#define E8K_BYTES(c) (0x0101010101010101u * (uint64_t)(c))
static inline uint64_t e8k_bytes_below(uint64_t x, unsigned char c)
{
    return (x - E8K_BYTES(c)) & ~x & E8K_BYTES(0x80);
}

/* ---- encoding.c: the body as UTF-8 ------------------------------------- */

/* A decoded multi-byte character that came from one byte of the body
 * (Windows-1252 or Latin-1): positions after it shift by its length - 1. */
typedef struct e8k_dmap {
    size_t dpos;   /* its first byte in the decoded buffer */
    size_t opos;   /* its byte in the body */
    unsigned dlen; /* its length in the decoded buffer (2 or 3) */
} e8k_dmap;

typedef struct e8k_decoded {
    const char *data; /* UTF-8: the body itself or `owned` */
    size_t len;
    char *owned;      /* NULL when data is the body */
    e8k_encoding enc;
    e8k_dmap *map;    /* sorted by dpos; empty when positions are the body's */
    size_t nmap;
    size_t capmap;
} e8k_decoded;

/* Decodes `body` (UTF-8, else Windows-1252, else Latin-1). With `for_xml`,
 * bytes libxml2 would drop or stop at (NUL, C0 controls other than TAB, LF
 * and CR; U+FFFE and U+FFFF) become same-length replacements so parser
 * positions stay body positions. -1 when out of memory. */
int e8k_decode(const char *body, size_t len, int for_xml, e8k_decoded *out);
/* Body offset of decoded position `dpos` (the start of the body character
 * that produced it). */
size_t e8k_decoded_offset(const e8k_dmap *map, size_t nmap, size_t dpos);
void e8k_decoded_free(e8k_decoded *d);

/* ---- text.c: the builder ------------------------------------------------ */

/* One run of the offset map: text positions from `tpos` up to the next
 * run's map to decoded positions dpos, dpos+1 ... (linear) or all to dpos. */
typedef struct e8k_run {
    size_t tpos;
    size_t dpos;
    int linear;
} e8k_run;

typedef struct e8k_tb {
    e8k_buf out;
    e8k_run *runs;
    size_t nruns;
    size_t capruns;
    size_t last_dpos;  /* highest decoded position mapped so far */
    int lines;         /* newlines are kept (plain text, <pre>) */
    int nomem;
    int last_cr;       /* the previous input byte was a CR */
    unsigned pend_nl;  /* newlines wanted before the next character (<=2) */
    unsigned pend_sp;  /* 1: a space, 2: a tab wanted there */
    size_t sp_dpos;    /* where the pending space came from */
    size_t nl_dpos[2]; /* where pending newlines came from (SIZE_MAX: markup) */
    int had_text;      /* set whenever a visible character is written */
} e8k_tb;

/* Appends n bytes of UTF-8 text: whitespace collapsed (newlines kept when
 * tb->lines), typographic characters folded. Byte i of s came from decoded
 * position dpos + i when `linear`, else every byte came from dpos. */
void e8k_tb_text(e8k_tb *tb, const char *s, size_t n, size_t dpos,
                 int linear);
/* Block boundary: at least `n` (1 or 2) newlines before the next text. */
void e8k_tb_break(e8k_tb *tb, unsigned n);
/* <br>: one more newline (up to a blank line). */
void e8k_tb_br(e8k_tb *tb);
/* A tab before the next text, unless a newline comes first. */
void e8k_tb_tab(e8k_tb *tb);
/* Forgets the separators wanted so far (end of a table cell). */
void e8k_tb_cancel(e8k_tb *tb);
void e8k_tb_free(e8k_tb *tb);

/* ---- html_prescan.c ------------------------------------------------------- */

/* Refuses (E8K_ERR_LIMIT, located in `body`) a start tag with more than
 * E8K_MAX_HTML_ATTRIBUTES attributes, before libxml2 sees it. */
e8k_status e8k_html_prescan(const char *body, size_t len, e8k_error *err);

/* ---- html_css.c: classes the style sheets hide ---------------------------- */

/* A hash set of class names (open addressing over offsets into one
 * buffer); zeroed is empty. */
typedef struct e8k_class_set {
    e8k_buf names; /* each name NUL-terminated */
    size_t *slots; /* 1 + offset of a name in `names`, or 0 */
    size_t nslots; /* a power of two, or 0 */
    size_t count;
} e8k_class_set;

/* Adds the classes style sheet s[0..n) hides. -1 when out of memory. */
int e8k_css_read_sheet(e8k_class_set *cs, const char *s, size_t n);
/* Whether an element's attributes (name, value pairs, NULL-terminated;
 * a value may be NULL) hide it: hidden, a style with display:none, or a
 * class the sheets hide. */
int e8k_css_attrs_hide(const e8k_class_set *cs, const char *const *atts);
void e8k_class_set_free(e8k_class_set *cs);

/* ---- html.c --------------------------------------------------------------- */

/* Walks the decoded HTML into tb; *flags gets E8K_TEXT_CUT/RECOVERED.
 * Errors are located in `body` (through d's map). */
e8k_status e8k_html_walk(const e8k_decoded *d, const char *body, size_t len,
                         e8k_tb *tb, unsigned *flags, e8k_error *err);

#endif /* E8K_TEXT_INTERNAL_H */
