/* test_meta.c — metadata extraction (parser/meta.c, parser/jsonld.c): the
 * headline against <title>/og:title/JSON-LD and site-name suffixes, URL,
 * language, dates from every source and the choice between them, author,
 * source and category, the seed-style page, thread safety and bad input. */
#include "tests/check.h"
#include "parser/article.h"
#include "parser/dom.h"
#include "parser/jsonld.h"
#include "parser/fields.h"
#include "parser/meta.h"
#include "parser/title.h"
#include "util/buf.h"
#include "util/err.h"

#include <pthread.h>
#include <stdlib.h>

/* 2023-10-10T04:00:00Z = 2023-10-10 12:00 in China. */
#define NOW ((time_t)1696910400)

/* Runs meta_title and meta_fields on html; the container is the element
 * with id "content" when there is one, else <body>. Returns 1 when
 * meta_title found a headline element. */
static int run_meta(const char *html, const char *url, time_t now, struct meta_result *a)
{
    struct dom *d = NULL;
    struct buf err = BUF_INIT;
    meta_result_init(a);
    if (dom_parse(html, strlen(html), NULL, &d, &err) != 0) {
        fprintf(stderr, "dom_parse: %s\n", buf_str(&err));
        buf_release(&err);
        return 0;
    }
    struct meta_opts mo = { url, now, NULL, NULL };
    struct dom_node *t = NULL;
    CHECK_EQ(meta_title(d, &mo, a, &t), 0);
    const struct dom_node *cont = d->body;
    for (struct dom_node *n = d->root; n; n = dom_next(n, d->root))
        if (n->type == DOM_ELEMENT && dom_attr(n, "id") && strcmp(dom_attr(n, "id"), "content") == 0)
            cont = n;
    CHECK_EQ(meta_fields(d, &mo, t, cont, a), 0);
    dom_free(d);
    buf_release(&err);
    return t != NULL;
}

static const char *str(const char *s) { return s ? s : "(null)"; }

#define PAGE(head, body) "<!DOCTYPE html><html><head><meta charset=utf-8>" head "</head><body>" body "</body></html>"

/* ---- titles ---- */

TEST(meta_title_site_suffixes)
{
    static const struct {
        const char *title, *h1, *expect;
    } cases[] = {
        { "央行宣布降准0.25个百分点_新浪财经_新浪网", NULL, "央行宣布降准0.25个百分点" },
        { "姚明对周琦说了啥？周琦上下半场判若两人 - 网易新闻", NULL, "姚明对周琦说了啥？周琦上下半场判若两人" },
        { "The Amazon Is on Fire | VICE", NULL, "The Amazon Is on Fire" },
        { "Site News | Council approves the new budget for 2024", NULL, "Council approves the new budget for 2024" },
        { "明日股市预测--最新出炉联合国贸发报告：全球经济增长率降至2.3%", NULL,
          "最新出炉联合国贸发报告：全球经济增长率降至2.3%" },
        { "第三届知道安全论坛鸟巢举办 知道创宇发布新版ZoomEye-CSDN.NET", NULL,
          "第三届知道安全论坛鸟巢举办 知道创宇发布新版ZoomEye" },
        { "法国全国大罢工再次严重影响交通-新华网", NULL, "法国全国大罢工再次严重影响交通" },
        /* a hyphen inside a word is not a separator */
        { "COVID-19 cases fall in Berlin", NULL, "COVID-19 cases fall in Berlin" },
        /* spaces inside a Chinese headline are kept */
        { "多地项目连环爆雷 狂奔的龙湖集团", NULL, "多地项目连环爆雷 狂奔的龙湖集团" },
        /* the body's headline wins over the head's wording */
        { "棱镜|数据业大整顿：爬虫与现金贷共生共荣_财经_腾讯网", "棱镜|数据业大整顿：爬虫与现金贷共生共荣",
          "棱镜|数据业大整顿：爬虫与现金贷共生共荣" },
        { "标题有空格　年末的决议__国务院公报_中国政府网", "标题有空格<br>\n年末的决议", "标题有空格年末的决议" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char html[2048];
        snprintf(html, sizeof html,
                 "<html><head><title>%s</title></head><body><div class=nav><a href=/>首页</a></div>"
                 "%s%s%s<div id=content><p>正文第一段，这里是文章的内容。正文第一段，这里是文章的内容。</p></div>"
                 "</body></html>",
                 cases[i].title, cases[i].h1 ? "<h1>" : "", cases[i].h1 ? cases[i].h1 : "", cases[i].h1 ? "</h1>" : "");
        struct meta_result a;
        run_meta(html, NULL, NOW, &a);
        CHECK_STR(a.title, cases[i].expect);
        meta_result_release(&a);
    }
}

TEST(meta_title_prefers_headline_element)
{
    struct meta_result a;
    /* og:title is cut short by broken quoting; the h1 matches <title> */
    const char *html = PAGE("<title>多地项目连环爆雷 狂奔的龙湖集团\"暗伤\"曝露？_网易财经</title>"
                            "<meta property=\"og:title\" content=\"多地项目连环爆雷 狂奔的龙湖集团\">",
                            "<div class=nav><a href=/a>多地项目连环爆雷 狂奔的龙湖集团\"暗伤\"曝露？</a></div>"
                            "<h1>多地项目连环爆雷 狂奔的龙湖集团\"暗伤\"曝露？</h1>"
                            "<div class=post_time_source>2019-09-07 13:43:45　来源: <a href=#>证券市场红周刊</a><a href=#>举报</a></div>"
                            "<div id=content><p>正文。</p></div>"
                            "<ul class=related><li><h3>大家都爱看</h3></li></ul>");
    CHECK(run_meta(html, NULL, NOW, &a));
    CHECK_STR(a.title, "多地项目连环爆雷 狂奔的龙湖集团\"暗伤\"曝露？");
    CHECK_STR(a.source, "证券市场红周刊");
    CHECK_STR(a.published, "2019-09-07T13:43:45");
    CHECK_STR(a.published_from, "text");
    meta_result_release(&a);

    /* <title> names only the site: the heading above the byline and the
     * article is the headline, not the sidebar's heading that matches the
     * site name */
    html = PAGE("<title>新闻动态--中国地理学会官网</title>",
                "<div class=title_la><h3>首页 - 新闻动态</h3></div>"
                "<div class=news_left><h5>2019年中国人文地理学术年会在重庆成功举行！</h5>"
                "<div class=ly><b>发布时间：2019-05-18</b> <i>来源：中国地理学会</i></div>"
                "<div id=content><p>5月10-12日，2019年中国人文地理学术年会在重庆举行。本次会议由专业委员会主办，"
                "多所大学承办，来自全国的专家学者参加了会议，围绕人文地理学的发展进行了深入的讨论和交流。</p></div></div>"
                "<div class=news_right><h4>联系我们</h4><h5>中国地理学会</h5><p>地址：北京市朝阳区</p></div>");
    run_meta(html, NULL, NOW, &a);
    CHECK_STR(a.title, "2019年中国人文地理学术年会在重庆成功举行！");
    CHECK_STR(a.published, "2019-05-18");
    CHECK_STR(a.source, "中国地理学会");
    meta_result_release(&a);

    /* no <title> at all: the line above the article */
    html = PAGE("", "<div><a href=/>首页</a> - <a href=/n>新闻</a></div><div>推荐 <a href=#>我要说说</a></div>"
                    "<div>广汽回应现代合资内幕 全面合作项目即将展开</div><div>2005-07-18 13:03:17</div>"
                    "<div id=content><p>1个月之后的6月21日，随着广汽和现代合资基础协议的签署，传闻再次袭来。</p></div>");
    run_meta(html, NULL, NOW, &a);
    CHECK_STR(a.title, "广汽回应现代合资内幕 全面合作项目即将展开");
    CHECK_STR(a.published, "2005-07-18T13:03:17");
    meta_result_release(&a);
}

TEST(meta_title_jsonld_and_og)
{
    struct meta_result a;
    const char *html = PAGE("<title>Site name</title>"
                            "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":["
                            "{\"@type\":\"WebSite\",\"url\":\"https://example.com/\"},"
                            "{\"@type\":\"NewsArticle\",\"headline\":\"Rain floods the old town\","
                            "\"datePublished\":\"2022-05-07T13:43:46-05:00\",\"author\":[{\"@type\":\"Person\",\"name\":\"Jane Doe\"},"
                            "{\"name\":\"Li Lei\"}],\"articleSection\":[\"Local\",\"Weather\"],\"inLanguage\":\"en-GB\","
                            "\"mainEntityOfPage\":{\"@id\":\"https://example.com/2022/05/07/rain\"}}]}</script>",
                            "<p>Nothing that looks like a headline here, only the text of the story and more of it.</p>");
    run_meta(html, NULL, NOW, &a);
    CHECK_STR(a.title, "Rain floods the old town");
    CHECK_STR(a.published, "2022-05-07T13:43:46-05:00");
    CHECK_STR(a.published_from, "jsonld");
    CHECK_STR(a.author, "Jane Doe, Li Lei");
    CHECK_STR(a.category, "Local");
    CHECK_STR(a.lang, "en");
    CHECK_STR(a.url, "https://example.com/2022/05/07/rain");
    meta_result_release(&a);

    html = PAGE("<title>Breaking: storm - Daily Planet</title><meta property=og:title content=\"Storm hits the coast\">"
                "<meta property=og:site_name content=\"Daily Planet\">",
                "<header><h1>Daily Planet</h1></header><p>The storm came at night and the town was ready for it.</p>");
    run_meta(html, NULL, NOW, &a);
    CHECK_STR(a.title, "Storm hits the coast");
    meta_result_release(&a);
}

/* ---- url and language ---- */

TEST(meta_url_and_lang)
{
    struct meta_result a;
    const char *head = "<link rel=canonical href=\"https://example.com/canon\">"
                       "<meta property=og:url content=\"https://example.com/og\">";
    char html[1024];
    snprintf(html, sizeof html, "<html lang=zh-CN><head>%s<title>t</title></head><body><p>中文</p></body></html>", head);
    run_meta(html, "https://given.example/x", NOW, &a);
    CHECK_STR(a.url, "https://given.example/x");
    CHECK_STR(a.lang, "zh");
    meta_result_release(&a);
    run_meta(html, NULL, NOW, &a);
    CHECK_STR(a.url, "https://example.com/canon");
    meta_result_release(&a);
    run_meta("<html><head><meta property=og:url content=\"https://example.com/og\"><link rel=canonical href=\"/rel\">"
             "</head><body></body></html>", NULL, NOW, &a);
    CHECK_STR(a.url, "https://example.com/og");
    CHECK(a.lang == NULL);
    meta_result_release(&a);

    /* declared English, written in Chinese: the script wins */
    run_meta("<html lang=en><head><title>阿里发布最强AI芯片</title></head><body><p>发布含光800芯片时，张建锋拿出一张"
             "对比图，性能比业界最好的芯片高出四倍，能效比是第二名的三倍多。这是一段足够长的中文文本。</p></body></html>",
             NULL, NOW, &a);
    CHECK_STR(a.lang, "zh");
    meta_result_release(&a);
    run_meta("<html><head><meta http-equiv=content-language content=\"de-DE\"></head><body><p>x</p></body></html>", NULL,
             NOW, &a);
    CHECK_STR(a.lang, "de");
    meta_result_release(&a);
    run_meta("<html><body><p>The council met on Tuesday and it voted for the plan that the mayor had put to it, "
             "and the people of the town were pleased with the result of the vote.</p></body></html>", NULL, NOW, &a);
    CHECK_STR(a.lang, "en");
    meta_result_release(&a);
    run_meta("<html><body><p>Der Rat hat am Dienstag über den Plan abgestimmt, und die Bürger der Stadt sind mit dem "
             "Ergebnis der Abstimmung nicht zufrieden, denn die Kosten sind hoch und die Zeit ist knapp.</p></body></html>",
             NULL, NOW, &a);
    CHECK_STR(a.lang, "de");
    meta_result_release(&a);
    run_meta("<html><body><p>東京都は来年度の予算案を発表しました。新しい計画では、子育て支援と防災対策に重点が"
             "置かれています。</p></body></html>", NULL, NOW, &a);
    CHECK_STR(a.lang, "ja");
    meta_result_release(&a);
}

/* ---- dates ---- */

TEST(meta_dates_sources)
{
    struct meta_result a;
    /* a meta tag beats everything on the page */
    run_meta(PAGE("<title>T</title><meta property=\"article:published_time\" content=\"2023-02-03T12:30:00+08:00\">",
                  "<h1>T</h1><p>2021-01-01</p>"), NULL, NOW, &a);
    CHECK_STR(a.published, "2023-02-03T12:30:00+08:00");
    CHECK_STR(a.published_from, "meta");
    meta_result_release(&a);
    run_meta(PAGE("<title>T</title><meta name=PubDate content=\"2022-02-11 09:52\">", "<h1>T</h1>"), NULL, NOW, &a);
    CHECK_STR(a.published, "2022-02-11T09:52:00");
    CHECK_STR(a.published_from, "meta");
    meta_result_release(&a);
    run_meta(PAGE("<title>T</title><meta name=firstpublishedtime content=\"2007-08-20-23:59:59\">", "<h1>T</h1>"), NULL,
             NOW, &a);
    CHECK_STR(a.published, "2007-08-20T23:59:59");
    meta_result_release(&a);
    /* <html data-publishtime> */
    run_meta("<html data-publishtime=\"2020-02-29 18:34:31\"><head><title>T</title></head><body><h1>T</h1></body></html>",
             NULL, NOW, &a);
    CHECK_STR(a.published, "2020-02-29T18:34:31");
    CHECK_STR(a.published_from, "meta");
    meta_result_release(&a);
    /* <time datetime> next to the headline */
    run_meta(PAGE("<title>Story</title>", "<article><h1>Story</h1><time datetime=\"2020-02-25T13:02:01+01:00\">25. "
                  "Februar</time><p>Text of the story.</p></article>"), NULL, NOW, &a);
    CHECK_STR(a.published, "2020-02-25T13:02:01+01:00");
    CHECK_STR(a.published_from, "time");
    meta_result_release(&a);
    /* a hidden input carries it */
    run_meta(PAGE("<title>T</title>", "<h1>T</h1><input type=hidden name=pubtime value=\"2022-02-13 04:22:18\">"), NULL,
             NOW, &a);
    CHECK_STR(a.published, "2022-02-13T04:22:18");
    meta_result_release(&a);
    /* only the URL knows */
    run_meta(PAGE("<title>T</title>", "<h1>T</h1><p>No date here.</p>"),
             "https://money.163.com/19/0907/13/EOFOC8MJ00258105.html", NOW, &a);
    CHECK_STR(a.published, "2019-09-07");
    CHECK_STR(a.published_from, "url");
    meta_result_release(&a);
    /* government CMS URL forms are named as such */
    run_meta(PAGE("<title>T</title>", "<h1>T</h1><p>No date here.</p>"),
             "http://www.example.gov.cn/art/2023/10/10/art_1234_567890.html", NOW, &a);
    CHECK_STR(a.published, "2023-10-10");
    CHECK_STR(a.published_from, "url_hanweb");
    meta_result_release(&a);
    /* the modification date is a last resort */
    run_meta(PAGE("<title>T</title><meta itemprop=dateUpdate content=\"2019-10-08 12:00:57\">",
                  "<h1>T</h1><div class=article-source><span class=date>发布时间：10-08</span></div>"), NULL, NOW, &a);
    CHECK_STR(a.published, "2019-10-08T12:00:57");
    meta_result_release(&a);
}

TEST(meta_dates_position_and_labels)
{
    struct meta_result a;
    /* the byline under the headline beats related lists, comments, the
     * copyright year and a date in the prose */
    const char *html = PAGE(
        "<title>工信部发布新规_科技频道</title>",
        "<div class=top>2023年10月10日 星期二</div>"
        "<h1>工信部发布新规</h1>"
        "<div class=info><span>来源：人民网</span> <span>作者：张三</span> <span>2023-03-05 10:20</span>"
        " <span>责任编辑：李四</span></div>"
        "<div id=content><p>2023年3月1日，工业和信息化部召开新闻发布会，介绍了新规的主要内容。会议指出，新规将于下月实施。</p>"
        "<p>第二段正文，继续介绍有关情况，内容较长，足以构成一段完整的文字。</p></div>"
        "<div class=related><h3>相关文章</h3><ul><li><a href=/1>另一篇文章</a> 2023-03-06</li>"
        "<li><a href=/2>第三篇文章</a> 2023-03-07</li></ul></div>"
        "<div class=comment><p>网友评论 2023-03-08 12:00</p></div>"
        "<div class=footer>Copyright © 2023 版权所有 2023-01-01</div>");
    run_meta(html, NULL, NOW, &a);
    CHECK_STR(a.title, "工信部发布新规");
    CHECK_STR(a.published, "2023-03-05T10:20:00");
    CHECK_STR(a.published_from, "text");
    CHECK_STR(a.author, "张三");
    CHECK_STR(a.source, "人民网");
    meta_result_release(&a);

    /* a labelled date after the body beats an event date in the prose */
    html = PAGE("<title>顺德区调研工作 东区办事处_中山网</title>",
                "<span class=Title><b>顺德区调研工作</b></span>"
                "<div id=content><p>2019年2月27日下午，佛山顺德区一行八人到众创金融街进行实地考察调研，市金融局副局长陪同。</p></div>"
                "<div>发布日期：2019-03-06 责任编辑：龙慧</div>");
    run_meta(html, NULL, NOW, &a);
    CHECK_STR(a.published, "2019-03-06");
    CHECK(a.author == NULL); /* 责任编辑 is the editor */
    meta_result_release(&a);

    /* "最后更新" loses to the publication time */
    html = PAGE("<title>Headline here</title>",
                "<h1>Headline here</h1><div class=time><span>2019-09-07 15:10:53</span></div>"
                "<div><span>最后更新: 2019-09-07 15:14:21</span></div><div id=content><p>Text.</p></div>");
    run_meta(html, NULL, NOW, &a);
    CHECK_STR(a.published, "2019-09-07T15:10:53");
    meta_result_release(&a);

    /* future event dates in the text are not publication dates */
    html = PAGE("<title>会议通知</title>", "<h1>会议通知</h1><p>会议定于2024-05-01召开。</p><p>2023-09-01</p>");
    run_meta(html, NULL, NOW, &a);
    CHECK_STR(a.published, "2023-09-01");
    meta_result_release(&a);
}

TEST(meta_dates_relative)
{
    struct meta_result a;
    static const struct {
        const char *byline, *expect;
    } cases[] = {
        { "刚刚", "2023-10-10T12:00:00" },          { "5分钟前", "2023-10-10T11:55:00" },
        { "3小时前", "2023-10-10T09:00:00" },       { "昨天 18:30", "2023-10-09T18:30:00" },
        { "前天", "2023-10-08" },                   { "3天前", "2023-10-07" },
        { "admin 9个月前 (09-30)", "2023-09-30" }, { "2 hours ago", "2023-10-10T02:00:00" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char html[1024];
        snprintf(html, sizeof html,
                 PAGE("<title>标题在这里</title>", "<h1>标题在这里</h1><div class=meta>%s</div>"
                                                  "<div id=content><p>正文内容，昨天下午，记者来到现场。</p></div>"),
                 cases[i].byline);
        run_meta(html, NULL, NOW, &a);
        CHECK_STR(a.published, cases[i].expect);
        CHECK_STR(a.published_from, "relative");
        meta_result_release(&a);
    }
    /* "昨天" in the prose is no byline */
    run_meta(PAGE("<title>标题</title>", "<h1>标题</h1><div id=content><p>昨天下午，记者来到现场，看到工人们正在紧张"
                                         "地施工，现场一片繁忙的景象，大家都在为按时完工而努力。</p></div>"),
             NULL, NOW, &a);
    CHECK(a.published == NULL);
    meta_result_release(&a);
}

/* ---- names ---- */

TEST(meta_author_source_category)
{
    struct meta_result a;
    const char *html = PAGE(
        "<title>Chapter - Blog</title><meta name=author content=\"Blog\">",
        "<h1>Chapter</h1><p class=byline>By Jane Doe | May 31, 2012</p><div id=content><p>Text.</p></div>");
    run_meta(html, NULL, NOW, &a);
    CHECK_STR(a.author, "Jane Doe");
    CHECK_STR(a.published, "2012-05-31");
    meta_result_release(&a);

    /* the site's name in meta author is not the author */
    html = PAGE("<title>标题_网易新闻</title><meta name=author content=\"网易\">", "<h1>标题</h1>");
    run_meta(html, NULL, NOW, &a);
    CHECK(a.author == NULL);
    meta_result_release(&a);
    html = PAGE("<title>标题_网易新闻</title><meta name=author content=\"王小明\">", "<h1>标题</h1>");
    run_meta(html, NULL, NOW, &a);
    CHECK_STR(a.author, "王小明");
    meta_result_release(&a);

    /* breadcrumb: the item before the article; article:section first */
    html = PAGE("<title>标题</title>", "<div class=weizhi>您的位置：<a href=/>网站首页</a> &gt;&gt; <a href=/n>新闻中心</a>"
                                       " &gt;&gt; <a href=/n/g>公司新闻</a> &gt;&gt; 正文</div><h1>标题</h1>");
    run_meta(html, NULL, NOW, &a);
    CHECK_STR(a.category, "公司新闻");
    meta_result_release(&a);
    html = PAGE("<title>标题</title><meta property=article:section content=\"国际\">",
                "<div>当前位置：首页 > 新闻 > 标题</div><h1>标题</h1>");
    run_meta(html, NULL, NOW, &a);
    CHECK_STR(a.category, "国际");
    meta_result_release(&a);
    html = PAGE("<title>标题</title>", "<div>当前位置：首页 > 新闻 > 标题</div><h1>标题</h1>");
    run_meta(html, NULL, NOW, &a);
    CHECK_STR(a.category, "新闻");
    meta_result_release(&a);

    /* 文/ and 记者 bylines, names cut at the markup and at labels */
    html = PAGE("<title>新闻标题</title>", "<h1>新闻标题</h1><p>文/李华 图/王强</p><div id=content><p>正文。</p></div>");
    run_meta(html, NULL, NOW, &a);
    CHECK_STR(a.author, "李华");
    meta_result_release(&a);
    html = PAGE("<title>新闻标题</title>", "<h1>新闻标题</h1><div>本报记者 刘国栋 周炜 2003-7-24</div>");
    run_meta(html, NULL, NOW, &a);
    CHECK_STR(a.author, "刘国栋 周炜");
    CHECK_STR(a.published, "2003-07-24");
    meta_result_release(&a);
}

/* The seed page's image (tests/data/seed-article.html, GBK, Z-Blog): title,
 * relative date, author, category through the whole extractor. */
TEST(meta_seed_page)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/seed-article.html", test_srcdir());
    size_t n = 0;
    char *html = test_read_file(path, &n);
    CHECK(html != NULL);
    if (!html)
        return;
    struct article_opts o;
    memset(&o, 0, sizeof o);
    o.now = 1718416800; /* 2024-06-15T10:00:00+08:00 */
    struct article a;
    article_init(&a);
    struct buf err = BUF_INIT;
    CHECK_EQ(article_extract(html, n, &o, &a, &err), 0);
    CHECK_STR(a.title, "济南各区县抢跑“春天里”:党政一把手率队外出高质量项目密集签约");
    CHECK_STR(a.published, "2023-09-30");
    CHECK_STR(a.published_from, "relative");
    CHECK_STR(a.author, "admin");
    CHECK_STR(a.category, "天津产业信息");
    CHECK_STR(a.lang, "zh");
    /* fetched on 2023-10-05, "9个月前 (09-30)" is that year's 09-30 */
    article_release(&a);
    article_init(&a);
    o.now = 1696471200; /* 2023-10-05T10:00:00+08:00 */
    CHECK_EQ(article_extract(html, n, &o, &a, &err), 0);
    CHECK_STR(a.published, "2023-09-30");
    article_release(&a);
    article_init(&a);
    o.now = 1696039200; /* 2023-09-30T10:00:00+08:00: never a future date */
    CHECK_EQ(article_extract(html, n, &o, &a, &err), 0);
    CHECK_STR(a.published, "2023-09-30");
    article_release(&a);
    buf_release(&err);
    free(html);
}

/* ---- robustness ---- */

TEST(meta_bad_input)
{
    struct meta_result a;
    static const char *const pages[] = {
        "", "<html></html>", "<title></title>", "<title>   </title><h1> </h1>", "\x01\x02garbage\xff",
        "<meta name=author content=\"\"><meta property=article:published_time content=\"not a date\">",
        "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":</script>",
        "<script type=\"application/ld+json\">[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{\"datePublished\":1}]]]]]]]]]]]]]]]]]]]]]]]]]]]]]</script>",
        "<script type=\"application/ld+json\">{\"@type\":[\"NewsArticle\",5],\"author\":[1,{\"name\":2},\"x\"],"
        "\"articleSection\":[],\"datePublished\":\"2020-13-45\"}</script>",
        "<div class=breadcrumb>&gt;&gt;&gt;&gt;</div><div>当前位置：</div><p>来源：</p><p>作者：</p><p>文/</p>",
        "<time datetime=\"\"></time><time>yesterday</time><input name=pubtime>",
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        run_meta(pages[i], NULL, NOW, &a);
        meta_result_release(&a);
    }
    /* a 100 KB title and a very long byline line */
    struct buf b = BUF_INIT;
    buf_adds(&b, "<title>");
    for (int i = 0; i < 20000; i++)
        buf_adds(&b, "标题");
    buf_adds(&b, "</title><body><h1>");
    for (int i = 0; i < 20000; i++)
        buf_adds(&b, "x ");
    buf_adds(&b, "</h1><p>");
    for (int i = 0; i < 20000; i++)
        buf_adds(&b, "来源：2023-01-01 ");
    buf_adds(&b, "</p>");
    run_meta(buf_str(&b), NULL, NOW, &a);
    CHECK(a.title != NULL);
    meta_result_release(&a);
    buf_release(&b);
    /* deep nesting below the headline */
    buf_init(&b, 0);
    buf_adds(&b, "<title>Deep</title><h1>Deep</h1>");
    for (int i = 0; i < 5000; i++)
        buf_adds(&b, "<div><span>");
    buf_adds(&b, "2023-01-02 作者：某人");
    run_meta(buf_str(&b), NULL, NOW, &a);
    CHECK_STR(a.title, "Deep");
    CHECK_STR(a.published, "2023-01-02");
    meta_result_release(&a);
    buf_release(&b);
    /* NULL arguments */
    struct dom_node *tn = (struct dom_node *)&b; /* anything but NULL */
    CHECK_EQ(meta_title(NULL, NULL, NULL, &tn), NA_EINVAL);
    CHECK(tn == NULL);
    CHECK_EQ(meta_fields(NULL, NULL, NULL, NULL, NULL), NA_EINVAL);
}

TEST(meta_jsonld_direct)
{
    struct jsonld_info ld;
    const char *bodies[] = {
        "{\"@type\":\"WebPage\",\"url\":\"https://x/\"}",
        "{\"@type\":\"http://schema.org/BlogPosting\",\"name\":\"Post name\",\"dateCreated\":\"2020-01-01\","
        "\"author\":\"Ann\",\n\"description\":\"line\nbreak\"}",
        NULL,
    };
    CHECK_EQ(jsonld_read(NULL, bodies, 3, &ld), 0);
    CHECK_STR(str(ld.headline), "Post name");
    CHECK_STR(str(ld.date_created), "2020-01-01");
    CHECK_STR(str(ld.author), "Ann");
    CHECK(ld.url == NULL); /* a WebPage without article facts gives nothing */
    jsonld_release(&ld);
    CHECK_EQ(jsonld_read(NULL, NULL, 0, &ld), 0);
    CHECK(ld.headline == NULL);
    jsonld_release(&ld);
}

/* ---- threads ---- */

struct thr {
    const char *html;
    char out[512];
};

static void *thr_run(void *p)
{
    struct thr *t = p;
    for (int i = 0; i < 20; i++) {
        struct meta_result a;
        run_meta(t->html, NULL, NOW, &a);
        snprintf(t->out, sizeof t->out, "%s|%s|%s|%s|%s|%s", str(a.title), str(a.published), str(a.published_from),
                 str(a.author), str(a.category), str(a.lang));
        meta_result_release(&a);
    }
    return NULL;
}

TEST(meta_threads)
{
    const char *html = PAGE("<title>多线程测试标题 - 网站</title>",
                            "<div class=crumb>当前位置：首页 &gt; 测试栏目 &gt; 正文</div><h1>多线程测试标题</h1>"
                            "<div class=meta>作者：测试 9个月前 (09-30)</div><div id=content><p>正文。</p></div>");
    struct thr t[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        t[i].html = html;
        t[i].out[0] = 0;
        CHECK_EQ(pthread_create(&th[i], NULL, thr_run, &t[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++)
        CHECK_STR(t[i].out, "多线程测试标题|2023-09-30|relative|测试|测试栏目|zh");
}

TEST(meta_script_dates)
{
    /* WeChat shows only 昨天 but states the time in a script; Unix times on
     * Chinese pages are shown at +08:00; JSON-LD still wins over scripts. */
    const char html[] = PAGE("<title>微信文章</title>",
                             "<h1>微信文章</h1><em id=publish_time>昨天</em>"
                             "<div id=content><p>正文第一段，内容很多，说明情况。这是正文。</p></div>");
    struct dom *d = NULL;
    struct buf err = BUF_INIT;
    struct meta_result a;
    meta_result_init(&a);
    CHECK_EQ(dom_parse(html, strlen(html), NULL, &d, &err), 0);
    struct meta_opts mo = { NULL, NOW, NULL, NULL };
    struct dom_node *t = NULL;
    CHECK_EQ(meta_title(d, NULL, &a, &t), 0);
    const char *snips[] = { "ct=1581517074" };
    CHECK_EQ(meta_fields_scripts(d, &mo, t, d->body, snips, 1, &a), 0);
    CHECK_STR(str(a.published), "2020-02-12T22:17:54+08:00");
    CHECK_STR(str(a.published_from), "meta");
    meta_result_release(&a);
    dom_free(d);
    d = NULL;

    /* the same through dom.c's pre-pass (d->script_dates) */
    const char html3[] = PAGE("<title>微信文章</title><script>var n = 1;\n    var ct = \"1581517074\";</script>",
                              "<h1>微信文章</h1><em id=publish_time>昨天</em>"
                              "<div id=content><p>正文第一段，内容很多，说明情况。这是正文。</p></div>");
    run_meta(html3, NULL, NOW, &a);
    CHECK_STR(str(a.published), "2020-02-12T22:17:54+08:00");
    CHECK_STR(str(a.published_from), "meta");
    meta_result_release(&a);

    const char html2[] = PAGE("<script type=application/ld+json>{\"@type\":\"NewsArticle\","
                              "\"datePublished\":\"2021-03-04T05:06:07Z\"}</script>",
                              "<h1>Headline</h1><div id=content><p>Body text, long enough.</p></div>");
    meta_result_init(&a);
    CHECK_EQ(dom_parse(html2, strlen(html2), NULL, &d, &err), 0);
    CHECK_EQ(meta_title(d, NULL, &a, &t), 0);
    const char *snips2[] = { "publish_time=2019-01-01 10:00", "bogus", NULL };
    CHECK_EQ(meta_fields_scripts(d, &mo, t, d->body, snips2, 3, &a), 0);
    CHECK(a.published && strncmp(a.published, "2021-03-04", 10) == 0);
    CHECK_STR(str(a.published_from), "jsonld");
    meta_result_release(&a);
    dom_free(d);
    buf_release(&err);
}

TEST(meta_explain_channel)
{
    /* The decisions go to meta_opts.explain when it is given, and nowhere
     * when it is NULL (once the switch was "the article's explain buffer
     * already holds text"); the result is the same. */
    const char html[] = PAGE("<title>标题测试 - 网站</title>",
                             "<h1>标题测试</h1><div class=meta>作者：某人 2023-01-02</div>"
                             "<div id=content><p>正文第一段，内容很多，说明情况。这是正文。</p></div>");
    struct dom *d = NULL;
    struct buf err = BUF_INIT, ex = BUF_INIT;
    struct meta_result a;
    meta_result_init(&a);
    CHECK_EQ(dom_parse(html, strlen(html), NULL, &d, &err), 0);
    if (!d)
        return;
    struct meta_opts mo = { NULL, NOW, NULL, &ex };
    struct dom_node *t = NULL;
    CHECK_EQ(meta_title(d, &mo, &a, &t), 0);
    CHECK_EQ(meta_fields(d, &mo, t, d->body, &a), 0);
    CHECK_CONTAINS(buf_str(&ex), "title \"标题测试\"");
    CHECK_CONTAINS(buf_str(&ex), "date 2023-01-02");
    CHECK_STR(a.published, "2023-01-02");
    meta_result_release(&a);

    mo.explain = NULL;
    CHECK_EQ(meta_title(d, &mo, &a, &t), 0);
    CHECK_EQ(meta_fields(d, &mo, t, d->body, &a), 0);
    CHECK_STR(a.title, "标题测试");
    CHECK_STR(a.published, "2023-01-02");
    meta_result_release(&a);
    dom_free(d);
    buf_release(&ex);
    buf_release(&err);
}
