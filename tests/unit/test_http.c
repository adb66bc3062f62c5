/* test_http.c — util/http.h, the one reader of an HTTP response for its
 * payload, and crawler/page.h, the one path from a response to an article:
 * every content coding the crawler asks for (and identity/none/x-gzip),
 * chunked framing, the cap, the errors, the prefix mode of robots.txt, header
 * fields, Content-Type's media type and charset, and the charset precedence.
 * Each case where the copies this replaced disagreed says what changed. */
#include "tests/check.h"
#include "crawler/page.h"
#include "crawler/policy.h"
#include "crawler/sites.h"
#include "parser/article.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/http.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* wbits: 16+15 gzip, 15 zlib, -15 raw deflate */
static size_t zbytes(const void *in, size_t n, unsigned char *out, size_t cap, int wbits)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (unsigned char *)(uintptr_t)in;
    z.avail_in = (unsigned)n;
    z.next_out = out;
    z.avail_out = (unsigned)cap;
    deflate(&z, Z_FINISH);
    size_t k = cap - z.avail_out;
    deflateEnd(&z);
    return k;
}

static const char TEXT[] = "<html><body><p>The same bytes, the same answer, whoever reads them.</p></body></html>";

/* Decodes z (n bytes) labelled ce; returns the code, out holds the result. */
static int dec(const void *z, size_t n, const char *ce, size_t max, struct buf *out)
{
    struct buf err = BUF_INIT;
    buf_reset(out);
    int rc = http_decode_body(z, n, 0, ce, max, out, &err);
    if (rc)
        CHECK(err.len > 0); /* every error says why */
    buf_release(&err);
    return rc;
}

TEST(http_decode_every_coding)
{
    static unsigned char gz[4096], zl[4096], raw[4096];
    size_t ng = zbytes(TEXT, strlen(TEXT), gz, sizeof gz, 16 + 15);
    size_t nz = zbytes(TEXT, strlen(TEXT), zl, sizeof zl, 15);
    size_t nr = zbytes(TEXT, strlen(TEXT), raw, sizeof raw, -15);
    struct buf out = BUF_INIT;
    /* no coding: NULL, empty, identity, and "none" (the crawl refused "none"
     * with NA_EUNSUPPORTED while the archive reader took it as identity) */
    const char *plain[] = { NULL, "", "identity", "IDENTITY", "none", " none " };
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        CHECK_EQ(dec(TEXT, strlen(TEXT), plain[i], 0, &out), 0);
        CHECK_STR(buf_str(&out), TEXT);
    }
    /* gzip and x-gzip (gzip data: libdeflate's one call, zlib for the rest) */
    CHECK_EQ(dec(gz, ng, "gzip", 0, &out), 0);
    CHECK_STR(buf_str(&out), TEXT);
    CHECK_EQ(dec(gz, ng, "x-gzip", 0, &out), 0);
    CHECK_STR(buf_str(&out), TEXT);
    CHECK_EQ(dec(gz, ng, "GZip", 0, &out), 0);
    /* zlib data labelled gzip: decoded (the crawl said "incorrect header
     * check", the archive reader decoded it) */
    CHECK_EQ(dec(zl, nz, "gzip", 0, &out), 0);
    CHECK_STR(buf_str(&out), TEXT);
    CHECK_EQ(dec(zl, nz, "x-gzip", 0, &out), 0);
    CHECK_STR(buf_str(&out), TEXT);
    /* deflate: zlib as RFC 9110 says, raw as some servers send */
    CHECK_EQ(dec(zl, nz, "deflate", 0, &out), 0);
    CHECK_STR(buf_str(&out), TEXT);
    CHECK_EQ(dec(raw, nr, "deflate", 0, &out), 0);
    CHECK_STR(buf_str(&out), TEXT);
    /* gzip data labelled deflate is not deflate */
    CHECK_EQ(dec(gz, ng, "deflate", 0, &out), NA_EPARSE);
    /* a list with identity entries is its one real coding (every copy said
     * NA_EUNSUPPORTED); two real codings or an unknown one are not undone */
    CHECK_EQ(dec(gz, ng, "identity, gzip", 0, &out), 0);
    CHECK_STR(buf_str(&out), TEXT);
    CHECK_EQ(dec(gz, ng, "gzip,identity", 0, &out), 0);
    CHECK_EQ(dec(gz, ng, "gzip, gzip", 0, &out), NA_EUNSUPPORTED);
    CHECK_EQ(dec(gz, ng, "br", 0, &out), NA_EUNSUPPORTED);
    CHECK_EQ(dec(gz, ng, "zstd", 0, &out), NA_EUNSUPPORTED);
    CHECK_EQ(dec(gz, ng, "compress", 0, &out), NA_EUNSUPPORTED);
    CHECK_EQ(dec(gz, ng, "gzip, br", 0, &out), NA_EUNSUPPORTED);
    buf_release(&out);
}

TEST(http_decode_errors_and_cap)
{
    static unsigned char gz[4096], zl[4096];
    size_t ng = zbytes(TEXT, strlen(TEXT), gz, sizeof gz, 16 + 15);
    size_t nz = zbytes(TEXT, strlen(TEXT), zl, sizeof zl, 15);
    size_t len = strlen(TEXT);
    struct buf out = BUF_INIT, err = BUF_INIT;
    /* one set of errors: truncated or corrupt data is NA_EPARSE in the crawl
     * and in the readers alike (the reader said NA_ECORRUPT) */
    CHECK_EQ(dec(gz, ng / 2, "gzip", 0, &out), NA_EPARSE);
    CHECK_EQ(dec(zl, nz / 2, "deflate", 0, &out), NA_EPARSE);
    CHECK_EQ(dec("not gzip at all", 15, "gzip", 0, &out), NA_EPARSE);
    /* the cap is the decoded size, exact, for every coding */
    CHECK_EQ(dec(TEXT, len, NULL, len, &out), 0);
    CHECK_EQ(dec(TEXT, len, NULL, len - 1, &out), NA_ETOOBIG);
    CHECK_EQ(dec(gz, ng, "gzip", len, &out), 0);
    CHECK_EQ(dec(gz, ng, "gzip", len - 1, &out), NA_ETOOBIG);
    CHECK(out.len <= len - 1);
    CHECK_EQ(dec(zl, nz, "gzip", len - 1, &out), NA_ETOOBIG);
    CHECK_EQ(dec(zl, nz, "deflate", len - 1, &out), NA_ETOOBIG);
    /* the message names the cap */
    buf_reset(&out);
    CHECK_EQ(http_decode_body((char *)gz, ng, 0, "gzip", 10, &out, &err), NA_ETOOBIG);
    CHECK_CONTAINS(buf_str(&err), "cap");
    CHECK_EQ(http_decode_body("x", 1, 0, "br", 10, &out, &err), NA_EUNSUPPORTED);
    CHECK_CONTAINS(buf_str(&err), "'br'");
    /* prefix mode (robots.txt): over the cap keeps the start, cut short too */
    int cut = -1;
    buf_reset(&out);
    CHECK_EQ(http_decode_prefix((char *)gz, ng, 0, "gzip", 10, &out, &cut, &err), 0);
    CHECK_EQ(cut, 1);
    CHECK_EQ(out.len, 10);
    CHECK(memcmp(out.data, TEXT, 10) == 0);
    buf_reset(&out);
    CHECK_EQ(http_decode_prefix((char *)zl, nz, 0, "gzip", 1000, &out, &cut, &err), 0);
    CHECK_EQ(cut, 0);
    CHECK_STR(buf_str(&out), TEXT);
    buf_reset(&out);
    CHECK_EQ(http_decode_prefix("4\r\nabcd\r\n9\r\nef", 15, 1, "none", 1000, &out, &cut, &err), 0);
    CHECK_EQ(cut, 1);
    CHECK_STR(buf_str(&out), "abcdef");
    buf_release(&out);
    buf_release(&err);
}

TEST(http_decode_response_reads_the_head)
{
    static unsigned char gz[4096];
    size_t ng = zbytes(TEXT, strlen(TEXT), gz, sizeof gz, 16 + 15);
    struct buf wire = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
    buf_printf(&wire, "%zx\r\n", ng);
    buf_add(&wire, gz, ng);
    buf_adds(&wire, "\r\n0\r\n\r\n");
    const char *head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\ntransfer-encoding: gzip, chunked\r\n"
                       "Content-Encoding:\r\n x-gzip \r\n\r\n";
    /* chunked framing first, then the (folded) content coding */
    CHECK_EQ(http_decode_response(head, strlen(head), wire.data, wire.len, 0, &out, &err), 0);
    CHECK_STR(buf_str(&out), TEXT);
    /* a head that says chunked over a body not chunk-framed (de-chunked on
     * the way): read as it is (the reader did; the crawl said NA_EPARSE) */
    buf_reset(&out);
    CHECK_EQ(http_decode_response(head, strlen(head), (char *)gz, ng, 0, &out, &err), 0);
    CHECK_STR(buf_str(&out), TEXT);
    /* no head: no codings */
    buf_reset(&out);
    CHECK_EQ(http_decode_response(NULL, 0, "abc", 3, 0, &out, &err), 0);
    CHECK_STR(buf_str(&out), "abc");
    buf_release(&wire);
    buf_release(&out);
    buf_release(&err);
}

TEST(http_head_fields)
{
    const char *h = "HTTP/1.1 200 OK\r\nX-A: 1\r\ncontent-type:  text/html;\r\n\tcharset=gbk  \r\n"
                    "Content-Type: text/plain\r\nX-Empty:\r\n\r\nBody-Like: no\r\n";
    struct buf v = BUF_INIT;
    CHECK_EQ(http_head_field(h, strlen(h), "Content-Type", &v), 1);
    CHECK_STR(buf_str(&v), "text/html; charset=gbk"); /* the first, unfolded, trimmed */
    CHECK_EQ(http_head_field(h, strlen(h), "x-empty", &v), 1);
    CHECK_STR(buf_str(&v), "");
    CHECK_EQ(http_head_field(h, strlen(h), "Body-Like", &v), 0); /* after the head's end */
    CHECK_EQ(http_head_field(h, strlen(h), "X", &v), 0);
    CHECK_EQ(http_head_field(h, strlen(h), "HTTP/1.1 200 OK", &v), 0);
    CHECK_EQ(http_head_field(NULL, 0, "X-A", &v), 0);
    buf_release(&v);
}

TEST(http_content_type)
{
    char mt[32], cs[32];
    http_media_type(" Text/HTML ; charset=GBK", mt, sizeof mt);
    CHECK_STR(mt, "text/html");
    http_media_type("text/html\t;x=1", mt, sizeof mt);
    CHECK_STR(mt, "text/html");
    http_media_type(NULL, mt, sizeof mt);
    CHECK_STR(mt, "");
    /* one reading of the charset parameter, for HTTP and <meta content>
     * alike. Changed answers: single quotes are stripped (the crawl kept
     * them: "'gbk'"), whitespace around '=' is allowed (the crawl and
     * reextract found no charset), "xcharset=" is not "charset=" (the meta
     * prescan took it) */
    static const struct { const char *ct, *want; } cases[] = {
        { "text/html; charset=gbk", "gbk" },
        { "text/html;charset=\"GB2312\"", "GB2312" },
        { "text/html; charset='gbk'", "gbk" },
        { "text/html; charset = gbk", "gbk" },
        { "text/html; CHARSET=utf-8; q=1", "utf-8" },
        { "charset=big5", "big5" },
        { "text/html; xcharset=utf-8; charset=gbk", "gbk" },
        { "text/html; charset", "" },
        { "text/html; charset=", "" },
        { "text/html", "" },
        { "", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int found = http_charset_param(cases[i].ct, cs, sizeof cs);
        CHECK_STR(cs, cases[i].want);
        CHECK_EQ(found, cases[i].want[0] != 0);
    }
    CHECK_EQ(http_charset_param(NULL, cs, sizeof cs), 0);
    CHECK_EQ(http_charset_param("text/html; charset=averyveryverylongname", cs, 8), 1);
    CHECK_STR(cs, "averyve");
}

TEST(policy_redirects_as_browsers_do)
{
    static const int follow[] = { 301, 302, 303, 307, 308 };
    for (size_t i = 0; i < sizeof follow / sizeof *follow; i++)
        CHECK_EQ(policy_is_redirect(follow[i]), 1);
    /* the crawl followed these too (any 3xx but 304); `try` did not */
    static const int stay[] = { 300, 304, 305, 306, 309, 399, 200, 404 };
    for (size_t i = 0; i < sizeof stay / sizeof *stay; i++)
        CHECK_EQ(policy_is_redirect(stay[i]), 0);
}

TEST(policy_redirect_checks_in_the_crawls_order)
{
    struct policy_hop ok = { 1, 1, 0, 5, 1, 0 };
    CHECK_EQ(policy_redirect(&ok), REDIRECT_FOLLOW);
    struct policy_hop h = ok;
    h.has_location = 0;
    h.target_ok = 0;
    CHECK_EQ(policy_redirect(&h), REDIRECT_NO_LOCATION);
    h = ok;
    h.target_ok = 0;
    h.followed = 9;
    CHECK_EQ(policy_redirect(&h), REDIRECT_BAD_URL);
    /* the 6th redirect with max_redirects 5 is too many, even off scope or a
     * loop (try checked scope and loops first) */
    h = ok;
    h.followed = 5;
    h.in_scope = 0;
    h.loop = 1;
    CHECK_EQ(policy_redirect(&h), REDIRECT_TOO_MANY);
    h.followed = 4;
    CHECK_EQ(policy_redirect(&h), REDIRECT_OFF_SCOPE);
    h.in_scope = 1;
    CHECK_EQ(policy_redirect(&h), REDIRECT_LOOP);
    h.max_redirects = 0;
    h.followed = 0;
    CHECK_EQ(policy_redirect(&h), REDIRECT_TOO_MANY);
}

/* ---- page_extract ---- */

/* "我们的新闻" … in GBK, enough text for an article. */
static void gbk_page(struct buf *b, const char *meta)
{
    static const char para[] = "\xce\xd2\xc3\xc7\xb5\xc4\xd0\xc2\xce\xc5\xa3\xac\xbd\xf1\xcc\xec\xb5\xc4"
                               "\xcc\xec\xc6\xf8\xba\xdc\xba\xc3\xa1\xa3";
    buf_printf(b, "<html><head>%s<title>T</title></head><body><div id=\"main\">", meta);
    for (int i = 0; i < 6; i++) {
        buf_adds(b, "<p>");
        for (int k = 0; k < 4; k++)
            buf_adds(b, para);
        buf_adds(b, "</p>");
    }
    buf_adds(b, "</div><div class=\"ad\"><p>AD AD AD AD AD AD AD AD AD AD AD AD AD AD AD AD AD</p></div>"
                "</body></html>");
}

static struct sites_config *load(const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/page.conf", test_tmpdir());
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    fputs(text, f);
    fclose(f);
    struct sites_config *c = NULL;
    struct buf err = BUF_INIT;
    if (sites_config_load(path, &c, &err))
        fprintf(stderr, "%s\n", buf_str(&err));
    buf_release(&err);
    return c;
}

static int extract(const struct site *s, const char *head, const struct buf *body, struct article *a,
                   struct page_result *pr)
{
    struct page_opts po;
    struct buf err = BUF_INIT;
    memset(&po, 0, sizeof po);
    po.site = s;
    po.url = "http://a.example/post/1.html";
    po.now = 1700000000;
    article_release(a);
    article_init(a);
    int rc = page_extract(&po, head, head ? strlen(head) : 0, body->data, body->len, a, pr, &err);
    buf_release(&err);
    return rc;
}

TEST(page_extract_charset_precedence_and_refusals)
{
    struct sites_config *cfg = load("[newsarc]\nuser_agent = t (t@example.org)\n"
                                    "[site over]\nlisting = http://a.example/\narticle = /post/\ncharset = gbk\n"
                                    "xpath_drop = //div[@class='ad']\n"
                                    "[site plain]\nlisting = http://b.example/\narticle = /post/\n");
    CHECK(cfg != NULL);
    const struct site *over = sites_find(cfg, "over"), *plain = sites_find(cfg, "plain");
    CHECK(over && plain);
    struct buf page = BUF_INIT;
    gbk_page(&page, "");
    struct article a;
    struct page_result pr;
    article_init(&a);
    /* the HTTP label lies (utf-8): the site's override wins */
    const char *lie = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n";
    CHECK_EQ(extract(over, lie, &page, &a, &pr), 0);
    CHECK_EQ(pr.stop, PAGE_OK);
    CHECK_STR(pr.label, "gbk");
    CHECK_CONTAINS(a.text, "我们的新闻");
    CHECK_NOT_CONTAINS(a.text, "AD AD"); /* the site's xpath rule */
    /* no override: the HTTP label is what the extractor is given */
    CHECK_EQ(extract(plain, lie, &page, &a, &pr), 0);
    CHECK_STR(pr.label, "utf-8");
    /* no label at all: the extractor sniffs */
    const char *none = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n";
    CHECK_EQ(extract(plain, none, &page, &a, &pr), 0);
    CHECK_STR(pr.label, "");
    CHECK_CONTAINS(a.text, "我们的新闻");
    /* binary refused: by type, and by a NUL without a type */
    CHECK_EQ(extract(plain, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n", &page, &a, &pr),
             NA_EUNSUPPORTED);
    CHECK_EQ(pr.stop, PAGE_BINARY_TYPE);
    CHECK_STR(pr.media_type, "image/png");
    struct buf bin = BUF_INIT;
    buf_add(&bin, "\x89PNG\0\0\0", 7);
    CHECK_EQ(extract(plain, "HTTP/1.1 200 OK\r\n\r\n", &bin, &a, &pr), NA_EUNSUPPORTED);
    CHECK_EQ(pr.stop, PAGE_BINARY_BODY);
    /* a coding it cannot undo */
    CHECK_EQ(extract(plain, "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n", &page, &a, &pr), NA_EUNSUPPORTED);
    CHECK_EQ(pr.stop, PAGE_UNDECODABLE);
    /* "none" and zlib-in-gzip reach the extractor like identity and gzip */
    CHECK_EQ(extract(over, "HTTP/1.1 200 OK\r\nContent-Encoding: none\r\n\r\n", &page, &a, &pr), 0);
    CHECK_CONTAINS(a.text, "我们的新闻");
    static unsigned char zl[8192];
    struct buf z = BUF_INIT;
    buf_add(&z, zl, zbytes(page.data, page.len, zl, sizeof zl, 15));
    CHECK_EQ(extract(over, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n", &z, &a, &pr), 0);
    CHECK_CONTAINS(a.text, "我们的新闻");
    /* no head (a file): no codings, no binary checks, the site's override */
    CHECK_EQ(extract(over, NULL, &page, &a, &pr), 0);
    CHECK_STR(pr.label, "gbk");
    article_release(&a);
    buf_release(&page);
    buf_release(&bin);
    buf_release(&z);
    sites_config_free(cfg);
}
