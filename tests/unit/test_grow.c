/* test_grow.c — the caps of the growable arrays (util/mem.h's na_grow):
 * each array stops at its named maximum and says so — an error with a
 * message, or a counted drop the crawl reports once — never a silent drop. */
#include "tests/check.h"
#include "crawler/discover.h"
#include "crawler/frontier.h"
#include "crawler/politeness.h"
#include "crawler/robots.h"
#include "crawler/sites.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More than DISCOVER_MAX_PAGER_LINKS numbered pager links: the rest are
 * dropped, and the page's list says so (cut), which the crawl logs once;
 * a next page among the kept ones is still found. */
TEST(grow_pager_links_cap_said)
{
    struct buf html = BUF_INIT;
    buf_adds(&html, "<html><body><div class=pages><span class=current>1</span>");
    for (int i = 2; i <= DISCOVER_MAX_PAGER_LINKS + 50; i++)
        buf_printf(&html, "<a href=\"list_%d.html\">%d</a> ", i, i);
    buf_adds(&html, "</div></body></html>");
    CHECK_EQ(html.err, 0);
    struct url_list a;
    url_list_init(&a, 0);
    char *next = NULL;
    struct buf err = BUF_INIT;
    CHECK_EQ(discover_listing(NULL, "http://news.example.cn/list_1.html", html.data, html.len, &a, &next, &err), 0);
    CHECK_STR(next ? next : "(none)", "http://news.example.cn/list_2.html");
    CHECK(a.cut != NULL && strstr(a.cut, "DISCOVER_MAX_PAGER_LINKS") != NULL);
    free(next);
    url_list_release(&a);

    /* at the cap exactly: nothing dropped, nothing said */
    buf_reset(&html);
    buf_adds(&html, "<html><body><div class=pages><span class=current>1</span>");
    for (int i = 2; i <= DISCOVER_MAX_PAGER_LINKS + 1; i++)
        buf_printf(&html, "<a href=\"list_%d.html\">%d</a> ", i, i);
    buf_adds(&html, "</div></body></html>");
    url_list_init(&a, 0);
    next = NULL;
    CHECK_EQ(discover_listing(NULL, "http://news.example.cn/list_1.html", html.data, html.len, &a, &next, &err), 0);
    CHECK(a.cut == NULL);
    free(next);
    url_list_release(&a);
    buf_release(&err);
    buf_release(&html);
}

/* Sitemap: lines past ROBOTS_MAX_SITEMAPS are counted for the warning. */
TEST(grow_robots_sitemaps_counted)
{
    struct buf t = BUF_INIT;
    buf_adds(&t, "User-agent: *\nDisallow: /private/\n");
    for (int i = 0; i < ROBOTS_MAX_SITEMAPS + 7; i++)
        buf_printf(&t, "Sitemap: http://example.com/sm_%d.xml\n", i);
    CHECK_EQ(t.err, 0);
    struct robots *r = robots_parse(t.data, t.len, "newsarc");
    CHECK(r != NULL);
    const char *const *sm;
    CHECK_EQ(robots_sitemaps(r, &sm), ROBOTS_MAX_SITEMAPS);
    CHECK_EQ(robots_sitemaps_dropped(r), 7);
    if (robots_sitemaps(r, &sm) == ROBOTS_MAX_SITEMAPS)
        CHECK_STR(sm[ROBOTS_MAX_SITEMAPS - 1], "http://example.com/sm_999.xml");
    CHECK_EQ(robots_allowed(r, "/private/x"), 0);
    robots_free(r);
    buf_release(&t);
}

/* The rule cap follows from the 500 KiB read: the densest robots.txt (8
 * bytes a rule) parses whole, and its last rule still counts. */
TEST(grow_robots_rules_within_cap)
{
    struct buf t;
    buf_init(&t, ROBOTS_MAX_BYTES);
    buf_adds(&t, "user-agent:*\n");
    while (t.len + 8 <= ROBOTS_MAX_BYTES - 16)
        buf_adds(&t, "allow:/\n");
    buf_adds(&t, "disallow:/z\n");
    CHECK_EQ(t.err, 0);
    struct robots *r = robots_parse(t.data, t.len, "newsarc");
    CHECK(r != NULL);
    CHECK_EQ(robots_allowed(r, "/a"), 1);
    CHECK_EQ(robots_allowed(r, "/z"), 0); /* longest match: the last line was kept */
    robots_free(r);
    buf_release(&t);
}

/* The run's hosts stop at FRONTIER_MAX_HOSTS: the next new host is an
 * error (the crawl stops with a message), a known host still queues. */
TEST(grow_frontier_hosts_cap)
{
    struct politeness *p = politeness_new(0, 1);
    struct frontier *f = frontier_new(p);
    CHECK(p && f);
    char url[64];
    int rc = 0;
    for (int i = 0; i < FRONTIER_MAX_HOSTS && !rc; i++) {
        snprintf(url, sizeof url, "http://h%d.example.com/", i);
        struct fjob *j = fjob_new(url, -1, CAPTURE_ARTICLE);
        rc = j ? frontier_push(f, j, 0) : NA_ENOMEM;
    }
    CHECK_EQ(rc, 0);
    CHECK_EQ(frontier_size(f), FRONTIER_MAX_HOSTS);
    struct fjob *j = fjob_new("http://one-too-many.example.com/", -1, CAPTURE_ARTICLE);
    CHECK_EQ(frontier_push(f, j, 0), NA_ETOOBIG); /* the job is freed */
    j = fjob_new("http://h7.example.com/again", -1, CAPTURE_ARTICLE);
    CHECK_EQ(frontier_push(f, j, 0), 0);
    CHECK_EQ(frontier_size(f), FRONTIER_MAX_HOSTS + 1);
    frontier_free(f);
    politeness_free(p);
}

/* More [site NAME] sections than SITES_MAX_SITES: an error naming the line. */
TEST(grow_sites_cap)
{
    char path[512];
    snprintf(path, sizeof path, "%s/many.conf", test_tmpdir());
    FILE *fp = fopen(path, "w");
    CHECK(fp != NULL);
    if (!fp)
        return;
    fprintf(fp, "[newsarc]\narchive = a\nuser_agent = t (+http://example.org/)\n");
    for (int i = 0; i <= SITES_MAX_SITES; i++)
        fprintf(fp, "[site s%d]\nlisting = http://example.com/%d/\n", i, i);
    fclose(fp);
    struct sites_config *c = NULL;
    struct buf err = BUF_INIT;
    CHECK_EQ(sites_config_load(path, &c, &err), NA_ECONFIG);
    char want[64];
    snprintf(want, sizeof want, ":%d: too many sites (at most %d)", 3 + 2 * SITES_MAX_SITES + 1, SITES_MAX_SITES);
    CHECK(strstr(buf_str(&err), want) != NULL);
    if (!strstr(buf_str(&err), want))
        fprintf(stderr, "  got: %s\n  want: ...%s\n", buf_str(&err), want);
    sites_config_free(c);
    buf_release(&err);
}
