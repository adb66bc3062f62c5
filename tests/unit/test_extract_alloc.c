/* test_extract_alloc.c — the allocation-failure sweep over extraction (as
 * store/ has for archive_add): article_extract runs on real pages with the
 * k-th allocation failing (na_mem_fail_after(k)), for k = 1, 2, … until the
 * runs no longer reach an injected failure. Each run either returns a
 * negative code with a message (and, under `make asan`, leaks nothing), or
 * returns 0 with exactly the clean run's article: an allocation failure
 * never gives a degraded article with return code 0. Pages: the GBK seed
 * page, a UTF-8 page with JSON-LD, meta tags, a publish time in an inline
 * script, a byline and a breadcrumb, and the same with --explain on. */
#include "tests/check.h"
#include "parser/article.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

#define NOW ((time_t)1687917600) /* 2023-06-28 10:00 +08:00 */
#define SWEEP_MAX 200000         /* a bound on k, far above any page's count */

static const char rich_page[] =
    "<!DOCTYPE html><html lang=zh-CN><head><meta charset=utf-8>"
    "<title>市政府召开新闻发布会介绍项目进展_本地新闻_示例网</title>"
    "<meta property=og:title content=\"市政府召开新闻发布会介绍项目进展\">"
    "<meta property=og:site_name content=示例网>"
    "<meta name=author content=\"张三\">"
    "<meta property=article:section content=本地新闻>"
    "<link rel=canonical href=\"https://news.example.cn/2023/06/27/a123.html\">"
    "<script type=application/ld+json>{\"@context\":\"https://schema.org\",\"@graph\":["
    "{\"@type\":\"WebPage\",\"url\":\"https://news.example.cn/\"},"
    "{\"@type\":\"NewsArticle\",\"headline\":\"市政府召开新闻发布会介绍项目进展\","
    "\"datePublished\":\"2023-06-27T09:30:00+08:00\",\"dateModified\":\"2023-06-27T12:00:00+08:00\","
    "\"author\":[{\"@type\":\"Person\",\"name\":\"张三\"},{\"name\":\"李四\"}],"
    "\"articleSection\":[\"本地新闻\"],\"inLanguage\":\"zh-CN\"}]}</script>"
    "<script>var n = 1;\n var ct = \"1687829400\";\n var publish_time = \"2023-06-27 09:30\";</script>"
    "<style>.a{color:red}</style></head><body>"
    "<div class=crumb>当前位置：首页 &gt; 本地新闻 &gt; 正文</div>"
    "<div class=nav><a href=/>首页</a> <a href=/local/>本地</a> <a href=/world/>国际</a></div>"
    "<div class=article><h1 class=title>市政府召开新闻发布会介绍项目进展</h1>"
    "<div class=info><span class=time>2023-06-27 09:30</span> 来源：示例日报 "
    "<span class=author>作者：张三</span></div>"
    "<div id=content><p>6月27日上午，市政府召开新闻发布会，介绍今年以来重点项目的建设进展情况。"
    "发布会上，有关部门负责人回答了记者提问。</p>"
    "<p>据介绍，今年全市安排重点项目三百余个，总投资超过两千亿元，目前已开工项目占比超过八成，"
    "完成投资进度好于预期。</p><p>下一步，全市将继续优化营商环境，加快项目审批，"
    "推动更多项目早开工、早投产、早见效。</p>"
    "<p>图片 <img src=\"/uploads/2023/06/27/p1.jpg\"> 现场图</p>"
    "<p>分享到：微信 微博</p><p>责任编辑：王五</p></div>"
    "<div class=related><h3>相关阅读</h3><ul><li><a href=/a/1.html>另一条新闻 2023-06-20</a></li>"
    "<li><a href=/a/2.html>又一条新闻 2023-06-19</a></li></ul></div></div>"
    "<div class=footer>Copyright © 2023 示例网 版权所有</div></body></html>";

static char *read_data(const char *name, size_t *n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/%s", test_srcdir(), name);
    char *s = test_read_file(path, n);
    if (!s)
        fprintf(stderr, "cannot read %s\n", path);
    return s;
}

static int run_ctx(const char *html, size_t n, const char *url, const char *charset, int explain,
                   struct extract_ctx *x, struct article *a, struct buf *err)
{
    struct article_opts o;
    memset(&o, 0, sizeof o);
    o.ctx = x;
    o.url = url;
    o.http_charset = charset;
    o.now = NOW;
    o.explain = explain;
    article_init(a);
    buf_reset(err);
    return article_extract(html, n, &o, a, err);
}

static int run(const char *html, size_t n, const char *url, const char *charset, int explain, struct article *a,
               struct buf *err)
{
    return run_ctx(html, n, url, charset, explain, NULL, a, err);
}

static int same_str(const char *x, const char *y) { return (!x && !y) || (x && y && strcmp(x, y) == 0); }

/* 1 when a and b give the same article (every field, and the explanation). */
static int same_article(const struct article *a, const struct article *b)
{
    return same_str(a->url, b->url) && same_str(a->title, b->title) && same_str(a->published, b->published) &&
           same_str(a->published_from, b->published_from) && same_str(a->author, b->author) &&
           same_str(a->source, b->source) && same_str(a->category, b->category) && same_str(a->lang, b->lang) &&
           same_str(a->charset, b->charset) && same_str(a->text, b->text) &&
           same_str(buf_str(&a->explain), buf_str(&b->explain));
}

/* The sweep over one page. The countdown has no reader, so a run is known
 * to have reached its injected failure by a probe: after a run with
 * na_mem_fail_after(k) that made A allocations, one more na_malloc fails
 * exactly when A >= k - 1. The sweep ends at the first k whose probe
 * succeeds: then A < k - 1, so this run and the one before had no failure
 * injected, and every k <= A was tried. Returns the number of runs that
 * failed (the failure points that give an error). */
static long sweep(const char *what, const char *html, size_t n, const char *url, const char *charset, int explain)
{
    struct buf err = BUF_INIT;
    struct article clean, a;
    na_mem_fail_after(0);
    CHECK_EQ(run(html, n, url, charset, explain, &clean, &err), 0);
    CHECK(clean.text && *clean.text);
    long failed = 0, tolerated = 0, k;
    int reached = 1;
    for (k = 1; k < SWEEP_MAX && reached; k++) {
        na_mem_fail_after(k);
        int rc = run(html, n, url, charset, explain, &a, &err);
        void *probe = na_malloc(1);
        na_mem_fail_after(0);
        reached = probe == NULL;
        free(probe);
        if (rc) {
            failed++;
            /* the message may be lost for want of memory itself */
            if (rc >= 0 || (!err.len && rc != NA_ENOMEM)) {
                fprintf(stderr, "%s: k=%ld: rc %d, message '%s'\n", what, k, rc, buf_str(&err));
                CHECK(rc < 0);
                CHECK(err.len > 0 || rc == NA_ENOMEM);
            }
        } else {
            if (reached)
                tolerated++;
            if (!same_article(&a, &clean)) {
                fprintf(stderr, "%s: k=%ld: rc 0 but the article differs from the clean run's\n", what, k);
                CHECK(0);
            }
        }
        article_release(&a);
    }
    CHECK(!reached);
    CHECK(failed > 5);
    tolerated--; /* run A + 1 reached the probe, not an injected failure */
    fprintf(stderr, "%s: %ld allocations, %ld failure points give an error, %ld are absorbed with the same "
                    "article (caches, a faster path)\n", what, k - 3, failed, tolerated);
    article_release(&clean);
    buf_release(&err);
    return failed;
}

TEST(extract_alloc_failures_seed_gbk)
{
    size_t n;
    char *html = read_data("seed-article.html", &n);
    CHECK(html != NULL);
    if (!html)
        return;
    sweep("seed-article.html (GBK)", html, n, NULL, NULL, 0);
    free(html);
}

TEST(extract_alloc_failures_jsonld_scripts)
{
    sweep("JSON-LD page", rich_page, strlen(rich_page), "https://news.example.cn/2023/06/27/a123.html", NULL, 0);
}

TEST(extract_alloc_failures_explain)
{
    sweep("JSON-LD page, --explain", rich_page, strlen(rich_page), NULL, "utf-8", 1);
}

TEST(extract_ctx_is_only_a_cache)
{
    /* One worker's context over several pages, each page twice, gives the
     * articles that calls without one (a temporary context each) give. */
    size_t n;
    char *seed = read_data("seed-article.html", &n);
    CHECK(seed != NULL);
    if (!seed)
        return;
    struct extract_ctx *x = extract_ctx_new();
    CHECK(x != NULL);
    struct buf err = BUF_INIT;
    const char *pages[] = { seed, rich_page, seed, rich_page };
    size_t lens[] = { n, strlen(rich_page), n, strlen(rich_page) };
    for (int i = 0; i < 4; i++)
        for (int explain = 0; explain < 2; explain++) {
            struct article a, b;
            CHECK_EQ(run_ctx(pages[i], lens[i], NULL, NULL, explain, x, &a, &err), 0);
            CHECK_EQ(run(pages[i], lens[i], NULL, NULL, explain, &b, &err), 0);
            CHECK(a.text && *a.text && a.title);
            CHECK(same_article(&a, &b));
            article_release(&a);
            article_release(&b);
        }
    extract_ctx_free(x);
    extract_ctx_free(NULL);
    buf_release(&err);
    free(seed);
}

/* With max_images (parser/images.c): a failure in the images' own arrays is
 * an error; an image URL whose resolution fails for want of memory is left
 * out, as a link of a listing page is (images are best effort), so a run
 * that returns 0 has the clean run's article and a subsequence of its
 * images, each an exact copy. */
TEST(extract_alloc_failures_images)
{
    static const char page[] = "<html><head><title>t</title><base href=\"http://img.example.cn/a/\"></head><body>"
                               "<div id=content><p>6月27日上午，市政府召开新闻发布会，介绍今年以来重点项目的建设进展情况。"
                               "发布会上，有关部门负责人回答了记者提问。</p>"
                               "<p><img src=\"data:image/gif;base64,R0lG\" data-src=\"p1.jpg\"></p>"
                               "<p>据介绍，今年全市安排重点项目三百余个，总投资超过两千亿元，目前已开工项目占比超过八成。</p>"
                               "<p><img src=\"p2.jpg\" srcset=\"p2-s.jpg 300w, p2-l.jpg?x=%E4%B8%AD 1024w\"></p>"
                               "<div class=qr><img src=\"/qr.png\"><p>扫一扫关注公众号</p></div></div></body></html>";
    struct buf err = BUF_INIT;
    struct article clean, a;
    struct article_opts o;
    memset(&o, 0, sizeof o);
    o.now = NOW;
    o.url = "http://news.example.cn/2023/06/27/a1.html";
    o.max_images = 20;
    na_mem_fail_after(0);
    article_init(&clean);
    CHECK_EQ(article_extract(page, strlen(page), &o, &clean, &err), 0);
    CHECK_EQ(clean.nimages, 3); /* p1, p2, p2-l: not the QR code over its dropped line */
    long k, failed = 0, fewer = 0;
    int reached = 1;
    for (k = 1; k < SWEEP_MAX && reached; k++) {
        na_mem_fail_after(k);
        article_init(&a);
        buf_reset(&err);
        int rc = article_extract(page, strlen(page), &o, &a, &err);
        void *probe = na_malloc(1);
        na_mem_fail_after(0);
        reached = probe == NULL;
        free(probe);
        if (rc) {
            failed++;
            CHECK(rc < 0);
        } else {
            CHECK(same_article(&a, &clean));
            size_t j = 0;
            for (size_t i = 0; i < a.nimages; i++) {
                while (j < clean.nimages && strcmp(clean.images[j], a.images[i]) != 0)
                    j++;
                CHECK(j < clean.nimages);
                j++;
            }
            fewer += a.nimages < clean.nimages;
        }
        article_release(&a);
    }
    CHECK(!reached);
    CHECK(failed > 5);
    fprintf(stderr, "images page: %ld allocations, %ld failure points give an error, %ld leave images out\n", k - 3,
            failed, fewer);
    article_release(&clean);
    buf_release(&err);
}
