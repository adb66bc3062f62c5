/* robots.h — robots.txt per RFC 9309: groups by user-agent token (longest
 * match, then '*'), Allow/Disallow with '*' and '$', longest match wins, Allow
 * on ties; Crawl-delay read (not in the RFC, widely used); and what a fetch of
 * robots.txt means (2.3.1: a 4xx allows all, a 5xx disallows), for the crawl
 * and `try` alike. */
#ifndef NA_ROBOTS_H
#define NA_ROBOTS_H

#include <stddef.h>

/* What is parsed of a robots.txt at most (RFC 9309 2.5: at least 500 KiB). */
#define ROBOTS_MAX_BYTES ((size_t)500 << 10)
/* What is received of one on the wire at most: room for the framing and
 * compression overhead of its first 500 KiB; the rest is not downloaded. */
#define ROBOTS_WIRE_MAX ((size_t)2 << 20)
/* Sitemap: lines kept of one robots.txt; the rest are counted
 * (robots_sitemaps_dropped). */
#define ROBOTS_MAX_SITEMAPS 1000

struct robots;

/* Parses a robots.txt body (at most 500 KiB are read, per the RFC, cut after
 * the last whole line within them) for the
 * product token `agent` (e.g. "newsarc"; a full User-Agent such as
 * "newsarc/0.1 (+https://…)" is cut to its token). Only the rules that apply
 * to agent are kept: the merged groups naming it, else the merged '*' groups. Never fails on bad input; NULL only
 * when out of memory. */
struct robots *robots_parse(const char *body, size_t n, const char *agent);
/* The length of the longest prefix of body[0, n) that ends with a line break:
 * the whole lines of a text cut short. */
size_t robots_whole_lines(const char *body, size_t n);

enum robots_source {
    ROBOTS_RULES,       /* 2xx: the rules of its first 500 KiB */
    ROBOTS_UNAVAILABLE, /* 3xx (a redirect not followed) or 4xx: allow all (2.3.1.2-3) */
    ROBOTS_UNREACHABLE  /* no answer, 5xx or another status: disallow all (2.3.1.4) */
};
/* The policy one fetch of robots.txt gives, for agent: status is the last
 * answer's (0: no answer came); text/n is its body without transfer and
 * content coding, as far as it could be read: cut = 1 when that is only its
 * start (stopped at a cap or at a fault), and then only its whole lines are
 * parsed. *src says which case it was. The crawl and `try` both decide here,
 * so that they agree. NULL only when out of memory. */
struct robots *robots_from_answer(int status, const char *text, size_t n, int cut, const char *agent,
                                  enum robots_source *src);
/* A policy that allows everything (4xx) or nothing (5xx/unreachable). */
struct robots *robots_allow_all(void);
struct robots *robots_disallow_all(void);
void robots_free(struct robots *r);
/* 1 if path (path + query of the URL, e.g. "/a/b?c") may be fetched. Both
 * sides are compared percent-encoding-normalized (non-ASCII octets encoded,
 * escapes of unreserved characters decoded, hex upper case); /robots.txt is
 * always allowed. Safe to call from several threads on one robots. */
int robots_allowed(const struct robots *r, const char *path);
/* Crawl-delay in seconds for the matched group, or -1 when none is given. */
double robots_crawl_delay(const struct robots *r);
/* Sitemap: lines, for discovery: the first ROBOTS_MAX_SITEMAPS. */
size_t robots_sitemaps(const struct robots *r, const char *const **out);
/* Sitemap: lines left out past ROBOTS_MAX_SITEMAPS (for a warning). */
size_t robots_sitemaps_dropped(const struct robots *r);

#endif
