/* try.c — `newsarc try`'s library half (try.h): one blocking fetch on the
 * crawler's fetch loop with the crawler's redirect rules, robots.txt for the
 * page's origin, the site and page kind the crawler would see, the links of
 * a listing sorted by the site's patterns, and the comparison of a page with
 * the text the extractor kept. Archives nothing. */
#include "crawler/try.h"
#include "crawler/fetch.h"
#include "crawler/policy.h"
#include "crawler/robots.h"
#include "crawler/sites.h"
#include "crawler/url.h"
#include "parser/article.h"
#include "parser/clean.h"
#include "parser/dom.h"
#include "parser/rules.h"
#include "util/err.h"
#include "util/http.h"
#include "util/mem.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define TRY_MAX_DROPS 4096 /* explain lines of what the cleaner dropped */

#define DEFAULT_MAX_BODY ((size_t)10 << 20)
#define PAGE_SENTINEL "987654321"   /* stands for {n} while a template is canonicalized */

/* ---- fetching ---- */

void try_page_init(struct try_page *p)
{
    memset(p, 0, sizeof *p);
    buf_init(&p->body, DEFAULT_MAX_BODY);
    buf_init(&p->head, 0);
    buf_init(&p->wire, 0);
}

void try_page_release(struct try_page *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nhops; i++) {
        free(p->hops[i].url);
        free(p->hops[i].location);
    }
    free(p->content_type);
    free(p->content_encoding);
    buf_release(&p->body);
    buf_release(&p->head);
    buf_release(&p->wire);
    memset(p, 0, sizeof *p);
}

/* Runs one transfer to its end. The loop's own timeouts end every transfer;
 * the wall-clock guard only bounds a loop that would not. */
static int fetch_one(struct fetch *f, const char *url, double wall, const struct fetch_limits *lim,
                     const struct fetch_net *net, struct fetch_result **out, struct buf *err)
{
    int rc = fetch_start_net(f, url, NULL, NULL, lim, net, NULL, err);
    if (rc)
        return rc;
    time_t start = time(NULL);
    for (;;) {
        fetch_poll(f, 250);
        struct fetch_result *r = fetch_next_done(f);
        if (r) {
            *out = r;
            return 0;
        }
        if (difftime(time(NULL), start) > wall) {
            buf_seterr(err, "'%s': no answer within %.0f s", url, wall);
            return NA_ENET;
        }
    }
}

static int seen_before(const struct try_page *p, const char *url)
{
    for (size_t i = 0; i < p->nhops; i++)
        if (strcmp(p->hops[i].url, url) == 0)
            return 1;
    return 0;
}

/* A redirect of hop h to its own URL that sets a cookie is asked again,
 * once, with the cookie (policy_set_cookies), as the crawl does: the site's
 * jar (cookies = yes) holds it already, else it goes with that one request
 * (once, its cookie in *ck). Returns the options of the next request: o's,
 * or once. */
static const struct fetch_net *cookie_again(const struct try_fetch_opts *o, const struct try_page *p,
                                            const struct try_hop *h, const struct fetch_result *r, int *tried,
                                            struct fetch_net *once, char **ck)
{
    if (*tried || !h->location || strcmp(h->location, h->url) != 0 || p->nhops > TRY_MAX_HOPS)
        return NULL;
    char *c = policy_set_cookies(r->head.data, r->head.len);
    if (!c)
        return NULL;
    *tried = 1;
    if (o->net && o->net->jar) {
        free(c);
        return o->net;
    }
    if (o->net)
        *once = *o->net;
    else
        memset(once, 0, sizeof *once);
    free(*ck);
    *ck = c;
    once->cookie = c;
    return once;
}

/* The fetch loop's options for try's one transfer at a time. */
static void loop_opts(const struct try_fetch_opts *o, struct fetch_opts *fo)
{
    memset(fo, 0, sizeof *fo);
    fo->user_agent = o->user_agent;
    fo->connect_timeout = o->connect_timeout;
    fo->timeout = o->timeout;
    fo->low_speed_time = o->low_speed_time;
    fo->max_body = o->max_body ? o->max_body : DEFAULT_MAX_BODY;
    fo->concurrency = 1;
    fo->per_host_connections = 1;
    fo->resolve = o->resolve;
    fo->nresolve = o->nresolve;
    fo->ca_file = o->ca_file;
}

int try_fetch(const struct try_fetch_opts *o, const char *url, struct try_page *p, struct buf *err)
{
    struct fetch_opts fo;
    loop_opts(o, &fo);
    int max_hops = o->max_redirects < 0 ? 5 : o->max_redirects;
    if (max_hops > TRY_MAX_HOPS)
        max_hops = TRY_MAX_HOPS;
    double wall = (o->connect_timeout > 0 ? o->connect_timeout : 10) + (o->timeout > 0 ? o->timeout : 60) + 5;
    p->body.max = fo.max_body;

    char *cur = url_canonical(url);
    if (!cur) {
        buf_seterr(err, "'%s' is not an http(s) URL", url);
        return NA_EINVAL;
    }
    struct fetch *f = fetch_new(&fo, err);
    if (!f) {
        free(cur);
        return NA_ENOMEM;
    }
    int rc = 0, cookie_tried = 0;
    struct fetch_net once;
    const struct fetch_net *net = o->net;
    char *ck = NULL;
    for (;;) {
        struct try_hop *h = &p->hops[p->nhops++];
        h->url = cur;
        p->url = cur;
        cur = NULL;
        struct fetch_result *r = NULL;
        struct fetch_limits lim = { fo.max_body, 1, NULL }; /* opts.prefix: keep the start */
        rc = fetch_one(f, h->url, wall, o->prefix ? &lim : NULL, net, &r, err);
        net = o->net;
        if (rc)
            break;
        p->wire_bytes += r->head.len + r->body.len;
        p->seconds += r->seconds;
        p->fetched = r->fetched;
        snprintf(p->ip, sizeof p->ip, "%s", r->ip);
        if (r->rc) {
            rc = r->rc;
            buf_seterr(err, "'%s': %s", h->url, r->error[0] ? r->error : na_strerror(r->rc));
            fetch_result_free(r);
            break;
        }
        h->status = p->status = r->status;
        free(p->content_type);
        free(p->content_encoding);
        p->content_type = fetch_header(r, "Content-Type");
        p->content_encoding = fetch_header(r, "Content-Encoding");
        if (policy_is_redirect(r->status)) {
            /* the crawl's decision (policy.h), in its order */
            char *loc = fetch_header(r, "Location");
            h->location = loc ? url_resolve(h->url, loc) : NULL;
            if ((net = cookie_again(o, p, h, r, &cookie_tried, &once, &ck))) {
                free(loc);
                fetch_result_free(r);
                if ((cur = na_strdup(h->url)))
                    continue;
                rc = NA_ENOMEM;
                buf_seterr(err, "out of memory");
                break;
            }
            net = o->net;
            /* a same-URL cookie retry is no redirect followed */
            struct policy_hop ph = { loc != NULL, h->location != NULL, (int)p->nhops - 1 - cookie_tried, max_hops,
                                     1, 0 };
            if (h->location) {
                ph.in_scope = !o->scope || url_in_scope(o->scope, h->location);
                ph.loop = seen_before(p, h->location);
            }
            switch (policy_redirect(&ph)) {
            case REDIRECT_NO_LOCATION:
                buf_seterr(err, "'%s': HTTP %d without Location", h->url, r->status);
                rc = NA_EINVAL;
                break;
            case REDIRECT_BAD_URL:
                buf_seterr(err, "'%s': redirect to '%.2000s', not an http(s) URL", h->url, loc);
                rc = NA_EINVAL;
                break;
            case REDIRECT_TOO_MANY:
                buf_seterr(err, "'%s': more than %d redirects", url, max_hops);
                rc = NA_EINVAL;
                break;
            case REDIRECT_OFF_SCOPE:
                p->offscope_redirect = 1;
                break;
            case REDIRECT_LOOP:
                buf_seterr(err, "'%s': redirect loop back to '%s'", h->url, h->location);
                rc = NA_EINVAL;
                break;
            case REDIRECT_FOLLOW:
                if (!(cur = na_strdup(h->location))) {
                    rc = NA_ENOMEM;
                    buf_seterr(err, "out of memory");
                }
                break;
            }
            free(loc);
            /* a redirect not followed: its own body is of no interest */
            fetch_result_free(r);
            if (cur)
                continue;
            break;
        }
        /* the answer as received, for page_extract */
        struct buf t = p->head;
        p->head = r->head;
        r->head = t;
        t = p->wire;
        p->wire = r->body;
        r->body = t;
        if (o->raw) {
            rc = 0;
        } else if (o->prefix) {
            /* as the crawl reads a robots.txt: what decodes of its start */
            struct buf e = BUF_INIT;
            p->body.max = o->prefix;
            if (http_decode_prefix(p->wire.data, p->wire.len, http_head_is_chunked(p->head.data, p->head.len),
                                   p->content_encoding, o->prefix, &p->body, &p->cut, &e)) {
                snprintf(p->note, sizeof p->note, "%s", buf_str(&e));
                p->cut = 1;
            }
            p->cut |= r->truncated;
            buf_release(&e);
            rc = 0;
        } else {
            rc = http_decode_response(p->head.data, p->head.len, p->wire.data, p->wire.len, fo.max_body, &p->body,
                                      err);
        }
        if (rc) {
            struct buf m = BUF_INIT;
            buf_printf(&m, "'%s': %s", h->url, buf_str(err));
            buf_seterr(err, "%s", buf_str(&m));
            buf_release(&m);
        }
        fetch_result_free(r);
        break;
    }
    fetch_free(f);
    free(ck);
    return rc;
}

/* The path and query of a canonical URL ("/" when it has none). */
static const char *url_path(const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : NULL;
    return p ? p : "/";
}

int try_robots(const struct try_fetch_opts *o, const char *url, const char *agent, struct buf *out,
               struct buf *err)
{
    char *ru = url_resolve(url, "/robots.txt");
    if (!ru) {
        buf_seterr(err, "'%s' is not an http(s) URL", url);
        return NA_EINVAL;
    }
    /* fetched and judged as the crawl does (robots_from_answer): its first
     * 500 KiB, receiving at most ROBOTS_WIRE_MAX */
    struct try_fetch_opts ro = *o;
    ro.scope = NULL;
    ro.raw = 0;
    ro.max_body = ROBOTS_WIRE_MAX;
    ro.prefix = ROBOTS_MAX_BYTES;
    struct try_page p;
    struct buf e = BUF_INIT;
    try_page_init(&p);
    int rc = try_fetch(&ro, ru, &p, &e);
    /* a redirect that cannot be followed (loop, too many, not http) reads as
     * the crawl reads it: robots.txt unavailable */
    int status = rc == 0 || (rc == NA_EINVAL && policy_is_redirect(p.status)) ? p.status : 0;
    enum robots_source src;
    struct robots *r = robots_from_answer(status, buf_str(&p.body), p.body.len, p.cut, agent, &src);
    if (!r) {
        rc = NA_ENOMEM;
        buf_seterr(err, "out of memory");
        goto done;
    }
    int allowed = robots_allowed(r, url_path(url));
    if (src == ROBOTS_RULES) {
        buf_adds(out, allowed ? "allowed" : "disallowed (a crawl skips this URL)");
        double cd = robots_crawl_delay(r);
        if (cd >= 0)
            buf_printf(out, ", crawl-delay %g s%s", cd, cd > 60 ? " (the crawler waits 60 s at most)" : "");
        if (p.note[0])
            buf_printf(out, "; robots.txt: %s: its first %zu bytes read", p.note, p.body.len);
        else if (p.cut)
            buf_printf(out, "; robots.txt is over %zu KiB: only the first %zu KiB read", ROBOTS_MAX_BYTES >> 10,
                       ROBOTS_MAX_BYTES >> 10);
    } else if (src == ROBOTS_UNAVAILABLE && !policy_is_redirect(status)) {
        buf_printf(out, "allowed (robots.txt answered %d: no rules)", status);
    } else if (src == ROBOTS_UNAVAILABLE) {
        if (rc)
            buf_printf(out, "allowed (robots.txt answered %d: %s: no rules)", status, buf_str(&e));
        else
            buf_printf(out, "allowed (robots.txt answered %d without a usable Location)", status);
    } else if (status) {
        buf_printf(out, "disallowed (robots.txt answered %d: the crawler fetches nothing from this origin this run)",
                   status);
    } else {
        buf_printf(out, "disallowed (robots.txt unreachable: %s: the crawler fetches nothing from this origin this run)",
                   buf_str(&e));
    }
    rc = allowed;
done:
    robots_free(r);
    try_page_release(&p);
    buf_release(&e);
    free(ru);
    return rc;
}

/* ---- site and page kind ---- */

/* 1 if url (canonical) is the listing entry, or a page of it when it holds
 * {n} (*page = n). */
static int listing_match(const char *entry, const char *url, int *page)
{
    *page = 0;
    if (!strstr(entry, "{n}")) {
        char *c = url_canonical(entry);
        int m = c && strcmp(c, url) == 0;
        free(c);
        return m;
    }
    /* Canonicalize with a number in place of {n}, then look for it. */
    struct buf t = BUF_INIT;
    for (const char *p = entry; *p;) {
        const char *q = strstr(p, "{n}");
        if (!q) {
            buf_adds(&t, p);
            break;
        }
        buf_add(&t, p, (size_t)(q - p));
        buf_adds(&t, PAGE_SENTINEL);
        p = q + 3;
    }
    char *c = t.err ? NULL : url_canonical(buf_str(&t));
    buf_release(&t);
    if (!c)
        return 0;
    const char *s = strstr(c, PAGE_SENTINEL);
    int m = 0;
    if (s && !strstr(s + 1, PAGE_SENTINEL)) {
        size_t pre = (size_t)(s - c), suf = strlen(s + strlen(PAGE_SENTINEL)), n = strlen(url);
        if (n > pre + suf && strncmp(url, c, pre) == 0 && strcmp(url + n - suf, s + strlen(PAGE_SENTINEL)) == 0) {
            long v = 0;
            size_t i;
            for (i = pre; i < n - suf && url[i] >= '0' && url[i] <= '9' && v < 100000000; i++)
                v = v * 10 + (url[i] - '0');
            if (i == n - suf && v >= 1) {
                *page = (int)v;
                m = 1;
            }
        }
    }
    free(c);
    return m;
}

static int entry_match(char *const *v, size_t n, const char *url)
{
    for (size_t i = 0; i < n; i++) {
        char *c = url_canonical(v[i]);
        int m = c && strcmp(c, url) == 0;
        free(c);
        if (m)
            return 1;
    }
    return 0;
}

int try_article_pattern(const struct site *s, const char *url)
{
    if (!s)
        return -1;
    for (size_t i = 0; i < s->narticle; i++) {
        if (s->article_re) {
            if (sites_regmatch(&s->article_re[i], url))
                return (int)i;
            continue;
        }
        regex_t re;
        char msg[256];
        if (sites_regcomp(&re, s->article[i], msg, sizeof msg) != 0)
            continue;
        int m = sites_regmatch(&re, url);
        regfree(&re);
        if (m)
            return (int)i;
    }
    return -1;
}

enum try_kind try_page_kind(const struct site *s, const char *url, const char **entry, int *page, int *pattern,
                            char *why, size_t cap)
{
    *entry = NULL;
    *page = 0;
    *pattern = -1;
    if (!s) {
        snprintf(why, cap, "no site: generic rules");
        return TRY_ARTICLE;
    }
    for (size_t i = 0; i < s->nlisting; i++) {
        int pg;
        if (listing_match(s->listing[i], url, &pg)) {
            *entry = s->listing[i];
            *page = pg;
            if (pg)
                snprintf(why, cap, "page %d of listing = %s", pg, s->listing[i]);
            else
                snprintf(why, cap, "listing = %s", s->listing[i]);
            return TRY_LISTING;
        }
    }
    if (entry_match(s->feed, s->nfeed, url)) {
        snprintf(why, cap, "a feed of the site");
        return TRY_FEED;
    }
    if (entry_match(s->sitemap, s->nsitemap, url)) {
        snprintf(why, cap, "a sitemap of the site");
        return TRY_SITEMAP;
    }
    if (s->narticle == 0) {
        snprintf(why, cap, "the site has no article patterns: every page in scope is an article");
        return TRY_ARTICLE;
    }
    *pattern = try_article_pattern(s, url);
    if (*pattern >= 0) {
        snprintf(why, cap, "matches article = %s", s->article[*pattern]);
        return TRY_ARTICLE;
    }
    snprintf(why, cap, "matches none of the site's %zu article pattern%s: taken for a listing page", s->narticle,
             s->narticle > 1 ? "s" : "");
    return TRY_LISTING;
}

struct site *try_pick_site(struct sites_config *cfg, const char *url)
{
    if (!cfg)
        return NULL;
    for (size_t i = 0; i < cfg->nsites; i++) {
        struct site *s = &cfg->sites[i];
        int pg;
        for (size_t k = 0; k < s->nlisting; k++)
            if (listing_match(s->listing[k], url, &pg))
                return s;
        if (entry_match(s->feed, s->nfeed, url) || entry_match(s->sitemap, s->nsitemap, url))
            return s;
        if (s->narticle && url_in_scope(s, url) && try_article_pattern(s, url) >= 0)
            return s;
    }
    for (size_t i = 0; i < cfg->nsites; i++)
        if (url_in_scope(&cfg->sites[i], url))
            return &cfg->sites[i];
    return NULL;
}

/* ---- links ---- */

void try_links_init(struct try_links *l)
{
    memset(l, 0, sizeof *l);
    url_list_init(&l->all, 0);
    url_list_init(&l->sitemaps, 0);
}

void try_links_release(struct try_links *l)
{
    if (!l)
        return;
    url_list_release(&l->all);
    url_list_release(&l->sitemaps);
    free(l->cls);
    free(l->pattern);
    free(l->next);
    free(l->next_template);
    listing_shape_release(&l->shape);
    memset(l, 0, sizeof *l);
}

void try_shape_line(const struct try_links *l, char *out, size_t cap)
{
    const struct listing_shape *sh = &l->shape;
    out[0] = 0;
    if (sh->kind == LISTING_TRS) {
        snprintf(out, cap, "TRS pager: %d pages, %s_{n}.%s (0-based, page 0 is %s.%s; this is page %d)", sh->pages,
                 sh->name, sh->ext, sh->name, sh->ext, sh->current);
    } else if (sh->kind == LISTING_HANWEB) {
        int k = snprintf(out, cap, "Hanweb datastore: %ld records", sh->records);
        if (k > 0 && (size_t)k < cap && sh->total >= 0)
            k += snprintf(out + k, cap - (size_t)k, ", jpage %ld records in %d pages", sh->total, sh->pages);
        if (k > 0 && (size_t)k < cap && sh->next_post)
            snprintf(out + k, cap - (size_t)k, "; next records by POST %s", sh->next_post);
    } else if (sh->kind == LISTING_JSON) {
        snprintf(out, cap, "JSON API: %ld items", sh->records);
    } else if (sh->next_from) {
        snprintf(out, cap, "HTML: next page by %s", sh->next_from);
    }
}

static int classify(const struct site *s, struct try_links *l, struct buf *err)
{
    size_t n = l->all.n ? l->all.n : 1;
    l->cls = na_calloc(n, 1);
    l->pattern = na_calloc(n, sizeof *l->pattern);
    if (!l->cls || !l->pattern) {
        buf_seterr(err, "out of memory");
        return NA_ENOMEM;
    }
    for (size_t i = 0; i < l->all.n; i++) {
        const char *u = l->all.v[i];
        l->pattern[i] = -1;
        if (s && !url_in_scope(s, u)) {
            l->cls[i] = TRY_LINK_OFFSCOPE;
            l->noffscope++;
            continue;
        }
        l->pattern[i] = try_article_pattern(s, u);
        if (!s || s->narticle == 0 || l->pattern[i] >= 0) {
            l->cls[i] = TRY_LINK_ARTICLE;
            l->narticle++;
        } else {
            l->cls[i] = TRY_LINK_OTHER;
            l->nother++;
        }
    }
    return 0;
}

int try_listing(const struct site *s, const char *url, const char *charset, const char *utf8, size_t n,
                const char *tmpl, int page, struct try_links *out, struct buf *err)
{
    /* Every link first (no site: nothing filtered), then the next page as
     * the crawler finds it (in the site's scope). A JSON answer of a site
     * with listing_api paths is read as the crawl reads it. */
    out->all.want_hints = 1;
    size_t sp = 0;
    while (sp < n && (utf8[sp] == ' ' || utf8[sp] == '\n' || utf8[sp] == '\r' || utf8[sp] == '\t'))
        sp++;
    int rc;
    if (s && s->api_items && sp < n && (utf8[sp] == '{' || utf8[sp] == '[')) {
        rc = discover_json(s, url, utf8, n, &out->all, &out->shape, err);
    } else {
        rc = discover_listing_shape(NULL, url, charset, utf8, n, &out->all, s ? NULL : &out->next, &out->shape, err);
        if (!rc && s) {
            listing_shape_release(&out->shape);
            rc = discover_listing_shape(s, url, charset, utf8, n, NULL, &out->next, &out->shape, err);
        }
    }
    if (!rc && tmpl && page >= 1) {
        char *raw = discover_page_url(tmpl, page + 1);
        out->next_template = raw ? url_canonical(raw) : NULL;
        free(raw);
    }
    if (rc)
        return rc;
    return classify(s, out, err);
}

int try_feed(const struct site *s, const char *url, const char *xml, size_t n, int sitemap, struct try_links *out,
             struct buf *err)
{
    int rc = sitemap ? discover_sitemap(NULL, url, xml, n, &out->all, &out->sitemaps, err)
                     : discover_feed(NULL, url, xml, n, &out->all, err);
    if (rc)
        return rc;
    return classify(s, out, err);
}

/* ---- what an article page lost ---- */

/* Length of the whitespace character at p (ASCII, NBSP, ideographic
 * space, zero-width space, BOM), 0 when p is not one. */
static size_t space_len(const unsigned char *p, const unsigned char *end)
{
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
        return 1;
    if (end - p >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
        return 2;
    if (end - p >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
        return 3;
    if (end - p >= 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x8B || p[2] == 0x8C || p[2] == 0x8D))
        return 3;
    if (end - p >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        return 3;
    return 0;
}

/* Appends s without whitespace to out; returns the characters appended. */
static size_t squeeze(const char *s, size_t n, struct buf *out)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    size_t chars = 0;
    while (p < end) {
        size_t k = space_len(p, end);
        if (k) {
            p += k;
            continue;
        }
        const unsigned char *q = p + 1;
        while (q < end && (*q & 0xC0) == 0x80)
            q++;
        buf_add(out, p, (size_t)(q - p));
        chars++;
        p = q;
    }
    return chars;
}

/* Whitespace runs to one space, trimmed, the first max characters with
 * "…" when cut. */
static char *snippet_of(const char *s, size_t n, size_t max)
{
    struct buf b = BUF_INIT;
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    size_t chars = 0;
    int space = 0;
    while (p < end) {
        size_t k = space_len(p, end);
        if (k) {
            space = b.len > 0;
            p += k;
            continue;
        }
        if (chars == max) {
            buf_adds(&b, "…");
            break;
        }
        if (space)
            buf_addc(&b, ' ');
        space = 0;
        const unsigned char *q = p + 1;
        while (q < end && (*q & 0xC0) == 0x80)
            q++;
        buf_add(&b, p, (size_t)(q - p));
        chars++;
        p = q;
    }
    if (b.err) {
        buf_release(&b);
        return NULL;
    }
    char *r = buf_detach(&b, NULL);
    return r;
}

static void describe_path(const struct dom_node *n, int levels, struct buf *b)
{
    const struct dom_node *chain[8];
    int k = 0;
    if (levels > 8)
        levels = 8;
    for (const struct dom_node *p = n; p && p->tag != DOM_TAG_HTML && k < levels; p = p->parent)
        chain[k++] = p;
    if (k == 8)
        buf_adds(b, "… > ");
    while (k-- > 0) {
        clean_describe(chain[k], b);
        if (k)
            buf_adds(b, " > ");
    }
}

static int is_ancestor(const struct dom_node *a, const struct dom_node *n)
{
    for (; n; n = n->parent)
        if (n == a)
            return 1;
    return 0;
}

/* One "drop …" line of the extractor. */
struct drop_entry {
    char *desc;      /* element form (tag#id.class), or NULL for a line */
    char *line;      /* squeezed text of a dropped line (without "…"), or NULL */
    char *reason;
    int used;
};

struct drops {
    struct drop_entry *v;
    size_t n, cap;
};

static void drops_release(struct drops *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].desc);
        free(d->v[i].line);
        free(d->v[i].reason);
    }
    free(d->v);
}

static int drops_add(struct drops *d, char *desc, char *line, char *reason)
{
    /* past TRY_MAX_DROPS the explain list keeps what it has (its reasons
     * repeat long before that); an entry dropped here is only not shown */
    if (!reason || (!desc && !line) || NA_GROW(d->v, d->cap, d->n + 1, TRY_MAX_DROPS))
        goto fail;
    d->v[d->n].desc = desc;
    d->v[d->n].line = line;
    d->v[d->n].reason = reason;
    d->v[d->n].used = 0;
    d->n++;
    return 0;
fail:
    free(desc);
    free(line);
    free(reason);
    return d->n == 4096 ? 0 : NA_ENOMEM;
}

/* Reads the explain lines: the container path and the drops. */
static int read_explain(const char *ex, char **container, struct drops *d)
{
    const char *p = ex ? ex : "";
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        char *line = na_strndup(p, n);
        if (!line)
            return NA_ENOMEM;
        int rc = 0;
        if (strncmp(line, "container ", 10) == 0 && !*container) {
            char *c = strstr(line + 10, ": ");
            if (c && !(*container = na_strndup(line + 10, (size_t)(c - line - 10))))
                rc = NA_ENOMEM;
        } else if (strncmp(line, "drop line '", 11) == 0) {
            char *t = line + 11, *e = strstr(t, "': ");
            if (e) {
                size_t tl = (size_t)(e - t);
                if (tl >= 3 && strncmp(e - 3, "…", 3) == 0)
                    tl -= 3;
                struct buf sq = BUF_INIT;
                squeeze(t, tl, &sq);
                rc = sq.err ? NA_ENOMEM : drops_add(d, NULL, buf_detach(&sq, NULL), na_strdup(e + 3));
                buf_release(&sq);
            }
        } else if (strncmp(line, "drop ", 5) == 0) {
            char *t = line + 5;
            size_t dl = strcspn(t, " ");
            char *r = t + dl;
            if (dl && t[dl - 1] == ':') {
                dl--; /* "drop DESC: REASON" */
                r = strchr(r, ' ');
            } else if (*r == ' ' && r[1] == '(') {
                r = strstr(r, "): ");
                r = r ? r + 2 : NULL;
            } else {
                r = NULL;
            }
            while (r && *r == ' ')
                r++;
            if (r && *r)
                rc = drops_add(d, na_strndup(t, dl), NULL, na_strdup(r));
        }
        free(line);
        if (rc)
            return rc;
        p += n;
        if (*p == '\n')
            p++;
    }
    return 0;
}

/* Text segments (text nodes) below a node. A short one (a tag, a menu
 * item) can occur in the text by chance, so it counts for less. */
#define LONG_SEGMENT 10
struct seg_stat {
    unsigned ltotal, lfound;   /* segments of LONG_SEGMENT characters or more */
    unsigned stotal, sfound;   /* shorter ones (2 characters at least) */
    size_t chars;
};

/* 1 left out, 0 kept, -1 mixed (look inside). */
static int seg_verdict(const struct seg_stat *s)
{
    if (s->lfound == s->ltotal && s->sfound == s->stotal)
        return 0;
    if (s->lfound == 0 && (s->ltotal > 0 || s->sfound * 2 < s->stotal))
        return 1;
    return -1;
}

/* Up to `want` bytes of the text below n, text nodes joined. */
static void block_text(const struct dom_node *n, struct buf *out, size_t want)
{
    if (n->type == DOM_TEXT) {
        buf_add(out, n->text, n->len < want ? n->len : want);
        return;
    }
    for (const struct dom_node *c = n->first; c && out->len < want; c = dom_next(c, n))
        if (c->type == DOM_TEXT) {
            size_t k = c->len;
            if (k > want - out->len)
                k = want - out->len;
            buf_add(out, c->text, k);
            buf_addc(out, ' ');
        }
}

static int skipped_text(const struct dom_node *t)
{
    for (const struct dom_node *p = t->parent; p; p = p->parent)
        if (p->tag == DOM_TAG_SCRIPT || p->tag == DOM_TAG_STYLE || p->tag == DOM_TAG_TEMPLATE ||
            p->tag == DOM_TAG_HEAD)
            return 1;
    return 0;
}

struct analyze {
    struct dom *d;
    struct try_analysis *x;
    struct seg_stat *st;
    struct drops drops;
    const struct dom_node *container;
    const struct article *a;
    size_t cap;
};

/* The reason for a left-out block, from the extractor's drops. */
static char *block_reason(struct analyze *z, const struct dom_node *n, const char *squeezed)
{
    struct buf b = BUF_INIT;
    /* The element itself, then the first dropped element inside it. */
    for (const struct dom_node *c = n; c && n->type == DOM_ELEMENT; c = dom_next(c, n)) {
        if (c->type != DOM_ELEMENT)
            continue;
        buf_reset(&b);
        clean_describe(c, &b);
        for (size_t i = 0; i < z->drops.n; i++) {
            struct drop_entry *e = &z->drops.v[i];
            if (e->used || !e->desc || strcmp(e->desc, buf_str(&b)) != 0)
                continue;
            e->used = 1;
            struct buf m = BUF_INIT;
            if (c == n)
                buf_adds(&m, e->reason);
            else
                buf_printf(&m, "%s inside: %s", buf_str(&b), e->reason);
            char *r = m.err ? NULL : buf_detach(&m, NULL);
            buf_release(&m);
            buf_release(&b);
            return r;
        }
    }
    buf_release(&b);
    /* Dropped lines of the block's text: every one, in order. */
    size_t sl = strlen(squeezed);
    struct buf why = BUF_INIT;
    for (size_t i = 0; i < z->drops.n && sl >= 2; i++) {
        struct drop_entry *e = &z->drops.v[i];
        if (e->used || !e->line || !*e->line)
            continue;
        if (strstr(squeezed, e->line) || strncmp(e->line, squeezed, sl) == 0) {
            e->used = 1;
            if (why.len)
                buf_adds(&why, "; ");
            buf_adds(&why, e->reason);
        }
    }
    if (why.len || why.err) {
        char *r = why.err ? NULL : buf_detach(&why, NULL);
        buf_release(&why);
        return r;
    }
    if (z->a->title && sl) {
        struct buf t = BUF_INIT;
        squeeze(z->a->title, strlen(z->a->title), &t);
        int same = strcmp(buf_str(&t), squeezed) == 0;
        buf_release(&t);
        if (same)
            return na_strdup("the headline (kept as the title)");
    }
    if (z->container)
        return na_strdup(is_ancestor(z->container, n) ? "not in the text" : "outside the container");
    return na_strdup("not in the text");
}

static int report(struct analyze *z, const struct dom_node *n)
{
    struct try_analysis *x = z->x;
    if (x->nblocks == TRY_MAX_BLOCKS) {
        x->truncated = 1;
        return 0;
    }
    int grc = NA_GROW(x->blocks, z->cap, x->nblocks + 1, TRY_MAX_BLOCKS);
    if (grc)
        return grc;
    struct try_block *b = &x->blocks[x->nblocks];
    memset(b, 0, sizeof *b);
    struct buf path = BUF_INIT, text = BUF_INIT, sq = BUF_INIT;
    const struct dom_node *e = n->type == DOM_ELEMENT ? n : n->parent;
    describe_path(e, 3, &path);
    if (n->type != DOM_ELEMENT)
        buf_adds(&path, " > text");
    block_text(n, &text, 4096);
    squeeze(text.data ? text.data : "", text.len, &sq);
    b->chars = n->index < z->d->nnodes ? z->st[n->index].chars : 0;
    b->in_container = z->container ? is_ancestor(z->container, n) : -1;
    b->path = path.err ? NULL : buf_detach(&path, NULL);
    b->snippet = snippet_of(text.data ? text.data : "", text.len, TRY_SNIPPET_CHARS);
    b->reason = sq.err ? NULL : block_reason(z, n, buf_str(&sq));
    buf_release(&path);
    buf_release(&text);
    buf_release(&sq);
    x->nblocks++;
    if (!b->path || !b->snippet || !b->reason)
        return NA_ENOMEM;
    return 0;
}

struct rule_ud {
    struct buf *first;
    int n;
};

static void rule_match(struct dom_node *n, void *ud)
{
    struct rule_ud *r = ud;
    if (r->n++ == 0)
        describe_path(n, 3, r->first);
}

static int report_rules(struct dom *d, const struct rules *ru, struct try_analysis *x)
{
    const char *keys[TRY_MAX_RULES];
    const char *xp[TRY_MAX_RULES];
    int str[TRY_MAX_RULES];
    size_t n = 0;
    if (ru->container) {
        keys[n] = "xpath_container", xp[n] = ru->container, str[n++] = 0;
    }
    for (size_t i = 0; i < ru->ndrop && i < RULES_MAX_DROP; i++)
        if (ru->drop[i])
            keys[n] = "xpath_drop", xp[n] = ru->drop[i], str[n++] = 0;
    if (ru->title)
        keys[n] = "xpath_title", xp[n] = ru->title, str[n++] = 1;
    if (ru->date)
        keys[n] = "xpath_date", xp[n] = ru->date, str[n++] = 1;
    if (ru->author)
        keys[n] = "xpath_author", xp[n] = ru->author, str[n++] = 1;
    for (size_t i = 0; i < n; i++) {
        struct try_rule_report *r = &x->rules[x->nrules++];
        struct buf v = BUF_INIT, err = BUF_INIT;
        r->key = keys[i];
        r->xpath = xp[i];
        int rc;
        if (str[i]) {
            rc = rules_string(d, xp[i], &v, &err);
            r->matches = rc == 0 ? 1 : rc == NA_ENOTFOUND ? 0 : rc;
            if (rc == 0) {
                char *s = snippet_of(buf_str(&v), v.len, 200);
                buf_reset(&v);
                if (s)
                    buf_adds(&v, s);
                free(s);
            }
        } else {
            struct rule_ud ud = { &v, 0 };
            rc = rules_select(d, xp[i], rule_match, &ud, &err);
            r->matches = rc < 0 ? rc : ud.n;
        }
        if (rc < 0 && rc != NA_ENOTFOUND) {
            buf_reset(&v);
            buf_adds(&v, err.len ? buf_str(&err) : na_strerror(rc));
        }
        r->value = v.err ? NULL : buf_detach(&v, NULL);
        buf_release(&v);
        buf_release(&err);
        if (!r->value)
            return NA_ENOMEM;
    }
    return 0;
}

void try_analysis_release(struct try_analysis *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->nblocks; i++) {
        free(x->blocks[i].path);
        free(x->blocks[i].snippet);
        free(x->blocks[i].reason);
    }
    free(x->blocks);
    free(x->container);
    for (size_t i = 0; i < x->nrules; i++)
        free(x->rules[i].value);
    memset(x, 0, sizeof *x);
}

/* Finds the element whose clean.c path is `path`. */
static const struct dom_node *find_container(struct dom *d, const char *path)
{
    struct buf b = BUF_INIT;
    const struct dom_node *hit = NULL;
    for (const struct dom_node *n = d->root; n && !hit; n = dom_next(n, d->root)) {
        if (n->type != DOM_ELEMENT)
            continue;
        buf_reset(&b);
        describe_path(n, 8, &b);
        if (!b.err && strcmp(buf_str(&b), path) == 0)
            hit = n;
    }
    buf_release(&b);
    return hit;
}

int try_analyze_dom(struct dom *d, const struct article *a, const struct rules *rules, struct try_analysis *out,
                    struct buf *err)
{
    struct analyze z;
    memset(&z, 0, sizeof z);
    memset(out, 0, sizeof *out);
    z.x = out;
    z.a = a;
    z.d = d;
    struct buf kept = BUF_INIT, seg = BUF_INIT;
    int rc = NA_ENOMEM;
    if (read_explain(buf_str(&a->explain), &out->container, &z.drops))
        goto nomem;
    if (out->container && (z.container = find_container(z.d, out->container)))
        out->container_found = 1;
    if (rules && report_rules(z.d, rules, out))
        goto nomem;

    squeeze(a->text ? a->text : "", a->text ? strlen(a->text) : 0, &kept);
    if (kept.err)
        goto nomem;
    if (!(z.st = na_calloc(z.d->nnodes ? z.d->nnodes : 1, sizeof *z.st)))
        goto nomem;
    const struct dom_node *top = z.d->body ? z.d->body : z.d->root;
    size_t segs = 0;
    for (const struct dom_node *t = top; t; t = dom_next(t, top)) {
        if (t->type != DOM_TEXT || skipped_text(t))
            continue;
        if (++segs > TRY_MAX_SEGMENTS) {
            out->truncated = 1;
            break;
        }
        buf_reset(&seg);
        size_t chars = squeeze(t->text, t->len, &seg);
        if (seg.err)
            goto nomem;
        if (chars < 2)
            continue;
        unsigned found = memmem(buf_str(&kept), kept.len, seg.data, seg.len) != NULL;
        int lng = chars >= LONG_SEGMENT;
        for (const struct dom_node *p = t; p; p = p->parent) {
            if (p->index >= z.d->nnodes)
                continue;
            struct seg_stat *st = &z.st[p->index];
            if (lng) {
                st->ltotal++;
                st->lfound += found;
            } else {
                st->stotal++;
                st->sfound += found;
            }
            st->chars += chars;
            if (p == top)
                break;
        }
    }
    for (const struct dom_node *x = top; x;) {
        int v = x->index < z.d->nnodes ? seg_verdict(&z.st[x->index]) : 0;
        /* Beside the container nothing is text unless the extractor joined
         * it (then long segments are found): short matches are chance. */
        if (v == -1 && z.container && !is_ancestor(z.container, x) && !is_ancestor(x, z.container) &&
            z.st[x->index].lfound == 0)
            v = 1;
        if (v == 0) {
            x = x == top ? NULL : dom_next_skip(x, top);
        } else if (v == 1 && x != top) {
            if (report(&z, x))
                goto nomem;
            x = dom_next_skip(x, top);
        } else {
            x = dom_next(x, top);
        }
    }
    rc = 0;
    goto done;
nomem:
    buf_seterr(err, "out of memory");
done:
    drops_release(&z.drops);
    free(z.st);
    buf_release(&kept);
    buf_release(&seg);
    if (rc)
        try_analysis_release(out);
    return rc;
}

int try_analyze(const char *utf8, size_t n, const struct article *a, const struct rules *rules,
                struct try_analysis *out, struct buf *err)
{
    struct dom *d = NULL;
    memset(out, 0, sizeof *out);
    int rc = dom_parse(utf8, n, NULL, &d, err);
    if (!rc)
        rc = try_analyze_dom(d, a, rules, out, err);
    dom_free(d);
    return rc;
}
