/* meta.c — article metadata from the dom. meta_title() compares <title>,
 * og:title, JSON-LD headline and the short elements of <body> to find the
 * headline element and strip the site name; meta_fields() walks the body
 * once, cutting it into lines, and scores every date, byline, source and
 * breadcrumb it sees by where it stands relative to the headline, against
 * the meta tags, JSON-LD, <time> elements and the URL path. Linear in the
 * tree; all state is per call (thread-safe), except the caller's meta_ctx
 * (one per worker): a fixed-size memo of class/id cues, which gives
 * byte-equal values the same result, and the last JSON-LD read. */
#include "parser/meta.h"
#include "parser/date.h"
#include "parser/dom.h"
#include "parser/jsonld.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TITLE_MAX_BYTES 600   /* longer elements are not headline candidates */
#define LINE_KEEP 2048        /* bytes of a line kept for pattern matching */
#define MAX_DATES 256
#define MAX_NAMES 64
#define TITLE_TOP 8           /* headline candidates kept for the second look */

/* ---- UTF-8 and text helpers ---- */

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

static int is_cjk_cp(unsigned c)
{
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x20000 && c <= 0x2FFFF);
}

/* CJK punctuation and full-width forms count as "wide" for the space rule. */
static int is_wide_cp(unsigned c)
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

static void coll_init(struct coll *c, struct buf *b)
{
    c->b = b;
    c->pending = 0;
    c->last = 0;
}

static void coll_break(struct coll *c)
{
    if (c->b->len)
        c->pending = 2;
}

static void coll_add(struct coll *c, const char *s, size_t n)
{
    const char *p = s, *e = s + n;
    while (p < e) {
        const char *q = p;
        unsigned cp = (unsigned char)*p;
        if (cp > ' ' && cp < 0x7F)
            p++;
        else
            cp = next_cp(&p, e);
        if (is_space_cp(cp)) {
            if (c->b->len && c->pending < 2)
                c->pending = (cp == '\n' || cp == '\r') ? 2 : 1;
            continue;
        }
        if (c->pending) {
            if (!(c->pending == 2 && is_wide_cp(c->last) && is_wide_cp(cp)))
                buf_addc(c->b, ' ');
            c->pending = 0;
        }
        /* the run of non-space characters that starts here goes out in
         * one append: only a space sets c->pending again */
        const char *lastp = NULL; /* start of the run's last character when not yet decoded */
        unsigned last = cp;
        while (p < e) {
            unsigned char b = (unsigned char)*p;
            if (b > ' ' && b < 0x7F) {
                last = b;
                lastp = NULL;
                p++;
                continue;
            }
            if (b >= 0xE4 && b <= 0xE9 && e - p >= 3) {
                /* decodes to U+4000..U+9FFF, never a space */
                lastp = p;
                p += 3;
                continue;
            }
            if (b == ' ' && e - p >= 2 && (unsigned char)p[1] > ' ' && (unsigned char)p[1] < 0x7F &&
                c->b->len + (size_t)(p - q) > 0) {
                /* one space, then printable ASCII: the space would be
                 * pending (1) and written as one ' ' before it */
                last = (unsigned char)p[1];
                lastp = NULL;
                p += 2;
                continue;
            }
            const char *t = p;
            unsigned cp2 = next_cp(&t, e);
            if (is_space_cp(cp2))
                break;
            last = cp2;
            lastp = NULL;
            p = t;
        }
        if (lastp)
            last = next_cp(&lastp, e);
        buf_add(c->b, q, (size_t)(p - q));
        c->last = last;
    }
}

/* Appends the text below n with whitespace collapsed; block elements and
 * <br> count as line breaks. Recursion depth is bounded by DOM_MAX_DEPTH. */
static int is_block_tag(enum dom_tag t);

static void coll_node(struct coll *c, const struct dom_node *n, size_t max)
{
    for (const struct dom_node *k = n->first; k && c->b->len < max; k = k->next) {
        if (k->type == DOM_TEXT)
            coll_add(c, k->text, k->len);
        else if (k->tag == DOM_TAG_SCRIPT || k->tag == DOM_TAG_STYLE || k->tag == DOM_TAG_TEMPLATE)
            continue;
        else if (k->tag == DOM_TAG_BR || is_block_tag(k->tag)) {
            coll_break(c);
            coll_node(c, k, max);
            coll_break(c);
        } else
            coll_node(c, k, max);
    }
}

/* Comparison key: no whitespace, ASCII lower case, full-width ASCII folded,
 * curly quotes folded to '"'/'\'', "..." and "…" unified. Stops once out
 * holds stop bytes or more (the bytes before stop are the full key's). */
static void make_key_upto(const char *s, size_t n, struct buf *out, size_t stop)
{
    char o[256]; /* bytes go out in chunks, not one buf_addc each */
    size_t k = 0;
    const char *p = s, *e = s + n;
    while (p < e && out->len + k < stop) {
        if (k > sizeof o - 8) {
            buf_add(out, o, k);
            k = 0;
        }
        unsigned char b = (unsigned char)*p;
        if (b > ' ' && b < 0x80) {
            /* printable ASCII (and DEL): only A-Z fold */
            o[k++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            p++;
            continue;
        }
        if (b >= 0xE4 && b <= 0xE9 && e - p >= 3 && ((unsigned char)p[1] & 0xC0) == 0x80 &&
            ((unsigned char)p[2] & 0xC0) == 0x80) {
            /* U+4000..U+9FFF, well formed: nothing folds, re-encoding gives the same bytes */
            memcpy(o + k, p, 3);
            k += 3;
            p += 3;
            continue;
        }
        const char *q = p;
        unsigned cp = next_cp(&p, e);
        if (is_space_cp(cp))
            continue;
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0;
        if (cp == 0x201C || cp == 0x201D || cp == 0x300C || cp == 0x300D)
            cp = '"';
        if (cp == 0x2018 || cp == 0x2019)
            cp = '\'';
        if (cp == 0x2026) {
            memcpy(o + k, "...", 3);
            k += 3;
            continue;
        }
        if (cp >= 'A' && cp <= 'Z')
            cp += 32;
        if (cp < 0x80)
            o[k++] = (char)cp;
        else if (cp == (unsigned)((unsigned char)q[0]) || p - q > 1) {
            /* re-encode the (possibly folded) code point */
            if (cp < 0x800) {
                o[k++] = (char)(0xC0 | (cp >> 6));
                o[k++] = (char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                o[k++] = (char)(0xE0 | (cp >> 12));
                o[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                o[k++] = (char)(0x80 | (cp & 0x3F));
            } else {
                o[k++] = (char)(0xF0 | (cp >> 18));
                o[k++] = (char)(0x80 | ((cp >> 12) & 0x3F));
                o[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                o[k++] = (char)(0x80 | (cp & 0x3F));
            }
        }
    }
    if (k)
        buf_add(out, o, k);
}

/* Comparison key of the n bytes at s, appended to out. */
static void make_key(const char *s, size_t n, struct buf *out)
{
    make_key_upto(s, n, out, SIZE_MAX);
}

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

static size_t count_cps(const char *s, size_t n)
{
    size_t k = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        k += 8 - count_high(cont_bytes(x));
    }
    for (; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            k++;
    return k;
}

/* Code points of visible text: bytes above ' ' that do not continue a
 * UTF-8 sequence. */
static size_t count_visible(const char *s, size_t n)
{
    size_t k = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        k += count_high(above_space(x) & ~cont_bytes(x));
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c > ' ' && (c & 0xC0) != 0x80)
            k++;
    }
    return k;
}

/* memmem for the short needles used here: memchr on the first byte, then
 * a compare (cheaper than glibc's setup on short haystacks). */
static const void *find_bytes(const void *hay, size_t hn, const void *needle, size_t nn)
{
    const char *h = hay, *nd = needle;
    if (!nn)
        return h;
    if (nn == 1)
        return memchr(h, nd[0], hn);
    while (hn >= nn) {
        const char *p = memchr(h, nd[0], hn - nn + 1);
        if (!p)
            return NULL;
        if (p[1] == nd[1] && (nn == 2 || memcmp(p + 2, nd + 2, nn - 2) == 0))
            return p;
        hn -= (size_t)(p + 1 - h);
        h = p + 1;
    }
    return NULL;
}

/* strcasecmp(k, w) == 0 for a w that starts with a lower-case ASCII letter,
 * with the first byte compared before the call. */
static inline int eq_ci(const char *k, const char *w)
{
    return (char)(k[0] | 0x20) == w[0] && strcasecmp(k, w) == 0;
}

static int starts_with_ci(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* NA_ENOMEM into *e (sticky) when b ran out of memory; its cap (NA_ETOOBIG)
 * is a documented cut, not an error. */
static inline void oom_of(int *e, const struct buf *b)
{
    if (b->err == NA_ENOMEM)
        *e = NA_ENOMEM;
}

/* s with whitespace collapsed, or NULL when nothing is left (or out of
 * memory: then *e is NA_ENOMEM). */
static char *dup_trim(const char *s, size_t n, int *e)
{
    struct buf b = BUF_INIT;
    struct coll c;
    coll_init(&c, &b);
    coll_add(&c, s, n);
    if (b.err || !b.len) {
        oom_of(e, &b);
        buf_release(&b);
        return NULL;
    }
    char *r = buf_detach(&b, NULL);
    if (!r)
        *e = NA_ENOMEM;
    return r;
}

/* ---- tags and class/id cues ---- */

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

/* Words matched anywhere in a class/id (long, unambiguous). */
static const struct {
    const char *w;
    unsigned z;
} cue_sub[] = {
    { "footer", Z_NEG }, { "copyright", Z_NEG | Z_COPY }, { "comment", Z_NEG }, { "related", Z_NEG },
    { "recommend", Z_NEG }, { "sidebar", Z_NEG }, { "xiangguan", Z_NEG }, { "tuijian", Z_NEG },
    { "pinglun", Z_NEG }, { "breadcrumb", Z_CRUMB }, { "crumb", Z_CRUMB }, { "weizhi", Z_CRUMB },
    { "location", Z_CRUMB }, { "position", Z_CRUMB }, { "daohang", Z_CRUMB }, { "mianbao", Z_CRUMB },
    { "headline", Z_TITLE }, { "biaoti", Z_TITLE }, { "title", Z_TITLE }, { "author", Z_AUTHOR },
    { "byline", Z_AUTHOR | Z_POS }, { "writer", Z_AUTHOR }, { "zuozhe", Z_AUTHOR }, { "publish", Z_POS },
    { "pubtime", Z_POS }, { "pubdate", Z_POS }, { "time", Z_POS }, { "date", Z_POS }, { "shijian", Z_POS },
    { "riqi", Z_POS }, { "source", Z_POS | Z_SOURCE }, { "laiyuan", Z_POS | Z_SOURCE }, { "article-info", Z_POS },
    { "articleinfo", Z_POS }, { "post-meta", Z_POS }, { "entry-meta", Z_POS }, { "article-meta", Z_POS },
    { "category", Z_CAT }, { "hotnews", Z_NEG }, { "ranking", Z_NEG }, { "paihang", Z_NEG },
    { "friendlink", Z_NEG }, { "youqing", Z_NEG }, { "banquan", Z_NEG | Z_COPY },
};

/* Words matched as a whole token of a class/id (short, ambiguous as substrings). */
static const struct {
    const char *w;
    unsigned z;
} cue_tok[] = {
    { "nav", Z_NEG }, { "menu", Z_NEG }, { "foot", Z_NEG }, { "side", Z_NEG }, { "hot", Z_NEG },
    { "rank", Z_NEG }, { "reply", Z_NEG }, { "bottom", Z_NEG }, { "links", Z_NEG }, { "xgwz", Z_NEG },
    { "tit", Z_TITLE }, { "info", Z_POS }, { "meta", Z_POS }, { "ly", Z_SOURCE }, { "src", Z_SOURCE },
    { "cat", Z_CAT }, { "path", Z_CRUMB }, { "dqwz", Z_CRUMB }, { "mbx", Z_CRUMB }, { "crumbs", Z_CRUMB },
    { "more", Z_NEG }, { "share", Z_NEG },
};

/* cue_sub indexed by its first two letters, built once (thread-safe); a
 * word whose first two bytes are not both letters is never looked for. */
#define CUE_SUB_N (sizeof cue_sub / sizeof cue_sub[0])
static struct {
    unsigned char idx[26][26][16];
    unsigned char n[26][26];
    unsigned char len[CUE_SUB_N];
    unsigned char tok_len[sizeof cue_tok / sizeof cue_tok[0]];
    unsigned char tok_max;     /* longest cue_tok word */
    uint32_t tok_first[26];    /* cue_tok words by first letter, as a bit set of indexes */
    unsigned char cls[256];    /* a-z and A-Z: 0..25, 0-9: CLS_DIGIT, else CLS_OTHER */
    unsigned char lower[256];  /* ASCII lower case */
} cue_index;
#define CLS_DIGIT 26
#define CLS_OTHER 27
static pthread_once_t cue_once = PTHREAD_ONCE_INIT;

static void cue_index_init(void)
{
    for (int b = 0; b < 256; b++) {
        int l = b >= 'A' && b <= 'Z' ? b + 32 : b;
        cue_index.lower[b] = (unsigned char)l;
        cue_index.cls[b] = l >= 'a' && l <= 'z' ? (unsigned char)(l - 'a') : l >= '0' && l <= '9' ? CLS_DIGIT : CLS_OTHER;
    }
    for (size_t i = 0; i < CUE_SUB_N; i++) {
        int c = cue_sub[i].w[0] - 'a';
        cue_index.len[i] = (unsigned char)strlen(cue_sub[i].w);
        int c2 = c >= 0 && c < 26 ? cue_sub[i].w[1] - 'a' : -1;
        if (c2 >= 0 && c2 < 26 && cue_index.n[c][c2] < 16)
            cue_index.idx[c][c2][cue_index.n[c][c2]++] = (unsigned char)i;
    }
    for (size_t k = 0; k < sizeof cue_tok / sizeof cue_tok[0]; k++) {
        cue_index.tok_len[k] = (unsigned char)strlen(cue_tok[k].w);
        if (cue_index.tok_len[k] > cue_index.tok_max)
            cue_index.tok_max = cue_index.tok_len[k];
        cue_index.tok_first[cue_tok[k].w[0] - 'a'] |= 1u << k;
    }
}

/* Zone bits a class or id value names; n = min(strlen(v), 255): only
 * those bytes are read. */
static unsigned cues_of(const char *v, size_t n)
{
    if (!n)
        return 0;
    pthread_once(&cue_once, cue_index_init);
    const unsigned char *cls = cue_index.cls, *lower = cue_index.lower;
    const unsigned char *u = (const unsigned char *)v;
    unsigned z = 0;
    /* tokens: runs of letters and digits (any case). Every cue_sub word
     * starts with two letters, so each occurrence starts inside a token. */
    for (size_t i = 0; i < n;) {
        while (i < n && cls[u[i]] == CLS_OTHER)
            i++;
        size_t j = i;
        unsigned prev = CLS_OTHER;
        while (j < n) {
            unsigned c = cls[u[j]];
            if (c == CLS_OTHER)
                break;
            if (prev < 26 && c < 26 && cue_index.n[prev][c]) {
                size_t k = j - 1;
                for (int m = 0; m < cue_index.n[prev][c]; m++) {
                    int w = cue_index.idx[prev][c][m];
                    size_t l = cue_index.len[w];
                    if (k + l <= n) {
                        size_t q = 2;
                        while (q < l && lower[u[k + q]] == (unsigned char)cue_sub[w].w[q])
                            q++;
                        if (q == l)
                            z |= cue_sub[w].z;
                    }
                }
            }
            prev = c;
            j++;
        }
        if (j > i && j - i <= cue_index.tok_max && cls[u[i]] < 26)
            for (unsigned m = cue_index.tok_first[cls[u[i]]]; m; m &= m - 1) {
                unsigned k = (unsigned)__builtin_ctz(m);
                if (cue_index.tok_len[k] != j - i)
                    continue;
                size_t q = 0;
                while (q < j - i && lower[u[i + q]] == (unsigned char)cue_tok[k].w[q])
                    q++;
                if (q == j - i)
                    z |= cue_tok[k].z;
            }
        i = j;
    }
    if (!(z & (Z_TITLE | Z_POS)))
        return z;
    char low[256];
    for (size_t i = 0; i < n; i++)
        low[i] = (char)lower[u[i]];
    low[n] = 0;
    /* "subtitle", "title-list" and the like are not the headline */
    if ((z & Z_TITLE) && (strstr(low, "subtitle") || strstr(low, "sub-title") || strstr(low, "list")))
        z &= ~(unsigned)Z_TITLE;
    /* "update-time", "datelist"? keep POS; "timeline" is not a byline */
    if ((z & Z_POS) && strstr(low, "timeline"))
        z &= ~(unsigned)Z_POS;
    return z;
}

/* 1 when a style attribute value hides the element: "display" (any case)
 * followed by spaces, ':', spaces and "none", or "visibility:hidden" or
 * "visibility: hidden". One pass over the value. */
static int style_hides(const char *st)
{
    for (const char *p = st; *p; p++) {
        char c = (char)(*p | 0x20);
        if (c == 'd' && strncasecmp(p, "display", 7) == 0) {
            const char *q = p + 7;
            while (*q == ' ')
                q++;
            if (*q == ':') {
                q++;
                while (*q == ' ')
                    q++;
                if (strncasecmp(q, "none", 4) == 0)
                    return 1;
            }
        } else if (c == 'v' && (strncasecmp(p, "visibility:hidden", 17) == 0 ||
                                strncasecmp(p, "visibility: hidden", 18) == 0))
            return 1;
    }
    return 0;
}

static int is_hidden(const struct dom_node *n)
{
    if (dom_attr(n, "hidden"))
        return 1;
    const char *st = dom_attr(n, "style");
    return st && style_hides(st);
}

/* Zones of elements, computed once per call: index → zone | ZC_DONE. */
#define ZC_DONE 0x80000000u
struct zcache {
    uint32_t *z;
    size_t n;
    struct meta_ctx *mx;      /* the worker's cue memo, or NULL */
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

struct meta_ctx {
    struct cue_short cue_short[CUE_SHORT_SLOTS];
    struct cue_long cue_long[CUE_LONG_SLOTS];
    struct jsonld_memo *ld;   /* meta_title and meta_fields read the same blocks */
};

void meta_result_init(struct meta_result *r) { memset(r, 0, sizeof *r); }

void meta_result_release(struct meta_result *r)
{
    if (!r)
        return;
    free(r->url);
    free(r->title);
    free(r->lang);
    free(r->published);
    free(r->published_from);
    free(r->author);
    free(r->source);
    free(r->category);
    meta_result_init(r);
}

struct meta_ctx *meta_ctx_new(void)
{
    struct meta_ctx *mx = na_calloc(1, sizeof *mx);
    if (mx && !(mx->ld = jsonld_memo_new())) {
        free(mx);
        mx = NULL;
    }
    return mx;
}

void meta_ctx_free(struct meta_ctx *mx)
{
    if (!mx)
        return;
    jsonld_memo_free(mx->ld);
    free(mx);
}

_Static_assert(Z_SOURCE <= 0xFFFF, "zone bits fit cue_short.z");

static unsigned cues_cached(struct zcache *zc, const char *v)
{
    if (!zc) {
        size_t l = strnlen(v, 255);
        return cues_of(v, l);
    }
    /* a hash of the value, eight bytes at a time */
    size_t n = strlen(v);
    uint64_t h64 = 0x9E3779B97F4A7C15ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, v + i, 8);
        h64 = (h64 ^ x) * 0xFF51AFD7ED558CCDull;
        h64 ^= h64 >> 29;
    }
    if (i < n) {
        uint64_t x = 0;
        memcpy(&x, v + i, n - i);
        h64 = (h64 ^ x) * 0xFF51AFD7ED558CCDull;
        h64 ^= h64 >> 29;
    }
    uint32_t h = (uint32_t)(h64 ^ (h64 >> 32));
    unsigned slot = h & 255;
    if (zc->tab[slot].s && zc->tab[slot].h == h && strcmp(zc->tab[slot].s, v) == 0)
        return zc->tab[slot].z;
    unsigned z;
    size_t kl = n < 255 ? n : 255; /* the bytes cues_of reads */
    if (!kl)
        z = 0;
    else if (!zc->mx)
        z = cues_of(v, kl);
    else if (kl < CUE_SHORT_LEN) {
        struct cue_short *m = &zc->mx->cue_short[(h >> 8) & (CUE_SHORT_SLOTS - 1)];
        if (m->len == kl && m->h == h && memcmp(m->s, v, kl) == 0)
            z = m->z;
        else {
            z = cues_of(v, kl);
            m->h = h;
            m->z = (uint16_t)z;
            m->len = (uint8_t)kl;
            memcpy(m->s, v, kl);
        }
    } else {
        struct cue_long *m = &zc->mx->cue_long[(h >> 8) & (CUE_LONG_SLOTS - 1)];
        if (m->len == kl && m->h == h && memcmp(m->s, v, kl) == 0)
            z = m->z;
        else {
            z = cues_of(v, kl);
            m->h = h;
            m->z = (uint16_t)z;
            m->len = (uint16_t)kl;
            memcpy(m->s, v, kl);
        }
    }
    zc->tab[slot].s = v;
    zc->tab[slot].h = h;
    zc->tab[slot].z = z;
    return z;
}

static unsigned zone_compute(struct zcache *zc, const struct dom_node *n);

static unsigned zone_of_c(struct zcache *zc, const struct dom_node *n)
{
    if (!zc || !zc->z || n->index >= zc->n)
        return zone_compute(zc, n);
    uint32_t v = zc->z[n->index];
    if (!(v & ZC_DONE)) {
        v = zone_compute(zc, n) | ZC_DONE;
        zc->z[n->index] = v;
    }
    return v & ~ZC_DONE;
}

static unsigned zone_compute(struct zcache *zc, const struct dom_node *n)
{
    /* one pass over the attributes (the first of each name counts, as
     * with dom_attr) */
    const char *c = NULL, *id = NULL, *style = NULL;
    int hidden = 0, href = 0;
    for (unsigned i = 0; i < n->nattrs; i++) {
        const char *an = n->attrs[i].name;
        switch (an[0]) {
        case 'c':
            if (!c && strcmp(an, "class") == 0)
                c = n->attrs[i].value;
            break;
        case 'i':
            if (!id && an[1] == 'd' && !an[2])
                id = n->attrs[i].value;
            break;
        case 'h':
            if (strcmp(an, "hidden") == 0)
                hidden = 1;
            else if (strcmp(an, "href") == 0)
                href = 1;
            break;
        case 's':
            if (!style && strcmp(an, "style") == 0)
                style = n->attrs[i].value;
            break;
        default:
            break;
        }
    }
    unsigned z = 0;
    switch (n->tag) {
    case DOM_TAG_FOOTER: case DOM_TAG_NAV: case DOM_TAG_ASIDE: z |= Z_NEG; break;
    case DOM_TAG_A: if (href) z |= Z_LINK; break;
    case DOM_TAG_LI: z |= Z_LI; break;
    case DOM_TAG_ADDRESS: z |= Z_AUTHOR; break;
    default: break;
    }
    if (c)
        z |= cues_cached(zc, c);
    if (id)
        z |= cues_cached(zc, id);
    if (hidden || (style && style_hides(style)))
        z |= Z_HIDDEN;
    return z;
}

/* ---- head: <title>, meta tags, link rel=canonical, lang ---- */

struct head {
    const char *title;         /* text of the first <title> (arena) */
    const char *og_title, *tw_title, *meta_title, *site_name;
    const char *canonical, *og_url;
    const char *lang;          /* html lang, content-language, og:locale… */
};

static void head_scan(struct dom *d, struct head *h)
{
    memset(h, 0, sizeof *h);
    if (!d->root)
        return;
    const char *v = dom_attr(d->root, "lang");
    if (!v)
        v = dom_attr(d->root, "xml:lang");
    if (v && *v)
        h->lang = v;
    const char *lang2 = NULL;
    for (struct dom_node *n = d->root; n; n = dom_next(n, d->root)) {
        if (n->type != DOM_ELEMENT)
            continue;
        if (n->tag == DOM_TAG_TITLE && !h->title) {
            const struct dom_node *t = n->first;
            if (t && t->type == DOM_TEXT)
                h->title = t->text;
        } else if (n->tag == DOM_TAG_META) {
            const char *k = dom_attr(n, "property");
            if (!k)
                k = dom_attr(n, "name");
            const char *c = dom_attr(n, "content");
            const char *he = dom_attr(n, "http-equiv");
            if (he && c && eq_ci(he, "content-language") && !lang2)
                lang2 = c;
            if (!k || !c || !*c)
                continue;
            if (eq_ci(k, "og:title") && !h->og_title)
                h->og_title = c;
            else if (eq_ci(k, "twitter:title") && !h->tw_title)
                h->tw_title = c;
            else if ((eq_ci(k, "title") || eq_ci(k, "headline") ||
                      eq_ci(k, "dc.title") || eq_ci(k, "sharetitle")) && !h->meta_title)
                h->meta_title = c;
            else if (eq_ci(k, "og:site_name") && !h->site_name)
                h->site_name = c;
            else if (eq_ci(k, "og:url") && !h->og_url)
                h->og_url = c;
            else if ((eq_ci(k, "language") || eq_ci(k, "dc.language") ||
                      eq_ci(k, "content-language")) && !lang2)
                lang2 = c;
            else if (eq_ci(k, "og:locale") && !lang2)
                lang2 = c;
        } else if (n->tag == DOM_TAG_LINK && !h->canonical) {
            const char *rel = dom_attr(n, "rel");
            const char *href = dom_attr(n, "href");
            if (rel && href && eq_ci(rel, "canonical"))
                h->canonical = href;
        }
    }
    if (!h->lang)
        h->lang = lang2;
}

static int is_abs_url(const char *u)
{
    return u && (starts_with_ci(u, "http://") || starts_with_ci(u, "https://")) && strlen(u) > 8 &&
           !strpbrk(u, " \t\n<>\"");
}

/* ---- language ---- */

struct script_count {
    size_t han, kana, hangul, latin, cyr, arabic, greek, hebrew, thai, deva, total;
};

static void count_scripts(const char *s, size_t n, struct script_count *sc)
{
    const char *p = s, *e = s + n;
    while (p < e) {
        unsigned c = next_cp(&p, e);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0x24F))
            sc->latin++;
        else if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF))
            sc->han++;
        else if (c >= 0x3040 && c <= 0x30FF)
            sc->kana++;
        else if (c >= 0xAC00 && c <= 0xD7AF)
            sc->hangul++;
        else if (c >= 0x400 && c <= 0x4FF)
            sc->cyr++;
        else if (c >= 0x600 && c <= 0x6FF)
            sc->arabic++;
        else if (c >= 0x370 && c <= 0x3FF)
            sc->greek++;
        else if (c >= 0x590 && c <= 0x5FF)
            sc->hebrew++;
        else if (c >= 0xE00 && c <= 0xE7F)
            sc->thai++;
        else if (c >= 0x900 && c <= 0x97F)
            sc->deva++;
        else
            continue;
        sc->total++;
    }
}

/* Most frequent function words of some Latin-script languages. */
static const char *latin_lang(const char *s, size_t n)
{
    static const struct {
        const char *lang;
        const char *words[8];
    } sw[] = {
        { "en", { "the", "and", "of", "to", "is", "that", "with", "for" } },
        { "de", { "der", "die", "und", "das", "ist", "nicht", "mit", "den" } },
        { "fr", { "le", "les", "et", "des", "est", "une", "dans", "pour" } },
        { "es", { "el", "los", "que", "del", "las", "por", "una", "para" } },
        { "it", { "il", "che", "della", "per", "sono", "gli", "non", "una" } },
        { "pt", { "que", "não", "uma", "para", "com", "os", "do", "da" } },
        { "nl", { "het", "een", "van", "en", "niet", "op", "zijn", "voor" } },
        { "pl", { "nie", "się", "jest", "na", "że", "do", "to", "w" } },
    };
    enum { NL = sizeof sw / sizeof sw[0] };
    int score[NL] = { 0 };
    uint64_t by_first[256]; /* bit i * 8 + j: sw[i].words[j] starts with that byte */
    memset(by_first, 0, sizeof by_first);
    for (int i = 0; i < NL; i++)
        for (int j = 0; j < 8; j++)
            by_first[(unsigned char)sw[i].words[j][0]] |= 1ull << (i * 8 + j);
    const char *p = s, *e = s + n;
    while (p < e) {
        while (p < e && !(((unsigned char)*p >= 0x80) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            p++;
        const char *q = p;
        while (q < e && (((unsigned char)*q >= 0x80) || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')))
            q++;
        size_t l = (size_t)(q - p);
        if (l >= 1 && l <= 6) {
            char w[8];
            for (size_t i = 0; i < l; i++)
                w[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
            w[l] = 0;
            for (uint64_t m = by_first[(unsigned char)w[0]]; m; m &= m - 1) {
                int b = __builtin_ctzll(m);
                if (strcmp(w, sw[b / 8].words[b % 8]) == 0)
                    score[b / 8]++;
            }
        }
        p = q;
    }
    int best = -1, bs = 0, second = 0;
    for (int i = 0; i < NL; i++) {
        if (score[i] > bs) {
            second = bs;
            bs = score[i];
            best = i;
        } else if (score[i] > second)
            second = score[i];
    }
    if (best < 0 || bs < 4 || bs < second * 3 / 2)
        return NULL;
    return sw[best].lang;
}

/* Language from the script of the text: NULL when unsure. */
static const char *script_lang(const char *s, size_t n)
{
    struct script_count sc;
    memset(&sc, 0, sizeof sc);
    count_scripts(s, n, &sc);
    if (sc.total < 20)
        return NULL;
    size_t cjk = sc.han + sc.kana;
    if (sc.kana * 10 > cjk && sc.kana >= 10 && cjk * 3 > sc.total)
        return "ja";
    if (sc.hangul * 3 > sc.total)
        return "ko";
    if (sc.han * 3 > sc.total)
        return "zh";
    if (sc.cyr * 2 > sc.total)
        return "ru";
    if (sc.arabic * 2 > sc.total)
        return "ar";
    if (sc.greek * 2 > sc.total)
        return "el";
    if (sc.hebrew * 2 > sc.total)
        return "he";
    if (sc.thai * 2 > sc.total)
        return "th";
    if (sc.deva * 2 > sc.total)
        return "hi";
    if (sc.latin * 10 > sc.total * 9)
        return latin_lang(s, n);
    return NULL;
}

/* "zh-CN" → "zh"; NULL when the value is no language tag. */
static char *lang_primary(const char *v, int *e)
{
    while (*v == ' ')
        v++;
    size_t n = 0;
    char out[4];
    while (n < 3 && ((v[n] >= 'a' && v[n] <= 'z') || (v[n] >= 'A' && v[n] <= 'Z'))) {
        out[n] = (char)(v[n] >= 'A' && v[n] <= 'Z' ? v[n] + 32 : v[n]);
        n++;
    }
    if (n < 2 || (v[n] && v[n] != '-' && v[n] != '_' && v[n] != ',' && v[n] != ' ' && v[n] != ';'))
        return NULL;
    out[n] = 0;
    char *r = na_strdup(out);
    if (!r)
        *e = NA_ENOMEM;
    return r;
}

static int lang_is_cjk(const char *l)
{
    return strcmp(l, "zh") == 0 || strcmp(l, "ja") == 0 || strcmp(l, "ko") == 0;
}

/* ---- site-name stripping ---- */

struct seg {
    const char *p;
    size_t n;
};

/* Splits t at site-name separators; returns the number of segments. */
static size_t split_title(const char *t, size_t n, struct seg *segs, size_t max)
{
    static const char *const seps[] = { " - ", " | ", " – ", " — ", " · ", " :: ", " » ", " / ", "--",
                                        "_", "|", "－", "｜", "——", "—", " ", NULL };
    size_t ns = 0;
    const char *p = t, *start = t, *e = t + n;
    while (p < e && ns + 1 < max) {
        size_t sl = 0;
        for (int i = 0; seps[i]; i++) {
            size_t l = strlen(seps[i]);
            if (l <= (size_t)(e - p) && memcmp(p, seps[i], l) == 0) {
                sl = l;
                break;
            }
        }
        /* a bare hyphen only where it joins two wide words or a word and a
         * site name with a dot, never inside "COVID-19" or "Mate20X-5G" */
        if (!sl && *p == '-' && p > t && p + 1 < e) {
            const char *a = p;
            while (a > t && ((unsigned char)a[-1] & 0xC0) == 0x80)
                a--;
            if (a > t)
                a--;
            while (a > t && ((unsigned char)*a & 0xC0) == 0x80)
                a--;
            const char *b = p + 1;
            unsigned cb = next_cp(&b, e);
            const char *aa = a;
            unsigned ca = next_cp(&aa, e);
            if (is_wide_cp(ca) || is_wide_cp(cb))
                sl = 1;
            /* "…ZoomEye-CSDN.NET": a domain-like site name after it */
            const char *r = p + 1;
            while (r < e && *r != ' ' && *r != '.' && *r != '-')
                r++;
            if (r < e && *r == '.' && r + 1 < e && ((r[1] >= 'a' && r[1] <= 'z') || (r[1] >= 'A' && r[1] <= 'Z')))
                sl = 1;
        }
        /* a plain space separates only when a wide character is next to it on
         * both sides ("标题 东区办事处_中山网") — never inside Latin text */
        if (sl == 1 && *p == ' ') {
            const char *a = p;
            while (a > t && ((unsigned char)a[-1] & 0xC0) == 0x80)
                a--;
            if (a > t)
                a--;
            while (a > t && ((unsigned char)*a & 0xC0) == 0x80)
                a--;
            const char *aa = a, *b = p + 1;
            unsigned ca = next_cp(&aa, e), cb = p + 1 < e ? next_cp(&b, e) : 0;
            if (!(is_wide_cp(ca) && is_wide_cp(cb)))
                sl = 0;
        }
        if (sl) {
            if (p > start)
                segs[ns++] = (struct seg){ start, (size_t)(p - start) };
            p += sl;
            start = p;
        } else
            p++;
    }
    if (e > start)
        segs[ns++] = (struct seg){ start, (size_t)(e - start) };
    return ns;
}

/* The headline part of a <title>-like string: the longest segment between
 * site-name separators (ties: the first). Plain spaces between wide words
 * split only when the other separators leave the title whole. */
static char *strip_site(const char *t, int *e)
{
    if (!t)
        return NULL;
    char *tt = dup_trim(t, strlen(t), e);
    if (!tt)
        return NULL;
    size_t n = strlen(tt);
    struct seg segs[32];
    size_t ns = split_title(tt, n, segs, 32);
    size_t best = 0, bl = 0;
    for (size_t i = 0; i < ns; i++) {
        size_t l = count_cps(segs[i].p, segs[i].n);
        if (l > bl) {
            bl = l;
            best = i;
        }
    }
    if (ns <= 1 || !bl) {
        return tt;
    }
    /* When the split is only at spaces, keep the whole: spaces are part of
     * many Chinese headlines ("多地项目连环爆雷 狂奔的龙湖集团"). */
    int other = 0;
    for (size_t i = 0; i + 1 < ns; i++) {
        const char *gap = segs[i].p + segs[i].n;
        if (!(gap + 1 == segs[i + 1].p && *gap == ' '))
            other = 1;
    }
    char *r;
    if (!other)
        r = tt;
    else {
        /* Re-join neighbours of the best segment separated only by spaces. */
        size_t a = best, b = best;
        while (a > 0 && segs[a - 1].p + segs[a - 1].n + 1 == segs[a].p && segs[a].p[-1] == ' ')
            a--;
        while (b + 1 < ns && segs[b].p + segs[b].n + 1 == segs[b + 1].p && segs[b].p[segs[b].n] == ' ')
            b++;
        /* but a short trailing word after a space is the site or column name */
        if (b > best && count_cps(segs[b].p, segs[b].n) * 3 < count_cps(segs[best].p, segs[best].n))
            b = best;
        r = dup_trim(segs[a].p, (size_t)(segs[b].p + segs[b].n - segs[a].p), e);
        free(tt);
    }
    return r;
}

/* ---- headline candidates ---- */

struct ref {
    struct buf key;
    size_t klen;
    int weight; /* how much an exact match with this reference counts */
};

struct tctx {
    struct dom *d;
    uint32_t *tlen;           /* non-space text bytes below each node, by index */
    size_t nidx;
    struct ref refs[4];       /* <title>, og:title, JSON-LD headline, twitter/meta title */
    int nrefs;
    struct tcand {
        struct dom_node *n;
        double score, sim;
        int contains;         /* candidate holds a whole reference plus more text */
    } top[TITLE_TOP];         /* best candidates, best first */
    int ntop;
    int has_refs;             /* some reference has text */
    int err;                  /* NA_ENOMEM once an allocation failed (sticky) */
    struct zcache zc;
    struct buf tmp, key;
};

static uint32_t text_bytes(const struct dom_node *t)
{
    const char *s = t->text;
    size_t n = t->len, i = 0;
    uint32_t k = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        k += (uint32_t)count_high(above_space(x));
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c > ' ')
            k++;
    }
    return k;
}

/* Fills tlen bottom-up: recursion depth is bounded by DOM_MAX_DEPTH. */
static uint32_t fill_tlen(struct tctx *c, const struct dom_node *n)
{
    uint32_t sum = 0;
    for (const struct dom_node *k = n->first; k; k = k->next) {
        uint32_t v;
        if (k->type == DOM_TEXT)
            v = text_bytes(k);
        else if (is_skipped_tag(k->tag))
            v = 0;
        else
            v = fill_tlen(c, k);
        if (k->index < c->nidx)
            c->tlen[k->index] = v;
        sum = sum + v < sum ? UINT32_MAX : sum + v;
    }
    return sum;
}

/* Scores the element n whose text is a possible headline. Elements that
 * only wrap one another (<div><h1><a>text</a></h1></div>) are one
 * candidate: their tags and cues are pooled, the heading among them is
 * what is returned. zone: the zones of n's ancestors. */
/* 1 when the first bytes of n's text (as a key) occur in some reference:
 * without that, n cannot be a part of the headline the head names. */
static int prefix_in_refs(struct tctx *c, const struct dom_node *n)
{
    buf_reset(&c->key);
    for (const struct dom_node *t = n->first; t && c->key.len < 9; t = dom_next(t, n))
        if (t->type == DOM_TEXT)
            make_key_upto(t->text, t->len < 64 ? t->len : 64, &c->key, 10); /* bytes 0..9 are read */
    oom_of(&c->err, &c->key);
    if (c->key.err || c->key.len < 3)
        return 0;
    size_t kl = c->key.len < 9 ? c->key.len : 9;
    while (kl > 3 && ((unsigned char)c->key.data[kl] & 0xC0) == 0x80)
        kl--; /* whole characters only */
    for (int i = 0; i < c->nrefs; i++)
        if (c->refs[i].klen >= kl && find_bytes(c->refs[i].key.data, c->refs[i].klen, c->key.data, kl))
            return 1;
    return 0;
}

static void score_candidate(struct tctx *c, struct dom_node *n, unsigned zone)
{
    /* the chain of wrappers below n with the same text */
    double tagb = 0;
    unsigned own = 0;
    int link = 0, itemprop = 0;
    struct dom_node *ret = n;
    uint32_t l = c->tlen[n->index];
    for (struct dom_node *x = n; x;) {
        double b = 0;
        switch (x->tag) {
        case DOM_TAG_H1: b = 4; break;
        case DOM_TAG_H2: b = 2.5; break;
        case DOM_TAG_H3: case DOM_TAG_H4: case DOM_TAG_H5: case DOM_TAG_H6: b = 1.5; break;
        case DOM_TAG_A: if (dom_attr(x, "href")) link = 1; break;
        default: break;
        }
        if (b > tagb) {
            tagb = b;
            ret = x;
        }
        own |= zone_of_c(&c->zc, x);
        const char *ip = dom_attr(x, "itemprop");
        if (ip && eq_ci(ip, "headline"))
            itemprop = 1;
        struct dom_node *next = NULL;
        for (struct dom_node *k = x->first; k; k = k->next)
            if (k->type == DOM_ELEMENT && k->index < c->nidx && c->tlen[k->index] == l) {
                next = k;
                break;
            }
        x = next;
    }
    /* a plain element (no heading tag, no title cue) is a candidate only
     * when its text starts like a part of a reference */
    if (tagb == 0 && !itemprop && !((own | zone) & Z_TITLE) && !prefix_in_refs(c, n))
        return;
    buf_reset(&c->tmp);
    buf_reset(&c->key);
    struct coll co;
    coll_init(&co, &c->tmp);
    coll_node(&co, n, TITLE_MAX_BYTES * 2);
    make_key(c->tmp.data ? c->tmp.data : "", c->tmp.len, &c->key);
    oom_of(&c->err, &c->tmp);
    oom_of(&c->err, &c->key);
    if (c->tmp.err || c->key.err || c->key.len < 4)
        return;
    const char *k = c->key.data;
    size_t kl = c->key.len;
    double sim = 0, exact_bonus = 0;
    int contains = 0;
    for (int i = 0; i < c->nrefs; i++) {
        struct ref *r = &c->refs[i];
        if (!r->klen)
            continue;
        double s = 0;
        if (kl == r->klen && memcmp(k, r->key.data, kl) == 0) {
            s = 1.0;
            if (r->weight > exact_bonus)
                exact_bonus = r->weight;
        } else if (kl < r->klen && find_bytes(r->key.data, r->klen, k, kl)) {
            s = (double)kl / (double)r->klen;
            /* a prefix of the title is most often the headline itself, a
             * suffix the site's name ("金锺国 - 维基百科，自由的百科全书") */
            if (memcmp(r->key.data, k, kl) == 0)
                s = s * 0.5 + 0.5;
            else if (memcmp(r->key.data + r->klen - kl, k, kl) == 0)
                s *= 0.7;
            else
                s *= 0.8;
        } else if (kl > r->klen && r->klen >= 8 && find_bytes(k, kl, r->key.data, r->klen) &&
                   r->klen * 10 >= kl * 7) {
            s = 0.8 * (double)r->klen / (double)kl;
        }
        if (s > sim) {
            sim = s;
            contains = s > 0 && kl > r->klen;
        }
    }
    double score = tagb;
    if (sim > 0)
        score += 10 * sim + exact_bonus;
    if (itemprop)
        score += 4;
    if ((own | zone) & Z_TITLE)
        score += 2;
    if (link || (zone & Z_LINK))
        score -= (own & Z_TITLE) ? 2 : 5; /* a teaser pointing elsewhere, unless it says title (a permalink) */
    if (zone & (Z_NEG | Z_CRUMB))
        score -= 4;
    if (zone & Z_LI)
        score -= 2;
    if ((zone | own) & Z_HIDDEN)
        score -= 12;
    /* a headline is a phrase: penalise long texts and single words
     * ("Trackback", "评论") without a reference match */
    const char *tx = c->tmp.data ? c->tmp.data : "";
    size_t cps = count_cps(tx, c->tmp.len);
    if (cps > 120)
        score -= 3;
    if (sim < 0.999 && (cps < 5 || (!memchr(tx, ' ', c->tmp.len) && cps == c->tmp.len && cps < 16)))
        score -= 3;
    /* "首页 > 新闻", "Home / News": a breadcrumb, not a headline */
    if (sim < 0.999 && (strncmp(tx, "首页", 6) == 0 || strncasecmp(tx, "home ", 5) == 0 ||
                        strstr(tx, "当前位置") || strstr(tx, "您的位置") || strstr(tx, " > ") || strstr(tx, " » ")))
        score -= 4;
    /* without a reference, earlier is likelier */
    if (sim == 0 && c->nidx)
        score += 2.0 * (1.0 - (double)n->index / (double)c->nidx);
    int pos = c->ntop;
    while (pos > 0 && c->top[pos - 1].score < score)
        pos--;
    if (pos >= TITLE_TOP)
        return;
    int last = c->ntop < TITLE_TOP ? c->ntop : TITLE_TOP - 1;
    memmove(&c->top[pos + 1], &c->top[pos], (size_t)(last - pos) * sizeof c->top[0]);
    c->top[pos] = (struct tcand){ ret, score, sim, contains };
    if (c->ntop < TITLE_TOP)
        c->ntop++;
}

static void walk_candidates(struct tctx *c, struct dom_node *n, unsigned zone)
{
    /* <body> itself is never a candidate: its only child may be one */
    uint32_t pl = n->tag != DOM_TAG_BODY && n->index < c->nidx ? c->tlen[n->index] : UINT32_MAX;
    for (struct dom_node *k = n->first; k; k = k->next) {
        if (k->type != DOM_ELEMENT || is_skipped_tag(k->tag))
            continue;
        if (k->index >= c->nidx)
            continue;
        uint32_t l = c->tlen[k->index];
        if (l < 4)
            continue;
        /* the outermost of a chain of wrappers is the candidate */
        if (l <= TITLE_MAX_BYTES && l != pl && k->tag != DOM_TAG_BR && k->tag != DOM_TAG_OPTION)
            score_candidate(c, k, zone);
        walk_candidates(c, k, zone | zone_of_c(&c->zc, k) | (k->tag == DOM_TAG_A && dom_attr(k, "href") ? Z_LINK : 0));
    }
}

static int is_heading(const struct dom_node *k)
{
    return k->type == DOM_ELEMENT && (k->tag == DOM_TAG_H1 || k->tag == DOM_TAG_H2 || k->tag == DOM_TAG_H3 ||
                                      k->tag == DOM_TAG_H4 || k->tag == DOM_TAG_H5 || k->tag == DOM_TAG_H6);
}

/* 1 when a date follows the element within a few lines of text: the byline
 * under a headline. */
static int date_follows(const struct dom_node *n, const struct dom_node *top, time_t now, struct buf *tmp)
{
    buf_reset(tmp);
    int steps = 0;
    for (const struct dom_node *k = dom_next_skip(n, top); k && tmp->len < 240 && steps < 400; steps++) {
        if (k->type == DOM_ELEMENT && (is_skipped_tag(k->tag) || is_hidden(k))) {
            k = dom_next_skip(k, top);
            continue;
        }
        if (is_heading(k))
            break; /* the byline belongs to the nearer heading */
        if (k->type == DOM_TEXT) {
            buf_add(tmp, k->text, k->len < 240 ? k->len : 240);
            buf_addc(tmp, ' ');
        }
        k = dom_next(k, top);
    }
    struct date_hit h;
    return !tmp->err && date_find(buf_str(tmp), tmp->len, now, DATE_RELATIVE_OK | DATE_BARE_OK, &h) != 0;
}

/* 1 when prose follows the element: at least 200 bytes of text outside
 * links, in runs of 30 bytes or more, within the next 400 nodes. A headline
 * is followed by its article; a sidebar heading by links. */
static int prose_follows(const struct dom_node *n, const struct dom_node *top)
{
    size_t mass = 0;
    int steps = 0;
    for (const struct dom_node *k = dom_next_skip(n, top); k && steps < 400; steps++) {
        if (k->type == DOM_ELEMENT && (is_skipped_tag(k->tag) || (k->tag == DOM_TAG_A && dom_attr(k, "href")))) {
            k = dom_next_skip(k, top);
            continue;
        }
        if (is_heading(k) && mass == 0)
            break;
        if (k->type == DOM_TEXT && text_bytes(k) >= 30 && (mass += text_bytes(k)) >= 200)
            return 1;
        k = dom_next(k, top);
    }
    return 0;
}

static void ref_set(struct ref *r, const char *s, int weight)
{
    buf_init(&r->key, 1 << 16);
    r->weight = weight;
    r->klen = 0;
    if (!s)
        return;
    make_key(s, strlen(s), &r->key);
    r->klen = r->key.err ? 0 : r->key.len;
}

int meta_title(struct dom *d, const struct meta_opts *o, struct meta_result *a, struct dom_node **title_node)
{
    struct meta_ctx *mx = o ? o->ctx : NULL;
    const char *url = o ? o->url : NULL;
    struct buf *explain = o ? o->explain : NULL;
    struct head h;
    struct jsonld_info ld;
    struct tctx c;
    memset(&c, 0, sizeof c);
    if (title_node)
        *title_node = NULL;
    if (!d || !a || !title_node)
        return NA_EINVAL;
    head_scan(d, &h);
    int rc = jsonld_read(mx ? mx->ld : NULL, d->jsonld, d->njsonld, &ld);
    if (rc)
        return rc;
    c.zc.mx = mx;

    /* url */
    if (!a->url) {
        const char *u = url && *url ? url : is_abs_url(h.canonical) ? h.canonical
                        : is_abs_url(h.og_url) ? h.og_url : is_abs_url(ld.url) ? ld.url : NULL;
        if (u && !(a->url = na_strdup(u)))
            c.err = NA_ENOMEM;
    }

    /* headline element */
    buf_init(&c.tmp, 1 << 16);
    buf_init(&c.key, 1 << 16);
    c.d = d;
    ref_set(&c.refs[0], h.title, 0);
    ref_set(&c.refs[1], h.og_title, 3);
    ref_set(&c.refs[2], ld.headline, 3);
    ref_set(&c.refs[3], h.tw_title ? h.tw_title : h.meta_title, 2);
    c.nrefs = 4;
    for (int i = 0; i < c.nrefs; i++) {
        oom_of(&c.err, &c.refs[i].key);
        if (c.refs[i].klen)
            c.has_refs = 1;
    }
    if (d->body && d->nnodes) {
        c.nidx = d->nnodes;
        c.tlen = na_calloc(c.nidx, sizeof *c.tlen);
        /* zones are a cache: without it they are computed again, same result */
        c.zc.z = na_calloc(c.nidx, sizeof *c.zc.z);
        c.zc.n = c.zc.z ? c.nidx : 0;
        if (!c.tlen)
            c.err = NA_ENOMEM;
        if (c.tlen && !c.err) {
            uint32_t bl = fill_tlen(&c, d->body);
            if (d->body->index < c.nidx)
                c.tlen[d->body->index] = bl;
            walk_candidates(&c, d->body, 0);
        }
    }
    /* second look: a date right below is the mark of a headline */
    time_t now = time(NULL);
    for (int i = 0; i < c.ntop; i++) {
        if (date_follows(c.top[i].n, d->body, now, &c.tmp))
            c.top[i].score += 4;
        oom_of(&c.err, &c.tmp);
        if (prose_follows(c.top[i].n, d->body))
            c.top[i].score += 3;
    }
    /* a candidate that matches no reference may win only when none
     * matches one well */
    int strong = 0;
    for (int i = 0; i < c.ntop; i++)
        if (c.top[i].sim >= 0.5)
            strong = 1;
    const struct tcand *best = NULL;
    for (int i = 0; i < c.ntop; i++)
        if ((!strong || c.top[i].sim > 0) && (!best || c.top[i].score > best->score))
            best = &c.top[i];
    int norefs = !c.has_refs;
    if (explain)
        for (int i = 0; i < c.ntop; i++)
            buf_printf(explain, "title candidate <%s> #%zu score %.1f sim %.2f\n", c.top[i].n->name,
                       c.top[i].n->index, c.top[i].score, c.top[i].sim);
    struct dom_node *node = NULL;
    char *title = NULL;
    /* A candidate that matches a reference, or a strong headline by its
     * own signs (h1, class "title", a date below) when none matches. */
    if (best && ((best->sim >= 0.3 && best->score >= 5) || (best->sim == 0 && best->score >= 5) ||
                 (norefs && best->score >= 2))) {
        node = best->n;
        if (!best->contains || !h.title) {
            buf_reset(&c.tmp);
            struct coll co;
            coll_init(&co, &c.tmp);
            coll_node(&co, node, TITLE_MAX_BYTES * 2);
            oom_of(&c.err, &c.tmp);
            if (!c.tmp.err && c.tmp.len && !(title = na_strndup(c.tmp.data, c.tmp.len)))
                c.err = NA_ENOMEM;
        }
        /* a headline that matches no reference while og:title or JSON-LD
         * give one is more likely a logo or a teaser: trust the reference */
        if (best->sim == 0 && (h.og_title || ld.headline)) {
            free(title);
            title = NULL;
            node = NULL;
        }
    }
    if (!title) {
        const char *src = h.og_title ? h.og_title : ld.headline ? ld.headline : h.title ? h.title
                          : h.tw_title ? h.tw_title : h.meta_title;
        title = strip_site(src, &c.err);
    }
    free(a->title);
    a->title = title;
    if (explain)
        buf_printf(explain, "title \"%s\" (from %s)\n", title ? title : "", node ? node->name : "the head");

    /* language: declared, unless the text's script says otherwise */
    char *lang = NULL;
    const char *decl = h.lang ? h.lang : ld.lang;
    if (decl)
        lang = lang_primary(decl, &c.err);
    if (d->body) {
        struct buf sample = BUF_INIT;
        buf_init(&sample, 1 << 20);
        if (title)
            buf_adds(&sample, title), buf_addc(&sample, '\n');
        struct dom_node *n = d->body;
        while (n && sample.len < 3000) {
            if (n->type == DOM_ELEMENT && is_skipped_tag(n->tag)) {
                n = dom_next_skip(n, d->body);
                continue;
            }
            if (n->type == DOM_TEXT)
                buf_add(&sample, n->text, n->len), buf_addc(&sample, ' ');
            n = dom_next(n, d->body);
        }
        oom_of(&c.err, &sample);
        const char *sl = sample.err ? NULL : script_lang(buf_str(&sample), sample.len);
        if (sl && (!lang || (lang_is_cjk(sl) != lang_is_cjk(lang)) ||
                   (lang_is_cjk(sl) && lang_is_cjk(lang) && strcmp(sl, lang) != 0 && strcmp(sl, "ja") != 0))) {
            free(lang);
            if (!(lang = na_strdup(sl)))
                c.err = NA_ENOMEM;
        } else if (!lang && sl && !(lang = na_strdup(sl)))
            c.err = NA_ENOMEM;
        buf_release(&sample);
    }
    free(a->lang);
    a->lang = lang;

    for (int i = 0; i < 4; i++)
        buf_release(&c.refs[i].key);
    buf_release(&c.tmp);
    buf_release(&c.key);
    free(c.tlen);
    free(c.zc.z);
    jsonld_release(&ld);
    if (c.err)
        return c.err;
    *title_node = node;
    return 0;
}

/* ---- the field walk ---- */

enum dsrc { SRC_META, SRC_JSONLD, SRC_TIME, SRC_TEXT, SRC_RELATIVE, SRC_URL };
static const char *const src_names[] = { "meta", "jsonld", "time", "text", "relative", "url" };

struct dcand {
    struct date_val v;
    double score;
    enum dsrc src;
};

struct ncand {  /* a name: author, source or category */
    char *s;
    double score;
};

struct piece {
    size_t off;     /* byte offset in the line */
    unsigned zone;
};

struct fctx {
    struct dom *d;
    time_t now;
    const struct dom_node *title, *container;
    const struct dom_node *title_anc[DOM_MAX_DEPTH + 1]; /* the headline's ancestors, by depth */
    struct zcache zc;
    char *title_key;
    /* text offsets (code points of visible text) */
    size_t off;
    long t_start, t_end;      /* title span, -1 if not seen */
    long c_start, c_end;      /* container span */
    /* the current line */
    struct buf line;
    struct coll lc;
    size_t line_off;          /* text offset where the line starts */
    struct piece pieces[64];
    int npieces;
    unsigned line_zone;       /* OR of the zones of its pieces */
    unsigned line_zone_and;   /* AND of the zones of its pieces */
    /* headline fallback for pages whose head names none: short lines just
     * before the container and its first lines */
    int want_title;
    struct sline {
        char *s;
        unsigned zor, zand;
        int dated;
    } recent[6], before[6], first[2];
    int nrecent, rpos, nbefore, nfirst;
    /* results, scored after the walk (positions kept as offsets) */
    struct pend {
        struct date_hit h;
        size_t off;           /* text offset of the hit */
        unsigned zone;
        int label;            /* +1 published label, -1 updated/comment label */
        size_t line_cps;      /* length of the line */
        int prose;            /* the line is prose (is_prose) */
        int after_title_rank; /* 0 = first date after the title, … */
        int is_time_el;       /* from a <time> element */
    } *pend;
    size_t npend, cappend;
    struct dcand dates[MAX_DATES];
    size_t ndates;
    struct namepend {
        char *s;
        size_t off;
        unsigned zone;
        int kind;             /* 0 author, 1 source, 2 category, 3 editor */
        double base;
    } names[MAX_NAMES];
    size_t nnames;
    struct ncand crumb;       /* breadcrumb category */
    double crumb_score;
    int err;                  /* NA_ENOMEM once an allocation failed (sticky) */
};

static void add_date(struct fctx *f, const struct date_val *v, double score, enum dsrc src)
{
    if (f->ndates >= MAX_DATES || !date_valid(v))
        return;
    f->dates[f->ndates].v = *v;
    f->dates[f->ndates].score = score;
    f->dates[f->ndates].src = src;
    f->ndates++;
}

static void add_pend(struct fctx *f, const struct pend *p)
{
    if (f->npend == f->cappend) {
        if (f->cappend >= 4096)
            return;
        size_t nc = f->cappend ? f->cappend * 2 : 32;
        struct pend *np = na_realloc(f->pend, nc * sizeof *np);
        if (!np) {
            f->err = NA_ENOMEM;
            return;
        }
        f->pend = np;
        f->cappend = nc;
    }
    f->pend[f->npend++] = *p;
}

static char *clean_name(const char *s, size_t n, int *e);

static void add_name(struct fctx *f, const char *s, size_t n, size_t off, unsigned zone, int kind, double base)
{
    if (f->nnames >= MAX_NAMES)
        return;
    char *v = kind == 2 ? dup_trim(s, n, &f->err) : clean_name(s, n, &f->err);
    if (!v)
        return;
    f->names[f->nnames++] = (struct namepend){ v, off, zone, kind, base };
}

/* Parses a date attribute/meta value (absolute forms only). */
static int parse_value(const char *s, time_t now, struct date_val *v)
{
    struct date_hit h;
    if (!s)
        return 0;
    size_t n = strlen(s);
    if (n > 200)
        n = 200;
    /* all digits: a Unix time in seconds or milliseconds */
    size_t dg = 0;
    while (dg < n && s[dg] >= '0' && s[dg] <= '9')
        dg++;
    if (dg == n && (n == 10 || n == 13)) {
        long long t = strtoll(s, NULL, 10);
        if (n == 13)
            t /= 1000;
        return t > 0 && t <= (long long)now + 86400 && date_from_unix(t, v);
    }
    if (date_find(s, n, now, 0, &h) != DATE_ABSOLUTE)
        return 0;
    if (h.v.year == 1970 && h.v.month == 1 && h.v.day == 1)
        return 0; /* a zero timestamp, not a date */
    *v = h.v;
    return 1;
}

/* Meta names for the publication date (score) and the modification date. */
static double meta_date_score(const char *k)
{
    static const char *const pub[] = {
        "article:published_time", "og:published_time", "published_time", "article:published",
        "og:article:published_time", "pubdate", "publishdate", "publish_date", "publish-date",
        "publication_date", "publicationdate", "pub_date", "datepublished", "dc.date", "dc.date.issued",
        "dc.date.created", "dcterms.created", "dcterms.issued", "dcterms.date", "sailthru.date",
        "parsely-pub-date", "article.published", "article_date_original", "cxenseparse:recs:publishtime",
        "firstpublishedtime", "apub:time", "og:release_date", "release_date", "weibo:article:create_at",
        "citation_publication_date", "citation_date", "article:published_date", "publishtime", "pubtime",
        "publish_time", "datecreated", "created", "article:created", "bt:pubdate", "originalpublicationdate",
        NULL };
    static const char *const mod[] = {
        "article:modified_time", "og:updated_time", "lastmodifiedtime", "last-modified", "datemodified",
        "dateupdate", "dcterms.modified", "dc.date.modified", "revised", "updated_time", "modified",
        "article:modified", NULL };
    for (int i = 0; pub[i]; i++)
        if (eq_ci(k, pub[i]))
            return 100;
    if (eq_ci(k, "date"))
        return 90;
    for (int i = 0; mod[i]; i++)
        if (eq_ci(k, mod[i]))
            return 50;
    return 0;
}

static int is_author_meta(const char *k)
{
    return eq_ci(k, "author") || eq_ci(k, "article:author") ||
           eq_ci(k, "dc.creator") || eq_ci(k, "byl") || eq_ci(k, "sailthru.author") ||
           eq_ci(k, "parsely-author") || eq_ci(k, "citation_author") ||
           eq_ci(k, "dcterms.creator");
}

/* ---- labels in a line ---- */

static const char *const strong_labels[] = { "发布时间", "发布日期", "发表时间", "发表于", "发布于", "发表日期",
                                             "published", "posted", "publié", "veröffentlicht", "publicado",
                                             "pubblicato", "刊发时间", "出版时间", "登载时间", "发稿时间", NULL };
static const char *const weak_labels[] = { "时间", "日期", "发布", "date", "创建时间", "上传时间", "录入时间",
                                           "添加时间", "on ", "am ", "le ", NULL };
static const char *const bad_labels[] = { "更新", "修改", "updated", "modified", "截至", "截止", "评论",
                                          "回复", "reply", "comment", "最后", "last", "访问", "登录",
                                          "打印", "©", "copyright", "版权", "icp", "备案", "成文", "采集", "抓取",
                                          "accessed", "retrieved", "abgerufen", "stand:", NULL };

/* Looks for a label in the `back` bytes before position `at` of the line:
 * 2 a publication label, 1 a weaker one, -1 an update/comment/copyright
 * label, 0 none. */
static int label_before(const char *line, size_t at, size_t back)
{
    size_t from = at > back ? at - back : 0;
    while (from > 0 && ((unsigned char)line[from] & 0xC0) == 0x80)
        from++;
    char low[160];
    size_t n = at - from < sizeof low - 1 ? at - from : sizeof low - 1;
    for (size_t i = 0; i < n; i++) {
        char ch = line[from + i];
        low[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    low[n] = 0;
    for (int i = 0; bad_labels[i]; i++)
        if (strstr(low, bad_labels[i]))
            return -1;
    for (int i = 0; strong_labels[i]; i++)
        if (strstr(low, strong_labels[i]))
            return 2;
    for (int i = 0; weak_labels[i]; i++)
        if (strstr(low, weak_labels[i]))
            return 1;
    return 0;
}

/* A line of prose rather than a byline: sentences, or long. */
static int is_prose(const char *s, size_t n, size_t cps)
{
    return cps > 200 || find_bytes(s, n, "。", 3) || (cps > 40 && find_bytes(s, n, "，", 3)) ||
           (cps > 100 && find_bytes(s, n, ". ", 2));
}

/* End of a name that starts at p: stops at separators, labels and digits. */
static size_t name_len(const char *p, const char *e)
{
#define STOP(w) { w, sizeof w - 1 }
    static const struct {
        const char *w;
        size_t l;
    } stops[] = {
        STOP("来源"), STOP("时间"), STOP("日期"), STOP("发布"), STOP("编辑"), STOP("责任"), STOP("浏览"), STOP("点击"),
        STOP("阅读"), STOP("字号"), STOP("出处"), STOP("摄影"), STOP("通讯员"), STOP("作者"), STOP("记者"), STOP("评论"),
        STOP("分享"), STOP("收藏"), STOP("打印"), STOP("关注"), STOP("|"), STOP("｜"), STOP("，"), STOP(","),
        STOP("；"), STOP(";"), STOP("。"), STOP("("), STOP("（"), STOP("【"), STOP("["), STOP("]"), STOP("】"),
        STOP("<"), STOP(">"), STOP("\xc2\xa0\xc2\xa0"), STOP("   "), STOP("\t"), STOP("："), STOP(":"),
        STOP("“"), STOP("\""), STOP("·"), STOP("▪"), STOP("•"), STOP("丨"), STOP(")"), STOP("）"), STOP("="),
        STOP("摄"), STOP("报道"), STOP("说"), STOP("出自"), STOP("举报"), STOP("纠错"), STOP("图/"), STOP("图／"),
        STOP("/"), STOP("／")
    };
#undef STOP
    const char *q = p;
    while (q < e) {
        if (*q >= '0' && *q <= '9')
            break;
        int stop = 0;
        for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
            if (stops[i].w[0] == *q && (size_t)(e - q) >= stops[i].l && memcmp(q, stops[i].w, stops[i].l) == 0) {
                stop = 1;
                break;
            }
        }
        if (stop)
            break;
        next_cp(&q, e);
    }
    /* two spaces in a row end a name too */
    const char *dbl = NULL;
    for (const char *s = p; s + 1 < q; s++)
        if (s[0] == ' ' && s[1] == ' ') {
            dbl = s;
            break;
        }
    if (dbl)
        q = dbl;
    while (q > p && (q[-1] == ' '))
        q--;
    return (size_t)(q - p);
}

/* A plausible person or outlet name: 1-40 characters, no URL. */
static int name_ok(const char *s, size_t n)
{
    size_t cps = count_cps(s, n);
    if (cps < 1 || cps > 40)
        return 0;
    if (find_bytes(s, n, "http", 4) || find_bytes(s, n, "www.", 4) || memchr(s, '@', n) || memchr(s, '=', n))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return 0; /* "01:30 Min.", "size=3": not a name */
    return 1;
}

/* Trims what surrounds a name: "By", "von", "Zeige alle Beiträge von",
 * brackets, trailing punctuation. Returns a new string or NULL. */
static char *clean_name(const char *s, size_t n, int *e)
{
    static const char *const lead[] = { "View all posts by ", "Zeige alle Beiträge von ", "Alle Beiträge von ",
                                        "Posts by ", "Written by ", "Posted by ", "Author: ", "Autor: ",
                                        "By ", "by ", "BY ", "Von ", "von ", "Par ", "par ", "Por ", "por ",
                                        "Door ", "door ", "Di ", "di ", NULL };
    char *t = dup_trim(s, n, e);
    if (!t)
        return NULL;
    char *p = t;
    for (int again = 1; again;) {
        again = 0;
        for (int i = 0; lead[i]; i++)
            if (strncmp(p, lead[i], strlen(lead[i])) == 0) {
                p += strlen(lead[i]);
                again = 1;
            }
        /* "ByGavin": a label glued to the name by markup */
        if ((strncmp(p, "By", 2) == 0 || strncmp(p, "Von", 3) == 0) && p[p[0] == 'B' ? 2 : 3] >= 'A' &&
            p[p[0] == 'B' ? 2 : 3] <= 'Z')
            p += p[0] == 'B' ? 2 : 3;
    }
    size_t l = strlen(p);
    while (l && strchr(" ,;:|-.", p[l - 1]))
        l--;
    while (l >= 3 && (memcmp(p + l - 3, "，", 3) == 0 || memcmp(p + l - 3, "）", 3) == 0 ||
                      memcmp(p + l - 3, "】", 3) == 0 || memcmp(p + l - 3, "、", 3) == 0))
        l -= 3;
    static const char *const placeholders[] = { "未知", "佚名", "不详", "匿名", "unknown", "Unknown", "publisher",
                                                "anonymous", "Anonymous", "anónimo", "Article by", "Posted by",
                                                "By", "by", "von", "Von", NULL };
    for (int i = 0; placeholders[i]; i++)
        if (l == strlen(placeholders[i]) && memcmp(p, placeholders[i], l) == 0)
            l = 0;
    char *r = NULL;
    if (l && name_ok(p, l) && !(r = na_strndup(p, l)))
        *e = NA_ENOMEM;
    free(t);
    return r;
}

/* 1 when the three bytes at p are 作 文 撰 记 記 来 稿 出 來 转 or 编, the
 * first characters of the byline labels. */
static inline int label_first(const char *p)
{
    uint32_t k = (uint32_t)(unsigned char)p[0] << 16 | (uint32_t)(unsigned char)p[1] << 8 | (unsigned char)p[2];
    switch (k) {
    case 0xE4BD9C: case 0xE69687: case 0xE692B0: case 0xE8AEB0: case 0xE8A898: case 0xE69DA5:
    case 0xE7A8BF: case 0xE587BA: case 0xE4BE86: case 0xE8BDAC: case 0xE7BC96:
        return 1;
    default:
        return 0;
    }
}

static void line_names(struct fctx *f, const char *s, size_t n, size_t line_cps)
{
    if (line_cps > 100)
        return; /* bylines are short; a label inside prose names nobody */
    static const struct {
        const char *lab;
        int kind;
        double base;
    } labs[] = {
        { "作者：", 0, 30 }, { "作者:", 0, 30 }, { "作者 ", 0, 26 }, { "文／", 0, 24 },
        { "文/", 0, 24 }, { "文｜", 0, 24 }, { "文|", 0, 24 }, { "撰文：", 0, 26 }, { "撰稿：", 0, 26 },
        { "记者：", 0, 26 }, { "记者:", 0, 26 }, { "记者 ", 0, 22 }, { "記者：", 0, 26 },
        { "来源：", 1, 30 }, { "来源:", 1, 30 }, { "来源 ", 1, 24 }, { "稿源：", 1, 28 }, { "出处：", 1, 26 },
        { "來源：", 1, 30 }, { "来自：", 1, 20 }, { "转载自", 1, 18 },
        { "编辑：", 3, 10 }, { "编辑:", 3, 10 }, { "编辑 ", 3, 8 },
    };
    enum { NLABS = sizeof labs / sizeof labs[0] };
    /* every label starts with one of 作 文 撰 记 記 来 稿 出 來 转 编: skip
     * lines with none at a character start; else find the first
     * occurrence of every label in one pass (what memmem would find) */
    int any = 0;
    for (size_t i = 0; i + 3 <= n && !any; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0xE4 || c > 0xE8)
            continue;
        if (label_first(s + i))
            any = 1;
        i += 2;
    }
    size_t lab_len[NLABS];
    const char *lab_at[NLABS];
    for (size_t i = 0; any && i < NLABS; i++) {
        lab_len[i] = strlen(labs[i].lab);
        lab_at[i] = NULL;
    }
    for (size_t i = 0; any && i + 3 <= n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0xE4 || c > 0xE8 || !label_first(s + i))
            continue;
        for (size_t j = 0; j < NLABS; j++)
            if (!lab_at[j] && memcmp(s + i, labs[j].lab, 3) == 0 && lab_len[j] <= n - i &&
                memcmp(s + i + 3, labs[j].lab + 3, lab_len[j] - 3) == 0)
                lab_at[j] = s + i;
    }
    for (size_t i = 0; any && i < NLABS; i++) {
        const char *hit = lab_at[i];
        if (!hit)
            continue;
        /* 责任编辑/责编 name the editor; "原作者" and the like still count */
        if (labs[i].kind == 3 && hit >= s + 6 && memcmp(hit - 6, "责任", 6) == 0)
            continue;
        /* "文/" only at the start of the line or after a space */
        if ((labs[i].lab[0] == '\xe6' && memcmp(labs[i].lab, "文", 3) == 0) && hit > s && hit[-1] != ' ')
            continue;
        const char *p = hit + lab_len[i];
        const char *e = s + n;
        while (p < e && (*p == ' ' || *p == ':' || *p == '\t'))
            p++;
        if (p + 3 <= e && (memcmp(p, "：", 3) == 0 || memcmp(p, "　", 3) == 0))
            p += 3;
        while (p < e && *p == ' ')
            p++;
        if (p < e && *p == '[')
            p++;
        else if (p + 3 <= e && memcmp(p, "【", 3) == 0)
            p += 3;
        while (p < e && *p == ' ')
            p++;
        /* a name ends where the markup glues another element to it
         * ("证券市场红周刊" + "举报") */
        const char *pe = e;
        for (int k = 0; k < f->npieces; k++) {
            const char *b = s + f->pieces[k].off;
            if (b > p && b < pe && b[-1] != ' ' && *b != ' ')
                pe = b;
        }
        size_t l = name_len(p, pe);
        if (l && name_ok(p, l))
            add_name(f, p, l, f->line_off + count_cps(s, (size_t)(hit - s)), f->line_zone, labs[i].kind,
                     labs[i].base);
    }
    /* English bylines: "By Jane Doe" at the start of a short line */
    if (n > 3 && n < 80 && (strncmp(s, "By ", 3) == 0 || strncmp(s, "by ", 3) == 0)) {
        const char *p = s + 3, *e = s + n;
        size_t l = 0;
        while (p + l < e && p[l] != '|' && p[l] != ',' && !(p[l] >= '0' && p[l] <= '9') && l < 60)
            l++;
        while (l && p[l - 1] == ' ')
            l--;
        if (l >= 3 && p[0] >= 'A' && p[0] <= 'Z')
            add_name(f, p, l, f->line_off, f->line_zone, 0, 26);
    }
}

/* Breadcrumb: "当前位置：首页 > 天津产业信息 > 正文内容". The category is the
 * last item that is neither the home page, the article itself nor a generic
 * word for it. */
static void line_crumb(struct fctx *f, const char *s, size_t n, int zone_crumb)
{
    static const char *const starts[] = { "当前位置", "您的位置", "你的位置", "您现在的位置", "你现在的位置",
                                          "所在位置", "位置：", "位置:", "现在位置", "当前页面", NULL };
    static const char *const seps[] = { ">>", ">", "»", "›", "→", "＞", "/", "\\", "｜", "|", "-", NULL };
    static const char *const generic[] = { "正文", "正文内容", "内容", "文章", "详情", "阅读文章", "浏览文章",
                                           "首页", "网站首页", "主页", "home", "Home", "HOME", "本站首页",
                                           "详细内容", "内容页", "正文页", "新闻详情", "文章详情", NULL };
    const char *p = s, *e = s + n;
    int labelled = 0;
    if (!zone_crumb && !find_bytes(s, n < 60 ? n : 60, "位置", 6) && !find_bytes(s, n < 60 ? n : 60, "当前", 6))
        return;
    for (int i = 0; starts[i]; i++) {
        const char *h = find_bytes(s, n < 40 ? n : 40, starts[i], strlen(starts[i]));
        if (h) {
            p = h + strlen(starts[i]);
            labelled = 1;
            break;
        }
    }
    if (!labelled && !zone_crumb)
        return;
    if (n > 400)
        return;
    /* skip the label's colon */
    while (p < e && (*p == ' ' || *p == ':'))
        p++;
    if (p + 3 <= e && memcmp(p, "：", 3) == 0)
        p += 3;
    /* split into items */
    struct seg items[16];
    int ni = 0, nsep = 0;
    const char *start = p;
    while (p < e && ni < 15) {
        size_t sl = 0;
        for (int i = 0; seps[i]; i++) {
            size_t l = strlen(seps[i]);
            if ((size_t)(e - p) >= l && memcmp(p, seps[i], l) == 0) {
                sl = l;
                break;
            }
        }
        /* '-' and '/' only with spaces around */
        if (sl == 1 && (*p == '-' || *p == '/') && !(p > s && p[-1] == ' ' && p + 1 < e && p[1] == ' '))
            sl = 0;
        if (sl) {
            nsep++;
            items[ni++] = (struct seg){ start, (size_t)(p - start) };
            p += sl;
            start = p;
        } else
            p++;
    }
    if (ni < 15)
        items[ni++] = (struct seg){ start, (size_t)(e - start) };
    if (nsep < 1)
        return;
    for (int i = ni - 1; i >= 0; i--) {
        char *it = dup_trim(items[i].p, items[i].n, &f->err);
        if (!it)
            continue;
        int bad = 0;
        for (int g = 0; generic[g]; g++)
            if (strcmp(it, generic[g]) == 0)
                bad = 1;
        size_t cps = count_cps(it, strlen(it));
        if (cps > 20 || cps < 1)
            bad = 1;
        if (!bad && f->title_key) {
            struct buf k = BUF_INIT;
            make_key(it, strlen(it), &k);
            oom_of(&f->err, &k);
            if (k.len >= 6 && strstr(f->title_key, buf_str(&k)) && k.len * 2 > strlen(f->title_key))
                bad = 1;
            buf_release(&k);
        }
        if (bad) {
            free(it);
            continue;
        }
        double sc = labelled ? 30 : 20;
        if (sc > f->crumb_score) {
            free(f->crumb.s);
            f->crumb.s = it;
            f->crumb_score = sc;
        } else
            free(it);
        break;
    }
}

static void flush_line(struct fctx *f)
{
    struct buf *b = &f->line;
    oom_of(&f->err, b);
    if (!b->len || b->err) {
        buf_reset(b);
        coll_init(&f->lc, b);
        f->npieces = 0;
        f->line_zone = 0;
        f->line_zone_and = ~0u;
        f->line_off = f->off;
        return;
    }
    const char *s = b->data;
    size_t n = b->len;
    size_t line_cps = count_cps(s, n);
    /* dates */
    size_t pos = 0;
    for (int k = 0; k < 6 && pos < n; k++) {
        struct date_hit h;
        int kind = date_find(s + pos, n - pos, f->now, DATE_RELATIVE_OK | DATE_BARE_OK | DATE_NOT_AFTER_NOW, &h);
        if (!kind)
            break;
        h.start += pos;
        h.end += pos;
        pos = h.end > h.start ? h.end : h.start + 1;
        unsigned zone = 0;
        for (int i = 0; i < f->npieces; i++)
            if (f->pieces[i].off <= h.start)
                zone = f->pieces[i].zone;
        if (zone & Z_HIDDEN)
            continue;
        /* relative and year-less forms only in short, byline-like lines;
         * a bare month-day ("10-08") only after a label or in a time/date
         * element */
        if (kind == DATE_RELATIVE && (line_cps > 60 || is_prose(s, n, line_cps)))
            continue;
        if (h.bare && !(zone & Z_POS) && label_before(s, h.start, 24) <= 0)
            continue;
        struct pend p;
        memset(&p, 0, sizeof p);
        p.h = h;
        p.off = f->line_off + count_cps(s, h.start);
        p.zone = zone | (f->line_zone & (Z_NEG | Z_COPY));
        p.label = label_before(s, h.start, 24);
        p.line_cps = line_cps;
        p.prose = is_prose(s, n, line_cps);
        add_pend(f, &p);
    }
    if (n < 600) {
        line_names(f, s, n, line_cps);
        line_crumb(f, s, n, (f->line_zone & Z_CRUMB) != 0);
    }
    if (f->want_title && line_cps <= 200) {
        struct sline sl = { NULL, f->line_zone, f->line_zone_and, pos > 0 };
        int in_cont = f->c_start >= 0 && f->c_end < 0;
        if ((in_cont && f->nfirst < 2) || (!in_cont && f->c_start < 0 && line_cps >= 4 && line_cps <= 100))
            if (!(sl.s = na_strndup(s, n)))
                f->err = NA_ENOMEM;
        if (sl.s && in_cont && f->nfirst < 2)
            f->first[f->nfirst++] = sl;
        else if (sl.s) {
            struct sline *slot = &f->recent[f->rpos];
            free(slot->s);
            *slot = sl;
            f->rpos = (f->rpos + 1) % 6;
            if (f->nrecent < 6)
                f->nrecent++;
        }
    } else if (f->want_title && f->c_start >= 0 && f->c_end < 0 && f->nfirst < 2)
        f->nfirst = 2; /* a long first line: the container starts with prose */
    buf_reset(b);
    coll_init(&f->lc, b);
    f->npieces = 0;
    f->line_zone = 0;
    f->line_zone_and = ~0u;
    f->line_off = f->off;
}

/* The ring of recent short lines, oldest first, moved into f->before. */
static void snapshot_before(struct fctx *f)
{
    int n = f->nrecent, start = (f->rpos - n + 6) % 6;
    for (int i = 0; i < n; i++) {
        f->before[i] = f->recent[(start + i) % 6];
        f->recent[(start + i) % 6].s = NULL;
    }
    f->nbefore = n;
    f->nrecent = 0;
}

/* A line that can stand as a headline: no link-only text, no boilerplate
 * zone, no date, no label, a phrase's length. */
static int headline_line(const struct sline *l)
{
    static const char *const bad[] = { "来源", "作者", "时间", "日期", "编辑", "浏览", "点击", "发布",
                                       "位置", "首页", "http", "www.", "©", "版权", ">>", NULL };
    if (!l->s || l->dated || (l->zand & Z_LINK) || (l->zor & (Z_NEG | Z_CRUMB | Z_HIDDEN | Z_COPY)))
        return 0;
    size_t n = strlen(l->s), cps = count_cps(l->s, n);
    if (cps < 5 || cps > 80 || l->s[n - 1] == ':' || (n >= 3 && memcmp(l->s + n - 3, "：", 3) == 0))
        return 0;
    for (int i = 0; bad[i]; i++)
        if (strstr(l->s, bad[i]))
            return 0;
    return !is_prose(l->s, n, cps);
}

static void add_text(struct fctx *f, const char *s, size_t n, unsigned zone)
{
    if (zone & Z_HIDDEN)
        return; /* not shown, not read */
    size_t before = f->line.len;
    if (f->line.len < LINE_KEEP) {
        if (f->npieces < 64) {
            f->pieces[f->npieces].off = before;
            f->pieces[f->npieces].zone = zone;
            f->npieces++;
        }
        coll_add(&f->lc, s, n);
        f->line_zone |= zone;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)s[i] > ' ') {
                f->line_zone_and &= zone; /* only pieces with visible text count */
                break;
            }
    }
    /* offsets count code points of non-space text */
    f->off += count_visible(s, n);
}

/* Element-level signals: <time>, itemprop dates, data-*publish* attributes,
 * hidden inputs, rel=author/category links. */
static void element_signals(struct fctx *f, const struct dom_node *n, unsigned zone)
{
    struct date_val v;
    for (unsigned i = 0; i < n->nattrs; i++) {
        const char *an = n->attrs[i].name, *av = n->attrs[i].value;
        if (an[0] == 'd' && strncmp(an, "data-", 5) == 0 &&
            (strstr(an, "publish") || strcmp(an, "data-ptime") == 0 || strcmp(an, "data-pubtime") == 0 ||
             strcmp(an, "data-pubdate") == 0) &&
            parse_value(av, f->now, &v)) {
            /* on the page or on an ancestor of the headline: the page's
             * date; elsewhere it may date a list item */
            int anc = n->tag == DOM_TAG_HTML || n->tag == DOM_TAG_BODY;
            for (const struct dom_node *t = f->title; t && !anc; t = t->parent)
                if (t == n)
                    anc = 1;
            struct pend p;
            memset(&p, 0, sizeof p);
            if (anc)
                add_date(f, &v, 90, SRC_META);
            else {
                p.h.v = v;
                p.h.kind = DATE_ABSOLUTE;
                p.off = f->off;
                p.zone = zone | Z_POS;
                p.label = 1;
                p.line_cps = 10;
                p.is_time_el = 2;
                add_pend(f, &p);
            }
        }
    }
    const char *ip = dom_attr(n, "itemprop");
    if (ip && (eq_ci(ip, "datePublished") || eq_ci(ip, "dateCreated"))) {
        const char *val = dom_attr(n, "content");
        if (!val)
            val = dom_attr(n, "datetime");
        struct buf t = BUF_INIT;
        if (!val) {
            buf_init(&t, 256);
            dom_text(n, &t);
            oom_of(&f->err, &t);
            val = buf_str(&t);
        }
        if (parse_value(val, f->now, &v))
            add_date(f, &v, eq_ci(ip, "datePublished") ? 96 : 80,
                     n->tag == DOM_TAG_TIME ? SRC_TIME : SRC_META);
        buf_release(&t);
    } else if (n->tag == DOM_TAG_TIME) {
        const char *dt = dom_attr(n, "datetime");
        struct buf t = BUF_INIT;
        if (!dt) {
            buf_init(&t, 256);
            dom_text(n, &t);
            oom_of(&f->err, &t);
            dt = buf_str(&t);
        }
        if (parse_value(dt, f->now, &v)) {
            struct pend p;
            memset(&p, 0, sizeof p);
            p.h.v = v;
            p.h.kind = DATE_ABSOLUTE;
            p.off = f->off;
            p.zone = zone;
            const char *cl = dom_attr(n, "class");
            p.label = dom_attr(n, "pubdate") || (cl && (strcasestr(cl, "publish") || strcasestr(cl, "posted")))
                          ? 1 : (cl && (strcasestr(cl, "update") || strcasestr(cl, "modif"))) ? -1 : 0;
            p.line_cps = 10;
            p.is_time_el = 1;
            add_pend(f, &p);
        }
        buf_release(&t);
    } else if (n->tag == DOM_TAG_INPUT) {
        const char *nm = dom_attr(n, "name");
        if (!nm)
            nm = dom_attr(n, "id");
        if (nm && (eq_ci(nm, "pubtime") || eq_ci(nm, "publishtime") ||
                   eq_ci(nm, "pubdate") || eq_ci(nm, "publishdate") ||
                   eq_ci(nm, "publish_time")) &&
            parse_value(dom_attr(n, "value"), f->now, &v))
            add_date(f, &v, 88, SRC_META);
    } else if (n->tag == DOM_TAG_A) {
        const char *rel = dom_attr(n, "rel"), *href = dom_attr(n, "href");
        /* the href patterns all hold "author" or "category": one search each first */
        const char *ha = href ? strstr(href, "author") : NULL, *hc = href ? strstr(href, "category") : NULL;
        int author = (rel && strcasestr(rel, "author")) ||
                     (ha && (strstr(href, "/author/") || strstr(href, "/author-") || strstr(href, "?author="))) ||
                     (zone_of_c(&f->zc, n) & Z_AUTHOR);
        int cat = (rel && strcasestr(rel, "category")) || (hc && (strstr(href, "/category/") ||
                                                                  strstr(href, "category-")));
        if (author || cat) {
            struct buf t = BUF_INIT;
            buf_init(&t, 512);
            dom_text(n, &t);
            oom_of(&f->err, &t);
            if (!t.err && t.len && t.len < 200 && name_ok(t.data, t.len))
                add_name(f, t.data, t.len, f->off, zone, author ? 0 : 2, author ? 20 : 26);
            buf_release(&t);
        }
    }
}

static void walk_fields(struct fctx *f, const struct dom_node *n, unsigned zone)
{
    for (const struct dom_node *k = n->first; k; k = k->next) {
        if (k->type == DOM_TEXT) {
            add_text(f, k->text, k->len, zone);
            continue;
        }
        if (k->type != DOM_ELEMENT || is_skipped_tag(k->tag))
            continue;
        if (k->tag == DOM_TAG_INPUT) {
            element_signals(f, k, zone);
            continue;
        }
        unsigned own = zone_of_c(&f->zc, k);
        /* what holds the headline is the article's header, whatever its
         * tag or class says (<aside class="contxt-aside"><h1>…) */
        if (k->depth <= DOM_MAX_DEPTH && f->title_anc[k->depth] == k)
            own &= ~(unsigned)(Z_NEG | Z_LI);
        unsigned z = zone | own;
        int block = is_block_tag(k->tag) || k->tag == DOM_TAG_BR;
        int is_title = k == f->title, is_cont = k == f->container;
        if (block || is_title || is_cont)
            flush_line(f);
        if (is_title)
            f->t_start = (long)f->off;
        if (is_cont) {
            f->c_start = (long)f->off;
            if (f->want_title)
                snapshot_before(f);
        }
        element_signals(f, k, z);
        /* author/category links and the class cues reach names found in
         * plain elements too: <span class="author">admin</span> */
        if ((zone_of_c(&f->zc, k) & (Z_AUTHOR | Z_CAT | Z_SOURCE)) && !(z & Z_NEG) && k->tag != DOM_TAG_A &&
            k->tag != DOM_TAG_META) {
            struct buf t = BUF_INIT;
            buf_init(&t, 512);
            dom_text(k, &t);
            oom_of(&f->err, &t);
            if (!t.err && t.len && t.len < 120 && name_ok(t.data, t.len) && !find_bytes(t.data, t.len, "：", 3) &&
                !memchr(t.data, ':', t.len)) {
                if (own & Z_AUTHOR)
                    add_name(f, t.data, t.len, f->off, z, 0, 14);
                else if (own & Z_CAT)
                    add_name(f, t.data, t.len, f->off, z, 2, 12);
            }
            buf_release(&t);
        }
        walk_fields(f, k, z);
        if (block || is_title || is_cont)
            flush_line(f);
        if (is_title)
            f->t_end = (long)f->off;
        if (is_cont)
            f->c_end = (long)f->off;
    }
}

/* Scores a date seen in the text by where it stands. */
static double pend_score(const struct fctx *f, const struct pend *p, int first_after)
{
    double s = p->is_time_el ? 33 : 30;
    if (f->t_start >= 0) {
        if ((long)p->off >= f->t_end) {
            double dist = (double)((long)p->off - f->t_end);
            s += dist < 400 ? 40 - dist / 20 : dist < 3000 ? 20 - (dist - 400) / 130 : 0;
            if (first_after)
                s += 6;
        } else {
            double dist = (double)(f->t_start - (long)p->off);
            s += dist < 300 ? 28 - dist / 15 : 0;
        }
    } else if (f->c_start >= 0 && f->container && f->container != f->d->body) {
        if ((long)p->off >= f->c_start && (long)p->off <= f->c_end) {
            double dist = (double)((long)p->off - f->c_start);
            s += dist < 400 ? 30 - dist / 20 : 5;
        } else if ((long)p->off < f->c_start && f->c_start - (long)p->off < 400)
            s += 25 - (double)(f->c_start - (long)p->off) / 20;
    } else {
        /* no landmark: earlier is better, gently */
        s += first_after ? 20 : 10;
    }
    if (p->label > 1)
        s += 20;
    else if (p->label > 0)
        s += 12;
    else if (p->label < 0)
        s -= 18;
    if (p->line_cps <= 80)
        s += 5;
    if (p->prose)
        s -= 15;
    if (p->zone & Z_COPY)
        s -= 40;
    if (p->zone & Z_NEG)
        s -= 25;
    if (p->zone & Z_LINK)
        s -= 10;
    if (p->zone & Z_LI)
        s -= 5;
    if (p->zone & Z_POS)
        s += 8;
    if (p->h.kind == DATE_RELATIVE) {
        /* derived from now: below any absolute date the page states in
         * meta tags or its URL; a year taken from now is a guess */
        s -= p->h.bare ? 15 : 5;
        if (s > (p->h.bare ? 45 : 60))
            s = p->h.bare ? 45 : 60;
    }
    if (p->h.v.has_time)
        s += 3;
    /* after the container: related lists, comments, footers */
    if (f->container && f->container != f->d->body && f->c_end >= 0 && (long)p->off > f->c_end + 50)
        s -= (long)p->off > f->c_end + 500 ? 15 : 8;
    return s;
}

static void jsonld_fields(struct fctx *f, const struct jsonld_info *ld)
{
    struct date_val v;
    if (ld->date_published && parse_value(ld->date_published, f->now, &v))
        add_date(f, &v, 98, SRC_JSONLD);
    if (ld->date_created && parse_value(ld->date_created, f->now, &v))
        add_date(f, &v, 80, SRC_JSONLD);
    if (ld->date_modified && parse_value(ld->date_modified, f->now, &v))
        add_date(f, &v, 49, SRC_JSONLD);
}

static void head_fields(struct fctx *f, char **author_meta, char **section_meta)
{
    struct dom *d = f->d;
    struct date_val v;
    for (struct dom_node *n = d->root; n; n = dom_next(n, d->root)) {
        if (n->type != DOM_ELEMENT || n->tag != DOM_TAG_META)
            continue;
        const char *k = dom_attr(n, "property");
        if (!k)
            k = dom_attr(n, "name");
        if (!k)
            k = dom_attr(n, "itemprop");
        if (!k)
            k = dom_attr(n, "http-equiv");
        const char *c = dom_attr(n, "content");
        if (!k || !c || !*c)
            continue;
        double sc = meta_date_score(k);
        if (sc > 0 && !eq_ci(k, "last-modified") && parse_value(c, f->now, &v))
            add_date(f, &v, sc, SRC_META);
        else if (!*author_meta && is_author_meta(k) && !is_abs_url(c) && name_ok(c, strlen(c)))
            *author_meta = dup_trim(c, strlen(c), &f->err);
        else if (!*section_meta && (eq_ci(k, "article:section") || eq_ci(k, "og:article:section") ||
                                    eq_ci(k, "section") || eq_ci(k, "category")) &&
                 name_ok(c, strlen(c)))
            *section_meta = dup_trim(c, strlen(c), &f->err);
    }
}

/* Date paths in <img src> inside the article: uploads are filed by day. */
static void image_dates(struct fctx *f)
{
    const struct dom_node *top = f->container && f->container != f->d->body ? f->container : NULL;
    if (!top)
        return;
    struct date_val v;
    int seen = 0;
    for (const struct dom_node *n = top; n && seen < 20; n = dom_next(n, top)) {
        if (n->type != DOM_ELEMENT || n->tag != DOM_TAG_IMG)
            continue;
        seen++;
        const char *src = dom_attr(n, "src");
        if (!src || !strchr(src, '/'))
            continue;
        /* date_from_url wants a path or an absolute URL */
        if (src[0] == '/' || is_abs_url(src)) {
            if (date_from_url(src[0] == '/' && src[1] == '/' ? src + 1 : src, f->now, &v)) {
                add_date(f, &v, 25, SRC_URL);
                return;
            }
        }
    }
}

/* 1 when name is the site's: part of <title> or og:site_name but not of
 * the headline (meta author "网易" on "标题_网易新闻"). */
static int site_like(struct dom *d, const char *name, const char *headline)
{
    struct head h;
    head_scan(d, &h);
    if (headline && strstr(headline, name))
        return 0;
    return (h.title && strstr(h.title, name)) || (h.site_name && strstr(h.site_name, name));
}

/* Publish times kept from inline scripts ("ct=1581517074"): stated dates,
 * a little below meta tags (a script may also time a widget). Unix times
 * on Chinese pages are shown in China Standard Time, where those sites
 * keep their clocks. */
static void script_fields(struct fctx *f, const char *const *snips, size_t n, const char *lang)
{
    for (size_t i = 0; i < n && i < 16; i++) {
        const char *eq = snips[i] ? strchr(snips[i], '=') : NULL;
        struct date_val v;
        if (!eq || !parse_value(eq + 1, f->now, &v))
            continue;
        if (v.has_tz && v.tz_min == 0 && lang && strcmp(lang, "zh") == 0) {
            size_t dg = strspn(eq + 1, "0123456789");
            if (dg == strlen(eq + 1)) {
                long long t = strtoll(eq + 1, NULL, 10);
                if (dg == 13)
                    t /= 1000;
                if (date_from_unix(t + 8 * 3600, &v))
                    v.tz_min = 480;
            }
        }
        add_date(f, &v, strncmp(snips[i], "ct=", 3) == 0 || strncmp(snips[i], "datePublished=", 14) == 0 ? 88 : 84,
                 SRC_META);
    }
}

int meta_fields(struct dom *d, const struct meta_opts *o, const struct dom_node *title_node,
                const struct dom_node *container, struct meta_result *a)
{
    return meta_fields_scripts(d, o, title_node, container, d ? d->script_dates : NULL, d ? d->nscript_dates : 0,
                               a);
}

/* Step 1: the walk context, or NULL when out of memory. */
static struct fctx *fields_begin(struct dom *d, time_t now, const struct dom_node *title_node,
                                 const struct dom_node *container, const struct meta_result *a)
{
    struct fctx *f = na_calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->d = d;
    f->now = now;
    f->title = title_node;
    f->container = container;
    f->t_start = f->t_end = f->c_start = f->c_end = -1;
    f->line_zone_and = ~0u;
    f->want_title = (!a->title || !*a->title) && container && container != d->body;
    for (const struct dom_node *t = title_node; t; t = t->parent)
        if (t->depth <= DOM_MAX_DEPTH)
            f->title_anc[t->depth] = t;
    buf_init(&f->line, 1 << 20);
    coll_init(&f->lc, &f->line);
    /* zones are a cache: without it they are computed again, same result */
    f->zc.z = na_calloc(d->nnodes ? d->nnodes : 1, sizeof *f->zc.z);
    f->zc.n = f->zc.z ? d->nnodes : 0;
    if (a->title) {
        struct buf k = BUF_INIT;
        make_key(a->title, strlen(a->title), &k);
        oom_of(&f->err, &k);
        if (!k.err && !(f->title_key = buf_detach(&k, NULL)))
            f->err = NA_ENOMEM;
        buf_release(&k);
    }
    return f;
}

static void fields_end(struct fctx *f)
{
    for (size_t i = 0; i < f->nnames; i++)
        free(f->names[i].s);
    free(f->crumb.s);
    for (int i = 0; i < 6; i++)
        free(f->recent[i].s), free(f->before[i].s);
    for (int i = 0; i < 2; i++)
        free(f->first[i].s);
    free(f->pend);
    free(f->title_key);
    free(f->zc.z);
    buf_release(&f->line);
    free(f);
}

/* Replaces *dst with a copy of s; NA_ENOMEM into f->err on failure. */
static void set_field(struct fctx *f, char **dst, const char *s)
{
    char *v = na_strdup(s);
    if (!v) {
        f->err = NA_ENOMEM;
        return;
    }
    free(*dst);
    *dst = v;
}

/* Step 3: a headline for pages whose head names none: the nearest fitting
 * line above the container, else its first line when short. */
static void fallback_title(struct fctx *f, struct meta_result *a)
{
    if (!f->want_title)
        return;
    const char *t = NULL;
    for (int i = f->nbefore - 1; i >= 0 && !t; i--)
        if (headline_line(&f->before[i]))
            t = f->before[i].s;
    if (!t && f->nfirst > 0 && headline_line(&f->first[0]) && f->first[0].s)
        t = f->first[0].s;
    if (t)
        set_field(f, &a->title, t);
}

/* Step 4: text and <time> dates scored by position, the URL's and the
 * images' dates; then the best candidate (borrowing the time of day from
 * another good candidate of the same day) into a->published. */
static void choose_date(struct fctx *f, const char *url, struct buf *explain, struct meta_result *a)
{
    int rank = 0;
    for (size_t i = 0; i < f->npend; i++) {
        struct pend *p = &f->pend[i];
        int first_after = 0;
        if (f->t_start >= 0 ? (long)p->off >= f->t_end && !(p->zone & (Z_NEG | Z_COPY)) : 1) {
            first_after = rank == 0;
            rank++;
        }
        double s = pend_score(f, p, first_after);
        if (explain && i < 40)
            buf_printf(explain, "  text date at %zu zone %x label %d line %zu: %04d-%02d-%02d score %.1f\n", p->off,
                       p->zone, p->label, p->line_cps, p->h.v.year, p->h.v.month, p->h.v.day, s);
        enum dsrc src = p->is_time_el == 1 ? SRC_TIME : p->is_time_el == 2 ? SRC_META
                        : p->h.kind == DATE_RELATIVE ? SRC_RELATIVE : SRC_TEXT;
        add_date(f, &p->h.v, s, src);
    }
    struct date_val uv;
    const char *u = url ? url : a->url;
    if (u && date_from_url(u, f->now, &uv))
        add_date(f, &uv, 55, SRC_URL);
    image_dates(f);

    const struct dcand *best = NULL;
    for (size_t i = 0; i < f->ndates; i++)
        if (!best || f->dates[i].score > best->score)
            best = &f->dates[i];
    if (explain)
        buf_printf(explain, "meta: title at %ld-%ld, container at %ld-%ld, %zu text dates\n", f->t_start,
                   f->t_end, f->c_start, f->c_end, f->npend);
    if (explain)
        for (size_t i = 0; i < f->ndates; i++) {
            char o[64];
            if ((f->dates[i].score >= 30 || &f->dates[i] == best) && date_format(&f->dates[i].v, o, sizeof o))
                buf_printf(explain, "date %s from %s score %.1f%s\n", o, src_names[f->dates[i].src],
                           f->dates[i].score, &f->dates[i] == best ? " (chosen)" : "");
        }
    if (!best || best->score <= 0)
        return;
    struct date_val v = best->v;
    /* borrow the time from another good candidate of the same day */
    if (!v.has_time)
        for (size_t i = 0; i < f->ndates; i++) {
            const struct dcand *o = &f->dates[i];
            if (o->v.has_time && o->score >= 40 && o->v.year == v.year && o->v.month == v.month &&
                o->v.day == v.day) {
                v = o->v;
                break;
            }
        }
    char out[64];
    if (date_format(&v, out, sizeof out)) {
        set_field(f, &a->published, out);
        set_field(f, &a->published_from, src_names[best->src]);
    }
}

/* Step 5: the best name of each kind near the headline, with the meta
 * tags' and JSON-LD's as fallbacks: author, source, category. */
static void choose_names(struct fctx *f, const struct jsonld_info *ld, const char *author_meta,
                         const char *section_meta, struct buf *explain, struct meta_result *a)
{
    double bs[4] = { -1e9, -1e9, -1e9, -1e9 };
    const char *bn[4] = { NULL, NULL, NULL, NULL };
    for (size_t i = 0; i < f->nnames; i++) {
        struct namepend *p = &f->names[i];
        double s = p->base;
        long off = (long)p->off;
        if (f->t_start >= 0) {
            long dist = off >= f->t_end ? off - f->t_end : (f->t_start - off) * 2;
            s += dist < 300 ? 20 - (double)dist / 15 : dist < 3000 ? 0 : -15;
        }
        if (p->zone & Z_NEG)
            s -= 20;
        if (p->zone & Z_COPY)
            s -= 20;
        if (s > bs[p->kind]) {
            bs[p->kind] = s;
            bn[p->kind] = p->s;
        }
    }
    if (explain)
        for (size_t i = 0; i < f->nnames; i++)
            buf_printf(explain, "name kind %d \"%s\" at %zu base %.0f zone %x\n", f->names[i].kind,
                       f->names[i].s, f->names[i].off, f->names[i].base, f->names[i].zone);
    const char *author = bn[0] && bs[0] >= 10 ? bn[0] : NULL;
    if (!author && ld->author)
        author = ld->author;
    if (!author && author_meta && !site_like(f->d, author_meta, a->title))
        author = author_meta;
    if (!author && bn[3] && bs[3] >= 10)
        author = bn[3];
    if (author) {
        char *cl = clean_name(author, strlen(author), &f->err);
        if (cl) {
            free(a->author);
            a->author = cl;
        }
    }
    if (bn[1] && bs[1] >= 10)
        set_field(f, &a->source, bn[1]);
    const char *cat = section_meta ? section_meta : ld->section ? ld->section
                      : bn[2] && bs[2] >= 15 ? bn[2] : f->crumb.s;
    if (cat)
        set_field(f, &a->category, cat);
}

int meta_fields_scripts(struct dom *d, const struct meta_opts *o, const struct dom_node *title_node,
                        const struct dom_node *container, const char *const *snips, size_t nsnips,
                        struct meta_result *a)
{
    if (!d || !a)
        return NA_EINVAL;
    struct meta_ctx *mx = o ? o->ctx : NULL;
    const char *url = o ? o->url : NULL;
    time_t now = o ? o->now : 0;
    struct buf *explain = o ? o->explain : NULL;
    if (!now)
        now = time(NULL);
    struct jsonld_info ld;
    int rc = jsonld_read(mx ? mx->ld : NULL, d->jsonld, d->njsonld, &ld);
    if (rc)
        return rc;
    struct fctx *f = fields_begin(d, now, title_node, container, a);
    if (!f) {
        jsonld_release(&ld);
        return NA_ENOMEM;
    }
    f->zc.mx = mx;
    /* step 2: stated dates and names, then the walk over the text */
    char *author_meta = NULL, *section_meta = NULL;
    head_fields(f, &author_meta, &section_meta);
    jsonld_fields(f, &ld);
    script_fields(f, snips, nsnips, a->lang);
    if (d->root)
        element_signals(f, d->root, 0);
    if (d->body) {
        element_signals(f, d->body, 0);
        walk_fields(f, d->body, 0);
        flush_line(f);
    }
    fallback_title(f, a);
    choose_date(f, url, explain, a);
    choose_names(f, &ld, author_meta, section_meta, explain, a);
    rc = f->err;
    free(author_meta);
    free(section_meta);
    jsonld_release(&ld);
    fields_end(f);
    return rc;
}

int meta_parse_date(const char *s, time_t now, char *out, size_t cap)
{
    struct date_hit h;
    if (!s || !out || cap < 32)
        return 0;
    if (!now)
        now = time(NULL);
    int k = date_find(s, strlen(s), now, DATE_RELATIVE_OK | DATE_BARE_OK, &h);
    if (!k || !date_format(&h.v, out, cap))
        return 0;
    return k;
}
