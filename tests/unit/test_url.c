/* test_url.c — url.c: resolution against a base, the canonical form used for
 * dedup (host case, default port, fragment, tracking parameters, escapes),
 * scope (hosts, wildcard hosts, path prefixes) and trap defences; host names
 * mapped as browsers do (UTS #46), %2e dot segments, queries in the page's
 * charset. */
#include "tests/check.h"
#include "crawler/sites.h"
#include "crawler/url.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdio.h>
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
    /* Found by fuzz_url: a canonical form of URL_MAX_LEN + 1 bytes passed
     * (the buffer's cap was one too high). Escaping makes the input grow:
     * "%" becomes "%25". */
    n = snprintf(u, sizeof u, "http://a.example/");
    memset(u + n, 'x', URL_MAX_LEN - 3 - (size_t)n);
    strcpy(u + URL_MAX_LEN - 3, "%");
    c = url_canonical(u); /* 2046 bytes in, 2048 out */
    CHECK(c != NULL && strlen(c) == URL_MAX_LEN);
    free(c);
    strcpy(u + URL_MAX_LEN - 3, "x%");
    c = url_canonical(u); /* 2047 bytes in, 2049 out */
    CHECK(c == NULL);
    free(c);
}

TEST(url_host_lower_case)
{
    char *h = url_host("http://News.Example.COM:8080/x");
    CHECK_STR(h, "news.example.com");
    free(h);
    CHECK(url_host("nonsense") == NULL);
}

/* Found by fuzz_url: curl keeps '%' in a host and decodes %XX there, so
 * "new%%%443" became "new%%d3", whose canonical form was then refused
 * (canonical(canonical(x)) != canonical(x)). Such hosts are refused. */
TEST(url_host_percent_refused)
{
    const char *bad[] = { "http://new%%/a", "http://new%%%443/a", "http://a%25b.example/", "http://a!b.example/",
                          "http://a%20b.example/" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *c = url_canonical(bad[i]);
        if (c)
            fprintf(stderr, "%s -> %s\n", bad[i], c);
        CHECK(c == NULL);
        free(c);
    }
    /* %XX of a host letter is still decoded; IPv6 literals still pass */
    char *c = url_canonical("http://new%73.example.cn/a");
    CHECK_STR(c, "http://news.example.cn/a");
    free(c);
    c = url_canonical("http://[::1]:8080/a");
    CHECK_STR(c, "http://[::1]:8080/a");
    free(c);
}

/* Found by fuzz_url: decoding %65 ('e') after a stray "%e" made a new
 * escape "%ee", which the next canonicalization upper-cased: the canonical
 * form was not canonical. A '%' that starts no escape is written %25. */
TEST(url_stray_percent_escaped)
{
    const char *in[] = { "http://a.example/x%e%65y?q=%e%65", "http://a.example/100%/a%zz?p=%%41&r=%",
                         "http://a.example/%2%41" };
    const char *want[] = { "http://a.example/x%25eey?q=%25ee", "http://a.example/100%25/a%25zz?p=%25A&r=%25",
                           "http://a.example/%252A" };
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        char *c = url_canonical(in[i]);
        CHECK_STR(c, want[i]);
        char *again = c ? url_canonical(c) : NULL;
        CHECK_STR(again, want[i]);
        free(again);
        free(c);
    }
}

/* Found by fuzz_url: curl turns a numeric host into a dotted quad when it
 * parses one ("http://1/" -> 0.0.0.1), but not one that %31, a trailing dot
 * or a full-width digit only becomes numeric later, so the canonical form
 * "http://1/" changed on the next pass. A host ending in a number must be
 * a dotted quad (as browsers refuse "a.1"). */
TEST(url_numeric_hosts_dotted_quad)
{
    const char *bad[] = { "http://%31/", "http://1./", "http://a.1/", "http://\xef\xbc\x91/", "http://x.0x1f/",
                          "http://333333333333333333333333333333/" /* no int overflow (UBSan) */ };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *c = url_canonical(bad[i]);
        if (c)
            fprintf(stderr, "%s -> %s\n", bad[i], c);
        CHECK(c == NULL);
        free(c);
    }
    const char *in[] = { "http://127.0.0.1:8080/a", "http://0x7f.1/", "http://1.2.3/x", "http://a1.example.com/" };
    const char *want[] = { "http://127.0.0.1:8080/a", "http://127.0.0.1/", "http://1.2.0.3/x", "http://a1.example.com/" };
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        char *c = url_canonical(in[i]);
        CHECK_STR(c, want[i]);
        free(c);
    }
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

/* Full-width letters, the ideographic dots U+3002, U+FF0E, U+FF61 and
 * non-ASCII labels: one ASCII host for canonical, resolve, host and scope. */
TEST(url_idn_hosts_mapped)
{
    struct { const char *in, *out; } t[] = {
        { "http://\xEF\xBC\xA7\xEF\xBD\x8F.com/a", "http://go.com/a" },                       /* Ｇｏ.com */
        { "http://\xEF\xBC\xA7\xEF\xBC\xAF\xEF\xBC\x8E\xEF\xBC\xA3\xEF\xBC\xAF\xEF\xBC\xAD/", /* ＧＯ．ＣＯＭ */
          "http://go.com/" },
        { "http://news\xE3\x80\x82" "example\xE3\x80\x82" "cn/x.html", "http://news.example.cn/x.html" },
        { "http://news\xEF\xBD\xA1" "example\xEF\xBC\x8E" "cn:8080/x", "http://news.example.cn:8080/x" },
        { "http://\xE6\x96\xB0\xE9\x97\xBB.\xE4\xB8\xAD\xE5\x9B\xBD/a?id=1", "http://xn--efvy88h.xn--fiqs8s/a?id=1" },
        { "http://%E6%96%B0%E9%97%BB.cn/", "http://xn--efvy88h.cn/" },
        { "http://\xE6\x96\xB0\xE9\x97\xBB\xE3\x80\x82\xE4\xB8\xAD\xE5\x9B\xBD\xE3\x80\x82/", "http://xn--efvy88h.xn--fiqs8s/" },
        { "http://xn--efvy88h.xn--fiqs8s/", "http://xn--efvy88h.xn--fiqs8s/" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char *c = url_canonical(t[i].in);
        CHECK_STR(c, t[i].out);
        char *c2 = c ? url_canonical(c) : NULL;
        CHECK_STR(c2, t[i].out);
        free(c);
        free(c2);
    }
    R("http://go.com/list/", "//\xEF\xBC\xA7\xEF\xBD\x8F.com/b.html", "http://go.com/b.html");
    R("http://\xEF\xBC\xA7\xEF\xBD\x8F.com/list/", "b.html", "http://go.com/list/b.html");
    char *h = url_host("http://\xE6\x96\xB0\xE9\x97\xBB\xE3\x80\x82\xE4\xB8\xAD\xE5\x9B\xBD/x");
    CHECK_STR(h, "xn--efvy88h.xn--fiqs8s");
    free(h);
    h = url_host("http://\xEF\xBC\xA7\xEF\xBD\x8F.COM./x");
    CHECK_STR(h, "go.com");
    free(h);
    char *a = NULL;
    CHECK_EQ(url_host_ascii("\xEF\xBC\xA7\xEF\xBD\x8F.com", &a), 0);
    CHECK_STR(a, "go.com");
    free(a);
    CHECK_EQ(url_host_ascii("News.Example.COM.", &a), 0);
    CHECK_STR(a, "news.example.com");
    free(a);
}

/* A host that is no valid international name: an error code, the link
 * dropped, no crash. */
TEST(url_idn_invalid_dropped)
{
    const char *bad[] = {
        "\xEF\xBD\x98\xEF\xBD\x8E--zz.com", /* ｘｎ--zz: not punycode */
        "a\xEF\xBC\x9C" "b.com",             /* ＜ maps to '<' */
        "\xFF\xFE.com",                      /* not UTF-8 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *a = (char *)"unset";
        CHECK_EQ(url_host_ascii(bad[i], &a), NA_EPARSE);
        CHECK(a == NULL);
        char u[128];
        snprintf(u, sizeof u, "http://%s/a.html", bad[i]);
        char *c = url_canonical(u);
        CHECK(c == NULL);
        free(c);
        c = url_resolve("http://go.com/", u);
        CHECK(c == NULL);
        free(c);
        CHECK(url_host(u) == NULL);
    }
    CHECK(url_canonical("http://%FF%FE.com/") == NULL);
}

TEST(url_idn_scope_and_sites_conf)
{
    struct site s;
    site_init(&s, "idn");
    add(s.listing, &s.nlisting, "http://\xE6\x96\xB0\xE9\x97\xBB.\xE4\xB8\xAD\xE5\x9B\xBD/list/");
    add(s.feed, &s.nfeed, "http://\xEF\xBC\xA7\xEF\xBD\x8F.com/rss.xml");
    struct buf err = BUF_INIT;
    CHECK_EQ(site_prepare(&s, &err), 0);
    CHECK_EQ(s.nhosts, 2);
    CHECK_STR(s.hosts[0], "xn--efvy88h.xn--fiqs8s");
    CHECK_STR(s.hosts[1], "go.com");
    CHECK_EQ(url_in_scope(&s, "http://xn--efvy88h.xn--fiqs8s/a/1.html"), 1);
    CHECK_EQ(url_in_scope(&s, "http://\xE6\x96\xB0\xE9\x97\xBB\xE3\x80\x82\xE4\xB8\xAD\xE5\x9B\xBD/a/1.html"), 1);
    CHECK_EQ(url_in_scope(&s, "http://GO.com/a"), 1);
    CHECK_EQ(url_in_scope(&s, "http://\xEF\xBC\xA7\xEF\xBC\xAF.com/a"), 1);
    CHECK_EQ(url_in_scope(&s, "http://\xEF\xBD\x98\xEF\xBD\x8E--zz.com/a"), 0);
    buf_release(&err);
    site_release(&s);

    /* hosts = in sites.conf takes the same mapping. */
    char path[4096];
    snprintf(path, sizeof path, "%s/idn.conf", test_tmpdir());
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("[newsarc]\narchive = a\nuser_agent = t/1 (+mailto:t@example.com)\n\n[site idn]\n"
          "listing = http://go.com/list/\narticle = /a/\n"
          "hosts = \xEF\xBC\xA7\xEF\xBD\x8F.com\n"
          "hosts = *.\xE6\x96\xB0\xE9\x97\xBB\xE3\x80\x82\xE4\xB8\xAD\xE5\x9B\xBD\n",
          f);
    fclose(f);
    struct sites_config *c = NULL;
    int rc = sites_config_load(path, &c, &err);
    CHECK_EQ(rc, 0);
    if (rc)
        fprintf(stderr, "  %s\n", buf_str(&err));
    struct site *st = c ? sites_find(c, "idn") : NULL;
    CHECK(st != NULL);
    if (st) {
        CHECK_EQ(st->nhosts, 2);
        CHECK_STR(st->hosts[0], "go.com");
        CHECK_STR(st->hosts[1], "*.xn--efvy88h.xn--fiqs8s");
        CHECK_EQ(url_in_scope(st, "http://\xEF\xBC\xA7\xEF\xBD\x8F.com/a.html"), 1);
        CHECK_EQ(url_in_scope(st, "http://www.\xE6\x96\xB0\xE9\x97\xBB.\xE4\xB8\xAD\xE5\x9B\xBD/a.html"), 1);
    }
    sites_config_free(c);
    c = NULL;
    buf_reset(&err);
    f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("[newsarc]\narchive = a\nuser_agent = t/1 (+mailto:t@example.com)\n\n[site idn]\n"
          "listing = http://go.com/list/\narticle = /a/\nhosts = \xEF\xBD\x98\xEF\xBD\x8E--zz.com\n",
          f);
    fclose(f);
    CHECK_EQ(sites_config_load(path, &c, &err), NA_ECONFIG);
    CHECK(c == NULL);
    CHECK_CONTAINS(buf_str(&err), "'hosts'");
    sites_config_free(c);
    buf_release(&err);
}

/* %2e is '.' in a path, so "%2e%2e" is a dot segment: the canonical URL is
 * the one curl requests, and one article has one canonical URL. */
TEST(url_percent_dot_segments)
{
    struct { const char *in, *out; } t[] = {
        { "http://a.example/news/%2e%2e/private/1.html", "http://a.example/private/1.html" },
        { "http://a.example/news/%2E./private/1.html", "http://a.example/private/1.html" },
        { "http://a.example/news/.%2E/private/1.html", "http://a.example/private/1.html" },
        { "http://a.example/news/%2e/1.html", "http://a.example/news/1.html" },
        { "http://a.example/news/%2e%2e", "http://a.example/" },
        { "http://a.example/a%2eb/%2e%2e.html", "http://a.example/a.b/...html" },
        { "http://a.example/news/..%2Fx", "http://a.example/news/..%2Fx" },
        { "http://a.example/news/1.html?p=%2e%2e/x", "http://a.example/news/1.html?p=../x" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char *c = url_canonical(t[i].in);
        CHECK_STR(c, t[i].out);
        char *c2 = c ? url_canonical(c) : NULL;
        CHECK_STR(c2, t[i].out);
        free(c);
        free(c2);
    }
    const char *same[] = { "http://a.example/news/ok.html", "http://a.example/news/../news/ok.html",
                           "http://a.example/news/%2e%2e/news/ok.html", "http://a.example/news/%2E%2E/news/./ok.html",
                           "http://a.example/x/%2e%2E/news/%2e/ok.html" };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        char *c = url_canonical(same[i]);
        CHECK_STR(c, "http://a.example/news/ok.html");
        free(c);
    }
    const char *b = "http://a.example/news/list/index.html";
    R(b, "%2e%2e/ok.html", "http://a.example/news/ok.html");
    R(b, "%2e%2e/%2e%2e/private/1.html", "http://a.example/private/1.html");
    R(b, "./%2E./%2e%2e/private/1.html", "http://a.example/private/1.html");
    R("http://a.example/news/%2e%2e/list/", "x.html", "http://a.example/list/x.html");
}

TEST(url_percent_dots_against_path_prefix)
{
    struct site s;
    site_init(&s, "prefix");
    add(s.listing, &s.nlisting, "http://www.example.com/news/");
    add(s.path_prefix, &s.npath_prefix, "/news/");
    struct buf err = BUF_INIT;
    CHECK_EQ(site_prepare(&s, &err), 0);
    CHECK_EQ(url_in_scope(&s, "http://www.example.com/news/%2e%2e/private/1.html"), 0);
    CHECK_EQ(url_in_scope(&s, "http://www.example.com/news/%2E./private/1.html"), 0);
    CHECK_EQ(url_in_scope(&s, "http://www.example.com/news/.%2e/private/1.html"), 0);
    CHECK_EQ(url_in_scope(&s, "http://www.example.com/news/../private/1.html"), 0);
    CHECK_EQ(url_in_scope(&s, "http://www.example.com/news/%2e%2e/news/ok.html"), 1);
    CHECK_EQ(url_in_scope(&s, "http://www.example.com/news/ok.html"), 1);
    char *u = url_resolve("http://www.example.com/news/list.html", "%2e%2e/private/1.html");
    CHECK(u != NULL);
    if (u)
        CHECK_EQ(url_in_scope(&s, u), 0);
    free(u);
    buf_release(&err);
    site_release(&s);
}

static void check_resolve_cs(const char *base, const char *href, const char *cs, const char *want, int line)
{
    char *got = url_resolve_cs(base, href, cs);
    if (!got || strcmp(got, want) != 0) {
        fprintf(stderr, "test_url.c:%d: url_resolve_cs(%s, %s, %s)\n  got:      %s\n  expected: %s\n", line, base,
                href, cs ? cs : "(null)", got ? got : "(null)", want);
        test_failures++;
    }
    free(got);
}
#define RCS(base, href, cs, want) check_resolve_cs(base, href, cs, want, __LINE__)

/* On a GBK page the query is encoded in GBK, as browsers send it; the path
 * stays UTF-8. */
TEST(url_query_in_page_charset)
{
    const char *b = "http://a.example/list/index.html";
    const char *zg = "\xE4\xB8\xAD\xE5\x9B\xBD"; /* 中国 in UTF-8 */
    char href[256];
    snprintf(href, sizeof href, "search.php?kw=%s&page=2", zg);
    RCS(b, href, "gbk", "http://a.example/list/search.php?kw=%D6%D0%B9%FA&page=2");
    RCS(b, href, "GB18030", "http://a.example/list/search.php?kw=%D6%D0%B9%FA&page=2");
    RCS(b, href, "gb2312", "http://a.example/list/search.php?kw=%D6%D0%B9%FA&page=2");
    RCS(b, href, "UTF-8", "http://a.example/list/search.php?kw=%E4%B8%AD%E5%9B%BD&page=2");
    RCS(b, href, NULL, "http://a.example/list/search.php?kw=%E4%B8%AD%E5%9B%BD&page=2");
    RCS(b, href, "no-such-charset", "http://a.example/list/search.php?kw=%E4%B8%AD%E5%9B%BD&page=2");
    snprintf(href, sizeof href, "/%s/a.php?kw=%s#%s", zg, zg, zg);
    RCS(b, href, "gbk", "http://a.example/%E4%B8%AD%E5%9B%BD/a.php?kw=%D6%D0%B9%FA");
    snprintf(href, sizeof href, "http://\xE6\x96\xB0\xE9\x97\xBB.cn/s?q=%s", zg);
    RCS(b, href, "gbk", "http://xn--efvy88h.cn/s?q=%D6%D0%B9%FA");
    /* Already escaped: kept. */
    RCS(b, "s?q=%E4%B8%AD", "gbk", "http://a.example/list/s?q=%E4%B8%AD");
    /* windows-1252 has é but no 中: that one goes as &#20013;. */
    RCS(b, "s?q=\xC3\xA9\xE4\xB8\xAD", "windows-1252", "http://a.example/list/s?q=%E9%26%2320013%3B");
    RCS(b, "s?q=\xC3\xA9", "WINDOWS-1252", "http://a.example/list/s?q=%E9");
    /* Big5 */
    RCS(b, "s?q=\xE4\xB8\xAD", "big5", "http://a.example/list/s?q=%A4%A4");
}

/* Each allocation of the new paths failing in turn: NULL, never a wrong URL
 * or a crash (leaks show under make asan). */
TEST(url_idn_charset_alloc_failures)
{
    const char *want = "http://xn--efvy88h.cn/a/%E4%B8%AD/s?kw=%D6%D0%B9%FA";
    int fails = 0, oks = 0;
    for (long n = 1; n < 40; n++) {
        na_mem_fail_after(n);
        char *u = url_resolve_cs("http://\xEF\xBC\xA7\xEF\xBD\x8F.com/%2e%2e/list/",
                                 "//\xE6\x96\xB0\xE9\x97\xBB.cn/a/%2e/\xE4\xB8\xAD/s?kw=\xE4\xB8\xAD\xE5\x9B\xBD", "gbk");
        na_mem_fail_after(0);
        if (u) {
            CHECK_STR(u, want);
            oks++;
        } else {
            fails++;
        }
        free(u);
    }
    CHECK(fails > 0);
    CHECK(oks > 0);
}
