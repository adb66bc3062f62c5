/* test_when.c — cli/when.c, the --since/--until parser of every command. */
#include "tests/check.h"
#include "cli/when.h"
#include "cli/eta.h"

#include <stdlib.h>
#include <time.h>

/* 2026-12-06 14:55:30 UTC */
#define NOW ((time_t)1796568930)

static const char *w(const char *s, int utc)
{
    static char out[WHEN_MAX];
    char msg[200];
    if (when_parse(s, NOW, utc, out, msg, sizeof msg))
        return "ERR";
    return out;
}

TEST(when_absolute_forms)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    CHECK_STR(w("2026", 0), "2026");
    CHECK_STR(w("2026-12", 0), "2026-12");
    CHECK_STR(w("2026-12-06", 0), "2026-12-06");
    CHECK_STR(w("2026-12-06 14:55", 0), "2026-12-06T14:55");
    CHECK_STR(w("2026-12-06 14:55:09", 0), "2026-12-06T14:55:09");
    CHECK_STR(w("2026-12-06T14:55", 0), "2026-12-06T14:55");
    CHECK_STR(w("2024-02-29", 0), "2024-02-29");
    CHECK_STR(w("2024-02-29 00:00", 0), "2024-02-29"); /* midnight: the day */
    CHECK_STR(w("2024-02-29T16:00:00Z", 0), "2024-03-01");
    /* instants become wall-clock time: local (+08:00) or UTC */
    CHECK_STR(w("2026-12-06T14:55:00Z", 0), "2026-12-06T22:55:00");
    CHECK_STR(w("2026-12-06T14:55:00Z", 1), "2026-12-06T14:55:00");
    CHECK_STR(w("2026-12-06T14:55:00.250+08:00", 1), "2026-12-06T06:55:00");
    CHECK_STR(w("2026-12-06T01:00-0200", 1), "2026-12-06T03:00:00");
    CHECK_STR(w("2026-12-06T01:00+05", 1), "2026-12-05T20:00:00");
}

TEST(when_relative_forms)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    CHECK_STR(w("now", 1), "2026-12-06T14:55:30");
    CHECK_STR(w("now", 0), "2026-12-06T22:55:30");
    CHECK_STR(w("2d", 1), "2026-12-04T14:55:30");
    CHECK_STR(w("36h", 1), "2026-12-05T02:55:30");
    CHECK_STR(w("90m", 1), "2026-12-06T13:25:30");
    CHECK_STR(w("1w", 1), "2026-11-29T14:55:30");
    CHECK_STR(w("today", 1), "2026-12-06");
    CHECK_STR(w("yesterday", 1), "2026-12-05");
    /* the local day already turned at 22:55 +08:00 ... */
    CHECK_STR(w("today", 0), "2026-12-06");
    setenv("TZ", "America/Los_Angeles", 1); /* ... and not yet at 06:55 -08:00 */
    tzset();
    CHECK_STR(w("yesterday", 0), "2026-12-05");
    CHECK_STR(w("12h", 0), "2026-12-05T18:55:30");
}

TEST(when_rejects_what_it_cannot_read)
{
    static const char *const bad[] = { "", "2024-3", "2024-13-01", "2023-02-29", "2024-03-01x", "20240301",
                                       "2024-03-01 25:00", "2024-03-01 14", "2024-03-01T14:55+99:00",
                                       "0d", "3y", "d", "tomorrow", "2024-03-01 14:55 UTC", "-2d",
                                       "1234567d" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[WHEN_MAX], msg[200] = "";
        int rc = when_parse(bad[i], NOW, 1, out, msg, sizeof msg);
        if (rc != -1)
            fprintf(stderr, "accepted '%s' as '%s'\n", bad[i], out);
        CHECK_EQ(rc, -1);
        CHECK(strstr(msg, "bad date") != NULL);
    }
}

/* cli/eta.c: no ETA from a first page (the 1/20000 pages ... ETA 27:57:42
 * an 18-second job once showed), one from real progress. */
TEST(backfill_eta_needs_real_progress)
{
    double eta = -1;
    struct eta_in one = { 1, 20000, 10, 1, 1.0 };
    CHECK_EQ(eta_estimate(&one, &eta), 0);
    struct eta_in early = { 2, 20000, 20, 10, 8.0 };
    CHECK_EQ(eta_estimate(&early, &eta), 0);
    struct eta_in quick = { 5, 20000, 50, 50, 2.0 }; /* too soon */
    CHECK_EQ(eta_estimate(&quick, &eta), 0);
    /* 10 of 20 pages in 10 s, 100 of 100 articles queued so far done */
    struct eta_in half = { 10, 20, 100, 100, 10.0 };
    CHECK_EQ(eta_estimate(&half, &eta), 1);
    CHECK(eta > 9.9 && eta < 10.1);
    /* pages done, articles left: 50 left at 10/s */
    struct eta_in tail = { 20, 20, 150, 100, 10.0 };
    CHECK_EQ(eta_estimate(&tail, &eta), 1);
    CHECK(eta > 4.9 && eta < 5.1);
    struct eta_in done = { 20, 20, 100, 100, 10.0 };
    CHECK_EQ(eta_estimate(&done, &eta), 0);
}
