/* test_article.c — the extraction pipeline end to end: the seed-image page
 * (tests/data/seed-article.html, GBK, every boilerplate block of the seed)
 * gives exactly tests/data/seed-article.txt and its metadata; lists, tables,
 * headings, quotes and captions are laid out one per line; boilerplate
 * inside the article goes; --explain says why. */
#include "tests/check.h"
#include "parser/article.h"
#include "parser/rules.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <zlib.h>

/* 2023-06-28 10:00 +08:00: "9个月前 (09-30)" is 2022-09-30 */
#define SEED_NOW ((time_t)1687917600)

static char *read_data(const char *name, size_t *n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/%s", test_srcdir(), name);
    char *s = test_read_file(path, n);
    if (!s)
        fprintf(stderr, "cannot read %s\n", path);
    return s;
}

static int extract(const char *html, size_t n, int explain, struct article *a)
{
    struct article_opts o;
    memset(&o, 0, sizeof o);
    o.now = SEED_NOW;
    o.explain = explain;
    struct buf err = BUF_INIT;
    article_init(a);
    int rc = article_extract(html, n, &o, a, &err);
    if (rc)
        fprintf(stderr, "article_extract: %s\n", buf_str(&err));
    buf_release(&err);
    return rc;
}

static int extract_str(const char *html, struct article *a) { return extract(html, strlen(html), 0, a); }

TEST(article_seed_exact_body)
{
    size_t n, en;
    char *html = read_data("seed-article.html", &n);
    char *expected = read_data("seed-article.txt", &en);
    CHECK(html && expected);
    if (!html || !expected)
        goto out;
    while (en && expected[en - 1] == '\n')
        expected[--en] = 0;
    struct article a;
    CHECK_EQ(extract(html, n, 0, &a), 0);
    CHECK_STR(a.text, expected);
    CHECK_STR(a.charset, "GB18030");
    article_release(&a);
out:
    free(html);
    free(expected);
}

TEST(article_seed_no_boilerplate)
{
    static const char *const boiler[] = {
        "当前位置", "首页", "正文内容", "admin", "9个月前", "64", "葛毅明", "400 0123 021", "13391219793",
        "请说明您的需求", "扫一扫", "关注公众号", "版权声明", "分享给朋友", "分享到", "相关文章",
        "今年天津首批60宗地块亮相招商", "为打好“十四五”开局之战", "地产大事件", "万物云", "西青区土地招商推介会",
        "天津北辰30+环内商住地块", "乐居买房讯", "两集中", "网上审批", "云签约", "珠三角", "上一篇", "下一篇",
        "标签", "发表评论", "最新文章", "Copyright", "津ICP备", "搜索", "厂房出租", "返回顶部", "bdshare",
        "window.", "济南各区县抢跑“春天里”", /* the headline is metadata, not body */
    };
    size_t n;
    char *html = read_data("seed-article.html", &n);
    if (!html)
        return;
    struct article a;
    CHECK_EQ(extract(html, n, 0, &a), 0);
    for (size_t i = 0; i < sizeof boiler / sizeof boiler[0]; i++)
        CHECK_NOT_CONTAINS(a.text, boiler[i]);
    /* the four bold section headings are body */
    CHECK_CONTAINS(a.text, "\n“冲”起来!开局就是决战,起步就是冲刺\n");
    CHECK_CONTAINS(a.text, "\n“动”起来!党政“一把手”带队外出招商\n");
    CHECK_CONTAINS(a.text, "\n“跑”起来!集中签约跑出项目招引“加速度”\n");
    CHECK_CONTAINS(a.text, "\n“干”起来!集中开工,掀起项目开工热潮\n");
    article_release(&a);
    free(html);
}

TEST(article_seed_metadata)
{
    size_t n;
    char *html = read_data("seed-article.html", &n);
    if (!html)
        return;
    struct article a;
    CHECK_EQ(extract(html, n, 0, &a), 0);
    CHECK_STR(a.title, "济南各区县抢跑“春天里”:党政一把手率队外出高质量项目密集签约");
    CHECK_STR(a.category, "天津产业信息");
    CHECK_STR(a.author, "admin");
    CHECK(a.published && strncmp(a.published, "2022-09-30", 10) == 0);
    CHECK_STR(a.published_from, "relative");
    CHECK_STR(a.lang, "zh");
    article_release(&a);
    free(html);
}

TEST(article_seed_explain)
{
    size_t n;
    char *html = read_data("seed-article.html", &n);
    if (!html)
        return;
    struct article a;
    CHECK_EQ(extract(html, n, 1, &a), 0);
    const char *e = buf_str(&a.explain);
    CHECK_CONTAINS(e, "charset GB18030 (from meta");
    CHECK_CONTAINS(e, "container ");
    CHECK_CONTAINS(e, "div.single-content.article-content");
    CHECK_CONTAINS(e, "drop line '葛毅明微信号': cue phrase '微信号'");
    CHECK_CONTAINS(e, "contact line (phone number)");
    CHECK_CONTAINS(e, "drop line '长按/扫一扫加葛毅明的微信号': cue phrase '长按'");
    /* the same text comes out with and without explain */
    struct article b;
    CHECK_EQ(extract(html, n, 0, &b), 0);
    CHECK_STR(a.text, b.text);
    CHECK_EQ(b.explain.len, 0);
    article_release(&a);
    article_release(&b);
    free(html);
}

/* A page whose article holds every layout the text renderer knows. */
static const char layout_page[] =
    "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Harbour works resume - Example News</title></head>"
    "<body><nav class=menu><a href=/>Home</a> <a href=/world>World</a> <a href=/sport>Sport</a></nav>"
    "<div id=main><article class=post><h1>Harbour works resume</h1>"
    "<div class=byline>By Jane Doe, 3 February 2023</div>"
    "<div class=entry-content>"
    "<p>The harbour works resumed on Monday after a two-month pause, the port authority said, and the first "
    "ships are expected to berth again before the end of the month.</p>"
    "<p>Engineers had found cracks in the old quay wall. Repairs cost more than planned, but the schedule holds, "
    "according to the authority's spokesman.</p>"
    "<h2>What changes</h2>"
    "<ul><li>Night shifts end at 22:00.</li><li>Trucks use the north gate.</li><li>The ferry keeps its timetable.</li></ul>"
    "<table><caption>Costs by phase</caption><tr><th>Phase</th><th>Cost</th></tr>"
    "<tr><td>Quay wall</td><td>4.1 m</td></tr><tr><td>Dredging</td><td>2.3 m</td></tr></table>"
    "<blockquote><p>We are back on track, and the city will see the difference by summer.</p></blockquote>"
    "<figure><img src=a.jpg alt=x><figcaption>The north quay in January.</figcaption></figure>"
    "<p>Residents were told about the new traffic plan in a letter, which also lists the quiet hours, and a "
    "hotline for complaints.</p>"
    "<div class=share-buttons><a href=#>Share on Facebook</a> <a href=#>Tweet</a></div>"
    "</div></article>"
    "<section class=related-posts><h3>Related articles</h3><ul><li><a href=/a>Port strike ends</a></li>"
    "<li><a href=/b>New ferry line opens</a></li></ul></section></div>"
    "<footer>Copyright 2023 Example News. All rights reserved.</footer></body></html>";

TEST(article_layout_lines)
{
    struct article a;
    CHECK_EQ(extract_str(layout_page, &a), 0);
    CHECK_STR(a.text,
              "The harbour works resumed on Monday after a two-month pause, the port authority said, and the first "
              "ships are expected to berth again before the end of the month.\n"
              "Engineers had found cracks in the old quay wall. Repairs cost more than planned, but the schedule "
              "holds, according to the authority's spokesman.\n"
              "What changes\n"
              "Night shifts end at 22:00.\n"
              "Trucks use the north gate.\n"
              "The ferry keeps its timetable.\n"
              "Costs by phase\n"
              "Phase\tCost\n"
              "Quay wall\t4.1 m\n"
              "Dredging\t2.3 m\n"
              "We are back on track, and the city will see the difference by summer.\n"
              "The north quay in January.\n"
              "Residents were told about the new traffic plan in a letter, which also lists the quiet hours, and a "
              "hotline for complaints.");
    CHECK_STR(a.title, "Harbour works resume");
    article_release(&a);
}

TEST(article_layout_explain)
{
    struct article a;
    CHECK_EQ(extract(layout_page, sizeof layout_page - 1, 1, &a), 0);
    const char *e = buf_str(&a.explain);
    CHECK_CONTAINS(e, "container ");
    CHECK_CONTAINS(e, "class cue 'share'");
    article_release(&a);
}

TEST(article_chinese_br_text_and_related)
{
    /* Old CMS layout: text and <br> in one cell, then a related list whose
     * teasers read like news prose. */
    const char html[] =
        "<html><head><meta charset=utf-8><title>天津港一季度吞吐量创新高_天津新闻网</title></head><body>"
        "<table><tr><td class=nav><a href=/>首页</a> | <a href=/news>新闻</a> | <a href=/biz>财经</a></td></tr>"
        "<tr><td><h1>天津港一季度吞吐量创新高</h1>"
        "<div class=info>发布时间：2023-04-12 09:30 来源：天津日报 浏览次数：1024</div>"
        "<div id=zoom>　　记者从天津港集团获悉，今年一季度，天津港完成货物吞吐量1.2亿吨，同比增长5.3%，创历史同期新高。<br>"
        "　　其中，集装箱吞吐量完成510万标准箱，同比增长8.1%。港口相关负责人表示，航线网络持续加密，服务效率不断提升。<br>"
        "　　下一步，天津港将继续推进智慧港口建设，进一步提升口岸通关效率，更好服务京津冀协同发展。<br>"
        "责任编辑：王小明</div>"
        "<div class=bshare>分享到：微信 微博 QQ空间</div>"
        "<div class=xgwz><h3>相关阅读</h3>"
        "<p><a href=/1>天津港开通新航线</a></p><p>　　近日，天津港新开通一条直达东南亚的集装箱航线，每周一班，进一步完善了航线网络布局，受到货主欢迎。</p>"
        "<p><a href=/2>京津冀港口群协同发展</a></p><p>　　京津冀三地港口加强合作，推动资源共享、优势互补，区域港口群整体竞争力持续增强，服务能力明显提升。</p>"
        "</div></td></tr></table>"
        "<div class=footer>版权所有：天津新闻网 未经授权禁止转载</div></body></html>";
    struct article a;
    CHECK_EQ(extract_str(html, &a), 0);
    CHECK_STR(a.text,
              "记者从天津港集团获悉，今年一季度，天津港完成货物吞吐量1.2亿吨，同比增长5.3%，创历史同期新高。\n"
              "其中，集装箱吞吐量完成510万标准箱，同比增长8.1%。港口相关负责人表示，航线网络持续加密，服务效率不断提升。\n"
              "下一步，天津港将继续推进智慧港口建设，进一步提升口岸通关效率，更好服务京津冀协同发展。");
    article_release(&a);
}

TEST(article_empty_and_junk)
{
    struct article a;
    CHECK_EQ(extract_str("", &a), 0);
    CHECK_STR(a.text, "");
    article_release(&a);
    CHECK_EQ(extract_str("<html><body><nav><a href=/>Home</a></nav></body></html>", &a), 0);
    CHECK(a.text != NULL);
    article_release(&a);
    /* Mostly control characters: garbage, an error (and no crash). */
    const char junk[] = "\x00\x01\x02\xff\xfe\x80<<<>>>\x00&#0;&#xD800;";
    struct buf err = BUF_INIT;
    article_init(&a);
    CHECK_EQ(article_extract(junk, sizeof junk - 1, NULL, &a, &err), NA_EGARBAGE);
    article_release(&a);
    buf_release(&err);
}

TEST(article_release_twice)
{
    struct article a;
    article_init(&a);
    article_release(&a);
    article_release(&a);
    article_release(NULL);
}

TEST(article_rules_force_container)
{
    /* A site rule picks the short note over the long article, and drops a line. */
    const char html[] =
        "<html><body><div id=note><p>Short site note that the rule wants.</p><p class=ad>Buy now!</p></div>"
        "<div id=story><p>A long story paragraph, with commas, sentences, and more words than the note has. "
        "It goes on, and on, for a while.</p><p>Another long paragraph, again with commas, so that it wins the vote "
        "easily without a rule.</p></div></body></html>";
    struct rules r;
    rules_init(&r);
    r.container = na_strdup("//div[@id='note']");
    r.drop[0] = na_strdup("//p[@class='ad']");
    r.ndrop = 1;
    struct article_opts o;
    memset(&o, 0, sizeof o);
    o.rules = &r;
    o.explain = 1;
    struct article a;
    struct buf err = BUF_INIT;
    article_init(&a);
    CHECK_EQ(article_extract(html, sizeof html - 1, &o, &a, &err), 0);
    CHECK_STR(a.text, "Short site note that the rule wants.");
    CHECK_CONTAINS(buf_str(&a.explain), "xpath rule");
    article_release(&a);
    buf_release(&err);
    rules_release(&r);
}

TEST(article_rules_title_date_author)
{
    /* Site rules override the generic title, date and author; a rule that
     * matches nothing leaves the generic value; published_from says "rule". */
    const char html[] =
        "<html><head><title>Generic title - Site</title>"
        "<meta property='article:published_time' content='2020-01-01T08:00:00+08:00'>"
        "<meta name='author' content='Meta Author'></head><body>"
        "<h1>Generic title</h1><div class=info><span class=t>Ruled headline</span>"
        "<span class=d>发布于 2023年2月3日 12:30</span><span class=w>作者：林一</span></div>"
        "<div id=story><p>A long story paragraph, with commas, sentences, and more words than anything else. "
        "It goes on, and on, for a while.</p></div></body></html>";
    struct rules r;
    rules_init(&r);
    r.title = na_strdup("//span[@class='t']");
    r.date = na_strdup("//span[@class='d']");
    r.author = na_strdup("substring-after(//span[@class='w'], '：')");
    struct article_opts o;
    memset(&o, 0, sizeof o);
    o.rules = &r;
    o.now = SEED_NOW;
    o.explain = 1;
    struct article a;
    struct buf err = BUF_INIT;
    article_init(&a);
    CHECK_EQ(article_extract(html, sizeof html - 1, &o, &a, &err), 0);
    CHECK_STR(a.title, "Ruled headline");
    CHECK_STR(a.published, "2023-02-03T12:30:00");
    CHECK_STR(a.published_from, "rule");
    CHECK_STR(a.author, "林一");
    CHECK_CONTAINS(buf_str(&a.explain), "rule date");
    article_release(&a);

    /* rules that find nothing: the generic values stand */
    free(r.title);
    free(r.date);
    free(r.author);
    r.title = na_strdup("//h2");
    r.date = na_strdup("//span[@class='none']");
    r.author = NULL;
    article_init(&a);
    CHECK_EQ(article_extract(html, sizeof html - 1, &o, &a, &err), 0);
    CHECK_STR(a.title, "Generic title");
    CHECK(a.published_from && strcmp(a.published_from, "rule") != 0);
    CHECK_CONTAINS(buf_str(&a.explain), "not used");
    article_release(&a);
    buf_release(&err);
    rules_release(&r);
}

TEST(article_leads_under_the_headline)
{
    /* h1 + p.lead outside the text container: the lead joins, the meta
     * line between them does not. */
    const char html[] =
        "<html><body><nav><a href=/a>Start</a> <a href=/b>Politik</a> <a href=/c>Wirtschaft</a></nav>"
        "<div class=titlebox><h1>Soziale Energie</h1><div class=meta>12.03.2022 | Wärme</div>"
        "<p class=lead>Besonders für Haushalte mit geringem Einkommen stellen steigende Energiekosten ein großes "
        "Problem dar. Günstige Brennstoffe helfen.</p></div><div class=body><div id=content>"
        "<p>Erster Absatz des Textes, lang genug, mit Kommas, Sätzen und allem, was ein Absatz braucht. Er geht "
        "weiter, und weiter, eine Weile lang.</p><p>Zweiter Absatz, ebenfalls lang, mit Kommas, damit er die "
        "Abstimmung gewinnt, ohne Zweifel.</p><p>Dritter Absatz, auch er mit Kommas, Sätzen und Wörtern, die den "
        "Kopf der Seite überwiegen, und noch mehr davon.</p><p>Vierter Absatz, mit Kommas, Sätzen, Wörtern; er "
        "schließt den Text ab, endgültig.</p></div><div class=share>Teilen</div></div><footer><a href=/i>Impressum"
        "</a> <a href=/d>Datenschutz</a> <a href=/k>Kontakt</a></footer></body></html>";
    struct article a;
    CHECK_EQ(extract_str(html, &a), 0);
    CHECK(a.text && strncmp(a.text, "Besonders für Haushalte", 24) == 0);
    CHECK_CONTAINS(a.text, "Zweiter Absatz");
    CHECK_NOT_CONTAINS(a.text, "Wärme");
    CHECK_NOT_CONTAINS(a.text, "Teilen");
    article_release(&a);

    /* the article's own <header> keeps its lead paragraph, not its byline */
    const char html2[] =
        "<html><body><article><header><h1>So können Nutzer ihre Daten schützen</h1>"
        "<p>Rechtsanwalt Dr. Thomas Schulte liefert eine Einschätzung zum Urteil und zeigt, welche Möglichkeiten "
        "Nutzer haben.</p><div class=byline>Von Anja Schmoll</div></header>"
        "<p>Erster Absatz des Textes, lang genug, mit Kommas, Sätzen und allem, was ein Absatz braucht. Er geht "
        "weiter, und weiter, eine Weile lang, und noch ein wenig länger als der Vorspann.</p>"
        "<p>Zweiter Absatz, ebenfalls lang, mit Kommas, damit er die Abstimmung gewinnt, ohne Zweifel, und noch "
        "viel mehr Text, damit der Kopf klein bleibt.</p><p>Dritter Absatz, auch er mit Kommas, Sätzen und "
        "Wörtern, die den Kopf der Seite überwiegen.</p></article></body></html>";
    CHECK_EQ(extract_str(html2, &a), 0);
    CHECK(a.text && strncmp(a.text, "Rechtsanwalt Dr. Thomas Schulte", 31) == 0);
    CHECK_NOT_CONTAINS(a.text, "Anja Schmoll");
    article_release(&a);
}

/* ---- garbage is an extraction failure (issue 9) ---- */

static int extract_err(const char *html, size_t n, const char *charset, struct article *a, struct buf *err)
{
    struct article_opts o;
    memset(&o, 0, sizeof o);
    o.now = SEED_NOW;
    o.http_charset = charset;
    article_init(a);
    buf_reset(err);
    return article_extract(html, n, &o, a, err);
}

static const char garbage_page_head[] =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>\xE6\x96\xB0\xE9\x97\xBB</title></head>"
    "<body><div class=\"content\"><p>";

TEST(article_garbage_text_is_an_error)
{
    struct article a;
    struct buf err = BUF_INIT, page = BUF_INIT;
    /* 1,225 U+FFFD in the article's paragraph, as a body gzip'd twice gave. */
    buf_adds(&page, garbage_page_head);
    for (int i = 0; i < 1225; i++)
        buf_adds(&page, i % 40 == 39 ? "</p><p>" : "\xEF\xBF\xBD");
    buf_adds(&page, "</p></div></body></html>");
    CHECK_EQ(extract_err(page.data, page.len, NULL, &a, &err), NA_EGARBAGE);
    CHECK_CONTAINS(buf_str(&err), "mostly undecodable");
    article_release(&a);
    /* Control characters (C0 but \n and \t, and C1) count the same. */
    buf_reset(&page);
    buf_adds(&page, garbage_page_head);
    for (int i = 0; i < 600; i++) {
        char c[3] = { (char)(1 + i % 8), 'x', 0 };
        buf_adds(&page, i % 3 ? c : "\xC2\x85");
    }
    buf_adds(&page, "</p></div></body></html>");
    CHECK_EQ(extract_err(page.data, page.len, NULL, &a, &err), NA_EGARBAGE);
    article_release(&a);
    /* Binary bytes without a charset: the decoded page is mostly garbage. */
    buf_reset(&page);
    unsigned x = 12345;
    for (int i = 0; i < 20000; i++) {
        x = x * 1103515245u + 12345u;
        buf_addc(&page, (char)(x >> 16));
    }
    CHECK_EQ(extract_err(page.data, page.len, NULL, &a, &err), NA_EGARBAGE);
    article_release(&a);
    buf_release(&page);
    buf_release(&err);
}

TEST(article_gzip_body_is_an_error)
{
    /* An HTML page gzip'd (once more than Content-Encoding undid). */
    const char html[] = "<html><head><meta charset=\"utf-8\"></head><body><div><p>"
                        "\xE8\xAE\xB0\xE8\x80\x85\xE4\xBB\x8E\xE5\xA4\xA9\xE6\xB4\xA5\xE6\xB8\xAF</p></div></body></html>";
    unsigned char gz[2048];
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (Bytef *)(uintptr_t)html;
    z.avail_in = sizeof html - 1;
    z.next_out = gz;
    z.avail_out = sizeof gz;
    deflate(&z, Z_FINISH);
    size_t n = sizeof gz - z.avail_out;
    deflateEnd(&z);
    struct article a;
    struct buf err = BUF_INIT;
    CHECK_EQ(extract_err((const char *)gz, n, "utf-8", &a, &err), NA_EGARBAGE);
    CHECK_CONTAINS(buf_str(&err), "gzip");
    article_release(&a);
    buf_release(&err);
}

TEST(article_gbk_page_with_few_bad_bytes_is_fine)
{
    /* The GBK seed page with three undecodable bytes in its body: still an
     * article, the bytes shown as U+FFFD. */
    size_t n;
    char *html = read_data("seed-article.html", &n);
    CHECK(html != NULL);
    if (!html)
        return;
    struct buf page = BUF_INIT;
    const char *p = strstr(html, "<p");
    CHECK(p != NULL);
    if (p) {
        const char *gt = strchr(p, '>');
        buf_add(&page, html, (size_t)(gt + 1 - html));
        buf_add(&page, "\xFF\xFF\x80\x01", 4);
        buf_add(&page, gt + 1, n - (size_t)(gt + 1 - html));
        struct article a;
        struct buf err = BUF_INIT;
        CHECK_EQ(extract_err(page.data, page.len, "gbk", &a, &err), 0);
        CHECK(a.text && strlen(a.text) > 500);
        CHECK_STR(a.charset, "GB18030");
        article_release(&a);
        buf_release(&err);
    }
    buf_release(&page);
    free(html);
}
