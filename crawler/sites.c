/* sites.c — reads sites.conf with inih into struct sites_config: one table of
 * keys (name, section, type, field, range) drives parsing, validation and
 * the dump of `newsarc check-config`. Errors are "FILE:LINE: message" with
 * the key and the bad value quoted; unknown keys are errors. Every key is
 * documented in docs/sites.conf.5. */
#include "crawler/sites.h"
#include "crawler/url.h"
#include "parser/charset.h"
#include "util/err.h"
#include "util/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

enum kind {
    K_STR,      /* plain string (archive) */
    K_UA,       /* user agent: must name a contact */
    K_INT,      /* integer in [min, max] */
    K_DUR,      /* seconds, "2", "0.5", "1500ms" */
    K_SIZE,     /* bytes with K/M/G/T suffixes */
    K_BOOL,     /* yes/no */
    K_RESOLVE,  /* HOST:PORT:ADDR, list */
    K_URLS,     /* absolute http(s) URLs, list (feed, sitemap) */
    K_LISTING,  /* like K_URLS, may hold {n} */
    K_REGEX,    /* POSIX ERE, list */
    K_HOSTS,    /* host names, list */
    K_PREFIX,   /* path prefixes, list */
    K_CHARSET,  /* an encoding label */
    K_XPATH,    /* one XPath expression */
    K_XPATHS,   /* XPath list (xpath_drop) */
    K_SCHED,    /* retry schedule: durations "1h 6h 1d 3d" (or "none") */
    K_PATH,     /* a file name, made absolute from the config's folder (ca_file, proxy_auth_file) */
    K_PROXY,    /* proxy URL: http, https, socks4(a), socks5(h); "none" */
    K_ENVNAME,  /* an environment variable's name */
    K_ALERT,    /* alert_after: "14d", "36h", "10 runs", "off" (struct site only) */
    K_REQUISITES, /* requisites: none or images (struct site only) */
};

enum where { W_GLOBAL = 1, W_SITE = 2 };

struct keydef {
    const char *name;
    enum where where;
    enum kind kind;
    size_t off;   /* the field (char *, int, double, uint64_t, char *[]) */
    size_t noff;  /* the count of a list (size_t) */
    size_t cap;   /* entries a list holds */
    double min, max;
};

#define G(f) W_GLOBAL, offsetof(struct sites_config, f)
#define S(f) W_SITE, offsetof(struct site, f)
#define GL(f) offsetof(struct sites_config, f), offsetof(struct sites_config, n##f), SITES_MAX_LIST
#define SL(f) offsetof(struct site, f), offsetof(struct site, n##f), SITES_MAX_LIST

static const struct keydef keys[] = {
    { "archive", W_GLOBAL, K_STR, offsetof(struct sites_config, archive), 0, 0, 0, 0 },
    { "user_agent", W_GLOBAL, K_UA, offsetof(struct sites_config, user_agent), 0, 0, 0, 0 },
    { "concurrency", W_GLOBAL, K_INT, offsetof(struct sites_config, concurrency), 0, 0, 1, 1024 },
    { "per_host_connections", W_GLOBAL, K_INT, offsetof(struct sites_config, per_host_connections), 0, 0, 1, 64 },
    { "delay", W_GLOBAL, K_DUR, offsetof(struct sites_config, delay), 0, 0, 0, 3600 },
    { "connect_timeout", W_GLOBAL, K_DUR, offsetof(struct sites_config, connect_timeout), 0, 0, 0.001, 3600 },
    { "timeout", W_GLOBAL, K_DUR, offsetof(struct sites_config, timeout), 0, 0, 0.001, 86400 },
    { "low_speed_time", W_GLOBAL, K_DUR, offsetof(struct sites_config, low_speed_time), 0, 0, 1, 86400 },
    { "max_page_size", W_GLOBAL, K_SIZE, offsetof(struct sites_config, max_page_size), 0, 0, 1024.0, 1073741824.0 },
    { "retries", W_GLOBAL, K_INT, offsetof(struct sites_config, retries), 0, 0, 0, 20 },
    { "retry_backoff", W_GLOBAL, K_DUR, offsetof(struct sites_config, retry_backoff), 0, 0, 0.01, 600 },
    { "max_redirects", W_GLOBAL, K_INT, offsetof(struct sites_config, max_redirects), 0, 0, 0, 20 },
    { "warc_max_size", W_GLOBAL, K_SIZE, offsetof(struct sites_config, warc_max_size), 0, 0, 1048576.0, 1099511627776.0 },
    { "robots", W_GLOBAL, K_BOOL, offsetof(struct sites_config, robots), 0, 0, 0, 0 },
    { "workers", W_GLOBAL, K_INT, offsetof(struct sites_config, workers), 0, 0, 0, 256 },
    { "resolve", W_GLOBAL, K_RESOLVE, GL(resolve), 0, 0 },
    { "ca_file", W_GLOBAL, K_PATH, offsetof(struct sites_config, ca_file), 0, 0, 0, 0 },
    { "tls_verify", W_GLOBAL, K_BOOL, offsetof(struct sites_config, tls_verify), 0, 0, 0, 0 },
    { "tls_legacy", W_GLOBAL, K_BOOL, offsetof(struct sites_config, tls_legacy), 0, 0, 0, 0 },
    { "proxy", W_GLOBAL, K_PROXY, offsetof(struct sites_config, proxy), 0, 0, 0, 0 },
    { "proxy_auth_file", W_GLOBAL, K_PATH, offsetof(struct sites_config, proxy_auth_file), 0, 0, 0, 0 },
    { "proxy_auth_env", W_GLOBAL, K_ENVNAME, offsetof(struct sites_config, proxy_auth_env), 0, 0, 0, 0 },
    { "no_proxy", W_GLOBAL, K_STR, offsetof(struct sites_config, no_proxy), 0, 0, 0, 0 },
    { "cookies", W_GLOBAL, K_BOOL, offsetof(struct sites_config, cookies), 0, 0, 0, 0 },
    { "retry", W_GLOBAL, K_SCHED, offsetof(struct sites_config, retry), 0, 0, 0, 0 },
    { "retry_missing", W_GLOBAL, K_SCHED, offsetof(struct sites_config, retry_missing), 0, 0, 0, 0 },

    { "enabled", W_SITE, K_BOOL, offsetof(struct site, enabled), 0, 0, 0, 0 },
    { "listing", W_SITE, K_LISTING, SL(listing), 0, 0 },
    { "article", W_SITE, K_REGEX, SL(article), 0, 0 },
    { "listing_api", W_SITE, K_LISTING, SL(listing_api), 0, 0 },
    { "listing_api_items", W_SITE, K_STR, offsetof(struct site, api_items), 0, 0, 0, 0 },
    { "listing_api_link", W_SITE, K_STR, offsetof(struct site, api_link), 0, 0, 0, 0 },
    { "listing_api_title", W_SITE, K_STR, offsetof(struct site, api_title), 0, 0, 0, 0 },
    { "listing_api_date", W_SITE, K_STR, offsetof(struct site, api_date), 0, 0, 0, 0 },
    { "link_base", W_SITE, K_STR, offsetof(struct site, link_base), 0, 0, 0, 0 },
    { "feed", W_SITE, K_URLS, SL(feed), 0, 0 },
    { "sitemap", W_SITE, K_URLS, SL(sitemap), 0, 0 },
    { "robots_sitemaps", W_SITE, K_BOOL, offsetof(struct site, robots_sitemaps), 0, 0, 0, 0 },
    { "hosts", W_SITE, K_HOSTS, SL(hosts), 0, 0 },
    { "path_prefix", W_SITE, K_PREFIX, SL(path_prefix), 0, 0 },
    { "max_pages", W_SITE, K_INT, offsetof(struct site, max_pages), 0, 0, 1, 1000000 },
    { "backfill_max_pages", W_SITE, K_INT, offsetof(struct site, backfill_max_pages), 0, 0, 1, 10000000 },
    { "max_listing_links", W_SITE, K_INT, offsetof(struct site, max_listing_links), 0, 0, 1, 1000000 },
    { "max_depth", W_SITE, K_INT, offsetof(struct site, max_depth), 0, 0, 1, URL_MAX_DEPTH_LIMIT },
    { "delay", W_SITE, K_DUR, offsetof(struct site, delay), 0, 0, 0, 3600 },
    { "charset", W_SITE, K_CHARSET, offsetof(struct site, charset), 0, 0, 0, 0 },
    { "keep_raw", W_SITE, K_BOOL, offsetof(struct site, keep_raw), 0, 0, 0, 0 },
    { "retry", W_SITE, K_SCHED, offsetof(struct site, retry), 0, 0, 0, 0 },
    { "retry_missing", W_SITE, K_SCHED, offsetof(struct site, retry_missing), 0, 0, 0, 0 },
    { "alert_after", W_SITE, K_ALERT, offsetof(struct site, alert_after_secs), 0, 0, 0, 0 },
    { "alert_failures", W_SITE, K_INT, offsetof(struct site, alert_failures), 0, 0, 0, 1000 },
    { "xpath_container", W_SITE, K_XPATH, offsetof(struct site, rules.container), 0, 0, 0, 0 },
    { "xpath_drop", W_SITE, K_XPATHS, offsetof(struct site, rules.drop), offsetof(struct site, rules.ndrop),
      RULES_MAX_DROP, 0, 0 },
    { "xpath_title", W_SITE, K_XPATH, offsetof(struct site, rules.title), 0, 0, 0, 0 },
    { "xpath_date", W_SITE, K_XPATH, offsetof(struct site, rules.date), 0, 0, 0, 0 },
    { "xpath_author", W_SITE, K_XPATH, offsetof(struct site, rules.author), 0, 0, 0, 0 },
    { "ca_file", W_SITE, K_PATH, offsetof(struct site, ca_file), 0, 0, 0, 0 },
    { "tls_verify", W_SITE, K_BOOL, offsetof(struct site, tls_verify), 0, 0, 0, 0 },
    { "tls_legacy", W_SITE, K_BOOL, offsetof(struct site, tls_legacy), 0, 0, 0, 0 },
    { "proxy", W_SITE, K_PROXY, offsetof(struct site, proxy), 0, 0, 0, 0 },
    { "proxy_auth_file", W_SITE, K_PATH, offsetof(struct site, proxy_auth_file), 0, 0, 0, 0 },
    { "proxy_auth_env", W_SITE, K_ENVNAME, offsetof(struct site, proxy_auth_env), 0, 0, 0, 0 },
    { "no_proxy", W_SITE, K_STR, offsetof(struct site, no_proxy), 0, 0, 0, 0 },
    { "cookies", W_SITE, K_BOOL, offsetof(struct site, cookies), 0, 0, 0, 0 },
    { "learn_boilerplate", W_SITE, K_BOOL, offsetof(struct site, learn_boilerplate), 0, 0, 0, 0 },
    { "requisites", W_SITE, K_REQUISITES, offsetof(struct site, requisites), 0, 0, 0, 0 },
    { "requisites_hosts", W_SITE, K_HOSTS, SL(requisites_hosts), 0, 0 },
    { "requisites_max", W_SITE, K_INT, offsetof(struct site, requisites_max), 0, 0, 1, 1000 },
    { "requisites_max_size", W_SITE, K_SIZE, offsetof(struct site, requisites_max_size), 0, 0, 1024.0, 1073741824.0 },
};
#define NKEYS (sizeof keys / sizeof keys[0])

#undef G
#undef S
#undef GL
#undef SL

static int is_list(enum kind k)
{
    return k == K_RESOLVE || k == K_URLS || k == K_LISTING || k == K_REGEX || k == K_HOSTS ||
           k == K_PREFIX || k == K_XPATHS;
}

/* ---- defaults ---- */

static void config_defaults(struct sites_config *c)
{
    c->concurrency = 16;
    c->per_host_connections = 1;
    c->delay = 2.0;
    c->connect_timeout = 10;
    c->timeout = 60;
    c->low_speed_time = 30;
    c->max_page_size = (uint64_t)10 << 20;
    c->retries = 3;
    c->retry_backoff = 1.0;
    c->max_redirects = 5;
    c->warc_max_size = (uint64_t)1 << 30;
    c->robots = 1;
    c->workers = 0;
    c->tls_verify = 1;
    static const long retry[] = { 3600, 6 * 3600, 86400, 3 * 86400 }, missing[] = { 3600, 86400, 3 * 86400 };
    memcpy(c->retry.delay, retry, sizeof retry);
    c->retry.n = sizeof retry / sizeof retry[0];
    memcpy(c->retry_missing.delay, missing, sizeof missing);
    c->retry_missing.n = sizeof missing / sizeof missing[0];
}

const struct sites_retry *sites_retry_for(const struct sites_config *c, const struct site *s, int missing)
{
    const struct sites_retry *r = s ? (missing ? &s->retry_missing : &s->retry) : NULL;
    if (r && r->set)
        return r;
    return missing ? &c->retry_missing : &c->retry;
}

int site_init(struct site *s, const char *name)
{
    memset(s, 0, sizeof *s);
    rules_init(&s->rules);
    s->enabled = 1;
    s->robots_sitemaps = 1;
    s->max_pages = 5;
    s->backfill_max_pages = 10000;
    s->max_listing_links = SITES_DEFAULT_LISTING_LINKS;
    s->delay = -1;
    s->keep_raw = 1;
    s->learn_boilerplate = 1;
    s->requisites_max = SITES_DEFAULT_REQUISITES_MAX;
    s->requisites_max_size = SITES_DEFAULT_REQUISITES_MAX_SIZE;
    s->max_depth = URL_DEFAULT_MAX_DEPTH;
    s->alert_after_secs = 14 * 86400.0;
    s->alert_failures = 3;
    s->tls_verify = s->tls_legacy = s->cookies = -1; /* [newsarc]'s */
    if (name) {
        s->name = na_strdup(name);
        if (!s->name)
            return NA_ENOMEM;
    }
    return 0;
}

static void free_list(char **v, size_t *n)
{
    for (size_t i = 0; i < *n; i++) {
        free(v[i]);
        v[i] = NULL;
    }
    *n = 0;
}

/* ---- article patterns: POSIX ERE with a bounded cost ---- */

/* Length of the bracket expression at p ('[' … ']'), 0 if unterminated. */
static size_t bracket_len(const char *p)
{
    size_t i = 1;
    if (p[i] == '^')
        i++;
    if (p[i] == ']')
        i++; /* a leading ']' is a member */
    while (p[i] && p[i] != ']') {
        if (p[i] == '[' && (p[i + 1] == ':' || p[i + 1] == '.' || p[i + 1] == '=')) {
            char close = p[i + 1];
            const char *e = p + i + 2;
            while (*e && !(e[0] == close && e[1] == ']'))
                e++;
            if (!*e)
                return 0;
            i = (size_t)(e - p) + 2;
            continue;
        }
        i++;
    }
    return p[i] == ']' ? i + 1 : 0;
}

/* The bound of a {m}, {m,} or {m,n} at p (its length in *len), -1 if p is
 * not one (regcomp then says what is wrong). */
static long repeat_bound(const char *p, size_t *len)
{
    const char *q = p + 1;
    long m = 0, n = -1;
    if (*q < '0' || *q > '9')
        return -1;
    while (*q >= '0' && *q <= '9' && m < 100000)
        m = m * 10 + (*q++ - '0');
    if (*q == ',') {
        q++;
        if (*q >= '0' && *q <= '9') {
            n = 0;
            while (*q >= '0' && *q <= '9' && n < 100000)
                n = n * 10 + (*q++ - '0');
        } else {
            n = m + 1; /* {m,}: m copies and a star */
        }
    }
    if (*q != '}')
        return -1;
    *len = (size_t)(q - p) + 1;
    return n > m ? n : m ? m : 1;
}

/* Refuses what would make compiling or matching pattern unbounded: see
 * sites.h. Also a ')' without its '(' and a trailing '\\', which would
 * break the .*( … ) wrapping. 0 or NA_ECONFIG with msg. */
static int pattern_check(const char *pat, char *msg, size_t n)
{
    size_t len = strlen(pat);
    if (len > SITES_MAX_PATTERN) {
        snprintf(msg, n, "longer than %d bytes", SITES_MAX_PATTERN);
        return NA_ECONFIG;
    }
    /* per depth: atoms and repeated groups so far, after {m,n} expansion;
     * last_*: those of the last atom (what a quantifier applies to) */
    double nodes[SITES_MAX_NESTING + 2] = { 0 }, loops[SITES_MAX_NESTING + 2] = { 0 };
    double last_nodes = 0, last_loops = 0;
    int depth = 0, last_group = 0;
    for (size_t i = 0; i < len; i++) {
        char c = pat[i];
        size_t k = 1;
        long b;
        int group = 0;
        switch (c) {
        case '\\':
            if (!pat[i + 1]) {
                snprintf(msg, n, "ends with a lone backslash");
                return NA_ECONFIG;
            }
            if (pat[i + 1] >= '1' && pat[i + 1] <= '9') {
                snprintf(msg, n, "back-reference '\\%c': POSIX extended regular expressions have none, and "
                                 "their matching cost has no bound", pat[i + 1]);
                return NA_ECONFIG;
            }
            i++;
            nodes[depth] += last_nodes = 1;
            last_loops = 0;
            break;
        case '[':
            if (!(k = bracket_len(pat + i)))
                return 0; /* regcomp says "Unmatched [" */
            i += k - 1;
            nodes[depth] += last_nodes = 1;
            last_loops = 0;
            break;
        case '(':
            if (++depth > SITES_MAX_NESTING) {
                snprintf(msg, n, "nested more than %d parentheses deep", SITES_MAX_NESTING);
                return NA_ECONFIG;
            }
            nodes[depth] = loops[depth] = last_nodes = last_loops = 0;
            break;
        case ')':
            if (depth == 0) {
                snprintf(msg, n, "')' without its '('");
                return NA_ECONFIG;
            }
            last_nodes = nodes[depth] + 1;
            last_loops = loops[depth];
            depth--;
            nodes[depth] += last_nodes;
            loops[depth] += last_loops;
            group = 1;
            break;
        case '{':
            if ((b = repeat_bound(pat + i, &k)) < 0) {
                nodes[depth] += last_nodes = 1;
                last_loops = 0;
                break;
            }
            i += k - 1;
            nodes[depth] += last_nodes * (double)(b - 1);
            loops[depth] += last_loops * (double)(b - 1) + (last_group && b > 1);
            last_nodes *= (double)b;
            last_loops = last_loops * (double)b + (last_group && b > 1);
            break;
        case '*': case '+':
            loops[depth] += last_group;
            last_loops += last_group;
            break;
        case '|':
            last_nodes = last_loops = 0;
            break;
        case '?': case '^': case '$':
            break;
        default:
            nodes[depth] += last_nodes = 1;
            last_loops = 0;
        }
        last_group = group;
        if (nodes[depth] > SITES_MAX_PATTERN_NODES) {
            snprintf(msg, n, "its repeats expand to more than %d atoms (nested {m,n})", SITES_MAX_PATTERN_NODES);
            return NA_ECONFIG;
        }
        if (loops[depth] > SITES_MAX_REPEATED_GROUPS) {
            snprintf(msg, n, "more than %d repeated groups ('(…)*', '(…)+', '(…){m,n}', counted after "
                             "expansion): glibc's regcomp takes exponential time on them",
                     SITES_MAX_REPEATED_GROUPS);
            return NA_ECONFIG;
        }
    }
    return 0;
}

int sites_regcomp(regex_t *re, const char *pattern, char *msg, size_t n)
{
    if (pattern_check(pattern, msg, n))
        return NA_ECONFIG;
    size_t len = strlen(pattern);
    char *w = na_malloc(len + 6);
    if (!w) {
        snprintf(msg, n, "out of memory");
        return NA_ENOMEM;
    }
    memcpy(w, ".*(", 3);
    memcpy(w + 3, pattern, len);
    memcpy(w + 3 + len, ")", 2);
    int rc = regcomp(re, w, REG_EXTENDED | REG_NOSUB);
    free(w);
    if (rc) {
        regerror(rc, re, msg, n);
        if (!msg[0])
            snprintf(msg, n, "regcomp error %d", rc);
        return NA_ECONFIG;
    }
    return 0;
}

int sites_regmatch(const regex_t *re, const char *url)
{
    size_t n = strlen(url);
    if (n > URL_MAX_LEN)
        return 0;
    /* One start position (range 0): .*(P) there is P anywhere, in one pass.
     * re_search is glibc's, on the same compiled pattern as regexec. */
    return re_search((regex_t *)(uintptr_t)re, url, (regoff_t)n, 0, 0, NULL) >= 0;
}

static void free_regexes(struct site *s)
{
    if (s->article_re) {
        for (size_t i = 0; i < s->narticle; i++)
            regfree(&s->article_re[i]);
        free(s->article_re);
        s->article_re = NULL;
    }
}

void site_release(struct site *s)
{
    if (!s)
        return;
    free_regexes(s);
    free(s->name);
    free_list(s->listing, &s->nlisting);
    free_list(s->feed, &s->nfeed);
    free_list(s->listing_api, &s->nlisting_api);
    free(s->api_items);
    free(s->api_link);
    free(s->api_title);
    free(s->api_date);
    free(s->link_base);
    free_list(s->sitemap, &s->nsitemap);
    free_list(s->article, &s->narticle);
    free_list(s->hosts, &s->nhosts);
    free_list(s->path_prefix, &s->npath_prefix);
    free_list(s->requisites_hosts, &s->nrequisites_hosts);
    free(s->charset);
    free(s->file);
    free(s->ca_file);
    free(s->proxy);
    free(s->proxy_auth_file);
    free(s->proxy_auth_env);
    free(s->no_proxy);
    rules_release(&s->rules);
    memset(s, 0, sizeof *s);
}

/* Adds the host of url (a {n} template is expanded first) to s->hosts. */
static int add_host_of(struct site *s, const char *url)
{
    char *expanded = NULL;
    if (strstr(url, "{n}")) {
        struct buf b = BUF_INIT;
        for (const char *p = url; *p;) {
            const char *t = strstr(p, "{n}");
            if (!t) {
                buf_adds(&b, p);
                break;
            }
            buf_add(&b, p, (size_t)(t - p));
            buf_addc(&b, '1');
            p = t + 3;
        }
        if (b.err) {
            buf_release(&b);
            return NA_ENOMEM;
        }
        expanded = buf_detach(&b, NULL);
        if (!expanded)
            return NA_ENOMEM;
        url = expanded;
    }
    char *h = url_host(url);
    free(expanded);
    if (!h)
        return 0; /* validated at load; a hand-built site may hold junk */
    for (size_t i = 0; i < s->nhosts; i++)
        if (strcmp(s->hosts[i], h) == 0) {
            free(h);
            return 0;
        }
    if (s->nhosts >= SITES_MAX_LIST) {
        free(h);
        return 0;
    }
    s->hosts[s->nhosts++] = h;
    return 0;
}

int site_prepare(struct site *s, struct buf *err)
{
    free_regexes(s);
    if (s->narticle) {
        s->article_re = na_calloc(s->narticle, sizeof *s->article_re);
        if (!s->article_re) {
            buf_seterr(err, "out of memory");
            return NA_ENOMEM;
        }
        for (size_t i = 0; i < s->narticle; i++) {
            char msg[256];
            int rc = sites_regcomp(&s->article_re[i], s->article[i], msg, sizeof msg);
            if (rc) {
                for (size_t j = 0; j < i; j++)
                    regfree(&s->article_re[j]);
                free(s->article_re);
                s->article_re = NULL;
                buf_seterr(err, "[site %s]: 'article' is not a valid regular expression (%s): '%s'",
                           s->name ? s->name : "", msg, s->article[i]);
                return NA_ECONFIG;
            }
        }
    }
    if (s->nhosts == 0 || s->hosts_default) {
        free_list(s->hosts, &s->nhosts);
        s->hosts_default = 1;
        for (size_t i = 0; i < s->nlisting; i++)
            if (add_host_of(s, s->listing[i]))
                goto oom;
        for (size_t i = 0; i < s->nfeed; i++)
            if (add_host_of(s, s->feed[i]))
                goto oom;
        for (size_t i = 0; i < s->nlisting_api; i++)
            if (add_host_of(s, s->listing_api[i]))
                goto oom;
        for (size_t i = 0; i < s->nsitemap; i++)
            if (add_host_of(s, s->sitemap[i]))
                goto oom;
    }
    return 0;
oom:
    buf_seterr(err, "out of memory");
    return NA_ENOMEM;
}

double sites_delay(const struct sites_config *c, const struct site *s)
{
    if (s && s->delay >= 0)
        return s->delay;
    return c ? c->delay : 2.0;
}

void sites_config_free(struct sites_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nsites; i++)
        site_release(&c->sites[i]);
    free(c->sites);
    free(c->path);
    free(c->archive);
    free(c->ca_file);
    free(c->proxy);
    free(c->proxy_auth_file);
    free(c->proxy_auth_env);
    free(c->no_proxy);
    free(c->user_agent);
    free_list(c->resolve, &c->nresolve);
    free(c);
}

struct site *sites_find(struct sites_config *c, const char *name)
{
    for (size_t i = 0; c && name && i < c->nsites; i++)
        if (strcmp(c->sites[i].name, name) == 0)
            return &c->sites[i];
    return NULL;
}

/* ---- value parsers ---- */

static int parse_int(const char *v, long *out)
{
    char *end;
    errno = 0;
    if (!*v)
        return -1;
    long x = strtol(v, &end, 10);
    if (errno || *end || end == v)
        return -1;
    *out = x;
    return 0;
}

/* Seconds: "2", "0.5", "2s", "1500ms". */
static int parse_duration(const char *v, double *out)
{
    char *end;
    errno = 0;
    if (!*v || (*v != '.' && (*v < '0' || *v > '9')))
        return -1;
    double x = strtod(v, &end);
    if (errno || end == v || !isfinite(x))
        return -1;
    if (strcmp(end, "ms") == 0)
        x /= 1000;
    else if (*end && strcmp(end, "s") != 0)
        return -1;
    *out = x;
    return 0;
}

/* Bytes: "65536", "512K", "10M", "1G", "2T" (binary multiples; "10MB",
 * "10MiB" and lower case accepted). */
static int parse_size(const char *v, double *out)
{
    char *end;
    errno = 0;
    if (!*v || (*v != '.' && (*v < '0' || *v > '9')))
        return -1;
    double x = strtod(v, &end);
    if (errno || end == v || !isfinite(x))
        return -1;
    double mul = 1;
    switch (*end) {
    case 'k': case 'K': mul = 1024.0; end++; break;
    case 'm': case 'M': mul = 1048576.0; end++; break;
    case 'g': case 'G': mul = 1073741824.0; end++; break;
    case 't': case 'T': mul = 1099511627776.0; end++; break;
    default: break;
    }
    if (mul > 1 && (*end == 'i' || *end == 'I'))
        end++;
    if (*end == 'b' || *end == 'B')
        end++;
    if (*end)
        return -1;
    *out = floor(x * mul);
    return 0;
}

/* A retry schedule: whitespace-separated durations, each a number with s,
 * m, h, d or w ("0s", "90s", "30m", "1h", "3d"; a bare number is seconds),
 * or "none" (no retry). Returns 0, or -1 with the bad word in *bad. */
static int parse_sched(const char *v, struct sites_retry *out, const char **bad, size_t *badlen)
{
    memset(out, 0, sizeof *out);
    out->set = 1;
    if (strcmp(v, "none") == 0)
        return 0;
    const char *p = v;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, " \t,");
        *bad = p;
        *badlen = n;
        char *end;
        errno = 0;
        if (*p < '0' || *p > '9')
            return -1;
        double x = strtod(p, &end);
        long mul = 1;
        if (end < p + n) {
            switch (*end++) {
            case 's': mul = 1; break;
            case 'm': mul = 60; break;
            case 'h': mul = 3600; break;
            case 'd': mul = 86400; break;
            case 'w': mul = 7 * 86400; break;
            default: return -1;
            }
        }
        if (errno || end != p + n || !isfinite(x) || x * mul > 366.0 * 86400 || out->n >= SITES_MAX_RETRY)
            return -1;
        out->delay[out->n++] = (long)(x * mul + 0.5);
        p += n;
    }
    if (!out->n) {
        *bad = v;
        *badlen = strlen(v);
        return -1;
    }
    return 0;
}

/* alert_after: "off"/"no"/"0", "N runs", or a duration with a unit: "90m",
 * "36h", "7d", "2w" (s too). */
static int parse_alert_after(const char *v, double *secs, int *runs)
{
    char *end;
    errno = 0;
    *secs = 0;
    *runs = 0;
    if (strcasecmp(v, "off") == 0 || strcasecmp(v, "no") == 0 || strcmp(v, "0") == 0)
        return 0;
    if (*v < '0' || *v > '9')
        return -1;
    double x = strtod(v, &end);
    if (errno || end == v || !isfinite(x) || x <= 0)
        return -1;
    while (*end == ' ' || *end == '\t')
        end++;
    if (strcasecmp(end, "runs") == 0 || strcasecmp(end, "run") == 0) {
        if (x != floor(x) || x > 100000)
            return -1;
        *runs = (int)x;
        return 0;
    }
    static const struct { const char *unit; double mul; } units[] = {
        { "s", 1 }, { "m", 60 }, { "min", 60 }, { "h", 3600 }, { "d", 86400 }, { "w", 604800 },
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcasecmp(end, units[i].unit) == 0 && x * units[i].mul <= 3650 * 86400.0) {
            *secs = x * units[i].mul;
            return 0;
        }
    return -1;
}

static int parse_bool(const char *v, int *out)
{
    static const char *const yes[] = { "yes", "true", "on", "1" }, *const no[] = { "no", "false", "off", "0" };
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

/* A contact is an http(s) URL or something@host.tld. */
static int has_contact(const char *ua)
{
    if (strstr(ua, "http://") || strstr(ua, "https://"))
        return 1;
    for (const char *at = strchr(ua, '@'); at; at = strchr(at + 1, '@')) {
        if (at == ua || at[-1] == ' ' || at[-1] == '(' || at[-1] == '<')
            continue;
        const char *p = at + 1;
        size_t n = strcspn(p, " ;)>,");
        const char *dot = memchr(p, '.', n);
        if (dot && dot > p && dot < p + n - 1)
            return 1;
    }
    return 0;
}

static int valid_resolve(const char *v)
{
    /* HOST:PORT:ADDR as curl's CURLOPT_RESOLVE takes it. */
    const char *c1 = strchr(v, ':');
    if (!c1 || c1 == v)
        return 0;
    const char *c2 = strchr(c1 + 1, ':');
    if (!c2 || c2 == c1 + 1 || !c2[1])
        return 0;
    long port = 0;
    for (const char *p = c1 + 1; p < c2; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        port = port * 10 + (*p - '0');
        if (port > 65535)
            return 0;
    }
    if (port < 1)
        return 0;
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p <= ' ')
            return 0;
    return 1;
}

static int valid_host(const char *v)
{
    const char *p = v;
    if (p[0] == '*' && p[1] == '.')
        p += 2;
    if (!*p)
        return 0;
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '.' || c >= 0x80))
            return 0;
    }
    return 1;
}

static int valid_site_name(const char *v)
{
    if (!*v || strlen(v) > 64)
        return 0;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.' || *p >= 0x80))
            return 0;
    return 1;
}

/* Levenshtein distance, capped (names are short). */
static size_t edit_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na > 40 || nb > 40)
        return 99;
    size_t row[41];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

/* ---- the parse ---- */

struct ctx {
    struct sites_config *c;
    const char *file;      /* name used in messages (as given) */
    const char *data;      /* the file's bytes */
    size_t len, pos;
    int lineno;            /* line being read */
    int at_line_start;
    /* Section bookkeeping (the reader sees each header line). */
    enum where where;      /* 0 before the first section */
    struct site *cur;      /* W_SITE: the site being filled */
    int global_line;       /* line of [newsarc], 0 if none */
    int key_line[NKEYS];   /* first line of each single-valued key in this section */
    int failed;
    int err_line;
    struct buf msg;
    int oom;
    size_t sites_cap;      /* room in c->sites */
};

static void fail(struct ctx *x, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(struct ctx *x, int line, const char *fmt, ...)
{
    if (x->failed)
        return;
    x->failed = 1;
    x->err_line = line;
    buf_reset(&x->msg);
    if (line > 0)
        buf_printf(&x->msg, "%s:%d: ", x->file, line);
    else
        buf_printf(&x->msg, "%s: ", x->file);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&x->msg, fmt, ap);
    va_end(ap);
}

static char *section_label(struct ctx *x, char *tmp, size_t n)
{
    if (x->where == W_SITE)
        snprintf(tmp, n, "[site %s]", x->cur->name);
    else
        snprintf(tmp, n, "[newsarc]");
    return tmp;
}

/* A section header line "[...]" seen by the reader. inih (Debian's build
 * lacks INI_CALL_HANDLER_ON_NEW_SECTION) never reports sections without
 * keys, nor a repeated section, so the header is read here too. */
static void on_header(struct ctx *x, const char *line, size_t n)
{
    const char *close = memchr(line, ']', n);
    if (!close)
        return; /* inih reports the syntax error */
    const char *p = line + 1, *e = close;
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    size_t len = (size_t)(e - p);
    memset(x->key_line, 0, sizeof x->key_line);
    if (len == 7 && memcmp(p, "newsarc", 7) == 0) {
        if (x->global_line)
            fail(x, x->lineno, "duplicate section [newsarc] (first at line %d)", x->global_line);
        x->global_line = x->lineno;
        x->where = W_GLOBAL;
        x->cur = NULL;
        return;
    }
    if (len > 5 && memcmp(p, "site", 4) == 0 && (p[4] == ' ' || p[4] == '\t')) {
        const char *np = p + 5;
        while (np < e && (*np == ' ' || *np == '\t'))
            np++;
        char name[80];
        size_t nn = (size_t)(e - np);
        if (nn >= sizeof name) {
            fail(x, x->lineno, "site name too long (at most 64 bytes): '%.*s'", (int)nn, np);
            return;
        }
        memcpy(name, np, nn);
        name[nn] = 0;
        if (!valid_site_name(name)) {
            fail(x, x->lineno,
                 "bad site name '%s' (letters, digits, '-', '_' and '.' only, at most 64 bytes)", name);
            return;
        }
        for (size_t i = 0; i < x->c->nsites; i++)
            if (strcmp(x->c->sites[i].name, name) == 0) {
                fail(x, x->lineno, "duplicate [site %s] (first at line %d)", name, x->c->sites[i].line);
                return;
            }
        int grow = NA_GROW(x->c->sites, x->sites_cap, x->c->nsites + 1, SITES_MAX_SITES);
        if (grow == NA_ETOOBIG) {
            fail(x, x->lineno, "too many sites (at most %d)", SITES_MAX_SITES);
            return;
        }
        if (grow) {
            x->oom = 1;
            fail(x, x->lineno, "out of memory");
            return;
        }
        struct site *s = &x->c->sites[x->c->nsites];
        if (site_init(s, name)) {
            x->oom = 1;
            fail(x, x->lineno, "out of memory");
            return;
        }
        x->c->nsites++;
        s->line = x->lineno;
        s->file = na_strdup(x->c->path);
        if (!s->file) {
            x->oom = 1;
            fail(x, x->lineno, "out of memory");
            return;
        }
        x->where = W_SITE;
        x->cur = s;
        return;
    }
    fail(x, x->lineno, "unknown section '[%.*s]' (expected [newsarc] or [site NAME])", (int)len, p);
}

/* fgets-style reader over the file's bytes: counts lines (inih's own count
 * is not passed to handlers in Debian's build), refuses overlong lines and
 * NUL bytes, and spots section headers. */
static char *reader(char *str, int num, void *stream)
{
    struct ctx *x = stream;
    if (x->failed || x->pos >= x->len || num < 2)
        return NULL;
    const char *p = x->data + x->pos;
    size_t left = x->len - x->pos;
    const char *nl = memchr(p, '\n', left);
    size_t linelen = nl ? (size_t)(nl - p) + 1 : left;
    if (x->at_line_start) {
        x->lineno++;
        if (linelen > SITES_MAX_LINE) {
            fail(x, x->lineno, "line longer than %d bytes", SITES_MAX_LINE);
            return NULL;
        }
        if (memchr(p, 0, linelen)) {
            fail(x, x->lineno, "NUL byte in the line");
            return NULL;
        }
        size_t i = 0;
        if (x->lineno == 1 && linelen >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
            i = 3;
        while (i < linelen && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i < linelen && p[i] == '[') {
            on_header(x, p + i, linelen - i);
            if (x->failed)
                return NULL;
        }
    }
    size_t n = linelen < (size_t)num - 1 ? linelen : (size_t)num - 1;
    memcpy(str, p, n);
    str[n] = 0;
    x->pos += n;
    x->at_line_start = n == linelen;
    return str;
}

static const struct keydef *find_key(enum where w, const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (keys[i].where == w && strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

static void unknown_key(struct ctx *x, const char *name)
{
    char sec[100];
    section_label(x, sec, sizeof sec);
    enum where other = x->where == W_SITE ? W_GLOBAL : W_SITE;
    if (find_key(other, name)) {
        fail(x, x->lineno, "unknown key '%s' in %s (it belongs in %s)", name, sec,
             other == W_GLOBAL ? "[newsarc]" : "a [site NAME] section");
        return;
    }
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0; i < NKEYS; i++) {
        if (keys[i].where != x->where)
            continue;
        size_t d = edit_distance(name, keys[i].name);
        if (d < bestd) {
            bestd = d;
            best = keys[i].name;
        }
    }
    if (best)
        fail(x, x->lineno, "unknown key '%s' in %s (did you mean '%s'?)", name, sec, best);
    else
        fail(x, x->lineno, "unknown key '%s' in %s", name, sec);
}

static char **list_slot(void *obj, const struct keydef *k, size_t **count)
{
    *count = (size_t *)((char *)obj + k->noff);
    return (char **)((char *)obj + k->off);
}

/* A proxy URL: a scheme libcurl knows for proxies, a host, no user:password
 * (that goes in proxy_auth_file or proxy_auth_env, never in a file that is
 * shown or logged); or "none". */
static int proxy_ok(struct ctx *x, const char *v)
{
    static const char *const schemes[] = { "http://", "https://", "socks4://", "socks4a://", "socks5://",
                                            "socks5h://" };
    if (strcmp(v, "none") == 0)
        return 1;
    const char *rest = NULL;
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0] && !rest; i++)
        if (strncasecmp(v, schemes[i], strlen(schemes[i])) == 0)
            rest = v + strlen(schemes[i]);
    if (!rest) {
        fail(x, x->lineno, "'proxy' expects http://, https://, socks4://, socks4a://, socks5:// or socks5h:// "
             "and a host (or 'none'), got '%s'", v);
        return 0;
    }
    size_t hostlen = strcspn(rest, "/?#");
    if (memchr(rest, '@', hostlen)) {
        fail(x, x->lineno, "'proxy': no user or password in the URL (they would show in logs and "
             "check-config): put 'user:password' in a file named by proxy_auth_file, or in the environment "
             "variable named by proxy_auth_env");
        return 0;
    }
    if (!hostlen || rest[0] == ':') {
        fail(x, x->lineno, "'proxy': no host in '%s'", v);
        return 0;
    }
    return 1;
}

static int envname_ok(const char *v)
{
    if (!((*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') || *v == '_'))
        return 0;
    for (; *v; v++)
        if (!((*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') || (*v >= '0' && *v <= '9') || *v == '_'))
            return 0;
    return 1;
}

void sites_net_for(const struct sites_config *c, const struct site *s, struct sites_net *o)
{
    memset(o, 0, sizeof *o);
    o->ca_file = s && s->ca_file ? s->ca_file : c->ca_file;
    o->tls_verify = s && s->tls_verify >= 0 ? s->tls_verify : c->tls_verify;
    o->tls_legacy = s && s->tls_legacy >= 0 ? s->tls_legacy : c->tls_legacy;
    o->cookies = s && s->cookies >= 0 ? s->cookies : c->cookies;
    const char *px = s && s->proxy ? s->proxy : c->proxy;
    o->proxy = px && strcmp(px, "none") == 0 ? "" : px;
    /* the credentials go with the proxy they were given for */
    if (s && s->proxy) {
        o->proxy_auth_file = s->proxy_auth_file;
        o->proxy_auth_env = s->proxy_auth_env;
    } else {
        o->proxy_auth_file = s && s->proxy_auth_file ? s->proxy_auth_file : c->proxy_auth_file;
        o->proxy_auth_env = s && s->proxy_auth_env ? s->proxy_auth_env : c->proxy_auth_env;
    }
    if (o->proxy_auth_file)
        o->proxy_auth_env = NULL;
    o->no_proxy = s && s->no_proxy ? s->no_proxy : c->no_proxy;
}

/* A credentials file may be read by its owner only. */
static int auth_file_check(const char *path, struct buf *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        buf_seterr(err, "'proxy_auth_file': cannot read '%s': %s", path, strerror(errno));
        return NA_ECONFIG;
    }
    if (!S_ISREG(st.st_mode)) {
        buf_seterr(err, "'proxy_auth_file': '%s' is not a regular file", path);
        return NA_ECONFIG;
    }
    if (st.st_mode & 077) {
        buf_seterr(err, "'proxy_auth_file': '%s' is readable or writable by others (mode %04o): "
                   "chmod 600 it", path, (unsigned)(st.st_mode & 07777));
        return NA_ECONFIG;
    }
    return 0;
}

int sites_proxy_auth(const struct sites_net *n, char **out, struct buf *err)
{
    *out = NULL;
    char line[1024];
    if (n->proxy_auth_file) {
        int rc = auth_file_check(n->proxy_auth_file, err);
        if (rc)
            return rc;
        FILE *fp = fopen(n->proxy_auth_file, "r");
        if (!fp) {
            buf_seterr(err, "'proxy_auth_file': cannot read '%s': %s", n->proxy_auth_file, strerror(errno));
            return NA_EIO;
        }
        if (!fgets(line, sizeof line, fp))
            line[0] = 0;
        fclose(fp);
        line[strcspn(line, "\r\n")] = 0;
    } else if (n->proxy_auth_env) {
        const char *v = getenv(n->proxy_auth_env);
        if (!v || !*v) {
            buf_seterr(err, "'proxy_auth_env': the environment variable %s is not set", n->proxy_auth_env);
            return NA_ECONFIG;
        }
        snprintf(line, sizeof line, "%s", v);
    } else {
        return 0;
    }
    if (!strchr(line, ':')) {
        buf_seterr(err, "%s: expected 'user:password' on the first line", n->proxy_auth_file ? n->proxy_auth_file
                                                                                          : n->proxy_auth_env);
        memset(line, 0, sizeof line);
        return NA_ECONFIG;
    }
    *out = na_strdup(line);
    memset(line, 0, sizeof line);
    if (!*out) {
        buf_seterr(err, "out of memory");
        return NA_ENOMEM;
    }
    return 0;
}

/* ---- one value of each kind: validate, then store (1) or fail (0) ---- */

static int fail_oom(struct ctx *x)
{
    x->oom = 1;
    fail(x, x->lineno, "out of memory");
    return 0;
}

/* 1 if xpath is valid XPath (as a container rule, or as a drop rule when
 * drop is set); else fails naming key k. */
static int check_xpath(struct ctx *x, const struct keydef *k, const char *v, int drop)
{
    struct rules r;
    struct buf e = BUF_INIT;
    rules_init(&r);
    if (drop) {
        r.drop[0] = (char *)v; /* borrowed for the check only */
        r.ndrop = 1;
    } else {
        r.container = (char *)v; /* borrowed for the check only */
    }
    int ok = rules_validate(&r, &e) == 0;
    if (!ok)
        fail(x, x->lineno, "'%s' is not a valid XPath expression: '%s'%s%s", k->name, v, e.len ? ": " : "",
             buf_str(&e));
    buf_release(&e);
    return ok;
}

/* K_STR, K_PATH, K_UA, K_CHARSET, K_XPATH (and K_PROXY, K_ENVNAME once checked): one string. */
static int set_string(struct ctx *x, void *obj, const struct keydef *k, const char *v)
{
    void *field = (char *)obj + k->off;
    if (!*v) {
        fail(x, x->lineno, "'%s' expects a value", k->name);
        return 0;
    }
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\t') {
            fail(x, x->lineno, "'%s' contains a control character", k->name);
            return 0;
        }
    if (k->kind == K_UA && !has_contact(v)) {
        fail(x, x->lineno,
             "'user_agent' must name a contact (a URL or an e-mail address), e.g. "
             "'newsarc/0.1 (+https://example.org/crawler; ops@example.org)', got '%s'", v);
        return 0;
    }
    if (k->kind == K_CHARSET && !charset_canonical(v)) {
        fail(x, x->lineno, "unknown charset '%s'", v);
        return 0;
    }
    if (k->kind == K_XPATH && !check_xpath(x, k, v, 0))
        return 0;
    char *dup = na_strdup(v);
    if (!dup)
        return fail_oom(x);
    free(*(char **)field);
    *(char **)field = dup;
    return 1;
}

static int set_int(struct ctx *x, void *obj, const struct keydef *k, const char *v)
{
    void *field = (char *)obj + k->off;
    long n;
    if (parse_int(v, &n) || n < (long)k->min) {
        fail(x, x->lineno, "'%s' expects a %s integer, got '%s'", k->name, k->min >= 1 ? "positive" : "non-negative",
             v);
        return 0;
    }
    if (n > (long)k->max) {
        fail(x, x->lineno, "'%s' must be at most %ld, got '%s'", k->name, (long)k->max, v);
        return 0;
    }
    *(int *)field = (int)n;
    return 1;
}

static int set_duration(struct ctx *x, void *obj, const struct keydef *k, const char *v)
{
    void *field = (char *)obj + k->off;
    double d;
    if (parse_duration(v, &d)) {
        fail(x, x->lineno, "'%s' expects a duration in seconds (2, 0.5, 1500ms), got '%s'", k->name, v);
        return 0;
    }
    if (d < k->min || d > k->max) {
        fail(x, x->lineno, "'%s' must be between %g and %g seconds, got '%s'", k->name, k->min, k->max, v);
        return 0;
    }
    *(double *)field = d;
    return 1;
}

static int set_size(struct ctx *x, void *obj, const struct keydef *k, const char *v)
{
    void *field = (char *)obj + k->off;
    double d;
    if (parse_size(v, &d)) {
        fail(x, x->lineno, "'%s' expects a size (65536, 512K, 10M, 1G), got '%s'", k->name, v);
        return 0;
    }
    if (d < k->min || d > k->max) {
        fail(x, x->lineno, "'%s' must be between %.0f and %.0f bytes, got '%s'", k->name, k->min, k->max, v);
        return 0;
    }
    *(uint64_t *)field = (uint64_t)d;
    return 1;
}

static int set_sched(struct ctx *x, void *obj, const struct keydef *k, const char *v)
{
    void *field = (char *)obj + k->off;
    const char *bad = v;
    size_t badlen = strlen(v);
    struct sites_retry r;
    if (parse_sched(v, &r, &bad, &badlen)) {
        fail(x, x->lineno,
             "'%s' expects up to %d intervals such as '1h 6h 1d 3d' (s, m, h, d, w; at most a year each) "
             "or 'none', got '%.*s'", k->name, SITES_MAX_RETRY, (int)badlen, bad);
        return 0;
    }
    memcpy(field, &r, sizeof r);
    return 1;
}

static int set_bool(struct ctx *x, void *obj, const struct keydef *k, const char *v)
{
    void *field = (char *)obj + k->off;
    int b;
    if (parse_bool(v, &b)) {
        fail(x, x->lineno, "'%s' expects yes or no, got '%s'", k->name, v);
        return 0;
    }
    *(int *)field = b;
    return 1;
}

/* K_ALERT: sets two fields of the struct site. */
static int set_alert(struct ctx *x, void *obj, const struct keydef *k, const char *v)
{
    struct site *s = obj;
    if (parse_alert_after(v, &s->alert_after_secs, &s->alert_after_runs)) {
        fail(x, x->lineno, "'%s' expects a duration with its unit (7d, 36h, 90m, 2w), a number of runs "
             "(10 runs) or off, got '%s'", k->name, v);
        return 0;
    }
    return 1;
}

/* K_REQUISITES: none or images. */
static int set_requisites(struct ctx *x, void *obj, const struct keydef *k, const char *v)
{
    int *field = (int *)((char *)obj + k->off);
    if (strcmp(v, "none") == 0)
        *field = SITES_REQUISITES_NONE;
    else if (strcmp(v, "images") == 0)
        *field = SITES_REQUISITES_IMAGES;
    else {
        fail(x, x->lineno, "'%s' expects none or images, got '%s'", k->name, v);
        return 0;
    }
    return 1;
}

/* ---- one entry of a list: validate (1) or fail (0); a check may set
 * *store to the malloc'd form to keep (else v is copied) ---- */

static int check_resolve(struct ctx *x, const struct keydef *k, const char *v, char **store)
{
    (void)k;
    (void)store;
    if (!valid_resolve(v)) {
        fail(x, x->lineno, "'resolve' expects HOST:PORT:ADDR (e.g. 'example.com:80:127.0.0.1'), got '%s'", v);
        return 0;
    }
    return 1;
}

/* K_URLS, K_LISTING: an absolute http(s) URL ({n} taken as page 2). */
static int check_url(struct ctx *x, const struct keydef *k, const char *v, char **store)
{
    (void)store;
    const char *t = v;
    char *expanded = NULL;
    if (k->kind == K_LISTING && strstr(v, "{n}")) {
        struct buf b = BUF_INIT;
        for (const char *p = v; *p;) {
            const char *q = strstr(p, "{n}");
            if (!q) {
                buf_adds(&b, p);
                break;
            }
            buf_add(&b, p, (size_t)(q - p));
            buf_addc(&b, '2');
            p = q + 3;
        }
        expanded = buf_detach(&b, NULL);
        buf_release(&b);
        if (!expanded)
            return fail_oom(x);
        t = expanded;
    }
    char *canon = url_canonical(t);
    int ok = canon != NULL;
    free(canon);
    free(expanded);
    if (!ok)
        fail(x, x->lineno, "'%s' expects an absolute http or https URL%s, got '%s'", k->name,
             k->kind == K_LISTING ? " (with {n} for the page number, if any)" : "", v);
    return ok;
}

static int check_regex(struct ctx *x, const struct keydef *k, const char *v, char **store)
{
    (void)k;
    (void)store;
    regex_t re;
    char m[256];
    int rc = sites_regcomp(&re, v, m, sizeof m);
    if (rc == NA_ENOMEM)
        return fail_oom(x);
    if (rc) {
        fail(x, x->lineno, "'article' is not a valid POSIX extended regular expression (%s): '%s'", m, v);
        return 0;
    }
    regfree(&re);
    return 1;
}

/* K_HOSTS: stored mapped as URL hosts are (UTS #46: case, full-width, 。,
 * punycode), so that the scope check compares like with like. */
static int check_host(struct ctx *x, const struct keydef *k, const char *v, char **store)
{
    if (!valid_host(v)) {
        fail(x, x->lineno, "'%s' expects a host name such as 'news.example.com' or '*.example.com', got '%s'", k->name,
             v);
        return 0;
    }
    int wild = v[0] == '*' && v[1] == '.';
    char *h = NULL;
    int hrc = url_host_ascii(v + (wild ? 2 : 0), &h);
    if (hrc == NA_ENOMEM)
        return fail_oom(x);
    if (hrc) {
        fail(x, x->lineno, "'%s': '%s' is not a valid host name (international names are mapped as browsers do, UTS #46)",
             k->name, v);
        return 0;
    }
    if (!wild) {
        *store = h;
        return 1;
    }
    size_t hn = strlen(h);
    *store = na_malloc(hn + 3);
    if (*store) {
        memcpy(*store, "*.", 2);
        memcpy(*store + 2, h, hn + 1);
    }
    free(h);
    return *store ? 1 : fail_oom(x);
}

static int check_prefix(struct ctx *x, const struct keydef *k, const char *v, char **store)
{
    (void)k;
    (void)store;
    if (v[0] != '/' || strpbrk(v, " \t?#")) {
        fail(x, x->lineno, "'path_prefix' expects a path starting with '/', got '%s'", v);
        return 0;
    }
    return 1;
}

static int check_xpaths(struct ctx *x, const struct keydef *k, const char *v, char **store)
{
    (void)store;
    return check_xpath(x, k, v, 1);
}

/* Any list kind: checks v with check and appends it (or what check made). */
static int add_entry(struct ctx *x, void *obj, const struct keydef *k, const char *v,
                     int (*check)(struct ctx *, const struct keydef *, const char *, char **))
{
    size_t *count;
    char **slot = list_slot(obj, k, &count);
    if (*count >= k->cap) {
        char sec[100];
        fail(x, x->lineno, "too many '%s' entries in %s (at most %zu)", k->name, section_label(x, sec, sizeof sec),
             k->cap);
        return 0;
    }
    if (!*v) {
        fail(x, x->lineno, "'%s' expects a value", k->name);
        return 0;
    }
    char *store = NULL;
    if (!check(x, k, v, &store))
        return 0;
    if (!store && !(store = na_strdup(v)))
        return fail_oom(x);
    if (k->kind == K_REGEX && obj == x->cur)
        x->cur->article_line[*count] = x->lineno; /* for check-config's hints */
    slot[(*count)++] = store;
    return 1;
}

/* K_PROXY: a proxy URL without credentials, or "none". */
static int set_proxy(struct ctx *x, void *obj, const struct keydef *k, const char *v)
{
    return proxy_ok(x, v) && set_string(x, obj, k, v);
}

/* K_ENVNAME: the name of an environment variable. */
static int set_envname(struct ctx *x, void *obj, const struct keydef *k, const char *v)
{
    if (!envname_ok(v)) {
        fail(x, x->lineno, "'%s' expects the name of an environment variable (letters, digits, '_'), got '%s'",
             k->name, v);
        return 0;
    }
    return set_string(x, obj, k, v);
}

/* The handler of each kind: a setter for single values, a check for lists. */
static const struct {
    int (*set)(struct ctx *x, void *obj, const struct keydef *k, const char *v); /* obj + k->off */
    int (*check)(struct ctx *x, const struct keydef *k, const char *v, char **store);
} kind_handler[] = {
    [K_STR] = { set_string, NULL },     [K_UA] = { set_string, NULL },       [K_CHARSET] = { set_string, NULL },
    [K_XPATH] = { set_string, NULL },   [K_INT] = { set_int, NULL },         [K_DUR] = { set_duration, NULL },
    [K_SIZE] = { set_size, NULL },      [K_SCHED] = { set_sched, NULL },     [K_BOOL] = { set_bool, NULL },
    [K_ALERT] = { set_alert, NULL },    [K_RESOLVE] = { NULL, check_resolve }, [K_URLS] = { NULL, check_url },
    [K_LISTING] = { NULL, check_url },  [K_REGEX] = { NULL, check_regex },   [K_HOSTS] = { NULL, check_host },
    [K_PREFIX] = { NULL, check_prefix }, [K_XPATHS] = { NULL, check_xpaths },
    [K_PATH] = { set_string, NULL },    [K_PROXY] = { set_proxy, NULL },     [K_ENVNAME] = { set_envname, NULL },
    [K_REQUISITES] = { set_requisites, NULL },
};

/* Validates and stores one value. Returns 1 (inih: go on) or 0 (error). */
static int set_value(struct ctx *x, void *obj, const struct keydef *k, const char *v)
{
    size_t idx = (size_t)(k - keys);
    if (!is_list(k->kind)) {
        if (x->key_line[idx]) {
            char sec[100];
            fail(x, x->lineno, "'%s' given twice in %s (first at line %d)", k->name, section_label(x, sec, sizeof sec),
                 x->key_line[idx]);
            return 0;
        }
        x->key_line[idx] = x->lineno;
    }
    if (kind_handler[k->kind].check)
        return add_entry(x, obj, k, v, kind_handler[k->kind].check);
    return kind_handler[k->kind].set(x, obj, k, v);
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    struct ctx *x = user;
    (void)section; /* the reader tracks sections (with their lines) */
    if (x->failed)
        return 0;
    if (!value)
        value = "";
    if (x->where == 0) {
        fail(x, x->lineno, "key '%s' outside any section (start with [newsarc] or [site NAME])", name);
        return 0;
    }
    const struct keydef *k = find_key(x->where, name);
    if (!k) {
        unknown_key(x, name);
        return 0;
    }
    void *obj = x->where == W_SITE ? (void *)x->cur : (void *)x->c;
    return set_value(x, obj, k, value);
}

/* The text of line `line` of the file, for syntax-error messages. */
static void line_text(const struct ctx *x, int line, struct buf *out)
{
    const char *p = x->data, *end = x->data + x->len;
    for (int i = 1; i < line && p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    while (n && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    if (n > 80) {
        buf_add(out, p, 77);
        buf_adds(out, "...");
    } else {
        buf_add(out, p, n);
    }
}

/* Opens a config file for reading: a regular file only (through a symlink
 * too). O_NONBLOCK so that a FIFO is refused instead of waited on. */
static FILE *open_config(const char *path, struct buf *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        buf_seterr(err, "cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        int dir = S_ISDIR(sb.st_mode);
        buf_seterr(err, "cannot read '%s': %s", path,
                   dir ? "is a directory" : S_ISFIFO(sb.st_mode) ? "not a regular file (a FIFO)"
                                                                 : "not a regular file");
        close(fd);
        return NULL;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        buf_seterr(err, "cannot read '%s': %s", path, strerror(errno));
        close(fd);
    }
    return f;
}

static int read_file(const char *path, char **data, size_t *len, struct buf *err)
{
    FILE *f = open_config(path, err);
    if (!f)
        return NA_ECONFIG;
    struct buf b;
    buf_init(&b, SITES_MAX_FILE);
    char tmp[8192];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        if (buf_add(&b, tmp, n))
            break;
    int ioerr = ferror(f);
    fclose(f);
    if (b.err == NA_ETOOBIG) {
        buf_release(&b);
        buf_seterr(err, "%s: larger than %u bytes", path, SITES_MAX_FILE);
        return NA_ECONFIG;
    }
    if (b.err || ioerr) {
        int e = b.err ? b.err : NA_EIO;
        buf_release(&b);
        buf_seterr(err, "cannot read '%s': %s", path, na_strerror(e));
        return e == NA_ENOMEM ? NA_ENOMEM : NA_ECONFIG;
    }
    if (!b.data && buf_add(&b, "", 0)) {
        buf_release(&b);
        return NA_ENOMEM;
    }
    *len = b.len;
    *data = buf_detach(&b, NULL);
    return *data ? 0 : NA_ENOMEM;
}

static int sha1_hex(const char *data, size_t len, char out[64])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, len, md, &mdlen, EVP_sha1(), NULL))
        return -1;
    for (unsigned i = 0; i < mdlen && 2 * i + 2 < 64; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    return 0;
}

/* Makes the path in *field (or def when *field is NULL) absolute against
 * the config file's folder. */
static int resolve_path(struct sites_config *c, char **field, const char *def, struct buf *err)
{
    const char *a = *field ? *field : def;
    if (a[0] == '/') {
        if (!*field && !(*field = na_strdup(a)))
            return NA_ENOMEM;
        return 0;
    }
    struct buf dir = BUF_INIT;
    const char *slash = strrchr(c->path, '/');
    if (slash)
        buf_add(&dir, c->path, slash == c->path ? 1 : (size_t)(slash - c->path));
    else
        buf_adds(&dir, ".");
    if (dir.err) {
        buf_release(&dir);
        return NA_ENOMEM;
    }
    char *real = realpath(buf_str(&dir), NULL);
    buf_release(&dir);
    if (!real) {
        buf_seterr(err, "%s: cannot resolve the config file's folder: %s", c->path, strerror(errno));
        return NA_ECONFIG;
    }
    struct buf out = BUF_INIT;
    buf_adds(&out, real);
    if (strcmp(real, "/") != 0)
        buf_addc(&out, '/');
    free(real);
    /* "./archive" and "archive/" read as "archive". */
    while (a[0] == '.' && a[1] == '/')
        a += 2;
    buf_adds(&out, a);
    while (out.len > 1 && out.data[out.len - 1] == '/')
        buf_truncate(&out, out.len - 1);
    char *abs = buf_detach(&out, NULL);
    if (!abs)
        return NA_ENOMEM;
    free(*field);
    *field = abs;
    return 0;
}

/* The archive directory (default "archive") and ca_file, made absolute. */
static int resolve_archive(struct sites_config *c, struct buf *err)
{
    int rc = resolve_path(c, &c->archive, "archive", err);
    if (!rc && c->ca_file)
        rc = resolve_path(c, &c->ca_file, c->ca_file, err);
    if (!rc && c->proxy_auth_file)
        rc = resolve_path(c, &c->proxy_auth_file, c->proxy_auth_file, err);
    for (size_t i = 0; i < c->nsites && !rc; i++) {
        struct site *s = &c->sites[i];
        if (s->ca_file)
            rc = resolve_path(c, &s->ca_file, s->ca_file, err);
        if (!rc && s->proxy_auth_file)
            rc = resolve_path(c, &s->proxy_auth_file, s->proxy_auth_file, err);
    }
    return rc;
}

/* The network settings' files: readable, credentials not readable by
 * others, a proxy for credentials to go to. */
static void net_check(struct ctx *x)
{
    struct sites_config *c = x->c;
    for (size_t i = 0; i <= c->nsites && !x->failed; i++) {
        struct site *s = i < c->nsites ? &c->sites[i] : NULL;
        int line = s ? s->line : x->global_line;
        if (s && s->ca_file && access(s->ca_file, R_OK) != 0)
            fail(x, line, "[site %s] 'ca_file': cannot read '%s': %s", s->name, s->ca_file, strerror(errno));
        const char *af = s ? s->proxy_auth_file : c->proxy_auth_file;
        const char *ae = s ? s->proxy_auth_env : c->proxy_auth_env;
        struct buf e = BUF_INIT;
        if (af && auth_file_check(af, &e))
            fail(x, line, "%s%s%s%s", s ? "[site " : "", s ? s->name : "", s ? "] " : "", buf_str(&e));
        buf_release(&e);
        if (af && ae && !x->failed)
            fail(x, line, "give either 'proxy_auth_file' or 'proxy_auth_env', not both");
        if (!x->failed && (af || ae)) {
            struct sites_net n;
            sites_net_for(c, s, &n);
            if (!n.proxy || !*n.proxy)
                fail(x, line, "'%s' without a 'proxy' to send it to", af ? "proxy_auth_file" : "proxy_auth_env");
        }
    }
}

/* Checks that need the whole file: each site has sources, listing pages
 * have article patterns, the user agent is there. */
static void validate(struct ctx *x)
{
    struct sites_config *c = x->c;
    if (!c->user_agent) {
        fail(x, x->global_line,
             "[newsarc] needs 'user_agent' with a contact (a URL or an e-mail address), e.g. "
             "'user_agent = newsarc/0.1 (+https://example.org/crawler)'");
        return;
    }
    if (c->nsites == 0) {
        fail(x, 0, "no [site NAME] section");
        return;
    }
    for (size_t i = 0; i < c->nsites; i++) {
        struct site *s = &c->sites[i];
        if (s->nlisting + s->nfeed + s->nsitemap + s->nlisting_api == 0) {
            fail(x, s->line, "[site %s] needs at least one 'listing', 'listing_api', 'feed' or 'sitemap'", s->name);
            return;
        }
        if (s->nlisting_api && (!s->api_items || !s->api_link)) {
            fail(x, s->line, "[site %s] has 'listing_api' but no '%s' (the path of the item list in the JSON, "
                 "e.g. data.list[], and of the link in an item, e.g. url)", s->name,
                 !s->api_items ? "listing_api_items" : "listing_api_link");
            return;
        }
        if (s->nlisting_api && !s->narticle) {
            fail(x, s->line, "[site %s] has 'listing_api' but no 'article' pattern to pick article links", s->name);
            return;
        }
        if (s->nlisting && !s->narticle) {
            fail(x, s->line, "[site %s] has 'listing' pages but no 'article' pattern to pick article links",
                 s->name);
            return;
        }
        struct buf e = BUF_INIT;
        if (rules_validate(&s->rules, &e)) {
            fail(x, s->line, "[site %s]: %s", s->name, buf_str(&e));
            buf_release(&e);
            return;
        }
        buf_release(&e);
    }
}

int sites_config_load(const char *path, struct sites_config **out, struct buf *err)
{
    *out = NULL;
    struct sites_config *c = na_calloc(1, sizeof *c);
    if (!c) {
        buf_seterr(err, "out of memory");
        return NA_ENOMEM;
    }
    config_defaults(c);
    c->path = na_strdup(path);
    if (!c->path) {
        free(c);
        buf_seterr(err, "out of memory");
        return NA_ENOMEM;
    }
    char *data = NULL;
    size_t len = 0;
    int rc = read_file(path, &data, &len, err);
    if (rc) {
        sites_config_free(c);
        return rc;
    }
    if (sha1_hex(data, len, c->digest)) {
        free(data);
        sites_config_free(c);
        buf_seterr(err, "%s: cannot compute the SHA-1 digest", path);
        return NA_ECONFIG;
    }

    struct ctx x;
    memset(&x, 0, sizeof x);
    x.c = c;
    x.file = path;
    x.data = data;
    x.len = len;
    x.at_line_start = 1;
    buf_init(&x.msg, 4096);

    /* Debian's inih exposes its build options as globals: a heap line buffer
     * that grows up to our own line cap (the reader refuses longer lines), no
     * indented continuation lines (an indented key is just a key), stop at the
     * first error. Set before each parse; config loading is single-threaded. */
    ini_use_stack = false;
    ini_allow_realloc = true;
    ini_max_line = SITES_MAX_LINE + 3;
    ini_allow_multiline = false;
    ini_stop_on_first_error = true;
    ini_allow_no_value = false;

    int line = ini_parse_stream(reader, &x, handler, &x);
    if (!x.failed && line > 0) {
        struct buf t = BUF_INIT;
        line_text(&x, line, &t);
        if (t.len && t.data[0] == '[')
            fail(&x, line, "expected '[newsarc]' or '[site NAME]', got '%s'", buf_str(&t));
        else
            fail(&x, line, "expected 'key = value', got '%s'", buf_str(&t));
        buf_release(&t);
    } else if (!x.failed && line < 0) {
        x.oom = 1;
        fail(&x, 0, "out of memory");
    }
    if (!x.failed)
        validate(&x);
    free(data);
    if (!x.failed) {
        rc = resolve_archive(c, err);
        if (rc) {
            buf_release(&x.msg);
            sites_config_free(c);
            return rc;
        }
        if (c->ca_file && access(c->ca_file, R_OK) != 0)
            fail(&x, x.global_line, "'ca_file': cannot read '%s': %s", c->ca_file, strerror(errno));
        net_check(&x);
        for (size_t i = 0; i < c->nsites && !x.failed; i++) {
            struct buf e = BUF_INIT;
            if (site_prepare(&c->sites[i], &e)) {
                x.oom = 1;
                fail(&x, c->sites[i].line, "%s", buf_str(&e));
            }
            buf_release(&e);
        }
    }
    if (x.failed) {
        buf_seterr(err, "%s", buf_str(&x.msg));
        buf_release(&x.msg);
        sites_config_free(c);
        return x.oom ? NA_ENOMEM : NA_ECONFIG;
    }
    buf_release(&x.msg);
    *out = c;
    return 0;
}

/* ---- the dump ---- */

static void dump_size(struct buf *out, uint64_t v)
{
    static const char suf[] = "TGMK";
    for (int i = 0; i < 4; i++) {
        uint64_t m = (uint64_t)1 << (10 * (4 - i));
        if (v >= m && v % m == 0) {
            buf_printf(out, "%llu%c", (unsigned long long)(v / m), suf[i]);
            return;
        }
    }
    buf_printf(out, "%llu", (unsigned long long)v);
}

static void dump_key(struct buf *out, const struct keydef *k, const void *obj, const struct sites_config *c,
                     const struct site *s)
{
    const char *field = (const char *)obj + k->off;
    if (is_list(k->kind)) {
        size_t n = *(const size_t *)((const char *)obj + k->noff);
        char *const *v = (char *const *)field;
        if (n == 0) {
            const char *why = "none";
            if (k->kind == K_PREFIX)
                why = "none: every path of the hosts";
            else if (k->kind == K_HOSTS && strcmp(k->name, "requisites_hosts") == 0)
                why = "none: images from the site's hosts only";
            else if (k->kind == K_REGEX)
                why = "none: every in-scope feed/sitemap URL is an article";
            buf_printf(out, "; %s: (%s)\n", k->name, why);
        }
        for (size_t i = 0; i < n; i++) {
            buf_printf(out, "%s = %s", k->name, v[i]);
            if (k->kind == K_HOSTS && s && s->hosts_default && strcmp(k->name, "hosts") == 0)
                buf_adds(out, "  ; default: hosts of listing/feed/sitemap URLs");
            buf_addc(out, '\n');
        }
        return;
    }
    switch (k->kind) {
    case K_STR:
    case K_PATH:
    case K_PROXY:
    case K_ENVNAME:
    case K_UA:
    case K_CHARSET:
    case K_XPATH: {
        const char *v = *(char *const *)field;
        const struct keydef *g = s && !v ? find_key(W_GLOBAL, k->name) : NULL;
        const char *gv = g ? *(char *const *)((const char *)c + g->off) : NULL;
        if (gv)
            buf_printf(out, "%s = %s  ; from [newsarc]\n", k->name, gv);
        else if (!v && strcmp(k->name, "proxy") == 0)
            buf_printf(out, "; %s: (none: the environment's http_proxy, https_proxy, all_proxy)\n", k->name);
        else if (v)
            buf_printf(out, "%s = %s\n", k->name, v);
        else if (k->kind == K_CHARSET)
            buf_printf(out, "; %s: (none: from HTTP headers, <meta> or detection)\n", k->name);
        else
            buf_printf(out, "; %s: (none)\n", k->name);
        break;
    }
    case K_INT:
        buf_printf(out, "%s = %d", k->name, *(const int *)field);
        if (strcmp(k->name, "workers") == 0 && *(const int *)field == 0)
            buf_adds(out, "  ; 0: one per core");
        buf_addc(out, '\n');
        break;
    case K_DUR: {
        double d = *(const double *)field;
        if (s && d < 0)
            buf_printf(out, "%s = %g  ; from [newsarc]\n", k->name, c->delay);
        else
            buf_printf(out, "%s = %g\n", k->name, d);
        break;
    }
    case K_SIZE:
        buf_printf(out, "%s = ", k->name);
        dump_size(out, *(const uint64_t *)field);
        buf_addc(out, '\n');
        break;
    case K_BOOL: {
        int b = *(const int *)field;
        const struct keydef *g = s && b < 0 ? find_key(W_GLOBAL, k->name) : NULL;
        if (g)
            buf_printf(out, "%s = %s  ; from [newsarc]\n", k->name,
                       *(const int *)((const char *)c + g->off) ? "yes" : "no");
        else
            buf_printf(out, "%s = %s\n", k->name, b ? "yes" : "no");
        break;
    }
    case K_SCHED: {
        const struct sites_retry *r = (const struct sites_retry *)field;
        int inherited = s && !r->set;
        if (inherited)
            r = sites_retry_for(c, NULL, strcmp(k->name, "retry_missing") == 0);
        buf_printf(out, "%s =", k->name);
        if (!r->n)
            buf_adds(out, " none");
        for (size_t i = 0; i < r->n; i++) {
            long d = r->delay[i];
            if (d && d % 86400 == 0)
                buf_printf(out, " %ldd", d / 86400);
            else if (d && d % 3600 == 0)
                buf_printf(out, " %ldh", d / 3600);
            else if (d && d % 60 == 0)
                buf_printf(out, " %ldm", d / 60);
            else
                buf_printf(out, " %lds", d);
        }
        buf_adds(out, inherited ? "  ; from [newsarc]\n" : "\n");
        break;
    }
    case K_ALERT: {
        double d = s ? s->alert_after_secs : 0;
        if (s && s->alert_after_runs > 0)
            buf_printf(out, "%s = %d runs\n", k->name, s->alert_after_runs);
        else if (d <= 0)
            buf_printf(out, "%s = off\n", k->name);
        else if (fmod(d, 86400) == 0)
            buf_printf(out, "%s = %gd\n", k->name, d / 86400);
        else if (fmod(d, 3600) == 0)
            buf_printf(out, "%s = %gh\n", k->name, d / 3600);
        else if (fmod(d, 60) == 0)
            buf_printf(out, "%s = %gm\n", k->name, d / 60);
        else
            buf_printf(out, "%s = %gs\n", k->name, d);
        break;
    }
    case K_REQUISITES:
        buf_printf(out, "%s = %s\n", k->name, *(const int *)field == SITES_REQUISITES_IMAGES ? "images" : "none");
        break;
    default:
        break;
    }
}

int sites_config_dump(const struct sites_config *c, struct buf *out)
{
    buf_printf(out, "; %s (sha1 %s)\n[newsarc]\n", c->path, c->digest);
    for (size_t i = 0; i < NKEYS; i++)
        if (keys[i].where == W_GLOBAL)
            dump_key(out, &keys[i], c, c, NULL);
    for (size_t j = 0; j < c->nsites; j++) {
        const struct site *s = &c->sites[j];
        buf_printf(out, "\n[site %s]\n", s->name);
        for (size_t i = 0; i < NKEYS; i++)
            if (keys[i].where == W_SITE)
                dump_key(out, &keys[i], s, c, s);
    }
    return out->err;
}

/* ---- scope ---- */

static int host_in_list(char *const *list, size_t n, const char *host)
{
    for (size_t i = 0; i < n; i++) {
        if (!list[i])
            continue;
        char *h = url_host(list[i]);
        int ok = h && strcmp(h, host) == 0;
        free(h);
        if (ok)
            return 1;
    }
    return 0;
}

/* url_in_scope on a canonical URL. */
static int canonical_in_scope(const struct site *s, const char *url)
{
    if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
        return 0;
    char *host = url_host(url);
    if (!host)
        return 0;
    int ok = 0;
    if (s->nhosts) {
        for (size_t i = 0; i < s->nhosts && !ok; i++)
            ok = s->hosts[i] && url_host_matches(s->hosts[i], host);
    } else {
        ok = host_in_list(s->listing, s->nlisting, host) || host_in_list(s->feed, s->nfeed, host) ||
             host_in_list(s->listing_api, s->nlisting_api, host) || host_in_list(s->sitemap, s->nsitemap, host);
    }
    free(host);
    if (!ok)
        return 0;
    if (s->npath_prefix) {
        const char *p = strstr(url, "://") + 3;
        p += strcspn(p, "/?#");
        const char *path = *p == '/' ? p : "/";
        size_t pn = *p == '/' ? strcspn(p, "?#") : 1;
        ok = 0;
        for (size_t i = 0; i < s->npath_prefix && !ok; i++) {
            size_t n = strlen(s->path_prefix[i]);
            ok = pn >= n && strncmp(path, s->path_prefix[i], n) == 0;
        }
        if (!ok)
            return 0;
    }
    return !url_trap(url, s->max_depth);
}

int sites_requisite_in_scope(const struct site *s, const char *url)
{
    if (!url || strlen(url) > URL_MAX_LEN)
        return 0;
    char *c = url_canonical(url);
    char *host = c ? url_host(c) : NULL;
    int ok = 0;
    if (host && (strncmp(c, "http://", 7) == 0 || strncmp(c, "https://", 8) == 0)) {
        if (s->nhosts) {
            for (size_t i = 0; i < s->nhosts && !ok; i++)
                ok = s->hosts[i] && url_host_matches(s->hosts[i], host);
        } else {
            ok = host_in_list(s->listing, s->nlisting, host) || host_in_list(s->feed, s->nfeed, host) ||
                 host_in_list(s->listing_api, s->nlisting_api, host) || host_in_list(s->sitemap, s->nsitemap, host);
        }
        for (size_t i = 0; i < s->nrequisites_hosts && !ok; i++)
            ok = url_host_matches(s->requisites_hosts[i], host);
        ok = ok && !url_trap(c, s->max_depth);
    }
    free(host);
    free(c);
    return ok;
}

int url_in_scope(const struct site *s, const char *url)
{
    if (!url || strlen(url) > URL_MAX_LEN)
        return 0;
    /* Judged on the canonical form, which is what gets fetched: its host is
     * mapped as the site's hosts are, and no dot segment ("..", "%2e%2e")
     * is left in its path to climb out of a path_prefix. */
    char *c = url_canonical(url);
    if (!c)
        return 0;
    int ok = canonical_in_scope(s, c);
    free(c);
    return ok;
}
