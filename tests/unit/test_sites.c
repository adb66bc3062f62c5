/* test_sites.c — sites.conf: every key read, defaults, sizes and durations,
 * repeatable keys, the archive path, the digest, the dump, and each kind of
 * error with its file:line message; out-of-memory paths release cleanly. */
#include "tests/check.h"
#include "crawler/discover.h"
#include "crawler/sites.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *write_conf(const char *name, const char *text)
{
    char *path = malloc(4096);
    snprintf(path, 4096, "%s/%s", test_tmpdir(), name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

static const char full_conf[] =
    "; a full sites.conf\n"
    "[newsarc]\n"
    "archive = data/arc\n"
    "user_agent = newsarc/0.1 (+https://example.org/crawler)\n"
    "concurrency = 8\n"
    "per_host_connections = 2\n"
    "delay = 0.5\n"
    "connect_timeout = 5\n"
    "timeout = 1500ms\n"
    "low_speed_time = 20s\n"
    "max_page_size = 20M\n"
    "retries = 0\n"
    "max_redirects = 3\n"
    "warc_max_size = 2G\n"
    "robots = no\n"
    "workers = 2\n"
    "resolve = news.example.com:80:127.0.0.1\n"
    "resolve = feeds.example.com:8080:127.0.0.1\n"
    "\n"
    "[site tj-news]\n"
    "enabled = yes\n"
    "listing = http://news.example.com/list_{n}.html\n"
    "listing = http://news.example.com/hot/\n"
    "article = ^http://news\\.example\\.com/a/[0-9]+\\.html$\n"
    "article = /show/[0-9]+$\n"
    "feed = http://feeds.example.com:8080/rss.xml\n"
    "sitemap = http://news.example.com/sitemap.xml.gz\n"
    "max_pages = 3\n"
    "backfill_max_pages = 500\n"
    "max_listing_links = 25000\n"
    "hosts = news.example.com\n"
    "hosts = *.img.example.com\n"
    "path_prefix = /a/\n"
    "path_prefix = /show/\n"
    "delay = 4\n"
    "charset = gbk\n"
    "keep_raw = no\n"
    "max_depth = 6\n"
    "xpath_container = //div[@id='content']\n"
    "xpath_drop = //div[@class='share']\n"
    "xpath_drop = //ul[@class='related']\n"
    "xpath_title = //h1\n"
    "xpath_date = //span[@class='date']\n"
    "xpath_author = //span[@class='author']\n"
    "\n"
    "[site feeds-only]\n"
    "feed = https://b.example.net/atom.xml\n";

TEST(sites_full_config)
{
    char *path = write_conf("sites.conf", full_conf);
    struct sites_config *c = NULL;
    struct buf err = BUF_INIT;
    int rc = sites_config_load(path, &c, &err);
    CHECK_EQ(rc, 0);
    if (rc) {
        fprintf(stderr, "%s\n", buf_str(&err));
        goto out;
    }
    char want[4200];
    char *dir = realpath(test_tmpdir(), NULL);
    snprintf(want, sizeof want, "%s/data/arc", dir);
    free(dir);
    CHECK_STR(c->archive, want);
    CHECK_STR(c->user_agent, "newsarc/0.1 (+https://example.org/crawler)");
    CHECK_EQ(c->concurrency, 8);
    CHECK_EQ(c->per_host_connections, 2);
    CHECK(c->delay == 0.5);
    CHECK(c->connect_timeout == 5);
    CHECK(c->timeout == 1.5);
    CHECK(c->low_speed_time == 20);
    CHECK_EQ(c->max_page_size, 20u << 20);
    CHECK_EQ(c->retries, 0);
    CHECK_EQ(c->max_redirects, 3);
    CHECK_EQ(c->warc_max_size, (uint64_t)2 << 30);
    CHECK_EQ(c->robots, 0);
    CHECK_EQ(c->workers, 2);
    CHECK_EQ(c->nresolve, 2);
    CHECK_STR(c->resolve[1], "feeds.example.com:8080:127.0.0.1");
    CHECK_EQ(strlen(c->digest), 40);
    CHECK_EQ(c->nsites, 2);

    struct site *s = sites_find(c, "tj-news");
    CHECK(s != NULL);
    if (!s)
        goto out;
    CHECK_EQ(s->line, 20);
    CHECK_EQ(s->enabled, 1);
    CHECK_EQ(s->nlisting, 2);
    CHECK_STR(s->listing[0], "http://news.example.com/list_{n}.html");
    CHECK_EQ(s->narticle, 2);
    CHECK(s->article_re != NULL);
    CHECK_EQ(s->nfeed, 1);
    CHECK_EQ(s->nsitemap, 1);
    CHECK_EQ(s->max_pages, 3);
    CHECK_EQ(s->backfill_max_pages, 500);
    CHECK_EQ(s->max_listing_links, 25000);
    CHECK_EQ(s->nhosts, 2);
    CHECK_EQ(s->hosts_default, 0);
    CHECK_EQ(s->npath_prefix, 2);
    CHECK(s->delay == 4);
    CHECK(sites_delay(c, s) == 4);
    CHECK_STR(s->charset, "gbk");
    CHECK_EQ(s->keep_raw, 0);
    CHECK_EQ(s->max_depth, 6);
    CHECK_STR(s->rules.container, "//div[@id='content']");
    CHECK_EQ(s->rules.ndrop, 2);
    CHECK_STR(s->rules.drop[1], "//ul[@class='related']");
    CHECK_STR(s->rules.title, "//h1");
    CHECK_STR(s->rules.date, "//span[@class='date']");
    CHECK_STR(s->rules.author, "//span[@class='author']");
    CHECK_EQ(discover_is_article(s, "http://news.example.com/a/12.html"), 1);
    CHECK_EQ(discover_is_article(s, "http://news.example.com/show/7"), 1);
    CHECK_EQ(discover_is_article(s, "http://news.example.com/list_2.html"), 0);

    /* Defaults of a minimal site. */
    struct site *f = sites_find(c, "feeds-only");
    CHECK(f != NULL);
    if (f) {
        CHECK_EQ(f->enabled, 1);
        CHECK_EQ(f->max_pages, 5);
        CHECK_EQ(f->backfill_max_pages, 10000);
        CHECK_EQ(f->max_listing_links, 10000);
        CHECK(f->delay < 0);
        CHECK(sites_delay(c, f) == 0.5);
        CHECK_EQ(f->keep_raw, 1);
        CHECK_EQ(f->max_depth, 12);
        CHECK(f->charset == NULL);
        CHECK_EQ(f->hosts_default, 1);
        CHECK_EQ(f->nhosts, 1);
        CHECK_STR(f->hosts[0], "b.example.net");
        CHECK_EQ(discover_is_article(f, "https://b.example.net/any/page"), 1);
        CHECK_EQ(discover_is_article(f, "https://c.example.net/any/page"), 0);
    }
    CHECK(sites_find(c, "nope") == NULL);

    struct buf dump = BUF_INIT;
    CHECK_EQ(sites_config_dump(c, &dump), 0);
    CHECK_CONTAINS(dump.data, "[newsarc]\n");
    CHECK_CONTAINS(dump.data, "\nmax_page_size = 20M\n");
    CHECK_CONTAINS(dump.data, "\nwarc_max_size = 2G\n");
    CHECK_CONTAINS(dump.data, "\ntimeout = 1.5\n");
    CHECK_CONTAINS(dump.data, "\nrobots = no\n");
    CHECK_CONTAINS(dump.data, "\n[site tj-news]\n");
    CHECK_CONTAINS(dump.data, "\nlisting = http://news.example.com/list_{n}.html\n");
    CHECK_CONTAINS(dump.data, "\nxpath_drop = //ul[@class='related']\n");
    CHECK_CONTAINS(dump.data, "\n[site feeds-only]\n");
    CHECK_CONTAINS(dump.data, "delay = 0.5  ; from [newsarc]");
    CHECK_CONTAINS(dump.data, "hosts = b.example.net  ; default");
    CHECK_CONTAINS(dump.data, "\nmax_pages = 5\n");
    buf_release(&dump);
out:
    sites_config_free(c);
    buf_release(&err);
    free(path);
}

/* Drops the "  ; …" annotations (defaults) so dumps compare by value. */
static void strip_notes(char *s)
{
    char *w = s;
    while (*s) {
        if (s[0] == ' ' && s[1] == ' ' && s[2] == ';') {
            while (*s && *s != '\n')
                s++;
            continue;
        }
        *w++ = *s++;
    }
    *w = 0;
}

TEST(sites_dump_reloads_to_the_same_settings)
{
    /* The dump is itself a valid sites.conf with the same resolved values. */
    char *path = write_conf("sites.conf", full_conf);
    struct sites_config *c = NULL, *c2 = NULL;
    struct buf err = BUF_INIT, d1 = BUF_INIT, d2 = BUF_INIT;
    CHECK_EQ(sites_config_load(path, &c, &err), 0);
    if (!c)
        goto out;
    sites_config_dump(c, &d1);
    char *p2 = write_conf("dump.conf", d1.data);
    CHECK_EQ(sites_config_load(p2, &c2, &err), 0);
    if (c2) {
        sites_config_dump(c2, &d2);
        /* Only the first line (file name and digest) and the notes differ. */
        strip_notes(d1.data);
        strip_notes(d2.data);
        CHECK_STR(strchr(d2.data, '\n'), strchr(d1.data, '\n'));
    } else {
        fprintf(stderr, "%s\n", buf_str(&err));
    }
    free(p2);
out:
    sites_config_free(c);
    sites_config_free(c2);
    buf_release(&err);
    buf_release(&d1);
    buf_release(&d2);
    free(path);
}

TEST(sites_digest_is_sha1_of_bytes)
{
    char *path = write_conf("d.conf", "[newsarc]\nuser_agent = x (ops@example.org)\n[site a]\nfeed = http://a.example/f\n");
    struct sites_config *c = NULL;
    struct buf err = BUF_INIT;
    CHECK_EQ(sites_config_load(path, &c, &err), 0);
    char cmd[4300], out[64] = "";
    snprintf(cmd, sizeof cmd, "sha1sum '%s'", path);
    FILE *p = popen(cmd, "r");
    if (p) {
        if (!fgets(out, 41, p))
            out[0] = 0;
        pclose(p);
    }
    if (c && out[0])
        CHECK_STR(c->digest, out);
    sites_config_free(c);
    buf_release(&err);
    free(path);
}

/* Loads text; expects failure with exactly `msg` (after "FILE:"). */
static void expect_error(const char *text, const char *msg, int line)
{
    char *path = write_conf("bad.conf", text);
    struct sites_config *c = NULL;
    struct buf err = BUF_INIT;
    int rc = sites_config_load(path, &c, &err);
    char want[1024];
    snprintf(want, sizeof want, "%s:%s", path, msg);
    if (rc != NA_ECONFIG || c != NULL || strcmp(buf_str(&err), want) != 0) {
        fprintf(stderr, "test_sites.c:%d: rc %d\n  got:      %s\n  expected: %s\n", line, rc, buf_str(&err), want);
        test_failures++;
    }
    sites_config_free(c);
    buf_release(&err);
    free(path);
}
#define BAD(text, msg) expect_error(text, msg, __LINE__)

#define HEAD "[newsarc]\nuser_agent = newsarc (+https://example.org/)\n"
#define SITE "[site x]\nlisting = http://a.example/\narticle = /a/\n"

TEST(sites_errors_with_line_numbers)
{
    BAD(HEAD SITE "foo\n", "6: expected 'key = value', got 'foo'");
    BAD(HEAD SITE "dealy = 2\n", "6: unknown key 'dealy' in [site x] (did you mean 'delay'?)");
    BAD(HEAD SITE "frobnicate = 2\n", "6: unknown key 'frobnicate' in [site x]");
    BAD(HEAD "concurrency = abc\n" SITE, "3: 'concurrency' expects a positive integer, got 'abc'");
    BAD(HEAD "concurrency = 0\n" SITE, "3: 'concurrency' expects a positive integer, got '0'");
    BAD(HEAD "concurrency = 5000\n" SITE, "3: 'concurrency' must be at most 1024, got '5000'");
    BAD(HEAD "retries = -1\n" SITE, "3: 'retries' expects a non-negative integer, got '-1'");
    BAD(HEAD "retry_backoff = 0\n" SITE, "3: 'retry_backoff' must be between 0.01 and 600 seconds, got '0'");
    BAD(HEAD "delay = soon\n" SITE, "3: 'delay' expects a duration in seconds (2, 0.5, 1500ms), got 'soon'");
    BAD(HEAD "max_page_size = 10Q\n" SITE, "3: 'max_page_size' expects a size (65536, 512K, 10M, 1G), got '10Q'");
    BAD(HEAD "max_page_size = 10\n" SITE, "3: 'max_page_size' must be between 1024 and 1073741824 bytes, got '10'");
    BAD(HEAD "robots = maybe\n" SITE, "3: 'robots' expects yes or no, got 'maybe'");
    BAD(HEAD "resolve = a.example:80\n" SITE,
        "3: 'resolve' expects HOST:PORT:ADDR (e.g. 'example.com:80:127.0.0.1'), got 'a.example:80'");
    BAD(HEAD "resolve = a.example:99999:127.0.0.1\n" SITE,
        "3: 'resolve' expects HOST:PORT:ADDR (e.g. 'example.com:80:127.0.0.1'), got 'a.example:99999:127.0.0.1'");
    BAD(HEAD SITE "max_pages = 1\nmax_pages = 2\n", "7: 'max_pages' given twice in [site x] (first at line 6)");
    BAD(HEAD SITE "concurrency = 3\n", "6: unknown key 'concurrency' in [site x] (it belongs in [newsarc])");
    BAD(HEAD "listing = http://a.example/\n" SITE, "3: unknown key 'listing' in [newsarc] (it belongs in a [site NAME] section)");
    BAD("user_agent = x\n" HEAD SITE, "1: key 'user_agent' outside any section (start with [newsarc] or [site NAME])");
    BAD(HEAD SITE "[bogus]\n", "6: unknown section '[bogus]' (expected [newsarc] or [site NAME])");
    BAD(HEAD SITE "[site x\n", "6: expected '[newsarc]' or '[site NAME]', got '[site x'");
    BAD(HEAD SITE "[site a/b]\n", "6: bad site name 'a/b' (letters, digits, '-', '_' and '.' only, at most 64 bytes)");
    BAD(HEAD SITE "\n[site x]\nfeed = http://b.example/f\n", "7: duplicate [site x] (first at line 3)");
    BAD(HEAD SITE "[newsarc]\n", "6: duplicate section [newsarc] (first at line 1)");
}

TEST(sites_retry_backoff)
{
    /* the unit of the retry and slow-down waits: 1 s unless set */
    const char *texts[] = { HEAD SITE, HEAD "retry_backoff = 250ms\n" SITE };
    const double want[] = { 1.0, 0.25 };
    for (int i = 0; i < 2; i++) {
        char name[32];
        snprintf(name, sizeof name, "backoff%d.conf", i);
        char *path = write_conf(name, texts[i]);
        struct sites_config *c = NULL;
        struct buf err = BUF_INIT;
        CHECK_EQ(sites_config_load(path, &c, &err), 0);
        CHECK(c && c->retry_backoff == want[i]);
        sites_config_free(c);
        buf_release(&err);
        free(path);
    }
}

TEST(sites_errors_values_of_site_keys)
{
    BAD(HEAD "[site x]\nlisting = /relative\narticle = a\n",
        "4: 'listing' expects an absolute http or https URL (with {n} for the page number, if any), got '/relative'");
    BAD(HEAD "[site x]\nfeed = ftp://a.example/f\n", "4: 'feed' expects an absolute http or https URL, got 'ftp://a.example/f'");
    BAD(HEAD SITE "article = a(b\n",
        "6: 'article' is not a valid POSIX extended regular expression (Unmatched ( or \\(): 'a(b'");
    BAD(HEAD SITE "hosts = http://a.example/\n",
        "6: 'hosts' expects a host name such as 'news.example.com' or '*.example.com', got 'http://a.example/'");
    BAD(HEAD SITE "path_prefix = news/\n", "6: 'path_prefix' expects a path starting with '/', got 'news/'");
    BAD(HEAD SITE "max_depth = 65\n", "6: 'max_depth' must be at most 64, got '65'");
    BAD(HEAD SITE "max_listing_links = 0\n", "6: 'max_listing_links' expects a positive integer, got '0'");
    BAD(HEAD SITE "max_listing_links = 1000001\n", "6: 'max_listing_links' must be at most 1000000, got '1000001'");
    BAD(HEAD SITE "enabled = sometimes\n", "6: 'enabled' expects yes or no, got 'sometimes'");
    BAD(HEAD SITE "charset =\n", "6: 'charset' expects a value");
    BAD(HEAD SITE "requisites = pictures\n", "6: 'requisites' expects none or images, got 'pictures'");
    BAD(HEAD SITE "requisites = images\nrequisites = none\n",
        "7: 'requisites' given twice in [site x] (first at line 6)");
    BAD(HEAD SITE "requisites_hosts = http://img.example/\n",
        "6: 'requisites_hosts' expects a host name such as 'news.example.com' or '*.example.com', got "
        "'http://img.example/'");
    BAD(HEAD SITE "requisites_max = 0\n", "6: 'requisites_max' expects a positive integer, got '0'");
    BAD(HEAD SITE "requisites_max_size = 5 MiB\n",
        "6: 'requisites_max_size' expects a size (65536, 512K, 10M, 1G), got '5 MiB'");
    BAD(HEAD SITE "requisites_max_size = 100\n",
        "6: 'requisites_max_size' must be between 1024 and 1073741824 bytes, got '100'");
}

/* requisites = images with its hosts and caps; the defaults; the dump. */
TEST(sites_requisites)
{
    char *path = write_conf("req.conf", HEAD SITE "requisites = images\nrequisites_hosts = img.example\n"
                                        "requisites_hosts = *.cdn.example\nrequisites_max = 7\n"
                                        "requisites_max_size = 512K\n[site y]\nfeed = http://b.example/f\n");
    struct sites_config *c = NULL;
    struct buf err = BUF_INIT, d = BUF_INIT;
    CHECK_EQ(sites_config_load(path, &c, &err), 0);
    if (c && c->nsites == 2) {
        struct site *x = &c->sites[0], *y = &c->sites[1];
        CHECK_EQ(x->requisites, SITES_REQUISITES_IMAGES);
        CHECK_EQ(x->nrequisites_hosts, 2);
        CHECK_STR(x->requisites_hosts[1], "*.cdn.example");
        CHECK_EQ(x->requisites_max, 7);
        CHECK(x->requisites_max_size == 512 * 1024);
        CHECK_EQ(y->requisites, SITES_REQUISITES_NONE);
        CHECK_EQ(y->nrequisites_hosts, 0);
        CHECK_EQ(y->requisites_max, SITES_DEFAULT_REQUISITES_MAX);
        CHECK(y->requisites_max_size == SITES_DEFAULT_REQUISITES_MAX_SIZE);
        CHECK(sites_requisite_in_scope(x, "http://img.example/a.png"));
        CHECK(!sites_requisite_in_scope(y, "http://img.example/a.png"));
        CHECK_EQ(sites_config_dump(c, &d), 0);
        CHECK_CONTAINS(buf_str(&d), "requisites = images\nrequisites_hosts = img.example\n"
                                    "requisites_hosts = *.cdn.example\nrequisites_max = 7\nrequisites_max_size = 512K\n");
        CHECK_CONTAINS(buf_str(&d), "requisites = none\n; requisites_hosts: (none: images from the site's hosts only)\n"
                                    "requisites_max = 20\nrequisites_max_size = 5M\n");
    } else {
        CHECK(0);
    }
    sites_config_free(c);
    buf_release(&err);
    buf_release(&d);
    free(path);
}

TEST(sites_errors_whole_file)
{
    BAD(HEAD "[site x]\nmax_pages = 3\n", "3: [site x] needs at least one 'listing', 'listing_api', 'feed' or 'sitemap'");
    BAD(HEAD "[site empty]\n" SITE, "3: [site empty] needs at least one 'listing', 'listing_api', 'feed' or 'sitemap'");
    BAD(HEAD "[site x]\nlisting = http://a.example/\n",
        "3: [site x] has 'listing' pages but no 'article' pattern to pick article links");
    BAD(HEAD, " no [site NAME] section");
    BAD("[newsarc]\n" SITE,
        "1: [newsarc] needs 'user_agent' with a contact (a URL or an e-mail address), e.g. "
        "'user_agent = newsarc/0.1 (+https://example.org/crawler)'");
    BAD("[newsarc]\nuser_agent = newsarc/0.1\n" SITE,
        "2: 'user_agent' must name a contact (a URL or an e-mail address), e.g. "
        "'newsarc/0.1 (+https://example.org/crawler; ops@example.org)', got 'newsarc/0.1'");
}

TEST(sites_user_agent_contacts)
{
    const char *ok[] = { "newsarc/0.1 (+https://example.org/bot)", "newsarc/0.1 (ops@example.org)",
                         "newsarc (contact: crawler-admin@news.example.cn)", "bot http://example.org" };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "[newsarc]\nuser_agent = %s\n" SITE, ok[i]);
        char *path = write_conf("ua.conf", text);
        struct sites_config *c = NULL;
        struct buf err = BUF_INIT;
        CHECK_EQ(sites_config_load(path, &c, &err), 0);
        if (c)
            CHECK_STR(c->user_agent, ok[i]);
        sites_config_free(c);
        buf_release(&err);
        free(path);
    }
    BAD("[newsarc]\nuser_agent = bot (@handle)\n" SITE,
        "2: 'user_agent' must name a contact (a URL or an e-mail address), e.g. "
        "'newsarc/0.1 (+https://example.org/crawler; ops@example.org)', got 'bot (@handle)'");
}

TEST(sites_syntax_details)
{
    /* Comments (; and #, inline " ;"), indentation, CRLF, a BOM, a long line,
     * ':' as separator, a missing file. */
    struct buf t = BUF_INIT;
    buf_adds(&t, "\xEF\xBB\xBF# comment\r\n[newsarc]\r\n  user_agent = newsarc (+https://example.org/) ; contact\r\n");
    buf_adds(&t, "[site x]\r\n    listing: http://a.example/list\r\narticle = ^http://a\\.example/");
    for (int i = 0; i < 500; i++)
        buf_adds(&t, "(x|y)?");
    buf_adds(&t, "$\r\n");
    char *path = write_conf("syntax.conf", t.data);
    struct sites_config *c = NULL;
    struct buf err = BUF_INIT;
    int rc = sites_config_load(path, &c, &err);
    CHECK_EQ(rc, 0);
    if (rc)
        fprintf(stderr, "%s\n", buf_str(&err));
    if (c) {
        CHECK_STR(c->user_agent, "newsarc (+https://example.org/)");
        CHECK_STR(c->sites[0].listing[0], "http://a.example/list");
        CHECK(strlen(c->sites[0].article[0]) > 3000);
    }
    sites_config_free(c);
    c = NULL;
    buf_reset(&err);
    CHECK_EQ(sites_config_load("/nonexistent/sites.conf", &c, &err), NA_ECONFIG);
    CHECK_CONTAINS(buf_str(&err), "cannot read '/nonexistent/sites.conf'");
    buf_release(&err);
    buf_release(&t);
    free(path);
}

TEST(sites_too_long_line_and_too_many_entries)
{
    struct buf t = BUF_INIT;
    buf_adds(&t, HEAD SITE "article = ");
    for (int i = 0; i < SITES_MAX_LINE; i++)
        buf_addc(&t, 'a');
    buf_adds(&t, "\n");
    char msg[100];
    snprintf(msg, sizeof msg, "6: line longer than %d bytes", SITES_MAX_LINE);
    BAD(t.data, msg);
    buf_reset(&t);
    buf_adds(&t, HEAD SITE);
    for (int i = 0; i < SITES_MAX_LIST; i++)
        buf_printf(&t, "feed = http://a.example/%d.xml\n", i);
    snprintf(msg, sizeof msg, "%d: too many 'feed' entries in [site x] (at most %d)", 6 + SITES_MAX_LIST - 1,
             SITES_MAX_LIST);
    buf_adds(&t, "feed = http://a.example/last.xml\n");
    snprintf(msg, sizeof msg, "%d: too many 'feed' entries in [site x] (at most %d)", 6 + SITES_MAX_LIST,
             SITES_MAX_LIST);
    BAD(t.data, msg);
    buf_release(&t);
}

/* A value of 5 KB: the message is cut, not empty. */
TEST(sites_long_value_message_is_cut_not_empty)
{
    struct buf t = BUF_INIT, err = BUF_INIT;
    buf_adds(&t, HEAD SITE "hosts = ");
    for (int i = 0; i < 2500; i++)
        buf_adds(&t, "h/");
    buf_adds(&t, "\n");
    char *path = write_conf("long.conf", t.data);
    struct sites_config *c = NULL;
    CHECK_EQ(sites_config_load(path, &c, &err), NA_ECONFIG);
    CHECK_CONTAINS(buf_str(&err), ":6: 'hosts' expects a host name");
    CHECK_CONTAINS(buf_str(&err), "got 'h/h/h/");
    CHECK_CONTAINS(buf_str(&err), "\xE2\x80\xA6");
    free(path);
    buf_release(&t);
    buf_release(&err);
}

/* -c FIFO waited forever; -c DIR said "input/output error". */
TEST(sites_config_must_be_a_regular_file)
{
    struct sites_config *c = NULL;
    struct buf err = BUF_INIT;
    char p[4200];
    alarm(10);
    snprintf(p, sizeof p, "%s/fifo.conf", test_tmpdir());
    CHECK_EQ(mkfifo(p, 0644), 0);
    CHECK_EQ(sites_config_load(p, &c, &err), NA_ECONFIG);
    CHECK_CONTAINS(buf_str(&err), "fifo.conf': not a regular file (a FIFO)");
    CHECK_EQ(sites_config_load(test_tmpdir(), &c, &err), NA_ECONFIG);
    CHECK_CONTAINS(buf_str(&err), "': is a directory");
    alarm(0);
    buf_release(&err);
}

TEST(sites_archive_paths)
{
    char *path = write_conf("abs.conf", "[newsarc]\narchive = /var/lib/newsarc\nuser_agent = a (a@b.cn)\n" SITE);
    struct sites_config *c = NULL;
    struct buf err = BUF_INIT;
    CHECK_EQ(sites_config_load(path, &c, &err), 0);
    if (c)
        CHECK_STR(c->archive, "/var/lib/newsarc");
    sites_config_free(c);
    c = NULL;
    free(path);
    /* Default: "archive" next to the config file; a relative config path. */
    path = write_conf("def.conf", "[newsarc]\nuser_agent = a (a@b.cn)\n" SITE);
    char cwd[4096];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK_EQ(chdir(test_tmpdir()), 0);
    CHECK_EQ(sites_config_load("def.conf", &c, &err), 0);
    char want[4200];
    char *dir = realpath(".", NULL);
    snprintf(want, sizeof want, "%s/archive", dir);
    free(dir);
    if (c)
        CHECK_STR(c->archive, want);
    CHECK_EQ(chdir(cwd), 0);
    sites_config_free(c);
    buf_release(&err);
    free(path);
}

TEST(sites_hand_built_site)
{
    struct site s;
    CHECK_EQ(site_init(&s, "hand"), 0);
    s.listing[s.nlisting++] = strdup("http://a.example/list_{n}.html");
    s.article[s.narticle++] = strdup("/a/[0-9]+");
    s.article[s.narticle++] = strdup("(");
    struct buf err = BUF_INIT;
    CHECK_EQ(site_prepare(&s, &err), NA_ECONFIG);
    CHECK_CONTAINS(buf_str(&err), "'article' is not a valid regular expression");
    free(s.article[1]);
    s.narticle = 1;
    CHECK_EQ(site_prepare(&s, &err), 0);
    CHECK_STR(s.hosts[0], "a.example");
    CHECK_EQ(discover_is_article(&s, "http://a.example/a/1"), 1);
    CHECK_EQ(site_prepare(&s, &err), 0); /* idempotent */
    CHECK_EQ(s.nhosts, 1);
    site_release(&s);
    site_release(NULL);
    sites_config_free(NULL);
    buf_release(&err);
}

TEST(sites_out_of_memory_paths)
{
    /* Fail every allocation in turn: each load returns an error or succeeds,
     * and nothing leaks (LeakSanitizer under make asan). */
    char *path = write_conf("oom.conf", full_conf);
    int failures = 0, successes = 0;
    for (long n = 1; n < 400; n++) {
        struct sites_config *c = NULL;
        struct buf err = BUF_INIT;
        na_mem_fail_after(n);
        int rc = sites_config_load(path, &c, &err);
        na_mem_fail_after(0);
        if (rc == 0) {
            CHECK(c != NULL);
            successes++;
        } else {
            CHECK(c == NULL);
            CHECK(rc == NA_ENOMEM || rc == NA_ECONFIG);
            failures++;
        }
        sites_config_free(c);
        buf_release(&err);
    }
    CHECK(failures > 10);
    CHECK(successes > 0);
    free(path);
}

TEST(sites_check_config_cli)
{
    const char *bin = getenv("NA_BIN");
    if (!bin || access(bin, X_OK) != 0)
        SKIP("NA_BIN is not set to an executable newsarc");
    char *good = write_conf("good.conf", full_conf);
    char *bad = write_conf("bad.conf", HEAD SITE "dealy = 2\n");
    char cmd[9000], outp[4200], errp[4200];
    snprintf(outp, sizeof outp, "%s/out.txt", test_tmpdir());
    snprintf(errp, sizeof errp, "%s/err.txt", test_tmpdir());
    snprintf(cmd, sizeof cmd, "'%s' check-config -c '%s' >'%s' 2>'%s'", bin, good, outp, errp);
    int st = system(cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    char *out = test_read_file(outp, NULL);
    CHECK_CONTAINS(out, "\n[site tj-news]\n");
    CHECK_CONTAINS(out, "\nmax_page_size = 20M\n");
    free(out);
    snprintf(cmd, sizeof cmd, "'%s' check-config -c '%s' >'%s' 2>'%s'", bin, bad, outp, errp);
    st = system(cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2);
    char *e = test_read_file(errp, NULL);
    CHECK_CONTAINS(e, "bad.conf:6: unknown key 'dealy' in [site x] (did you mean 'delay'?)\n");
    free(e);
    out = test_read_file(outp, NULL);
    CHECK_STR(out, "");
    free(out);
    snprintf(cmd, sizeof cmd, "'%s' check-config -q -c '%s' >'%s' 2>&1", bin, good, outp);
    st = system(cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    out = test_read_file(outp, NULL);
    CHECK_STR(out, "");
    free(out);
    snprintf(cmd, sizeof cmd, "'%s' check-config --bogus >'%s' 2>&1", bin, outp);
    st = system(cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2);
    snprintf(cmd, sizeof cmd, "'%s' check-config --help >'%s' 2>&1", bin, outp);
    st = system(cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    out = test_read_file(outp, NULL);
    CHECK_CONTAINS(out, "usage: newsarc check-config");
    free(out);
    free(good);
    free(bad);
}

TEST(sites_top_level_config_is_valid)
{
    /* The shipped sites.conf (the demo site and commented examples) loads. */
    char path[4200];
    snprintf(path, sizeof path, "%s/sites.conf", test_srcdir());
    size_t len = 0;
    char *text = test_read_file(path, &len);
    free(text);
    CHECK(text && len > 0);
    struct sites_config *c = NULL;
    struct buf err = BUF_INIT;
    int rc = sites_config_load(path, &c, &err);
    CHECK_EQ(rc, 0);
    if (rc)
        fprintf(stderr, "%s\n", buf_str(&err));
    else
        CHECK(c->nsites >= 1);
    sites_config_free(c);
    buf_release(&err);
}

/* The retry policy's keys: global and per site, the defaults, "none",
 * units, and errors with file:line. */
TEST(sites_retry_schedules)
{
    char *path = write_conf("retry.conf", HEAD "retry = 0s 90s 30m\nretry_missing = none\n" SITE
                                          "retry = 1h 6h 1d 3d 1w\n[site y]\nfeed = http://b.example/f\n");
    struct sites_config *c = NULL;
    struct buf err = BUF_INIT;
    CHECK_EQ(sites_config_load(path, &c, &err), 0);
    if (c) {
        const struct sites_retry *r = sites_retry_for(c, &c->sites[0], 0);
        CHECK_EQ(r->n, 5);
        CHECK_EQ(r->delay[0], 3600);
        CHECK_EQ(r->delay[2], 86400);
        CHECK_EQ(r->delay[4], 7 * 86400);
        r = sites_retry_for(c, &c->sites[1], 0); /* inherited */
        CHECK_EQ(r->n, 3);
        CHECK_EQ(r->delay[0], 0);
        CHECK_EQ(r->delay[1], 90);
        CHECK_EQ(r->delay[2], 1800);
        CHECK_EQ(sites_retry_for(c, &c->sites[1], 1)->n, 0); /* none */
        struct buf d = BUF_INIT;
        sites_config_dump(c, &d);
        CHECK_CONTAINS(buf_str(&d), "retry = 1h 6h 1d 3d 7d\n");
        CHECK_CONTAINS(buf_str(&d), "retry = 0s 90s 30m  ; from [newsarc]");
        buf_release(&d);
    }
    sites_config_free(c);
    c = NULL;
    /* the defaults */
    free(path);
    path = write_conf("retry2.conf", HEAD SITE);
    CHECK_EQ(sites_config_load(path, &c, &err), 0);
    if (c) {
        const struct sites_retry *r = sites_retry_for(c, &c->sites[0], 0), *m = sites_retry_for(c, &c->sites[0], 1);
        CHECK_EQ(r->n, 4);
        CHECK_EQ(r->delay[1], 6 * 3600);
        CHECK_EQ(r->delay[3], 3 * 86400);
        CHECK_EQ(m->n, 3);
        CHECK_EQ(m->delay[1], 86400);
    }
    sites_config_free(c);
    free(path);
    buf_release(&err);
    BAD(HEAD "retry = 1h 2x\n" SITE,
        "3: 'retry' expects up to 32 intervals such as '1h 6h 1d 3d' (s, m, h, d, w; at most a year each) or 'none', "
        "got '2x'");
    BAD(HEAD SITE "retry_missing = soon\n",
        "6: 'retry_missing' expects up to 32 intervals such as '1h 6h 1d 3d' (s, m, h, d, w; at most a year each) or "
        "'none', got 'soon'");
    BAD(HEAD SITE "retry = 400d\n",
        "6: 'retry' expects up to 32 intervals such as '1h 6h 1d 3d' (s, m, h, d, w; at most a year each) or 'none', "
        "got '400d'");
    BAD(HEAD SITE "retry = 1h\nretry = 2h\n", "7: 'retry' given twice in [site x] (first at line 6)");
}
