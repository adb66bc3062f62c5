/* test_url.c — url.c: resolution against a base, the canonical form used for
 * dedup (host case, default port, fragment, tracking parameters, escapes),
 * scope (hosts, wildcard hosts, path prefixes) and trap defences. */
#include "tests/check.h"
#include "crawler/sites.h"
#include "crawler/url.h"

#include <stdlib.h>
#include <string.h>

static void check_resolve(const char *base, const char *href, const char *want, int line)
{
    const char *bs = base ? base : "(null)", *hs = href ? href : "(null)";
    char *got = url_resolve(base, href);
    if (!want) {
        if (got) {
            fprintf(stderr, "test_url.c:%d: url_resolve(%s, %s) = %s, expected NULL\n", line, bs, hs, got);
            test_failures++;
        }
    } else if (!got || strcmp(got, want) != 0) {
        fprintf(stderr, "test_url.c:%d: url_resolve(%s, %s)\n  got:      %s\n  expected: %s\n", line, bs,
                hs, got ? got : "(null)", want);
        test_failures++;
    }
    free(got);
}
#define R(base, href, want) check_resolve(base, href, want, __LINE__)

TEST(url_resolve_relative_links)
{
    const char *b = "http://news.example.com/list/index.html";
    R(b, "a.html", "http://news.example.com/list/a.html");
    R(b, "../a/1.html", "http://news.example.com/a/1.html");
    R(b, "/a/2.html", "http://news.example.com/a/2.html");
    R(b, "//other.example.com/x", "http://other.example.com/x");
    R(b, "?page=2", "http://news.example.com/list/index.html?page=2");
    R(b, "#top", "http://news.example.com/list/index.html");
    R(b, "", "http://news.example.com/list/index.html");
    R(b, "  a.html\n", "http://news.example.com/list/a.html");
    R(b, "a\t/b\n.html", "http://news.example.com/list/a/b.html");
    R(b, "\\a\\b.html", "http://news.example.com/a/b.html");
    R(b, "/a/./b/../c.html", "http://news.example.com/a/c.html");
    R(b, "https://news.example.com:443/x", "https://news.example.com/x");
    R("https://a.example/dir/", "x?y=1#f", "https://a.example/dir/x?y=1");
}

TEST(url_resolve_refuses_non_http)
{
    const char *b = "http://news.example.com/";
    R(b, "javascript:void(0)", NULL);
    R(b, "JavaScript:go()", NULL);
    R(b, "mailto:editor@example.com", NULL);
    R(b, "tel:+86-22-1234", NULL);
    R(b, "ftp://files.example.com/a", NULL);
    R(b, "data:text/html,hi", NULL);
    R(b, "http://exa mple.com:99999/", NULL);
    R(NULL, "/relative/without/base", NULL);
    R(NULL, NULL, NULL);
}

TEST(url_canonical_form)
{
    struct { const char *in, *out; } t[] = {
        { "HTTP://News.Example.COM/A/B.html", "http://news.example.com/A/B.html" },
        { "http://news.example.com:80/", "http://news.example.com/" },
        { "https://news.example.com:443/x", "https://news.example.com/x" },
        { "http://news.example.com:8080/x", "http://news.example.com:8080/x" },
        { "http://news.example.com", "http://news.example.com/" },
        { "http://news.example.com/a#frag", "http://news.example.com/a" },
        { "http://user:pw@news.example.com/a", "http://news.example.com/a" },
        { "http://news.example.com./a", "http://news.example.com/a" },
        { "http://news.example.com/%7euser/%2f/%e4%b8%ad", "http://news.example.com/~user/%2F/%E4%B8%AD" },
        { "http://news.example.com/\xE4\xB8\xAD\xE6\x96\x87.html", "http://news.example.com/%E4%B8%AD%E6%96%87.html" },
        { "http://news.example.com/a?b=2&a=1", "http://news.example.com/a?b=2&a=1" },
        { "http://news.example.com/a?utm_source=x&id=3&utm_medium=y", "http://news.example.com/a?id=3" },
        { "http://news.example.com/a?spm=a.b.c&id=3&from=timeline&share=1", "http://news.example.com/a?id=3" },
        { "http://news.example.com/a?id=3&fbclid=X&gclid=Y&mc_cid=1&mc_eid=2", "http://news.example.com/a?id=3" },
        { "http://news.example.com/a?from=20&id=3", "http://news.example.com/a?from=20&id=3" },
        { "http://news.example.com/a?utm_source=x", "http://news.example.com/a" },
        { "http://news.example.com/a?", "http://news.example.com/a" },
        { "http://news.example.com/a?x=1&&y=2", "http://news.example.com/a?x=1&y=2" },
        { "http://news.example.com/a?q=%e4%b8%ad&UTM_Campaign=z", "http://news.example.com/a?q=%E4%B8%AD" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char *c = url_canonical(t[i].in);
        CHECK_STR(c, t[i].out);
        /* Idempotent. */
        char *c2 = c ? url_canonical(c) : NULL;
        CHECK_STR(c2, t[i].out);
        free(c);
        free(c2);
    }
    CHECK(url_canonical("not a url") == NULL);
    CHECK(url_canonical("/relative") == NULL);
    CHECK(url_canonical("ftp://a.example/") == NULL);
    CHECK(url_canonical(NULL) == NULL);
}

TEST(url_overlong_refused)
{
    char u[3000];
    int n = snprintf(u, sizeof u, "http://a.example/");
    memset(u + n, 'x', sizeof u - (size_t)n - 1);
    u[sizeof u - 1] = 0;
    CHECK(url_canonical(u) == NULL);
    u[2000] = 0;
    char *c = url_canonical(u);
    CHECK(c != NULL);
    free(c);
}

TEST(url_host_lower_case)
{
    char *h = url_host("http://News.Example.COM:8080/x");
    CHECK_STR(h, "news.example.com");
    free(h);
    CHECK(url_host("nonsense") == NULL);
}

TEST(url_trap_defences)
{
    CHECK_EQ(url_trap("http://a.example/news/2024/05/01/x.html", 12), 0);
    CHECK_EQ(url_trap("http://a.example/a/b/c/d/e/f/g/h/i/j/k/l", 12), 0);
    CHECK_EQ(url_trap("http://a.example/a/b/c/d/e/f/g/h/i/j/k/l/m", 12), 1);
    CHECK_EQ(url_trap("http://a.example/a/b/c/d/e/f/g/h/i/j/k/l/m", 0), 1); /* default 12 */
    CHECK_EQ(url_trap("http://a.example/a/b/c/d", 3), 1);
    CHECK_EQ(url_trap("http://a.example/list/list/x.html", 12), 0);
    CHECK_EQ(url_trap("http://a.example/list/x/list/y/list/z.html", 12), 1);
    CHECK_EQ(url_trap("http://a.example/cal/2024/cal/2024/cal/2024/", 12), 1);
    CHECK_EQ(url_trap("http://a.example/?a/a/a/a", 12), 0); /* the query is not the path */
    CHECK_EQ(url_trap("http://a.example", 12), 0);
    char u[2100];
    int n = snprintf(u, sizeof u, "http://a.example/");
    memset(u + n, 'x', sizeof u - (size_t)n - 1);
    u[sizeof u - 1] = 0;
    CHECK_EQ(url_trap(u, 12), 1);
}

static void add(char **v, size_t *n, const char *s)
{
    v[(*n)++] = strdup(s);
}

TEST(url_scope_default_hosts)
{
    struct site s;
    site_init(&s, "demo");
    add(s.listing, &s.nlisting, "http://news.example.com/list_{n}.html");
    add(s.feed, &s.nfeed, "https://feeds.example.com/rss.xml");
    struct buf err = BUF_INIT;
    CHECK_EQ(site_prepare(&s, &err), 0);
    CHECK_EQ(s.hosts_default, 1);
    CHECK_EQ(s.nhosts, 2);
    CHECK_EQ(url_in_scope(&s, "http://news.example.com/a/1.html"), 1);
    CHECK_EQ(url_in_scope(&s, "https://news.example.com/a/1.html"), 1);
    CHECK_EQ(url_in_scope(&s, "http://feeds.example.com/x"), 1);
    CHECK_EQ(url_in_scope(&s, "http://other.example.com/a"), 0);
    CHECK_EQ(url_in_scope(&s, "http://sub.news.example.com/a"), 0);
    CHECK_EQ(url_in_scope(&s, "ftp://news.example.com/a"), 0);
    CHECK_EQ(url_in_scope(&s, "http://news.example.com/a/b/a/c/a/d"), 0);
    buf_release(&err);
    site_release(&s);
}

TEST(url_scope_unprepared_site_derives_hosts)
{
    struct site s;
    site_init(&s, "raw");
    add(s.listing, &s.nlisting, "http://news.example.com/");
    CHECK_EQ(url_in_scope(&s, "http://news.example.com/a"), 1);
    CHECK_EQ(url_in_scope(&s, "http://evil.example.com/a"), 0);
    site_release(&s);
}

TEST(url_scope_hosts_and_prefixes)
{
    struct site s;
    site_init(&s, "demo");
    add(s.listing, &s.nlisting, "http://www.example.com/news/");
    add(s.hosts, &s.nhosts, "www.example.com");
    add(s.hosts, &s.nhosts, "*.cdn.example.com");
    add(s.path_prefix, &s.npath_prefix, "/news/");
    add(s.path_prefix, &s.npath_prefix, "/info/");
    s.max_depth = 4;
    struct buf err = BUF_INIT;
    CHECK_EQ(site_prepare(&s, &err), 0);
    CHECK_EQ(s.hosts_default, 0);
    CHECK_EQ(url_in_scope(&s, "http://www.example.com/news/1.html"), 1);
    CHECK_EQ(url_in_scope(&s, "http://WWW.EXAMPLE.COM/info/2.html?x=1"), 1);
    CHECK_EQ(url_in_scope(&s, "http://www.example.com/about.html"), 0);
    CHECK_EQ(url_in_scope(&s, "http://www.example.com/newsx/1.html"), 0);
    CHECK_EQ(url_in_scope(&s, "http://img.cdn.example.com/news/1.jpg"), 1);
    CHECK_EQ(url_in_scope(&s, "http://cdn.example.com/news/1.jpg"), 0);
    CHECK_EQ(url_in_scope(&s, "http://www.example.com/news/a/b/c/d.html"), 0); /* depth 5 > 4 */
    CHECK_EQ(url_in_scope(&s, "http://www.example.com/news/a/b/c.html"), 1);
    CHECK_EQ(url_in_scope(&s, NULL), 0);
    buf_release(&err);
    site_release(&s);
}
