/* discover.c — URLs to fetch from what was fetched: article and next-page
 * links of listing pages (on parser/dom's tree), items of RSS 2.0, RSS 1.0
 * (RDF) and Atom feeds and entries of sitemaps (sitemaps.org protocol, also
 * gzip-compressed or plain text) with libxml2, after xmlfix.c's repairs.
 * XML is parsed without network access and without entity substitution:
 * text is taken from text and CDATA nodes only, so entity expansion cannot
 * amplify the input. */
#include "crawler/discover.h"
#include "crawler/sites.h"
#include "crawler/url.h"
#include "crawler/xmlfix.h"
#include "parser/dom.h"
#include "util/err.h"
#include "util/http.h"
#include "util/mem.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <pthread.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DISCOVER_DEFAULT_MAX 10000

/* ---- url_list ---- */

void url_list_init(struct url_list *l, size_t max)
{
    memset(l, 0, sizeof *l);
    l->max = max ? max : DISCOVER_DEFAULT_MAX;
}

void url_list_release(struct url_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    free(l->slots);
    size_t max = l->max;
    memset(l, 0, sizeof *l);
    l->max = max;
}

static size_t hash_str(const char *s)
{
    size_t h = 14695981039346656037ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* Rebuilds the hash index with room for twice the entries. */
static int rehash(struct url_list *l, size_t want)
{
    size_t ns = 64;
    while (ns < want * 2)
        ns *= 2;
    size_t *slots = na_calloc(ns, sizeof *slots);
    if (!slots)
        return NA_ENOMEM;
    for (size_t i = 0; i < l->n; i++) {
        size_t h = hash_str(l->v[i]) & (ns - 1);
        while (slots[h])
            h = (h + 1) & (ns - 1);
        slots[h] = i + 1;
    }
    free(l->slots);
    l->slots = slots;
    l->nslots = ns;
    return 0;
}

static size_t *find_slot(const struct url_list *l, const char *url)
{
    size_t h = hash_str(url) & (l->nslots - 1);
    while (l->slots[h]) {
        if (strcmp(l->v[l->slots[h] - 1], url) == 0)
            return &l->slots[h];
        h = (h + 1) & (l->nslots - 1);
    }
    return &l->slots[h];
}

int url_list_has(const struct url_list *l, const char *url)
{
    if (!l->slots)
        return 0;
    return *find_slot(l, url) != 0;
}

int url_list_add(struct url_list *l, const char *url)
{
    size_t max = l->max ? l->max : DISCOVER_DEFAULT_MAX;
    if (!l->slots || (l->n + 1) * 2 > l->nslots) {
        if (rehash(l, l->n + 1))
            return NA_ENOMEM;
    }
    size_t *slot = find_slot(l, url);
    if (*slot)
        return 0;
    if (l->n >= max) {
        l->dropped++;
        return 0;
    }
    if (NA_GROW(l->v, l->cap, l->n + 1, max)) /* n < max: only NA_ENOMEM */
        return NA_ENOMEM;
    char *dup = na_strdup(url);
    if (!dup)
        return NA_ENOMEM;
    l->v[l->n++] = dup;
    *slot = l->n;
    return 1;
}

/* ---- article test ---- */

int discover_is_article(const struct site *s, const char *url)
{
    if (!s)
        return 1;
    if (!url_in_scope(s, url))
        return 0;
    if (s->narticle == 0)
        return 1;
    for (size_t i = 0; i < s->narticle; i++) {
        if (s->article_re) {
            if (sites_regmatch(&s->article_re[i], url))
                return 1;
            continue;
        }
        regex_t re; /* a site nobody prepared: correct, only slower */
        char msg[256];
        if (sites_regcomp(&re, s->article[i], msg, sizeof msg) != 0)
            continue;
        int ok = sites_regmatch(&re, url);
        regfree(&re);
        if (ok)
            return 1;
    }
    return 0;
}

char *discover_page_url(const char *tmpl, int n)
{
    struct buf b = BUF_INIT;
    for (const char *p = tmpl; *p;) {
        const char *t = strstr(p, "{n}");
        if (!t) {
            buf_adds(&b, p);
            break;
        }
        buf_add(&b, p, (size_t)(t - p));
        buf_printf(&b, "%d", n);
        p = t + 3;
    }
    if (!b.data)
        buf_add(&b, "", 0);
    if (b.err) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b, NULL);
}

/* ---- listing pages ---- */

/* UTF-8 sequences that decorate pager links: brackets and arrows. */
static const char *const brackets[] = {
    "[", "]", "(", ")", "|", "\xE3\x80\x90" /* 【 */, "\xE3\x80\x91" /* 】 */, "\xEF\xBC\xBB" /* ［ */,
    "\xEF\xBC\xBD" /* ］ */, "\xEF\xBC\x88" /* （ */, "\xEF\xBC\x89" /* ） */, "\xE3\x80\x94" /* 〔 */,
    "\xE3\x80\x95" /* 〕 */, NULL,
};
static const char *const forward_arrows[] = {
    ">", "\xE2\x80\xBA" /* › */, "\xC2\xBB" /* » */, "\xEF\xBC\x9E" /* ＞ */, "\xE2\x86\x92" /* → */,
    "\xE3\x80\x8B" /* 》 */, "\xE2\x96\xB6" /* ▶ */, "\xE2\x96\xBA" /* ► */, NULL,
};
static const char *const back_arrows[] = {
    "<", "\xE2\x80\xB9" /* ‹ */, "\xC2\xAB" /* « */, "\xEF\xBC\x9C" /* ＜ */, "\xE2\x86\x90" /* ← */,
    "\xE3\x80\x8A" /* 《 */, "\xE2\x97\x80" /* ◀ */, "\xE2\x97\x84" /* ◄ */, NULL,
};
/* Link texts (spaces removed, ASCII lower case, decorations stripped). */
static const char *const next_words[] = {
    "\xE4\xB8\x8B\xE4\xB8\x80\xE9\xA1\xB5" /* 下一页 */, "\xE4\xB8\x8B\xE9\xA1\xB5" /* 下页 */,
    "\xE5\x90\x8E\xE9\xA1\xB5" /* 后页 */, "\xE4\xB8\x8B\xE4\xB8\x80\xE9\xA0\x81" /* 下一頁 */,
    "\xE4\xB8\x8B\xE9\xA0\x81" /* 下頁 */, "\xE5\xBE\x8C\xE9\xA0\x81" /* 後頁 */,
    "\xE5\x90\x8E\xE4\xB8\x80\xE9\xA1\xB5" /* 后一页 */, "\xE5\xBE\x8C\xE4\xB8\x80\xE9\xA0\x81" /* 後一頁 */,
    "next", "nextpage", "next\xC2\xA0page", "older", "olderposts", "olderentries", NULL,
};

static size_t starts_with_any(const char *p, size_t n, const char *const *set)
{
    for (size_t i = 0; set[i]; i++) {
        size_t k = strlen(set[i]);
        if (k <= n && memcmp(p, set[i], k) == 0)
            return k;
    }
    return 0;
}

static size_t ends_with_any(const char *p, size_t n, const char *const *set)
{
    for (size_t i = 0; set[i]; i++) {
        size_t k = strlen(set[i]);
        if (k <= n && memcmp(p + n - k, set[i], k) == 0)
            return k;
    }
    return 0;
}

/* The text of a link for pager matching: whitespace (ASCII, NBSP, U+3000)
 * removed, ASCII lower case. Falls back to title/aria-label/img alt. */
static void link_text(const struct dom_node *a, struct buf *out)
{
    struct buf raw;
    buf_init(&raw, 4096);
    dom_text(a, &raw);
    if (raw.len > 512)
        buf_truncate(&raw, 512);
    int blank = 1;
    for (size_t i = 0; i < raw.len && blank; i++)
        if ((unsigned char)raw.data[i] > ' ')
            blank = 0;
    if (blank) {
        const char *alt = dom_attr(a, "title");
        if (!alt)
            alt = dom_attr(a, "aria-label");
        for (const struct dom_node *c = a->first; !alt && c; c = dom_next(c, a))
            if (c->tag == DOM_TAG_IMG)
                alt = dom_attr(c, "alt");
        buf_reset(&raw);
        if (alt)
            buf_add(&raw, alt, strlen(alt) > 512 ? 512 : strlen(alt));
    }
    const char *p = buf_str(&raw);
    for (size_t i = 0; i < raw.len;) {
        unsigned char c = (unsigned char)p[i];
        if (c <= ' ') {
            i++;
        } else if (c == 0xC2 && i + 1 < raw.len && (unsigned char)p[i + 1] == 0xA0) {
            i += 2; /* NBSP */
        } else if (c == 0xE3 && i + 2 < raw.len && (unsigned char)p[i + 1] == 0x80 &&
                   (unsigned char)p[i + 2] == 0x80) {
            i += 3; /* ideographic space */
        } else {
            buf_addc(out, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : (char)c);
            i++;
        }
    }
    buf_release(&raw);
}

/* Strips brackets and arrows from both ends of t; counts forward and
 * backward arrows seen. Returns the core as (p, n). */
static void strip_decor(const char **pp, size_t *pn, int *fwd, int *back)
{
    const char *p = *pp;
    size_t n = *pn, k;
    *fwd = *back = 0;
    for (int changed = 1; changed && n;) {
        changed = 0;
        if ((k = starts_with_any(p, n, brackets))) {
            p += k, n -= k, changed = 1;
        } else if ((k = starts_with_any(p, n, forward_arrows))) {
            p += k, n -= k, changed = 1, (*fwd)++;
        } else if ((k = starts_with_any(p, n, back_arrows))) {
            p += k, n -= k, changed = 1, (*back)++;
        }
        if (!n)
            break;
        if ((k = ends_with_any(p, n, brackets))) {
            n -= k, changed = 1;
        } else if ((k = ends_with_any(p, n, forward_arrows))) {
            n -= k, changed = 1, (*fwd)++;
        } else if ((k = ends_with_any(p, n, back_arrows))) {
            n -= k, changed = 1, (*back)++;
        }
    }
    *pp = p;
    *pn = n;
}

/* 1 if the (normalized) link text says "next page". */
static int is_next_text(const char *t, size_t n)
{
    int fwd, back;
    const char *p = t;
    size_t k = n;
    strip_decor(&p, &k, &fwd, &back);
    if (back)
        return 0;
    if (k == 0)
        return fwd == 1; /* a lone › » > … ("»»" is usually the last page) */
    for (size_t i = 0; next_words[i]; i++)
        if (strlen(next_words[i]) == k && memcmp(next_words[i], p, k) == 0)
            return 1;
    return 0;
}

/* The page number a pager item shows ("3", "[3]", "第3页"), or -1. */
static long pager_number(const char *t, size_t n)
{
    int fwd, back;
    const char *p = t;
    size_t k = n;
    strip_decor(&p, &k, &fwd, &back);
    if (fwd || back)
        return -1;
    /* 第N页 / 第N頁 */
    if (k > 6 && memcmp(p, "\xE7\xAC\xAC", 3) == 0 &&
        (memcmp(p + k - 3, "\xE9\xA1\xB5", 3) == 0 || memcmp(p + k - 3, "\xE9\xA0\x81", 3) == 0)) {
        p += 3;
        k -= 6;
    }
    if (k == 0 || k > 7)
        return -1;
    long v = 0;
    for (size_t i = 0; i < k; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v > 0 ? v : -1;
}

/* 1 if the space-separated list attr holds one of words (case-insensitive). */
static int has_token(const char *attr, const char *const *words)
{
    if (!attr)
        return 0;
    const char *p = attr;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
            p++;
        size_t n = strcspn(p, " \t\n\r\f");
        for (size_t i = 0; n && words[i]; i++)
            if (strlen(words[i]) == n && strncasecmp(words[i], p, n) == 0)
                return 1;
        p += n;
    }
    return 0;
}

static const char *const rel_next[] = { "next", NULL };
static const char *const class_next[] = { "next", "nxt", "next-page", "nextpage", "page-next", "pagination-next",
                                          "next_page", "pnext", NULL };
static const char *const class_current[] = { "current", "active", "cur", "curr", "on", "thisclass", "selected",
                                             "page-cur", "current-page", "page-current", "now", NULL };

enum { NEXT_REL, NEXT_TEXT, NEXT_PAGER, NEXT_CLASS, NEXT_NONE };

struct listing_ctx {
    const struct site *s;
    const char *base;        /* URL links resolve against */
    char *self;              /* canonical page URL */
    char *next;              /* best next-page candidate so far */
    int next_rank;
    long current;            /* page number shown as current, or -1 */
    struct { long num; char *url; } *pager;
    size_t npager, cappager;
    size_t pager_dropped;    /* pager links past DISCOVER_MAX_PAGER_LINKS */
    struct buf text;         /* scratch */
};

static void offer_next(struct listing_ctx *x, int rank, const char *url)
{
    if (rank >= x->next_rank || !url)
        return;
    if (x->self && strcmp(url, x->self) == 0)
        return;
    if (x->s && !url_in_scope(x->s, url))
        return;
    char *dup = na_strdup(url);
    if (!dup)
        return;
    free(x->next);
    x->next = dup;
    x->next_rank = rank;
}

/* The integer a non-link element shows, when it sits next to numbered links
 * (the unlinked current page of "<span>3</span><a>4</a>"). */
static int is_pager_current(struct listing_ctx *x, const struct dom_node *n, long *num)
{
    switch (n->tag) {
    case DOM_TAG_SPAN: case DOM_TAG_STRONG: case DOM_TAG_B: case DOM_TAG_EM: case DOM_TAG_FONT:
    case DOM_TAG_LI: case DOM_TAG_TD: case DOM_TAG_I: case DOM_TAG_U: case DOM_TAG_A:
        break;
    default:
        return 0;
    }
    /* A pager item is a tiny subtree without links; looking no further
     * keeps this linear on table layouts. */
    int count = 0;
    for (const struct dom_node *c = n->first; c; c = dom_next(c, n))
        if (c->tag == DOM_TAG_A || ++count > 6)
            return 0;
    buf_reset(&x->text);
    link_text(n, &x->text);
    long v = pager_number(x->text.data ? x->text.data : "", x->text.len);
    if (v < 0)
        return 0;
    int marked = has_token(dom_attr(n, "class"), class_current) || has_token(dom_attr(n, "id"), class_current);
    const char *aria = dom_attr(n, "aria-current");
    if (aria && strcasecmp(aria, "false") != 0)
        marked = 1;
    if (n->tag == DOM_TAG_A && !marked)
        return 0;
    if (!marked) {
        /* A neighbour (or the parent's neighbour, for li > span) is a link. */
        const struct dom_node *probe[4] = { n->prev, n->next, NULL, NULL };
        if (n->parent && (n->parent->tag == DOM_TAG_LI || n->parent->tag == DOM_TAG_TD)) {
            probe[2] = n->parent->prev;
            probe[3] = n->parent->next;
        }
        int near = 0;
        for (int i = 0; i < 4 && !near; i++) {
            const struct dom_node *m = probe[i];
            while (m && m->type == DOM_TEXT && (i == 0 || i == 2) && m->prev)
                m = m->prev;
            while (m && m->type == DOM_TEXT && (i == 1 || i == 3) && m->next)
                m = m->next;
            if (!m || m->type != DOM_ELEMENT)
                continue;
            if (m->tag == DOM_TAG_A)
                near = 1;
            for (const struct dom_node *c = m->first; c && !near; c = dom_next(c, m))
                if (c->tag == DOM_TAG_A)
                    near = 1;
        }
        if (!near)
            return 0;
    }
    *num = v;
    return 1;
}

/* Keeps a numbered pager link; past DISCOVER_MAX_PAGER_LINKS it is counted
 * in pager_dropped (the caller says so through the list's cut). */
static int add_pager(struct listing_ctx *x, long num, const char *url)
{
    int rc = NA_GROW(x->pager, x->cappager, x->npager + 1, DISCOVER_MAX_PAGER_LINKS);
    if (rc == NA_ETOOBIG) {
        x->pager_dropped++;
        return 0;
    }
    if (rc)
        return rc;
    char *dup = na_strdup(url);
    if (!dup)
        return NA_ENOMEM;
    x->pager[x->npager].num = num;
    x->pager[x->npager].url = dup;
    x->npager++;
    return 0;
}

int discover_listing(const struct site *s, const char *page_url, const char *html, size_t n,
                     struct url_list *articles, char **next, struct buf *err)
{
    return discover_listing_cs(s, page_url, NULL, html, n, articles, next, err);
}

int discover_listing_cs(const struct site *s, const char *page_url, const char *charset, const char *html,
                        size_t n, struct url_list *articles, char **next, struct buf *err)
{
    if (next)
        *next = NULL;
    struct dom *d = NULL;
    int rc = dom_parse(html ? html : "", html ? n : 0, NULL, &d, err);
    if (rc)
        return rc;
    struct listing_ctx x;
    memset(&x, 0, sizeof x);
    x.s = s;
    x.next_rank = NEXT_NONE;
    x.current = -1;
    buf_init(&x.text, 8192);
    x.self = url_canonical(page_url);
    char *base_alloc = NULL;
    x.base = page_url;
    rc = 0;

    /* <base href> applies to every link of the document. */
    for (struct dom_node *e = d->root; e; e = dom_next(e, d->root)) {
        if (e->tag == DOM_TAG_BASE && dom_attr(e, "href")) {
            base_alloc = url_resolve_cs(page_url, dom_attr(e, "href"), charset);
            if (base_alloc)
                x.base = base_alloc;
            break;
        }
        if (e->tag == DOM_TAG_BODY)
            break;
    }

    size_t links = 0, max_links = DISCOVER_MAX_LINKS;
    if (articles && articles->max && articles->max * 4 > max_links)
        max_links = articles->max * 4;
    struct dom_node *e = d->root;
    for (; e && links < max_links; e = dom_next(e, d->root)) {
        if (e->type != DOM_ELEMENT)
            continue;
        long num;
        if (x.current < 0 && is_pager_current(&x, e, &num))
            x.current = num;
        if (e->tag != DOM_TAG_A && e->tag != DOM_TAG_AREA && e->tag != DOM_TAG_LINK)
            continue;
        const char *href = dom_attr(e, "href");
        if (!href)
            continue;
        links++;
        char *url = url_resolve_cs(x.base, href, charset);
        if (!url)
            continue;
        if (has_token(dom_attr(e, "rel"), rel_next))
            offer_next(&x, NEXT_REL, url);
        if (e->tag == DOM_TAG_LINK) {
            free(url);
            continue;
        }
        if (!x.self || strcmp(url, x.self) != 0) {
            if (articles && discover_is_article(s, url)) {
                int r = url_list_add(articles, url);
                if (r < 0) {
                    free(url);
                    rc = r;
                    buf_seterr(err, "out of memory");
                    goto done;
                }
            }
        }
        if (x.next_rank > NEXT_TEXT && e->tag == DOM_TAG_A) {
            buf_reset(&x.text);
            link_text(e, &x.text);
            const char *t = x.text.data ? x.text.data : "";
            if (is_next_text(t, x.text.len)) {
                offer_next(&x, NEXT_TEXT, url);
            } else {
                long v = pager_number(t, x.text.len);
                if (v > 0 && add_pager(&x, v, url)) {
                    free(url);
                    rc = NA_ENOMEM;
                    buf_seterr(err, "out of memory");
                    goto done;
                }
                if (has_token(dom_attr(e, "class"), class_next) || has_token(dom_attr(e, "id"), class_next))
                    offer_next(&x, NEXT_CLASS, url);
            }
        }
        free(url);
    }
    if (e && articles)
        articles->cut = "links read per listing page (DISCOVER_MAX_LINKS, 50,000, or 4 x max_listing_links)";
    else if (x.pager_dropped && articles)
        articles->cut = "numbered pager links kept per listing page (DISCOVER_MAX_PAGER_LINKS, 1,000)";
    if (x.current > 0)
        for (size_t i = 0; i < x.npager; i++)
            if (x.pager[i].num == x.current + 1) {
                offer_next(&x, NEXT_PAGER, x.pager[i].url);
                break;
            }
    if (next) {
        *next = x.next;
        x.next = NULL;
    }
done:
    for (size_t i = 0; i < x.npager; i++)
        free(x.pager[i].url);
    free(x.pager);
    free(x.next);
    free(x.self);
    free(base_alloc);
    buf_release(&x.text);
    dom_free(d);
    return rc;
}

/* ---- XML: feeds and sitemaps ---- */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser();
}

static int local_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

/* Text and CDATA children only (entity references are not expanded). */
static void node_text(const xmlNode *n, struct buf *out)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            buf_adds(out, (const char *)c->content);
}

/* Value of attribute `name` (any namespace unless ns is given), text
 * children only; appended to out. 1 if present. */
static int attr_text(const xmlNode *n, const char *name, const char *ns, struct buf *out)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (!a->name || strcmp((const char *)a->name, name) != 0)
            continue;
        if (ns && (!a->ns || !a->ns->href || strcmp((const char *)a->ns->href, ns) != 0))
            continue;
        for (const xmlNode *c = a->children; c; c = c->next)
            if (c->type == XML_TEXT_NODE && c->content)
                buf_adds(out, (const char *)c->content);
        return 1;
    }
    return 0;
}

static void trim(struct buf *b)
{
    size_t s = 0, e = b->len;
    while (s < e && (unsigned char)b->data[s] <= ' ')
        s++;
    while (e > s && (unsigned char)b->data[e - 1] <= ' ')
        e--;
    if (s)
        memmove(b->data, b->data + s, e - s);
    if (b->data)
        buf_truncate(b, e - s);
}

/* The base URL of n: the document URL with every xml:base from the root
 * down applied (XML Base). malloc'd or NULL. */
static char *xml_base(const xmlNode *n, const char *doc_url)
{
    const xmlNode *chain[64];
    size_t k = 0;
    for (const xmlNode *p = n; p && p->type == XML_ELEMENT_NODE && k < 64; p = p->parent)
        chain[k++] = p;
    char *base = na_strdup(doc_url ? doc_url : "");
    struct buf v = BUF_INIT;
    while (base && k--) {
        buf_reset(&v);
        if (attr_text(chain[k], "base", (const char *)XML_XML_NAMESPACE, &v)) {
            trim(&v);
            char *nb = url_resolve(base[0] ? base : NULL, buf_str(&v));
            if (nb) {
                free(base);
                base = nb;
            }
        }
    }
    buf_release(&v);
    return base;
}

struct xml_ctx {
    const struct site *s;
    const char *url;
    struct url_list *articles, *sitemaps;
    int rc;
};

static void add_found(struct xml_ctx *x, const char *base, const char *raw, int to_sitemaps)
{
    if (x->rc)
        return;
    char *u = url_resolve(base, raw);
    if (!u)
        return;
    int r = 0;
    if (to_sitemaps) {
        if (x->sitemaps && (!x->s || url_in_scope(x->s, u)))
            r = url_list_add(x->sitemaps, u);
    } else if (x->articles && discover_is_article(x->s, u)) {
        r = url_list_add(x->articles, u);
    }
    if (r < 0)
        x->rc = r;
    free(u);
}

/* The URL of a <link> (href, else its text) into v; 0 when it is not an
 * alternate link or is empty. */
static int link_value(const xmlNode *c, struct buf *v)
{
    buf_reset(v);
    struct buf rel = BUF_INIT;
    int has_rel = attr_text(c, "rel", NULL, &rel);
    trim(&rel);
    int alternate = !has_rel || strcasecmp(buf_str(&rel), "alternate") == 0;
    buf_release(&rel);
    if (!alternate)
        return 0;
    if (!attr_text(c, "href", NULL, v))
        node_text(c, v);
    trim(v);
    return v->len > 0;
}

/* The first <link> deeper below item than its children, outside nested
 * items, entries and Atom sources: an unclosed HTML tag in a title or a
 * description nests the rest of the item inside it (recover mode). */
static const xmlNode *nested_link(const xmlNode *item)
{
    const xmlNode *n = item->children;
    for (size_t seen = 0; n && seen < 100000; seen++) {
        int el = n->type == XML_ELEMENT_NODE;
        if (el && n->parent != item && local_is(n, "link"))
            return n;
        if (el && n->children && !local_is(n, "item") && !local_is(n, "entry") && !local_is(n, "source")) {
            n = n->children;
            continue;
        }
        while (n != item && !n->next)
            n = n->parent;
        if (n == item)
            break;
        n = n->next;
    }
    return NULL;
}

/* One RSS item or Atom entry: its link to the article. */
static void feed_item(struct xml_ctx *x, const xmlNode *item)
{
    struct buf v;
    buf_init(&v, URL_MAX_LEN * 4);
    const char *prefer[] = { "origLink", "link", NULL };
    int found = 0;
    for (int pass = 0; prefer[pass] && !found; pass++) {
        for (const xmlNode *c = item->children; c && !found; c = c->next) {
            if (!local_is(c, prefer[pass]))
                continue;
            if (pass == 1) {
                if (!link_value(c, &v))
                    continue;
            } else {
                buf_reset(&v);
                node_text(c, &v);
                trim(&v);
                if (!v.len)
                    continue;
            }
            char *base = xml_base(c, x->url);
            add_found(x, base, buf_str(&v), 0);
            free(base);
            found = 1;
        }
    }
    const xmlNode *nl = found ? NULL : nested_link(item);
    if (nl && link_value(nl, &v)) {
        char *base = xml_base(nl, x->url);
        add_found(x, base, buf_str(&v), 0);
        free(base);
        found = 1;
    }
    if (!found) {
        /* RSS 2.0 guid (a permalink unless isPermaLink="false"), RDF about. */
        for (const xmlNode *c = item->children; c && !found; c = c->next) {
            if (!local_is(c, "guid"))
                continue;
            struct buf pl = BUF_INIT;
            attr_text(c, "isPermaLink", NULL, &pl);
            int perma = strcasecmp(buf_str(&pl), "false") != 0;
            buf_release(&pl);
            buf_reset(&v);
            node_text(c, &v);
            trim(&v);
            if (perma && (strncasecmp(buf_str(&v), "http://", 7) == 0 || strncasecmp(buf_str(&v), "https://", 8) == 0)) {
                add_found(x, x->url, buf_str(&v), 0);
                found = 1;
            }
        }
        buf_reset(&v);
        if (!found && attr_text(item, "about", NULL, &v)) {
            trim(&v);
            if (v.len)
                add_found(x, x->url, buf_str(&v), 0);
        }
    }
    buf_release(&v);
}

/* A sitemap <url> or <sitemap>: its <loc>. */
static void sitemap_entry(struct xml_ctx *x, const xmlNode *e, int to_sitemaps)
{
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (!local_is(c, "loc"))
            continue;
        struct buf v;
        buf_init(&v, URL_MAX_LEN * 4);
        node_text(c, &v);
        trim(&v);
        if (v.len && !v.err)
            add_found(x, x->url, buf_str(&v), to_sitemaps);
        buf_release(&v);
        return;
    }
}

/* Walks the tree (iteratively) and collects feed items and sitemap entries. */
static void walk(struct xml_ctx *x, xmlNode *root)
{
    xmlNode *n = root;
    while (n && !x->rc) {
        int descend = 1;
        if (n->type == XML_ELEMENT_NODE) {
            if (local_is(n, "item") || local_is(n, "entry")) {
                feed_item(x, n); /* and descend: recover mode may have nested the next item */
            } else if (local_is(n, "url") && local_is(n->parent, "urlset")) {
                sitemap_entry(x, n, 0);
                descend = 0;
            } else if (local_is(n, "sitemap") && local_is(n->parent, "sitemapindex")) {
                sitemap_entry(x, n, 1);
                descend = 0;
            }
        }
        if (descend && n->children && n->type == XML_ELEMENT_NODE) {
            n = n->children;
            continue;
        }
        while (n && n != root && !n->next)
            n = n->parent;
        if (!n || n == root)
            break;
        n = n->next;
    }
}

static int parse_xml(const char *what, const char *url, const char *xml, size_t n, struct xml_ctx *x,
                     struct buf *err)
{
    pthread_once(&xml_once, xml_init);
    if (n > DISCOVER_MAX_XML || n > INT_MAX) {
        buf_seterr(err, "%s '%s': larger than %zu bytes", what, url, DISCOVER_MAX_XML);
        return NA_ETOOBIG;
    }
    /* UTF-8, leading junk dropped, only character references left (xmlfix.h). */
    struct buf fixed, ferr = BUF_INIT;
    buf_init(&fixed, 2 * n + 65536);
    int frc = xmlfix_prepare(xml, n, &fixed, &ferr);
    if (frc) {
        buf_seterr(err, "%s '%s': %s", what, url, buf_str(&ferr));
        buf_release(&ferr);
        buf_release(&fixed);
        return frc;
    }
    buf_release(&ferr);
    if (fixed.len > INT_MAX) {
        buf_release(&fixed);
        buf_seterr(err, "%s '%s': larger than %d bytes once repaired", what, url, INT_MAX);
        return NA_ETOOBIG;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        buf_release(&fixed);
        buf_seterr(err, "out of memory");
        return NA_ENOMEM;
    }
    /* No XML_PARSE_NOENT (entities are not substituted), no DTD loading,
     * no network; RECOVER so what follows a broken tag is still read;
     * IGNORE_ENC because xmlfix_prepare already decoded to UTF-8. */
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_RECOVER | XML_PARSE_NOBLANKS |
               XML_PARSE_IGNORE_ENC;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, buf_str(&fixed), (int)fixed.len, url, "UTF-8", opts);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    int rc = 0;
    if (!root) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        if (e && e->message) {
            size_t ml = strlen(e->message);
            while (ml && e->message[ml - 1] == '\n')
                ml--;
            buf_seterr(err, "%s '%s': not well-formed XML (line %d: %.*s)", what, url, e->line, (int)ml, e->message);
        } else {
            buf_seterr(err, "%s '%s': not well-formed XML", what, url);
        }
        rc = NA_EPARSE;
    } else if (!(local_is(root, "rss") || local_is(root, "RDF") || local_is(root, "feed") ||
                 local_is(root, "channel") || local_is(root, "urlset") || local_is(root, "sitemapindex"))) {
        buf_seterr(err, "%s '%s': not a feed or sitemap (root element <%s>)", what, url, (const char *)root->name);
        rc = NA_EPARSE;
    } else {
        walk(x, root);
        if (x->rc) {
            rc = x->rc;
            buf_seterr(err, "out of memory");
        }
    }
    if (doc)
        xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    buf_release(&fixed);
    return rc;
}

int discover_feed(const struct site *s, const char *feed_url, const char *xml, size_t n,
                  struct url_list *articles, struct buf *err)
{
    struct xml_ctx x = { s, feed_url, articles, NULL, 0 };
    return parse_xml("feed", feed_url, xml ? xml : "", xml ? n : 0, &x, err);
}

/* A .xml.gz sitemap inflated into out (capped at DISCOVER_MAX_XML) by
 * util/http.h's decoder, the crawl's own. */
static int gunzip(const char *in, size_t n, struct buf *out, const char *url, struct buf *err)
{
    struct buf e = BUF_INIT;
    int rc = http_decode_body(in, n, 0, "gzip", DISCOVER_MAX_XML, out, &e);
    if (rc == NA_ETOOBIG)
        buf_seterr(err, "sitemap '%s': larger than %zu bytes after decompression", url, DISCOVER_MAX_XML);
    else if (rc == NA_EPARSE && strstr(buf_str(&e), "truncated"))
        buf_seterr(err, "sitemap '%s': truncated gzip data", url);
    else if (rc == NA_EPARSE)
        buf_seterr(err, "sitemap '%s': bad gzip data (%s)", url, buf_str(&e));
    else if (rc)
        buf_seterr(err, "sitemap '%s': %s", url, buf_str(&e));
    buf_release(&e);
    return rc;
}

/* A text sitemap: one absolute URL per line. */
static int text_sitemap(struct xml_ctx *x, const char *p, size_t n)
{
    size_t lines = 0;
    struct buf line;
    buf_init(&line, URL_MAX_LEN * 2);
    for (size_t i = 0; i < n && lines < DISCOVER_MAX_TEXT_LINES && !x->rc;) {
        size_t st = i;
        while (i < n && p[i] != '\n' && p[i] != '\r')
            i++;
        size_t len = i - st;
        while (i < n && (p[i] == '\n' || p[i] == '\r'))
            i++;
        lines++;
        buf_reset(&line);
        if (buf_add(&line, p + st, len))
            continue; /* overlong line: not a URL */
        trim(&line);
        if (line.len && (strncasecmp(line.data, "http://", 7) == 0 || strncasecmp(line.data, "https://", 8) == 0))
            add_found(x, NULL, line.data, 0);
        if (lines == DISCOVER_MAX_TEXT_LINES && i < n && x->articles)
            x->articles->cut = "lines read of a text sitemap (DISCOVER_MAX_TEXT_LINES, 50,000, the sitemap protocol's limit)";
    }
    buf_release(&line);
    return x->rc;
}

int discover_sitemap(const struct site *s, const char *sitemap_url, const char *xml, size_t n,
                     struct url_list *articles, struct url_list *sitemaps, struct buf *err)
{
    struct xml_ctx x = { s, sitemap_url, articles, sitemaps, 0 };
    struct buf plain;
    buf_init(&plain, DISCOVER_MAX_XML);
    if (!xml)
        xml = "", n = 0;
    if (n >= 2 && (unsigned char)xml[0] == 0x1f && (unsigned char)xml[1] == 0x8b) {
        int rc = gunzip(xml, n, &plain, sitemap_url, err);
        if (rc) {
            buf_release(&plain);
            return rc;
        }
        xml = buf_str(&plain);
        n = plain.len;
    }
    size_t i = 0;
    if (n >= 3 && memcmp(xml, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && (unsigned char)xml[i] <= ' ')
        i++;
    int rc;
    size_t head = n - i < XMLFIX_HEAD_MAX ? n - i : XMLFIX_HEAD_MAX;
    int xml_after_junk = memmem(xml + i, head, "<?xml", 5) || memmem(xml + i, head, "<urlset", 7) ||
                         memmem(xml + i, head, "<sitemapindex", 13);
    if (i < n && xml[i] != '<' && !xml_after_junk) {
        rc = text_sitemap(&x, xml + i, n - i);
        if (rc)
            buf_seterr(err, "out of memory");
    } else {
        rc = parse_xml("sitemap", sitemap_url, xml, n, &x, err);
    }
    buf_release(&plain);
    return rc;
}
