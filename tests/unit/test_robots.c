/* test_robots.c — robots.txt per RFC 9309, mostly the RFC's own examples
 * (sections 2.1, 2.2.2, 2.2.3, 5.1, 5.2) plus group merging, product-token
 * matching, percent-encoding, the 500 KiB limit, Crawl-delay and Sitemap. */
#include "tests/check.h"
#include "crawler/robots.h"

#include <stdlib.h>
#include <string.h>

static struct robots *parse(const char *txt, const char *agent)
{
    return robots_parse(txt, strlen(txt), agent);
}

/* RFC 9309 5.1 "Simple Example". */
static const char rfc_simple[] =
    "User-Agent: *\n"
    "Disallow: *.gif$\n"
    "Disallow: /example/\n"
    "Allow: /publications/\n"
    "\n"
    "User-Agent: foobot\n"
    "Disallow:/\n"
    "Allow:/example/page.html\n"
    "Allow:/example/allowed.gif\n"
    "\n"
    "User-Agent: barbot\n"
    "User-Agent: bazbot\n"
    "Disallow: /example/page.html\n"
    "\n"
    "User-Agent: quxbot\n"
    "\n"
    "EOF\n";

TEST(robots_rfc_simple_example_foobot)
{
    struct robots *r = parse(rfc_simple, "foobot");
    CHECK(r != NULL);
    CHECK_EQ(robots_allowed(r, "/example/page.html"), 1);
    CHECK_EQ(robots_allowed(r, "/example/allowed.gif"), 1);
    CHECK_EQ(robots_allowed(r, "/example/"), 0);
    CHECK_EQ(robots_allowed(r, "/publications/"), 0);
    CHECK_EQ(robots_allowed(r, "/"), 0);
    CHECK_EQ(robots_allowed(r, "/robots.txt"), 1); /* implicitly allowed */
    robots_free(r);
}

TEST(robots_rfc_simple_example_barbot_bazbot)
{
    const char *bots[] = { "barbot", "bazbot", "BarBot" };
    for (size_t i = 0; i < 3; i++) {
        struct robots *r = parse(rfc_simple, bots[i]);
        CHECK_EQ(robots_allowed(r, "/example/page.html"), 0);
        CHECK_EQ(robots_allowed(r, "/example/other.html"), 1);
        CHECK_EQ(robots_allowed(r, "/x.gif"), 1); /* the '*' group does not apply */
        robots_free(r);
    }
}

TEST(robots_rfc_simple_example_quxbot_empty_group_allows_all)
{
    struct robots *r = parse(rfc_simple, "quxbot");
    CHECK_EQ(robots_allowed(r, "/example/page.html"), 1);
    CHECK_EQ(robots_allowed(r, "/a.gif"), 1);
    robots_free(r);
}

TEST(robots_rfc_simple_example_star_group)
{
    struct robots *r = parse(rfc_simple, "newsarc");
    CHECK_EQ(robots_allowed(r, "/a/b.gif"), 0);
    CHECK_EQ(robots_allowed(r, "/a/b.gif?x=1"), 1); /* '$' anchors at the end */
    CHECK_EQ(robots_allowed(r, "/example/x"), 0);
    CHECK_EQ(robots_allowed(r, "/publications/x"), 1);
    CHECK_EQ(robots_allowed(r, "/other"), 1);
    robots_free(r);
}

/* RFC 9309 5.2 "Longest Match". */
TEST(robots_rfc_longest_match)
{
    struct robots *r = parse("User-Agent: foobot\n"
                             "Allow: /example/page/\n"
                             "Disallow: /example/page/disallowed.gif\n",
                             "foobot");
    CHECK_EQ(robots_allowed(r, "/example/page/"), 1);
    CHECK_EQ(robots_allowed(r, "/example/page/ok.html"), 1);
    CHECK_EQ(robots_allowed(r, "/example/page/disallowed.gif"), 0);
    robots_free(r);
    /* The same, order swapped: the order of rules does not matter. */
    r = parse("user-agent: foobot\ndisallow: /\nallow: /a\ndisallow: /a/b\n", "foobot");
    CHECK_EQ(robots_allowed(r, "/x"), 0);
    CHECK_EQ(robots_allowed(r, "/a"), 1);
    CHECK_EQ(robots_allowed(r, "/a/c"), 1);
    CHECK_EQ(robots_allowed(r, "/a/b/c"), 0);
    robots_free(r);
}

/* RFC 9309 2.2.2: equivalent allow and disallow: allow wins. */
TEST(robots_allow_wins_ties)
{
    struct robots *r = parse("User-agent: *\nDisallow: /page\nAllow: /page\n", "newsarc");
    CHECK_EQ(robots_allowed(r, "/page"), 1);
    robots_free(r);
    r = parse("User-agent: *\nAllow: /pag*\nDisallow: /page\n", "newsarc");
    CHECK_EQ(robots_allowed(r, "/page.html"), 1); /* same length: allow */
    robots_free(r);
    r = parse("User-agent: *\nAllow: /p\nDisallow: /page\n", "newsarc");
    CHECK_EQ(robots_allowed(r, "/page.html"), 0); /* longer disallow */
    robots_free(r);
}

/* RFC 9309 2.1: groups for the same agent are merged. */
TEST(robots_rfc_groups_merged)
{
    struct robots *r = parse("user-agent: ExampleBot\n"
                             "disallow: /foo\n"
                             "disallow: /bar\n"
                             "\n"
                             "user-agent: ExampleBot\n"
                             "disallow: /baz\n",
                             "examplebot");
    CHECK_EQ(robots_allowed(r, "/foo"), 0);
    CHECK_EQ(robots_allowed(r, "/bar"), 0);
    CHECK_EQ(robots_allowed(r, "/baz"), 0);
    CHECK_EQ(robots_allowed(r, "/qux"), 1);
    robots_free(r);
}

TEST(robots_star_groups_merged_and_ignored_when_named)
{
    const char *txt = "User-agent: *\nDisallow: /a\n\nUser-agent: other\nDisallow: /\n\n"
                      "User-agent: *\nDisallow: /b\n";
    struct robots *r = parse(txt, "newsarc");
    CHECK_EQ(robots_allowed(r, "/a"), 0);
    CHECK_EQ(robots_allowed(r, "/b"), 0);
    CHECK_EQ(robots_allowed(r, "/c"), 1);
    robots_free(r);
    r = parse("User-agent: *\nDisallow: /\n\nUser-agent: newsarc\nDisallow: /private\n", "newsarc");
    CHECK_EQ(robots_allowed(r, "/news/1.html"), 1);
    CHECK_EQ(robots_allowed(r, "/private/x"), 0);
    robots_free(r);
}

TEST(robots_product_token_matching)
{
    /* A robots.txt line "newsarc/1.0" names the token "newsarc"; our full
     * User-Agent is cut to its token; matching ignores case; a prefix does
     * not match. */
    const char *txt = "User-agent: NewsArc/1.0\nDisallow: /x\n\nUser-agent: news\nDisallow: /y\n";
    struct robots *r = parse(txt, "newsarc/0.1 (+https://example.org/crawler)");
    CHECK_EQ(robots_allowed(r, "/x"), 0);
    CHECK_EQ(robots_allowed(r, "/y"), 1);
    robots_free(r);
    r = parse("User-agent: newsarcbot\nDisallow: /\n", "newsarc");
    CHECK_EQ(robots_allowed(r, "/x"), 1);
    robots_free(r);
}

TEST(robots_rfc_special_characters)
{
    /* RFC 9309 2.2.3 table: '#' comments, '$' end, '*' any run. */
    struct robots *r = parse("User-agent: *\n"
                             "Disallow: / # comment in line\n"
                             "Allow: /this/path/exactly$\n"
                             "Allow: /this/*/exactly\n",
                             "newsarc");
    CHECK_EQ(robots_allowed(r, "/x"), 0);
    CHECK_EQ(robots_allowed(r, "/this/path/exactly"), 1);
    CHECK_EQ(robots_allowed(r, "/this/path/exactlyx"), 1); /* the star pattern matches a prefix */
    CHECK_EQ(robots_allowed(r, "/this/pathx"), 0);
    CHECK_EQ(robots_allowed(r, "/this/a/b/exactly/too"), 1);
    robots_free(r);
    r = parse("User-agent: *\nDisallow: /*.php$\nDisallow: /fish*\nDisallow: /*?\n", "x");
    CHECK_EQ(robots_allowed(r, "/index.php"), 0);
    CHECK_EQ(robots_allowed(r, "/a/b.php"), 0);
    CHECK_EQ(robots_allowed(r, "/a/b.php5"), 1);
    CHECK_EQ(robots_allowed(r, "/fishheads/x"), 0);
    CHECK_EQ(robots_allowed(r, "/Fish"), 1); /* paths are case-sensitive */
    CHECK_EQ(robots_allowed(r, "/list?page=2"), 0);
    CHECK_EQ(robots_allowed(r, "/list"), 1);
    robots_free(r);
    /* '$' inside a pattern is literal; many stars stay linear. */
    r = parse("User-agent: *\nDisallow: /a$b\nDisallow: /**********z$\n", "x");
    CHECK_EQ(robots_allowed(r, "/a$b/c"), 0);
    CHECK_EQ(robots_allowed(r, "/ab"), 1);
    CHECK_EQ(robots_allowed(r, "/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxz"), 0);
    CHECK_EQ(robots_allowed(r, "/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxzy"), 1);
    robots_free(r);
}

TEST(robots_rfc_percent_encoding)
{
    /* RFC 9309 2.2.2 table. */
    struct robots *r = parse("User-agent: *\n"
                             "Disallow: /foo/bar?baz=quz\n"
                             "Disallow: /foo/bar/\xE3\x83\x84\n"
                             "Disallow: /bar/%e3%83%85\n"
                             "Disallow: /baz/%62%61%7A\n",
                             "newsarc");
    CHECK_EQ(robots_allowed(r, "/foo/bar?baz=quz"), 0);
    CHECK_EQ(robots_allowed(r, "/foo/bar/%E3%83%84"), 0);
    CHECK_EQ(robots_allowed(r, "/foo/bar/\xE3\x83\x84"), 0);
    CHECK_EQ(robots_allowed(r, "/bar/%E3%83%85"), 0);
    CHECK_EQ(robots_allowed(r, "/bar/\xE3\x83\x85"), 0);
    CHECK_EQ(robots_allowed(r, "/baz/baz"), 0);
    CHECK_EQ(robots_allowed(r, "/baz/%62az"), 0);
    CHECK_EQ(robots_allowed(r, "/foo/bar?baz=qux"), 1);
    robots_free(r);
    /* Reserved characters stay encoded: %2F is not '/'. */
    r = parse("User-agent: *\nDisallow: /a/b\n", "x");
    CHECK_EQ(robots_allowed(r, "/a%2Fb"), 1);
    robots_free(r);
}

TEST(robots_syntax_tolerance)
{
    /* Keys are case-insensitive, whitespace is optional, CRLF and CR line
     * ends, a BOM, typos Google accepts, unknown records and junk lines. */
    const char *txt = "\xEF\xBB\xBF"
                      "USER-AGENT:newsarc\r\n"
                      "foo: bar\r\n"
                      "this line is junk\r\n"
                      "DISALLOW:/a\r"
                      "dissallow : /b\r\n"
                      "Disallow:\n"
                      "Allow: c\n";
    struct robots *r = parse(txt, "newsarc");
    CHECK_EQ(robots_allowed(r, "/a"), 0);
    CHECK_EQ(robots_allowed(r, "/b"), 0);
    CHECK_EQ(robots_allowed(r, "/c"), 1);
    CHECK_EQ(robots_allowed(r, "/d"), 1);
    robots_free(r);
    /* Rules before any user-agent line belong to no group. */
    r = parse("Disallow: /\nUser-agent: *\nDisallow: /x\n", "newsarc");
    CHECK_EQ(robots_allowed(r, "/y"), 1);
    CHECK_EQ(robots_allowed(r, "/x"), 0);
    robots_free(r);
    /* A user-agent line after a rule starts a new group (blank lines do not
     * matter). */
    r = parse("User-agent: newsarc\nDisallow: /x\nUser-agent: other\nDisallow: /y\n", "newsarc");
    CHECK_EQ(robots_allowed(r, "/x"), 0);
    CHECK_EQ(robots_allowed(r, "/y"), 1);
    robots_free(r);
    r = parse("User-agent: other\n\nUser-agent: newsarc\n\nDisallow: /z\n", "newsarc");
    CHECK_EQ(robots_allowed(r, "/z"), 0);
    robots_free(r);
}

TEST(robots_empty_and_garbage)
{
    struct robots *r = robots_parse(NULL, 0, "newsarc");
    CHECK(r != NULL);
    CHECK_EQ(robots_allowed(r, "/"), 1);
    CHECK_EQ(robots_crawl_delay(r), -1);
    robots_free(r);
    char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 131 + 7);
    r = robots_parse(junk, sizeof junk, "newsarc");
    CHECK(r != NULL);
    (void)robots_allowed(r, "/x");
    robots_free(r);
    r = parse("<html><body>Not found</body></html>", "newsarc");
    CHECK_EQ(robots_allowed(r, "/x"), 1);
    robots_free(r);
}

TEST(robots_allow_and_disallow_all)
{
    struct robots *a = robots_allow_all(), *d = robots_disallow_all();
    CHECK_EQ(robots_allowed(a, "/anything"), 1);
    CHECK_EQ(robots_allowed(d, "/anything"), 0);
    CHECK_EQ(robots_allowed(d, "/"), 0);
    CHECK_EQ(robots_allowed(d, "/robots.txt"), 1);
    robots_free(a);
    robots_free(d);
    robots_free(NULL);
}

/* Found by fuzz_robots: a Sitemap: value holding a NUL was kept cut at the
 * NUL (another URL than the line names), one with a control character kept
 * it. Neither is a URL: such lines are skipped, the others kept. */
TEST(robots_sitemap_control_characters_skipped)
{
    const char txt[] = "Sitemap: http://a.example/s1.xml\0junk\n"
                       "Sitemap: http://a.example/s2\x01.xml\n"
                       "Sitemap: http://a.example/s3.xml\t\n"
                       "User-agent: *\nDisallow: /x\n";
    struct robots *r = robots_parse(txt, sizeof txt - 1, "newsarc");
    const char *const *sm;
    CHECK_EQ(robots_sitemaps(r, &sm), 1);
    if (robots_sitemaps(r, &sm) == 1)
        CHECK_STR(sm[0], "http://a.example/s3.xml");
    CHECK_EQ(robots_allowed(r, "/x"), 0);
    robots_free(r);
}

TEST(robots_crawl_delay_and_sitemaps)
{
    const char *txt = "Sitemap: https://a.example/sitemap.xml\n"
                      "User-agent: *\nCrawl-delay: 7\nDisallow: /x\n"
                      "Sitemap: https://a.example/news.xml # news\n"
                      "User-agent: newsarc\nCrawl-delay: 2.5\nCrawl-delay: 9\nDisallow: /y\n";
    struct robots *r = parse(txt, "newsarc");
    CHECK(robots_crawl_delay(r) > 2.49 && robots_crawl_delay(r) < 2.51);
    const char *const *sm;
    CHECK_EQ(robots_sitemaps(r, &sm), 2);
    CHECK_STR(sm[0], "https://a.example/sitemap.xml");
    CHECK_STR(sm[1], "https://a.example/news.xml");
    robots_free(r);
    r = parse(txt, "other");
    CHECK(robots_crawl_delay(r) > 6.99 && robots_crawl_delay(r) < 7.01);
    robots_free(r);
    r = parse("User-agent: *\nCrawl-delay: soon\n", "other");
    CHECK_EQ(robots_crawl_delay(r), -1);
    robots_free(r);
}

TEST(robots_500k_limit)
{
    /* A rule past 500 KiB is not read; one before it is. */
    size_t n = 600 * 1024;
    char *big = malloc(n + 64);
    CHECK(big != NULL);
    if (!big)
        return;
    size_t off = 0;
    off += (size_t)snprintf(big, n, "User-agent: *\nDisallow: /early\n");
    while (off < 510 * 1024)
        big[off++] = '#', big[off++] = '\n';
    off += (size_t)snprintf(big + off, 64, "Disallow: /late\n");
    struct robots *r = robots_parse(big, off, "newsarc");
    CHECK_EQ(robots_allowed(r, "/early"), 0);
    CHECK_EQ(robots_allowed(r, "/late"), 1);
    robots_free(r);
    free(big);
}

TEST(robots_many_rules_long_paths)
{
    /* Thousands of star patterns against a long path stay fast and bounded. */
    struct buf_like { char *p; size_t n; } b = { malloc(400000), 0 };
    CHECK(b.p != NULL);
    if (!b.p)
        return;
    b.n += (size_t)snprintf(b.p, 100, "User-agent: *\n");
    for (int i = 0; i < 5000; i++)
        b.n += (size_t)snprintf(b.p + b.n, 100, "Disallow: /*a*b*c*d*e*%d$\n", i);
    struct robots *r = robots_parse(b.p, b.n, "newsarc");
    char path[2100];
    memset(path, 'a', sizeof path - 1);
    path[0] = '/';
    path[sizeof path - 1] = 0;
    CHECK_EQ(robots_allowed(r, path), 1);
    robots_free(r);
    free(b.p);
}

TEST(robots_crawl_delay_does_not_end_group)
{
    /* RFC 9309 2.1/2.2.1 and Google's parser: only a rule line separates
     * groups, so the '*' line and the AhrefsBot line form one group. */
    struct robots *r = parse("User-agent: *\nCrawl-delay: 10\nUser-agent: AhrefsBot\nDisallow: /\n", "newsarc");
    CHECK_EQ(robots_allowed(r, "/a.html"), 0);
    CHECK(robots_crawl_delay(r) > 9.99 && robots_crawl_delay(r) < 10.01);
    robots_free(r);
    r = parse("User-agent: *\nCrawl-delay: 10\nUser-agent: AhrefsBot\nDisallow: /\n", "AhrefsBot");
    CHECK_EQ(robots_allowed(r, "/a.html"), 0);
    CHECK(robots_crawl_delay(r) > 9.99); /* the group's delay, given before its name */
    robots_free(r);
    /* Sitemap and unknown lines do not end the user-agent lines either. */
    r = parse("User-agent: newsarc\nSitemap: http://a.example/s.xml\nHost: a.example\nUser-agent: other\n"
              "Disallow: /x\n",
              "newsarc");
    CHECK_EQ(robots_allowed(r, "/x"), 0);
    robots_free(r);
    /* A rule line does: the delay after it stays with the first group. */
    r = parse("User-agent: newsarc\nDisallow: /x\nCrawl-delay: 3\nUser-agent: other\nDisallow: /y\n"
              "Crawl-delay: 8\n",
              "newsarc");
    CHECK_EQ(robots_allowed(r, "/x"), 0);
    CHECK_EQ(robots_allowed(r, "/y"), 1);
    CHECK(robots_crawl_delay(r) > 2.99 && robots_crawl_delay(r) < 3.01);
    robots_free(r);
    r = parse("User-agent: newsarc\nDisallow: /x\nCrawl-delay: 3\nUser-agent: other\nDisallow: /y\n"
              "Crawl-delay: 8\n",
              "other");
    CHECK_EQ(robots_allowed(r, "/x"), 1);
    CHECK(robots_crawl_delay(r) > 7.99 && robots_crawl_delay(r) < 8.01);
    robots_free(r);
}

TEST(robots_percent_encoded_star_and_dollar)
{
    /* RFC 9309 2.2.3: "%2A" and "%24" in a pattern match a literal '*' and
     * '$' in the URL (written as such or percent-encoded). */
    struct robots *r = parse("User-agent: *\nDisallow: /path/file-with-a-%2A.html\nDisallow: /path/foo-%24\n"
                             "Disallow: /q/%2a%2A\n",
                             "newsarc");
    CHECK_EQ(robots_allowed(r, "/path/file-with-a-*.html"), 0);
    CHECK_EQ(robots_allowed(r, "/path/file-with-a-%2A.html"), 0);
    CHECK_EQ(robots_allowed(r, "/path/file-with-a-%2a.html"), 0);
    CHECK_EQ(robots_allowed(r, "/path/file-with-a-x.html"), 1); /* not a wildcard */
    CHECK_EQ(robots_allowed(r, "/path/file-with-a-.html"), 1);
    CHECK_EQ(robots_allowed(r, "/path/foo-$"), 0);
    CHECK_EQ(robots_allowed(r, "/path/foo-%24"), 0);
    CHECK_EQ(robots_allowed(r, "/path/foo-"), 1);                /* not an end anchor */
    CHECK_EQ(robots_allowed(r, "/q/**"), 0);
    CHECK_EQ(robots_allowed(r, "/q/ab"), 1);
    robots_free(r);
    /* The unencoded ones keep their meaning, and match literal ones too. */
    r = parse("User-agent: *\nDisallow: /a*c$\n", "newsarc");
    CHECK_EQ(robots_allowed(r, "/a*c"), 0);
    CHECK_EQ(robots_allowed(r, "/abc"), 0);
    CHECK_EQ(robots_allowed(r, "/abcd"), 1);
    robots_free(r);
}

TEST(robots_line_without_colon)
{
    /* Google's parser: whitespace stands for a forgotten colon when the
     * line has exactly two words. */
    struct robots *r = parse("user-agent *\ndisallow /private/\nallow\t/private/ok\n", "newsarc");
    CHECK_EQ(robots_allowed(r, "/private/x"), 0);
    CHECK_EQ(robots_allowed(r, "/private/ok"), 1);
    CHECK_EQ(robots_allowed(r, "/public/"), 1);
    robots_free(r);
    r = parse("User-agent newsarc\nDisallow /\n", "newsarc");
    CHECK_EQ(robots_allowed(r, "/x"), 0);
    robots_free(r);
    /* three words, or one, are no record */
    r = parse("User-agent: *\nDisallow /a /b\nDisallow\nDisallow: /c\n", "newsarc");
    CHECK_EQ(robots_allowed(r, "/a"), 1);
    CHECK_EQ(robots_allowed(r, "/a /b"), 1);
    CHECK_EQ(robots_allowed(r, "/c"), 0);
    robots_free(r);
    r = parse("User-agent: *\ncrawl-delay 4\nsitemap http://a.example/s.xml\n", "newsarc");
    CHECK(robots_crawl_delay(r) > 3.99 && robots_crawl_delay(r) < 4.01);
    const char *const *sm; /* the URL's own colon makes "sitemap http" the key, as for Google */
    CHECK_EQ(robots_sitemaps(r, &sm), 0);
    robots_free(r);
}

TEST(robots_500k_cut_at_a_whole_line)
{
    /* The line that crosses the 500 KiB mark is not read in part: a
     * "Disallow: /lo" cut from "/long-path" would disallow "/lo..." */
    size_t cap = ROBOTS_MAX_BYTES + 4096, off = 0;
    char *big = malloc(cap);
    CHECK(big != NULL);
    if (!big)
        return;
    off += (size_t)snprintf(big, 64, "User-agent: *\nDisallow: /early\n");
    while (off < ROBOTS_MAX_BYTES - 13)
        big[off++] = '#', big[off++] = '\n';
    if (off > ROBOTS_MAX_BYTES - 13)
        off--; /* the line starts 13 bytes before the mark: "Disallow: /lo" */
    off += (size_t)snprintf(big + off, 64, "Disallow: /long-path\n");
    struct robots *r = robots_parse(big, off, "newsarc");
    CHECK_EQ(robots_allowed(r, "/early"), 0);
    CHECK_EQ(robots_allowed(r, "/lost"), 1);
    robots_free(r);
    free(big);
}

TEST(robots_from_answer_decides_for_crawl_and_try)
{
    enum robots_source src;
    const char *txt = "User-agent: *\nDisallow: /a/\nDisallow: /b";
    struct robots *r = robots_from_answer(200, txt, strlen(txt), 0, "newsarc", &src);
    CHECK_EQ(src, ROBOTS_RULES);
    CHECK_EQ(robots_allowed(r, "/a/1"), 0);
    CHECK_EQ(robots_allowed(r, "/b"), 0);
    robots_free(r);
    /* cut short: the last line may be part of a longer one, so it is left out */
    r = robots_from_answer(200, txt, strlen(txt), 1, "newsarc", &src);
    CHECK_EQ(robots_allowed(r, "/a/1"), 0);
    CHECK_EQ(robots_allowed(r, "/b"), 1);
    robots_free(r);
    r = robots_from_answer(203, NULL, 0, 1, "newsarc", &src); /* nothing readable */
    CHECK_EQ(src, ROBOTS_RULES);
    CHECK_EQ(robots_allowed(r, "/a/1"), 1);
    robots_free(r);
    const int allow[] = { 301, 404, 410, 451 }, deny[] = { 0, 500, 503, 199, 600 };
    for (size_t i = 0; i < sizeof allow / sizeof allow[0]; i++) {
        r = robots_from_answer(allow[i], txt, strlen(txt), 0, "newsarc", &src);
        CHECK_EQ(src, ROBOTS_UNAVAILABLE);
        CHECK_EQ(robots_allowed(r, "/a/1"), 1);
        robots_free(r);
    }
    for (size_t i = 0; i < sizeof deny / sizeof deny[0]; i++) {
        r = robots_from_answer(deny[i], txt, strlen(txt), 0, "newsarc", &src);
        CHECK_EQ(src, ROBOTS_UNREACHABLE);
        CHECK_EQ(robots_allowed(r, "/x"), 0);
        robots_free(r);
    }
}
