/* html.c: HTML bodies to text. libxml2's HTML parser runs in SAX mode (no
 * tree) over the decoded UTF-8 body; its events say where blocks, rows and
 * cells begin and end, and its character data goes to the text builder
 * with the positions it came from. Because libxml2 2.9 can be driven into
 * quadratic work or silent loss, this file also guards it: a linear
 * pre-scan refuses attribute bombs (html_prescan.c), nesting is bounded,
 * end-tag scanning is budgeted, and every parser error is captured on the
 * context, never printed. What style sheets hide is read in html_css.c.
 * This is the only file that includes libxml2's parser headers. */
#include "text_internal.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- Elements ------------------------------------------------------------- */

enum { K_INLINE, K_BLOCK1, K_BLOCK2, K_BR, K_PRE, K_TABLE, K_TR, K_CELL,
       K_HIDE };

typedef struct kind_entry {
    const char *name;
    unsigned char kind;
} kind_entry;

/* Elements that are not inline. Names come lower-cased from libxml2.
 * EDGAR's SGML wrappers (<DOCUMENT>, <TYPE>, <PAGE> ...) start lines too. */
static const kind_entry kinds[] = {
    {"p", K_BLOCK2}, {"td", K_CELL}, {"tr", K_TR}, {"br", K_BR},
    {"th", K_CELL}, {"li", K_BLOCK1}, {"hr", K_BLOCK1}, {"h1", K_BLOCK2},
    {"h2", K_BLOCK2}, {"h3", K_BLOCK2}, {"h4", K_BLOCK2}, {"h5", K_BLOCK2},
    {"h6", K_BLOCK2}, {"ul", K_BLOCK1}, {"ol", K_BLOCK1}, {"dl", K_BLOCK1},
    {"dt", K_BLOCK1}, {"dd", K_BLOCK1}, {"div", K_BLOCK1}, {"pre", K_PRE},
    {"nav", K_BLOCK1}, {"dir", K_BLOCK1}, {"xml", K_HIDE},
    {"body", K_BLOCK1}, {"html", K_BLOCK1}, {"head", K_HIDE},
    {"page", K_BLOCK1}, {"main", K_BLOCK1}, {"menu", K_BLOCK1},
    {"form", K_BLOCK1}, {"type", K_BLOCK1}, {"text", K_BLOCK1},
    {"table", K_TABLE}, {"title", K_HIDE}, {"style", K_HIDE},
    {"aside", K_BLOCK1}, {"center", K_BLOCK1}, {"script", K_HIDE},
    {"header", K_BLOCK1}, {"footer", K_BLOCK1}, {"legend", K_BLOCK1},
    {"figure", K_BLOCK1}, {"option", K_BLOCK1}, {"section", K_BLOCK1},
    {"article", K_BLOCK1}, {"address", K_BLOCK1}, {"caption", K_BLOCK1},
    {"details", K_BLOCK1}, {"summary", K_BLOCK1}, {"fieldset", K_BLOCK1},
    {"template", K_HIDE}, {"document", K_BLOCK1}, {"sequence", K_BLOCK1},
    {"filename", K_BLOCK1}, {"ix:header", K_HIDE}, {"blockquote", K_BLOCK2},
    {"figcaption", K_BLOCK1}, {"description", K_BLOCK1}, {NULL, 0}};

/* Names of up to 8 bytes as one word each (byte i in bits 8i..8i+7), in
 * an open-addressed table filled once: a start tag comes every 90 bytes
 * or so of EDGAR HTML, and a lookup is then a multiply and a compare or
 * two instead of string compares. Longer names are rare and few. */
#define KIND_SLOTS 256
static struct {
    uint64_t key;
    unsigned char kind;
} kind_table[KIND_SLOTS];

static size_t kind_slot(uint64_t key)
{
    return (size_t)((key * 0x9E3779B97F4A7C15u) >> 56);
}

static void fill_kinds(void)
{
    for (const kind_entry *e = kinds; e->name; e++) {
        uint64_t key = 0;
        size_t len = strlen(e->name);
        for (size_t i = 0; i < len && len <= 8; i++)
            key |= (uint64_t)(unsigned char)e->name[i] << (8 * i);
        if (!key)
            continue;
        size_t i = kind_slot(key);
        while (kind_table[i].key)
            i = (i + 1) % KIND_SLOTS;
        kind_table[i].key = key;
        kind_table[i].kind = e->kind;
    }
}

static int long_kind(const char *n)
{
    for (const kind_entry *e = kinds; e->name; e++)
        if (e->name[0] == n[0] && strlen(e->name) > 8 &&
            strcmp(e->name, n) == 0)
            return e->kind;
    return K_INLINE;
}

static int element_kind(const char *n)
{
    uint64_t key = 0;
    size_t len = 0;
    for (; len < 8 && n[len]; len++)
        key |= (uint64_t)(unsigned char)n[len] << (8 * len);
    if (n[len])
        return long_kind(n);
    for (size_t i = kind_slot(key); key && kind_table[i].key;
         i = (i + 1) % KIND_SLOTS)
        if (kind_table[i].key == key)
            return kind_table[i].kind;
    return K_INLINE;
}

/* ---- Walker state ---------------------------------------------------------- */

/* One table level: cells of a row are joined by tabs, and block breaks at
 * the very start of a cell are ignored so "<td><p>$</p></td>" stays on the
 * row's line. */
typedef struct frame {
    int in_cell;
    int cell_text; /* the open cell has written text */
    int row_text;  /* an earlier cell of this row has */
    int any_text;  /* anything inside this table has */
    int lead;      /* the table opened at the start of an outer cell */
} frame;

typedef struct walker {
    htmlParserCtxtPtr ctxt;
    e8k_tb *tb;
    const char *src; /* decoded UTF-8 the parser reads */
    size_t srclen;
    size_t last;     /* no later construct starts before this position */
    size_t amp_at;   /* the '&' last reported alone, or SIZE_MAX */
    unsigned char *kinds; /* kind of each open element */
    size_t depth;
    size_t capkinds;
    size_t hide_depth;    /* depth of the hidden element we are in, or 0 */
    size_t style_depth;   /* depth of the open <style>, or 0 */
    e8k_buf css;          /* that style sheet so far */
    e8k_class_set hidden; /* classes the style sheets so far hide */
    unsigned pre;
    frame *frames;        /* frames[0]: outside any table */
    size_t nframes;
    size_t capframes;
    unsigned flags;
    size_t end_tag_work;  /* open elements scanned for unmatched end tags */
    size_t work_budget;
    size_t scan_pending;  /* a scan reported by an error, unless a pop follows */
    e8k_status status;
    size_t err_pos;       /* decoded position of a refusal */
} walker;

static void stop(walker *w, e8k_status s, size_t pos)
{
    if (w->status == E8K_OK) {
        w->status = s;
        w->err_pos = pos;
    }
    xmlStopParser(w->ctxt);
}

/* The parser's position in the decoded buffer: `consumed` counts what it
 * already discarded from the front of its copy. */
static size_t parser_pos(const walker *w)
{
    xmlParserInputPtr in = w->ctxt->input;
    if (!in || !in->cur || !in->base)
        return w->last;
    size_t p = (size_t)in->consumed + (size_t)(in->cur - in->base);
    return p < w->srclen ? p : w->srclen;
}

/* libxml2 scans the open elements for each end tag, and for each <body>
 * start tag. When that closes elements the work is paid for by the pushes;
 * when it closes nothing it reports an error and pops nothing, so an error
 * not followed by a pop counts the whole stack against the budget. */
static void commit_scan(walker *w)
{
    if (!w->scan_pending)
        return;
    w->end_tag_work += w->scan_pending;
    w->scan_pending = 0;
    if (w->end_tag_work > w->work_budget && w->status == E8K_OK)
        stop(w, E8K_ERR_LIMIT, parser_pos(w));
}

static frame *top(walker *w)
{
    return &w->frames[w->nframes - 1];
}

/* Still at the very start of a cell (perhaps of an outer table's cell,
 * through tables nested there), where block breaks mean nothing. */
static int cell_start_quiet(const frame *f)
{
    return (f->in_cell && !f->cell_text) || (f->lead && !f->any_text);
}

static void block(walker *w, unsigned n)
{
    if (cell_start_quiet(top(w)))
        return;
    if (n)
        e8k_tb_break(w->tb, n);
    else
        e8k_tb_br(w->tb);
}

static void push_frame(walker *w)
{
    if (E8K_GROW(w->frames, w->capframes, w->nframes + 1) != 0) {
        stop(w, E8K_ERR_NOMEM, w->last);
        return;
    }
    int lead = cell_start_quiet(top(w));
    frame *f = &w->frames[w->nframes++];
    memset(f, 0, sizeof *f);
    f->lead = lead;
}

static void pop_frame(walker *w)
{
    if (w->nframes < 2)
        return;
    int had = w->frames[--w->nframes].any_text;
    frame *f = top(w);
    if (had) {
        f->any_text = 1;
        if (f->in_cell)
            f->cell_text = 1;
    }
}

static void cell_start(walker *w)
{
    frame *f = top(w);
    f->in_cell = 1;
    f->cell_text = 0;
    if (f->row_text)
        e8k_tb_tab(w->tb);
}

static void cell_end(walker *w)
{
    frame *f = top(w);
    if (!f->in_cell)
        return;
    if (f->cell_text) {
        e8k_tb_cancel(w->tb);
        f->row_text = 1;
    }
    f->in_cell = 0;
    f->cell_text = 0;
}

static void set_pre(walker *w, int delta)
{
    if (delta > 0)
        w->pre++;
    else if (w->pre)
        w->pre--;
    w->tb->lines = w->pre > 0;
}

static void start_effect(walker *w, int kind)
{
    switch (kind) {
    case K_BLOCK1: block(w, 1); break;
    case K_BLOCK2: block(w, 2); break;
    case K_BR: block(w, 0); break;
    case K_PRE: block(w, 2); set_pre(w, 1); break;
    case K_TABLE: block(w, 2); push_frame(w); break;
    case K_TR: top(w)->row_text = 0; block(w, 1); break;
    case K_CELL: cell_start(w); break;
    default: break;
    }
}

static void end_effect(walker *w, int kind)
{
    switch (kind) {
    case K_BLOCK1: block(w, 1); break;
    case K_BLOCK2: block(w, 2); break;
    case K_PRE: set_pre(w, -1); block(w, 2); break;
    case K_TABLE: pop_frame(w); block(w, 2); break;
    case K_TR: block(w, 1); top(w)->row_text = 0; break;
    case K_CELL: cell_end(w); break;
    default: break;
    }
}

/* ---- SAX callbacks ----------------------------------------------------------- */

/* The '<' of the start tag the parser is at (it reports from its '>'). */
static size_t tag_start(const walker *w, size_t pos)
{
    size_t p = pos < w->srclen ? pos : w->srclen - 1;
    while (p > w->last && w->src[p] != '<')
        p--;
    return p;
}

static void on_start(void *ud, const xmlChar *name, const xmlChar **atts)
{
    walker *w = ud;
    commit_scan(w);
    if (w->status != E8K_OK)
        return;
    size_t pos = parser_pos(w);
    if (w->depth >= E8K_MAX_HTML_DEPTH) {
        stop(w, E8K_ERR_LIMIT, tag_start(w, pos));
        return;
    }
    if (E8K_GROW(w->kinds, w->capkinds, w->depth + 1) != 0) {
        stop(w, E8K_ERR_NOMEM, pos);
        return;
    }
    int kind = K_INLINE;
    if (!w->hide_depth) {
        kind = element_kind((const char *)name);
        if (kind != K_HIDE && e8k_css_attrs_hide(&w->hidden, (const char *const *)atts))
            kind = K_HIDE;
    }
    w->kinds[w->depth++] = (unsigned char)kind;
    /* outside hidden elements <style> is always K_HIDE: span, strong
     * and the like need no compare */
    if ((kind == K_HIDE || w->hide_depth) && name[0] == 's' &&
        strcmp((const char *)name, "style") == 0) {
        w->style_depth = w->depth; /* read even inside <head> */
        w->css.len = 0;
    }
    if (kind == K_HIDE)
        w->hide_depth = w->depth;
    else
        start_effect(w, kind);
}

static void on_end(void *ud, const xmlChar *name)
{
    walker *w = ud;
    (void)name;
    w->scan_pending = 0;
    if (w->status != E8K_OK || w->depth == 0)
        return;
    int kind = w->kinds[--w->depth];
    if (w->depth < w->style_depth) {
        w->style_depth = 0;
        if (e8k_css_read_sheet(&w->hidden, w->css.data, w->css.len) != 0)
            stop(w, E8K_ERR_NOMEM, parser_pos(w));
    }
    if (kind == K_HIDE && w->hide_depth == w->depth + 1)
        w->hide_depth = 0;
    else if (!w->hide_depth)
        end_effect(w, kind);
}

static size_t utf8_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* Whether a one-character run at [start, ...) is really the tail of an
 * entity or character reference: libxml2 reports "&#59;" as ";" ending at
 * the ';'. The name after a lone '&' ("AT&T") is text, though. */
static int reference_tail(const walker *w, size_t start)
{
    if (w->amp_at != SIZE_MAX && start == w->amp_at + 1)
        return 0;
    for (size_t p = start, lo = w->last; p > lo;) {
        char c = w->src[--p];
        if (c == '&')
            return 1;
        if (c == ';' || c == '<' || c == '>' || c == ' ' || c == '\n')
            return 0;
    }
    return 0;
}

/* A run that is not a copy of the source (a reference, a lone '<') comes
 * from the construct starting at the nearest '&' before the parser, else
 * from where the last construct ended. Only the current construct lies
 * between the two, so the backward scan stays linear overall. */
static size_t construct_start(walker *w, const char *s, size_t n, size_t pos)
{
    size_t at = w->last;
    for (size_t p = pos; p > w->last;)
        if (w->src[--p] == '&') {
            at = p;
            break;
        }
    if (n == 1 && s[0] == '&' && w->src[at] == '&') {
        /* "&" alone: an unknown reference whose name follows as text */
        w->amp_at = at;
        if (at + 1 > w->last)
            w->last = at + 1;
    } else if (pos > w->last) {
        w->last = pos;
    }
    return at;
}

/* Where the n bytes of character data the parser just reported come from.
 * Text runs are copies of the bytes just before the parser's position;
 * runs of 1000+ bytes are flushed before the parser steps over their last
 * character, so they end one character later; a lone '<' is reported
 * before the parser steps over it. A run counts as a copy only when every
 * byte matches: one that differs anywhere (a character the parser
 * repaired) would otherwise map its bytes into the wrong source bytes. A
 * one-character run that only looks like a copy may be a reference's
 * expansion. Sets *linear; returns the start. (Implied and auto-closed
 * elements are reported from wherever the parser is, so element events
 * cannot bound where text starts.) */
static size_t locate(walker *w, const char *s, size_t n, int *linear)
{
    size_t pos = parser_pos(w), e = pos;
    *linear = 1;
    if (n >= 1000 && pos < w->srclen)
        e = pos + utf8_len((unsigned char)w->src[pos]);
    else if (n == 1 && s[0] == '<' && pos < w->srclen && w->src[pos] == '<')
        e = pos + 1;
    if (e <= w->srclen && e >= n && memcmp(w->src + e - n, s, n) == 0 &&
        !(n == utf8_len((unsigned char)s[0]) && n < 1000 && e - n > w->last &&
          reference_tail(w, e - n))) {
        if (e > w->last)
            w->last = e;
        return e - n;
    }
    *linear = 0;
    return construct_start(w, s, n, pos);
}

static void mark_text(walker *w)
{
    frame *f = top(w);
    f->any_text = 1;
    if (f->in_cell)
        f->cell_text = 1;
}

static void on_chars(void *ud, const xmlChar *s, int len)
{
    walker *w = ud;
    commit_scan(w);
    if (w->status != E8K_OK || len <= 0)
        return;
    int linear = 0;
    size_t n = (size_t)len;
    size_t at = locate(w, (const char *)s, n, &linear);
    if (w->hide_depth)
        return;
    size_t before = w->tb->out.len;
    e8k_tb_text(w->tb, (const char *)s, n, at, linear);
    if (w->tb->nomem)
        stop(w, E8K_ERR_NOMEM, at);
    else if (w->tb->out.len != before)
        mark_text(w);
}

/* Script and style bodies, comments, processing instructions: no text,
 * but the position moves on. A style sheet is kept until its element
 * ends, for the classes it hides. */
static void on_skip_data(void *ud, const xmlChar *s, int len)
{
    walker *w = ud;
    size_t pos = parser_pos(w);
    if (pos > w->last)
        w->last = pos;
    if (w->style_depth && w->style_depth == w->depth && len > 0 &&
        w->status == E8K_OK &&
        e8k_buf_append(&w->css, (const char *)s, (size_t)len) != 0)
        stop(w, E8K_ERR_NOMEM, pos);
}

static void on_comment(void *ud, const xmlChar *s)
{
    on_skip_data(ud, s, 0);
}

static void on_pi(void *ud, const xmlChar *target, const xmlChar *data)
{
    (void)data;
    on_skip_data(ud, target, 0);
}

/* Whether the error reports a scan of the open elements that may close
 * none of them: an end tag matching no open element, a start tag
 * (<body>, <html>, <head>) found misplaced. Inside script and style, a
 * foreign close tag ("</p>" in a script) gets the same code but scans
 * nothing; libxml2 names the script or style element itself in it, and
 * no scanned end tag can name the innermost element, which it would have
 * closed. */
static int scan_error(const walker *w, const xmlError *e)
{
    if (e->domain != XML_FROM_HTML || w->ctxt->nameNr <= 0)
        return 0;
    if (e->code == XML_HTML_STRUCURE_ERROR)
        return 1;
    if (e->code != XML_ERR_TAG_NAME_MISMATCH)
        return 0;
    const char *open = (const char *)w->ctxt->name;
    return e->str2 || !e->str1 || !open || strcmp(e->str1, open) != 0;
}

/* Every parser error lands here instead of stderr. Unknown tags (ix:...,
 * EDGAR's <TYPE>) are not repairs, so they do not count as recovered. */
static void on_error(void *ud, xmlErrorPtr e)
{
    walker *w = ud;
    if (!e || w->status != E8K_OK)
        return;
    commit_scan(w);
    if (e->code == XML_ERR_NO_MEMORY) {
        stop(w, E8K_ERR_NOMEM, parser_pos(w));
        return;
    }
    if (e->level == XML_ERR_FATAL)
        w->flags |= E8K_TEXT_CUT;
    else if (e->level == XML_ERR_ERROR && e->code != XML_HTML_UNKNOWN_TAG)
        w->flags |= E8K_TEXT_RECOVERED;
    if (scan_error(w, e))
        w->scan_pending = (size_t)w->ctxt->nameNr;
}

/* ---- Driving the parser ------------------------------------------------------ */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_html(void)
{
    xmlInitParser();
    fill_kinds();
}

static void set_handlers(htmlParserCtxtPtr ctxt, walker *w)
{
    xmlSAXHandler *sax = ctxt->sax;
    memset(sax, 0, sizeof *sax);
    sax->startElement = on_start;
    sax->endElement = on_end;
    sax->characters = on_chars;
    sax->ignorableWhitespace = on_chars;
    sax->cdataBlock = on_skip_data;
    sax->comment = on_comment;
    sax->processingInstruction = on_pi;
    sax->serror = on_error;
    sax->initialized = XML_SAX2_MAGIC; /* or libxml2 ignores serror */
    ctxt->userData = w;
}

/* A parser over the decoded bytes that reads them as UTF-8 whatever they
 * declare, so its positions are positions in `src`. */
static htmlParserCtxtPtr new_parser(walker *w)
{
    htmlParserCtxtPtr ctxt =
        htmlCreateMemoryParserCtxt(w->src, (int)w->srclen);
    if (!ctxt)
        return NULL;
    w->ctxt = ctxt;
    set_handlers(ctxt, w);
    htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NONET |
                                 HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                 HTML_PARSE_NODEFDTD | HTML_PARSE_IGNORE_ENC |
                                 XML_PARSE_HUGE);
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    if (ctxt->input && !ctxt->input->encoding)
        ctxt->input->encoding = xmlStrdup(BAD_CAST "UTF-8");
    return ctxt;
}

/* Blanks as libxml2's start-tag grammar has them: space and C0 bytes. */
static int only_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] > 0x20)
            return 0;
    return 1;
}

static e8k_status walk_result(walker *w, const e8k_decoded *d,
                              const char *body, size_t len, e8k_error *err)
{
    size_t off = e8k_decoded_offset(d->map, d->nmap, w->err_pos);
    switch (w->status) {
    case E8K_OK:
        return E8K_OK;
    case E8K_ERR_LIMIT:
        if (w->end_tag_work > w->work_budget)
            return e8k_fail(err, E8K_ERR_LIMIT, NULL, body, len, off,
                            "HTML end tags that close nothing, under %zu "
                            "open elements, need more than %d comparisons "
                            "per byte (E8K_MAX_HTML_END_TAG_WORK)",
                            w->depth, E8K_MAX_HTML_END_TAG_WORK);
        return e8k_fail(err, E8K_ERR_LIMIT, NULL, body, len, off,
                        "HTML elements nested deeper than %d "
                        "(E8K_MAX_HTML_DEPTH)", E8K_MAX_HTML_DEPTH);
    default:
        return e8k_fail(err, w->status, NULL, body, len, off,
                        "out of memory in the HTML parser");
    }
}

e8k_status e8k_html_walk(const e8k_decoded *d, const char *body, size_t len,
                         e8k_tb *tb, unsigned *flags, e8k_error *err)
{
    if (only_space(d->data, d->len))
        return E8K_OK; /* libxml2 would call it an empty document */
    pthread_once(&init_once, init_html);
    walker w;
    memset(&w, 0, sizeof w);
    w.tb = tb;
    w.amp_at = SIZE_MAX;
    w.src = d->data;
    w.srclen = d->len;
    w.work_budget = (size_t)E8K_MAX_HTML_END_TAG_WORK * d->len + (1u << 22);
    w.frames = calloc(1, sizeof(frame));
    w.nframes = w.capframes = w.frames ? 1 : 0;
    htmlParserCtxtPtr ctxt = w.frames ? new_parser(&w) : NULL;
    if (!ctxt) {
        free(w.frames);
        return e8k_fail(err, E8K_ERR_NOMEM, NULL, NULL, 0, E8K_NO_OFFSET,
                        "out of memory starting the HTML parser");
    }
    htmlParseDocument(ctxt);
    commit_scan(&w);
    if (w.status == E8K_OK && parser_pos(&w) < w.srclen)
        w.flags |= E8K_TEXT_CUT; /* stopped before the end of the input */
    *flags = w.flags;
    htmlFreeParserCtxt(ctxt);
    free(w.kinds);
    free(w.frames);
    e8k_buf_free(&w.css);
    e8k_class_set_free(&w.hidden);
    return walk_result(&w, d, body, len, err);
}
