/* test_charset.c — parser/charset: WHATWG label mapping, BOMs, declared and
 * undeclared GBK, lying declarations, invalid UTF-8 (always valid output). */
#include "tests/check.h"
#include "parser/charset.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

/* "中文新闻稿件" in GBK, and a longer GBK paragraph for the detector. */
#define GBK_ZHONGWEN "\xd6\xd0\xce\xc4\xd0\xc2\xce\xc5\xb8\xe5\xbc\xfe"

static char *convert(const char *in, size_t n, const char *label, struct charset_info *ci)
{
    struct buf out = BUF_INIT, err = BUF_INIT;
    int rc = charset_to_utf8(in, n, label, &out, ci, &err);
    CHECK_EQ(rc, 0);
    char *s = buf_detach(&out, NULL);
    buf_release(&err);
    CHECK(s && charset_valid_utf8(s, strlen(s)));
    return s;
}

/* A few hundred bytes of GBK prose: the seed body's first paragraphs. */
static char *gbk_prose(size_t *n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/seed-article.html", test_srcdir());
    char *html = test_read_file(path, n);
    CHECK(html != NULL);
    return html;
}

TEST(charset_labels)
{
    CHECK_STR(charset_canonical("gb2312"), "GB18030");
    CHECK_STR(charset_canonical("GBK"), "GB18030");
    CHECK_STR(charset_canonical("x-gbk"), "GB18030");
    CHECK_STR(charset_canonical("chinese"), "GB18030");
    CHECK_STR(charset_canonical(" iso-8859-1 "), "WINDOWS-1252");
    CHECK_STR(charset_canonical("latin1"), "WINDOWS-1252");
    CHECK_STR(charset_canonical("US-ASCII"), "WINDOWS-1252");
    CHECK_STR(charset_canonical("big5"), "BIG5-HKSCS");
    CHECK_STR(charset_canonical("shift_jis"), "CP932");
    CHECK_STR(charset_canonical("euc-kr"), "CP949");
    CHECK_STR(charset_canonical("utf-16"), "UTF-16LE");
    CHECK_STR(charset_canonical("utf-16be"), "UTF-16BE");
    CHECK_STR(charset_canonical("UTF8"), "UTF-8");
    CHECK(charset_canonical("no-such-charset") == NULL);
    CHECK(charset_canonical("") == NULL);
    CHECK(charset_canonical(NULL) == NULL);
}

TEST(charset_valid_utf8)
{
    CHECK(charset_valid_utf8("abc", 3));
    CHECK(charset_valid_utf8("\xe4\xb8\xad", 3));
    CHECK(!charset_valid_utf8("\xe4\xb8", 2));           /* truncated */
    CHECK(!charset_valid_utf8("\xc0\xaf", 2));           /* overlong */
    CHECK(!charset_valid_utf8("\xed\xa0\x80", 3));       /* surrogate */
    CHECK(!charset_valid_utf8("\xf4\x90\x80\x80", 4));   /* > U+10FFFF */
}

TEST(charset_meta_gbk)
{
    const char html[] = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">"
                        "</head><body><p>" GBK_ZHONGWEN "</p></body></html>";
    struct charset_info ci;
    char *s = convert(html, sizeof html - 1, NULL, &ci);
    CHECK_CONTAINS(s, "<p>中文新闻稿件</p>");
    CHECK_STR(ci.name, "GB18030");
    CHECK_STR(ci.source, "meta");
    CHECK_EQ(ci.invalid, 0);
    free(s);
}

TEST(charset_meta_charset_attr)
{
    const char html[] = "<!-- <meta charset=big5> --><meta charset='GBK'><p>" GBK_ZHONGWEN "</p>";
    struct charset_info ci;
    char *s = convert(html, sizeof html - 1, NULL, &ci);
    CHECK_CONTAINS(s, "中文新闻稿件");
    CHECK_STR(ci.name, "GB18030");
    free(s);
}

TEST(charset_http_label_wins_over_meta)
{
    const char html[] = "<meta charset=\"utf-8\"><p>" GBK_ZHONGWEN "</p>";
    struct charset_info ci;
    char *s = convert(html, sizeof html - 1, "gbk", &ci);
    CHECK_CONTAINS(s, "中文新闻稿件");
    CHECK_STR(ci.source, "http");
    free(s);
}

TEST(charset_undeclared_gbk_detected)
{
    size_t n;
    char *html = gbk_prose(&n);
    if (!html)
        return;
    /* cut the declaration out: the detector must find GBK on its own */
    char *m = strstr(html, "charset=gb2312");
    CHECK(m != NULL);
    if (m)
        memcpy(m, "charzet=gb2312", 14);
    struct charset_info ci;
    char *s = convert(html, n, NULL, &ci);
    CHECK_CONTAINS(s, "济南各区县抢跑");
    CHECK_STR(ci.name, "GB18030");
    CHECK_STR(ci.source, "detected");
    free(s);
    free(html);
}

TEST(charset_lying_declaration)
{
    size_t n;
    char *html = gbk_prose(&n);
    if (!html)
        return;
    /* the page says UTF-8 but is GBK */
    struct charset_info ci;
    char *s = convert(html, n, "utf-8", &ci);
    CHECK_CONTAINS(s, "济南各区县抢跑");
    CHECK_STR(ci.name, "GB18030");
    CHECK_STR(ci.source, "detected");
    free(s);
    /* ... or latin1, which decodes any byte without an error */
    s = convert(html, n, "iso-8859-1", &ci);
    CHECK_CONTAINS(s, "济南各区县抢跑");
    CHECK_STR(ci.name, "GB18030");
    free(s);
    free(html);
}

TEST(charset_declared_gbk_but_utf8)
{
    const char html[] = "<meta charset=gb2312><p>中文新闻稿件，天津产业信息。</p>";
    struct charset_info ci;
    char *s = convert(html, sizeof html - 1, NULL, &ci);
    CHECK_CONTAINS(s, "中文新闻稿件，天津产业信息。");
    CHECK_STR(ci.name, "UTF-8");
    free(s);
}

TEST(charset_bom)
{
    const char u8[] = "\xef\xbb\xbf<meta charset=gbk><p>中文</p>";
    struct charset_info ci;
    char *s = convert(u8, sizeof u8 - 1, "gbk", &ci);
    CHECK_STR(s, "<meta charset=gbk><p>中文</p>");
    CHECK_STR(ci.source, "bom");
    CHECK_STR(ci.name, "UTF-8");
    free(s);
    const char u16[] = "\xff\xfe<\0p\0>\0\x2d\x4e\x87\x65";
    s = convert(u16, sizeof u16 - 1, NULL, &ci);
    CHECK_STR(s, "<p>中文");
    CHECK_STR(ci.name, "UTF-16LE");
    free(s);
    const char u16be[] = "\xfe\xff\0<\0p\0>\x4e\x2d";
    s = convert(u16be, sizeof u16be - 1, NULL, &ci);
    CHECK_STR(s, "<p>中");
    CHECK_STR(ci.name, "UTF-16BE");
    free(s);
}

TEST(charset_invalid_utf8_replaced)
{
    const char in[] = "<meta charset=utf-8>ok \xff\xfe end \xe4\xb8 x";
    struct charset_info ci;
    char *s = convert(in, sizeof in - 1, NULL, &ci);
    CHECK_STR(s, "<meta charset=utf-8>ok \xef\xbf\xbd\xef\xbf\xbd end \xef\xbf\xbd\xef\xbf\xbd x");
    CHECK_EQ(ci.invalid, 4);
    free(s);
}

TEST(charset_invalid_gbk_replaced)
{
    /* 0x80 and 0xFF are not GBK lead bytes; a truncated pair at the end */
    const char in[] = "<meta charset=gbk>" GBK_ZHONGWEN "\x80" "a\xff" "b\xd6";
    struct charset_info ci;
    char *s = convert(in, sizeof in - 1, NULL, &ci);
    CHECK_CONTAINS(s, "中文新闻稿件");
    CHECK_CONTAINS(s, "\xef\xbf\xbd");
    CHECK(ci.invalid >= 2);
    free(s);
}

TEST(charset_empty_and_ascii)
{
    struct charset_info ci;
    char *s = convert("", 0, NULL, &ci);
    CHECK_STR(s, "");
    free(s);
    s = convert("plain <b>ascii</b>", 18, NULL, &ci);
    CHECK_STR(s, "plain <b>ascii</b>");
    CHECK_STR(ci.name, "UTF-8");
    free(s);
}

TEST(charset_output_cap)
{
    struct buf out, err = BUF_INIT;
    buf_init(&out, 8);
    struct charset_info ci;
    int rc = charset_to_utf8("<p>more than eight bytes</p>", 28, NULL, &out, &ci, &err);
    CHECK(rc < 0);
    CHECK(err.len > 0);
    buf_release(&out);
    buf_release(&err);
}
