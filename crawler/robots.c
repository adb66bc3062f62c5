/* robots.c — robots.txt per RFC 9309: the groups whose user-agent product
 * token equals ours (case-insensitive) are merged, else the '*' groups, else
 * everything is allowed (2.2.1); Allow/Disallow paths with '*' and '$'
 * (2.2.3), the longest pattern wins and Allow wins a tie (2.2.2); paths are
 * compared after percent-encoding normalization (2.2.2); at most 500 KiB are
 * parsed (2.5). Crawl-delay and Sitemap lines are read as well. */
#include "crawler/robots.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ROBOTS_MAX_PATTERN 2048
/* Rules kept of one robots.txt: a rule line takes at least 8 bytes
 * ("allow:/" and its line break), so the ROBOTS_MAX_BYTES read hold fewer;
 * the cap only bounds the arithmetic. Were it met, robots_parse would fail
 * (NULL) rather than drop a Disallow. */
#define ROBOTS_MAX_RULES (ROBOTS_MAX_BYTES / 7)

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
    size_t nsitemaps, sitemaps_cap;
    size_t sitemaps_dropped;   /* Sitemap: lines past ROBOTS_MAX_SITEMAPS */
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
 * characters stay as they are, except '*' and '$' when literal (2.2.3: "%2A"
 * and "%24" in a pattern match a '*' and '$' of the URL): a path (pattern = 0)
 * encodes every '*' and '$', a pattern (pattern = 1) only a '$' that is not
 * its last octet (the end anchor); its '*' stay wildcards. */
static void normalize(const char *s, size_t n, int pattern, struct buf *out)
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
        } else if (c >= 0x80 || c <= 0x20 || c == 0x7f || (!pattern && (c == '*' || c == '$')) ||
                   (pattern && c == '$' && i + 1 < n)) {
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
    if (NA_GROW(s->v, s->cap, s->n + 1, ROBOTS_MAX_RULES))
        return -1;
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

/* The record of one line (comment cut): key and value, trimmed. A line
 * without a colon is read as Google's parser reads it: whitespace stands for
 * the colon when the line has exactly two words ("disallow /"). 0 when the
 * line holds no record (2.2: such lines are ignored). */
static int split_record(const char *line, size_t len, struct slice *key, struct slice *val)
{
    while (len && (*line == ' ' || *line == '\t')) {
        line++;
        len--;
    }
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    const char *sep = memchr(line, ':', len), *v;
    if (sep) {
        v = sep + 1;
    } else {
        sep = line;
        while (sep < line + len && *sep != ' ' && *sep != '\t')
            sep++;
        if (sep == line + len)
            return 0; /* one word */
        v = sep;
        while (*v == ' ' || *v == '\t')
            v++;
        for (const char *q = v; q < line + len; q++)
            if (*q == ' ' || *q == '\t')
                return 0; /* three words or more */
    }
    size_t kn = (size_t)(sep - line), vn = (size_t)(line + len - v);
    while (kn && (line[kn - 1] == ' ' || line[kn - 1] == '\t'))
        kn--;
    while (vn && (*v == ' ' || *v == '\t')) {
        v++;
        vn--;
    }
    *key = slice_make(line, kn);
    *val = slice_make(v, vn);
    return 1;
}

/* The state of one parse: the groups seen so far, merged into the two
 * candidate sets (the groups naming our token, and the '*' groups). */
struct parser {
    struct robots *r;
    const char *agent;
    size_t agent_len;
    struct rule_set mine, star;
    int in_group;      /* a user-agent line was seen */
    int in_ua_run;     /* no rule line since the last user-agent line */
    int cur_mine, cur_star;
    double cur_delay;  /* the first Crawl-delay of the current group, -1: none */
    struct buf tmp;
};

/* The current group ends (a user-agent line after a rule, or the end): its
 * Crawl-delay goes to the sets it named, the first one given winning. */
static void group_end(struct parser *ps)
{
    if (ps->cur_delay >= 0) {
        if (ps->cur_mine && ps->mine.crawl_delay < 0)
            ps->mine.crawl_delay = ps->cur_delay;
        if (ps->cur_star && ps->star.crawl_delay < 0)
            ps->star.crawl_delay = ps->cur_delay;
    }
    ps->cur_mine = ps->cur_star = 0;
    ps->cur_delay = -1;
}

/* RFC 9309 2.1/2.2.1: consecutive user-agent lines start one group; only a
 * rule line (Allow/Disallow) separates two groups (as in Google's parser:
 * Crawl-delay, Sitemap and unknown lines neither end nor start one). */
static void on_user_agent(struct parser *ps, const char *v, size_t vn)
{
    if (!ps->in_ua_run)
        group_end(ps);
    ps->in_group = ps->in_ua_run = 1;
    size_t tn = product_token(v, vn);
    if (vn >= 1 && v[0] == '*' && (vn == 1 || v[1] == ' ' || v[1] == '\t')) {
        ps->cur_star = 1;
        ps->star.seen = 1;
    } else if (tn && ps->agent_len && tn == ps->agent_len && strncasecmp(v, ps->agent, tn) == 0) {
        ps->cur_mine = 1;
        ps->mine.seen = 1;
    }
}

static int on_rule(struct parser *ps, int allow, const char *v, size_t vn)
{
    ps->in_ua_run = 0;
    if (!ps->in_group || (!ps->cur_mine && !ps->cur_star))
        return 0;
    if (vn == 0 || vn > ROBOTS_MAX_PATTERN)
        return 0; /* "Disallow:" matches nothing */
    struct buf *tmp = &ps->tmp;
    buf_reset(tmp);
    if (v[0] != '/' && v[0] != '*')
        buf_addc(tmp, '/'); /* "Disallow: page" reads as "/page" */
    normalize(v, vn, 1, tmp);
    if (tmp->err)
        return -1;
    size_t off = ps->r->pat.len;
    if (buf_add(&ps->r->pat, tmp->data, tmp->len))
        return -1;
    if (ps->cur_mine && set_add(&ps->mine, allow, off, tmp->len))
        return -1;
    if (!ps->cur_mine && ps->cur_star && set_add(&ps->star, allow, off, tmp->len))
        return -1;
    return 0;
}

static void on_delay(struct parser *ps, const char *v, size_t vn)
{
    if (!ps->in_group || ps->cur_delay >= 0 || vn == 0 || vn > 32)
        return;
    char num[40];
    memcpy(num, v, vn);
    num[vn] = 0;
    char *e;
    errno = 0;
    double d = strtod(num, &e);
    if (!errno && e != num && isfinite(d) && d >= 0)
        ps->cur_delay = d;
}

/* Not part of any group (2.2.4). A value with a control character (a NUL
 * among them) is no URL: skipped. */
static int on_sitemap(struct robots *r, const char *v, size_t vn)
{
    if (vn == 0 || vn > 2048)
        return 0;
    for (size_t i = 0; i < vn; i++)
        if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
            return 0;
    int rc = NA_GROW(r->sitemaps, r->sitemaps_cap, r->nsitemaps + 1, ROBOTS_MAX_SITEMAPS);
    if (rc == NA_ETOOBIG) {
        r->sitemaps_dropped++;
        return 0;
    }
    if (rc || !(r->sitemaps[r->nsitemaps] = na_strndup(v, vn)))
        return -1;
    r->nsitemaps++;
    return 0;
}

size_t robots_whole_lines(const char *body, size_t n)
{
    while (n && body[n - 1] != '\n' && body[n - 1] != '\r')
        n--;
    return n;
}

struct robots *robots_parse(const char *body, size_t n, const char *agent)
{
    struct parser ps;
    memset(&ps, 0, sizeof ps);
    if (!(ps.r = robots_empty()))
        return NULL;
    if (!body)
        n = 0;
    if (n > ROBOTS_MAX_BYTES)
        n = robots_whole_lines(body, ROBOTS_MAX_BYTES); /* a line cut in two is dropped */
    ps.agent = agent;
    ps.agent_len = agent ? product_token(agent, strlen(agent)) : 0;
    ps.mine.crawl_delay = ps.star.crawl_delay = ps.cur_delay = -1;
    buf_init(&ps.tmp, ROBOTS_MAX_PATTERN * 3 + 16);
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
        struct slice k, v;
        if (!split_record(body + st, end - st, &k, &v))
            continue;
        int rc = 0;
        switch (line_key(k.p, k.n)) {
        case K_UA: on_user_agent(&ps, v.p, v.n); break;
        case K_ALLOW: rc = on_rule(&ps, 1, v.p, v.n); break;
        case K_DISALLOW: rc = on_rule(&ps, 0, v.p, v.n); break;
        case K_DELAY: on_delay(&ps, v.p, v.n); break;
        case K_SITEMAP: rc = on_sitemap(ps.r, v.p, v.n); break;
        case K_OTHER: break; /* unknown records neither start nor end a group */
        }
        if (rc)
            goto oom;
    }
    group_end(&ps);
    buf_release(&ps.tmp);
    if (ps.mine.seen) {
        ps.r->chosen = ps.mine;
        free(ps.star.v);
    } else {
        ps.r->chosen = ps.star;
        free(ps.mine.v);
    }
    return ps.r;
oom:
    buf_release(&ps.tmp);
    free(ps.mine.v);
    free(ps.star.v);
    robots_free(ps.r);
    return NULL;
}

struct robots *robots_from_answer(int status, const char *text, size_t n, int cut, const char *agent,
                                  enum robots_source *src)
{
    if (status >= 200 && status < 300) {
        *src = ROBOTS_RULES;
        if (cut && text)
            n = robots_whole_lines(text, n < ROBOTS_MAX_BYTES ? n : ROBOTS_MAX_BYTES);
        return robots_parse(text, n, agent);
    }
    if (status >= 300 && status < 500) {
        *src = ROBOTS_UNAVAILABLE; /* 2.3.1.2 (a redirect not followed), 2.3.1.3 */
        return robots_allow_all();
    }
    *src = ROBOTS_UNREACHABLE; /* 2.3.1.4: no answer, 5xx */
    return robots_disallow_all();
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
    normalize(path, n, 0, &p);
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

size_t robots_sitemaps_dropped(const struct robots *r) { return r ? r->sitemaps_dropped : 0; }
