/* test_title2.c — titles that name no article (issue 16, "Chinese titles
 * stay at 1.00"): pages written in the shapes found on zh-cwce, where the
 * <title> is a greeting banner, a UI word, a site's path, the site's name
 * that also heads a breadcrumb, or missing, and the headline stands in the
 * body above the article or as its first line. Real titles that look alike
 * stay. */
#include "tests/check.h"
#include "parser/article.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

/* 2024-01-01 00:00 +08:00 */
#define NOW ((time_t)1704038400)

static const char *title_of(const char *html, struct article *a)
{
    struct article_opts o;
    memset(&o, 0, sizeof o);
    o.now = NOW;
    struct buf err = BUF_INIT;
    article_init(a);
    int rc = article_extract(html, strlen(html), &o, a, &err);
    if (rc)
        fprintf(stderr, "article_extract: %s\n", buf_str(&err));
    buf_release(&err);
    return rc ? "(error)" : a->title ? a->title : "(null)";
}

#define PAGE(head, body) "<!DOCTYPE html><html><head><meta charset=utf-8>" head "</head><body>" body "</body></html>"

#define NAV                                                                                                 \
    "<table><tr><td><a href=/>首页</a>|<a href=/news/>艺术快讯</a>|<a href=/edu/>艺术教育</a>|"              \
    "<a href=/club/>网友俱乐部</a>|<a href=/art/>艺术家</a></td></tr></table>"

#define PROSE                                                                                               \
    "<p>今年以来，全省工业经济持续向好，重点产业链供应链稳定运行，规模以上工业增加值同比增长百分之八点五，"      \
    "高于全国平均水平，制造业投资保持较快增长，新动能加快成长。</p>"                                          \
    "<p>省工业和信息化厅有关负责人介绍，下一步将围绕绿色低碳发展，推进工业企业绿色化、智能化改造，"          \
    "建立高效、清洁、低碳、循环的绿色制造体系，推动工业高质量发展。</p>"                                      \
    "<p>据介绍，此次入选国家绿色制造名单的产品涵盖建材、食品、化工等多个行业，园区在能源利用、"              \
    "资源循环等方面表现突出，为全省绿色转型树立了标杆，也为其他地区推进产业绿色发展提供了可复制、"       \
    "可推广的经验，下一步还将组织开展绿色制造示范创建，培育一批绿色工厂和绿色供应链管理企业。</p>"

TEST(title2_greeting_banner_gives_way)
{
    struct article a;
    /* the headline in a centred bold cell above the byline and the article */
    CHECK_STR(title_of(PAGE("<title>谢谢您访问〖关注中国中心〗</title>",
                            NAV "<table><tr><td align=center><b><font size=3 color=blue>孙丰：巴黎举行座谈会"
                                "</font></b></td></tr><tr><td><font>作者：孙丰 来源：本站 发布日期：9/17/2004 "
                                "5:54:13 AM</font></td></tr><tr><td><font size=3>" PROSE "</font></td></tr></table>"),
                       &a),
              "孙丰：巴黎举行座谈会");
    article_release(&a);
    /* the headline as the article's first line */
    CHECK_STR(title_of(PAGE("<title>欢迎光临绿色制造网</title>",
                            "<p align=center><font color=darkblue><strong>绿色制造名单公布</strong></font></p>"
                            "<hr>" PROSE),
                       &a),
              "绿色制造名单公布");
    article_release(&a);
}

TEST(title2_ui_word_gives_way)
{
    struct article a;
    CHECK_STR(title_of(PAGE("<title>显示</title>", "<p align=center><font color=darkblue><strong>犬儒病(上)"
                                                   "</strong></font></p><hr size=1>" PROSE),
                       &a),
              "犬儒病(上)");
    article_release(&a);
    /* a title without a word: "1" */
    CHECK_STR(title_of(PAGE("<title>1</title>", "<p align=center><strong>诱惑，婚姻的疫苗接种</strong></p>" PROSE), &a),
              "诱惑，婚姻的疫苗接种");
    article_release(&a);
}

TEST(title2_site_path_gives_way)
{
    struct article a;
    CHECK_STR(title_of(PAGE("<title>世艺网&gt;艺术教育</title>",
                            NAV "<table><tr><td><p align=center><b>中国艺术研究院博士生招生简章</b></p>" PROSE
                                "</td></tr></table>"),
                       &a),
              "中国艺术研究院博士生招生简章");
    article_release(&a);
    /* the same path the other way round: channel < site */
    CHECK_STR(title_of(PAGE("<title>艺术史研究&lt;世纪在线中国艺术网</title>",
                            NAV "<table><tr><td><p align=center><b>中国艺术研究院博士生招生简章</b></p>" PROSE
                                "</td></tr></table>"),
                       &a),
              "中国艺术研究院博士生招生简章");
    article_release(&a);
    /* a headline with an arrow in it is no path */
    CHECK_STR(title_of(PAGE("<title>从A>B：绿色制造名单公布_云南日报网</title>", "<h1>从A>B：绿色制造名单公布</h1>" PROSE), &a),
              "从A>B：绿色制造名单公布");
    article_release(&a);
}

TEST(title2_breadcrumb_site_name_gives_way)
{
    struct article a;
    /* <title> is the channel's name, which also heads the breadcrumb */
    CHECK_STR(title_of(PAGE("<title>网易娱乐</title>",
                            "<table><tr><td><a href=http://bbs.example.com/ent/main.php>网易娱乐</a> &gt; 电影版区 "
                            "&gt; <a href=forum.php?id=3>影评</a></td></tr></table>"
                            "<table><tr><td><b>《清洁》：东方式内敛与摇滚现实</b><br>" PROSE "</td></tr></table>"),
                       &a),
              "《清洁》：东方式内敛与摇滚现实");
    article_release(&a);
}

TEST(title2_no_title_takes_first_line)
{
    struct article a;
    /* no <title>; the headline under the breadcrumb, in the container */
    CHECK_STR(title_of("<html><head><meta charset=utf-8></head><body>" NAV
                       "<table><tr><td><font>当前位置：<a href=/>首页</a>-&gt;<a href=/tech/>军事技术</a></font>"
                       "<p align=center><b>飞行物理学常识</b></p>" PROSE "</td></tr></table></body></html>",
                       &a),
              "飞行物理学常识");
    article_release(&a);
}

TEST(title2_forum_subject_line)
{
    struct article a;
    /* the forum's name in <title>, the post's subject labelled in the text */
    CHECK_STR(title_of(PAGE("<title>CCTV.com- 央视论坛 :: null</title>",
                            NAV "<table><tr><td><font size=3>央视论坛</font></td></tr></table>"
                                "<div><p>主题：导游为什么热衷于让你去购物？</p>" PROSE "</div>"),
                       &a),
              "导游为什么热衷于让你去购物？");
    article_release(&a);
    /* the label in <title> itself is no part of the headline */
    CHECK_STR(title_of(PAGE("<title>主题: 【太行山上】 【DVD】</title>", PROSE), &a), "【太行山上】 【DVD】");
    article_release(&a);
}

TEST(title2_icon_glyph_dropped)
{
    struct article a;
    /* an icon font's private-use glyph after the headline */
    CHECK_STR(title_of(PAGE("<title>投身外交(3)_读书频道</title>", "<h1>投身外交(3)\xee\x80\x84</h1>" PROSE), &a),
              "投身外交(3)");
    article_release(&a);
}

TEST(title2_real_titles_stay)
{
    struct article a;
    /* a headline that starts like a UI word, and a short one */
    CHECK_STR(title_of(PAGE("<title>显示器选购指南_数码频道</title>", "<h1>显示器选购指南</h1>" PROSE), &a),
              "显示器选购指南");
    article_release(&a);
    /* a Cyrillic headline is words, even without a Latin letter; a link
     * followed by a closing guillemet is no breadcrumb */
    CHECK_STR(title_of(PAGE("<title>Подольски завершил карьеру</title>",
                            "<h1><a href=/news/1.html>Подольски завершил карьеру</a></h1> » Германия" PROSE),
                       &a),
              "Подольски завершил карьеру");
    article_release(&a);
    /* a placeholder title stays when the article starts with prose */
    CHECK_STR(title_of(PAGE("<title>显示</title>", PROSE), &a), "显示");
    article_release(&a);
}
