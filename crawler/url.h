/* url.h — URL handling on curl's CURLU API: resolving links against a base,
 * canonicalization for dedup (lower-case host, default port and fragment
 * dropped, tracking parameters utm_*, spm, from, share… removed, query order
 * kept), scope checks and trap defences (repeated path segments, depth). */
#ifndef NA_URL_H
#define NA_URL_H

#include <stddef.h>

struct site;

#define URL_MAX_LEN 2048            /* longer URLs are refused (traps, junk) */
#define URL_DEFAULT_MAX_DEPTH 12    /* path segments, when the site sets none */
#define URL_MAX_DEPTH_LIMIT 64      /* largest max_depth sites.conf accepts */

/* Canonical form: scheme and host lower case, default port, fragment and
 * user:password dropped, empty path "/", dot segments removed,
 * percent-escapes of unreserved characters decoded and the others upper
 * case, tracking query parameters (utm_*, spm, scm, share, fbclid, gclid,
 * mc_cid, mc_eid, from unless numeric, …) removed with the order of the rest
 * kept. URLs longer than URL_MAX_LEN are refused.
 * Resolves href against base and canonicalizes (base may be NULL when href
 * is absolute; an empty href is the base itself). Returns a malloc'd URL, or
 * NULL if href is not an http(s) URL or is malformed. */
char *url_resolve(const char *base, const char *href);
/* Canonical form of an absolute http(s) URL (malloc'd), or NULL. */
char *url_canonical(const char *url);
/* Host of url, lower case, malloc'd; NULL on error. */
char *url_host(const char *url);
/* 1 if url is http(s), within the site's hosts/path prefixes and passes the
 * trap defences (path depth <= site->max_depth, no segment repeated 3 times). */
int url_in_scope(const struct site *s, const char *url);
/* 1 if url looks like a crawler trap: longer than URL_MAX_LEN, more than
 * max_depth path segments (<= 0: URL_DEFAULT_MAX_DEPTH), or one segment
 * occurring 3 times or more in the path. */
int url_trap(const char *url, int max_depth);

#endif
