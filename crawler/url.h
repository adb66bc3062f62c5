/* url.h — URL handling on curl's CURLU API: resolving links against a base,
 * canonicalization for dedup (lower-case host, default port and fragment
 * dropped, tracking parameters utm_*, spm, from, share… removed, query order
 * kept), scope checks and trap defences (repeated path segments, depth). */
#ifndef NA_URL_H
#define NA_URL_H

#include <stddef.h>

struct site;

/* Resolves href against base and canonicalizes. Returns a malloc'd URL, or
 * NULL if href is not an http(s) URL or is malformed. */
char *url_resolve(const char *base, const char *href);
/* Canonical form of an absolute http(s) URL (malloc'd), or NULL. */
char *url_canonical(const char *url);
/* Host of url, lower case, malloc'd; NULL on error. */
char *url_host(const char *url);
/* 1 if url is http(s), within the site's hosts/path prefixes and passes the
 * trap defences (path depth <= site->max_depth, no segment repeated 3 times). */
int url_in_scope(const struct site *s, const char *url);

#endif
