/* propose.c — a [site] section from a portal's homepage: see propose.h. */
#include "crawler/propose.h"
#include "crawler/crawl.h"
#include "crawler/discover.h"
#include "crawler/health.h"
#include "crawler/page.h"
#include "crawler/robots.h"
#include "crawler/sites.h"
#include "crawler/try.h"
#include "crawler/url.h"
#include "parser/article.h"
#include "parser/charset.h"
#include "parser/dom.h"
#include "util/err.h"
#include "util/mem.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TITLE_CHARS 8        /* a link text this long (code points) reads like a title */
#define MIN_GROUP 3          /* distinct links a URL shape needs to be kept */
#define MIN_LISTING 3        /* article links a page needs to be a listing */

/* Words that mark a news column, and link texts that never are one. */
static const char *const column_words[] = { "新闻", "动态", "资讯", "招商", "项目", "公告", "政策", "通知",
                                            "要闻", "快讯", "信息", "产业", "园区", "投资", "签约", "解读",
                                            "公开", "工作", "头条", "news", "News", "NEWS" };
static const char *const never_words[] = { "首页", "登录", "注册", "联系我们", "网站地图", "无障碍", "关于我们",
                                           "English", "english", "长者", "搜索", "后台", "版权", "隐私" };

struct plink {
    char *url;               /* canonical */
    char *text;              /* the longest text seen for it */
    size_t chars;            /* its code points */
    unsigned pages;          /* bit k: seen on page k */
    int nav;                 /* in a <nav> or an element whose class or id says nav or menu */
    int next;                /* its text says next page */
};

struct ppage {
    char *url;
    char *label;             /* the link text that led here ("" for the start page) */
    char *tmpl;              /* a {n} template from a createPageHTML script, or NULL */
    int tmpl_first;          /* 1: the template's page 1 is this page; 0: this page comes before it */
    int has_next;            /* a next-page link */
    long articles;           /* links matching the kept patterns */
    unsigned long sig;       /* hash of those links (same list twice: one listing) */
    int listing;
};

struct pgroup {
    char *re;                /* anchored ERE */
    long n, titled;
    char *example;
    int holds_page;          /* a page read here (a column) matches it */
    int kept;
    regex_t rx;
    int compiled;
};

struct ctx {
    const struct propose_opts *o;
    struct try_fetch_opts fo;  /* o->fetch, scoped to the start page's host */
    struct site scope;
    int scope_init;
    struct propose_result *r;
    char *start, *host;
    struct robots *robots;
    int robots_unreachable;  /* no answer or 5xx: the crawl fetches nothing here */
    double delay, last;
    int budget;
    struct plink *links;
    size_t nlinks, caplinks;
    struct ppage pages[PROPOSE_MAX_COLUMNS + 2];
    size_t npages;
    struct pgroup groups[PROPOSE_MAX_SHAPES];
    size_t ngroups;
    size_t shapes_dropped;
    size_t links_dropped;
    struct url_list feeds;
    struct buf late;         /* comment lines on feeds and samples, after the findings */
};

void propose_result_init(struct propose_result *r)
{
    memset(r, 0, sizeof *r);
    buf_init(&r->comments, 1 << 20);
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void propose_result_release(struct propose_result *r)
{
    free(r->name);
    free_strv(r->listing, r->nlisting);
    free_strv(r->feed, r->nfeed);
    for (size_t i = 0; i < r->npattern; i++) {
        free(r->pattern[i].regex);
        free(r->pattern[i].example);
    }
    free(r->pattern);
    free_strv(r->links, r->nlinks);
    buf_release(&r->comments);
    memset(r, 0, sizeof *r);
}

static int strv_add(char ***v, size_t *n, const char *s)
{
    char **p = na_realloc(*v, (*n + 1) * sizeof *p);
    if (!p)
        return NA_ENOMEM;
    *v = p;
    if (!(p[*n] = na_strdup(s)))
        return NA_ENOMEM;
    (*n)++;
    return 0;
}

char *propose_shape(const char *url)
{
    const char *p = strstr(url, "://");
    if (!p || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
        return NULL;
    const char *path = strchr(p + 3, '/');
    struct buf b = BUF_INIT;
    buf_addc(&b, '^');
    for (const char *s = url; *s; s++) {
        if (path && s >= path && isdigit((unsigned char)*s)) {
            while (isdigit((unsigned char)s[1]))
                s++;
            buf_adds(&b, "[0-9]+");
        } else if (strchr(".[]()*+?{}|^$\\", *s)) {
            buf_addc(&b, '\\');
            buf_addc(&b, *s);
        } else {
            buf_addc(&b, *s);
        }
    }
    buf_addc(&b, '$');
    if (b.err) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b, NULL);
}

/* ---- fetching ---- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *url_path_of(const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : NULL;
    return p ? p : "/";
}

static int same_host(struct ctx *c, const char *url)
{
    char *h = url_host(url);
    int same = h && strcmp(h, c->host) == 0;
    free(h);
    return same;
}

/* GETs url within the budget, after the delay. 0: an answer in p; 1: not
 * fetched (budget, robots.txt: why says); <0 error. */
static int get(struct ctx *c, const char *url, struct try_page *p, const char **why, struct buf *err)
{
    if (c->budget <= 0) {
        *why = "request budget spent";
        return 1;
    }
    if (c->robots && !robots_allowed(c->robots, url_path_of(url))) {
        *why = c->robots_unreachable ? "robots.txt unreachable (no answer or a 5xx): a crawl fetches nothing "
                                       "from this origin either"
                                     : "disallowed by robots.txt";
        return 1;
    }
    double wait = c->last + c->delay - now_s();
    if (c->last > 0 && wait > 0) {
        struct timespec ts = { (time_t)wait, (long)((wait - (time_t)wait) * 1e9) };
        nanosleep(&ts, NULL);
    }
    c->budget--;
    c->r->requests++;
    int rc = try_fetch(&c->fo, url, p, err);
    c->last = now_s();
    if (rc == 0 && p->offscope_redirect) {
        buf_seterr(err, "redirected to another host: not followed");
        return 1;
    }
    if (rc == 0 && p->status != 200) {
        buf_seterr(err, "HTTP %d", p->status);
        return 1;
    }
    if (rc)
        return rc == NA_ENOMEM ? rc : 1;
    return 0;
}

static int read_robots(struct ctx *c)
{
    char *ru = url_resolve(c->start, "/robots.txt");
    if (!ru)
        return NA_ENOMEM;
    struct try_fetch_opts ro = *c->o->fetch;
    ro.scope = NULL;
    ro.max_body = ROBOTS_WIRE_MAX;
    ro.prefix = ROBOTS_MAX_BYTES;
    struct try_page p;
    struct buf e = BUF_INIT;
    try_page_init(&p);
    c->budget--;
    c->r->requests++;
    int rc = try_fetch(&ro, ru, &p, &e);
    c->last = now_s();
    enum robots_source src;
    c->robots = robots_from_answer(rc == 0 ? p.status : 0, buf_str(&p.body), p.body.len, p.cut, c->o->agent, &src);
    c->robots_unreachable = src == ROBOTS_UNREACHABLE;
    double cd = c->robots ? robots_crawl_delay(c->robots) : -1;
    if (cd > 0)
        c->r->crawl_delay = cd > 60 ? 60 : cd;
    if (cd > c->delay)
        c->delay = cd > 60 ? 60 : cd;
    buf_printf(&c->r->comments, "# robots.txt: %s",
               rc ? "no answer" : p.status == 200 ? "read" : src == ROBOTS_UNREACHABLE ? "unreachable" : "no rules");
    if (rc == 0 && p.status != 200)
        buf_printf(&c->r->comments, " (HTTP %d)", p.status);
    if (cd >= 0)
        buf_printf(&c->r->comments, ", crawl-delay %g s", cd);
    const char *const *sm = NULL;
    size_t nsm = c->robots ? robots_sitemaps(c->robots, &sm) : 0;
    if (nsm)
        buf_printf(&c->r->comments, "; %zu Sitemap: line%s (crawl reads them: robots_sitemaps = yes)", nsm,
                   nsm == 1 ? "" : "s");
    buf_addc(&c->r->comments, '\n');
    try_page_release(&p);
    buf_release(&e);
    free(ru);
    return c->robots ? 0 : NA_ENOMEM;
}

/* ---- the links of a page ---- */

static int link_add(struct ctx *c, const char *url, const char *text, int page, int nav, int next)
{
    size_t chars = health_text_chars(text, 400);
    for (size_t i = 0; i < c->nlinks; i++)
        if (strcmp(c->links[i].url, url) == 0) {
            if (chars > c->links[i].chars) {
                char *t = na_strdup(text);
                if (!t)
                    return NA_ENOMEM;
                free(c->links[i].text);
                c->links[i].text = t;
                c->links[i].chars = chars;
            }
            c->links[i].pages |= 1u << page;
            c->links[i].nav |= nav;
            c->links[i].next |= next;
            return 0;
        }
    int rc = NA_GROW(c->links, c->caplinks, c->nlinks + 1, PROPOSE_MAX_LINKS);
    if (rc == NA_ETOOBIG) { /* enough to judge by: the rest is not looked at */
        c->links_dropped++;
        return 0;
    }
    if (rc)
        return rc;
    struct plink *l = &c->links[c->nlinks];
    l->url = na_strdup(url);
    l->text = na_strdup(text);
    l->chars = chars;
    l->pages = 1u << page;
    l->nav = nav;
    l->next = next;
    if (!l->url || !l->text) {
        free(l->url);
        free(l->text);
        return NA_ENOMEM;
    }
    c->nlinks++;
    return 0;
}

static int is_next_text(const char *t)
{
    static const char *const w[] = { "下一页", "下页", "后一页", "next", "Next", "›", "»", ">" };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        if (strcmp(t, w[i]) == 0 || (i < 5 && strstr(t, w[i])))
            return 1;
    return 0;
}

/* Trims t in place (ASCII and ideographic spaces). */
static char *trim(char *t)
{
    while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r' || strncmp(t, "\xe3\x80\x80", 3) == 0)
        t += *t == '\xe3' ? 3 : 1;
    size_t n = strlen(t);
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\n' || t[n - 1] == '\r'))
        t[--n] = 0;
    return t;
}

/* createPageHTML(count, current, "name", "ext") in a TRS page: the {n}
 * template of its pages into pg. */
static int trs_template(const char *utf8, const char *page_url, struct ppage *pg)
{
    const char *p = strstr(utf8, "createPageHTML(");
    while (p && p >= utf8 + 9 && strncmp(p - 9, "function ", 9) == 0) /* its definition, not a call */
        p = strstr(p + 15, "createPageHTML(");
    if (!p)
        return 0;
    char cur[64] = "", name[64] = "", ext[16] = "";
    if (sscanf(p, "createPageHTML(%*[^,],%63[^,],%*[ \"']%63[^\"']%*[\"'],%*[ \"']%15[^\"']", cur, name, ext) != 3)
        return 0;
    for (char *s = name; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return 0;
    /* the current index: a number, or a variable set in the page */
    char *cv = trim(cur);
    long idx = -1;
    if (isdigit((unsigned char)*cv)) {
        idx = strtol(cv, NULL, 10);
    } else {
        char pat[80];
        snprintf(pat, sizeof pat, "var %s = ", cv);
        const char *v = strstr(utf8, pat);
        if (v)
            idx = strtol(v + strlen(pat), NULL, 10);
    }
    char rel[128];
    snprintf(rel, sizeof rel, "%s_987654321.%s", name, ext);
    char *u = url_resolve(page_url, rel);
    char *m = u ? strstr(u, "987654321") : NULL;
    if (!m) {
        free(u);
        return u ? 0 : NA_ENOMEM;
    }
    struct buf t = BUF_INIT;
    buf_add(&t, u, (size_t)(m - u));
    buf_adds(&t, "{n}");
    buf_adds(&t, m + 9);
    free(u);
    if (t.err)
        return NA_ENOMEM;
    pg->tmpl = buf_detach(&t, NULL);
    pg->tmpl_first = idx == 1; /* TRS counts from 0: index.html, index_1.html, … */
    return 0;
}

/* 1 when n lies in a <nav>, or in an element whose class or id holds
 * "nav" or "menu" (up to 6 levels up). */
static int in_nav(const struct dom_node *n)
{
    for (int up = 0; n && up < 6; n = n->parent, up++) {
        if (n->tag == DOM_TAG_NAV)
            return 1;
        const char *cl = dom_attr(n, "class"), *id = dom_attr(n, "id");
        if ((cl && (strstr(cl, "nav") || strstr(cl, "menu"))) || (id && (strstr(id, "nav") || strstr(id, "menu"))))
            return 1;
    }
    return 0;
}

static int page_links(struct ctx *c, int pi, const struct try_page *p)
{
    struct buf utf8 = BUF_INIT, err = BUF_INIT;
    struct charset_info ci;
    char label[64] = "";
    page_charset_label(NULL, p->content_type, label, sizeof label);
    int rc = charset_to_utf8(p->body.data, p->body.len, label[0] ? label : NULL, &utf8, &ci, &err);
    struct dom *d = NULL;
    if (!rc && pi == 0)
        snprintf(c->r->charset, sizeof c->r->charset, "%s (%s)", ci.name, ci.source);
    if (!rc)
        rc = dom_parse(buf_str(&utf8), utf8.len, NULL, &d, &err);
    if (!rc)
        rc = trs_template(buf_str(&utf8), p->url, &c->pages[pi]);
    struct buf text = BUF_INIT;
    for (struct dom_node *n = d ? d->root : NULL; n && !rc; n = dom_next(n, d->root)) {
        if (n->type != DOM_ELEMENT)
            continue;
        const char *href = dom_attr(n, "href");
        if (n->tag == DOM_TAG_LINK && href) {
            const char *rel = dom_attr(n, "rel"), *type = dom_attr(n, "type");
            if (rel && strstr(rel, "alternate") && type && (strstr(type, "rss") || strstr(type, "atom"))) {
                char *u = url_resolve(p->url, href);
                if (u && same_host(c, u))
                    url_list_add(&c->feeds, u);
                free(u);
            }
            continue;
        }
        if (n->tag != DOM_TAG_A || !href)
            continue;
        char *u = url_resolve_cs(p->url, href, ci.name);
        if (!u)
            continue;
        buf_reset(&text);
        dom_text(n, &text);
        char *t = trim(text.data ? text.data : (char *)"");
        const char *title = dom_attr(n, "title");
        if (title && strlen(title) > strlen(t))
            t = (char *)title;
        int next = is_next_text(t);
        if (next)
            c->pages[pi].has_next = 1;
        if (same_host(c, u) && strcmp(u, p->url) != 0)
            rc = link_add(c, u, t, pi, in_nav(n), next);
        free(u);
    }
    buf_release(&text);
    dom_free(d);
    buf_release(&utf8);
    buf_release(&err);
    return rc;
}

/* ---- URL shapes ---- */

/* Splits the part of an ERE after the host into '/' segments (borrowed
 * copies in buf); returns the count, at most max. */
static size_t segments(const char *re, char *copy, size_t cap, char **seg, size_t max)
{
    const char *p = strstr(re, "://");
    p = p ? strchr(p + 3, '/') : NULL;
    if (!p || strlen(re) >= cap)
        return 0;
    strcpy(copy, re);
    char *s = copy + (p - re);
    size_t n = 0;
    while (s && n < max) {
        *s++ = 0;
        seg[n++] = s;
        s = strchr(s, '/');
    }
    return n;
}

static int group_add(struct ctx *c, const char *re, const struct plink *l)
{
    size_t i = 0;
    while (i < c->ngroups && strcmp(c->groups[i].re, re) != 0)
        i++;
    if (i == c->ngroups) {
        if (i == PROPOSE_MAX_SHAPES) {
            c->shapes_dropped++;
            return 0;
        }
        memset(&c->groups[i], 0, sizeof c->groups[i]);
        if (!(c->groups[i].re = na_strdup(re)) || !(c->groups[i].example = na_strdup(l->url)))
            return NA_ENOMEM;
        c->ngroups++;
    }
    c->groups[i].n++;
    c->groups[i].titled += l->chars >= TITLE_CHARS;
    return 0;
}

/* Two shapes that differ only in directory names (columns): the merged
 * shape with [^/]+ there, else NULL. */
static char *merge(const char *a, const char *b)
{
    char ca[2048], cb[2048], *sa[32], *sb[32];
    size_t na = segments(a, ca, sizeof ca, sa, 32), nb = segments(b, cb, sizeof cb, sb, 32);
    size_t hl = (size_t)(strchr(strstr(a, "://") + 3, '/') - a);
    if (!na || na != nb || na < 2 || strcmp(sa[na - 1], sb[nb - 1]) != 0 || strncmp(a, b, hl + 1) != 0)
        return NULL;
    int diff = 0;
    for (size_t i = 0; i + 1 < na; i++)
        if (strcmp(sa[i], sb[i]) != 0) {
            if (strpbrk(sa[i], "[") || strpbrk(sb[i], "["))
                return NULL; /* only plain names vary */
            diff++;
        }
    if (diff == 0 || diff > 1)
        return NULL;
    struct buf m = BUF_INIT;
    buf_add(&m, a, hl);
    for (size_t i = 0; i < na; i++)
        buf_printf(&m, "/%s", i + 1 < na && strcmp(sa[i], sb[i]) != 0 ? "[^/]+" : sa[i]);
    return m.err ? NULL : buf_detach(&m, NULL);
}

static int build_groups(struct ctx *c)
{
    for (size_t i = 0; i < c->ngroups; i++) {
        free(c->groups[i].re);
        free(c->groups[i].example);
        if (c->groups[i].compiled)
            regfree(&c->groups[i].rx);
    }
    c->ngroups = 0;
    int rc = 0;
    for (size_t i = 0; i < c->nlinks && !rc; i++) {
        char *re = propose_shape(c->links[i].url);
        if (!re)
            return NA_ENOMEM;
        rc = group_add(c, re, &c->links[i]);
        free(re);
    }
    /* merge the shapes of one kind of article in several columns */
    for (size_t i = 0; i < c->ngroups && !rc; i++)
        for (size_t j = i + 1; j < c->ngroups; j++) {
            char *m = merge(c->groups[i].re, c->groups[j].re);
            if (!m)
                continue;
            free(c->groups[i].re);
            c->groups[i].re = m;
            c->groups[i].n += c->groups[j].n;
            c->groups[i].titled += c->groups[j].titled;
            free(c->groups[j].re);
            free(c->groups[j].example);
            c->groups[j] = c->groups[--c->ngroups];
            j = i; /* look again from i + 1 */
        }
    for (size_t i = 0; i < c->ngroups && !rc; i++) {
        struct pgroup *g = &c->groups[i];
        if (regcomp(&g->rx, g->re, REG_EXTENDED | REG_NOSUB) != 0)
            continue;
        g->compiled = 1;
        for (size_t k = 0; k < c->npages; k++)
            if (k > 0 && regexec(&g->rx, c->pages[k].url, 0, NULL, 0) == 0)
                g->holds_page = 1;
        g->kept = g->n >= MIN_GROUP && g->titled * 10 >= g->n * 6 && !g->holds_page &&
                  health_article_like(c->start, g->example) > 0;
    }
    return rc;
}

static int matches_kept(struct ctx *c, const char *url)
{
    for (size_t i = 0; i < c->ngroups; i++)
        if (c->groups[i].kept && c->groups[i].compiled && regexec(&c->groups[i].rx, url, 0, NULL, 0) == 0)
            return 1;
    return 0;
}

/* ---- columns ---- */

static int column_score(struct ctx *c, const struct plink *l)
{
    if (!(l->pages & 1) || l->next || l->chars < 2 || l->chars > 12 || strcmp(l->url, c->start) == 0 ||
        strcmp(url_path_of(l->url), "/") == 0) /* the homepage is no column */
        return 0;
    for (size_t i = 0; i < sizeof never_words / sizeof never_words[0]; i++)
        if (strstr(l->text, never_words[i]))
            return 0;
    static const char *const skip_ext[] = { ".jpg", ".png", ".gif", ".pdf", ".doc", ".xls", ".zip", ".rar", ".js" };
    size_t ul = strlen(l->url);
    for (size_t i = 0; i < sizeof skip_ext / sizeof skip_ext[0]; i++)
        if (ul > 4 && strstr(l->url + ul - 5, skip_ext[i]))
            return 0;
    if (matches_kept(c, l->url))
        return 0;
    int s = l->nav ? 6 : 1;
    for (size_t i = 0; i < sizeof column_words / sizeof column_words[0]; i++)
        if (strstr(l->text, column_words[i]))
            s += 10;
    if (strstr(l->text, "更多") || strstr(l->text, "more") || strstr(l->text, "More"))
        s += 8;
    return s;
}

static int read_columns(struct ctx *c, struct buf *err)
{
    int reserve = PROPOSE_SAMPLES + 2; /* samples and a feed after */
    int *score = na_calloc(c->nlinks ? c->nlinks : 1, sizeof *score);
    if (!score)
        return NA_ENOMEM;
    size_t nhome = c->nlinks;
    for (size_t i = 0; i < nhome; i++)
        score[i] = column_score(c, &c->links[i]);
    int rc = 0;
    while (!rc && c->npages < PROPOSE_MAX_COLUMNS + 1 && c->budget > reserve) {
        size_t best = nhome;
        for (size_t i = 0; i < nhome; i++)
            if (score[i] > 0 && (best == nhome || score[i] > score[best]))
                best = i;
        if (best == nhome)
            break;
        score[best] = 0;
        struct try_page p;
        try_page_init(&p);
        const char *why = NULL;
        buf_reset(err);
        int g = get(c, c->links[best].url, &p, &why, err);
        if (g < 0) {
            rc = g;
        } else if (g > 0) {
            buf_printf(&c->r->comments, "# column %s <%s>: not read: %s\n", c->links[best].text, c->links[best].url,
                       why ? why : buf_str(err));
        } else {
            struct ppage *pg = &c->pages[c->npages];
            memset(pg, 0, sizeof *pg);
            pg->url = na_strdup(p.url);
            pg->label = na_strdup(c->links[best].text);
            if (!pg->url || !pg->label)
                rc = NA_ENOMEM;
            else
                rc = page_links(c, (int)c->npages++, &p);
        }
        try_page_release(&p);
    }
    free(score);
    return rc;
}

/* Which pages are listings: those with MIN_LISTING article links, one per
 * distinct set of links. */
static int pick_listings(struct ctx *c)
{
    int rc = 0;
    for (size_t k = 0; k < c->npages; k++) {
        struct ppage *pg = &c->pages[k];
        pg->articles = 0;
        pg->sig = 5381;
        for (size_t i = 0; i < c->nlinks; i++)
            if ((c->links[i].pages & (1u << k)) && matches_kept(c, c->links[i].url)) {
                pg->articles++;
                for (const char *s = c->links[i].url; *s; s++)
                    pg->sig = pg->sig * 33 + (unsigned char)*s;
            }
    }
    /* the start page is a listing too when it is a column (not the root) */
    const char *path = c->npages ? url_path_of(c->pages[0].url) : "/";
    size_t first = strcmp(path, "/") != 0 && strncmp(path, "/index.", 7) != 0 && strncmp(path, "/?", 2) != 0 ? 0 : 1;
    for (size_t k = first; k < c->npages && !rc; k++) {
        struct ppage *pg = &c->pages[k];
        if (pg->articles < MIN_LISTING)
            continue;
        int dup = 0;
        for (size_t j = first; j < k; j++)
            dup |= c->pages[j].listing && c->pages[j].sig == pg->sig;
        if (dup)
            continue;
        pg->listing = 1;
        if (pg->tmpl && !pg->tmpl_first)
            rc = strv_add(&c->r->listing, &c->r->nlisting, pg->url);
        if (!rc)
            rc = strv_add(&c->r->listing, &c->r->nlisting, pg->tmpl ? pg->tmpl : pg->url);
    }
    if (!rc && !c->r->nlisting && c->npages && c->pages[0].articles >= MIN_LISTING) {
        c->pages[0].listing = 1;
        rc = strv_add(&c->r->listing, &c->r->nlisting, c->pages[0].tmpl ? c->pages[0].tmpl : c->pages[0].url);
    }
    return rc;
}

/* ---- feeds and samples ---- */

static int check_feeds(struct ctx *c, struct buf *err)
{
    int rc = 0;
    for (size_t i = 0; i < c->feeds.n && i < 2 && !rc; i++) {
        struct try_page p;
        try_page_init(&p);
        const char *why = NULL;
        buf_reset(err);
        int g = get(c, c->feeds.v[i], &p, &why, err);
        if (g < 0) {
            rc = g;
        } else if (g > 0) {
            buf_printf(&c->late, "# feed <%s>: not read: %s\n", c->feeds.v[i], why ? why : buf_str(err));
        } else {
            struct try_links l;
            try_links_init(&l);
            long hit = 0;
            if (try_feed(NULL, p.url, p.body.data, p.body.len, 0, &l, err) == 0)
                for (size_t k = 0; k < l.all.n; k++)
                    hit += matches_kept(c, l.all.v[k]);
            if (hit)
                rc = strv_add(&c->r->feed, &c->r->nfeed, c->feeds.v[i]);
            buf_printf(&c->late, "# feed <%s>: %zu items, %ld match the article patterns%s\n", c->feeds.v[i],
                       l.all.n, hit, hit ? "" : ": left out");
            try_links_release(&l);
        }
        try_page_release(&p);
    }
    return rc;
}

/* Cuts a character that snprintf cut short off the end of t. */
static void utf8_whole(char *t)
{
    size_t n = strlen(t), k = n;
    while (k && ((unsigned char)t[k - 1] & 0xc0) == 0x80)
        k--;
    if (!k || (unsigned char)t[k - 1] < 0xc0)
        return;
    unsigned char lead = (unsigned char)t[k - 1];
    size_t want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (n - (k - 1) < want)
        t[k - 1] = 0;
}

/* Extracts up to PROPOSE_SAMPLES articles, from different listings when
 * it can: title, date and text must come out. */
static int check_samples(struct ctx *c, struct buf *err)
{
    const char *pick[PROPOSE_SAMPLES];
    size_t npick = 0;
    for (size_t round = 0; round < 2 && npick < PROPOSE_SAMPLES; round++)
        for (size_t k = 0; k < c->npages && npick < PROPOSE_SAMPLES; k++) {
            if (!c->pages[k].listing && round == 0)
                continue;
            for (size_t i = 0; i < c->nlinks; i++) {
                if (!(c->links[i].pages & (1u << k)) || !matches_kept(c, c->links[i].url) ||
                    (c->robots && !robots_allowed(c->robots, url_path_of(c->links[i].url))))
                    continue;
                int seen = 0;
                for (size_t j = 0; j < npick; j++)
                    seen |= strcmp(pick[j], c->links[i].url) == 0;
                if (!seen) {
                    pick[npick++] = c->links[i].url;
                    break;
                }
            }
        }
    int rc = 0;
    for (size_t i = 0; i < npick && !rc; i++) {
        struct try_page p;
        try_page_init(&p);
        const char *why = NULL;
        buf_reset(err);
        int g = get(c, pick[i], &p, &why, err);
        c->r->samples++;
        if (g < 0) {
            rc = g;
        } else if (g > 0) {
            buf_printf(&c->late, "# sample <%s>: not read: %s\n", pick[i], why ? why : buf_str(err));
        } else {
            /* the crawl's one path from the response to the article */
            struct page_opts po = { 0 };
            struct page_result pr;
            struct article a;
            po.url = p.url;
            po.now = p.fetched;
            po.max_body = c->fo.max_body;
            article_init(&a);
            int x = page_extract(&po, buf_str(&p.head), p.head.len, p.wire.data, p.wire.len, &a, &pr, err);
            size_t chars = x ? 0 : health_text_chars(a.text, 100000);
            int ok = !x && a.title && *a.title && a.published && chars >= CRAWL_SHORT_TEXT;
            c->r->samples_ok += ok;
            char t[100];
            snprintf(t, sizeof t, "%s", a.title ? a.title : "-");
            utf8_whole(t);
            buf_printf(&c->late, "# sample <%s>: %s: title '%s', date %s, %zu characters of text\n", pick[i],
                       ok ? "ok" : "INCOMPLETE", t, a.published ? a.published : "none", chars);
            article_release(&a);
        }
        try_page_release(&p);
    }
    return rc;
}

/* ---- the whole ---- */

static void say_findings(struct ctx *c)
{
    struct buf *b = &c->r->comments;
    for (size_t k = 0; k < c->npages; k++) {
        const struct ppage *pg = &c->pages[k];
        if (k == 0 && !pg->listing)
            continue;
        buf_printf(b, "# %s%s%s <%s>: %ld article links%s%s%s\n", k ? "column" : "start page", *pg->label ? " " : "",
                   pg->label, pg->url, pg->articles,
                   pg->listing ? "" : pg->articles >= MIN_LISTING ? ": the same links as another column, left out"
                                                                   : ": too few, left out",
                   pg->tmpl ? "; pages by a createPageHTML script: {n} template" : "",
                   pg->has_next ? "; next-page link (crawl follows it)" : "");
    }
    for (size_t i = 0; i < c->ngroups; i++) {
        const struct pgroup *g = &c->groups[i];
        if (g->kept)
            buf_printf(b, "# article links: %ld like %s\n", g->n, g->example);
        else if (g->n >= MIN_GROUP)
            buf_printf(b, "# left out %ld links like %s: %s\n", g->n, g->example,
                       g->holds_page                  ? "the shape of a column page"
                       : g->titled * 10 < g->n * 6    ? "their texts do not read like titles"
                                                      : "their URLs do not look like articles");
    }
    if (c->shapes_dropped)
        buf_printf(b, "# (%zu links of more URL shapes not looked at)\n", c->shapes_dropped);
    if (c->links_dropped)
        buf_printf(b, "# (%zu links past the first %d not looked at)\n", c->links_dropped, PROPOSE_MAX_LINKS);
}

static int collect(struct ctx *c)
{
    int rc = 0;
    for (size_t i = 0; i < c->ngroups && !rc; i++) {
        const struct pgroup *g = &c->groups[i];
        if (!g->kept)
            continue;
        struct propose_pattern *p = na_realloc(c->r->pattern, (c->r->npattern + 1) * sizeof *p);
        if (!p)
            return NA_ENOMEM;
        c->r->pattern = p;
        p += c->r->npattern;
        p->regex = na_strdup(g->re);
        p->example = na_strdup(g->example);
        p->links = g->n;
        if (!p->regex || !p->example)
            return NA_ENOMEM;
        c->r->npattern++;
    }
    for (size_t i = 0; i < c->nlinks && !rc; i++)
        rc = strv_add(&c->r->links, &c->r->nlinks, c->links[i].url);
    return rc;
}

static char *default_name(const char *host)
{
    const char *h = strncmp(host, "www.", 4) == 0 ? host + 4 : host;
    size_t n = strcspn(h, ".:");
    char *s = na_malloc(n + 1);
    if (s) {
        memcpy(s, h, n);
        s[n] = 0;
    }
    return s;
}

static void ctx_release(struct ctx *c)
{
    for (size_t i = 0; i < c->nlinks; i++) {
        free(c->links[i].url);
        free(c->links[i].text);
    }
    free(c->links);
    for (size_t i = 0; i < c->npages; i++) {
        free(c->pages[i].url);
        free(c->pages[i].label);
        free(c->pages[i].tmpl);
    }
    for (size_t i = 0; i < c->ngroups; i++) {
        free(c->groups[i].re);
        free(c->groups[i].example);
        if (c->groups[i].compiled)
            regfree(&c->groups[i].rx);
    }
    url_list_release(&c->feeds);
    buf_release(&c->late);
    robots_free(c->robots);
    if (c->scope_init)
        site_release(&c->scope);
    free(c->start);
    free(c->host);
}

int propose_run(const struct propose_opts *o, const char *url, struct propose_result *out, struct buf *err)
{
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.r = out;
    c.delay = o->delay;
    c.budget = o->max_requests > 0 ? o->max_requests : PROPOSE_MAX_REQUESTS;
    url_list_init(&c.feeds, 8);
    buf_init(&c.late, 1 << 16);
    int rc = 0;
    if (!(c.start = url_canonical(url)) || !(c.host = url_host(c.start))) {
        buf_seterr(err, "'%s' is not an http(s) URL", url);
        ctx_release(&c);
        return NA_EINVAL;
    }
    out->name = o->name ? na_strdup(o->name) : default_name(c.host);
    /* redirects stay on the start page's host */
    c.fo = *o->fetch;
    rc = out->name ? site_init(&c.scope, out->name) : NA_ENOMEM;
    c.scope_init = 1; /* site_release frees whatever site_init set */
    if (!rc && !(c.scope.hosts[0] = na_strdup(c.host)))
        rc = NA_ENOMEM;
    if (!rc) {
        c.scope.nhosts = 1;
        rc = site_prepare(&c.scope, err);
        c.fo.scope = &c.scope;
    }
    if (!rc)
        rc = read_robots(&c);
    struct try_page p;
    try_page_init(&p);
    const char *why = NULL;
    int g = rc ? rc : get(&c, c.start, &p, &why, err);
    if (g > 0) {
        if (why)
            buf_seterr(err, "'%s': not fetched: %s", c.start, why);
        else
            buf_seterr(err, "'%s': %s", c.start, buf_str(err));
        rc = NA_ENET;
    } else if (g < 0) {
        rc = g;
    } else {
        memset(&c.pages[0], 0, sizeof c.pages[0]);
        c.pages[0].url = na_strdup(p.url);
        c.pages[0].label = na_strdup("");
        c.npages = 1;
        rc = c.pages[0].url && c.pages[0].label ? page_links(&c, 0, &p) : NA_ENOMEM;
    }
    try_page_release(&p);
    /* the shapes of the start page decide what is no column (an article
     * list), then the columns add their links and the shapes are judged
     * again over everything read */
    if (!rc)
        rc = build_groups(&c);
    struct buf e = BUF_INIT;
    if (!rc)
        rc = read_columns(&c, &e);
    if (!rc)
        rc = build_groups(&c);
    if (!rc)
        rc = pick_listings(&c);
    if (!rc)
        rc = check_feeds(&c, &e);
    if (!rc)
        rc = check_samples(&c, &e);
    if (!rc) {
        say_findings(&c);
        buf_adds(&out->comments, buf_str(&c.late));
        rc = out->comments.err ? out->comments.err : collect(&c);
    }
    buf_release(&e);
    if (rc == NA_ENOMEM)
        buf_seterr(err, "out of memory");
    ctx_release(&c);
    return rc;
}

int propose_format(const struct propose_result *r, struct buf *out)
{
    buf_printf(out, "# proposed by newsarc propose: %d requests; charset %s\n", r->requests,
               r->charset[0] ? r->charset : "unknown");
    buf_adds(out, buf_str(&r->comments));
    if (!r->npattern)
        buf_adds(out, "# no group of links that read like article titles was found: no article = line;\n"
                      "# try a column page (newsarc propose COLUMN-URL) or newsarc try --listing URL\n");
    if (r->samples)
        buf_printf(out, "# check: %d of %d sample articles gave a title, a date and text\n", r->samples_ok,
                   r->samples);
    buf_printf(out, "[site %s]\n", r->name);
    for (size_t i = 0; i < r->nlisting; i++)
        buf_printf(out, "listing = %s\n", r->listing[i]);
    for (size_t i = 0; i < r->nfeed; i++)
        buf_printf(out, "feed = %s\n", r->feed[i]);
    for (size_t i = 0; i < r->npattern; i++)
        buf_printf(out, "article = %s\n", r->pattern[i].regex);
    if (r->crawl_delay > 0)
        buf_printf(out, "# robots.txt asks for this much between requests\ndelay = %g\n", r->crawl_delay);
    return out->err;
}
