/* test_propose.c — crawler/propose.c's URL shapes (the article = regexes
 * newsarc propose writes). */
#include "tests/check.h"
#include "crawler/propose.h"

#include <regex.h>
#include <stdlib.h>

static void shape_is(const char *url, const char *want)
{
    char *s = propose_shape(url);
    CHECK_STR(s, want);
    regex_t re;
    CHECK(s && regcomp(&re, s, REG_EXTENDED | REG_NOSUB) == 0);
    if (s) {
        CHECK(regexec(&re, url, 0, NULL, 0) == 0); /* it matches what it came from */
        regfree(&re);
    }
    free(s);
}

TEST(propose_shape_of_cms_urls)
{
    shape_is("http://www.a.cn/post/386.html", "^http://www\\.a\\.cn/post/[0-9]+\\.html$");
    shape_is("http://a.cn/2023/1010/12.html", "^http://a\\.cn/[0-9]+/[0-9]+/[0-9]+\\.html$");
    shape_is("http://gov.cn:8080/xwzx/202310/t20231010_1009.html",
             "^http://gov\\.cn:8080/xwzx/[0-9]+/t[0-9]+_[0-9]+\\.html$");
    shape_is("http://a.cn/show.asp?id=17", "^http://a\\.cn/show\\.asp\\?id=[0-9]+$");
    shape_is("https://a.cn/index.php?m=content&c=index&a=show&catid=12&id=345",
             "^https://a\\.cn/index\\.php\\?m=content&c=index&a=show&catid=[0-9]+&id=[0-9]+$");
    CHECK(propose_shape("ftp://a.cn/1") == NULL);
}
