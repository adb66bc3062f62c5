/* url.h — URL handling on curl's CURLU API: resolving links against a base,
 * canonicalization for dedup (host mapped as browsers do, UTS #46, default
 * port and fragment dropped, dot segments removed, %2e among them, tracking
 * parameters utm_*, spm, from, share… removed, query order kept), host
 * patterns and trap defences (repeated path segments, depth). A site's scope
 * (url_in_scope) is judged in sites.c, on these. */
#ifndef NA_URL_H
#define NA_URL_H

#include <stddef.h>

#define URL_MAX_LEN 2048            /* longer URLs are refused (traps, junk) */
#define URL_DEFAULT_MAX_DEPTH 12    /* path segments, when the site sets none */
#define URL_MAX_DEPTH_LIMIT 64      /* largest max_depth sites.conf accepts */

/* Canonical form: scheme lower case, host through url_host_ascii, default
 * port, fragment and user:password dropped, empty path "/", dot segments
 * removed (%2e and %2E count as '.', as in browsers, so the canonical path is
 * the one curl sends), percent-escapes of unreserved characters decoded and
 * the others upper case, a stray '%' written %25, non-ASCII bytes
 * percent-encoded (UTF-8), tracking
 * query parameters (utm_*, spm, scm, share, fbclid, gclid,
 * mc_cid, mc_eid, from unless numeric, …) removed with the order of the rest
 * kept. URLs longer than URL_MAX_LEN are refused.
 * Resolves href against base and canonicalizes (base may be NULL when href
 * is absolute; an empty href is the base itself). Returns a malloc'd URL, or
 * NULL if href is not an http(s) URL or is malformed. */
char *url_resolve(const char *base, const char *href);
/* url_resolve for a link of a document in `charset` (a WHATWG label or the
 * iconv name charset_to_utf8 reports, e.g. "GB18030"; NULL, unknown or
 * UTF-8/UTF-16: as url_resolve). href is UTF-8 (the decoded page). As in
 * browsers, the non-ASCII characters of href's query are percent-encoded in
 * that charset (?kw=中国 on a GBK page: ?kw=%D6%D0%B9%FA), those it cannot
 * encode as the HTML reference &#N; (%26%23N%3B); the path and host are
 * UTF-8 always. Returns a malloc'd canonical URL or NULL. */
char *url_resolve_cs(const char *base, const char *href, const char *charset);
/* Canonical form of an absolute http(s) URL (malloc'd), or NULL. */
char *url_canonical(const char *url);
/* Host of url as url_host_ascii maps it, malloc'd; NULL on error (an
 * invalid international host name among them). */
char *url_host(const char *url);
/* A host name as browsers map it (UTS #46 non-transitional processing,
 * libidn2): an ASCII host is lower-cased; one with non-ASCII characters is
 * mapped (full-width letters, the dots U+3002, U+FF0E, U+FF61, case, NFC)
 * and its labels turned into punycode ("新闻.中国" -> "xn--efvy88h.xn--fiqs8s").
 * Trailing dots are dropped. Sets *out to a malloc'd ASCII host and returns
 * 0; NA_EPARSE for a host that is not a valid international name, or is
 * (or maps to) anything but letters, digits, '-', '_' and '.' (an IPv6
 * literal "[…]" as curl checked it excepted), or ends in a number without
 * being a dotted quad ("1", "a.1": curl would rewrite or browsers refuse
 * it), NA_ENOMEM. */
int url_host_ascii(const char *host, char **out);
/* 1 if host (as url_host returns it) matches pattern: "*.example.com" any
 * subdomain of example.com (not example.com itself), else the same host
 * (ASCII case ignored). */
int url_host_matches(const char *pattern, const char *host);
/* 1 if url looks like a crawler trap: longer than URL_MAX_LEN, more than
 * max_depth path segments (<= 0: URL_DEFAULT_MAX_DEPTH), or one segment
 * occurring 3 times or more in the path. */
int url_trap(const char *url, int max_depth);

#endif
