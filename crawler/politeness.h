/* politeness.h — per-host politeness for the fetch loop: how many requests
 * may run at once on a host, when the next may start (a delay between the
 * starts of two requests, from sites.conf or robots.txt Crawl-delay capped at
 * 60 s), how a 429/503 slows the whole host (Retry-After obeyed, RFC 9110
 * §10.2.3), and the exponential backoff with jitter used for retries.
 * Times are seconds on a monotonic clock (doubles); no clock is read here. */
#ifndef NA_POLITENESS_H
#define NA_POLITENESS_H

#include <stddef.h>
#include <time.h>

#define POLITENESS_MAX_CRAWL_DELAY 60.0 /* robots Crawl-delay above this is capped */
#define POLITENESS_MAX_SLOW 16.0        /* largest slow-down factor after 429/503 */
#define POLITENESS_DOWN_AFTER 5         /* consecutive network failures: host down */
#define POLITENESS_SLOW_FLOOR 0.5       /* a slowed host's delay is at least this × slow */

struct politeness;
struct polite_host;

enum polite_outcome {
    POLITE_OK = 0,       /* a response came (any status but 429/503) */
    POLITE_SLOWDOWN,     /* 429 or 503: slow the whole host */
    POLITE_NETFAIL,      /* no response: connect error, timeout, reset */
};

/* A table of hosts; delay is the default delay (seconds, >= 0) and
 * conns the default number of parallel requests per host (>= 1).
 * Returns NULL when out of memory; free with politeness_free (NULL is fine). */
struct politeness *politeness_new(double delay, int conns);
void politeness_free(struct politeness *p);
/* The least delay of a slowed-down host before its slow-down factor applies
 * (seconds > 0, default POLITENESS_SLOW_FLOOR); for hosts created after. */
void politeness_set_slow_floor(struct politeness *p, double seconds);

/* The state of host (a lower-case host name), created on first use with the
 * table's defaults. The pointer stays valid until politeness_free. NULL only
 * when out of memory. */
struct polite_host *politeness_host(struct politeness *p, const char *host);
const char *politeness_host_name(const struct polite_host *h);

/* Sets the host's configured delay (a site's delay; < 0 keeps the default). */
void politeness_set_delay(struct polite_host *h, double delay);
/* Robots.txt Crawl-delay for the host (< 0: none). Capped at
 * POLITENESS_MAX_CRAWL_DELAY; the effective delay is the larger of the two. */
void politeness_set_crawl_delay(struct polite_host *h, double crawl_delay);
/* Effective delay between request starts now, slow-down included. */
double politeness_delay(const struct polite_host *h);

/* Seconds until a request to h may start (0 = now). When all of the host's
 * connections are busy, returns a negative value: wait for a completion. */
double politeness_wait(const struct polite_host *h, double now);
/* A request to h starts at now. */
void politeness_start(struct polite_host *h, double now);
/* A request to h ended at now. For POLITE_SLOWDOWN, retry_after is the
 * server's Retry-After in seconds (< 0 when absent): the host gets no request
 * before now + max(retry_after, the slowed delay). */
void politeness_done(struct polite_host *h, double now, enum polite_outcome outcome, double retry_after);
/* 1 after POLITENESS_DOWN_AFTER consecutive network failures. */
int politeness_host_down(const struct polite_host *h);
/* Requests in flight on h. */
int politeness_active(const struct polite_host *h);
/* Current slow-down factor (1 = normal). */
double politeness_slow(const struct polite_host *h);

/* Backoff before retry number attempt (1 = first retry): base * 2^(attempt-1),
 * capped at cap, with "equal jitter": the result lies in [d/2, d], placed by
 * u in [0, 1). */
double politeness_backoff(int attempt, double base, double cap, double u);

/* Parses a Retry-After value (delay-seconds or an HTTP-date) relative to the
 * wall clock now. Returns seconds (>= 0), or -1 when value is NULL or
 * unparseable. */
double politeness_retry_after(const char *value, time_t now);

#endif
