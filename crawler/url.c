/* url.c — URL resolution, canonicalization, scope and trap checks on curl's
 * CURLU API (RFC 3986 resolution and dot-segment removal are curl's; href
 * clean-up follows the WHATWG URL Standard: surrounding whitespace trimmed,
 * tab/CR/LF removed, '\' read as '/', %2e read as '.' in the path, the query
 * encoded in the document's charset; hosts mapped by UTS #46 with libidn2).
 * Only http and https pass. The query encoder calls iconv directly: it is
 * the one conversion out of UTF-8, which charset.c does not offer. */
#include "crawler/url.h"
#include "parser/charset.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"

#include <curl/curl.h>
#include <errno.h>
#include <iconv.h>
#include <idn2.h>
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
 * others upper-cased, and a '%' that starts no escape written "%25" (else
 * "%e%65" would decode to a new escape "%ee" and the result would not be a
 * fixed point). Appends s[0..n) so normalized to out. */
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
        } else if (s[i] == '%') {
            buf_adds(out, "%25");
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

/* 1 if s holds only letters, digits, '-', '_' and '.'. */
static int host_chars_ok(const char *s)
{
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.'))
            return 0;
    }
    return 1;
}

/* 1 if the host's last label is a number (decimal, or 0x hex), which makes
 * it an IPv4 address to browsers and curl (WHATWG "ends in a number"). */
static int ends_in_number(const char *h)
{
    const char *l = strrchr(h, '.');
    l = l ? l + 1 : h;
    if (!*l)
        return 0;
    if (l[0] == '0' && (l[1] == 'x' || l[1] == 'X')) {
        for (l += 2; *l; l++)
            if (hexval((unsigned char)*l) < 0)
                return 0;
        return 1;
    }
    for (; *l; l++)
        if (*l < '0' || *l > '9')
            return 0;
    return 1;
}

/* 1 if h is an IPv4 address as curl writes one: four decimal parts 0-255,
 * no leading zeros. */
static int dotted_quad(const char *h)
{
    for (int part = 0; part < 4; part++) {
        int v = 0, digits = 0;
        for (; *h >= '0' && *h <= '9' && digits <= 3; h++, digits++)
            v = v * 10 + (*h - '0');
        if (!digits || digits > 3 || v > 255 || (digits > 1 && h[-digits] == '0'))
            return 0;
        if (part < 3 && *h++ != '.')
            return 0;
    }
    return *h == 0;
}

int url_host_ascii(const char *host, char **out)
{
    *out = NULL;
    if (!host || !host[0])
        return NA_EPARSE;
    int ascii = 1;
    for (const unsigned char *p = (const unsigned char *)host; *p; p++)
        if (*p >= 0x80)
            ascii = 0;
    char *h;
    if (ascii) {
        /* curl 7.88 keeps '%' (and what %XX decodes to) in a host: only an
         * IPv6 literal or a name of letters, digits, '-', '_', '.' passes,
         * so that a canonical URL stays canonical */
        if (host[0] != '[' && !host_chars_ok(host))
            return NA_EPARSE;
        h = na_strdup(host);
        if (!h)
            return NA_ENOMEM;
    } else {
        /* The non-transitional UTS #46 processing of the WHATWG URL
         * Standard (ß and ς kept); STD3 rules off as in browsers, so the
         * check below catches what would map to URL syntax ("＜" -> '<'). */
        char *o = NULL;
        int rc = idn2_to_ascii_8z(host, &o, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
        if (rc != IDN2_OK) {
            idn2_free(o);
            return rc == IDN2_MALLOC ? NA_ENOMEM : NA_EPARSE;
        }
        if (!host_chars_ok(o)) {
            idn2_free(o);
            return NA_EPARSE;
        }
        h = na_strdup(o);
        idn2_free(o);
        if (!h)
            return NA_ENOMEM;
    }
    lower_ascii(h);
    size_t hl = strlen(h);
    while (hl > 1 && h[hl - 1] == '.')
        h[--hl] = 0; /* "example.com." is example.com */
    /* curl writes a numeric host as a dotted quad when it parses it, but
     * not one that %31, a trailing dot or a full-width digit made numeric:
     * such a host would change on the next parse (not canonical) */
    if (!h[0] || h[0] == '.' || (h[0] != '[' && ends_in_number(h) && !dotted_quad(h))) {
        free(h);
        return NA_EPARSE;
    }
    *out = h;
    return 0;
}

/* Canonicalizes the URL held by h; a malloc'd string or NULL. The string is
 * assembled here from curl's parts (curl re-lowercases escapes when parts
 * are set back). */
static char *canonical_of(CURLU *h)
{
    char *scheme = NULL, *host = NULL, *ahost = NULL, *port = NULL, *path = NULL, *query = NULL;
    char *res = NULL;
    struct buf b;
    buf_init(&b, URL_MAX_LEN);
    if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
        goto done;
    lower_ascii(scheme);
    if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
        goto done;
    if (curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK || url_host_ascii(host, &ahost))
        goto done;
    CURLUcode prc = curl_url_get(h, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT);
    if (prc != CURLUE_OK && prc != CURLUE_NO_PORT)
        goto done;
    if (curl_url_get(h, CURLUPART_PATH, &path, 0) != CURLUE_OK)
        goto done;
    CURLUcode qrc = curl_url_get(h, CURLUPART_QUERY, &query, 0);
    if (qrc != CURLUE_OK && qrc != CURLUE_NO_QUERY)
        goto done;
    buf_printf(&b, "%s://%s", scheme, ahost);
    if (port)
        buf_printf(&b, ":%s", port);
    if (!path || path[0] != '/')
        buf_addc(&b, '/');
    if (path)
        pct_normalize(path, strlen(path), &b);
    if (query && query[0]) {
        struct buf q;
        buf_init(&q, URL_MAX_LEN);
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
    free(ahost);
    curl_free(port);
    curl_free(path);
    curl_free(query);
    return res;
}

static void pct_byte(struct buf *b, unsigned char c)
{
    static const char hx[] = "0123456789ABCDEF";
    buf_addc(b, '%');
    buf_addc(b, hx[c >> 4]);
    buf_addc(b, hx[c & 15]);
}

/* The encoder of a query in the document's charset, or (iconv_t)-1 when the
 * query stays UTF-8: no charset, an unknown one, UTF-8 or UTF-16 (the WHATWG
 * URL Standard encodes UTF-16 documents' URLs as UTF-8). */
static iconv_t query_encoder(const char *charset)
{
    if (!charset || !charset[0])
        return (iconv_t)-1;
    const char *name = charset_canonical(charset);
    if (!name)
        name = charset; /* already an iconv name, as struct charset_info has it */
    if (strncasecmp(name, "UTF-", 4) == 0 || strncasecmp(name, "UTF8", 4) == 0)
        return (iconv_t)-1;
    return iconv_open(name, "UTF-8");
}

/* Length of the UTF-8 character at p (1..4, at most n), 1 if not valid. */
static size_t utf8_char_len(const unsigned char *p, size_t n)
{
    size_t k = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 1;
    if (k > n || !charset_valid_utf8((const char *)p, k))
        return 1;
    return k;
}

/* One character of a query (k UTF-8 bytes at p) in cd's charset,
 * percent-encoded. A character the charset lacks becomes "&#N;" encoded
 * (%26%23N%3B), as browsers send it; a byte that is not UTF-8 is sent as it
 * is. */
static void query_char(iconv_t cd, const unsigned char *p, size_t k, struct buf *b)
{
    char in[4], outb[32];
    memcpy(in, p, k);
    char *ip = in, *op = outb;
    size_t il = k, ol = sizeof outb;
    if (k > 1 && iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && iconv(cd, NULL, NULL, &op, &ol) != (size_t)-1) {
        for (const char *q = outb; q < op; q++)
            pct_byte(b, (unsigned char)*q);
        return;
    }
    iconv(cd, NULL, NULL, NULL, NULL); /* back to the initial state */
    if (k == 1) {
        pct_byte(b, p[0]);
        return;
    }
    unsigned cp = p[0] & (k == 2 ? 0x1F : k == 3 ? 0x0F : 0x07);
    for (size_t i = 1; i < k; i++)
        cp = cp << 6 | (p[i] & 0x3F);
    buf_printf(b, "%%26%%23%u%%3B", cp);
}

/* WHATWG clean-up of an href (or a base) before curl reads it: C0 controls
 * and spaces trimmed at both ends, tab/CR/LF removed; before the query '\'
 * read as '/' and %2e/%2E as '.', so that curl removes "%2e%2e" segments as
 * the dot segments browsers and servers take them for; with a charset, the
 * query's non-ASCII characters encoded in it (query_char). NULL if too long
 * or out of memory. */
static char *clean_href(const char *href, const char *charset)
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
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (href[i] != '\t' && href[i] != '\n' && href[i] != '\r')
            s[m++] = href[i];
    s[m] = 0;
    const unsigned char *p = (const unsigned char *)s;
    struct buf b;
    buf_init(&b, 16 * m + 16); /* never hit: a character grows to 16 bytes at most */
    iconv_t cd = (iconv_t)-1;
    int part = 0, opened = 0; /* part: 0 before the query, 1 the query, 2 the fragment */
    for (size_t i = 0; i < m; i++) {
        unsigned char c = p[i];
        if (c == '#')
            part = 2;
        else if (c == '?' && part == 0)
            part = 1;
        if (part == 0 && c == '\\')
            c = '/';
        if (part == 0 && c == '%' && i + 2 < m && p[i + 1] == '2' && (p[i + 2] == 'e' || p[i + 2] == 'E')) {
            buf_addc(&b, '.');
            i += 2;
            continue;
        }
        if (part == 1 && c >= 0x80 && charset) {
            if (!opened) {
                cd = query_encoder(charset);
                opened = 1;
            }
            if (cd != (iconv_t)-1) {
                size_t k = utf8_char_len(p + i, m - i);
                query_char(cd, p + i, k, &b);
                i += k - 1;
                continue;
            }
        }
        buf_addc(&b, (char)c);
    }
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    free(s);
    char *res = b.err ? NULL : buf_detach(&b, NULL);
    buf_release(&b);
    return res;
}

char *url_resolve_cs(const char *base, const char *href, const char *charset)
{
    if (!href)
        return NULL;
    char *h = clean_href(href, charset), *bc = NULL, *res = NULL;
    CURLU *u = NULL;
    if (!h)
        return NULL;
    if (base && !(bc = clean_href(base, NULL)))
        goto done;
    if (!(u = curl_url()))
        goto done;
    if (bc && curl_url_set(u, CURLUPART_URL, bc, CURLU_ALLOW_SPACE | CURLU_URLENCODE) != CURLUE_OK)
        goto done;
    if (h[0] == '#' && bc)
        h[0] = 0; /* a fragment-only link is the base itself */
    if (h[0] && curl_url_set(u, CURLUPART_URL, h, CURLU_ALLOW_SPACE | CURLU_URLENCODE) != CURLUE_OK)
        goto done;
    if (!h[0] && !bc)
        goto done;
    res = canonical_of(u);
done:
    curl_url_cleanup(u);
    free(bc);
    free(h);
    return res;
}

char *url_resolve(const char *base, const char *href)
{
    return url_resolve_cs(base, href, NULL);
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
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
        url_host_ascii(host, &res);
    curl_free(host);
    curl_url_cleanup(u);
    return res;
}

/* host matches pattern: exact (case-insensitive), or "*.example.com" for
 * example.com's subdomains (not example.com itself). */
int url_host_matches(const char *pattern, const char *host)
{
    if (pattern[0] == '*' && pattern[1] == '.') {
        size_t pn = strlen(pattern + 1), hn = strlen(host);
        return hn > pn && strcasecmp(host + hn - pn, pattern + 1) == 0;
    }
    return strcasecmp(pattern, host) == 0;
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
