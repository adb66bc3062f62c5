/* robots.h — robots.txt per RFC 9309: groups by user-agent token (longest
 * match, then '*'), Allow/Disallow with '*' and '$', longest match wins, Allow
 * on ties; Crawl-delay read (not in the RFC, widely used). Parsing only: the
 * fetch loop decides what a 4xx (allow all) or 5xx (disallow) means. */
#ifndef NA_ROBOTS_H
#define NA_ROBOTS_H

#include <stddef.h>

struct robots;

/* Parses a robots.txt body (at most 500 KiB are read, per the RFC) for the
 * product token `agent` (e.g. "newsarc"; a full User-Agent such as
 * "newsarc/0.1 (+https://…)" is cut to its token). Only the rules that apply
 * to agent are kept: the merged groups naming it, else the merged '*' groups. Never fails on bad input; NULL only
 * when out of memory. */
struct robots *robots_parse(const char *body, size_t n, const char *agent);
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
/* Sitemap: lines, for discovery. */
size_t robots_sitemaps(const struct robots *r, const char *const **out);

#endif
