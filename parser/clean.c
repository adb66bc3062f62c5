/* clean.c — finds the article in a page and marks the boilerplate around
 * and inside it. Node statistics (text, CJK, punctuation, link text, inline
 * "own" text) are computed in one bottom-up pass over the nodes in reverse
 * document order; paragraph-like blocks then vote for their ancestors
 * (Readability's scheme, made CJK-aware); the best-voted element, corrected
 * by link density, class/id cues and its place relative to the headline, is
 * the container. Pruning and the line filters work on that container only,
 * so the whole extraction stays linear in the page size. */
#include "parser/clean.h"
#include "parser/dom.h"
#include "parser/rules.h"
#include "parser/text.h"
#include "util/err.h"
#include "util/mem.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define CAND 0x100u   /* received votes */
#define INCL 0x200u   /* part of the article (container or merged sibling) */
#define STRONG 0x800u   /* has a strong boilerplate cue of its own */
#define UNLIKELY 0x400u /* inside a block with a strong boilerplate cue: its text barely votes */

struct nstat {
    unsigned chars, cjk, punct, link;     /* subtree: non-space code points, CJK, punctuation, in <a> */
    unsigned ichars, icjk, ipunct, ilink; /* text reachable without crossing a block: the block's own text */
    unsigned nlink, np, nli;              /* <a>, <p>, <li> in the subtree */
    size_t last;                          /* index of the last node of the subtree */
    double score;
    double sum;                           /* net prose value of the subtree (pick_sum) */
    int weight;                           /* class/id/role cue weight */
    const char *cue;                      /* the cue that set weight (static) */
};

static struct nstat *ST(const struct dom_node *n) { return n->aux; }

/* weighted length: a CJK character carries about as much as 2.5 Latin letters */
static double wlen(unsigned chars, unsigned cjk) { return chars + 1.5 * cjk; }
static double st_wlen(const struct nstat *s) { return wlen(s->chars, s->cjk); }
static double st_iwlen(const struct nstat *s) { return wlen(s->ichars, s->icjk); }
static double st_ld(const struct nstat *s) { return s->chars ? (double)s->link / s->chars : 0; }

/* ---- explain ---- */

void clean_describe(const struct dom_node *n, struct buf *b)
{
    buf_adds(b, n->name ? n->name : "#text");
    if (n->type != DOM_ELEMENT)
        return;
    const char *id = dom_attr(n, "id"), *cl = dom_attr(n, "class");
    if (id && *id)
        buf_printf(b, "#%.40s", id);
    if (cl) {
        int k = 0;
        const char *p = cl;
        while (*p && k < 3) {
            while (*p == ' ' || *p == '\t' || *p == '\n')
                p++;
            size_t l = strcspn(p, " \t\n\r\f");
            if (!l)
                break;
            buf_printf(b, ".%.*s", (int)(l > 40 ? 40 : l), p);
            p += l;
            k++;
        }
    }
}

static void describe_path(const struct dom_node *n, struct buf *b)
{
    const struct dom_node *chain[8];
    int k = 0;
    for (const struct dom_node *p = n; p && p->tag != DOM_TAG_HTML && k < 8; p = p->parent)
        chain[k++] = p;
    if (k == 8)
        buf_adds(b, "… > ");
    while (k-- > 0) {
        clean_describe(chain[k], b);
        if (k)
            buf_adds(b, " > ");
    }
}

static void explain_node(const struct clean_opts *o, const char *what, const struct dom_node *n, const char *fmt,
                         const char *arg, double x)
{
    if (!o->explain)
        return;
    buf_printf(o->explain, "%s ", what);
    clean_describe(n, o->explain);
    const struct nstat *s = ST(n);
    if (s)
        buf_printf(o->explain, " (%u chars): ", s->chars);
    else
        buf_adds(o->explain, ": ");
    buf_printf(o->explain, fmt, arg, x);
    buf_addc(o->explain, '\n');
}

/* ---- class / id / role cues ---- */

struct cue {
    const char *word;
    int sign;  /* +1 article, -1 weak boilerplate cue, -2 strong one */
    int whole; /* must be a whole word of the name (short, ambiguous words) */
};

static const struct cue cues[] = {
    { "article", 1, 0 }, { "content", 1, 0 }, { "entry", 1, 0 }, { "post", 1, 0 }, { "main", 1, 0 },
    { "body", 1, 0 }, { "text", 1, 0 }, { "story", 1, 0 }, { "zhengwen", 1, 0 }, { "neirong", 1, 0 },
    { "wenzhang", 1, 0 }, { "trs_editor", 1, 0 }, { "artibody", 1, 0 }, { "endtext", 1, 0 },
    { "detail", 1, 0 }, { "xiangqing", 1, 0 }, { "hentry", 1, 0 }, { "blog", 1, 0 }, { "txt", 1, 0 },
    { "news", 1, 1 }, { "con", 1, 1 }, { "cont", 1, 1 }, { "show", 1, 1 }, { "view", 1, 1 },
    { "comment", -2, 0 }, { "share", -2, 0 }, { "related", -2, 0 }, { "relate", -2, 0 }, { "footer", -2, 0 },
    { "foot", -1, 0 }, { "sidebar", -2, 0 }, { "breadcrumb", -2, 0 }, { "crumb", -2, 0 }, { "banner", -2, 0 },
    { "sponsor", -2, 0 }, { "social", -2, 0 }, { "recommend", -2, 0 }, { "popular", -2, 0 },
    { "copyright", -2, 0 }, { "login", -2, 0 }, { "subscribe", -2, 0 }, { "newsletter", -2, 0 },
    { "pagination", -2, 0 }, { "pager", -2, 1 }, { "widget", -1, 0 }, { "promo", -2, 0 }, { "advert", -2, 0 },
    { "xiangguan", -2, 0 }, { "fenxiang", -2, 0 }, { "tuijian", -2, 0 }, { "pinglun", -2, 0 },
    { "remen", -2, 0 }, { "banquan", -2, 0 }, { "erweima", -2, 0 }, { "qrcode", -2, 0 }, { "ewm", -2, 1 },
    { "gongzhonghao", -2, 0 }, { "weixin", -2, 0 }, { "wechat", -2, 0 }, { "dayin", -1, 0 }, { "print", -1, 0 },
    { "toolbar", -2, 0 }, { "tools", -1, 0 }, { "tool", -1, 1 }, { "masthead", -2, 0 }, { "menu", -2, 0 },
    { "navbar", -2, 0 }, { "navigation", -2, 0 }, { "nav", -2, 1 }, { "shoutbox", -2, 0 }, { "disqus", -2, 0 },
    { "outbrain", -2, 0 }, { "taboola", -2, 0 }, { "cookie", -2, 0 }, { "modal", -2, 0 }, { "popup", -2, 0 },
    { "byline", -1, 0 }, { "meta", -1, 0 }, { "tags", -1, 0 }, { "tag", -1, 1 }, { "tagcloud", -1, 0 },
    { "keyword", -1, 0 }, { "prevnext", -2, 0 }, { "prev", -1, 1 }, { "next", -1, 1 }, { "shangxia", -2, 0 },
    { "rss", -2, 0 }, { "skyscraper", -2, 0 }, { "combx", -2, 0 }, { "contact", -2, 0 }, { "lianxi", -2, 0 },
    { "guanggao", -2, 0 }, { "dianzan", -2, 0 }, { "reply", -2, 0 }, { "replies", -2, 0 },
    { "feedback", -1, 0 }, { "rating", -1, 0 }, { "ad", -1, 1 }, { "ads", -1, 1 }, { "adv", -1, 1 },
    { "advertisement", -2, 0 }, { "gg", -1, 1 }, { "hot", -1, 1 }, { "side", -1, 1 }, { "aside", -1, 1 },
    { "header", -1, 0 }, { "head", -1, 1 }, { "more", -1, 1 }, { "extra", -1, 1 }, { "author", -1, 0 },
    { "info", -1, 1 }, { "source", -1, 1 }, { "date", -1, 1 }, { "time", -1, 1 }, { "bottom", -1, 0 },
    { "login", -2, 0 }, { "search", -1, 0 }, { "download", -1, 0 }, { "zan", -1, 1 }, { "like", -1, 1 },
    { "subnav", -2, 0 }, { "topbar", -1, 0 }, { "top", -1, 1 }, { "list", -1, 1 }, { "links", -1, 0 },
    { "friend", -2, 1 }, { "location", -1, 1 }, { "position", -1, 1 }, { "weizhi", -2, 0 }, { "daohang", -2, 0 },
    { "sns", -2, 1 }, { "bshare", -2, 0 }, { "jiathis", -2, 0 }, { "bdshare", -2, 0 }, { "fontsize", -2, 0 },
    { "zihao", -2, 0 }, { "updown", -2, 0 }, { "paging", -2, 0 }, { "sharing", -2, 0 }, { "community", -2, 0 },
    { "supplemental", -2, 0 }, { "agegate", -2, 0 }, { "signup", -2, 0 }, { "newsletter", -2, 0 },
    { "disclaimer", -2, 0 }, { "mianze", -2, 0 }, { "shengming", -2, 0 }, { "statement", -1, 0 },
    { "authorbio", -2, 0 }, { "author-bio", -2, 0 }, { "author_bio", -2, 0 }, { "author-info", -2, 0 },
    { "authorinfo", -2, 0 }, { "author-box", -2, 0 }, { "authorbox", -2, 0 }, { "about-author", -2, 0 },
    { "author-description", -2, 0 }, { "saboxplugin", -2, 0 }, { "bio", -2, 1 }, { "factbox", -1, 0 },
    { "further", -1, 0 }, { "ratings", -2, 0 }, { "affiliate", -2, 0 },
    { "kommentar", -2, 0 }, { "komentar", -2, 0 }, { "lizenz", -2, 0 }, { "license", -2, 0 },
    { "licence", -2, 0 }, { "cta", -1, 1 }, { "donate", -2, 0 }, { "donation", -2, 0 },
    { "consent", -2, 0 }, { "gdpr", -2, 0 }, { "onetrust", -2, 0 }, { "didomi", -2, 0 },
    { "usercentrics", -2, 0 }, { "truste", -2, 1 }, { "borlabs", -2, 0 },
    { "caption", 0, 0 },
};

static int is_alnum(int c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/* Judges one class name or id (lower-cased, ≤ 63 bytes): a strong
 * boilerplate cue beats an article cue ("article-copyright" is a copyright
 * block), an article cue beats a weak one ("entry-content-read-more" is
 * content). Returns +1/-1/0 and the deciding cue; *strong tells which. */
/* Cues indexed by their first two letters (every cue starts with two
 * lower-case letters), so that a name is scanned once. */
static unsigned char cue_len[sizeof cues / sizeof cues[0]];
static signed char cue_slot[sizeof cues / sizeof cues[0]]; /* found[] slot, -1 none */
static unsigned short cue_by_pair[26][26][16];
static unsigned char cue_count[26][26];
static pthread_once_t cue_once = PTHREAD_ONCE_INIT;

static void cue_index(void)
{
    for (size_t i = 0; i < sizeof cues / sizeof cues[0]; i++) {
        cue_len[i] = (unsigned char)strlen(cues[i].word);
        cue_slot[i] = (signed char)(cues[i].sign == -2 ? 0 : cues[i].sign == 1 ? 1 : cues[i].sign == -1 ? 2 : -1);
        int a = cues[i].word[0] - 'a', b = cues[i].word[1] - 'a';
        if (a >= 0 && a < 26 && b >= 0 && b < 26 && cue_count[a][b] < 16)
            cue_by_pair[a][b][cue_count[a][b]++] = (unsigned short)i;
    }
}

static int judge_name(const char *s, size_t n, const char **cue, int *strong)
{
    const char *found[3] = { NULL, NULL, NULL }; /* strong, positive, weak */
    pthread_once(&cue_once, cue_index);
    for (size_t at = 0; at + 1 < n; at++) {
        int a = s[at] - 'a', b = s[at + 1] - 'a';
        if (a < 0 || a >= 26 || b < 0 || b >= 26)
            continue;
        for (unsigned k = 0; k < cue_count[a][b]; k++) {
            size_t i = cue_by_pair[a][b][k];
            size_t wl = cue_len[i];
            int slot = cue_slot[i];
            if (at + wl > n || slot < 0 || found[slot] || memcmp(s + at + 2, cues[i].word + 2, wl - 2) != 0)
                continue;
            if (cues[i].whole && ((at > 0 && is_alnum((unsigned char)s[at - 1])) ||
                                  (at + wl < n && is_alnum((unsigned char)s[at + wl]))))
                continue;
            found[slot] = cues[i].word;
        }
    }
    *strong = 0;
    if (found[0]) {
        *cue = found[0];
        *strong = 1;
        return -1;
    }
    if (found[1] && found[2]) { /* "textwidget", "entry-meta": undecided */
        *cue = NULL;
        return 0;
    }
    *cue = found[1] ? found[1] : found[2];
    return found[1] ? 1 : found[2] ? -1 : 0;
}

/* Splits a class/id attribute into names and sums their judgements. */
static int judge_attr(const char *v, const char **cue, int *unlikely)
{
    int w = 0;
    const char *p = v;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
            p++;
        size_t l = strcspn(p, " \t\n\r\f");
        if (!l)
            break;
        if (l < 64) {
            char low[64];
            for (size_t i = 0; i < l; i++) {
                char c = p[i];
                low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
            const char *c = NULL;
            int strong = 0;
            int s = judge_name(low, l, &c, &strong);
            if (strong)
                *unlikely = 1;
            if (s) {
                if (s < 0 || !*cue || w <= 0)
                    *cue = c;
                w += s;
            }
        }
        p += l;
    }
    return w > 0 ? 1 : w < 0 ? -1 : 0;
}

/* judge_attr is a function of the string alone and pages repeat their
 * class/id strings: the answers for the last ones seen, by hash. */
struct jcache {
    struct {
        const char *s;
        unsigned h;
        int w, unlikely;
        const char *cue;
    } tab[256];
};

static int judge_cached(struct jcache *jc, const char *v, const char **cue, int *unlikely)
{
    unsigned h = 2166136261u;
    for (const char *p = v; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    unsigned slot = h & 255;
    if (!(jc->tab[slot].s && jc->tab[slot].h == h && strcmp(jc->tab[slot].s, v) == 0)) {
        const char *c = NULL;
        int u = 0;
        jc->tab[slot].w = judge_attr(v, &c, &u);
        jc->tab[slot].s = v;
        jc->tab[slot].h = h;
        jc->tab[slot].cue = c;
        jc->tab[slot].unlikely = u;
    }
    if (jc->tab[slot].unlikely)
        *unlikely = 1;
    *cue = jc->tab[slot].cue;
    return jc->tab[slot].w;
}

/* The attributes stats_pass reads, found in one pass over the element's
 * attributes (as dom_attr would: the first of a name). */
struct eattrs {
    const char *hidden, *aria_hidden, *style, *cls, *id, *itemprop, *role;
};

static void get_eattrs(const struct dom_node *n, struct eattrs *e)
{
    memset(e, 0, sizeof *e);
    for (unsigned i = 0; i < n->nattrs; i++) {
        const char *an = n->attrs[i].name, *av = n->attrs[i].value, **slot = NULL;
        switch (an[0]) {
        case 'a': slot = strcmp(an, "aria-hidden") == 0 ? &e->aria_hidden : NULL; break;
        case 'c': slot = strcmp(an, "class") == 0 ? &e->cls : NULL; break;
        case 'h': slot = strcmp(an, "hidden") == 0 ? &e->hidden : NULL; break;
        case 'i': slot = strcmp(an, "id") == 0 ? &e->id : strcmp(an, "itemprop") == 0 ? &e->itemprop : NULL; break;
        case 'r': slot = strcmp(an, "role") == 0 ? &e->role : NULL; break;
        case 's': slot = strcmp(an, "style") == 0 ? &e->style : NULL; break;
        default: break;
        }
        if (slot && !*slot)
            *slot = av;
    }
}

static int class_weight(struct jcache *jc, const struct eattrs *ea, const char **cue, int *unlikely)
{
    int w = 0;
    const char *c = NULL;
    *cue = NULL;
    const char *v = ea->cls;
    if (v && *v) {
        int s = judge_cached(jc, v, &c, unlikely);
        if (s) {
            w += 25 * s;
            *cue = c;
        }
    }
    v = ea->id;
    if (v && *v) {
        c = NULL;
        int s = judge_cached(jc, v, &c, unlikely);
        if (s) {
            w += 25 * s;
            if (!*cue || s < 0)
                *cue = c;
        }
    }
    v = ea->itemprop;
    if (v && (strcasestr(v, "articlebody") || strcasestr(v, "text"))) {
        w += 50;
        *cue = "itemprop";
    }
    v = ea->role;
    if (v) {
        if (strcasecmp(v, "main") == 0 || strcasecmp(v, "article") == 0) {
            w += 25;
            *cue = "role";
        } else if (strcasecmp(v, "navigation") == 0 || strcasecmp(v, "complementary") == 0 ||
                   strcasecmp(v, "contentinfo") == 0 || strcasecmp(v, "banner") == 0 ||
                   strcasecmp(v, "menu") == 0 || strcasecmp(v, "dialog") == 0) {
            w -= 25;
            *cue = v;
            *unlikely = 1;
        }
    }
    return w;
}

/* ---- what is never text ---- */

static int never_text(enum dom_tag t)
{
    switch (t) {
    case DOM_TAG_HEAD: case DOM_TAG_TITLE: case DOM_TAG_SCRIPT: case DOM_TAG_STYLE:
    case DOM_TAG_TEMPLATE: case DOM_TAG_SVG: case DOM_TAG_MATH:
    case DOM_TAG_IFRAME: case DOM_TAG_OBJECT: case DOM_TAG_EMBED: case DOM_TAG_CANVAS:
    case DOM_TAG_VIDEO: case DOM_TAG_AUDIO: case DOM_TAG_SELECT: case DOM_TAG_OPTION:
    case DOM_TAG_TEXTAREA: case DOM_TAG_INPUT: case DOM_TAG_BUTTON: case DOM_TAG_MAP:
    case DOM_TAG_FRAMESET: case DOM_TAG_FRAME: case DOM_TAG_DIALOG: case DOM_TAG_LINK:
    case DOM_TAG_META: case DOM_TAG_BASE:
        return 1;
    default:
        return 0;
    }
}

/* Whether v holds "hid", "none", "sr-only", "reader" or "isually". */
static int maybe_hidden_class(const char *v)
{
    for (const char *p = v; *p; p++) {
        switch (*p) {
        case 'h': if (p[1] == 'i' && p[2] == 'd') return 1; break;
        case 'n': if (strncmp(p, "none", 4) == 0) return 1; break;
        case 's': if (strncmp(p, "sr-only", 7) == 0) return 1; break;
        case 'r': if (strncmp(p, "reader", 6) == 0) return 1; break;
        case 'i': if (strncmp(p, "isually", 7) == 0) return 1; break;
        default: break;
        }
    }
    return 0;
}

/* 1 when a hidden element is an article a script reveals once the page
 * has loaded: WeChat's #js_content (.rich_media_content) at
 * visibility:hidden; on the retry of a page that gave no text (any), a
 * block at visibility:hidden or display:none with 300 or more bytes of
 * text. A modal form or a menu hidden so stays hidden on pages with text. */
static int revealed_by_script(const struct dom_node *x, const struct eattrs *ea, int hid, int any)
{
    if (hid == 2 && ((ea->id && strcmp(ea->id, "js_content") == 0) ||
                     (ea->cls && strstr(ea->cls, "rich_media_content"))))
        return 1;
    if (!any || hid < 2)
        return 0;
    size_t bytes = 0, nodes = 0;
    for (const struct dom_node *k = x->first; k && bytes < 300 && nodes < 4096; k = dom_next(k, x), nodes++)
        if (k->type == DOM_TEXT)
            for (size_t i = 0; i < k->len; i++)
                bytes += (unsigned char)k->text[i] > ' ';
    return bytes >= 300;
}

/* 1 when the element is hidden, 2 when by visibility:hidden in its style,
 * 3 by display:none in its style. */
static int hidden(const struct eattrs *ea)
{
    if (ea->hidden)
        return 1;
    const char *v = ea->aria_hidden;
    if (v && strcasecmp(v, "true") == 0)
        return 1;
    v = ea->style;
    if (v) {
        const char *p = strcasestr(v, "display");
        if (p) {
            p += 7;
            while (*p == ' ' || *p == ':')
                p++;
            if (strncasecmp(p, "none", 4) == 0)
                return 3;
        }
        p = strcasestr(v, "visibility");
        if (p) {
            p += 10;
            while (*p == ' ' || *p == ':')
                p++;
            if (strncasecmp(p, "hidden", 6) == 0)
                return 2;
        }
    }
    v = ea->cls;
    /* cheap prefilter: most class names mention none of these */
    if (v && maybe_hidden_class(v)) {
        static const char *const hid[] = { "hidden", "!hidden", "hide", "sr-only", "screen-reader-text",
                                           "visually-hidden", "visuallyhidden", "display-none", "d-none" };
        int hit = 0;
        for (size_t i = 0; i < sizeof hid / sizeof hid[0] && !hit; i++) {
            size_t l = strlen(hid[i]);
            for (const char *p = strcasestr(v, hid[i]); p && !hit; p = strcasestr(p + 1, hid[i]))
                if ((p == v || p[-1] == ' ') && (p[l] == 0 || p[l] == ' '))
                    hit = 1;
        }
        /* "d-none d-md-block", "hidden md:flex": shown on wider screens */
        if (hit && (strstr(v, "-block") || strstr(v, ":block") || strstr(v, "-flex") || strstr(v, ":flex") ||
                    strstr(v, ":grid") || strstr(v, "-grid") || strstr(v, ":inline") || strstr(v, "-inline")))
            hit = 0;
        if (hit)
            return 1;
    }
    return 0;
}

static int is_inline(enum dom_tag t)
{
    switch (t) {
    case DOM_TAG_A: case DOM_TAG_SPAN: case DOM_TAG_B: case DOM_TAG_STRONG: case DOM_TAG_I:
    case DOM_TAG_EM: case DOM_TAG_U: case DOM_TAG_S: case DOM_TAG_FONT: case DOM_TAG_SMALL:
    case DOM_TAG_BIG: case DOM_TAG_SUB: case DOM_TAG_SUP: case DOM_TAG_MARK: case DOM_TAG_TIME:
    case DOM_TAG_ABBR: case DOM_TAG_CODE: case DOM_TAG_Q: case DOM_TAG_CITE: case DOM_TAG_LABEL:
    case DOM_TAG_NOBR: case DOM_TAG_TT: case DOM_TAG_VAR: case DOM_TAG_KBD: case DOM_TAG_SAMP:
    case DOM_TAG_DFN: case DOM_TAG_DEL: case DOM_TAG_INS: case DOM_TAG_WBR: case DOM_TAG_IMG:
    case DOM_TAG_BR: case DOM_TAG_OTHER: case DOM_TAG_PICTURE:
        return 1;
    default:
        return 0;
    }
}

/* ---- text counts ---- */

static int is_space_cp(unsigned cp)
{
    return cp <= ' ' || cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0xFEFF;
}

/* Sentence punctuation: Latin , ; . ! ? (a '.' only before a space or the
 * end) and the CJK marks ，。、；：！？ */
static int is_punct(unsigned cp, const char *next, const char *end)
{
    switch (cp) {
    case ',': case ';': case '!': case '?':
        return 1;
    case '.':
        return next >= end || *next == ' ' || *next == '\n';
    case 0xFF0C: case 0x3002: case 0x3001: case 0xFF1B: case 0xFF1A: case 0xFF01: case 0xFF1F:
        return 1;
    default:
        return 0;
    }
}

#ifdef __SSE2__
/* Set bits of a 16-bit mask (no popcnt instruction assumed). */
static inline unsigned pop16(unsigned x)
{
    x = x - ((x >> 1) & 0x5555);
    x = (x & 0x3333) + ((x >> 2) & 0x3333);
    x = (x + (x >> 4)) & 0x0F0F;
    return (x + (x >> 8)) & 0x1F;
}

/* count_text over the ASCII from p, sixteen bytes at a time while sixteen
 * are left: visible characters into *c, punctuation into *pu (a '.' when a
 * space or line feed follows, or nothing); returns where it stopped (a
 * byte >= 0x80, or the last 15 bytes). */
static const char *count_ascii16(const char *p, const char *end, unsigned *c, unsigned *pu)
{
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        unsigned hi = (unsigned)_mm_movemask_epi8(v);
        unsigned k = hi ? (unsigned)__builtin_ctz(hi) : 16; /* ASCII bytes taken */
        unsigned in = k == 16 ? 0xFFFFu : (1u << k) - 1;
        /* signed: bytes >= 0x80 are not above ' ' (and are outside in) */
        unsigned vis = (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(v, _mm_set1_epi8(' '))) & in;
        __m128i sp = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
        unsigned pm = (unsigned)_mm_movemask_epi8(
                          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')), _mm_cmpeq_epi8(v, _mm_set1_epi8(';'))),
                                       _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('!')), _mm_cmpeq_epi8(v, _mm_set1_epi8('?'))))) &
                      in;
        unsigned dots = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.'))) & in;
        unsigned after = (unsigned)_mm_movemask_epi8(sp) >> 1; /* bit i: byte i + 1 is a space or LF */
        if (k == 16) /* the byte after the block, or the end */
            after |= (p + 16 >= end || p[16] == ' ' || p[16] == '\n') ? 0x8000u : 0;
        /* with k < 16 byte k is >= 0x80: not a space, so bit k - 1 of after is right */
        *c += pop16(vis);
        *pu += pop16(pm | (dots & after));
        p += k;
        if (k < 16)
            break;
    }
    return p;
}
#endif

static void count_text(const char *s, size_t n, unsigned *chars, unsigned *cjk, unsigned *punct)
{
    const char *p = s, *end = s + n;
    unsigned c = 0, k = 0, pu = 0;
    while (p < end) {
#ifdef __SSE2__
        if (end - p >= 16 && (p = count_ascii16(p, end, &c, &pu)) >= end)
            break;
#endif
        unsigned char b = (unsigned char)*p;
        if (b < 0x80) { /* ASCII fast path (is_punct's ASCII cases inline) */
            p++;
            if (b <= ' ')
                continue;
            c++;
            if (b == '.')
                pu += p >= end || *p == ' ' || *p == '\n';
            else
                pu += b == ',' || b == ';' || b == '!' || b == '?';
            continue;
        }
        if (b >= 0xE4 && b <= 0xE9 && end - p >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            p += 3; /* U+4000..U+9FFF: a CJK ideograph, neither space nor punctuation */
            c++;
            k++;
            continue;
        }
        unsigned cp = text_next_cp(&p, end);
        if (is_space_cp(cp))
            continue;
        c++;
        k += text_is_cjk(cp) != 0;
        pu += is_punct(cp, p, end);
    }
    *chars = c;
    *cjk = k;
    *punct = pu;
}

/* ---- container choice ---- */

struct ctx {
    struct dom *d;
    const struct clean_opts *o;
    struct dom_node **nodes; /* document order */
    size_t n;
    const struct dom_node *body;
};

static int tag_base(enum dom_tag t)
{
    switch (t) {
    case DOM_TAG_DIV: case DOM_TAG_ARTICLE: case DOM_TAG_MAIN:
        return 5;
    case DOM_TAG_PRE: case DOM_TAG_TD: case DOM_TAG_BLOCKQUOTE:
        return 3;
    case DOM_TAG_ADDRESS: case DOM_TAG_OL: case DOM_TAG_UL: case DOM_TAG_DL: case DOM_TAG_DD:
    case DOM_TAG_DT: case DOM_TAG_LI: case DOM_TAG_FORM: case DOM_TAG_NAV: case DOM_TAG_ASIDE:
    case DOM_TAG_FOOTER:
        return -3;
    case DOM_TAG_H1: case DOM_TAG_H2: case DOM_TAG_H3: case DOM_TAG_H4: case DOM_TAG_H5:
    case DOM_TAG_H6: case DOM_TAG_TH:
        return -5;
    default:
        return 0;
    }
}

/* Paragraph-like blocks vote for their parent; other blocks with their own
 * text (a div of text and <br>s) hold the text themselves and vote first for
 * themselves (Readability turns such divs into paragraphs). */
static int p_like(enum dom_tag t)
{
    switch (t) {
    case DOM_TAG_P: case DOM_TAG_PRE: case DOM_TAG_TD: case DOM_TAG_TH: case DOM_TAG_H2: case DOM_TAG_H3:
    case DOM_TAG_H4: case DOM_TAG_H5: case DOM_TAG_H6: case DOM_TAG_LI: case DOM_TAG_DD: case DOM_TAG_DT:
    case DOM_TAG_FIGCAPTION: case DOM_TAG_CAPTION:
        return 1;
    default:
        return 0;
    }
}

static int stats_pass(struct ctx *c)
{
    struct dom *d = c->d;
    /* collect nodes in document order; mark what is never text (top-down) */
    size_t cap = d->nnodes + 1, n = 0;
    c->nodes = dom_alloc(d, cap * sizeof *c->nodes);
    struct nstat *st = dom_alloc(d, cap * sizeof *st);
    if (!c->nodes || !st)
        return NA_ENOMEM;
    struct jcache *jc = dom_alloc(d, sizeof *jc);
    if (!jc)
        return NA_ENOMEM;
    memset(jc, 0, sizeof *jc);
    for (struct dom_node *x = d->root; x && n < cap; x = dom_next(x, d->root)) {
        x->aux = &st[n];
        x->flags &= ~(CLEAN_SKIP | CAND | INCL | UNLIKELY | STRONG);
        st[n] = (struct nstat){ .last = x->index }; /* the rest zero */
        c->nodes[n++] = x;
        if (x->type != DOM_ELEMENT)
            continue;
        if ((x->parent && (x->parent->flags & CLEAN_GONE)) || never_text(x->tag)) {
            x->flags |= CLEAN_GONE;
            continue;
        }
        struct eattrs ea;
        get_eattrs(x, &ea);
        int hid = hidden(&ea);
        if (hid && revealed_by_script(x, &ea, hid, c->o->reveal))
            hid = 0;
        if (hid) {
            x->flags |= CLEAN_GONE;
            continue;
        }
        int unlikely = 0;
        st[n - 1].weight = class_weight(jc, &ea, &st[n - 1].cue, &unlikely);
        if ((unlikely && st[n - 1].weight < 0) || x->tag == DOM_TAG_NAV || x->tag == DOM_TAG_ASIDE ||
            x->tag == DOM_TAG_FOOTER)
            x->flags |= STRONG;
    }
    c->n = n;
    /* bottom-up sums (children come after their parent in document order) */
    for (size_t i = n; i-- > 0;) {
        struct dom_node *x = c->nodes[i];
        struct nstat *s = ST(x);
        struct dom_node *p = x->parent;
        if (x->type == DOM_TEXT) {
            if (p && (p->flags & CLEAN_GONE))
                continue;
            count_text(x->text, x->len, &s->chars, &s->cjk, &s->punct);
            s->ichars = s->chars, s->icjk = s->cjk, s->ipunct = s->punct;
        } else {
            if (x->last)
                s->last = ST(x->last)->last;
            if (x->flags & CLEAN_GONE)
                continue;
            if (x->tag == DOM_TAG_A) {
                s->link = s->chars;
                s->ilink = s->ichars;
                s->nlink++;
            } else if (x->tag == DOM_TAG_P) {
                s->np++;
            } else if (x->tag == DOM_TAG_LI) {
                s->nli++;
            }
        }
        if (!p || !p->aux)
            continue;
        struct nstat *ps = ST(p);
        ps->chars += s->chars, ps->cjk += s->cjk, ps->punct += s->punct, ps->link += s->link;
        ps->nlink += s->nlink, ps->np += s->np, ps->nli += s->nli;
        if (x->type == DOM_TEXT || is_inline(x->tag)) {
            ps->ichars += s->ichars, ps->icjk += s->icjk, ps->ipunct += s->ipunct, ps->ilink += s->ilink;
        }
    }
    /* Unlikely subtrees (top-down): a strong boilerplate cue on a block that
     * holds most of the page's text is a misnamed wrapper, not boilerplate
     * ("skyscraper-height-div", "sharingContainer"). */
    double page = d->body && d->body->aux ? st_wlen(ST(d->body)) : st_wlen(ST(d->root));
    for (size_t i = 0; i < n; i++) {
        struct dom_node *x = c->nodes[i];
        if (x->type != DOM_ELEMENT || (x->flags & CLEAN_GONE))
            continue;
        if ((x->parent && (x->parent->flags & UNLIKELY)) ||
            ((x->flags & STRONG) && (st_wlen(ST(x)) < 0.4 * page || x->tag == DOM_TAG_NAV)))
            x->flags |= UNLIKELY;
    }
    return 0;
}

static void vote(struct ctx *c)
{
    for (size_t i = 0; i < c->n; i++) {
        struct dom_node *x = c->nodes[i];
        if (x->type != DOM_ELEMENT || (x->flags & CLEAN_GONE) || is_inline(x->tag) || x->tag == DOM_TAG_BODY ||
            x->tag == DOM_TAG_HTML)
            continue;
        struct nstat *s = ST(x);
        double iw = st_iwlen(s);
        if (iw < 25)
            continue;
        double ild = s->ichars ? (double)s->ilink / s->ichars : 0;
        double u = (1 + s->ipunct + (iw / 100 < 3 ? (int)(iw / 100) : 3)) * (1 - ild);
        if (x->flags & UNLIKELY)
            u *= 0.1;
        if (u <= 0)
            continue;
        struct dom_node *a = p_like(x->tag) ? x->parent : x;
        for (int level = 0; a && level < 5 && a != c->body->parent; level++, a = a->parent) {
            struct nstat *as = ST(a);
            if (!(a->flags & CAND)) {
                a->flags |= CAND;
                as->score = tag_base(a->tag) + as->weight;
            }
            as->score += u / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
        }
    }
}

/* The element whose subtree holds the most prose net of boilerplate: each
 * block's own text counts for (sentences, length) when it reads as prose and
 * against when it is short or mostly links; sums go up the tree and the
 * best subtree wins (the deepest of equal ones: wrappers add nothing). */
static struct dom_node *pick_sum(struct ctx *c, double *best_out, double unlikely_factor)
{
    const struct dom_node *t = c->o->title;
    for (size_t i = 0; i < c->n; i++) {
        struct dom_node *x = c->nodes[i];
        if (x->type != DOM_ELEMENT || (x->flags & CLEAN_GONE) || x->tag == DOM_TAG_HTML)
            continue;
        struct nstat *s = ST(x);
        s->sum = 0;
        if (is_inline(x->tag) || s->ichars == 0)
            continue;
        double iw = st_iwlen(s);
        double ild = (double)s->ilink / s->ichars;
        double v;
        if (iw >= 25 && ild < 0.5) {
            v = (1 + s->ipunct + (iw / 100 < 3 ? (int)(iw / 100) : 3)) * (1 - ild);
        } else if (ild <= 0.3) {
            v = 0.2; /* short unlinked text: a heading, a caption, a terse line */
        } else {
            v = -(0.5 + iw * ild / 40);
        }
        if (v > 0) {
            if (x->flags & UNLIKELY)
                v *= unlikely_factor;
            if (t && x->index < t->index)
                v *= 0.3;
        }
        s->sum = v;
    }
    for (size_t i = c->n; i-- > 1;) {
        struct dom_node *x = c->nodes[i];
        if (x->type != DOM_ELEMENT || (x->flags & CLEAN_GONE) || !x->parent || !x->parent->aux)
            continue;
        ST(x->parent)->sum += ST(x)->sum;
    }
    struct dom_node *best = NULL;
    double bs = 0;
    for (size_t i = 0; i < c->n; i++) {
        struct dom_node *x = c->nodes[i];
        if (x->type != DOM_ELEMENT || (x->flags & CLEAN_GONE) || x->tag == DOM_TAG_HTML || is_inline(x->tag))
            continue;
        const struct nstat *s = ST(x);
        double f = s->sum;
        if (s->weight < 0)
            f *= 0.5;
        x->score = f;
        if (f > 0 && (!best || f >= bs)) {
            best = x;
            bs = f;
        }
    }
    *best_out = bs;
    return best;
}

static double final_score(struct ctx *c, const struct dom_node *x)
{
    const struct nstat *s = ST(x);
    double f = s->score * (1 - st_ld(s));
    /* comments, related lists, sidebars: long and well punctuated, never the article */
    if (s->weight < 0)
        f *= 0.2;
    const struct dom_node *t = c->o->title;
    /* The article follows its headline: blocks that end before it are teasers. */
    if (t && s->last < t->index)
        f *= 0.3;
    return f;
}

static int is_ancestor(const struct dom_node *a, const struct dom_node *n)
{
    for (; n; n = n->parent)
        if (n == a)
            return 1;
    return 0;
}

static struct dom_node *pick(struct ctx *c, double *best_out)
{
    struct dom_node *best = NULL;
    double bs = 0;
    enum { NALT = 8 };
    struct dom_node *alt[NALT];
    double as[NALT];
    int na = 0;
    for (size_t i = 0; i < c->n; i++) {
        struct dom_node *x = c->nodes[i];
        if (!(x->flags & CAND) || (x->flags & CLEAN_GONE))
            continue;
        double f = final_score(c, x);
        x->score = f;
        if (!best || f > bs) {
            best = x;
            bs = f;
        }
        /* keep the NALT best for the common-ancestor check */
        if (na < NALT) {
            alt[na] = x, as[na] = f, na++;
        } else {
            int m = 0;
            for (int k = 1; k < NALT; k++)
                if (as[k] < as[m])
                    m = k;
            if (f > as[m])
                alt[m] = x, as[m] = f;
        }
    }
    if (!best)
        return NULL;
    if (c->o->explain) {
        /* the runners-up, best first */
        for (int r = 0; r < na && r < 5; r++) {
            int m = -1;
            for (int j = 0; j < na; j++)
                if (alt[j] && alt[j] != best && as[j] > -1e8 && (m < 0 || as[j] > as[m]))
                    m = j;
            if (m < 0)
                break;
            buf_adds(c->o->explain, "candidate ");
            describe_path(alt[m], c->o->explain);
            buf_printf(c->o->explain, ": score %.1f\n", as[m]);
            as[m] = -1e9;
        }
        /* restore the scores the ancestor check below needs */
        for (int j = 0; j < na; j++)
            as[j] = alt[j]->score;
    }
    /* Several strong candidates under one ancestor: the article is split
     * into sibling blocks, take the ancestor (Readability does the same). */
    for (struct dom_node *a = best->parent; a && a != c->body && a->tag != DOM_TAG_HTML; a = a->parent) {
        int k = 0;
        for (int j = 0; j < na; j++)
            if (alt[j] != best && as[j] >= 0.75 * bs && !is_ancestor(alt[j], best) && !is_ancestor(best, alt[j]) &&
                is_ancestor(a, alt[j]))
                k++;
        if (k >= 3) {
            if (c->o->explain)
                buf_printf(c->o->explain, "note: %d other strong blocks share an ancestor: going up\n", k);
            best = a;
            break;
        }
    }
    *best_out = bs;
    return best;
}

/* Readability's sibling step: siblings that continue the article join it. */
/* A feed of other stories or a gallery: eight or more element children
 * (under a heading at most), seven in ten of them items — a headline link
 * of 15 or more characters with a short teaser, the links three tenths of
 * the text or more; or, under a short heading, twelve or more pictures
 * with short captions. */
static int feed_like(const struct dom_node *top)
{
    int kids = 0, items = 0, pics = 0, heading = 0;
    for (const struct dom_node *k = top->first; k; k = k->next) {
        if (k->type != DOM_ELEMENT || !ST(k) || !ST(k)->chars)
            continue;
        if (k->tag == DOM_TAG_H1 || k->tag == DOM_TAG_H2 || k->tag == DOM_TAG_H3) {
            heading |= kids == 0 && ST(k)->chars < 60;
            continue;
        }
        const struct nstat *ks = ST(k);
        kids++;
        int img = 0;
        for (const struct dom_node *q = k->first; q && !img; q = dom_next(q, k))
            img = q->type == DOM_ELEMENT && q->tag == DOM_TAG_IMG;
        if (ks->nlink >= 1 && ks->link >= 15 && ks->chars < 400)
            items++;
        else if (img && ks->chars < 300)
            pics++;
    }
    /* a feed's headlines are links; a gallery of its own sits under a
     * short heading ("Business news in pictures"), unlike a listicle */
    return (items >= 8 && items * 10 >= kids * 7 && st_ld(ST(top)) >= 0.3) ||
           (heading && pics >= 12 && pics * 10 >= kids * 7);
}

/* A short story beside a long list of other stories (a brief and a feed of
 * teasers, a business brief and its 50-slide gallery): when the container
 * chosen is such a feed and the headline stands outside it, the first
 * block of prose between the headline and the feed is the article. Returns
 * that block, or NULL. */
static struct dom_node *brief_beside_feed(struct ctx *c, struct dom_node *top)
{
    const struct dom_node *t = c->o->title;
    if (!t || is_ancestor(top, t) || !feed_like(top))
        return NULL;
    size_t n = 0;
    for (struct dom_node *x = dom_next_skip(t, c->body); x && x != top && n < 400; x = dom_next(x, c->body), n++) {
        if (is_ancestor(x, top))
            continue;
        const struct nstat *xs = x->type == DOM_ELEMENT && !(x->flags & CLEAN_GONE) ? ST(x) : NULL;
        if (xs && xs->chars >= 60 && xs->punct >= 1 && st_ld(xs) < 0.2 && xs->weight >= 0) {
            struct dom_node *b = x;
            while (b->parent && b->parent != c->body && !is_ancestor(b->parent, top) &&
                   !is_ancestor(b->parent, t) && ST(b->parent)->chars == xs->chars)
                b = b->parent;
            explain_node(c->o, "brief", b, "%sthe short story beside a feed of %u characters", "",
                         ST(top)->chars);
            return b;
        }
    }
    return NULL;
}

static struct dom_node *merge_siblings(struct ctx *c, struct dom_node *top, double top_score)
{
    struct dom_node *p = top->parent;
    if (!p || top == c->body)
        return top;
    double thr = top_score * 0.2 > 10 ? top_score * 0.2 : 10;
    const char *tcl = dom_attr(top, "class");
    int merged = 0;
    for (struct dom_node *s = p->first; s; s = s->next) {
        if (s == top || s->type != DOM_ELEMENT || (s->flags & CLEAN_GONE))
            continue;
        struct nstat *ss = ST(s);
        if (ss->weight < 0 || ss->chars == 0)
            continue;
        double bonus = 0;
        const char *scl = dom_attr(s, "class");
        if (tcl && scl && *tcl && strcmp(tcl, scl) == 0)
            bonus = top_score * 0.2;
        int take = 0;
        if ((s->flags & CAND) && s->score + bonus >= thr)
            take = 1;
        else if (!(s->flags & UNLIKELY) && s->tag != DOM_TAG_NAV && s->tag != DOM_TAG_ASIDE &&
                 s->tag != DOM_TAG_FOOTER && s->tag != DOM_TAG_FORM && ss->weight >= 0 && st_ld(ss) < 0.25 &&
                 st_wlen(ss) > 80 && ss->punct >= 3 && st_wlen(ss) < 0.5 * st_wlen(ST(top)) &&
                 (s->tag != DOM_TAG_P && !(s->tag == DOM_TAG_DIV && st_iwlen(ss) == st_wlen(ss))))
            take = 1; /* a lead or a second text block in a header, section or div */
        else if (s->tag == DOM_TAG_P || (s->tag == DOM_TAG_DIV && st_iwlen(ss) == st_wlen(ss))) {
            double w = st_wlen(ss), ld = st_ld(ss);
            if (w > 80 && ld < 0.25)
                take = 1;
            else if (w > 0 && ld == 0 && ss->punct > 0 && w < 80)
                take = 1;
        }
        if (take) {
            s->flags |= INCL;
            merged++;
        }
    }
    if (!merged)
        return top;
    top->flags |= INCL;
    /* The parent becomes the container; its other children are not article. */
    for (struct dom_node *s = p->first; s; s = s->next)
        if (!(s->flags & INCL)) {
            s->flags |= CLEAN_DROP;
            if (s->type == DOM_ELEMENT && s->aux && ST(s)->chars >= 10 && !(s->flags & CLEAN_GONE))
                explain_node(c->o, "drop", s, "%snot part of the article (sibling of the container)", "", 0);
        }
    if (c->o->explain)
        buf_printf(c->o->explain, "note: %d sibling block%s joined the container\n", merged, merged > 1 ? "s" : "");
    return p;
}

/* A lead that lives apart from the body: a prose block before the
 * container (or before one of its nearest ancestors) — the intro paragraph
 * in the article header, a summary div above the text. Returns the new
 * container; what the climb brings in besides the lead is dropped. */
static int lead_like(const struct dom_node *s, const struct dom_node *top)
{
    const struct nstat *ss = ST(s);
    return s->type == DOM_ELEMENT && !(s->flags & (CLEAN_GONE | UNLIKELY)) && s->tag != DOM_TAG_NAV &&
           s->tag != DOM_TAG_ASIDE && s->tag != DOM_TAG_FOOTER && s->tag != DOM_TAG_FORM && ss->weight >= 0 &&
           st_ld(ss) < 0.2 && st_wlen(ss) >= 60 && ss->punct >= 2 && st_wlen(ss) < 0.6 * st_wlen(ST(top));
}

static struct dom_node *merge_lead(struct ctx *c, struct dom_node *top)
{
    struct dom_node *cur = top;
    for (int level = 0; level < 3 && cur->parent && cur != c->body && cur->parent != c->body; level++) {
        struct dom_node *p = cur->parent, *lead = NULL;
        /* the nearest previous sibling with text, or a prose block in it */
        for (struct dom_node *s = cur->prev; s && !lead; s = s->prev) {
            if (s->type != DOM_ELEMENT || (s->flags & CLEAN_SKIP) || !ST(s)->chars)
                continue;
            if (lead_like(s, top)) {
                lead = s;
            } else {
                for (struct dom_node *q = s->first; q && !lead; q = dom_next(q, s))
                    if (q->type == DOM_ELEMENT && !is_inline(q->tag) && ST(q)->chars && lead_like(q, top) &&
                        st_iwlen(ST(q)) >= 60)
                        lead = q;
                break; /* only the block right before */
            }
        }
        if (!lead) {
            cur = p;
            if (!(ST(cur)->chars > ST(top)->chars * 1.05))
                continue; /* a bare wrapper: look one level up */
            break;
        }
        /* keep the path to the lead and to the container, drop the rest of p */
        for (struct dom_node *x = p->first; x;) {
            if (x == cur || is_ancestor(x, top)) {
                x = dom_next_skip(x, p);
                continue;
            }
            if (x == lead) {
                x = dom_next_skip(x, p);
                continue;
            }
            if (is_ancestor(x, lead)) {
                x = dom_next(x, p);
                continue;
            }
            if (x->type == DOM_ELEMENT || x->type == DOM_TEXT)
                x->flags |= CLEAN_DROP;
            x = dom_next_skip(x, p);
        }
        explain_node(c->o, "lead", lead, "%sprose before the container joins it", "", 0);
        return p;
    }
    return top;
}

/* The lead right under a headline that lives outside the container
 * (h1 + p.lead, h1 + div.abstract, h1 + h2.excerpt): the first prose block
 * among the headline's next few siblings (or its wrapper's, when the
 * wrapper holds little besides the headline) joins the container. The
 * container becomes the nearest common ancestor of both, with everything
 * under it but the two dropped. */
static struct dom_node *title_lead(struct ctx *c, struct dom_node *top)
{
    const struct dom_node *t = c->o->title;
    if (!t || is_ancestor(top, t) || is_ancestor(t, top) || t->index > top->index)
        return top;
    struct dom_node *lead = NULL;
    const struct dom_node *from = t;
    for (int up = 0; up < 3 && !lead && from; up++) {
        int seen = 0;
        for (struct dom_node *s = from->next; s && seen < 4 && !lead; s = s->next) {
            if (s->type != DOM_ELEMENT || (s->flags & CLEAN_SKIP) || !ST(s)->chars)
                continue;
            if (is_ancestor(s, top) || s->index > top->index)
                break;
            seen++;
            if (lead_like(s, top) && st_iwlen(ST(s)) >= 60)
                lead = s;
        }
        /* one level up when the wrapper holds little besides the headline
         * (or is the heading that the headline's span sits in) */
        const struct dom_node *p = from->parent;
        int heading = p && (p->tag == DOM_TAG_H1 || p->tag == DOM_TAG_H2 || p->tag == DOM_TAG_H3);
        if (!p || p == c->body || (!heading && st_wlen(ST(p)) > 1.5 * st_wlen(ST(t)) + 20))
            break;
        from = p;
    }
    if (!lead)
        return top;
    struct dom_node *lca = lead->parent;
    while (lca && !is_ancestor(lca, top))
        lca = lca->parent;
    if (!lca || lca == c->d->root)
        return top;
    for (struct dom_node *x = lca->first; x;) {
        if (is_ancestor(x, top) && x != top && !is_ancestor(x, lead)) {
            /* the container's own ancestors: keep their path only */
            x = dom_next(x, lca);
            continue;
        }
        if (x == top || x == lead) {
            x = dom_next_skip(x, lca);
            continue;
        }
        if (is_ancestor(x, lead)) {
            x = dom_next(x, lca);
            continue;
        }
        if (x->type == DOM_ELEMENT || x->type == DOM_TEXT)
            x->flags |= CLEAN_DROP;
        x = dom_next_skip(x, lca);
    }
    explain_node(c->o, "lead", lead, "%sprose under the headline joins the container", "", 0);
    return lca;
}

/* ---- pruning inside the container ---- */

/* Comment sections may be larger than the article they follow. */
static int comment_cue(const char *cue)
{
    static const char *const w[] = { "comment", "reply", "replies", "pinglun", "disqus", "community", "feedback" };
    for (size_t i = 0; cue && i < sizeof w / sizeof w[0]; i++)
        if (strcmp(cue, w[i]) == 0)
            return 1;
    return 0;
}

/* The article's own header (it holds the headline) may carry the lead
 * paragraph: keep that one prose block and drop the rest of the header.
 * Returns 1 when a lead was kept. */
static int keep_header_lead(struct ctx *c, struct dom_node *h)
{
    const struct dom_node *t = c->o->title;
    if (!t || !is_ancestor(h, t))
        return 0;
    struct dom_node *lead = NULL;
    for (struct dom_node *q = h->first; q && !lead;) {
        if (q->type != DOM_ELEMENT || (q->flags & CLEAN_SKIP) || q == t) {
            q = dom_next_skip(q, h);
            continue;
        }
        const struct nstat *qs = ST(q);
        if (!is_ancestor(q, t) && !is_inline(q->tag) && !(q->flags & UNLIKELY) && qs->weight >= 0 &&
            st_wlen(qs) >= 60 && qs->punct >= 2 && st_ld(qs) < 0.2)
            lead = q;
        else
            q = dom_next(q, h);
    }
    if (!lead)
        return 0;
    for (struct dom_node *x = h->first; x;) {
        if (x == lead) {
            x = dom_next_skip(x, h);
        } else if (is_ancestor(x, lead)) {
            x = dom_next(x, h);
        } else {
            if (x->type == DOM_ELEMENT || x->type == DOM_TEXT)
                x->flags |= CLEAN_DROP;
            x = dom_next_skip(x, h);
        }
    }
    explain_node(c->o, "lead", lead, "%sprose in the article header is kept", "", 0);
    return 1;
}

/* A prose block: 40 or more characters with punctuation, few of them in
 * links. */
static int prose_block(const struct dom_node *x)
{
    const struct nstat *s = x && x->type == DOM_ELEMENT && !(x->flags & CLEAN_SKIP) ? ST(x) : NULL;
    return s && s->chars >= 40 && s->punct >= 1 && st_ld(s) < 0.3;
}

/* 1 when the last text of x ends with a colon ("…the tools I use:"). */
static int ends_with_colon(const struct dom_node *x)
{
    const struct dom_node *last = NULL;
    size_t n = 0;
    for (const struct dom_node *k = x->first; k && n < 2000; k = dom_next(k, x), n++)
        if (k->type == DOM_TEXT)
            last = k;
    if (!last)
        return 0;
    size_t l = last->len;
    while (l && (unsigned char)last->text[l - 1] <= ' ')
        l--;
    return (l >= 1 && last->text[l - 1] == ':') || (l >= 3 && memcmp(last->text + l - 3, "：", 3) == 0);
}

/* 1 when the table has a header cell (<th>) of its own. */
static int has_th(const struct dom_node *t)
{
    size_t n = 0;
    for (const struct dom_node *k = t->first; k && n < 2000; k = dom_next(k, t), n++)
        if (k->type == DOM_ELEMENT && k->name && strcmp(k->name, "th") == 0)
            return 1;
    return 0;
}

/* The element sibling before (dir < 0) or after x that holds text. */
static const struct dom_node *text_sibling(const struct dom_node *x, int dir)
{
    for (const struct dom_node *k = dir < 0 ? x->prev : x->next; k; k = dir < 0 ? k->prev : k->next)
        if (k->type == DOM_ELEMENT && ST(k) && ST(k)->chars)
            return k;
        else if (k->type == DOM_TEXT)
            for (size_t i = 0; i < k->len; i++)
                if ((unsigned char)k->text[i] > ' ')
                    return NULL; /* loose text between: no clean sibling */
    return NULL;
}

/* A list or table of links that the article's prose introduces and goes
 * on after (a blog post's list of tools, a table with a column of
 * download links): part of the article, as in trafilatura's and
 * Readability's reading, where a link-dense block between two prose
 * blocks of the content is kept. A related list sits at the end, or under
 * a short heading ("Related:"), not between paragraphs. */
static int links_in_prose(const struct dom_node *x)
{
    if (x->tag != DOM_TAG_UL && x->tag != DOM_TAG_OL && x->tag != DOM_TAG_DL && x->tag != DOM_TAG_TABLE)
        return 0;
    if (ST(x)->weight < 0)
        return 0;
    const struct dom_node *a = text_sibling(x, -1), *b = text_sibling(x, 1);
    if (!prose_block(a))
        return 0;
    if (x->tag == DOM_TAG_TABLE) /* a data table: a header cell, and text beside its links */
        return st_ld(ST(x)) < 0.75 && has_th(x);
    if (!prose_block(b))
        return 0;
    /* items of links alone: only when the sentence before announces them */
    return st_ld(ST(x)) < 0.6 || ends_with_colon(a);
}

/* A teaser card of another story: a block (div, li, section, article)
 * of under 300 characters that opens with its headline as a link of 15 or
 * more characters (the whole first block; not an in-page '#' anchor) and
 * goes on with a short unlinked teaser — "Fire destroys barn outside town
 * / Firefighters battled the blaze…". The headline alone goes by link
 * density; the card goes whole. */
static int teaser_card(const struct dom_node *x)
{
    if (x->tag != DOM_TAG_DIV && x->tag != DOM_TAG_LI && x->tag != DOM_TAG_SECTION && x->tag != DOM_TAG_ARTICLE)
        return 0;
    const struct nstat *s = ST(x);
    if (s->chars >= 300 || s->nlink < 1 || s->nlink > 3 || s->link < 15 || s->np > 3)
        return 0;
    const struct dom_node *first = NULL;
    for (const struct dom_node *k = x->first; k && !first; k = k->next)
        if (k->type == DOM_ELEMENT && ST(k) && ST(k)->chars)
            first = k;
        else if (k->type == DOM_TEXT)
            for (size_t i = 0; i < k->len; i++)
                if ((unsigned char)k->text[i] > ' ')
                    return 0;
    if (!first || ST(first)->link != ST(first)->chars || ST(first)->chars < 15 || first == x->last)
        return 0;
    const char *href = NULL;
    for (const struct dom_node *q = first; q && !href; q = dom_next(q, first))
        if (q->type == DOM_ELEMENT && q->tag == DOM_TAG_A)
            href = dom_attr(q, "href");
    return href && href[0] != '#' && s->chars - s->link >= 20 && s->link * 2 <= s->chars + 40;
}

static void prune(struct ctx *c, struct dom_node *top)
{
    const struct nstat *ts = ST(top);
    double total = st_wlen(ts);
    for (struct dom_node *x = top->first; x;) {
        if (x->type != DOM_ELEMENT || (x->flags & CLEAN_SKIP)) {
            x = dom_next_skip(x, top);
            continue;
        }
        /* inline elements are pruned by their class only, and may wrap
         * blocks (an unclosed <a>) */
        if (is_inline(x->tag) && x->tag != DOM_TAG_OTHER) {
            const struct nstat *is = ST(x);
            if ((x->flags & STRONG) && is->weight < 0 && st_wlen(is) < 0.2 * total) {
                x->flags |= CLEAN_DROP;
                explain_node(c->o, "drop", x, "class cue '%s'", is->cue ? is->cue : "?", 0);
                x = dom_next_skip(x, top);
            } else {
                x = dom_next(x, top);
            }
            continue;
        }
        struct nstat *s = ST(x);
        double w = st_wlen(s), ld = st_ld(s);
        if (x != top && teaser_card(x)) {
            x->flags |= CLEAN_DROP;
            explain_node(c->o, "drop", x, "%sanother story's teaser (its headline a link)", "", 0);
            x = dom_next_skip(x, top);
            continue;
        }
        if (s->punct < 10 && ld > 0.3 && links_in_prose(x)) {
            explain_node(c->o, "keep", x, "%slinks between the article's paragraphs, link density %.2f", "", ld);
            x = dom_next_skip(x, top);
            continue;
        }
        const char *why = NULL, *arg = "";
        double num = 0;
        if (w == 0) {
            x = dom_next(x, top);
            continue;
        }
        if (x->tag == DOM_TAG_NAV || x->tag == DOM_TAG_ASIDE || x->tag == DOM_TAG_FORM) {
            why = "tag <%s>";
            arg = x->name;
        } else if ((x->tag == DOM_TAG_FOOTER || x->tag == DOM_TAG_HEADER) && w < 0.3 * total) {
            if (x->tag == DOM_TAG_HEADER && keep_header_lead(c, x)) {
                x = dom_next_skip(x, top);
                continue;
            }
            why = "tag <%s>";
            arg = x->name;
        } else if (s->weight < 0 && (w < 0.5 * total || (comment_cue(s->cue) && total - w >= 0.15 * total)) &&
                   ((x->flags & UNLIKELY) || (s->punct < 3 && w < 150) || ld > 0.3)) {
            why = "class cue '%s'";
            arg = s->cue ? s->cue : "?";
        } else if (s->punct < 10 && s->chars > 0 && w < 0.5 * total) {
            int list = x->tag == DOM_TAG_UL || x->tag == DOM_TAG_OL || x->tag == DOM_TAG_DL;
            if (ld > 0.5 && (s->nlink > 1 || w < 100)) {
                why = "%slink density %.2f";
                num = ld;
            } else if (!list && x->tag != DOM_TAG_P && ld > 0.33 && s->weight <= 0 && w < 300 &&
                       x->tag != DOM_TAG_TABLE && s->nlink > 2) {
                why = "%slink density %.2f";
                num = ld;
            } else if (list && s->nli > 0 && ld > 0.3 && s->nlink >= s->nli) {
                why = "%slink list, link density %.2f";
                num = ld;
            }
        }
        if (why) {
            x->flags |= CLEAN_DROP;
            explain_node(c->o, "drop", x, why, arg, num);
            x = dom_next_skip(x, top);
        } else {
            x = dom_next(x, top);
        }
    }
}

/* The headline and what precedes it inside the container (breadcrumbs,
 * channel names) are not body, as long as that is a small part of it. */
static void drop_before_title(struct ctx *c, struct dom_node *top)
{
    const struct dom_node *t = c->o->title;
    if (!t || !is_ancestor(top, t) || t == top)
        return;
    double before = 0, total = st_wlen(ST(top));
    for (struct dom_node *x = top->first; x && x != t; x = dom_next(x, top))
        if (x->type == DOM_TEXT && !(x->flags & CLEAN_SKIP) && !is_ancestor(x, t))
            before += st_wlen(ST(x));
    if (before > 0.3 * total)
        return;
    for (struct dom_node *x = top->first; x;) {
        if (x == t) {
            x->flags |= CLEAN_DROP;
            explain_node(c->o, "drop", x, "%sthe headline", "", 0);
            break;
        }
        if (is_ancestor(x, t)) {
            x = dom_next(x, top);
            continue;
        }
        if (!(x->flags & CLEAN_SKIP) && ST(x)->chars > 0) {
            x->flags |= CLEAN_DROP;
            if (x->type == DOM_ELEMENT)
                explain_node(c->o, "drop", x, "%sbefore the headline", "", 0);
        }
        x = dom_next_skip(x, top);
    }
}

/* ---- per-site rules ---- */

struct rule_ud {
    const struct clean_opts *o;
    struct dom_node *first;
    const char *xpath;
    int drop;
};

static void rule_match(struct dom_node *n, void *ud)
{
    struct rule_ud *r = ud;
    if (r->drop) {
        n->flags |= CLEAN_DROP;
        explain_node(r->o, "drop", n, "xpath rule '%s'", r->xpath, 0);
    } else if (!r->first) {
        r->first = n;
    }
}

static struct dom_node *apply_rules(struct ctx *c)
{
    const struct rules *ru = c->o->rules;
    struct buf e = BUF_INIT;
    struct dom_node *forced = NULL;
    for (size_t i = 0; i < ru->ndrop && i < RULES_MAX_DROP; i++) {
        struct rule_ud r = { c->o, NULL, ru->drop[i], 1 };
        buf_reset(&e);
        if (ru->drop[i] && rules_select(c->d, ru->drop[i], rule_match, &r, &e) < 0 && c->o->explain)
            buf_printf(c->o->explain, "rule: drop xpath '%s' failed: %s\n", ru->drop[i], buf_str(&e));
    }
    if (ru->container) {
        struct rule_ud r = { c->o, NULL, ru->container, 0 };
        buf_reset(&e);
        int k = rules_select(c->d, ru->container, rule_match, &r, &e);
        if (k < 0 && c->o->explain)
            buf_printf(c->o->explain, "rule: container xpath '%s' failed: %s\n", ru->container, buf_str(&e));
        else if (!r.first && c->o->explain)
            buf_printf(c->o->explain, "rule: container xpath '%s' matched nothing: scoring instead\n", ru->container);
        forced = r.first;
        if (forced && c->o->explain) {
            buf_adds(c->o->explain, "container ");
            describe_path(forced, c->o->explain);
            buf_printf(c->o->explain, ": xpath rule '%s'\n", ru->container);
        }
    }
    buf_release(&e);
    return forced;
}

int clean_container(struct dom *d, const struct clean_opts *o, struct dom_node **container, struct buf *err)
{
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.d = d;
    c.o = o;
    *container = NULL;
    if (!d->root)
        return 0;
    if (stats_pass(&c) != 0) {
        buf_seterr(err, "out of memory while scoring the page");
        return NA_ENOMEM;
    }
    c.body = d->body ? d->body : d->root;
    struct dom_node *forced = o->rules ? apply_rules(&c) : NULL;
    if (forced) {
        *container = forced;
        drop_before_title(&c, forced);
        return 0;
    }
    double bs = 0;
    int use_sum = 0;
    struct dom_node *top = pick_sum(&c, &bs, 0.1);
    /* Almost nothing outside comment-like blocks: a forum or a page
     * whose theme names its content "comment"; count them after all. */
    if (!top || st_wlen(ST(top)) < 250) {
        double bs2 = 0;
        struct dom_node *t2 = pick_sum(&c, &bs2, 1.0);
        if (t2 && (!top || st_wlen(ST(t2)) > 2 * st_wlen(ST(top)))) {
            top = t2;
            bs = bs2;
            if (o->explain)
                buf_adds(o->explain, "note: little text outside comment-like blocks: counting them\n");
        }
    }
    vote(&c);
    double rs = 0;
    struct dom_node *rtop = pick(&c, &rs);
    /* Two opinions: the subtree with the most net prose (top) and the
     * best-voted block (rtop). When the voted block sits inside the
     * subtree and holds nearly all its prose, it is the tighter container. */
    if (top && rtop && top != rtop && is_ancestor(top, rtop) && ST(rtop)->sum >= 0.85 * ST(top)->sum) {
        if (o->explain)
            buf_printf(o->explain, "note: the densest block holds %.0f%% of the prose: taking it\n",
                       100 * ST(rtop)->sum / ST(top)->sum);
        top = rtop, bs = rs;
    } else if (!top) {
        top = rtop, bs = rs;
    } else {
        use_sum = 1;
    }
    if (!top) {
        if (o->explain)
            buf_adds(o->explain, "container body: no block with enough text\n");
        *container = d->body;
        if (d->body)
            prune(&c, d->body);
        return 0;
    }
    if (o->explain) {
        const struct nstat *s = ST(top);
        buf_adds(o->explain, "container ");
        describe_path(top, o->explain);
        buf_printf(o->explain, ": score %.1f, %u chars, %u punctuation, link density %.2f", bs, s->chars, s->punct,
                   st_ld(s));
        if (s->weight > 0 && s->cue)
            buf_printf(o->explain, ", class cue '%s'", s->cue);
        buf_addc(o->explain, '\n');
    }
    (void)use_sum;
    struct dom_node *brief = brief_beside_feed(&c, top);
    if (brief) {
        *container = brief;
        prune(&c, brief);
        return 0;
    }
    top = merge_siblings(&c, top, (top->flags & CAND) ? top->score : bs);
    struct dom_node *merged = merge_lead(&c, top);
    top = merged != top ? merged : title_lead(&c, top);
    drop_before_title(&c, top);
    prune(&c, top);
    *container = top;
    return 0;
}

/* ---- line filters ---- */

/* Strips decoration around a line: spaces, brackets, bullets, colons. */
static void core_of(const char *s, size_t n, const char **cs, size_t *cn)
{
    static const char *const deco[] = { "【", "】", "[", "]", "「", "」", "（", "）", "(", ")", "·", "•", "|",
                                        "：", ":", ">", "»", "›", "-", "—", " ", "\t", "<", "《", "》", "*",
                                        "#", "▶", "►", "■", "●", "◆", "○", "★", "☆", "/" };
    int changed = 1;
    while (changed && n) {
        changed = 0;
        for (size_t i = 0; i < sizeof deco / sizeof deco[0]; i++) {
            const char *d = deco[i];
            size_t l = d[1] ? (d[2] ? 3 : 2) : 1; /* every deco is 1 to 3 bytes */
            if (n >= l && s[0] == d[0] && memcmp(s, d, l) == 0) {
                s += l, n -= l, changed = 1;
            }
            if (n >= l && s[n - 1] == d[l - 1] && memcmp(s + n - l, d, l) == 0) {
                n -= l, changed = 1;
            }
        }
    }
    *cs = s;
    *cn = n;
}

static size_t cp_count(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Compares l bytes of s with the lower-case cue w, folding ASCII and the
 * Latin-1 capitals (Ä Ö Ü É À…, UTF-8 C3 80..9E) so "Über den Autor"
 * meets "über den autor". */
static int ci_eq(const char *s, const char *w, size_t l)
{
    for (size_t i = 0; i < l; i++) {
        unsigned char a = (unsigned char)s[i], b = (unsigned char)w[i];
        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a + 32);
        else if (a >= 0x80 && a <= 0x9E && i > 0 && (unsigned char)s[i - 1] == 0xC3 && a != 0x97)
            a = (unsigned char)(a + 32);
        if (a != b)
            return 0;
    }
    return 1;
}

/* ci_eq's view of a first byte (only ASCII folds there): a cheap filter
 * before the full comparison. Cue words are never empty. */
static unsigned char fold1(char c)
{
    unsigned char a = (unsigned char)c;
    return a >= 'A' && a <= 'Z' ? (unsigned char)(a + 32) : a;
}

static int starts_with_ci(const char *s, size_t n, const char *w)
{
    if (!n || fold1(s[0]) != (unsigned char)w[0])
        return 0;
    size_t l = strlen(w);
    return n >= l && ci_eq(s, w, l);
}

/* Case-insensitive (ci_eq) search within [s, s+n). */
static int contains_ci(const char *s, size_t n, const char *w)
{
    size_t l = strlen(w);
    if (l > n)
        return 0;
    unsigned char w0 = (unsigned char)w[0];
    const char *end = s + n - l + 1; /* candidate starts are [s, end) */
    if (w0 >= 'a' && w0 <= 'z') {
        for (const char *p = s; p < end; p++)
            if (fold1(*p) == w0 && ci_eq(p, w, l))
                return 1;
        return 0;
    }
    for (const char *p = s; p < end;) {
        p = memchr(p, w0, (size_t)(end - p));
        if (!p)
            return 0;
        if (ci_eq(p, w, l))
            return 1;
        p++;
    }
    return 0;
}

/* Byte sets: a cue word can only be in a line whose folded bytes hold all
 * of the word's bytes, so one pass over the line spares most searches. */
struct bmask {
    unsigned long long b[4];
};

static void bm_set(struct bmask *m, unsigned char c) { m->b[c >> 6] |= 1ull << (c & 63); }

static int bm_sub(const struct bmask *w, const struct bmask *l)
{
    return !((w->b[0] & ~l->b[0]) | (w->b[1] & ~l->b[1]) | (w->b[2] & ~l->b[2]) | (w->b[3] & ~l->b[3]));
}

static void bm_word(struct bmask *m, const char *w)
{
    memset(m, 0, sizeof *m);
    for (; *w; w++)
        bm_set(m, (unsigned char)*w);
}

/* Every byte and every value ci_eq may fold it to. */
static void bm_line(struct bmask *m, const char *s, size_t n)
{
    /* the bits of c and of its folded byte (A-Z and 0x80-0x9E + 32; c
     * itself otherwise), in registers */
    uint64_t b[4] = { 0, 0, 0, 0 };
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        unsigned f = c + (((c - 'A') < 26u || (c - 0x80) < 31u) ? 32 : 0);
        b[c >> 6] |= 1ull << (c & 63);
        b[f >> 6] |= 1ull << (f & 63);
    }
    memcpy(m->b, b, sizeof b);
}

/* Headings of what follows an article: the line and the rest of its block go. */
static const char *const terminators[] = {
    "相关文章", "相关阅读", "推荐阅读", "相关新闻", "相关推荐", "延伸阅读", "猜你喜欢", "热门文章", "热门推荐",
    "热点推荐", "最新文章", "精彩推荐", "更多阅读", "相关链接", "相关报道", "热门阅读", "为您推荐", "大家都在看",
    "评论", "留言", "网友评论", "发表评论", "我要评论", "最新评论", "热门评论", "评论列表", "相关资讯", "相关专题", "你可能感兴趣",
    "您可能感兴趣", "看了本文的人还看了", "同类文章", "往期回顾", "推荐文章", "最新资讯", "热点新闻", "图片新闻",
    "著作权声明", "传输内容声明", "反侵权公告", "版权声明", "免责声明", "法律声明", "文档附件", "附件下载",
    "related articles", "related posts", "related stories", "related news", "related content", "related",
    "you may also like", "you might also like", "more stories", "more from", "recommended", "recommended for you",
    "read more", "read next", "more on this", "comments", "leave a reply", "leave a comment", "post a comment",
    "what to read next", "most popular", "most read", "trending", "popular posts", "recent posts", "latest news",
    "ähnliche beiträge", "ähnliche artikel", "verwandte artikel", "das könnte sie auch interessieren",
    "das könnte dich auch interessieren", "das könnte sie auch interessieren", "das thema könnte dich",
    "keine kommentare", "kommentieren sie", "mehr zum thema", "mehr themen", "mehr aus", "mehr von", "weitere themen", "sur le sujet",
    "sur le même sujet", "à voir aussi", "voir aussi", "en savoir plus", "dans la même rubrique", "beiträge zum thema", "weitere beiträge", "auch interessant",
    "das könnte dich auch interessieren", "notas relacionadas", "te puede interesar", "lee también",
    "leggi anche", "potrebbe interessarti", "czytaj także", "zobacz też", "kommentare", "weitere artikel", "articles similaires", "à lire aussi", "lire aussi",
    "commentaires", "artículos relacionados", "noticias relacionadas", "comentarios", "articoli correlati",
    "das thema könnte dich auch interessieren", "das könnte sie auch interessieren", "die meistgelesenen",
    "meistgelesene artikel", "meistgelesen", "neueste artikel", "neueste beiträge", "aktuellste beiträge",
    "neuste beiträge", "schon gelesen?", "zum weiterlesen", "weiterführende artikel", "weitere beiträge aus",
    "weitere aktuelle themen", "weitere nachrichten", "noch mehr infos", "lust auf mehr?", "über den autor",
    "über die autorin", "über die autoren", "about the author", "vorschau auf den nächsten artikel",
    "nächster artikel", "vorheriger artikel", "quellenangaben", "quellen ausblenden", "vidéos sur le sujet",
    "audios et vidéos", "à lire également", "sur le même thème", "les plus lus", "nos derniers articles",
    "lo más leído", "más noticias", "también te puede interesar", "te recomendamos", "contenido relacionado",
    "ti potrebbe interessare", "i più letti", "commenti", "przeczytaj także", "przeczytaj też", "czytaj też",
    "zobacz także", "podobne artykuły", "komentarze", "najnowsze", "polecamy", "more like this",
    "you may be interested in", "latest stories", "top stories", "more news",
};

/* Lines that are boilerplate wherever they are, when they start with these. */
static const char *const cue_starts[] = {
    "责任编辑", "编辑：", "编辑:", "本文来源", "来源：", "来源:", "原标题", "分享到", "分享给", "分享至",
    "扫一扫", "扫描二维码", "关注公众号", "关注我们", "版权所有", "版权声明", "免责声明", "声明：", "打印本页",
    "关闭窗口", "【打印", "打印", "收藏本文", "字号", "上一篇", "下一篇", "上一条", "下一条", "返回顶部",
    "返回列表", "当前位置", "您的位置", "你的位置", "所在位置", "位置：", "标签：", "标签:", "关键词：",
    "关键字：", "tags:", "tag:", "copyright", "©", "all rights reserved", "share this", "share on", "share:",
    "tweet", "follow us", "advertisement", "sponsored", "posted in", "filed under", "previous post", "next post",
    "previous article", "next article", "click here", "sign up", "subscribe", "teilen", "impressum",
    "datenschutz", "partager", "weiterlesen", "zurück", "loading", "image:", "bild:", "foto:", "photo:",
    "credit:", "(credit:", "credits:", "crédits", "crédit photo", "beitragsbild", "bildquelle", "fotos:",
    "quelle:", "titelbild", "headerbild", "(noch keine bewertungen", "bewertung", "rate this", "thank you for",
    "(本文来源", "（本文来源", "(责任编辑", "（责任编辑", "(编辑", "（编辑", "（原标题", "(原标题", "更多精彩",
    "点击查看", "点击进入", "阅读原文", "阅读全文", "查看原文", "微信扫", "长按", "欢迎关注", "特别声明",
    "kommentieren", "rezept drucken", "bild anzeigen", "bild schließen", "vergrößern", "dieser eintrag wurde",
    "der beitrag wurde", "dieser beitrag wurde", "this entry was posted", "erstellt am", "anzeige:", "anzeige -", "anzeige –", "anzeige,", "*anzeige",
    "werbung:", "*werbung", "suggested citation", "zitiervorschlag", "zitierweise", "follow ", "folgen sie uns",
    "folge uns", "síguenos", "suivez-nous", "obserwuj nas", "category :", "category:", "categories:",
    "kategorie:", "kategorien:", "catégorie", "categoría", "release date:", "news date", "permalien",
    "permalink", "permanentlink", "externer inhalt", "quellen:", "zapraszamy", "wesprzyj", "hazte miembro",
    "suscríbete", "abonnez-vous", "jetzt abonnieren", "unterstütze", "unterstützen sie", "if you enjoyed",
    "if you liked", "submit your letter", "to view the full story", "sign up here", "melde dich",
    "jetzt spenden", "jede kleine spende", "teile diesen", "teilen sie", "möchten sie den artikel",
    "erschienen in", "video verfügbar", "alle nachrichten", "dieser text wurde", "dieser artikel wurde",
};

/* Lines up to 160 code points that hold these anywhere are calls to
 * subscribe, log in, donate or install an app, never article text. */
static const char *const cue_anywhere_long[] = {
    "newsletter", "already a subscriber", "please subscribe", "subscribe to", "for ios and android",
    "app store", "google play", "um kommentare zu", "einloggen, um", "anmelden um", "logged in to post",
    "affiliate", "subskrypcj", "suscribirse", "abonnieren sie", "artikel teilen", "artikel mit anderen teilen",
    "letters to the editor", "werbung für", "enthält werbung", "sign up here", "straight to your phone",
    "canal de youtube", "feed abonnieren", "pdf herunterladen", "favorisieren", "angaben ohne gewähr",
    "last modified", "n'engagent que", "n’engagent que", "einstellungen verwalten", "datenschutzerklärung",
    "bezahlschranke", "paywall", "kennt ihr schon", "canal de telegram", "our advertisers",
    "advertiser disclosure",
};

/* Teasers end with a "more" link: "… mehr", "Read more", "[więcej]". */
static int teaser_end(const char *s, size_t n)
{
    static const char *const w[] = { "… mehr", "... mehr", "…mehr", ". mehr", "read more", "continue reading",
                                     "weiterlesen", "lire la suite", "leer más", "leggi tutto", "czytaj dalej",
                                     "więcej", "mehr lesen" };
    static const char *const deco[] = { " ", "]", ">", "•", "»", "›" };
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t k = 0; k < sizeof deco / sizeof deco[0]; k++) {
            size_t l = strlen(deco[k]);
            if (n >= l && memcmp(s + n - l, deco[k], l) == 0) {
                n -= l;
                changed = 1;
            }
        }
    }
    for (size_t k = 0; k < sizeof w / sizeof w[0]; k++) {
        size_t l = strlen(w[k]);
        if (n >= l && ci_eq(s + n - l, w[k], l))
            return 1;
    }
    return 0;
}

/* Short lines that contain these anywhere are adverts/contact/meta. */
static const char *const cue_anywhere[] = {
    "扫一扫", "二维码", "公众号", "微信号", "版权所有", "版权声明", "免责声明", "转载请注明", "分享到",
    "打印本页", "关闭窗口", "责任编辑", "浏览次数", "阅读次数", "点击数", "点击量", "浏览量", "阅读量",
    "发布时间", "发布日期", "更新时间", "来源：", "作者：", "字号：", "【大 中 小】", "手机：", "电话：",
    "手机:", "电话:", "联系人", "微信/手机", "all rights reserved", "©", "copyright", "cookie", "newsletter", "阅读数", "阅读(", "评论数", "如有侵权", "申请加入",
};

static int has_digits_date(const char *s, size_t n)
{
    /* 2023-02-03, 2023/2/3, 2023年2月3日, 2023.02.03, 09-30, 12:30 */
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            continue;
        size_t j = i;
        while (j < n && s[j] >= '0' && s[j] <= '9')
            j++;
        size_t dl = j - i;
        if (j < n) {
            if ((dl == 4 || dl == 2 || dl == 1) && (s[j] == '-' || s[j] == '/' || s[j] == '.') && j + 1 < n &&
                s[j + 1] >= '0' && s[j + 1] <= '9' && (dl == 4 || (j + 2 < n && s[j + 2] >= '0' && s[j + 2] <= '9' &&
                                                                    !(j + 3 < n && s[j + 3] >= '0' && s[j + 3] <= '9'))))
                return 1;
            if ((dl == 4 && n - j >= 4 && memcmp(s + j, "年", 3) == 0 && s[j + 3] >= '0' && s[j + 3] <= '9') ||
                (dl <= 2 && n - j >= 3 && memcmp(s + j, "月", 3) == 0))
                return 1;
            if (dl <= 2 && s[j] == ':' && j + 2 < n && s[j + 1] >= '0' && s[j + 1] <= '5' && s[j + 2] >= '0' &&
                s[j + 2] <= '9')
                return 1;
        }
        i = j;
    }
    return 0;
}

static int has_relative_date(const char *s, size_t n)
{
    static const char *const rel[] = { "分钟前", "小时前", "天前", "个月前", "年前", "周前", "秒前", "刚刚", "昨天",
                                       "前天", " ago", "yesterday" };
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++)
        if (contains_ci(s, n, rel[i]))
            return 1;
    return 0;
}

static int has_month_name(const char *s, size_t n)
{
    static const char *const mon[] = { "january", "february", "march", "april", "may ", "june", "july", "august",
                                       "september", "october", "november", "december", "jan ", "feb ", "mar ",
                                       "apr ", "jun ", "jul ", "aug ", "sep ", "sept ", "oct ", "nov ", "dec ",
                                       "januar", "februar", "märz", "mai", "juni", "juli", "oktober", "dezember",
                                       "janvier", "février", "mars", "avril", "juin", "juillet", "août",
                                       "septembre", "octobre", "novembre", "décembre" };
    char low[128];
    size_t l = n < sizeof low - 1 ? n : sizeof low - 1;
    for (size_t i = 0; i < l; i++)
        low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    low[l] = 0;
    int digit = 0;
    for (size_t i = 0; i < l; i++)
        digit |= low[i] >= '0' && low[i] <= '9';
    if (!digit)
        return 0;
    for (size_t i = 0; i < sizeof mon / sizeof mon[0]; i++)
        if (strstr(low, mon[i]))
            return 1;
    return 0;
}

static int meaningful(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    while (p < end) {
        unsigned cp = text_next_cp(&p, end);
        if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || text_is_cjk(cp) ||
            (cp >= 0xC0 && cp < 0x2000))
            return 1;
    }
    return 0;
}

static const char *const byline_cues[] = {
    "编辑", "责编", "校对", "执笔", "记者", "作者", "文/", "图/", "文｜", "图｜", "摄影", "撰文", "通讯员",
    "实习生", "来源于网络", "来自网络", "如有侵权", "首页>>", "请关注", "点击菜单", "回复【", "供稿", "出品",
    "审核", "监制", "主编", "getty images", "shutterstock",
};

/* Latin bylines only count at the start of a line. */
static const char *const byline_starts[] = {
    "by ", "von ", "par ", "por ", "di ", "autor:", "author:", "redaktion:", "photo by", "foto:", "bild:",
    "quelle:", "source:", "text:", "reporting by", "written by", "posted by",
};

static int has_sentence_punct(const char *s, size_t n)
{
    return memmem(s, n, "，", 3) || memmem(s, n, "。", 3) || memmem(s, n, "；", 3) || memmem(s, n, ". ", 2) ||
           memmem(s, n, ", ", 2);
}

/* Code points left once digits, date/time words and separators are gone. */
static size_t date_residue(const char *s, size_t n)
{
    static const char *const skip[] = { "年", "月", "日", "时", "分", "秒", "号", "星期", "周", "上午", "下午" };
    size_t k = 0;
    const char *p = s, *end = s + n;
    while (p < end) {
        int sk = 0;
        for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++) {
            size_t l = strlen(skip[i]);
            if ((size_t)(end - p) >= l && memcmp(p, skip[i], l) == 0) {
                p += l;
                sk = 1;
                break;
            }
        }
        if (sk)
            continue;
        unsigned cp = text_next_cp(&p, end);
        if ((cp >= '0' && cp <= '9') || cp == '-' || cp == '/' || cp == '.' || cp == ':' || cp == ' ' || cp == ',' ||
            cp == '(' || cp == ')' || cp == 0xFF08 || cp == 0xFF09 || cp == 0xFF1A || cp == 0x3000 || cp == '|')
            continue;
        k++;
    }
    return k;
}

/* A phone number: 400/800 service numbers, mobiles (1[3-9] + 9 digits),
 * 0-prefixed landlines; digits may be split by spaces or hyphens. */
static int has_phone(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9'))
            continue;
        char d[16];
        size_t k = 0, j = i;
        while (j < n && k < sizeof d) {
            if (s[j] >= '0' && s[j] <= '9')
                d[k++] = s[j];
            else if (!((s[j] == ' ' || s[j] == '-') && j + 1 < n && s[j + 1] >= '0' && s[j + 1] <= '9'))
                break;
            j++;
        }
        if (k == 10 && (memcmp(d, "400", 3) == 0 || memcmp(d, "800", 3) == 0))
            return 1;
        if (k == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9')
            return 1;
        if (k >= 10 && k <= 12 && d[0] == '0')
            return 1;
        i = j;
    }
    return 0;
}

/* Ends like a sentence: . ! ? 。 ！ ？ (before closing quotes/brackets). */
static int ends_sentence(const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '"' || s[n - 1] == ')' || s[n - 1] == '\''))
        n--;
    if (n && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?'))
        return 1;
    if (n >= 3 && (memcmp(s + n - 3, "。", 3) == 0 || memcmp(s + n - 3, "！", 3) == 0 ||
                   memcmp(s + n - 3, "？", 3) == 0 || memcmp(s + n - 3, "”", 3) == 0 || memcmp(s + n - 3, "」", 3) == 0))
        return 1;
    return 0;
}

/* Labelled publication fields in a line ("发布时间：… 来源：… 作者：… 浏览次数：…
 * 【字体：大 中 小】", a government CMS's property line): the number of
 * distinct labels of this list followed by a colon. Three or more make a
 * meta line whatever its length, as the labels' colons and the values'
 * digits make it look like prose. Event notices ("时间：… 地点：… 主办单位：…")
 * use other labels. */
static int meta_fields(const char *s, size_t n)
{
    static const char *const w[] = { "发布时间", "发表时间", "更新时间", "录入时间", "发布日期", "来源", "作者",
                                     "编辑", "浏览次数", "阅读次数", "点击数", "点击量", "点击率", "浏览量",
                                     "阅读量", "访问量", "字体", "字号", "发布机构", "发布者" };
    unsigned seen = 0;
    int k = 0;
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        size_t l = strlen(w[i]);
        for (const char *p = s, *e = s + n; p + l < e && (p = memmem(p, (size_t)(e - p), w[i], l)); p += l) {
            const char *q = p + l;
            if (*q == ':' || (e - q >= 3 && memcmp(q, "：", 3) == 0)) {
                if (!(seen & (1u << i)))
                    k++;
                seen |= 1u << i;
                break;
            }
        }
    }
    return k;
}

static int meta_words(const char *s, size_t n)
{
    static const char *const w[] = { "发布", "来源", "作者", "时间", "浏览", "阅读", "点击", "日期", "更新",
                                     "posted", "published", "updated", "by ", "stand:", "veröffentlicht",
                                     "aktualisiert", "publié", "publicado", "read", "views", "min" };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        if (contains_ci(s, n, w[i]))
            return 1;
    return 0;
}

struct line_info {
    size_t chars;      /* code points */
    unsigned cjk;      /* CJK code points */
    unsigned punct;
    double wlen;
};

static void explain_line(const struct clean_opts *o, const char *s, size_t n, const char *why, const char *arg)
{
    if (!o->explain)
        return;
    size_t cut = n, k = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++k > 30) {
            cut = i;
            break;
        }
    buf_printf(o->explain, "drop line '%.*s%s': ", (int)cut, s, cut < n ? "…" : "");
    buf_printf(o->explain, why, arg);
    buf_addc(o->explain, '\n');
}

/* Inside a figure or figcaption (below the container, or the container). */
static int in_figure(const struct dom_node *n, const struct dom_node *container)
{
    for (; n; n = n->parent) {
        if (n->tag == DOM_TAG_FIGURE || n->tag == DOM_TAG_FIGCAPTION)
            return 1;
        if (n == container)
            break;
    }
    return 0;
}

/* Ends with a photo credit: one of the credit words in the last 60 bytes
 * with no sentence after it, or an agency name right at the end. */
static const char *const credit_words[] = { "foto:", "fotos:", "photo:", "photos:", "bild:", "kuva:", "image:",
                                            "credit:", "crédito:", "©", "(c)", "foto ", "photo by", "bild via",
                                            "photograph by", "photograph:", "fotografía:", "foto di", "(reuters/",
                                            "(afp/", "(ap photo", "(efe/", "(dpa/", "picture alliance/" };

static struct bmask credit_mask[sizeof credit_words / sizeof credit_words[0]]; /* filled by line_index */

static int credit_line(const char *s, size_t n)
{
    const char *const *word = credit_words;
    static const char *const tail[] = { "shutterstock", "getty images", "istock", "istock.com", "thinkstock",
                                        "reuters", "afp", "dpa", "/ap", "epa", "imago", "picture alliance",
                                        "unsplash", "pixabay", "keystone", "reuters files" };
    while (n && (s[n - 1] == ' ' || s[n - 1] == ')' || s[n - 1] == '.' || s[n - 1] == ']'))
        n--;
    if (n < 8)
        return 0;
    size_t from = n > 60 ? n - 60 : 0;
    while (from > 0 && ((unsigned char)s[from] & 0xC0) == 0x80)
        from--;
    struct bmask wm; /* the bytes of the window: a quick no for most words */
    bm_line(&wm, s + from, n - from);
    for (size_t k = 0; k < sizeof credit_words / sizeof credit_words[0]; k++) {
        if (!bm_sub(&credit_mask[k], &wm))
            continue;
        size_t l = strlen(word[k]);
        for (size_t i = from; i + l <= n; i++) {
            if (fold1(s[i]) != (unsigned char)word[k][0] || !ci_eq(s + i, word[k], l))
                continue;
            if (i > 0 && ((s[i - 1] >= 'a' && s[i - 1] <= 'z') || (s[i - 1] >= 'A' && s[i - 1] <= 'Z')))
                continue;
            if (word[k][strlen(word[k]) - 1] == ' ' && i > 0 && s[i - 1] != '(')
                continue; /* "Foto X" only as "(Foto X" */
            const char *r = s + i + l;
            size_t rn = n - (size_t)(r - s);
            if (!memmem(r, rn, ". ", 2) && !memmem(r, rn, "! ", 2) && !memmem(r, rn, "? ", 2))
                return 1;
        }
    }
    for (size_t k = 0; k < sizeof tail / sizeof tail[0]; k++) {
        size_t l = strlen(tail[k]);
        if (n > l && ci_eq(s + n - l, tail[k], l) &&
            (s[n - l - 1] == ' ' || s[n - l - 1] == '/' || s[n - l - 1] == '(' || s[n - l - 1] == '|'))
            return 1;
    }
    return 0;
}

/* Starts with a boilerplate cue ("Suggested citation …"): such a line
 * does not count as the article's first or last paragraph. */
static int cue_start_line(const char *s, size_t n)
{
    const char *cs;
    size_t cn;
    core_of(s, n, &cs, &cn);
    if (!cn)
        return 0;
    unsigned char f = fold1(cs[0]); /* starts_with_ci's first test, without the call */
    for (size_t k = 0; k < sizeof cue_starts / sizeof cue_starts[0]; k++)
        if ((unsigned char)cue_starts[k][0] == f && starts_with_ci(cs, cn, cue_starts[k]))
            return 1;
    return 0;
}

#define NWORDS(a) (sizeof a / sizeof a[0])
static struct bmask any_mask[NWORDS(cue_anywhere)], long_mask[NWORDS(cue_anywhere_long)],
    byline_mask[NWORDS(byline_cues)];
static unsigned char start_first[NWORDS(cue_starts)];
static pthread_once_t line_once = PTHREAD_ONCE_INIT;

static void line_index(void)
{
    for (size_t k = 0; k < NWORDS(cue_anywhere); k++)
        bm_word(&any_mask[k], cue_anywhere[k]);
    for (size_t k = 0; k < NWORDS(cue_anywhere_long); k++)
        bm_word(&long_mask[k], cue_anywhere_long[k]);
    for (size_t k = 0; k < NWORDS(byline_cues); k++)
        bm_word(&byline_mask[k], byline_cues[k]);
    for (size_t k = 0; k < NWORDS(cue_starts); k++)
        start_first[k] = (unsigned char)cue_starts[k][0];
    for (size_t k = 0; k < NWORDS(credit_words); k++)
        bm_word(&credit_mask[k], credit_words[k]);
}

/* A real paragraph: long enough and written in sentences. */
static int prose(const struct line_info *li) { return li->wlen >= 80 && li->punct >= 2; }

/* The state of one clean_lines call. */
struct lines {
    struct text_lines *l;
    const struct dom_node *container;
    const struct clean_opts *o;
    const char *base;          /* the lines' text */
    struct line_info *info;    /* per line */
    size_t first_prose, last_prose; /* l->n / 0 when there is no prose line */
    double total;              /* word length of all lines */
    size_t tlen;               /* strlen of the headline, 0 without one */
};

/* Step 1: the statistics of every line, the first and last prose lines. */
static void line_stats(struct lines *c)
{
    struct text_lines *l = c->l;
    for (size_t i = 0; i < l->n; i++) {
        struct line_info *in = &c->info[i];
        unsigned ch, cjk, pu;
        count_text(c->base + l->v[i].off, l->v[i].len, &ch, &cjk, &pu);
        in->chars = cp_count(c->base + l->v[i].off, l->v[i].len);
        in->punct = pu;
        in->cjk = cjk;
        in->wlen = wlen(ch, cjk);
        c->total += in->wlen;
        if (prose(in) && l->v[i].kind != TEXT_ROW && !cue_start_line(c->base + l->v[i].off, l->v[i].len) &&
            !(in->chars <= 200 && meta_fields(c->base + l->v[i].off, l->v[i].len) >= 3)) {
            if (c->first_prose == l->n)
                c->first_prose = i;
            c->last_prose = i;
        }
    }
}

/* A terminator that line i (s, n; its core cs, cn) is: a short heading-like
 * line such as "相关文章" that ends the article; NULL when none. */
static const char *line_terminator(const struct lines *c, size_t i, const char *cs, size_t cn)
{
    if (c->info[i].chars > 60 || c->l->v[i].kind == TEXT_PRE)
        return NULL;
    for (size_t k = 0; k < sizeof terminators / sizeof terminators[0]; k++) {
        if (!cn || fold1(cs[0]) != (unsigned char)terminators[k][0])
            continue;
        size_t tl = strlen(terminators[k]);
        if (cn < tl || !ci_eq(cs, terminators[k], tl))
            continue;
        /* long cue phrases may take a short tail ("… bei SWR.de/Sport") */
        size_t rest = cp_count(cs + tl, cn - tl);
        if (rest <= 6 || (tl >= 14 && rest <= 24 && !ends_sentence(cs, cn)))
            return terminators[k];
    }
    return NULL;
}

/* Drops terminator line i and what it ends: everything after it when it
 * comes after most of the text (seen: the word length up to it); earlier,
 * only the rest of its own box (an inline "related" box). Returns the
 * index of the first line kept after it. */
static size_t drop_terminated(struct lines *c, size_t i, const char *hit, double seen)
{
    struct text_lines *l = c->l;
    const struct dom_node *container = c->container;
    struct text_line *ln = &l->v[i];
    ln->drop = 1;
    size_t k = i + 1;
    const struct dom_node *box = ln->node;
    if (seen < 0.5 * c->total) {
        /* the largest block around it that does not hold the article's start */
        const struct dom_node *start = c->first_prose < l->n ? l->v[c->first_prose].node : NULL;
        while (start && box && box->parent && box != container && box->parent != container &&
               !is_ancestor(box->parent, start))
            box = box->parent;
    } else {
        box = container;
    }
    for (; k < l->n; k++) {
        if (box != container && !is_ancestor(box, l->v[k].node))
            break;
        l->v[k].drop = 1;
    }
    const struct clean_opts *o = c->o;
    if (o->explain) {
        char more[48];
        snprintf(more, sizeof more, " (and the %zu lines after it)", k - i - 1);
        size_t bl = o->explain->len;
        explain_line(o, c->base + ln->off, ln->len, "cue phrase '%s'", hit);
        if (o->explain->len > bl && k > i + 1) {
            buf_truncate(o->explain, o->explain->len - 1);
            buf_adds(o->explain, more);
            buf_addc(o->explain, '\n');
        }
    }
    return k;
}

/* The cue phrase of line i (分享到, 相关阅读, Share this…): at its start,
 * anywhere in a short line, or a long phrase anywhere; NULL when none.
 * lm is filled whenever a search reads it (bylines read it after). */
static const char *line_cue(const struct lines *c, size_t i, const char *s, size_t n, const char *cs, size_t cn,
                            struct bmask *lm)
{
    const struct line_info *in = &c->info[i];
    const char *hit = NULL;
    int tail = i > c->last_prose || i < c->first_prose;
    size_t lim = tail ? 200 : 60;
    if (in->chars <= (tail ? 300 : 120)) {
        int f1 = cn ? fold1(cs[0]) : -1, f2 = n ? fold1(s[0]) : -1;
        for (size_t k = 0; k < NWORDS(cue_starts) && !hit; k++)
            if ((start_first[k] == f1 && starts_with_ci(cs, cn, cue_starts[k])) ||
                (start_first[k] == f2 && starts_with_ci(s, n, cue_starts[k])))
                hit = cue_starts[k];
    }
    if (!hit && in->chars <= 200)
        bm_line(lm, s, n);
    for (size_t k = 0; k < NWORDS(cue_anywhere) && !hit; k++)
        if (in->chars <= lim && bm_sub(&any_mask[k], lm) && contains_ci(s, n, cue_anywhere[k]))
            hit = cue_anywhere[k];
    for (size_t k = 0; k < NWORDS(cue_anywhere_long) && !hit; k++)
        if (in->chars <= 160 && bm_sub(&long_mask[k], lm) && contains_ci(s, n, cue_anywhere_long[k]))
            hit = cue_anywhere_long[k];
    return hit;
}

/* The byline cue of line i ("新京报记者 陆一夫", "编辑|禤志杰", "By Jane
 * Doe"), or NULL. */
static const char *line_byline(const struct lines *c, size_t i, const char *s, size_t n, const char *cs, size_t cn,
                               const struct bmask *lm)
{
    const char *hit = NULL;
    if (c->info[i].chars > 30 || has_sentence_punct(s, n))
        return NULL;
    for (size_t k = 0; k < NWORDS(byline_cues) && !hit; k++)
        if (bm_sub(&byline_mask[k], lm) && contains_ci(s, n, byline_cues[k]))
            hit = byline_cues[k];
    for (size_t k = 0; k < sizeof byline_starts / sizeof byline_starts[0] && !hit; k++)
        if (starts_with_ci(cs, cn, byline_starts[k]))
            hit = byline_starts[k];
    return hit;
}

/* A consent or cookie notice ("Privacy Preference Center", "We use
 * cookies and similar technologies…"): it opens with a notice's words, or
 * names cookies, consent or privacy with two more of a notice's terms. */
static int consent_line(const char *s, size_t n)
{
    static const char *const opens[] = { "privacy preference center", "we use cookies", "this website uses cookies",
                                         "this site uses cookies", "we value your privacy", "your privacy choices",
                                         "manage consent", "cookie settings", "cookie policy", "we and our partners",
                                         "by clicking “accept", "by clicking \"accept", "we care about your privacy",
                                         "diese website verwendet cookies", "wir verwenden cookies", "ce site utilise des cookies",
                                         "nous utilisons des cookies", "utilizamos cookies", "questo sito utilizza",
                                         "本网站使用cookie", "本站使用cookie", "我们使用cookie", NULL };
    static const char *const terms[] = { "cookie", "consent", "partners", "personal data", "preferences", "accept",
                                         "opt out", "opt-out", "legitimate interest", "third part", "tracking",
                                         "privacy policy", "store and/or access", "device", "同意", "隐私", NULL };
    if (n > 3000)
        return 0;
    const char *p = s, *e = s + n;
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    for (int i = 0; opens[i]; i++)
        if (starts_with_ci(p, (size_t)(e - p), opens[i]))
            return 1;
    if (!memmem(s, n, "ookie", 5) && !memmem(s, n, "onsent", 6) && !memmem(s, n, "OOKIE", 5))
        return 0;
    int k = 0;
    for (int i = 0; terms[i]; i++)
        k += contains_ci(s, n, terms[i]) != 0;
    return k >= 4;
}

/* Why line i (not a cue phrase) is boilerplate, as an explain format with
 * one %s, or NULL when it stays: teasers, image credits, the short tail of
 * a Latin-script page, contact lines, meta lines (a date with little else,
 * or any dated short line above the first paragraph). */
static const char *line_other(const struct lines *c, size_t i, const char *s, size_t n)
{
    const struct line_info *in = &c->info[i];
    const struct text_line *ln = &c->l->v[i];
    if (in->chars <= 400 && teaser_end(s, n))
        return "%steaser ('more' link)";
    if (consent_line(s, n))
        return "%sconsent or cookie notice";
    /* image captions outside figure/figcaption: a short line that ends
     * with a credit ("… Foto: dpa", "… (Foto: Getty)", "… © AFP / X") */
    if (in->chars <= 250 && ln->kind != TEXT_CAPTION && !in_figure(ln->node, c->container) && credit_line(s, n))
        return "%simage caption (credit)";
    /* the tail of a Latin-script page: short fragments after the last paragraph
     * ("Weitere Tipps", "Kontakt:", a lone category word) */
    if (i > c->last_prose && c->last_prose > 0 && (ln->kind == TEXT_PARA || ln->kind == TEXT_HEADING) &&
        in->chars < 40 && !in->cjk && !ends_sentence(s, n))
        return "%sshort line after the text";
    /* contact lines: a short line with a phone number */
    if (in->chars <= 40 && has_phone(s, n))
        return "%scontact line (phone number)";
    return NULL;
}

/* A meta line: a date with little else (or with meta words), or any dated
 * short line above the first paragraph. */
static int line_meta(const struct lines *c, size_t i, const char *s, size_t n)
{
    const struct line_info *in = &c->info[i];
    if (prose(in) || c->l->v[i].kind == TEXT_ROW)
        return 0;
    int date = has_digits_date(s, n) || has_relative_date(s, n) || has_month_name(s, n);
    return date && ((i < c->first_prose && in->chars <= 100 && (date_residue(s, n) <= 30 || meta_words(s, n))) ||
                    (in->chars <= 60 && (date_residue(s, n) <= 12 || meta_words(s, n))));
}

int clean_lines(struct text_lines *l, const struct dom_node *container, const struct clean_opts *o)
{
    if (!l->n)
        return 0;
    struct lines c = { l, container, o, l->text.data, NULL, l->n, 0, 0,
                       o->title_text ? strlen(o->title_text) : 0 };
    c.info = na_calloc(l->n, sizeof *c.info);
    if (!c.info)
        return NA_ENOMEM;
    line_stats(&c);
    pthread_once(&line_once, line_index);
    double seen = 0;
    for (size_t i = 0; i < l->n; i++) {
        struct text_line *ln = &l->v[i];
        const char *s = c.base + ln->off;
        size_t n = ln->len;
        const char *cs;
        size_t cn;
        seen += c.info[i].wlen;
        if (ln->drop)
            continue;
        core_of(s, n, &cs, &cn);
        if (!meaningful(s, n)) {
            ln->drop = 1;
            continue;
        }
        if (c.tlen && ((n == c.tlen && memcmp(s, o->title_text, n) == 0) ||
                       (cn == c.tlen && memcmp(cs, o->title_text, cn) == 0))) {
            ln->drop = 1;
            explain_line(o, s, n, "%sthe headline", "");
            continue;
        }
        const char *hit = line_terminator(&c, i, cs, cn);
        if (hit) {
            i = drop_terminated(&c, i, hit, seen) - 1;
            continue;
        }
        struct bmask lm = { { 0 } };
        if ((hit = line_cue(&c, i, s, n, cs, cn, &lm))) {
            ln->drop = 1;
            explain_line(o, s, n, "cue phrase '%s'", hit);
            continue;
        }
        if (c.info[i].chars <= 200 && meta_fields(s, n) >= 3) {
            ln->drop = 1;
            explain_line(o, s, n, "%smeta line (labelled fields)", "");
            continue;
        }
        const char *why = line_other(&c, i, s, n);
        if (why) {
            ln->drop = 1;
            explain_line(o, s, n, why, "");
            continue;
        }
        if ((hit = line_byline(&c, i, s, n, cs, cn, &lm))) {
            ln->drop = 1;
            explain_line(o, s, n, "byline cue '%s'", hit);
            continue;
        }
        if (line_meta(&c, i, s, n)) {
            ln->drop = 1;
            explain_line(o, s, n, "%smeta line (date)", "");
        }
    }
    free(c.info);
    return 0;
}
