/* test_date.c — the date scanner (parser/date.c) and meta_parse_date():
 * every written form, relative forms against a fixed now, URL paths, bad
 * input, and the rule that relative forms never give a future date. */
#include "tests/check.h"
#include "parser/date.h"
#include "parser/scriptdate.h"
#include "parser/meta.h"

#include <stdint.h>
#include <stdlib.h>

/* 2023-10-10T04:00:00Z = 2023-10-10 12:00 in China (UTC+8). */
#define NOW ((time_t)1696910400)

/* Parses s with meta_parse_date and returns the ISO string (static buffer per call site). */
static const char *pd(const char *s, time_t now, int *kind)
{
    static char out[64];
    int k = meta_parse_date(s, now, out, sizeof out);
    if (kind)
        *kind = k;
    return k ? out : "";
}

#define DATE_IS(s, expect, kindx)                 \
    do {                                          \
        int k_ = -1;                              \
        CHECK_STR(pd((s), NOW, &k_), (expect));   \
        CHECK_EQ(k_, (kindx));                    \
    } while (0)

TEST(date_iso_forms)
{
    DATE_IS("2023-02-03", "2023-02-03", 1);
    DATE_IS("2023-02-03T12:30:00", "2023-02-03T12:30:00", 1);
    DATE_IS("2023-02-03T12:30:00+08:00", "2023-02-03T12:30:00+08:00", 1);
    DATE_IS("2023-02-03T12:30:00.000Z", "2023-02-03T12:30:00+00:00", 1);
    DATE_IS("2022-02-06T12:48:06-0500", "2022-02-06T12:48:06-05:00", 1);
    DATE_IS("2019-09-07 13:43:45", "2019-09-07T13:43:45", 1);
    DATE_IS("2023-02-03 12:30", "2023-02-03T12:30:00", 1);
    DATE_IS("2007-08-20-23:59:59", "2007-08-20T23:59:59", 1);
    DATE_IS("Tue, 10 Dec 2019 07:57:40 +0800", "2019-12-10T07:57:40+08:00", 1);
    DATE_IS("2019-09-07 13:43:45\xe3\x80\x80来源: 网易", "2019-09-07T13:43:45", 1);
    /* a time range is not an offset */
    DATE_IS("2023-02-03 12:30-13:30", "2023-02-03T12:30:00", 1);
}

TEST(date_chinese_forms)
{
    DATE_IS("2023年2月3日", "2023-02-03", 1);
    DATE_IS("2023年2月3日 12:30", "2023-02-03T12:30:00", 1);
    DATE_IS("2004年7月16日08:19 [ 黄宇 ]", "2004-07-16T08:19:00", 1);
    DATE_IS("2005年03月21日 11:21", "2005-03-21T11:21:00", 1);
    DATE_IS("2023 年 2 月 3 日", "2023-02-03", 1);
    DATE_IS("2023年2月3号", "2023-02-03", 1);
    DATE_IS("2023年2月3日12时30分", "2023-02-03T12:30:00", 1);
    DATE_IS("2023年2月3日 下午3:05", "2023-02-03T15:05:00", 1);
    DATE_IS("发布时间：2022-02-13 04:22:18", "2022-02-13T04:22:18", 1);
    DATE_IS("时间：2004年10月21日14:18", "2004-10-21T14:18:00", 1);
    DATE_IS("日期:2023/2/3", "2023-02-03", 1);
    DATE_IS("2023/02/03 08:00", "2023-02-03T08:00:00", 1);
    DATE_IS("2022.01.20 16:31", "2022-01-20T16:31:00", 1);
    DATE_IS("（2022年02月13日 02版）", "2022-02-13", 1);
    DATE_IS("２０２３年２月３日", "2023-02-03", 1);
    DATE_IS("发表于 2005-9-15 11:46:00", "2005-09-15T11:46:00", 1);
    DATE_IS("2005-04-27 14:32PM", "2005-04-27T14:32:00", 1);
    DATE_IS("2005年09月07日 11:57 AM", "2005-09-07T11:57:00", 1);
    DATE_IS("发布时间 2005/05/17 22:11:42 by", "2005-05-17T22:11:42", 1);
    DATE_IS("发布时间：18-03-08", "2018-03-08", 1);
}

TEST(date_western_forms)
{
    DATE_IS("May 31, 2012", "2012-05-31", 1);
    DATE_IS("Posted on March 3rd, 2020 at 10:15 pm", "2020-03-03T22:15:00", 1);
    DATE_IS("Sept. 5 2019", "2019-09-05", 1);
    DATE_IS("31 May 2012", "2012-05-31", 1);
    DATE_IS("31. Mai 2012", "2012-05-31", 1);
    DATE_IS("le 3 février 2021", "2021-02-03", 1);
    DATE_IS("3 de mayo de 2019", "2019-05-03", 1);
    DATE_IS("9/17/2004 5:54:13 AM", "2004-09-17T05:54:13", 1);
    DATE_IS("17/9/2004", "2004-09-17", 1);
    DATE_IS("31.05.2012", "2012-05-31", 1);
    DATE_IS("Thursday, 12 January 2017, 14:00", "2017-01-12T14:00:00", 1);
}

TEST(date_relative_forms)
{
    /* now is 2023-10-10 12:00 in China, 04:00 UTC */
    DATE_IS("刚刚", "2023-10-10T12:00:00", 2);
    DATE_IS("5分钟前", "2023-10-10T11:55:00", 2);
    DATE_IS("30秒前", "2023-10-10T11:59:30", 2);
    DATE_IS("3小时前", "2023-10-10T09:00:00", 2);
    DATE_IS("13小时前", "2023-10-09T23:00:00", 2);
    DATE_IS("昨天", "2023-10-09", 2);
    DATE_IS("昨天 18:30", "2023-10-09T18:30:00", 2);
    DATE_IS("前天", "2023-10-08", 2);
    DATE_IS("今天 08:15", "2023-10-10T08:15:00", 2);
    DATE_IS("3天前", "2023-10-07", 2);
    DATE_IS("2周前", "2023-09-26", 2);
    DATE_IS("1年前", "2022-10-10", 2);
    DATE_IS("2个月前", "2023-08-10", 2);
    DATE_IS("admin9个月前 (09-30)天津产业信息64", "2023-09-30", 2);
    DATE_IS("9个月前（09-30）", "2023-09-30", 2);
    /* month-day after now: the year before */
    DATE_IS("9个月前 (12-30)", "2022-12-30", 2);
    DATE_IS("1天前 (10-11)", "2022-10-11", 2);
    DATE_IS("just now", "2023-10-10T04:00:00", 2);
    DATE_IS("2 hours ago", "2023-10-10T02:00:00", 2);
    DATE_IS("3 days ago", "2023-10-07", 2);
    DATE_IS("Yesterday", "2023-10-09", 2);
    /* bare month-day: year from now, never in the future */
    DATE_IS("发布时间：10-08", "2023-10-08", 2);
    DATE_IS("发布时间：10-18", "2022-10-18", 2);
    DATE_IS("2月3日 12:30", "2023-02-03T12:30:00", 2);
    DATE_IS("09-07 13:43", "2023-09-07T13:43:00", 2);
}

TEST(date_relative_never_future)
{
    /* Every month-day of a leap year against many reference times. */
    char s[64], out[64];
    for (time_t now = 946684800; now < 1900000000; now += 86400 * 37 + 3671) {
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= 31; d += 3) {
                snprintf(s, sizeof s, "3个月前 (%02d-%02d)", m, d);
                int k = meta_parse_date(s, now, out, sizeof out);
                if (!k)
                    continue; /* 02-31 and the like */
                CHECK_EQ(k, 2);
                struct date_hit h;
                CHECK_EQ(date_find(s, strlen(s), now, DATE_RELATIVE_OK, &h), 2);
                /* CST day number of now */
                long today = (long)((now + 8 * 3600) / 86400);
                CHECK(date_days(&h.v) <= today);
                CHECK(date_days(&h.v) > today - 367);
            }
        static const char *const rel[] = { "刚刚", "59分钟前", "23小时前", "昨天", "前天", "7天前", "11个月前",
                                           "2年前", "5 minutes ago", "yesterday", "10-10", "12-31 23:59" };
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            struct date_hit h;
            int k = date_find(rel[i], strlen(rel[i]), now, DATE_RELATIVE_OK | DATE_BARE_OK, &h);
            CHECK_EQ(k, 2);
            long today = (long)((now + 8 * 3600) / 86400) + 0;
            CHECK(date_days(&h.v) <= today);
        }
    }
}

TEST(date_no_date)
{
    static const char *const none[] = {
        "", "hello world", "2023", "2023年", "2023年2月", "13/45/2020", "2023-13-01", "2023-02-30",
        "2023-00-10", "1.2.3", "10.0.0.1", "版本 3.2.1", "电话 010-8888-2012x", "0000-00-00",
        "2019-09-071", "12019-09-07", "9999-01-01", "1800-01-01", "1234567890", "May 2012",
        "ISBN 978-7-111-2023", "¥2023.02", "2023-", "-", "年月日", "昨", "分钟前", "前",
        "第3天前往", "\xff\xfe\xfd", "2023\xe5\xb9", "99999年前", "99999个月前", "99999天前",
        "2023-02-03\xe5",
    };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        int k = -1;
        const char *r = pd(none[i], NOW, &k);
        if (i == sizeof none / sizeof none[0] - 1) {
            /* a truncated UTF-8 byte after a valid date: the date is kept */
            CHECK_STR(r, "2023-02-03");
            continue;
        }
        if (k != 0)
            fprintf(stderr, "unexpected date in \"%s\": %s\n", none[i], r);
        CHECK_EQ(k, 0);
    }
    char out[8];
    CHECK_EQ(meta_parse_date("2023-02-03", NOW, out, sizeof out), 0); /* cap < 32 */
    CHECK_EQ(meta_parse_date(NULL, NOW, out, sizeof out), 0);
}

TEST(date_first_wins_and_span)
{
    struct date_hit h;
    const char *s = "更新于 2023-05-06，发布于 2023-05-01";
    CHECK_EQ(date_find(s, strlen(s), NOW, 0, &h), 1);
    CHECK_EQ(h.v.day, 6);
    CHECK_EQ(h.start, strlen("更新于 "));
    CHECK_EQ(h.end, strlen("更新于 2023-05-06"));
    /* not after now when asked */
    s = "2024-01-05 会议召开，2023-01-05 发布";
    CHECK_EQ(date_find(s, strlen(s), NOW, DATE_NOT_AFTER_NOW, &h), 1);
    CHECK_EQ(h.v.year, 2023);
    CHECK_EQ(date_find(s, strlen(s), NOW, 0, &h), 1);
    CHECK_EQ(h.v.year, 2024);
    /* relative forms only when asked */
    s = "3小时前";
    CHECK_EQ(date_find(s, strlen(s), NOW, 0, &h), 0);
    s = "10-08";
    CHECK_EQ(date_find(s, strlen(s), NOW, DATE_RELATIVE_OK, &h), 0);
    CHECK_EQ(date_find(s, strlen(s), NOW, DATE_BARE_OK, &h), 2);
    CHECK_EQ(h.bare, 1);
    /* not NUL-terminated: only n bytes are read */
    char buf[10];
    memcpy(buf, "2023-02-03", 10);
    CHECK_EQ(date_find(buf, 10, NOW, 0, &h), 1);
    CHECK_EQ(date_find(buf, 9, NOW, 0, &h), 0);
}

TEST(date_urls)
{
    struct date_val v;
    char out[64];
#define URL_IS(u, expect)                                              \
    do {                                                               \
        memset(&v, 0, sizeof v);                                       \
        int ok_ = date_from_url((u), NOW, &v);                         \
        CHECK_STR(ok_ && date_format(&v, out, sizeof out) ? out : "", (expect)); \
    } while (0)
    URL_IS("http://www.xinhuanet.com/world/2019-12/10/c_1125327450.htm", "2019-12-10");
    URL_IS("https://money.163.com/19/0907/13/EOFOC8MJ00258105.html", "2019-09-07");
    URL_IS("http://news.163.com/20/0229/18/F6ISIFBD0001899O.html", "2020-02-29");
    URL_IS("https://example.com/2019/09/07/some-slug/", "2019-09-07");
    URL_IS("http://business.sohu.com/20050311/n224643115.shtml", "2005-03-11");
    URL_IS("https://new.qq.com/omn/20190907/20190907A081B000.html", "2019-09-07");
    URL_IS("https://www.guancha.cn/politics/2019_09_09_517162.shtml", "2019-09-09");
    URL_IS("http://chanye.finance.sina.com.cn/sm/2005-03-21/244339.shtml", "2005-03-21");
    URL_IS("http://x.cn/a/201902/19/x.html", "2019-02-19");
    URL_IS("http://x.cn/a/20230203/", "2023-02-03");
    URL_IS("https://www.ednchina.com/news/201909251301.html", "2019-09-25");
    /* Hanweb JCMS articles: /art/Y/M/D/art_COLUMN_ID.html, month and day unpadded */
    URL_IS("http://www.zj.gov.cn/art/2023/10/10/art_1234_567890.html", "2023-10-10");
    URL_IS("http://www.nb.gov.cn/art/2023/1/5/art_1229_60166916.html", "2023-01-05");
    CHECK_STR(date_url_source("http://www.zj.gov.cn/art/2023/10/10/art_1234_567890.html"), "url_hanweb");
    CHECK_STR(date_url_source("http://www.nb.gov.cn/art/2023/1/5/art_1229_60166916.html"), "url_hanweb");
    CHECK_STR(date_url_source("http://gov.example.cn/col/zsyz/202310/t20231010_1009.html"), "url_trs");
    CHECK_STR(date_url_source("http://gov.example.cn/col/202310/t20231110_1009.html"), "url");
    CHECK_STR(date_url_source("https://example.com/2019/09/07/some-slug/"), "url");
    CHECK_STR(date_url_source("http://x.cn/art/2023/10/10/other.html"), "url");
    CHECK_STR(date_url_source(NULL), "url");
    URL_IS("https://example.com/2019/09/page?date=2019-09-07", "");
    URL_IS("https://ol.gamersky.com/news/201909/1220000.shtml", "");
    URL_IS("http://baijiahao.baidu.com/s?id=1646796218135408573", "");
    URL_IS("https://example.com/2030/01/01/future", "");
    URL_IS("https://example.com/", "");
    URL_IS("not a url", "");
    URL_IS("", "");
    CHECK_EQ(date_from_url(NULL, NOW, &v), 0);
#undef URL_IS
}

TEST(date_format_and_valid)
{
    struct date_val v;
    memset(&v, 0, sizeof v);
    char out[64];
    v.year = 2024, v.month = 2, v.day = 29;
    CHECK(date_valid(&v));
    CHECK_EQ(date_format(&v, out, sizeof out), 10);
    CHECK_STR(out, "2024-02-29");
    v.year = 2023;
    CHECK(!date_valid(&v));
    CHECK_EQ(date_format(&v, out, sizeof out), 0);
    v.year = 2000, v.month = 12, v.day = 31, v.has_time = 1, v.hour = 23, v.min = 59, v.sec = 60;
    CHECK_EQ(date_format(&v, out, sizeof out), 19);
    CHECK_STR(out, "2000-12-31T23:59:59");
    v.has_tz = 1, v.tz_min = -(5 * 60 + 30);
    date_format(&v, out, sizeof out);
    CHECK_STR(out, "2000-12-31T23:59:59-05:30");
    v.hour = 24;
    CHECK(!date_valid(&v));
    v.hour = 1, v.year = 1969;
    CHECK(!date_valid(&v));
    memset(&v, 0, sizeof v);
    v.year = 1970, v.month = 1, v.day = 1;
    CHECK_EQ(date_days(&v), 0);
    v.year = 2023, v.month = 10, v.day = 10;
    CHECK_EQ(date_days(&v), (long)(NOW / 86400));
}

/* Garbage must never crash or read past n: random bytes and random mixes
 * of date-ish pieces, each scanned from a heap copy of exactly n bytes. */
TEST(date_garbage)
{
    static const char *const pieces[] = { "2023", "-", "/", ".", "年", "月", "日", "02", "3", "12:",
                                          "30", ":", "前", "分钟", "个月", "(", "09-30", ")", "昨天",
                                          " ", "T", "+08", "Z", "May", "\xe5", "\xef\xbc\x91", "ago",
                                          "下午", "时", "秒", "\xc3", "pm" };
    uint32_t r = 12345;
    for (int it = 0; it < 20000; it++) {
        char tmp[128];
        size_t n = 0;
        int parts = 1 + (int)(r % 9);
        for (int j = 0; j < parts; j++) {
            r = r * 1103515245u + 12345u;
            if (r % 5 == 0) {
                tmp[n++] = (char)(r >> 8);
                continue;
            }
            const char *pc = pieces[(r >> 8) % (sizeof pieces / sizeof pieces[0])];
            size_t l = strlen(pc);
            if (n + l >= sizeof tmp)
                break;
            memcpy(tmp + n, pc, l);
            n += l;
        }
        char *h = malloc(n ? n : 1);
        memcpy(h, tmp, n);
        struct date_hit hit;
        time_t now = (time_t)(r % 2000000000u);
        int k = date_find(h, n, now, DATE_RELATIVE_OK | DATE_BARE_OK, &hit);
        if (k) {
            CHECK(hit.start < hit.end && hit.end <= n);
            CHECK(date_valid(&hit.v));
        }
        free(h);
    }
}

struct snips {
    char v[8][DATE_SNIPPET_MAX];
    int n;
};

static void add_snip(const char *s, size_t len, void *ud)
{
    struct snips *sn = ud;
    if (sn->n < 8) {
        snprintf(sn->v[sn->n], DATE_SNIPPET_MAX, "%.*s", (int)len, s);
        sn->n++;
    }
}

TEST(date_script_snippets_keys)
{
    /* WeChat's `var ct`, object keys, quotes stripped; a lookup by id,
     * a longer identifier and a comparison are no assignments. */
    const char js[] = "document.getElementById(\"publish_time\");\n var cta = \"1\";\n"
                      "if (publish_time == 3) {}\n my_pubtime = \"2020-01-01\";\n"
                      "    var ct = \"1581517074\";\n var o = {\"publishTime\": '2020-02-12 22:17', x: 1};\n"
                      "pubDate=20200212;";
    struct snips sn;
    memset(&sn, 0, sizeof sn);
    CHECK_EQ(date_script_snippets(js, sizeof js - 1, add_snip, &sn), 3);
    CHECK_STR(sn.v[0], "ct=1581517074");
    CHECK_STR(sn.v[1], "publishTime=2020-02-12 22:17");
    CHECK_STR(sn.v[2], "pubDate=20200212");
    /* nothing with a digit, an unterminated quote, empty input */
    memset(&sn, 0, sizeof sn);
    CHECK_EQ(date_script_snippets("var ct = \"\"; publish_time: 'abc'", 33, add_snip, &sn), 0);
    CHECK_EQ(date_script_snippets("pubtime = \"2020", 15, add_snip, &sn), 0);
    CHECK_EQ(date_script_snippets("", 0, add_snip, &sn), 0);
}
