/* test_try.c — try.c: the page kind (listing entries, {n} template pages,
 * feeds, sitemaps, article patterns), the site picked for a URL, listing
 * links sorted by scope and patterns, and the comparison of a page with the
 * kept text read against explain lines in parser/clean.c's format. */
#include "tests/check.h"
#include "crawler/sites.h"
#include "crawler/try.h"
#include "parser/article.h"
#include "parser/dom.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void site_demo(struct site *s)
{
    site_init(s, "demo");
    s->listing[s->nlisting++] = strdup("http://news.example.cn/tjcy/list_{n}.html");
    s->listing[s->nlisting++] = strdup("http://news.example.cn/zs/");
    s->feed[s->nfeed++] = strdup("http://news.example.cn/feed.php");
    s->sitemap[s->nsitemap++] = strdup("http://news.example.cn/sitemap.xml");
    s->article[s->narticle++] = strdup("^http://news\\.example\\.cn/tjcy/[0-9]+\\.html$");
    s->article[s->narticle++] = strdup("/zs/[0-9]{4}/[0-9]+\\.html$");
    struct buf err = BUF_INIT;
    CHECK_EQ(site_prepare(s, &err), 0);
    buf_release(&err);
}

TEST(try_page_kind_by_site)
{
    struct site s;
    site_demo(&s);
    char why[600];
    const char *entry;
    int page, pat;
    CHECK_EQ(try_page_kind(&s, "http://news.example.cn/tjcy/list_3.html", &entry, &page, &pat, why, sizeof why),
             TRY_LISTING);
    CHECK_EQ(page, 3);
    CHECK_STR(entry, s.listing[0]);
    CHECK_CONTAINS(why, "page 3 of listing = ");
    CHECK_EQ(try_page_kind(&s, "http://news.example.cn/tjcy/list_x.html", &entry, &page, &pat, why, sizeof why),
             TRY_LISTING); /* no pattern matches: a listing, but not the template's */
    CHECK(entry == NULL);
    CHECK_CONTAINS(why, "matches none of the site's 2 article patterns");
    CHECK_EQ(try_page_kind(&s, "http://news.example.cn/zs/", &entry, &page, &pat, why, sizeof why), TRY_LISTING);
    CHECK_EQ(page, 0);
    CHECK_STR(why, "listing = http://news.example.cn/zs/");
    CHECK_EQ(try_page_kind(&s, "http://news.example.cn/feed.php", &entry, &page, &pat, why, sizeof why), TRY_FEED);
    CHECK_EQ(try_page_kind(&s, "http://news.example.cn/sitemap.xml", &entry, &page, &pat, why, sizeof why),
             TRY_SITEMAP);
    CHECK_EQ(try_page_kind(&s, "http://news.example.cn/zs/2024/77.html", &entry, &page, &pat, why, sizeof why),
             TRY_ARTICLE);
    CHECK_EQ(pat, 1);
    CHECK_CONTAINS(why, "matches article = /zs/");
    CHECK_EQ(try_article_pattern(&s, "http://news.example.cn/tjcy/12.html"), 0);
    CHECK_EQ(try_article_pattern(&s, "http://news.example.cn/tjcy/list_2.html"), -1);
    CHECK_EQ(try_article_pattern(NULL, "http://news.example.cn/tjcy/12.html"), -1);
    CHECK_EQ(try_page_kind(NULL, "http://x.example/a", &entry, &page, &pat, why, sizeof why), TRY_ARTICLE);
    CHECK_STR(why, "no site: generic rules");
    site_release(&s);

    struct site all;
    site_init(&all, "all");
    all.listing[all.nlisting++] = strdup("http://a.example/");
    CHECK_EQ(site_prepare(&all, NULL), 0);
    CHECK_EQ(try_page_kind(&all, "http://a.example/p/1.html", &entry, &page, &pat, why, sizeof why), TRY_ARTICLE);
    CHECK_CONTAINS(why, "no article patterns");
    site_release(&all);
}

TEST(try_pick_site_by_patterns_then_scope)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/sites.conf", test_tmpdir());
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("[newsarc]\narchive = a\nuser_agent = t/1 (+mailto:t@example.org)\n\n"
          "[site wide]\nlisting = http://news.example.cn/\narticle = /wide/[0-9]+\\.html$\n\n"
          "[site narrow]\nenabled = no\nlisting = http://news.example.cn/tjcy/list_{n}.html\n"
          "article = /tjcy/[0-9]+\\.html$\n",
          f);
    fclose(f);
    struct sites_config *c = NULL;
    struct buf err = BUF_INIT;
    CHECK_EQ(sites_config_load(path, &c, &err), 0);
    if (!c) {
        fprintf(stderr, "%s\n", buf_str(&err));
        buf_release(&err);
        return;
    }
    struct site *s = try_pick_site(c, "http://news.example.cn/tjcy/5.html");
    CHECK(s && strcmp(s->name, "narrow") == 0); /* its pattern, although disabled and second */
    s = try_pick_site(c, "http://news.example.cn/tjcy/list_2.html");
    CHECK(s && strcmp(s->name, "narrow") == 0);
    s = try_pick_site(c, "http://news.example.cn/about.html");
    CHECK(s && strcmp(s->name, "wide") == 0); /* scope only: the first */
    CHECK(try_pick_site(c, "http://elsewhere.example.com/tjcy/5.html") == NULL);
    CHECK(try_pick_site(NULL, "http://news.example.cn/") == NULL);
    sites_config_free(c);
    buf_release(&err);
}

static const char listing_page[] =
    "<html><head><meta charset=\"utf-8\"></head><body>"
    "<div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/zs/\">招商</a></div>"
    "<ul><li><a href=\"/tjcy/101.html\">一</a></li><li><a href=\"/tjcy/102.html?utm_source=x\">二</a></li>"
    "<li><a href=\"http://other.example.com/tjcy/103.html\">外站</a></li>"
    "<li><a href=\"/zs/2024/9.html\">三</a></li></ul>"
    "<div class=\"pages\"><a href=\"list_1.html\">上一页</a> <span>2</span> <a href=\"list_3.html\">下一页</a></div>"
    "</body></html>";

TEST(try_listing_sorts_links)
{
    struct site s;
    site_demo(&s);
    struct try_links l;
    struct buf err = BUF_INIT;
    try_links_init(&l);
    CHECK_EQ(try_listing(&s, "http://news.example.cn/tjcy/list_2.html", NULL, listing_page, strlen(listing_page),
                         s.listing[0], 2, &l, &err),
             0);
    CHECK_EQ(l.narticle, 3);
    CHECK_EQ(l.noffscope, 1);
    CHECK_EQ(l.nother, l.all.n - 4);
    CHECK_STR(l.next, "http://news.example.cn/tjcy/list_3.html");
    CHECK_STR(l.next_template, "http://news.example.cn/tjcy/list_3.html");
    for (size_t i = 0; i < l.all.n; i++) {
        if (strcmp(l.all.v[i], "http://news.example.cn/tjcy/102.html") == 0) {
            CHECK_EQ(l.cls[i], TRY_LINK_ARTICLE); /* canonical: the tracking parameter went */
            CHECK_EQ(l.pattern[i], 0);
        } else if (strcmp(l.all.v[i], "http://news.example.cn/zs/2024/9.html") == 0) {
            CHECK_EQ(l.pattern[i], 1);
        } else if (strstr(l.all.v[i], "other.example.com")) {
            CHECK_EQ(l.cls[i], TRY_LINK_OFFSCOPE);
        } else if (strcmp(l.all.v[i], "http://news.example.cn/zs/") == 0) {
            CHECK_EQ(l.cls[i], TRY_LINK_OTHER);
        }
    }
    try_links_release(&l);

    /* No site: nothing sorted out, every link an article candidate. */
    try_links_init(&l);
    CHECK_EQ(try_listing(NULL, "http://news.example.cn/tjcy/list_2.html", NULL, listing_page, strlen(listing_page), NULL, 0,
                         &l, &err),
             0);
    CHECK_EQ(l.narticle, l.all.n);
    CHECK(l.next != NULL);
    CHECK(l.next_template == NULL);
    try_links_release(&l);
    site_release(&s);
    buf_release(&err);
}

/* try lists a GBK page's links as the crawl requests them: the query in
 * the page's charset (as browsers send it), the path in UTF-8. */
TEST(try_listing_query_in_page_charset)
{
    static const char page[] = "<html><body><a href=\"/s.php?kw=中国\">搜</a></body></html>";
    struct try_links l;
    struct buf err = BUF_INIT;
    try_links_init(&l);
    CHECK_EQ(try_listing(NULL, "http://news.example.cn/list.html", "GB18030", page, strlen(page), NULL, 0, &l, &err), 0);
    int found = 0;
    for (size_t i = 0; i < l.all.n; i++)
        found |= strcmp(l.all.v[i], "http://news.example.cn/s.php?kw=%D6%D0%B9%FA") == 0;
    CHECK(found);
    try_links_release(&l);
    buf_release(&err);
}

/* A page in the seed page's image and what an extractor kept of it. */
static const char article_page[] =
    "<html><head><meta charset=\"utf-8\"><title>济南项目签约_天津厂房网</title></head><body>"
    "<div class=\"crumb\">当前位置：首页 &gt; 天津产业信息 &gt; 正文内容</div>"
    "<div id=\"main\" class=\"post\"><h1>济南项目签约</h1>"
    "<div class=\"post-body\">"
    "<p>抓项目促发展，济南“新春头部会”聚焦招商引资，各区县党政一把手率队外出。</p>"
    "<p><strong>“冲”起来！</strong>济南各区县抢跑春天里，高质量项目密集签约。</p>"
    "<div class=\"share\">分享给朋友：<a href=\"#\">微博</a></div>"
    "<p>扫一扫关注公众号</p>"
    "</div>"
    "<div class=\"copyright\">版权声明：本文由天津厂房网发布，如需转载请注明出处。</div>"
    "</div>"
    "<div class=\"related\"><h3>相关文章</h3><p>天津东丽区22宗地块集中推介，总面积约89.2公顷，推介会上企业代表踊跃发言。</p></div>"
    "</body></html>";

static const char article_text[] =
    "抓项目促发展，济南“新春头部会”聚焦招商引资，各区县党政一把手率队外出。\n"
    "“冲”起来！济南各区县抢跑春天里，高质量项目密集签约。";

static const char article_explain[] =
    "charset UTF-8 (from meta, 0 invalid bytes)\n"
    "candidate body > div#main.post: score 80.0\n"
    "container body > div#main.post > div.post-body: score 120.0, 60 chars, link density 0.02\n"
    "drop div.share (8 chars): class cue 'share'\n"
    "drop line '扫一扫关注公众号': cue phrase '扫一扫'\n"
    "drop line 'a line the page does not have…': cue phrase 'x'\n"
    "note: something else\n";

static const struct try_block *block_with(const struct try_analysis *x, const char *needle)
{
    for (size_t i = 0; i < x->nblocks; i++)
        if (strstr(x->blocks[i].snippet, needle))
            return &x->blocks[i];
    return NULL;
}

TEST(try_analyze_names_left_out_blocks)
{
    struct article a;
    article_init(&a);
    a.title = strdup("济南项目签约");
    a.text = strdup(article_text);
    buf_adds(&a.explain, article_explain);
    struct try_analysis x;
    struct buf err = BUF_INIT;
    CHECK_EQ(try_analyze(article_page, strlen(article_page), &a, NULL, &x, &err), 0);
    CHECK_STR(x.container, "body > div#main.post > div.post-body");
    CHECK_EQ(x.container_found, 1);
    CHECK_EQ(x.nblocks, 6);
    const struct try_block *b;
    CHECK((b = block_with(&x, "当前位置")) != NULL);
    if (b) {
        CHECK_STR(b->reason, "outside the container");
        CHECK_EQ(b->in_container, 0);
        CHECK_STR(b->path, "body > div.crumb");
        CHECK_EQ(b->chars, 19);
    }
    CHECK((b = block_with(&x, "济南项目签约")) != NULL);
    if (b)
        CHECK_STR(b->reason, "the headline (kept as the title)");
    CHECK((b = block_with(&x, "分享给朋友")) != NULL);
    if (b) {
        CHECK_STR(b->reason, "class cue 'share'");
        CHECK_EQ(b->in_container, 1);
        CHECK_STR(b->path, "div#main.post > div.post-body > div.share");
        CHECK_STR(b->snippet, "分享给朋友： 微博");
    }
    CHECK((b = block_with(&x, "扫一扫")) != NULL);
    if (b)
        CHECK_STR(b->reason, "cue phrase '扫一扫'");
    CHECK((b = block_with(&x, "版权声明")) != NULL);
    if (b)
        CHECK_STR(b->reason, "outside the container");
    CHECK((b = block_with(&x, "相关文章")) != NULL);
    if (b) {
        CHECK_STR(b->path, "body > div.related");
        CHECK_CONTAINS(b->snippet, "相关文章 天津东丽区");
    }
    try_analysis_release(&x);

    /* Everything kept (the placeholder extractor): nothing left out. */
    free(a.text);
    a.text = strdup("当前位置：首页 > 天津产业信息 > 正文内容 济南项目签约 抓项目促发展，济南“新春头部会”聚焦招商引资，"
                    "各区县党政一把手率队外出。 “冲”起来！济南各区县抢跑春天里，高质量项目密集签约。 分享给朋友： 微博 "
                    "扫一扫关注公众号 版权声明：本文由天津厂房网发布，如需转载请注明出处。 相关文章 "
                    "天津东丽区22宗地块集中推介，总面积约89.2公顷，推介会上企业代表踊跃发言。");
    buf_reset(&a.explain);
    CHECK_EQ(try_analyze(article_page, strlen(article_page), &a, NULL, &x, &err), 0);
    CHECK_EQ(x.nblocks, 0);
    CHECK(x.container == NULL);
    try_analysis_release(&x);
    article_release(&a);
    buf_release(&err);
}

/* Containers deeper than 8 levels are named "… > " + the last 8. */
TEST(try_analyze_deep_container)
{
    struct buf page = BUF_INIT, ex = BUF_INIT;
    buf_adds(&page, "<html><body>");
    for (int i = 0; i < 10; i++)
        buf_printf(&page, "<div class=\"d%d\">", i);
    buf_adds(&page, "<p>这是正文的一段文字，足够长，可以被找到。</p></div><p>页脚的版权信息，不属于正文。</p>");
    for (int i = 0; i < 9; i++)
        buf_adds(&page, "</div>");
    buf_adds(&page, "</body></html>");
    struct article a;
    article_init(&a);
    a.text = strdup("这是正文的一段文字，足够长，可以被找到。");
    buf_adds(&a.explain, "container … > div.d2 > div.d3 > div.d4 > div.d5 > div.d6 > div.d7 > div.d8 > div.d9: score 1\n");
    struct try_analysis x;
    struct buf err = BUF_INIT;
    CHECK_EQ(try_analyze(buf_str(&page), page.len, &a, NULL, &x, &err), 0);
    CHECK_EQ(x.container_found, 1);
    CHECK_EQ(x.nblocks, 1);
    if (x.nblocks == 1) {
        CHECK_STR(x.blocks[0].reason, "outside the container");
        CHECK_STR(x.blocks[0].path, "div.d7 > div.d8 > p");
    }
    try_analysis_release(&x);
    article_release(&a);
    buf_release(&page);
    buf_release(&ex);
    buf_release(&err);
}

TEST(try_analyze_reports_rules)
{
    struct rules r;
    rules_init(&r);
    r.container = strdup("//div[@class='post-body']");
    r.drop[r.ndrop++] = strdup("//div[@class='share']");
    r.title = strdup("//h1");
    struct article a;
    article_init(&a);
    a.text = strdup(article_text);
    struct try_analysis x;
    struct buf err = BUF_INIT;
    CHECK_EQ(try_analyze(article_page, strlen(article_page), &a, &r, &x, &err), 0);
    CHECK_EQ(x.nrules, 3);
    if (x.nrules == 3) {
        CHECK_STR(x.rules[0].key, "xpath_container");
        CHECK_STR(x.rules[1].key, "xpath_drop");
        CHECK_STR(x.rules[2].key, "xpath_title");
        CHECK_STR(x.rules[1].xpath, "//div[@class='share']");
        CHECK(x.rules[0].value != NULL);
        if (x.rules[0].matches >= 0) { /* the real rules engine */
            CHECK_EQ(x.rules[0].matches, 1);
            CHECK_STR(x.rules[0].value, "body > div#main.post > div.post-body");
            CHECK_EQ(x.rules[1].matches, 1);
            CHECK_STR(x.rules[2].value, "济南项目签约");
        }
    }
    try_analysis_release(&x);
    article_release(&a);
    rules_release(&r);
    buf_release(&err);
}

/* Out of memory at every allocation after the parse (Gumbo aborts on a
 * failed allocation; dom.c's business): a clean error, nothing leaked. */
TEST(try_analyze_allocation_failures)
{
    struct dom *d = NULL;
    struct buf perr = BUF_INIT;
    CHECK_EQ(dom_parse(article_page, strlen(article_page), NULL, &d, &perr), 0);
    buf_release(&perr);
    if (!d)
        return;
    struct article a;
    article_init(&a);
    a.title = strdup("济南项目签约");
    a.text = strdup(article_text);
    buf_adds(&a.explain, article_explain);
    int ok = 0;
    for (long n = 1; n < 5000 && !ok; n++) {
        struct try_analysis x;
        struct buf err = BUF_INIT;
        na_mem_fail_after(n);
        int rc = try_analyze_dom(d, &a, NULL, &x, &err);
        na_mem_fail_after(0);
        if (rc == 0) {
            ok = 1;
            CHECK_EQ(x.nblocks, 6);
            try_analysis_release(&x);
        } else {
            CHECK(rc < 0);
        }
        buf_release(&err);
    }
    CHECK(ok);
    article_release(&a);
    dom_free(d);
}
