/* discover.c — URLs to fetch from what was fetched: article and next-page
 * links of listing pages (on parser/dom's tree; the CMS shapes that keep
 * them in scripts — TRS createPageHTML, Hanweb datastores and jpage — read
 * from the raw text), with the link text and date beside each link as
 * hints; items of JSON list APIs (jansson), of RSS 2.0, RSS 1.0
 * (RDF) and Atom feeds and entries of sitemaps (sitemaps.org protocol, also
 * gzip-compressed or plain text) with libxml2, after xmlfix.c's repairs.
 * XML is parsed without network access and without entity substitution:
 * text is taken from text and CDATA nodes only, so entity expansion cannot
 * amplify the input. */
#include "crawler/discover.h"
#include "crawler/sites.h"
#include "crawler/url.h"
#include "crawler/xmlfix.h"
#include "parser/date.h"
#include "parser/dom.h"
#include "util/err.h"
#include "util/http.h"
#include "util/mem.h"

#include <ctype.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <pthread.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i]);
        if (l->hint) {
            free(l->hint[i].text);
            free(l->hint[i].date);
        }
    }
    free(l->v);
    free(l->hint);
    free(l->slots);
    size_t max = l->max;
    int want = l->want_hints;
    memset(l, 0, sizeof *l);
    l->max = max;
    l->want_hints = want;
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
    if (l->want_hints && NA_GROW(l->hint, l->hint_cap, l->n + 1, max))
        return NA_ENOMEM;
    char *dup = na_strdup(url);
    if (!dup)
        return NA_ENOMEM;
    if (l->hint)
        l->hint[l->n].text = l->hint[l->n].date = NULL;
    l->v[l->n++] = dup;
    *slot = l->n;
    return 1;
}

const struct url_hint *url_list_hint(const struct url_list *l, const char *url)
{
    if (!l->hint || !l->slots)
        return NULL;
    size_t *slot = find_slot(l, url);
    return *slot ? &l->hint[*slot - 1] : NULL;
}

/* Sets the hints of the last URL added (copies; a failed copy leaves NULL). */
static void set_hint(struct url_list *l, const char *text, size_t tn, const char *date)
{
    if (!l->hint || !l->n)
        return;
    struct url_hint *h = &l->hint[l->n - 1];
    if (text && tn && !h->text && (h->text = na_malloc(tn + 1))) {
        memcpy(h->text, text, tn);
        h->text[tn] = 0;
    }
    if (date && *date && !h->date)
        h->date = na_strdup(date);
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

enum { NEXT_SHAPE, NEXT_REL, NEXT_TEXT, NEXT_SCRIPT, NEXT_PAGER, NEXT_SELECT, NEXT_CLASS, NEXT_NONE };
static const char *const next_names[] = { "jpage", "rel=next", "next-page text", "createPageHTML",
                                          "numbered pager", "<select> pager", "class next", NULL };

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
    return discover_listing_shape(s, page_url, NULL, html, n, articles, next, NULL, err);
}

int discover_listing_cs(const struct site *s, const char *page_url, const char *charset, const char *html,
                        size_t n, struct url_list *articles, char **next, struct buf *err)
{
    return discover_listing_shape(s, page_url, charset, html, n, articles, next, NULL, err);
}

void listing_shape_release(struct listing_shape *sh)
{
    if (!sh)
        return;
    free(sh->next_post);
    memset(sh, 0, sizeof *sh);
}

/* ---- shapes read from the raw page text (scripts are not in the DOM) ---- */

static const char *skip_ws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

/* A non-negative decimal at p (at most 9 digits); -1 when none. */
static long read_num(const char **pp, const char *e)
{
    const char *p = *pp;
    long v = 0;
    int k = 0;
    while (p < e && isdigit((unsigned char)*p) && k < 9)
        v = v * 10 + (*p++ - '0'), k++;
    if (!k || (p < e && isdigit((unsigned char)*p)))
        return -1;
    *pp = p;
    return v;
}

/* A quoted word of [A-Za-z0-9_.-] at p into out; 0 when none. */
static int read_word(const char **pp, const char *e, char *out, size_t cap)
{
    const char *p = *pp;
    if (p >= e || (*p != '"' && *p != '\''))
        return 0;
    char q = *p++;
    size_t k = 0;
    while (p < e && *p != q) {
        if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.') || k + 1 >= cap)
            return 0;
        out[k++] = *p++;
    }
    if (p >= e || !k)
        return 0;
    out[k] = 0;
    *pp = p + 1;
    return 1;
}

/* TRS WCM: createPageHTML(count, current, "name", "ext"), or the newer
 * createPageHTML('div', count, current, 'name', 'ext', records). The
 * function's own definition (no numbers) is skipped. 1 when found. */
static int trs_scan(const char *html, size_t n, struct listing_shape *sh)
{
    static const char key[] = "createPageHTML(";
    const char *e = html + n;
    for (const char *p = html; p < e && (p = memmem(p, (size_t)(e - p), key, sizeof key - 1));) {
        const char *q = skip_ws(p + sizeof key - 1, e);
        p += sizeof key - 1;
        char word[64];
        if (q < e && (*q == '"' || *q == '\'')) { /* the pager's element id */
            if (!read_word(&q, e, word, sizeof word))
                continue;
            q = skip_ws(q, e);
            if (q >= e || *q++ != ',')
                continue;
            q = skip_ws(q, e);
        }
        long count = read_num(&q, e);
        q = skip_ws(q, e);
        if (count < 1 || count > 1000000 || q >= e || *q++ != ',')
            continue;
        q = skip_ws(q, e);
        long cur = read_num(&q, e);
        q = skip_ws(q, e);
        if (cur < 0 || q >= e || *q++ != ',')
            continue;
        q = skip_ws(q, e);
        if (!read_word(&q, e, sh->name, sizeof sh->name))
            continue;
        q = skip_ws(q, e);
        if (q >= e || *q++ != ',')
            continue;
        q = skip_ws(q, e);
        if (!read_word(&q, e, sh->ext, sizeof sh->ext))
            continue;
        sh->kind = LISTING_TRS;
        sh->pages = (int)count;
        sh->current = (int)cur;
        return 1;
    }
    sh->name[0] = sh->ext[0] = 0;
    return 0;
}

char *discover_trs_page(const char *page_url, const struct listing_shape *sh, int p)
{
    char rel[128];
    if (p <= 0)
        snprintf(rel, sizeof rel, "%s.%s", sh->name, sh->ext);
    else
        snprintf(rel, sizeof rel, "%s_%d.%s", sh->name, p, sh->ext);
    char *u = url_resolve(page_url, rel);
    char *c = u ? url_canonical(u) : NULL;
    free(u);
    return c;
}

/* The number after `key` and ':' or '=' (quotes and blanks allowed), -1 when none. */
static long script_num(const char *s, size_t n, const char *key)
{
    const char *e = s + n;
    size_t kl = strlen(key);
    for (const char *p = s; p < e && (p = memmem(p, (size_t)(e - p), key, kl));) {
        p += kl;
        const char *q = p;
        while (q < e && (*q == '"' || *q == '\'' || *q == ' ' || *q == '\t'))
            q++;
        if (q >= e || (*q != ':' && *q != '='))
            continue;
        q++;
        while (q < e && (*q == '"' || *q == '\'' || *q == ' ' || *q == '\t'))
            q++;
        long v = read_num(&q, e);
        if (v >= 0)
            return v;
    }
    return -1;
}

/* The quoted string value of `key:` ('proxyUrl: "/module/…"') into out. */
static int script_str(const char *s, size_t n, const char *key, char *out, size_t cap)
{
    const char *e = s + n;
    const char *p = memmem(s, n, key, strlen(key));
    if (!p)
        return 0;
    p = skip_ws(p + strlen(key), e);
    while (p < e && (*p == '"' || *p == '\''))
        p++;
    p = skip_ws(p, e);
    if (p >= e || (*p != ':' && *p != '='))
        return 0;
    p = skip_ws(p + 1, e);
    if (p >= e || (*p != '"' && *p != '\''))
        return 0;
    char q = *p++;
    size_t k = 0;
    while (p < e && *p != q && k + 1 < cap) {
        if ((unsigned char)*p < 0x21)
            return 0;
        out[k++] = *p++;
    }
    out[k] = 0;
    return p < e && *p == q && k > 0;
}

/* The text of a datastore element: its CDATA section, else its raw text. */
static void element_text(const char *p, const char *e, struct buf *out)
{
    const char *c = memmem(p, (size_t)(e - p), "<![CDATA[", 9);
    if (c) {
        const char *ce = memmem(c + 9, (size_t)(e - c - 9), "]]>", 3);
        buf_add(out, c + 9, (size_t)((ce ? ce : e) - c - 9));
    } else {
        buf_add(out, p, (size_t)(e - p));
    }
}

/* The value of query parameter `name` in url, -1 when absent. */
static long query_num(const char *url, const char *name)
{
    const char *q = strchr(url, '?');
    size_t nl = strlen(name);
    for (const char *p = q; p && *p; p = strchr(p + 1, '&')) {
        if (strncasecmp(p + 1, name, nl) == 0 && p[1 + nl] == '=') {
            const char *v = p + 2 + nl;
            return read_num(&v, v + strlen(v));
        }
    }
    return -1;
}

/* The jpage POST body from the nextgroup link's query ("page" dropped), else
 * from columnid/unitid/webid in the page's scripts. */
static void jpage_params(const char *html, size_t n, const char *nextgroup, struct buf *body)
{
    const char *q = nextgroup ? strchr(nextgroup, '?') : NULL;
    if (q) {
        const char *end = q + 1 + strcspn(q + 1, "\"' >");
        for (const char *p = q + 1; p < end;) {
            const char *amp = p;
            while (amp < end && *amp != '&')
                amp++;
            size_t len = (size_t)(amp - p);
            if (len >= 4 && strncmp(p, "amp;", 4) == 0)
                p += 4, len -= 4; /* &amp; written into the CDATA */
            if (len && !(len >= 5 && strncmp(p, "page=", 5) == 0)) {
                if (body->len)
                    buf_addc(body, '&');
                for (size_t i = 0; i < len; i++) { /* a form body: bytes as encodeURIComponent writes them */
                    unsigned char c = (unsigned char)p[i];
                    if (c > 0x20 && c < 0x7f && c != '+' && c != '#')
                        buf_addc(body, (char)c);
                    else
                        buf_printf(body, "%%%02X", c);
                }
            }
            p = amp < end ? amp + 1 : end;
        }
        if (body->len)
            return;
    }
    static const char *const keys[] = { "columnid", "unitid", "webid", NULL };
    for (int i = 0; keys[i]; i++) {
        long v = script_num(html, n, keys[i]);
        if (v >= 0)
            buf_printf(body, "%s%s=%ld", body->len ? "&" : "", keys[i], v);
    }
}

/* Hanweb JCMS: the records of a <datastore> (CDATA HTML) go to frag; the
 * jpage request for the records after them to *next / sh->next_post. */
static int hanweb_scan(const char *page_url, const char *html, size_t n, struct buf *frag,
                       struct listing_shape *sh, char **next)
{
    const char *e = html + n;
    const char *ds = memmem(html, n, "<datastore>", 11);
    if (!ds)
        return 0;
    const char *de = memmem(ds, (size_t)(e - ds), "</datastore>", 12);
    if (!de)
        de = e;
    long records = 0;
    for (const char *p = ds; p < de && (p = memmem(p, (size_t)(de - p), "<record>", 8)); records++) {
        const char *re = memmem(p, (size_t)(de - p), "</record>", 9);
        element_text(p + 8, re ? re : de, frag);
        buf_addc(frag, '\n');
        p = re ? re + 9 : de;
    }
    sh->kind = LISTING_HANWEB;
    sh->records = records;
    struct buf ng = BUF_INIT, body = BUF_INIT;
    const char *g = memmem(ds, (size_t)(de - ds), "<nextgroup>", 11);
    if (g) {
        const char *ge = memmem(g, (size_t)(de - g), "</nextgroup>", 12);
        element_text(g + 11, ge ? ge : de, &ng);
    }
    const char *tr = memmem(ds, (size_t)(de - ds), "<totalrecord>", 13);
    const char *q = tr ? tr + 13 : NULL;
    sh->total = q ? read_num(&q, de) : script_num(html, n, "totalRecord");
    long per = script_num(html, n, "perPage");
    long group = script_num(html, n, "groupSize");
    long start = query_num(page_url, "startrecord"), stop = query_num(page_url, "endrecord");
    if (per <= 0)
        per = query_num(page_url, "perpage");
    sh->perpage = per > 0 ? (int)per : 0;
    if (sh->total > 0 && per > 0)
        sh->pages = (int)((sh->total + per - 1) / per);
    long asked, from;
    if (start > 0 && stop >= start) { /* an answer of dataproxy.jsp */
        asked = stop - start + 1;
        from = stop + 1;
        if (records < asked)
            goto done;
    } else {
        asked = per > 0 ? per * (group > 0 ? group : 3) : records;
        from = records + 1;
    }
    if (records == 0 || asked <= 0 || (sh->total >= 0 && from > sh->total))
        goto done;
    jpage_params(html, n, ng.len ? buf_str(&ng) : NULL, &body);
    if (!body.len && sh->page_post) /* an answer without <nextgroup>: the same parameters again */
        buf_adds(&body, sh->page_post);
    char proxy[512];
    if (!script_str(html, n, "proxyUrl", proxy, sizeof proxy))
        snprintf(proxy, sizeof proxy, "/module/web/jpage/dataproxy.jsp");
    char rel[700];
    snprintf(rel, sizeof rel, "%s?startrecord=%ld&endrecord=%ld&perpage=%ld", proxy, from, from + asked - 1,
             per > 0 ? per : asked);
    char *u = body.len && !body.err ? url_resolve(page_url, rel) : NULL;
    if (u) {
        *next = url_canonical(u);
        free(u);
        if (*next && !(sh->next_post = buf_detach(&body, NULL))) {
            free(*next);
            *next = NULL;
        }
    }
done:
    buf_release(&ng);
    buf_release(&body);
    return 1;
}

/* ---- hints: link text and the date beside a link ---- */

/* The link text with blanks collapsed, at most ~300 bytes (whole UTF-8 characters). */
static void hint_text(const struct dom_node *a, struct buf *scratch, struct buf *out)
{
    buf_reset(scratch);
    buf_reset(out);
    dom_text(a, scratch);
    const char *t = buf_str(scratch);
    if (scratch->len == 0 || strspn(t, " \t\r\n") == scratch->len) {
        t = dom_attr(a, "title");
        if (!t)
            return;
    }
    int space = 0;
    for (const unsigned char *p = (const unsigned char *)t; *p;) {
        if (*p <= ' ') {
            space = out->len > 0;
            p++;
            continue;
        }
        size_t k = 1; /* whole UTF-8 characters, up to 300 bytes */
        while (p[k] && (p[k] & 0xC0) == 0x80)
            k++;
        if (out->len + k + 1 > 300)
            break;
        if (space)
            buf_addc(out, ' ');
        space = 0;
        buf_add(out, p, k);
        p += k;
    }
}

/* A date in the text of node n (at most 200 bytes of it), formatted into out. */
static int node_date(const struct dom_node *n, struct buf *scratch, char *out, size_t cap)
{
    buf_reset(scratch);
    if (n->type == DOM_TEXT)
        buf_add(scratch, n->text, n->len > 200 ? 200 : n->len);
    else
        dom_text(n, scratch);
    if (!scratch->len || scratch->len > 200)
        return 0;
    struct date_hit h;
    if (date_find(buf_str(scratch), scratch->len, time(NULL), DATE_NOT_AFTER_NOW, &h) != DATE_ABSOLUTE)
        return 0;
    return date_format(&h.v, out, cap) > 0;
}

/* The date printed beside link a: in a sibling just before or after it,
 * else (when a is its parent's only link) beside the parent. */
static int link_date(const struct dom_node *a, struct buf *scratch, char *out, size_t cap)
{
    for (int up = 0; up < 2 && a; up++) {
        int k = 0;
        for (const struct dom_node *m = a->next; m && k < 3; m = m->next, k++)
            if (m->tag != DOM_TAG_A && node_date(m, scratch, out, cap))
                return 1;
        k = 0;
        for (const struct dom_node *m = a->prev; m && k < 2; m = m->prev, k++)
            if (m->tag != DOM_TAG_A && node_date(m, scratch, out, cap))
                return 1;
        const struct dom_node *p = a->parent;
        if (!p || p->tag == DOM_TAG_BODY)
            return 0;
        int links = 0;
        for (const struct dom_node *c = p->first; c && links < 2; c = dom_next(c, p))
            links += c->tag == DOM_TAG_A;
        if (links > 1)
            return 0;
        a = p;
    }
    return 0;
}

/* 1 when a and b are URLs in the same folder (equal up to the last '/'). */
static int same_folder(const char *a, const char *b)
{
    const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
    return sa && sb && sa - a == sb - b && strncmp(a, b, (size_t)(sa - a)) == 0;
}

/* A <select> pager: the option after the one naming this page, when both
 * are in-scope URLs and show a number ("2", "第2页": a category dropdown's
 * entries are names); or after the selected one when the page is not among
 * them and its URL is in the page's folder. */
static void select_pager(struct listing_ctx *x, const struct dom_node *sel, const char *charset)
{
    char *urls[64];
    int selected[64], n = 0, cur = -1;
    for (const struct dom_node *c = sel->first; c && n < 64; c = dom_next(c, sel)) {
        const char *v = c->tag == DOM_TAG_OPTION ? dom_attr(c, "value") : NULL;
        if (!v || !*v)
            continue;
        char *u = url_resolve_cs(x->base, v, charset);
        if (!u)
            continue;
        if (x->s && !url_in_scope(x->s, u)) {
            free(u);
            continue;
        }
        buf_reset(&x->text);
        dom_text(c, &x->text);
        int numbered = strpbrk(buf_str(&x->text), "0123456789") != NULL; /* "2", "第2页" */
        selected[n] = !numbered ? 0 : dom_attr(c, "selected") && x->self && same_folder(u, x->self) ? 2 : 1;
        urls[n++] = u;
    }
    for (int i = 0; i < n && cur < 0; i++)
        if (selected[i] && x->self && strcmp(urls[i], x->self) == 0)
            cur = i;
    for (int i = 0; i < n && cur < 0; i++)
        if (selected[i] == 2)
            cur = i;
    if (n >= 2 && cur >= 0 && cur + 1 < n && selected[cur + 1])
        offer_next(x, NEXT_SELECT, urls[cur + 1]);
    for (int i = 0; i < n; i++)
        free(urls[i]);
}

static int add_article(struct listing_ctx *x, struct url_list *articles, const struct dom_node *e,
                       const char *url, struct buf *s1, struct buf *s2, long *dated)
{
    int r = url_list_add(articles, url);
    if (r <= 0 || !articles->hint)
        return r < 0 ? r : 0;
    char date[40] = "";
    hint_text(e, s1, s2);
    if (link_date(e, s1, date, sizeof date))
        (*dated)++;
    set_hint(articles, s2->data, s2->len, date);
    (void)x;
    return 0;
}

/* The shapes read from the raw text (scripts are not in the DOM), then the
 * page parsed with a Hanweb datastore's records after it. */
static int parse_shaped(const char *page_url, const char *html, size_t n, struct listing_shape *sh,
                        char **shape_next, struct dom **d, struct buf *err)
{
    struct buf frag = BUF_INIT;
    trs_scan(html, n, sh);
    if (hanweb_scan(page_url, html, n, &frag, sh, shape_next) && frag.len) {
        struct buf all = BUF_INIT;
        buf_add(&all, html, n);
        buf_add(&all, frag.data, frag.len);
        buf_release(&frag);
        frag = all;
    }
    if (frag.err) {
        buf_release(&frag);
        buf_seterr(err, "out of memory");
        return NA_ENOMEM;
    }
    int rc = frag.len ? dom_parse(frag.data, frag.len, NULL, d, err) : dom_parse(html, n, NULL, d, err);
    buf_release(&frag);
    return rc;
}

/* <base href> applies to every link of the document: malloc'd, or NULL. */
static char *base_href(const struct dom *d, const char *page_url, const char *charset)
{
    for (struct dom_node *e = d->root; e; e = dom_next(e, d->root)) {
        if (e->tag == DOM_TAG_BASE && dom_attr(e, "href"))
            return url_resolve_cs(page_url, dom_attr(e, "href"), charset);
        if (e->tag == DOM_TAG_BODY)
            break;
    }
    return NULL;
}

int discover_listing_shape(const struct site *s, const char *page_url, const char *charset, const char *html,
                           size_t n, struct url_list *articles, char **next, struct listing_shape *shape,
                           struct buf *err)
{
    if (next)
        *next = NULL;
    struct listing_shape local;
    struct listing_shape *sh = shape ? shape : &local;
    const char *page_post = shape ? shape->page_post : NULL;
    memset(sh, 0, sizeof *sh);
    sh->page_post = page_post;
    sh->total = -1;
    struct buf s1 = BUF_INIT, s2 = BUF_INIT;
    char *shape_next = NULL;
    if (!html)
        html = "", n = 0;
    struct dom *d = NULL;
    int rc = parse_shaped(page_url, html, n, sh, &shape_next, &d, err);
    if (rc) {
        free(shape_next);
        free(sh->next_post);
        sh->next_post = NULL;
        return rc;
    }
    struct listing_ctx x;
    memset(&x, 0, sizeof x);
    x.s = s;
    x.next_rank = NEXT_NONE;
    x.current = -1;
    buf_init(&x.text, 8192);
    buf_init(&s1, 1 << 20);
    buf_init(&s2, 4096);
    x.self = url_canonical(page_url);
    char *base_alloc = base_href(d, page_url, charset);
    x.base = base_alloc ? base_alloc : page_url;
    if (shape_next) {
        x.next = shape_next;
        x.next_rank = NEXT_SHAPE;
    }
    if (sh->kind == LISTING_TRS && sh->current + 1 < sh->pages) {
        char *u = discover_trs_page(x.base, sh, sh->current + 1);
        offer_next(&x, NEXT_SCRIPT, u);
        free(u);
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
        if (e->tag == DOM_TAG_SELECT && x.next_rank > NEXT_SELECT)
            select_pager(&x, e, charset);
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
                int r = add_article(&x, articles, e, url, &s1, &s2, &sh->dated);
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
    if (x.next && x.next_rank < NEXT_NONE)
        sh->next_from = next_names[x.next_rank];
    if (x.next_rank != NEXT_SHAPE) {
        free(sh->next_post); /* a better next link than jpage's */
        sh->next_post = NULL;
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
    buf_release(&s1);
    buf_release(&s2);
    dom_free(d);
    if (sh == &local)
        listing_shape_release(&local);
    return rc;
}

/* ---- JSON list APIs (sites.conf listing_api) ---- */

/* The value at path ("data.list[]", "items[0].url", "" = v itself) below v. */
static json_t *json_at(json_t *v, const char *path)
{
    const char *p = path;
    while (v && *p) {
        if (*p == '.') {
            p++;
            continue;
        }
        if (*p == '[') {
            if (p[1] == ']') { /* "list[]": the array itself */
                p += 2;
                if (!json_is_array(v))
                    return NULL;
                continue;
            }
            const char *q = p + 1;
            long i = read_num(&q, q + strlen(q));
            if (i < 0 || *q != ']')
                return NULL;
            v = json_array_get(v, (size_t)i);
            p = q + 1;
            continue;
        }
        size_t k = strcspn(p, ".[");
        char key[256];
        if (k >= sizeof key)
            return NULL;
        memcpy(key, p, k);
        key[k] = 0;
        v = json_is_object(v) ? json_object_get(v, key) : NULL;
        p += k;
    }
    return v;
}

/* An item's date value as "YYYY-MM-DD[THH:MM:SS]": a date string, or Unix
 * seconds or milliseconds. */
static int json_date(json_t *v, char *out, size_t cap)
{
    struct date_val dv;
    if (json_is_string(v)) {
        struct date_hit h;
        const char *t = json_string_value(v);
        if (date_find(t, strlen(t), time(NULL), DATE_NOT_AFTER_NOW, &h) == DATE_ABSOLUTE)
            return date_format(&h.v, out, cap) > 0;
        return 0;
    }
    if (json_is_integer(v)) {
        long long t = json_integer_value(v);
        if (t > 100000000000LL)
            t /= 1000;
        return date_from_unix(t, &dv) && date_format(&dv, out, cap) > 0;
    }
    return 0;
}

int discover_json(const struct site *s, const char *api_url, const char *json, size_t n,
                  struct url_list *articles, struct listing_shape *sh, struct buf *err)
{
    const char *items_path = s && s->api_items ? s->api_items : "";
    const char *link_path = s && s->api_link ? s->api_link : "url";
    if (sh) {
        memset(sh, 0, sizeof *sh);
        sh->kind = LISTING_JSON;
        sh->total = -1;
        sh->next_from = "{n} template";
    }
    json_error_t je;
    json_t *root = json_loadb(json ? json : "", n, JSON_DECODE_ANY, &je);
    if (!root) {
        buf_seterr(err, "the listing API answer is not JSON (line %d: %s)", je.line, je.text);
        return NA_EPARSE;
    }
    json_t *items = json_at(root, items_path);
    if (!json_is_array(items)) {
        struct buf keys = BUF_INIT;
        const char *k;
        json_t *v;
        if (json_is_object(root))
            json_object_foreach(root, k, v) {
                if (keys.len > 200)
                    break;
                buf_printf(&keys, "%s%s", keys.len ? ", " : "", k);
            }
        buf_seterr(err, "the listing API answer has no array at '%s' (listing_api_items)%s%s%s", items_path,
                   keys.len ? "; its top level has " : "", buf_str(&keys), keys.len ? "" : "");
        buf_release(&keys);
        json_decref(root);
        return NA_EPARSE;
    }
    const char *base = s && s->link_base ? s->link_base : api_url;
    size_t nitems = json_array_size(items), linked = 0, max = articles && articles->max ? articles->max * 4 : 40000;
    struct buf t = BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < nitems && i < max; i++) {
        json_t *it = json_array_get(items, i);
        json_t *lv = json_at(it, link_path);
        if (!json_is_string(lv) || !*json_string_value(lv))
            continue;
        linked++;
        char *u = url_resolve(base, json_string_value(lv));
        char *c = u ? url_canonical(u) : NULL;
        free(u);
        if (c && articles && discover_is_article(s, c)) {
            int r = url_list_add(articles, c);
            if (r < 0) {
                free(c);
                rc = r;
                buf_seterr(err, "out of memory");
                break;
            }
            if (r > 0 && articles->hint) {
                json_t *tv = s && s->api_title ? json_at(it, s->api_title) : NULL;
                char date[40] = "";
                if (s && s->api_date && json_date(json_at(it, s->api_date), date, sizeof date) && sh)
                    sh->dated++;
                const char *tt = json_is_string(tv) ? json_string_value(tv) : NULL;
                set_hint(articles, tt, tt ? strlen(tt) : 0, date);
            }
        }
        free(c);
    }
    buf_release(&t);
    if (!rc && nitems && !linked) {
        buf_seterr(err, "none of the %zu items at '%s' (listing_api_items) has a string at '%s' (listing_api_link)",
                   nitems, items_path, link_path);
        rc = NA_EPARSE;
    }
    if (sh)
        sh->records = (long)nitems;
    json_decref(root);
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
