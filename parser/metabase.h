/* metabase.h — what the metadata modules (title.c, lang.c, fields.c) share
 * in reading a page: UTF-8 and text helpers (whitespace-collapsing
 * collection, comparison keys, code point counts), the tag classes, the
 * zones that class/id cues, tags and styles give an element (with a
 * per-call cache and the worker's cue memo), and the scan of <head>'s
 * title, meta tags and canonical link. */
#ifndef NA_METABASE_H
#define NA_METABASE_H

#include "parser/dom.h"
#include "util/buf.h"
#include "util/err.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

static inline unsigned next_cp(const char **pp, const char *e)
{
    const unsigned char *p = (const unsigned char *)*pp;
    unsigned c = *p;
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if ((const char *)p + n > e)
        n = (int)(e - (const char *)p);
    if (n == 1)
        c = *p;
    else if (n == 2)
        c = ((c & 0x1F) << 6) | (p[1] & 0x3F);
    else if (n == 3)
        c = ((c & 0x0F) << 12) | ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    else
        c = ((c & 0x07) << 18) | ((unsigned)(p[1] & 0x3F) << 12) | ((unsigned)(p[2] & 0x3F) << 6) |
            (p[3] & 0x3F);
    *pp = (const char *)p + (n > 0 ? n : 1);
    return c;
}

static inline int is_cjk_cp(unsigned c)
{
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x20000 && c <= 0x2FFFF);
}

/* CJK punctuation and full-width forms count as "wide" for the space rule. */
static inline int is_wide_cp(unsigned c)
{
    return is_cjk_cp(c) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF);
}

static inline int is_space_cp(unsigned c)
{
    if (c <= ' ')
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    if (c < 0xA0)
        return 0;
    return c == 0xA0 || c == 0x3000 || (c >= 0x2000 && c <= 0x200B) || c == 0xFEFF;
}

/* Whitespace-collapsing appender: runs of spaces become one space, dropped
 * at the start, and dropped between two wide characters when the run held
 * a line break (a wrapped source line or a <br>). */
struct coll {
    struct buf *b;
    int pending;      /* 0 none, 1 space, 2 space with a line break */
    unsigned last;    /* last code point written */
};

#define BYTES_01 0x0101010101010101ull

#define BYTES_7F 0x7F7F7F7F7F7F7F7Full

#define BYTES_80 0x8080808080808080ull

/* Number of bytes whose bit 7 is set in m (m holds only bits 7 of bytes). */
static inline size_t count_high(uint64_t m)
{
    return (size_t)(((m >> 7) * BYTES_01) >> 56);
}

/* UTF-8 continuation bytes (10xxxxxx) among the eight bytes of x, as bit 7 of each. */
static inline uint64_t cont_bytes(uint64_t x)
{
    return x & ~(x << 1) & BYTES_80;
}

/* Bytes above ' ' among the eight bytes of x, as bit 7 of each: bit 7 of
 * (b & 0x7F) + 0x5F is set when b & 0x7F > ' ' (no carry leaves a byte);
 * or'ed with b's own bit 7. */
static inline uint64_t above_space(uint64_t x)
{
    return (x | ((x & BYTES_7F) + 0x5F5F5F5F5F5F5F5Full)) & BYTES_80;
}

/* strcasecmp(k, w) == 0 for a w that starts with a lower-case ASCII letter,
 * with the first byte compared before the call. */
static inline int eq_ci(const char *k, const char *w)
{
    return (char)(k[0] | 0x20) == w[0] && strcasecmp(k, w) == 0;
}

/* NA_ENOMEM into *e (sticky) when b ran out of memory; its cap (NA_ETOOBIG)
 * is a documented cut, not an error. */
static inline void oom_of(int *e, const struct buf *b)
{
    if (b->err == NA_ENOMEM)
        *e = NA_ENOMEM;
}

static inline int is_block_tag(enum dom_tag t)
{
    switch (t) {
    case DOM_TAG_DIV: case DOM_TAG_P: case DOM_TAG_LI: case DOM_TAG_TD: case DOM_TAG_TH: case DOM_TAG_TR:
    case DOM_TAG_TABLE: case DOM_TAG_TBODY: case DOM_TAG_THEAD: case DOM_TAG_TFOOT: case DOM_TAG_UL:
    case DOM_TAG_OL: case DOM_TAG_DL: case DOM_TAG_DT: case DOM_TAG_DD: case DOM_TAG_H1: case DOM_TAG_H2:
    case DOM_TAG_H3: case DOM_TAG_H4: case DOM_TAG_H5: case DOM_TAG_H6: case DOM_TAG_HEADER:
    case DOM_TAG_FOOTER: case DOM_TAG_NAV: case DOM_TAG_ASIDE: case DOM_TAG_MAIN: case DOM_TAG_ARTICLE:
    case DOM_TAG_SECTION: case DOM_TAG_ADDRESS: case DOM_TAG_BLOCKQUOTE: case DOM_TAG_PRE:
    case DOM_TAG_FIGURE: case DOM_TAG_FIGCAPTION: case DOM_TAG_CENTER: case DOM_TAG_HR: case DOM_TAG_FORM:
    case DOM_TAG_FIELDSET: case DOM_TAG_CAPTION: case DOM_TAG_HGROUP: case DOM_TAG_DETAILS:
    case DOM_TAG_SUMMARY: case DOM_TAG_MENU: case DOM_TAG_BODY: case DOM_TAG_HTML: case DOM_TAG_OPTION:
        return 1;
    default:
        return 0;
    }
}

static inline int is_skipped_tag(enum dom_tag t)
{
    return t == DOM_TAG_SCRIPT || t == DOM_TAG_STYLE || t == DOM_TAG_TEMPLATE || t == DOM_TAG_SVG ||
           t == DOM_TAG_MATH || t == DOM_TAG_SELECT || t == DOM_TAG_TEXTAREA || t == DOM_TAG_IFRAME ||
           t == DOM_TAG_OBJECT || t == DOM_TAG_HEAD || t == DOM_TAG_NOSCRIPT;
}

/* Zone bits: what an element's tag, class and id say about its subtree. */
enum {
    Z_NEG = 1u << 0,     /* footer, comments, related/recommended lists, nav, sidebars */
    Z_LINK = 1u << 1,    /* inside <a href> */
    Z_LI = 1u << 2,      /* inside a list item */
    Z_POS = 1u << 3,     /* class/id says time/date/info/byline/source */
    Z_HIDDEN = 1u << 4,  /* display:none, hidden */
    Z_TITLE = 1u << 5,   /* class/id says title/headline */
    Z_AUTHOR = 1u << 6,  /* class/id says author/writer/byline */
    Z_CRUMB = 1u << 7,   /* breadcrumb */
    Z_COPY = 1u << 8,    /* copyright */
    Z_CAT = 1u << 9,     /* class/id says category */
    Z_SOURCE = 1u << 10, /* class/id says source */
};

/* Zones of elements, computed once per call: index → zone | ZC_DONE. */
#define ZC_DONE 0x80000000u

struct zcache {
    uint32_t *z;
    size_t n;
    struct cue_memo *cm;      /* the worker's cue memo, or NULL */
    struct {                  /* class/id strings seen: pages repeat them */
        const char *s;
        uint32_t h;
        unsigned z;
    } tab[256];
};

/* Cues of the class/id values already seen with this context (the page's
 * other pass, an earlier page of the same site). cues_of() depends on the
 * first 255 bytes of the value alone, so a value with the same first 255
 * bytes gets the same result. Fixed size: short values in one table, long
 * ones in a smaller one. */
#define CUE_SHORT_SLOTS 512

#define CUE_SHORT_LEN 56

#define CUE_LONG_SLOTS 128

#define CUE_LONG_LEN 256

struct cue_short {
    uint32_t h;
    uint16_t z;
    uint8_t len;              /* 0: empty */
    char s[CUE_SHORT_LEN];
};

struct cue_long {
    uint32_t h;
    uint16_t z;
    uint16_t len;             /* 0: empty */
    char s[CUE_LONG_LEN];
};
struct cue_memo {
    struct cue_short cue_short[CUE_SHORT_SLOTS];
    struct cue_long cue_long[CUE_LONG_SLOTS];
};

struct head {
    const char *title;         /* text of the first <title> (arena) */
    const char *og_title, *tw_title, *meta_title, *site_name;
    const char *canonical, *og_url;
    const char *lang;          /* html lang, content-language, og:locale… */
};

_Static_assert(Z_SOURCE <= 0xFFFF, "zone bits fit cue_short.z");

/* A run of bytes in a string. */
struct seg {
    const char *p;
    size_t n;
};

/* Whitespace-collapsing appender: runs of spaces become one space, dropped
 * at the start, and dropped between two wide characters when the run held
 * a line break (a wrapped source line or a <br>). */
void coll_init(struct coll *c, struct buf *b);
void coll_break(struct coll *c);
void coll_add(struct coll *c, const char *s, size_t n);
/* Appends the text below n with whitespace collapsed; block elements and
 * <br> count as line breaks, until the buffer holds max bytes. */
void coll_node(struct coll *c, const struct dom_node *n, size_t max);
/* Comparison key: no whitespace, ASCII lower case, full-width ASCII folded,
 * curly quotes folded to '"'/'\'', "..." and "…" unified, appended to out;
 * make_key_upto stops once out holds stop bytes or more. */
void make_key_upto(const char *s, size_t n, struct buf *out, size_t stop);
void make_key(const char *s, size_t n, struct buf *out);
/* Code points of the n bytes at s; of visible text only. */
size_t count_cps(const char *s, size_t n);
size_t count_visible(const char *s, size_t n);
/* memmem for short needles. */
const void *find_bytes(const void *hay, size_t hn, const void *needle, size_t nn);
int starts_with_ci(const char *s, const char *prefix);
/* s with whitespace collapsed, or NULL when nothing is left (or out of
 * memory: then *e is NA_ENOMEM). */
char *dup_trim(const char *s, size_t n, int *e);

/* 1 when n is hidden (hidden attribute, display:none, visibility:hidden). */
int is_hidden(const struct dom_node *n);
/* The zone bits of element n itself (its tag, class, id, style), cached in
 * zc (which may be NULL). */
unsigned zone_of_c(struct zcache *zc, const struct dom_node *n);

/* Scans the tree for <title>, the meta tags and the canonical link. */
void head_scan(struct dom *d, struct head *h);
/* An absolute http(s) URL without spaces or markup. */
int is_abs_url(const char *u);

#endif
