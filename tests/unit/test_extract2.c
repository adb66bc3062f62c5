/* test_extract2.c — extraction on pages from sites never tuned on (issue
 * 16, classes 2-8), each case a page written in the shape of one failure
 * class: Chinese bylines — reporter, intern, correspondent and 文/图 credits,
 * several names and credit lines, a dateline before the bracket, posting
 * credits of blogs and forums, a blog's owner, a label and its name in two
 * cells, 来源 naming a person, the compiling editor as a last resort — and
 * vendor credits, account buttons and UI words that are no author; dates from
 * the page's own day, other calendars' month names, scripts and CMS URLs,
 * articles hidden until a script runs, consent banners, a brief beside a
 * feed, link lists that are the article, English related boxes. */
#include "tests/check.h"
#include "parser/article.h"
#include "parser/byline.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

/* 2024-01-01 00:00 +08:00 */
#define NOW ((time_t)1704038400)

static int run(const char *html, const char *url, struct article *a)
{
    struct article_opts o;
    memset(&o, 0, sizeof o);
    o.now = NOW;
    o.url = url;
    struct buf err = BUF_INIT;
    article_init(a);
    int rc = article_extract(html, strlen(html), &o, a, &err);
    if (rc)
        fprintf(stderr, "article_extract: %s\n", buf_str(&err));
    buf_release(&err);
    return rc;
}

static const char *str(const char *s) { return s ? s : "(null)"; }

#define PAGE(head, body) "<!DOCTYPE html><html><head><meta charset=utf-8>" head "</head><body>" body "</body></html>"

/* Three paragraphs of prose, long enough to be the article. */
#define PROSE                                                                                          \
    "<p>今年以来，全省工业经济持续向好，重点产业链供应链稳定运行，规模以上工业增加值同比增长百分之八点五，"      \
    "高于全国平均水平，制造业投资保持较快增长，新动能加快成长。</p>"                                          \
    "<p>省工业和信息化厅有关负责人介绍，下一步将围绕绿色低碳发展，推进工业企业绿色化、智能化改造，"          \
    "建立高效、清洁、低碳、循环的绿色制造体系，推动工业高质量发展。</p>"                                      \
    "<p>据介绍，此次入选国家绿色制造名单的产品涵盖建材、食品、化工等多个行业，园区在能源利用、"              \
    "资源循环等方面表现突出，为全省绿色转型树立了标杆，也为其他地区推进产业绿色发展提供了可复制、"       \
    "可推广的经验，下一步还将组织开展绿色制造示范创建，培育一批绿色工厂和绿色供应链管理企业。"

/* ---- class 6: authors ---- */

static const char *byline(const char *line)
{
    static char out[256];
    struct buf b = BUF_INIT;
    size_t at = 0;
    int bare = 0;
    int k = byline_cn(line, strlen(line), 30, &b, &at, &bare);
    snprintf(out, sizeof out, "%s", k > 0 ? buf_str(&b) : "");
    buf_release(&b);
    return out;
}

TEST(extract2_byline_forms)
{
    CHECK_STR(byline("云南日报网讯 工业高质量发展。（记者 胡晓蓉）"), "胡晓蓉");
    CHECK_STR(byline("过一个平安、祥和的新春佳节。（常书香 马丹阳 ）"), "常书香 马丹阳");
    CHECK_STR(byline("“所有的改革难道不都是利益再分配的过程吗？”（姚峰 上海报道）"), "姚峰");
    CHECK_STR(byline("本报记者罗科苏盈发自北京"), "罗科苏盈");
    CHECK_STR(byline("顶端新闻·河南商报记者马俊峰/文"), "马俊峰");
    CHECK_STR(byline("新京报记者 彭冲 山东冠县报道"), "彭冲");
    CHECK_STR(byline("新华网黑龙江频道  记者  伊琳  李清芬"), "伊琳 李清芬");
    CHECK_STR(byline("（记者 张三、李四 通讯员 王五）"), "张三 李四");
    /* not credits: prose, places, photographers, list items, notes */
    CHECK_STR(byline("记者了解到，该项目已经开工"), "");
    CHECK_STR(byline("记者来到现场"), "");
    CHECK_STR(byline("会议在北京召开。（上海报道）"), "");
    CHECK_STR(byline("▲广州日报全媒体图片记者黎旭阳、李妍摄"), "");
    CHECK_STR(byline("歌曲: 第一次爱的人(王心凌)"), "");
    CHECK_STR(byline("这些事惟有属灵的人才能看透。（林前2:14）"), "");
    CHECK_STR(byline("出生日期 1975年1月28日（农历1974年腊月十七）"), "");
    CHECK_STR(byline("全文完。（完）"), "");
    CHECK_STR(byline("本报讯 （实习记者 樊亮 张明超 记者惠禾）13岁，正是花季的年龄"), "樊亮 张明超");
}

TEST(extract2_author_name_under_title)
{
    struct article a;
    /* a forum post: the headline, the authors alone on the next line */
    const char *html = PAGE("<title>社会资本与再就业 - 社会学论坛</title>",
                            "<div class=nav><a href=/>论坛首页</a></div><div class=post><b>社会资本与再就业</b>"
                            "<div>赵延东、风笑天</div><div class=msg>" PROSE "</p></div></div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK_STR(str(a.title), "社会资本与再就业");
    CHECK_STR(str(a.author), "赵延东 风笑天");
    article_release(&a);

    /* a subtitle under the headline is nobody */
    html = PAGE("<title>社会资本与再就业 - 社会学论坛</title>",
                "<div class=post><b>社会资本与再就业</b><div>下岗职工</div><div class=msg>" PROSE "</p></div></div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK_STR(str(a.author), "(null)");
    article_release(&a);
}

TEST(extract2_author_credit_closing_article)
{
    struct article a;
    /* the credit closes a long article; an editor and the outlet stand
     * apart (来源 is the source, not the author) */
    const char *html = PAGE("<title>17种产品入选国家绿色制造名单_云南日报网</title>",
                            "<h1>17种产品入选国家绿色制造名单</h1><div class=info>来源：云南日报 2022-02-14</div>"
                            "<div class=content>" PROSE "（记者 胡晓蓉）</p></div>"
                            "<div class=edit>责任编辑：孙重远</div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK_STR(str(a.author), "胡晓蓉");
    CHECK_STR(str(a.source), "云南日报");
    article_release(&a);

    /* a bare bracket of names on a line of its own closing the article */
    html = PAGE("<title>绿色制造</title>", "<h1>绿色制造名单公布</h1><div class=content>" PROSE
                                            "</p><p>（常书香 马丹阳）</p></div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK_STR(str(a.author), "常书香 马丹阳");
    article_release(&a);

    /* the same bracket in a list of links beside the article is nobody */
    html = PAGE("<title>绿色制造</title>", "<h1>绿色制造名单公布</h1><div class=content>" PROSE
                                            "</p></div><ul class=side><li><a href=/a>歌曲(王心凌)</a></li>"
                                            "<li>(房产)</li></ul>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK_STR(str(a.author), "(null)");
    article_release(&a);
}

TEST(extract2_author_not_vendor_nor_markup)
{
    struct article a;
    /* meta author names the CMS vendor credited in the footer */
    const char *html = PAGE("<title>新外科运动</title><meta name=Generator content=\"大汉版通\">"
                            "<meta name=Author content=\"大汉网络\">",
                            "<h1>新外科运动向我们走来</h1><div class=content>" PROSE "</p></div>"
                            "<div class=foot>北京大学医学部新闻中心 Produced By 大汉网络 大汉版通发布系统</div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK_STR(str(a.author), "(null)");
    article_release(&a);

    /* nor a meta author that names the generator's makers */
    html = PAGE("<title>论坛</title><meta name=generator content=\"Discuz! X3.4\">"
                "<meta name=author content=\"Discuz! Team and Comsenz UI Team\">",
                "<h1>新外科运动向我们走来</h1><div class=content>" PROSE "</p></div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK_STR(str(a.author), "(null)");
    article_release(&a);

    /* the site owner's name before "Powered by" is still the author */
    html = PAGE("<title>A post</title><meta name=author content=\"Florian Posdziech\">",
                "<h1>A post about things</h1><div class=content><p>Some text of the post that runs on for a "
                "while, long enough to be a paragraph of an article about things.</p></div>"
                "<footer>Contents © 2017 Florian Posdziech - Powered by Nikola</footer>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK_STR(str(a.author), "Florian Posdziech");
    article_release(&a);

    /* markup shown as text after the label is no name */
    html = PAGE("<title>我是怎样卷入八九民运的</title>",
                "<h1>我是怎样卷入八九民运的</h1><div>作者：      size=\"20\"       发布日期：7/5/2005</div>"
                "<div class=content>" PROSE "</p></div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK_STR(str(a.author), "(null)");
    CHECK_STR(str(a.source), "(null)");
    article_release(&a);
}

/* The article's page with one more line under it (a credit or a date line). */
static const char *author_with(const char *line)
{
    static char html[4096], out[128];
    snprintf(html, sizeof html,
             PAGE("<title>绿色制造名单公布</title>", "<h1>绿色制造名单公布</h1><div class=content>" PROSE
                                                      "</p><p>%s</p></div>"),
             line);
    struct article a;
    CHECK_EQ(run(html, NULL, &a), 0);
    snprintf(out, sizeof out, "%s", str(a.author));
    article_release(&a);
    return out;
}

TEST(extract2_author_labels_and_date_lines)
{
    CHECK_STR(author_with("文：眉间尺"), "眉间尺");
    CHECK_STR(author_with("作者： 周思博 (Joel Spolsky)"), "周思博 (Joel Spolsky)");
    CHECK_STR(author_with("执笔人：闵乐夫 赵兰波 刘韬"), "闵乐夫 赵兰波 刘韬");
    CHECK_STR(author_with("本贴由<b>大卫</b>于2005年8月12日16:12:21在〖<a href=/b>心灵体操</a>〗发表."), "大卫");
    CHECK_STR(author_with("〓 网易娱乐 发布时间 2005/05/17 22:11:42 by <a href=/u>眉间尺</a> 〓"), "眉间尺");
    CHECK_STR(author_with("2004年7月16日08:19 [ 黄宇 ]\xee\x97\x82  来源：[ <a href=/p>国际金融报</a> ]"), "黄宇");
    /* an editor of a wiki page, a site's builder: nobody's byline */
    CHECK_STR(author_with("(last edited 2019-11-10 13:28:18 by MatsWichmann)"), "(null)");
    CHECK_STR(author_with("2019-11-10 Produced By 大汉网络"), "(null)");
    /* an event in the prose, not a credit: "正文：" is no 文： label */
    CHECK_STR(author_with("正文：见附件"), "(null)");
}

/* The article's page with `head` between the headline and the text and
 * `tail` after it, at `reps` times the prose (a long article puts the tail
 * far from the headline). */
static const char *author_around(const char *head, int reps, const char *tail)
{
    static char html[16384], out[128];
    int w = snprintf(html, sizeof html, "%s", PAGE("<title>绿色制造名单公布</title>", "<h1>绿色制造名单公布</h1>"));
    w -= (int)strlen("</body></html>");
    w += snprintf(html + w, sizeof html - (size_t)w, "%s<div class=content>", head);
    for (int i = 0; i < reps; i++)
        w += snprintf(html + w, sizeof html - (size_t)w, "%s</p>", PROSE);
    snprintf(html + w, sizeof html - (size_t)w, "%s</div></body></html>", tail);
    struct article a;
    CHECK_EQ(run(html, NULL, &a), 0);
    snprintf(out, sizeof out, "%s", str(a.author));
    article_release(&a);
    return out;
}

TEST(extract2_author_editor_when_no_writer)
{
    /* a portal names only the compiling editor (编辑：), after the source:
     * the editor stands in for the writer, even after a long article, and
     * without the portal's staff code */
    CHECK_STR(author_around("", 12, "<p>来源：新闻晨报　编辑：山石</p>"), "山石");
    CHECK_STR(author_around("", 2, "<div>来源：证券市场红周刊 编辑：杨倩_NF</div>"), "杨倩");
    /* the responsible editor (责任编辑) did not write it */
    CHECK_STR(author_around("", 1, "<p align=right>（ 责任编辑：魏喆 ） </p>"), "(null)");
    /* a reporter's credit wins over the editor */
    CHECK_STR(author_around("", 2, "<p>（记者 胡晓蓉）</p><div>编辑：孙重远</div>"), "胡晓蓉");
}

TEST(extract2_author_person_named_as_source)
{
    /* 来源 naming a person (a family name and one or two characters) names
     * the writer; an outlet there stays the source only */
    CHECK_STR(author_around("", 2, "<p>　　来源: 尹娟 </p>"), "尹娟");
    CHECK_STR(author_around("", 2, "<p>　　来源：华商报</p>"), "(null)");
    CHECK_STR(author_around("", 2, "<p>　　来源：金羊网</p>"), "(null)");
    CHECK_STR(author_around("", 2, "<p>来源：人民网 作者：王建宏</p>"), "王建宏");
}

TEST(extract2_author_posting_credit)
{
    /* a blog's or a forum's "NAME 发表于 DATE", "由NAME张贴 @ DATE",
     * "NAME写于DATE", above or under the post */
    CHECK_STR(author_around("<div>ggjjzhzz 发表于 2005-9-15 11:46:00</div>", 2, ""), "ggjjzhzz");
    CHECK_STR(author_around("", 6, "<div>[打印]</div><div>由海姑娘张贴 @ 2005-06-14 03:25:55 (370)</div>"), "海姑娘");
    CHECK_STR(author_around("", 2, "<p>- 海姑娘写于2005年6月12日</p>"), "海姑娘");
    /* no name before the verb, a word that is not a name, no date after */
    CHECK_STR(author_around("", 2, "<div>发表于 2004年12月27日 12:40 - (阅读:3727;评论:63)</div>"), "(null)");
    CHECK_STR(author_around("", 2, "<div>(本文发表于首页批评与建议, 已被阅读178次)</div>"), "(null)");
    CHECK_STR(author_around("", 2, "<div>本文首发于2005年6月12日</div>"), "(null)");
    CHECK_STR(author_around("<div>首次发表于 2005-9-15</div>", 2, ""), "(null)");
    CHECK_STR(author_around("<p>李强发表 2023年12月31日讲话</p>", 2, ""), "(null)");
    CHECK_STR(author_around("<p>相关新闻发布于 2023-01-01</p>", 2, ""), "(null)");
}

TEST(extract2_author_name_line_without_headline)
{
    struct article a;
    /* an essay whose head names no headline ("显示"): its name line comes
     * second, under the essay's title */
    const char *html = PAGE("<title>显示</title>", "<p align=center><strong>犬儒病(上)</strong></p><hr>"
                                                   "<p> 胡平<br><br>——当代中国的精神危机 (上)<br>" PROSE
                                                   "</p>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK_STR(str(a.author), "胡平");
    article_release(&a);

    /* a name alone deep in such a page is nobody's byline */
    html = PAGE("<title>显示</title>", "<p align=center><strong>犬儒病(上)</strong></p><hr>"
                                       "<p>——当代中国的精神危机 (上)<br>" PROSE "</p><p>胡平</p><p>" PROSE "</p>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK_STR(str(a.author), "(null)");
    article_release(&a);
}

TEST(extract2_author_label_and_value_in_two_cells)
{
    /* a government notice's table: the label in one cell, the issuing
     * body (or the writer) in the next */
    CHECK_STR(author_around("<table><tr><td>发文机关：</td></tr><tr><td>吉林省人民政府</td></tr>"
                            "<tr><td>成文日期：</td><td>2022年01月27日</td></tr></table>",
                            2, ""),
              "吉林省人民政府");
    CHECK_STR(author_around("<table><tr><td>作者：</td><td>张倩</td><td>来源：</td><td>新华社</td></tr></table>", 2,
                            ""),
              "张倩");
    CHECK_STR(author_around("<table><tr><td>来源：</td><td>CSDN</td></tr></table><div>作者：</div><div>魏星</div>", 2,
                            ""),
              "魏星");
    /* an empty label over the headline, or over a sentence, names nobody */
    CHECK_STR(author_around("<table><tr><td>作者：</td></tr><tr><td>稳增长政策持续发力</td></tr></table>", 2, ""),
              "(null)");
    CHECK_STR(author_around("<table><tr><td>作者：</td></tr><tr><td>本站所有文章均系站长从网上收集，为了尊重作者的劳动。</td>"
                            "</tr></table>",
                            2, ""),
              "(null)");
}

TEST(extract2_author_several_credit_lines)
{
    /* interns and reporters on two lines under the headline: all of them,
     * in the page's order */
    CHECK_STR(author_around("<p>本报实习生 刘国栋 周炜</p><p>本报记者 王燕平 方云凤 柏建斌</p><p>2003-7-24 钱江晚报</p>",
                            2, ""),
              "刘国栋 周炜 王燕平 方云凤 柏建斌");
    /* a correspondent alone is the writer; beside a reporter, not */
    CHECK_STR(byline("（通讯员 王五）"), "王五");
    CHECK_STR(byline("本报通讯员 赵六"), "赵六");
    CHECK_STR(byline("（记者 张三 通讯员 王五）"), "张三");
    CHECK_STR(byline("通讯员了解到，该项目已经开工"), "");
}

/* The credit in a paragraph that opens with s and goes on with prose. */
static const char *opening(const char *s)
{
    static char line[1024];
    snprintf(line, sizeof line, "%s%s", s,
             "法国9日再次爆发全国跨行业大罢工，反对政府进行退休制度改革，首都巴黎交通几乎完全瘫痪，其他多个城市交通也受到影响。");
    struct buf b = BUF_INIT;
    size_t at = 0, cps = 0;
    int bare = 0;
    for (const char *p = line; *p; p++)
        cps += ((unsigned char)*p & 0xC0) != 0x80;
    int k = byline_cn(line, strlen(line), cps, &b, &at, &bare);
    snprintf(line, sizeof line, "%s", k > 0 ? buf_str(&b) : "");
    buf_release(&b);
    return line;
}

TEST(extract2_author_credit_after_dateline)
{
    /* the agency's dateline before the bracket that opens the paragraph */
    CHECK_STR(opening("新华社巴黎12月9日电（记者唐霁）"), "唐霁");
    CHECK_STR(opening("中新网5月1日电 (记者 张三 李四) "), "张三 李四");
    CHECK_STR(opening("本报讯（记者 王五）"), "王五");
    /* a bracket further into a sentence is no credit */
    CHECK_STR(opening("据了解，该公司今年以来共计招聘（记者 张三）"), "");
    CHECK_STR(opening("新华社巴黎12月9日电 法国总统在讲话中表示（记者 张三）"), "");
}

TEST(extract2_author_writer_credits_and_cues)
{
    /* 文/图 in the bracket that closes the article; a photographer alone
     * (图/) is not the writer */
    CHECK_STR(author_around("", 2, "<p>让金融的发展更好地满足人民日益增长的美好生活需要。(文/图 刘玺东 易赛楠)</p>"),
              "刘玺东 易赛楠");
    CHECK_STR(byline("（图/ 张三）"), "");
    /* labels that markup alone parts from the name */
    CHECK_STR(author_around("<div class=info>2020-05-06 | 来源<span class=ago>CSDN</span>| 作者<span class=ago>"
                            "魏星</span></div>",
                            2, ""),
              "魏星");
    /* the reporter's credit closing the article over the publishing
     * account's name near the headline */
    CHECK_STR(author_around("<div class=author>扬眼企鹅号</div>", 3, "<p>扬子晚报记者 张楠</p>"), "张楠");
    /* an account's follow button is no part of its name */
    CHECK_STR(author_around("<div class=author><a href=/u/1><div class=name>中国广州发布</div></a>"
                            "<span class=btn>关注</span></div>",
                            2, ""),
              "中国广州发布");
}

TEST(extract2_author_blog_owner_and_thread_starter)
{
    /* a blog's owner linked once in its sidebar, far below the post; the
     * links in the list of recent comments are other people */
    CHECK_STR(author_around("", 12, "<div class=box><a href=\"/?author=102\" title=\"[太小心]的博客\">太小心</a>"
                                    "<p>(个人情况保密)</p></div><ul><li>〖<a href=\"/?author=1470\">century</a>〗回复: "
                                    "<a href=\"/?p=667\">《林彪叛逃前11天被杀》</a></li></ul>"),
              "太小心");
    /* two people's author links: neither is the page's */
    CHECK_STR(author_around("", 12, "<div><a href=\"/?author=102\">太小心</a></div><div><a href=\"/?author=7\">"
                                    "century</a></div>"),
              "(null)");
    /* a link to the author's page that says "all posts" names nobody */
    CHECK_STR(author_around("", 2, "<h4>Zur Person <a href=\"/autoren/team/\" class=post-author__all-posts>"
                                   "Alle Beiträge</a></h4>"),
              "(null)");
    /* a thread: the first post's dated credit names its starter, however
     * long the post; the replies' credits do not */
    CHECK_STR(author_around("", 12, "<p>〓 网易娱乐 明星话题 发布时间 2005/03/15 22:36:13 by duscha 〓</p><p>← 返回</p>"
                                    "<p>无聊</p><p>〓 网易娱乐 明星话题 发布时间 2005/03/16 01:08:28 by mi来mi去 〓</p>"),
              "duscha");
}

/* A blog's page at url whose header is `header`. */
static const char *blog_page(const char *header, const char *url)
{
    static char html[4096], out[128];
    snprintf(html, sizeof html,
             PAGE("<title>很高兴入住博客堂</title>", "<div id=top>%s</div><div class=post><h2>很高兴入住博客堂</h2>"
                                                     "<div>" PROSE "</p></div><div>发表于 2004年12月27日 12:40</div></div>"),
             header);
    struct article a;
    CHECK_EQ(run(html, url, &a), 0);
    snprintf(out, sizeof out, "%s", str(a.author));
    article_release(&a);
    return out;
}

TEST(extract2_author_blog_header)
{
    const char *url = "http://blog.joycode.com/lijianzhong/archive/2004/12/27/41810.aspx";
    /* the blog's headline links its home, above the page, with the
     * owner's name */
    CHECK_STR(blog_page("<h1><a class=headermaintitle href=\"http://blog.joycode.com/lijianzhong/\">李建忠 </a></h1>",
                        url),
              "李建忠");
    CHECK_STR(blog_page("<h1><a href=\"/lijianzhong/\">李建忠</a></h1>", url), "李建忠");
    /* a section in a breadcrumb, the site's root, another blog, a blog
     * title that is no name: nobody */
    CHECK_STR(blog_page("<div class=crumb><a href=/>首页</a> &gt; <a href=/lijianzhong/>商贸</a></div>", url), "(null)");
    CHECK_STR(blog_page("<h1><a href=\"http://blog.joycode.com/\">王府井</a></h1>", url), "(null)");
    CHECK_STR(blog_page("<h1><a href=\"http://blog.joycode.com/zhangsan/\">张三</a></h1>", url), "(null)");
    CHECK_STR(blog_page("<h1><a href=\"/lijianzhong/\">海那边的姑娘</a></h1>", url), "(null)");
}

TEST(extract2_author_named_in_headline_and_alone)
{
    struct article a;
    /* "NAME：headline" and NAME alone on a line of the article: the writer
     * (a pen name, without a family name) */
    const char *html = PAGE("<title>看中国</title>", "<b>茉莉：我是怎样卷入八九民运的</b><div>作者： size=\"20\"</div>"
                                                     "<div class=content><p>我是怎样卷入八九民运的<p>茉莉<p>" PROSE
                                                     "</p></div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK_STR(str(a.author), "茉莉");
    article_release(&a);

    /* the same from the page's headline */
    html = PAGE("<title>茉莉：我是怎样卷入八九民运的</title>", "<h1>茉莉：我是怎样卷入八九民运的</h1>"
                                                                "<div class=content><p>茉莉<p>" PROSE "</p></div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK_STR(str(a.author), "茉莉");
    article_release(&a);

    /* a topic before an English headline's colon is nobody */
    html = PAGE("<title>Paxlovid: what you need to know</title>",
                "<h1>Paxlovid: what you need to know</h1><div class=content><h2>Paxlovid</h2><p>Some text of the "
                "post that runs on for a while, long enough to be a paragraph of an article about things.</p></div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK_STR(str(a.author), "(null)");
    article_release(&a);

    /* a speaker quoted in the headline is not the writer */
    html = PAGE("<title>看中国</title>", "<b>茉莉：我是怎样卷入八九民运的</b><div class=content><p>" PROSE
                                         "</p><p>茉莉说，这是一个开始。</p></div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK_STR(str(a.author), "(null)");
    article_release(&a);
}

/* ---- class 7: dates ---- */

static const char *published(const char *html, const char *url, const char **from)
{
    static char out[64], src[32];
    struct article a;
    CHECK_EQ(run(html, url, &a), 0);
    snprintf(out, sizeof out, "%s", str(a.published));
    snprintf(src, sizeof src, "%s", str(a.published_from));
    if (from)
        *from = src;
    article_release(&a);
    return out;
}

#define UNDATED PAGE("<title>绿色制造名单公布</title>", "<h1>绿色制造名单公布</h1><div class=content>" PROSE "</p></div>")

TEST(extract2_date_cms_urls)
{
    const char *from = NULL;
    CHECK_STR(published(UNDATED, "http://www.x.gov.cn/xwdt/202310/t20231010_1009.html", &from), "2023-10-10");
    CHECK_STR(from, "url_trs"); /* the CMS form names itself (date_url_source) */
    CHECK_STR(published(UNDATED, "http://www.x.gov.cn/news/2023/1010/8812.html", &from), "2023-10-10");
    CHECK_STR(from, "url");
    CHECK_STR(published(UNDATED, "http://www.x.cn/202310/10/c_129.htm", NULL), "2023-10-10");
    CHECK_STR(published(UNDATED, "http://www.x.cn/20231010/a.html", NULL), "2023-10-10");
    /* not dates: a t and other digits, a year-number segment without a page */
    CHECK_STR(published(UNDATED, "http://www.x.cn/t2023abcd_1.html", NULL), "(null)");
    CHECK_STR(published(UNDATED, "http://www.x.cn/list/2023/1399/", NULL), "(null)");
}

TEST(extract2_date_relative_only_on_meta_line)
{
    /* an undated essay with a comment box dated "3天前" far below */
    const char *html = PAGE("<title>随笔</title>", "<h1>一篇随笔</h1><div class=content>" PROSE PROSE PROSE
                                                 "</p></div><div><p>网友甲</p><p>3天前</p><p>写得真好</p></div>");
    CHECK_STR(published(html, NULL, NULL), "(null)");
    /* on the meta line under the headline it dates the page */
    html = PAGE("<title>随笔</title>", "<h1>一篇随笔</h1><div>作者：张三 9个月前</div><div class=content>" PROSE
                                     "</p></div>");
    const char *from = NULL;
    CHECK_STR(published(html, NULL, &from), "2023-04-01");
    CHECK_STR(from, "relative");
}

TEST(extract2_date_shown_by_script)
{
    const char *html = PAGE("<title>标题</title>", "<h1>绿色制造名单公布</h1><div>发布时间：<script>showDate(\"2020/04/17 "
                                                 "10:20\")</script></div><div class=content>" PROSE "</p></div>");
    CHECK_STR(published(html, NULL, NULL), "2020-04-17T10:20:00");
    html = PAGE("<title>标题</title>", "<h1>绿色制造名单公布</h1><div><script>document.write('2021-05-06');</script>"
                                     "</div><div class=content>" PROSE "</p></div>");
    CHECK_STR(published(html, NULL, NULL), "2021-05-06");
    /* a script writing markup or a variable shows no date */
    html = PAGE("<title>标题</title>", "<h1>绿色制造名单公布</h1><div><script>document.write('<b>2021</b>');"
                                     "showDate(d)</script></div><div class=content>" PROSE "</p></div>");
    CHECK_STR(published(html, NULL, NULL), "(null)");
}

TEST(extract2_date_page_day_over_utc)
{
    /* meta in UTC, the page's line in China time: the page's day */
    const char *html = PAGE("<title>标题</title><meta property=\"article:published_time\" content=\"2023-10-09T20:00:00Z\">",
                            "<h1>绿色制造名单公布</h1><div class=info>2023年10月10日 04:00 来源：新华网</div>"
                            "<div class=content>" PROSE "</p></div>");
    const char *from = NULL;
    CHECK_STR(published(html, NULL, &from), "2023-10-10T04:00:00");
    CHECK_STR(from, "text");
    /* the same with a day only on the page */
    html = PAGE("<title>Headline</title><meta property=\"article:published_time\" content=\"2020-02-25T02:25:54Z\">",
                "<h1>Former press secretary exits her role</h1><div class=byline>February 24, 2020</div>"
                "<div class=content><p>The former White House press secretary has left her role at the studio, "
                "people familiar with the matter said on Monday, after three years in the job.</p></div>");
    CHECK_STR(published(html, NULL, NULL), "2020-02-24");
    /* a day no zone reaches (22:04 UTC is the 21st from -12 to +1 h) */
    html = PAGE("<title>Headline</title><meta property=\"article:published_time\" content=\"2022-04-21T22:04:54Z\">",
                "<h1>Former press secretary exits her role</h1><div class=byline>April 20, 2022</div>"
                "<div class=content><p>The former White House press secretary has left her role at the studio, "
                "people familiar with the matter said on Monday, after three years in the job.</p></div>");
    CHECK_STR(published(html, NULL, NULL), "2022-04-21T22:04:54+00:00");
    /* the URL's day agrees with the meta tag's: kept */
    html = PAGE("<title>Headline</title><meta property=\"article:published_time\" content=\"2020-02-25T02:25:54Z\">",
                "<h1>Former press secretary exits her role</h1><div class=byline>February 24, 2020</div>"
                "<div class=content><p>The former White House press secretary has left her role at the studio, "
                "people familiar with the matter said on Monday, after three years in the job.</p></div>");
    CHECK_STR(published(html, "https://x.com/2020/02/25/former/", NULL), "2020-02-25T02:25:54+00:00");
}

/* ---- class 3: an article hidden until a script runs ---- */

#define WECHAT(style)                                                                                      \
    PAGE("<title>一篇公众号文章</title>",                                                                       \
         "<div id=js_article class=rich_media><div id=page-content class=rich_media_area_primary>"         \
         "<h1 class=rich_media_title id=activity-name>一篇公众号文章</h1>"                                   \
         "<div id=meta_content><span class=rich_media_meta_text>作者 爱否科技</span> <a id=js_name>爱否科技</a></div>" \
         "<div class=\"rich_media_content js_underline_content\" id=js_content style=\"" style "\">" PROSE    \
         "</p></div></div></div><div class=qr_code_pc><p>微信扫一扫<br>关注该公众号</p></div>"                  \
         "<div class=modal style=\"visibility:hidden\"><p>弹窗</p></div>")

TEST(extract2_hidden_until_script)
{
    struct article a;
    /* WeChat keeps #js_content at visibility:hidden until its script runs */
    CHECK_EQ(run(WECHAT("visibility: hidden;"), NULL, &a), 0);
    CHECK(strstr(a.text, "今年以来，全省工业经济持续向好") != NULL);
    CHECK(strstr(a.text, "资源循环等方面表现突出") != NULL);
    CHECK(strstr(a.text, "弹窗") == NULL);
    CHECK_STR(str(a.author), "爱否科技");
    article_release(&a);
    /* a page whose only text waits at display:none: not empty */
    CHECK_EQ(run(WECHAT("display:none"), NULL, &a), 0);
    CHECK(strstr(a.text, "今年以来，全省工业经济持续向好") != NULL);
    article_release(&a);
    /* a modal form at visibility:hidden beside an article stays hidden */
    const char *html = PAGE("<title>绿色制造</title>", "<h1>绿色制造名单公布</h1><div class=content>" PROSE
                            "</p></div><div class=popup style=\"visibility:hidden\"><p>Wähle jetzt Deinen "
                            "Termin aus, trage Deine beste Email-Adresse ein und klicke auf Weiter. Ja, ich will "
                            "meine Geldblockaden jetzt auflösen. Darum willige ich hiermit ausdrücklich ein: Ich "
                            "bin damit einverstanden, dass Du mir in unregelmäßigen Abständen Informationen und "
                            "aktuelle Angebote zu den Themen schickst.</p></div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK(strstr(a.text, "Geldblockaden") == NULL);
    CHECK(strstr(a.text, "今年以来") != NULL);
    article_release(&a);
}

/* ---- class 2: consent and cookie banners ---- */

#define EN_STORY                                                                                         \
    "<h1>City council approves new budget</h1><div class=story>"                                         \
    "<p>The city council approved a new budget on Tuesday after weeks of debate over how much to spend " \
    "on roads, parks and the public library system, officials said.</p>"                                \
    "<p>The plan raises spending on road repairs by ten percent and keeps library hours unchanged, " \
    "while a proposal to close two swimming pools was dropped after residents protested.</p>"         \
    "<p>The mayor is expected to sign the budget into law next week, and the new spending will start " \
    "with the fiscal year in July.</p></div>"

#define PREF_P "<p>When you visit any website, it may store or retrieve information on your browser, mostly in " \
    "the form of cookies. This information might be about you, your preferences or your device and is "  \
    "mostly used to make the site work as you expect it to. Because we respect your right to privacy, you " \
    "can choose not to allow some types of cookies and manage your consent preferences.</p>"

TEST(extract2_consent_banners)
{
    struct article a;
    /* a OneTrust centre longer than the story */
    const char *html = PAGE("<title>City council approves new budget</title>",
                            EN_STORY "<div id=onetrust-consent-sdk><div id=onetrust-pc-sdk><h2>Privacy Preference "
                            "Center</h2>" PREF_P PREF_P PREF_P PREF_P "<button>Accept All</button></div></div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK(strstr(a.text, "approved a new budget") != NULL);
    CHECK(strstr(a.text, "Privacy Preference") == NULL);
    CHECK(strstr(a.text, "store or retrieve") == NULL);
    article_release(&a);
    /* notices inside the story's block, without any class to tell */
    html = PAGE("<title>City council approves new budget</title>",
                "<h1>City council approves new budget</h1><div class=story>"
                "<p>The city council approved a new budget on Tuesday after weeks of debate over how much to spend "
                "on roads, parks and the public library system, officials said.</p>"
                "<p>We use cookies and similar technologies to improve your experience, to show you personalised "
                "content and to analyse our traffic.</p>"
                "<p>Please accept YouTube cookies to play this video. By accepting you will be accessing content "
                "from YouTube, a service provided by an external third party, and your preferences are saved.</p>"
                "<p>The plan raises spending on road repairs by ten percent and keeps library hours unchanged, "
                "while a proposal to close two swimming pools was dropped after residents protested.</p></div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK(strstr(a.text, "approved a new budget") != NULL);
    CHECK(strstr(a.text, "road repairs") != NULL);
    CHECK(strstr(a.text, "We use cookies") == NULL);
    CHECK(strstr(a.text, "YouTube cookies") == NULL);
    article_release(&a);
    /* a story about cookie rules is kept */
    html = PAGE("<title>Regulators fine company over cookies</title>",
                "<h1>Regulators fine company over cookies</h1><div class=story>"
                "<p>Regulators fined the company on Tuesday for setting advertising cookies without consent, "
                "the agency said in a statement.</p><p>The company said it would appeal the decision.</p></div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK(strstr(a.text, "advertising cookies without consent") != NULL);
    article_release(&a);
}

TEST(extract2_date_month_names_of_other_languages)
{
    static const struct {
        const char *line, *want;
    } cases[] = {
        { "نشر في 17 أبريل 2020", "2020-04-17" }, { "17 نيسان 2020", "2020-04-17" },
        { "17 января 2020 г.", "2020-01-17" },    { "12 мая 2019, 14:30", "2019-05-12T14:30:00" },
        { "5 września 2021", "2021-09-05" },      { "3 Ağustos 2022", "2022-08-03" },
        { "9 жовтня 2023", "2023-10-09" },        { "21 Μαΐου 2021", "(null)" }, /* upper-case Greek: not read */
        { "8 μαΐου 2021", "2021-05-08" },         { "17 Maret 2020", "2020-03-17" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char html[2048];
        snprintf(html, sizeof html,
                 PAGE("<title>T</title>", "<h1>Headline words here</h1><div class=date>%s</div>"
                                          "<div class=content><p>Some text of the article that runs long enough to "
                                          "be prose, with more words in it and a few more after that.</p></div>"),
                 cases[i].line);
        CHECK_STR(published(html, NULL, NULL), cases[i].want);
    }
}

TEST(extract2_date_not_licence_nor_creation)
{
    /* the record's creation time in a meta tag loses to the page's
     * labelled publication date */
    const char *html = PAGE("<title>标题</title><meta name=dcterms.created content=\"2012-03-04\">",
                            "<h1>绿色制造名单公布</h1><div class=content>" PROSE "</p></div>"
                            "<div>发布日期：2023-10-10</div>");
    CHECK_STR(published(html, NULL, NULL), "2023-10-10");
    /* a licence's date right under the headline loses to the posting date */
    html = PAGE("<title>Headline</title>",
                "<h1>Former press secretary exits her role</h1><div>Licensed under CC BY 4.0 since 2015-01-01</div>"
                "<div class=content><p>The former White House press secretary has left her role at the studio, "
                "people familiar with the matter said on Monday, after three years in the job.</p></div>"
                "<div class=date>2020-02-24</div>");
    CHECK_STR(published(html, NULL, NULL), "2020-02-24");
}

/* ---- class 5: link-dense content that is the article ---- */

#define INTRO "<p>Here is my list of the command-line tools I use every day, with a few words on each of them " \
              "and why I like it so much.</p>"
#define OUTRO "<p>That is all for this year; tell me about your favourites in the comments below, please.</p>"
#define TOOL(i) "<li><a href=\"https://example.org/t" #i "\">Tool " #i "</a> – a small utility for doing task " #i "</li>"
#define LINK(i) "<li><a href=\"https://example.org/t" #i "\">The tool number " #i "</a></li>"
#define ROW(i) "<tr><td>Release " #i "</td><td><a href=/d" #i ">Download release " #i "</a></td></tr>"

static char *blog(const char *middle, const char *end)
{
    static char html[8192];
    snprintf(html, sizeof html,
             PAGE("<title>My favourite command-line tools</title>",
                  "<nav><a href=/>Home</a> <a href=/about>About</a></nav><h1>My favourite command-line tools</h1>"
                  "<div class=entry-content>" INTRO "%s" OUTRO "%s</div><footer>(c) me</footer>"),
             middle, end);
    return html;
}

TEST(extract2_link_lists_in_the_article)
{
    struct article a;
    /* a list of links with descriptions between two paragraphs */
    CHECK_EQ(run(blog("<ul>" TOOL(1) TOOL(2) TOOL(3) TOOL(4) TOOL(5) "</ul>", ""), NULL, &a), 0);
    CHECK(strstr(a.text, "Tool 3 – a small utility") != NULL);
    article_release(&a);
    /* links alone, announced by the sentence before them */
    CHECK_EQ(run(blog("<p>These are the tools, each with its home page, that I would install first on a new "
                      "machine:</p><ul>" LINK(1) LINK(2) LINK(3) LINK(4) "</ul>", ""), NULL, &a), 0);
    CHECK(strstr(a.text, "The tool number 3") != NULL);
    article_release(&a);
    /* a data table whose second column is links, after the text */
    CHECK_EQ(run(blog("", "<table><tr><th>Release</th><th>Link</th></tr>" ROW(1) ROW(2) ROW(3) ROW(4) "</table>"),
                 NULL, &a), 0);
    CHECK(strstr(a.text, "Download release 3") != NULL);
    article_release(&a);
    /* a list of other stories' links between paragraphs, unannounced, stays out */
    CHECK_EQ(run(blog("<ul>" LINK(1) LINK(2) LINK(3) LINK(4) "</ul>", ""), NULL, &a), 0);
    CHECK(strstr(a.text, "The tool number 3") == NULL);
    CHECK(strstr(a.text, "That is all for this year") != NULL);
    article_release(&a);
}

/* ---- class 4: a short story beside a long list of other stories ---- */

#define BRIEF "<h1>Council meets on Tuesday</h1><div><p>The city council will meet on Tuesday to vote on the new " \
              "budget, officials said. The session starts at 7pm and is open to the public.</p></div>"
#define FEED_ITEM(i) "<div><h3><a href=\"/story/" #i "\">Other headline number " #i " about a different event in " \
                     "town</a></h3><p>A teaser for story " #i ", telling readers a little about what happened.</p></div>"
#define FEED4(a) FEED_ITEM(a##1) FEED_ITEM(a##2) FEED_ITEM(a##3) FEED_ITEM(a##4)
#define SLIDE(i) "<div class=slide><img src=\"/i" #i ".jpg\"><p>Slide " #i ": workers at a factory in the north of " \
                 "the country prepare goods for export, on Monday, as orders pick up.</p></div>"
#define SLIDE4(a) SLIDE(a##1) SLIDE(a##2) SLIDE(a##3) SLIDE(a##4)

TEST(extract2_brief_beside_feed)
{
    struct article a;
    const char *html = PAGE("<title>Council meets on Tuesday</title>",
                            "<div>" BRIEF "<div><h2>More news</h2>" FEED4(1) FEED4(2) FEED4(3) FEED4(4) FEED4(5)
                            "</div></div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK(strstr(a.text, "The city council will meet on Tuesday") != NULL);
    CHECK(strstr(a.text, "Other headline") == NULL);
    CHECK(strstr(a.text, "A teaser for story") == NULL);
    article_release(&a);
    /* a brief and a gallery of its own under a heading */
    html = PAGE("<title>Council meets on Tuesday</title>",
                "<div>" BRIEF "<div><h2>Business news in pictures</h2>" SLIDE4(1) SLIDE4(2) SLIDE4(3) SLIDE4(4)
                "</div></div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK(strstr(a.text, "The city council will meet on Tuesday") != NULL);
    CHECK(strstr(a.text, "workers at a factory") == NULL);
    article_release(&a);
    /* a listicle: its pictures are the article (no heading of their own) */
    html = PAGE("<title>Council meets on Tuesday</title>",
                "<div>" BRIEF "<div>" SLIDE4(1) SLIDE4(2) SLIDE4(3) SLIDE4(4) "</div></div>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK(strstr(a.text, "Slide 23: workers at a factory") != NULL);
    article_release(&a);
}

/* ---- class 8: English precision ---- */

#define EN_PARA(i) "<p>Paragraph " #i " of the story: the council debated the plan for hours on Tuesday, and " \
                   "members said the vote would be close when it comes next week.</p>"

TEST(extract2_other_stories_teasers)
{
    struct article a;
    const char *html = PAGE("<title>Council to vote on budget</title>",
                            "<article><h1>Council to vote on budget</h1>" EN_PARA(1) EN_PARA(2) EN_PARA(3) EN_PARA(4)
                            "<div><a href=\"/d\"><img src=/y.jpg></a><p><a href=\"/d\">Fire destroys barn outside "
                            "town</a></p><p>Firefighters battled the blaze for six hours on Monday night.</p></div>"
                            "<div><h4><a href=\"#budget\">How the budget is spent</a></h4><p>Most of the money goes "
                            "to roads and schools, the finance office says.</p></div></article>");
    CHECK_EQ(run(html, NULL, &a), 0);
    CHECK(strstr(a.text, "Paragraph 4 of the story") != NULL);
    CHECK(strstr(a.text, "Firefighters battled the blaze") == NULL);
    /* a section under an in-page anchor is the article's own */
    CHECK(strstr(a.text, "Most of the money goes to roads") != NULL);
    article_release(&a);
}
