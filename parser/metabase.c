/* metabase.c — the helpers of metabase.h. */
#include "parser/metabase.h"
#include "util/mem.h"

#include <pthread.h>
#include <stdlib.h>

/* ---- UTF-8 and text helpers ---- */






void coll_init(struct coll *c, struct buf *b)
{
    c->b = b;
    c->pending = 0;
    c->last = 0;
}

void coll_break(struct coll *c)
{
    if (c->b->len)
        c->pending = 2;
}

void coll_add(struct coll *c, const char *s, size_t n)
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

void coll_node(struct coll *c, const struct dom_node *n, size_t max)
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
void make_key_upto(const char *s, size_t n, struct buf *out, size_t stop)
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
void make_key(const char *s, size_t n, struct buf *out)
{
    make_key_upto(s, n, out, SIZE_MAX);
}





size_t count_cps(const char *s, size_t n)
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
size_t count_visible(const char *s, size_t n)
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
const void *find_bytes(const void *hay, size_t hn, const void *needle, size_t nn)
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


int starts_with_ci(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}


/* s with whitespace collapsed, or NULL when nothing is left (or out of
 * memory: then *e is NA_ENOMEM). */
char *dup_trim(const char *s, size_t n, int *e)
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

int is_hidden(const struct dom_node *n)
{
    if (dom_attr(n, "hidden"))
        return 1;
    const char *st = dom_attr(n, "style");
    return st && style_hides(st);
}




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
    else if (!zc->cm)
        z = cues_of(v, kl);
    else if (kl < CUE_SHORT_LEN) {
        struct cue_short *m = &zc->cm->cue_short[(h >> 8) & (CUE_SHORT_SLOTS - 1)];
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
        struct cue_long *m = &zc->cm->cue_long[(h >> 8) & (CUE_LONG_SLOTS - 1)];
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

unsigned zone_of_c(struct zcache *zc, const struct dom_node *n)
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


void head_scan(struct dom *d, struct head *h)
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

int is_abs_url(const char *u)
{
    return u && (starts_with_ci(u, "http://") || starts_with_ci(u, "https://")) && strlen(u) > 8 &&
           !strpbrk(u, " \t\n<>\"");
}

