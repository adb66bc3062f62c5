/* test_images.c — an article's images (parser/images.h through
 * article_extract's max_images, crawler/requisites.h): lazy-load
 * attributes, srcset's largest candidate, <picture>, <base href>, data:
 * URIs, the count cap, only the kept content (no logo, share icon, QR code,
 * advert or related-article thumbnail; a photo with a credit caption kept), the image scope of a site (requisites_hosts)
 * and the verdict on an image's answer. */
#include "tests/check.h"
#include "crawler/requisites.h"
#include "crawler/sites.h"
#include "parser/article.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

#define PARA "<p>据了解，该项目总投资约十二亿元，主要建设新能源汽车零部件生产线及配套设施，建成后预计年产值可达三十亿元，" \
             "新增就业岗位八百余个，将进一步完善区域产业链条，推动制造业高质量发展。</p>\n"

/* The page of the kept-content case: boilerplate images all around an
 * article body whose images come in the shapes portals write them. */
static const char page[] =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>新能源汽车零部件项目签约落户 - 投资网</title>"
    "<base href=\"http://cdn.example.cn/site/\"></head><body>"
    "<div class=\"header\"><div class=\"logo\"><a href=\"/\"><img src=\"/images/logo.png\" alt=\"投资网\"></a></div>"
    "<ul class=\"nav\"><li><a href=\"/a/\">首页</a></li><li><a href=\"/b/\">新闻</a></li></ul></div>"
    "<div class=\"main\"><div class=\"article\"><h1>新能源汽车零部件项目签约落户</h1>"
    "<div class=\"content\">" PARA
    "<p style=\"text-align:center\"><img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" data-src=\"up/lazy1.jpg\"></p>"
    PARA
    "<p><img src=\"/images/blank.gif\" data-original=\"http://news.example.cn/up/lazy2.jpg\"></p>" PARA
    "<figure><img src=\"up/small.jpg\" srcset=\"up/small.jpg 300w, up/large.jpg 1024w, up/mid.jpg 640w\">"
    "<figcaption>签约仪式现场</figcaption></figure>" PARA
    "<p><img data-lazy-src=\"up/lazy3.jpg\" srcset=\"up/x1.jpg, up/x2.jpg 2x\"></p>"
    "<picture><source srcset=\"up/pic.webp 800w\"><img src=\"up/lazy1.jpg\"></picture>" PARA
    "<p><a href=\"up/full.jpg?w=2000\"><img src=\"up/linked.jpg\"></a></p>"
    "<figure><img src=\"up/credit.jpg\"><figcaption>摄影：张三</figcaption></figure>"
    "<div class=\"x\"><a href=\"/contact/\" rel=\"nofollow\"><img src=\"/images/ad.jpg\"></a></div>" PARA
    "<p><img src=\"javascript:void(0)\"><img src=\"ftp://news.example.cn/a.jpg\"></p>" PARA
    "<div class=\"box\"><img src=\"/images/qr2.jpg\"><p>扫一扫关注公众号</p></div>"
    "<div class=\"wechat-qr\"><img src=\"/images/qrcode.jpg\"><p>扫一扫关注公众号</p></div>"
    "<div class=\"share\"><span>分享到：</span><a href=\"#\" class=\"share-weibo\"><img src=\"/images/weibo.png\"></a>"
    "<a href=\"#\" class=\"share-wx\"><img src=\"/images/wx.png\"></a></div>"
    "</div></div>"
    "<div class=\"related\"><h3>相关文章</h3><ul>"
    "<li><a href=\"/a/1.html\"><img src=\"/images/thumb1.jpg\">另一个项目集中签约仪式举行</a></li>"
    "<li><a href=\"/a/2.html\"><img src=\"/images/thumb2.jpg\">开发区举行重点项目推进会</a></li></ul></div></div>"
    "<div class=\"footer\"><p>版权所有 投资网 <img src=\"/images/ga.png\"> 公网安备 12345号</p></div>"
    "</body></html>";

static int has(char **v, size_t n, const char *url)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], url) == 0)
            return 1;
    return 0;
}

static void extract(const char *html, size_t max, struct article *a)
{
    struct article_opts o;
    memset(&o, 0, sizeof o);
    o.url = "http://news.example.cn/a/2024/0301/1.html";
    o.max_images = max;
    struct buf err = BUF_INIT;
    article_init(a);
    CHECK_EQ(article_extract(html, strlen(html), &o, a, &err), 0);
    buf_release(&err);
}

TEST(images_of_the_kept_content)
{
    struct article a;
    extract(page, 20, &a);
    CHECK_CONTAINS(a.text, "新增就业岗位八百余个");
    /* resolved against <base href>, lazy attributes before src, srcset's
     * widest (or highest x) candidate, each URL once, in document order */
    static const char *const want[] = {
        "http://cdn.example.cn/site/up/lazy1.jpg", "http://news.example.cn/up/lazy2.jpg",
        "http://cdn.example.cn/site/up/small.jpg", "http://cdn.example.cn/site/up/large.jpg",
        "http://cdn.example.cn/site/up/lazy3.jpg", "http://cdn.example.cn/site/up/x2.jpg",
        "http://cdn.example.cn/site/up/pic.webp",      "http://cdn.example.cn/site/up/linked.jpg",
        "http://cdn.example.cn/site/up/credit.jpg",
    };
    size_t nwant = sizeof want / sizeof want[0];
    CHECK_EQ(a.nimages, nwant);
    for (size_t i = 0; i < nwant && i < a.nimages; i++)
        CHECK_STR(a.images[i], want[i]);
    /* no data: URI, no placeholder under a lazy attribute, nothing but http(s) */
    for (size_t i = 0; i < a.nimages; i++) {
        CHECK(strncmp(a.images[i], "http", 4) == 0);
        CHECK(!strstr(a.images[i], "blank.gif") && !strstr(a.images[i], "mid.jpg"));
    }
    /* the boilerplate's images: logo, QR codes, share icons, an advert (a
     * link to a page), thumbnails, footer */
    static const char *const no[] = { "logo.png", "qrcode.jpg", "qr2.jpg", "ad.jpg", "weibo.png", "wx.png", "thumb1.jpg", "thumb2.jpg",
                                      "ga.png" };
    for (size_t k = 0; k < sizeof no / sizeof no[0]; k++)
        for (size_t i = 0; i < a.nimages; i++)
            CHECK_NOT_CONTAINS(a.images[i], no[k]);
    article_release(&a);

    /* the cap, and none without max_images */
    extract(page, 2, &a);
    CHECK_EQ(a.nimages, 2);
    CHECK(a.nimages == 2 && has(a.images, 2, want[0]) && has(a.images, 2, want[1]));
    article_release(&a);
    extract(page, 0, &a);
    CHECK(a.images == NULL && a.nimages == 0);
    article_release(&a);
}

TEST(images_without_base_resolve_against_the_page)
{
    const char *html = "<html><head><title>t</title></head><body><div class=\"content\">" PARA
                       "<p><img src=\"../../img/p1.jpg?x=1#frag\"></p>" PARA PARA "</div></body></html>";
    struct article a;
    extract(html, 20, &a);
    CHECK_EQ(a.nimages, 1);
    if (a.nimages)
        CHECK_STR(a.images[0], "http://news.example.cn/a/img/p1.jpg?x=1");
    article_release(&a);
}

TEST(requisites_scope_cap_and_answers)
{
    struct site s;
    struct buf err = BUF_INIT;
    CHECK_EQ(site_init(&s, "x"), 0);
    s.listing[s.nlisting++] = na_strdup("http://news.example.cn/list/");
    s.path_prefix[s.npath_prefix++] = na_strdup("/list/");
    s.requisites_hosts[s.nrequisites_hosts++] = na_strdup("*.cdn.example.net");
    CHECK_EQ(site_prepare(&s, &err), 0);
    /* the site's hosts (path_prefix not applied), requisites_hosts, http(s) only */
    CHECK(sites_requisite_in_scope(&s, "http://news.example.cn/uploads/a.jpg"));
    CHECK(!url_in_scope(&s, "http://news.example.cn/uploads/a.jpg"));
    CHECK(sites_requisite_in_scope(&s, "https://img1.cdn.example.net/a.jpg"));
    CHECK(!sites_requisite_in_scope(&s, "http://cdn.example.net/a.jpg"));
    CHECK(!sites_requisite_in_scope(&s, "http://other.example.org/a.jpg"));
    CHECK(!sites_requisite_in_scope(&s, "ftp://news.example.cn/a.jpg"));
    CHECK(!sites_requisite_in_scope(&s, "http://news.example.cn/a/a/a/x.jpg")); /* a trap */
    s.requisites_max = 2;
    char *v[] = { na_strdup("http://other.example.org/1.jpg"), na_strdup("http://news.example.cn/2.jpg"),
                  na_strdup("http://x.cdn.example.net/3.jpg"), na_strdup("http://news.example.cn/4.jpg") };
    size_t n = 4;
    requisites_pick(&s, NULL, v, &n);
    CHECK_EQ(n, 2);
    if (n == 2) {
        CHECK_STR(v[0], "http://news.example.cn/2.jpg");
        CHECK_STR(v[1], "http://x.cdn.example.net/3.jpg");
    }
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    CHECK_EQ(requisites_answer(200, "image/jpeg"), REQUISITES_KEEP);
    CHECK_EQ(requisites_answer(200, "Image/PNG; q=1"), REQUISITES_KEEP);
    CHECK_EQ(requisites_answer(200, "text/html; charset=utf-8"), REQUISITES_NOT_IMAGE);
    CHECK_EQ(requisites_answer(200, NULL), REQUISITES_NOT_IMAGE);
    CHECK_EQ(requisites_answer(200, "image/"), REQUISITES_NOT_IMAGE);
    CHECK_EQ(requisites_answer(404, "image/png"), REQUISITES_STATUS);
    site_release(&s);
    buf_release(&err);
}
