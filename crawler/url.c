/* url.c — URL resolution, canonicalization, scope and trap checks on curl's
 * CURLU API (RFC 3986 resolution and dot-segment removal are curl's; href
 * clean-up follows the WHATWG URL Standard: surrounding whitespace trimmed,
 * tab/CR/LF removed, '\' read as '/'). Only http and https pass. */
#include "crawler/url.h"
#include "crawler/sites.h"
#include "util/buf.h"
#include "util/mem.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Query parameters that only track where a click came from. "from" is
 * dropped only when its value is not a number (from=20 may be an offset). */
static const char *const tracking_exact[] = {
    "spm", "scm", "share", "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid",
    "mc_cid", "mc_eid", "_hsenc", "_hsmi", "igshid", "isappinstalled", "share_source",
    "share_medium", "share_plat", "share_tag", "share_from", "sharer_sharetime",
    "sharer_shareid", "vd_source", "wxshare_count", "wfr", "from_source", "_ga", "ref_src",
    NULL,
};

static int is_tracking(const char *name, size_t n, const char *value, size_t vn)
{
    if (n >= 4 && strncasecmp(name, "utm_", 4) == 0)
        return 1;
    if (n == 4 && strncasecmp(name, "from", 4) == 0) {
        if (vn == 0)
            return 1;
        for (size_t i = 0; i < vn; i++)
            if (value[i] < '0' || value[i] > '9')
                return 1;
        return 0;
    }
    for (size_t i = 0; tracking_exact[i]; i++)
        if (strlen(tracking_exact[i]) == n && strncasecmp(tracking_exact[i], name, n) == 0)
            return 1;
    return 0;
}

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

/* RFC 3986 6.2.2: percent-escapes of unreserved characters decoded, the
 * others upper-cased. Appends s[0..n) so normalized to out. */
static void pct_normalize(const char *s, size_t n, struct buf *out)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
            hexval((unsigned char)s[i + 2]) >= 0) {
            int v = hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]);
            if (unreserved(v)) {
                buf_addc(out, (char)v);
            } else {
                static const char hx[] = "0123456789ABCDEF";
                buf_addc(out, '%');
                buf_addc(out, hx[v >> 4]);
                buf_addc(out, hx[v & 15]);
            }
            i += 2;
        } else {
            buf_addc(out, s[i]);
        }
    }
}

/* The query without tracking parameters, order kept; "" when none remain. */
static void clean_query(const char *q, struct buf *out)
{
    const char *p = q;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t n = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        size_t kn = eq ? (size_t)(eq - p) : n;
        const char *v = eq ? eq + 1 : p + n;
        size_t vn = eq ? n - kn - 1 : 0;
        if (n > 0 && !is_tracking(p, kn, v, vn)) {
            if (out->len)
                buf_addc(out, '&');
            pct_normalize(p, n, out);
        }
        p += n;
        if (*p == '&')
            p++;
    }
}

static void lower_ascii(char *p)
{
    for (; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
}

/* Canonicalizes the URL held by h; a malloc'd string or NULL. The string is
 * assembled here from curl's parts (curl re-lowercases escapes when parts
 * are set back). */
static char *canonical_of(CURLU *h)
{
    char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *query = NULL, *res = NULL;
    struct buf b;
    buf_init(&b, URL_MAX_LEN + 1);
    if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
        goto done;
    lower_ascii(scheme);
    if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
        goto done;
    if (curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host[0])
        goto done;
    lower_ascii(host);
    size_t hl = strlen(host);
    while (hl > 1 && host[hl - 1] == '.')
        host[--hl] = 0; /* "example.com." is example.com */
    CURLUcode prc = curl_url_get(h, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT);
    if (prc != CURLUE_OK && prc != CURLUE_NO_PORT)
        goto done;
    if (curl_url_get(h, CURLUPART_PATH, &path, 0) != CURLUE_OK)
        goto done;
    CURLUcode qrc = curl_url_get(h, CURLUPART_QUERY, &query, 0);
    if (qrc != CURLUE_OK && qrc != CURLUE_NO_QUERY)
        goto done;
    buf_printf(&b, "%s://%s", scheme, host);
    if (port)
        buf_printf(&b, ":%s", port);
    if (!path || path[0] != '/')
        buf_addc(&b, '/');
    if (path)
        pct_normalize(path, strlen(path), &b);
    if (query && query[0]) {
        struct buf q;
        buf_init(&q, URL_MAX_LEN + 1);
        clean_query(query, &q);
        if (q.len) {
            buf_addc(&b, '?');
            buf_add(&b, q.data, q.len);
        }
        if (q.err)
            b.err = q.err;
        buf_release(&q);
    }
    if (!b.err)
        res = buf_detach(&b, NULL);
done:
    buf_release(&b);
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_free(query);
    return res;
}

/* WHATWG clean-up of an href: trim C0 controls and spaces at both ends,
 * remove tab/CR/LF, read '\' as '/' before the query. NULL if too long. */
static char *clean_href(const char *href)
{
    size_t n = strlen(href);
    while (n && (unsigned char)href[n - 1] <= 0x20)
        n--;
    while (n && (unsigned char)*href <= 0x20) {
        href++;
        n--;
    }
    if (n > URL_MAX_LEN * 2)
        return NULL;
    char *s = na_malloc(n + 1);
    if (!s)
        return NULL;
    size_t j = 0;
    int in_query = 0;
    for (size_t i = 0; i < n; i++) {
        char c = href[i];
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c == '?' || c == '#')
            in_query = 1;
        if (c == '\\' && !in_query)
            c = '/';
        s[j++] = c;
    }
    s[j] = 0;
    return s;
}

char *url_resolve(const char *base, const char *href)
{
    if (!href)
        return NULL;
    char *h = clean_href(href);
    if (!h)
        return NULL;
    char *res = NULL;
    CURLU *u = curl_url();
    if (!u)
        goto done;
    if (base && curl_url_set(u, CURLUPART_URL, base, CURLU_ALLOW_SPACE | CURLU_URLENCODE) != CURLUE_OK)
        goto done;
    if (h[0] == '#' && base)
        h[0] = 0; /* a fragment-only link is the base itself */
    if (h[0] && curl_url_set(u, CURLUPART_URL, h, CURLU_ALLOW_SPACE | CURLU_URLENCODE) != CURLUE_OK)
        goto done;
    if (!h[0] && !base)
        goto done;
    res = canonical_of(u);
done:
    curl_url_cleanup(u);
    free(h);
    return res;
}

char *url_canonical(const char *url)
{
    if (!url)
        return NULL;
    return url_resolve(NULL, url);
}

char *url_host(const char *url)
{
    char *host = NULL, *res = NULL;
    CURLU *u = curl_url();
    if (!u)
        return NULL;
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_ALLOW_SPACE | CURLU_URLENCODE) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host[0]) {
        res = na_strdup(host);
        if (res)
            for (char *p = res; *p; p++)
                if (*p >= 'A' && *p <= 'Z')
                    *p = (char)(*p - 'A' + 'a');
    }
    curl_free(host);
    curl_url_cleanup(u);
    return res;
}

/* host matches pattern: exact (case-insensitive), or "*.example.com" for
 * example.com's subdomains (not example.com itself). */
static int host_matches(const char *pattern, const char *host)
{
    if (pattern[0] == '*' && pattern[1] == '.') {
        size_t pn = strlen(pattern + 1), hn = strlen(host);
        return hn > pn && strcasecmp(host + hn - pn, pattern + 1) == 0;
    }
    return strcasecmp(pattern, host) == 0;
}

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

int url_trap(const char *url, int max_depth)
{
    size_t n = strlen(url);
    if (n > URL_MAX_LEN)
        return 1;
    if (max_depth <= 0)
        max_depth = URL_DEFAULT_MAX_DEPTH;
    const char *p = strstr(url, "://");
    if (!p)
        return 1;
    p = strchr(p + 3, '/');
    if (!p)
        return 0;
    size_t pathlen = strcspn(p, "?#");
    /* Segments as (start, length) pairs; the depth cap bounds the count. */
    struct { const char *s; size_t n; } seg[URL_MAX_DEPTH_LIMIT + 1];
    int nseg = 0;
    size_t i = 0;
    while (i < pathlen) {
        while (i < pathlen && p[i] == '/')
            i++;
        if (i >= pathlen)
            break;
        size_t st = i;
        while (i < pathlen && p[i] != '/')
            i++;
        if (nseg >= max_depth || nseg >= URL_MAX_DEPTH_LIMIT)
            return 1;
        seg[nseg].s = p + st;
        seg[nseg].n = i - st;
        nseg++;
    }
    for (int a = 0; a < nseg; a++) {
        int count = 1;
        for (int b = a + 1; b < nseg; b++)
            if (seg[b].n == seg[a].n && memcmp(seg[b].s, seg[a].s, seg[a].n) == 0)
                count++;
        if (count >= 3)
            return 1;
    }
    return 0;
}

int url_in_scope(const struct site *s, const char *url)
{
    if (!url || strlen(url) > URL_MAX_LEN)
        return 0;
    if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
        return 0;
    char *host = url_host(url);
    if (!host)
        return 0;
    int ok = 0;
    if (s->nhosts) {
        for (size_t i = 0; i < s->nhosts && !ok; i++)
            ok = s->hosts[i] && host_matches(s->hosts[i], host);
    } else {
        ok = host_in_list(s->listing, s->nlisting, host) || host_in_list(s->feed, s->nfeed, host) ||
             host_in_list(s->sitemap, s->nsitemap, host);
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
