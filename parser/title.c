/* title.c — the headline (title.h): meta_title() compares <title>,
 * og:title, the JSON-LD headline and twitter/meta titles (the references)
 * with the short elements of <body> to find the element that shows the
 * headline, strips the site name from the reference it falls back on, and
 * sets the page's URL and language (lang.c). Linear in the tree; all state
 * is per call, but for the caller's meta_ctx. */
#include "parser/title.h"
#include "parser/date.h"
#include "parser/dom.h"
#include "parser/jsonld.h"
#include "parser/lang.h"
#include "parser/meta.h"
#include "parser/metabase.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TITLE_MAX_BYTES 600   /* longer elements are not headline candidates */
#define TITLE_TOP 8           /* headline candidates kept for the second look */

/* Weights of a headline candidate's score (score_candidate, meta_title).
 * The similarity to the best reference (0..1, times TW_SIM) dominates; the
 * rest are nudges of a few points each. */
enum {
    TW_H1 = 4,             /* an <h1> in the candidate's chain (h2: 2.5, h3-h6: 1.5) */
    TW_SIM = 10,           /* times the similarity to the best reference */
    TW_ITEMPROP = 4,       /* itemprop="headline" */
    TW_TITLE_CUE = 2,      /* class/id says title/headline */
    TW_LINK = -5,          /* inside a link: a teaser pointing elsewhere */
    TW_LINK_TITLED = -2,   /* ... unless it says title (a permalink) */
    TW_NEG_ZONE = -4,      /* in a footer, nav, sidebar, related list or breadcrumb */
    TW_LIST_ITEM = -2,     /* in a list item */
    TW_HIDDEN = -12,       /* hidden: never shown as the headline */
    TW_LONG = -3,          /* over 120 characters: not a phrase */
    TW_WORD = -3,          /* a single short word without an exact reference match */
    TW_CRUMB_TEXT = -4,    /* reads like a breadcrumb ("首页 > 新闻") */
    TW_EARLY = 2,          /* without a reference: up to this much for coming first */
    TW_DATE_BELOW = 4,     /* second look: a date right below (the byline) */
    TW_PROSE_BELOW = 3,    /* second look: prose follows (the article) */
};

/* ---- site-name stripping ---- */

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
        case DOM_TAG_H1: b = TW_H1; break;
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
        score += TW_SIM * sim + exact_bonus;
    if (itemprop)
        score += TW_ITEMPROP;
    if ((own | zone) & Z_TITLE)
        score += TW_TITLE_CUE;
    if (link || (zone & Z_LINK))
        score += (own & Z_TITLE) ? TW_LINK_TITLED : TW_LINK;
    if (zone & (Z_NEG | Z_CRUMB))
        score += TW_NEG_ZONE;
    if (zone & Z_LI)
        score += TW_LIST_ITEM;
    if ((zone | own) & Z_HIDDEN)
        score += TW_HIDDEN;
    /* a headline is a phrase: penalise long texts and single words
     * ("Trackback", "评论") without a reference match */
    const char *tx = c->tmp.data ? c->tmp.data : "";
    size_t cps = count_cps(tx, c->tmp.len);
    if (cps > 120)
        score += TW_LONG;
    if (sim < 0.999 && (cps < 5 || (!memchr(tx, ' ', c->tmp.len) && cps == c->tmp.len && cps < 16)))
        score += TW_WORD;
    /* "首页 > 新闻", "Home / News": a breadcrumb, not a headline */
    if (sim < 0.999 && (strncmp(tx, "首页", 6) == 0 || strncasecmp(tx, "home ", 5) == 0 ||
                        strstr(tx, "当前位置") || strstr(tx, "您的位置") || strstr(tx, " > ") || strstr(tx, " » ")))
        score += TW_CRUMB_TEXT;
    /* without a reference, earlier is likelier */
    if (sim == 0 && c->nidx)
        score += (double)TW_EARLY * (1.0 - (double)n->index / (double)c->nidx);
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
    c.zc.cm = mx ? mx->cues : NULL;

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
            c.top[i].score += TW_DATE_BELOW;
        oom_of(&c.err, &c.tmp);
        if (prose_follows(c.top[i].n, d->body))
            c.top[i].score += TW_PROSE_BELOW;
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
    int lrc = page_lang(d, h.lang ? h.lang : ld.lang, title, &lang);
    if (lrc)
        c.err = lrc;
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

/* ---- a placeholder title replaced by the article's first line ---- */

/* 1 when t cannot be a headline: a greeting banner ("谢谢您访问…",
 * "欢迎光临…"), a UI word or an editor's placeholder ("显示", "无标题文档"),
 * no word at all ("1"), or a site's path ("世艺网>艺术教育"). */
int title_placeholder(const char *t)
{
    if (!t)
        return 0;
    static const char *const greet[] = { "谢谢您访问", "谢谢你访问", "感谢您访问", "欢迎访问", "欢迎您访问",
                                         "欢迎光临", "欢迎来到", NULL };
    static const char *const ui[] = { "显示", "打印", "关闭", "返回", "正文", "内容", "详细内容", "文章内容",
                                      "新闻内容", "内容页", "无标题", "无标题文档", "新建网页", "untitled",
                                      "untitled document", "document", "null", NULL };
    size_t n = strlen(t);
    for (int i = 0; greet[i]; i++)
        if (strncmp(t, greet[i], strlen(greet[i])) == 0)
            return 1;
    for (int i = 0; ui[i]; i++)
        if (strlen(ui[i]) == n && strncasecmp(t, ui[i], n) == 0)
            return 1;
    int word = 0;
    for (const char *p = t, *e = t + n; p < e;) {
        unsigned cp = next_cp(&p, e);
        /* a letter of any script: not ASCII, digits, punctuation or symbols */
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
            (cp >= 0xC0 && !(cp >= 0x2000 && cp < 0x2C00) && !(cp >= 0x3000 && cp < 0x3040) &&
             !(cp >= 0xE000 && cp < 0xF900) && !(cp >= 0xFF00 && cp < 0xFF10)))
            word = 1;
    }
    if (!word)
        return 1;
    /* "世艺网>艺术教育", "艺术史研究<世纪在线中国艺术网": a path of two short
     * names, no headline */
    const char *gt = strchr(t, '>');
    if (!gt)
        gt = strchr(t, '<');
    return gt && !strchr(gt + 1, *gt) && count_cps(t, (size_t)(gt - t)) <= 10 &&
           count_cps(gt + 1, strlen(gt + 1)) <= 10;
}

/* 1 when node is the first link of a breadcrumb ("网易娱乐 > 电影版区 >
 * …"): a short link whose next visible character is a path separator says
 * where the page is, not what it is. */
static int crumb_link(const struct dom_node *node, const char *title)
{
    const struct dom_node *a = node;
    while (a && !(a->type == DOM_ELEMENT && a->tag == DOM_TAG_A && dom_attr(a, "href")))
        a = a->parent;
    if (!a || count_cps(title, strlen(title)) > 16)
        return 0;
    int steps = 0;
    for (const struct dom_node *k = dom_next_skip(a, a->parent); k && steps < 20; k = dom_next(k, a->parent), steps++) {
        if (k->type != DOM_TEXT)
            continue;
        for (const char *p = k->text, *e = k->text + k->len; p < e;) {
            unsigned cp = next_cp(&p, e);
            if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 || cp == 0x3000)
                continue;
            return cp == '>' || cp == 0xBB || cp == 0x203A;
        }
    }
    return 0;
}

/* 1 when the line [s, s+n) reads like a headline: a phrase of 4 to 80
 * characters that is no sentence of prose and carries no label. */
static int headline_like(const char *s, size_t n)
{
    size_t cps = count_cps(s, n);
    if (cps < 4 || cps > 80 || s[n - 1] == ':' || (n >= 3 && memcmp(s + n - 3, "：", 3) == 0))
        return 0;
    static const char *const bad[] = { "。", "；", "http", "www.", "©", "版权", "首页", ">", NULL };
    for (int i = 0; bad[i]; i++)
        if (find_bytes(s, n, bad[i], strlen(bad[i])))
            return 0;
    return 1;
}

/* The length of a forum's subject label at the start of s ("主题：", "标题:"
 * and the spaces after it), or 0. */
static size_t subject_label(const char *s, size_t n)
{
    static const char *const labels[] = { "主题：", "主题:", "标题：", "标题:", NULL };
    for (int i = 0; labels[i]; i++) {
        size_t l = strlen(labels[i]);
        if (n > l && memcmp(s, labels[i], l) == 0) {
            while (l < n && s[l] == ' ')
                l++;
            return l;
        }
    }
    return 0;
}

int meta_title_placeholder(struct meta_result *a, const struct dom_node *title_node, const char *text,
                           struct buf *explain)
{
    if (!a || !text)
        return 0;
    /* "主题: 【太行山上】": the forum's label is no part of the headline */
    size_t tl = a->title ? subject_label(a->title, strlen(a->title)) : 0;
    if (tl && a->title[tl])
        memmove(a->title, a->title + tl, strlen(a->title + tl) + 1);
    /* a private-use character (an icon font's glyph) closing the title is
     * no part of it: "投身外交(3)\uE004" */
    for (size_t l = a->title ? strlen(a->title) : 0; l >= 3; l = strlen(a->title)) {
        const char *p = a->title + l - 3, *pe = a->title + l;
        if ((unsigned char)*p != 0xEE && (unsigned char)*p != 0xEF)
            break;
        unsigned cp = next_cp(&p, pe);
        if (cp < 0xE000 || cp >= 0xF900 || l == 3)
            break;
        a->title[l - 3] = 0;
    }
    const char *s = text;
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    const char *e = strchr(s, '\n');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    /* a forum post's subject line ("主题：…") at the start of the article
     * names it better than the forum's name in <title> */
    size_t sl = subject_label(s, n);
    s += sl;
    n -= sl;
    if (!sl && a->title && *a->title && !title_placeholder(a->title) &&
        !(title_node && crumb_link(title_node, a->title)))
        return 0;
    if (!headline_like(s, n) || (a->title && strlen(a->title) == n && memcmp(a->title, s, n) == 0))
        return 0;
    char *t = na_strndup(s, n);
    if (!t)
        return NA_ENOMEM;
    if (explain)
        buf_printf(explain, "title \"%s\" names no article: the article's first line \"%s\" instead\n",
                   a->title ? a->title : "", t);
    free(a->title);
    a->title = t;
    return 0;
}
