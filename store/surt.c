/* surt.c — SURT keys for CDXJ: a port of the steps of the python surt package
 * (handyurl.parse, GoogleURLCanonicalizer, IAURLCanonicalizer, SURT format)
 * that apply to http(s) URLs, working on bytes with bounded buffers. Each
 * step names the python function it mirrors so differences can be checked. */
#include "store/surt.h"
#include "util/err.h"
#include "util/mem.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A parsed URL; every part is a buf of its own (empty + has_* = 0 = None). */
struct hurl {
    struct buf scheme, host, path, query;
    int has_query;
    long port; /* -1 = none */
};

static int is_hex(int c) { return isxdigit((unsigned char)c) != 0; }
static int hexval(int c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

static void lower(struct buf *b)
{
    for (size_t i = 0; i < b->len; i++)
        b->data[i] = (char)tolower((unsigned char)b->data[i]);
}

/* Replaces dst's content by n bytes at p (p may point into dst). */
static int set_bytes(struct buf *dst, const char *p, size_t n)
{
    struct buf t;
    buf_init(&t, SURT_MAX_URL);
    buf_add(&t, p, n);
    if (t.err) {
        buf_release(&t);
        return dst->err = t.err;
    }
    buf_release(dst);
    *dst = t;
    return 0;
}

/* unquote() once: %XX with two hex digits becomes the byte. Returns 1 if
 * anything changed. */
static int unquote_once(struct buf *b)
{
    size_t j = 0;
    int changed = 0;
    for (size_t i = 0; i < b->len; i++) {
        if (b->data[i] == '%' && i + 2 < b->len && is_hex(b->data[i + 1]) && is_hex(b->data[i + 2])) {
            b->data[j++] = (char)(hexval(b->data[i + 1]) * 16 + hexval(b->data[i + 2]));
            i += 2;
            changed = 1;
        } else {
            b->data[j++] = b->data[i];
        }
    }
    if (b->data)
        b->data[j] = 0;
    b->len = j;
    return changed;
}

/* GoogleURLCanonicalizer.unescapeRepeatedly: each pass shrinks, so this ends. */
static void unescape_repeatedly(struct buf *b)
{
    while (b->len && unquote_once(b))
        ;
}

/* GoogleURLCanonicalizer.escapeOnce: quote() with the safe set
 * !"$&'()*+,-./:;<=>?@[\]^_`{|}~ plus alphanumerics: escapes controls, space,
 * bytes >= 0x7f, '%' and '#'. */
static int escape_once(struct buf *b)
{
    static const char hex[] = "0123456789ABCDEF";
    struct buf t;
    buf_init(&t, SURT_MAX_URL);
    for (size_t i = 0; i < b->len; i++) {
        unsigned char c = (unsigned char)b->data[i];
        if (c <= 0x20 || c >= 0x7f || c == '%' || c == '#') {
            char e[3] = { '%', hex[c >> 4], hex[c & 15] };
            buf_add(&t, e, 3);
        } else {
            buf_addc(&t, (char)c);
        }
    }
    if (t.err) {
        buf_release(&t);
        return b->err = t.err;
    }
    buf_release(b);
    *b = t;
    return 0;
}

/* GoogleURLCanonicalizer.normalizePath: drops "." and empty segments,
 * resolves "..", keeps a trailing slash. */
static int normalize_path(struct buf *path)
{
    struct buf out;
    buf_init(&out, SURT_MAX_URL);
    if (path->len == 0) {
        buf_addc(&out, '/');
    } else {
        /* Segments after the first '/'-split element, as (start, len) pairs
         * in a bounded array: at most len/1 + 1 of them. */
        size_t cap = path->len + 1, nkept = 0;
        size_t *kstart = na_calloc(cap, sizeof *kstart), *klen = na_calloc(cap, sizeof *klen);
        if (!kstart || !klen) {
            free(kstart);
            free(klen);
            buf_release(&out);
            return path->err = NA_ENOMEM;
        }
        const char *s = path->data;
        size_t i = 0, first = 1;
        for (;;) {
            size_t st = i;
            while (i < path->len && s[i] != '/')
                i++;
            size_t len = i - st;
            if (first) {
                first = 0;
            } else if (len == 1 && s[st] == '.') {
                /* skip */
            } else if (len == 2 && s[st] == '.' && s[st + 1] == '.') {
                if (nkept > 0)
                    nkept--;
                else {
                    kstart[nkept] = st;
                    klen[nkept++] = len;
                }
            } else {
                kstart[nkept] = st;
                klen[nkept++] = len;
            }
            if (i >= path->len)
                break;
            i++; /* the '/' */
        }
        buf_addc(&out, '/');
        for (size_t k = 0; k + 1 < nkept; k++)
            if (klen[k] > 0) {
                buf_add(&out, s + kstart[k], klen[k]);
                buf_addc(&out, '/');
            }
        if (nkept > 0)
            buf_add(&out, s + kstart[nkept - 1], klen[nkept - 1]);
        free(kstart);
        free(klen);
    }
    if (out.err) {
        buf_release(&out);
        return path->err = out.err;
    }
    buf_release(path);
    *path = out;
    return 0;
}

/* GoogleURLCanonicalizer.attemptIPFormats: all digits → the low 32 bits as
 * a dotted quad; decimal or octal dotted forms → what inet_aton makes of them
 * (python asks gethostbyname_ex, which parses numbers the same way).
 * Returns 1 and rewrites host when it is an IP address. */
static int attempt_ip(struct buf *host)
{
    const char *s = host->data;
    size_t n = host->len;
    char quad[INET_ADDRSTRLEN];
    if (n == 0)
        return 0;
    int all_digits = 1;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            all_digits = 0;
    if (all_digits) {
        uint64_t v = 0;
        for (size_t i = 0; i < n; i++)
            v = v * 10 + (uint64_t)(s[i] - '0'); /* wraps mod 2^64: low 32 bits stay right */
        uint32_t x = (uint32_t)(v & 0xffffffffu);
        snprintf(quad, sizeof quad, "%u.%u.%u.%u", x >> 24, (x >> 16) & 255, (x >> 8) & 255, x & 255);
        return set_bytes(host, quad, strlen(quad)) == 0;
    }
    /* ^([1-9][0-9]*)(\.[0-9]+){0,3}$ or ^(0[0-7]*)(\.[0-7]+){0,3}$ */
    int octal = s[0] == '0';
    if (!octal && !(s[0] >= '1' && s[0] <= '9'))
        return 0;
    int dots = 0;
    size_t seglen = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (seglen == 0 || ++dots > 3)
                return 0;
            seglen = 0;
        } else if (octal ? (s[i] >= '0' && s[i] <= '7') : isdigit((unsigned char)s[i])) {
            seglen++;
        } else {
            return 0;
        }
    }
    if (seglen == 0)
        return 0;
    struct in_addr a;
    if (!inet_aton(s, &a))
        return 0;
    if (!inet_ntop(AF_INET, &a, quad, sizeof quad))
        return 0;
    return set_bytes(host, quad, strlen(quad)) == 0;
}

/* handyurl.parse: strip, drop tabs/newlines, default scheme http://, collapse
 * "http://https://", then urlsplit. */
static int parse(const char *url, size_t n, struct hurl *h)
{
    struct buf u;
    buf_init(&u, SURT_MAX_URL);
    while (n && url[0] && strchr(" \t\n\r\v\f", url[0])) {
        url++;
        n--;
    }
    while (n && url[n - 1] && strchr(" \t\n\r\v\f", url[n - 1]))
        n--;
    if (n == 0)
        return NA_EINVAL;
    if (n > SURT_MAX_URL)
        return NA_ETOOBIG;
    /* addDefaultSchemeIfNeeded: ^[a-zA-Z][a-zA-Z0-9+.-]*: */
    size_t k = 0;
    if (isalpha((unsigned char)url[0])) {
        k = 1;
        while (k < n && (isalnum((unsigned char)url[k]) || url[k] == '+' || url[k] == '-' || url[k] == '.'))
            k++;
    }
    if (!(k > 0 && k < n && url[k] == ':'))
        buf_adds(&u, "http://");
    for (size_t i = 0; i < n; i++)
        if (url[i] != '\n' && url[i] != '\r' && url[i] != '\t')
            buf_addc(&u, url[i]);
    if (u.err) {
        int e = u.err;
        buf_release(&u);
        return e;
    }
    /* re.sub('^(https?://)+', r'\1'): keep the last of repeated prefixes. */
    const char *s = u.data, *end = u.data + u.len;
    for (;;) {
        size_t p1 = strncmp(s, "http://", 7) == 0 ? 7 : strncmp(s, "https://", 8) == 0 ? 8 : 0;
        if (!p1)
            break;
        const char *t = s + p1;
        if (strncmp(t, "http://", 7) == 0 || strncmp(t, "https://", 8) == 0)
            s = t;
        else
            break;
    }
    /* urlsplit: scheme ':' ['//' netloc] path ['?' query] ['#' fragment] */
    const char *colon = memchr(s, ':', (size_t)(end - s));
    buf_add(&h->scheme, s, (size_t)(colon - s));
    lower(&h->scheme);
    s = colon + 1;
    const char *hash = memchr(s, '#', (size_t)(end - s));
    if (hash)
        end = hash;
    const char *netloc = NULL;
    size_t netlen = 0;
    if (end - s >= 2 && s[0] == '/' && s[1] == '/') {
        netloc = s + 2;
        const char *q = netloc;
        while (q < end && *q != '/' && *q != '?')
            q++;
        netlen = (size_t)(q - netloc);
        s = q;
    }
    const char *qm = memchr(s, '?', (size_t)(end - s));
    buf_add(&h->path, s, (size_t)((qm ? qm : end) - s));
    if (qm && qm + 1 < end) {
        buf_add(&h->query, qm + 1, (size_t)(end - qm - 1));
        h->has_query = 1;
    }
    h->port = -1;
    if (netloc) {
        while (netlen && netloc[netlen - 1] == ':') /* "host:" without a port */
            netlen--;
        const char *at = NULL;
        for (size_t i = 0; i < netlen; i++)
            if (netloc[i] == '@')
                at = netloc + i;
        const char *hs = at ? at + 1 : netloc, *he = netloc + netlen;
        const char *portp = NULL;
        if (hs < he && *hs == '[') {
            const char *rb = memchr(hs, ']', (size_t)(he - hs));
            if (rb) {
                buf_add(&h->host, hs + 1, (size_t)(rb - hs - 1));
                if (rb + 1 < he && rb[1] == ':')
                    portp = rb + 2;
            } else {
                buf_add(&h->host, hs, (size_t)(he - hs));
            }
        } else {
            const char *c = memchr(hs, ':', (size_t)(he - hs));
            buf_add(&h->host, hs, (size_t)((c ? c : he) - hs));
            if (c)
                portp = c + 1;
        }
        lower(&h->host);
        if (portp && portp < he) {
            long v = 0;
            int ok = 1;
            for (const char *p = portp; p < he; p++) {
                if (!isdigit((unsigned char)*p) || v > 65535) {
                    ok = 0;
                    break;
                }
                v = v * 10 + (*p - '0');
            }
            if (ok && v > 0 && v <= 65535)
                h->port = v;
        }
    }
    /* "http:////www.vikings.com": the host hides in the path. */
    if (strncmp(buf_str(&h->scheme), "http", 4) == 0 && h->host.len == 0 && h->path.len > 0) {
        const char *p = h->path.data, *pe = p + h->path.len;
        while (p < pe && *p == '/')
            p++;
        const char *sl = memchr(p, '/', (size_t)(pe - p));
        buf_add(&h->host, p, (size_t)((sl ? sl : pe) - p));
        struct buf np;
        buf_init(&np, SURT_MAX_URL);
        buf_addc(&np, '/');
        if (sl)
            buf_add(&np, sl + 1, (size_t)(pe - sl - 1));
        buf_release(&h->path);
        h->path = np;
    }
    buf_release(&u);
    return h->scheme.err ? h->scheme.err : h->host.err ? h->host.err : h->path.err ? h->path.err : h->query.err;
}

/* GoogleURLCanonicalizer.canonicalize (fragment already dropped by parse). */
static int google(struct hurl *h)
{
    if (h->has_query) {
        unescape_repeatedly(&h->query);
        escape_once(&h->query);
    }
    unescape_repeatedly(&h->host);
    /* host.replace('..', '.').strip('.') */
    size_t j = 0;
    for (size_t i = 0; i < h->host.len; i++) {
        if (h->host.data[i] == '.' && i + 1 < h->host.len && h->host.data[i + 1] == '.')
            i++;
        h->host.data[j++] = h->host.data[i];
    }
    h->host.len = j;
    size_t a = 0;
    while (a < h->host.len && h->host.data[a] == '.')
        a++;
    while (h->host.len > a && h->host.data[h->host.len - 1] == '.')
        h->host.len--;
    if (h->host.data)
        h->host.data[h->host.len] = 0;
    if (a)
        set_bytes(&h->host, h->host.data + a, h->host.len - a);
    if (!attempt_ip(&h->host)) {
        lower(&h->host);
        escape_once(&h->host);
    }
    unescape_repeatedly(&h->path);
    normalize_path(&h->path);
    escape_once(&h->path);
    return h->host.err ? h->host.err : h->path.err ? h->path.err : h->query.err;
}

/* Does the path session-id group "(x(24))...)/" or "(24)/" start at p? Returns its length or 0. */
static size_t path_sid_len(const char *p, const char *e, int nested)
{
    const char *q = p;
    if (q >= e || *q++ != '(')
        return 0;
    if (nested) {
        int groups = 0;
        while (q < e && *q != ')') {
            if (e - q < 27 || !isalpha((unsigned char)q[0]) || q[1] != '(')
                return 0;
            for (int i = 0; i < 24; i++)
                if (!isalnum((unsigned char)q[2 + i]))
                    return 0;
            if (q[26] != ')')
                return 0;
            q += 27;
            groups++;
        }
        if (!groups)
            return 0;
    } else {
        if (e - q < 24)
            return 0;
        for (int i = 0; i < 24; i++)
            if (!isalnum((unsigned char)q[i]))
                return 0;
        q += 24;
    }
    if (e - q < 2 || q[0] != ')' || q[1] != '/')
        return 0;
    return (size_t)(q + 2 - p);
}

/* URLRegexTransformer.stripPathSessionID: a prefix ending in '/', then an
 * ASP.NET session id in parentheses (nested or plain form) and '/', then a
 * rest holding ".aspx" after its first byte; the id is dropped. The greedy
 * prefix of the regex means the last '/' is tried first. */
static void strip_path_sid(struct buf *path, int nested)
{
    const char *s = path->data, *e = s + path->len;
    for (size_t i = path->len; i-- > 0;) {
        if (s[i] != '/')
            continue;
        size_t l = path_sid_len(s + i + 1, e, nested);
        if (!l)
            continue;
        const char *rest = s + i + 1 + l;
        /* [^?]+\.aspx.* : ".aspx" at an offset >= 1 of rest */
        int ok = 0;
        for (const char *r = rest + 1; r + 5 <= e; r++)
            if (strncasecmp(r, ".aspx", 5) == 0) {
                ok = 1;
                break;
            }
        if (!ok)
            continue;
        memmove(path->data + i + 1, rest, (size_t)(e - rest));
        path->len -= l;
        path->data[path->len] = 0;
        return;
    }
}

/* Length of a match of one session-id pattern at p, or 0. */
static size_t query_sid_len(const char *p, const char *e, int which)
{
    static const char *const names[] = { "jsessionid=", "phpsessid=", "sid=" };
    size_t n = (size_t)(e - p);
    if (which < 3) {
        size_t nl = strlen(names[which]);
        if (n < nl + 32 || strncasecmp(p, names[which], nl) != 0)
            return 0;
        for (size_t i = 0; i < 32; i++)
            if (!isalnum((unsigned char)p[nl + i]))
                return 0;
        return nl + 32;
    }
    if (which == 3) { /* ASPSESSIONID[a-zA-Z]{8}=[a-zA-Z]{24} */
        if (n < 12 + 8 + 1 + 24 || strncasecmp(p, "aspsessionid", 12) != 0)
            return 0;
        for (size_t i = 0; i < 8; i++)
            if (!isalpha((unsigned char)p[12 + i]))
                return 0;
        if (p[20] != '=')
            return 0;
        for (size_t i = 0; i < 24; i++)
            if (!isalpha((unsigned char)p[21 + i]))
                return 0;
        return 45;
    }
    /* cfid=[^&]+&cftoken=[^&]+ */
    if (n < 5 || strncasecmp(p, "cfid=", 5) != 0)
        return 0;
    const char *q = p + 5, *st = q;
    while (q < e && *q != '&')
        q++;
    if (q == st || (size_t)(e - q) < 9 || strncasecmp(q, "&cftoken=", 9) != 0)
        return 0;
    q += 9;
    st = q;
    while (q < e && *q != '&')
        q++;
    return q == st ? 0 : (size_t)(q - p);
}

/* URLRegexTransformer.stripQuerySessionID: for each pattern X in turn,
 * ^(.*)X(?:&(.*))?$ → g1 + g2, trying the last position first. */
static void strip_query_sid(struct buf *q)
{
    for (int which = 0; which < 5; which++) {
        const char *s = q->data, *e = s + q->len;
        for (size_t i = q->len + 1; i-- > 0;) {
            size_t l = query_sid_len(s + i, e, which);
            if (!l)
                continue;
            const char *after = s + i + l;
            if (after < e && *after != '&')
                continue;
            size_t g2 = after < e ? (size_t)(e - after - 1) : 0;
            if (g2)
                memmove(q->data + i, after + 1, g2);
            q->len = i + g2;
            q->data[q->len] = 0;
            break;
        }
    }
}

struct qarg {
    const char *k, *v; /* v NULL when the argument has no '=' */
    size_t kl, vl;
};

/* Python tuple order: key bytes, then (k,) before (k, v), then value bytes. */
static int qarg_cmp(const void *pa, const void *pb)
{
    const struct qarg *a = pa, *b = pb;
    size_t m = a->kl < b->kl ? a->kl : b->kl;
    int c = memcmp(a->k, b->k, m);
    if (c || a->kl != b->kl)
        return c ? c : a->kl < b->kl ? -1 : 1;
    if (!a->v || !b->v)
        return (a->v != NULL) - (b->v != NULL);
    m = a->vl < b->vl ? a->vl : b->vl;
    c = memcmp(a->v, b->v, m);
    return c ? c : (a->vl > b->vl) - (a->vl < b->vl);
}

/* IAURLCanonicalizer.alphaReorderQuery. */
static int alpha_reorder(struct buf *q)
{
    if (q->len <= 1)
        return 0;
    size_t n = 1;
    for (size_t i = 0; i < q->len; i++)
        n += q->data[i] == '&';
    struct qarg *args = na_calloc(n, sizeof *args);
    if (!args)
        return q->err = NA_ENOMEM;
    const char *s = q->data, *e = s + q->len;
    for (size_t k = 0; k < n; k++) {
        const char *amp = memchr(s, '&', (size_t)(e - s));
        const char *ae = amp ? amp : e;
        const char *eq = memchr(s, '=', (size_t)(ae - s));
        args[k].k = s;
        args[k].kl = (size_t)((eq ? eq : ae) - s);
        if (eq) {
            args[k].v = eq + 1;
            args[k].vl = (size_t)(ae - eq - 1);
        }
        s = amp ? amp + 1 : e;
    }
    qsort(args, n, sizeof *args, qarg_cmp);
    struct buf out;
    buf_init(&out, SURT_MAX_URL);
    for (size_t k = 0; k < n; k++) {
        if (k)
            buf_addc(&out, '&');
        buf_add(&out, args[k].k, args[k].kl);
        if (args[k].v) {
            buf_addc(&out, '=');
            buf_add(&out, args[k].v, args[k].vl);
        }
    }
    free(args);
    if (out.err) {
        int e2 = out.err;
        buf_release(&out);
        return q->err = e2;
    }
    buf_release(q);
    *q = out;
    return 0;
}

/* IAURLCanonicalizer.canonicalize with its defaults. */
static int ia(struct hurl *h)
{
    lower(&h->host);
    /* massageHost: ^www\d*\. */
    if (h->host.len >= 4 && strncmp(h->host.data, "www", 3) == 0) {
        size_t i = 3;
        while (i < h->host.len && isdigit((unsigned char)h->host.data[i]))
            i++;
        if (i < h->host.len && h->host.data[i] == '.')
            set_bytes(&h->host, h->host.data + i + 1, h->host.len - i - 1);
    }
    const char *sch = buf_str(&h->scheme);
    if ((strcmp(sch, "http") == 0 && h->port == 80) || (strcmp(sch, "https") == 0 && h->port == 443))
        h->port = -1;
    lower(&h->path);
    strip_path_sid(&h->path, 1);
    strip_path_sid(&h->path, 0);
    if (h->path.len > 1 && h->path.data[h->path.len - 1] == '/')
        h->path.data[--h->path.len] = 0;
    if (h->has_query && h->query.len) {
        strip_query_sid(&h->query);
        lower(&h->query);
        alpha_reorder(&h->query);
    }
    if (h->query.len == 0)
        h->has_query = 0;
    return h->host.err ? h->host.err : h->path.err ? h->path.err : h->query.err;
}

int surt_key(const char *url, size_t n, struct buf *out)
{
    struct hurl h;
    buf_init(&h.scheme, SURT_MAX_URL);
    buf_init(&h.host, SURT_MAX_URL);
    buf_init(&h.path, SURT_MAX_URL);
    buf_init(&h.query, SURT_MAX_URL);
    h.has_query = 0;
    h.port = -1;
    int rc = parse(url, n, &h);
    if (!rc)
        rc = google(&h);
    if (!rc)
        rc = ia(&h);
    if (!rc) {
        if (h.host.len) {
            /* host labels reversed, joined by ',' (IPs too: reverse_ipaddr) */
            const char *s = h.host.data;
            size_t e = h.host.len;
            for (;;) {
                size_t st = e;
                while (st > 0 && s[st - 1] != '.')
                    st--;
                buf_add(out, s + st, e - st);
                if (st == 0)
                    break;
                buf_addc(out, ',');
                e = st - 1;
            }
            if (h.port >= 0)
                buf_printf(out, ":%ld", h.port);
            buf_addc(out, ')');
        } else {
            buf_add(out, h.scheme.data, h.scheme.len);
            buf_addc(out, ':');
        }
        if (h.path.len)
            buf_add(out, h.path.data, h.path.len);
        else if (h.has_query)
            buf_addc(out, '/');
        if (h.has_query) {
            buf_addc(out, '?');
            buf_add(out, h.query.data, h.query.len);
        }
        rc = out->err;
    }
    buf_release(&h.scheme);
    buf_release(&h.host);
    buf_release(&h.path);
    buf_release(&h.query);
    return rc;
}
