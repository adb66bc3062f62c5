/* test_politeness.c — the per-host politeness state and its arithmetic:
 * start-to-start delays, connection limits, robots Crawl-delay cap, the
 * slow-down after 429/503 with Retry-After, backoff with jitter bounds. */
#include "tests/check.h"
#include "crawler/politeness.h"

#include <math.h>
#include <stdlib.h>

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

TEST(politeness_delay_between_starts)
{
    struct politeness *p = politeness_new(2.0, 1);
    struct polite_host *h = politeness_host(p, "a.example");
    CHECK(h != NULL);
    CHECK(politeness_host(p, "a.example") == h);
    CHECK(politeness_host(p, "b.example") != h);
    CHECK(NEAR(politeness_wait(h, 100.0), 0));
    politeness_start(h, 100.0);
    CHECK(politeness_wait(h, 100.5) < 0); /* the one connection is busy */
    politeness_done(h, 100.5, POLITE_OK, -1);
    CHECK(NEAR(politeness_wait(h, 100.5), 1.5)); /* 2 s after the start */
    CHECK(NEAR(politeness_wait(h, 102.0), 0));
    /* a slow response: the next may start as soon as it ends */
    politeness_start(h, 102.0);
    politeness_done(h, 105.0, POLITE_OK, -1);
    CHECK(NEAR(politeness_wait(h, 105.0), 0));
    politeness_free(p);
}

TEST(politeness_connections_and_zero_delay)
{
    struct politeness *p = politeness_new(0, 2);
    struct polite_host *h = politeness_host(p, "x");
    politeness_start(h, 1);
    CHECK(NEAR(politeness_wait(h, 1), 0));
    politeness_start(h, 1);
    CHECK(politeness_wait(h, 1) < 0);
    CHECK_EQ(politeness_active(h), 2);
    politeness_done(h, 1.1, POLITE_OK, -1);
    CHECK(NEAR(politeness_wait(h, 1.1), 0));
    politeness_free(p);
}

TEST(politeness_crawl_delay_capped)
{
    struct politeness *p = politeness_new(2.0, 1);
    struct polite_host *h = politeness_host(p, "x");
    politeness_set_crawl_delay(h, 10);
    CHECK(NEAR(politeness_delay(h), 10));
    politeness_set_crawl_delay(h, 3600);
    CHECK(NEAR(politeness_delay(h), POLITENESS_MAX_CRAWL_DELAY));
    politeness_set_crawl_delay(h, 0.5); /* smaller than the configured delay */
    CHECK(NEAR(politeness_delay(h), 2));
    politeness_set_crawl_delay(h, -1);
    politeness_set_delay(h, 0.25);
    CHECK(NEAR(politeness_delay(h), 0.25));
    politeness_set_delay(h, -1); /* keeps */
    CHECK(NEAR(politeness_delay(h), 0.25));
    politeness_free(p);
}

TEST(politeness_slowdown_and_retry_after)
{
    struct politeness *p = politeness_new(1.0, 1);
    struct polite_host *h = politeness_host(p, "x");
    politeness_start(h, 0);
    politeness_done(h, 0.1, POLITE_SLOWDOWN, 30);
    /* Retry-After wins over the doubled delay */
    CHECK(NEAR(politeness_wait(h, 0.1), 30));
    CHECK(NEAR(politeness_slow(h), 2));
    CHECK(NEAR(politeness_delay(h), 2));
    politeness_start(h, 30.1);
    politeness_done(h, 30.2, POLITE_SLOWDOWN, -1);
    CHECK(NEAR(politeness_slow(h), 4));
    CHECK(NEAR(politeness_wait(h, 30.2), 4)); /* slowed delay from the end */
    /* slow-down even when politeness is off */
    struct politeness *q = politeness_new(0, 4);
    struct polite_host *g = politeness_host(q, "y");
    politeness_start(g, 0);
    politeness_done(g, 0, POLITE_SLOWDOWN, -1);
    CHECK(NEAR(politeness_wait(g, 0), 1)); /* 0.5 s base, doubled */
    /* the base is settable (sites.conf retry_backoff), for hosts made after */
    politeness_set_slow_floor(q, 0.05);
    struct polite_host *g2 = politeness_host(q, "z");
    politeness_start(g2, 0);
    politeness_done(g2, 0, POLITE_SLOWDOWN, -1);
    CHECK(NEAR(politeness_wait(g2, 0), 0.1));
    CHECK(NEAR(politeness_delay(g), 1)); /* an existing host keeps its base */
    /* a run of successes halves it again */
    for (int i = 0; i < 8; i++) {
        politeness_start(g, 10 + i * 10);
        politeness_done(g, 10 + i * 10, POLITE_OK, -1);
    }
    CHECK(NEAR(politeness_slow(g), 1));
    for (int i = 0; i < 20; i++)
        politeness_done(g, 0, POLITE_SLOWDOWN, -1);
    CHECK(NEAR(politeness_slow(g), POLITENESS_MAX_SLOW));
    politeness_free(q);
    politeness_free(p);
}

TEST(politeness_host_down)
{
    struct politeness *p = politeness_new(0, 1);
    struct polite_host *h = politeness_host(p, "x");
    for (int i = 0; i < POLITENESS_DOWN_AFTER - 1; i++)
        politeness_done(h, 0, POLITE_NETFAIL, -1);
    CHECK(!politeness_host_down(h));
    politeness_done(h, 0, POLITE_OK, -1);
    for (int i = 0; i < POLITENESS_DOWN_AFTER - 1; i++)
        politeness_done(h, 0, POLITE_NETFAIL, -1);
    CHECK(!politeness_host_down(h));
    politeness_done(h, 0, POLITE_NETFAIL, -1);
    CHECK(politeness_host_down(h));
    politeness_free(p);
}

TEST(politeness_backoff_bounds)
{
    CHECK(NEAR(politeness_backoff(1, 1, 60, 0), 0.5));
    CHECK(NEAR(politeness_backoff(1, 1, 60, 0.999999999), 1.0) || politeness_backoff(1, 1, 60, 0.999999999) < 1.0);
    CHECK(NEAR(politeness_backoff(3, 1, 60, 0), 2));
    CHECK(NEAR(politeness_backoff(3, 1, 60, 0.5), 3));
    CHECK(NEAR(politeness_backoff(10, 1, 60, 0), 30)); /* capped at 60: [30, 60] */
    CHECK(NEAR(politeness_backoff(1000, 1, 60, 0.5), 45));
    CHECK(NEAR(politeness_backoff(0, 2, 60, 0), 1));
    CHECK(NEAR(politeness_backoff(2, 1, 60, 7), 1)); /* bad u → 0 */
    /* jitter: many draws stay in [d/2, d] and spread out */
    double lo = 1e9, hi = 0;
    srand(1);
    for (int i = 0; i < 1000; i++) {
        double d = politeness_backoff(4, 0.5, 60, rand() / (RAND_MAX + 1.0));
        if (d < lo) lo = d;
        if (d > hi) hi = d;
    }
    CHECK(lo >= 2 && hi <= 4);
    CHECK(hi - lo > 1.5);
}

TEST(politeness_retry_after_parsing)
{
    CHECK(NEAR(politeness_retry_after("120", 0), 120));
    CHECK(NEAR(politeness_retry_after("  7 ", 0), 7));
    CHECK(politeness_retry_after("7s", 0) < 0);
    CHECK(politeness_retry_after(NULL, 0) < 0);
    CHECK(politeness_retry_after("soon", 0) < 0);
    /* Sun, 06 Nov 1994 08:49:37 GMT = 784111777 */
    CHECK(NEAR(politeness_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 - 90), 90));
    CHECK(NEAR(politeness_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 + 90), 0));
    CHECK(NEAR(politeness_retry_after("99999999999", 0), 86400.0 * 365));
}

TEST(politeness_many_hosts)
{
    struct politeness *p = politeness_new(1, 1);
    char name[32];
    struct polite_host *first = politeness_host(p, "h0");
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "h%d", i);
        struct polite_host *h = politeness_host(p, name);
        CHECK(h != NULL);
        if (!h)
            break;
        CHECK_STR(politeness_host_name(h), name);
    }
    CHECK(politeness_host(p, "h0") == first);
    politeness_free(p);
}
