/* test_export.c — the read side of the store: SURT keys (against the python
 * surt package's own test values), and export/get/ls/stats/reextract over
 * archives written through store/archive.h from fixture pages. */
#include "tests/check.h"
#include "store/surt.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

static void check_surt(const char *url, const char *want, const char *file, int line)
{
    struct buf b = BUF_INIT;
    int rc = surt_key(url, strlen(url), &b);
    if (rc != 0 || strcmp(buf_str(&b), want) != 0) {
        fprintf(stderr, "%s:%d: surt(\"%s\")\n  got:      \"%s\" (rc %d)\n  expected: \"%s\"\n",
                file, line, url, buf_str(&b), rc, want);
        test_failures++;
    }
    buf_release(&b);
}
#define SURT_IS(url, want) check_surt(url, want, __FILE__, __LINE__)

TEST(surt_python_surt_values)
{
    /* From internetarchive/surt tests/test_surt.py (WaybackURLKeyMakerTest). */
    SURT_IS("http://www.archive.org/", "org,archive)/");
    SURT_IS("http://archive.org/", "org,archive)/");
    SURT_IS("http://archive.org/goo/", "org,archive)/goo");
    SURT_IS("http://archive.org/goo/?", "org,archive)/goo");
    SURT_IS("http://archive.org/goo/?b&a", "org,archive)/goo?a&b");
    SURT_IS("http://archive.org/goo/?a=2&b&a=1", "org,archive)/goo?a=1&a=2&b");
    SURT_IS("http://archive.org/index.php?PHPSESSID=0123456789abcdefghijklemopqrstuv&action=profile;u=4221",
            "org,archive)/index.php?action=profile;u=4221");
    SURT_IS("whois://whois.isoc.org.il/shaveh.co.il", "il,org,isoc,whois)/shaveh.co.il");
    SURT_IS("http://visit.webhosting.yahoo.com/visit.gif?&r=http%3A//web.archive.org/web/20090517140029/"
            "http%3A//anthonystewarthead.electric-chi.com/&b=Netscape%205.0%20%28Windows%3B%20en-US%29"
            "&s=1366x768&o=Win32&c=24&j=true&v=1.2",
            "com,yahoo,webhosting,visit)/visit.gif?&b=netscape%205.0%20(windows;%20en-us)&c=24&j=true"
            "&o=win32&r=http://web.archive.org/web/20090517140029/http://anthonystewarthead.electric-chi.com/"
            "&s=1366x768&v=1.2");
    /* DefaultIAURLCanonicalizer / IAURLCanonicalizer / Google values, as SURTs. */
    SURT_IS("http://www34.archive.org/index.html?b=a&b=b&a=b", "org,archive)/index.html?a=b&b=a&b=b");
    SURT_IS("http://archive.org/index.html?", "org,archive)/index.html");
    SURT_IS("http://ARCHIVE.ORG/", "org,archive)/");
    SURT_IS("http://www.archive.org:80/", "org,archive)/");
    SURT_IS("https://www.archive.org:80/", "org,archive:80)/");
    SURT_IS("http://www.archive.org:443/", "org,archive:443)/");
    SURT_IS("https://www.archive.org:443/", "org,archive)/");
    SURT_IS("http://www.archive.org/big/", "org,archive)/big");
    SURT_IS("http://host/%25%32%35", "host)/%25");
    SURT_IS("http://host/%2525252525252525", "host)/%25");
    SURT_IS("http://host/%%%25%32%35asd%%", "host)/%25%25%25asd%25%25");
    SURT_IS("http://host%23.com/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%252833%252944_55%252B",
            "com,host%23)/~a!b@c%23d$e%25f^00&11*22(33)44_55+");
    SURT_IS("http://3279880203/blah", "11,0,127,195)/blah");
    SURT_IS("http://www.google.com/blah/..", "com,google)/");
    SURT_IS("www.google.com", "com,google)/");
    SURT_IS("  http://www.google.com/  ", "com,google)/");
    SURT_IS("http://www.evil.com/blah#frag", "com,evil)/blah");
    SURT_IS("http://www.GOOgle.com/", "com,google)/");
    SURT_IS("http://www.google.com.../", "com,google)/");
    SURT_IS("http://www.google.com/foo\tbar\rbaz\n2", "com,google)/foobarbaz2");
    SURT_IS("http://evil.com/foo;", "com,evil)/foo;");
    SURT_IS("http://host.com//twoslashes?more//slashes", "com,host)/twoslashes?more//slashes");
    SURT_IS("http:////////////////www.vikings.com", "com,vikings)/");
    SURT_IS("http://https://order.1and1.com", "com,1and1,order)/");
    SURT_IS("http://mineral.galleries.com:/minerals/silicate/chabazit/chabazit.htm",
            "com,galleries,mineral)/minerals/silicate/chabazit/chabazit.htm");
    SURT_IS("http://www.gotaport.com:1234/", "com,gotaport:1234)/");
    SURT_IS("http://user:pw@www.example.com/A", "com,example)/a");
    SURT_IS("http://example.com/foo?X=Y", "com,example)/foo?x=y");
    SURT_IS("http://archive.org/(S(4hqa0555fwsecu455xqckv45))/mileg.aspx", "org,archive)/mileg.aspx");
    SURT_IS("http://archive.org/(4hqa0555fwsecu455xqckv45)/mileg.aspx", "org,archive)/mileg.aspx");
    SURT_IS("http://a.org/x?one=two&jsessionid=0123456789abcdefghijklemopqrstuv&x=y", "org,a)/x?one=two&x=y");
    SURT_IS("http://a.org/x?CFID=1169580&CFTOKEN=48630702&dtstamp=22%2F08%2F2006",
            "org,a)/x?dtstamp=22/08/2006");
}

TEST(surt_news_urls)
{
    SURT_IS("http://www.cwce.cn/news/2023/02/t20230203_123.html", "cn,cwce)/news/2023/02/t20230203_123.html");
    SURT_IS("https://news.example.com.cn/a/b.shtml?id=5&page=2", "cn,com,example,news)/a/b.shtml?id=5&page=2");
    SURT_IS("http://a.cn/\xe6\x96\xb0\xe9\x97\xbb?q=\xe4\xb8\xad", "cn,a)/%e6%96%b0%e9%97%bb?q=%e4%b8%ad");
    SURT_IS("http://a.cn/%D6%D0.html", "cn,a)/%d6%d0.html"); /* GBK escape survives */
    SURT_IS("http://a.cn/a b", "cn,a)/a%20b");
    SURT_IS("http://127.0.0.1:8080/p/1", "1,0,0,127:8080)/p/1");
    struct buf b = BUF_INIT;
    CHECK_EQ(surt_key("", 0, &b), NA_EINVAL);
    CHECK_EQ(surt_key("   ", 3, &b), NA_EINVAL);
    buf_release(&b);
}
