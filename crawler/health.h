/* health.h — site health after a crawl or backfill run. Five alerts per
 * site, judged from the run's statistics (crawl.h) and from state kept in
 * the archive's key/value table (archive_state_get/set):
 *   pattern      a listing page yields no article links (where it yielded
 *                some before, or none of the links on it matches article =)
 *   silent       no new article for alert_after (a duration or N runs)
 *   empty        most new articles (at least 3) empty, very short or undated
 *   unreachable  robots.txt or listing pages failed (5xx, no answer) on
 *                alert_failures runs in a row
 *   challenge    a host of the site answered with an anti-bot page (a
 *                JavaScript challenge, a captcha, a firewall's block page:
 *                challenge.h) this run; clears on a run that fetched
 *                listing pages without one
 * Each alert is reported once when it starts and once when it clears; while
 * it stays open the run's exit status says so (newsarc(1): status 4). Also
 * the hints `check-config` and `try` give about article patterns. */
#ifndef NA_HEALTH_H
#define NA_HEALTH_H

#include <stddef.h>
#include <time.h>
#include "util/buf.h"

struct archive;
struct crawl_stats;
struct sites_config;

/* The state key of an open pattern alert (crawl.c asks listing pages
 * without validators while it is open, so that a fixed pattern is seen at
 * once instead of after the next change of the page). */
#define HEALTH_STATE_PATTERN "alert.pattern"
#define HEALTH_EMPTY_MIN 3             /* new articles in a run before "empty" is judged */
#define HEALTH_MAX_MESSAGE 1000        /* bytes of an alert message */
/* Alerts one report holds: every kind for 10,000 sites (sites.conf's
 * SITES_MAX_SITES), so one run's judgement never meets it; past it
 * health_update returns NA_ETOOBIG (health_judge with a message). */
#define HEALTH_MAX_ALERTS (10000 * (size_t)HEALTH_NKIND)

enum health_kind { HEALTH_PATTERN, HEALTH_SILENT, HEALTH_EMPTY, HEALTH_UNREACHABLE, HEALTH_CHALLENGE, HEALTH_NKIND };
enum health_change {
    HEALTH_STILL,                      /* open before and after the run (not said again) */
    HEALTH_STARTED,                    /* opened by this run: say it */
    HEALTH_CLEARED,                    /* closed by this run: say it */
};

struct health_alert {
    char *site;                        /* malloc'd */
    enum health_kind kind;
    enum health_change change;
    time_t since;                      /* when it started */
    char *message;                     /* malloc'd; for CLEARED the message it had */
};

struct health_report {
    struct health_alert *v;            /* started, cleared and still open alerts, site order */
    size_t n, cap;
    size_t open;                       /* alerts open after the run (STARTED + STILL) */
};

void health_report_init(struct health_report *r);
void health_report_release(struct health_report *r);

/* Where the alert state lives. get returns a malloc'd value or NULL (none);
 * set with value NULL removes the key; set returns 0 or a negative code. */
struct health_store {
    char *(*get)(void *ud, const char *site, const char *key);
    int (*set)(void *ud, const char *site, const char *key, const char *value);
    void *ud;
};

/* A store on the archive's state table (a borrowed; must be writable). */
void health_store_archive(struct health_store *hs, struct archive *a);

/* "pattern", "silent", "empty", "unreachable", "challenge". */
const char *health_kind_name(enum health_kind k);

/* The state machine of one alert of site: verdict 1 = the condition holds
 * this run (message says what), 0 = it does not, -1 = this run cannot tell
 * (the alert keeps its state). Opens the alert (STARTED) when it was closed,
 * closes it (CLEARED) when it was open; an open alert that still holds or
 * cannot be told is STILL. Appends to out what it reports. hs NULL: no
 * memory (a dry run): a holding condition is STARTED every time. Returns 0
 * or a negative code (state write failed, out of memory, NA_ETOOBIG when out
 * already holds HEALTH_MAX_ALERTS). */
int health_update(const struct health_store *hs, const char *site, enum health_kind kind, int verdict,
                  const char *message, time_t now, struct health_report *out);

/* Judges every site of st (configured in cfg) after a run at time now and
 * updates the state in hs (NULL: a dry run; only what one run shows is
 * judged: pattern on the page itself, empty). Call it only for a run that
 * completed (not interrupted, no fatal error). Returns 0 or a negative code
 * with a message in err; out holds what was judged so far either way. */
int health_judge(const struct sites_config *cfg, const struct crawl_stats *st, const struct health_store *hs,
                 time_t now, struct health_report *out, struct buf *err);

/* ---- helpers for crawl.c, check-config and try ---- */

/* How much url (canonical) looks like an article link of a listing page at
 * page_url: 0 not at all (another host, the page itself, no digits and no
 * .html), higher is likelier (a run of 3+ digits, a .html/.shtml/.htm/.php
 * ending). */
int health_article_like(const char *page_url, const char *url);

/* For a listing page (UTF-8 HTML) that yielded no article link: counts its
 * links into *links and writes up to 3 that look most like articles,
 * space-separated, to samples (cap bytes). Returns 0 or a negative code. */
int health_listing_probe(const char *page_url, const char *utf8, size_t n, long *links, char *samples, size_t cap);

/* Characters (UTF-8 code points, whitespace not counted) of text, counted
 * up to limit. NULL is 0. */
size_t health_text_chars(const char *text, size_t limit);

/* A likely typo in an article pattern (POSIX ERE): an unescaped '?' right
 * after a script extension (".php?id=" makes the 'p' optional and never
 * matches the '?' of a URL) or right before a query key ("show?id="). Writes
 * a hint to out (cap bytes) and returns 1, else 0. */
int health_pattern_hint(const char *re, char *out, size_t cap);

#endif
