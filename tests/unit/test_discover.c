/* test_discover.c — discover.c: article links and next-page links of listing
 * pages in the seed site's image (Chinese navigation, pagers in their many
 * spellings, <base>, <area>), RSS 2.0 / RSS 1.0 / Atom feeds (also malformed,
 * 1 MB, entity bombs), sitemaps (index, gzip, gzip bomb, text) and url_list. */
#include "tests/check.h"
#include "crawler/discover.h"
#include "crawler/sites.h"
#include "parser/charset.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void site_demo(struct site *s)
{
    site_init(s, "demo");
    s->listing[s->nlisting++] = strdup("http://news.example.cn/tjcy/list_{n}.html");
    s->article[s->narticle++] = strdup("^http://news\\.example\\.cn/tjcy/[0-9]+\\.html$");
    struct buf err = BUF_INIT;
    site_prepare(s, &err);
    buf_release(&err);
}

/* A listing page shaped like the seed site's: navigation, a category list,
 * a sidebar of other sections, an off-site link, a pager. */
static const char listing_page[] =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>天津产业信息 - 第2页</title></head><body>"
    "<div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/tjcy/\">天津产业信息</a> "
    "<a href=\"/zs/\">招商</a></div>"
    "<div class=\"crumb\">当前位置:<a href=\"/\">首页</a> &gt; 天津产业信息</div>"
    "<ul class=\"list\">"
    "<li><a href=\"/tjcy/101.html\" title=\"济南各区县抢跑\">济南各区县抢跑“春天里”</a><span>09-30</span></li>"
    "<li><a href=\"102.html?utm_source=list\">滨海新区项目集中签约</a></li>"
    "<li><a href=\"http://NEWS.example.cn:80/tjcy/103.html#comments\">西青区厂房出租</a></li>"
    "<li><a href=\"/tjcy/101.html\">济南各区县抢跑(重复)</a></li>"
    "<li><a href=\"javascript:void(0)\">收藏</a></li>"
    "<li><a href=\"http://other.example.com/tjcy/104.html\">外站</a></li>"
    "<li><a href=\"/zs/201.html\">招商文章</a></li>"
    "</ul>"
    "<map name=\"m\"><area href=\"/tjcy/105.html\" alt=\"专题\"></map>"
    "<div class=\"pages\"><a href=\"list_1.html\">上一页</a> <a href=\"list_1.html\">1</a> "
    "<span class=\"current\">2</span> <a href=\"list_3.html\">3</a> "
    "<a href=\"list_3.html\">下一页</a> <a href=\"list_9.html\">末页</a></div>"
    "</body></html>";

TEST(discover_listing_articles_and_next)
{
    struct site s;
    site_demo(&s);
    struct url_list a;
    url_list_init(&a, 0);
    char *next = NULL;
    struct buf err = BUF_INIT;
    int rc = discover_listing(&s, "http://news.example.cn/tjcy/list_2.html", listing_page, strlen(listing_page), &a,
                              &next, &err);
    CHECK_EQ(rc, 0);
    CHECK_EQ(a.n, 4);
    if (a.n == 4) {
        CHECK_STR(a.v[0], "http://news.example.cn/tjcy/101.html");
        CHECK_STR(a.v[1], "http://news.example.cn/tjcy/102.html");
        CHECK_STR(a.v[2], "http://news.example.cn/tjcy/103.html");
        CHECK_STR(a.v[3], "http://news.example.cn/tjcy/105.html");
    }
    CHECK_STR(next, "http://news.example.cn/tjcy/list_3.html");
    free(next);
    url_list_release(&a);
    buf_release(&err);
    site_release(&s);
}

TEST(discover_listing_gbk_page)
{
    /* The same page in GBK, through the caller's conversion. */
    CHECK_STR(charset_canonical("gbk"), "GB18030");
    /* "<a href=/tjcy/7.html>天津</a><a href=list_3.html>下一页</a>" in GBK. */
    const char gbk[] = "<html><head><meta charset=gbk></head><body>"
                       "<a href=/tjcy/7.html>\xCC\xEC\xBD\xF2</a>"
                       "<a href=list_3.html>\xCF\xC2\xD2\xBB\xD2\xB3</a></body></html>";
    struct buf utf8 = BUF_INIT, err = BUF_INIT;
    struct charset_info info;
    CHECK_EQ(charset_to_utf8(gbk, sizeof gbk - 1, NULL, &utf8, &info, &err), 0);
    struct site s;
    site_demo(&s);
    struct url_list a;
    url_list_init(&a, 0);
    char *next = NULL;
    CHECK_EQ(discover_listing(&s, "http://news.example.cn/tjcy/list_2.html", utf8.data, utf8.len, &a, &next, &err), 0);
    CHECK_EQ(a.n, 1);
    CHECK_STR(next, "http://news.example.cn/tjcy/list_3.html");
    free(next);
    url_list_release(&a);
    site_release(&s);
    buf_release(&utf8);
    buf_release(&err);
}

/* The next-page link of a small page with `pager` as its pager. */
static char *next_of(const char *pager)
{
    char html[4096];
    snprintf(html, sizeof html, "<html><body><a href=\"/tjcy/1.html\">a</a><div>%s</div></body></html>", pager);
    struct site s;
    site_demo(&s);
    struct url_list a;
    url_list_init(&a, 0);
    char *next = NULL;
    struct buf err = BUF_INIT;
    if (discover_listing(&s, "http://news.example.cn/tjcy/list_2.html", html, strlen(html), &a, &next, &err))
        fprintf(stderr, "discover_listing: %s\n", buf_str(&err));
    url_list_release(&a);
    buf_release(&err);
    site_release(&s);
    return next;
}

static void check_next(const char *pager, const char *want, int line)
{
    char *got = next_of(pager);
    if ((want == NULL) != (got == NULL) || (want && strcmp(got, want) != 0)) {
        fprintf(stderr, "test_discover.c:%d: pager %s\n  got:      %s\n  expected: %s\n", line, pager,
                got ? got : "(null)", want ? want : "(null)");
        test_failures++;
    }
    free(got);
}
#define NEXT(pager, want) check_next(pager, want, __LINE__)
#define P3 "http://news.example.cn/tjcy/list_3.html"

TEST(discover_next_page_text_variants)
{
    NEXT("<a href=list_3.html>下一页</a>", P3);
    NEXT("<a href=list_3.html>下页</a>", P3);
    NEXT("<a href=list_3.html>后页</a>", P3);
    NEXT("<a href=list_3.html>下一頁</a>", P3);
    NEXT("<a href=list_3.html> 下一页 &gt;</a>", P3);
    NEXT("<a href=list_3.html>[下一页]</a>", P3);
    NEXT("<a href=list_3.html>【下一页】</a>", P3);
    NEXT("<a href=list_3.html>下一页»</a>", P3);
    NEXT("<a href=list_3.html>后页&gt;</a>", P3);
    NEXT("<a href=list_3.html>›</a>", P3);
    NEXT("<a href=list_3.html>»</a>", P3);
    NEXT("<a href=list_3.html>&gt;</a>", P3);
    NEXT("<a href=list_3.html>Next</a>", P3);
    NEXT("<a href=list_3.html>next page</a>", P3);
    NEXT("<a href=list_3.html>Next &raquo;</a>", P3);
    NEXT("<a href=list_3.html>NEXT&nbsp;PAGE</a>", P3);
    NEXT("<a href=list_3.html><img src=n.gif alt=\"下一页\"></a>", P3);
    NEXT("<a href=list_3.html title=\"下一页\"></a>", P3);
}

TEST(discover_next_page_rel_and_pager)
{
    NEXT("<link rel=next href=list_3.html>", P3);
    NEXT("<a rel=\"nofollow next\" href=list_3.html>more</a>", P3);
    /* rel=next beats a text match elsewhere. */
    NEXT("<a href=list_7.html>下一页</a><link rel=\"next\" href=\"list_3.html\">", P3);
    /* Numbered pagers: the unlinked current page, a marked current page. */
    NEXT("<a href=list_1.html>1</a><span>2</span><a href=list_3.html>3</a><a href=list_4.html>4</a>", P3);
    NEXT("<a href=list_1.html>[1]</a> <b>[2]</b> <a href=list_3.html>[3]</a>", P3);
    NEXT("<ul><li><a href=list_1.html>1</a></li><li><span>2</span></li><li><a href=list_3.html>3</a></li></ul>", P3);
    NEXT("<a href=list_1.html>1</a><a class=\"page current\" href=list_2.html>2</a><a href=list_3.html>3</a>", P3);
    NEXT("<a href=list_1.html>1</a><a aria-current=page href=list_2.html>2</a><a href=list_3.html>3</a>", P3);
    NEXT("<a href=list_1.html>第1页</a><strong>第2页</strong><a href=list_3.html>第3页</a>", P3);
    /* class="next" as the last resort. */
    NEXT("<a class=\"next\" href=list_3.html><i class=icon></i></a>", P3);
}

TEST(discover_next_page_not_found)
{
    NEXT("<a href=list_1.html>上一页</a>", NULL);
    NEXT("<a href=list_1.html>‹</a> <a href=list_1.html>«</a> <a href=list_1.html>&lt;</a>", NULL);
    NEXT("<a href=list_9.html>末页</a> <a href=list_9.html>»»</a>", NULL);
    NEXT("<a href=javascript:void(0)>下一页</a>", NULL);  /* last page */
    NEXT("<a href=#>下一页</a>", NULL);                   /* the page itself */
    NEXT("<a href=list_2.html>下一页</a>", NULL);         /* the page itself */
    NEXT("<a href=\"http://other.example.com/list_3.html\">下一页</a>", NULL); /* off scope */
    NEXT("<a href=/tjcy/5.html>下一篇</a>", NULL);        /* next article, not next page */
    NEXT("<a href=list_1.html>1</a><a href=list_3.html>3</a>", NULL); /* no current page known */
}

TEST(discover_listing_base_href_and_area)
{
    const char html[] = "<html><head><base href=\"http://news.example.cn/tjcy/\"></head><body>"
                        "<a href=\"7.html\">x</a><map><area href=\"8.html\"></map>"
                        "<a href=\"list_3.html\">下一页</a></body></html>";
    struct site s;
    site_demo(&s);
    struct url_list a;
    url_list_init(&a, 0);
    char *next = NULL;
    struct buf err = BUF_INIT;
    CHECK_EQ(discover_listing(&s, "http://news.example.cn/other/page.html", html, sizeof html - 1, &a, &next, &err), 0);
    CHECK_EQ(a.n, 2);
    if (a.n == 2) {
        CHECK_STR(a.v[0], "http://news.example.cn/tjcy/7.html");
        CHECK_STR(a.v[1], "http://news.example.cn/tjcy/8.html");
    }
    CHECK_STR(next, P3);
    free(next);
    url_list_release(&a);
    buf_release(&err);
    site_release(&s);
}

TEST(discover_listing_without_site_and_junk)
{
    /* s == NULL: every http(s) link counts; junk input does not crash. */
    const char html[] = "<a href=/a>a</a><a href=mailto:x@y.z>m</a><a href='//b.example/c'>c</a><a>no href</a>";
    struct url_list a;
    url_list_init(&a, 0);
    char *next = NULL;
    struct buf err = BUF_INIT;
    CHECK_EQ(discover_listing(NULL, "http://a.example/", html, sizeof html - 1, &a, &next, &err), 0);
    CHECK_EQ(a.n, 2);
    CHECK(next == NULL);
    url_list_release(&a);
    url_list_init(&a, 0);
    char junk[5000];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = "<a href=>\"'x/"[i % 13];
    CHECK_EQ(discover_listing(NULL, "http://a.example/", junk, sizeof junk, &a, &next, &err), 0);
    free(next);
    next = NULL;
    CHECK_EQ(discover_listing(NULL, "http://a.example/", "", 0, &a, &next, &err), 0);
    url_list_release(&a);
    buf_release(&err);
}

TEST(discover_listing_many_links_capped)
{
    struct buf html = BUF_INIT;
    for (int i = 0; i < 30000; i++)
        buf_printf(&html, "<a href=\"/tjcy/%d.html\">t</a>", i);
    struct site s;
    site_demo(&s);
    struct url_list a;
    url_list_init(&a, 1000);
    char *next = NULL;
    struct buf err = BUF_INIT;
    CHECK_EQ(discover_listing(&s, "http://news.example.cn/tjcy/", html.data, html.len, &a, &next, &err), 0);
    CHECK_EQ(a.n, 1000);
    CHECK_STR(a.v[999], "http://news.example.cn/tjcy/999.html");
    CHECK_EQ(a.dropped, 29000); /* counted, so the crawl can say so */
    CHECK(a.cut == NULL);
    free(next);
    url_list_release(&a);
    CHECK_EQ(a.dropped, 0);
    /* Past the links read per page (4 x the list's max here): cut, said. */
    url_list_init(&a, 5000);
    CHECK_EQ(discover_listing(&s, "http://news.example.cn/tjcy/", html.data, html.len, &a, NULL, &err), 0);
    CHECK_EQ(a.n, 5000);
    CHECK(a.cut == NULL);
    buf_reset(&html);
    for (int i = 0; i < 60000; i++)
        buf_printf(&html, "<a href=\"/tjcy/%d.html\">t</a>", i);
    url_list_release(&a);
    url_list_init(&a, 5000);
    CHECK_EQ(discover_listing(&s, "http://news.example.cn/tjcy/", html.data, html.len, &a, NULL, &err), 0);
    CHECK(a.cut != NULL);
    CHECK_CONTAINS(a.cut ? a.cut : "", "DISCOVER_MAX_LINKS");
    url_list_release(&a);
    buf_release(&err);
    buf_release(&html);
    site_release(&s);
}

TEST(discover_text_sitemap_cut_is_said)
{
    struct buf txt = BUF_INIT;
    for (int i = 0; i < DISCOVER_MAX_TEXT_LINES + 10; i++)
        buf_printf(&txt, "http://a.example/%d.html\n", i);
    struct url_list a, sm;
    url_list_init(&a, 100000);
    url_list_init(&sm, 0);
    struct buf err = BUF_INIT;
    CHECK_EQ(discover_sitemap(NULL, "http://a.example/sitemap.txt", txt.data, txt.len, &a, &sm, &err), 0);
    CHECK_EQ(a.n, DISCOVER_MAX_TEXT_LINES);
    CHECK_CONTAINS(a.cut ? a.cut : "", "DISCOVER_MAX_TEXT_LINES");
    url_list_release(&a);
    /* Exactly at the limit: nothing cut. */
    buf_truncate(&txt, (size_t)(strstr(txt.data, "http://a.example/50000.html") - txt.data));
    url_list_init(&a, 100000);
    CHECK_EQ(discover_sitemap(NULL, "http://a.example/sitemap.txt", txt.data, txt.len, &a, &sm, &err), 0);
    CHECK_EQ(a.n, DISCOVER_MAX_TEXT_LINES);
    CHECK(a.cut == NULL);
    url_list_release(&a);
    url_list_release(&sm);
    buf_release(&err);
    buf_release(&txt);
}

TEST(discover_page_url_templates)
{
    char *u = discover_page_url("http://a.example/list_{n}.html", 7);
    CHECK_STR(u, "http://a.example/list_7.html");
    free(u);
    u = discover_page_url("http://a.example/?p={n}&q={n}", 12);
    CHECK_STR(u, "http://a.example/?p=12&q=12");
    free(u);
    u = discover_page_url("http://a.example/plain", 3);
    CHECK_STR(u, "http://a.example/plain");
    free(u);
    u = discover_page_url("", 3);
    CHECK_STR(u, "");
    free(u);
}

TEST(discover_url_list)
{
    struct url_list l;
    url_list_init(&l, 5000);
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 6000; i++) {
            char u[64];
            snprintf(u, sizeof u, "http://a.example/%d", i);
            int r = url_list_add(&l, u);
            CHECK_EQ(r, round == 0 && i < 5000 ? 1 : 0);
        }
    CHECK_EQ(l.n, 5000);
    CHECK_EQ(url_list_has(&l, "http://a.example/4999"), 1);
    CHECK_EQ(url_list_has(&l, "http://a.example/5000"), 0);
    CHECK_STR(l.v[0], "http://a.example/0");
    url_list_release(&l);
    CHECK_EQ(l.n, 0);
    CHECK_EQ(url_list_add(&l, "x"), 1); /* usable again after release */
    url_list_release(&l);
    struct url_list z = { 0 };          /* zero-initialized works too */
    CHECK_EQ(url_list_add(&z, "y"), 1);
    CHECK_EQ(url_list_add(&z, "y"), 0);
    url_list_release(&z);
}

/* ---- feeds ---- */

static int feed_urls(const struct site *s, const char *url, const char *xml, size_t n, struct url_list *a,
                     struct buf *err)
{
    url_list_init(a, 0);
    return discover_feed(s, url, xml, n, a, err);
}

TEST(discover_feed_rss2)
{
    const char xml[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                       "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel>"
                       "<title>天津产业信息</title><link>http://news.example.cn/</link>"
                       "<atom:link href=\"http://news.example.cn/rss.xml\" rel=\"self\"/>"
                       "<item><title>一</title><link>http://news.example.cn/tjcy/1.html?utm_source=rss</link></item>"
                       "<item><title>二</title><link><![CDATA[ /tjcy/2.html ]]></link></item>"
                       "<item><title>三</title><guid>http://news.example.cn/tjcy/3.html</guid></item>"
                       "<item><title>四</title><guid isPermaLink=\"false\">tag:4</guid></item>"
                       "<item><title>五</title><link>http://news.example.cn/tjcy/1.html</link></item>"
                       "<item><title>off</title><link>http://evil.example.com/tjcy/9.html</link></item>"
                       "</channel></rss>";
    struct site s;
    site_demo(&s);
    struct url_list a;
    struct buf err = BUF_INIT;
    CHECK_EQ(feed_urls(&s, "http://news.example.cn/rss.xml", xml, sizeof xml - 1, &a, &err), 0);
    CHECK_EQ(a.n, 3);
    if (a.n == 3) {
        CHECK_STR(a.v[0], "http://news.example.cn/tjcy/1.html");
        CHECK_STR(a.v[1], "http://news.example.cn/tjcy/2.html");
        CHECK_STR(a.v[2], "http://news.example.cn/tjcy/3.html");
    }
    url_list_release(&a);
    buf_release(&err);
    site_release(&s);
}

TEST(discover_feed_rss1_rdf)
{
    const char xml[] = "<?xml version=\"1.0\"?>"
                       "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
                       "xmlns=\"http://purl.org/rss/1.0/\">"
                       "<channel rdf:about=\"http://a.example/\"><title>t</title></channel>"
                       "<item rdf:about=\"http://a.example/1\"><title>1</title><link>http://a.example/1</link></item>"
                       "<item rdf:about=\"http://a.example/2\"><title>2</title></item>"
                       "</rdf:RDF>";
    struct url_list a;
    struct buf err = BUF_INIT;
    CHECK_EQ(feed_urls(NULL, "http://a.example/index.rdf", xml, sizeof xml - 1, &a, &err), 0);
    CHECK_EQ(a.n, 2);
    if (a.n == 2) {
        CHECK_STR(a.v[0], "http://a.example/1");
        CHECK_STR(a.v[1], "http://a.example/2");
    }
    url_list_release(&a);
    buf_release(&err);
}

TEST(discover_feed_atom)
{
    const char xml[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                       "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://a.example/blog/\">"
                       "<title>t</title><link href=\"http://a.example/\"/>"
                       "<entry><title>1</title><link rel=\"edit\" href=\"/edit/1\"/>"
                       "<link rel=\"alternate\" type=\"text/html\" href=\"posts/1.html\"/></entry>"
                       "<entry><title>2</title><link href=\"http://a.example/blog/posts/2.html\"/></entry>"
                       "<entry xml:base=\"http://a.example/other/\"><title>3</title><link href=\"3.html\"/></entry>"
                       "<entry><title>4</title><link rel=\"enclosure\" href=\"4.mp3\"/></entry>"
                       "</feed>";
    struct url_list a;
    struct buf err = BUF_INIT;
    CHECK_EQ(feed_urls(NULL, "http://a.example/atom.xml", xml, sizeof xml - 1, &a, &err), 0);
    CHECK_EQ(a.n, 3);
    if (a.n == 3) {
        CHECK_STR(a.v[0], "http://a.example/blog/posts/1.html");
        CHECK_STR(a.v[1], "http://a.example/blog/posts/2.html");
        CHECK_STR(a.v[2], "http://a.example/other/3.html");
    }
    url_list_release(&a);
    buf_release(&err);
}

TEST(discover_feed_gb2312_declared)
{
    /* Declared gb2312, holds a GBK-only character (镕, 0xE946): read as GB18030. */
    const char xml[] = "<?xml version=\"1.0\" encoding=\"gb2312\"?><rss><channel>"
                       "<item><title>\xE9\x46</title><link>http://a.example/1</link></item>"
                       "<item><title>\xCC\xEC\xBD\xF2</title><link>http://a.example/2</link></item>"
                       "</channel></rss>";
    struct url_list a;
    struct buf err = BUF_INIT;
    CHECK_EQ(feed_urls(NULL, "http://a.example/rss", xml, sizeof xml - 1, &a, &err), 0);
    CHECK_EQ(a.n, 2);
    url_list_release(&a);
    buf_release(&err);
}

TEST(discover_feed_malformed)
{
    struct url_list a;
    struct buf err = BUF_INIT;
    /* Truncated: the items before the cut are kept. */
    const char cut[] = "<rss><channel><item><link>http://a.example/1</link></item><item><link>http://a.exa";
    CHECK_EQ(feed_urls(NULL, "http://a.example/rss", cut, sizeof cut - 1, &a, &err), 0);
    CHECK(a.n >= 1);
    if (a.n >= 1)
        CHECK_STR(a.v[0], "http://a.example/1");
    url_list_release(&a);
    /* A raw '&' in a link (common in real feeds). */
    const char amp[] = "<rss><channel><item><link>http://a.example/x?a=1&b=2</link></item></channel></rss>";
    CHECK_EQ(feed_urls(NULL, "http://a.example/rss", amp, sizeof amp - 1, &a, &err), 0);
    CHECK_EQ(a.n, 1);
    url_list_release(&a);
    /* Not XML at all, an HTML page, nothing. */
    buf_reset(&err);
    CHECK_EQ(feed_urls(NULL, "http://a.example/rss", "not xml at all", 14, &a, &err), NA_EPARSE);
    CHECK_CONTAINS(buf_str(&err), "feed 'http://a.example/rss': not well-formed XML");
    url_list_release(&a);
    buf_reset(&err);
    const char html[] = "<html><body><a href=/x>x</a></body></html>";
    CHECK_EQ(feed_urls(NULL, "http://a.example/rss", html, sizeof html - 1, &a, &err), NA_EPARSE);
    CHECK_STR(buf_str(&err), "feed 'http://a.example/rss': not a feed or sitemap (root element <html>)");
    url_list_release(&a);
    CHECK_EQ(feed_urls(NULL, "http://a.example/rss", "", 0, &a, &err), NA_EPARSE);
    url_list_release(&a);
    CHECK_EQ(feed_urls(NULL, "http://a.example/rss", NULL, 0, &a, &err), NA_EPARSE);
    url_list_release(&a);
    buf_release(&err);
}

TEST(discover_feed_entities_not_expanded)
{
    /* A billion-laughs document and an external entity: parsing neither
     * expands nor fetches anything, and the run stays fast. */
    const char bomb[] = "<?xml version=\"1.0\"?><!DOCTYPE rss ["
                        "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">"
                        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                        "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
                        "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
                        "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
                        "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"
                        "<!ENTITY x SYSTEM \"file:///etc/passwd\">"
                        "]><rss><channel><item><link>http://a.example/&g;</link></item>"
                        "<item><link>http://a.example/&x;</link></item>"
                        "<item><link>http://a.example/ok</link></item></channel></rss>";
    struct url_list a;
    struct buf err = BUF_INIT;
    int rc = feed_urls(NULL, "http://a.example/rss", bomb, sizeof bomb - 1, &a, &err);
    CHECK(rc == 0 || rc == NA_EPARSE);
    for (size_t i = 0; i < a.n; i++) {
        CHECK(strlen(a.v[i]) < 100);
        CHECK_NOT_CONTAINS(a.v[i], "root:");
        CHECK_NOT_CONTAINS(a.v[i], "aaaa");
    }
    url_list_release(&a);
    buf_release(&err);
}

TEST(discover_feed_one_megabyte)
{
    struct buf xml = BUF_INIT;
    buf_adds(&xml, "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>big</title>");
    int items = 0;
    while (xml.len < (1u << 20)) {
        buf_printf(&xml,
                   "<item><title>滨海新区第%d批项目集中签约</title><link>http://news.example.cn/tjcy/%d.html</link>"
                   "<description><![CDATA[<p>抓项目促发展,各区县党政一把手率队外出招商,高质量项目密集签约。</p>]]>"
                   "</description><pubDate>Mon, 30 Sep 2024 08:00:00 +0800</pubDate></item>",
                   items, items);
        items++;
    }
    buf_adds(&xml, "</channel></rss>");
    struct site s;
    site_demo(&s);
    struct url_list a;
    url_list_init(&a, 100000);
    struct buf err = BUF_INIT;
    CHECK_EQ(discover_feed(&s, "http://news.example.cn/rss.xml", xml.data, xml.len, &a, &err), 0);
    CHECK_EQ(a.n, (size_t)items);
    CHECK(items > 2000);
    url_list_release(&a);
    /* The default cap (10,000) bounds the list, not the parse. */
    buf_release(&err);
    buf_release(&xml);
    site_release(&s);
}

/* ---- sitemaps ---- */

static const char urlset[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
    "xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\">"
    "<url><loc>http://news.example.cn/tjcy/1.html</loc><lastmod>2024-09-30</lastmod>"
    "<image:image><image:loc>http://news.example.cn/img/1.jpg</image:loc></image:image></url>"
    "<url><loc> http://news.example.cn/tjcy/2.html </loc></url>"
    "<url><loc>http://news.example.cn/about.html</loc></url>"
    "<url><loc>http://news.example.cn/tjcy/3.html?a=1&amp;b=2</loc></url>"
    "</urlset>";

TEST(discover_sitemap_urlset)
{
    struct site s;
    site_demo(&s);
    struct url_list a, sm;
    url_list_init(&a, 0);
    url_list_init(&sm, 0);
    struct buf err = BUF_INIT;
    CHECK_EQ(discover_sitemap(&s, "http://news.example.cn/sitemap.xml", urlset, sizeof urlset - 1, &a, &sm, &err), 0);
    CHECK_EQ(a.n, 2); /* about.html and the ?a=1 URL do not match the article pattern */
    CHECK_EQ(sm.n, 0);
    url_list_release(&a);
    url_list_init(&a, 0);
    CHECK_EQ(discover_sitemap(NULL, "http://news.example.cn/sitemap.xml", urlset, sizeof urlset - 1, &a, &sm, &err), 0);
    CHECK_EQ(a.n, 4);
    if (a.n == 4)
        CHECK_STR(a.v[3], "http://news.example.cn/tjcy/3.html?a=1&b=2");
    url_list_release(&a);
    url_list_release(&sm);
    buf_release(&err);
    site_release(&s);
}

TEST(discover_sitemap_index)
{
    const char xml[] = "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                       "<sitemap><loc>http://news.example.cn/sitemap-1.xml.gz</loc></sitemap>"
                       "<sitemap><loc>/sitemap-2.xml</loc></sitemap>"
                       "<sitemap><loc>http://evil.example.com/sitemap.xml</loc></sitemap>"
                       "</sitemapindex>";
    struct site s;
    site_demo(&s);
    struct url_list a, sm;
    url_list_init(&a, 0);
    url_list_init(&sm, 0);
    struct buf err = BUF_INIT;
    CHECK_EQ(discover_sitemap(&s, "http://news.example.cn/sitemap.xml", xml, sizeof xml - 1, &a, &sm, &err), 0);
    CHECK_EQ(a.n, 0);
    CHECK_EQ(sm.n, 2);
    if (sm.n == 2) {
        CHECK_STR(sm.v[0], "http://news.example.cn/sitemap-1.xml.gz");
        CHECK_STR(sm.v[1], "http://news.example.cn/sitemap-2.xml");
    }
    url_list_release(&a);
    url_list_release(&sm);
    buf_release(&err);
    site_release(&s);
}

static size_t gzip_bytes(const char *in, size_t n, unsigned char *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    size_t len = cap - z.avail_out;
    deflateEnd(&z);
    return len;
}

TEST(discover_sitemap_gzip)
{
    unsigned char gz[4096];
    size_t n = gzip_bytes(urlset, sizeof urlset - 1, gz, sizeof gz);
    struct url_list a, sm;
    url_list_init(&a, 0);
    url_list_init(&sm, 0);
    struct buf err = BUF_INIT;
    CHECK_EQ(discover_sitemap(NULL, "http://news.example.cn/sitemap.xml.gz", (const char *)gz, n, &a, &sm, &err), 0);
    CHECK_EQ(a.n, 4);
    url_list_release(&a);
    /* Truncated gzip: an error, not a crash. */
    buf_reset(&err);
    CHECK_EQ(discover_sitemap(NULL, "http://x/s.gz", (const char *)gz, n / 2, &a, &sm, &err), NA_EPARSE);
    CHECK_CONTAINS(buf_str(&err), "truncated gzip data");
    url_list_release(&a);
    url_list_release(&sm);
    buf_release(&err);
}

TEST(discover_sitemap_gzip_members_and_bomb_capped)
{
    /* Concatenated gzip members read as one stream: a sitemap in two. */
    unsigned char gz[8192];
    size_t half = sizeof urlset / 2;
    size_t n1 = gzip_bytes(urlset, half, gz, sizeof gz);
    size_t n2 = gzip_bytes(urlset + half, sizeof urlset - 1 - half, gz + n1, sizeof gz - n1);
    struct url_list a, sm;
    url_list_init(&a, 0);
    url_list_init(&sm, 0);
    struct buf err = BUF_INIT;
    CHECK_EQ(discover_sitemap(NULL, "http://x/s.xml.gz", (const char *)gz, n1 + n2, &a, &sm, &err), 0);
    CHECK_EQ(a.n, 4);
    url_list_release(&a);
    /* 60 members of 1 MiB of zeros (~60 KB in all): inflation stops at the cap. */
    size_t mib = 1u << 20;
    char *zeros = calloc(1, mib);
    unsigned char *one = malloc(mib), *bomb = malloc(60 * 8192);
    CHECK(zeros && one && bomb);
    if (zeros && one && bomb) {
        size_t k = gzip_bytes(zeros, mib, one, mib);
        CHECK(k < 8192);
        for (int i = 0; i < 60; i++)
            memcpy(bomb + (size_t)i * k, one, k);
        buf_reset(&err);
        CHECK_EQ(discover_sitemap(NULL, "http://x/bomb.xml.gz", (const char *)bomb, 60 * k, &a, &sm, &err),
                 NA_ETOOBIG);
        CHECK_CONTAINS(buf_str(&err), "larger than 52428800 bytes after decompression");
    }
    free(zeros);
    free(one);
    free(bomb);
    url_list_release(&a);
    url_list_release(&sm);
    buf_release(&err);
}

TEST(discover_sitemap_text_and_feed)
{
    const char txt[] = "http://news.example.cn/tjcy/1.html\r\n\r\n  http://news.example.cn/tjcy/2.html  \n"
                       "not a url\nftp://news.example.cn/tjcy/3.html\n";
    struct url_list a, sm;
    url_list_init(&a, 0);
    url_list_init(&sm, 0);
    struct buf err = BUF_INIT;
    CHECK_EQ(discover_sitemap(NULL, "http://news.example.cn/sitemap.txt", txt, sizeof txt - 1, &a, &sm, &err), 0);
    CHECK_EQ(a.n, 2);
    url_list_release(&a);
    url_list_init(&a, 0);
    const char rss[] = "<rss><channel><item><link>http://a.example/1</link></item></channel></rss>";
    CHECK_EQ(discover_sitemap(NULL, "http://a.example/s", rss, sizeof rss - 1, &a, &sm, &err), 0);
    CHECK_EQ(a.n, 1);
    url_list_release(&a);
    url_list_init(&a, 0);
    CHECK_EQ(discover_sitemap(NULL, "http://a.example/s", "<urlset><url><loc>", 18, &a, &sm, &err), 0);
    CHECK_EQ(a.n, 0);
    url_list_release(&a);
    url_list_release(&sm);
    buf_release(&err);
}

/* ---- malformed feeds as real CMSs write them (issue 9) ---- */

/* Checks that urls holds exactly the n strings of want, in order. */
static void check_urls(const struct url_list *a, const char *const *want, size_t n)
{
    CHECK_EQ(a->n, n);
    for (size_t i = 0; i < n && i < a->n; i++)
        CHECK_STR(a->v[i], want[i]);
}

static const char *const phpcms_urls[] = {
    "http://a.example/index.php?m=content&c=index&a=show&id=3",
    "http://a.example/index.php?m=content&c=index&a=show&id=4",
};

TEST(discover_feed_amp_in_title_keeps_later_entity_links)
{
    /* A raw '&' in an early title was a well-formedness error, after which
     * libxml2's recover mode dropped every '&amp;' (PHPCMS/DedeCMS links). */
    const char rss[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
                       "<title>Tom & Jerry &nbsp;新闻&copy;</title>"
                       "<item><title>A & B</title>"
                       "<link>http://a.example/index.php?m=content&amp;c=index&amp;a=show&amp;id=3</link></item>"
                       "<item><title>&lt;b&gt;C&lt;/b&gt; &unknown; &#x4E2D;&#25991;</title>"
                       "<link>http://a.example/index.php?m=content&amp;c=index&amp;a=show&amp;id=4</link></item>"
                       "</channel></rss>";
    struct url_list a;
    struct buf err = BUF_INIT;
    CHECK_EQ(feed_urls(NULL, "http://a.example/rss", rss, sizeof rss - 1, &a, &err), 0);
    check_urls(&a, phpcms_urls, 2);
    url_list_release(&a);
    /* Atom: the same with links in attributes. */
    const char atom[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
                        "<title>Q & A</title>"
                        "<entry><title>x &nbsp; y</title>"
                        "<link href=\"http://a.example/index.php?m=content&amp;c=index&amp;a=show&amp;id=3\"/></entry>"
                        "<entry><title>z</title>"
                        "<link rel=\"alternate\" href=\"index.php?m=content&amp;c=index&amp;a=show&amp;id=4\"/></entry>"
                        "</feed>";
    CHECK_EQ(feed_urls(NULL, "http://a.example/atom", atom, sizeof atom - 1, &a, &err), 0);
    check_urls(&a, phpcms_urls, 2);
    url_list_release(&a);
    buf_release(&err);
}

TEST(discover_feed_raw_amp_in_link)
{
    /* show.php?id=1&page=2 lost "page" (show.php?id=1=2); '&' inside CDATA
     * is text and stays as it is; malformed references are text; a NUL, a
     * control character and an unclosed tag cost no later '&amp;'. */
    const char rss[] = "<rss><channel>"
                       "<item><link>http://a.example/show.php?id=1&page=2</link></item>"
                       "<item><link>http://a.example/show.php?id=2&amp;page=3</link></item>"
                       "<item><link><![CDATA[http://a.example/show.php?id=3&page=4]]></link></item>"
                       "<item><title>&#; &#x; &#12a; &#0; &#xD800; &toolongtoolongtoolongtoolongtoolong;</title>"
                       "<link>http://a.example/show.php?id=4&page;=5</link></item>"
                       "<item><title>a\0b\x01c <b>unclosed</title>"
                       "<link>http://a.example/show.php?id=5&amp;page=6</link></item>"
                       "<item><title>t</title><link>http://a.example/show.php?id=6&amp;page=7</link></item>"
                       "</channel></rss>";
    static const char *const want[] = {
        "http://a.example/show.php?id=1&page=2",
        "http://a.example/show.php?id=2&page=3",
        "http://a.example/show.php?id=3&page=4",
        "http://a.example/show.php?id=4&page;=5",
        "http://a.example/show.php?id=5&page=6",
        "http://a.example/show.php?id=6&page=7",
    };
    struct url_list a;
    struct buf err = BUF_INIT;
    CHECK_EQ(feed_urls(NULL, "http://a.example/rss", rss, sizeof rss - 1, &a, &err), 0);
    check_urls(&a, want, 6);
    url_list_release(&a);
    buf_release(&err);
}

TEST(discover_feed_leading_whitespace_before_xml_declaration)
{
    /* A PHP include that prints a blank line before "<?xml": not
     * well-formed, so every '&amp;' was dropped. With a BOM first, too. */
    const char *const heads[] = { "\n\n", "  \r\n\t\n", "\xEF\xBB\xBF\n \n", "\xEF\xBB\xBF" };
    for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++) {
        struct buf xml = BUF_INIT;
        buf_adds(&xml, heads[h]);
        buf_adds(&xml, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
                       "<item><title>一</title>"
                       "<link>http://a.example/index.php?m=content&amp;c=index&amp;a=show&amp;id=3</link></item>"
                       "<item><title>二</title>"
                       "<link>http://a.example/index.php?m=content&amp;c=index&amp;a=show&amp;id=4</link></item>"
                       "</channel></rss>");
        struct url_list a;
        struct buf err = BUF_INIT;
        CHECK_EQ(feed_urls(NULL, "http://a.example/rss", xml.data, xml.len, &a, &err), 0);
        check_urls(&a, phpcms_urls, 2);
        url_list_release(&a);
        buf_release(&err);
        buf_release(&xml);
    }
}

TEST(discover_feed_php_notice_before_root)
{
    /* PHP printed a notice (HTML) before the feed; with and without an
     * XML declaration after it. */
    const char *const heads[] = { "<br />\n<b>Notice</b>:  Undefined index: id in <b>/var/www/rss.php</b> on line "
                                  "<b>3</b><br />\n",
                                  "Warning: session_start(): headers already sent\n<?xml version=\"1.0\"?>" };
    for (size_t h = 0; h < 2; h++) {
        struct buf xml = BUF_INIT;
        buf_adds(&xml, heads[h]);
        buf_adds(&xml, "<rss version=\"2.0\"><channel><item>"
                       "<link>http://a.example/index.php?m=content&amp;c=index&amp;a=show&amp;id=3</link></item>"
                       "<item><link>http://a.example/index.php?m=content&amp;c=index&amp;a=show&amp;id=4</link></item>"
                       "</channel></rss>");
        struct url_list a;
        struct buf err = BUF_INIT;
        CHECK_EQ(feed_urls(NULL, "http://a.example/rss", xml.data, xml.len, &a, &err), 0);
        check_urls(&a, phpcms_urls, 2);
        url_list_release(&a);
        buf_release(&err);
        buf_release(&xml);
    }
}

TEST(discover_feed_gb2312_after_blank_line)
{
    /* Declared gb2312 after a blank line: the declaration is honoured (as
     * GB18030, like charset.h maps the label), so a GBK-only character
     * (镕, 0xE9 0x46) in the link's path and Chinese titles decode. */
    const char rss[] = "\n\n<?xml version=\"1.0\" encoding=\"gb2312\"?>\n"
                       "<rss version=\"2.0\"><channel><title>\xCC\xEC\xBD\xF2 & \xD0\xC2\xCE\xC5</title>"
                       "<item><title>\xD6\xD0\xB9\xFA</title><link>http://a.example/\xE9\x46/1.html</link></item>"
                       "<item><title>\xD0\xC2\xCE\xC5</title>"
                       "<link>http://a.example/\xD0\xC2\xCE\xC5/index.php?m=content&amp;id=2</link></item>"
                       "</channel></rss>";
    static const char *const want[] = {
        "http://a.example/%E9%95%95/1.html",
        "http://a.example/%E6%96%B0%E9%97%BB/index.php?m=content&id=2",
    };
    struct url_list a;
    struct buf err = BUF_INIT;
    CHECK_EQ(feed_urls(NULL, "http://a.example/rss", rss, sizeof rss - 1, &a, &err), 0);
    check_urls(&a, want, 2);
    url_list_release(&a);
    /* The same as Atom, gbk declared, without the blank line. */
    const char atom[] = "<?xml version='1.0' encoding='GBK'?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
                        "<title>\xD6\xD0 & \xB9\xFA</title>"
                        "<entry><title>\xD6\xD0\xB9\xFA</title><link href=\"http://a.example/\xE9\x46/1.html\"/></entry>"
                        "<entry><link href=\"/\xD0\xC2\xCE\xC5/index.php?m=content&amp;id=2\"/></entry></feed>";
    CHECK_EQ(feed_urls(NULL, "http://a.example/atom", atom, sizeof atom - 1, &a, &err), 0);
    check_urls(&a, want, 2);
    url_list_release(&a);
    buf_release(&err);
}

TEST(discover_sitemap_amp_and_leading_whitespace)
{
    /* A raw '&' in one <loc> and a blank line before "<?xml": every
     * '&amp;' of the later entries is kept. */
    const char xml[] = "\n\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                       "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                       "<url><loc>http://a.example/show.php?id=1&page=2</loc></url>"
                       "<url><loc>http://a.example/index.php?m=content&amp;c=index&amp;a=show&amp;id=3</loc></url>"
                       "<url><loc>http://a.example/index.php?m=content&amp;c=index&amp;a=show&amp;id=4</loc></url>"
                       "</urlset>";
    static const char *const want[] = {
        "http://a.example/show.php?id=1&page=2",
        "http://a.example/index.php?m=content&c=index&a=show&id=3",
        "http://a.example/index.php?m=content&c=index&a=show&id=4",
    };
    struct url_list a, sm;
    url_list_init(&a, 0);
    url_list_init(&sm, 0);
    struct buf err = BUF_INIT;
    CHECK_EQ(discover_sitemap(NULL, "http://a.example/sitemap.xml", xml, sizeof xml - 1, &a, &sm, &err), 0);
    check_urls(&a, want, 3);
    url_list_release(&a);
    /* A PHP warning first: XML still, not a text sitemap. */
    const char warned[] = "Warning: Cannot modify header information in /www/sitemap.php on line 2\n"
                          "<urlset><url><loc>http://a.example/show.php?id=1&page=2</loc></url></urlset>";
    url_list_init(&a, 0);
    CHECK_EQ(discover_sitemap(NULL, "http://a.example/sitemap.xml", warned, sizeof warned - 1, &a, &sm, &err), 0);
    check_urls(&a, want, 1);
    url_list_release(&a);
    url_list_release(&sm);
    buf_release(&err);
}

/* ---- listing shapes (issue 15): by structure, never by host name ---- */

TEST(discover_trs_create_page_html)
{
    /* the function's definition first (no numbers), then the call */
    static const char page[] =
        "<html><body><ul><li><a href=\"./202310/t20231010_1009.html\">招商</a><span>2023-10-10</span></li></ul>"
        "<script>function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {}\n"
        "createPageHTML(12, 0, \"index\", \"html\");</script></body></html>";
    struct url_list a;
    url_list_init(&a, 0);
    a.want_hints = 1;
    char *next = NULL;
    struct listing_shape sh;
    struct buf err = BUF_INIT;
    CHECK_EQ(discover_listing_shape(NULL, "http://gov.example.cn/col/zsyz/index.html", NULL, page, strlen(page), &a,
                                    &next, &sh, &err), 0);
    CHECK_EQ(sh.kind, LISTING_TRS);
    CHECK_EQ(sh.pages, 12);
    CHECK_EQ(sh.current, 0);
    CHECK_STR(next, "http://gov.example.cn/col/zsyz/index_1.html");
    CHECK_STR(sh.next_from, "createPageHTML");
    char *p11 = discover_trs_page("http://gov.example.cn/col/zsyz/index_3.html", &sh, 11);
    char *p0 = discover_trs_page("http://gov.example.cn/col/zsyz/index_3.html", &sh, 0);
    CHECK_STR(p11, "http://gov.example.cn/col/zsyz/index_11.html");
    CHECK_STR(p0, "http://gov.example.cn/col/zsyz/index.html");
    CHECK_EQ(a.n, 1);
    const struct url_hint *h = url_list_hint(&a, "http://gov.example.cn/col/zsyz/202310/t20231010_1009.html");
    CHECK(h && h->text && h->date);
    if (h && h->text && h->date) {
        CHECK_STR(h->text, "招商");
        CHECK_STR(h->date, "2023-10-10");
    }
    free(p11);
    free(p0);
    free(next);
    listing_shape_release(&sh);
    /* the newer form with the pager's element id; the last page has no next */
    static const char last[] = "<script>createPageHTML('page_div', 5, 4, 'index', 'shtml', 98);</script>";
    CHECK_EQ(discover_listing_shape(NULL, "http://gov.example.cn/col/index_4.shtml", NULL, last, strlen(last), NULL,
                                    &next, &sh, &err), 0);
    CHECK_EQ(sh.kind, LISTING_TRS);
    CHECK_EQ(sh.pages, 5);
    CHECK(next == NULL);
    listing_shape_release(&sh);
    /* variables instead of numbers (another template's script): no shape */
    static const char vars[] = "<script>createPageHTML(countPage, currentPage, \"list\", \"html\");</script>";
    CHECK_EQ(discover_listing_shape(NULL, "http://gov.example.cn/list_1.html", NULL, vars, strlen(vars), NULL,
                                    &next, &sh, &err), 0);
    CHECK_EQ(sh.kind, LISTING_HTML);
    CHECK(next == NULL);
    url_list_release(&a);
    buf_release(&err);
}

TEST(discover_hanweb_datastore_and_jpage)
{
    static const char page[] =
        "<html><body><div id=\"5678\"><script type=\"text/xml\"><datastore><nextgroup><![CDATA[<a href=\""
        "/module/web/jpage/dataproxy.jsp?page=1&webid=1&columnid=1234&unitid=5678\"></a>]]></nextgroup>"
        "<recordset><record><![CDATA[<li><a href=\"/art/2023/10/10/art_1234_567890.html\">签约</a>"
        "<span>2023-10-10</span></li>]]></record>"
        "<record><![CDATA[<li><a href=\"/art/2023/10/9/art_1234_567889.html\">开工</a></li>]]></record>"
        "</recordset></datastore></script></div>"
        "<script>$('#5678').jpage({ totalRecord: 300, perPage: 15, groupSize: 3, "
        "proxyUrl: '/module/web/jpage/dataproxy.jsp' });</script></body></html>";
    struct url_list a;
    url_list_init(&a, 0);
    char *next = NULL;
    struct listing_shape sh;
    struct buf err = BUF_INIT;
    CHECK_EQ(discover_listing_shape(NULL, "http://www.zj.gov.cn/col/col1234/index.html", NULL, page, strlen(page), &a,
                                    &next, &sh, &err), 0);
    CHECK_EQ(sh.kind, LISTING_HANWEB);
    CHECK_EQ(a.n, 2);
    CHECK_EQ(sh.records, 2);
    CHECK_EQ(sh.total, 300);
    CHECK_EQ(sh.pages, 20);
    CHECK_STR(next, "http://www.zj.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=47&perpage=15");
    CHECK_STR(sh.next_post, "webid=1&columnid=1234&unitid=5678");
    free(next);
    listing_shape_release(&sh);
    url_list_release(&a);
    /* an answer with fewer records than asked ends the records */
    static const char answer[] =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><datastore><recordset>"
        "<record><![CDATA[<li><a href=\"/art/2023/1/5/art_1234_1.html\">x</a></li>]]></record>"
        "</recordset></datastore>";
    CHECK_EQ(discover_listing_shape(NULL, "http://www.zj.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&"
                                    "endrecord=90&perpage=15", NULL, answer, strlen(answer), &a, &next, &sh, &err), 0);
    CHECK_EQ(a.n, 1);
    CHECK(next == NULL);
    CHECK(sh.next_post == NULL);
    listing_shape_release(&sh);
    url_list_release(&a);
    /* a full answer without <nextgroup> asks for the next records with the body it was POSTed with */
    static const char full[] =
        "<datastore><recordset><record><![CDATA[<a href=\"/art/2023/1/5/art_1234_2.html\">y</a>]]></record>"
        "<record><![CDATA[<a href=\"/art/2023/1/4/art_1234_3.html\">z</a>]]></record></recordset></datastore>";
    memset(&sh, 0, sizeof sh);
    sh.page_post = "columnid=1234&unitid=5678&webid=1";
    CHECK_EQ(discover_listing_shape(NULL, "http://www.zj.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=3&"
                                    "endrecord=4&perpage=2", NULL, full, strlen(full), &a, &next, &sh, &err), 0);
    CHECK_STR(next, "http://www.zj.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=5&endrecord=6&perpage=2");
    CHECK_STR(sh.next_post, "columnid=1234&unitid=5678&webid=1");
    free(next);
    listing_shape_release(&sh);
    url_list_release(&a);
    buf_release(&err);
}

TEST(discover_select_pager)
{
    static const char page[] =
        "<html><body><a href=\"/x/1.html\">a</a><select onchange=\"location.href=this.value\">"
        "<option value=\"list.html\">1</option><option value=\"list_2.html\" selected>2</option>"
        "<option value=\"list_3.html\">3</option></select>"
        "<select onchange=\"window.open(this.value)\"><option value=\"\">友情链接</option>"
        "<option value=\"http://other.example.com/\">x</option></select></body></html>";
    char *next = NULL;
    struct buf err = BUF_INIT;
    CHECK_EQ(discover_listing(NULL, "http://a.example.cn/news/list_2.html", page, strlen(page), NULL, &next, &err), 0);
    CHECK_STR(next, "http://a.example.cn/news/list_3.html");
    free(next);
    /* the last page: no next */
    CHECK_EQ(discover_listing(NULL, "http://a.example.cn/news/list_3.html", page, strlen(page), NULL, &next, &err), 0);
    CHECK(next == NULL || strcmp(next, "http://a.example.cn/news/list_3.html") != 0);
    free(next);
    /* a category dropdown with its entry selected is no pager */
    static const char cats[] =
        "<select name=\"cat\" onchange=\"location.href=this.value\"><option value=\"/category/a/\">A</option>"
        "<option value=\"/category/b/\" selected=\"selected\">招商</option><option value=\"/category/c/\">C</option>"
        "</select>";
    CHECK_EQ(discover_listing(NULL, "http://a.example.cn/category/b/", cats, strlen(cats), NULL, &next, &err), 0);
    CHECK(next == NULL);
    free(next);
    buf_release(&err);
}

TEST(discover_json_paths_and_wrong_shape)
{
    struct site s;
    memset(&s, 0, sizeof s);
    s.api_items = "data.list[]";
    s.api_link = "url";
    s.api_title = "title";
    s.api_date = "pubDate";
    s.link_base = "http://x.example.cn/news/";
    s.hosts[s.nhosts++] = (char *)"x.example.cn";
    static const char ok[] = "{\"code\":0,\"data\":{\"list\":[{\"url\":\"detail/1.html\",\"title\":\"签约\","
                             "\"pubDate\":\"2023-10-10 09:30:00\"},{\"url\":\"/news/detail/2.html\","
                             "\"pubDate\":1696900000000}]}}";
    struct url_list a;
    url_list_init(&a, 0);
    a.want_hints = 1;
    struct listing_shape sh;
    struct buf err = BUF_INIT;
    CHECK_EQ(discover_json(&s, "http://x.example.cn/api/list?pageNo=1", ok, strlen(ok), &a, &sh, &err), 0);
    CHECK_EQ(sh.kind, LISTING_JSON);
    CHECK_EQ(sh.records, 2);
    CHECK_EQ(a.n, 2);
    if (a.n == 2) {
        CHECK_STR(a.v[0], "http://x.example.cn/news/detail/1.html");
        CHECK_STR(a.v[1], "http://x.example.cn/news/detail/2.html");
        CHECK_STR(a.hint[0].text, "签约");
        CHECK(a.hint[0].date && strncmp(a.hint[0].date, "2023-10-10", 10) == 0);
        CHECK(a.hint[1].date && strncmp(a.hint[1].date, "2023-10-10", 10) == 0);
    }
    url_list_release(&a);
    static const char bad[] = "{\"code\":0,\"data\":{\"items\":[]}}";
    CHECK_EQ(discover_json(&s, "http://x.example.cn/api/list", bad, strlen(bad), &a, &sh, &err), NA_EPARSE);
    CHECK(strstr(buf_str(&err), "no array at 'data.list[]' (listing_api_items)") != NULL);
    s.api_link = "href";
    CHECK_EQ(discover_json(&s, "http://x.example.cn/api/list", ok, strlen(ok), &a, &sh, &err), NA_EPARSE);
    CHECK(strstr(buf_str(&err), "has a string at 'href' (listing_api_link)") != NULL);
    CHECK_EQ(discover_json(&s, "http://x.example.cn/api/list", "<html>", 6, &a, &sh, &err), NA_EPARSE);
    url_list_release(&a);
    buf_release(&err);
}
