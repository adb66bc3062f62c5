/* fetch.c — the libcurl multi loop of fetch.h. libcurl is asked for raw
 * bytes (no CURLOPT_ACCEPT_ENCODING, transfer and content decoding off) so
 * that the archive holds the HTTP message as it went over the wire; we send
 * "Accept-Encoding: gzip, deflate" ourselves (util/http.h undoes the codings
 * for the parser, for the crawl, `try` and the archive readers alike). The request head is taken from the debug
 * callback (CURLINFO_HEADER_OUT), the response head from the header callback.
 * Verbose mode (which the debug callback needs) is on only while the request
 * goes out: from the pre-request callback (connection ready, request about to
 * be sent; called again for a re-sent request) to the first response byte
 * (libcurl re-sends only when nothing came back). Verbose costs the loop a
 * formatted message per step and a callback per received chunk. For https
 * it is on from the start, so that the TLS handshake of a new connection is
 * traced: the number of certificates the server sends tells an incomplete
 * chain from an unknown CA when verification fails (fetch_tls_cause).
 * Per-site settings (fetch_start_net): CA file, verification, legacy TLS,
 * proxy and its credentials (never kept in the request head), cookie jar. */
#include "crawler/fetch.h"
#include "util/err.h"
#include "util/http.h"
#include "util/mem.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_MAX_BODY ((size_t)10 << 20)
#define DEFAULT_MAX_HEAD ((size_t)256 << 10)
#define MAX_REQUEST_HEAD ((size_t)64 << 10)

struct xfer {
    CURL *easy;
    struct fetch *f;
    struct fetch_result *res;
    struct curl_slist *hdrs;
    int too_big;           /* a cap was hit: transfer aborted on purpose */
    int in_body;           /* body bytes have started (later "headers" are trailers) */
    int verbose;           /* CURLOPT_VERBOSE is on (the request is going out) */
    unsigned long long declared_too_big; /* Content-Length over the cap */
    size_t max_body;       /* this transfer's body cap */
    int keep_prefix;       /* at max_body: stop and keep (fetch_limits) */
    int cut;               /* keep_prefix stopped receiving */
    char *post;            /* POST body (owned), or NULL for a GET */
    char errbuf[CURL_ERROR_SIZE]; /* curl's own words for a failure (CURLOPT_ERRORBUFFER) */
    int certs_sent;        /* certificates in the server's TLS Certificate message; 0 unknown */
    struct xfer *next_free;
    struct xfer *prev, *next; /* running transfers */
};

struct fetch {
    CURLM *multi;
    struct fetch_opts o;
    char *user_agent;
    char *ca_file;             /* CURLOPT_CAINFO, or NULL */
    struct curl_slist *resolve;
    size_t active;
    struct xfer *running;      /* list of transfers in the multi handle */
    struct xfer *free_list;    /* idle easy handles kept for reuse */
    size_t nfree;
    struct fetch_result **done; /* finished, not yet handed back (FIFO) */
    size_t ndone, done_head, done_cap;
    atomic_int wake_sent;      /* a wakeup is on its way: later ones are not needed */
    int resolve_loaded;        /* a transfer connected: the multi's DNS cache holds f->resolve */
    int added;                 /* transfers started since the last curl_multi_perform */
};

static int curl_inited;

struct fetch *fetch_new(const struct fetch_opts *o, struct buf *err)
{
    if (!curl_inited) { /* not thread-safe by itself; the loop is made on one thread */
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            buf_seterr(err, "cannot initialize libcurl");
            return NULL;
        }
        curl_inited = 1;
    }
    struct fetch *f = na_calloc(1, sizeof *f);
    if (!f)
        goto nomem;
    f->o = *o;
    if (f->o.connect_timeout <= 0)
        f->o.connect_timeout = 10;
    if (f->o.timeout <= 0)
        f->o.timeout = 60;
    if (f->o.low_speed_time <= 0)
        f->o.low_speed_time = 30;
    if (f->o.low_speed_limit <= 0)
        f->o.low_speed_limit = 1024;
    if (!f->o.max_body)
        f->o.max_body = DEFAULT_MAX_BODY;
    if (!f->o.max_head)
        f->o.max_head = DEFAULT_MAX_HEAD;
    if (f->o.concurrency <= 0)
        f->o.concurrency = 16;
    if (f->o.per_host_connections <= 0)
        f->o.per_host_connections = 1;
    f->o.resolve = NULL;
    f->o.ca_file = NULL;
    f->user_agent = na_strdup(o->user_agent ? o->user_agent : "newsarc");
    if (!f->user_agent)
        goto nomem;
    if (o->ca_file && !(f->ca_file = na_strdup(o->ca_file)))
        goto nomem;
    for (size_t i = 0; i < o->nresolve; i++) {
        struct curl_slist *l = curl_slist_append(f->resolve, o->resolve[i]);
        if (!l)
            goto nomem;
        f->resolve = l;
    }
    f->multi = curl_multi_init();
    if (!f->multi)
        goto nomem;
    curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)f->o.per_host_connections);
    curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)f->o.concurrency);
    curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS, (long)(f->o.concurrency < 16 ? 32 : 2 * f->o.concurrency));
    curl_multi_setopt(f->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    return f;
nomem:
    buf_seterr(err, "out of memory");
    fetch_free(f);
    return NULL;
}

/* Replaces the first line's protocol token "HTTP/2" (or "HTTP/3") in b:
 * at the start of a status line (request = 0) or at the end of a request
 * line (request = 1), with "HTTP/1.1". */
static void to_http11(struct buf *b, int request)
{
    char *nl = b->len ? memchr(b->data, '\n', b->len) : NULL;
    if (!nl)
        return;
    size_t line = (size_t)(nl - b->data); /* up to the LF */
    size_t end = line && b->data[line - 1] == '\r' ? line - 1 : line;
    size_t at, n;
    if (!request) {
        if (end < 6 || memcmp(b->data, "HTTP/", 5) != 0)
            return;
        at = 0;
        for (n = 5; n < end && b->data[n] != ' '; n++)
            ;
    } else {
        size_t sp = end;
        while (sp > 0 && b->data[sp - 1] != ' ')
            sp--;
        if (!sp || end - sp < 6 || memcmp(b->data + sp, "HTTP/", 5) != 0)
            return;
        at = sp;
        n = end;
    }
    if (n - at == 8 && memcmp(b->data + at, "HTTP/1.1", 8) == 0)
        return;
    struct buf o = BUF_INIT;
    buf_init(&o, b->max ? b->max + 8 : 0);
    buf_add(&o, b->data, at);
    buf_add(&o, "HTTP/1.1", 8);
    buf_add(&o, b->data + n, b->len - n);
    if (o.err) {
        buf_release(&o); /* out of memory: the head stays as received */
        return;
    }
    buf_release(b);
    *b = o;
}

/* The proxy's credentials never reach the archive: Proxy-Authorization
 * lines (sent with a request forwarded by an HTTP proxy) are cut from the
 * request head as kept. */
static void drop_proxy_auth(struct buf *b)
{
    static const char name[] = "\nProxy-Authorization:";
    size_t k = sizeof name - 1;
    for (size_t i = 0; b->len > k && i + k <= b->len; i++) {
        if (b->data[i] != '\n' || strncasecmp(b->data + i, name, k) != 0)
            continue;
        char *eol = memchr(b->data + i + 1, '\n', b->len - i - 1);
        size_t end = eol ? (size_t)(eol - b->data) : b->len; /* the line's LF */
        memmove(b->data + i, b->data + end, b->len - end);
        b->len -= end - i;
        b->data[b->len] = 0;
        i--; /* look at the LF now at i again */
    }
}

/* HTTP/2 and 3 heads in HTTP/1.1 form (see fetch.h). */
static void http1_start_lines(struct fetch_result *r)
{
    to_http11(&r->head, 0);
    to_http11(&r->request, 1);
}

void fetch_result_free(struct fetch_result *r)
{
    if (!r)
        return;
    free(r->url);
    buf_release(&r->request);
    buf_release(&r->head);
    buf_release(&r->body);
    free(r);
}

static void xfer_free(struct xfer *x)
{
    if (!x)
        return;
    if (x->easy)
        curl_easy_cleanup(x->easy);
    curl_slist_free_all(x->hdrs);
    fetch_result_free(x->res);
    free(x->post);
    free(x);
}

void fetch_free(struct fetch *f)
{
    if (!f)
        return;
    while (f->running) {
        struct xfer *x = f->running;
        f->running = x->next;
        curl_multi_remove_handle(f->multi, x->easy);
        xfer_free(x);
    }
    while (f->free_list) {
        struct xfer *x = f->free_list;
        f->free_list = x->next_free;
        xfer_free(x);
    }
    for (size_t i = 0; i < f->ndone; i++)
        fetch_result_free(f->done[(f->done_head + i) % (f->done_cap ? f->done_cap : 1)]);
    free(f->done);
    if (f->multi)
        curl_multi_cleanup(f->multi);
    curl_slist_free_all(f->resolve);
    free(f->user_agent);
    free(f->ca_file);
    free(f);
}

/* The connection is ready and the request about to be sent: verbose on, so
 * that on_debug sees it. */
static int on_prereq(void *ud, char *ip, char *local_ip, int port, int local_port)
{
    (void)ip, (void)local_ip, (void)port, (void)local_port;
    struct xfer *x = ud;
    x->verbose = 1;
    curl_easy_setopt(x->easy, CURLOPT_VERBOSE, 1L);
    return CURL_PREREQFUNC_OK;
}

/* The request is sent for good once the response begins: no more verbose. */
static void verbose_off(struct xfer *x)
{
    if (x->verbose) {
        x->verbose = 0;
        curl_easy_setopt(x->easy, CURLOPT_VERBOSE, 0L);
    }
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t len = size * n;
    struct fetch_result *r = x->res;
    verbose_off(x);
    if (x->in_body)
        return len; /* trailers travel in the raw body too */
    if (len >= 5 && memcmp(p, "HTTP/", 5) == 0)
        buf_reset(&r->head); /* a new head (after 1xx): keep the final one */
    if (buf_add(&r->head, p, len)) {
        x->too_big = 1;
        snprintf(r->error, sizeof r->error, "response head larger than %zu bytes", r->head.max);
        return 0;
    }
    if (len > 15 && strncasecmp(p, "content-length:", 15) == 0) {
        unsigned long long cl = strtoull(p + 15, NULL, 10);
        if (cl > x->max_body) {
            /* refused at the first body byte, so that the head is whole;
             * a prefix is read up to the cap whatever the length */
            if (!x->keep_prefix)
                x->declared_too_big = cl;
        } else if (cl && !r->body.cap && buf_grow(&r->body, (size_t)cl)) {
            buf_reset(&r->body);
        }
    }
    return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t len = size * n;
    x->in_body = 1;
    verbose_off(x);
    if (x->declared_too_big) {
        x->too_big = 1;
        snprintf(x->res->error, sizeof x->res->error, "body of %llu bytes over the cap of %zu",
                 x->declared_too_big, x->max_body);
        return 0;
    }
    struct buf *b = &x->res->body;
    if (x->keep_prefix && len > x->max_body - b->len) {
        /* the first max_body bytes are all that is wanted: keep them, stop */
        buf_add(b, p, x->max_body - b->len);
        x->cut = 1;
        return 0;
    }
    if (buf_add(b, p, len)) {
        x->too_big = 1;
        snprintf(x->res->error, sizeof x->res->error, "body over the cap of %zu bytes", x->max_body);
        return 0;
    }
    return len;
}

static size_t get24(const unsigned char *p) { return (size_t)p[0] << 16 | (size_t)p[1] << 8 | p[2]; }

/* The certificates in a TLS Certificate handshake message (type 11, as
 * libcurl's OpenSSL trace hands it over, decrypted also in TLS 1.3): 0 when
 * it is not one. One certificate alone that does not verify is an
 * incomplete chain (fetch_tls_cause). */
static int tls_certs(const unsigned char *m, size_t n)
{
    if (n < 7 || m[0] != 11 || get24(m + 1) != n - 4)
        return 0;
    const unsigned char *b = m + 4;
    size_t bn = n - 4, i, tls13 = 0;
    if (get24(b) == bn - 3) {
        i = 3; /* TLS 1.2: certificate_list<3> */
    } else if (bn >= 4 && b[0] == 0 && get24(b + 1) == bn - 4) {
        i = 4; /* TLS 1.3: request context<1> (empty), certificate_list<3> */
        tls13 = 1;
    } else {
        return 0;
    }
    int count = 0;
    while (i + 3 <= bn) {
        size_t len = get24(b + i);
        i += 3 + len;
        if (tls13) {
            if (i + 2 > bn)
                return 0;
            i += 2 + ((size_t)b[i] << 8 | b[i + 1]); /* extensions<2> */
        }
        if (i > bn)
            return 0;
        count++;
    }
    return count;
}

static int on_debug(CURL *easy, curl_infotype type, char *p, size_t n, void *ud)
{
    (void)easy;
    struct xfer *x = ud;
    if (type == CURLINFO_SSL_DATA_IN && n >= 7 && (unsigned char)p[0] == 11) {
        int k = tls_certs((const unsigned char *)p, n);
        if (k)
            x->certs_sent = k;
        return 0;
    }
    if (type != CURLINFO_HEADER_OUT)
        return 0;
    /* A request re-sent on a fresh connection replaces the earlier one. */
    if (x->res->request.len >= 4 && memcmp(x->res->request.data + x->res->request.len - 4, "\r\n\r\n", 4) == 0)
        buf_reset(&x->res->request);
    buf_add(&x->res->request, p, n);
    return 0;
}

static struct xfer *xfer_get(struct fetch *f)
{
    struct xfer *x = f->free_list;
    if (x) {
        f->free_list = x->next_free;
        f->nfree--;
        curl_easy_reset(x->easy);
    } else {
        x = na_calloc(1, sizeof *x);
        if (!x)
            return NULL;
        x->easy = curl_easy_init();
        if (!x->easy) {
            free(x);
            return NULL;
        }
    }
    x->f = f;
    x->next_free = NULL;
    x->too_big = x->in_body = 0;
    x->declared_too_big = 0;
    x->max_body = f->o.max_body;
    x->keep_prefix = x->cut = 0;
    return x;
}

static void xfer_put(struct fetch *f, struct xfer *x)
{
    free(x->post);
    x->post = NULL;
    /* libcurl 7.88's curl_easy_reset keeps the COOKIEFILE name list (and
     * leaks it at the next one): cleared here, which leaves a shared cookie
     * store alone; then the share (a jar may be freed before the handle) */
    curl_easy_setopt(x->easy, CURLOPT_COOKIEFILE, (char *)NULL);
    curl_easy_setopt(x->easy, CURLOPT_SHARE, NULL);
    curl_slist_free_all(x->hdrs);
    x->hdrs = NULL;
    fetch_result_free(x->res);
    x->res = NULL;
    if (f->nfree >= (size_t)f->o.concurrency + 4) {
        xfer_free(x);
        return;
    }
    x->next_free = f->free_list;
    f->free_list = x;
    f->nfree++;
}

static int add_header(struct curl_slist **l, const char *name, const char *value)
{
    char line[2048];
    int k = snprintf(line, sizeof line, "%s: %s", name, value);
    if (k < 0 || (size_t)k >= sizeof line)
        return 0; /* an absurd validator is not sent */
    for (char *c = line; *c; c++)
        if (*c == '\r' || *c == '\n')
            return 0;
    struct curl_slist *n = curl_slist_append(*l, line);
    if (!n)
        return -1;
    *l = n;
    return 0;
}

/* ---- per-site network settings: TLS, proxy, cookies ---- */

struct fetch_jar {
    CURLSH *share;   /* the cookies (CURL_LOCK_DATA_COOKIE); the loop is one thread */
    char *path;
};

/* The options of struct fetch_net on a transfer (after curl_easy_reset). */
static void net_options(CURL *e, const struct fetch_net *net)
{
    if (net->tls_no_verify) {
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (net->tls_legacy) {
        /* TLS 1.0 at least (the default is 1.2 in OpenSSL 3's policy), and
         * the SHA-1 signatures and short keys of security level 0 */
        curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_0);
        curl_easy_setopt(e, CURLOPT_SSL_CIPHER_LIST, "DEFAULT:@SECLEVEL=0");
    }
    if (net->proxy)
        curl_easy_setopt(e, CURLOPT_PROXY, net->proxy);
    if (net->proxy_auth)
        curl_easy_setopt(e, CURLOPT_PROXYUSERPWD, net->proxy_auth);
    if (net->no_proxy)
        curl_easy_setopt(e, CURLOPT_NOPROXY, net->no_proxy);
    /* a reused handle keeps its share: set it (or none) every time; the
     * share's cookie store is the handle's, and COOKIEFILE "" turns the
     * engine on (xfer_put clears the name list curl_easy_reset keeps) */
    curl_easy_setopt(e, CURLOPT_SHARE, net->jar ? net->jar->share : NULL);
    if (net->jar)
        curl_easy_setopt(e, CURLOPT_COOKIEFILE, "");
    if (net->cookie)
        curl_easy_setopt(e, CURLOPT_COOKIE, net->cookie);
}

void fetch_jar_free(struct fetch_jar *j)
{
    if (!j)
        return;
    if (j->share)
        curl_share_cleanup(j->share);
    free(j->path);
    free(j);
}

/* A handle on the jar's cookies (for loading and listing). */
static CURL *jar_handle(struct fetch_jar *j)
{
    CURL *e = curl_easy_init();
    if (e && curl_easy_setopt(e, CURLOPT_SHARE, j->share) != CURLE_OK) {
        curl_easy_cleanup(e);
        return NULL;
    }
    return e;
}

static void jar_handle_free(CURL *e)
{
    if (!e)
        return;
    curl_easy_setopt(e, CURLOPT_SHARE, NULL);
    curl_easy_cleanup(e);
}

struct fetch_jar *fetch_jar_open(const char *path, struct buf *err)
{
    if (!curl_inited) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            buf_seterr(err, "cannot initialize libcurl");
            return NULL;
        }
        curl_inited = 1;
    }
    struct fetch_jar *j = na_calloc(1, sizeof *j);
    if (!j || (path && !(j->path = na_strdup(path))) || !(j->share = curl_share_init()) ||
        curl_share_setopt(j->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE) != CURLSHE_OK) {
        buf_seterr(err, "out of memory");
        fetch_jar_free(j);
        return NULL;
    }
    CURL *e = jar_handle(j);
    if (!e) {
        buf_seterr(err, "out of memory");
        fetch_jar_free(j);
        return NULL;
    }
    /* the share made its cookie store: the file's lines go in (curl drops
     * the expired ones) */
    FILE *fp = path ? fopen(path, "r") : NULL;
    if (path && !fp && errno != ENOENT) {
        buf_seterr(err, "cookie jar '%s': %s", path, strerror(errno));
        jar_handle_free(e);
        fetch_jar_free(j);
        return NULL;
    }
    char line[8192];
    while (fp && fgets(line, sizeof line, fp)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        if (!n || (line[0] == '#' && strncmp(line, "#HttpOnly_", 10) != 0))
            continue;
        curl_easy_setopt(e, CURLOPT_COOKIELIST, line);
    }
    if (fp)
        fclose(fp);
    jar_handle_free(e);
    return j;
}

/* The jar's cookies as Netscape lines (curl_slist_free_all it). */
static struct curl_slist *jar_list(struct fetch_jar *j)
{
    struct curl_slist *l = NULL;
    CURL *e = jar_handle(j);
    if (!e)
        return NULL;
    if (curl_easy_getinfo(e, CURLINFO_COOKIELIST, &l) != CURLE_OK)
        l = NULL;
    jar_handle_free(e);
    return l;
}

size_t fetch_jar_count(struct fetch_jar *j)
{
    size_t n = 0;
    struct curl_slist *l = jar_list(j);
    for (struct curl_slist *p = l; p; p = p->next)
        n++;
    curl_slist_free_all(l);
    return n;
}

/* The expiry field (5th) of a Netscape cookie line; 0 for a session cookie. */
static long long cookie_expiry(const char *line)
{
    const char *p = line;
    for (int i = 0; i < 4 && p; i++) {
        p = strchr(p, '\t');
        if (p)
            p++;
    }
    return p ? strtoll(p, NULL, 10) : 0;
}

int fetch_jar_save(struct fetch_jar *j, struct buf *err)
{
    if (!j->path)
        return 0; /* a jar for this run only */
    struct curl_slist *l = jar_list(j);
    struct buf tmp = BUF_INIT;
    buf_printf(&tmp, "%s.tmp", j->path);
    if (tmp.err) {
        curl_slist_free_all(l);
        buf_seterr(err, "out of memory");
        return NA_ENOMEM;
    }
    int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    int rc = 0;
    if (!fp) {
        buf_seterr(err, "cookie jar '%s': %s", tmp.data, strerror(errno));
        if (fd >= 0)
            close(fd);
        rc = NA_EIO;
        goto done;
    }
    fchmod(fd, 0600); /* an older file of the same name may have had another mode */
    fputs("# Netscape HTTP Cookie File\n# newsarc: this site's cookies, kept between runs (sites.conf(5): cookies)\n",
          fp);
    long long now = (long long)time(NULL);
    for (struct curl_slist *p = l; p; p = p->next) {
        long long exp = cookie_expiry(p->data);
        if (exp > now) /* session cookies (0) end with the run */
            fprintf(fp, "%s\n", p->data);
    }
    if (fflush(fp) || fsync(fd)) {
        buf_seterr(err, "cookie jar '%s': %s", tmp.data, strerror(errno));
        rc = NA_EIO;
    }
    if (fclose(fp) && !rc) {
        buf_seterr(err, "cookie jar '%s': %s", tmp.data, strerror(errno));
        rc = NA_EIO;
    }
    if (!rc && rename(tmp.data, j->path)) {
        buf_seterr(err, "cookie jar '%s': %s", j->path, strerror(errno));
        rc = NA_EIO;
    }
    if (rc)
        unlink(tmp.data);
done:
    curl_slist_free_all(l);
    buf_release(&tmp);
    return rc;
}

int fetch_start(struct fetch *f, const char *url, const char *etag, const char *last_modified,
                void *ud, struct buf *err)
{
    return fetch_start_ex(f, url, etag, last_modified, NULL, ud, err);
}

int fetch_start_ex(struct fetch *f, const char *url, const char *etag, const char *last_modified,
                   const struct fetch_limits *lim, void *ud, struct buf *err)
{
    return fetch_start_net(f, url, etag, last_modified, lim, NULL, ud, err);
}

int fetch_start_net(struct fetch *f, const char *url, const char *etag, const char *last_modified,
                    const struct fetch_limits *lim, const struct fetch_net *net, void *ud, struct buf *err)
{
    struct xfer *x = xfer_get(f);
    if (!x)
        goto nomem;
    if (lim && lim->max_body)
        x->max_body = lim->max_body;
    if (lim)
        x->keep_prefix = lim->keep_prefix;
    if (lim && lim->post && !(x->post = na_strdup(lim->post)))
        goto nomem;
    if (x->post)
        etag = last_modified = NULL; /* a POST is never conditional */
    struct fetch_result *r = x->res = na_calloc(1, sizeof *r);
    if (!r)
        goto nomem;
    r->url = na_strdup(url);
    if (!r->url)
        goto nomem;
    r->ud = ud;
    buf_init(&r->request, MAX_REQUEST_HEAD);
    buf_init(&r->head, f->o.max_head);
    buf_init(&r->body, x->max_body);
    r->fetched = time(NULL);
    if (add_header(&x->hdrs, "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8") ||
        add_header(&x->hdrs, "Accept-Encoding", "gzip, deflate") ||
        (etag && add_header(&x->hdrs, "If-None-Match", etag)) ||
        (last_modified && add_header(&x->hdrs, "If-Modified-Since", last_modified)))
        goto nomem;
    CURL *e = x->easy;
    long ms_conn = (long)(f->o.connect_timeout * 1000), ms_total = (long)(f->o.timeout * 1000);
    if (curl_easy_setopt(e, CURLOPT_URL, url) != CURLE_OK) {
        buf_seterr(err, "bad URL '%s'", url);
        xfer_put(f, x);
        return NA_EINVAL;
    }
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    x->errbuf[0] = 0;
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent);
    if (net && net->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, net->ca_file);
    else if (f->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, f->ca_file);
    if (net)
        net_options(e, net);
    else
        curl_easy_setopt(e, CURLOPT_SHARE, NULL); /* a reused handle keeps its share (curl_easy_reset) */
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
    if (x->post) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(x->post));
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->post); /* x->post lives as long as the transfer */
    }
    curl_easy_setopt(e, CURLOPT_HTTP_TRANSFER_DECODING, 0L);
    curl_easy_setopt(e, CURLOPT_HTTP_CONTENT_DECODING, 0L);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    /* Send the path as newsarc keeps it: canonical URLs have no dot segment
     * left (url.h), so what robots.txt, scope and the WARC see is what the
     * server gets. */
    curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, ms_conn);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, ms_total);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, f->o.low_speed_limit);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (long)(f->o.low_speed_time + 0.5));
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(e, CURLOPT_DEBUGDATA, x);
    curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, on_prereq);
    curl_easy_setopt(e, CURLOPT_PREREQDATA, x);
    x->verbose = 0; /* on_prereq turns it on */
    x->certs_sent = 0;
    if (strncasecmp(url, "https:", 6) == 0) {
        /* from the start, so that a new connection's TLS handshake is
         * traced (on_debug counts the certificates the server sends, which
         * tells an incomplete chain from an unknown CA) */
        x->verbose = 1;
        curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
    }
    /* libcurl loads RESOLVE entries into the multi handle's DNS cache for
     * good (they never expire) when a transfer starts, formatting a message
     * and a cache key per entry each time: once one transfer connected,
     * later ones find them there. */
    if (f->resolve && !f->resolve_loaded)
        curl_easy_setopt(e, CURLOPT_RESOLVE, f->resolve);
    if (curl_multi_add_handle(f->multi, e) != CURLM_OK)
        goto nomem;
    f->added = 1;
    x->prev = NULL;
    x->next = f->running;
    if (f->running)
        f->running->prev = x;
    f->running = x;
    f->active++;
    return 0;
nomem:
    if (x)
        xfer_put(f, x);
    buf_seterr(err, "out of memory");
    return NA_ENOMEM;
}

/* ---- TLS failures named ---- */

static int has(const char *s, const char *w) { return s && strcasestr(s, w) != NULL; }

int fetch_tls_cause(int code, const char *d, int certs, char *out, size_t n)
{
    int cause = FETCH_TLS_NONE;
    const char *why = NULL, *fix = NULL;
    if (!d)
        d = "";
    int cert = code == CURLE_PEER_FAILED_VERIFICATION || code == 51 /* CURLE_SSL_PEER_CERTIFICATE, before 7.62 */ ||
               code == CURLE_SSL_CACERT_BADFILE || code == CURLE_SSL_CONNECT_ERROR || code == CURLE_SSL_CIPHER ||
               code == CURLE_SSL_CERTPROBLEM || code == CURLE_SSL_INVALIDCERTSTATUS;
    if (!cert && !has(d, "SSL") && !has(d, "TLS"))
        return FETCH_TLS_NONE;
    if (has(d, "certificate has expired") || has(d, "certificate is not yet valid")) {
        cause = FETCH_TLS_EXPIRED;
        why = has(d, "expired") ? "the server's certificate has expired"
                                : "the server's certificate is not valid yet (or this machine's clock is wrong)";
        fix = "tls_verify = no for the site, once its owners are told";
    } else if (has(d, "unable to verify the first certificate") || has(d, "unable to get issuer certificate") ||
               (has(d, "unable to get local issuer certificate") && certs == 1)) {
        cause = FETCH_TLS_INCOMPLETE_CHAIN;
        why = "incomplete certificate chain: the server sends its certificate alone, without the intermediate "
              "certificate that links it to a trusted CA (browsers fetch it themselves, curl does not)";
        fix = "ca_file = a PEM holding the missing intermediate (or the CA) for the site, or tls_verify = no";
    } else if (has(d, "unable to get local issuer certificate")) {
        cause = FETCH_TLS_UNKNOWN_ISSUER;
        why = "unknown issuer: the certificate chain ends at a CA that is not among the trusted ones "
              "(a private or national CA not in the system's bundle)";
        fix = "ca_file = that CA's certificate (PEM) for the site, or tls_verify = no";
    } else if (has(d, "self-signed certificate") || has(d, "self signed certificate")) {
        cause = FETCH_TLS_SELF_SIGNED;
        why = has(d, "in certificate chain")
                  ? "unknown issuer: the server sends a CA certificate of its own that is not trusted here"
                  : "a self-signed certificate";
        fix = "ca_file = that certificate (PEM) for the site, or tls_verify = no";
    } else if (has(d, "does not match target host") || has(d, "no alternative certificate subject name") ||
               has(d, "hostname mismatch") || has(d, "subject name")) {
        cause = FETCH_TLS_HOST_MISMATCH;
        why = "host mismatch: the certificate is made out for another name";
        fix = "use the name the certificate is for in listing = (if the site answers there), or tls_verify = no";
    } else if (has(d, "unsupported protocol") || has(d, "protocol version") || has(d, "no protocols available") ||
               has(d, "wrong version number") || has(d, "version too low") || has(d, "handshake failure") ||
               has(d, "no shared cipher") || has(d, "no ciphers available") || has(d, "dh key too small") ||
               has(d, "key too small") || has(d, "md too weak") || has(d, "legacy sigalg") ||
               has(d, "unsafe legacy renegotiation") || code == CURLE_SSL_CIPHER) {
        cause = FETCH_TLS_OLD_PROTOCOL;
        why = "protocol too old: the server offers only TLS 1.0/1.1, weak ciphers or short keys, which "
              "OpenSSL's default security level refuses";
        fix = "tls_legacy = yes for the site";
    } else if (code == CURLE_PEER_FAILED_VERIFICATION || code == 51) {
        cause = FETCH_TLS_OTHER;
        why = "the server's certificate does not verify";
        fix = "ca_file for the site, or tls_verify = no";
    } else {
        return FETCH_TLS_NONE;
    }
    snprintf(out, n, "TLS: %s (curl: %.160s); to allow it: %s", why, d[0] ? d : curl_easy_strerror((CURLcode)code),
             fix);
    return cause;
}

/* What a failed transfer says: curl's error-buffer text kept (it names the
 * detail, e.g. "Rejected 102401 bytes header (max is 102400)!", which
 * curl_easy_strerror's generic "Out of memory" loses), and the cases curl
 * words misleadingly put the way an operator reads them. Returns the code
 * for fetch_result.rc: NA_EHTTP for a header over curl's limit (curl said
 * NA_ENOMEM, which it is not), else NA_ENET as before. */
static int describe_failure(CURLcode code, int in_head, const char *detail, char *out, size_t n)
{
    const char *generic = code == CURLE_OK ? "no HTTP response" : curl_easy_strerror(code);
    if ((code == CURLE_OUT_OF_MEMORY && in_head) || (int)code == 100 /* CURLE_TOO_LARGE, curl 8.6 */) {
        /* curl before 8.6 reports a header line over CURL_MAX_HTTP_HEADER
         * as out of memory (7.88 without a word in the error buffer) */
        if (detail[0])
            snprintf(out, n, "a response header line over curl's limit of 100 KB (curl: %.180s)", detail);
        else
            snprintf(out, n, "a response header line over curl's limit of 100 KB");
        return NA_EHTTP;
    }
    if (code == CURLE_UNSUPPORTED_PROTOCOL) {
        /* a missing or broken status line: curl takes it for HTTP/0.9, which it refuses */
        snprintf(out, n, "the server did not answer with HTTP (curl: %.180s)", detail[0] ? detail : generic);
        return NA_ENET;
    }
    if (code == CURLE_WEIRD_SERVER_REPLY)
        snprintf(out, n, "the server's answer is not valid HTTP (curl: %.180s)", detail[0] ? detail : generic);
    else if (detail[0] && strcmp(detail, generic) != 0)
        snprintf(out, n, "%.60s: %.180s", generic, detail);
    else
        snprintf(out, n, "%.200s", generic);
    return NA_ENET;
}

static int retryable_code(CURLcode c)
{
    switch (c) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_WEIRD_SERVER_REPLY:
        return 1;
    default:
        return 0;
    }
}

static int done_push(struct fetch *f, struct fetch_result *r)
{
    if (f->ndone == f->done_cap) {
        size_t cap = f->done_cap ? f->done_cap * 2 : 16;
        struct fetch_result **d = na_malloc(cap * sizeof *d);
        if (!d)
            return -1;
        for (size_t i = 0; i < f->ndone; i++)
            d[i] = f->done[(f->done_head + i) % f->done_cap];
        free(f->done);
        f->done = d;
        f->done_cap = cap;
        f->done_head = 0;
    }
    f->done[(f->done_head + f->ndone) % f->done_cap] = r;
    f->ndone++;
    return 0;
}

static void finish(struct fetch *f, CURL *e, CURLcode code)
{
    struct xfer *x = NULL;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&x);
    curl_multi_remove_handle(f->multi, e);
    if (x->prev)
        x->prev->next = x->next;
    else
        f->running = x->next;
    if (x->next)
        x->next->prev = x->prev;
    x->prev = x->next = NULL;
    f->active--;
    struct fetch_result *r = x->res;
    x->res = NULL;
    long status = 0, ver = 0;
    char *ip = NULL;
    double t = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &ver);
    curl_easy_getinfo(e, CURLINFO_TOTAL_TIME, &t);
    if (curl_easy_getinfo(e, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip)
        snprintf(r->ip, sizeof r->ip, "%s", ip);
    if (r->ip[0])
        f->resolve_loaded = 1; /* it got as far as a connection: names were looked up */
    r->status = (int)status;
    r->http_version = ver == CURL_HTTP_VERSION_1_0 ? 10 : ver == CURL_HTTP_VERSION_1_1 ? 11
                    : ver == CURL_HTTP_VERSION_2_0 ? 20 : ver == CURL_HTTP_VERSION_3 ? 30 : 0;
    r->seconds = t;
    r->curl_code = (int)code;
    if (r->http_version >= 20)
        http1_start_lines(r);
    if (r->request.len)
        drop_proxy_auth(&r->request);
    long connect_code = 0;
    curl_easy_getinfo(e, CURLINFO_HTTP_CONNECTCODE, &connect_code);
    if (status == 407 || (code != CURLE_OK && connect_code == 407)) {
        /* only a proxy answers 407 (to a request it forwarded, or to the
         * CONNECT of an https one): not the site's page, not retried */
        r->rc = NA_ENET;
        r->status = 0; /* the proxy's answer, not the site's: nothing to archive */
        buf_reset(&r->head);
        buf_reset(&r->body);
        snprintf(r->error, sizeof r->error, "the proxy refused the request: HTTP 407 Proxy Authentication Required "
                 "(set proxy_auth_file or proxy_auth_env, or check the credentials)");
    } else if (code == CURLE_OK && status > 0) {
        r->rc = 0;
    } else if (x->cut && status > 0) {
        r->rc = 0; /* the prefix asked for (keep_prefix) */
        r->truncated = 1;
    } else if (x->too_big || x->declared_too_big) {
        r->rc = NA_ETOOBIG;
        if (!x->too_big)
            snprintf(r->error, sizeof r->error, "body of %llu bytes over the cap of %zu",
                     x->declared_too_big, x->max_body);
    } else if (code == CURLE_OUT_OF_MEMORY && x->in_body) {
        r->rc = NA_ENOMEM;
        snprintf(r->error, sizeof r->error, "out of memory");
    } else if ((r->tls_cause = fetch_tls_cause((int)code, x->errbuf, x->certs_sent, r->error, sizeof r->error))) {
        r->rc = NA_ENET; /* a certificate or a protocol does not pass by waiting */
    } else {
        r->rc = describe_failure(code, !x->in_body, x->errbuf, r->error, sizeof r->error);
        r->retryable = retryable_code(code);
    }
    if (x->post && r->request.len >= 4 &&
        memcmp(r->request.data + r->request.len - 4, "\r\n\r\n", 4) == 0)
        buf_adds(&r->request, x->post); /* the request record keeps what was sent: head and body */
    if (r->request.err || r->head.err)
        buf_reset(&r->request);
    xfer_put(f, x);
    if (done_push(f, r))
        fetch_result_free(r); /* out of memory: the caller never sees it */
}

static void perform(struct fetch *f)
{
    int running = 0;
    f->added = 0;
    curl_multi_perform(f->multi, &running);
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(f->multi, &left)))
        if (m->msg == CURLMSG_DONE)
            finish(f, m->easy_handle, m->data.result);
}

int fetch_send(struct fetch *f)
{
    if (f->added)
        perform(f);
    return (int)f->ndone;
}

int fetch_poll(struct fetch *f, int timeout_ms)
{
    /* Transfers just started go out first (their start is what politeness
     * timed); otherwise no curl_multi_perform before the poll: each one
     * checks every transfer's socket with a syscall of its own. */
    fetch_send(f);
    if (f->ndone)
        return (int)f->ndone;
    curl_multi_poll(f->multi, NULL, 0, timeout_ms < 0 ? 0 : timeout_ms, NULL);
    /* the poll drained the wakeup pipe: a later fetch_wakeup must send again
     * (cleared before the caller looks for the work it was woken for) */
    atomic_store(&f->wake_sent, 0);
    perform(f);
    return (int)f->ndone;
}

struct fetch_result *fetch_next_done(struct fetch *f)
{
    if (!f->ndone)
        return NULL;
    struct fetch_result *r = f->done[f->done_head];
    f->done_head = (f->done_head + 1) % f->done_cap;
    f->ndone--;
    return r;
}

size_t fetch_active(const struct fetch *f) { return f->active + f->ndone; }

void fetch_wakeup(struct fetch *f)
{
    /* one wakeup per poll is enough: the loop takes all there is to take */
    if (!atomic_exchange(&f->wake_sent, 1))
        curl_multi_wakeup(f->multi);
}

/* ---- response heads ---- */

char *fetch_header(const struct fetch_result *r, const char *name)
{
    struct buf v = BUF_INIT;
    char *out = NULL;
    if (r->head.data && http_head_field(r->head.data, r->head.len, name, &v) == 1)
        out = na_strndup(buf_str(&v), v.len);
    buf_release(&v);
    return out;
}

int fetch_is_chunked(const struct fetch_result *r)
{
    return r->head.data && http_head_is_chunked(r->head.data, r->head.len);
}
