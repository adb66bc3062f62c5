/* test_health.c — site health (crawler/health.h): the alert state machine
 * (said once when it starts, quiet while open, said once when it clears),
 * each alert's threshold (pattern, silent by runs and by days, empty,
 * unreachable), the state kept in a real archive, the listing probe, the
 * article-pattern typo hint, and the alert_after / alert_failures keys. */
#include "tests/check.h"
#include "crawler/crawl.h"
#include "crawler/health.h"
#include "crawler/sites.h"
#include "store/archive.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

/* ---- an in-memory state table ---- */

#define MEM_MAX 64
struct mem_store {
    char *site[MEM_MAX], *key[MEM_MAX], *val[MEM_MAX];
    int n;
    int sets;
};

static int mem_find(struct mem_store *m, const char *site, const char *key)
{
    for (int i = 0; i < m->n; i++)
        if (strcmp(m->site[i], site) == 0 && strcmp(m->key[i], key) == 0)
            return i;
    return -1;
}

static char *mem_get(void *ud, const char *site, const char *key)
{
    struct mem_store *m = ud;
    int i = mem_find(m, site, key);
    return i >= 0 && m->val[i] ? strdup(m->val[i]) : NULL;
}

static int mem_set(void *ud, const char *site, const char *key, const char *value)
{
    struct mem_store *m = ud;
    m->sets++;
    int i = mem_find(m, site, key);
    if (i < 0) {
        if (m->n == MEM_MAX)
            return NA_ENOMEM;
        i = m->n++;
        m->site[i] = strdup(site);
        m->key[i] = strdup(key);
        m->val[i] = NULL;
    }
    free(m->val[i]);
    m->val[i] = value ? strdup(value) : NULL;
    return 0;
}

static void mem_free(struct mem_store *m)
{
    for (int i = 0; i < m->n; i++) {
        free(m->site[i]);
        free(m->key[i]);
        free(m->val[i]);
    }
    memset(m, 0, sizeof *m);
}

static struct health_store mem_hs(struct mem_store *m)
{
    struct health_store hs = { mem_get, mem_set, m };
    return hs;
}

/* The change reported for kind in r, -1 when none. */
static int change_of(const struct health_report *r, enum health_kind kind)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].kind == kind)
            return (int)r->v[i].change;
    return -1;
}

static const char *message_of(const struct health_report *r, enum health_kind kind)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].kind == kind)
            return r->v[i].message;
    return "";
}

TEST(health_alert_said_once_when_it_starts_and_once_when_it_clears)
{
    struct mem_store m = { 0 };
    struct health_store hs = mem_hs(&m);
    struct health_report r;
    /* 1: starts */
    health_report_init(&r);
    CHECK_EQ(health_update(&hs, "s1", HEALTH_PATTERN, 1, "first words", 1000, &r), 0);
    CHECK_EQ(r.n, 1);
    CHECK_EQ(change_of(&r, HEALTH_PATTERN), HEALTH_STARTED);
    CHECK_EQ(r.open, 1);
    CHECK_STR(message_of(&r, HEALTH_PATTERN), "first words");
    health_report_release(&r);
    /* 2: still holds, with other words: not said again, nothing written, the first words kept */
    int sets = m.sets;
    health_report_init(&r);
    CHECK_EQ(health_update(&hs, "s1", HEALTH_PATTERN, 1, "other words", 2000, &r), 0);
    CHECK_EQ(change_of(&r, HEALTH_PATTERN), HEALTH_STILL);
    CHECK_EQ(r.open, 1);
    CHECK_STR(message_of(&r, HEALTH_PATTERN), "first words");
    CHECK_EQ(r.v[0].since, 1000);
    CHECK_EQ(m.sets, sets);
    health_report_release(&r);
    /* 3: cannot tell (a 304): stays open */
    health_report_init(&r);
    CHECK_EQ(health_update(&hs, "s1", HEALTH_PATTERN, -1, "", 3000, &r), 0);
    CHECK_EQ(change_of(&r, HEALTH_PATTERN), HEALTH_STILL);
    CHECK_EQ(r.open, 1);
    health_report_release(&r);
    /* another site and another kind are separate */
    health_report_init(&r);
    CHECK_EQ(health_update(&hs, "s2", HEALTH_PATTERN, 0, "", 3000, &r), 0);
    CHECK_EQ(health_update(&hs, "s1", HEALTH_EMPTY, 0, "", 3000, &r), 0);
    CHECK_EQ(r.n, 0);
    CHECK_EQ(r.open, 0);
    health_report_release(&r);
    /* 4: clears, once */
    health_report_init(&r);
    CHECK_EQ(health_update(&hs, "s1", HEALTH_PATTERN, 0, "", 4000, &r), 0);
    CHECK_EQ(change_of(&r, HEALTH_PATTERN), HEALTH_CLEARED);
    CHECK_EQ(r.open, 0);
    CHECK_EQ(r.v[0].since, 1000);
    health_report_release(&r);
    health_report_init(&r);
    CHECK_EQ(health_update(&hs, "s1", HEALTH_PATTERN, 0, "", 5000, &r), 0);
    CHECK_EQ(health_update(&hs, "s1", HEALTH_PATTERN, -1, "", 5000, &r), 0);
    CHECK_EQ(r.n, 0);
    health_report_release(&r);
    /* 5: starts again */
    health_report_init(&r);
    CHECK_EQ(health_update(&hs, "s1", HEALTH_PATTERN, 1, "again", 6000, &r), 0);
    CHECK_EQ(change_of(&r, HEALTH_PATTERN), HEALTH_STARTED);
    health_report_release(&r);
    /* without a store (dry run) a holding condition is said every time */
    for (int i = 0; i < 2; i++) {
        health_report_init(&r);
        CHECK_EQ(health_update(NULL, "s1", HEALTH_EMPTY, 1, "x", 6000, &r), 0);
        CHECK_EQ(change_of(&r, HEALTH_EMPTY), HEALTH_STARTED);
        health_report_release(&r);
    }
    mem_free(&m);
}

/* A one-site config and stats for health_judge. */
struct fixture {
    struct sites_config cfg;
    struct site site;
    struct crawl_stats st;
    struct crawl_site_stats ss;
    struct crawl_listing_stats ls;
};

static void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    site_init(&f->site, "s1");
    f->site.listing[f->site.nlisting++] = strdup("http://n.example/list/");
    f->site.article[f->site.narticle++] = strdup("^http://n\\.example/a/[0-9]+\\.html$");
    f->cfg.sites = &f->site;
    f->cfg.nsites = 1;
    f->ss.name = "s1";
    f->st.site = &f->ss;
    f->st.nsite = 1;
    f->ls.site = 0;
    f->ls.listing = f->site.listing[0];
    f->st.listing = &f->ls;
    f->st.nlisting = 1;
}

static int judge(struct fixture *f, struct health_store *hs, time_t now, enum health_kind kind)
{
    struct health_report r;
    struct buf err = BUF_INIT;
    health_report_init(&r);
    int rc = health_judge(&f->cfg, &f->st, hs, now, &r, &err);
    CHECK_EQ(rc, 0);
    int ch = change_of(&r, kind);
    health_report_release(&r);
    buf_release(&err);
    return ch;
}

TEST(health_unreachable_after_k_failing_runs)
{
    struct fixture f;
    fixture_init(&f);
    struct mem_store m = { 0 };
    struct health_store hs = mem_hs(&m);
    f.ss.robots_failed = 1;
    snprintf(f.ss.robots_why, sizeof f.ss.robots_why, "HTTP 503");
    CHECK_EQ(judge(&f, &hs, 100, HEALTH_UNREACHABLE), -1); /* default alert_failures = 3 */
    CHECK_EQ(judge(&f, &hs, 200, HEALTH_UNREACHABLE), -1);
    struct health_report r;
    struct buf err = BUF_INIT;
    health_report_init(&r);
    CHECK_EQ(health_judge(&f.cfg, &f.st, &hs, 300, &r, &err), 0);
    CHECK_EQ(change_of(&r, HEALTH_UNREACHABLE), HEALTH_STARTED);
    CHECK(strstr(message_of(&r, HEALTH_UNREACHABLE), "robots.txt unreachable (HTTP 503) on 3 runs") != NULL);
    health_report_release(&r);
    CHECK_EQ(judge(&f, &hs, 400, HEALTH_UNREACHABLE), HEALTH_STILL);
    /* a good run clears it and restarts the count */
    f.ss.robots_failed = 0;
    CHECK_EQ(judge(&f, &hs, 500, HEALTH_UNREACHABLE), HEALTH_CLEARED);
    f.ss.listing_failed = 1;
    snprintf(f.ss.listing_why, sizeof f.ss.listing_why, "http://n.example/list/: HTTP 502");
    CHECK_EQ(judge(&f, &hs, 600, HEALTH_UNREACHABLE), -1);
    CHECK_EQ(judge(&f, &hs, 700, HEALTH_UNREACHABLE), -1);
    CHECK_EQ(judge(&f, &hs, 800, HEALTH_UNREACHABLE), HEALTH_STARTED);
    /* alert_failures = 1: at once; 0: never (and an open one clears) */
    f.site.alert_failures = 0;
    CHECK_EQ(judge(&f, &hs, 900, HEALTH_UNREACHABLE), HEALTH_CLEARED);
    CHECK_EQ(judge(&f, &hs, 1000, HEALTH_UNREACHABLE), -1);
    f.site.alert_failures = 1;
    f.ss.listing_failed = 0;
    CHECK_EQ(judge(&f, &hs, 1100, HEALTH_UNREACHABLE), -1);
    f.ss.listing_failed = 1;
    CHECK_EQ(judge(&f, &hs, 1200, HEALTH_UNREACHABLE), HEALTH_STARTED);
    /* a dry run (no store) does not judge it */
    f.site.alert_failures = 3;
    CHECK_EQ(judge(&f, NULL, 1300, HEALTH_UNREACHABLE), -1);
    mem_free(&m);
    site_release(&f.site);
}

TEST(health_silent_by_runs_and_by_days)
{
    struct fixture f;
    fixture_init(&f);
    struct mem_store m = { 0 };
    struct health_store hs = mem_hs(&m);
    time_t day = 86400, t0 = 1700000000;
    /* default 14 days: the first quiet run starts the watch */
    CHECK_EQ(judge(&f, &hs, t0, HEALTH_SILENT), -1);
    CHECK_EQ(judge(&f, &hs, t0 + 13 * day, HEALTH_SILENT), -1);
    CHECK_EQ(judge(&f, &hs, t0 + 14 * day, HEALTH_SILENT), HEALTH_STARTED);
    CHECK_EQ(judge(&f, &hs, t0 + 15 * day, HEALTH_SILENT), HEALTH_STILL);
    f.ss.articles_new = 2;
    CHECK_EQ(judge(&f, &hs, t0 + 16 * day, HEALTH_SILENT), HEALTH_CLEARED);
    /* 7 days counts from the last new article */
    f.site.alert_after_secs = 7 * day;
    f.ss.articles_new = 0;
    CHECK_EQ(judge(&f, &hs, t0 + 22 * day, HEALTH_SILENT), -1);
    CHECK_EQ(judge(&f, &hs, t0 + 23 * day, HEALTH_SILENT), HEALTH_STARTED);
    /* 3 runs */
    f.site.alert_after_secs = 0;
    f.site.alert_after_runs = 3;
    f.ss.articles_new = 1;
    CHECK_EQ(judge(&f, &hs, t0 + 24 * day, HEALTH_SILENT), HEALTH_CLEARED);
    f.ss.articles_new = 0;
    CHECK_EQ(judge(&f, &hs, t0 + 24 * day, HEALTH_SILENT), -1);
    CHECK_EQ(judge(&f, &hs, t0 + 24 * day, HEALTH_SILENT), -1);
    CHECK_EQ(judge(&f, &hs, t0 + 24 * day, HEALTH_SILENT), HEALTH_STARTED);
    /* off: an open alert clears, none starts */
    f.site.alert_after_runs = 0;
    CHECK_EQ(judge(&f, &hs, t0 + 90 * day, HEALTH_SILENT), HEALTH_CLEARED);
    CHECK_EQ(judge(&f, &hs, t0 + 900 * day, HEALTH_SILENT), -1);
    mem_free(&m);
    site_release(&f.site);
}

TEST(health_empty_when_most_new_articles_are_poor)
{
    struct fixture f;
    fixture_init(&f);
    struct mem_store m = { 0 };
    struct health_store hs = mem_hs(&m);
    f.ss.articles_new = 2; /* too few to tell */
    f.ss.articles_poor = 2;
    CHECK_EQ(judge(&f, &hs, 100, HEALTH_EMPTY), -1);
    f.ss.articles_new = 4;
    f.ss.articles_poor = 3;
    f.ss.articles_short = 3;
    CHECK_EQ(judge(&f, &hs, 200, HEALTH_EMPTY), HEALTH_STARTED);
    f.ss.articles_new = 1; /* too few: stays open */
    CHECK_EQ(judge(&f, &hs, 300, HEALTH_EMPTY), HEALTH_STILL);
    f.ss.articles_new = 4;
    f.ss.articles_poor = 2; /* half is not most */
    CHECK_EQ(judge(&f, &hs, 400, HEALTH_EMPTY), HEALTH_CLEARED);
    mem_free(&m);
    site_release(&f.site);
}

TEST(health_pattern_first_run_and_yielded_before)
{
    struct fixture f;
    fixture_init(&f);
    struct mem_store m = { 0 };
    struct health_store hs = mem_hs(&m);
    struct health_report r;
    struct buf err = BUF_INIT;
    /* first run: links, none matches */
    f.ls.state = 1;
    f.ls.links = 42;
    snprintf(f.ls.samples, sizeof f.ls.samples, "http://n.example/news/123.html http://n.example/news/124.html");
    health_report_init(&r);
    CHECK_EQ(health_judge(&f.cfg, &f.st, &hs, 100, &r, &err), 0);
    CHECK_EQ(change_of(&r, HEALTH_PATTERN), HEALTH_STARTED);
    const char *msg = message_of(&r, HEALTH_PATTERN);
    CHECK(strstr(msg, "http://n.example/list/") != NULL);
    CHECK(strstr(msg, "42 links") != NULL);
    CHECK(strstr(msg, "http://n.example/news/123.html, http://n.example/news/124.html") != NULL);
    health_report_release(&r);
    /* a 304 tells nothing: stays open; a 200 with articles clears it */
    f.ls.state = 2;
    CHECK_EQ(judge(&f, &hs, 200, HEALTH_PATTERN), HEALTH_STILL);
    f.ls.state = 1;
    f.ls.articles = 20;
    CHECK_EQ(judge(&f, &hs, 300, HEALTH_PATTERN), HEALTH_CLEARED);
    /* the page read not at all (failed): cannot tell */
    f.ls.state = 0;
    f.ls.articles = 0;
    CHECK_EQ(judge(&f, &hs, 400, HEALTH_PATTERN), -1);
    /* then it yields none: named with the count it yielded before */
    f.ls.state = 1;
    f.ls.links = 0;
    f.ls.samples[0] = 0;
    health_report_init(&r);
    CHECK_EQ(health_judge(&f.cfg, &f.st, &hs, 500, &r, &err), 0);
    CHECK_EQ(change_of(&r, HEALTH_PATTERN), HEALTH_STARTED);
    CHECK(strstr(message_of(&r, HEALTH_PATTERN), "yielded 20 before") != NULL);
    health_report_release(&r);
    /* the typo hint rides along */
    free(f.site.article[0]);
    f.site.article[0] = strdup("n\\.example/show\\.php?id=[0-9]+");
    f.ls.links = 5;
    health_report_init(&r);
    CHECK_EQ(health_judge(&f.cfg, &f.st, NULL, 600, &r, &err), 0);
    CHECK(strstr(message_of(&r, HEALTH_PATTERN), "did you mean \\?") != NULL);
    health_report_release(&r);
    buf_release(&err);
    mem_free(&m);
    site_release(&f.site);
}

TEST(health_state_in_the_archive)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/arc", test_tmpdir());
    struct archive *a = NULL;
    struct buf err = BUF_INIT;
    CHECK_EQ(archive_open(dir, NULL, &a, &err), 0);
    if (!a)
        return;
    struct health_store hs;
    health_store_archive(&hs, a);
    struct health_report r;
    health_report_init(&r);
    CHECK_EQ(health_update(&hs, "s1", HEALTH_SILENT, 1, "quiet", 1000, &r), 0);
    char *v = archive_state_get(a, "s1", "alert.silent");
    CHECK_STR(v, "1000 quiet");
    free(v);
    CHECK_EQ(health_update(&hs, "s1", HEALTH_SILENT, 1, "quiet", 2000, &r), 0);
    CHECK_EQ(health_update(&hs, "s1", HEALTH_SILENT, 0, "", 3000, &r), 0);
    CHECK(archive_state_get(a, "s1", "alert.silent") == NULL);
    CHECK_EQ(r.n, 3);
    CHECK_EQ(r.v[0].change, HEALTH_STARTED);
    CHECK_EQ(r.v[1].change, HEALTH_STILL);
    CHECK_EQ(r.v[2].change, HEALTH_CLEARED);
    CHECK_STR(r.v[2].message, "quiet");
    health_report_release(&r);
    archive_close(a);
    buf_release(&err);
}

TEST(health_listing_probe_counts_links_and_picks_article_like_ones)
{
    const char *html = "<html><body>"
                       "<a href='/'>home</a><a href='/list_2.html'>2</a><a href='/category-3.html'>c</a>"
                       "<a href='/about/'>about</a><a href='http://other.example/news/555.html'>x</a>"
                       "<a href='/news/2025/0610/123456.html'>a</a><a href='/show.php?id=77'>b</a>"
                       "<a href='/news/2025/0610/123457.html'>c</a></body></html>";
    long links = 0;
    char samples[CRAWL_LISTING_SAMPLES];
    CHECK_EQ(health_listing_probe("http://n.example/list/", html, strlen(html), &links, samples, sizeof samples), 0);
    CHECK_EQ(links, 8);
    CHECK_STR(samples, "http://n.example/news/2025/0610/123456.html http://n.example/news/2025/0610/123457.html "
                       "http://n.example/show.php?id=77");
    /* a cap too small for any URL: none */
    CHECK_EQ(health_listing_probe("http://n.example/list/", html, strlen(html), &links, samples, 10), 0);
    CHECK_STR(samples, "");
    CHECK_EQ(health_article_like("http://n.example/list/", "http://n.example/list/"), 0);
    CHECK_EQ(health_article_like("http://n.example/list/", "http://n.example/index_2.html"), 0);
    CHECK(health_article_like("http://n.example/list/", "http://n.example/a/1.html") > 0);
    CHECK_EQ(health_text_chars("  中文 abc\n", 100), 5);
    CHECK_EQ(health_text_chars(NULL, 100), 0);
    CHECK_EQ(health_text_chars("abcdef", 3), 3);
}

TEST(health_pattern_hint_finds_the_unescaped_question_mark)
{
    char h[400];
    CHECK_EQ(health_pattern_hint("^http://x\\.cn/show\\.php?id=[0-9]+$", h, sizeof h), 1);
    CHECK(strstr(h, "did you mean \\?") != NULL);
    CHECK(strstr(h, "'p' before it optional") != NULL);
    CHECK_EQ(health_pattern_hint("/content\\.asp?.*", h, sizeof h), 1);
    CHECK_EQ(health_pattern_hint("/article?aid=[0-9]+", h, sizeof h), 1);
    /* meant as written */
    CHECK_EQ(health_pattern_hint("^http://x\\.cn/show\\.php\\?id=[0-9]+$", h, sizeof h), 0);
    CHECK_EQ(health_pattern_hint("/post/[0-9]+\\.html?$", h, sizeof h), 0);
    CHECK_EQ(health_pattern_hint("/(news|info)?/[0-9]+\\.html", h, sizeof h), 0);
    CHECK_EQ(health_pattern_hint("/show[.]php[?]id=[0-9]+", h, sizeof h), 0);
    CHECK_EQ(health_pattern_hint("/a/[[:digit:]?]+\\.html", h, sizeof h), 0);
    CHECK_EQ(health_pattern_hint("https?://x\\.cn/[0-9]+\\.html", h, sizeof h), 0);
    CHECK_EQ(health_pattern_hint("", h, sizeof h), 0);
}

static char *write_conf(const char *text)
{
    char *path = malloc(4096);
    snprintf(path, 4096, "%s/sites.conf", test_tmpdir());
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

static int load(const char *site_keys, struct sites_config **c, struct buf *err)
{
    char text[2048];
    snprintf(text, sizeof text,
             "[newsarc]\nuser_agent = t/1 (+https://t.example)\n[site a]\nlisting = http://a.example/\n"
             "article = /a/\n%s", site_keys);
    char *path = write_conf(text);
    buf_reset(err);
    int rc = sites_config_load(path, c, err);
    free(path);
    return rc;
}

TEST(health_sites_conf_keys)
{
    struct sites_config *c = NULL;
    struct buf err = BUF_INIT, dump = BUF_INIT;
    CHECK_EQ(load("", &c, &err), 0);
    if (c) {
        CHECK(c->sites[0].alert_after_secs == 14 * 86400.0);
        CHECK_EQ(c->sites[0].alert_after_runs, 0);
        CHECK_EQ(c->sites[0].alert_failures, 3);
        CHECK_EQ(c->sites[0].article_line[0], 5);
        sites_config_dump(c, &dump);
        CHECK(strstr(buf_str(&dump), "alert_after = 14d\n") != NULL);
        CHECK(strstr(buf_str(&dump), "alert_failures = 3\n") != NULL);
    }
    sites_config_free(c);
    CHECK_EQ(load("alert_after = 10 runs\nalert_failures = 0\n", &c, &err), 0);
    if (c) {
        CHECK_EQ(c->sites[0].alert_after_runs, 10);
        CHECK(c->sites[0].alert_after_secs == 0);
        CHECK_EQ(c->sites[0].alert_failures, 0);
        buf_reset(&dump);
        sites_config_dump(c, &dump);
        CHECK(strstr(buf_str(&dump), "alert_after = 10 runs\n") != NULL);
    }
    sites_config_free(c);
    CHECK_EQ(load("alert_after = 36h\n", &c, &err), 0);
    if (c)
        CHECK(c->sites[0].alert_after_secs == 36 * 3600.0);
    sites_config_free(c);
    CHECK_EQ(load("alert_after = off\n", &c, &err), 0);
    if (c) {
        CHECK(c->sites[0].alert_after_secs == 0);
        CHECK_EQ(c->sites[0].alert_after_runs, 0);
    }
    sites_config_free(c);
    const char *bad[] = { "alert_after = 7\n", "alert_after = 7 parsecs\n", "alert_after = -1d\n",
                          "alert_after = 2.5 runs\n", "alert_failures = -1\n" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        c = NULL;
        CHECK_EQ(load(bad[i], &c, &err), NA_ECONFIG);
        CHECK(strstr(buf_str(&err), "sites.conf:6: ") != NULL);
        sites_config_free(c);
    }
    buf_release(&err);
    buf_release(&dump);
}
