/* mkarchive.c — writes test archives through the store API (store/archive.h
 * archive_add) until the crawler exists: a fixed fixture set (UTF-8 and GBK
 * pages, a gzip-coded body, identical-payload and not-modified revisits,
 * a listing, robots.txt), or pages fetched from a local server with libcurl
 * (raw bytes: no Accept-Encoding, no transfer decoding), extracted with
 * article_extract(). Built by the scripts in tests/scripts and tests/bench.
 *   mkarchive DIR fixture
 *   mkarchive DIR fetch [--site S] URL...     (or "-" to read URLs from stdin)
 *   mkarchive DIR hold FILE   (holds the writer lock: creates FILE, waits at
 *                              most 60 s for it to be removed) */
#include "crawler/article_archive.h"
#include "parser/article.h"
#include "store/archive.h"
#include "util/err.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zlib.h>

static int die(const char *what, int rc, const struct buf *err)
{
    fprintf(stderr, "mkarchive: %s: %s (%s)\n", what, err && err->len ? buf_str(err) : "", na_strerror(rc));
    return 1;
}

/* ---- fixture ---- */

static void gzip_bytes(const char *in, size_t n, struct buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    buf_grow(out, deflateBound(&z, n) + 32);
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out->data + out->len;
    z.avail_out = (uInt)(out->cap - out->len - 1);
    deflate(&z, Z_FINISH);
    out->len += z.total_out;
    out->data[out->len] = 0;
    deflateEnd(&z);
}

struct fx {
    const char *url, *site;
    enum capture_kind kind;
    time_t fetched;
    int status;
    const char *ctype;      /* Content-Type */
    int gzip;               /* content-code the body */
    const char *body;
    const char *etag;
    /* article fields (NULL title = no article) */
    const char *title, *published, *author, *source, *text;
};

/* "电力" etc. in GBK, for a GBK page: 中国 = d6d0 b9fa, 新闻 = d0c2 cec5. */
#define GBK_PAGE "<html><head><meta charset=\"gbk\"><title>\xd6\xd0\xb9\xfa\xd0\xc2\xce\xc5</title></head>" \
                 "<body><p>\xd6\xd0\xb9\xfa\xd0\xc2\xce\xc5 GBK body</p></body></html>"

static const struct fx fixtures[] = {
    { "http://news.example.cn/a/1.html", "example", CAPTURE_ARTICLE, 1709280000, 200, "text/html; charset=utf-8", 0,
      "<html><head><title>First article 第一</title></head><body><div id=nav>Home | News</div>"
      "<article><h1>First article 第一</h1><p>Paragraph one 第一段。</p><p>Paragraph two.</p></article></body></html>",
      "\"e1\"", "First article 第一", "2024-03-01", "Li Lei", "Example Daily", "Paragraph one 第一段。\nParagraph two." },
    { "http://news.example.cn/a/2.html", "example", CAPTURE_ARTICLE, 1709290000, 200, "text/html; charset=GBK", 1,
      GBK_PAGE, NULL, "中国新闻", "2024-03-05T10:30:00+08:00", NULL, "新华社", "中国新闻 GBK body" },
    { "http://news.example.cn/list/", "example", CAPTURE_LISTING, 1709290100, 200, "text/html", 0,
      "<html><body><a href=\"/a/1.html\">1</a><a href=\"/a/2.html\">2</a></body></html>", NULL, NULL, NULL, NULL, NULL,
      NULL },
    { "http://news.example.cn/robots.txt", "example", CAPTURE_ROBOTS, 1709290200, 200, "text/plain", 0,
      "User-agent: *\nDisallow: /private/\n", NULL, NULL, NULL, NULL, NULL, NULL },
    { "http://news.example.cn/a/3.html", "example", CAPTURE_ARTICLE, 1709300000, 200, "text/html", 0,
      "<html><head><title>Third</title></head><body><p>Third text.</p></body></html>", "\"e3\"", "Third",
      "2024-03-02", NULL, NULL, "Third text." },
    /* same payload as the first capture of 1.html: an identical-payload revisit */
    { "http://news.example.cn/a/1.html", "example", CAPTURE_ARTICLE, 1709380000, 200, "text/html; charset=utf-8", 0,
      "<html><head><title>First article 第一</title></head><body><div id=nav>Home | News</div>"
      "<article><h1>First article 第一</h1><p>Paragraph one 第一段。</p><p>Paragraph two.</p></article></body></html>",
      "\"e1\"", NULL, NULL, NULL, NULL, NULL },
    /* a 304: a not-modified revisit */
    { "http://news.example.cn/a/3.html", "example", CAPTURE_ARTICLE, 1709400000, 304, NULL, 0, "", "\"e3\"", NULL,
      NULL, NULL, NULL, NULL },
    { "https://www.other.org/news?id=7&b=2", "other", CAPTURE_ARTICLE, 1704000000, 200, "text/html; charset=utf-8", 0,
      "<html><head><title>Other &amp; news</title></head><body><p>Other text\twith a tab.</p></body></html>", NULL,
      "Other & news", "2023-12-31", "Ann", NULL, "Other text\twith a tab." },
};

static int write_fixture(struct archive *a)
{
    struct buf err = BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0] && !rc; i++) {
        const struct fx *f = &fixtures[i];
        struct buf req = BUF_INIT, head = BUF_INIT, body = BUF_INIT;
        const char *host = strstr(f->url, "://") + 3;
        const char *path = strchr(host, '/');
        buf_printf(&req, "GET %s HTTP/1.1\r\nHost: %.*s\r\nUser-Agent: newsarc-test\r\nAccept: */*\r\n\r\n", path,
                   (int)(path - host), host);
        if (f->gzip)
            gzip_bytes(f->body, strlen(f->body), &body);
        else
            buf_adds(&body, f->body);
        buf_printf(&head, "HTTP/1.1 %d %s\r\nServer: fixture\r\n", f->status, f->status == 200 ? "OK" : "Not Modified");
        if (f->ctype)
            buf_printf(&head, "Content-Type: %s\r\n", f->ctype);
        if (f->gzip)
            buf_adds(&head, "Content-Encoding: gzip\r\n");
        if (f->etag)
            buf_printf(&head, "ETag: %s\r\n", f->etag);
        buf_printf(&head, "Content-Length: %zu\r\n\r\n", body.len);
        struct capture c;
        memset(&c, 0, sizeof c);
        c.url = f->url;
        c.site = f->site;
        c.kind = f->kind;
        c.fetched = f->fetched;
        c.ip = "127.0.0.1";
        c.request = req.data;
        c.request_len = req.len;
        c.response_head = head.data;
        c.response_head_len = head.len;
        c.body = body.data ? body.data : "";
        c.body_len = body.len;
        c.status = f->status;
        c.etag = f->etag;
        struct article art;
        article_init(&art);
        if (f->title) {
            art.url = strdup(f->url);
            art.title = strdup(f->title);
            art.published = f->published ? strdup(f->published) : NULL;
            art.published_from = f->published ? strdup("meta") : NULL;
            art.author = f->author ? strdup(f->author) : NULL;
            art.source = f->source ? strdup(f->source) : NULL;
            art.lang = strdup("zh");
            art.charset = strdup(f->gzip ? "GB18030" : "UTF-8");
            art.category = strdup("news");
            art.text = strdup(f->text);
        }
        struct archive_text at = article_archive_text(&art);
        rc = archive_add(a, &c, f->title ? &at : NULL, &err);
        if (rc)
            die(f->url, rc, &err);
        article_release(&art);
        buf_release(&req);
        buf_release(&head);
        buf_release(&body);
    }
    buf_release(&err);
    return rc ? 1 : 0;
}

/* ---- fetch ---- */

struct xfer {
    struct buf req, head, body;
};

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
    struct xfer *x = ud;
    return buf_add(&x->body, p, sz * n) ? 0 : sz * n;
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
    struct xfer *x = ud;
    if (sz * n > 5 && strncmp(p, "HTTP/", 5) == 0) /* a new response (after 100 or a redirect) */
        buf_reset(&x->head);
    return buf_add(&x->head, p, sz * n) ? 0 : sz * n;
}

static int on_debug(CURL *h, curl_infotype t, char *p, size_t n, void *ud)
{
    (void)h;
    struct xfer *x = ud;
    if (t == CURLINFO_HEADER_OUT) {
        buf_reset(&x->req);
        buf_add(&x->req, p, n);
    }
    return 0;
}

/* Value of header name in a raw head, malloc'd, or NULL. */
static char *head_value(const char *head, const char *name)
{
    size_t nl = strlen(name);
    for (const char *p = head; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ')
                v++;
            size_t l = strcspn(v, "\r\n");
            return strndup(v, l);
        }
    }
    return NULL;
}

static int fetch_one(struct archive *a, CURL *h, const char *url, const char *site)
{
    struct xfer x;
    buf_init(&x.req, 1 << 16);
    buf_init(&x.head, 1 << 16);
    buf_init(&x.body, (size_t)64 << 20);
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTP_TRANSFER_DECODING, 0L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "newsarc-test/0.1");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, &x);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
    int ret = 0;
    CURLcode cc = curl_easy_perform(h);
    if (cc != CURLE_OK) {
        fprintf(stderr, "mkarchive: '%s': %s\n", url, curl_easy_strerror(cc));
        ret = 1;
        goto done;
    }
    long status = 0;
    char *ip = NULL;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(h, CURLINFO_PRIMARY_IP, &ip);
    char *etag = head_value(buf_str(&x.head), "ETag"), *lm = head_value(buf_str(&x.head), "Last-Modified");
    char *ct = head_value(buf_str(&x.head), "Content-Type");
    struct capture c;
    memset(&c, 0, sizeof c);
    c.url = url;
    c.site = site;
    c.kind = CAPTURE_ARTICLE;
    c.fetched = time(NULL);
    c.ip = ip;
    c.request = x.req.data;
    c.request_len = x.req.len;
    c.response_head = x.head.data;
    c.response_head_len = x.head.len;
    c.body = x.body.data ? x.body.data : "";
    c.body_len = x.body.len;
    c.status = (int)status;
    c.etag = etag;
    c.last_modified = lm;
    struct article art;
    struct buf err = BUF_INIT;
    article_init(&art);
    struct article_opts ao = { 0 };
    ao.url = url;
    char cs[64] = "";
    const char *p = ct ? strcasestr(ct, "charset=") : NULL;
    if (p)
        snprintf(cs, sizeof cs, "%.*s", (int)strcspn(p + 8, "; \"'"), p + 8);
    ao.http_charset = cs[0] ? cs : NULL;
    int rc = status == 200 ? article_extract(c.body, c.body_len, &ao, &art, &err) : 0;
    struct archive_text at = article_archive_text(&art);
    if (!rc)
        rc = archive_add(a, &c, status == 200 ? &at : NULL, &err);
    if (rc) {
        die(url, rc, &err);
        ret = 1;
    }
    article_release(&art);
    buf_release(&err);
    free(etag);
    free(lm);
    free(ct);
done:
    buf_release(&x.req);
    buf_release(&x.head);
    buf_release(&x.body);
    return ret;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: mkarchive DIR fixture | fetch [--site S] URL...|- | hold FILE\n");
        return 2;
    }
    struct archive_opts o = { 0 };
    struct archive *a = NULL;
    struct buf err = BUF_INIT;
    o.quiet_recovery = 1;
    o.host_label = "test";
    const char *mx = getenv("MKARCHIVE_MAX_SIZE");
    if (mx)
        o.warc_max_size = strtoull(mx, NULL, 10);
    int rc = archive_open(argv[1], &o, &a, &err);
    if (rc)
        return die(argv[1], rc, &err);
    int ret = 0;
    if (strcmp(argv[2], "fixture") == 0) {
        ret = write_fixture(a);
    } else if (strcmp(argv[2], "fetch") == 0) {
        const char *site = "local";
        int i = 3;
        if (i + 1 < argc && strcmp(argv[i], "--site") == 0) {
            site = argv[i + 1];
            i += 2;
        }
        curl_global_init(CURL_GLOBAL_DEFAULT);
        CURL *h = curl_easy_init();
        archive_begin(a);
        int batch = 0;
        for (; i < argc; i++) {
            if (strcmp(argv[i], "-") == 0) {
                char line[8192];
                while (fgets(line, sizeof line, stdin)) {
                    line[strcspn(line, "\r\n")] = 0;
                    if (line[0])
                        ret |= fetch_one(a, h, line, site);
                    if (++batch % 100 == 0) {
                        archive_commit(a);
                        archive_begin(a);
                    }
                }
            } else {
                ret |= fetch_one(a, h, argv[i], site);
            }
        }
        archive_commit(a);
        curl_easy_cleanup(h);
        curl_global_cleanup();
    } else if (strcmp(argv[2], "hold") == 0 && argc > 3) {
        FILE *f = fopen(argv[3], "w");
        if (f)
            fclose(f);
        for (int i = 0; i < 600 && access(argv[3], F_OK) == 0; i++)
            usleep(100000);
    } else {
        fprintf(stderr, "mkarchive: unknown mode '%s'\n", argv[2]);
        ret = 2;
    }
    archive_close(a);
    buf_release(&err);
    return ret;
}
