/* robots.c — robots.txt per RFC 9309: the groups whose user-agent product
 * token equals ours (case-insensitive) are merged, else the '*' groups, else
 * everything is allowed (2.2.1); Allow/Disallow paths with '*' and '$'
 * (2.2.3), the longest pattern wins and Allow wins a tie (2.2.2); paths are
 * compared after percent-encoding normalization (2.2.2); at most 500 KiB are
 * parsed (2.5). Crawl-delay and Sitemap lines are read as well. */
#include "crawler/robots.h"
#include "util/buf.h"
#include "util/mem.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ROBOTS_MAX_BYTES (500u * 1024u)
#define ROBOTS_MAX_SITEMAPS 1000
#define ROBOTS_MAX_PATTERN 2048

struct rule {
    int allow;
    size_t off, len; /* normalized pattern in robots.pat */
};

struct rule_set {
    struct rule *v;
    size_t n, cap;
    double crawl_delay; /* -1: none */
    int seen;           /* a group of this kind exists (even without rules) */
};

struct robots {
    struct buf pat;            /* all normalized patterns, back to back */
    struct rule_set chosen;    /* the rules that apply to us */
    char **sitemaps;
    size_t nsitemaps;
};

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int unreserved(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

/* RFC 9309 2.2.2: octets outside US-ASCII are percent-encoded, escapes of
 * unreserved characters decoded, the other escapes upper case; reserved
 * characters (including '*' and '$') stay as they are. */
static void normalize(const char *s, size_t n, struct buf *out)
{
    static const char hx[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
            hexval((unsigned char)s[i + 2]) >= 0) {
            int v = hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]);
            if (unreserved(v)) {
                buf_addc(out, (char)v);
            } else {
                buf_addc(out, '%');
                buf_addc(out, hx[v >> 4]);
                buf_addc(out, hx[v & 15]);
            }
            i += 2;
        } else if (c >= 0x80 || c <= 0x20 || c == 0x7f) {
            buf_addc(out, '%');
            buf_addc(out, hx[c >> 4]);
            buf_addc(out, hx[c & 15]);
        } else {
            buf_addc(out, (char)c);
        }
    }
}

/* Does path match pattern (anchored at the start; '*' any run, a final '$'
 * the end)? The set of reachable path positions is carried along the
 * pattern (Google's robotstxt approach): O(pattern * path), no recursion. */
static int pattern_match(const char *path, size_t plen, const char *pat, size_t n, size_t *pos)
{
    size_t npos = 1;
    pos[0] = 0;
    for (size_t i = 0; i < n; i++) {
        char c = pat[i];
        if (c == '$' && i + 1 == n)
            return pos[npos - 1] == plen;
        if (c == '*') {
            size_t first = pos[0];
            npos = plen - first + 1;
            for (size_t k = 0; k < npos; k++)
                pos[k] = first + k;
            continue;
        }
        size_t m = 0;
        for (size_t k = 0; k < npos; k++)
            if (pos[k] < plen && path[pos[k]] == c)
                pos[m++] = pos[k] + 1;
        if (m == 0)
            return 0;
        npos = m;
    }
    return 1;
}

static int set_add(struct rule_set *s, int allow, size_t off, size_t len)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct rule *v = na_realloc(s->v, cap * sizeof *v);
        if (!v)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n].allow = allow;
    s->v[s->n].off = off;
    s->v[s->n].len = len;
    s->n++;
    return 0;
}

/* The product token at the start of s: [A-Za-z_-]+ (RFC 9309 2.2.1). */
static size_t product_token(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' || s[i] == '-'))
        i++;
    return i;
}

enum key { K_OTHER, K_UA, K_ALLOW, K_DISALLOW, K_DELAY, K_SITEMAP };

static enum key line_key(const char *k, size_t n)
{
    static const struct { const char *name; enum key key; } names[] = {
        { "user-agent", K_UA }, { "useragent", K_UA }, { "user agent", K_UA },
        { "allow", K_ALLOW },
        { "disallow", K_DISALLOW }, { "dissallow", K_DISALLOW }, { "dissalow", K_DISALLOW },
        { "disalow", K_DISALLOW }, { "diasllow", K_DISALLOW }, { "disallaw", K_DISALLOW },
        { "crawl-delay", K_DELAY }, { "crawldelay", K_DELAY },
        { "sitemap", K_SITEMAP }, { "site-map", K_SITEMAP },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == n && strncasecmp(names[i].name, k, n) == 0)
            return names[i].key;
    return K_OTHER;
}

static struct robots *robots_empty(void)
{
    struct robots *r = na_calloc(1, sizeof *r);
    if (!r)
        return NULL;
    buf_init(&r->pat, 0);
    r->chosen.crawl_delay = -1;
    return r;
}

struct robots *robots_parse(const char *body, size_t n, const char *agent)
{
    struct robots *r = robots_empty();
    if (!r)
        return NULL;
    if (!body)
        n = 0;
    if (n > ROBOTS_MAX_BYTES)
        n = ROBOTS_MAX_BYTES;
    size_t agent_len = agent ? product_token(agent, strlen(agent)) : 0;

    /* Two candidate sets: the groups naming our token, and the '*' groups. */
    struct rule_set mine = { NULL, 0, 0, -1, 0 }, star = { NULL, 0, 0, -1, 0 };
    int in_ua_run = 0;           /* the previous record was a user-agent line */
    int cur_mine = 0, cur_star = 0, cur_group = 0;
    struct buf tmp;
    buf_init(&tmp, ROBOTS_MAX_PATTERN * 3 + 16);
    size_t i = 0;
    if (n >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n) {
        size_t st = i;
        while (i < n && body[i] != '\n' && body[i] != '\r')
            i++;
        size_t end = i;
        while (i < n && (body[i] == '\n' || body[i] == '\r'))
            i++;
        const char *hash = memchr(body + st, '#', end - st);
        if (hash)
            end = (size_t)(hash - body);
        const char *line = body + st;
        size_t len = end - st;
        const char *colon = memchr(line, ':', len);
        if (!colon)
            continue; /* unparseable lines are ignored (2.2) */
        size_t kn = (size_t)(colon - line);
        while (kn && (line[kn - 1] == ' ' || line[kn - 1] == '\t'))
            kn--;
        size_t ks = 0;
        while (ks < kn && (line[ks] == ' ' || line[ks] == '\t'))
            ks++;
        const char *v = colon + 1;
        size_t vn = (size_t)(line + len - v);
        while (vn && (*v == ' ' || *v == '\t')) {
            v++;
            vn--;
        }
        while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
            vn--;
        enum key key = line_key(line + ks, kn - ks);
        switch (key) {
        case K_UA: {
            if (!in_ua_run) {
                cur_mine = cur_star = 0;
                cur_group = 1;
            }
            in_ua_run = 1;
            size_t tn = product_token(v, vn);
            if (vn >= 1 && v[0] == '*' && (vn == 1 || v[1] == ' ' || v[1] == '\t')) {
                cur_star = 1;
                star.seen = 1;
            } else if (tn && agent_len && tn == agent_len && strncasecmp(v, agent, tn) == 0) {
                cur_mine = 1;
                mine.seen = 1;
            }
            break;
        }
        case K_ALLOW:
        case K_DISALLOW: {
            in_ua_run = 0;
            if (!cur_group || (!cur_mine && !cur_star))
                break;
            if (vn == 0)
                break; /* "Disallow:" matches nothing */
            if (vn > ROBOTS_MAX_PATTERN)
                break;
            buf_reset(&tmp);
            if (v[0] != '/' && v[0] != '*')
                buf_addc(&tmp, '/'); /* "Disallow: page" reads as "/page" */
            normalize(v, vn, &tmp);
            if (tmp.err)
                goto oom;
            size_t off = r->pat.len;
            if (buf_add(&r->pat, tmp.data, tmp.len))
                goto oom;
            if (cur_mine && set_add(&mine, key == K_ALLOW, off, tmp.len))
                goto oom;
            if (!cur_mine && cur_star && set_add(&star, key == K_ALLOW, off, tmp.len))
                goto oom;
            break;
        }
        case K_DELAY: {
            in_ua_run = 0;
            if (!cur_group || (!cur_mine && !cur_star) || vn == 0 || vn > 32)
                break;
            char num[40];
            memcpy(num, v, vn);
            num[vn] = 0;
            char *e;
            errno = 0;
            double d = strtod(num, &e);
            if (errno || e == num || !isfinite(d) || d < 0)
                break;
            struct rule_set *s = cur_mine ? &mine : &star;
            if (s->crawl_delay < 0)
                s->crawl_delay = d;
            break;
        }
        case K_SITEMAP: {
            /* Not part of any group (2.2.4); does not end a user-agent run. */
            if (vn == 0 || vn > 2048 || r->nsitemaps >= ROBOTS_MAX_SITEMAPS)
                break;
            char **sv = na_realloc(r->sitemaps, (r->nsitemaps + 1) * sizeof *sv);
            if (!sv)
                goto oom;
            r->sitemaps = sv;
            if (!(sv[r->nsitemaps] = na_strndup(v, vn)))
                goto oom;
            r->nsitemaps++;
            break;
        }
        case K_OTHER:
            /* Unknown records neither start nor end a group. */
            break;
        }
    }
    buf_release(&tmp);
    if (mine.seen) {
        r->chosen = mine;
        free(star.v);
    } else {
        r->chosen = star;
        free(mine.v);
    }
    return r;
oom:
    buf_release(&tmp);
    free(mine.v);
    free(star.v);
    robots_free(r);
    return NULL;
}

struct robots *robots_allow_all(void)
{
    return robots_empty();
}

struct robots *robots_disallow_all(void)
{
    struct robots *r = robots_empty();
    if (!r)
        return NULL;
    r->chosen.seen = 1;
    if (buf_addc(&r->pat, '/') || set_add(&r->chosen, 0, 0, 1)) {
        robots_free(r);
        return NULL;
    }
    return r;
}

void robots_free(struct robots *r)
{
    if (!r)
        return;
    buf_release(&r->pat);
    free(r->chosen.v);
    for (size_t i = 0; i < r->nsitemaps; i++)
        free(r->sitemaps[i]);
    free(r->sitemaps);
    free(r);
}

int robots_allowed(const struct robots *r, const char *path)
{
    if (!r || r->chosen.n == 0)
        return 1;
    if (!path || !*path)
        path = "/";
    if (strcmp(path, "/robots.txt") == 0)
        return 1; /* implicitly allowed (2.2.2) */
    struct buf p;
    buf_init(&p, 3 * 8192 + 16);
    size_t n = strlen(path);
    if (n > 8192)
        n = 8192;
    if (path[0] != '/')
        buf_addc(&p, '/');
    normalize(path, n, &p);
    if (p.err) {
        buf_release(&p);
        return 0; /* out of memory: be conservative */
    }
    size_t *pos = na_malloc((p.len + 1) * sizeof *pos);
    if (!pos) {
        buf_release(&p);
        return 0;
    }
    long best = -1;
    int best_allow = 1;
    for (size_t i = 0; i < r->chosen.n; i++) {
        const struct rule *ru = &r->chosen.v[i];
        if ((long)ru->len < best || ((long)ru->len == best && best_allow))
            continue;
        if (pattern_match(p.data, p.len, r->pat.data + ru->off, ru->len, pos)) {
            if ((long)ru->len > best || ru->allow) {
                best = (long)ru->len;
                best_allow = ru->allow;
            }
        }
    }
    free(pos);
    buf_release(&p);
    return best < 0 ? 1 : best_allow;
}

double robots_crawl_delay(const struct robots *r)
{
    return r ? r->chosen.crawl_delay : -1;
}

size_t robots_sitemaps(const struct robots *r, const char *const **out)
{
    if (!r) {
        *out = NULL;
        return 0;
    }
    *out = (const char *const *)r->sitemaps;
    return r->nsitemaps;
}
