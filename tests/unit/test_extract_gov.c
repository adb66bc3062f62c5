/* test_extract_gov.c — extraction of a regional government portal's article
 * page (a TRS-style CMS): the property line of labelled fields above the text
 * ("发布时间：… 来源：… 作者：… 浏览次数：… 【字体：大 中 小】") and the related-
 * articles list with long teasers after it are not the article; the text and
 * the date are. The shape of tests/server/sitegen.py's "gov" template, whose
 * extraction kept the property line (issue 13: near-duplicate recall). */
#include "tests/check.h"
#include "parser/article.h"
#include "util/buf.h"

#include <string.h>

/* 2025-07-01 00:00 +08:00 */
#define NOW ((time_t)1751299200)

#define GOV_P(x) "<p style=\"text-indent: 2em;\">" x "</p>"
#define GOV_REL(t, x)                                                                                  \
    "<li><a href=\"../202505/t20250508_33.html\" title=\"" t "\" target=\"_blank\">" t "</a>"          \
    "<span class=\"date\">2025-05-08</span><p>  " x "...</p></li>"

static const char gov_page[] =
    "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\" />"
    "<title>历下区举行重点项目集中签约仪式_项目动态_济南市历下区人民政府</title>"
    "<meta name=\"ArticleTitle\" content=\"历下区举行重点项目集中签约仪式\" /></head><body>"
    "<div class=\"head\"><div class=\"logo\"><a href=\"/\">济南市历下区人民政府</a></div></div>"
    "<div class=\"main w1200\">"
    "<div class=\"position\">当前位置：<a href=\"../../../\">首页</a> &gt; <a href=\"../../\">招商引资</a> &gt; "
    "<a href=\"../\">项目动态</a> &gt; 正文</div>"
    "<div class=\"article\"><div class=\"title\"><h1>历下区举行重点项目集中签约仪式</h1></div>"
    "<div class=\"property\"><span>发布时间：2025-06-25 11:08</span>　<span>来源：历下区投资促进局</span>　"
    "<span>作者：历下区投资促进局</span>　<span>浏览次数：<script type=\"text/javascript\" "
    "src=\"/was5/web/count?id=7\"></script><noscript>69</noscript></span>　<span>【字体：<a "
    "href=\"javascript:doZoom(20)\">大</a> <a href=\"javascript:doZoom(16)\">中</a> <a "
    "href=\"javascript:doZoom(14)\">小</a>】</span></div>"
    "<div class=\"content\" id=\"zoom\"><div class=\"TRS_Editor\">"
    GOV_P("6月24日上午，历下区2025年夏季重点项目集中签约仪式举行，现场签约项目18个，总投资126.5亿元，"
          "涵盖智能制造、生物医药、数字经济等领域，其中十亿元以上项目5个。")
    GOV_P("签约仪式上，华锐数字科技有限公司、弘毅信息技术集团有限公司等企业代表依次上台，与历下区签订投资"
          "合作协议。“选择历下区，看中的是这里完善的产业配套和高效的政务服务。”一位企业负责人说。")
    GOV_P("历下区相关负责人表示，将以此次签约为契机，建立项目跟踪服务机制，实行“一个项目、一名领导、一个专班”，"
          "确保项目签约一个、落地一个、投产一个，为全市经济高质量发展注入强劲动能。")
    "</div></div>"
    "<div class=\"editor\">责任编辑：王磊</div>"
    "<div class=\"tools\">【<a href=\"javascript:window.print();\">打印本页</a>】【<a "
    "href=\"javascript:window.close();\">关闭窗口</a>】</div></div>"
    "<div class=\"related\"><div class=\"related-t\"><h3>相关文章</h3></div><ul>"
    GOV_REL("明水经济技术开发区26个项目集中开工 掀起项目建设热潮",
            "6月26日上午，章丘区2025年秋季重点项目集中开工仪式在明水经济技术开发区举行。此次开工共计26个项目，"
            "总投资246.71亿元，涉及光伏、科创金融、生物医药等多个领域。随着疫情防控政策优化调整，项目建设")
    GOV_REL("历下区兑现招商引资政策奖励 15家企业获奖",
            "会上，历下区为弘毅信息技术集团有限公司、华锐数字科技科技有限公司等5家企业颁发2025年度招商引资"
            "政策兑现奖励，“真金白银”兑现招商惠企承诺。历下区设立总规模35.1亿元的产业引导基金，重点支持")
    "</ul></div></div>"
    "<div class=\"footer\"><p>主办单位：济南市历下区人民政府办公室</p><p>网站标识码：3701020001</p></div>"
    "</body></html>";

TEST(extract_gov_property_line_and_related_teasers)
{
    struct article_opts o;
    memset(&o, 0, sizeof o);
    o.now = NOW;
    o.url = "http://www.lixia.gov.cn/zsyz/xmdt/202506/t20250625_7.html";
    struct buf err = BUF_INIT;
    struct article a;
    article_init(&a);
    CHECK_EQ(article_extract(gov_page, strlen(gov_page), &o, &a, &err), 0);
    CHECK(a.text != NULL);
    CHECK(strstr(a.text, "6月24日上午，历下区2025年夏季重点项目集中签约仪式举行") != NULL);
    CHECK(strstr(a.text, "为全市经济高质量发展注入强劲动能。") != NULL);
    /* the property line: no field of it */
    CHECK(strstr(a.text, "发布时间") == NULL);
    CHECK(strstr(a.text, "浏览次数") == NULL);
    CHECK(strstr(a.text, "字体") == NULL);
    /* the related articles' teasers */
    CHECK(strstr(a.text, "明水经济技术开发区") == NULL);
    CHECK(strstr(a.text, "真金白银") == NULL);
    CHECK(strstr(a.text, "责任编辑") == NULL);
    /* and what the property line says is still read */
    CHECK(a.published != NULL && strncmp(a.published, "2025-06-25T11:08", 16) == 0);
    article_release(&a);
    buf_release(&err);
}

TEST(extract_gov_event_fields_stay)
{
    /* a notice's own labelled fields (time, place, organizer) are its text */
    static const char page[] =
        "<!DOCTYPE html><html><head><meta charset=utf-8><title>关于举办招商引资政策培训会的通知</title></head><body>"
        "<div class=\"article\"><h1>关于举办招商引资政策培训会的通知</h1><div class=\"content\">"
        "<p>各有关单位：为帮助企业用好用足各项惠企政策，经研究，决定举办招商引资政策培训会，现将有关事项"
        "通知如下，请各单位高度重视，认真组织相关人员按时参加，确保培训取得实效。</p>"
        "<p>一、培训时间：2025年7月10日上午9:00 培训地点：区政务服务中心三楼会议室 主办单位：区投资促进局</p>"
        "<p>二、培训内容：招商引资奖励政策解读、项目申报流程、企业开办与工程建设项目审批改革举措等，"
        "请参训人员提前十五分钟到场签到，会场不提供停车位，请尽量乘坐公共交通工具前往。</p>"
        "</div></div></body></html>";
    struct article_opts o;
    memset(&o, 0, sizeof o);
    o.now = NOW;
    struct buf err = BUF_INIT;
    struct article a;
    article_init(&a);
    CHECK_EQ(article_extract(page, strlen(page), &o, &a, &err), 0);
    CHECK(a.text && strstr(a.text, "培训地点：区政务服务中心三楼会议室") != NULL);
    article_release(&a);
    buf_release(&err);
}
