/* fuzz_robots.c — libFuzzer target for robots.txt (crawler/robots.h): the
 * input is parsed by robots_parse for the agent "newsarc" and by
 * robots_from_answer under a status and a cut flag taken from its first
 * byte; each policy is then asked robots_allowed about fixed paths and
 * about paths cut from the input, and for its crawl delay and Sitemap:
 * lines. Traps when an invariant breaks: /robots.txt disallowed, a Sitemap
 * line with a raw control character, a negative delay other than -1, a 4xx
 * answer that disallows. Seeds: tests/fuzz/seeds-fuzz_robots/, replayed by
 * tests/unit/test_fuzz_replay.c. */
#include "crawler/robots.h"
#include "tests/fuzz/fuzz.h"

static void robots_fz_ask(const struct robots *r, const uint8_t *data, size_t size)
{
    static const char *const paths[] = { "/", "/robots.txt", "/a/b.html?x=1", "/%7Efoo/",
                                         "/news/2023/0203/c_1.htm", "/%E6%96%B0%E9%97%BB/", "/private$",
                                         "/*", "" };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        int a = robots_allowed(r, paths[i]);
        FUZZ_CHECK(a == 0 || a == 1);
    }
    FUZZ_CHECK(robots_allowed(r, "/robots.txt") == 1);
    /* paths cut from the input: the text after each "llow:" up to the line end */
    size_t asked = 0;
    for (size_t i = 0; i + 5 < size && asked < 16; i++) {
        if (memcmp(data + i, "llow:", 5) != 0)
            continue;
        size_t j = i + 5, k = j;
        while (k < size && data[k] != '\n' && data[k] != '\r' && k - j < 300)
            k++;
        char p[320];
        memcpy(p, data + j, k - j);
        p[k - j] = 0;
        const char *q = p;
        while (*q == ' ' || *q == '\t')
            q++;
        int a = robots_allowed(r, q);
        FUZZ_CHECK(a == 0 || a == 1);
        asked++;
    }
    double d = robots_crawl_delay(r);
    FUZZ_CHECK(d == -1 || d >= 0);
    const char *const *maps = NULL;
    size_t n = robots_sitemaps(r, &maps);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(maps[i] != NULL);
        for (const char *c = maps[i]; *c; c++)
            FUZZ_CHECK((unsigned char)*c >= 0x20 || *c == '\t');
    }
}

FUZZ_TARGET(fuzz_robots)
{
    static const int statuses[] = { 200, 200, 203, 301, 404, 403, 500, 503, 0, 999 };
    struct robots *r = robots_parse((const char *)data, size, "newsarc");
    FUZZ_CHECK(r != NULL);
    robots_fz_ask(r, data, size);
    robots_free(r);

    /* a full User-Agent is cut to its token */
    r = robots_parse((const char *)data, size, "newsarc/0.1 (+https://example.org/bot)");
    FUZZ_CHECK(r != NULL);
    robots_fz_ask(r, data, size);
    robots_free(r);

    int status = statuses[size ? data[0] % 10 : 0];
    int cut = size ? (data[0] >> 4) & 1 : 0;
    enum robots_source src;
    r = robots_from_answer(status, (const char *)data, size, cut, "newsarc", &src);
    FUZZ_CHECK(r != NULL);
    if (status >= 400 && status < 500) {
        FUZZ_CHECK(src == ROBOTS_UNAVAILABLE);
        FUZZ_CHECK(robots_allowed(r, "/a/b.html") == 1);
    }
    if (status >= 500 || status == 0)
        FUZZ_CHECK(src == ROBOTS_UNREACHABLE);
    robots_fz_ask(r, data, size);
    robots_free(r);
    return 0;
}
