/* test_patterns.c — article patterns (crawler/sites.h sites_regcomp and
 * sites_regmatch): POSIX ERE with a bounded cost. Deep nesting, back-
 * references, huge {m,n} expansions and many repeated groups are refused
 * with a message, not a crash or a stall; adversarial patterns on URLs of
 * 2,000 bytes match in bounded time; the .*( … ) wrapping matches exactly
 * what plain regexec matches. Every case is bounded by alarm(). */
#include "tests/check.h"
#include "crawler/discover.h"
#include "crawler/sites.h"
#include "crawler/url.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The bounds below are about 50x under what an unbounded matcher takes
 * (seconds to minutes); under ASan (make asan sets NA_ASAN) or a loaded
 * machine every match is slower, so they stretch by this factor. */
static double time_slack(void)
{
    return getenv("NA_ASAN") ? 6.0 : 2.0;
}

/* CPU time of this process: what a pattern costs, whatever else the
 * machine runs (the suite runs cases side by side). */
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *repeat(const char *unit, int n, const char *tail)
{
    struct buf b = BUF_INIT;
    for (int i = 0; i < n; i++)
        buf_adds(&b, unit);
    buf_adds(&b, tail);
    return buf_detach(&b, NULL);
}

/* sites_regcomp's code and message for p. */
static int comp(const char *p, char *msg, size_t n)
{
    regex_t re;
    msg[0] = 0;
    int rc = sites_regcomp(&re, p, msg, n);
    if (rc == 0)
        regfree(&re);
    return rc;
}

TEST(patterns_deep_nesting_refused_with_a_message)
{
    alarm(60);
    char msg[256];
    int depths[] = { 12000, 16000, 33 };
    for (size_t i = 0; i < 3; i++) {
        char *open = repeat("(", depths[i], "a");
        char *p = repeat(")", depths[i], "");
        char *full = malloc(strlen(open) + strlen(p) + 1);
        strcpy(full, open);
        strcat(full, p);
        CHECK_EQ(comp(full, msg, sizeof msg), NA_ECONFIG);
        CHECK(msg[0] != 0);
        CHECK_CONTAINS(msg, depths[i] > SITES_MAX_PATTERN ? "longer than" : "nested more than 32 parentheses deep");
        free(open);
        free(p);
        free(full);
    }
    /* 32 levels are fine */
    char *open = repeat("(", 32, "a"), *close = repeat(")", 32, "");
    char p32[200];
    snprintf(p32, sizeof p32, "%s%s", open, close);
    CHECK_EQ(comp(p32, msg, sizeof msg), 0);
    free(open);
    free(close);
    /* through sites.conf: a line of 16,000 '(' gives the message, not a crash */
    char path[4200];
    snprintf(path, sizeof path, "%s/deep.conf", test_tmpdir());
    FILE *f = fopen(path, "w");
    fputs("[newsarc]\nuser_agent = t (+https://example.org/)\n[site x]\nlisting = http://a.example/\narticle = ", f);
    for (int i = 0; i < 16000; i++)
        fputc('(', f);
    fputs("\n", f);
    fclose(f);
    struct sites_config *c = NULL;
    struct buf err = BUF_INIT;
    CHECK_EQ(sites_config_load(path, &c, &err), NA_ECONFIG);
    CHECK_CONTAINS(buf_str(&err), "deep.conf:5: 'article' is not a valid POSIX extended regular expression (");
    buf_release(&err);
    alarm(0);
}

TEST(patterns_refuse_backrefs_and_blowups)
{
    alarm(60);
    char msg[256];
    CHECK_EQ(comp("(a*)(a*)(a*)\\3\\2\\1b", msg, sizeof msg), NA_ECONFIG);
    CHECK_CONTAINS(msg, "back-reference '\\3'");
    CHECK_EQ(comp("/news/(.)\\1", msg, sizeof msg), NA_ECONFIG);
    /* escapes that are not back-references stay */
    CHECK_EQ(comp("/a\\.html\\?id=[0-9]+$", msg, sizeof msg), 0);
    CHECK_EQ(comp("[\\1]x", msg, sizeof msg), 0); /* inside brackets: a backslash and a '1' */
    /* expansion */
    CHECK_EQ(comp("(a{100}){100}", msg, sizeof msg), NA_ECONFIG);
    CHECK_CONTAINS(msg, "more than 4096 atoms");
    CHECK_EQ(comp("/20[0-9]{2}/[0-9]{2}/[0-9]{1,10}\\.html$", msg, sizeof msg), 0);
    /* repeated groups: 8 pass, 9 are refused (regcomp time doubles with each) */
    char *p8 = repeat("(x*y*)*", 8, "z"), *p9 = repeat("(x*y*)*", 9, "z"), *p9b = repeat("((x*)*)", 1, "{9}z");
    CHECK_EQ(comp(p8, msg, sizeof msg), 0);
    CHECK_EQ(comp(p9, msg, sizeof msg), NA_ECONFIG);
    CHECK_CONTAINS(msg, "more than 8 repeated groups");
    CHECK_EQ(comp("((x*y*)*){16}z", msg, sizeof msg), NA_ECONFIG);
    CHECK_EQ(comp(p9b, msg, sizeof msg), NA_ECONFIG);
    free(p8);
    free(p9);
    free(p9b);
    /* structure the wrapping needs */
    CHECK_EQ(comp("a)|(b", msg, sizeof msg), NA_ECONFIG);
    CHECK_CONTAINS(msg, "')' without its '('");
    CHECK_EQ(comp("abc\\", msg, sizeof msg), NA_ECONFIG);
    CHECK_EQ(comp("a(b", msg, sizeof msg), NA_ECONFIG);
    CHECK_CONTAINS(msg, "Unmatched ( or \\(");
    /* the worst accepted shapes still compile fast */
    double t = now();
    char *anch = repeat("(^|x|$)*", 8, "z"), *wide = repeat("(x|y)?", 600, "z");
    CHECK_EQ(comp(anch, msg, sizeof msg), 0);
    CHECK_EQ(comp(wide, msg, sizeof msg), 0);
    CHECK(now() - t < 2.0 * time_slack());
    free(anch);
    free(wide);
    alarm(0);
}

/* The wrapping changes nothing about which URLs match. */
TEST(patterns_match_as_plain_regexec)
{
    static const char *const pats[] = {
        "/a/", "^http://a\\.example/", "\\.html$", "^https?://(news|www)\\.example\\.cn/[a-z]+/[0-9]+\\.html$",
        "a|^x", "(^|/)c/", "b$|^h", "/[0-9]{4}-[0-9]{2}/", "id=[0-9]+(&|$)", "^$", "", "x*", "(a|b)+c",
        "[[:digit:]]{3}", "[^/]+\\.shtml$",
    };
    static const char *const urls[] = {
        "http://a.example/a/1.html", "https://news.example.cn/world/123.html", "http://b.example/c/x",
        "http://a.example/2024-03/1.html", "http://a.example/s?id=12&p=2", "http://a.example/s?id=12",
        "xyz", "", "http://a.example/ab/abababc", "http://a.example/x.shtml", "http://a.example/123",
    };
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++) {
        regex_t plain, ours;
        char msg[256];
        CHECK_EQ(regcomp(&plain, pats[i], REG_EXTENDED | REG_NOSUB), 0);
        CHECK_EQ(sites_regcomp(&ours, pats[i], msg, sizeof msg), 0);
        for (size_t k = 0; k < sizeof urls / sizeof *urls; k++) {
            int a = regexec(&plain, urls[k], 0, NULL, 0) == 0, b = sites_regmatch(&ours, urls[k]);
            if (a != b)
                fprintf(stderr, "pattern '%s' on '%s': regexec %d, sites_regmatch %d\n", pats[i], urls[k], a, b);
            CHECK_EQ(a, b);
        }
        regfree(&plain);
        regfree(&ours);
    }
}

TEST(patterns_match_in_bounded_time)
{
    alarm(90);
    static const char *const pats[] = {
        "(a+)+$", "(a|aa)*b", "((a+)+)+b", "[a-z]+[0-9]+\\.html$", "(.*a){20}b", "(((a|b|c|d)+[0-9]?)+x)",
        "(x|y)*(x|y)*(x|y)*(x|y)*z",
    };
    char url[URL_MAX_LEN + 1];
    snprintf(url, sizeof url, "http://a.example/");
    size_t l = strlen(url);
    while (l < 2000)
    {
        url[l] = 'a';
        l++;
    }
    url[l++] = '!'; /* no pattern matches: the slow case */
    url[l] = 0;
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++) {
        struct site s;
        CHECK_EQ(site_init(&s, "x"), 0);
        s.listing[s.nlisting++] = strdup("http://a.example/");
        s.article[s.narticle++] = strdup(pats[i]);
        struct buf err = BUF_INIT;
        CHECK_EQ(site_prepare(&s, &err), 0);
        double t = now();
        int n = 0;
        for (int k = 0; k < 1000; k++)
            n += discover_is_article(&s, url);
        double dt = now() - t;
        /* plain regexec took 8-50 ms per match here: 8-50 s for 1000 */
        if (dt > 1.0)
            fprintf(stderr, "'%s': 1000 matches of a 2000-byte URL took %.2f s\n", pats[i], dt);
        CHECK(dt < 1.0 * time_slack());
        CHECK_EQ(n, 0);
        site_release(&s);
        buf_release(&err);
    }
    /* over URL_MAX_LEN: never an article */
    char *longu = repeat("a", URL_MAX_LEN, ".html");
    char *full = malloc(strlen(longu) + 32);
    sprintf(full, "http://a.example/%s", longu);
    regex_t re;
    char msg[256];
    CHECK_EQ(sites_regcomp(&re, "\\.html$", msg, sizeof msg), 0);
    CHECK_EQ(sites_regmatch(&re, full), 0);
    CHECK_EQ(sites_regmatch(&re, "http://a.example/1.html"), 1);
    regfree(&re);
    free(longu);
    free(full);
    alarm(0);
}
