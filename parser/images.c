/* images.c — an article's images (images.h): the walk over the kept
 * content, the choice of one URL per attribute (lazy-load attributes,
 * srcset's largest candidate, per the HTML standard's srcset syntax), and
 * resolution through crawler/url.h, the one URL code (curl's CURLU). */
#include "parser/images.h"
#include "crawler/url.h"
#include "parser/clean.h"
#include "parser/dom.h"
#include "parser/text.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The lines of the container by the document index of the block that holds
 * each, sorted, with the number of kept lines before each position. */
struct line_map {
    size_t *index;
    size_t *kept; /* kept[i]: lines kept among index[0..i-1]; n + 1 entries */
    size_t n;
};

struct line_ref {
    size_t index;
    int keep;
};

static int ref_cmp(const void *a, const void *b)
{
    size_t x = ((const struct line_ref *)a)->index, y = ((const struct line_ref *)b)->index;
    return x < y ? -1 : x > y;
}

static int map_build(struct line_map *m, const struct text_lines *l)
{
    memset(m, 0, sizeof *m);
    if (!l || !l->n)
        return 0;
    struct line_ref *r = na_malloc(l->n * sizeof *r);
    m->index = na_malloc(l->n * sizeof *m->index);
    m->kept = na_malloc((l->n + 1) * sizeof *m->kept);
    if (!r || !m->index || !m->kept) {
        free(r);
        free(m->index);
        free(m->kept);
        memset(m, 0, sizeof *m);
        return NA_ENOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) /* a caption says nothing of its picture's worth: a credit line
                                        * ("摄影：…") is dropped, its photo stays */
        if (l->v[i].node && l->v[i].kind != TEXT_CAPTION)
            r[n++] = (struct line_ref){ l->v[i].node->index, !l->v[i].drop };
    qsort(r, n, sizeof *r, ref_cmp);
    m->kept[0] = 0;
    for (size_t i = 0; i < n; i++) {
        m->index[i] = r[i].index;
        m->kept[i + 1] = m->kept[i] + (size_t)r[i].keep;
    }
    m->n = n;
    free(r);
    return 0;
}

/* First position whose index is >= v. */
static size_t lower(const struct line_map *m, size_t v)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->index[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int inline_tag(enum dom_tag t)
{
    switch (t) {
    case DOM_TAG_A: case DOM_TAG_SPAN: case DOM_TAG_B: case DOM_TAG_STRONG: case DOM_TAG_I:
    case DOM_TAG_EM: case DOM_TAG_U: case DOM_TAG_S: case DOM_TAG_FONT: case DOM_TAG_SMALL:
    case DOM_TAG_BIG: case DOM_TAG_SUB: case DOM_TAG_SUP: case DOM_TAG_MARK: case DOM_TAG_TIME:
    case DOM_TAG_ABBR: case DOM_TAG_CODE: case DOM_TAG_Q: case DOM_TAG_CITE: case DOM_TAG_LABEL:
    case DOM_TAG_NOBR: case DOM_TAG_TT: case DOM_TAG_DEL: case DOM_TAG_INS: case DOM_TAG_PICTURE:
    case DOM_TAG_OTHER:
        return 1;
    default:
        return 0;
    }
}

/* 1 when the block around image x holds lines and the line filters dropped
 * every one of them: the image goes with its text (a QR code over its
 * "scan to follow" line, a related-article thumbnail). */
static int in_dropped_block(const struct line_map *m, const struct dom_node *x, const struct dom_node *container)
{
    if (!m->n)
        return 0;
    const struct dom_node *b = x->parent;
    while (b && b != container && inline_tag(b->tag))
        b = b->parent;
    if (!b)
        b = container;
    const struct dom_node *last = b;
    while (last->last)
        last = last->last;
    size_t lo = lower(m, b->index), hi = lower(m, last->index + 1);
    return hi > lo && m->kept[hi] == m->kept[lo];
}

/* 1 when x is inside a link (below the container) to something that is
 * not an image file: an advert, a share button, a logo to the home page, a
 * thumbnail to another story. A picture of the article links to nothing,
 * to its full-size file, or to "#" / "javascript:". */
static int links_to_page(const struct dom_node *x, const struct dom_node *container)
{
    static const char *const ext[] = { ".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".svg", ".avif" };
    for (const struct dom_node *a = x->parent; a && a != container; a = a->parent) {
        if (a->tag != DOM_TAG_A)
            continue;
        const char *h = dom_attr(a, "href");
        while (h && (*h == ' ' || *h == '\t' || *h == '\n' || *h == '\r'))
            h++;
        if (!h || !*h || *h == '#' || strncasecmp(h, "javascript:", 11) == 0)
            return 0;
        size_t n = strcspn(h, "?#");
        for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
            size_t k = strlen(ext[i]);
            if (n >= k && strncasecmp(h + n - k, ext[i], k) == 0)
                return 0;
        }
        return 1;
    }
    return 0;
}

/* The largest candidate of a srcset value, copied into out (cap bytes):
 * the widest "Nw", else the highest "Nx" (none: 1x). "" when none. */
static void srcset_largest(const char *v, char *out, size_t cap)
{
    double best = -1;
    int best_w = 0;
    out[0] = 0;
    const char *p = v;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *u = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != '\f')
            p++;
        size_t un = (size_t)(p - u);
        int ended = 0; /* a URL ending in ',' has no descriptor */
        while (un && u[un - 1] == ',')
            un--, ended = 1;
        double size = 1;
        int w = 0;
        if (!ended) {
            while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
                p++;
            const char *d = p;
            while (*p && *p != ',')
                p++;
            char *e;
            double x = strtod(d, &e);
            if (e != d && x > 0 && (*e == 'w' || *e == 'W'))
                size = x, w = 1;
            else if (e != d && x > 0 && (*e == 'x' || *e == 'X'))
                size = x;
        }
        if (!un || un >= cap)
            continue;
        if ((w && !best_w) || ((w == best_w) && size > best)) {
            best = size;
            best_w = w;
            memcpy(out, u, un);
            out[un] = 0;
        }
    }
}

struct collect {
    const char *base, *charset;
    char **v;
    size_t n, max;
};

/* Resolves ref and appends it unless it is there already. A URL that is
 * not http(s), malformed or too long is left out, and so is one whose
 * resolution ran out of memory (images are best effort). */
static void add(struct collect *c, const char *ref)
{
    if (!ref || !*ref || c->n >= c->max || strncasecmp(ref, "data:", 5) == 0)
        return;
    char *u = url_resolve_cs(c->base, ref, c->charset);
    if (!u)
        return;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i], u) == 0) {
            free(u);
            return;
        }
    c->v[c->n++] = u;
}

static void add_srcset(struct collect *c, const struct dom_node *x)
{
    const char *ss = dom_attr(x, "srcset");
    if (!ss || !*ss)
        ss = dom_attr(x, "data-srcset");
    if (!ss || !*ss)
        return;
    char best[URL_MAX_LEN + 1];
    srcset_largest(ss, best, sizeof best);
    add(c, best);
}

static void add_img(struct collect *c, const struct dom_node *x)
{
    static const char *const lazy[] = { "data-src", "data-original", "data-lazy-src" };
    const char *src = NULL;
    for (size_t i = 0; i < sizeof lazy / sizeof lazy[0] && !src; i++) {
        src = dom_attr(x, lazy[i]);
        if (src && (!*src || strncasecmp(src, "data:", 5) == 0))
            src = NULL;
    }
    if (!src)
        src = dom_attr(x, "src");
    add(c, src);
    add_srcset(c, x);
}

/* Gumbo 0.10.1 predates <picture>: it is an unknown tag, known by name. */
static int in_picture(const struct dom_node *x)
{
    const struct dom_node *p = x->parent;
    return p && (p->tag == DOM_TAG_PICTURE || (p->name && strcmp(p->name, "picture") == 0));
}

/* <base href> resolved against page_url (malloc'd), or NULL. */
static char *base_of(const struct dom *d, const char *page_url, const char *charset)
{
    const struct dom_node *top = d->head ? d->head : d->root;
    for (const struct dom_node *x = top; x; x = dom_next(x, top))
        if (x->tag == DOM_TAG_BASE && dom_attr(x, "href"))
            return url_resolve_cs(page_url, dom_attr(x, "href"), charset);
    return NULL;
}

void images_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

int images_collect(const struct dom *d, const struct dom_node *container, const struct text_lines *lines,
                   const char *page_url, const char *charset, size_t max, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!d || !container || !max)
        return 0;
    if (max > IMAGES_MAX)
        max = IMAGES_MAX;
    struct line_map m;
    struct collect c = { NULL, charset, NULL, 0, max };
    char *base = base_of(d, page_url, charset);
    c.base = base ? base : page_url;
    c.v = na_calloc(max, sizeof *c.v);
    if (!c.v || map_build(&m, lines)) {
        free(c.v);
        free(base);
        return NA_ENOMEM;
    }
    for (const struct dom_node *x = container; x && c.n < max;) {
        if (x != container && (x->flags & CLEAN_SKIP)) {
            x = dom_next_skip(x, container);
            continue;
        }
        if ((x->tag == DOM_TAG_IMG || (x->tag == DOM_TAG_SOURCE && in_picture(x))) &&
            !in_dropped_block(&m, x, container) && !links_to_page(x, container)) {
            if (x->tag == DOM_TAG_IMG)
                add_img(&c, x);
            else
                add_srcset(&c, x);
        }
        x = dom_next(x, container);
    }
    free(m.index);
    free(m.kept);
    free(base);
    if (!c.n) {
        free(c.v);
        return 0;
    }
    *out = c.v;
    *n = c.n;
    return 0;
}
